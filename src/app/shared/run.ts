/**
 * Running commands: one transaction per command, with optional idempotency.
 *
 * Idempotency follows Stripe's contract: the first response for a key (status and body, domain
 * errors included) is stored and replayed; the same key with a different request → 422
 * idempotency_key_reused; a retry while the first is still running → 409. The key is claimed in a
 * short transaction of its own (so a concurrent duplicate sees it at once), and the response is
 * stored in the same transaction as the work, so a crash can never leave work done without its
 * stored response. A claim whose request crashed is taken over after IDEMPOTENCY_STALE_MS; completing
 * is guarded by "still in progress", so even if the original was only slow, one execution commits.
 */
import { DomainError } from '../../core/shared/errors.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { Database, Store } from '../ports.js';
import type { Actor } from './env.js';
import { authorize, type Permission } from './permissions.js';

export const IDEMPOTENCY_STALE_MS = 60_000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export interface CommandOptions<T> {
  /** Who acts, and the permission the command needs: checked before anything is claimed or written. */
  actor: Pick<Actor, 'role'>;
  permission: Permission;
  idempotencyKey?: string | undefined;
  /** A fingerprint of the request (method, path, body); same key + other fingerprint → 422. */
  requestHash: string;
  /** Turns the result into the response that is stored and returned. Runs inside the transaction. */
  toResponse: (result: T) => StoredResponse;
  /** Turns a failure into a storable response, or undefined for failures that must not be stored. */
  errorToResponse: (error: unknown) => StoredResponse | undefined;
}

export async function runCommand<T>(
  db: Database,
  tenantId: TenantId,
  work: (s: Store) => Promise<T>,
  opts: CommandOptions<T>,
): Promise<StoredResponse> {
  authorize(opts.actor, opts.permission);
  const key = opts.idempotencyKey;
  if (key === undefined) {
    return db.transaction(tenantId, async (s) => opts.toResponse(await work(s)));
  }
  const claim = await db.store(tenantId).idempotency.begin(key, opts.requestHash, IDEMPOTENCY_STALE_MS);
  switch (claim.kind) {
    case 'replay':
      return { status: claim.status, body: claim.body };
    case 'mismatch':
      throw new DomainError(
        'idempotency_key_reused',
        'This Idempotency-Key was already used with a different request; use a new key for a new request.',
        'Idempotency-Key',
      );
    case 'in_progress':
      throw new DomainError(
        'idempotency_request_in_progress',
        'A request with this Idempotency-Key is still being processed; retry later.',
        'Idempotency-Key',
      );
    case 'started':
      break;
  }
  try {
    return await db.transaction(tenantId, async (s) => {
      const response = opts.toResponse(await work(s));
      if (!(await s.idempotency.complete(key, response.status, response.body))) {
        // Our claim went stale and another request completed the key first: undo our work.
        throw new DomainError(
          'idempotency_request_in_progress',
          'Another request with this Idempotency-Key completed first; retry to get its response.',
          'Idempotency-Key',
        );
      }
      return response;
    });
  } catch (error) {
    const response = opts.errorToResponse(error);
    // stored only while the claim is still ours; otherwise the other execution's response stands
    if (response && (await db.store(tenantId).idempotency.complete(key, response.status, response.body))) {
      return response;
    }
    await db.store(tenantId).idempotency.release(key);
    throw error;
  }
}

/** Runs a read in one transaction of the tenant, after checking the actor holds the permission. */
export async function runQuery<T>(db: Database, tenantId: TenantId, actor: Pick<Actor, 'role'>, permission: Permission, fn: (s: Store) => Promise<T>): Promise<T> {
  authorize(actor, permission);
  return db.transaction(tenantId, fn);
}
