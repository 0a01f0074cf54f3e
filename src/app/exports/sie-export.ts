/**
 * The data of a SIE 4E export of one fiscal year (integrations/sie/sie-writer.ts formats it).
 *
 * - #RAR 0 is the fiscal year asked for; #RAR -1 the one before, when it has entries.
 * - Balance accounts (every account but the result accounts 3xxx-8xxx): #IB = the balance at the start of the year (every entry dated before
 *   it) plus the year's opening-balance entries (source_type 'opening_balance' dated on its first day;
 *   a reversal of one dated later is an ordinary voucher);
 *   #UB = the balance at the end of the year.
 * - Result accounts (3xxx-8xxx): #RES = the year's movement.
 * - #VER: every entry dated in the year but the opening-balance entries (they are the #IB), streamed
 *   from the journal a page at a time in posting order; each #TRANS is debit − credit in the base
 *   currency. So for every account Σ #TRANS = #UB − #IB (balance) or #RES (result).
 * - #KONTO: every account that appears in the balances or the vouchers, named from the chart.
 *
 * All journal lines are in the tenant's base currency (decision 0008); a line in another currency is
 * refused rather than summed into the wrong unit. Zero balances are left out.
 */
import { fiscalYear, isResultAccount, type FiscalYear } from '../../core/ledger/fiscal-year.js';
import { currencyExponent } from '../../core/money/currency.js';
import { addDays, type LocalDate } from '../../core/shared/dates.js';
import { OPENING_BALANCE_SOURCE } from '../ledger/books.js';
import { chartOfAccounts } from '../ledger/chart.js';
import type { JournalEntryRecord, Store, TrialBalanceRow } from '../ports.js';
import { journalEntries } from '../ledger/journal-pages.js';


export interface SieExportYear {
  index: number;
  start: LocalDate;
  end: LocalDate;
}

export interface SieExportBalance {
  yearIndex: number;
  account: string;
  amountMinor: bigint;
}

export interface SieExportVoucher {
  series: string;
  number: number;
  date: LocalDate;
  text: string;
  transactions: { account: string; amountMinor: bigint }[];
}

export interface SieExportData {
  program: { name: string; version: string };
  generatedOn: LocalDate;
  company: { name: string; orgNumber: string | null };
  currency: string;
  exponent: number;
  fiscalYear: FiscalYear;
  years: SieExportYear[];
  accounts: { account: string; name: string }[];
  openingBalances: SieExportBalance[];
  closingBalances: SieExportBalance[];
  results: SieExportBalance[];
  /** Read from the journal while iterated: consume it inside the same transaction. */
  vouchers: AsyncIterable<SieExportVoucher>;
}

export interface SieExportOptions {
  /** The fiscal year's label (the calendar year it starts in). */
  fiscalYear: number;
  generatedOn: LocalDate;
  program: { name: string; version: string };
}

const isBalanceAccount = (account: string) => !isResultAccount(account);

/** Debit − credit per account, checking every row is in the base currency. */
function netByAccount(rows: readonly TrialBalanceRow[], base: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const r of rows) {
    if (r.currency !== base) throw new Error(`SIE export: account ${r.account} has journal lines in ${r.currency}, not the base currency ${base}`);
    out.set(r.account, (out.get(r.account) ?? 0n) + r.debitMinor - r.creditMinor);
  }
  return out;
}

function addInto(target: Map<string, bigint>, from: ReadonlyMap<string, bigint>): Map<string, bigint> {
  for (const [a, v] of from) target.set(a, (target.get(a) ?? 0n) + v);
  return target;
}

function linesNet(e: JournalEntryRecord, base: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const l of e.lines) {
    if (l.currency !== base) throw new Error(`SIE export: entry ${e.series} ${e.fiscalYear}-${e.number} has a line in ${l.currency}, not the base currency ${base}`);
    out.set(l.account, (out.get(l.account) ?? 0n) + l.debitMinor - l.creditMinor);
  }
  return out;
}

/** An opening-balance entry on the year's first day (a later reversal of one is an ordinary voucher). */
const isOpening = (e: JournalEntryRecord, fy: FiscalYear) => e.sourceType === OPENING_BALANCE_SOURCE && e.entryDate === fy.start;

async function openingEntries(s: Store, fy: FiscalYear, base: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for await (const e of journalEntries(s, { from: fy.start, to: fy.start, sourceType: OPENING_BALANCE_SOURCE })) addInto(out, linesNet(e, base));
  return out;
}

const balances = (yearIndex: number, m: ReadonlyMap<string, bigint>, keep: (account: string) => boolean): SieExportBalance[] =>
  [...m]
    .filter(([a, v]) => v !== 0n && keep(a))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, amountMinor]) => ({ yearIndex, account, amountMinor }));

async function* vouchersOf(s: Store, fy: FiscalYear, base: string): AsyncGenerator<SieExportVoucher> {
  for await (const e of journalEntries(s, { from: fy.start, to: fy.end })) {
    if (isOpening(e, fy)) continue;
    const transactions = [...e.lines]
      .sort((a, b) => a.lineNo - b.lineNo)
      .map((l) => {
        if (l.currency !== base) throw new Error(`SIE export: entry ${e.series} ${e.fiscalYear}-${e.number} has a line in ${l.currency}, not the base currency ${base}`);
        return { account: l.account, amountMinor: l.debitMinor - l.creditMinor };
      });
    yield { series: e.series, number: e.number, date: e.entryDate, text: e.description, transactions };
  }
}

export async function sieExport(s: Store, opts: SieExportOptions): Promise<SieExportData> {
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  const base = tenant.baseCurrency;
  const { fiscalYearStartMonth } = await s.books.settings();
  const fy0 = fiscalYear(opts.fiscalYear, fiscalYearStartMonth);
  const fy1 = fiscalYear(opts.fiscalYear - 1, fiscalYearStartMonth);

  const before0 = netByAccount(await s.journal.trialBalance({ to: addDays(fy0.start, -1) }), base);
  const end0 = netByAccount(await s.journal.trialBalance({ to: fy0.end }), base);
  const year0 = netByAccount(await s.journal.trialBalance({ from: fy0.start, to: fy0.end }), base);
  const year1 = netByAccount(await s.journal.trialBalance({ from: fy1.start, to: fy1.end }), base);
  const hasPrevious = year1.size > 0;

  const ib0 = addInto(new Map(before0), await openingEntries(s, fy0, base));
  const openingBalances = balances(0, ib0, isBalanceAccount);
  const closingBalances = balances(0, end0, isBalanceAccount);
  const results = balances(0, year0, (a) => !isBalanceAccount(a));
  const years: SieExportYear[] = [{ index: 0, start: fy0.start, end: fy0.end }];
  if (hasPrevious) {
    const before1 = netByAccount(await s.journal.trialBalance({ to: addDays(fy1.start, -1) }), base);
    const ib1 = addInto(before1, await openingEntries(s, fy1, base));
    openingBalances.push(...balances(-1, ib1, isBalanceAccount));
    closingBalances.push(...balances(-1, before0, isBalanceAccount));
    results.push(...balances(-1, year1, (a) => !isBalanceAccount(a)));
    years.push({ index: -1, start: fy1.start, end: fy1.end });
  }

  // every account with a balance shown or a movement in the exported years
  const used = new Set<string>([...openingBalances, ...closingBalances, ...results].map((b) => b.account));
  for (const a of year0.keys()) used.add(a);
  if (hasPrevious) for (const a of year1.keys()) used.add(a);
  const chart = await chartOfAccounts(s);
  const accounts = [...used].sort().map((account) => ({ account, name: chart.get(account)?.name ?? `Konto ${account}` }));

  return {
    program: opts.program,
    generatedOn: opts.generatedOn,
    company: { name: tenant.name, orgNumber: tenant.orgNumber },
    currency: base,
    exponent: currencyExponent(base),
    fiscalYear: fy0,
    years,
    accounts,
    openingBalances,
    closingBalances,
    results,
    vouchers: vouchersOf(s, fy0, base),
  };
}

/** The file name an export of `label` gets: q2c-<tenant>-<label>.se */
export function sieFileName(tenantId: string, label: number): string {
  return `q2c-${tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}-${label}.se`;
}
