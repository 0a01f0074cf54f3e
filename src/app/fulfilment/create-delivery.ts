/**
 * Creates a delivery for some or all of a confirmed order's open quantities. Validates every line
 * first ("cannot deliver more than ordered"), then allocates; the database CHECKs are the backstop.
 *
 * Two kinds are created here (service deliveries come from completeServiceLine):
 * - standard: the order's goods; per line at most ordered − cancelled − already in standard deliveries
 * - replacement: free of charge for a claim; per line at most quantity_replacement − replacements
 *   already in deliveries
 * Cancelled deliveries do not count. A delivery with stock-tracked lines ships from a warehouse: the
 * one asked for, or the default one.
 */
import { yearlyNumber } from '../../core/documents/numbers.js';
import { addD, compareD, isZeroD, subD, ZERO_D, type Quantity } from '../../core/money/quantity.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import { yearOf } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { Id, OrderId } from '../../core/shared/ids.js';
import type { DeliveryKind, DeliveryLineRecord, DeliveryRecord, OrderLineRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { requireWarehouse } from '../stock/ledger.js';

export interface CreateDeliveryInput {
  /** Lines and quantities to deliver; omitted = every open quantity of the order (of this kind). */
  lines?: { orderLineNo: number; quantity: Quantity }[] | undefined;
  /** 'standard' (default) or 'replacement' (free of charge, for a claim). */
  kind?: 'standard' | 'replacement' | undefined;
  /** For a replacement delivery: the claim it answers. */
  claimId?: string | null | undefined;
  /** Where stock-tracked lines ship from; the default warehouse when omitted. */
  warehouseId?: Id<'warehouse'> | null | undefined;
}

/** Per order line: quantities in non-cancelled deliveries of each kind (service deliveries count as standard). */
export async function allocatedByKind(s: Store, orderId: OrderId): Promise<{ standard: Map<number, Quantity>; replacement: Map<number, Quantity> }> {
  const standard = new Map<number, Quantity>();
  const replacement = new Map<number, Quantity>();
  for (const d of await s.deliveries.listByOrder(orderId)) {
    if (d.status === 'cancelled') continue;
    const into = d.kind === 'replacement' ? replacement : standard;
    for (const l of d.lines) into.set(l.orderLineNo, addD(into.get(l.orderLineNo) ?? ZERO_D, l.quantity));
  }
  return { standard, replacement };
}

/** What is still open for a delivery of the kind on each line (never below 0). */
export async function openForDelivery(s: Store, order: OrderRecord, kind: 'standard' | 'replacement'): Promise<Map<number, Quantity>> {
  const allocated = await allocatedByKind(s, order.id);
  const clamp = (q: Quantity): Quantity => (q.scaled < 0n ? ZERO_D : q);
  return new Map(
    order.lines.map((l: OrderLineRecord) => [
      l.lineNo,
      kind === 'standard'
        ? clamp(subD(subD(l.quantity, l.quantityCancelled), allocated.standard.get(l.lineNo) ?? ZERO_D))
        : clamp(subD(l.quantityReplacement, allocated.replacement.get(l.lineNo) ?? ZERO_D)),
    ]),
  );
}

export function requireConfirmed(order: OrderRecord): void {
  if (order.status !== 'confirmed') {
    throw new DomainError('order_not_confirmed', `The order is ${order.status}; only a confirmed order can be delivered`);
  }
}

/** The next delivery number, DN-<year>-0001. */
export async function nextDeliveryNumber(s: Store, env: Env): Promise<string> {
  const today = env.clock.today();
  const seq = await s.series.next(`DN-${yearOf(today)}`);
  return yearlyNumber('DN', yearOf(today), seq);
}

export async function createDelivery(s: Store, env: Env, orderId: OrderId, input: CreateDeliveryInput): Promise<DeliveryRecord> {
  const order = await s.orders.getForUpdate(orderId);
  if (!order) throw notFound('order', orderId);
  requireConfirmed(order);
  const kind: DeliveryKind = input.kind ?? 'standard';
  if (kind !== 'standard' && kind !== 'replacement') throw invalid('kind', "kind must be 'standard' or 'replacement'");
  if (kind !== 'replacement' && input.claimId !== null && input.claimId !== undefined) {
    throw invalid('claim_id', 'claim_id is only for replacement deliveries');
  }
  const open = await openForDelivery(s, order, kind);
  const wanted =
    input.lines ??
    order.lines.filter((l) => !isZeroD(open.get(l.lineNo)!)).map((l) => ({ orderLineNo: l.lineNo, quantity: open.get(l.lineNo)! }));
  if (wanted.length === 0) {
    throw new DomainError(
      'quantity_exceeds_open',
      kind === 'replacement' ? 'No replacement is owed on this order' : 'Everything on this order is already in deliveries',
    );
  }
  const seen = new Map<number, Quantity>();
  for (const [i, w] of wanted.entries()) {
    const remaining = open.get(w.orderLineNo);
    if (remaining === undefined) throw invalid(`lines.${i}.order_line_no`, `The order has no line ${w.orderLineNo}`);
    const total = addD(seen.get(w.orderLineNo) ?? { scaled: 0n }, w.quantity);
    if (compareD(total, remaining) > 0) {
      throw new DomainError(
        'quantity_exceeds_open',
        kind === 'replacement'
          ? `Line ${w.orderLineNo}: cannot send ${formatDecimal4(total)} as replacement, only ${formatDecimal4(remaining)} is owed`
          : `Line ${w.orderLineNo}: cannot deliver ${formatDecimal4(total)}, only ${formatDecimal4(remaining)} is open`,
        `lines.${i}.quantity`,
      );
    }
    seen.set(w.orderLineNo, total);
  }
  const byLine = new Map(order.lines.map((l) => [l.lineNo, l]));
  const stockTracked = [...seen.keys()].some((n) => byLine.get(n)?.stockTracked === true);
  const warehouseId =
    input.warehouseId !== null && input.warehouseId !== undefined
      ? (await requireWarehouse(s, input.warehouseId, 'warehouse_id')).id
      : stockTracked
        ? (await requireWarehouse(s, null, 'warehouse_id')).id
        : null;

  const delivery: DeliveryRecord = {
    id: env.ids.next('delivery'),
    number: await nextDeliveryNumber(s, env),
    orderId,
    status: 'created',
    kind,
    warehouseId,
    claimId: input.claimId ?? null,
    carrier: null,
    trackingNumber: null,
    pickedAt: null,
    packedAt: null,
    shippedAt: null,
    deliveredAt: null,
    deliveredOn: null,
    cancelledAt: null,
    proof: null,
    reviewStatus: null,
    reviewedAt: null,
    createdAt: env.clock.now(),
    lines: wanted.map((w, i): DeliveryLineRecord => ({ lineNo: i + 1, orderLineNo: w.orderLineNo, quantity: w.quantity, hours: null })),
  };
  await s.deliveries.insert(delivery);
  await s.orders.applyLineDeltas(
    orderId,
    [...seen.entries()].map(([lineNo, q]) => ({ lineNo, allocated: q })),
  );
  await recordChange(s, env, {
    action: 'delivery.created',
    entityType: 'delivery',
    entityId: delivery.id,
    data: {
      orderId,
      kind,
      warehouseId,
      claimId: delivery.claimId,
      lines: delivery.lines.map((l) => ({ line: l.orderLineNo, quantity: formatDecimal4(l.quantity) })),
    },
  });
  return delivery;
}
