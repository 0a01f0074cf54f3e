/**
 * Errors over HTTP. Every domain error code maps to one status and one error type, each by an
 * exhaustive switch: a new code in core fails the build here until it is mapped. Bodies look like
 * Stripe's: `{ "error": { "type", "code", "message", "param" } }`, with `param` null when no single
 * input field is at fault.
 */
import { DomainError, assertUnreachable, type DomainErrorCode } from '../core/shared/errors.js';
import type { StoredResponse } from '../app/shared/run.js';

export type ErrorType = 'invalid_request_error' | 'authentication_error' | 'state_error' | 'idempotency_error' | 'api_error';

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

export function statusForCode(code: DomainErrorCode): number {
  switch (code) {
    case 'validation_failed':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'quote_not_draft':
    case 'quote_not_sent':
    case 'quote_has_no_lines':
    case 'quote_expired':
    case 'order_not_confirmable':
    case 'order_not_confirmed':
    case 'delivery_not_shippable':
    case 'delivery_not_deliverable':
    case 'quantity_exceeds_open':
    case 'nothing_to_invoice':
    case 'invoice_not_draft':
    case 'invoice_not_issued':
    case 'payment_nothing_to_apply':
    case 'payment_not_matched':
    case 'idempotency_request_in_progress':
    case 'immutable_record':
    case 'conflict':
      return 409;
    case 'idempotency_key_reused':
    case 'currency_mismatch':
    case 'unprocessable':
      return 422;
    default:
      return assertUnreachable(code);
  }
}

export function typeForCode(code: DomainErrorCode): ErrorType {
  switch (code) {
    case 'validation_failed':
    case 'not_found':
    case 'currency_mismatch':
    case 'unprocessable':
      return 'invalid_request_error';
    case 'unauthenticated':
    case 'forbidden':
      return 'authentication_error';
    case 'quote_not_draft':
    case 'quote_not_sent':
    case 'quote_has_no_lines':
    case 'quote_expired':
    case 'order_not_confirmable':
    case 'order_not_confirmed':
    case 'delivery_not_shippable':
    case 'delivery_not_deliverable':
    case 'quantity_exceeds_open':
    case 'nothing_to_invoice':
    case 'invoice_not_draft':
    case 'invoice_not_issued':
    case 'payment_nothing_to_apply':
    case 'payment_not_matched':
    case 'immutable_record':
    case 'conflict':
      return 'state_error';
    case 'idempotency_request_in_progress':
    case 'idempotency_key_reused':
      return 'idempotency_error';
    default:
      return assertUnreachable(code);
  }
}

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
    return new DomainError('immutable_record', 'Issued invoices and posted journal entries cannot be changed; correct them with new records');
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
