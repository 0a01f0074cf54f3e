/**
 * Authentication. Every route needs a credential except the health check, the API documentation and
 * the routes marked 'public': `Authorization: Bearer <key>` (an API key; the key id is the actor of
 * audit rows) or, without that header, the `q2c_session` cookie of a signed-in user (the user id is
 * the actor), which for anything but GET/HEAD/OPTIONS also needs the session's X-CSRF-Token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../core/shared/errors.js';
import { authenticate, type Principal } from '../app/platform/api-keys.js';
import { authenticateSession, csrfTokenMatches } from '../app/platform/sessions.js';
import type { Actor, AppDeps } from '../app/shared/env.js';
import { routeAccess } from './route-permissions.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** The session cookie a login sets (routes/auth.ts). */
export const SESSION_COOKIE = 'q2c_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Hidden routes that need no credential: the web app (api/web.ts: `/` and its files), the API document and its viewer. */
const PUBLIC_PATHS = new Set(['/', '/*', '/openapi.json']);

/** Routes outside the API proper (not in the OpenAPI document, so not in the permission table). */
export function isUndocumentedPublicRoute(routeUrl: string): boolean {
  return PUBLIC_PATHS.has(routeUrl) || routeUrl === '/docs' || routeUrl.startsWith('/docs/');
}

export function isPublicRoute(routeUrl: string | undefined, method: string): boolean {
  if (routeUrl === undefined) return true; // no route matched: the 404 handler answers, nothing to protect
  // 'public' in the table: the health check, login and password reset, and the customer portal,
  // where the token in the path is the credential (routes/portal.ts)
  return isUndocumentedPublicRoute(routeUrl) || routeAccess(method === 'HEAD' ? 'GET' : method, routeUrl) === 'public';
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
    if (isPublicRoute(req.routeOptions.url, req.method)) return;
    const header = req.headers.authorization;
    // no Authorization header: a signed-in user's session cookie (a Bearer key always wins)
    const sessionToken = header === undefined ? req.cookies[SESSION_COOKIE] : undefined;
    if (sessionToken !== undefined && sessionToken !== '') {
      try {
        req.principal = (await authenticateSession(deps, sessionToken)).principal;
      } catch (error) {
        req.log.warn({ path: req.routeOptions.url, method: req.method, ip: req.ip }, 'session authentication failed');
        throw error;
      }
      // A browser sends the cookie with any request to this site, including one a hostile page makes
      // it send; only this site's own pages know the session's CSRF token, so anything that may change
      // data must carry it. Bearer keys are never sent automatically and need none.
      if (!SAFE_METHODS.has(req.method)) {
        const presented = req.headers[CSRF_HEADER];
        if (!csrfTokenMatches(deps.secrets.pepper, sessionToken, Array.isArray(presented) ? undefined : presented)) {
          req.log.warn({ path: req.routeOptions.url, method: req.method, ip: req.ip, userId: req.principal.userId }, 'CSRF token missing or wrong');
          throw new DomainError('forbidden', 'Send the session\'s CSRF token (csrf_token from the login or GET /v1/auth/session) in the X-CSRF-Token header', 'X-CSRF-Token');
        }
      }
      return;
    }
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
  return { tenantId: p.tenantId, actorId: p.actorId, role: p.role };
}
