/**
 * How handlers run use cases. A command (POST/PATCH) runs through runCommand: one transaction, and
 * with an Idempotency-Key the first response (status and body, domain errors included) is stored and
 * replayed. The request hash covers method, path (with its ids) and the canonical JSON body, so the
 * same key sent with another request is refused. Reads run in one transaction so what they combine
 * (an invoice and its open item) is one snapshot.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/shared/errors.js';
import type { Store } from '../app/ports.js';
import { envFor, type AppDeps, type Env } from '../app/shared/env.js';
import { IDEMPOTENCY_STALE_MS, runCommand, runQuery, type StoredResponse } from '../app/shared/run.js';
import { authorize } from '../app/shared/permissions.js';
import { routePermission } from './authorize.js';
import { actorOf, principalOf } from './auth.js';
import { errorToStoredResponse } from './errors.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** JSON with object keys sorted at every level, so key order never changes a request's fingerprint. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256 of method, path (ids filled in, no query string) and canonical body; an absent body counts as {}. */
export function requestHash(method: string, path: string, body: unknown): string {
  const canonical = canonicalJson(body ?? {});
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonical}`, 'utf8').digest('hex');
}

export function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const raw = req.headers[IDEMPOTENCY_HEADER];
  if (raw === undefined) return undefined;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (Array.isArray(raw) && raw.length > 1) {
    throw new DomainError('validation_failed', 'Send one Idempotency-Key header, not several', 'Idempotency-Key');
  }
  if (key === undefined || key.length < 1 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw new DomainError('validation_failed', `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, 'Idempotency-Key');
  }
  return key;
}

const pathOf = (req: FastifyRequest): string => {
  const q = req.url.indexOf('?');
  return q === -1 ? req.url : req.url.slice(0, q);
};

/**
 * Runs a command and returns the response to send. `work` calls the use case and serialises its result
 * inside the transaction; it returns the response body. Domain errors without a key are thrown to the
 * error handler; with a key runCommand stores and returns them, so they come back here as responses.
 */
export async function command(
  req: FastifyRequest,
  deps: AppDeps,
  /** The success status, or a function of the body (202 for a request accepted but not yet done). */
  status: 200 | 201 | ((body: unknown) => 200 | 201 | 202),
  work: (s: Store, env: Env) => Promise<unknown>,
): Promise<StoredResponse> {
  const principal = principalOf(req);
  const env = envFor(deps, actorOf(req));
  return runCommand(deps.db, principal.tenantId, async (s) => work(s, env), {
    actor: env.actor,
    permission: routePermission(req),
    idempotencyKey: idempotencyKeyOf(req),
    requestHash: requestHash(req.method, pathOf(req), req.body),
    toResponse: (body) => ({ status: typeof status === 'function' ? status(body) : status, body }),
    errorToResponse: errorToStoredResponse,
  });
}

/** Sends a command's (possibly replayed) response exactly as stored. */
export function sendStored(reply: FastifyReply, response: StoredResponse): FastifyReply {
  return reply.code(response.status).send(response.body as never);
}

/** Runs a read in one transaction of the caller's tenant. */
export async function read<T>(req: FastifyRequest, deps: AppDeps, fn: (s: Store) => Promise<T>): Promise<T> {
  return runQuery(deps.db, principalOf(req).tenantId, actorOf(req), routePermission(req), fn);
}

/** What a run of several transactions calls in the transaction that stores its report (see runCommandOfRuns). */
export type OnStored<R> = (s: Store, report: R) => Promise<void>;

/**
 * A command that runs in several transactions (a billing run, a dunning run: one per customer), so it
 * cannot go through command(). The Idempotency-Key contract is kept by hand: the key is claimed first,
 * and the response is stored in the transaction that stores the run's report (`onStored`), so a retry
 * replays it and runs nothing; a domain error is stored as the response too.
 */
export async function runCommandOfRuns<R>(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: AppDeps,
  status: 200 | 201,
  run: (hooks: { onStored: OnStored<R> } | undefined) => Promise<R>,
  toBody: (report: R) => unknown,
  /** Fields only the first response carries, never stored nor replayed (a new tenant's API key). */
  shownOnce?: (report: R) => Record<string, unknown>,
): Promise<FastifyReply> {
  authorize(actorOf(req), routePermission(req));
  const key = idempotencyKeyOf(req);
  const withShownOnce = (report: R, body: unknown) => (shownOnce ? { ...(body as object), ...shownOnce(report) } : body);
  if (key === undefined) {
    const report = await run(undefined);
    return reply.code(status).send(withShownOnce(report, toBody(report)) as never);
  }
  const store = deps.db.store(principalOf(req).tenantId);
  const claim = await store.idempotency.begin(key, requestHash(req.method, pathOf(req), req.body), IDEMPOTENCY_STALE_MS);
  if (claim.kind === 'replay') return sendStored(reply, { status: claim.status, body: claim.body });
  if (claim.kind === 'mismatch') {
    throw new DomainError('idempotency_key_reused', 'This Idempotency-Key was already used with a different request; use a new key for a new request.', 'Idempotency-Key');
  }
  if (claim.kind === 'in_progress') {
    throw new DomainError('idempotency_request_in_progress', 'A request with this Idempotency-Key is still being processed; retry later.', 'Idempotency-Key');
  }
  let response: StoredResponse | undefined;
  let finished: R;
  try {
    finished = await run({
      onStored: async (s, report) => {
        response = { status, body: toBody(report) };
        if (!(await s.idempotency.complete(key, response.status, response.body))) {
          // our claim went stale and another request completed the key first: its response stands
          throw new DomainError('idempotency_request_in_progress', 'Another request with this Idempotency-Key completed first; retry to get its response.', 'Idempotency-Key');
        }
      },
    });
  } catch (error) {
    const stored = errorToStoredResponse(error);
    if (stored && (await store.idempotency.complete(key, stored.status, stored.body))) return sendStored(reply, stored);
    await store.idempotency.release(key);
    throw error;
  }
  if (!response) throw new Error('the run finished without storing its report');
  return shownOnce ? reply.code(response.status).send(withShownOnce(finished, response.body) as never) : sendStored(reply, response);
}
