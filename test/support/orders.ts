/** Helpers for the order, delivery, portal and invoicing suites. */
import type { TestApp } from './app.js';
import { client } from '../api/helpers.js';

/**
 * A new customer (currency SEK unless given) and a quote for it with these lines, sent and accepted:
 * the customer, the quote and the order it made (not yet confirmed).
 */
export async function orderFromQuote(t: TestApp, customer: Record<string, unknown>, lines: Record<string, unknown>[]) {
  const { ok } = client(t);
  const c = await ok('POST', '/v1/customers', { currency: 'SEK', ...customer });
  const quote = await ok('POST', '/v1/quotes', { customer_id: c.id, lines });
  await ok('POST', `/v1/quotes/${quote.id}/send`);
  const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
  return { customer: c, quote, order };
}

/** What deliveredOrder takes after the app: the customer, the quote lines and the body of the ship call. */
type DeliveredOrderArgs = [customer: Record<string, unknown>, lines: Record<string, unknown>[], ship?: Record<string, unknown>];

/**
 * orderFromQuote, then the order confirmed and delivered in full (one delivery, shipped with `ship`,
 * then delivered): the customer, the quote, the order and the delivery.
 */
export async function deliveredOrder(t: TestApp, ...[customer, lines, ship = {}]: DeliveredOrderArgs) {
  const { ok } = client(t);
  const o = await orderFromQuote(t, customer, lines);
  await ok('POST', `/v1/orders/${o.order.id}/confirm`);
  const d = await ok('POST', `/v1/orders/${o.order.id}/deliveries`, {});
  await ok('POST', `/v1/deliveries/${d.id}/ship`, ship);
  const delivery = await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
  return { ...o, delivery };
}

/** deliveredOrder, then the draft invoice of what was delivered: also returns `draft`. */
export async function draftInvoiceForDeliveredOrder(t: TestApp, ...args: DeliveredOrderArgs) {
  const o = await deliveredOrder(t, ...args);
  const draft = await client(t).ok('POST', '/v1/invoices', { order_id: o.order.id });
  return { ...o, draft };
}

/** The issued invoice for a delivered order (draftInvoiceForDeliveredOrder, then issued): also returns `invoice`. */
export async function issuedInvoiceForDeliveredOrder(t: TestApp, ...args: DeliveredOrderArgs) {
  const o = await draftInvoiceForDeliveredOrder(t, ...args);
  const invoice = await client(t).ok('POST', `/v1/invoices/${o.draft.id}/issue`, {});
  return { ...o, invoice };
}

/** 8 × 125.00 = 1 000.00 + 25 % VAT 250.00 = 1 250.00, in the customer's currency. */
export const CONSULTING_LINES = [{ description: 'Konsulttimme', quantity: '8', unit_price: '125.00', tax_class: 'standard' }];

/** For an existing customer: a quote of `lines` sent, accepted, confirmed, delivered in full, and its draft invoice. */
export async function draftInvoiceForCustomer(t: TestApp, customerId: string, lines: Record<string, unknown>[] = CONSULTING_LINES) {
  const { ok } = client(t);
  const quote = await ok('POST', '/v1/quotes', { customer_id: customerId, lines });
  await ok('POST', `/v1/quotes/${quote.id}/send`);
  const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
  await ok('POST', `/v1/orders/${order.id}/confirm`);
  const delivery = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
  await ok('POST', `/v1/deliveries/${delivery.id}/ship`, {});
  await ok('POST', `/v1/deliveries/${delivery.id}/deliver`, {});
  return ok('POST', '/v1/invoices', { order_id: order.id });
}

/** draftInvoiceForCustomer, then issued. */
export async function issuedInvoiceForCustomer(t: TestApp, customerId: string, lines?: Record<string, unknown>[]) {
  const draft = await draftInvoiceForCustomer(t, customerId, lines);
  return client(t).ok('POST', `/v1/invoices/${draft.id}/issue`, {});
}
