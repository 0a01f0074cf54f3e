/**
 * The whole chain over HTTP, on every configured database: quote → send → accept (order) → confirm →
 * two partial deliveries → invoice → issue → partial payment (aging shows the rest) → full payment
 * (balance 0.00, invoice paid), then the ledger invariants.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';

describe.each(TEST_DATABASES)('quote-to-cash chain over HTTP [%s]', (kind) => {
  const t = useTestApp(kind);

  const { call, ok } = client(t);

  it('runs from quote to cash and keeps the books straight', async () => {
    const customer = await ok('POST', '/v1/customers', {
      name: 'Kedjan AB', email: 'ekonomi@kedjan.example', country: 'SE', currency: 'SEK', payment_terms_days: 30,
      org_number: '556000-1111',
    });
    expect(customer.id).toMatch(/^cus_/);
    const widget = await ok('POST', '/v1/products', {
      sku: 'W-1', name: 'Widget', unit: 'C62', tax_class: 'standard', unit_prices: [{ amount: '125.00', currency: 'SEK' }],
    });
    const book = await ok('POST', '/v1/products', {
      sku: 'B-1', name: 'Book', tax_class: 'reduced_6', unit_prices: [{ amount: '300.00', currency: 'SEK' }],
    });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [
        { product_id: widget.id, quantity: '10', discount_percent: '5' },
        { product_id: book.id, quantity: '1' },
        { description: 'Setup', quantity: '2.5', unit: 'HUR', unit_price: '1100.00', tax_class: 'standard' },
      ],
    });
    expect(quote.status).toBe('draft');
    // 10 × 125 × 0.95 = 1187.50; 300; 2.5 × 1100 = 2750 → net 4237.50; VAT 25 % of 3937.50 = 984.38 (half up), 6 % of 300 = 18 → 1002.38
    expect(quote.net_total).toEqual({ amount: '4237.50', currency: 'SEK' });
    expect(quote.vat_total).toEqual({ amount: '1002.38', currency: 'SEK' });
    expect(quote.gross_total).toEqual({ amount: '5239.88', currency: 'SEK' });

    const early = await call('POST', `/v1/quotes/${quote.id}/accept`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('quote_not_sent');

    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    expect(order.id).toMatch(/^ord_/);
    await ok('POST', `/v1/orders/${order.id}/confirm`);

    const d1 = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '6' }] });
    const tooMuch = await call('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '5' }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('quantity_exceeds_open');
    const d2 = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    for (const d of [d1, d2]) {
      await ok('POST', `/v1/deliveries/${d.id}/ship`, { carrier: 'PostNord', tracking_number: 'PN1' });
      const delivered = await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
      expect(delivered.status).toBe('delivered');
    }

    const deliveries = await ok('GET', `/v1/orders/${order.id}/deliveries`);
    expect(deliveries.data.map((d: any) => [d.id, d.status])).toEqual([[d1.id, 'delivered'], [d2.id, 'delivered']]);
    const delivered = await ok('GET', `/v1/orders/${order.id}`);
    expect(delivered.lines.map((l: any) => [l.quantity, l.quantity_delivered, l.quantity_invoiced])).toEqual([
      ['10', '10', '0'], ['1', '1', '0'], ['2.5', '2.5', '0'],
    ]);

    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    expect(draft.status).toBe('draft');
    expect(draft.gross_total).toEqual(quote.gross_total);
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(invoice.status).toBe('issued');
    expect(invoice.number).toMatch(/^\d{4}-\d{5}$/);
    expect(invoice.payment_reference).toMatch(/^\d+$/);
    // the seller as it stood at issue: name, registration, address, payment details
    expect(invoice.seller).toMatchObject({
      name: 'Testbolaget AB', vat_number: 'SE556677889901', bankgiro: '123-4567', f_skatt: true,
      address: { line1: 'Testvägen 1', postal_code: '111 11', city: 'Stockholm' },
    });

    // nothing left to invoice
    const again = await call('POST', '/v1/invoices', { order_id: order.id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('nothing_to_invoice');

    // partial payment, matched by OCR reference
    const p1 = await ok('POST', '/v1/payments', {
      amount: { amount: '2000.00', currency: 'SEK' }, payer_name: 'Kedjan AB', reference_text: `OCR ${invoice.payment_reference}`,
    });
    expect(p1.matched_invoice_id).toBe(invoice.id);
    await ok('POST', `/v1/payments/${p1.id}/apply`, {});
    const partly = await ok('GET', `/v1/invoices/${invoice.id}`);
    expect(partly.payment_status).toBe('partially_paid');
    expect(partly.amount_due).toEqual({ amount: '3239.88', currency: 'SEK' });
    const aging = await ok('GET', `/v1/reports/aging?customer_id=${customer.id}`);
    expect(JSON.stringify(aging)).toContain('3239.88');

    // the rest, matched by invoice number, plus an overpayment of 10.00 that stays as customer credit
    const p2 = await ok('POST', '/v1/payments', {
      amount: { amount: '3249.88', currency: 'SEK' }, reference_text: `Faktura ${invoice.number}`,
    });
    expect(p2.match_method).toBe('invoice_number');
    const applied = await ok('POST', `/v1/payments/${p2.id}/apply`, {});
    expect(applied.unapplied_amount ?? applied.payment?.unapplied_amount).toEqual({ amount: '10.00', currency: 'SEK' });

    const paid = await ok('GET', `/v1/invoices/${invoice.id}`);
    expect(paid.payment_status).toBe('paid');
    expect(paid.amount_due).toEqual({ amount: '0.00', currency: 'SEK' });
    const balance = await ok('GET', `/v1/customers/${customer.id}/balance`);
    expect(JSON.stringify(balance)).toContain('"balance":{"amount":"0.00","currency":"SEK"}');
    expect(JSON.stringify(balance)).toContain('"credit":{"amount":"10.00","currency":"SEK"}');

    const tb = await ok('GET', '/v1/ledger/trial-balance');
    expect(JSON.stringify(tb)).toContain('"balanced":true');
    const entries = await ok('GET', '/v1/ledger/entries?limit=100');
    // invoice + 2 receipts + 2 applications
    expect(entries.data).toHaveLength(5);

    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('keeps order prices frozen when the product price changes', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Frusen AB', country: 'SE', currency: 'SEK' });
    const product = await ok('POST', '/v1/products', {
      sku: 'FROZEN-1', name: 'Frozen price', tax_class: 'standard', unit_prices: [{ amount: '100.00', currency: 'SEK' }],
    });
    const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, lines: [{ product_id: product.id, quantity: '3' }] });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('PATCH', `/v1/products/${product.id}`, { unit_prices: [{ amount: '999.00', currency: 'SEK' }] });
    const changed = await ok('GET', `/v1/products/${product.id}`);
    expect(JSON.stringify(changed)).toContain('999.00');

    const again = await ok('GET', `/v1/orders/${order.id}`);
    expect(again.lines[0].unit_price).toEqual({ amount: '100.00', currency: 'SEK' });
    expect(again.gross_total).toEqual({ amount: '375.00', currency: 'SEK' });
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const inv = await ok('POST', '/v1/invoices', { order_id: order.id });
    expect(inv.lines[0].unit_price).toEqual({ amount: '100.00', currency: 'SEK' });
    expect(inv.gross_total).toEqual({ amount: '375.00', currency: 'SEK' });
    // a new quote picks up the new price
    const newQuote = await ok('POST', '/v1/quotes', { customer_id: customer.id, lines: [{ product_id: product.id, quantity: '1' }] });
    expect(newQuote.lines[0].unit_price).toEqual({ amount: '999.00', currency: 'SEK' });
  });
});
