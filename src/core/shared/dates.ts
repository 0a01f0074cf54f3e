/**
 * Calendar dates without a time of day or a zone, as ISO 8601 strings ('YYYY-MM-DD').
 *
 * Due dates, invoice dates and aging "as of" dates are business dates: a day on the tenant's calendar,
 * not an instant. Keeping them as strings makes them compare correctly as text, serialise unchanged
 * and never shift by a zone offset. Arithmetic goes through a day number (days since 1970-01-01, UTC),
 * computed with the Date UTC functions, which read no clock.
 *
 * Years are limited to 0001-9999 so that every date has exactly four year digits and lexical order
 * equals calendar order.
 */
import { invalid } from './errors.js';

/** A calendar date 'YYYY-MM-DD' (e.g. '2026-02-28'), years 0001-9999. Check untrusted input with `parseLocalDate`. */
export type LocalDate = string;

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;
/** Day numbers of 0001-01-01 and 9999-12-31, the bounds of a LocalDate. */
const MIN_DAY = -719_162;
const MAX_DAY = 2_932_896;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for a string 'YYYY-MM-DD' naming a real calendar day (2024-02-29 yes, 2026-02-29 no). */
export function isLocalDate(s: unknown): s is LocalDate {
  if (typeof s !== 'string') return false;
  const m = SHAPE.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Parses untrusted input into a LocalDate, or throws validation_failed naming `param`. */
export function parseLocalDate(value: unknown, param: string): LocalDate {
  if (!isLocalDate(value)) {
    throw invalid(param, `${param} must be a calendar date formatted YYYY-MM-DD`);
  }
  return value;
}

/** Days since 1970-01-01 for a valid LocalDate; throws for anything else (a programming error). */
function toDayNumber(d: LocalDate): number {
  if (!isLocalDate(d)) throw new Error(`not a LocalDate: '${String(d)}'`);
  const t = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  t.setUTCFullYear(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));
  return Math.round(t.getTime() / MS_PER_DAY);
}

function fromDayNumber(day: number): LocalDate {
  if (day < MIN_DAY || day > MAX_DAY) throw new RangeError(`date out of range (years 0001-9999): day ${day}`);
  const t = new Date(day * MS_PER_DAY);
  const y = String(t.getUTCFullYear()).padStart(4, '0');
  const m = String(t.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(t.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${dd}`;
}

/** The date `n` days after `d` (before it when n < 0). `n` must be an integer. */
export function addDays(d: LocalDate, n: number): LocalDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`addDays needs an integer number of days, got ${n}`);
  return fromDayNumber(toDayNumber(d) + n);
}

/** `to` − `from` in days: daysBetween('2026-01-31', '2026-03-01') = 29; negative when `to` is earlier. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** −1, 0 or 1 as `a` is before, equal to or after `b` (a comparator for Array.prototype.sort). */
export function compareDates(a: LocalDate, b: LocalDate): -1 | 0 | 1 {
  if (!isLocalDate(a)) throw new Error(`not a LocalDate: '${String(a)}'`);
  if (!isLocalDate(b)) throw new Error(`not a LocalDate: '${String(b)}'`);
  // Fixed-width ISO strings order like the dates they name.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The calendar year of a LocalDate, e.g. 2026 (invoice and voucher number series restart per year). */
export function yearOf(d: LocalDate): number {
  if (!isLocalDate(d)) throw new Error(`not a LocalDate: '${String(d)}'`);
  return Number(d.slice(0, 4));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        calendar: 'gregory',
        numberingSystem: 'latn',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch {
      throw invalid('timeZone', `unknown time zone '${timeZone}' (use an IANA name such as 'Europe/Stockholm')`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The calendar date on the wall in `timeZone` at `instant`: 2026-01-01T23:30Z is '2026-01-02' in
 * Europe/Stockholm. The caller supplies the instant (core has no clock).
 */
export function localDateInZone(instant: Date, timeZone: string): LocalDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('localDateInZone needs a valid Date');
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  const result = `${year.padStart(4, '0')}-${month}-${day}`;
  if (!isLocalDate(result)) throw new RangeError(`instant ${instant.toISOString()} is outside years 0001-9999`);
  return result;
}
