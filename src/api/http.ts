/** Shared pieces of the route files: the typed Fastify instance, path ids, pagination, common schemas. */
import type {
  FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isLocalDate } from '../core/shared/dates.js';
import { invalid, notFound } from '../core/shared/errors.js';
import { isId, parseId, type CustomerId, type Id, type IdKind } from '../core/shared/ids.js';
import type { ListPosition, Page, Store } from '../app/ports.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './command.js';
import { ErrorJson } from './serialize.js';

export type Api = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export const IdParams = z.object({ id: z.string().max(100) });

/**
 * An id taken from the URL. A malformed id names nothing, so it is a 404 like an unknown one: the
 * path is the resource's name, not an input field to correct.
 */
export function pathId<K extends IdKind>(kind: K, value: string, entity: string): Id<K> {
  if (!isId(kind, value)) throw notFound(entity, value);
  return value;
}

export const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(MAX_IDEMPOTENCY_KEY_LENGTH)
    .optional()
    .describe('Makes a retry safe: the first response for a key is stored and replayed; the same key with another request is refused'),
});

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 100;

export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).default(DEFAULT_PAGE_LIMIT),
  starting_after: z.string().max(100).optional().describe('The id of the last object of the previous page'),
};
export const PageQuery = z.strictObject(pageQueryShape);

export function pageOf<K extends IdKind>(kind: K, q: { limit: number; starting_after?: string | undefined }): Page {
  return {
    limit: q.limit,
    startingAfter: q.starting_after === undefined ? undefined : parseId(kind, q.starting_after, 'starting_after'),
  };
}

/**
 * The query of a sortable list: `pageQueryShape` plus `sort` (one of `keys`, `-key` for descending;
 * absent = the default order, oldest first by id) and `cursor` (a page's `next_cursor`). A cursor
 * works in every sort; `starting_after` only in the default order, as before.
 */
export function listQueryShape<const K extends string>(keys: readonly K[]) {
  const sorts = keys.flatMap((k) => [k, `-${k}`] as const);
  return {
    ...pageQueryShape,
    starting_after: pageQueryShape.starting_after.describe('The id of the last object of the previous page; default order only (use cursor with sort)'),
    sort: z
      .enum(sorts as [K | `-${K}`, ...(K | `-${K}`)[]])
      .optional()
      .describe('Order of the list, "-" for descending; ties are broken by id. Default: oldest first (by id)'),
    cursor: z.string().max(1000).optional().describe('next_cursor of the previous page, with the same sort'),
  };
}

/** A sortable list's Page: sort, keyset position from the cursor, or starting_after (default order). */
export function pageOfList<K extends IdKind>(
  kind: K,
  q: { limit: number; starting_after?: string | undefined; sort?: string | undefined; cursor?: string | undefined },
): Page {
  const sortName = q.sort ?? '';
  const sort = q.sort === undefined ? undefined : { key: q.sort.replace(/^-/, ''), desc: q.sort.startsWith('-') };
  if (q.starting_after !== undefined && q.cursor !== undefined) throw invalid('cursor', 'Give cursor or starting_after, not both');
  if (q.starting_after !== undefined && sort !== undefined) {
    throw invalid('starting_after', 'starting_after pages only the default order; with sort, pass the previous page\'s next_cursor as cursor');
  }
  const page: Page = { limit: q.limit, sort };
  if (q.starting_after !== undefined) page.startingAfter = parseId(kind, q.starting_after, 'starting_after');
  if (q.cursor !== undefined) page.after = decodeCursor(kind, q.cursor, sortName);
  return page;
}

function decodeCursor(kind: IdKind, cursor: string, sortName: string): ListPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid('cursor', 'cursor is not a cursor this API made; pass next_cursor unchanged');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid('cursor', 'cursor is not a cursor this API made; pass next_cursor unchanged');
  const [sort, value, id] = parsed as unknown[];
  if (typeof sort !== 'string' || (value !== null && typeof value !== 'string') || typeof id !== 'string' || !isId(kind, id)) {
    throw invalid('cursor', 'cursor is not a cursor of this list; pass next_cursor unchanged');
  }
  if (sort !== sortName) throw invalid('cursor', `cursor was made for sort "${sort || '(default)'}", not "${sortName || '(default)'}"`);
  return { value, id };
}

/** `status=a,b`: one or several of `values`, comma-separated; 400 naming `param` for any other. */
export function statusListOf<const V extends string>(values: readonly V[], text: string | undefined, param = 'status'): V[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(',').map((p) => p.trim());
  for (const p of parts) {
    if (!(values as readonly string[]).includes(p)) throw invalid(param, `${param} must be one or several (comma-separated) of ${values.join(', ')}; got "${p}"`);
  }
  return [...new Set(parts)] as V[];
}

/**
 * The customer names of a page's rows, read in one query (the web app showed each row's customer by
 * fetching it separately); null for a customer that is not there.
 */
export async function customerNamesOf(s: Store, rows: readonly { customerId: CustomerId }[]): Promise<(id: CustomerId) => string | null> {
  const names = await s.customers.namesOf(rows.map((r) => r.customerId));
  return (id) => names.get(id) ?? null;
}

/** Query flags are strings on the wire: "true" / "false". */
export const QueryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

export const DateInput = z.string().refine(isLocalDate, { message: 'must be a calendar date formatted YYYY-MM-DD' }).meta({ format: 'date' });

export const DecimalInput = z.string().max(64).describe('Exact decimal as a string, e.g. "2.5"');

export const MoneyInput = z.strictObject({
  amount: z.string().max(64).describe('Decimal string in major units, at most the currency\'s decimals, e.g. "1250.00"'),
  currency: z.string().max(3).describe('ISO 4217 code, e.g. "SEK"'),
});

/** Error responses for the OpenAPI document and the serializer. */
export const errorResponses = { '4xx': ErrorJson, '5xx': ErrorJson } as const;

/** Nullable optional text fields: absent and null both mean "none". */
export const optionalText = (max: number) => z.string().max(max).nullish();
