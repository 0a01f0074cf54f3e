/**
 * The dashboard's figures, shaped from what the database sums (src/app/reports/dashboard.ts reads
 * them): the quote pipeline by status, cash received per ISO week (Monday to Sunday) and the sizes of
 * the work queues. Amounts stay per currency: a pipeline of SEK and EUR quotes is not added up at a
 * guessed rate.
 */
import { addDays, daysBetween, type LocalDate } from '../shared/dates.js';

/** An ISO 4217 code as stored. */
type Currency = string;

/** Statuses of a quote's current version, in the order of the process; superseded versions are not counted. */
export const PIPELINE_STATUSES = ['draft', 'awaiting_approval', 'approved', 'sent', 'accepted', 'declined', 'expired'] as const;
export type PipelineStatus = (typeof PIPELINE_STATUSES)[number];
/** Open statuses count every quote; decided ones only those decided within the window. */
export const OPEN_PIPELINE_STATUSES: readonly PipelineStatus[] = ['draft', 'awaiting_approval', 'approved', 'sent'];

export interface PipelineSum {
  status: PipelineStatus;
  currency: Currency;
  count: number;
  netMinor: bigint;
}

export interface CashWeekSum {
  /** The Monday the week starts on. */
  weekStart: LocalDate;
  currency: Currency;
  count: number;
  amountMinor: bigint;
}

/** The Monday of the ISO week holding `d`. 1970-01-01 was a Thursday. */
export function isoWeekStart(d: LocalDate): LocalDate {
  const dayNumber = daysBetween('1970-01-01', d);
  const weekday = (((dayNumber + 3) % 7) + 7) % 7; // 0 = Monday
  return addDays(d, -weekday);
}

/** The Mondays of the `weeks` weeks ending with the one holding `asOf`, oldest first. */
export function weekStarts(asOf: LocalDate, weeks: number): LocalDate[] {
  if (!Number.isSafeInteger(weeks) || weeks < 1) throw new RangeError(`weeks must be a positive integer, got ${weeks}`);
  const last = isoWeekStart(asOf);
  return Array.from({ length: weeks }, (_, i) => addDays(last, -7 * (weeks - 1 - i)));
}

/**
 * One row per week and currency, zero-filled: every week of the range appears for the base currency
 * (and for every other currency that was received at all in the range), so a chart has no holes.
 */
export function cashByWeek(sums: readonly CashWeekSum[], asOf: LocalDate, weeks: number, baseCurrency: Currency): CashWeekSum[] {
  const starts = weekStarts(asOf, weeks);
  const currencies = [baseCurrency, ...[...new Set(sums.map((s) => s.currency))].filter((c) => c !== baseCurrency).sort()];
  const key = (w: LocalDate, c: string) => `${w}|${c}`;
  const found = new Map(sums.map((s) => [key(s.weekStart, s.currency), s]));
  const known = new Set(starts);
  const stray = sums.filter((s) => !known.has(s.weekStart));
  if (stray.length > 0) throw new Error(`cash received outside the weeks asked for: ${stray[0]!.weekStart}`);
  return currencies.flatMap((currency) =>
    starts.map((weekStart) => found.get(key(weekStart, currency)) ?? { weekStart, currency, count: 0, amountMinor: 0n }),
  );
}

/** The pipeline in process order (status, then currency); statuses with no quotes are left out. */
export function orderPipeline(sums: readonly PipelineSum[]): PipelineSum[] {
  const rank = (s: PipelineStatus) => PIPELINE_STATUSES.indexOf(s);
  return [...sums].sort((a, b) => rank(a.status) - rank(b.status) || (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
}
