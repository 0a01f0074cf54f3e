import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  compareDates,
  daysBetween,
  isLocalDate,
  localDateInZone,
  parseLocalDate,
  yearOf,
} from './dates.js';
import { DomainError } from './errors.js';

/** Any LocalDate from 0001-01-01 to 9999-12-31, built from a Date so the generator is independent of the code under test. */
const localDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('isLocalDate', () => {
  it.each(['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', '9999-12-31', '2026-04-30'])(
    'accepts %s',
    (s) => expect(isLocalDate(s)).toBe(true),
  );

  it.each([
    '2026-02-29', // not a leap year
    '1900-02-29', // divisible by 100, not by 400
    '2026-04-31',
    '2026-13-01',
    '2026-00-10',
    '2026-01-00',
    '2026-01-32',
    '0000-01-01',
    '2026-1-01',
    '26-01-01',
    '2026/01/01',
    '2026-01-01T00:00:00Z',
    ' 2026-01-01',
    '',
    '２０２６-01-01', // full-width digits
  ])('rejects %s', (s) => expect(isLocalDate(s)).toBe(false));

  it('rejects non-strings', () => {
    for (const v of [null, undefined, 20260101, new Date('2026-01-01T00:00:00Z'), {}]) {
      expect(isLocalDate(v)).toBe(false);
    }
  });

  it('agrees with Date for every day it generates', () => {
    fc.assert(fc.property(localDate, (d) => isLocalDate(d)));
  });
});

describe('parseLocalDate', () => {
  it('returns a valid date unchanged', () => {
    expect(parseLocalDate('2026-03-31', 'dueDate')).toBe('2026-03-31');
  });

  it('throws validation_failed naming the parameter', () => {
    const call = () => parseLocalDate('2026-02-30', 'lines.0.deliveryDate');
    expect(call).toThrow(DomainError);
    try {
      call();
    } catch (e) {
      expect(e).toMatchObject({ code: 'validation_failed', param: 'lines.0.deliveryDate' });
      expect((e as Error).message).toContain('lines.0.deliveryDate');
    }
  });

  it('rejects non-strings', () => {
    expect(() => parseLocalDate(42, 'issueDate')).toThrow(/issueDate/);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-15', 30, '2026-02-14'],
    ['2026-01-15', 0, '2026-01-15'],
    ['2026-01-01', 365, '2027-01-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['0050-06-15', 1, '0050-06-16'], // two-digit years are not shifted to the 1900s
    ['0001-01-02', -1, '0001-01-01'],
    ['9999-12-30', 1, '9999-12-31'],
    // Across the Swedish DST switch (2026-03-29): days are calendar days, never 23 or 25 hours.
    ['2026-03-28', 2, '2026-03-30'],
  ] as const)('%s + %d = %s', (d, n, expected) => {
    expect(addDays(d, n)).toBe(expected);
  });

  it('refuses fractional days and out-of-range results', () => {
    expect(() => addDays('2026-01-01', 0.5)).toThrow(RangeError);
    expect(() => addDays('2026-01-01', Number.NaN)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => addDays('0001-01-01', -1)).toThrow(RangeError);
  });

  it('refuses a malformed date', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(/not a LocalDate/);
  });

  it('round-trips and agrees with daysBetween (property)', () => {
    fc.assert(
      fc.property(localDate, fc.integer({ min: -40_000, max: 40_000 }), (d, n) => {
        let moved: string;
        try {
          moved = addDays(d, n);
        } catch {
          return true; // left 0001-9999: nothing to check
        }
        expect(isLocalDate(moved)).toBe(true);
        expect(daysBetween(d, moved)).toBe(n);
        expect(addDays(moved, -n)).toBe(d);
        return true;
      }),
    );
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-01-31', '2026-03-01', 29],
    ['2024-01-31', '2024-03-01', 30],
    ['2026-03-01', '2026-01-31', -29],
    ['2026-05-05', '2026-05-05', 0],
    ['2025-12-31', '2026-01-01', 1],
    ['1970-01-01', '2000-01-01', 10_957],
    ['0001-01-01', '1970-01-01', 719_162],
    ['1970-01-01', '9999-12-31', 2_932_896],
  ] as const)('%s → %s is %d days', (from, to, expected) => {
    expect(daysBetween(from, to)).toBe(expected);
  });

  it('matches the difference of UTC midnights (property)', () => {
    fc.assert(
      fc.property(localDate, localDate, (a, b) => {
        const ms = Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`);
        expect(daysBetween(a, b)).toBe(ms / 86_400_000);
      }),
    );
  });
});

describe('compareDates and yearOf', () => {
  it('orders dates', () => {
    expect(compareDates('2026-01-02', '2026-01-10')).toBe(-1);
    expect(compareDates('2026-01-10', '2026-01-02')).toBe(1);
    expect(compareDates('2026-01-10', '2026-01-10')).toBe(0);
    expect(['2026-03-01', '0999-12-31', '2025-12-31'].sort(compareDates)).toEqual([
      '0999-12-31',
      '2025-12-31',
      '2026-03-01',
    ]);
  });

  it('agrees with the sign of daysBetween (property)', () => {
    fc.assert(
      fc.property(localDate, localDate, (a, b) => {
        expect(compareDates(a, b)).toBe(Math.sign(daysBetween(b, a)) || 0);
      }),
    );
  });

  it('refuses malformed input', () => {
    expect(() => compareDates('2026-1-1', '2026-01-01')).toThrow(/not a LocalDate/);
    expect(() => yearOf('2026-02-30')).toThrow(/not a LocalDate/);
  });

  it('reads the year', () => {
    expect(yearOf('2026-12-31')).toBe(2026);
    expect(yearOf('0042-01-01')).toBe(42);
  });
});

describe('localDateInZone', () => {
  it('gives the Stockholm business date around midnight (winter, UTC+1)', () => {
    expect(localDateInZone(new Date('2026-01-01T22:59:59Z'), 'Europe/Stockholm')).toBe('2026-01-01');
    expect(localDateInZone(new Date('2026-01-01T23:00:00Z'), 'Europe/Stockholm')).toBe('2026-01-02');
  });

  it('gives the Stockholm business date around midnight (summer, UTC+2)', () => {
    expect(localDateInZone(new Date('2026-06-30T21:59:59Z'), 'Europe/Stockholm')).toBe('2026-06-30');
    expect(localDateInZone(new Date('2026-06-30T22:00:00Z'), 'Europe/Stockholm')).toBe('2026-07-01');
  });

  it('handles year end and other zones', () => {
    expect(localDateInZone(new Date('2026-12-31T23:30:00Z'), 'Europe/Stockholm')).toBe('2027-01-01');
    expect(localDateInZone(new Date('2026-12-31T23:30:00Z'), 'UTC')).toBe('2026-12-31');
    expect(localDateInZone(new Date('2027-01-01T03:00:00Z'), 'America/New_York')).toBe('2026-12-31');
  });

  it('equals the UTC date in UTC (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }),
        (instant) => {
          expect(localDateInZone(instant, 'UTC')).toBe(instant.toISOString().slice(0, 10));
        },
      ),
    );
  });

  it('rejects an unknown zone with validation_failed and an invalid Date with RangeError', () => {
    expect(() => localDateInZone(new Date('2026-01-01T00:00:00Z'), 'Mars/Olympus')).toThrow(
      expect.objectContaining({ code: 'validation_failed', param: 'timeZone' }),
    );
    expect(() => localDateInZone(new Date('nonsense'), 'Europe/Stockholm')).toThrow(RangeError);
  });
});
