/**
 * Applying one stock movement: lock the level, check the movement against it with the core model
 * (planMovement, under the tenant's policy), store the new level and reservation, append the movement
 * with the deltas it made. Every change to stock goes through here, so the stored levels always equal
 * the sum of the movements and the reserved figure the sum of the reservations.
 */
import { ZERO_D, type Quantity } from '../../core/money/quantity.js';
import { planMovement, type MovementPlan, type StockLevel, type StockMovement, type StockPolicy, type StockReference } from '../../core/stock/stock.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { Id, OrderId, ProductId } from '../../core/shared/ids.js';
import type { Store, StockReservationRecord, WarehouseRecord } from '../ports.js';
import type { Env } from '../shared/env.js';

/** The reference of an order line's reservation in the ledger: `<order id>-<line no>`. */
export const orderLineRef = (orderId: OrderId, lineNo: number): StockReference => ({ type: 'order_line', id: `${orderId}-${lineNo}` });
/** The reference of a shipped delivery line: `<delivery id>-<line no>`. */
export const deliveryLineRef = (deliveryId: string, lineNo: number): StockReference => ({ type: 'delivery_line', id: `${deliveryId}-${lineNo}` });

function parseOrderLineRef(id: string): { orderId: OrderId; lineNo: number } {
  const at = id.lastIndexOf('-');
  return { orderId: id.slice(0, at) as OrderId, lineNo: Number(id.slice(at + 1)) };
}

export async function stockPolicy(s: Store): Promise<StockPolicy> {
  const tenant = await s.tenant.get();
  return { allowNegativeStock: tenant?.allowNegativeStock ?? false };
}

/** The warehouse asked for (404 naming `param` when unknown), or the default one; undefined when there is none. */
export async function warehouseOrDefault(s: Store, id: Id<'warehouse'> | null | undefined, param: string): Promise<WarehouseRecord | undefined> {
  if (id !== null && id !== undefined) {
    const w = await s.stock.getWarehouse(id);
    if (!w) throw notFound('warehouse', id, param);
    return w;
  }
  return s.stock.getDefaultWarehouse();
}

/** Like warehouseOrDefault, but refuses when there is no warehouse at all. */
export async function requireWarehouse(s: Store, id: Id<'warehouse'> | null | undefined, param: string): Promise<WarehouseRecord> {
  const w = await warehouseOrDefault(s, id, param);
  if (!w) throw new DomainError('unprocessable', 'There is no warehouse yet: create one first (POST /v1/warehouses)', param);
  return w;
}

/** The stock-tracked product, or validation_failed naming `param`. */
export async function requireStockProduct(s: Store, id: ProductId, param: string): Promise<void> {
  const p = await s.products.get(id);
  if (!p) throw notFound('product', id, param);
  if (!p.stockTracked) throw new DomainError('validation_failed', `Product ${p.sku} is not stock-tracked`, param);
}

/** The level locked for update, with its reservations, as the core model has it. */
async function lockedLevel(s: Store, warehouseId: Id<'warehouse'>, productId: ProductId): Promise<{ level: StockLevel; reservations: StockReservationRecord[] }> {
  const stored = await s.stock.lockLevel(warehouseId, productId);
  const reservations = await s.stock.listReservations({ warehouseId, productId });
  const level: StockLevel = {
    warehouseId,
    productId,
    onHand: stored.onHand,
    reserved: stored.reserved,
    reservations: reservations
      .map((r) => ({ reference: orderLineRef(r.orderId, r.orderLineNo), quantity: r.quantity }))
      .sort((a, b) => (a.reference.id < b.reference.id ? -1 : a.reference.id > b.reference.id ? 1 : 0)),
  };
  return { level, reservations };
}

/** The available quantity (on hand − reserved) of a level, locking it. */
export async function lockAvailable(s: Store, warehouseId: Id<'warehouse'>, productId: ProductId): Promise<Quantity> {
  const { level } = await lockedLevel(s, warehouseId, productId);
  return { scaled: level.onHand.scaled - level.reserved.scaled };
}

/**
 * Applies one movement under the policy (throws the core model's refusal, changing nothing) and
 * returns the plan: the movement as validated, its effect and the new level.
 */
export async function applyStockMovement(
  s: Store,
  env: Env,
  policy: StockPolicy,
  movement: StockMovement,
  id: Id<'stockMovement'> = env.ids.next('stockMovement'),
): Promise<MovementPlan & { id: Id<'stockMovement'> }> {
  const warehouseId = movement.warehouseId as Id<'warehouse'>;
  const { level } = await lockedLevel(s, warehouseId, movement.productId);
  const plan = planMovement(level, movement, policy);
  const now = env.clock.now();
  await s.stock.saveLevel(warehouseId, movement.productId, plan.level.onHand, plan.level.reserved, now);
  const target = plan.movement.kind === 'ship' ? plan.movement.reservation : plan.movement.kind === 'reserve' || plan.movement.kind === 'release' ? plan.movement.reference : undefined;
  if (target !== undefined && target.type === 'order_line' && plan.effect.reserved.scaled !== 0n) {
    const { orderId, lineNo } = parseOrderLineRef(target.id);
    const after = plan.level.reservations.find((r) => r.reference.type === target.type && r.reference.id === target.id)?.quantity ?? ZERO_D;
    await s.stock.setReservation({ warehouseId, productId: movement.productId, orderId, orderLineNo: lineNo, quantity: after });
  }
  await s.stock.insertMovement({
    id,
    warehouseId,
    productId: plan.movement.productId,
    kind: plan.movement.kind,
    quantity: plan.movement.quantity,
    onHandDelta: plan.effect.onHand,
    reservedDelta: plan.effect.reserved,
    referenceType: plan.movement.reference.type,
    referenceId: plan.movement.reference.id,
    reason: plan.movement.reason ?? null,
    createdAt: now,
  });
  return { ...plan, id };
}
