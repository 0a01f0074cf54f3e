/**
 * Creates a delivery for some or all of a confirmed order's open quantities. Validates every line
 * first ("cannot deliver more than ordered"), then allocates; the database CHECKs are the backstop.
 */
import { addD, compareD, isZeroD, subD, type Quantity } from '../../core/money/quantity.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import { yearOf } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { DeliveryRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export interface CreateDeliveryInput {
  /** Lines and quantities to deliver; omitted = every open quantity of the order. */
  lines?: { orderLineNo: number; quantity: Quantity }[] | undefined;
}

export async function createDelivery(s: Store, env: Env, orderId: OrderId, input: CreateDeliveryInput): Promise<DeliveryRecord> {
  const order = await s.orders.getForUpdate(orderId);
  if (!order) throw notFound('order', orderId);
  if (order.status !== 'confirmed') {
    throw new DomainError('order_not_confirmed', `The order is ${order.status}; only a confirmed order can be delivered`);
  }
  const open = new Map(order.lines.map((l) => [l.lineNo, subD(l.quantity, l.quantityAllocated)]));
  const wanted =
    input.lines ??
    order.lines.filter((l) => !isZeroD(open.get(l.lineNo)!)).map((l) => ({ orderLineNo: l.lineNo, quantity: open.get(l.lineNo)! }));
  if (wanted.length === 0) throw new DomainError('quantity_exceeds_open', 'Everything on this order is already in deliveries');
  const seen = new Map<number, Quantity>();
  for (const [i, w] of wanted.entries()) {
    const remaining = open.get(w.orderLineNo);
    if (remaining === undefined) throw invalid(`lines.${i}.order_line_no`, `The order has no line ${w.orderLineNo}`);
    const total = addD(seen.get(w.orderLineNo) ?? { scaled: 0n }, w.quantity);
    if (compareD(total, remaining) > 0) {
      throw new DomainError(
        'quantity_exceeds_open',
        `Line ${w.orderLineNo}: cannot deliver ${formatDecimal4(total)}, only ${formatDecimal4(remaining)} is open`,
        `lines.${i}.quantity`,
      );
    }
    seen.set(w.orderLineNo, total);
  }
  const today = env.clock.today();
  const seq = await s.series.next(`DN-${yearOf(today)}`);
  const delivery: DeliveryRecord = {
    id: env.ids.next('delivery'),
    number: `DN-${yearOf(today)}-${seq.toString().padStart(4, '0')}`,
    orderId,
    status: 'created',
    kind: 'standard',
    warehouseId: null,
    claimId: null,
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
    lines: wanted.map((w, i) => ({ lineNo: i + 1, orderLineNo: w.orderLineNo, quantity: w.quantity, hours: null })),
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
    data: { orderId, lines: delivery.lines.map((l) => ({ line: l.orderLineNo, quantity: formatDecimal4(l.quantity) })) },
  });
  return delivery;
}
