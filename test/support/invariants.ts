/**
 * The ledger invariants of ACCOUNTING.md, checked against the database after a run:
 * every entry balances per currency; the sum of all postings is zero; the AR control account (1510)
 * equals the open items of the receivables subledger, per customer and in total; unapplied cash
 * equals the customer credit account (2420).
 */
import { expect } from 'vitest';
import { validatePostings } from '../../src/core/ledger/journal.js';
import type { Database } from '../../src/app/ports.js';
import type { TenantId } from '../../src/core/shared/ids.js';

const asMap = (rows: { currency: string; v: bigint }[]) =>
  Object.fromEntries(rows.filter((r) => r.v !== 0n).map((r) => [r.currency, r.v.toString()]));

export async function assertLedgerInvariants(db: Database, tenantId: TenantId): Promise<void> {
  const s = db.store(tenantId);
  let cursor: string | undefined;
  let entryCount = 0;
  for (;;) {
    const page = await s.journal.list({ limit: 100, startingAfter: cursor });
    for (const e of page.data) {
      expect(validatePostings(e.lines), `entry ${e.id}`).toBeNull();
      entryCount++;
    }
    if (!page.hasMore) break;
    cursor = page.data[page.data.length - 1]!.id;
  }
  expect(entryCount).toBeGreaterThan(0);

  const tb = await s.journal.trialBalance({});
  const perCurrency = new Map<string, bigint>();
  for (const r of tb) perCurrency.set(r.currency, (perCurrency.get(r.currency) ?? 0n) + r.debitMinor - r.creditMinor);
  for (const [currency, sum] of perCurrency) expect(sum, `postings in ${currency} sum to zero`).toBe(0n);

  // 1510 = Σ open items, in total and per customer
  const ledgerAr = await s.journal.accountBalance('1510');
  const open = await s.openItems.openTotals();
  expect(asMap(ledgerAr.map((r) => ({ currency: r.currency, v: r.balanceMinor })))).toEqual(
    asMap(open.map((r) => ({ currency: r.currency, v: r.openMinor }))),
  );
  const customers = new Set<string>();
  let cc: string | undefined;
  for (;;) {
    const page = await s.customers.list({ limit: 100, startingAfter: cc });
    for (const c of page.data) customers.add(c.id);
    if (!page.hasMore) break;
    cc = page.data[page.data.length - 1]!.id;
  }
  for (const id of customers) {
    const customerId = id as Parameters<typeof s.openItems.openTotals>[0];
    const l = await s.journal.accountBalance('1510', customerId);
    const o = await s.openItems.openTotals(customerId);
    expect(asMap(l.map((r) => ({ currency: r.currency, v: r.balanceMinor }))), `1510 for ${id}`).toEqual(
      asMap(o.map((r) => ({ currency: r.currency, v: r.openMinor }))),
    );
  }

  // 2420 (a credit balance) = Σ unapplied payments
  const credit = await s.journal.accountBalance('2420');
  const unapplied = new Map<string, bigint>();
  let pc: string | undefined;
  for (;;) {
    const page = await s.payments.list({ limit: 100, startingAfter: pc });
    for (const p of page.data) unapplied.set(p.currency, (unapplied.get(p.currency) ?? 0n) + p.unappliedMinor);
    if (!page.hasMore) break;
    pc = page.data[page.data.length - 1]!.id;
  }
  expect(asMap(credit.map((r) => ({ currency: r.currency, v: -r.balanceMinor })))).toEqual(
    asMap([...unapplied.entries()].map(([currency, v]) => ({ currency, v }))),
  );
}
