/**
 * Orders (issue 4 parts 1–4 and 8): credit limits and the credit check on confirmation (hold by limit
 * and by an overdue invoice, released only by finance or an admin), cancellation of what is not in a
 * delivery (releasing reservations), amendments as new versions the customer must confirm again, and
 * the order confirmation PDF, sv and en.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import * as reservations from '../../src/app/stock/reservations.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { stockMismatches, stockTrackedProduct } from '../support/stock.js';
import { pdfText } from '../support/pdf.js';
import { orderFromQuote } from '../support/orders.js';

// Reservations are the stock work's; here we only check that orders call them (the real ones run).
vi.mock('../../src/app/stock/reservations.js', async (importOriginal) => {
  const m = await importOriginal<typeof reservations>();
  return { ...m, reserveOrderStock: vi.fn(m.reserveOrderStock), releaseOrderStock: vi.fn(m.releaseOrderStock) };
});

const orderFor = (t: TestApp, customer: Record<string, unknown>, lines: Record<string, unknown>[]) =>
  orderFromQuote(t, { country: 'SE', ...customer }, lines);

const events = async (t: TestApp, orderId: string) =>
  (await t.kysely.selectFrom('outbox').select(['event_type', 'payload']).where('tenant_id', '=', t.tenantId).orderBy('id').execute())
    .filter((e) => (e.payload as { id?: string }).id === orderId)
    .map((e) => e.event_type);

const WIDGETS = [
  { description: 'Widget', quantity: '10', unit_price: '125.00', tax_class: 'standard' },
  { description: 'Handbok', quantity: '1', unit_price: '300.00', tax_class: 'reduced_6' },
];

describe.each(TEST_DATABASES)('orders: credit check, cancellation, amendments, PDF [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);
  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const newKey = async (name: string, role: string) => (await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name, role })).key;

  beforeEach(() => {
    vi.mocked(reservations.reserveOrderStock).mockClear();
    vi.mocked(reservations.releaseOrderStock).mockClear();
  });

  it('keeps credit limits on customers and the fulfilment settings on the company', async () => {
    const c = await ok('POST', '/v1/customers', { name: 'Limiterad AB', country: 'SE', currency: 'SEK', credit_limit: '5000.00' });
    expect(c.credit_limit).toEqual({ amount: '5000.00', currency: 'SEK' });
    const changed = await ok('PATCH', `/v1/customers/${c.id}`, { credit_limit: '7500.50', payment_terms_days: 10 });
    expect(changed.credit_limit).toEqual({ amount: '7500.50', currency: 'SEK' });
    expect(changed.payment_terms_days).toBe(10);
    const removed = await ok('PATCH', `/v1/customers/${c.id}`, { credit_limit: null });
    expect(removed.credit_limit).toBeNull();
    const bad = await call('PATCH', `/v1/customers/${c.id}`, { credit_limit: '-1' });
    expect(bad.status).toBe(400);

    const company = await ok('PATCH', '/v1/settings/company', { credit_hold_overdue_days: 10, allow_negative_stock: true, review_window_days: 7 });
    expect(company).toMatchObject({ credit_hold_overdue_days: 10, allow_negative_stock: true, review_window_days: 7 });
    const sales = await newKey('seller', 'sales');
    const refused = await t.server.inject({ method: 'PATCH', url: '/v1/settings/company', payload: { review_window_days: 1 }, headers: as(sales) });
    expect(refused.statusCode).toBe(403);
    expect((await ok('GET', '/v1/settings/company')).review_window_days).toBe(7);
  });

  it('puts an order above the credit limit on hold; finance releases it, sales may not', async () => {
    const { order } = await orderFor(t, { name: 'Kreditgräns AB', credit_limit: '1000.00' }, WIDGETS);
    // 1250 + 300 net; VAT 312.50 + 18 → gross 1880.50 > 1000.00
    expect(order.gross_total).toEqual({ amount: '1880.50', currency: 'SEK' });
    const held = await ok('POST', `/v1/orders/${order.id}/confirm`);
    expect(held.status).toBe('on_hold');
    expect(held.hold_reason).toContain('1880.50 SEK');
    expect(held.hold_reason).toContain('1000.00 SEK');
    expect(held.held_at).toBe('2026-12-04T10:00:00.000Z');
    expect(reservations.reserveOrderStock).not.toHaveBeenCalled();

    const early = await call('POST', `/v1/orders/${order.id}/deliveries`, {});
    expect(early.status).toBe(409);

    const sales = await newKey('sales-1', 'sales');
    const refused = await t.server.inject({ method: 'POST', url: `/v1/orders/${order.id}/release-hold`, headers: as(sales) });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('forbidden');

    const finance = await newKey('finance-1', 'finance');
    const released = await t.server.inject({ method: 'POST', url: `/v1/orders/${order.id}/release-hold`, headers: as(finance) });
    expect(released.statusCode).toBe(200);
    const r = released.json();
    expect(r.status).toBe('confirmed');
    expect(r.released_at).toBe('2026-12-04T10:00:00.000Z');
    expect(r.released_by).toMatch(/^key_|^[a-z]+_/);
    expect(r.hold_reason).toContain('Credit limit exceeded');
    expect(reservations.reserveOrderStock).toHaveBeenCalledTimes(1);

    const again = await call('POST', `/v1/orders/${order.id}/release-hold`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('order_not_on_hold');

    expect(await events(t, order.id)).toEqual(['order.created', 'order.on_hold', 'order.confirmed']);
    const versions = await ok('GET', `/v1/orders/${order.id}/versions`);
    expect(versions.data[0]).toMatchObject({ version: 1, confirmed_by: 'staff' });

    // within the limit: confirmed straight away
    const { order: small } = await orderFor(t, { name: 'Liten AB', credit_limit: '5000.00' }, WIDGETS);
    const confirmed = await ok('POST', `/v1/orders/${small.id}/confirm`);
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.hold_reason).toBeNull();
    expect(await events(t, small.id)).toEqual(['order.created', 'order.confirmed']);
  });

  it('puts an order on hold when the customer has an invoice overdue by more than the set days', async () => {
    await ok('PATCH', '/v1/settings/company', { credit_hold_overdue_days: 10 });
    const { customer, order: first } = await orderFor(t, { name: 'Sen Betalare AB' }, [WIDGETS[0]!]);
    await ok('POST', `/v1/orders/${first.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${first.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const draft = await ok('POST', '/v1/invoices', { order_id: first.id });
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});

    // going around the application: the invoice's open item fell due 11 days ago (more than 10)
    await t.kysely.updateTable('ar_open_items').set({ due_date: '2026-11-23' }).where('tenant_id', '=', t.tenantId).where('invoice_id', '=', invoice.id).execute();

    const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, lines: [WIDGETS[1]] });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const second = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    const held = await ok('POST', `/v1/orders/${second.id}/confirm`);
    expect(held.status).toBe('on_hold');
    expect(held.hold_reason).toContain(`Overdue invoice ${invoice.number}`);
    expect(held.hold_reason).toContain('1562.50 SEK');
    expect(held.hold_reason).toContain('2026-11-23');
    expect(await events(t, second.id)).toEqual(['order.created', 'order.on_hold']);

    // exactly 10 days overdue is not more than 10: no hold
    await t.kysely.updateTable('ar_open_items').set({ due_date: '2026-11-24' }).where('tenant_id', '=', t.tenantId).where('invoice_id', '=', invoice.id).execute();
    const q3 = await ok('POST', '/v1/quotes', { customer_id: customer.id, lines: [WIDGETS[1]] });
    await ok('POST', `/v1/quotes/${q3.id}/send`);
    const third = await ok('POST', `/v1/quotes/${q3.id}/accept`);
    expect((await ok('POST', `/v1/orders/${third.id}/confirm`)).status).toBe('confirmed');
  });

  it('cancels only what is not in a delivery, releasing reservations; a whole cancel cancels the order', async () => {
    const { order } = await orderFor(t, { name: 'Avbeställning AB' }, WIDGETS);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '3' }] });
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});

    const tooMuch = await call('POST', `/v1/orders/${order.id}/cancel`, { lines: [{ line_no: 1, quantity: '8' }] });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('quantity_exceeds_open');
    expect(tooMuch.body.error.param).toBe('lines.0.quantity');
    const whole = await call('POST', `/v1/orders/${order.id}/cancel`, {});
    expect(whole.status).toBe(409);
    expect(whole.body.error.code).toBe('quantity_exceeds_open');
    const belowDelivered = await call('POST', `/v1/orders/${order.id}/amend`, { lines: [{ line_no: 1, quantity: '2' }] });
    expect(belowDelivered.status).toBe(409);
    expect(belowDelivered.body.error.code).toBe('quantity_exceeds_open');
    expect(belowDelivered.body.error.param).toBe('lines.0.quantity');
    expect(reservations.releaseOrderStock).not.toHaveBeenCalled();

    const partial = await ok('POST', `/v1/orders/${order.id}/cancel`, { lines: [{ line_no: 1, quantity: '7' }], reason: 'Kunden behöver färre' });
    expect(partial.status).toBe('confirmed');
    expect(partial.lines[0]).toMatchObject({ quantity: '10', quantity_cancelled: '7', quantity_delivered: '3' });
    // 3 × 125 = 375 + 300 → net 675; VAT 93.75 + 18 = 111.75
    expect(partial.net_total).toEqual({ amount: '675.00', currency: 'SEK' });
    expect(partial.gross_total).toEqual({ amount: '786.75', currency: 'SEK' });
    expect(reservations.releaseOrderStock).toHaveBeenCalledTimes(1);
    expect(vi.mocked(reservations.releaseOrderStock).mock.calls[0]?.[3]).toEqual([1]);
    const audit = await t.kysely.selectFrom('audit_log').select(['action', 'data']).where('entity_id', '=', order.id).where('action', '=', 'order.lines_cancelled').execute();
    expect(JSON.stringify(audit[0]?.data)).toContain('Kunden behöver färre');

    // cancelling the rest of line 2 too leaves nothing: the order is cancelled
    const rest = await ok('POST', `/v1/orders/${order.id}/cancel`, { lines: [{ line_no: 2, quantity: '1' }] });
    expect(rest.status).toBe('confirmed'); // line 1 still has 3 delivered
    const { order: other } = await orderFor(t, { name: 'Helt Avbeställd AB' }, WIDGETS);
    await ok('POST', `/v1/orders/${other.id}/confirm`);
    const cancelled = await ok('POST', `/v1/orders/${other.id}/cancel`, { reason: 'Fel order' });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelled_at).toBe('2026-12-04T10:00:00.000Z');
    expect(cancelled.lines.map((l: any) => l.quantity_cancelled)).toEqual(['10', '1']);
    expect(cancelled.fulfilment_status).toBe('cancelled');
    const twice = await call('POST', `/v1/orders/${other.id}/cancel`, {});
    expect(twice.status).toBe(409);
  });

  it('amends an order into version 2 the customer must confirm again; deliveries wait for it', async () => {
    const { order } = await orderFor(t, { name: 'Ändring AB', email: 'inkop@andring.example' }, WIDGETS);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const amended = await ok('POST', `/v1/orders/${order.id}/amend`, {
      reason: 'Kunden ändrade sig',
      lines: [{ line_no: 1, quantity: '6' }],
      add: [{ description: 'Installation', unit: 'HUR', unit_price: '500.00', tax_class: 'standard', quantity: '2' }],
    });
    expect(amended.status).toBe('unconfirmed');
    expect(amended.version).toBe(2);
    expect(amended.customer_confirmed_at).toBeNull();
    expect(amended.lines.map((l: any) => [l.line_no, l.description, l.quantity, l.quantity_cancelled, l.added_in_version])).toEqual([
      [1, 'Widget', '10', '4', 1],
      [2, 'Handbok', '1', '0', 1],
      [3, 'Installation', '2', '0', 2],
    ]);
    // 6 × 125 = 750 + 1000 at 25 % → VAT 437.50; 300 at 6 % → 18.00
    expect(amended.net_total).toEqual({ amount: '2050.00', currency: 'SEK' });
    expect(amended.vat_total).toEqual({ amount: '455.50', currency: 'SEK' });
    expect(amended.gross_total).toEqual({ amount: '2505.50', currency: 'SEK' });
    expect(reservations.releaseOrderStock).toHaveBeenCalledTimes(1);

    const versions = await ok('GET', `/v1/orders/${order.id}/versions`);
    expect(versions.data).toHaveLength(2);
    const v2 = versions.data[1];
    expect(v2).toMatchObject({ version: 2, reason: 'Kunden ändrade sig', confirmed_at: null, confirmed_by: null });
    expect(v2.changes).toEqual([
      { line_no: 1, kind: 'quantity_changed', description: 'Widget', quantity_before: '10', quantity_after: '6', net_change: { amount: '-500.00', currency: 'SEK' } },
      { line_no: 3, kind: 'added', description: 'Installation', quantity_before: null, quantity_after: '2', net_change: { amount: '1000.00', currency: 'SEK' } },
    ]);
    expect(v2.price_effect).toEqual({
      net: { amount: '500.00', currency: 'SEK' },
      vat: { amount: '125.00', currency: 'SEK' },
      gross: { amount: '625.00', currency: 'SEK' },
    });
    expect(v2.lines.map((l: any) => [l.line_no, l.quantity, l.net_amount.amount])).toEqual([
      [1, '6', '750.00'],
      [2, '1', '300.00'],
      [3, '2', '1000.00'],
    ]);

    const refused = await call('POST', `/v1/orders/${order.id}/deliveries`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('order_not_confirmed');

    // the customer reconfirms in the portal
    const link = await ok('POST', `/v1/orders/${order.id}/portal-links`);
    const path = new URL(link.url).pathname;
    const view = await t.server.inject({ method: 'GET', url: path, headers: { accept: 'application/json' } });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ version: 2, status: 'unconfirmed', can_confirm: true });
    expect(view.json().changes.map((c: any) => c.kind)).toEqual(['quantity_changed', 'added']);
    const confirmed = await t.server.inject({ method: 'POST', url: `${path}/confirm`, payload: {}, headers: { accept: 'application/json' } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().order).toMatchObject({ status: 'confirmed', version: 2, customer_confirmed_at: '2026-12-04T10:00:00.000Z' });
    const after = await ok('GET', `/v1/orders/${order.id}/versions`);
    expect(after.data[1]).toMatchObject({ confirmed_by: 'customer', confirmed_at: '2026-12-04T10:00:00.000Z' });

    const delivery = await call('POST', `/v1/orders/${order.id}/deliveries`, {});
    expect(delivery.status).toBe(201);

    // raising a quantity adds a line for the extra at the same frozen price
    const raised = await ok('POST', `/v1/orders/${order.id}/amend`, { lines: [{ line_no: 2, quantity: '3' }] });
    expect(raised.version).toBe(3);
    expect(raised.lines[3]).toMatchObject({ line_no: 4, description: 'Handbok', quantity: '2', unit_price: { amount: '300.00', currency: 'SEK' }, added_in_version: 3 });
    expect(raised.net_total).toEqual({ amount: '2650.00', currency: 'SEK' });
    expect(await events(t, order.id)).toEqual([
      'order.created', 'order.confirmed', 'order.amended', 'order.customer_confirmed', 'order.confirmed', 'order.amended',
    ]);
  });

  it('renders the order confirmation of the current version as a PDF, in Swedish and in English', async () => {
    const { order, quote } = await orderFor(t, { name: 'Åkessons Järnhandel AB', org_number: '556111-2222' }, WIDGETS);
    await ok('POST', `/v1/orders/${order.id}/amend`, { lines: [{ line_no: 1, quantity: '8' }] });
    const sv = await t.server.inject({ method: 'GET', url: `/v1/orders/${order.id}/pdf`, headers: as(t.apiKey) });
    expect(sv.statusCode).toBe(200);
    expect(sv.headers['content-type']).toBe('application/pdf');
    const text = pdfText(sv.rawPayload);
    expect(text).toContain(order.number);
    expect(text).toContain('Orderbekräftelse');
    expect(text).toContain('Version 2');
    expect(text).toContain(`${quote.number} v1`);
    expect(text).toContain('Widget');
    expect(text).toContain('Handbok');
    expect(text).toContain('Åkessons Järnhandel AB');
    // 8 × 125 = 1000 at 25 % → 250.00; 300 at 6 % → 18.00; total 1568.00
    expect(text).toContain('1 000,00');
    expect(text).toContain('250,00');
    expect(text).toContain('1 568,00');

    const en = await t.server.inject({ method: 'GET', url: `/v1/orders/${order.id}/pdf?lang=en`, headers: as(t.apiKey) });
    const english = pdfText(en.rawPayload);
    expect(english).toContain('Order confirmation');
    expect(english).toContain('Widget');
    expect(english).toContain('1,568.00');
  });

  it('releases real stock reservations when lines are cancelled or lowered by an amendment', async () => {
    await ok('POST', '/v1/warehouses', { code: 'ORD', name: 'Orderlager' });
    const p = await stockTrackedProduct(ok, 'ORD-ST-1');
    await ok('POST', '/v1/stock/receipts', { product_id: p.id, quantity: '10' });
    const c = await ok('POST', '/v1/customers', { name: 'Lagerkund AB', country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', { customer_id: c.id, lines: [{ product_id: p.id, quantity: '6' }] });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    const confirmed = await ok('POST', `/v1/orders/${order.id}/confirm`);
    expect(confirmed.lines[0].quantity_reserved).toBe('6');

    const partial = await ok('POST', `/v1/orders/${order.id}/cancel`, { lines: [{ line_no: 1, quantity: '2' }] });
    expect(partial.lines[0]).toMatchObject({ quantity_cancelled: '2', quantity_reserved: '4' });
    const amended = await ok('POST', `/v1/orders/${order.id}/amend`, { lines: [{ line_no: 1, quantity: '1' }] });
    expect(amended.lines[0]).toMatchObject({ quantity_cancelled: '5', quantity_reserved: '1' });
    const cancelled = await ok('POST', `/v1/orders/${order.id}/cancel`, {});
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.lines[0]).toMatchObject({ quantity_cancelled: '6', quantity_reserved: '0' });
    expect(await stockMismatches(t)).toEqual([]);
  });
});
