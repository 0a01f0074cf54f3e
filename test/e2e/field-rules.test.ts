/**
 * Field-level rules of the permission matrix (issue 8, decision 0016) over HTTP on every configured
 * database: a customer's credit limit is finance's (admin, finance) even where sales may create and
 * change the customer; an order amendment's prices and discounts are sales' (admin, sales_manager,
 * sales) even where operations may amend the order's quantities. A refused field is a 403 naming it
 * and writes nothing.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { orderFromQuote } from '../support/orders.js';

describe.each(TEST_DATABASES)('field-level rules [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);
  const as = async (key: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
    const res = await t.server.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    return { status: res.statusCode, body: res.json() };
  };
  const keyFor = async (role: string) => (await ok('POST', '/v1/api-keys', { name: `Nyckel ${role}`, role })).key as string;
  const customerCount = async () => Number((await t.kysely.selectFrom('customers').select((e) => e.fn.countAll().as('n')).where('tenant_id', '=', t.tenantId).executeTakeFirstOrThrow()).n);
  const customerBody = (name: string, extra: Record<string, unknown> = {}) => ({ name, country: 'SE', currency: 'SEK', payment_terms_days: 30, ...extra });

  it('credit_limit: only admin and finance set it; sales sets every other customer field', async () => {
    const sales = await keyFor('sales');
    const finance = await keyFor('finance');

    // sales creates a customer and changes its details, terms and group
    const created = await as(sales, 'POST', '/v1/customers', customerBody('Säljkund AB', { email: 'inkop@saljkund.se', customer_group: 'retail' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Säljkund AB', credit_limit: null });
    const patched = await as(sales, 'PATCH', `/v1/customers/${created.body.id}`, { name: 'Säljkund Norr AB', payment_terms_days: 20, customer_group: 'wholesale' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Säljkund Norr AB', payment_terms_days: 20, customer_group: 'wholesale', credit_limit: null });

    // but not its credit limit, on create or update (clearing it included); nothing is written
    const before = await customerCount();
    const refusedCreate = await as(sales, 'POST', '/v1/customers', customerBody('Kreditkund AB', { credit_limit: '50000.00' }));
    expect([refusedCreate.status, refusedCreate.body.error.code, refusedCreate.body.error.param]).toEqual([403, 'forbidden', 'credit_limit']);
    expect(await customerCount()).toBe(before);
    for (const limit of ['10000.00', null]) {
      const refused = await as(sales, 'PATCH', `/v1/customers/${created.body.id}`, { name: 'Ändrat namn', credit_limit: limit });
      expect([refused.status, refused.body.error.param]).toEqual([403, 'credit_limit']);
    }
    expect(await ok('GET', `/v1/customers/${created.body.id}`)).toMatchObject({ name: 'Säljkund Norr AB', credit_limit: null });

    // finance (and admin) may
    const byFinance = await as(finance, 'PATCH', `/v1/customers/${created.body.id}`, { credit_limit: '25000.00' });
    expect(byFinance.status).toBe(200);
    expect(byFinance.body.credit_limit).toEqual({ amount: '25000.00', currency: 'SEK' });
    const financeCreated = await as(finance, 'POST', '/v1/customers', customerBody('Ekonomikund AB', { credit_limit: '1000.00' }));
    expect([financeCreated.status, financeCreated.body.credit_limit]).toEqual([201, { amount: '1000.00', currency: 'SEK' }]);
    expect((await ok('PATCH', `/v1/customers/${created.body.id}`, { credit_limit: null })).credit_limit).toBeNull();
  });

  it('order amendments: operations changes quantities, only sales sets a price or a discount', async () => {
    const operations = await keyFor('operations');
    const sales = await keyFor('sales');
    const product = await ok('POST', '/v1/products', { sku: 'FR-1', name: 'Hyllplan', tax_class: 'standard', unit_prices: [{ amount: '200.00', currency: 'SEK' }] });
    const { order } = await orderFromQuote(t, { name: 'Ändringskund AB', country: 'SE', payment_terms_days: 30 }, [
      { description: 'Montering', quantity: '4', unit_price: '500.00', tax_class: 'standard' },
    ]);
    await ok('POST', `/v1/orders/${order.id}/confirm`);

    // quantities and a product line priced by the price list: allowed
    const amended = await as(operations, 'POST', `/v1/orders/${order.id}/amend`, {
      reason: 'Kunden vill ha fler', lines: [{ line_no: 1, quantity: '6' }], add: [{ product_id: product.id, quantity: '2' }],
    });
    expect(amended.status).toBe(200);
    const version = (await ok('GET', `/v1/orders/${order.id}/versions`)).data.length;

    // a price or a discount on an added line: 403 naming the field, nothing written
    const refusals: [Record<string, unknown>, string][] = [
      [{ description: 'Extra montering', quantity: '1', unit_price: '450.00', tax_class: 'standard' }, 'add.0.unit_price'],
      [{ product_id: product.id, quantity: '1', discount_percent: '10' }, 'add.0.discount_percent'],
    ];
    for (const [line, param] of refusals) {
      const r = await as(operations, 'POST', `/v1/orders/${order.id}/amend`, { lines: [{ line_no: 1, quantity: '7' }], add: [line] });
      expect([r.status, r.body.error.code, r.body.error.param]).toEqual([403, 'forbidden', param]);
    }
    // a second added line is named by its own index
    const second = await as(operations, 'POST', `/v1/orders/${order.id}/amend`, {
      add: [{ product_id: product.id, quantity: '1' }, { product_id: product.id, quantity: '1', discount_percent: '5' }],
    });
    expect([second.status, second.body.error.param]).toEqual([403, 'add.1.discount_percent']);
    expect((await ok('GET', `/v1/orders/${order.id}/versions`)).data.length).toBe(version);
    const unchanged = await ok('GET', `/v1/orders/${order.id}`);
    expect(unchanged.lines.map((l: { quantity: string }) => l.quantity)).toEqual(amended.body.lines.map((l: { quantity: string }) => l.quantity));

    // sales may set both
    const bySales = await as(sales, 'POST', `/v1/orders/${order.id}/amend`, {
      add: [{ description: 'Extra montering', quantity: '1', unit_price: '450.00', tax_class: 'standard', discount_percent: '10' }],
    });
    expect(bySales.status).toBe(200);
    expect(bySales.body.lines.at(-1)).toMatchObject({ unit_price: { amount: '450.00', currency: 'SEK' }, discount_percent: '10' });
  });
});
