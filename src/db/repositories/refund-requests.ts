/** Refund requests waiting for a second approval, and the tenant's threshold (migration 3010). */
import type { Selectable } from 'kysely';
import type { RefundRequestRecord, RefundRequestRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { DateText, Generated, Int8, Timestamp } from '../schema.js';
import { pageLimit, toPage, type Executor } from './shared.js';

export interface RefundRequestsTable {
  tenant_id: string;
  id: string;
  payment_id: string;
  currency: string;
  amount_minor: Int8;
  refunded_on: DateText | null;
  reference: string;
  requested_by: string;
  requested_at: Timestamp;
  status: Generated<RefundRequestRecord['status']>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  refund_id: string | null;
}

type Tables = { refund_requests: RefundRequestsTable; tenants: { id: string; refund_approval_threshold_minor: Int8 | null } };

const fromRow = (r: Selectable<RefundRequestsTable>): RefundRequestRecord => ({
  id: asId('refundRequest', r.id),
  paymentId: asId('payment', r.payment_id),
  currency: r.currency,
  amountMinor: r.amount_minor,
  refundedOn: r.refunded_on,
  reference: r.reference,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  refundId: r.refund_id === null ? null : asId('refund', r.refund_id),
});

export function refundRequestRepo(executor: Executor, tenantId: TenantId): RefundRequestRepo {
  const db = executor.withTables<Tables>();
  const byId = (id: string) => db.selectFrom('refund_requests').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return {
    async insert(r) {
      await db
        .insertInto('refund_requests')
        .values({
          tenant_id: tenantId, id: r.id, payment_id: r.paymentId, currency: r.currency, amount_minor: r.amountMinor, refunded_on: r.refundedOn,
          reference: r.reference, requested_by: r.requestedBy, requested_at: r.requestedAt, status: r.status,
          decided_by: null, decided_at: null, decision_note: null, refund_id: null,
        })
        .execute();
    },
    async get(id) {
      const r = await byId(id).executeTakeFirst();
      return r && fromRow(r);
    },
    async getForUpdate(id) {
      const r = await byId(id).forUpdate().executeTakeFirst();
      return r && fromRow(r);
    },
    async list(page, filter) {
      const limit = pageLimit(page);
      let q = db.selectFrom('refund_requests').selectAll().where('tenant_id', '=', tenantId);
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      return toPage(await q.orderBy('id').limit(limit + 1).execute(), limit, fromRow);
    },
    async decide(id, d) {
      await db
        .updateTable('refund_requests')
        .set({ status: d.status, decided_by: d.decidedBy, decided_at: d.decidedAt, decision_note: d.note, refund_id: d.refundId })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
    },
    async threshold() {
      const r = await db.selectFrom('tenants').select('refund_approval_threshold_minor').where('id', '=', tenantId).executeTakeFirst();
      return r?.refund_approval_threshold_minor ?? null;
    },
    async setThreshold(minor) {
      await db.updateTable('tenants').set({ refund_approval_threshold_minor: minor }).where('id', '=', tenantId).execute();
    },
  };
}
