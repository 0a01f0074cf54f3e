/**
 * How far an order has come, derived from its lines' quantities (core/orders/quantities): the
 * fulfilment ('not_started' … 'delivered', or 'cancelled') and the invoicing progress. Stored status
 * (unconfirmed, on_hold, confirmed, cancelled, closed) says what may happen to the order; this says
 * how much of it has happened.
 */
import { orderFulfilmentStatus, type OrderLineQuantities } from '../../core/orders/quantities.js';
import type { OrderLineRecord, OrderRecord } from '../ports.js';

export type FulfilmentProgress = 'not_started' | 'in_fulfilment' | 'partially_delivered' | 'delivered' | 'cancelled';
export type InvoicingProgress = 'not_invoiced' | 'partially_invoiced' | 'invoiced';

export function lineQuantities(l: OrderLineRecord): OrderLineQuantities {
  return {
    ordered: l.quantity,
    cancelled: l.quantityCancelled,
    reserved: l.quantityReserved,
    shipped: l.quantityShipped,
    delivered: l.quantityDelivered,
    returned: l.quantityReturned,
    replacement: l.quantityReplacement,
    invoiced: l.quantityInvoiced,
    credited: l.quantityCredited,
  };
}

export function orderProgress(order: Pick<OrderRecord, 'lines'>): { fulfilment: FulfilmentProgress; invoicing: InvoicingProgress } {
  if (order.lines.length === 0) return { fulfilment: 'not_started', invoicing: 'not_invoiced' };
  const p = orderFulfilmentStatus(order.lines.map(lineQuantities));
  if (p.fulfilment === 'cancelled') return { fulfilment: 'cancelled', invoicing: 'not_invoiced' };
  let fulfilment: FulfilmentProgress = p.fulfilment === 'confirmed' ? 'not_started' : p.fulfilment;
  // Goods in a delivery that is being picked or packed count as in fulfilment too.
  if (fulfilment === 'not_started' && order.lines.some((l) => l.quantityAllocated.scaled > 0n)) fulfilment = 'in_fulfilment';
  return { fulfilment, invoicing: p.invoicing };
}
