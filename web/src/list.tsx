/**
 * One list for every list page: the API sorts, filters, searches and pages (a page of 25 is all the
 * browser ever has, so it must not sort or filter itself). The state — sort, search text, filters and
 * the page position — lives in the URL's query string, so a reload, a shared link or Back shows the
 * same page. Pages go forward by the API's `next_cursor` (or, for a list without one, `starting_after`
 * the last id); the positions of the pages before are kept in the URL (`back`) so Previous needs no
 * count from the API.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { api, type PathsWith, type RequestOptions, type ResponseOf } from './api/client';
import { useI18n } from './i18n/i18n';
import { navigate, useLocation } from './router';
import { Empty, Loaded, Pager, useLoad } from './ui';

export const LIST_PAGE_SIZE = 25;
const SEARCH_DEBOUNCE_MS = 300;

type ListPath = PathsWith<'get'> & ('/v1/customers' | '/v1/quotes' | '/v1/orders' | '/v1/invoices' | '/v1/payments' | '/v1/products' | '/v1/price-lists' | '/v1/product-groups' | '/v1/claims' | '/v1/deliveries');
type QueryOf<P extends ListPath> = NonNullable<RequestOptions<P, 'get'>['query']>;
export type ItemOf<P extends ListPath> = ResponseOf<P, 'get'> extends { data: (infer I)[] } ? I : never;
/** The keys a list sorts by ("name" of "name" | "-name"). */
export type SortKeyOf<P extends ListPath> = QueryOf<P> extends { sort?: infer S } ? Exclude<S, `-${string}` | undefined> & string : never;

export interface Column<T, S extends string> {
  /** The header's words; also the key of the column. */
  header: string;
  cell: (row: T) => ReactNode;
  /** The API's sort key: the header becomes a button that sorts by it (again: the other way). */
  sort?: S;
  numeric?: boolean;
}

/** A select bound to one query parameter of the list ('' = no filter). */
export interface Filter {
  param: string;
  label: string;
  options: readonly { value: string; label: string }[];
}

/** Query parameters the list itself owns; filters add their own. */
const SORT = 'sort';
const SEARCH = 'q';
const CURSOR = 'cursor';
const AFTER = 'after';
const BACK = 'back';

/**
 * A page position as one URL-safe token: a cursor as it is (base64url), a starting_after id with "@"
 * before it, the first page as "" — so the stack of earlier pages is one parameter, "."-separated.
 */
function positionOf(query: URLSearchParams): string {
  const after = query.get(AFTER);
  if (after !== null) return `@${after}`;
  return query.get(CURSOR) ?? '';
}
function setPosition(query: URLSearchParams, token: string): void {
  query.delete(CURSOR);
  query.delete(AFTER);
  if (token.startsWith('@')) query.set(AFTER, token.slice(1));
  else if (token !== '') query.set(CURSOR, token);
}
function backStack(query: URLSearchParams): string[] {
  const b = query.get(BACK);
  return b === null ? [] : b.split('.');
}

export function ListView<P extends ListPath>({
  path,
  caption,
  columns,
  filters = [],
  search,
  fixed,
  empty,
  rowKey,
  testId,
  defaultSort,
}: {
  path: P;
  caption: string;
  columns: readonly Column<ItemOf<P>, SortKeyOf<P>>[];
  filters?: readonly Filter[];
  /** The search box's label (bound to `q`); none: the list has no search. */
  search?: string;
  /** Query parameters always sent (a customer's invoices: customer_id). */
  fixed?: QueryOf<P>;
  /** What an empty list says when nothing is searched or filtered. */
  empty: string;
  rowKey: (row: ItemOf<P>) => string;
  testId?: string;
  /** The order when the URL names none (e.g. "-created": newest first), marked on its column like a chosen one. */
  defaultSort?: SortKeyOf<P> | `-${SortKeyOf<P>}`;
}) {
  const { t } = useI18n();
  const { path: here, query } = useLocation();
  const id = useId();
  const sort = query.get(SORT) ?? defaultSort ?? '';
  const q = query.get(SEARCH) ?? '';
  const filterValues = filters.map((f) => [f.param, query.get(f.param) ?? ''] as const);
  const position = positionOf(query);
  const back = backStack(query);
  const narrowed = q !== '' || filterValues.some(([, v]) => v !== '');

  /** The same page with some parameters changed; a change of sort, search or filter starts at page 1. */
  const go = (changes: Record<string, string>, options: { replace?: boolean; keepPage?: boolean } = {}) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === '') next.delete(k);
      else next.set(k, v);
    }
    if (options.keepPage !== true) {
      next.delete(CURSOR);
      next.delete(AFTER);
      next.delete(BACK);
    }
    const s = next.toString();
    navigate(s === '' ? here : `${here}?${s}`, { keepScroll: true, ...(options.replace === true ? { replace: true } : {}) });
  };

  // the search box shows what is typed at once; the URL (and the request) follows after a pause
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  useEffect(() => {
    if (text === q) return;
    const timer = setTimeout(() => go({ [SEARCH]: text.trim() === '' ? '' : text }, { replace: true }), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // go reads the current URL each time; only the typed text starts a new wait
  }, [text]);

  const request: Record<string, unknown> = { ...(fixed ?? {}), limit: LIST_PAGE_SIZE };
  if (sort !== '') request.sort = sort;
  if (q !== '') request.q = q;
  for (const [k, v] of filterValues) if (v !== '') request[k] = v;
  if (position.startsWith('@')) request.starting_after = position.slice(1);
  else if (position !== '') request.cursor = position;
  const requestKey = JSON.stringify(request);
  const [list, reload] = useLoad(
    // one path of a union: the generic `api.get` cannot relate P's query to P, the props above do
    (signal) => api.get(path as '/v1/customers', { query: request as QueryOf<'/v1/customers'>, signal }) as unknown as Promise<{ data: ItemOf<P>[]; has_more: boolean; next_cursor?: string | null }>,
    [path, requestKey],
  );

  const sortBy = (key: string) => go({ [SORT]: sort === key ? `-${key}` : key });
  const ariaSort = (key: string | undefined) => (key === undefined ? undefined : sort === key ? 'ascending' : sort === `-${key}` ? 'descending' : 'none');

  return (
    <>
      {(search !== undefined || filters.length > 0) && (
        <form className="list-filters" role="search" onSubmit={(e) => { e.preventDefault(); go({ [SEARCH]: text.trim() === '' ? '' : text }); }}>
          {search !== undefined && (
            <div className="field">
              <label htmlFor={`${id}-q`}>{search}</label>
              <input id={`${id}-q`} type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
            </div>
          )}
          {filters.map((f) => (
            <div className="field" key={f.param}>
              <label htmlFor={`${id}-${f.param}`}>{f.label}</label>
              <select id={`${id}-${f.param}`} value={query.get(f.param) ?? ''} onChange={(e) => go({ [f.param]: e.target.value })}>
                <option value="">{t('list.all')}</option>
                {f.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
              </select>
            </div>
          ))}
        </form>
      )}
      <Loaded value={list} retry={reload}>
        {(l) =>
          l.data.length === 0 && back.length === 0 ? (
            <Empty>{narrowed ? t('list.noMatch') : empty}</Empty>
          ) : (
            <>
              <table className="table" {...(testId !== undefined ? { 'data-testid': testId } : {})}>
                <caption className="visually-hidden">{caption}</caption>
                <thead>
                  <tr>
                    {columns.map((c) => (
                      <th key={c.header} scope="col" className={c.numeric === true ? 'num' : undefined} aria-sort={ariaSort(c.sort as string | undefined)}>
                        {c.sort === undefined ? c.header : (
                          <button type="button" className="sort" onClick={() => sortBy(c.sort as string)}>
                            {c.header}
                            <span aria-hidden="true">{sort === c.sort ? ' ▲' : sort === `-${c.sort}` ? ' ▼' : ''}</span>
                          </button>
                        )}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {l.data.map((row) => (
                    <tr key={rowKey(row)}>
                      {columns.map((c) => <td key={c.header} className={c.numeric === true ? 'num' : undefined}>{c.cell(row)}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                page={back.length + 1}
                hasMore={l.has_more}
                onPrevious={() => {
                  const next = new URLSearchParams(query);
                  setPosition(next, back[back.length - 1] ?? '');
                  if (back.length <= 1) next.delete(BACK);
                  else next.set(BACK, back.slice(0, -1).join('.'));
                  const s = next.toString();
                  navigate(s === '' ? here : `${here}?${s}`, { keepScroll: true });
                }}
                onNext={() => {
                  const last = l.data[l.data.length - 1];
                  const token = l.next_cursor ?? (last === undefined ? null : `@${rowKey(last)}`);
                  if (token === null) return;
                  const next = new URLSearchParams(query);
                  setPosition(next, token);
                  next.set(BACK, [...back, position].join('.'));
                  navigate(`${here}?${next.toString()}`, { keepScroll: true });
                }}
              />
            </>
          )
        }
      </Loaded>
    </>
  );
}
