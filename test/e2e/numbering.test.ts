/**
 * Invoice numbers come from a locked counter row inside the issuing transaction, one counter per
 * series per fiscal year of the issue date (`INV` + 2026 → 2026-00001, 2026-00002, …; 2027 starts
 * again at 2027-00001). 32 issues in parallel get exactly the next 32 numbers: no error (no
 * deadlock), no duplicates and no gaps; the journal entries they post are numbered the same way.
 * Credit notes count in their own series (KF-2026-0001) and take nothing from the invoice series.
 *
 * On PostgreSQL the 32 requests really run as 32 concurrent transactions (the pool has a connection
 * for each); on PGlite they queue on its single connection, which must give the same numbers.
 */
import { describe, expect, it } from 'vitest';
import { Chain } from '../../src/app/demo/chain.js';
import { createInvoice } from '../../src/app/invoicing/create-invoice.js';
import type { InvoiceRecord, OrderRecord } from '../../src/app/ports.js';
import { fixedClock } from '../../src/app/shared/clock.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const PARALLEL = 32;
/** 11:00 on New Year's Eve in Stockholm; the next fiscal year starts the following midnight. */
const NEW_YEARS_EVE = new Date('2026-12-31T10:00:00Z');
/** 00:30 on 1 January 2027 in Stockholm (still 2026-12-31 in UTC: the business time zone decides). */
const NEW_YEAR = new Date('2026-12-31T23:30:00Z');

const invoiceNumber = (year: number, seq: number) => `${year}-${String(seq).padStart(5, '0')}`;

describe.each(TEST_DATABASES)('invoice numbering [%s]', (kind) => {
  // one connection per concurrent request on PostgreSQL, plus a spare for the test's own queries
  const t = useTestApp(kind, { now: NEW_YEARS_EVE, max: PARALLEL + 4 });
  const auth = () => ({ authorization: `Bearer ${t.apiKey}` });
  let chain: Chain;
  let order: OrderRecord;

  /** A draft invoice of one delivered unit of the shared order. */
  async function draft(): Promise<InvoiceRecord> {
    await chain.deliver(order, [{ orderLineNo: 1, quantity: '1' }]);
    return chain.run((s, env) => createInvoice(s, env, { orderId: order.id }));
  }

  const issue = (id: string) => t.server.inject({ method: 'POST', url: `/v1/invoices/${id}/issue`, headers: auth(), payload: {} });

  async function journalNumbers(fiscalYear: number): Promise<number[]> {
    const entries = await t.db.store(t.tenantId).journal.list({ limit: 100 });
    return entries.data.filter((e) => e.fiscalYear === fiscalYear).map((e) => e.number).sort((a, b) => a - b);
  }

  it(`issues ${PARALLEL} invoices in parallel with numbers 1..${PARALLEL}: no gap, no duplicate, no error`, async () => {
    chain = new Chain(t.deps, t.tenantId);
    const customer = await chain.customer({ name: 'Parallell AB' });
    const product = await chain.product('PAR-1', 'Parallel part', '10.00');
    const quote = await chain.send(await chain.quote(customer.id, [{ productId: product.id, quantity: String(PARALLEL + 10) }]));
    order = await chain.confirm(await chain.accept(quote));
    const drafts: InvoiceRecord[] = [];
    for (let i = 0; i < PARALLEL; i++) drafts.push(await draft());

    // count the transactions open at the same time (inside BEGIN … COMMIT, i.e. holding a connection)
    const db = t.deps.db;
    const transaction = db.transaction.bind(db);
    let open = 0;
    let mostOpen = 0;
    db.transaction = (tenantId, fn) =>
      transaction(tenantId, async (s) => {
        mostOpen = Math.max(mostOpen, ++open);
        try {
          return await fn(s);
        } finally {
          open--;
        }
      });
    let responses;
    try {
      responses = await Promise.all(drafts.map((d) => issue(d.id)));
    } finally {
      db.transaction = transaction;
    }
    for (const r of responses) expect(r.statusCode, r.body).toBe(200);
    // PostgreSQL: the issuing transactions really overlapped and queued on the counter row without a
    // deadlock (the peak is about 32; the first may commit before the last begins); PGlite has one
    // connection, so one transaction at a time
    if (kind === 'postgres') expect(mostOpen).toBeGreaterThan(PARALLEL / 2);
    else expect(mostOpen).toBe(1);
    const numbers = responses.map((r) => (r.json() as { number: string }).number).sort();
    expect(numbers).toEqual(Array.from({ length: PARALLEL }, (_, i) => invoiceNumber(2026, i + 1)));
    // each draft got exactly one number
    expect(new Set(responses.map((r) => (r.json() as { id: string }).id))).toEqual(new Set(drafts.map((d) => d.id)));
    const refs = new Set(responses.map((r) => (r.json() as { payment_reference: string }).payment_reference));
    expect(refs.size).toBe(PARALLEL);

    expect(await journalNumbers(2026)).toEqual(Array.from({ length: PARALLEL }, (_, i) => i + 1));
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('starts the 2027 series at 00001 on 1 January (Stockholm time) and keeps counting 2026 on its own', async () => {
    const first2027 = await draft();
    const late2026 = await draft();
    t.deps.clock = fixedClock(NEW_YEAR);
    try {
      const r = await issue(first2027.id);
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ number: invoiceNumber(2027, 1), issue_date: '2027-01-01' });
      expect(await journalNumbers(2027)).toEqual([1]);
    } finally {
      t.deps.clock = fixedClock(NEW_YEARS_EVE);
    }
    // back on 31 December (a late issue dated in the old year): the 2026 series continues, untouched by 2027
    const r = await issue(late2026.id);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ number: invoiceNumber(2026, PARALLEL + 1), issue_date: '2026-12-31' });
    expect(await journalNumbers(2026)).toEqual(Array.from({ length: PARALLEL + 1 }, (_, i) => i + 1));
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('numbers credit notes in their own KF series per year, leaving the invoice series alone', async () => {
    const [a, b] = [await draft(), await draft()];
    const invoiceA = (await issue(a.id)).json() as { id: string; number: string };
    expect(invoiceA.number).toBe(invoiceNumber(2026, PARALLEL + 2));
    const credit = async (invoiceId: string) => {
      const note = await t.server.inject({ method: 'POST', url: `/v1/invoices/${invoiceId}/credit-notes`, headers: auth(), payload: { reason: 'Test' } });
      expect(note.statusCode, note.body).toBe(201);
      const issued = await t.server.inject({ method: 'POST', url: `/v1/credit-notes/${(note.json() as { id: string }).id}/issue`, headers: auth(), payload: {} });
      expect(issued.statusCode, issued.body).toBe(200);
      return (issued.json() as { number: string }).number;
    };
    expect(await credit(invoiceA.id)).toBe('KF-2026-0001');
    const invoiceB = (await issue(b.id)).json() as { id: string; number: string };
    expect(invoiceB.number).toBe(invoiceNumber(2026, PARALLEL + 3));
    expect(await credit(invoiceB.id)).toBe('KF-2026-0002');
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
