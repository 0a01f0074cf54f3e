/**
 * Fiscal years and periods (räkenskapsår): a tenant's fiscal year starts on the first day of a month
 * (`startMonth`, 1 = a calendar year) and lasts twelve months; its periods are the calendar months.
 *
 * A fiscal year is labelled by the calendar year it starts in (2026-07-01 – 2027-06-30 is 2026): the
 * label is journal_entries.fiscal_year, the voucher-number series restarts per label, and SIE's #RAR 0
 * is the year containing the export date.
 *
 * A tenant locks its books through a date (period close): no entry is dated on or before it. A document
 * that arrives late (its date is in a locked period) posts on the first open day, keeping its own date
 * as the entry's document date; a manual entry dated in a locked period is refused (period_locked).
 */
import { addDays, compareDates, isLocalDate, type LocalDate } from '../shared/dates.js';

export interface FiscalYear {
  /** The calendar year the fiscal year starts in. */
  label: number;
  start: LocalDate;
  /** The last day (inclusive). */
  end: LocalDate;
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad4 = (n: number) => String(n).padStart(4, '0');

function checkStartMonth(startMonth: number): void {
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) throw new RangeError(`fiscal year start month must be 1-12, got ${startMonth}`);
}

/** The fiscal year labelled `label` for a tenant whose years start in `startMonth`. */
export function fiscalYear(label: number, startMonth: number): FiscalYear {
  checkStartMonth(startMonth);
  const start = `${pad4(label)}-${pad2(startMonth)}-01`;
  const nextStart = startMonth === 1 ? `${pad4(label + 1)}-01-01` : `${pad4(label + 1)}-${pad2(startMonth)}-01`;
  return { label, start, end: addDays(nextStart, -1) };
}

/** The fiscal year a date falls in. */
export function fiscalYearOf(d: LocalDate, startMonth: number): FiscalYear {
  checkStartMonth(startMonth);
  if (!isLocalDate(d)) throw new Error(`not a LocalDate: '${String(d)}'`);
  const year = Number(d.slice(0, 4));
  const month = Number(d.slice(5, 7));
  return fiscalYear(month >= startMonth ? year : year - 1, startMonth);
}

export interface Period {
  /** 'YYYY-MM' */
  month: string;
  start: LocalDate;
  end: LocalDate;
}

/** The twelve monthly periods of a fiscal year, in order. */
export function periodsOf(fy: FiscalYear): Period[] {
  const out: Period[] = [];
  let start = fy.start;
  for (let i = 0; i < 12; i++) {
    const y = Number(start.slice(0, 4));
    const m = Number(start.slice(5, 7));
    const next = m === 12 ? `${pad4(y + 1)}-01-01` : `${pad4(y)}-${pad2(m + 1)}-01`;
    out.push({ month: start.slice(0, 7), start, end: addDays(next, -1) });
    start = next;
  }
  return out;
}

/** The last day of the month a date is in (closing "through March" locks through 03-31). */
export function endOfMonth(d: LocalDate): LocalDate {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7));
  const next = m === 12 ? `${pad4(y + 1)}-01-01` : `${pad4(y)}-${pad2(m + 1)}-01`;
  return addDays(next, -1);
}

/**
 * Where an entry dated `date` posts when the books are locked through `lockedThrough`: on its own date
 * when that is open, otherwise on the first open day (the day after the lock), `moved` true.
 */
export function postingDate(date: LocalDate, lockedThrough: LocalDate | null): { entryDate: LocalDate; moved: boolean } {
  if (lockedThrough === null || compareDates(date, lockedThrough) > 0) return { entryDate: date, moved: false };
  return { entryDate: addDays(lockedThrough, 1), moved: true };
}

/** True when `date` is on or before the lock date. */
export function isLocked(date: LocalDate, lockedThrough: LocalDate | null): boolean {
  return lockedThrough !== null && compareDates(date, lockedThrough) <= 0;
}

/**
 * A result account (BAS classes 3-8: revenue, costs, financial items, appropriations and the year's
 * result) starts every fiscal year from zero; a balance-sheet account (classes 1-2) carries over.
 */
export function isResultAccount(account: string): boolean {
  return /^[3-8]\d{3}$/.test(account);
}
