/**
 * Bad input is refused with 400 naming the field (a dotted path), and nothing is written; unknown
 * and malformed ids in the path are 404.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from './helpers.js';

describe.each(TEST_DATABASES)('API input validation [%s]', (kind) => {
  const t = useTestApp(kind);
  const api = client(t);

  const expect400 = async (method: 'POST' | 'GET' | 'PATCH', url: string, payload: unknown, param: string | null, headers?: Record<string, string>) => {
    const r = await api.call(method, url, payload, headers);
    expect(r.status, r.raw).toBe(400);
    expect(r.body.error.type).toBe('invalid_request_error');
    expect(r.body.error.code).toBe('validation_failed');
    expect(r.body.error.param).toBe(param);
    if (param !== null) expect(r.body.error.message).toContain(param);
    return r.body.error;
  };

  const listLength = async (url: string) => {
    const list = await api.ok('GET', url);
    expect(list.object).toBe('list');
    return list.data.length as number;
  };

  it('refuses bad customers, naming the field, and writes nothing', async () => {
    const good = { name: 'Valid AB', country: 'SE', currency: 'SEK' };
    const { name: _name, ...noName } = good;
    await expect400('POST', '/v1/customers', noName, 'name');
    await expect400('POST', '/v1/customers', { ...good, name: '' }, 'name');
    await expect400('POST', '/v1/customers', { ...good, currency: 'sek' }, 'currency');
    await expect400('POST', '/v1/customers', { ...good, currency: 'XYZ' }, 'currency');
    await expect400('POST', '/v1/customers', { ...good, country: 'Sweden' }, 'country');
    await expect400('POST', '/v1/customers', { ...good, payment_terms_days: '30' }, 'payment_terms_days');
    await expect400('POST', '/v1/customers', { ...good, payment_terms_days: 366 }, 'payment_terms_days');
    await expect400('POST', '/v1/customers', { ...good, email: 'not-an-email' }, 'email');
    await expect400('POST', '/v1/customers', { ...good, nickname: 'V' }, 'nickname');
    await expect400('POST', '/v1/customers', { ...good, address: { street: 'Storgatan 1' } }, 'address.street');
    // a failed request with an Idempotency-Key writes nothing either
    await expect400('POST', '/v1/customers', noName, 'name', { 'idempotency-key': 'bad-customer-1' });
    expect(await listLength('/v1/customers')).toBe(0);
  });

  it('refuses money with more decimals than the currency has, and JSON numbers for money', async () => {
    const product = { sku: 'VAL-1', name: 'Validated', tax_class: 'standard', unit_prices: [{ amount: '10.005', currency: 'SEK' }] };
    const e = await expect400('POST', '/v1/products', product, 'unit_prices.0.amount');
    expect(e.message).toMatch(/decimals/);
    await expect400('POST', '/v1/products', { ...product, unit_prices: [{ amount: 10, currency: 'SEK' }] }, 'unit_prices.0.amount');
    await expect400('POST', '/v1/products', { ...product, unit_prices: [{ amount: '-1.00', currency: 'SEK' }] }, 'unit_prices.0.amount');
    await expect400('POST', '/v1/products', { ...product, unit_prices: [] }, 'unit_prices');
    await expect400('POST', '/v1/products', { ...product, tax_class: 'luxury' }, 'tax_class');
    expect(await listLength('/v1/products')).toBe(0);

    await expect400('POST', '/v1/payments', { amount: { amount: '100.001', currency: 'SEK' } }, 'amount.amount');
    await expect400('POST', '/v1/payments', { amount: { amount: '100', currency: 'JPY' }, received_on: '2026-02-30' }, 'received_on');
    await expect400('POST', '/v1/payments', { amount: { amount: '0.00', currency: 'SEK' } }, 'amount');
    expect(await listLength('/v1/payments')).toBe(0);
    expect(await listLength('/v1/ledger/entries')).toBe(0);
  });

  it('refuses bad quote lines, naming the line and field', async () => {
    const customer = await api.ok('POST', '/v1/customers', { name: 'Quoted AB', country: 'SE', currency: 'SEK' });
    const line = { description: 'Work', quantity: '1', unit_price: '100.00', tax_class: 'standard' };
    const quote = (lines: unknown[]) => ({ customer_id: customer.id, lines });
    await expect400('POST', '/v1/quotes', quote([line, { ...line, quantity: '1.23456' }]), 'lines.1.quantity');
    await expect400('POST', '/v1/quotes', quote([{ ...line, quantity: '0' }]), 'lines.0.quantity');
    await expect400('POST', '/v1/quotes', quote([{ ...line, quantity: true }]), 'lines.0.quantity');
    await expect400('POST', '/v1/quotes', quote([{ ...line, unit_price: '1.001' }]), 'lines.0.unit_price');
    await expect400('POST', '/v1/quotes', quote([{ ...line, discount_percent: '101' }]), 'lines.0.discount_percent');
    await expect400('POST', '/v1/quotes', quote([{ ...line, colour: 'red' }]), 'lines.0.colour');
    await expect400('POST', '/v1/quotes', quote([{ quantity: '1', unit_price: '5.00', tax_class: 'standard' }]), 'lines.0.description');
    await expect400('POST', '/v1/quotes', quote([]), 'lines');
    await expect400('POST', '/v1/quotes', { ...quote([line]), customer_id: 'nobody' }, 'customer_id');
    await expect400('POST', '/v1/quotes', { ...quote([line]), quote_date: '2026-13-01' }, 'quote_date');
    expect(await listLength('/v1/quotes')).toBe(0);
  });

  it('refuses malformed JSON, bad query parameters and a bad Idempotency-Key', async () => {
    const bad = await t.server.inject({
      method: 'POST',
      url: '/v1/customers',
      payload: '{"name": "Broken',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed', param: null } });

    await expect400('GET', '/v1/customers?limit=0', undefined, 'limit');
    await expect400('GET', '/v1/customers?limit=101', undefined, 'limit');
    await expect400('GET', '/v1/customers?starting_after=nonsense', undefined, 'starting_after');
    await expect400('GET', '/v1/customers?colour=red', undefined, 'colour');
    await expect400('GET', '/v1/payments?unapplied=yes', undefined, 'unapplied');
    await expect400('GET', '/v1/reports/aging?as_of=yesterday', undefined, 'as_of');
    await expect400('POST', '/v1/customers', { name: 'K', country: 'SE', currency: 'SEK' }, 'Idempotency-Key', { 'idempotency-key': 'k'.repeat(256) });
    expect(await listLength('/v1/customers?limit=100')).toBe(1); // only the customer of the quote test
  });

  it('answers 404 for unknown and malformed ids', async () => {
    const unknownIds: Record<string, string> = {
      customers: 'cus_0000000000aaaaaaaaaaaaaaaa',
      products: 'prd_0000000000aaaaaaaaaaaaaaaa',
      quotes: 'qte_0000000000aaaaaaaaaaaaaaaa',
      orders: 'ord_0000000000aaaaaaaaaaaaaaaa',
      deliveries: 'dlv_0000000000aaaaaaaaaaaaaaaa',
      invoices: 'inv_0000000000aaaaaaaaaaaaaaaa',
      payments: 'pay_0000000000aaaaaaaaaaaaaaaa',
    };
    for (const [resource, id] of Object.entries(unknownIds)) {
      for (const candidate of [id, 'not-an-id', 'cus_UPPER', unknownIds[resource === 'customers' ? 'products' : 'customers']!]) {
        const r = await api.call('GET', `/v1/${resource}/${candidate}`);
        expect(r.status, `${resource}/${candidate}`).toBe(404);
        expect(r.body.error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
      }
    }
    for (const url of [
      `/v1/quotes/${unknownIds['quotes']}/send`,
      `/v1/quotes/garbage/accept`,
      `/v1/orders/${unknownIds['orders']}/confirm`,
      `/v1/deliveries/${unknownIds['deliveries']}/ship`,
      `/v1/invoices/${unknownIds['invoices']}/issue`,
      `/v1/payments/${unknownIds['payments']}/apply`,
    ]) {
      const r = await api.call('POST', url, {});
      expect(r.status, url).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await api.call('GET', `/v1/customers/${unknownIds['customers']}/balance`)).status).toBe(404);
    const patch = await api.call('PATCH', `/v1/products/${unknownIds['products']}`, { name: 'Ghost' });
    expect(patch.status).toBe(404);

    // an unknown id inside a body names the field
    const q = await api.call('POST', '/v1/quotes', { customer_id: unknownIds['customers'], lines: [{ description: 'x', quantity: '1', unit_price: '1.00', tax_class: 'standard' }] });
    expect(q.status).toBe(404);
    expect(q.body.error).toMatchObject({ code: 'not_found', param: 'customer_id' });
    const inv = await api.call('POST', '/v1/invoices', { order_id: unknownIds['orders'] });
    expect(inv.status).toBe(404);
    expect(inv.body.error).toMatchObject({ code: 'not_found', param: 'order_id' });
  });
});
