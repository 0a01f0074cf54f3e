/** Shared pieces of the route files: the typed Fastify instance, path ids, pagination, common schemas. */
import type {
  FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isLocalDate } from '../core/shared/dates.js';
import { notFound } from '../core/shared/errors.js';
import { isId, parseId, type Id, type IdKind } from '../core/shared/ids.js';
import type { Page } from '../app/ports.js';
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
