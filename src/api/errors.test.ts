import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, DomainError } from '../core/shared/errors.js';
import { errorToStoredResponse, statusForCode, typeForCode } from './errors.js';

describe('error code mapping', () => {
  it('maps every domain error code to a 4xx status and a type', () => {
    for (const code of DOMAIN_ERROR_CODES) {
      const status = statusForCode(code);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThan(500);
      expect(typeForCode(code), code).toMatch(/_error$/);
    }
  });

  it('uses the statuses the API promises', () => {
    expect(statusForCode('validation_failed')).toBe(400);
    expect(statusForCode('unauthenticated')).toBe(401);
    expect(statusForCode('not_found')).toBe(404);
    expect(statusForCode('quote_not_sent')).toBe(409);
    expect(statusForCode('idempotency_request_in_progress')).toBe(409);
    expect(statusForCode('idempotency_key_reused')).toBe(422);
    expect(typeForCode('idempotency_key_reused')).toBe('idempotency_error');
    expect(typeForCode('quantity_exceeds_open')).toBe('state_error');
  });

  it('stores domain errors for idempotent replay, but not transient ones or crashes', () => {
    expect(errorToStoredResponse(new DomainError('quote_not_sent', 'x'))).toEqual({
      status: 409,
      body: { error: { type: 'state_error', code: 'quote_not_sent', message: 'x', param: null } },
    });
    expect(errorToStoredResponse(new DomainError('conflict', 'retry'))).toBeUndefined();
    expect(errorToStoredResponse(new Error('boom'))).toBeUndefined();
  });
});
