/** Shared pieces: loading/error/empty states, server-side paging, money and status display. */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiError } from './api/client';
import { formatDate, formatMoney, type Money as MoneyValue } from './format';
import { useI18n } from './i18n/i18n';
import type { MessageKey } from './i18n/messages';

export type Loadable<T> = { state: 'loading' } | { state: 'error'; error: ApiError | Error } | { state: 'ready'; data: T };

/** Runs load() whenever deps change (the previous request aborted); reload() runs it again. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): [Loadable<T>, () => void] {
  const [result, setResult] = useState<Loadable<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctrl = new AbortController();
    setResult({ state: 'loading' });
    loadRef.current(ctrl.signal).then(
      (data) => !ctrl.signal.aborted && setResult({ state: 'ready', data }),
      (error: unknown) => {
        if (ctrl.signal.aborted) return;
        setResult({ state: 'error', error: error instanceof Error ? error : new Error(String(error)) });
      },
    );
    return () => ctrl.abort();
    // the caller lists what the load depends on (load itself is a new closure every render)
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return [result, reload];
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="state state-loading" role="status" aria-live="polite">
      {t('state.loading')}
    </p>
  );
}

export function ErrorState({ error, retry }: { error: Error; retry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="state state-error" role="alert">
      <p>{t('state.error', { message: error.message })}</p>
      {retry && (
        <button type="button" className="button" onClick={retry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

/** Renders the right state of a Loadable; `children` gets the data once it is there. */
export function Loaded<T>({ value, retry, children }: { value: Loadable<T>; retry?: () => void; children: (data: T) => ReactNode }) {
  if (value.state === 'loading') return <Loading />;
  if (value.state === 'error') return <ErrorState error={value.error} {...(retry ? { retry } : {})} />;
  return <>{children(value.data)}</>;
}

/**
 * Cursor paging as the API does it (`limit` + `starting_after` the last id seen): the cursors of the
 * pages before this one are kept so Previous can go back without the API counting rows.
 */
export function useCursorPages(resetKey: string) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  useEffect(() => setCursors([undefined]), [resetKey]);
  return {
    after: cursors[cursors.length - 1],
    page: cursors.length,
    next: (lastId: string) => setCursors((c) => [...c, lastId]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}

export function Pager({ page, hasMore, onPrevious, onNext }: { page: number; hasMore: boolean; onPrevious: () => void; onNext: () => void }) {
  const { t } = useI18n();
  if (page === 1 && !hasMore) return null;
  return (
    <nav className="pager" aria-label={t('list.pagination')}>
      <button type="button" className="button" onClick={onPrevious} disabled={page <= 1}>
        {t('list.previous')}
      </button>
      <span aria-live="polite">{t('list.page', { n: page })}</span>
      <button type="button" className="button" onClick={onNext} disabled={!hasMore}>
        {t('list.next')}
      </button>
    </nav>
  );
}

/**
 * One page of a list paged with useCursorPages: the empty state on the first page when there is
 * nothing, else the rows (as `children` draws them) and the pager after them.
 */
export function CursorPaged<T extends { id: string }>({
  value, retry, pages, empty, children,
}: {
  value: Loadable<{ data: T[]; has_more: boolean }>;
  retry: () => void;
  pages: ReturnType<typeof useCursorPages>;
  empty: ReactNode;
  children: (rows: T[]) => ReactNode;
}) {
  return (
    <Loaded value={value} retry={retry}>
      {(l) =>
        l.data.length === 0 && pages.page === 1 ? (
          <Empty>{empty}</Empty>
        ) : (
          <>
            {children(l.data)}
            <Pager page={pages.page} hasMore={l.has_more} onPrevious={pages.previous} onNext={() => { const last = l.data[l.data.length - 1]; if (last) pages.next(last.id); }} />
          </>
        )
      }
    </Loaded>
  );
}

export function Money({ value }: { value: MoneyValue | null | undefined }) {
  const { lang } = useI18n();
  if (value == null) return <>–</>;
  return <span className="money">{formatMoney(value, lang)}</span>;
}

export function DateText({ value }: { value: string | null | undefined }) {
  const { lang } = useI18n();
  if (value == null) return <>–</>;
  return <time dateTime={value}>{formatDate(value, lang)}</time>;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `status.${status}` as MessageKey;
  return <span className={`badge badge-${status}`}>{key in STATUS_KEYS ? t(key) : status}</span>;
}
const STATUS_KEYS: Record<string, true> = Object.fromEntries(
  ['draft', 'awaiting_approval', 'approved', 'sent', 'accepted', 'declined', 'expired', 'superseded', 'issued', 'paid', 'open'].map((s) => [`status.${s}`, true]),
);
