/**
 * The web app (web/, built by `npm run build:web` into web/dist) served at `/`. Files under web/dist
 * are served as they are (the hashed ones under /assets/ cached for a year); any other GET path that is
 * not the API's (/v1, /portal, /docs, /openapi.json, /health) answers with index.html, so a reload or a
 * shared link to /customers/cus_… opens the app on that page. The routes are hidden from the OpenAPI
 * document and need no credential (auth.ts: isUndocumentedPublicRoute): they serve the same public
 * files to everyone, and the app signs in through /v1/auth.
 *
 * Without a build (a checkout where nobody ran `npm start` or `npm run build:web`) `/` says how to
 * build it and where the API documentation is, and every other unknown path is a plain 404.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `npm run build:web` writes the app. */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** The route that answers every app path; auth.ts lists it among the undocumented public routes. */
export const WEB_FALLBACK_ROUTE = '/*';

/** Paths the API owns: an unknown one is the API's JSON 404, never the app's page. */
const API_PREFIXES = ['v1', 'portal', 'docs', 'openapi.json', 'health'];

const NOT_BUILT_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>q2c</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">' +
  '<h1>q2c</h1><p>The quote-to-cash API is running. The web app is not built: run <code>npm run build:web</code> (<code>npm start</code> does it).</p><ul>' +
  '<li><a href="/docs">API documentation</a></li><li><a href="/openapi.json">OpenAPI document</a></li>' +
  '<li><a href="/health">Health</a></li></ul><p>Send <code>Authorization: Bearer &lt;api key&gt;</code> to <code>/v1/…</code>.</p></body></html>';

export async function registerWebApp(app: FastifyInstance, options: { root?: string } = {}): Promise<void> {
  const root = resolve(options.root ?? WEB_DIST);
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
    return;
  }
  // reply.sendFile only: the routes below decide what is a file and what is an app path
  await app.register(fastifyStatic, { root, serve: false });

  const sendIndex = (reply: FastifyReply) =>
    // always revalidated: it names the current build's hashed assets
    reply.header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });

  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));
  app.get(WEB_FALLBACK_ROUTE, { schema: { hide: true } }, async (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    const first = rest.split('/')[0] ?? '';
    if (API_PREFIXES.includes(first)) return reply.callNotFound();
    const last = rest.split('/').pop() ?? '';
    if (!last.includes('.')) return sendIndex(reply);
    // something that looks like a file: that file or a 404 (never index.html as a script)
    const file = resolve(root, rest);
    if (!file.startsWith(root + sep) || !isFile(file)) return reply.callNotFound();
    const hashed = rest.startsWith('assets/');
    reply.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    return reply.sendFile(rest, root, { cacheControl: false });
  });
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
