/**
 * Sorting and keyset pagination for the list queries, the same for every list: ORDER BY the sort's
 * expression then the id (the tie-break that makes the order total and stable), and a page starts
 * after the (value, id) of the previous page's last row. Done in SQL over (tenant_id, column, id)
 * indexes (migration 3050), never by loading rows and sorting them in JS; a keyset never skips or
 * repeats a row when rows are added between pages, which an OFFSET would.
 */
import { sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { invalid } from '../../core/shared/errors.js';
import type { ListPosition, Page, PageResult } from '../../app/ports.js';

/** How a list orders by one sort key. */
export interface SortColumn {
  /** The column (or expression) to order by, e.g. sql.ref('quotes.gross_total_minor'). */
  expr: RawBuilder<unknown>;
  /** Its SQL type: a cursor carries the value as text and casts it back for the comparison. */
  type: 'text' | 'bigint' | 'date' | 'timestamptz';
  /** Null values sort last ascending and first descending (PostgreSQL's default, so one index serves both). */
  nullable?: boolean;
}

export type SortColumns = Readonly<Record<string, SortColumn>>;

/** Text search: `%` and `_` in the user's text are literals, not wildcards. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Adds the ORDER BY, the keyset condition and a `sort_key` column (the sort value as text) to a list
 * query. `idColumn` is the row's id (qualified when the query joins). Limit is the caller's.
 */
export function keyset<DB, TB extends keyof DB, O>(
  q: SelectQueryBuilder<DB, TB, O>,
  page: Page,
  columns: SortColumns,
  idColumn: string,
): SelectQueryBuilder<DB, TB, O & { sort_key: string | null }> {
  const id = sql.ref(idColumn);
  const spec = page.sort === undefined ? undefined : columns[page.sort.key];
  if (page.sort !== undefined && spec === undefined) throw invalid('sort', `This list cannot be sorted by ${page.sort.key}`);
  const desc = page.sort?.desc ?? false;
  let out = q;
  if (page.startingAfter !== undefined) out = out.where(sql<SqlBool>`${id} > ${page.startingAfter}`);
  const after = page.after;
  if (after !== undefined) {
    if (spec === undefined) out = out.where(sql<SqlBool>`${id} > ${after.id}`);
    else out = out.where(afterCondition(spec, desc, after, id));
  }
  if (spec === undefined) {
    return out.select(sql<string | null>`null`.as('sort_key')).orderBy(id) as SelectQueryBuilder<DB, TB, O & { sort_key: string | null }>;
  }
  const dir = desc ? sql.raw('desc') : sql.raw('asc');
  return out
    .select(sql<string | null>`cast(${spec.expr} as text)`.as('sort_key'))
    .orderBy(sql`${spec.expr} ${dir}`)
    .orderBy(sql`${id} ${dir}`) as SelectQueryBuilder<DB, TB, O & { sort_key: string | null }>;
}

/** What a cursor's value must look like before it is cast (a forged one must not reach SQL as a 500). */
const VALUE_FORMATS: Record<SortColumn['type'], RegExp> = {
  text: /^[\s\S]*$/,
  bigint: /^-?\d{1,19}$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  timestamptz: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?)?$/,
};

/**
 * Rows after `after` in the order `expr [desc], id [desc]` with PostgreSQL's default null placement
 * (last ascending, first descending). The row comparison `(expr, id) > (v, id)` is what an index
 * on (tenant_id, expr, id) answers with one range scan.
 */
function afterCondition(spec: SortColumn, desc: boolean, after: ListPosition, id: RawBuilder<unknown>): RawBuilder<SqlBool> {
  const type = sql.raw(spec.type);
  const e = spec.expr;
  if (after.value === null) {
    if (!spec.nullable) throw invalid('cursor', 'The cursor does not belong to this list');
    // the nulls: last ascending (only nulls follow), first descending (then every non-null)
    return desc
      ? sql<SqlBool>`((${e} is null and ${id} < ${after.id}) or ${e} is not null)`
      : sql<SqlBool>`(${e} is null and ${id} > ${after.id})`;
  }
  if (!VALUE_FORMATS[spec.type].test(after.value)) throw invalid('cursor', 'The cursor does not belong to this list');
  const v = sql`cast(${after.value} as ${type})`;
  if (desc) return sql<SqlBool>`((${e}, ${id}) < (${v}, cast(${after.id} as text)))`;
  return spec.nullable
    ? sql<SqlBool>`((${e}, ${id}) > (${v}, cast(${after.id} as text)) or ${e} is null)`
    : sql<SqlBool>`((${e}, ${id}) > (${v}, cast(${after.id} as text)))`;
}

/** The page's keyset position for the next request: the last row's, when more rows follow. */
export function nextOf(rows: readonly { id: string; sort_key: string | null }[], limit: number, page: Page): PageResult<never>['next'] {
  if (rows.length <= limit) return null;
  const last = rows[limit - 1];
  if (last === undefined) return null;
  const sort = page.sort === undefined ? '' : `${page.sort.desc ? '-' : ''}${page.sort.key}`;
  return { sort, value: last.sort_key, id: last.id };
}

/** Rows fetched with limit + 1 → the page, whether more follow and where the next page starts. */
export function toKeysetPage<R extends { id: string; sort_key: string | null }, T>(rows: R[], limit: number, page: Page, map: (r: R) => T): PageResult<T> {
  return { data: rows.slice(0, limit).map(map), hasMore: rows.length > limit, next: nextOf(rows, limit, page) };
}
