import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, apiUrl, fillPath, newIdempotencyKey, onSessionEnded, setCsrfToken } from './client';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function mockFetch(status: number, body: unknown) {
  const fn = vi.fn(async (_url: string, _init: RequestInit) => new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  vi.stubGlobal('fetch', fn);
  return fn;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  onSessionEnded(null);
});

describe('api client', () => {
  it('fills path parameters URL-encoded and leaves undefined query values out', () => {
    expect(fillPath('/v1/customers/{id}/balance', { id: 'cus_1/../x' })).toBe('/v1/customers/cus_1%2F..%2Fx/balance');
    expect(() => fillPath('/v1/customers/{id}', {})).toThrow(/Missing path parameter id/);
    expect(apiUrl('/v1/invoices', undefined, { customer_id: 'cus_1', starting_after: undefined, limit: 25 })).toBe('/v1/invoices?customer_id=cus_1&limit=25');
  });

  it('sends a write with the session cookie, the CSRF token and a fresh Idempotency-Key', async () => {
    const fetch = mockFetch(201, { id: 'cus_1' });
    setCsrfToken('csrf-abc');
    await api.post('/v1/customers', { body: { name: 'A', country: 'SE', currency: 'SEK' } });
    await api.post('/v1/customers', { body: { name: 'A', country: 'SE', currency: 'SEK' } });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('/v1/customers');
    expect(init?.method).toBe('POST');
    expect(init?.credentials).toBe('same-origin');
    expect(init?.body).toBe('{"name":"A","country":"SE","currency":"SEK"}');
    const headers = init?.headers as Record<string, string>;
    expect(headers['x-csrf-token']).toBe('csrf-abc');
    expect(headers['content-type']).toBe('application/json');
    expect(headers['idempotency-key']).toMatch(UUID_V4);
    expect((fetch.mock.calls[1]?.[1]?.headers as Record<string, string>)['idempotency-key']).not.toBe(headers['idempotency-key']);
  });

  it('sends a read with neither CSRF token nor Idempotency-Key', async () => {
    const fetch = mockFetch(200, { object: 'list', data: [], has_more: false });
    setCsrfToken('csrf-abc');
    const list = await api.get('/v1/customers', { query: { limit: 10 } });
    expect(list).toEqual({ object: 'list', data: [], has_more: false });
    expect(fetch.mock.calls[0]?.[0]).toBe('/v1/customers?limit=10');
    expect(fetch.mock.calls[0]?.[1]?.headers).toEqual({ accept: 'application/json' });
  });

  it('turns the API\'s error body into an ApiError naming the field', async () => {
    mockFetch(400, { error: { type: 'invalid_request_error', code: 'validation_failed', message: 'Invalid country', param: 'country' } });
    const error = await api.post('/v1/customers', { body: { name: 'A', country: 'S', currency: 'SEK' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', message: 'Invalid country', param: 'country', type: 'invalid_request_error' });
  });

  it('reports an ended session (401) except for a failed login, and an unreachable server as network_error', async () => {
    const ended = vi.fn();
    onSessionEnded(ended);
    mockFetch(401, { error: { type: 'authentication_error', code: 'unauthenticated', message: 'Sign in again', param: null } });
    await expect(api.get('/v1/customers')).rejects.toMatchObject({ status: 401, message: 'Sign in again' });
    expect(ended).toHaveBeenCalledTimes(1);
    await expect(api.post('/v1/auth/login', { body: { email: 'a@b.se', password: 'x' } })).rejects.toMatchObject({ status: 401 });
    expect(ended).toHaveBeenCalledTimes(1);
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    await expect(api.get('/v1/customers')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('makes v4 UUIDs without crypto.randomUUID (plain http on the LAN is not a secure context)', () => {
    const real = globalThis.crypto;
    vi.stubGlobal('crypto', { getRandomValues: <T extends Uint8Array<ArrayBuffer>>(b: T) => real.getRandomValues(b) });
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    vi.unstubAllGlobals();
    expect(keys.size).toBe(50);
    for (const k of keys) expect(k).toMatch(UUID_V4);
  });
});
