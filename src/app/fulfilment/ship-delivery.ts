/**
 * A delivery's steps: pick → pack → ship → deliver (picking and packing are optional), or cancel
 * before it ships. Shipping takes stock-tracked goods out of the delivery's warehouse, consuming the
 * order line's reservation first; delivering starts the customer's review.
 */
import { nextDeliveryStatus, type DeliveryAction } from '../../core/documents/lifecycle.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { DeliveryId, Id, OrderId, ProductId } from '../../core/shared/ids.js';
import type { DeliveryListFilter, DeliveryListItem, DeliveryPatch, DeliveryRecord, OrderLineDelta, Page, PageResult, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { applyStockMovement, deliveryLineRef, orderLineRef, requireWarehouse, stockPolicy } from '../stock/ledger.js';
import { openToShipOf } from '../stock/reservations.js';

function sumByOrderLine(d: DeliveryRecord, field: 'shipped' | 'delivered'): OrderLineDelta[] {
  return d.lines.map((l) => ({ lineNo: l.orderLineNo, [field]: l.quantity }));
}

async function load(s: Store, id: DeliveryId): Promise<DeliveryRecord> {
  const d = await s.deliveries.getForUpdate(id);
  if (!d) throw notFound('delivery', id);
  return d;
}

/** Moves the delivery one step (pick or pack) and records it. */
async function step(s: Store, env: Env, id: DeliveryId, action: Extract<DeliveryAction, 'pick' | 'pack'>): Promise<DeliveryRecord> {
  const d = await load(s, id);
  const to = nextDeliveryStatus(d.status, action);
  const now = env.clock.now();
  const patch: DeliveryPatch = action === 'pick' ? { pickedAt: now } : { packedAt: now };
  if (!(await s.deliveries.transition(id, d.status, to, patch))) {
    throw new DomainError('delivery_not_shippable', 'The delivery changed meanwhile; reload it');
  }
  await recordChange(s, env, { action: action === 'pick' ? 'delivery.picked' : 'delivery.packed', entityType: 'delivery', entityId: id });
  return { ...d, status: to, ...patch };
}

/** The goods are picked from the shelves (created → picked). */
export const pickDelivery = (s: Store, env: Env, id: DeliveryId): Promise<DeliveryRecord> => step(s, env, id, 'pick');
/** The goods are packed (created or picked → packed). */
export const packDelivery = (s: Store, env: Env, id: DeliveryId): Promise<DeliveryRecord> => step(s, env, id, 'pack');

/**
 * Takes the stock of the delivery's stock-tracked lines out of its warehouse: one 'ship' movement per
 * delivery line, consuming the order line's reservation in that warehouse first. Reservations of the
 * line elsewhere beyond what is still to ship afterwards are released. Returns the order-line
 * reserved deltas (≤ 0). Refuses with insufficient_stock, naming the line, when on hand is short and
 * the tenant does not allow negative stock.
 */
async function takeStock(s: Store, env: Env, d: DeliveryRecord): Promise<Map<number, bigint>> {
  const order = await s.orders.getForUpdate(d.orderId);
  if (!order) throw notFound('order', d.orderId);
  const byLine = new Map(order.lines.map((l) => [l.lineNo, l]));
  const reservedDelta = new Map<number, bigint>();
  const tracked = d.lines.filter((l) => byLine.get(l.orderLineNo)?.stockTracked === true);
  if (tracked.length === 0) return reservedDelta;
  const policy = await stockPolicy(s);
  const warehouse = await requireWarehouse(s, d.warehouseId as Id<'warehouse'> | null, 'warehouse_id');
  for (const [i, dl] of d.lines.entries()) {
    const line = byLine.get(dl.orderLineNo);
    if (!line?.stockTracked || line.productId === null) continue;
    const productId: ProductId = line.productId;
    let plan;
    try {
      plan = await applyStockMovement(s, env, policy, {
        kind: 'ship',
        warehouseId: warehouse.id,
        productId,
        quantity: dl.quantity,
        reference: deliveryLineRef(d.id, dl.lineNo),
        reservation: orderLineRef(order.id, line.lineNo),
      });
    } catch (e) {
      if (e instanceof DomainError && e.code === 'quantity_exceeds_open') {
        const level = await s.stock.getLevel(warehouse.id, productId);
        throw new DomainError(
          'insufficient_stock',
          `Line ${dl.orderLineNo} (${line.description}): cannot ship ${formatDecimal4(dl.quantity)}, only ` +
            `${formatDecimal4(level?.onHand ?? { scaled: 0n })} on hand in warehouse ${warehouse.code}`,
          `lines.${i}.quantity`,
        );
      }
      throw e;
    }
    reservedDelta.set(line.lineNo, (reservedDelta.get(line.lineNo) ?? 0n) + plan.effect.reserved.scaled);
  }
  // reservations of the shipped lines elsewhere that exceed what is still to ship
  const shippedNow = new Map<number, bigint>();
  for (const dl of d.lines) shippedNow.set(dl.orderLineNo, (shippedNow.get(dl.orderLineNo) ?? 0n) + dl.quantity.scaled);
  for (const [lineNo, delta] of [...reservedDelta.entries()]) {
    const line = byLine.get(lineNo)!;
    const openAfter = openToShipOf({ ...line, quantityShipped: { scaled: line.quantityShipped.scaled + (shippedNow.get(lineNo) ?? 0n) } });
    let excess = line.quantityReserved.scaled + delta - openAfter;
    let total = delta;
    for (const r of await s.stock.listReservations({ orderId: order.id, orderLineNo: lineNo })) {
      if (excess <= 0n) break;
      const q = excess < r.quantity.scaled ? excess : r.quantity.scaled;
      await applyStockMovement(s, env, policy, {
        kind: 'release',
        warehouseId: r.warehouseId,
        productId: r.productId,
        quantity: { scaled: q },
        reference: orderLineRef(order.id, lineNo),
      });
      excess -= q;
      total -= q;
    }
    reservedDelta.set(lineNo, total);
  }
  return reservedDelta;
}

export async function shipDelivery(
  s: Store,
  env: Env,
  id: DeliveryId,
  input: { carrier?: string | null | undefined; trackingNumber?: string | null | undefined },
): Promise<DeliveryRecord> {
  const d = await load(s, id);
  const to = nextDeliveryStatus(d.status, 'ship');
  const now = env.clock.now();
  if (!(await s.deliveries.markShipped(id, now, input.carrier ?? null, input.trackingNumber ?? null))) {
    throw new DomainError('delivery_not_shippable', 'The delivery changed while it was being shipped; reload it');
  }
  const reserved = await takeStock(s, env, d);
  const deltas = sumByOrderLine(d, 'shipped');
  for (const [lineNo, delta] of reserved) if (delta !== 0n) deltas.push({ lineNo, reserved: { scaled: delta } });
  // the reservation drops together with (or after) the shipment, so reserved + shipped never overshoots
  await s.orders.applyLineDeltas(d.orderId, mergeDeltas(deltas));
  await recordChange(s, env, {
    action: 'delivery.shipped',
    entityType: 'delivery',
    entityId: id,
    data: { carrier: input.carrier ?? null, trackingNumber: input.trackingNumber ?? null, warehouseId: d.warehouseId },
    event: { type: 'delivery.shipped', payload: { id, order_id: d.orderId } },
  });
  return { ...d, status: to, shippedAt: now, carrier: input.carrier ?? null, trackingNumber: input.trackingNumber ?? null };
}

/** One delta per order line, in line order, with the fields summed. */
function mergeDeltas(deltas: OrderLineDelta[]): OrderLineDelta[] {
  const out = new Map<number, { lineNo: number; shipped: bigint; reserved: bigint }>();
  for (const d of deltas) {
    const cur = out.get(d.lineNo) ?? { lineNo: d.lineNo, shipped: 0n, reserved: 0n };
    cur.shipped += d.shipped?.scaled ?? 0n;
    cur.reserved += d.reserved?.scaled ?? 0n;
    out.set(d.lineNo, cur);
  }
  return [...out.values()]
    .sort((a, b) => a.lineNo - b.lineNo)
    .map((d) => ({ lineNo: d.lineNo, shipped: { scaled: d.shipped }, reserved: { scaled: d.reserved } }));
}

export async function deliverDelivery(
  s: Store,
  env: Env,
  id: DeliveryId,
  input: { deliveredOn?: LocalDate | undefined; proof?: string | null | undefined },
): Promise<DeliveryRecord> {
  const d = await load(s, id);
  const to = nextDeliveryStatus(d.status, 'deliver');
  const now = env.clock.now();
  const on = input.deliveredOn ?? env.clock.today();
  const proof = input.proof === undefined || input.proof === null || input.proof.trim() === '' ? null : input.proof.trim();
  if (proof !== null && proof.length > 2000) throw new DomainError('validation_failed', 'proof must be at most 2000 characters', 'proof');
  const patch: DeliveryPatch = { deliveredAt: now, deliveredOn: on, proof, reviewStatus: 'awaiting_review' };
  if (!(await s.deliveries.transition(id, 'shipped', to, patch))) {
    throw new DomainError('delivery_not_deliverable', 'The delivery changed while it was being delivered; reload it');
  }
  await s.orders.applyLineDeltas(d.orderId, sumByOrderLine(d, 'delivered'));
  await recordChange(s, env, {
    action: 'delivery.delivered',
    entityType: 'delivery',
    entityId: id,
    data: { deliveredOn: on, proof },
    event: { type: 'delivery.delivered', payload: { id, order_id: d.orderId } },
  });
  return { ...d, status: to, ...patch };
}

/** Cancels a delivery that has not shipped: its quantities go back to open on the order. */
export async function cancelDelivery(s: Store, env: Env, id: DeliveryId): Promise<DeliveryRecord> {
  const d = await load(s, id);
  const to = nextDeliveryStatus(d.status, 'cancel');
  const now = env.clock.now();
  if (!(await s.deliveries.transition(id, d.status, to, { cancelledAt: now }))) {
    throw new DomainError('delivery_not_shippable', 'The delivery changed while it was being cancelled; reload it');
  }
  await s.orders.applyLineDeltas(
    d.orderId,
    d.lines.map((l) => ({ lineNo: l.orderLineNo, allocated: { scaled: -l.quantity.scaled } })),
  );
  await recordChange(s, env, { action: 'delivery.cancelled', entityType: 'delivery', entityId: id, data: { orderId: d.orderId } });
  return { ...d, status: to, cancelledAt: now };
}

export async function getDelivery(s: Store, id: DeliveryId): Promise<DeliveryRecord> {
  const d = await s.deliveries.get(id);
  if (!d) throw notFound('delivery', id);
  return d;
}

/** The deliveries of one order, oldest first (404 if the order does not exist). */
export async function listOrderDeliveries(s: Store, orderId: OrderId): Promise<DeliveryRecord[]> {
  if (!(await s.orders.get(orderId))) throw notFound('order', orderId);
  return s.deliveries.listByOrder(orderId);
}

/** The tenant's deliveries, filtered, searched and sorted (GET /v1/deliveries). */
export function listDeliveries(s: Store, filter: DeliveryListFilter, page: Page): Promise<PageResult<DeliveryListItem>> {
  return s.deliveries.list(page, filter);
}
