/**
 * Domain errors: every failure the domain and use cases can report has a code from this closed union.
 * The API maps each code to an HTTP status exhaustively (src/api/errors.ts), so adding a code here
 * fails the build until it is mapped.
 */
export const DOMAIN_ERROR_CODES = [
  // 400: input that is malformed or out of range (param names the field)
  'validation_failed',
  // 401 / 403
  'unauthenticated',
  'forbidden',
  // 429: too many requests from one client in a window (portal token guessing, login)
  'rate_limited',
  // 404
  'not_found',
  // 409: state conflicts
  'quote_not_draft',
  'quote_not_sent',
  'quote_has_no_lines',
  'quote_expired',
  'quote_approval_required',
  'quote_not_awaiting_approval',
  'order_not_confirmable',
  'order_not_confirmed',
  'order_not_on_hold',
  'order_not_amendable',
  'insufficient_stock',
  'claim_not_open',
  'review_window_closed',
  'delivery_not_shippable',
  'delivery_not_deliverable',
  'quantity_exceeds_open',
  'nothing_to_invoice',
  'invoice_not_draft',
  'invoice_not_issued',
  'payment_nothing_to_apply',
  'payment_not_matched',
  'idempotency_request_in_progress',
  'immutable_record',
  'period_locked',
  'conflict',
  // 422: well-formed but semantically unacceptable
  'idempotency_key_reused',
  'currency_mismatch',
  'exchange_rate_missing',
  'unprocessable',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** The input field at fault, as a dotted path (`lines.0.quantity`), where there is one. */
    readonly param?: string,
  ) {
    super(message);
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export function assertUnreachable(value: never): never {
  throw new Error(`unreachable: ${String(value)}`);
}

export const notFound = (entity: string, id: string, param?: string): DomainError =>
  new DomainError('not_found', `No ${entity} with id '${id}'`, param);

export const invalid = (param: string, message: string): DomainError =>
  new DomainError('validation_failed', message, param);
