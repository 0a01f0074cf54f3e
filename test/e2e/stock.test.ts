/**
 * Stock over HTTP and through the app layer: warehouses (the first is the default), receipts and
 * signed adjustments, reservations on confirmed orders and their release, returns, and the ledger
 * invariant: every stored level equals the SQL sum of its movements' deltas, every reserved figure
 * the sum of its reservations, and the movements table refuses UPDATE and DELETE.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { confirmedOrder, stockMismatches, stockTrackedProduct } from '../support/stock.js';
import { client } from '../api/helpers.js';
import { envFor } from '../../src/app/shared/env.js';
import { receiveReturnedStock, releaseOrderStock, reserveOrderStock } from '../../src/app/stock/reservations.js';
import { asId } from '../../src/core/shared/ids.js';
import { decimal4 } from '../../src/core/money/quantity.js';

describe.each(TEST_DATABASES)('stock [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const env = () => envFor(t.deps, { tenantId: t.tenantId, actorId: 'test' });
  const level = async (productId: string, warehouseId?: string) => {
    const q = warehouseId ? `&warehouse_id=${warehouseId}` : '';
    const list = await ok('GET', `/v1/stock?product_id=${productId}${q}`);
    return list.data[0];
  };

  it('creates warehouses (the first is the default), receives and adjusts stock, refuses bad input naming the field', async () => {
    const main = await ok('POST', '/v1/warehouses', { code: 'MAIN', name: 'Huvudlager' }, { 'idempotency-key': 'wh-main' });
    expect(main).toMatchObject({ object: 'warehouse', code: 'MAIN', is_default: true });
    // the same key replays the same warehouse
    expect(await ok('POST', '/v1/warehouses', { code: 'MAIN', name: 'Huvudlager' }, { 'idempotency-key': 'wh-main' })).toEqual(main);
    const north = await ok('POST', '/v1/warehouses', { code: 'NORTH', name: 'Norrlager' });
    expect(north.is_default).toBe(false);
    const dup = await call('POST', '/v1/warehouses', { code: 'NORTH', name: 'Igen' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.param).toBe('code');
    const badCode = await call('POST', '/v1/warehouses', { code: 'no spaces', name: 'X' });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.param).toBe('code');
    const list = await ok('GET', '/v1/warehouses');
    expect(list.data.map((w: any) => w.code)).toEqual(['MAIN', 'NORTH']);
    expect(await ok('GET', `/v1/warehouses/${north.id}`)).toEqual(north);

    const p = await stockTrackedProduct(ok, 'STK-1');
    const r1 = await ok('POST', '/v1/stock/receipts', { product_id: p.id, quantity: '10', reference: 'PO-1001' }, { 'idempotency-key': 'rcpt-1' });
    expect(r1).toMatchObject({ object: 'stock_movement', kind: 'receipt', warehouse_id: main.id, quantity: '10', on_hand_delta: '10', reference: { type: 'receipt', id: 'PO-1001' } });
    // replay: no second receipt
    expect(await ok('POST', '/v1/stock/receipts', { product_id: p.id, quantity: '10', reference: 'PO-1001' }, { 'idempotency-key': 'rcpt-1' })).toEqual(r1);
    await ok('POST', '/v1/stock/receipts', { product_id: p.id, warehouse_id: north.id, quantity: '2.5' });
    expect(await level(p.id, main.id)).toMatchObject({ on_hand: '10', reserved: '0', available: '10' });
    expect(await level(p.id, north.id)).toMatchObject({ on_hand: '2.5' });

    const adj = await ok('POST', '/v1/stock/adjustments', { product_id: p.id, quantity: '-3', reason: 'Inventering: 3 saknas' });
    expect(adj).toMatchObject({ kind: 'adjustment', quantity: '-3', on_hand_delta: '-3', reason: 'Inventering: 3 saknas' });
    expect((await level(p.id, main.id)).on_hand).toBe('7');

    const noReason = await call('POST', '/v1/stock/adjustments', { product_id: p.id, quantity: '-1', reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.param).toBe('reason');
    const zero = await call('POST', '/v1/stock/adjustments', { product_id: p.id, quantity: '0', reason: 'x' });
    expect(zero.status).toBe(400);
    expect(zero.body.error.param).toBe('quantity');
    const tooMuch = await call('POST', '/v1/stock/adjustments', { product_id: p.id, quantity: '-8', reason: 'Svinn' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.message).toContain('only 7 on hand');
    const negative = await call('POST', '/v1/stock/receipts', { product_id: p.id, quantity: '-1' });
    expect(negative.status).toBe(400);
    expect(negative.body.error.param).toBe('quantity');
    const untracked = await ok('POST', '/v1/products', { sku: 'FREE-1', name: 'Otrackad', tax_class: 'standard', unit_prices: [{ amount: '1.00', currency: 'SEK' }] });
    const notTracked = await call('POST', '/v1/stock/receipts', { product_id: untracked.id, quantity: '1' });
    expect(notTracked.status).toBe(400);
    expect(notTracked.body.error.param).toBe('product_id');
    const unknownWarehouse = await call('POST', '/v1/stock/receipts', { product_id: p.id, warehouse_id: 'whs_0000000000000000000000000', quantity: '1' });
    expect(unknownWarehouse.status).toBe(404);
    expect(unknownWarehouse.body.error.param).toBe('warehouse_id');

    // movements, paginated, oldest first
    const page1 = await ok('GET', `/v1/stock/movements?product_id=${p.id}&limit=2`);
    expect(page1.data.map((m: any) => m.kind)).toEqual(['receipt', 'receipt']);
    expect(page1.has_more).toBe(true);
    const page2 = await ok('GET', `/v1/stock/movements?product_id=${p.id}&limit=2&starting_after=${page1.data[1].id}`);
    expect(page2.data.map((m: any) => m.kind)).toEqual(['adjustment']);
    expect(page2.has_more).toBe(false);
    const northOnly = await ok('GET', `/v1/stock/movements?warehouse_id=${north.id}`);
    expect(northOnly.data).toHaveLength(1);
    expect(await stockMismatches(t)).toEqual([]);
  });

  it('reserves stock for a confirmed order as far as available, releases it on cancel, books returns; levels equal the ledger', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Lagerkund AB', country: 'SE', currency: 'SEK' });
    const p = await stockTrackedProduct(ok, 'STK-RES');
    const q = await stockTrackedProduct(ok, 'STK-RES2');
    await ok('POST', '/v1/stock/receipts', { product_id: p.id, quantity: '6' });
    await ok('POST', '/v1/stock/receipts', { product_id: q.id, quantity: '20' });
    const order = await confirmedOrder(ok, customer.id, [
      { product_id: p.id, quantity: '10' },
      { product_id: q.id, quantity: '4' },
      { description: 'Frakt', quantity: '1', unit_price: '99.00', tax_class: 'standard' },
    ]);
    const orderId = asId('order', order.id);
    const record = await t.db.transaction(t.tenantId, async (s) => (await s.orders.get(orderId))!);
    await t.db.transaction(t.tenantId, (s) => reserveOrderStock(s, env(), record));
    // idempotent: a second call reserves nothing more
    await t.db.transaction(t.tenantId, (s) => reserveOrderStock(s, env(), record));
    let o = await ok('GET', `/v1/orders/${order.id}`);
    expect(o.lines.map((l: any) => l.quantity_reserved)).toEqual(['6', '4', '0']);
    expect(await level(p.id)).toMatchObject({ on_hand: '6', reserved: '6', available: '0' });
    expect(await level(q.id)).toMatchObject({ on_hand: '20', reserved: '4', available: '16' });

    // more stock arrives: reserving again tops the line up to what is open
    await ok('POST', '/v1/stock/receipts', { product_id: p.id, quantity: '10' });
    await t.db.transaction(t.tenantId, (s) => reserveOrderStock(s, env(), record));
    o = await ok('GET', `/v1/orders/${order.id}`);
    expect(o.lines[0].quantity_reserved).toBe('10');
    expect(await level(p.id)).toMatchObject({ on_hand: '16', reserved: '10', available: '6' });

    // 3 of line 1 are cancelled (as an amendment would): the reservation beyond what is left to ship is released
    await t.db.transaction(t.tenantId, async (s) => {
      await s.orders.applyLineDeltas(orderId, [{ lineNo: 1, cancelled: decimal4('3'), reserved: decimal4('-3') }]);
      await releaseOrderStock(s, env(), (await s.orders.get(orderId))!, [1]);
    });
    o = await ok('GET', `/v1/orders/${order.id}`);
    expect(o.lines[0].quantity_reserved).toBe('7');
    expect(await level(p.id)).toMatchObject({ reserved: '7', available: '9' });
    // releasing without changes does nothing
    await t.db.transaction(t.tenantId, async (s) => releaseOrderStock(s, env(), (await s.orders.get(orderId))!));
    expect((await level(p.id)).reserved).toBe('7');

    // the whole order is cancelled: everything is released (the caller sets the cancelled quantities)
    await t.db.transaction(t.tenantId, async (s) => {
      const cur = (await s.orders.get(orderId))!;
      await releaseOrderStock(s, env(), { ...cur, status: 'cancelled' });
    });
    o = await ok('GET', `/v1/orders/${order.id}`);
    expect(o.lines.map((l: any) => l.quantity_reserved)).toEqual(['0', '0', '0']);
    expect(await level(p.id)).toMatchObject({ on_hand: '16', reserved: '0', available: '16' });
    expect(await level(q.id)).toMatchObject({ reserved: '0' });

    // returns: restocked goods come back on hand, scrapped ones are only recorded
    await t.db.transaction(t.tenantId, (s) =>
      receiveReturnedStock(s, env(), { productId: asId('product', p.id), quantity: decimal4('2'), warehouseId: null, disposition: 'restock', referenceId: 'RMA-1' }),
    );
    await t.db.transaction(t.tenantId, (s) =>
      receiveReturnedStock(s, env(), { productId: asId('product', p.id), quantity: decimal4('1'), warehouseId: null, disposition: 'scrap', referenceId: 'RMA-2' }),
    );
    expect((await level(p.id)).on_hand).toBe('18');
    const movements = await ok('GET', `/v1/stock/movements?product_id=${p.id}&limit=100`);
    expect(movements.data.map((m: any) => m.kind)).toEqual(['receipt', 'reserve', 'receipt', 'reserve', 'release', 'release', 'return_restock', 'return_scrap']);
    expect(movements.data.at(-1)).toMatchObject({ on_hand_delta: '0', reserved_delta: '0', reference: { type: 'return', id: 'RMA-2' } });

    expect(await stockMismatches(t)).toEqual([]);
  });

  it('refuses to UPDATE or DELETE a stock movement (append-only ledger)', async () => {
    const row = await t.kysely.selectFrom('stock_movements').select(['id']).where('tenant_id', '=', t.tenantId).executeTakeFirstOrThrow();
    await expect(
      t.kysely.updateTable('stock_movements').set({ reason: 'tampered' }).where('tenant_id', '=', t.tenantId).where('id', '=', row.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(t.kysely.deleteFrom('stock_movements').where('tenant_id', '=', t.tenantId).where('id', '=', row.id).execute()).rejects.toThrow(/append-only/);
    expect(await stockMismatches(t)).toEqual([]);
  });
});
