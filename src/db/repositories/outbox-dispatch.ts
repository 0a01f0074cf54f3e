/**
 * The outbox as the dispatcher sees it (app/outbox/dispatch.ts), across all tenants. The delivery
 * columns come from migration 2026-12-04T1950_outbox_delivery.sql and are typed here.
 */
import type { Kysely } from 'kysely';
import type { OutboxDispatchStore, OutboxEventRow } from '../../app/outbox/dispatch.js';
import { asId } from '../../core/shared/ids.js';
import type { DB, Timestamp } from '../schema.js';

// a type alias, not an interface: withTables wants an index-compatible record type
type OutboxDeliveryColumns = {
  outbox: {
    attempts: number;
    last_error: string | null;
    next_attempt_at: Timestamp | null;
  };
};

export function outboxDispatchStore(kysely: Kysely<DB>): OutboxDispatchStore {
  const db = kysely.withTables<OutboxDeliveryColumns>();
  return {
    async claimBatch(limit, now, leaseUntil) {
      const rows = await db
        .selectFrom('outbox')
        .select(['tenant_id', 'id', 'event_type', 'payload', 'created_at', 'attempts'])
        .where('published_at', 'is', null)
        .where((eb) =>
          eb.or([
            // fresh: never attempted, never claimed (NULL with attempts > 0 = given up)
            eb.and([eb('next_attempt_at', 'is', null), eb('attempts', '=', 0)]),
            eb('next_attempt_at', '<=', now),
          ]),
        )
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        // PostgreSQL: concurrent workers take disjoint batches; PGlite has one connection, same SQL.
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return [];
      await db
        .updateTable('outbox')
        .set({ next_attempt_at: leaseUntil })
        .where((eb) => eb.or(rows.map((r) => eb.and([eb('tenant_id', '=', r.tenant_id), eb('id', '=', r.id)]))))
        .execute();
      return rows.map(
        (r): OutboxEventRow => ({
          tenantId: asId('tenant', r.tenant_id),
          id: r.id,
          eventType: r.event_type,
          payload: r.payload,
          createdAt: r.created_at,
          attempts: r.attempts,
        }),
      );
    },
    async markPublished(tenantId, id, at) {
      await db
        .updateTable('outbox')
        .set({ published_at: at, next_attempt_at: null, last_error: null })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('published_at', 'is', null)
        .execute();
    },
    async markFailed(tenantId, id, error, nextAttemptAt) {
      await db
        .updateTable('outbox')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: error, next_attempt_at: nextAttemptAt }))
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('published_at', 'is', null)
        .execute();
    },
  };
}

/** What dispatchOutbox needs from the database: autocommit marks and a transaction for the claim. */
export function outboxDispatchDb(kysely: Kysely<DB>): {
  store: OutboxDispatchStore;
  runInTransaction<T>(fn: (store: OutboxDispatchStore) => Promise<T>): Promise<T>;
} {
  return {
    store: outboxDispatchStore(kysely),
    runInTransaction: (fn) => kysely.transaction().execute((trx) => fn(outboxDispatchStore(trx))),
  };
}
