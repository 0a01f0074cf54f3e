/** The order is reviewed with the customer and confirmed; only a confirmed order can be fulfilled. */
import { nextOrderStatus } from '../../core/documents/lifecycle.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export async function confirmOrder(s: Store, env: Env, id: OrderId): Promise<OrderRecord> {
  const order = await s.orders.getForUpdate(id);
  if (!order) throw notFound('order', id);
  const to = nextOrderStatus(order.status, 'confirm');
  const now = env.clock.now();
  if (!(await s.orders.transition(id, order.status, to, now))) {
    throw new DomainError('order_not_confirmable', 'The order changed while it was being confirmed; reload it');
  }
  await recordChange(s, env, {
    action: 'order.confirmed',
    entityType: 'order',
    entityId: id,
    event: { type: 'order.confirmed', payload: { id, number: order.number } },
  });
  return { ...order, status: to, confirmedAt: now };
}

export async function getOrder(s: Store, id: OrderId): Promise<OrderRecord> {
  const o = await s.orders.get(id);
  if (!o) throw notFound('order', id);
  return o;
}
