/**
 * Services are not shipped: a service line is marked done, in part or in full, with the hours worked
 * when it is billed by time. That creates a 'service' delivery that is already delivered, so the
 * quantity becomes invoiceable like delivered goods and the customer can review it.
 */
import { compareD, formatDecimal4, type Quantity } from '../../core/money/quantity.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { DeliveryRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { nextDeliveryNumber, openForDelivery, requireConfirmed } from './create-delivery.js';

export interface CompleteServiceInput {
  quantity: Quantity;
  /** Hours worked (time-based services); ≥ 0. */
  hours?: Quantity | null | undefined;
}

export async function completeServiceLine(s: Store, env: Env, orderId: OrderId, lineNo: number, input: CompleteServiceInput): Promise<DeliveryRecord> {
  const order = await s.orders.getForUpdate(orderId);
  if (!order) throw notFound('order', orderId);
  requireConfirmed(order);
  const line = order.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw notFound('order line', `${orderId}#${lineNo}`);
  if (line.fulfilmentKind !== 'service') {
    throw new DomainError('unprocessable', `Line ${lineNo} is goods: ship it in a delivery (POST /v1/orders/${orderId}/deliveries)`);
  }
  if (input.hours !== null && input.hours !== undefined && input.hours.scaled < 0n) {
    throw new DomainError('validation_failed', 'hours must not be negative', 'hours');
  }
  const open = (await openForDelivery(s, order, 'standard')).get(lineNo)!;
  if (compareD(input.quantity, open) > 0) {
    throw new DomainError(
      'quantity_exceeds_open',
      `Line ${lineNo}: cannot complete ${formatDecimal4(input.quantity)}, only ${formatDecimal4(open)} is open`,
      'quantity',
    );
  }
  const now = env.clock.now();
  const today = env.clock.today();
  const delivery: DeliveryRecord = {
    id: env.ids.next('delivery'),
    number: await nextDeliveryNumber(s, env),
    orderId,
    status: 'delivered',
    kind: 'service',
    warehouseId: null,
    claimId: null,
    carrier: null,
    trackingNumber: null,
    pickedAt: null,
    packedAt: null,
    shippedAt: now,
    deliveredAt: now,
    deliveredOn: today,
    cancelledAt: null,
    proof: null,
    reviewStatus: 'awaiting_review',
    reviewedAt: null,
    createdAt: now,
    lines: [{ lineNo: 1, orderLineNo: lineNo, quantity: input.quantity, hours: input.hours ?? null }],
  };
  await s.deliveries.insert(delivery);
  await s.orders.applyLineDeltas(orderId, [{ lineNo, allocated: input.quantity, shipped: input.quantity, delivered: input.quantity }]);
  await recordChange(s, env, {
    action: 'delivery.service_completed',
    entityType: 'delivery',
    entityId: delivery.id,
    data: { orderId, line: lineNo, quantity: formatDecimal4(input.quantity), hours: input.hours ? formatDecimal4(input.hours) : null },
    event: { type: 'delivery.delivered', payload: { id: delivery.id, order_id: orderId } },
  });
  return delivery;
}
