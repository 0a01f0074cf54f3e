/**
 * Hardening (issue 8, part 6): security headers on every response, and a rate limit on the customer
 * portal, where a token in the URL is the only credential: a client guessing tokens gets 429 after
 * PORTAL_RATE_LIMIT requests a minute, while the API itself is not limited by it; a body above the
 * limit (1 MiB; bank files and claim photos have their own) is a 413 that writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { PORTAL_RATE_LIMIT } from '../../src/api/server.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';

describe.each(TEST_DATABASES.slice(0, 1))('hardening: headers and portal rate limit [%s]', (kind) => {
  const t = useTestApp(kind, { portalRateLimit: PORTAL_RATE_LIMIT });

  it('sends security headers', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const docs = await t.server.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBeLessThan(400);
  });

  it('refuses a body above the limit with 413, writing nothing', async () => {
    const before = (await t.kysely.selectFrom('customers').select('id').execute()).length;
    const res = await t.server.inject({
      method: 'POST',
      url: '/v1/customers',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(1_100_000), country: 'SE', currency: 'SEK' }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({ code: expect.any(String), message: expect.stringMatching(/large|limit/i) });
    expect((await t.kysely.selectFrom('customers').select('id').execute()).length).toBe(before);
  });

  it('slows down a client guessing portal tokens: 429 after the limit, naming the wait', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PORTAL_RATE_LIMIT; i++) {
      const res = await t.server.inject({ method: 'GET', url: `/portal/quotes/guess-${i}-${'x'.repeat(30)}` });
      statuses.push(res.statusCode);
    }
    expect(new Set(statuses)).toEqual(new Set([404]));
    const limited = await t.server.inject({ method: 'GET', url: '/portal/quotes/one-more-guess-xxxxxxxxxxxxxxxxxxxxxxx' });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toMatchObject({ code: 'rate_limited' });
    expect(limited.json().error.message).toMatch(/try again in \d+ s/);
    expect(limited.headers['retry-after']).toBeDefined();
    // another portal resource is limited too (per client, not per URL), the API is not
    expect((await t.server.inject({ method: 'GET', url: '/portal/orders/guess-yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy' })).statusCode).toBe(429);
    expect((await t.server.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: `Bearer ${t.apiKey}` } })).statusCode).toBe(200);
  });
});

describe.each(TEST_DATABASES.slice(0, 1))('hardening: the log never carries a credential [%s]', (kind) => {
  const lines: string[] = [];
  const t = useTestApp(kind, { logger: true, logStream: { write: (l: string) => void lines.push(l) } });

  it('redacts keys, portal tokens, passwords and secrets', async () => {
    const token = 'secret-portal-token-0123456789abcdefghij';
    await t.server.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: `Bearer ${t.apiKey}`, cookie: 'sid=session-cookie-value' } });
    await t.server.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: 'Bearer q2c_wrongwrongwrongwrongwrongwrongwr' } });
    await t.server.inject({ method: 'GET', url: `/portal/quotes/${token}` });
    t.server.log.warn({ password: 'hunter2hunter2', user: { token: 'tok-abcdef-123456', secret: 'whsec_abcdef' } }, 'login failed');
    // a failed authentication and a refused authorisation are logged, without the key
    const sales = (await t.server.inject({ method: 'POST', url: '/v1/api-keys', headers: { authorization: `Bearer ${t.apiKey}` }, payload: { name: 'Säljare', role: 'sales' } })).json().key as string;
    await t.server.inject({ method: 'PUT', url: '/v1/ledger/account-map', headers: { authorization: `Bearer ${sales}` }, payload: { account_map: {} } });
    const text = lines.join('\n');
    expect(text).toContain('login failed');
    const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'authentication failed');
    expect(failed.map((l) => l.keyPrefix)).toContain('q2c_wron…');
    const refused = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'authorisation refused');
    expect(refused).toMatchObject({ path: '/v1/ledger/account-map', method: 'PUT', role: 'sales' });
    expect(text).not.toContain(sales);
    expect(text).toContain('/portal/quotes/…');
    for (const secret of [t.apiKey, 'q2c_wrongwrongwrong', 'session-cookie-value', token, 'hunter2hunter2', 'tok-abcdef-123456', 'whsec_abcdef']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
