/**
 * The invoicing policy per line: chosen on the quote line (default 'on_delivery' for goods and
 * services alike: services are delivered through service completions), frozen with the version,
 * carried to the order line at acceptance and settable on lines an amendment adds. An 'on_order'
 * line (prepayment) is invoiced as soon as the order is confirmed; an 'on_delivery' line once delivered.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { orderFromQuote } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const CUSTOMER = { name: 'Policy AB', org_number: '556677-8899', country: 'SE' };
const TABLE = { description: 'Bord', quantity: '2', unit_price: '1000.00', tax_class: 'standard' };
const LICENCE = { description: 'Licens, förskott', quantity: '1', unit_price: '500.00', tax_class: 'standard', invoicing_policy: 'on_order' };
const SETUP = { description: 'Installation', quantity: '3', unit: 'HUR', unit_price: '800.00', tax_class: 'standard' };

describe.each(TEST_DATABASES)('invoicing policy per line [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  it('invoices the on_order line before any delivery and the on_delivery line once delivered', async () => {
    const { quote, order } = await orderFromQuote(t, CUSTOMER, [TABLE, LICENCE]);
    expect(quote.lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order']);
    expect(order.lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order']);
    await ok('POST', `/v1/orders/${order.id}/confirm`);

    // before any delivery: only the licence (500.00 net, VAT 125.00)
    const first = await ok('POST', '/v1/invoices', { order_id: order.id });
    expect(first.lines.map((l: any) => [l.order_line_no, l.quantity])).toEqual([[2, '1']]);
    expect(first.gross_total).toEqual({ amount: '625.00', currency: 'SEK' });
    await ok('POST', `/v1/invoices/${first.id}/issue`, {});

    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '2' }] });
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    // after delivery: the tables (2 × 1000.00 = 2000.00 net, VAT 500.00), the licence not again
    const second = await ok('POST', '/v1/invoices', { order_id: order.id });
    expect(second.lines.map((l: any) => [l.order_line_no, l.quantity])).toEqual([[1, '2']]);
    expect(second.gross_total).toEqual({ amount: '2500.00', currency: 'SEK' });
    await ok('POST', `/v1/invoices/${second.id}/issue`, {});

    const nothing = await call('POST', '/v1/invoices', { order_id: order.id });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('nothing_to_invoice');
    const after = await ok('GET', `/v1/orders/${order.id}`);
    expect(after.lines.map((l: any) => l.quantity_invoiced)).toEqual(['2', '1']);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('defaults to on_delivery for a service too, keeps the policy through update and revision, and refuses a bad one naming the field', async () => {
    const c = await ok('POST', '/v1/customers', { currency: 'SEK', ...CUSTOMER });
    const quote = await ok('POST', '/v1/quotes', { customer_id: c.id, lines: [TABLE, LICENCE, SETUP] });
    expect(quote.lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order', 'on_delivery']);

    const bad = await call('PATCH', `/v1/quotes/${quote.id}`, { lines: [TABLE, LICENCE, { ...SETUP, invoicing_policy: 'monthly' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('lines.2.invoicing_policy');
    const badCreate = await call('POST', '/v1/quotes', { customer_id: c.id, lines: [TABLE, LICENCE, { ...SETUP, invoicing_policy: 'later' }] });
    expect(badCreate.status).toBe(400);
    expect(badCreate.body.error.param).toBe('lines.2.invoicing_policy');
    expect((await ok('GET', `/v1/quotes/${quote.id}`)).lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order', 'on_delivery']);

    // update: the service becomes a prepayment; a discount-only change keeps the policies
    const keys = quote.lines.map((l: any) => l.line_key);
    const updated = await ok('PATCH', `/v1/quotes/${quote.id}`, {
      lines: [{ ...TABLE, line_key: keys[0] }, { ...LICENCE, line_key: keys[1] }, { ...SETUP, line_key: keys[2], invoicing_policy: 'on_order' }],
    });
    expect(updated.lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order', 'on_order']);
    const discounted = await ok('PATCH', `/v1/quotes/${quote.id}`, { discount: { percent: '5' } });
    expect(discounted.lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order', 'on_order']);

    // sent, revised: the new draft carries the frozen policies; the sent version keeps its own
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const v2 = await ok('POST', `/v1/quotes/${quote.id}/revise`);
    expect(v2.version).toBe(2);
    expect(v2.lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order', 'on_order']);
    const v2b = await ok('PATCH', `/v1/quotes/${v2.id}`, {
      lines: [{ ...TABLE, line_key: keys[0], invoicing_policy: 'on_order' }, { ...LICENCE, line_key: keys[1] }, { ...SETUP, line_key: keys[2] }],
    });
    expect(v2b.lines.map((l: any) => l.invoicing_policy)).toEqual(['on_order', 'on_order', 'on_delivery']);
    expect((await ok('GET', `/v1/quotes/${quote.id}`)).lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order', 'on_order']);

    await ok('POST', `/v1/quotes/${v2.id}/send`);
    const order = await ok('POST', `/v1/quotes/${v2.id}/accept`);
    expect(order.lines.map((l: any) => [l.fulfilment_kind, l.invoicing_policy])).toEqual([
      ['goods', 'on_order'],
      ['goods', 'on_order'],
      ['service', 'on_delivery'],
    ]);
  });

  it('sets the policy of a line added by an amendment, and refuses a bad one naming the field', async () => {
    const { order } = await orderFromQuote(t, CUSTOMER, [TABLE]);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const bad = await call('POST', `/v1/orders/${order.id}/amend`, { add: [{ ...LICENCE, invoicing_policy: 'soon' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('add.0.invoicing_policy');

    const amended = await ok('POST', `/v1/orders/${order.id}/amend`, { add: [LICENCE, SETUP] });
    expect(amended.lines.map((l: any) => l.invoicing_policy)).toEqual(['on_delivery', 'on_order', 'on_delivery']);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    // nothing delivered: only the added prepayment line is invoiced
    const first = await ok('POST', '/v1/invoices', { order_id: order.id });
    expect(first.lines.map((l: any) => l.order_line_no)).toEqual([2]);
  });
});
