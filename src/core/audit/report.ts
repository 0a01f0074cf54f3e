/**
 * The report of `q2c verify` / GET /v1/ledger/verify: one result per check, each ok or failed with the
 * records it failed on (at most MAX_LISTED named, the rest counted), and the chain head to note down.
 */

export const CHECK_CODES = [
  'audit_chain',
  'journal_entries_sealed',
  'documents_sealed',
  'entries_balanced',
  'postings_sum_zero',
  'ar_control',
  'customer_credit',
  'journal_numbering',
  'document_numbering',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export const CHECK_TITLES: { readonly [C in CheckCode]: string } = {
  audit_chain: 'audit trail hash chain intact',
  journal_entries_sealed: 'posted journal entries unchanged since posting',
  documents_sealed: 'issued invoices and credit notes unchanged since issue',
  entries_balanced: 'every journal entry balances, in the base currency',
  postings_sum_zero: 'all postings sum to zero',
  ar_control: 'AR control account 1510 = open items, per customer and in total',
  customer_credit: 'customer credit 2420 = unapplied payments',
  journal_numbering: 'journal entries numbered without gaps per series and fiscal year',
  document_numbering: 'invoices and credit notes numbered without gaps per series and year',
};

/** Failures listed per check; beyond it they are only counted. */
export const MAX_LISTED = 50;

export interface CheckResult {
  code: CheckCode;
  title: string;
  ok: boolean;
  /** How many records (rows, entries, documents, accounts, series) the check looked at. */
  checked: number;
  /** All failures found (failures lists at most MAX_LISTED of them). */
  failureCount: number;
  failures: string[];
}

export interface VerifyReport {
  tenantId: string;
  baseCurrency: string;
  ok: boolean;
  checks: CheckResult[];
  /** The tenant's last sealed audit row: note it elsewhere to anchor the chain up to here. */
  chainHead: { seq: bigint; hash: string } | null;
}

/** Collects one check's failures, listing the first MAX_LISTED. */
export class CheckCollector {
  private listed: string[] = [];
  private failed = 0;
  checked = 0;
  constructor(readonly code: CheckCode) {}

  fail(message: string, count = 1): void {
    this.failed += count;
    if (this.listed.length < MAX_LISTED) this.listed.push(message);
  }

  /** Failures found beyond the examples a bounded query returned: counted, not listed. */
  alsoFailed(count: number): void {
    this.failed += count;
  }

  result(): CheckResult {
    return { code: this.code, title: CHECK_TITLES[this.code], ok: this.failed === 0, checked: this.checked, failureCount: this.failed, failures: this.listed };
  }
}

export function reportOf(tenantId: string, baseCurrency: string, checks: CheckResult[], chainHead: VerifyReport['chainHead']): VerifyReport {
  return { tenantId, baseCurrency, ok: checks.every((c) => c.ok), checks, chainHead };
}

/** The report as text lines (the CLI prints them). */
export function reportLines(r: VerifyReport): string[] {
  const out = [`tenant ${r.tenantId} (base currency ${r.baseCurrency})`];
  for (const c of r.checks) {
    out.push(`  ${c.ok ? 'ok    ' : 'FAILED'}  ${c.title} (${c.checked} checked${c.ok ? '' : `, ${c.failureCount} failed`})`);
    for (const f of c.failures) out.push(`            ${f}`);
    if (c.failureCount > c.failures.length) out.push(`            … and ${c.failureCount - c.failures.length} more`);
  }
  out.push(r.chainHead === null ? '  chain head: (no audit rows)' : `  chain head: seq ${r.chainHead.seq} hash ${r.chainHead.hash}`);
  const failed = r.checks.filter((c) => !c.ok).length;
  out.push(r.ok ? `  verify: ok (${r.checks.length} checks)` : `  verify: FAILED (${failed} of ${r.checks.length} checks)`);
  return out;
}

/** Labels naming a record in a failure. */
export const entryLabel = (e: { series: string; fiscalYear: number | string; number: number | string; id: string }): string =>
  `entry ${e.series} ${e.fiscalYear}-${e.number} (${e.id})`;
