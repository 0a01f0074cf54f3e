/**
 * Webhook endpoints and deliveries (migration 2990) and the outbox as the events API reads it: the
 * tenant-bound repository for the API, and the cross-tenant store the delivery worker uses.
 */
import { INTERNAL_EVENT_TYPES } from '../../app/outbox/internal-events.js';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DueDelivery, WebhookDispatchStore } from '../../app/webhooks/dispatch.js';
import type { EventRecord, WebhookDeliveryRecord, WebhookEndpointRecord, WebhookRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { DB, Generated, Timestamp } from '../schema.js';
import { generatedId, pageLimit, toJson, toPage, type Executor } from './shared.js';

export interface WebhookEndpointsTable {
  tenant_id: string;
  id: string;
  url: string;
  description: string | null;
  event_types: string[];
  secret: string;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  consecutive_failures: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface WebhookDeliveriesTable {
  tenant_id: string;
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: Generated<WebhookDeliveryRecord['status']>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

type Tables = {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  outbox: { attempts: number; last_error: string | null; next_attempt_at: Timestamp | null };
};

const endpointFromRow = (r: Selectable<WebhookEndpointsTable>): WebhookEndpointRecord => ({
  id: asId('webhookEndpoint', r.id),
  url: r.url,
  description: r.description,
  eventTypes: r.event_types,
  secret: r.secret,
  enabled: r.enabled,
  disabledReason: r.disabled_reason,
  consecutiveFailures: r.consecutive_failures,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const deliveryFromRow = (r: Selectable<WebhookDeliveriesTable>): WebhookDeliveryRecord => ({
  id: asId('webhookDelivery', r.id),
  endpointId: asId('webhookEndpoint', r.endpoint_id),
  eventId: r.event_id,
  eventType: r.event_type,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
});

const eventFromRow = (r: { id: string; event_type: string; payload: unknown; created_at: Date; published_at: Date | null }): EventRecord => ({
  id: r.id,
  eventType: r.event_type,
  payload: r.payload,
  createdAt: r.created_at,
  publishedAt: r.published_at,
});

export function webhookRepo(executor: Executor, tenantId: TenantId): WebhookRepo {
  const db = executor.withTables<Tables>();
  return {
    async insertEndpoint(e) {
      await db
        .insertInto('webhook_endpoints')
        .values({
          tenant_id: tenantId, id: e.id, url: e.url, description: e.description, event_types: e.eventTypes, secret: e.secret,
          enabled: e.enabled, disabled_reason: e.disabledReason, consecutive_failures: e.consecutiveFailures, created_at: e.createdAt, updated_at: e.updatedAt,
        })
        .execute();
    },
    async getEndpoint(id) {
      const r = await db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && endpointFromRow(r);
    },
    async listEndpoints(page) {
      const limit = pageLimit(page);
      let q = db.selectFrom('webhook_endpoints').selectAll().where('tenant_id', '=', tenantId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      return toPage(await q.orderBy('id').limit(limit + 1).execute(), limit, endpointFromRow);
    },
    async updateEndpoint(id, patch, at) {
      await db
        .updateTable('webhook_endpoints')
        .set({
          ...(patch.url !== undefined ? { url: patch.url } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.eventTypes !== undefined ? { event_types: patch.eventTypes } : {}),
          ...(patch.enabled === true ? { enabled: true, disabled_reason: null, consecutive_failures: 0 } : {}),
          ...(patch.enabled === false ? { enabled: false, disabled_reason: 'Disabled by a user' } : {}),
          updated_at: at,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    async listDeliveries(endpointId, page) {
      const limit = pageLimit(page);
      let q = db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId).where('endpoint_id', '=', endpointId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      return toPage(await q.orderBy('id').limit(limit + 1).execute(), limit, deliveryFromRow);
    },
    async getDelivery(id) {
      const r = await db.selectFrom('webhook_deliveries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && deliveryFromRow(r);
    },
    async requeueDelivery(id, at) {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    async listEvents(page, filter) {
      const limit = pageLimit(page);
      let q = db.selectFrom('outbox').select(['id', 'event_type', 'payload', 'created_at', 'published_at']).where('tenant_id', '=', tenantId)
        // internal events (a password reset to mail) are not part of the public event stream
        .where('event_type', 'not in', INTERNAL_EVENT_TYPES);
      if (filter.eventType !== undefined) q = q.where('event_type', '=', filter.eventType);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      return toPage(await q.orderBy('id').limit(limit + 1).execute(), limit, eventFromRow);
    },
    async getEvent(id) {
      const r = await db
        .selectFrom('outbox')
        .select(['id', 'event_type', 'payload', 'created_at', 'published_at'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('event_type', 'not in', INTERNAL_EVENT_TYPES)
        .executeTakeFirst();
      return r && eventFromRow(r);
    },
  };
}

/** The worker's view across tenants (autocommit statements; the claim locks and leases in one UPDATE). */
export function webhookDispatchStore(kysely: Kysely<DB>): WebhookDispatchStore {
  const db = kysely.withTables<Tables>();
  return {
    async fanOut(event, now) {
      const endpoints = await db
        .selectFrom('webhook_endpoints')
        .select('id')
        .where('tenant_id', '=', event.tenantId)
        .where('enabled', '=', true)
        .where((eb) => eb.or([eb(eb.val(event.eventType), '=', eb.fn.any('event_types')), eb(eb.val('*'), '=', eb.fn.any('event_types'))]))
        .execute();
      if (endpoints.length === 0) return 0;
      const inserted = await db
        .insertInto('webhook_deliveries')
        .values(
          endpoints.map((e) => ({
            tenant_id: event.tenantId,
            id: generatedId('whd', now.getTime()),
            endpoint_id: e.id,
            event_id: event.id,
            event_type: event.eventType,
            next_attempt_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['tenant_id', 'endpoint_id', 'event_id']).doNothing())
        .returning('id')
        .execute();
      return inserted.length;
    },

    async claimDue(limit, now, leaseUntil) {
      const rows = await sql<{
        tenant_id: string; id: string; endpoint_id: string; event_id: string; event_type: string; attempts: number;
        url: string; secret: string; payload: unknown; created_at: Date | string;
      }>`
        WITH due AS (
          SELECT d.tenant_id, d.id
          FROM webhook_deliveries d
          JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id AND e.enabled
          WHERE d.status = 'pending' AND d.next_attempt_at <= ${now}
          ORDER BY d.next_attempt_at, d.id
          LIMIT ${limit}
          FOR UPDATE OF d SKIP LOCKED
        )
        UPDATE webhook_deliveries w SET next_attempt_at = ${leaseUntil}
        FROM due, webhook_endpoints e, outbox o
        WHERE w.tenant_id = due.tenant_id AND w.id = due.id
          AND e.tenant_id = w.tenant_id AND e.id = w.endpoint_id
          AND o.tenant_id = w.tenant_id AND o.id = w.event_id
        RETURNING w.tenant_id, w.id, w.endpoint_id, w.event_id, w.event_type, w.attempts, e.url, e.secret, o.payload, o.created_at`.execute(db);
      return rows.rows
        .map(
          (r): DueDelivery => ({
            tenantId: asId('tenant', r.tenant_id),
            id: r.id,
            endpointId: r.endpoint_id,
            url: r.url,
            secret: r.secret,
            eventId: r.event_id,
            eventType: r.event_type,
            eventCreatedAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
            payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
            attempts: Number(r.attempts),
          }),
        )
        .sort((a, b) => a.eventCreatedAt.getTime() - b.eventCreatedAt.getTime() || a.id.localeCompare(b.id));
    },

    async markDelivered(d, status, at) {
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'delivered', next_attempt_at: null, delivered_at: at, last_status_code: status, last_error: null })
        .where('tenant_id', '=', d.tenantId)
        .where('id', '=', d.id)
        .execute();
      await db
        .updateTable('webhook_endpoints')
        .set({ consecutive_failures: 0 })
        .where('tenant_id', '=', d.tenantId)
        .where('id', '=', d.endpointId)
        .where('consecutive_failures', '>', 0)
        .execute();
    },

    async markFailed(d, failure, nextAttemptAt) {
      await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          status: nextAttemptAt === null ? 'failed' : 'pending',
          next_attempt_at: nextAttemptAt,
          last_status_code: failure.status,
          last_error: failure.error,
        }))
        .where('tenant_id', '=', d.tenantId)
        .where('id', '=', d.id)
        .execute();
      const r = await db
        .updateTable('webhook_endpoints')
        .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
        .where('tenant_id', '=', d.tenantId)
        .where('id', '=', d.endpointId)
        .returning('consecutive_failures')
        .executeTakeFirst();
      return r?.consecutive_failures ?? 0;
    },

    async disableEndpoint(tenantId, endpointId, reason, at) {
      return kysely.transaction().execute(async (trx) => {
        const t = trx.withTables<Tables>();
        const r = await t
          .updateTable('webhook_endpoints')
          .set({ enabled: false, disabled_reason: reason, updated_at: at })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', endpointId)
          .where('enabled', '=', true)
          .returning('id')
          .executeTakeFirst();
        if (!r) return false;
        await trx
          .insertInto('outbox')
          .values({ tenant_id: tenantId, id: generatedId('evt'), event_type: 'webhook_endpoint.disabled', payload: toJson({ id: endpointId, reason }) })
          .execute();
        return true;
      });
    },
  };
}
