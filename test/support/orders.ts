/** Helpers for the order, delivery and portal suites. */
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
