import { sql, type Selectable, type SqlBool } from 'kysely';
import type { DeliveryKind, DeliveryLineRecord, DeliveryRecord, DeliveryRepo, DeliveryReviewStatus, DeliveryStatus } from '../../app/ports.js';
import { asId, type DeliveryId, type TenantId } from '../../core/shared/ids.js';
import type { DeliveriesTable, DeliveryLinesTable } from '../schema.js';
import { containsPattern, keyset, toKeysetPage, type SortColumns } from './list-query.js';
import { chunked, dec, decText, groupBy, guardInsert, pageLimit, type Executor } from './shared.js';

/** The sorts of GET /v1/deliveries (indexes: migration 3070). */
const SORTS: SortColumns = {
  created: { expr: sql.ref('deliveries.created_at'), type: 'timestamptz' },
  number: { expr: sql.ref('deliveries.number'), type: 'text' },
  status: { expr: sql.ref('deliveries.status'), type: 'text' },
  shipped: { expr: sql.ref('deliveries.shipped_at'), type: 'timestamptz', nullable: true },
  delivered: { expr: sql.ref('deliveries.delivered_on'), type: 'date', nullable: true },
};

type Row = Selectable<DeliveriesTable>;
type LineRow = Selectable<DeliveryLinesTable>;

function lineFromRow(r: LineRow): DeliveryLineRecord {
  return { lineNo: r.line_no, orderLineNo: r.order_line_no, quantity: dec(r.quantity), hours: r.hours === null ? null : dec(r.hours) };
}

function fromRow(r: Row, lines: LineRow[]): DeliveryRecord {
  return {
    id: asId('delivery', r.id),
    number: r.number,
    orderId: asId('order', r.order_id),
    status: r.status as DeliveryStatus,
    kind: r.kind as DeliveryKind,
    warehouseId: r.warehouse_id,
    claimId: r.claim_id,
    carrier: r.carrier,
    trackingNumber: r.tracking_number,
    pickedAt: r.picked_at,
    packedAt: r.packed_at,
    shippedAt: r.shipped_at,
    deliveredAt: r.delivered_at,
    deliveredOn: r.delivered_on,
    cancelledAt: r.cancelled_at,
    proof: r.proof,
    reviewStatus: r.review_status as DeliveryReviewStatus | null,
    reviewedAt: r.reviewed_at,
    createdAt: r.created_at,
    lines: lines.map(lineFromRow),
  };
}

export function deliveryRepo(db: Executor, tenantId: TenantId): DeliveryRepo {
  async function linesOf(ids: string[]): Promise<Map<string, LineRow[]>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('delivery_lines')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('delivery_id', 'in', ids)
      .orderBy('delivery_id')
      .orderBy('line_no')
      .execute();
    return groupBy(rows, (r) => r.delivery_id);
  }

  async function load(id: DeliveryId, forUpdate: boolean): Promise<DeliveryRecord | undefined> {
    let q = db.selectFrom('deliveries').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) return undefined;
    return fromRow(row, (await linesOf([row.id])).get(row.id) ?? []);
  }

  return {
    async insert(d) {
      await guardInsert(`delivery ${d.id} (number ${d.number})`, async () => {
        await db
          .insertInto('deliveries')
          .values({
            tenant_id: tenantId,
            id: d.id,
            number: d.number,
            order_id: d.orderId,
            status: d.status,
            kind: d.kind,
            warehouse_id: d.warehouseId,
            claim_id: d.claimId,
            carrier: d.carrier,
            tracking_number: d.trackingNumber,
            picked_at: d.pickedAt,
            packed_at: d.packedAt,
            shipped_at: d.shippedAt,
            delivered_at: d.deliveredAt,
            delivered_on: d.deliveredOn,
            cancelled_at: d.cancelledAt,
            proof: d.proof,
            review_status: d.reviewStatus,
            reviewed_at: d.reviewedAt,
            created_at: d.createdAt,
          })
          .execute();
        for (const part of chunked(d.lines)) {
          await db
            .insertInto('delivery_lines')
            .values(
              part.map((l) => ({
                tenant_id: tenantId,
                delivery_id: d.id,
                line_no: l.lineNo,
                order_id: d.orderId,
                order_line_no: l.orderLineNo,
                quantity: decText(l.quantity),
                hours: l.hours === null ? null : decText(l.hours),
              })),
            )
            .execute();
        }
      });
    },

    get: (id) => load(id, false),
    getForUpdate: (id) => load(id, true),

    async listByOrder(orderId) {
      const rows = await db
        .selectFrom('deliveries')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('order_id', '=', orderId)
        .orderBy('id')
        .execute();
      const lines = await linesOf(rows.map((r) => r.id));
      return rows.map((r) => fromRow(r, lines.get(r.id) ?? []));
    },

    async markShipped(id, at, carrier, trackingNumber) {
      const result = await db
        .updateTable('deliveries')
        .set({ status: 'shipped', shipped_at: at, carrier, tracking_number: trackingNumber })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', 'in', ['created', 'picked', 'packed'])
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async markDelivered(id, at, on) {
      const result = await db
        .updateTable('deliveries')
        .set({ status: 'delivered', delivered_at: at, delivered_on: on })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'shipped')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async transition(id, from, to, p) {
      const result = await db
        .updateTable('deliveries')
        .set({
          status: to,
          ...(p.pickedAt !== undefined ? { picked_at: p.pickedAt } : {}),
          ...(p.packedAt !== undefined ? { packed_at: p.packedAt } : {}),
          ...(p.shippedAt !== undefined ? { shipped_at: p.shippedAt } : {}),
          ...(p.deliveredAt !== undefined ? { delivered_at: p.deliveredAt } : {}),
          ...(p.deliveredOn !== undefined ? { delivered_on: p.deliveredOn } : {}),
          ...(p.cancelledAt !== undefined ? { cancelled_at: p.cancelledAt } : {}),
          ...(p.carrier !== undefined ? { carrier: p.carrier } : {}),
          ...(p.trackingNumber !== undefined ? { tracking_number: p.trackingNumber } : {}),
          ...(p.proof !== undefined ? { proof: p.proof } : {}),
          ...(p.warehouseId !== undefined ? { warehouse_id: p.warehouseId } : {}),
          ...(p.reviewStatus !== undefined ? { review_status: p.reviewStatus } : {}),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async setReview(id, from, to, at) {
      const result = await db
        .updateTable('deliveries')
        .set({ review_status: to, reviewed_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'delivered')
        .where('review_status', 'in', from)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async list(page, filter = {}) {
      const limit = pageLimit(page);
      let q = db
        .selectFrom('deliveries')
        .innerJoin('orders', (j) => j.onRef('orders.tenant_id', '=', 'deliveries.tenant_id').onRef('orders.id', '=', 'deliveries.order_id'))
        .leftJoin('customers', (j) => j.onRef('customers.tenant_id', '=', 'orders.tenant_id').onRef('customers.id', '=', 'orders.customer_id'))
        .selectAll('deliveries')
        .select(['orders.number as order_number', 'orders.customer_id as order_customer_id', 'customers.name as customer_name'])
        .where('deliveries.tenant_id', '=', tenantId);
      if (filter.statuses !== undefined) {
        // an empty set matches nothing (`in ()` is not SQL)
        q = filter.statuses.length === 0 ? q.where(sql<SqlBool>`false`) : q.where('deliveries.status', 'in', filter.statuses);
      }
      if (filter.orderId !== undefined) q = q.where('deliveries.order_id', '=', filter.orderId);
      if (filter.customerId !== undefined) q = q.where('orders.customer_id', '=', filter.customerId);
      if (filter.q !== undefined) {
        const like = containsPattern(filter.q);
        q = q.where((eb) => eb.or([eb('deliveries.number', 'ilike', like), eb('orders.number', 'ilike', like), eb('customers.name', 'ilike', like)]));
      }
      const rows = await keyset(q, page, SORTS, 'deliveries.id').limit(limit + 1).execute();
      const lines = await linesOf(rows.slice(0, limit).map((r) => r.id));
      return toKeysetPage(rows, limit, page, (r) => ({
        ...fromRow(r, lines.get(r.id) ?? []),
        orderNumber: r.order_number,
        customerId: asId('customer', r.order_customer_id),
        customerName: r.customer_name,
      }));
    },

    async listAwaitingReview(deliveredOnOrBefore) {
      const rows = await db
        .selectFrom('deliveries')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'delivered')
        .where('review_status', '=', 'awaiting_review')
        .where('delivered_on', '<=', deliveredOnOrBefore)
        .orderBy('id')
        .execute();
      return rows.map((r) => asId('delivery', r.id));
    },
  };
}
