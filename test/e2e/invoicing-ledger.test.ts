/**
 * Issue 5's "the ledger invariants after all of it": one tenant goes through every kind of invoicing
 * the issue asks for — mixed VAT rates, a deposit deducted on the final invoice, a partial credit note
 * and a credit note on a paid invoice (customer credit), prices entered including VAT, an invoice in
 * EUR paid at another rate, reverse charge and export, a billing run — with payments in between. Then
 * the books are checked as a whole: every entry balances, the trial balance sums to zero, 1510 equals
 * the open items per customer and in total, 2420 equals unapplied cash, the advances account 2429 is
 * back to zero, and every invoice's amount due equals its open item.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';

describe.each(TEST_DATABASES)('the ledger after all of invoicing [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  async function customer(body: Record<string, unknown>) {
    return ok('POST', '/v1/customers', { country: 'SE', currency: 'SEK', payment_terms_days: 30, ...body });
  }
  async function confirmedOrder(customerId: string, lines: Record<string, unknown>[], quote: Record<string, unknown> = {}) {
    const q = await ok('POST', '/v1/quotes', { customer_id: customerId, lines, ...quote });
    await ok('POST', `/v1/quotes/${q.id}/send`);
    const order = await ok('POST', `/v1/quotes/${q.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    return order;
  }
  async function deliverAll(orderId: string) {
    const d = await ok('POST', `/v1/orders/${orderId}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
  }
  async function invoice(orderId: string) {
    const draft = await ok('POST', '/v1/invoices', { order_id: orderId });
    return ok('POST', `/v1/invoices/${draft.id}/issue`, {});
  }
  async function pay(inv: { payment_reference: string; amount_due: { amount: string; currency: string } }, amount?: { amount: string; currency: string }) {
    return ok('POST', '/v1/payments', { amount: amount ?? inv.amount_due, reference_text: inv.payment_reference, auto_apply: true });
  }
  async function balanceOf(account: string): Promise<bigint> {
    const rows = await t.db.store(t.tenantId).journal.accountBalance(account);
    return rows.reduce((a, r) => a + r.balanceMinor, 0n);
  }

  it('keeps every invariant through deposits, credits, VAT-inclusive prices, foreign currency, reverse charge and a billing run', async () => {
    // 1. Mixed rates with a 30 % deposit, paid; the final invoice deducts it and is paid; then a
    //    partial credit note on the paid final invoice becomes customer credit.
    const svensson = await customer({ name: 'Svensson Bygg AB', org_number: '556036-0793' });
    const mixed = await confirmedOrder(svensson.id, [
      { description: 'Montage', quantity: '8', unit_price: '750.00', tax_class: 'standard' },
      { description: 'Fika', quantity: '12', unit_price: '45.00', tax_class: 'reduced_12' },
      { description: 'Handbok', quantity: '2', unit_price: '199.00', tax_class: 'reduced_6' },
    ]);
    const deposit = await ok('POST', `/v1/orders/${mixed.id}/advance-invoices`, { kind: 'deposit', percent: '30', issue: true });
    expect(deposit.kind).toBe('deposit');
    await pay(deposit);
    await deliverAll(mixed.id);
    const final = await invoice(mixed.id);
    expect(final.prepaid.amount).toBe(deposit.gross_total.amount);
    await pay(final);
    const cn = await ok('POST', `/v1/invoices/${final.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'En timme för mycket' });
    const cnIssued = await ok('POST', `/v1/credit-notes/${cn.id}/issue`, {});
    expect(cnIssued.customer_credit.amount).not.toBe('0.00');

    // 2. Prices entered including VAT (B2C).
    const konsument = await customer({ name: 'Anna Konsument' });
    const b2c = await confirmedOrder(konsument.id, [
      { description: 'Lampa', quantity: '3', unit_price: '99.00', tax_class: 'standard' },
      { description: 'Kaffe', quantity: '1', unit_price: '49.90', tax_class: 'reduced_6' },
    ], { prices_include_vat: true });
    await deliverAll(b2c.id);
    const b2cInvoice = await invoice(b2c.id);
    await pay(b2cInvoice);

    // 3. EUR: rate on the issue date 11.4325, paid later at 11.60 (an exchange gain).
    await ok('PUT', '/v1/exchange-rates/EUR/2026-12-01', { rate: '11.4325' });
    const gmbh = await customer({ name: 'Müller GmbH', country: 'DE', currency: 'EUR', vat_number: 'DE129273398' });
    const eurOrder = await confirmedOrder(gmbh.id, [{ description: 'Beratung', quantity: '10', unit_price: '120.00', unit: 'HUR', tax_class: 'standard' }]);
    await deliverAll(eurOrder.id);
    const eurInvoice = await invoice(eurOrder.id);
    // services to an EU business with a VAT number: reverse charge (AE), no VAT
    expect(eurInvoice).toMatchObject({ currency: 'EUR', vat_total: { amount: '0.00', currency: 'EUR' } });
    expect(eurInvoice.lines.map((l: { vat_category: string }) => l.vat_category)).toEqual(['AE']);
    await ok('PUT', '/v1/exchange-rates/EUR/2026-12-03', { rate: '11.60' });
    await ok('POST', '/v1/payments', { amount: eurInvoice.amount_due, reference_text: eurInvoice.payment_reference, auto_apply: true, received_on: '2026-12-04' });

    // 4. Goods exported outside the EU (G), left unpaid; and a credit note of an amount on it.
    const usa = await customer({ name: 'Acme Inc', country: 'US', currency: 'SEK', vat_number: 'US-EIN-12-3456789' });
    const exportOrder = await confirmedOrder(usa.id, [{ description: 'Maskin', quantity: '1', unit_price: '25000.00', tax_class: 'standard' }]);
    await deliverAll(exportOrder.id);
    const exportInvoice = await invoice(exportOrder.id);
    expect(exportInvoice.lines.map((l: { vat_category: string }) => l.vat_category)).toEqual(['G']);
    const cnExport = await ok('POST', `/v1/invoices/${exportInvoice.id}/credit-notes`, { amount: { net_amount: { amount: '1000.00', currency: 'SEK' }, vat_rate: '0' }, reason: 'Rabatt i efterhand' });
    await ok('POST', `/v1/credit-notes/${cnExport.id}/issue`, {});

    // 5. A billing run issues what is left: two more delivered orders of one customer.
    const nilsson = await customer({ name: 'Nilsson Måleri HB' });
    for (const n of [1, 2]) {
      const o = await confirmedOrder(nilsson.id, [{ description: `Färg ${n}`, quantity: String(n * 5), unit_price: '89.00', tax_class: 'standard' }]);
      await deliverAll(o.id);
    }
    const run = await ok('POST', '/v1/billing-runs', { issue: true });
    expect(run.created.length).toBeGreaterThanOrEqual(1);

    // the books as a whole
    await assertLedgerInvariants(t.db, t.tenantId);
    expect(await balanceOf('2429')).toBe(0n);
    const invoices = (await ok('GET', '/v1/invoices?limit=100')).data;
    expect(invoices.length).toBeGreaterThanOrEqual(7);
    const s = t.db.store(t.tenantId);
    for (const inv of invoices.filter((i: { status: string }) => i.status === 'issued')) {
      const item = await s.openItems.getByInvoice(inv.id);
      const due = BigInt(inv.amount_due.amount.replace('.', ''));
      expect(item?.openMinor ?? 0n, `open item of ${inv.number}`).toBe(due);
    }
    // the trial balance sums to zero (every line in the base currency)
    const tb = await s.journal.trialBalance({});
    expect(new Set(tb.map((r) => r.currency))).toEqual(new Set(['SEK']));
    expect(tb.reduce((a, r) => a + r.debitMinor - r.creditMinor, 0n)).toBe(0n);
  });
});
