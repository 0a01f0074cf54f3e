/**
 * Trial balance (råbalans) for a period: per account and currency, the balance before the period
 * (opening), the period's debits and credits, and the closing balance. Without `from` the opening is 0
 * and the period starts with the first entry. A result account (classes 3-8) opens at what it had since
 * the start of the fiscal year `from` is in; a balance-sheet account at everything before `from`.
 * Account names come from the tenant's chart.
 */
import { fiscalYearOf, isResultAccount } from '../../core/ledger/fiscal-year.js';
import { addDays, type LocalDate } from '../../core/shared/dates.js';
import { booksSettingsOf, chartOfAccounts } from '../ledger/chart.js';
import type { Store } from '../ports.js';

export interface TrialBalanceRowView {
  account: string;
  name: string | null;
  currency: string;
  openingMinor: bigint;
  debitMinor: bigint;
  creditMinor: bigint;
  /** The period's movement: debit − credit. */
  balanceMinor: bigint;
  closingMinor: bigint;
}

export interface TrialBalance {
  rows: TrialBalanceRowView[];
  totals: { currency: string; debitMinor: bigint; creditMinor: bigint; balanced: boolean }[];
}

export async function trialBalance(s: Store, filter: { from?: LocalDate | undefined; to?: LocalDate | undefined }): Promise<TrialBalance> {
  const f: { from?: LocalDate; to?: LocalDate } = {};
  if (filter.from !== undefined) f.from = filter.from;
  if (filter.to !== undefined) f.to = filter.to;
  const movements = await s.journal.trialBalance(f);
  const opening = filter.from === undefined ? [] : await s.journal.trialBalance({ to: addDays(filter.from, -1) });
  // result accounts open each fiscal year at zero: what they had before the year does not carry over
  const yearStart = filter.from === undefined ? undefined : fiscalYearOf(filter.from, (await booksSettingsOf(s)).fiscalYearStartMonth).start;
  const earlierYears = yearStart === undefined ? [] : (await s.journal.trialBalance({ to: addDays(yearStart, -1) })).filter((r) => isResultAccount(r.account));
  const chart = await chartOfAccounts(s);
  const rows = new Map<string, TrialBalanceRowView>();
  const rowFor = (account: string, currency: string) => {
    const key = `${account}\u0000${currency}`;
    let r = rows.get(key);
    if (r === undefined) {
      r = { account, name: chart.get(account)?.name ?? null, currency, openingMinor: 0n, debitMinor: 0n, creditMinor: 0n, balanceMinor: 0n, closingMinor: 0n };
      rows.set(key, r);
    }
    return r;
  };
  for (const o of opening) rowFor(o.account, o.currency).openingMinor = o.debitMinor - o.creditMinor;
  for (const e of earlierYears) rowFor(e.account, e.currency).openingMinor -= e.debitMinor - e.creditMinor;
  for (const m of movements) {
    const r = rowFor(m.account, m.currency);
    r.debitMinor = m.debitMinor;
    r.creditMinor = m.creditMinor;
  }
  const totals = new Map<string, { debitMinor: bigint; creditMinor: bigint }>();
  const out = [...rows.values()]
    .map((r) => ({ ...r, balanceMinor: r.debitMinor - r.creditMinor, closingMinor: r.openingMinor + r.debitMinor - r.creditMinor }))
    .sort((a, b) => a.account.localeCompare(b.account) || a.currency.localeCompare(b.currency));
  for (const r of out) {
    const t = totals.get(r.currency) ?? { debitMinor: 0n, creditMinor: 0n };
    t.debitMinor += r.debitMinor;
    t.creditMinor += r.creditMinor;
    totals.set(r.currency, t);
  }
  return {
    rows: out,
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, ...t, balanced: t.debitMinor === t.creditMinor })),
  };
}
