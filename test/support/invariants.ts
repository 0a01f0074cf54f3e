/**
 * The ledger invariants of ACCOUNTING.md, checked against the database after a run, in the tenant's
 * functional (base) currency (docs/decisions/0008):
 * - every entry balances, and every line is in the base currency (a foreign line keeps its
 *   transaction amount as amount_currency / amount_minor); the sum of all postings is zero;
 * - the AR control account (1510, base) equals Σ base_open_minor of the open items, per customer and in
 *   total; and for each foreign currency the 1510 amount_currency balance equals Σ open_minor of the
 *   items in that currency;
 * - customer credit (2420, base) equals Σ base_unapplied_minor of the payments; and for each foreign
 *   currency the 2420 amount_currency balance equals the payments' unapplied cash in that currency.
 */
import { expect } from 'vitest';
import { validatePostings } from '../../src/core/ledger/journal.js';
import type { Database, JournalEntryRecord, OpenItemRecord, PaymentRecord } from '../../src/app/ports.js';
import type { TenantId } from '../../src/core/shared/ids.js';
import { verifyLedger } from '../../src/app/audit/verify.js';

const RECEIVABLE = '1510';
const CUSTOMER_CREDIT = '2420';

const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
/** A map without its zero entries, as plain strings (readable diffs). */
const nonZero = (m: Map<string, bigint>) =>
  Object.fromEntries([...m].filter(([, v]) => v !== 0n).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v.toString()]));

async function all<T extends { id: string }>(page: (startingAfter: string | undefined) => Promise<{ data: T[]; hasMore: boolean }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const p = await page(cursor);
    out.push(...p.data);
    if (!p.hasMore) return out;
    cursor = p.data[p.data.length - 1]!.id;
  }
}

export async function assertLedgerInvariants(db: Database, tenantId: TenantId): Promise<void> {
  const s = db.store(tenantId);
  const tenant = await s.tenant.get();
  const base = tenant!.baseCurrency;
  const entries: JournalEntryRecord[] = await all((startingAfter) => s.journal.list({ limit: 100, startingAfter }));
  expect(entries.length).toBeGreaterThan(0);

  // balances in base (core check) and the foreign-amount shape of every line
  let total = 0n;
  // account → customer|'' → base balance; account → currency → foreign balance
  const baseBy = new Map<string, bigint>();
  const foreignBy = new Map<string, bigint>();
  for (const e of entries) {
    expect(validatePostings(e.lines), `entry ${e.id}`).toBeNull();
    for (const l of e.lines) {
      expect(l.currency, `entry ${e.id} line ${l.lineNo} is in the base currency`).toBe(base);
      expect(l.amountCurrency === null, `entry ${e.id} line ${l.lineNo}: amount_currency and amount_minor together`).toBe(l.amountMinor === null);
      if (l.amountCurrency !== null) {
        expect(l.amountCurrency, `entry ${e.id} line ${l.lineNo}`).not.toBe(base);
        expect(l.amountMinor! >= 0n, `entry ${e.id} line ${l.lineNo}: amount_minor >= 0`).toBe(true);
      }
      const signed = l.debitMinor - l.creditMinor;
      total += signed;
      add(baseBy, `${l.account}|`, signed);
      if (l.customerId !== null) add(baseBy, `${l.account}|${l.customerId}`, signed);
      if (l.amountCurrency !== null) {
        const foreign = l.debitMinor > 0n ? l.amountMinor! : -l.amountMinor!;
        add(foreignBy, `${l.account}|${l.amountCurrency}`, foreign);
      }
    }
  }
  expect(total, 'all postings sum to zero').toBe(0n);
  // the same through the repository's trial balance
  const tb = await s.journal.trialBalance({});
  expect(tb.every((r) => r.currency === base), 'the trial balance is in the base currency').toBe(true);
  expect(tb.reduce((a, r) => a + r.debitMinor - r.creditMinor, 0n)).toBe(0n);

  const items: OpenItemRecord[] = [];
  for (const i of await s.openItems.listOpen({})) items.push(i);
  const payments: PaymentRecord[] = await all((startingAfter) => s.payments.list({ limit: 100, startingAfter }));

  // 1510 (base) = Σ base_open_minor, in total and per customer
  const arBase = new Map<string, bigint>();
  const arForeign = new Map<string, bigint>();
  for (const i of items) {
    expect(i.openMinor > 0n || i.baseOpenMinor === 0n, `open item ${i.id}: settled means nothing left in base`).toBe(true);
    add(arBase, '', i.baseOpenMinor);
    add(arBase, i.customerId, i.baseOpenMinor);
    if (i.currency !== base) add(arForeign, i.currency, i.openMinor);
  }
  const ledgerAr = new Map<string, bigint>();
  const ledgerArForeign = new Map<string, bigint>();
  for (const [k, v] of baseBy) if (k.startsWith(`${RECEIVABLE}|`)) ledgerAr.set(k.slice(RECEIVABLE.length + 1), v);
  for (const [k, v] of foreignBy) if (k.startsWith(`${RECEIVABLE}|`)) ledgerArForeign.set(k.slice(RECEIVABLE.length + 1), v);
  expect(nonZero(ledgerAr), '1510 (base) = Σ base open, in total (key "") and per customer').toEqual(nonZero(arBase));
  expect(nonZero(ledgerArForeign), '1510 per foreign currency = Σ open items in it').toEqual(nonZero(arForeign));
  // the repository's per-customer balance agrees
  for (const c of new Set(items.map((i) => i.customerId))) {
    const l = await s.journal.accountBalance(RECEIVABLE, c);
    expect(l.reduce((a, r) => a + r.balanceMinor, 0n), `1510 for ${c}`).toBe(arBase.get(c) ?? 0n);
  }

  // 2420 (a credit balance, base) = Σ base_unapplied_minor; per foreign currency = Σ unapplied
  const unappliedBase = new Map<string, bigint>();
  const unappliedForeign = new Map<string, bigint>();
  for (const p of payments) {
    expect(p.baseUnappliedMinor >= 0n && p.baseUnappliedMinor <= p.baseAmountMinor, `payment ${p.id} base unapplied`).toBe(true);
    expect(p.unappliedMinor > 0n || p.baseUnappliedMinor === 0n, `payment ${p.id}: fully applied means nothing left in base`).toBe(true);
    add(unappliedBase, '', p.baseUnappliedMinor);
    if (p.currency !== base) add(unappliedForeign, p.currency, p.unappliedMinor);
  }
  const credit = new Map<string, bigint>([['', -(baseBy.get(`${CUSTOMER_CREDIT}|`) ?? 0n)]]);
  const creditForeign = new Map<string, bigint>();
  for (const [k, v] of foreignBy) if (k.startsWith(`${CUSTOMER_CREDIT}|`)) creditForeign.set(k.slice(CUSTOMER_CREDIT.length + 1), -v);
  expect(nonZero(credit), '2420 (base) = Σ base unapplied').toEqual(nonZero(unappliedBase));
  expect(nonZero(creditForeign), '2420 per foreign currency = Σ unapplied in it').toEqual(nonZero(unappliedForeign));

  // `q2c verify` checks the same with aggregate queries, plus the audit chain, the sealed entries and
  // documents and gapless numbering: it must agree on every ledger these suites build
  const report = await db.snapshot(tenantId, (tx) => verifyLedger(tx));
  expect(report.checks.filter((c) => !c.ok).map((c) => ({ check: c.code, failures: c.failures })), 'q2c verify').toEqual([]);
}
