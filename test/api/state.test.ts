/**
 * Documents move through their states over HTTP: a wrong transition is 409 with its code; JSON
 * conventions (decimal strings for money and quantities, snake_case, `object`) hold on the way.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from './helpers.js';

describe.each(TEST_DATABASES)('API document states [%s]', (kind) => {
  const t = useTestApp(kind);
  const api = client(t);

  const expect409 = async (method: 'POST', url: string, payload: unknown, code: string) => {
    const r = await api.call(method, url, payload);
    expect(r.status, r.raw).toBe(409);
    expect(r.body.error).toMatchObject({ type: 'state_error', code });
    return r.body.error;
  };

  it('moves a quote to an order and a delivery, refusing wrong transitions with 409', async () => {
    const customer = await api.call('POST', '/v1/customers', {
      name: 'Tillstånd AB', country: 'SE', currency: 'SEK', address: { city: 'Lund' }, org_number: '556000-0000',
    });
    expect(customer.status).toBe(201);
    expect(customer.body).toMatchObject({
      object: 'customer', name: 'Tillstånd AB', currency: 'SEK', payment_terms_days: 30, email: null,
      address: { line1: null, line2: null, postal_code: null, city: 'Lund' }, org_number: '556000-0000',
    });
    expect(customer.body.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const product = await api.call('POST', '/v1/products', {
      sku: 'ST-1', name: 'Stateful part', tax_class: 'standard', unit_prices: [{ amount: '80.00', currency: 'SEK' }, { amount: '7.50', currency: 'EUR' }],
    });
    expect(product.status).toBe(201);
    expect(product.body).toMatchObject({
      object: 'product', unit: 'C62', active: true,
      unit_prices: [{ amount: '7.50', currency: 'EUR' }, { amount: '80.00', currency: 'SEK' }],
    });

    const quote = await api.call('POST', '/v1/quotes', {
      customer_id: customer.body.id,
      lines: [
        { product_id: product.body.id, quantity: '2.5', discount_percent: '10' },
        { description: 'Consulting', quantity: 3, unit: 'HUR', unit_price: '1000.00', tax_class: 'standard' },
      ],
    });
    expect(quote.status, quote.raw).toBe(201);
    // 2.5 × 80 = 200 − 10 % = 180; 3 × 1000 = 3000 → net 3180, VAT 795, gross 3975
    expect(quote.body).toMatchObject({
      object: 'quote', status: 'draft', currency: 'SEK', version: 1,
      net_total: { amount: '3180.00', currency: 'SEK' },
      vat_total: { amount: '795.00', currency: 'SEK' },
      gross_total: { amount: '3975.00', currency: 'SEK' },
    });
    expect(quote.body.lines[0]).toMatchObject({
      line_no: 1, quantity: '2.5', discount_percent: '10', unit_price: { amount: '80.00', currency: 'SEK' },
      net_amount: { amount: '180.00', currency: 'SEK' }, vat_rate: '25', vat_category: 'S', tax_class: 'standard',
    });
    expect(quote.body.lines[1]).toMatchObject({ quantity: '3', unit: 'HUR', product_id: null });
    const quoteUrl = `/v1/quotes/${quote.body.id}`;

    await expect409('POST', `${quoteUrl}/accept`, undefined, 'quote_not_sent');
    const sent = await api.call('POST', `${quoteUrl}/send`);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ object: 'quote', status: 'sent' });
    await expect409('POST', `${quoteUrl}/send`, {}, 'quote_not_draft');

    const order = await api.call('POST', `${quoteUrl}/accept`, {});
    expect(order.status, order.raw).toBe(201);
    expect(order.body).toMatchObject({ object: 'order', status: 'unconfirmed', quote_id: quote.body.id, gross_total: { amount: '3975.00', currency: 'SEK' } });
    expect((await api.ok('GET', quoteUrl)).status).toBe('accepted');
    await expect409('POST', `${quoteUrl}/accept`, {}, 'quote_not_sent');

    const orderUrl = `/v1/orders/${order.body.id}`;
    await expect409('POST', `${orderUrl}/deliveries`, {}, 'order_not_confirmed');
    // an action with a JSON content type and an empty body is an action without a body
    const confirmed = await t.server.inject({
      method: 'POST',
      url: `${orderUrl}/confirm`,
      payload: '',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().status).toBe('confirmed');
    await expect409('POST', `${orderUrl}/confirm`, {}, 'order_not_confirmable');

    const tooMuch = await expect409('POST', `${orderUrl}/deliveries`, { lines: [{ order_line_no: 1, quantity: '2.5001' }] }, 'quantity_exceeds_open');
    expect(tooMuch.param).toBe('lines.0.quantity');
    const noLine = await api.call('POST', `${orderUrl}/deliveries`, { lines: [{ order_line_no: 9, quantity: '1' }] });
    expect(noLine.status).toBe(400);
    expect(noLine.body.error.param).toBe('lines.0.order_line_no');

    const delivery = await api.call('POST', `${orderUrl}/deliveries`, { lines: [{ order_line_no: 1, quantity: '1.5' }] });
    expect(delivery.status, delivery.raw).toBe(201);
    expect(delivery.body).toMatchObject({ object: 'delivery', status: 'created', lines: [{ line_no: 1, order_line_no: 1, quantity: '1.5' }] });
    const afterDelivery = await api.ok('GET', orderUrl);
    expect(afterDelivery.lines[0]).toMatchObject({ quantity: '2.5', quantity_allocated: '1.5', quantity_delivered: '0', quantity_invoiced: '0' });
    await expect409('POST', `${orderUrl}/deliveries`, { lines: [{ order_line_no: 1, quantity: '1.5' }] }, 'quantity_exceeds_open');

    const deliveryUrl = `/v1/deliveries/${delivery.body.id}`;
    await expect409('POST', `${deliveryUrl}/deliver`, {}, 'delivery_not_deliverable');
    const shipped = await api.call('POST', `${deliveryUrl}/ship`, { carrier: 'DHL', tracking_number: 'JD0001' });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toMatchObject({ status: 'shipped', carrier: 'DHL', tracking_number: 'JD0001' });
    await expect409('POST', `${deliveryUrl}/ship`, {}, 'delivery_not_shippable');
    const delivered = await api.call('POST', `${deliveryUrl}/deliver`, { delivered_on: '2026-03-05' });
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ status: 'delivered', delivered_on: '2026-03-05' });
    expect((await api.ok('GET', orderUrl)).lines[0]).toMatchObject({ quantity_delivered: '1.5' });

    // invoicing what was delivered; an issued invoice can't be issued again
    const draft = await api.call('POST', '/v1/invoices', { order_id: order.body.id });
    expect(draft.status, draft.raw).toBe(201);
    expect(draft.body).toMatchObject({ object: 'invoice', status: 'draft', number: null, payment_status: null, amount_due: { amount: '135.00', currency: 'SEK' } });
    await expect409('POST', '/v1/invoices', { order_id: order.body.id }, 'nothing_to_invoice');
    const issued = await api.call('POST', `/v1/invoices/${draft.body.id}/issue`, {});
    expect(issued.status, issued.raw).toBe(200);
    expect(issued.body).toMatchObject({ status: 'issued', payment_status: 'unpaid', amount_due: { amount: '135.00', currency: 'SEK' } });
    expect(issued.body.vat_breakdown).toEqual([
      { vat_category: 'S', vat_rate: '25', taxable_amount: { amount: '108.00', currency: 'SEK' }, vat_amount: { amount: '27.00', currency: 'SEK' } },
    ]);
    await expect409('POST', `/v1/invoices/${draft.body.id}/issue`, {}, 'invoice_not_draft');
  });

  it('refuses an archived product on a quote (422) and a duplicate SKU (409)', async () => {
    const customer = await api.ok('POST', '/v1/customers', { name: 'Arkiv AB', country: 'SE', currency: 'SEK' });
    const product = await api.ok('POST', '/v1/products', { sku: 'ARC-1', name: 'Old', tax_class: 'standard', unit_prices: [{ amount: '1.00', currency: 'SEK' }] });
    const archived = await api.call('PATCH', `/v1/products/${product.id}`, { active: false, name: 'Old (archived)' });
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ active: false, name: 'Old (archived)' });
    const q = await api.call('POST', '/v1/quotes', { customer_id: customer.id, lines: [{ product_id: product.id, quantity: '1' }] });
    expect(q.status).toBe(422);
    expect(q.body.error).toMatchObject({ type: 'invalid_request_error', code: 'unprocessable', param: 'lines.0.product_id' });

    const eur = await api.call('POST', '/v1/quotes', { customer_id: customer.id, currency: 'EUR', lines: [{ description: 'x', quantity: '1', unit_price: '1.00', tax_class: 'standard' }] });
    expect(eur.status).toBe(422);
    expect(eur.body.error).toMatchObject({ code: 'currency_mismatch', param: 'currency' });

    const dup = await api.call('POST', '/v1/products', { sku: 'ARC-1', name: 'Again', tax_class: 'standard', unit_prices: [{ amount: '1.00', currency: 'SEK' }] });
    expect(dup.status, dup.raw).toBe(409);
    expect(dup.body.error).toMatchObject({ type: 'state_error', code: 'conflict', param: 'sku' });
    expect((await api.ok('GET', '/v1/products?limit=100')).data.filter((p: { sku: string }) => p.sku === 'ARC-1')).toHaveLength(1);
  });

  it('pages through lists with limit and starting_after', async () => {
    const all = await api.ok('GET', '/v1/customers?limit=100');
    expect(all.data.length).toBe(2);
    const first = await api.ok('GET', '/v1/customers?limit=1');
    expect(first).toMatchObject({ object: 'list', has_more: true });
    expect(first.data).toHaveLength(1);
    const second = await api.ok('GET', `/v1/customers?limit=1&starting_after=${first.data[0].id}`);
    expect(second.has_more).toBe(false);
    expect(second.data[0].id).toBe(all.data[1].id);
    expect(second.data[0].id).not.toBe(first.data[0].id);
  });
});
