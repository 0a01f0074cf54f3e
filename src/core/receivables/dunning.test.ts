import { describe, expect, it } from 'vitest';
import { decimal4 } from '../money/quantity.js';
import { DomainError } from '../shared/errors.js';
import {
  DEFAULT_INTEREST_MARGIN, DEFAULT_SCHEDULE, INTEREST_DENOMINATOR, interestOn, interestPeriods, levelReached, reminderFee,
  validateSchedule, type DunningSchedule,
} from './dunning.js';

const pct = (s: string) => decimal4(s);

describe('dunning levels', () => {
  const levels = DEFAULT_SCHEDULE.levels;

  it('reaches level 1 at 7 days after due and level 2 at 21', () => {
    expect(levelReached(0, levels)).toBe(0);
    expect(levelReached(6, levels)).toBe(0);
    expect(levelReached(7, levels)).toBe(1);
    expect(levelReached(20, levels)).toBe(1);
    expect(levelReached(21, levels)).toBe(2);
    expect(levelReached(400, levels)).toBe(2);
  });

  it('charges the highest fee of the new levels, never above the cap', () => {
    const withFee = [levels[0]!, { ...levels[1]!, feeMinor: 6000n }];
    expect(reminderFee([1], withFee, 6000n)).toBe(0n);
    expect(reminderFee([1, 2], withFee, 6000n)).toBe(6000n);
    expect(reminderFee([2], withFee, 5000n)).toBe(5000n);
    // the default schedule charges no fee (only agreed fees may be charged, lag 1981:739 2 §)
    expect(reminderFee([1, 2], levels, 6000n)).toBe(0n);
  });
});

describe('validateSchedule', () => {
  const withLevels = (over: Partial<DunningSchedule>): DunningSchedule => ({ ...DEFAULT_SCHEDULE, ...over });
  const paramOf = (f: () => void): string | undefined => {
    try {
      f();
    } catch (e) {
      if (e instanceof DomainError) return e.param;
      throw e;
    }
    return undefined;
  };

  it('accepts the default schedule', () => {
    expect(() => validateSchedule(DEFAULT_SCHEDULE)).not.toThrow();
  });

  it('refuses a fee above the cap, naming the level', () => {
    const s = withLevels({ levels: [{ level: 1, daysAfterDue: 7, feeMinor: 0n }, { level: 2, daysAfterDue: 21, feeMinor: 6001n }] });
    expect(paramOf(() => validateSchedule(s))).toBe('levels.1.fee');
  });

  it('refuses days that do not increase', () => {
    const s = withLevels({ levels: [{ level: 1, daysAfterDue: 21, feeMinor: 0n }, { level: 2, daysAfterDue: 7, feeMinor: 0n }] });
    expect(paramOf(() => validateSchedule(s))).toBe('levels.1.days_after_due');
  });
});

describe('late-payment interest', () => {
  it('10 000.00 SEK for 30 days at reference 2.00 % + 8 pp = 10 % is 82.19 SEK (half up, once)', () => {
    const r = interestPeriods('2026-01-01', '2026-01-31', [{ date: '2025-07-01', rate: pct('2') }], DEFAULT_INTEREST_MARGIN);
    if (!('periods' in r)) throw new Error('missing rate');
    expect(r.periods).toHaveLength(1);
    expect(r.periods[0]!.days).toBe(30);
    expect(r.periods[0]!.annualRate).toEqual(pct('10'));
    const i = interestOn(1_000_000n, r.periods);
    // exact: 1 000 000 × 10 × 30 / 365 = 82 191.78… öre ⇒ 821 917 808… / denominator
    expect(i.numerator).toBe(1_000_000n * 100_000n * 30n);
    expect(i.numerator * 100n / INTEREST_DENOMINATOR).toBe(821917n); // 8219.17… öre, i.e. 82.1917… SEK
    expect(i.amountMinor).toBe(8219n);
    expect(i.days).toBe(30);
  });

  it('splits a period when the reference rate changes mid-way and sums the exact parts', () => {
    // 2026-06-21 .. 2026-07-10: 10 days at 2 % (+8 = 10 %), then 10 days from 2026-07-01 at 1.5 % (+8 = 9.5 %)
    const rates = [
      { date: '2026-01-01', rate: pct('2') },
      { date: '2026-07-01', rate: pct('1.5') },
    ];
    const r = interestPeriods('2026-06-20', '2026-07-10', rates, DEFAULT_INTEREST_MARGIN);
    if (!('periods' in r)) throw new Error('missing rate');
    expect(r.periods.map((p) => [p.from, p.to, p.days])).toEqual([
      ['2026-06-20', '2026-06-30', 10],
      ['2026-06-30', '2026-07-10', 10],
    ]);
    // 10 000.00 × (10 % × 10 + 9.5 % × 10) / 365 = 53.424657… → 53.42
    expect(interestOn(1_000_000n, r.periods).amountMinor).toBe(5342n);
  });

  it('rounds half up once, on the exact sum of the parts, not per part', () => {
    // 14.60 SEK at 10 % for 1 day = 1460 / 3650 öre = 0.4 öre per part: rounded per part that would be 0 + 0,
    // the exact sum 0.8 öre rounds (half up) to 1 öre
    const day = (from: string, to: string) => ({ from, to, days: 1, referenceRate: pct('2'), annualRate: pct('10') });
    expect(interestOn(1460n, [day('2026-01-01', '2026-01-02')]).amountMinor).toBe(0n);
    expect(interestOn(1460n, [day('2026-01-01', '2026-01-02'), day('2026-01-02', '2026-01-03')]).amountMinor).toBe(1n);
    // a tie: 18.25 SEK × 10 % / 365 = 0.5 öre exactly → half up → 1 öre
    expect(interestOn(1825n, [day('2026-01-01', '2026-01-02')]).amountMinor).toBe(1n);
  });

  it('reports the first day without a reference rate', () => {
    expect(interestPeriods('2026-01-01', '2026-01-31', [{ date: '2026-01-15', rate: pct('2') }], DEFAULT_INTEREST_MARGIN)).toEqual({
      missing: '2026-01-02',
    });
  });

  it('never charges a negative rate', () => {
    const r = interestPeriods('2026-01-01', '2026-01-11', [{ date: '2016-01-01', rate: pct('-9') }], DEFAULT_INTEREST_MARGIN);
    if (!('periods' in r)) throw new Error('missing rate');
    expect(r.periods[0]!.annualRate).toEqual(pct('0'));
  });
});
