/**
 * GET /v1/reports/dashboard over HTTP on every configured database, on a seeded history with a
 * controlled clock (10:00 UTC each step; "today" is Saturday 2026-12-05, its ISO week starts Monday
 * 2026-11-30):
 *
 *   quotes  draft 1 000.00 (never sent); sent 2 000.00; revised after sending (v1 superseded, v2 draft
 *           3 000.00); EUR sent 400.00; accepted 500.00 on 12-01; declined 700.00 on 11-20 (in the
 *           90-day window) and 900.00 on 2026-08-01 (outside it); the invoiced one's quote (1 000.00)
 *           accepted 10-01; approval rule above 10 000 → one
 *           quote of 20 000.00 awaiting approval.
 *   orders  the accepted one confirmed over its customer's credit limit → on hold.
 *   cash    payments 500.00 on 11-24 (week 11-23) and 250.00 + 125.00 on 12-01 (week 11-30), 300.00 on
 *           2026-08-01 (before the 4 weeks asked for).
 *   overdue an invoice issued 2026-10-01 with 30 days' terms (due 10-31), unpaid: 1 250.00.
 */
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { fixedClock } from '../../src/app/shared/clock.js';
import { client } from '../api/helpers.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { TEST_DATABASES } from '../support/databases.js';
import { CONSULTING_LINES, issuedInvoiceForDeliveredOrder } from '../support/orders.js';

const setNow = (t: TestApp, date: string) => Object.assign(t.deps.clock, fixedClock(new Date(`${date}T10:00:00Z`)));
const line = (price: string) => [{ description: 'Arbete', quantity: '1', unit_price: price, tax_class: 'standard' }];

describe.each(TEST_DATABASES)('dashboard [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-08-01T10:00:00Z') });
  const { call, ok } = client(t);

  it('sums the pipeline by status, cash per week and the queues; hides the books from roles without them', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Pipeline AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    const eurCustomer = await ok('POST', '/v1/customers', { name: 'Euro GmbH', country: 'DE', currency: 'EUR', vat_number: 'DE136695976' });
    const quote = async (price: string, c = customer) => ok('POST', '/v1/quotes', { customer_id: c.id, lines: line(price) });

    // long ago: a declined quote and a payment, both outside what is asked for
    const old = await quote('900.00');
    await ok('POST', `/v1/quotes/${old.id}/send`);
    await ok('POST', `/v1/quotes/${old.id}/decline`, { reason: 'Inte nu' });
    await ok('POST', '/v1/payments', { amount: { amount: '300.00', currency: 'SEK' }, received_on: '2026-08-01', customer_id: customer.id });

    // an invoice issued 10-01, due 10-31, never paid
    setNow(t, '2026-10-01');
    const { invoice } = await issuedInvoiceForDeliveredOrder(t, { name: 'Sen Betalare AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 }, CONSULTING_LINES);
    expect([invoice.due_date, invoice.gross_total.amount]).toEqual(['2026-10-31', '1250.00']);

    setNow(t, '2026-11-20');
    const declined = await quote('700.00');
    await ok('POST', `/v1/quotes/${declined.id}/send`);
    await ok('POST', `/v1/quotes/${declined.id}/decline`, { reason: 'För dyrt' });
    setNow(t, '2026-11-24');
    await ok('POST', '/v1/payments', { amount: { amount: '500.00', currency: 'SEK' }, received_on: '2026-11-24', customer_id: customer.id });

    setNow(t, '2026-12-01');
    await ok('POST', '/v1/payments', { amount: { amount: '250.00', currency: 'SEK' }, received_on: '2026-12-01', customer_id: customer.id });
    await ok('POST', '/v1/payments', { amount: { amount: '125.00', currency: 'SEK' }, received_on: '2026-12-01', customer_id: customer.id });
    const held = await ok('POST', '/v1/customers', { name: 'Kreditgräns AB', country: 'SE', currency: 'SEK', credit_limit: '100.00' });
    const accepted = await quote('500.00', held);
    await ok('POST', `/v1/quotes/${accepted.id}/send`);
    const order = await ok('POST', `/v1/quotes/${accepted.id}/accept`);
    expect((await ok('POST', `/v1/orders/${order.id}/confirm`)).status).toBe('on_hold');

    setNow(t, '2026-12-05');
    await quote('1000.00');
    const sent = await quote('2000.00');
    await ok('POST', `/v1/quotes/${sent.id}/send`);
    const revised = await quote('1500.00');
    await ok('POST', `/v1/quotes/${revised.id}/send`);
    const v2 = await ok('POST', `/v1/quotes/${revised.id}/revise`);
    await ok('PATCH', `/v1/quotes/${v2.id}`, { lines: line('3000.00') });
    const eur = await quote('400.00', eurCustomer);
    await ok('POST', `/v1/quotes/${eur.id}/send`);
    await ok('PUT', '/v1/settings/approval-rules', { rules: [{ kind: 'total_above', amount: { amount: '10000.00', currency: 'SEK' } }] });
    const big = await quote('20000.00');
    await ok('POST', `/v1/quotes/${big.id}/request-approval`);

    const d = await ok('GET', '/v1/reports/dashboard?weeks=4');
    expect(d).toMatchObject({ object: 'dashboard', as_of: '2026-12-05', base_currency: 'SEK', window_days: 90 });
    expect(d.pipeline).toEqual([
      { status: 'draft', count: 2, net_total: { amount: '4000.00', currency: 'SEK' } },
      { status: 'awaiting_approval', count: 1, net_total: { amount: '20000.00', currency: 'SEK' } },
      { status: 'sent', count: 1, net_total: { amount: '400.00', currency: 'EUR' } },
      { status: 'sent', count: 1, net_total: { amount: '2000.00', currency: 'SEK' } },
      { status: 'accepted', count: 2, net_total: { amount: '1500.00', currency: 'SEK' } },
      { status: 'declined', count: 1, net_total: { amount: '700.00', currency: 'SEK' } },
    ]);
    expect(d.cash_received).toEqual([
      { week_start: '2026-11-09', count: 0, amount: { amount: '0.00', currency: 'SEK' } },
      { week_start: '2026-11-16', count: 0, amount: { amount: '0.00', currency: 'SEK' } },
      { week_start: '2026-11-23', count: 1, amount: { amount: '500.00', currency: 'SEK' } },
      { week_start: '2026-11-30', count: 2, amount: { amount: '375.00', currency: 'SEK' } },
    ]);
    expect(d.queues).toEqual({
      quotes_awaiting_approval: 1,
      orders_on_hold: 1,
      claims_open: 0,
      bank_lines_to_review: 0,
      overdue_invoices: [{ count: 1, open: { amount: '1250.00', currency: 'SEK' } }],
    });

    // a wider window brings back the old declined quote; as_of moves the weeks
    const wide = await ok('GET', '/v1/reports/dashboard?window_days=365&weeks=1&as_of=2026-11-29');
    expect(wide.pipeline.find((p: any) => p.status === 'declined')).toEqual({ status: 'declined', count: 2, net_total: { amount: '1600.00', currency: 'SEK' } });
    expect(wide.cash_received).toEqual([{ week_start: '2026-11-23', count: 1, amount: { amount: '500.00', currency: 'SEK' } }]);

    // sales reads the dashboard without the books' figures
    const sales = (await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name: 'Säljare', role: 'sales' })).key;
    const forSales = await t.server.inject({ method: 'GET', url: '/v1/reports/dashboard', headers: { authorization: `Bearer ${sales}` } });
    expect(forSales.statusCode).toBe(200);
    expect(forSales.json()).toMatchObject({ cash_received: null, queues: { bank_lines_to_review: null, quotes_awaiting_approval: 1 } });

    // bad input names the field
    for (const [query, param] of [['weeks=0', 'weeks'], ['weeks=105', 'weeks'], ['window_days=0', 'window_days'], ['as_of=2026-13-01', 'as_of'], ['extra=1', 'extra']] as const) {
      const bad = await call('GET', `/v1/reports/dashboard?${query}`);
      expect([query, bad.status, bad.body.error.param]).toEqual([query, 400, param]);
    }
  });
});
