/**
 * Aging as of a date: an invoice issued in the past, partly paid today. As of a day before the
 * payment the whole amount is open; as of today only the rest, in the bucket its days past due say.
 */
import { describe, expect, it } from 'vitest';
import { Chain } from '../../src/app/demo/chain.js';
import { createInvoice } from '../../src/app/invoicing/create-invoice.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { parseRate } from '../../src/core/money/fx.js';
import { draftInvoiceForCustomer } from '../support/orders.js';

describe.each(TEST_DATABASES)('AR aging as of a date [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });

  it('reports what was open on the as-of date, bucketed by days past due', async () => {
    const { ok } = client(t);
    const chain = new Chain(t.deps, t.tenantId);
    const customer = await chain.customer({ name: 'Sen Betalare AB', paymentTermsDays: 30 });
    const product = await chain.product('AGE-1', 'Aged item', '800.00');
    const order = await chain.confirm(await chain.accept(await chain.send(await chain.quote(customer.id, [{ productId: product.id, quantity: '1' }]))));
    await chain.deliver(order);
    const draft = await chain.run((s, env) => createInvoice(s, env, { orderId: order.id }));
    // issued 2026-10-01, due 2026-10-31; 1000.00 SEK gross
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, { issue_date: '2026-10-01' });
    expect(invoice.due_date).toBe('2026-10-31');
    const pay = await ok('POST', '/v1/payments', { amount: { amount: '400.00', currency: 'SEK' }, reference_text: invoice.payment_reference });
    await ok('POST', `/v1/payments/${pay.id}/apply`, {});

    const before = await ok('GET', `/v1/reports/aging?as_of=2026-11-15&customer_id=${customer.id}`);
    const beforeText = JSON.stringify(before);
    expect(before.rows).toHaveLength(1);
    // 15 days past due → 0–30 bucket, the whole 1000.00 (the payment came later)
    expect(beforeText).toContain('1000.00');
    expect(before.rows[0].buckets.days_0_30).toEqual({ amount: '1000.00', currency: 'SEK' });
    expect(before.rows[0].total).toEqual({ amount: '1000.00', currency: 'SEK' });
    // the customer's name beside its id, in the rows and the per-customer totals
    expect(before.rows[0].customer_name).toBe((await ok('GET', `/v1/customers/${before.rows[0].customer_id}`)).name);
    expect(before.customers[0]).toMatchObject({ customer_id: before.rows[0].customer_id, customer_name: before.rows[0].customer_name });

    const now = await ok('GET', `/v1/reports/aging?as_of=2026-12-04&customer_id=${customer.id}`);
    // 34 days past due → 31–60 bucket, 600.00 left
    expect(now.rows[0].buckets.days_31_60).toEqual({ amount: '600.00', currency: 'SEK' });
    expect(now.rows[0].buckets.days_0_30).toEqual({ amount: '0.00', currency: 'SEK' });
    expect(now.totals[0].total).toEqual({ amount: '600.00', currency: 'SEK' });
    expect(JSON.stringify(now)).not.toContain('1000.00');

    const beforeIssue = await ok('GET', `/v1/reports/aging?as_of=2026-09-30&customer_id=${customer.id}`);
    expect(beforeIssue.rows).toHaveLength(0);
  });
});

/**
 * Aging as of a past date with configurable buckets, in the document and the base currency, on a tenant
 * of its own (so the totals are exactly these figures). Today is 2026-12-04; the as-of date 2026-11-15.
 *
 *   A  SEK 1 250.00 issued 2026-09-01, due 10-01; paid in full, applied 2026-11-20 (after the as-of date)
 *      → open 1 250.00 at the as-of date, 45 days past due (31–60); closed today
 *   B  SEK 1 250.00 issued 2026-10-01, due 10-31; credit note 125.00 issued 10-20 (before) and 250.00
 *      issued 11-25 (after) → 1 125.00 open at the as-of date, 15 days past due (1–30); 875.00 today
 *   C  SEK 1 250.00 issued 2026-11-10, due 12-10; 500.00 applied 11-12 and unapplied 11-14
 *      → 750.00 open as of 11-13, 1 250.00 as of 11-15 (current); today 1 250.00, still current
 *   E  EUR 1 250.00 issued 2026-10-15 at 11.00 SEK/EUR (13 750.00 SEK), due 11-14; credit note 125.00 EUR
 *      issued 11-01 (1 375.00 SEK at the invoice's rate); the rest paid 11-20 at 11.50
 *      → 1 125.00 EUR / 12 375.00 SEK open at the as-of date, 1 day past due (1–30); closed today
 */
describe.each(TEST_DATABASES)('AR aging as of a past date, configurable buckets, base currency [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const sek = (amount: string) => ({ amount, currency: 'SEK' });
  const eur = (amount: string) => ({ amount, currency: 'EUR' });

  async function customer(name: string, currency: string) {
    return ok('POST', '/v1/customers', {
      name, country: 'SE', currency, payment_terms_days: 30, org_number: '556036-0793', vat_number: 'SE556036079301',
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });
  }
  async function invoice(customerId: string, issueDate: string) {
    const draft = await draftInvoiceForCustomer(t, customerId);
    return ok('POST', `/v1/invoices/${draft.id}/issue`, { issue_date: issueDate });
  }
  async function creditNote(invoiceId: string, net: string, issueDate: string) {
    const d = await ok('POST', `/v1/invoices/${invoiceId}/credit-notes`, { amount: { net_amount: sek(net), vat_rate: '25' }, reason: 'Rabatt' });
    return ok('POST', `/v1/credit-notes/${d.id}/issue`, { issue_date: issueDate });
  }

  it('reports each item as it stood on the date, in document and base currency, and as stored today', async () => {
    await t.db.transaction(t.tenantId, async (s) => {
      await s.exchangeRates.upsert({ currency: 'EUR', rateDate: '2026-10-01', rateScaled: parseRate('11.00', 'rate'), source: 'manual', updatedAt: new Date() });
      await s.exchangeRates.upsert({ currency: 'EUR', rateDate: '2026-11-16', rateScaled: parseRate('11.50', 'rate'), source: 'manual', updatedAt: new Date() });
    });
    const sekCustomer = await customer('Kronor AB', 'SEK');
    const eurCustomer = await customer('Euro AB', 'EUR');

    const a = await invoice(sekCustomer.id, '2026-09-01');
    const b = await invoice(sekCustomer.id, '2026-10-01');
    const c = await invoice(sekCustomer.id, '2026-11-10');
    const e = await invoice(eurCustomer.id, '2026-10-15');
    expect([a.due_date, b.due_date, c.due_date, e.due_date]).toEqual(['2026-10-01', '2026-10-31', '2026-12-10', '2026-11-14']);
    expect(e.gross_total).toEqual(eur('1250.00'));

    const payA = await ok('POST', '/v1/payments', { amount: sek('1250.00'), received_on: '2026-11-18', customer_id: sekCustomer.id });
    await ok('POST', `/v1/payments/${payA.id}/apply`, { allocations: [{ invoice_id: a.id }], applied_on: '2026-11-20' });
    await creditNote(b.id, '100.00', '2026-10-20');
    await creditNote(b.id, '200.00', '2026-11-25');
    const payC = await ok('POST', '/v1/payments', { amount: sek('500.00'), received_on: '2026-11-12', customer_id: sekCustomer.id });
    await ok('POST', `/v1/payments/${payC.id}/apply`, { allocations: [{ invoice_id: c.id }], applied_on: '2026-11-12' });
    await ok('POST', `/v1/payments/${payC.id}/unapply`, { unapplied_on: '2026-11-14' });
    // a EUR credit note before the as-of date: 100.00 + 25 % = 125.00 EUR at the invoice's 11.00 = 1 375.00 SEK
    const eCn = await ok('POST', `/v1/invoices/${e.id}/credit-notes`, { amount: { net_amount: eur('100.00'), vat_rate: '25' }, reason: 'Rabatt' });
    await ok('POST', `/v1/credit-notes/${eCn.id}/issue`, { issue_date: '2026-11-01' });
    const payE = await ok('POST', '/v1/payments', { amount: eur('1125.00'), received_on: '2026-11-20', customer_id: eurCustomer.id });
    await ok('POST', `/v1/payments/${payE.id}/apply`, { allocations: [{ invoice_id: e.id }], applied_on: '2026-11-20' });

    const zero = { current: sek('0.00'), days_1_30: sek('0.00'), days_31_60: sek('0.00'), days_61_90: sek('0.00'), days_over_90: sek('0.00') };
    const past = await ok('GET', '/v1/reports/aging?as_of=2026-11-15&buckets=30,60,90');
    expect(past.base_currency).toBe('SEK');
    expect(past.bucket_definitions.map((d: { key: string }) => d.key)).toEqual(['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90']);
    const sekRow = past.rows.find((r: { customer_id: string }) => r.customer_id === sekCustomer.id);
    expect(sekRow.buckets).toEqual({ ...zero, current: sek('1250.00'), days_1_30: sek('1125.00'), days_31_60: sek('1250.00') });
    expect(sekRow.total).toEqual(sek('3625.00'));
    expect(sekRow.base_total).toEqual(sek('3625.00'));
    const eurRow = past.rows.find((r: { customer_id: string }) => r.customer_id === eurCustomer.id);
    expect(eurRow.currency).toBe('EUR');
    expect(eurRow.buckets.days_1_30).toEqual(eur('1125.00'));
    expect(eurRow.total).toEqual(eur('1125.00'));
    expect(eurRow.base_buckets.days_1_30).toEqual(sek('12375.00'));
    expect(eurRow.base_total).toEqual(sek('12375.00'));
    expect(past.totals.map((x: { currency: string; total: unknown; base_total: unknown }) => [x.currency, x.total, x.base_total])).toEqual([
      ['EUR', eur('1125.00'), sek('12375.00')],
      ['SEK', sek('3625.00'), sek('3625.00')],
    ]);
    expect(past.base_total.buckets).toEqual({ ...zero, current: sek('1250.00'), days_1_30: sek('13500.00'), days_31_60: sek('1250.00') });
    expect(past.base_total.total).toEqual(sek('16000.00'));
    // the day before the EUR credit note, the whole invoice
    const beforeCn = await ok('GET', `/v1/reports/aging?as_of=2026-10-31&buckets=30,60,90&customer_id=${eurCustomer.id}`);
    expect(beforeCn.rows[0].buckets.current).toEqual(eur('1250.00'));
    expect(beforeCn.rows[0].base_total).toEqual(sek('13750.00'));
    expect(past.customers).toHaveLength(2);

    // two days earlier C was partly paid (the allocation counts until its reversal on 11-14)
    const earlier = await ok('GET', `/v1/reports/aging?as_of=2026-11-13&buckets=30,60,90&customer_id=${sekCustomer.id}`);
    expect(earlier.rows[0].buckets.current).toEqual(sek('750.00'));

    // today: A and E paid, B less both credit notes, C whole again
    const today = await ok('GET', '/v1/reports/aging?buckets=30,60,90');
    expect(today.as_of).toBe('2026-12-04');
    expect(today.rows).toHaveLength(1);
    expect(today.rows[0].buckets).toEqual({ ...zero, current: sek('1250.00'), days_31_60: sek('875.00') });
    expect(today.base_total.total).toEqual(sek('2125.00'));
    // as of today the rule gives exactly the stored open items (doc and base)
    const stored = await t.db.store(t.tenantId).openItems.listOpen({});
    expect(stored.reduce((x, o) => x + o.openMinor, 0n)).toBe(212_500n);
    expect(stored.reduce((x, o) => x + o.baseOpenMinor, 0n)).toBe(212_500n);

    // CSV: one record per customer and currency, per currency, and the base total
    const csv = await t.server.inject({
      method: 'GET', url: '/v1/reports/aging?as_of=2026-11-15&buckets=30,60,90&format=csv', headers: { authorization: `Bearer ${t.apiKey}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'kind,as_of,customer_id,customer_name,currency,current,days_1_30,days_31_60,days_61_90,days_over_90,total,' +
        'base_currency,base_current,base_days_1_30,base_days_31_60,base_days_61_90,base_days_over_90,base_total',
    );
    expect(lines).toContain(`customer,2026-11-15,${eurCustomer.id},Euro AB,EUR,0.00,1125.00,0.00,0.00,0.00,1125.00,SEK,0.00,12375.00,0.00,0.00,0.00,12375.00`);
    expect(lines).toContain('total,2026-11-15,,,SEK,1250.00,1125.00,1250.00,0.00,0.00,3625.00,SEK,1250.00,1125.00,1250.00,0.00,0.00,3625.00');
    expect(lines.at(-1)).toBe('base_total,2026-11-15,,,SEK,,,,,,,SEK,1250.00,13500.00,1250.00,0.00,0.00,16000.00');
    expect(lines).toHaveLength(6);

    // a bad bucket list is a 400 naming the field
    for (const bad of ['60,30', '30,x', '0', '']) {
      const r = await call('GET', `/v1/reports/aging?buckets=${encodeURIComponent(bad)}`);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('validation_failed');
      expect(r.body.error.param).toBe('buckets');
    }
  });
});
