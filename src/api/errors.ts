/**
 * Errors over HTTP. Every domain error code maps to one status and one error type, by an exhaustive
 * table: a new code in core fails the build here until it is mapped. Bodies look like
 * Stripe's: `{ "error": { "type", "code", "message", "param" } }`, with `param` null when no single
 * input field is at fault.
 */
import { DomainError, assertUnreachable, type DomainErrorCode } from '../core/shared/errors.js';
import type { StoredResponse } from '../app/shared/run.js';

export type ErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'state_error' | 'idempotency_error' | 'api_error';

/** The error codes of the API: the domain's plus `api_error` for failures the client cannot fix. */
export type ApiErrorCode = DomainErrorCode | 'api_error';

export interface ErrorBody {
  error: {
    type: ErrorType;
    code: ApiErrorCode;
    message: string;
    param: string | null;
  };
}

const STATE: { status: 409; type: 'state_error' } = { status: 409, type: 'state_error' };

/**
 * One row per domain error code. The mapped type makes the table exhaustive: a code added in core
 * without a row here fails the build, just as a switch ending in assertUnreachable would.
 */
const CODE_HTTP: { readonly [C in DomainErrorCode]: { readonly status: number; readonly type: ErrorType } } = {
  validation_failed: { status: 400, type: 'invalid_request_error' },
  unauthenticated: { status: 401, type: 'authentication_error' },
  forbidden: { status: 403, type: 'permission_error' },
  rate_limited: { status: 429, type: 'invalid_request_error' },
  not_found: { status: 404, type: 'invalid_request_error' },
  quote_not_draft: STATE,
  quote_not_sent: STATE,
  quote_has_no_lines: STATE,
  quote_expired: STATE,
  quote_approval_required: STATE,
  quote_not_awaiting_approval: STATE,
  order_not_confirmable: STATE,
  order_not_confirmed: STATE,
  order_not_on_hold: STATE,
  order_not_amendable: STATE,
  insufficient_stock: STATE,
  claim_not_open: STATE,
  review_window_closed: STATE,
  delivery_not_shippable: STATE,
  delivery_not_deliverable: STATE,
  quantity_exceeds_open: STATE,
  nothing_to_invoice: STATE,
  invoice_not_draft: STATE,
  invoice_not_issued: STATE,
  payment_nothing_to_apply: STATE,
  payment_not_matched: STATE,
  immutable_record: STATE,
  period_locked: STATE,
  conflict: STATE,
  idempotency_request_in_progress: { status: 409, type: 'idempotency_error' },
  idempotency_key_reused: { status: 422, type: 'idempotency_error' },
  currency_mismatch: { status: 422, type: 'invalid_request_error' },
  exchange_rate_missing: { status: 422, type: 'invalid_request_error' },
  unprocessable: { status: 422, type: 'invalid_request_error' },
};

function httpFor(code: DomainErrorCode): { status: number; type: ErrorType } {
  const row = CODE_HTTP[code] as { status: number; type: ErrorType } | undefined;
  // unreachable for typed callers; guards a code that arrives untyped (e.g. from stored JSON)
  if (row === undefined) return assertUnreachable(code as never);
  return row;
}

export const statusForCode = (code: DomainErrorCode): number => httpFor(code).status;

export const typeForCode = (code: DomainErrorCode): ErrorType => httpFor(code).type;

export function errorBody(code: DomainErrorCode, message: string, param?: string | null): ErrorBody {
  return { error: { type: typeForCode(code), code, message, param: param ?? null } };
}

/** Validation messages from core say what is wrong ("must have at most 2 decimals"); the field goes in front. */
function messageNamingParam(error: DomainError): string {
  const param = error.param;
  if (error.code !== 'validation_failed' || param === undefined || error.message.startsWith(`${param} `) || error.message.startsWith(`${param}:`)) {
    return error.message;
  }
  return `${param} ${error.message}`;
}

export function domainErrorResponse(error: DomainError): StoredResponse {
  return { status: statusForCode(error.code), body: errorBody(error.code, messageNamingParam(error), error.param) };
}

export const internalErrorBody = (): ErrorBody => ({
  error: { type: 'api_error', code: 'api_error', message: 'An unexpected error occurred; it has been logged.', param: null },
});

/**
 * Errors the database raises on its own (the last line of defence behind the use cases), recognised by
 * SQLSTATE (PostgreSQL and PGlite both expose `code`) or by q2c's trigger message. Returns a
 * DomainError for the ones a client can act on, undefined for anything else.
 */
export function databaseErrorToDomain(error: unknown): DomainError | undefined {
  if (!(error instanceof Error)) return undefined;
  const sqlState = (error as { code?: unknown }).code;
  if (/^q2c: .* immutable/.test(error.message)) {
    return new DomainError(
      'immutable_record',
      'Issued invoices, posted journal entries and sent quote versions cannot be changed; correct them with new records (a credit note, a reversal, a new quote version)',
    );
  }
  if (/^q2c: period locked/.test(error.message) || /^q2c: closed periods stay closed/.test(error.message)) {
    return new DomainError('period_locked', error.message.replace(/^q2c: /, ''));
  }
  switch (sqlState) {
    case '23505': {
      const constraint = String((error as { constraint?: unknown }).constraint ?? '');
      const param = /_sku_/.test(constraint) || constraint.endsWith('_sku_key') ? 'sku' : undefined;
      return new DomainError('conflict', param ? `A record with this ${param} already exists` : 'A record with the same unique values already exists', param);
    }
    case '40001':
    case '40P01':
      return new DomainError('conflict', 'The request conflicted with a concurrent change; retry it');
    default:
      return undefined;
  }
}

/** For runCommand: domain errors become the stored (and replayed) response; anything else is not stored. */
export function errorToStoredResponse(error: unknown): StoredResponse | undefined {
  if (!(error instanceof DomainError)) return undefined;
  // A transient conflict or a busy key says "retry": storing it would make the retry fail forever.
  if (error.code === 'conflict' || error.code === 'idempotency_request_in_progress') return undefined;
  return domainErrorResponse(error);
}
