import { sql } from 'kysely';
import type { IdempotencyBegin, IdempotencyRepo } from '../../app/ports.js';
import type { TenantId } from '../../core/shared/ids.js';
import { toJson, type Executor } from './shared.js';

/** How often `begin` retries when the row it collided with vanished before it could be read. */
const BEGIN_ATTEMPTS = 3;

/**
 * Idempotency keys (Stripe's contract, see src/app/shared/run.ts). `begin` is written for autocommit
 * (`db.store(tenant)`): each statement commits on its own, so a claim is visible to a concurrent
 * duplicate at once and is never part of the caller's later work transaction.
 */
export function idempotencyRepo(db: Executor, tenantId: TenantId): IdempotencyRepo {
  async function attempt(key: string, requestHash: string, staleAfterMs: number): Promise<IdempotencyBegin | undefined> {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ tenant_id: tenantId, key, request_hash: requestHash, status: 'in_progress' })
      .onConflict((oc) => oc.columns(['tenant_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'started' };

    const row = await db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status', 'response_status', 'response_body'])
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined; // released between our insert and read: try again
    if (row.request_hash !== requestHash) return { kind: 'mismatch' };
    if (row.status === 'completed') {
      if (row.response_status === null) throw new Error(`idempotency key ${key}: completed without a status`);
      return { kind: 'replay', status: row.response_status, body: row.response_body };
    }
    // In progress. Take it over if its holder looks crashed: the guard re-checks staleness under the
    // row lock, so of two concurrent takers only the first succeeds (the second sees a fresh locked_at).
    const takeover = await db
      .updateTable('idempotency_keys')
      .set({ locked_at: sql`now()` })
      .where('tenant_id', '=', tenantId)
      .where('key', '=', key)
      .where('status', '=', 'in_progress')
      .where('request_hash', '=', requestHash)
      .where('locked_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterMs / 1000})`)
      .executeTakeFirst();
    return takeover.numUpdatedRows > 0n ? { kind: 'started' } : { kind: 'in_progress' };
  }

  return {
    async begin(key, requestHash, staleAfterMs) {
      for (let i = 0; i < BEGIN_ATTEMPTS; i++) {
        const result = await attempt(key, requestHash, staleAfterMs);
        if (result) return result;
      }
      return { kind: 'in_progress' };
    },

    async complete(key, status, body) {
      const result = await db
        .updateTable('idempotency_keys')
        .set({
          status: 'completed',
          response_status: status,
          response_body: toJson(body),
          completed_at: sql`now()`,
        })
        .where('tenant_id', '=', tenantId)
        .where('key', '=', key)
        .where('status', '=', 'in_progress')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async release(key) {
      await db
        .deleteFrom('idempotency_keys')
        .where('tenant_id', '=', tenantId)
        .where('key', '=', key)
        .where('status', '=', 'in_progress')
        .execute();
    },
  };
}
