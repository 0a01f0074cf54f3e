/**
 * GET /v1/deliveries (issue 9): a tenant's deliveries with their order's number and customer's name,
 * filtered by status (one or several), order and customer, searched by delivery number, order number
 * or customer name, sorted by created, number, status, shipped and delivered in both directions over
 * cursor pages (no repeats, no gaps, ties in id order, nulls where PostgreSQL puts them), 400 naming
 * the parameter for a bad sort, status or cursor, and another tenant's deliveries never in the list.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { TEST_DATABASES, seedTenant } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { orderFromQuote } from '../support/orders.js';
import { client } from './helpers.js';

const NOW = new Date('2026-12-05T10:00:00Z');
const LINES = [
  { description: 'Kontorsstol', quantity: '10', unit_price: '1500.00', tax_class: 'standard' },
  { description: 'Skrivbord', quantity: '4', unit_price: '4200.00', tax_class: 'standard' },
];

interface Item { id: string; [k: string]: any }

describe.each(TEST_DATABASES)('GET /v1/deliveries [%s]', (kind) => {
  const t = useTestApp(kind, { now: NOW });
  let other: TestApp;
  const orders: Record<'alfa' | 'berg' | 'cirkel', Item> = {} as never;
  const customers: Record<'alfa' | 'berg' | 'cirkel', Item> = {} as never;
  /** By name: a1..a4 (Alfa), b1..b3 (Berg), c1..c2 (Cirkel). */
  const d: Record<string, Item> = {};
  let otherDelivery: Item;

  const api = () => client(t);

  /** Every page of `url` with `limit`, following next_cursor; checks has_more against next_cursor. */
  async function allPages(url: string, limit: number): Promise<{ ids: string[]; pages: number; items: Item[] }> {
    const items: Item[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    for (;;) {
      const sep = url.includes('?') ? '&' : '?';
      const body = await api().ok('GET', `${url}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      pages++;
      expect(body.data.length).toBeLessThanOrEqual(limit);
      items.push(...body.data);
      expect(typeof body.next_cursor === 'string').toBe(body.has_more);
      if (!body.has_more) break;
      cursor = body.next_cursor;
      expect(pages).toBeLessThan(100);
    }
    return { ids: items.map((i) => i.id), pages, items };
  }

  /** The ids of this tenant's deliveries in an ORDER BY done by the database itself. */
  async function expected(orderBy: string): Promise<string[]> {
    const r = await sql<{ id: string }>`select id from deliveries where tenant_id = ${t.tenantId} order by ${sql.raw(orderBy)}`.execute(t.kysely);
    return r.rows.map((x) => x.id);
  }

  beforeAll(async () => {
    const { ok } = api();
    const made = async (key: 'alfa' | 'berg' | 'cirkel', name: string) => {
      const o = await orderFromQuote(t, { name, country: 'SE', currency: 'SEK' }, LINES);
      customers[key] = o.customer;
      orders[key] = await ok('POST', `/v1/orders/${o.order.id}/confirm`);
    };
    await made('alfa', 'Alfa Kontorsmöbler AB');
    await made('berg', 'Bergström & Dotter AB');
    await made('cirkel', 'Cirkel Inredning HB');
    const part = async (name: string, order: Item, chairs: string) => {
      d[name] = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: chairs }] });
    };
    for (const n of [1, 2, 3, 4]) await part(`a${n}`, orders.alfa, '1');
    for (const n of [1, 2, 3]) await part(`b${n}`, orders.berg, '2');
    for (const n of [1, 2]) await part(`c${n}`, orders.cirkel, '3');

    // statuses: a1 delivered, a2 shipped, a3 packed, b1 picked, b2 cancelled, c1 delivered; the rest created
    await ok('POST', `/v1/deliveries/${d.a1!.id}/ship`, { carrier: 'PostNord', tracking_number: 'SE123' });
    await ok('POST', `/v1/deliveries/${d.a1!.id}/deliver`, { delivered_on: '2026-12-03' });
    await ok('POST', `/v1/deliveries/${d.a2!.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.a3!.id}/pack`, {});
    await ok('POST', `/v1/deliveries/${d.b1!.id}/pick`, {});
    await ok('POST', `/v1/deliveries/${d.b2!.id}/cancel`, {});
    await ok('POST', `/v1/deliveries/${d.c1!.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.c1!.id}/deliver`, { delivered_on: '2026-12-04' });
    // the test clock stands still: spread the instants (two left equal, a tie) so the date sorts mean something
    const stamps: [string, string, string | null][] = [
      ['a1', '2026-11-20T08:00:00Z', '2026-11-21T08:00:00Z'],
      ['a2', '2026-11-22T08:00:00Z', '2026-11-23T08:00:00Z'],
      ['a3', '2026-11-25T08:00:00Z', null],
      ['a4', '2026-11-25T08:00:00Z', null],
      ['b1', '2026-11-18T08:00:00Z', null],
      ['b2', '2026-11-30T08:00:00Z', null],
      ['b3', '2026-12-01T08:00:00Z', null],
      ['c1', '2026-11-19T08:00:00Z', '2026-11-23T08:00:00Z'],
      ['c2', '2026-12-02T08:00:00Z', null],
    ];
    for (const [name, created, shipped] of stamps) {
      await sql`update deliveries set created_at = ${created}::timestamptz, shipped_at = ${shipped}::timestamptz where id = ${d[name]!.id}`.execute(t.kysely);
    }

    // another tenant with a look-alike customer and a delivery of its own
    const otherTenant = await seedTenant(t.db, 'ten_other');
    const { key } = await createApiKey(t.db, t.deps, { tenantId: otherTenant, name: 'other' });
    other = { ...t, apiKey: key, tenantId: otherTenant };
    const oo = await orderFromQuote(other, { name: 'Alfa Kontorsmöbler AB', country: 'SE', currency: 'SEK' }, LINES);
    await client(other).ok('POST', `/v1/orders/${oo.order.id}/confirm`);
    otherDelivery = await client(other).ok('POST', `/v1/orders/${oo.order.id}/deliveries`, {});
  }, 240_000);

  it('lists every delivery with its order number, customer and lines; default order by id; starting_after works', async () => {
    const { ok } = api();
    const all = await allPages('/v1/deliveries', 4);
    expect(all.pages).toBe(3);
    expect(all.ids).toEqual(await expected('id'));
    expect(all.ids.length).toBe(9);
    const a1 = all.items.find((x) => x.id === d.a1!.id)!;
    expect(a1).toMatchObject({
      object: 'delivery',
      number: d.a1!.number,
      order_id: orders.alfa.id,
      order_number: orders.alfa.number,
      customer_id: customers.alfa.id,
      customer_name: 'Alfa Kontorsmöbler AB',
      status: 'delivered',
      carrier: 'PostNord',
      tracking_number: 'SE123',
      delivered_on: '2026-12-03',
      lines: [{ line_no: 1, order_line_no: 1, quantity: '1', hours: null }],
    });
    const first = await ok('GET', '/v1/deliveries?limit=3');
    const second = await ok('GET', `/v1/deliveries?limit=3&starting_after=${first.data[2].id}`);
    expect(second.data.map((x: Item) => x.id)).toEqual(all.ids.slice(3, 6));
  });

  it('sort=created (newest first for the web app) and number page both ways with the cursor: ties in id order, no gaps, no repeats', async () => {
    const created = await expected('created_at, id');
    const asc = await allPages('/v1/deliveries?sort=created', 2);
    expect(asc.pages).toBe(5);
    expect(asc.ids).toEqual(created);
    const desc = await allPages('/v1/deliveries?sort=-created', 2);
    expect(desc.ids).toEqual([...created].reverse());
    expect(desc.ids[0]).toBe(d.c2!.id);
    // a3 and a4 share their instant: id order ascending, reversed descending
    const tie = asc.ids.filter((id) => id === d.a3!.id || id === d.a4!.id);
    expect(tie).toEqual([d.a3!.id, d.a4!.id].sort());
    const numbers = await allPages('/v1/deliveries?sort=number', 4);
    expect(numbers.ids).toEqual(await expected('number, id'));
    expect((await allPages('/v1/deliveries?sort=-number', 3)).ids).toEqual([...numbers.ids].reverse());
  });

  it('sort=status, shipped and delivered (nulls last ascending, first descending) page both ways', async () => {
    const status = await allPages('/v1/deliveries?sort=status', 2);
    expect(status.ids).toEqual(await expected('status, id'));
    expect(status.items.map((x) => x.status)).toEqual(['cancelled', 'created', 'created', 'created', 'delivered', 'delivered', 'packed', 'picked', 'shipped']);
    expect((await allPages('/v1/deliveries?sort=-status', 2)).ids).toEqual([...status.ids].reverse());
    for (const [key, column] of [['shipped', 'shipped_at'], ['delivered', 'delivered_on']] as const) {
      const asc = await allPages(`/v1/deliveries?sort=${key}`, 2);
      const want = await expected(`${column} asc nulls last, id`);
      expect(asc.ids, key).toEqual(want);
      expect(new Set(asc.ids).size).toBe(9);
      expect((await allPages(`/v1/deliveries?sort=-${key}`, 2)).ids, `-${key}`).toEqual([...want].reverse());
    }
    const shipped = await allPages('/v1/deliveries?sort=shipped', 9);
    // c1 and a2 shipped at the same instant (a tie), a1 first; the six never shipped after them
    expect(shipped.ids.slice(0, 3)).toEqual([d.a1!.id, ...[d.a2!.id, d.c1!.id].sort()]);
    const delivered = await allPages('/v1/deliveries?sort=-delivered', 9);
    expect(delivered.ids.slice(-2)).toEqual([d.c1!.id, d.a1!.id]);
  });

  it('filters by status (one or several), order and customer, and sorts within the filter', async () => {
    const { ok } = api();
    const ids = async (qs: string) => (await ok('GET', `/v1/deliveries?${qs}&limit=100`)).data.map((x: Item) => x.id).sort();
    expect(await ids('status=delivered')).toEqual([d.a1!.id, d.c1!.id].sort());
    expect(await ids('status=picked,packed')).toEqual([d.b1!.id, d.a3!.id].sort());
    expect(await ids('status=created')).toEqual([d.a4!.id, d.b3!.id, d.c2!.id].sort());
    expect(await ids(`order_id=${orders.berg.id}`)).toEqual([d.b1!.id, d.b2!.id, d.b3!.id].sort());
    expect(await ids(`customer_id=${customers.cirkel.id}`)).toEqual([d.c1!.id, d.c2!.id].sort());
    expect(await ids(`customer_id=${customers.alfa.id}&status=shipped,delivered`)).toEqual([d.a1!.id, d.a2!.id].sort());
    expect(await ids(`order_id=${orders.berg.id}&customer_id=${customers.alfa.id}`)).toEqual([]);
    const alfa = await allPages(`/v1/deliveries?customer_id=${customers.alfa.id}&sort=-created`, 1);
    expect(alfa.ids).toEqual([d.a4!.id, d.a3!.id].sort().reverse().concat([d.a2!.id, d.a1!.id]));
  });

  it('q searches the delivery number, the order number and the customer name, case-insensitively; % and _ are literal', async () => {
    const { ok } = api();
    const ids = async (q: string) => (await ok('GET', `/v1/deliveries?q=${encodeURIComponent(q)}&limit=100`)).data.map((x: Item) => x.id).sort();
    expect(await ids(d.b2!.number)).toEqual([d.b2!.id]);
    expect(await ids(orders.cirkel.number)).toEqual([d.c1!.id, d.c2!.id].sort());
    expect(await ids('bergström &')).toEqual([d.b1!.id, d.b2!.id, d.b3!.id].sort());
    expect(await ids('INREDNING')).toEqual([d.c1!.id, d.c2!.id].sort());
    expect(await ids('%')).toEqual([]);
    expect(await ids('alfa_')).toEqual([]);
    const searched = await allPages('/v1/deliveries?q=ab&sort=number&status=created,picked,packed,shipped,delivered', 2);
    expect(searched.ids.sort()).toEqual([d.a1, d.a2, d.a3, d.a4, d.b1, d.b3].map((x) => x!.id).sort());
  });

  it('400 names sort for an unknown sort, status for an unknown status, cursor for a garbled or mismatched one', async () => {
    const { call, ok } = api();
    const bad = await call('GET', '/v1/deliveries?sort=carrier');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('sort');
    const badStatus = await call('GET', '/v1/deliveries?status=shipped,lost');
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.error.param).toBe('status');
    const garbled = await call('GET', '/v1/deliveries?sort=created&cursor=not-a-cursor');
    expect(garbled.status).toBe(400);
    expect(garbled.body.error.param).toBe('cursor');
    const page = await ok('GET', '/v1/deliveries?sort=created&limit=2');
    const mismatched = await call('GET', `/v1/deliveries?sort=-created&cursor=${page.next_cursor}`);
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.error.param).toBe('cursor');
    // an order cursor is no delivery cursor
    const opage = await ok('GET', '/v1/orders?sort=number&limit=1');
    const foreign = await call('GET', `/v1/deliveries?sort=number&cursor=${opage.next_cursor}`);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.param).toBe('cursor');
    const badOrder = await call('GET', '/v1/deliveries?order_id=not-an-id');
    expect(badOrder.status).toBe(400);
    expect(badOrder.body.error.param).toBe('order_id');
  });

  it("another tenant's deliveries are never listed, not even for a matching customer name or its own ids", async () => {
    const { ok } = api();
    const ours = await allPages('/v1/deliveries?q=alfa%20kontors', 10);
    expect(ours.ids.sort()).toEqual([d.a1, d.a2, d.a3, d.a4].map((x) => x!.id).sort());
    expect((await ok('GET', `/v1/deliveries?order_id=${otherDelivery.order_id}`)).data).toEqual([]);
    const theirs = await client(other).ok('GET', '/v1/deliveries?limit=100');
    expect(theirs.data.map((x: Item) => x.id)).toEqual([otherDelivery.id]);
    expect(theirs.data[0].customer_name).toBe('Alfa Kontorsmöbler AB');
    expect((await client(other).ok('GET', `/v1/deliveries?customer_id=${customers.alfa.id}`)).data).toEqual([]);
  });
});
