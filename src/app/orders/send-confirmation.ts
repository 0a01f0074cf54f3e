/**
 * Sends the order confirmation to the customer: an `order.confirmation_sent` event, written with the
 * audit row in this transaction, which the outbox worker turns into an e-mail with the confirmation
 * PDF and a new portal link to the order (made there, so the token exists only in the e-mail: it is
 * never stored in the outbox nor in an idempotency record).
 */
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export async function sendOrderConfirmation(s: Store, env: Env, id: OrderId): Promise<OrderRecord> {
  const order = await s.orders.get(id);
  if (!order) throw notFound('order', id);
  if (order.status === 'cancelled' || order.status === 'closed') {
    throw new DomainError('conflict', `The order is ${order.status}; there is nothing to confirm to the customer`);
  }
  const customer = await s.customers.get(order.customerId);
  if (!customer?.email) {
    throw new DomainError('unprocessable', 'The customer has no e-mail address to send the order confirmation to', 'customer.email');
  }
  await recordChange(s, env, {
    action: 'order.confirmation_sent',
    entityType: 'order',
    entityId: id,
    data: { version: order.version, to: customer.email },
    event: { type: 'order.confirmation_sent', payload: { id, number: order.number, version: order.version } },
  });
  return order;
}
