/**
 * Dunning (påminnelser) as pure rules: the tenant's schedule of reminder levels, the reminder fee and
 * its cap, and late-payment interest (dröjsmålsränta) over a dated reference-rate table.
 *
 * Law and defaults:
 * - Reminder fee: at most 60 SEK per written reminder under lag (1981:739) om ersättning för
 *   inkassokostnader m.m. (förordning 1981:1057); the cap is a tenant setting that defaults to that
 *   figure. A level's fee above the cap is refused (validation_failed naming `levels.N.fee`).
 * - Interest: räntelagen (1975:635) 6 §: the Riksbank reference rate in force + 8 percentage points.
 *   The reference rate is read from a dated table: the rate dated on or before a day is the rate in
 *   force on that day, so a period that spans a change is computed in parts (one per rate).
 *
 * Interest arithmetic is exact: for every part, open × (annual rate in percent × 10⁴) × days, over
 * the common denominator 100 × 10⁴ × 365 (a 365-day year, actual days). The parts are summed as
 * that exact rational and rounded ONCE per invoice with INTEREST_ROUNDING = 'half_up' (to the nearest
 * minor unit, ties away from zero). Example: 10 000.00 SEK × 10 % × 30 / 365 = 82.19178… → 82.19 SEK.
 *
 * Days: interest runs from the day after `from` up to and including `to` (days = to − from), so an
 * invoice due 2026-01-01 and reminded on 2026-01-31 accrues 30 days.
 */
import { divRound, type RoundingMode } from '../money/rounding.js';
import { DECIMAL4_SCALE, formatDecimal4, type Percent } from '../money/quantity.js';
import { addDays, compareDates, daysBetween, isLocalDate, type LocalDate } from '../shared/dates.js';
import { invalid } from '../shared/errors.js';

/** The statutory maximum reminder fee (lag 1981:739), in öre. */
export const STATUTORY_FEE_CAP_SEK_MINOR = 6000n;
/** räntelagen 6 §: reference rate + 8 percentage points. */
export const DEFAULT_INTEREST_MARGIN: Percent = Object.freeze({ scaled: 8n * DECIMAL4_SCALE });
/** An interest invoice is made only when the interest exceeds this (100.00 in the reminder's currency). */
export const DEFAULT_INTEREST_MINIMUM_MINOR = 10000n;
/** The named rounding policy of interest: once per invoice, on the exact sum of its parts. */
export const INTEREST_ROUNDING: RoundingMode = 'half_up';
export const DAYS_PER_YEAR = 365n;
export const MAX_LEVELS = 10;
export const MAX_DAYS_AFTER_DUE = 3650;

export interface DunningLevel {
  /** 1, 2, … in schedule order. */
  level: number;
  /** A reminder at this level goes out once the invoice is this many days past its due date. */
  daysAfterDue: number;
  /** The reminder fee in the tenant's base currency (minor units); 0 = none. */
  feeMinor: bigint;
}

export interface DunningSchedule {
  enabled: boolean;
  levels: DunningLevel[];
  /** The highest fee a level may carry (base currency minor units). */
  feeCapMinor: bigint;
  interestEnabled: boolean;
  /** Percentage points added to the reference rate. */
  interestMargin: Percent;
  /** Interest is invoiced only when it exceeds this (minor units of the reminder's currency). */
  interestMinimumMinor: bigint;
}

/**
 * The schedule of a tenant that set none: reminders at 7 and 21 days and statutory interest, but NO
 * reminder fee: lag (1981:739) 2 § allows one only where it was agreed when the debt arose, which q2c
 * cannot know; a tenant whose terms say so sets the fee per level (up to the cap).
 */
export const DEFAULT_SCHEDULE: DunningSchedule = Object.freeze({
  enabled: true,
  levels: [
    { level: 1, daysAfterDue: 7, feeMinor: 0n },
    { level: 2, daysAfterDue: 21, feeMinor: 0n },
  ],
  feeCapMinor: STATUTORY_FEE_CAP_SEK_MINOR,
  interestEnabled: true,
  interestMargin: DEFAULT_INTEREST_MARGIN,
  interestMinimumMinor: DEFAULT_INTEREST_MINIMUM_MINOR,
}) as DunningSchedule;

/**
 * Refuses a schedule that breaks a rule, naming the field: 1-10 levels, days after due strictly
 * increasing from 1, fees ≥ 0 and at most the cap, cap ≥ 0, margin 0-100, minimum ≥ 0.
 */
export function validateSchedule(s: DunningSchedule): void {
  if (s.feeCapMinor < 0n) throw invalid('fee_cap', 'must not be negative');
  if (s.levels.length === 0) throw invalid('levels', 'give at least one level');
  if (s.levels.length > MAX_LEVELS) throw invalid('levels', `at most ${MAX_LEVELS} levels`);
  let previous = 0;
  s.levels.forEach((l, i) => {
    if (l.level !== i + 1) throw invalid(`levels.${i}.level`, `levels are numbered 1, 2, … in order; expected ${i + 1}`);
    if (!Number.isSafeInteger(l.daysAfterDue) || l.daysAfterDue < 1 || l.daysAfterDue > MAX_DAYS_AFTER_DUE) {
      throw invalid(`levels.${i}.days_after_due`, `must be a whole number of days from 1 to ${MAX_DAYS_AFTER_DUE}`);
    }
    if (l.daysAfterDue <= previous) throw invalid(`levels.${i}.days_after_due`, `must be more than the previous level's ${previous}`);
    previous = l.daysAfterDue;
    if (l.feeMinor < 0n) throw invalid(`levels.${i}.fee`, 'must not be negative');
    if (l.feeMinor > s.feeCapMinor) {
      throw invalid(`levels.${i}.fee`, `is above the reminder fee cap of ${s.feeCapMinor} minor units (lag 1981:739 allows at most 60 SEK)`);
    }
  });
  if (s.interestMargin.scaled < 0n || s.interestMargin.scaled > 100n * DECIMAL4_SCALE) throw invalid('interest.margin', 'must be from 0 to 100 percentage points');
  if (s.interestMinimumMinor < 0n) throw invalid('interest.minimum', 'must not be negative');
}

/** The highest level whose days after due the invoice has reached; 0 when none yet. */
export function levelReached(daysOverdue: number, levels: readonly DunningLevel[]): number {
  let reached = 0;
  for (const l of levels) if (daysOverdue >= l.daysAfterDue) reached = Math.max(reached, l.level);
  return reached;
}

/** The fee of a reminder that raises invoices to these new levels: the highest of their fees, never above the cap. */
export function reminderFee(newLevels: readonly number[], levels: readonly DunningLevel[], capMinor: bigint): bigint {
  let fee = 0n;
  for (const n of newLevels) {
    const l = levels.find((x) => x.level === n);
    if (l && l.feeMinor > fee) fee = l.feeMinor;
  }
  return fee > capMinor ? capMinor : fee;
}

// ------------------------------------------------------------------ interest

export interface ReferenceRate {
  /** In force from this date until the next rate's date. */
  date: LocalDate;
  /** Percent per year; may be negative (the reference rate was below zero 2016-2019). */
  rate: Percent;
}

export interface InterestPeriod {
  /** Exclusive: interest runs from the day after. */
  from: LocalDate;
  /** Inclusive. */
  to: LocalDate;
  days: number;
  referenceRate: Percent;
  /** reference + margin, never below 0. */
  annualRate: Percent;
}

/**
 * The parts of (from, to] with one rate each. Returns `missing` (the first day without a reference
 * rate) when the table has no rate in force on some day of the span.
 */
export function interestPeriods(
  from: LocalDate,
  to: LocalDate,
  rates: readonly ReferenceRate[],
  margin: Percent,
): { periods: InterestPeriod[] } | { missing: LocalDate } {
  if (!isLocalDate(from) || !isLocalDate(to)) throw new Error(`interestPeriods: bad dates ${from} – ${to}`);
  if (compareDates(to, from) <= 0) return { periods: [] };
  const sorted = [...rates].sort((a, b) => compareDates(a.date, b.date));
  const firstDay = addDays(from, 1);
  // index of the rate in force on firstDay
  let idx = -1;
  for (let i = 0; i < sorted.length; i++) if (compareDates(sorted[i]!.date, firstDay) <= 0) idx = i;
  if (idx === -1) return { missing: firstDay };
  const periods: InterestPeriod[] = [];
  let start = from; // exclusive
  while (compareDates(start, to) < 0) {
    const current = sorted[idx]!;
    const next = sorted[idx + 1];
    // the last day at this rate: the day before the next rate's date, or `to`
    const end = next !== undefined && compareDates(addDays(next.date, -1), to) < 0 ? addDays(next.date, -1) : to;
    const annual = current.rate.scaled + margin.scaled;
    periods.push({
      from: start,
      to: end,
      days: daysBetween(start, end),
      referenceRate: current.rate,
      annualRate: { scaled: annual < 0n ? 0n : annual },
    });
    start = end;
    idx += 1;
  }
  return { periods: periods.filter((p) => p.days > 0) };
}

/** The denominator of every part: percent (100) × Decimal4 scale (10⁴) × 365 days. */
export const INTEREST_DENOMINATOR = 100n * DECIMAL4_SCALE * DAYS_PER_YEAR;

export interface InterestResult {
  /** The exact interest is numerator / INTEREST_DENOMINATOR minor units. */
  numerator: bigint;
  /** Rounded once with INTEREST_ROUNDING. */
  amountMinor: bigint;
  days: number;
}

/** Interest on `openMinor` over the periods: Σ open × annual rate × days / 365, exact, rounded once. */
export function interestOn(openMinor: bigint, periods: readonly InterestPeriod[]): InterestResult {
  if (openMinor < 0n) throw new Error('interestOn: open amount must not be negative');
  let numerator = 0n;
  let days = 0;
  for (const p of periods) {
    numerator += openMinor * p.annualRate.scaled * BigInt(p.days);
    days += p.days;
  }
  return { numerator, amountMinor: divRound(numerator, INTEREST_DENOMINATOR, INTEREST_ROUNDING), days };
}

/** "10.5" for a rate (trimmed decimal). */
export const formatRatePercent = (p: Percent): string => formatDecimal4(p);
