/**
 * The general ledger of one account for a period (huvudbok): the balance before the period (for a result
 * account, since the start of its fiscal year), every line
 * in entry-date order (then series and number) with the running balance, and the closing balance.
 * Journal lines are in the base currency (decision 0008), so each account has one running balance.
 *
 * Read a page at a time (keyset on entry date, series, fiscal year, number, line), so a large ledger
 * never sits in memory: the API pages with a cursor that carries the running balance, the CSV export
 * iterates over all pages.
 */
import type { LocalDate } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import { baseCurrencyOf } from '../fx/rate-for.js';
import { fiscalYearOf, isResultAccount } from '../../core/ledger/fiscal-year.js';
import { booksSettingsOf, chartOfAccounts } from '../ledger/chart.js';
import type { GeneralLedgerLine, Store } from '../ports.js';

export interface LedgerPosition {
  entryDate: LocalDate;
  series: string;
  fiscalYear: number;
  number: number;
  lineNo: number;
  /** The running balance after this line. */
  balanceMinor: bigint;
}

export interface GeneralLedgerPage {
  account: string;
  name: string | null;
  currency: string;
  from: LocalDate | null;
  to: LocalDate | null;
  /** The balance before `from` (0 without `from`). */
  openingMinor: bigint;
  lines: (GeneralLedgerLine & { balanceMinor: bigint })[];
  /** Where the next page starts; null on the last page. */
  next: LedgerPosition | null;
}

export const encodeCursor = (p: LedgerPosition): string =>
  Buffer.from(JSON.stringify({ ...p, balanceMinor: p.balanceMinor.toString() })).toString('base64url');

export function decodeCursor(cursor: string): LedgerPosition {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof v.entryDate !== 'string' || typeof v.series !== 'string' || typeof v.balanceMinor !== 'string') throw new Error('shape');
    return {
      entryDate: v.entryDate,
      series: v.series,
      fiscalYear: Number(v.fiscalYear),
      number: Number(v.number),
      lineNo: Number(v.lineNo),
      balanceMinor: BigInt(v.balanceMinor),
    };
  } catch {
    throw invalid('cursor', 'is not a cursor this report returned');
  }
}

export async function generalLedgerPage(
  s: Store,
  account: string,
  filter: { from?: LocalDate | undefined; to?: LocalDate | undefined },
  cursor: LedgerPosition | undefined,
  limit: number,
): Promise<GeneralLedgerPage> {
  if (!/^\d{4}$/.test(account)) throw invalid('account', 'must be a 4-digit account number');
  const currency = await baseCurrencyOf(s);
  const name = (await chartOfAccounts(s)).get(account)?.name ?? null;
  let openingMinor = 0n;
  if (filter.from !== undefined) {
    for (const b of await s.journal.balanceBefore(account, filter.from)) openingMinor += b.balanceMinor;
    if (isResultAccount(account)) {
      // a result account opens each fiscal year at zero
      const yearStart = fiscalYearOf(filter.from, (await booksSettingsOf(s)).fiscalYearStartMonth).start;
      for (const b of await s.journal.balanceBefore(account, yearStart)) openingMinor -= b.balanceMinor;
    }
  }
  const f: { from?: LocalDate; to?: LocalDate } = {};
  if (filter.from !== undefined) f.from = filter.from;
  if (filter.to !== undefined) f.to = filter.to;
  const rows = await s.journal.ledgerLines(account, f, cursor, limit + 1);
  let balance = cursor?.balanceMinor ?? openingMinor;
  const lines = rows.slice(0, limit).map((l) => {
    balance += l.debitMinor - l.creditMinor;
    return { ...l, balanceMinor: balance };
  });
  const last = lines[lines.length - 1];
  const next =
    rows.length > limit && last !== undefined
      ? { entryDate: last.entryDate, series: last.series, fiscalYear: last.fiscalYear, number: last.number, lineNo: last.lineNo, balanceMinor: last.balanceMinor }
      : null;
  return { account, name, currency, from: filter.from ?? null, to: filter.to ?? null, openingMinor, lines, next };
}

/** Every line of the period, page by page (for CSV), after the opening balance. */
export async function* generalLedgerLines(
  s: Store,
  account: string,
  filter: { from?: LocalDate | undefined; to?: LocalDate | undefined },
): AsyncGenerator<GeneralLedgerPage> {
  let cursor: LedgerPosition | undefined;
  for (;;) {
    const page = await generalLedgerPage(s, account, filter, cursor, 1000);
    yield page;
    if (page.next === null) return;
    cursor = page.next;
  }
}

