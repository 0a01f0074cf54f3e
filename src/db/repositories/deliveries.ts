import type { Selectable } from 'kysely';
import type { DeliveryLineRecord, DeliveryRecord, DeliveryRepo, DeliveryStatus } from '../../app/ports.js';
import { asId, type DeliveryId, type TenantId } from '../../core/shared/ids.js';
import type { DeliveriesTable, DeliveryLinesTable } from '../schema.js';
import { dec, decText, groupBy, guardInsert, type Executor } from './shared.js';

type Row = Selectable<DeliveriesTable>;
type LineRow = Selectable<DeliveryLinesTable>;

function lineFromRow(r: LineRow): DeliveryLineRecord {
  return { lineNo: r.line_no, orderLineNo: r.order_line_no, quantity: dec(r.quantity) };
}

function fromRow(r: Row, lines: LineRow[]): DeliveryRecord {
  return {
    id: asId('delivery', r.id),
    number: r.number,
    orderId: asId('order', r.order_id),
    status: r.status as DeliveryStatus,
    carrier: r.carrier,
    trackingNumber: r.tracking_number,
    shippedAt: r.shipped_at,
    deliveredAt: r.delivered_at,
    deliveredOn: r.delivered_on,
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
            carrier: d.carrier,
            tracking_number: d.trackingNumber,
            shipped_at: d.shippedAt,
            delivered_at: d.deliveredAt,
            delivered_on: d.deliveredOn,
            created_at: d.createdAt,
          })
          .execute();
        if (d.lines.length > 0) {
          await db
            .insertInto('delivery_lines')
            .values(
              d.lines.map((l) => ({
                tenant_id: tenantId,
                delivery_id: d.id,
                line_no: l.lineNo,
                order_id: d.orderId,
                order_line_no: l.orderLineNo,
                quantity: decText(l.quantity),
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
        .where('status', '=', 'created')
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
  };
}
