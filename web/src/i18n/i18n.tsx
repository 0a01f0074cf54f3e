/**
 * The UI language: Swedish when the browser prefers it, English otherwise, and whatever the user
 * picked in the header from then on (remembered in localStorage). Money, numbers and dates follow
 * the same choice (format.ts).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Lang } from '../format';
import { en, sv, type MessageKey } from './messages';

const STORAGE_KEY = 'q2c.lang';
const MESSAGES: Record<Lang, Record<MessageKey, string>> = { en, sv };

export function initialLang(stored: string | null, browser: readonly string[]): Lang {
  if (stored === 'sv' || stored === 'en') return stored;
  const first = browser[0]?.toLowerCase() ?? '';
  return first === 'sv' || first.startsWith('sv-') ? 'sv' : 'en';
}

/** "Page {n}" + { n: 2 } → "Page 2". */
export function interpolate(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
}

const I18nContext = createContext<I18n | null>(null);

function readStored(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked: fall back to the browser's language
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(readStored(), navigator.languages ?? [navigator.language]));
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not remembered; the choice still holds for this visit
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (key, vars) => interpolate(MESSAGES[lang][key], vars) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (ctx === null) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
