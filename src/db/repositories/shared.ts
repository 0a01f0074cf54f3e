/**
 * Helpers shared by the repositories: the executor type, pagination, JSON text for jsonb columns,
 * decimal columns, generated ids and PostgreSQL error translation.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { fromDb, toDb, type Decimal4 } from '../../core/money/quantity.js';
import { DomainError, invalid } from '../../core/shared/errors.js';
import type { Page, PageResult } from '../../app/ports.js';
import type { DB } from '../schema.js';

/** The caller's transaction or the autocommit Kysely instance (a Transaction is a Kysely). */
export type Executor = Kysely<DB>;

/** Largest page a repository hands out; the API enforces its own, smaller limit. */
export const MAX_PAGE_LIMIT = 1000;

export function pageLimit(page: Page): number {
  if (!Number.isInteger(page.limit) || page.limit < 1 || page.limit > MAX_PAGE_LIMIT) {
    throw invalid('limit', `limit must be an integer between 1 and ${MAX_PAGE_LIMIT}`);
  }
  return page.limit;
}

/** Rows fetched with limit + 1 → the page and whether more follow. */
export function toPage<R, T>(rows: R[], limit: number, map: (r: R) => T): PageResult<T> {
  return { data: rows.slice(0, limit).map(map), hasMore: rows.length > limit };
}

/** JSON text for a jsonb parameter; bigint values become decimal strings (JSON has no bigint). */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  // JSON.stringify(undefined) is undefined: store JSON null rather than failing obscurely.
  return text ?? 'null';
}

export const dec = (s: string): Decimal4 => fromDb(s);
export const decText = (d: Decimal4): string => toDb(d);

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * `aud_`/`evt_`/`whd_` ids made here (the records carry none): 10 chars of millisecond time and 16 random
 * chars in lowercase Crockford base32, so they sort roughly by creation time like the app's ids.
 */
export function generatedId(prefix: 'aud' | 'evt' | 'whd', now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ID_ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = Array.from(randomBytes(16), (b) => ID_ALPHABET[b % 32]).join('');
  return `${prefix}_${time}${random}`;
}

interface PgError {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
}

export function pgErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as PgError).code;
  return typeof code === 'string' ? code : undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const c = (error as PgError).constraint;
  return typeof c === 'string' ? c : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const CHECK_VIOLATION = '23514';

/**
 * A unique violation becomes DomainError('conflict') naming the constraint; any other error is
 * returned unchanged (for the caller to rethrow).
 */
/** Unique constraints that users can hit with their own input: the field at fault and what to say. */
const USER_FACING_UNIQUES: Record<string, { param: string; message: string }> = {
  products_tenant_id_sku_key: { param: 'sku', message: 'A product with this sku already exists' },
};

export function translateUniqueViolation(error: unknown, what: string): unknown {
  if (pgErrorCode(error) === UNIQUE_VIOLATION) {
    const constraint = pgConstraint(error) ?? 'a unique constraint';
    const known = USER_FACING_UNIQUES[constraint];
    if (known) return new DomainError('conflict', known.message, known.param);
    return new DomainError('conflict', `Conflict: ${what} would duplicate an existing record (unique constraint ${constraint}).`);
  }
  return error;
}

/** Runs an insert, translating a unique violation into DomainError('conflict'). `what` names the record. */
export async function guardInsert<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateUniqueViolation(error, `inserting ${what}`);
  }
}

/** Groups child rows by their parent id, keeping their (already sorted) order. */
export function groupBy<R>(rows: R[], key: (r: R) => string): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * Rows per multi-row INSERT. PostgreSQL allows at most 65 535 bind parameters in one statement; at
 * ~30 columns a row, 1 000 rows stay well below it, so documents of any length insert in chunks.
 */
export const INSERT_CHUNK_ROWS = 1_000;

/** `rows` in consecutive chunks of at most `size` (none for no rows). */
export function chunked<T>(rows: readonly T[], size = INSERT_CHUNK_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
