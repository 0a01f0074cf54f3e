/**
 * Fulfilment over HTTP: partial deliveries and backorders, over-delivery refused, pick → pack → ship →
 * deliver with proof and the customer's review, cancelling before shipping, stock taken on shipping
 * (reservation first; refused when short unless the tenant allows negative stock), service lines
 * completed with hours, replacement deliveries bounded by what is owed, and the delivery note PDF.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { confirmedOrder, stockMismatches, stockTrackedProduct } from '../support/stock.js';
import { envFor } from '../../src/app/shared/env.js';
import { reserveOrderStock } from '../../src/app/stock/reservations.js';
import { asId } from '../../src/core/shared/ids.js';
import { decimal4 } from '../../src/core/money/quantity.js';
import { pdfText } from '../support/pdf.js';

describe.each(TEST_DATABASES)('fulfilment [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const env = () => envFor(t.deps, { tenantId: t.tenantId, actorId: 'test' });
  const level = async (productId: string) => (await ok('GET', `/v1/stock?product_id=${productId}`)).data[0];
  const customer = async (name: string) =>
    ok('POST', '/v1/customers', { name, country: 'SE', currency: 'SEK', address: { line1: 'Storgatan 1', postal_code: '111 22', city: 'Stockholm' } });

  it('delivers part of an order, then the backorder; refuses over-delivery; pick → pack → ship → deliver with proof; prints the delivery note', async () => {
    const c = await customer('Restorder AB');
    const order = await confirmedOrder(ok, c.id, [
      { description: 'Kontorsstol Ergo', quantity: '10', unit_price: '1200.00', tax_class: 'standard' },
      { description: 'Skrivbordslampa', quantity: '4', unit_price: '300.00', tax_class: 'standard' },
    ]);

    const first = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '6' }] }, { 'idempotency-key': 'dlv-1' });
    expect(first).toMatchObject({ status: 'created', kind: 'standard', warehouse_id: null, lines: [{ order_line_no: 1, quantity: '6' }] });

    const over = await call('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '5' }] });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'quantity_exceeds_open', param: 'lines.0.quantity' });
    expect(over.body.error.message).toContain('only 4 is open');
    const noLine = await call('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 9, quantity: '1' }] });
    expect(noLine.status).toBe(400);
    expect(noLine.body.error.param).toBe('lines.0.order_line_no');

    const picked = await ok('POST', `/v1/deliveries/${first.id}/pick`, {});
    expect(picked.status).toBe('picked');
    expect(picked.picked_at).toBe('2026-12-04T10:00:00.000Z');
    const packed = await ok('POST', `/v1/deliveries/${first.id}/pack`);
    expect(packed.status).toBe('packed');
    const pickAgain = await call('POST', `/v1/deliveries/${first.id}/pick`, {});
    expect(pickAgain.status).toBe(409);
    const deliverEarly = await call('POST', `/v1/deliveries/${first.id}/deliver`, {});
    expect(deliverEarly.status).toBe(409);
    expect(deliverEarly.body.error.code).toBe('delivery_not_deliverable');
    const shipped = await ok('POST', `/v1/deliveries/${first.id}/ship`, { carrier: 'PostNord', tracking_number: 'PN123SE' });
    expect(shipped).toMatchObject({ status: 'shipped', carrier: 'PostNord', tracking_number: 'PN123SE' });
    const cancelShipped = await call('POST', `/v1/deliveries/${first.id}/cancel`, {});
    expect(cancelShipped.status).toBe(409);

    // the delivery note: 10 ordered, 6 now, 4 backordered; line 2 printed as backordered only
    const res = await t.server.inject({ method: 'GET', url: `/v1/deliveries/${first.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const sv = pdfText(res.rawPayload);
    expect(sv).toContain(first.number);
    expect(sv).toContain(order.number);
    expect(sv).toContain('Kontorsstol Ergo');
    expect(sv).toContain('Skrivbordslampa');
    expect(sv).toContain('Restorder AB');
    expect(sv).toContain('PN123SE');
    expect(sv).toMatch(/Kontorsstol Ergo.*10.*0.*6.*4/);
    expect(sv).toMatch(/Skrivbordslampa.*4.*0.*0.*4/);
    const en = pdfText((await t.server.inject({ method: 'GET', url: `/v1/deliveries/${first.id}/pdf?lang=en`, headers: { authorization: `Bearer ${t.apiKey}` } })).rawPayload);
    expect(en).toMatch(/Delivery note/i);

    const delivered = await ok('POST', `/v1/deliveries/${first.id}/deliver`, { delivered_on: '2026-12-05', proof: 'Signerat av A. Svensson i receptionen' });
    expect(delivered).toMatchObject({ status: 'delivered', delivered_on: '2026-12-05', proof: 'Signerat av A. Svensson i receptionen', review_status: 'awaiting_review' });
    let o = await ok('GET', `/v1/orders/${order.id}`);
    expect(o.lines[0]).toMatchObject({ quantity_allocated: '6', quantity_shipped: '6', quantity_delivered: '6' });

    // a delivery that is cancelled before shipping gives its quantities back
    const doomed = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 2, quantity: '4' }] });
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines[1].quantity_allocated).toBe('4');
    const cancelled = await ok('POST', `/v1/deliveries/${doomed.id}/cancel`, {}, { 'idempotency-key': 'cancel-1' });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled_at: '2026-12-04T10:00:00.000Z' });
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines[1].quantity_allocated).toBe('0');
    const noPdf = await call('GET', `/v1/deliveries/${doomed.id}/pdf`);
    expect(noPdf.status).toBe(409);

    // the backorder: everything open
    const rest = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    expect(rest.lines.map((l: any) => [l.order_line_no, l.quantity])).toEqual([[1, '4'], [2, '4']]);
    await ok('POST', `/v1/deliveries/${rest.id}/ship`, {});
    const restText = pdfText((await t.server.inject({ method: 'GET', url: `/v1/deliveries/${rest.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } })).rawPayload);
    expect(restText).toMatch(/Kontorsstol Ergo.*10.*6.*4.*0/);
    await ok('POST', `/v1/deliveries/${rest.id}/deliver`, {});
    o = await ok('GET', `/v1/orders/${order.id}`);
    expect(o.lines.map((l: any) => l.quantity_delivered)).toEqual(['10', '4']);
    const none = await call('POST', `/v1/orders/${order.id}/deliveries`, {});
    expect(none.status).toBe(409);
    expect(none.body.error.code).toBe('quantity_exceeds_open');
    const list = await ok('GET', `/v1/orders/${order.id}/deliveries`);
    expect(list.data.map((d: any) => d.status)).toEqual(['delivered', 'cancelled', 'delivered']);

    // events for shipping and delivering are in the outbox
    const events = await t.kysely.selectFrom('outbox').select(['event_type']).where('tenant_id', '=', t.tenantId).execute();
    expect(events.filter((e) => e.event_type === 'delivery.shipped')).toHaveLength(2);
    expect(events.filter((e) => e.event_type === 'delivery.delivered')).toHaveLength(2);
  });

  it('ships stock-tracked goods from the warehouse: reservation first, refused when short, allowed with negative stock', async () => {
    await ok('POST', '/v1/warehouses', { code: 'MAIN', name: 'Huvudlager' });
    const p = await stockTrackedProduct(ok, 'SHIP-1');
    await ok('POST', '/v1/stock/receipts', { product_id: p.id, quantity: '5' });
    const c = await customer('Lagerköpare AB');
    const order = await confirmedOrder(ok, c.id, [{ product_id: p.id, quantity: '8' }]);
    const record = await t.db.transaction(t.tenantId, async (s) => (await s.orders.get(asId('order', order.id)))!);
    await t.db.transaction(t.tenantId, (s) => reserveOrderStock(s, env(), record));
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines[0].quantity_reserved).toBe('5');
    expect(await level(p.id)).toMatchObject({ on_hand: '5', reserved: '5', available: '0' });

    // first 3: taken from the reservation
    const d1 = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '3' }] });
    expect(d1.warehouse_id).not.toBeNull();
    await ok('POST', `/v1/deliveries/${d1.id}/ship`, {});
    expect(await level(p.id)).toMatchObject({ on_hand: '2', reserved: '2', available: '0' });
    let line = (await ok('GET', `/v1/orders/${order.id}`)).lines[0];
    expect(line).toMatchObject({ quantity_shipped: '3', quantity_reserved: '2' });

    // the other 5: only 2 on hand → refused, nothing changes
    const d2 = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '5' }] });
    const short = await call('POST', `/v1/deliveries/${d2.id}/ship`, { carrier: 'DHL' });
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('insufficient_stock');
    expect(short.body.error.message).toContain('Line 1');
    expect(short.body.error.message).toContain('only 2 on hand');
    expect((await ok('GET', `/v1/deliveries/${d2.id}`)).status).toBe('created');
    expect(await level(p.id)).toMatchObject({ on_hand: '2', reserved: '2' });

    // the tenant allows negative stock: the shipment goes out and on hand goes below zero
    await t.kysely.updateTable('tenants').set({ allow_negative_stock: true }).where('id', '=', t.tenantId).execute();
    await ok('POST', `/v1/deliveries/${d2.id}/ship`, { carrier: 'DHL' });
    await t.kysely.updateTable('tenants').set({ allow_negative_stock: false }).where('id', '=', t.tenantId).execute();
    expect(await level(p.id)).toMatchObject({ on_hand: '-3', reserved: '0', available: '-3' });
    line = (await ok('GET', `/v1/orders/${order.id}`)).lines[0];
    expect(line).toMatchObject({ quantity_shipped: '8', quantity_reserved: '0' });
    const moves = await ok('GET', `/v1/stock/movements?product_id=${p.id}`);
    expect(moves.data.map((m: any) => [m.kind, m.on_hand_delta, m.reserved_delta])).toEqual([
      ['receipt', '5', '0'],
      ['reserve', '0', '5'],
      ['ship', '-3', '-3'],
      ['ship', '-5', '-2'],
    ]);
    expect(moves.data[2].reference).toEqual({ type: 'delivery_line', id: `${d1.id}-1` });
    expect(await stockMismatches(t)).toEqual([]);
  });

  it('completes service lines with hours (goods lines refused); replacement deliveries are bounded by what is owed', async () => {
    const consulting = await ok('POST', '/v1/products', {
      sku: 'KONS-1', name: 'Konsulttimme', unit: 'HUR', tax_class: 'standard', unit_prices: [{ amount: '950.00', currency: 'SEK' }], kind: 'service',
    });
    const c = await customer('Tjänstekund AB');
    const order = await confirmedOrder(ok, c.id, [
      { product_id: consulting.id, quantity: '10' },
      { description: 'Skärm 27"', quantity: '2', unit_price: '2500.00', tax_class: 'standard' },
    ]);
    expect(order.lines.map((l: any) => l.fulfilment_kind)).toEqual(['service', 'goods']);

    const done = await ok('POST', `/v1/orders/${order.id}/lines/1/complete`, { quantity: '4', hours: '4.5' }, { 'idempotency-key': 'svc-1' });
    expect(done).toMatchObject({ kind: 'service', status: 'delivered', delivered_on: '2026-12-04', review_status: 'awaiting_review', lines: [{ order_line_no: 1, quantity: '4', hours: '4.5' }] });
    expect(await ok('POST', `/v1/orders/${order.id}/lines/1/complete`, { quantity: '4', hours: '4.5' }, { 'idempotency-key': 'svc-1' })).toEqual(done);
    let o = await ok('GET', `/v1/orders/${order.id}`);
    expect(o.lines[0]).toMatchObject({ quantity_allocated: '4', quantity_shipped: '4', quantity_delivered: '4' });

    const tooMuch = await call('POST', `/v1/orders/${order.id}/lines/1/complete`, { quantity: '7' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: 'quantity_exceeds_open', param: 'quantity' });
    const goods = await call('POST', `/v1/orders/${order.id}/lines/2/complete`, { quantity: '1' });
    expect(goods.status).toBe(422);
    expect(goods.body.error.message).toContain('Line 2 is goods');
    const missing = await call('POST', `/v1/orders/${order.id}/lines/9/complete`, { quantity: '1' });
    expect(missing.status).toBe(404);
    const badHours = await call('POST', `/v1/orders/${order.id}/lines/1/complete`, { quantity: '1', hours: 'x' });
    expect(badHours.status).toBe(400);
    expect(badHours.body.error.param).toBe('hours');
    await ok('POST', `/v1/orders/${order.id}/lines/1/complete`, { quantity: '6' });
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines[0].quantity_delivered).toBe('10');

    // goods delivered, one screen turns out damaged: a replacement of 1 is owed (the claims work sets it)
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 2, quantity: '2' }] });
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const noneOwed = await call('POST', `/v1/orders/${order.id}/deliveries`, { kind: 'replacement' });
    expect(noneOwed.status).toBe(409);
    await t.db.transaction(t.tenantId, (s) => s.orders.applyLineDeltas(asId('order', order.id), [{ lineNo: 2, replacement: decimal4('1') }]));
    const tooMany = await call('POST', `/v1/orders/${order.id}/deliveries`, { kind: 'replacement', lines: [{ order_line_no: 2, quantity: '2' }] });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.message).toContain('only 1 is owed');
    // a standard delivery has nothing left on the line
    const standard = await call('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 2, quantity: '1' }] });
    expect(standard.status).toBe(409);
    const replacement = await ok('POST', `/v1/orders/${order.id}/deliveries`, { kind: 'replacement' });
    expect(replacement).toMatchObject({ kind: 'replacement', lines: [{ order_line_no: 2, quantity: '1' }] });
    await ok('POST', `/v1/deliveries/${replacement.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${replacement.id}/deliver`, {});
    o = await ok('GET', `/v1/orders/${order.id}`);
    expect(o.lines[1]).toMatchObject({ quantity_allocated: '3', quantity_shipped: '3', quantity_delivered: '3', quantity_replacement: '1' });
    const text = pdfText((await t.server.inject({ method: 'GET', url: `/v1/deliveries/${replacement.id}/pdf?lang=en`, headers: { authorization: `Bearer ${t.apiKey}` } })).rawPayload);
    expect(text).toContain('Skärm 27"');
  });

  it('refuses deliveries for an order that is not confirmed', async () => {
    const c = await customer('Obekräftad AB');
    const quote = await ok('POST', '/v1/quotes', { customer_id: c.id, lines: [{ description: 'Sak', quantity: '1', unit_price: '10.00', tax_class: 'standard' }] });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    const r = await call('POST', `/v1/orders/${order.id}/deliveries`, {});
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('order_not_confirmed');
  });
});
