/**
 * Bundles over HTTP: products made of components, priced as the sum of the components' prices or at
 * a fixed price, shown expanded or collapsed on the quote PDF and the portal, frozen on the order.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { pdfText } from '../support/pdf.js';

describe.each(TEST_DATABASES)('bundles [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  const product = (sku: string, name: string, extra: Record<string, unknown> = {}) =>
    ok('POST', '/v1/products', { sku, name, tax_class: 'standard', unit_prices: [{ amount: '100.00', currency: 'SEK' }], ...extra });

  /** A desk at 250.00 (cost 100.00), chairs on graduated tiers (cost 40.00), a lamp at 12 %. */
  let round = 0;
  async function catalog() {
    const n = ++round;
    const desk = await product(`DESK-${n}`, 'Skrivbord Ek', { unit_prices: [{ amount: '250.00', currency: 'SEK' }], unit_cost: '100.00' });
    const chair = await product(`CHAIR-${n}`, 'Kontorsstol Ergo', { unit_cost: '40.00' });
    await ok('POST', '/v1/price-lists', {
      name: 'Stolar',
      currency: 'SEK',
      prices: [{ product_id: chair.id, tiers: { mode: 'graduated', tiers: [{ up_to: '10', unit_price: '100.00' }, { up_to: null, unit_price: '90.00' }] } }],
    });
    const lamp = await product(`LAMP-${n}`, 'Lampa', { tax_class: 'reduced_12' });
    return { desk, chair, lamp };
  }

  it('defines bundles and refuses nesting, mixed VAT, self-reference and a missing price', async () => {
    const { desk, chair, lamp } = await catalog();
    const kit = await ok('POST', '/v1/products', {
      sku: 'KIT', name: 'Kontorspaket', unit: 'SET', tax_class: 'standard',
      bundle: { pricing: 'sum', components: [{ product_id: desk.id, quantity: '1' }, { product_id: chair.id, quantity: '2' }] },
    });
    expect(kit.unit_prices).toEqual([]);
    expect(kit.bundle).toEqual({
      pricing: 'sum',
      display: 'expanded',
      components: [{ product_id: desk.id, quantity: '1' }, { product_id: chair.id, quantity: '2' }],
    });
    expect((await ok('GET', `/v1/products/${kit.id}`)).bundle.components).toHaveLength(2);

    const refused = async (body: Record<string, unknown>, status: number, param: string) => {
      const r = await call('POST', '/v1/products', { sku: `X-${param}-${status}`, name: 'X', tax_class: 'standard', ...body });
      expect(r.status, r.raw).toBe(status);
      expect(r.body.error.param).toBe(param);
    };
    await refused({ bundle: { pricing: 'sum', components: [{ product_id: kit.id, quantity: '1' }] } }, 422, 'bundle.components.0.product_id');
    await refused({ bundle: { pricing: 'sum', components: [{ product_id: lamp.id, quantity: '1' }] } }, 422, 'bundle.components.0.product_id');
    await refused({ bundle: { pricing: 'sum', components: [{ product_id: desk.id, quantity: '0' }] } }, 400, 'bundle.components.0.quantity');
    await refused({ bundle: { pricing: 'sum', components: [{ product_id: desk.id, quantity: '1' }, { product_id: desk.id, quantity: '2' }] } }, 400, 'bundle.components.1.product_id');
    await refused({ bundle: { pricing: 'sum', components: [{ product_id: 'prd_00000000000000000000000000', quantity: '1' }] } }, 404, 'bundle.components.0.product_id');
    await refused({ bundle: { pricing: 'fixed', components: [{ product_id: desk.id, quantity: '1' }] } }, 400, 'unit_prices');
    // A product that is a component cannot become a bundle; a bundle cannot contain itself.
    const r1 = await call('PATCH', `/v1/products/${desk.id}`, { bundle: { pricing: 'sum', components: [{ product_id: lamp.id, quantity: '1' }] } });
    expect(r1.status).toBe(422);
    expect(r1.body.error.param).toBe('bundle');
    const r2 = await call('PATCH', `/v1/products/${kit.id}`, { bundle: { pricing: 'sum', components: [{ product_id: kit.id, quantity: '1' }] } });
    expect(r2.status).toBe(400);
    expect(r2.body.error.param).toBe('bundle.components.0.product_id');
    // Nothing was changed by the refusals.
    expect((await ok('GET', `/v1/products/${kit.id}`)).bundle.components).toHaveLength(2);
    expect((await ok('GET', `/v1/products/${desk.id}`)).bundle).toBeNull();
    // A bundle can be made an ordinary product again.
    const plain = await ok('PATCH', `/v1/products/${kit.id}`, { bundle: null, unit_prices: [{ amount: '500.00', currency: 'SEK' }] });
    expect(plain.bundle).toBeNull();
  });

  it('prices a sum bundle from its components, shows it expanded or collapsed, and freezes it on the order', async () => {
    const { desk, chair } = await catalog();
    const kit = await ok('POST', '/v1/products', {
      sku: 'KIT-SUM', name: 'Kontorspaket', unit: 'SET', tax_class: 'standard',
      bundle: { pricing: 'sum', display: 'expanded', components: [{ product_id: desk.id, quantity: '1' }, { product_id: chair.id, quantity: '2' }] },
    });
    const fixedComponent = await product('CABLE', 'Kabelränna Dold');
    const fixed = await ok('POST', '/v1/products', {
      sku: 'KIT-FIX', name: 'Installationspaket', unit: 'SET', tax_class: 'standard', unit_prices: [{ amount: '300.00', currency: 'SEK' }],
      bundle: { pricing: 'fixed', display: 'collapsed', components: [{ product_id: fixedComponent.id, quantity: '4' }] },
    });
    const customer = await ok('POST', '/v1/customers', { name: 'Paketkund AB', country: 'SE', currency: 'SEK' });
    const q = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [
        { product_id: kit.id, quantity: '6', discount_percent: '10' },
        { product_id: fixed.id, quantity: '2' },
      ],
    });
    const [sumLine, fixedLine] = q.lines;
    // 6 desks × 250.00 = 1 500.00; 12 chairs: 10 × 100.00 + 2 × 90.00 = 1 180.00; 2 680.00 − 10 % = 2 412.00
    expect(sumLine.gross_amount.amount).toBe('2680.00');
    expect(sumLine.net_amount.amount).toBe('2412.00');
    expect(sumLine.unit_price.amount).toBe('446.67');
    expect(sumLine.bundle).toMatchObject({
      pricing: 'sum',
      display: 'expanded',
      components: [
        { sku: desk.sku, description: 'Skrivbord Ek', quantity_per_unit: '1', quantity: '6', amount: { amount: '1500.00', currency: 'SEK' } },
        { sku: chair.sku, description: 'Kontorsstol Ergo', quantity_per_unit: '2', quantity: '12', amount: { amount: '1180.00', currency: 'SEK' } },
      ],
    });
    expect(sumLine.trail.filter((s: any) => s.step === 'bundle_component').map((s: any) => s.component_product_id)).toEqual([desk.id, chair.id]);
    // cost 6 × (100.00 + 2 × 40.00) = 1 080.00
    expect(sumLine.cost.amount).toBe('1080.00');
    expect(fixedLine.net_amount.amount).toBe('600.00');
    expect(fixedLine.bundle.components[0]).toMatchObject({ quantity: '8', amount: null });

    await ok('POST', `/v1/quotes/${q.id}/send`);
    const pdf = await t.server.inject({ method: 'GET', url: `/v1/quotes/${q.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain('Kontorspaket');
    expect(text).toContain('Ingår:');
    expect(text).toContain('Skrivbord Ek');
    expect(text).toMatch(/Kontorsstol Ergo\s+12 st/);
    expect(text).toContain('Installationspaket');
    expect(text).not.toContain('Kabelränna Dold'); // collapsed
    const en = pdfText((await t.server.inject({ method: 'GET', url: `/v1/quotes/${q.id}/pdf?lang=en`, headers: { authorization: `Bearer ${t.apiKey}` } })).rawPayload);
    expect(en).toContain('Includes:');

    const link = await ok('POST', `/v1/quotes/${q.id}/portal-links`);
    const portalPath = new URL(link.url).pathname;
    const page = await t.server.inject({ method: 'GET', url: portalPath });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Skrivbord Ek');
    expect(page.body).not.toContain('Kabelränna Dold');

    const order = await ok('POST', `/v1/quotes/${q.id}/accept`);
    expect(order.lines[0].bundle.components.map((c: any) => [c.sku, c.quantity, c.amount?.amount ?? null])).toEqual([
      [desk.sku, '6', '1500.00'],
      [chair.sku, '12', '1180.00'],
    ]);
    // The catalog changes; the order keeps what was agreed.
    await ok('PATCH', `/v1/products/${desk.id}`, { unit_prices: [{ amount: '999.00', currency: 'SEK' }] });
    await ok('PATCH', `/v1/products/${kit.id}`, { bundle: { pricing: 'sum', components: [{ product_id: desk.id, quantity: '3' }] } });
    const again = await ok('GET', `/v1/orders/${order.id}`);
    expect(again.lines[0].net_amount.amount).toBe('2412.00');
    expect(again.lines[0].bundle.components).toHaveLength(2);
    const q2 = await ok('POST', '/v1/quotes', { customer_id: customer.id, lines: [{ product_id: kit.id, quantity: '1' }] });
    expect(q2.lines[0].gross_amount.amount).toBe('2997.00');
  });

  it('refuses to quote a bundle whose component is archived', async () => {
    const { desk } = await catalog();
    const kit = await ok('POST', '/v1/products', {
      sku: 'KIT-ARCH', name: 'Paket', tax_class: 'standard', bundle: { pricing: 'sum', components: [{ product_id: desk.id, quantity: '1' }] },
    });
    await ok('PATCH', `/v1/products/${desk.id}`, { active: false });
    const customer = await ok('POST', '/v1/customers', { name: 'Arkivkund AB', country: 'SE', currency: 'SEK' });
    const r = await call('POST', '/v1/quotes', { customer_id: customer.id, lines: [{ product_id: kit.id, quantity: '1' }] });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ param: 'lines.0.product_id' });
    expect(r.body.error.message).toContain('archived');
  });
});
