/**
 * `q2c verify` / GET /v1/ledger/verify: recomputes the tenant's audit hash chain and the digest of every
 * posted journal entry and issued invoice / credit note (in TypeScript, core/audit/chain.ts, from the
 * rows as read back), and checks the ledger invariants of ACCOUNTING.md: entries balance in the base
 * currency, all postings sum to zero, 1510 = open items (per customer and in total, and per foreign
 * currency), 2420 = unapplied payments, gapless numbering of journal and document series.
 *
 * Bounded memory on a ledger of any size: the chain and the digests are walked in pages; the invariants
 * are aggregate queries returning only their mismatches. Runs in one read-only REPEATABLE READ snapshot,
 * so concurrent postings cannot make figures disagree: call it inside Database.snapshot.
 */
import { ChainWalker, digestOf } from '../../core/audit/chain.js';
import { CheckCollector, MAX_LISTED, reportOf, type CheckResult, type VerifyReport } from '../../core/audit/report.js';
import { formatAmount, money } from '../../core/money/money.js';
import type { Store } from '../ports.js';
import type { BalanceMismatch, SealedKind } from './ports.js';

/** Rows per page when walking the chain and the sealed records. */
export const VERIFY_PAGE_ROWS = 1000;

export interface VerifyOptions {
  /** Page size for the streamed checks (tests use small pages to cross page boundaries). */
  pageRows?: number;
}

export async function verifyLedger(s: Store, options: VerifyOptions = {}): Promise<VerifyReport> {
  const pageRows = options.pageRows ?? VERIFY_PAGE_ROWS;
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  const base = tenant.baseCurrency;
  const amount = (minor: bigint) => `${formatAmount(money(minor, base))} ${base}`;

  const checks: CheckResult[] = [];
  const { result: chain, head } = await checkChain(s, pageRows);
  checks.push(chain);
  checks.push(await checkSealed(s, 'journal_entries_sealed', ['journal_entry'], pageRows));
  checks.push(await checkSealed(s, 'documents_sealed', ['invoice', 'credit_note'], pageRows));

  const balanced = new CheckCollector('entries_balanced');
  balanced.checked = await s.audit.entryCount();
  const unbalanced = await s.audit.unbalancedEntries(MAX_LISTED);
  for (const u of unbalanced.rows) {
    balanced.fail(u.currency === null ? `${u.label}: has no lines` : `${u.label}: debit ${u.debitMinor} ≠ credit ${u.creditMinor} (${u.currency}, minor units)`);
  }
  if (unbalanced.count > unbalanced.rows.length) balanced.alsoFailed(unbalanced.count - unbalanced.rows.length);
  const offBase = await s.audit.linesOffBase(base, MAX_LISTED);
  for (const l of offBase.rows) {
    balanced.fail(
      l.currency !== base
        ? `${l.label} line ${l.lineNo}: in ${l.currency}, not the base currency ${base}`
        : `${l.label} line ${l.lineNo}: malformed foreign amount (amount_currency ${l.amountCurrency ?? 'null'})`,
    );
  }
  if (offBase.count > offBase.rows.length) balanced.alsoFailed(offBase.count - offBase.rows.length);
  checks.push(balanced.result());

  const zero = new CheckCollector('postings_sum_zero');
  for (const t of await s.audit.postingTotals()) {
    zero.checked++;
    if (t.debitMinor !== t.creditMinor) {
      zero.fail(`${t.currency}: debits ${t.debitMinor} ≠ credits ${t.creditMinor} (minor units), off by ${t.debitMinor - t.creditMinor}`);
    }
  }
  checks.push(zero.result());

  checks.push(mismatchCheck('ar_control', await s.audit.receivableMismatches(base, MAX_LISTED), '1510', 'open items', amount));
  checks.push(mismatchCheck('customer_credit', await s.audit.customerCreditMismatches(base, MAX_LISTED), '2420', 'unapplied payments', amount));

  for (const [code, kind] of [['journal_numbering', 'journal'], ['document_numbering', 'documents']] as const) {
    const c = new CheckCollector(code);
    const issues = await s.audit.numberingIssues(kind, MAX_LISTED);
    c.checked = issues.checked;
    for (const i of issues.rows) {
      const where = `${i.kind === 'journal' ? 'journal series' : i.kind === 'invoice' ? 'invoice series' : 'credit note series'} ${i.series} ${i.year}`.trimEnd();
      c.fail(
        i.problem === 'missing'
          ? `${where}: number${i.from === i.to ? ` ${i.from} is` : `s ${i.from}–${i.to} are`} missing`
          : i.problem === 'duplicate'
            ? `${where}: number ${i.from} is used twice`
            : `${where}: number '${i.from}' is not of the form …YYYY-N`,
      );
    }
    if (issues.count > issues.rows.length) c.alsoFailed(issues.count - issues.rows.length);
    checks.push(c.result());
  }

  return reportOf(s.tenantId, base, checks, head);
}

async function checkChain(s: Store, pageRows: number): Promise<{ result: CheckResult; head: VerifyReport['chainHead'] }> {
  const c = new CheckCollector('audit_chain');
  const walker = new ChainWalker();
  let after = 0n;
  for (;;) {
    const page = await s.audit.chainPage(after, pageRows);
    for (const r of page) walker.push(r);
    if (page.length < pageRows) break;
    after = page[page.length - 1]!.seq!;
  }
  const head = await s.audit.chainHead();
  walker.finish(head);
  const unsealed = await s.audit.unsealed(MAX_LISTED);
  c.checked = walker.count + unsealed.count;
  for (const b of walker.breaks) c.fail(`seq ${b.seq ?? '-'}${b.id === '-' ? '' : ` (${b.id})`}: ${b.problem}`);
  for (const u of unsealed.rows) c.fail(`${u.id} (${u.action} ${u.entityId}): never sealed into the chain (inserted with the triggers disabled)`);
  if (unsealed.count > unsealed.rows.length) c.alsoFailed(unsealed.count - unsealed.rows.length);
  return { result: c.result(), head: walker.last };
}

async function checkSealed(s: Store, code: 'journal_entries_sealed' | 'documents_sealed', kinds: SealedKind[], pageRows: number): Promise<CheckResult> {
  const c = new CheckCollector(code);
  for (const kind of kinds) {
    // documents may carry thousands of lines each: smaller pages keep a page's lines bounded
    const limit = kind === 'journal_entry' ? pageRows : Math.max(1, Math.floor(pageRows / 10));
    let after: string | undefined;
    for (;;) {
      const page = await s.audit.sealedPage(kind, after, limit);
      for (const r of page) {
        c.checked++;
        const digest = digestOf(r.parts);
        if (r.sealed.length === 0) c.fail(`${r.label}: has no seal in the audit trail (made with the triggers disabled)`);
        else if (r.sealed.length > 1) c.fail(`${r.label}: sealed ${r.sealed.length} times`);
        else if (r.sealed[0] !== digest) c.fail(`${r.label}: changed since it was ${kind === 'journal_entry' ? 'posted' : 'issued'} (digest ${digest.slice(0, 12)} ≠ sealed ${r.sealed[0]!.slice(0, 12)})`);
      }
      if (page.length < limit) break;
      after = page[page.length - 1]!.id;
    }
    const orphans = await s.audit.orphanSeals(kind, MAX_LISTED);
    for (const o of orphans.rows) c.fail(`${o.number}: sealed at seq ${o.seq ?? '-'} (${o.auditId}) but ${kind === 'journal_entry' ? 'no longer in the journal' : 'no longer an issued document'}`);
    if (orphans.count > orphans.rows.length) c.alsoFailed(orphans.count - orphans.rows.length);
  }
  return c.result();
}

function mismatchCheck(
  code: 'ar_control' | 'customer_credit',
  m: { checked: number; count: number; rows: BalanceMismatch[] },
  account: string,
  subledger: string,
  amount: (minor: bigint) => string,
): CheckResult {
  const c = new CheckCollector(code);
  c.checked = m.checked;
  for (const r of m.rows) {
    const what = r.scope === 'total' ? 'in total' : r.scope === 'customer' ? `customer ${r.key}` : `in ${r.key} (transaction currency, minor units)`;
    const fig = r.scope === 'currency' ? (x: bigint) => x.toString() : amount;
    c.fail(`${account} ${what}: ledger ${fig(r.ledgerMinor)} ≠ ${subledger} ${fig(r.subledgerMinor)} (difference ${fig(r.ledgerMinor - r.subledgerMinor)})`);
  }
  if (m.count > m.rows.length) c.alsoFailed(m.count - m.rows.length);
  return c.result();
}
