/** Authentication, the public routes (health, OpenAPI, docs) and unknown routes. */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { buildServer } from '../../src/api/server.js';

const DOCUMENTED_PATHS = [
  '/v1/customers',
  '/v1/customers/{id}',
  '/v1/customers/{id}/balance',
  '/v1/products',
  '/v1/products/{id}',
  '/v1/quotes',
  '/v1/quotes/{id}',
  '/v1/quotes/{id}/send',
  '/v1/quotes/{id}/accept',
  '/v1/orders',
  '/v1/orders/{id}',
  '/v1/orders/{id}/confirm',
  '/v1/orders/{id}/deliveries',
  '/v1/deliveries/{id}',
  '/v1/deliveries/{id}/ship',
  '/v1/deliveries/{id}/deliver',
  '/v1/invoices',
  '/v1/invoices/{id}',
  '/v1/invoices/{id}/issue',
  '/v1/payments',
  '/v1/payments/{id}',
  '/v1/payments/{id}/apply',
  '/v1/ledger/trial-balance',
  '/v1/ledger/entries',
  '/v1/reports/aging',
];

describe.each(TEST_DATABASES)('API auth and docs [%s]', (kind) => {
  const t = useTestApp(kind);

  it('answers /health without a key', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('answers /health with 503 when the database does not', async () => {
    const broken = { ...t.deps, db: { ...t.deps.db, ping: async () => { throw new Error('connection refused'); } } };
    const server = await buildServer({ app: broken });
    try {
      const res = await server.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable', database: 'unavailable' });
    } finally {
      await server.close();
    }
  });

  it('refuses requests without a key, with an unknown key and with another scheme (401)', async () => {
    const cases: Record<string, string>[] = [{}, { authorization: 'Bearer q2c_notarealkeyatall' }, { authorization: `Basic ${t.apiKey}` }, { authorization: 'Bearer' }];
    for (const headers of cases) {
      const res = await t.server.inject({ method: 'GET', url: '/v1/customers', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.json()).toMatchObject({ error: { type: 'authentication_error', code: 'unauthenticated', param: 'Authorization' } });
    }
    const post = await t.server.inject({ method: 'POST', url: '/v1/customers', payload: { name: 'X', country: 'SE', currency: 'SEK' } });
    expect(post.statusCode).toBe(401);
  });

  it('accepts the key it was given', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ object: 'list', data: [], has_more: false });
  });

  it('answers unknown routes with 404 not_found', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/v1/nothing-here', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'not_found', param: null } });
  });

  it('publishes an OpenAPI 3 document generated from the route schemas', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      openapi: string;
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; security?: unknown[] }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of DOCUMENTED_PATHS) expect(Object.keys(doc.paths), path).toContain(path);
    expect(doc.paths['/v1/payments']?.['post']?.parameters?.map((p) => `${p.in}:${p.name}`)).toContain('header:idempotency-key');
    expect(doc.paths['/health']?.['get']?.security).toEqual([]);
    expect(doc.components.securitySchemes).toHaveProperty('apiKey');
    for (const name of ['Money', 'Customer', 'Quote', 'Order', 'Invoice', 'Payment', 'Error']) {
      expect(doc.components.schemas, name).toHaveProperty(name);
    }
    // money is a decimal string, never a JSON number
    expect(doc.components.schemas['Money']).toMatchObject({ properties: { amount: { type: 'string' } } });
  });

  it('serves the interactive docs at /docs', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(res.statusCode);
    const page = res.statusCode === 302 ? await t.server.inject({ method: 'GET', url: String(res.headers.location) }) : res;
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Swagger UI');
  });

  it('serves a page at / that points to the docs, without an API key', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('href="/docs"');
  });
});
