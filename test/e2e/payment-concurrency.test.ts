/**
 * Concurrent applications on PostgreSQL (issue 6): ten payments applied to one invoice at the same
 * time, each in its own transaction (the pool has a connection for each). applyPayment locks its
 * payment, then the open item (id order), so the applications queue on the open item: the open amount
 * never goes below 0, exactly as many succeed as the invoice can take, the rest get a clean 422 / 409,
 * and no deadlock. Skipped without TEST_DATABASE_URL (PGlite has one connection: nothing runs at once).
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForCustomer } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const PARALLEL = 10;
const sek = (amount: string) => ({ amount, currency: 'SEK' });

describe.skipIf(!process.env.TEST_DATABASE_URL)('concurrent payment applications [postgres]', () => {
  const t = useTestApp('postgres', { now: new Date('2026-12-04T10:00:00Z'), max: PARALLEL + 4 });
  const { ok } = client(t);

  const invoice = (customerId: string) => issuedInvoiceForCustomer(t, customerId);

  /** Runs the applications at once, counting the transactions open at the same time. */
  async function inParallel(payloads: { paymentId: string; body: unknown }[]) {
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
    try {
      const responses = await Promise.all(
        payloads.map((p) =>
          t.server.inject({ method: 'POST', url: `/v1/payments/${p.paymentId}/apply`, headers: { authorization: `Bearer ${t.apiKey}` }, payload: p.body as Record<string, unknown> }),
        ),
      );
      return { responses, mostOpen };
    } finally {
      db.transaction = transaction;
    }
  }

  it(`${PARALLEL} payments of 300.00 applied at once to one 1 250.00 invoice: 4 succeed, 6 are refused, open 50.00`, async () => {
    const c = await ok('POST', '/v1/customers', { name: 'Samtidig AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    const inv = await invoice(c.id);
    const payments = [];
    for (let i = 0; i < PARALLEL; i++) payments.push(await ok('POST', '/v1/payments', { amount: sek('300.00'), customer_id: c.id }));

    // explicit amounts: 4 × 300.00 = 1 200.00 fit; the 5th would need 300.00 of the 50.00 left → 422
    const { responses, mostOpen } = await inParallel(payments.map((p) => ({ paymentId: p.id, body: { allocations: [{ invoice_id: inv.id, amount: '300.00' }] } })));
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.filter((s) => s === 422)).toHaveLength(PARALLEL - 4);
    for (const r of responses.filter((x) => x.statusCode === 422)) {
      expect(r.json().error).toMatchObject({ code: 'unprocessable', param: 'allocations.0.amount' });
    }
    expect(mostOpen).toBeGreaterThan(1); // they really overlapped
    const item = await t.db.store(t.tenantId).openItems.getByInvoice(inv.id);
    expect(item).toMatchObject({ openMinor: 50_00n, baseOpenMinor: 50_00n });
    const applied = (await t.kysely.selectFrom('payment_allocations').select(['amount_minor']).where('tenant_id', '=', t.tenantId).where('invoice_id', '=', inv.id).execute())
      .reduce((a, r) => a + BigInt(r.amount_minor), 0n);
    expect(applied).toBe(1_200_00n);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it(`${PARALLEL} payments of 300.00 applied at once with no amount: 5 succeed (the 5th takes the last 50.00), 5 get 409`, async () => {
    const c = await ok('POST', '/v1/customers', { name: 'Samtidig Två AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    const inv = await invoice(c.id);
    const payments = [];
    for (let i = 0; i < PARALLEL; i++) payments.push(await ok('POST', '/v1/payments', { amount: sek('300.00'), customer_id: c.id }));

    // min(unapplied, open): 300.00 × 4 = 1 200.00, then 50.00; the invoice is then paid, the other 5 have nothing to apply
    const { responses } = await inParallel(payments.map((p) => ({ paymentId: p.id, body: { allocations: [{ invoice_id: inv.id }] } })));
    const ok200 = responses.filter((r) => r.statusCode === 200).map((r) => r.json());
    expect(ok200).toHaveLength(5);
    expect(ok200.map((p) => p.unapplied_amount.amount).sort()).toEqual(['0.00', '0.00', '0.00', '0.00', '250.00']);
    const refused = responses.filter((r) => r.statusCode !== 200);
    expect(refused.map((r) => r.statusCode)).toEqual([409, 409, 409, 409, 409]);
    for (const r of refused) expect(r.json().error.code).toBe('payment_nothing_to_apply');
    const item = await t.db.store(t.tenantId).openItems.getByInvoice(inv.id);
    expect(item).toMatchObject({ openMinor: 0n, baseOpenMinor: 0n });
    const paid = await t.kysely.selectFrom('outbox').select(['payload']).where('tenant_id', '=', t.tenantId).where('event_type', '=', 'invoice.paid').execute();
    expect(paid.filter((r) => JSON.stringify(r.payload).includes(inv.id))).toHaveLength(1);
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
