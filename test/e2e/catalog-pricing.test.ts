/**
 * Catalog pricing over HTTP: price lists (graduated and volume tiers, customer-group lists, validity),
 * customer prices, line and quote discounts (allocated exactly), optional lines, costs and margins,
 * the explanation trail, and orders that keep their prices when the catalog changes.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

const cents = (m: { amount: string }): bigint => {
  const [whole, frac = ''] = m.amount.split('.');
  const sign = whole!.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole!.replace('-', '')) * 100n + BigInt((frac + '00').slice(0, 2)));
};
const sum = (xs: { amount: string }[]): bigint => xs.reduce((a, x) => a + cents(x), 0n);

/** 1–10 at 100.00, 11–50 at 90.00, 51+ at 80.00 */
const TIERS = [
  { up_to: '10', unit_price: '100.00' },
  { up_to: '50', unit_price: '90.00' },
  { up_to: null, unit_price: '80.00' },
];

describe.each(TEST_DATABASES)('catalog pricing [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  const product = (sku: string, price: string, extra: Record<string, unknown> = {}) =>
    ok('POST', '/v1/products', { sku, name: `Vara ${sku}`, tax_class: 'standard', unit_prices: [{ amount: price, currency: 'SEK' }], ...extra });
  const customer = (name: string, extra: Record<string, unknown> = {}) => ok('POST', '/v1/customers', { name, country: 'SE', currency: 'SEK', ...extra });

  it('prices graduated and volume tiers differently on the same quantities', async () => {
    const grad = await product('TIER-G', '100.00');
    const vol = await product('TIER-V', '100.00');
    const list = await ok('POST', '/v1/price-lists', {
      name: 'Mängdpriser',
      currency: 'SEK',
      prices: [
        { product_id: grad.id, tiers: { mode: 'graduated', tiers: TIERS } },
        { product_id: vol.id, tiers: { mode: 'volume', tiers: TIERS } },
      ],
    });
    expect(list).toMatchObject({ object: 'price_list', customer_group: null, valid_from: null });
    expect((await ok('GET', `/v1/price-lists/${list.id}`)).prices).toHaveLength(2);
    const c = await customer('Tierkund');
    const q = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [
        { product_id: grad.id, quantity: '60' },
        { product_id: vol.id, quantity: '60' },
        { product_id: vol.id, quantity: '5' },
      ],
    });
    expect(q.lines.map((l: any) => l.net_amount.amount)).toEqual(['5400.00', '4800.00', '500.00']);
    expect(q.lines[0].trail.map((s: any) => s.step)).toEqual(['list_price', 'tier', 'tier', 'tier', 'vat']);
    expect(q.lines[0].trail[0]).toMatchObject({ step: 'list_price', source: list.id, amount: { amount: '5400.00', currency: 'SEK' } });
    expect(q.lines[1].trail.map((s: any) => s.step)).toEqual(['list_price', 'tier', 'vat']);
    expect(q.lines[1].unit_price.amount).toBe('80.00');
    expect(q.net_total.amount).toBe('10700.00');
  });

  it('a customer price beats a higher list price; a group price list beats the general price; lists outside their validity are ignored', async () => {
    const p = await product('CAT-1', '250.00');
    const g = await product('CAT-2', '300.00');
    await ok('POST', '/v1/price-lists', {
      name: 'Grossist', currency: 'SEK', customer_group: 'wholesale', prices: [{ product_id: g.id, unit_price: '270.00' }],
    });
    await ok('POST', '/v1/price-lists', {
      name: 'Nästa år', currency: 'SEK', valid_from: '2027-01-01', prices: [{ product_id: g.id, unit_price: '1.00' }],
    });
    await ok('POST', '/v1/price-lists', {
      name: 'Utgången kampanj', currency: 'SEK', customer_group: 'wholesale', valid_from: '2026-11-01', valid_to: '2026-11-30',
      prices: [{ product_id: g.id, unit_price: '2.00' }],
    });
    const c = await customer('Grossisten AB', { customer_group: 'wholesale' });
    expect(c.customer_group).toBe('wholesale');
    const price = await ok('POST', `/v1/customers/${c.id}/prices`, { product_id: p.id, unit_price: '200.00' });
    expect(price).toMatchObject({ object: 'customer_price', unit_price: { amount: '200.00', currency: 'SEK' } });
    expect((await ok('GET', `/v1/customers/${c.id}/prices`)).data).toHaveLength(1);

    const q = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [{ product_id: p.id, quantity: '2' }, { product_id: g.id, quantity: '1' }],
    });
    const [l1, l2] = q.lines;
    expect(l1.unit_price.amount).toBe('200.00');
    expect(l1.net_amount.amount).toBe('400.00');
    expect(l1.trail.map((s: any) => s.step)).toEqual(['list_price', 'customer_price', 'vat']);
    expect(l1.trail[1].source).toBe(price.id);
    expect(l2.unit_price.amount).toBe('270.00');
    expect(l2.trail[0].message).toContain('customer group wholesale');

    // a customer without the group gets the product's own list price
    const plain = await customer('Vanlig kund');
    const q2 = await ok('POST', '/v1/quotes', { customer_id: plain.id, lines: [{ product_id: g.id, quantity: '1' }] });
    expect(q2.lines[0].unit_price.amount).toBe('300.00');
  });

  it('allocates a quote discount exactly, takes line discounts by amount and leaves unselected options out', async () => {
    const c = await customer('Rabattkund');
    const q = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      discount: { amount: '100.00' },
      lines: [
        { description: 'A', quantity: '1', unit_price: '100.00', tax_class: 'standard' },
        { description: 'B', quantity: '1', unit_price: '200.00', tax_class: 'standard' },
        { description: 'C', quantity: '1', unit_price: '550.00', tax_class: 'standard', discount: { amount: '150.00' } },
        { description: 'Tillval', quantity: '1', unit_price: '999.00', tax_class: 'standard', optional: true },
      ],
    });
    expect(q.discount).toEqual({ amount: { amount: '100.00', currency: 'SEK' } });
    expect(q.lines.map((l: any) => l.quote_discount.amount)).toEqual(['14.29', '28.57', '57.14', '0.00']);
    expect(q.lines[2]).toMatchObject({ line_discount: { amount: '150.00' }, discount: { amount: { amount: '150.00' } } });
    expect(q.lines[2].discount_amount.amount).toBe('207.14');
    expect(q.lines[3]).toMatchObject({ optional: true, selected: false, included: false });
    const included = q.lines.filter((l: any) => l.included);
    expect(sum(included.map((l: any) => l.quote_discount))).toBe(10_000n);
    expect(q.quote_discount_total.amount).toBe('100.00');
    expect(q.net_total.amount).toBe('600.00');
    expect(cents(q.net_total)).toBe(sum(included.map((l: any) => l.net_amount)));
    expect(q.vat_total.amount).toBe('150.00');
    for (const l of q.lines) expect(l.trail.length).toBeGreaterThan(0);

    // a percent quote discount on PATCH re-prices the same lines; selecting the option brings it in
    const p = await ok('PATCH', `/v1/quotes/${q.id}`, { discount: { percent: '10' } });
    expect(p.discount).toEqual({ percent: '10' });
    expect(p.quote_discount_total.amount).toBe('70.00');
    expect(p.net_total.amount).toBe('630.00');
    expect(p.lines.map((l: any) => l.line_key)).toEqual(['L1', 'L2', 'L3', 'L4']);

    const bad = await call('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [{ description: 'X', quantity: '1', unit_price: '10.00', tax_class: 'standard', discount: { amount: '11.00' } }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.param).toBe('lines.0.discount.amount');
  });

  it('shows cost and margin, copies only included lines to the order and keeps order prices when the catalog changes', async () => {
    const p = await product('MRG-1', '100.00', { unit_cost: '60.00' });
    expect(p.unit_cost).toEqual({ amount: '60.00', currency: 'SEK' });
    const list = await ok('POST', '/v1/price-lists', { name: 'Allmän', currency: 'SEK', prices: [{ product_id: p.id, unit_price: '100.00' }] });
    const c = await customer('Marginalkund');
    const q = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [
        { product_id: p.id, quantity: '10' },
        { description: 'Tillval', quantity: '1', unit_price: '500.00', tax_class: 'standard', optional: true },
      ],
    });
    expect(q.lines[0]).toMatchObject({
      unit_cost: { amount: '60.00' }, cost: { amount: '600.00' }, margin: { amount: '400.00' }, margin_percent: '40',
    });
    expect(q).toMatchObject({ cost_total: { amount: '600.00' }, margin: { amount: '400.00' }, margin_percent: '40', net_total: { amount: '1000.00' } });

    await ok('POST', `/v1/quotes/${q.id}/send`);
    const order = await ok('POST', `/v1/quotes/${q.id}/accept`);
    expect(order.lines).toHaveLength(1);
    expect(order.net_total.amount).toBe('1000.00');
    expect(cents(order.net_total)).toBe(sum(order.lines.map((l: any) => l.net_amount)));
    expect(order.gross_total.amount).toBe('1250.00');

    await ok('PATCH', `/v1/price-lists/${list.id}`, { prices: [{ product_id: p.id, unit_price: '150.00' }] });
    await ok('PATCH', `/v1/products/${p.id}`, { unit_prices: [{ amount: '175.00', currency: 'SEK' }], unit_cost: '90.00' });
    const after = await ok('GET', `/v1/orders/${order.id}`);
    expect(after.lines[0].unit_price.amount).toBe('100.00');
    expect(after.net_total.amount).toBe('1000.00');
    const fresh = await ok('POST', '/v1/quotes', { customer_id: c.id, lines: [{ product_id: p.id, quantity: '1' }] });
    expect(fresh.lines[0].unit_price.amount).toBe('150.00');
  });

  it('product groups and validation errors name the field', async () => {
    const g = await ok('POST', '/v1/product-groups', { name: 'Konsulttjänster' });
    expect(g).toMatchObject({ object: 'product_group', name: 'Konsulttjänster' });
    const p = await product('GRP-1', '10.00', { group_id: g.id });
    expect(p.group_id).toBe(g.id);
    expect((await ok('GET', '/v1/product-groups')).data.map((x: any) => x.id)).toContain(g.id);
    const both = await call('POST', '/v1/price-lists', {
      name: 'Fel', currency: 'SEK', prices: [{ product_id: p.id, unit_price: '1.00', tiers: { mode: 'volume', tiers: TIERS } }],
    });
    expect(both.status).toBe(400);
    expect(both.body.error.param).toBe('prices.0');
    const badTiers = await call('POST', '/v1/price-lists', {
      name: 'Fel', currency: 'SEK', prices: [{ product_id: p.id, tiers: { mode: 'volume', tiers: [{ up_to: '10', unit_price: '1.00' }] } }],
    });
    expect(badTiers.status).toBe(400);
    expect(badTiers.body.error.param).toBe('prices.0.tiers.tiers.0.up_to');
  });
});
