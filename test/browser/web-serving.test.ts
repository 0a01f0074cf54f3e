/**
 * The server's side of the web app (src/api/web.ts): files of the build, index.html for app paths,
 * the API's own 404 for API paths, and a page saying how to build when there is no build.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.js';
import { useTestApp } from '../support/app.js';
import { TEST_DATABASES } from '../support/databases.js';

const INDEX = '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head><body><div id="root"></div><noscript><a href="/docs">API</a></noscript></body></html>';

function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'q2c-web-fake-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("app")');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe.each(TEST_DATABASES)('web app serving [%s]', (kind) => {
  const t = useTestApp(kind);
  let server: FastifyInstance;
  let unbuilt: FastifyInstance;
  beforeAll(async () => {
    server = await buildServer({ app: t.deps, webRoot: fakeBuild() });
    unbuilt = await buildServer({ app: t.deps, webRoot: join(tmpdir(), 'q2c-web-does-not-exist') });
  });
  afterAll(async () => {
    await server?.close();
    await unbuilt?.close();
  });

  it('serves index.html at / and at every app path, without a credential and never cached stale', async () => {
    for (const url of ['/', '/customers', '/customers/cus_123', '/quotes?after=qte_1', '/settings/users']) {
      const res = await server.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body, url).toBe(INDEX);
    }
  });

  it('sends the Content-Security-Policy that lets the app run from this origin only, with no inline script', async () => {
    const res = await server.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('serves built files as they are, hashed assets cached for a year', async () => {
    const js = await server.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.body).toBe('console.log("app")');
    const icon = await server.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toContain('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing file and a path outside the build with the JSON 404, never index.html', async () => {
    for (const url of ['/assets/missing.js', '/robots.txt', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json']) {
      const res = await server.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('not_found');
    }
  });

  it('leaves the API its own paths: unknown /v1 and /portal paths are the API\'s 404, the docs and health still answer', async () => {
    const v1 = await server.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(v1.statusCode).toBe(404);
    expect(v1.json()).toMatchObject({ error: { code: 'not_found', message: 'No route GET /v1/nothing-here' } });
    expect((await server.inject({ method: 'GET', url: '/v1' })).statusCode).toBe(404);
    const portal = await server.inject({ method: 'GET', url: '/portal/nothing/here/at/all' });
    expect(portal.statusCode).toBe(404);
    expect(portal.body).not.toBe(INDEX);
    expect((await server.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok', database: 'ok' });
    expect((await server.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    // the API still wants a credential: the app's public routes open nothing else
    expect((await server.inject({ method: 'GET', url: '/v1/customers' })).statusCode).toBe(401);
    // only GET: a write to an app path is the API's 404
    const post = await server.inject({ method: 'POST', url: '/customers', payload: {} });
    expect(post.statusCode).toBe(404);
    expect(post.json().error.code).toBe('not_found');
  });

  it('keeps the app\'s routes out of the OpenAPI document', async () => {
    const doc = (await server.inject({ method: 'GET', url: '/openapi.json' })).json();
    const paths = Object.keys(doc.paths);
    expect(paths).not.toContain('/');
    expect(paths).not.toContain('/*');
    expect(paths.every((p: string) => p.startsWith('/v1/') || p.startsWith('/portal/') || p === '/health')).toBe(true);
  });

  it('says how to build the app when there is no build, and 404s other paths', async () => {
    const root = await unbuilt.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('npm run build:web');
    expect(root.body).toContain('href="/docs"');
    expect((await unbuilt.inject({ method: 'GET', url: '/customers' })).statusCode).toBe(404);
  });
});
