/** Helpers for the stock and fulfilment suites. */
import { sql } from 'kysely';
import type { TestApp } from './app.js';
import type { client } from '../api/helpers.js';
import { decimal4 } from '../../src/core/money/quantity.js';

/** Stored levels that differ from the fold of the ledger (SQL sums), and reserved figures that differ from the reservations. */
export async function stockMismatches(t: TestApp): Promise<unknown[]> {
  const levels = await sql<{ warehouse_id: string; product_id: string; on_hand: string; reserved: string; on_hand_sum: string; reserved_sum: string; reservations: string }>`
    SELECT l.warehouse_id, l.product_id, l.on_hand::text AS on_hand, l.reserved::text AS reserved,
           COALESCE((SELECT sum(m.on_hand_delta) FROM stock_movements m
                     WHERE m.tenant_id = l.tenant_id AND m.warehouse_id = l.warehouse_id AND m.product_id = l.product_id), 0)::text AS on_hand_sum,
           COALESCE((SELECT sum(m.reserved_delta) FROM stock_movements m
                     WHERE m.tenant_id = l.tenant_id AND m.warehouse_id = l.warehouse_id AND m.product_id = l.product_id), 0)::text AS reserved_sum,
           COALESCE((SELECT sum(r.quantity) FROM stock_reservations r
                     WHERE r.tenant_id = l.tenant_id AND r.warehouse_id = l.warehouse_id AND r.product_id = l.product_id), 0)::text AS reservations
    FROM stock_levels l WHERE l.tenant_id = ${t.tenantId}`.execute(t.kysely);
  const n = (s: string) => decimal4(s).scaled;
  const bad: unknown[] = levels.rows.filter(
    (r) => n(r.on_hand) !== n(r.on_hand_sum) || n(r.reserved) !== n(r.reserved_sum) || n(r.reserved) !== n(r.reservations),
  );
  // every order line's reserved figure equals its reservations
  const lines = await sql<{ order_id: string; line_no: number; quantity_reserved: string; reservations: string }>`
    SELECT ol.order_id, ol.line_no, ol.quantity_reserved::text AS quantity_reserved,
           COALESCE((SELECT sum(r.quantity) FROM stock_reservations r
                     WHERE r.tenant_id = ol.tenant_id AND r.order_id = ol.order_id AND r.order_line_no = ol.line_no), 0)::text AS reservations
    FROM order_lines ol WHERE ol.tenant_id = ${t.tenantId}`.execute(t.kysely);
  bad.push(...lines.rows.filter((r) => n(r.quantity_reserved) !== n(r.reservations)));
  return bad;
}

export async function stockTrackedProduct(ok: ReturnType<typeof client>['ok'], sku: string) {
  return ok('POST', '/v1/products', {
    sku, name: `Vara ${sku}`, tax_class: 'standard', unit_prices: [{ amount: '100.00', currency: 'SEK' }], stock_tracked: true,
  });
}

/** A confirmed order for the customer with the given lines (product or free-text), ready to deliver. */
export async function confirmedOrder(ok: ReturnType<typeof client>['ok'], customerId: string, lines: unknown[]) {
  const quote = await ok('POST', '/v1/quotes', { customer_id: customerId, lines });
  await ok('POST', `/v1/quotes/${quote.id}/send`);
  const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
  await ok('POST', `/v1/orders/${order.id}/confirm`);
  return ok('GET', `/v1/orders/${order.id}`);
}

