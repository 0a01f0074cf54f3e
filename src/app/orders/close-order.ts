/**
 * Closing an order: the end of its lifecycle, once there is nothing left to do on it. A confirmed
 * order closes when every line is delivered or cancelled (fulfilment 'delivered' or 'cancelled'),
 * everything delivered is invoiced (invoicing 'invoiced'), no delivery is still under way and no
 * claim on it is open, and every issued advance invoice (deposit, milestone) is deducted or credited
 * (decision 0010). Stock still reserved for it is released. A closed order takes no deliveries,
 * invoices or amendments.
 */
import { nextOrderStatus } from '../../core/documents/lifecycle.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { releaseOrderStock } from '../stock/reservations.js';
import { orderProgress } from './progress.js';
import { advancesOpenOn } from '../invoicing/advance-invoice.js';

/** Why the order cannot close yet, or null when it can. */
export async function openWorkOn(s: Store, order: OrderRecord): Promise<string | null> {
  const p = orderProgress(order);
  if (p.fulfilment !== 'delivered' && p.fulfilment !== 'cancelled') return `it is not fully delivered (${p.fulfilment.replace('_', ' ')})`;
  if (p.fulfilment === 'delivered' && p.invoicing !== 'invoiced') return `it is not fully invoiced (${p.invoicing.replace('_', ' ')})`;
  const busy = (await s.deliveries.listByOrder(order.id)).filter((d) => d.status !== 'delivered' && d.status !== 'cancelled');
  if (busy.length > 0) return `delivery ${busy[0]!.number} is ${busy[0]!.status}`;
  const open = (await s.claims.listByOrders([order.id])).filter((c) => c.status === 'open');
  if (open.length > 0) return `claim ${open[0]!.number} is open`;
  return advancesOpenOn(s, order.id);
}

export async function closeOrder(s: Store, env: Env, id: OrderId): Promise<OrderRecord> {
  const order = await s.orders.getForUpdate(id);
  if (!order) throw notFound('order', id);
  const to = nextOrderStatus(order.status, 'close');
  const why = await openWorkOn(s, order);
  if (why !== null) throw new DomainError('conflict', `Order ${order.number} cannot be closed: ${why}`);
  const now = env.clock.now();
  if (!(await s.orders.transition(id, order.status, to, now))) {
    throw new DomainError('order_not_confirmed', 'The order changed while it was being closed; reload it');
  }
  const closed = { ...order, status: to };
  await releaseOrderStock(s, env, { ...closed, status: 'cancelled' });
  await recordChange(s, env, {
    action: 'order.closed',
    entityType: 'order',
    entityId: id,
    event: { type: 'order.closed', payload: { id, number: order.number } },
  });
  const after = await s.orders.get(id);
  if (!after) throw notFound('order', id);
  return after;
}
