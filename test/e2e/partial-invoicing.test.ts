/**
 * Partial deliveries invoiced one by one charge exactly what the order froze, however the line was
 * priced: graduated tiers, an amount discount and a share of a quote-level discount. The invoices of
 * a line add up to the order line to the öre, and the ledger stays balanced.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const TIERS = [
  { up_to: '10', unit_price: '100.00' },
  { up_to: '50', unit_price: '90.00' },
  { up_to: null, unit_price: '80.00' },
];

describe.each(TEST_DATABASES)('partial invoicing of richly priced lines [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  it('invoices three partial deliveries that add up to the order exactly', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Delkund AB', country: 'SE', currency: 'SEK' });
    const bolt = await ok('POST', '/v1/products', {
      sku: 'BOLT-TIER', name: 'Bult M8', tax_class: 'standard', unit_prices: [{ amount: '100.00', currency: 'SEK' }],
    });
    await ok('POST', '/v1/price-lists', { name: 'Mängd', currency: 'SEK', prices: [{ product_id: bolt.id, tiers: { mode: 'graduated', tiers: TIERS } }] });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      discount: { percent: '3' },
      lines: [
        { product_id: bolt.id, quantity: '61', discount: { amount: '401.01' } },
        { description: 'Frakt', quantity: '1', unit_price: '349.00', tax_class: 'standard' },
      ],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const orderLine = order.lines[0];
    // graduated: 10 × 100 + 40 × 90 + 11 × 80 = 5 480.00
    expect(orderLine.gross_amount).toEqual({ amount: '5480.00', currency: 'SEK' });

    const invoices = [];
    for (const qty of ['7', '23.5', '30.5']) {
      const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: qty }] });
      await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
      await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
      const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
      invoices.push(await ok('POST', `/v1/invoices/${draft.id}/issue`, {}));
    }
    const minor = (m: { amount: string }) => BigInt(m.amount.replace('.', ''));
    const boltNets = invoices.map((i) => i.lines.find((l: any) => l.order_line_no === 1).net_amount);
    expect(boltNets.reduce((a: bigint, m: any) => a + minor(m), 0n)).toBe(minor(orderLine.net_amount));
    for (const i of invoices) {
      for (const l of i.lines) expect(minor(l.gross_amount) - minor(l.discount_amount)).toBe(minor(l.net_amount));
    }
    // the freight line has not been delivered: nothing of it is invoiced yet
    expect(invoices.every((i) => i.lines.every((l: any) => l.order_line_no === 1))).toBe(true);
    const after = await ok('GET', `/v1/orders/${order.id}`);
    expect(after.lines[0].quantity_invoiced).toBe('61');
    expect(after.lines[0].net_invoiced).toEqual(orderLine.net_amount);
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
