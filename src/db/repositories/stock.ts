/**
 * Warehouses, stock levels, reservations and the append-only movement ledger. The repository stores
 * what the use cases worked out with the core stock model (src/core/stock/stock.ts); levels are
 * locked FOR UPDATE per (warehouse, product) so concurrent movements on one level serialise.
 */
import type { Selectable } from 'kysely';
import type {
  StockLevelRecord,
  StockMovementKind,
  StockMovementRecord,
  StockRepo,
  StockReservationRecord,
  WarehouseRecord,
} from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { StockLevelsTable, StockMovementsTable, StockReservationsTable, WarehousesTable } from '../schema.js';
import { dec, decText, guardInsert, pageLimit, toPage, type Executor } from './shared.js';

const warehouseFromRow = (r: Selectable<WarehousesTable>): WarehouseRecord => ({
  id: asId('warehouse', r.id),
  code: r.code,
  name: r.name,
  isDefault: r.is_default,
  createdAt: r.created_at,
});

const levelFromRow = (r: Selectable<StockLevelsTable>): StockLevelRecord => ({
  warehouseId: asId('warehouse', r.warehouse_id),
  productId: asId('product', r.product_id),
  onHand: dec(r.on_hand),
  reserved: dec(r.reserved),
  updatedAt: r.updated_at,
});

const reservationFromRow = (r: Selectable<StockReservationsTable>): StockReservationRecord => ({
  warehouseId: asId('warehouse', r.warehouse_id),
  productId: asId('product', r.product_id),
  orderId: asId('order', r.order_id),
  orderLineNo: r.order_line_no,
  quantity: dec(r.quantity),
});

const movementFromRow = (r: Selectable<StockMovementsTable>): StockMovementRecord => ({
  id: asId('stockMovement', r.id),
  warehouseId: asId('warehouse', r.warehouse_id),
  productId: asId('product', r.product_id),
  kind: r.kind as StockMovementKind,
  quantity: dec(r.quantity),
  onHandDelta: dec(r.on_hand_delta),
  reservedDelta: dec(r.reserved_delta),
  referenceType: r.reference_type,
  referenceId: r.reference_id,
  reason: r.reason,
  createdAt: r.created_at,
});

export function stockRepo(db: Executor, tenantId: TenantId): StockRepo {
  return {
    async insertWarehouse(w) {
      await guardInsert(`warehouse ${w.id} (code ${w.code})`, async () => {
        await db
          .insertInto('warehouses')
          .values({ tenant_id: tenantId, id: w.id, code: w.code, name: w.name, is_default: w.isDefault, created_at: w.createdAt })
          .execute();
      });
    },

    async getWarehouse(id) {
      const row = await db.selectFrom('warehouses').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return row ? warehouseFromRow(row) : undefined;
    },

    async getDefaultWarehouse() {
      const row = await db
        .selectFrom('warehouses')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('is_default', '=', true)
        .executeTakeFirst();
      return row ? warehouseFromRow(row) : undefined;
    },

    async listWarehouses() {
      const rows = await db.selectFrom('warehouses').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
      return rows.map(warehouseFromRow);
    },

    async getLevel(warehouseId, productId) {
      const row = await db
        .selectFrom('stock_levels')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('warehouse_id', '=', warehouseId)
        .where('product_id', '=', productId)
        .executeTakeFirst();
      return row ? levelFromRow(row) : undefined;
    },

    async lockLevel(warehouseId, productId) {
      await db
        .insertInto('stock_levels')
        .values({ tenant_id: tenantId, warehouse_id: warehouseId, product_id: productId })
        .onConflict((oc) => oc.columns(['tenant_id', 'warehouse_id', 'product_id']).doNothing())
        .execute();
      const row = await db
        .selectFrom('stock_levels')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('warehouse_id', '=', warehouseId)
        .where('product_id', '=', productId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      return levelFromRow(row);
    },

    async saveLevel(warehouseId, productId, onHand, reserved, at) {
      await db
        .insertInto('stock_levels')
        .values({
          tenant_id: tenantId,
          warehouse_id: warehouseId,
          product_id: productId,
          on_hand: decText(onHand),
          reserved: decText(reserved),
          updated_at: at,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'warehouse_id', 'product_id']).doUpdateSet({
            on_hand: decText(onHand),
            reserved: decText(reserved),
            updated_at: at,
          }),
        )
        .execute();
    },

    async listLevels(filter) {
      let q = db.selectFrom('stock_levels').selectAll().where('tenant_id', '=', tenantId);
      if (filter.productId !== undefined) q = q.where('product_id', '=', filter.productId);
      if (filter.warehouseId !== undefined) q = q.where('warehouse_id', '=', filter.warehouseId);
      const rows = await q.orderBy('warehouse_id').orderBy('product_id').execute();
      return rows.map(levelFromRow);
    },

    async listReservations(filter) {
      let q = db.selectFrom('stock_reservations').selectAll().where('tenant_id', '=', tenantId);
      if (filter.productId !== undefined) q = q.where('product_id', '=', filter.productId);
      if (filter.warehouseId !== undefined) q = q.where('warehouse_id', '=', filter.warehouseId);
      if (filter.orderId !== undefined) q = q.where('order_id', '=', filter.orderId);
      if (filter.orderLineNo !== undefined) q = q.where('order_line_no', '=', filter.orderLineNo);
      const rows = await q.orderBy('order_id').orderBy('order_line_no').orderBy('warehouse_id').execute();
      return rows.map(reservationFromRow);
    },

    async setReservation(r) {
      if (r.quantity.scaled === 0n) {
        await db
          .deleteFrom('stock_reservations')
          .where('tenant_id', '=', tenantId)
          .where('order_id', '=', r.orderId)
          .where('order_line_no', '=', r.orderLineNo)
          .where('warehouse_id', '=', r.warehouseId)
          .execute();
        return;
      }
      await db
        .insertInto('stock_reservations')
        .values({
          tenant_id: tenantId,
          warehouse_id: r.warehouseId,
          product_id: r.productId,
          order_id: r.orderId,
          order_line_no: r.orderLineNo,
          quantity: decText(r.quantity),
        })
        .onConflict((oc) => oc.columns(['tenant_id', 'order_id', 'order_line_no', 'warehouse_id']).doUpdateSet({ quantity: decText(r.quantity) }))
        .execute();
    },

    async insertMovement(m) {
      await guardInsert(`stock movement ${m.id}`, async () => {
        await db
          .insertInto('stock_movements')
          .values({
            tenant_id: tenantId,
            id: m.id,
            warehouse_id: m.warehouseId,
            product_id: m.productId,
            kind: m.kind,
            quantity: decText(m.quantity),
            on_hand_delta: decText(m.onHandDelta),
            reserved_delta: decText(m.reservedDelta),
            reference_type: m.referenceType,
            reference_id: m.referenceId,
            reason: m.reason,
            created_at: m.createdAt,
          })
          .execute();
      });
    },

    async listMovements(page, filter) {
      const limit = pageLimit(page);
      let q = db.selectFrom('stock_movements').selectAll().where('tenant_id', '=', tenantId);
      if (filter.productId !== undefined) q = q.where('product_id', '=', filter.productId);
      if (filter.warehouseId !== undefined) q = q.where('warehouse_id', '=', filter.warehouseId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, movementFromRow);
    },
  };
}
