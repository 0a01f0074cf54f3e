/**
 * Authorisation at the HTTP edge (decision 0016): every route has an entry in ROUTE_PERMISSIONS or
 * the server does not start, and a request whose principal lacks the route's permission is refused
 * (403) before its body is read or validated, so a refused call never reaches a use case, never
 * claims an Idempotency-Key and writes nothing. The app layer checks the same permission again in
 * its command and query runners (command.ts passes it on).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from '../core/shared/errors.js';
import { authorize, type Permission } from '../app/shared/permissions.js';
import { actorOf, isPublicRoute, isUndocumentedPublicRoute, principalOf } from './auth.js';
import { routeAccess, routeKey } from './route-permissions.js';

/** Installs the start-up check (call before any route is added) and the per-request check (after auth). */
export function registerAuthorization(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS' || isUndocumentedPublicRoute(route.url)) continue;
      if (routeAccess(method, route.url) === undefined) {
        throw new Error(`${routeKey(method, route.url)} has no entry in ROUTE_PERMISSIONS (src/api/route-permissions.ts): decide who may call it`);
      }
    }
  });
  app.addHook('onRequest', async (req) => {
    if (isPublicRoute(req.routeOptions.url, req.method)) return;
    const access = accessOf(req);
    if (access === 'platform') {
      if (!principalOf(req).platformAdmin) throw new DomainError('forbidden', 'Only a platform administrator may manage tenants');
      return;
    }
    authorize(actorOf(req), access);
  });
}

function accessOf(req: FastifyRequest) {
  const url = req.routeOptions.url;
  const access = url === undefined ? undefined : routeAccess(req.method === 'HEAD' ? 'GET' : req.method, url);
  if (access === undefined || access === 'public') throw new Error(`no permission for ${req.method} ${url ?? '?'}`);
  return access;
}

/** The app-layer permission of the request's route, for the command and query runners. */
export function routePermission(req: FastifyRequest): Permission {
  const access = accessOf(req);
  // a platform route acts in the administrator's own tenant only for its idempotency record
  return access === 'platform' ? 'self' : access;
}
