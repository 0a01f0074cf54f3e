/**
 * Bearer-key authentication. Every route needs `Authorization: Bearer <key>` except the health check
 * and the API documentation. The key resolves to a principal (tenant + key id); the key id is the
 * actor written to audit rows.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../core/shared/errors.js';
import { authenticate, type Principal } from '../app/platform/api-keys.js';
import type { Actor, AppDeps } from '../app/shared/env.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const PUBLIC_PATHS = new Set(['/', '/health', '/openapi.json']);

export function isPublicRoute(routeUrl: string | undefined): boolean {
  if (routeUrl === undefined) return true; // no route matched: the 404 handler answers, nothing to protect
  // /portal/…: the customer portal, where the token in the path is the credential (routes/portal.ts)
  return PUBLIC_PATHS.has(routeUrl) || routeUrl === '/docs' || routeUrl.startsWith('/docs/') || routeUrl.startsWith('/portal/');
}

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m?.[1];
}

export function registerAuth(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    if (isPublicRoute(req.routeOptions.url)) return;
    const header = req.headers.authorization;
    if (header !== undefined && bearerToken(header) === undefined) {
      throw new DomainError('unauthenticated', 'The Authorization header must be "Bearer <key>"', 'Authorization');
    }
    const token = bearerToken(header);
    try {
      req.principal = await authenticate(deps.db, deps.clock, token);
    } catch (error) {
      // who tried what, never the key: its first characters are enough to recognise it
      req.log.warn({ path: req.routeOptions.url, method: req.method, keyPrefix: token === undefined ? null : `${token.slice(0, 8)}…`, ip: req.ip }, 'authentication failed');
      throw error;
    }
  });
}

/** The authenticated principal of a protected route (the onRequest hook has run). */
export function principalOf(req: FastifyRequest): Principal {
  if (req.principal === null) throw new DomainError('unauthenticated', 'Send an API key as "Authorization: Bearer <key>"', 'Authorization');
  return req.principal;
}

export function actorOf(req: FastifyRequest): Actor {
  const p = principalOf(req);
  return { tenantId: p.tenantId, actorId: p.apiKeyId, role: p.role };
}
