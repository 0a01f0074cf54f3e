/**
 * Filters, search, sorting and keyset pagination of the lists (issue 9): exact filter results, a sort
 * in both directions over several pages with the cursor (no duplicates, no gaps, ties in id order),
 * 400 naming `sort` / `cursor` / `status`, and another tenant's rows never in the lists.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { TEST_DATABASES, seedTenant } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { deliveredOrder, draftInvoiceForCustomer } from '../support/orders.js';
import { client } from './helpers.js';

const NOW = new Date('2026-12-05T10:00:00Z');
const LINES = (price: string) => [{ description: 'Konsulttimme', quantity: '1', unit_price: price, tax_class: 'standard' }];
const minor = (m: { amount: string }) => BigInt(m.amount.replace('.', ''));

interface Item { id: string; [k: string]: any }

describe.each(TEST_DATABASES)('list queries [%s]', (kind) => {
  const t = useTestApp(kind, { now: NOW });
  let other: TestApp;
  const customers: Record<string, Item> = {};
  const quotes = {} as Record<'q0' | 'q1' | 'q2' | 'q3' | 'q4', Item>;
  const orders = {} as Record<'o0' | 'hold', Item>;
  const invoices = {} as Record<'paid' | 'overdue' | 'partial' | 'draft', Item>;
  let claimOpen: Item;
  let claimRejected: Item;
  let otherCustomer: Item;
  let otherQuote: Item;

  const api = () => client(t);
  /** Every page of `url` (which has its query) with `limit`, following next_cursor; checks has_more. */
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

  beforeAll(async () => {
    const { ok } = api();
    // 30 customers "Kund NN AB", 3 with the same name (ties), 2 in EUR
    for (let i = 0; i < 30; i++) {
      const nn = String(i).padStart(2, '0');
      customers[`k${nn}`] = await ok('POST', '/v1/customers', {
        name: `Kund ${nn} AB`, country: 'SE', currency: 'SEK', org_number: `556000-00${nn}`, email: `kund${nn}@example.se`,
      });
    }
    for (const n of [1, 2, 3]) customers[`tie${n}`] = await ok('POST', '/v1/customers', { name: 'Lika AB', country: 'SE', currency: 'SEK' });
    for (const n of [1, 2]) customers[`eur${n}`] = await ok('POST', '/v1/customers', { name: `Euro GmbH ${n}`, country: 'DE', currency: 'EUR' });
    customers.hold = await ok('POST', '/v1/customers', { name: 'Spärr AB', country: 'SE', currency: 'SEK', credit_limit: '1.00' });

    // quotes: totals 125, 250, 250 (a tie), 375, 62.50 (gross incl. 25 % VAT)
    quotes.q0 = await ok('POST', '/v1/quotes', { customer_id: customers.k00!.id, lines: LINES('100.00') });
    quotes.q1 = await ok('POST', '/v1/quotes', { customer_id: customers.k01!.id, lines: LINES('200.00') });
    quotes.q2 = await ok('POST', '/v1/quotes', { customer_id: customers.k02!.id, lines: LINES('200.00') });
    quotes.q3 = await ok('POST', '/v1/quotes', { customer_id: customers.k03!.id, lines: LINES('300.00') });
    quotes.q4 = await ok('POST', '/v1/quotes', { customer_id: customers.k04!.id, lines: LINES('50.00') });
    await ok('POST', `/v1/quotes/${quotes.q1.id}/send`);
    await ok('POST', `/v1/quotes/${quotes.q0.id}/send`);
    orders.o0 = await ok('POST', `/v1/quotes/${quotes.q0.id}/accept`);
    // an approval rule's outcome, set directly: the list only reads the status
    await sql`update quotes set status = 'awaiting_approval' where id = ${quotes.q2.id}`.execute(t.kysely);

    // an order on credit hold
    const hq = await ok('POST', '/v1/quotes', { customer_id: customers.hold!.id, lines: LINES('500.00') });
    await ok('POST', `/v1/quotes/${hq.id}/send`);
    const ho = await ok('POST', `/v1/quotes/${hq.id}/accept`);
    orders.hold = await ok('POST', `/v1/orders/${ho.id}/confirm`);

    // invoices: paid, overdue (issued 60 days back), partially paid, draft
    const issue = async (customer: Item, price: string, body: Record<string, unknown> = {}) => {
      const draft = await draftInvoiceForCustomer(t, customer.id, LINES(price));
      return ok('POST', `/v1/invoices/${draft.id}/issue`, body);
    };
    invoices.paid = await issue(customers.k10!, '100.00');
    await ok('POST', '/v1/payments', {
      amount: { amount: '125.00', currency: 'SEK' }, customer_id: customers.k10!.id, reference_text: invoices.paid.payment_reference, auto_apply: true,
    });
    invoices.overdue = await issue(customers.k11!, '200.00', { issue_date: '2026-10-01' });
    invoices.partial = await issue(customers.k12!, '400.00');
    await ok('POST', '/v1/payments', {
      amount: { amount: '100.00', currency: 'SEK' }, customer_id: customers.k12!.id, reference_text: invoices.partial.payment_reference, auto_apply: true,
    });
    invoices.draft = await draftInvoiceForCustomer(t, customers.k13!.id, LINES('50.00'));

    // claims: one open, one rejected, on the orders of two customers
    const d1 = await deliveredOrder(t, { name: 'Reklamation Ett AB', country: 'SE' }, LINES('10.00'));
    const d2 = await deliveredOrder(t, { name: 'Reklamation Två AB', country: 'SE' }, LINES('10.00'));
    customers.rek1 = d1.customer;
    customers.rek2 = d2.customer;
    const problem = { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Trasig' }] };
    claimOpen = (await ok('POST', `/v1/deliveries/${d1.delivery.id}/claims`, problem)).claims[0];
    claimRejected = (await ok('POST', `/v1/deliveries/${d2.delivery.id}/claims`, problem)).claims[0];
    await ok('POST', `/v1/claims/${claimRejected.id}/reject`, { reason: 'Inte skadad vid leverans' });

    // another tenant with look-alike rows: a customer "Kund 00 AB" with a quote
    const otherTenant = await seedTenant(t.db, 'ten_other');
    const { key } = await createApiKey(t.db, t.deps, { tenantId: otherTenant, name: 'other' });
    other = { ...t, apiKey: key, tenantId: otherTenant };
    otherCustomer = await client(other).ok('POST', '/v1/customers', { name: 'Kund 00 AB', country: 'SE', currency: 'SEK', email: 'kund00@example.se' });
    otherQuote = await client(other).ok('POST', '/v1/quotes', { customer_id: otherCustomer.id, lines: LINES('100.00') });
  }, 240_000);

  describe('customers', () => {
    it('q searches name, customer number, org number and e-mail, case-insensitively; currency filters', async () => {
      const { ok } = api();
      const byName = await ok('GET', '/v1/customers?q=kund%201&limit=100');
      expect(byName.data.map((c: Item) => c.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Kund 1${i} AB`));
      expect((await ok('GET', '/v1/customers?q=556000-0007')).data.map((c: Item) => c.id)).toEqual([customers.k07!.id]);
      expect((await ok('GET', '/v1/customers?q=KUND22%40EXAMPLE')).data.map((c: Item) => c.id)).toEqual([customers.k22!.id]);
      expect((await ok('GET', `/v1/customers?q=${customers.k05!.id.slice(4)}`)).data.map((c: Item) => c.id)).toEqual([customers.k05!.id]);
      // % and _ are literal characters, not wildcards
      expect((await ok('GET', '/v1/customers?q=%25')).data).toEqual([]);
      expect((await ok('GET', '/v1/customers?q=kund_0')).data).toEqual([]);
      const eur = await ok('GET', '/v1/customers?currency=EUR');
      expect(eur.data.map((c: Item) => c.id).sort()).toEqual([customers.eur1!.id, customers.eur2!.id].sort());
      expect((await ok('GET', '/v1/customers?currency=EUR&q=gmbh%202')).data.map((c: Item) => c.id)).toEqual([customers.eur2!.id]);
    });

    it('sort=name pages with the cursor in both directions: every customer once, ties in id order, desc the exact reverse', async () => {
      const expected = (
        await sql<{ id: string }>`select id from customers where tenant_id = ${t.tenantId} order by name, id`.execute(t.kysely)
      ).rows.map((r) => r.id);
      expect(expected.length).toBe(38);
      const asc = await allPages('/v1/customers?sort=name', 7);
      expect(asc.pages).toBe(6);
      expect(asc.ids).toEqual(expected);
      const desc = await allPages('/v1/customers?sort=-name', 7);
      expect(desc.ids).toEqual([...expected].reverse());
      const ties = asc.ids.filter((id) => [customers.tie1!.id, customers.tie2!.id, customers.tie3!.id].includes(id));
      expect(ties).toEqual([customers.tie1!.id, customers.tie2!.id, customers.tie3!.id].sort());
      // the names come out in order too
      const names = asc.items.map((c) => c.name);
      expect(names.indexOf('Kund 00 AB')).toBeLessThan(names.indexOf('Kund 29 AB'));
      expect(names.indexOf('Lika AB')).toBe(names.lastIndexOf('Lika AB') - 2);
    });

    it('sort=created and the default order page over every customer; starting_after still works without sort', async () => {
      const byId = (await sql<{ id: string }>`select id from customers where tenant_id = ${t.tenantId} order by id`.execute(t.kysely)).rows.map((r) => r.id);
      expect((await allPages('/v1/customers', 10)).ids).toEqual(byId);
      const created = await allPages('/v1/customers?sort=-created', 9);
      expect(new Set(created.ids).size).toBe(38);
      const first = await api().ok('GET', '/v1/customers?limit=5');
      const second = await api().ok('GET', `/v1/customers?limit=5&starting_after=${first.data[4].id}`);
      expect(second.data.map((c: Item) => c.id)).toEqual(byId.slice(5, 10));
    });

    it('400 names sort for an unknown sort and cursor for a garbled or mismatched one; starting_after with sort is refused', async () => {
      const { call, ok } = api();
      const bad = await call('GET', '/v1/customers?sort=email');
      expect(bad.status).toBe(400);
      expect(bad.body.error.param).toBe('sort');
      const garbled = await call('GET', '/v1/customers?cursor=not-a-cursor');
      expect(garbled.status).toBe(400);
      expect(garbled.body.error.param).toBe('cursor');
      const page = await ok('GET', '/v1/customers?sort=name&limit=2');
      const mismatched = await call('GET', `/v1/customers?sort=-name&cursor=${page.next_cursor}`);
      expect(mismatched.status).toBe(400);
      expect(mismatched.body.error.param).toBe('cursor');
      // a quote cursor is no customer cursor
      const qpage = await ok('GET', '/v1/quotes?sort=total&limit=1');
      const foreign = await call('GET', `/v1/customers?sort=total&cursor=${qpage.next_cursor}`);
      expect(foreign.status).toBe(400);
      expect(foreign.body.error.param).toBe('sort');
      const wrongKind = await call('GET', `/v1/customers?sort=name&cursor=${Buffer.from(JSON.stringify(['name', 'A', 'qte_x'])).toString('base64url')}`);
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.body.error.param).toBe('cursor');
      const both = await call('GET', `/v1/customers?sort=name&starting_after=${customers.k00!.id}`);
      expect(both.status).toBe(400);
      expect(both.body.error.param).toBe('starting_after');
    });

    it("another tenant's customer never appears, not even when its name matches", async () => {
      const all = await allPages('/v1/customers?q=kund%2000', 5);
      expect(all.ids).toEqual([customers.k00!.id]);
      const theirs = await client(other).ok('GET', '/v1/customers?q=kund');
      expect(theirs.data.map((c: Item) => c.id)).toEqual([otherCustomer.id]);
    });
  });

  describe('quotes', () => {
    it('filters by status (one or several), awaiting_approval, customer and q; items carry customer_name', async () => {
      const { ok, call } = api();
      const ids = async (qs: string) => (await ok('GET', `/v1/quotes?${qs}&limit=100`)).data.map((q: Item) => q.id).sort();
      expect(await ids('status=sent')).toEqual([quotes.q1.id]);
      expect(await ids('status=sent,awaiting_approval')).toEqual([quotes.q1.id, quotes.q2.id].sort());
      expect(await ids('awaiting_approval=true')).toEqual([quotes.q2.id]);
      expect(await ids('awaiting_approval=true&status=sent')).toEqual([]);
      expect(await ids(`customer_id=${customers.k03!.id}`)).toEqual([quotes.q3.id]);
      expect(await ids('q=kund%2004')).toEqual([quotes.q4.id]);
      expect(await ids(`q=${encodeURIComponent(quotes.q1.number)}`)).toEqual([quotes.q1.id]);
      const one = await ok('GET', `/v1/quotes?customer_id=${customers.k00!.id}`);
      expect(one.data[0].customer_name).toBe('Kund 00 AB');
      expect(one.data[0].status).toBe('accepted');
      const bad = await call('GET', '/v1/quotes?status=sent,lost');
      expect(bad.status).toBe(400);
      expect(bad.body.error.param).toBe('status');
      // another tenant's quote for a look-alike customer is not in the list, nor theirs in ours
      expect(await ids('q=kund%2000')).toEqual([quotes.q0.id]);
      expect((await client(other).ok('GET', '/v1/quotes')).data.map((q: Item) => q.id)).toEqual([otherQuote.id]);
    });

    it('sort=total pages both ways with the cursor: ties in id order, no duplicates, no gaps', async () => {
      const all = (await api().ok('GET', '/v1/quotes?limit=100')).data as Item[];
      expect(all.length).toBe(12); // 5 + the credit-hold one + 4 from the invoice flows + 2 from the claim flows
      const cmp = (a: Item, b: Item) => {
        const d = minor(a.gross_total) - minor(b.gross_total);
        return d < 0n ? -1 : d > 0n ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      };
      const expected = [...all].sort(cmp).map((q) => q.id);
      const asc = await allPages('/v1/quotes?sort=total', 3);
      expect(asc.pages).toBe(4);
      expect(asc.ids).toEqual(expected);
      expect((await allPages('/v1/quotes?sort=-total', 3)).ids).toEqual([...expected].reverse());
      const tie = asc.ids.filter((id) => id === quotes.q1.id || id === quotes.q2.id);
      expect(tie).toEqual([quotes.q1.id, quotes.q2.id].sort());
      // sort with a filter
      const sent = await allPages('/v1/quotes?sort=-number&status=sent,awaiting_approval,draft', 1);
      expect(sent.ids).toEqual([quotes.q1, quotes.q2, quotes.q3, quotes.q4].sort((a, b) => (a.number < b.number ? 1 : -1)).map((q) => q.id));
    });
  });

  describe('orders', () => {
    it('filters by status incl. on_hold, customer and q; sorts by total both ways over pages', async () => {
      const { ok } = api();
      expect(orders.hold.status).toBe('on_hold');
      const held = await ok('GET', '/v1/orders?status=on_hold');
      expect(held.data.map((o: Item) => o.id)).toEqual([orders.hold.id]);
      expect(held.data[0].customer_name).toBe('Spärr AB');
      const unconfirmed = await ok('GET', '/v1/orders?status=unconfirmed,on_hold&limit=100');
      expect(unconfirmed.data.map((o: Item) => o.id).sort()).toEqual([orders.o0.id, orders.hold.id].sort());
      expect((await ok('GET', `/v1/orders?customer_id=${customers.k00!.id}`)).data.map((o: Item) => o.id)).toEqual([orders.o0.id]);
      expect((await ok('GET', '/v1/orders?q=sp%C3%A4rr')).data.map((o: Item) => o.id)).toEqual([orders.hold.id]);
      const all = (await ok('GET', '/v1/orders?limit=100')).data as Item[];
      expect(all.length).toBe(8);
      const expected = [...all]
        .sort((a, b) => {
          const d = minor(a.gross_total) - minor(b.gross_total);
          return d < 0n ? -1 : d > 0n ? 1 : a.id < b.id ? -1 : 1;
        })
        .map((o) => o.id);
      expect((await allPages('/v1/orders?sort=total', 3)).ids).toEqual(expected);
      expect((await allPages('/v1/orders?sort=-total', 3)).ids).toEqual([...expected].reverse());
      expect((await client(other).ok('GET', '/v1/orders')).data).toEqual([]);
    });
  });

  describe('invoices', () => {
    it('filters by status, payment_status, overdue, customer and q (number, OCR, customer name)', async () => {
      const { ok, call } = api();
      const ids = async (qs: string) => (await ok('GET', `/v1/invoices?${qs}&limit=100`)).data.map((i: Item) => i.id).sort();
      expect(await ids('status=draft')).toEqual([invoices.draft.id]);
      expect(await ids('status=issued')).toEqual([invoices.paid.id, invoices.overdue.id, invoices.partial.id].sort());
      expect(await ids('payment_status=paid')).toEqual([invoices.paid.id]);
      expect(await ids('payment_status=partially_paid')).toEqual([invoices.partial.id]);
      expect(await ids('payment_status=unpaid')).toEqual([invoices.overdue.id]);
      expect(await ids('payment_status=open')).toEqual([invoices.overdue.id, invoices.partial.id].sort());
      expect(await ids('overdue=true')).toEqual([invoices.overdue.id]);
      expect(await ids(`customer_id=${customers.k12!.id}`)).toEqual([invoices.partial.id]);
      expect(await ids(`q=${invoices.partial.payment_reference}`)).toEqual([invoices.partial.id]);
      expect(await ids(`q=${encodeURIComponent(invoices.overdue.number)}`)).toEqual([invoices.overdue.id]);
      expect(await ids('q=kund%2013')).toEqual([invoices.draft.id]);
      const list = await ok('GET', `/v1/invoices?customer_id=${customers.k12!.id}`);
      expect(list.data[0]).toMatchObject({ customer_name: 'Kund 12 AB', payment_status: 'partially_paid', amount_due: { amount: '400.00', currency: 'SEK' } });
      const bad = await call('GET', '/v1/invoices?payment_status=late');
      expect(bad.status).toBe(400);
      expect(bad.body.error.param).toBe('payment_status');
      expect((await client(other).ok('GET', '/v1/invoices')).data).toEqual([]);
    });

    it('sorts by amount_due and due_date (drafts, with no due date, last ascending) both ways over pages', async () => {
      const due = await allPages('/v1/invoices?sort=amount_due', 1);
      // due: paid 0, partial 400.00, draft 62.50, overdue 250.00
      expect(due.ids).toEqual([invoices.paid.id, invoices.draft.id, invoices.overdue.id, invoices.partial.id]);
      expect((await allPages('/v1/invoices?sort=-amount_due', 3)).ids).toEqual([...due.ids].reverse());
      const dd = await allPages('/v1/invoices?sort=due_date', 1);
      expect(dd.ids[0]).toBe(invoices.overdue.id);
      expect(dd.ids[3]).toBe(invoices.draft.id);
      expect(new Set(dd.ids).size).toBe(4);
      expect((await allPages('/v1/invoices?sort=-due_date', 2)).ids).toEqual([...dd.ids].reverse());
      expect((await allPages('/v1/invoices?sort=-number', 1)).ids).toEqual((await allPages('/v1/invoices?sort=number', 2)).ids.reverse());
    });
  });

  describe('claims, products, payments, bank transactions', () => {
    it('claims filter by status and customer and sort by number both ways', async () => {
      const { ok } = api();
      expect((await ok('GET', '/v1/claims?status=open')).data.map((c: Item) => c.id)).toEqual([claimOpen.id]);
      expect((await ok('GET', `/v1/claims?customer_id=${customers.rek2!.id}`)).data.map((c: Item) => c.id)).toEqual([claimRejected.id]);
      expect((await ok('GET', `/v1/claims?customer_id=${customers.rek2!.id}&status=open`)).data).toEqual([]);
      const asc = await allPages('/v1/claims?sort=number', 1);
      expect(asc.ids.length).toBe(2);
      expect((await allPages('/v1/claims?sort=-number', 1)).ids).toEqual([...asc.ids].reverse());
      expect((await client(other).ok('GET', '/v1/claims')).data).toEqual([]);
    });

    it('products filter by q, active, kind and group, sort by sku', async () => {
      const { ok } = api();
      const made: Item[] = [];
      const group = await ok('POST', '/v1/product-groups', { name: 'Verktyg' });
      for (const [sku, name, extra] of [['P-3', 'Skruv', {}], ['P-1', 'Mutter', { kind: 'service' }], ['P-2', 'Skruvdragare', { group_id: group.id }]] as const) {
        made.push(await ok('POST', '/v1/products', { sku, name, tax_class: 'standard', unit_prices: [{ amount: '10.00', currency: 'SEK' }], ...extra }));
      }
      expect((await ok('GET', '/v1/products?kind=service')).data.map((p: Item) => p.sku)).toEqual(['P-1']);
      expect((await ok('GET', '/v1/products?kind=goods&sort=sku')).data.map((p: Item) => p.sku)).toEqual(['P-2', 'P-3']);
      expect((await ok('GET', `/v1/products?group_id=${group.id}`)).data.map((p: Item) => p.sku)).toEqual(['P-2']);
      expect((await api().call('GET', '/v1/products?kind=bundle')).body.error.param).toBe('kind');
      await ok('PATCH', `/v1/products/${made[2]!.id}`, { active: false });
      expect((await ok('GET', '/v1/products?q=SKRUV&sort=sku')).data.map((p: Item) => p.sku)).toEqual(['P-2', 'P-3']);
      expect((await ok('GET', '/v1/products?q=skruv&active=true')).data.map((p: Item) => p.sku)).toEqual(['P-3']);
      expect((await ok('GET', '/v1/products?active=false')).data.map((p: Item) => p.sku)).toEqual(['P-2']);
      expect((await allPages('/v1/products?sort=-sku&q=p-', 2)).items.map((p) => p.sku)).toEqual(['P-3', 'P-2', 'P-1']);
      expect((await client(other).ok('GET', '/v1/products')).data).toEqual([]);
    });

    it('payments and bank transactions take sort and cursor', async () => {
      const pays = await allPages('/v1/payments?sort=-amount', 1);
      expect(pays.items.map((p) => p.amount.amount)).toEqual(['125.00', '100.00']);
      expect((await allPages('/v1/payments?sort=amount', 1)).ids).toEqual([...pays.ids].reverse());
      const bank = await api().call('GET', '/v1/bank-transactions?sort=-date&status=unmatched');
      expect(bank.status).toBe(200);
      expect(bank.body).toEqual({ object: 'list', data: [], has_more: false });
      const badBank = await api().call('GET', '/v1/bank-transactions?sort=total');
      expect(badBank.status).toBe(400);
      expect(badBank.body.error.param).toBe('sort');
    });
  });
});
