/**
 * Stock for orders: reserving stock-tracked lines when an order is confirmed, releasing reservations
 * when lines are cancelled, and taking returned goods back into stock (or scrapping them).
 *
 * Invariant kept here and in shipping: an order line's quantity_reserved equals the sum of its
 * stock_reservations (over warehouses), and every change to a reservation is a 'reserve', 'release'
 * or 'ship' movement in the ledger.
 */
import type { Id, ProductId } from '../../core/shared/ids.js';
import { ZERO_D, type Quantity } from '../../core/money/quantity.js';
import { DomainError } from '../../core/shared/errors.js';
import type { OrderLineRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { applyStockMovement, lockAvailable, orderLineRef, requireWarehouse, stockPolicy } from './ledger.js';

/** What the line still has to ship: ordered − cancelled + replacement − shipped (never below 0). */
export function openToShipOf(l: OrderLineRecord): bigint {
  const open = l.quantity.scaled - l.quantityCancelled.scaled + l.quantityReplacement.scaled - l.quantityShipped.scaled;
  return open > 0n ? open : 0n;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** The quantity_reserved of each line as stored now (the caller's record may be in memory only). */
async function storedReserved(s: Store, order: OrderRecord): Promise<Map<number, bigint>> {
  const stored = await s.orders.get(order.id);
  return new Map((stored?.lines ?? []).map((l) => [l.lineNo, l.quantityReserved.scaled]));
}

/**
 * Reserves what is still open on the order's stock-tracked lines, as far as stock is available: for
 * each line, min(open to ship − already reserved, available) in the default warehouse. Open to ship
 * comes from the given record (it may hold changes not yet stored); what is reserved from the database. Lines without
 * stock stay unreserved (they can still be shipped when stock arrives). Nothing happens when the
 * tenant has no warehouse.
 */
export async function reserveOrderStock(s: Store, env: Env, order: OrderRecord): Promise<void> {
  const current = order;
  const stored = await storedReserved(s, order);
  const lines = current.lines.filter((l) => l.stockTracked && l.productId !== null);
  if (lines.length === 0) return;
  const warehouse = await s.stock.getDefaultWarehouse();
  if (!warehouse) return;
  const policy = await stockPolicy(s);
  const reserved: { line: number; quantity: Quantity }[] = [];
  for (const line of lines) {
    const want = openToShipOf(line) - (stored.get(line.lineNo) ?? line.quantityReserved.scaled);
    if (want <= 0n) continue;
    const productId = line.productId as ProductId;
    const available = (await lockAvailable(s, warehouse.id, productId)).scaled;
    const q = min(want, available);
    if (q <= 0n) continue;
    const quantity = { scaled: q };
    await applyStockMovement(s, env, policy, {
      kind: 'reserve',
      warehouseId: warehouse.id,
      productId,
      quantity,
      reference: orderLineRef(current.id, line.lineNo),
    });
    await s.orders.applyLineDeltas(current.id, [{ lineNo: line.lineNo, reserved: quantity }]);
    reserved.push({ line: line.lineNo, quantity });
  }
  if (reserved.length > 0) {
    await recordChange(s, env, {
      action: 'order.stock_reserved',
      entityType: 'order',
      entityId: current.id,
      data: { warehouseId: warehouse.id, lines: reserved.map((r) => ({ line: r.line, quantity: r.quantity.scaled.toString() })) },
    });
  }
}

/**
 * Releases the reservations of the given lines (all lines when omitted) beyond what is still to ship
 * (ordered − cancelled + replacement − shipped) according to the given record, which may already hold
 * cancellations not yet stored: call it with the order as it will be, before storing the cancelled
 * quantities (the CHECK reserved + shipped ≤ deliverable would refuse them otherwise), or after. The
 * line's stored quantity_reserved is brought to what stays reserved. An order with status 'cancelled'
 * releases everything.
 */
export async function releaseOrderStock(s: Store, env: Env, order: OrderRecord, lineNos?: readonly number[]): Promise<void> {
  const current = order;
  const stored = await storedReserved(s, order);
  const wanted = lineNos === undefined ? undefined : new Set(lineNos);
  const policy = await stockPolicy(s);
  const released: { line: number; quantity: string }[] = [];
  for (const line of current.lines) {
    if (wanted !== undefined && !wanted.has(line.lineNo)) continue;
    const reservations = await s.stock.listReservations({ orderId: current.id, orderLineNo: line.lineNo });
    const held = reservations.reduce((sum, r) => sum + r.quantity.scaled, 0n);
    const keep = current.status === 'cancelled' ? 0n : min(held, openToShipOf(line));
    let excess = held - keep;
    for (const r of reservations) {
      if (excess <= 0n) break;
      const q = min(excess, r.quantity.scaled);
      await applyStockMovement(s, env, policy, {
        kind: 'release',
        warehouseId: r.warehouseId,
        productId: r.productId,
        quantity: { scaled: q },
        reference: orderLineRef(current.id, line.lineNo),
      });
      excess -= q;
    }
    const delta = keep - (stored.get(line.lineNo) ?? line.quantityReserved.scaled);
    if (delta !== 0n) await s.orders.applyLineDeltas(current.id, [{ lineNo: line.lineNo, reserved: { scaled: delta } }]);
    if (held !== keep) released.push({ line: line.lineNo, quantity: (held - keep).toString() });
  }
  if (released.length > 0) {
    await recordChange(s, env, { action: 'order.stock_released', entityType: 'order', entityId: current.id, data: { lines: released } });
  }
}

export interface ReturnReceipt {
  productId: ProductId;
  quantity: Quantity;
  /** The warehouse the goods came back to; the default warehouse when null. */
  warehouseId: string | null;
  disposition: 'restock' | 'scrap';
  /** The claim (RMA) the goods came back under. */
  referenceId: string;
}

/**
 * Books returned goods of a stock-tracked product back into stock ('return_restock': on hand +q), or
 * records them as scrapped ('return_scrap': no change to the level, kept for traceability).
 * Products that are not stock-tracked are ignored. Refuses when there is no warehouse.
 */
export async function receiveReturnedStock(s: Store, env: Env, r: ReturnReceipt): Promise<void> {
  const product = await s.products.get(r.productId);
  if (!product) throw new DomainError('not_found', `No product with id '${r.productId}'`, 'product_id');
  if (!product.stockTracked) return;
  if (r.quantity.scaled <= ZERO_D.scaled) throw new DomainError('validation_failed', 'The returned quantity must be greater than 0', 'quantity');
  const warehouse = await requireWarehouse(s, r.warehouseId as Id<'warehouse'> | null, 'warehouse_id');
  await applyStockMovement(s, env, await stockPolicy(s), {
    kind: r.disposition === 'restock' ? 'return_restock' : 'return_scrap',
    warehouseId: warehouse.id,
    productId: r.productId,
    quantity: r.quantity,
    reference: { type: 'return', id: r.referenceId },
  });
}
