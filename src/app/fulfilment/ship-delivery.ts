import { nextDeliveryStatus } from '../../core/documents/lifecycle.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { DeliveryId, OrderId } from '../../core/shared/ids.js';
import type { DeliveryRecord, OrderLineDelta, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

function sumByOrderLine(d: DeliveryRecord, field: 'shipped' | 'delivered'): OrderLineDelta[] {
  return d.lines.map((l) => ({ lineNo: l.orderLineNo, [field]: l.quantity }));
}

export async function shipDelivery(
  s: Store,
  env: Env,
  id: DeliveryId,
  input: { carrier?: string | null | undefined; trackingNumber?: string | null | undefined },
): Promise<DeliveryRecord> {
  const d = await s.deliveries.getForUpdate(id);
  if (!d) throw notFound('delivery', id);
  const to = nextDeliveryStatus(d.status, 'ship');
  const now = env.clock.now();
  if (!(await s.deliveries.markShipped(id, now, input.carrier ?? null, input.trackingNumber ?? null))) {
    throw new DomainError('delivery_not_shippable', 'The delivery changed while it was being shipped; reload it');
  }
  await s.orders.applyLineDeltas(d.orderId, sumByOrderLine(d, 'shipped'));
  await recordChange(s, env, {
    action: 'delivery.shipped',
    entityType: 'delivery',
    entityId: id,
    data: { carrier: input.carrier ?? null, trackingNumber: input.trackingNumber ?? null },
    event: { type: 'delivery.shipped', payload: { id, order_id: d.orderId } },
  });
  return { ...d, status: to, shippedAt: now, carrier: input.carrier ?? null, trackingNumber: input.trackingNumber ?? null };
}

export async function deliverDelivery(
  s: Store,
  env: Env,
  id: DeliveryId,
  input: { deliveredOn?: LocalDate | undefined },
): Promise<DeliveryRecord> {
  const d = await s.deliveries.getForUpdate(id);
  if (!d) throw notFound('delivery', id);
  const to = nextDeliveryStatus(d.status, 'deliver');
  const now = env.clock.now();
  const on = input.deliveredOn ?? env.clock.today();
  if (!(await s.deliveries.markDelivered(id, now, on))) {
    throw new DomainError('delivery_not_deliverable', 'The delivery changed while it was being delivered; reload it');
  }
  await s.orders.applyLineDeltas(d.orderId, sumByOrderLine(d, 'delivered'));
  await recordChange(s, env, {
    action: 'delivery.delivered',
    entityType: 'delivery',
    entityId: id,
    data: { deliveredOn: on },
    event: { type: 'delivery.delivered', payload: { id, order_id: d.orderId } },
  });
  return { ...d, status: to, deliveredAt: now, deliveredOn: on };
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
