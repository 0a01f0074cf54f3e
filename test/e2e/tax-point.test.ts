/**
 * The tax point decides the rate, not the quote date, on every configured database: a food line
 * (tax class 'food', 12 % until 2026-03-31, 6 % from 2026-04-01) quoted on 2026-03-20 and delivered on
 * 2026-04-02 is invoiced at 6 %; delivered on 2026-03-28 it keeps 12 %. The net is the order's in both
 * cases; the VAT is per rate group on the invoice, and issuing posts it to the account of its rate.
 * With two deliveries either side of the change the latest delivery date counts.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';

interface EntryLine { account: string; debit: { amount: string }; credit: { amount: string } }
interface BreakdownRow { vat_category: string; vat_rate: string; taxable_amount: { amount: string }; vat_amount: { amount: string } }

describe.each(TEST_DATABASES)('VAT at the tax point [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-04-10T10:00:00Z') });
  const { ok } = client(t);

  async function postingsOf(invoiceId: string): Promise<Record<string, [string, string]>> {
    const entries = await ok('GET', '/v1/ledger/entries?limit=100');
    const entry = (entries.data as { source_id: string; lines: EntryLine[] }[]).find((e) => e.source_id === invoiceId);
    expect(entry, `journal entry of ${invoiceId}`).toBeDefined();
    return Object.fromEntries(entry!.lines.map((l) => [l.account, [l.debit.amount, l.credit.amount]]));
  }

  const breakdown = (inv: { vat_breakdown: BreakdownRow[] }) =>
    inv.vat_breakdown.map((b) => [b.vat_category, b.vat_rate, b.taxable_amount.amount, b.vat_amount.amount]);

  /**
   * Quoted on 2026-03-20: 10 × coffee 200.00 (food) = 2000.00 at 12 % → 240.00, a brewer 1000.00 at
   * 25 % → 250.00; gross 3490.00. Delivered on the given dates (the lines split over them as given).
   */
  async function invoiceDeliveredOn(name: string, deliveries: { on: string; lines?: { order_line_no: number; quantity: string }[] }[]) {
    const customer = await ok('POST', '/v1/customers', { name, country: 'SE', currency: 'SEK', payment_terms_days: 30, org_number: '556000-2222' });
    const coffee = await ok('POST', '/v1/products', {
      sku: `COFFEE-${name}`, name: 'Kaffe 1 kg', unit: 'C62', tax_class: 'food', unit_prices: [{ amount: '200.00', currency: 'SEK' }],
    });
    const brewer = await ok('POST', '/v1/products', {
      sku: `BREW-${name}`, name: 'Kaffebryggare', unit: 'C62', tax_class: 'standard', unit_prices: [{ amount: '1000.00', currency: 'SEK' }],
    });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id, quote_date: '2026-03-20',
      lines: [{ product_id: coffee.id, quantity: '10' }, { product_id: brewer.id, quantity: '1' }],
    });
    expect(quote.lines.map((l: { vat_category: string; vat_rate: string }) => [l.vat_category, l.vat_rate])).toEqual([['S', '12'], ['S', '25']]);
    expect([quote.net_total.amount, quote.vat_total.amount, quote.gross_total.amount]).toEqual(['3000.00', '490.00', '3490.00']);
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    for (const d of deliveries) {
      const delivery = await ok('POST', `/v1/orders/${order.id}/deliveries`, d.lines === undefined ? {} : { lines: d.lines });
      await ok('POST', `/v1/deliveries/${delivery.id}/ship`, { carrier: 'PostNord', tracking_number: `PN-${delivery.id}` });
      await ok('POST', `/v1/deliveries/${delivery.id}/deliver`, { delivered_on: d.on });
    }
    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    return ok('POST', `/v1/invoices/${draft.id}/issue`, {});
  }

  it('invoices food delivered on or after 2026-04-01 at 6 %, though quoted at 12 %', async () => {
    const inv = await invoiceDeliveredOn('Kafé Efter AB', [{ on: '2026-04-02' }]);
    expect(inv.lines.map((l: { vat_rate: string; net_amount: { amount: string } }) => [l.vat_rate, l.net_amount.amount])).toEqual([
      ['6', '2000.00'],
      ['25', '1000.00'],
    ]);
    // 2000.00 × 6 % = 120.00; 1000.00 × 25 % = 250.00
    expect(breakdown(inv)).toEqual([['S', '25', '1000.00', '250.00'], ['S', '6', '2000.00', '120.00']]);
    expect([inv.net_total.amount, inv.vat_total.amount, inv.gross_total.amount]).toEqual(['3000.00', '370.00', '3370.00']);
    expect(await postingsOf(inv.id)).toEqual({
      '1510': ['3370.00', '0.00'],
      '3001': ['0.00', '1000.00'],
      '2611': ['0.00', '250.00'],
      '3003': ['0.00', '2000.00'],
      '2631': ['0.00', '120.00'],
    });
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('keeps 12 % for food delivered before 2026-04-01', async () => {
    const inv = await invoiceDeliveredOn('Kafé Före AB', [{ on: '2026-03-28' }]);
    expect(inv.lines.map((l: { vat_rate: string }) => l.vat_rate)).toEqual(['12', '25']);
    expect(breakdown(inv)).toEqual([['S', '25', '1000.00', '250.00'], ['S', '12', '2000.00', '240.00']]);
    expect([inv.net_total.amount, inv.vat_total.amount, inv.gross_total.amount]).toEqual(['3000.00', '490.00', '3490.00']);
    expect(await postingsOf(inv.id)).toEqual({
      '1510': ['3490.00', '0.00'],
      '3001': ['0.00', '1000.00'],
      '2611': ['0.00', '250.00'],
      '3002': ['0.00', '2000.00'],
      '2621': ['0.00', '240.00'],
    });
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('takes the latest delivery date of the line when its deliveries straddle the change', async () => {
    const inv = await invoiceDeliveredOn('Kafé Båda AB', [
      { on: '2026-03-30', lines: [{ order_line_no: 1, quantity: '4' }, { order_line_no: 2, quantity: '1' }] },
      { on: '2026-04-01', lines: [{ order_line_no: 1, quantity: '6' }] },
    ]);
    // the coffee's last delivery is on 2026-04-01 → 6 %; the brewer was delivered on 2026-03-30 → 25 % either way
    expect(breakdown(inv)).toEqual([['S', '25', '1000.00', '250.00'], ['S', '6', '2000.00', '120.00']]);
    expect(inv.gross_total.amount).toBe('3370.00');
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
