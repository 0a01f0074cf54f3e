/**
 * The tenant's chart of accounts and account map (issue 7).
 *
 * The chart is the BAS 2024 accounts q2c knows (names in core/ledger/accounts.ts) overlaid with the
 * tenant's own accounts (added or renamed by finance). The account map is the default (BAS) map
 * overlaid with the tenant's overrides; postings read it when they are made, so a change applies to
 * future postings only. Both are read once per transaction (Store).
 */
import { BAS_ACCOUNT_NAMES, type AccountMap } from '../../core/ledger/accounts.js';
import { DomainError } from '../../core/shared/errors.js';
import type { BooksSettings, Store } from '../ports.js';
import type { Env } from '../shared/env.js';

export interface ChartAccount {
  account: string;
  name: string;
  active: boolean;
  /** 'bas' for a default q2c knows, 'tenant' for one the tenant added or renamed. */
  source: 'bas' | 'tenant';
}

/** The effective chart, by account number (ascending). */
export async function chartOfAccounts(s: Store): Promise<Map<string, ChartAccount>> {
  const out = new Map<string, ChartAccount>();
  for (const [account, name] of Object.entries(BAS_ACCOUNT_NAMES)) out.set(account, { account, name, active: true, source: 'bas' });
  for (const a of await s.books.accounts()) out.set(a.account, { ...a, source: 'tenant' });
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

const settingsCache = new WeakMap<Store, BooksSettings>();

/** The tenant's books settings, read once per transaction (forgetBooks after changing them). */
export async function booksSettingsOf(s: Store): Promise<BooksSettings> {
  const known = settingsCache.get(s);
  if (known !== undefined) return known;
  const settings = await s.books.settings();
  settingsCache.set(s, settings);
  return settings;
}

const maps = new WeakMap<Store, AccountMap>();

/** The account map in force for this tenant: the defaults with the tenant's overrides. */
export async function accountsFor(s: Store, env: Pick<Env, 'accounts'>): Promise<AccountMap> {
  const known = maps.get(s);
  if (known !== undefined) return known;
  const { accountMap } = await booksSettingsOf(s);
  const merged = mergeAccountMap(env.accounts, accountMap);
  maps.set(s, merged);
  return merged;
}

/** Forgets the cached settings and map of a transaction (after the tenant changed them in it). */
export function forgetBooks(s: Store): void {
  maps.delete(s);
  settingsCache.delete(s);
}

/** The defaults overlaid with overrides: nested maps (by VAT rate) merge key by key. */
export function mergeAccountMap(defaults: AccountMap, overrides: Record<string, unknown>): AccountMap {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(overrides)) {
    const d = (defaults as unknown as Record<string, unknown>)[k];
    out[k] = typeof d === 'object' && d !== null && typeof v === 'object' && v !== null ? { ...d, ...v } : v;
  }
  return out as unknown as AccountMap;
}

/**
 * An invoice or credit note q2c issues must be dated in an open period: its VAT belongs to the period
 * of its date, and a closed period's VAT return is already filed. (A document q2c receives late, such
 * as a payment, is posted in the first open period instead; see postEntry.)
 */
export async function assertOpenForIssue(s: Store, date: string, param: string): Promise<void> {
  const { lockedThrough } = await booksSettingsOf(s);
  if (lockedThrough !== null && date <= lockedThrough) {
    throw new DomainError('period_locked', `The books are closed through ${lockedThrough}; date the document after it`, param);
  }
}
