import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AGING_BUCKETS, AgingAccumulator, ageItems, agingScheme, bucketFor, bucketIndex, parseAgingLimits, type AgingBucket, type AgingItem,
} from './aging.js';
import { addDays } from '../shared/dates.js';

const AS_OF = '2026-06-30';
const dueDaysAgo = (days: number) => addDays(AS_OF, -days);
const zero = (): Record<AgingBucket, bigint> => ({
  not_due: 0n,
  days_0_30: 0n,
  days_31_60: 0n,
  days_61_90: 0n,
  days_over_90: 0n,
});

describe('bucketFor', () => {
  it.each([
    [-365, 'not_due'],
    [-1, 'not_due'],
    [0, 'days_0_30'],
    [1, 'days_0_30'],
    [30, 'days_0_30'],
    [31, 'days_31_60'],
    [60, 'days_31_60'],
    [61, 'days_61_90'],
    [90, 'days_61_90'],
    [91, 'days_over_90'],
    [3650, 'days_over_90'],
  ] as const)('%d days past due → %s', (days, bucket) => {
    expect(bucketFor(dueDaysAgo(days), AS_OF)).toBe(bucket);
  });

  it('counts calendar days across month ends and leap days', () => {
    // 2024-02-29 exists: due 2024-01-30, seen 2024-02-29 = 30 days; 2024-03-01 = 31 days
    expect(bucketFor('2024-01-30', '2024-02-29')).toBe('days_0_30');
    expect(bucketFor('2024-01-30', '2024-03-01')).toBe('days_31_60');
    expect(bucketFor('2026-01-30', '2026-03-01')).toBe('days_0_30'); // 30 days in 2026
  });

  it('refuses malformed dates', () => {
    expect(() => bucketFor('2026-02-30', AS_OF)).toThrow(/not a LocalDate/);
  });

  it('lists the buckets in age order', () => {
    expect(AGING_BUCKETS).toEqual(['not_due', 'days_0_30', 'days_31_60', 'days_61_90', 'days_over_90']);
  });
});

describe('AgingAccumulator', () => {
  it('sums items per customer and currency into buckets, rows sorted by customer then currency', () => {
    const acc = new AgingAccumulator(AS_OF);
    acc.add({ customerId: 'cus_b', currency: 'SEK', openMinor: 100n, dueDate: dueDaysAgo(-5) });
    acc.add({ customerId: 'cus_a', currency: 'SEK', openMinor: 200n, dueDate: dueDaysAgo(31) });
    acc.add({ customerId: 'cus_a', currency: 'EUR', openMinor: 7n, dueDate: dueDaysAgo(91) });
    acc.add({ customerId: 'cus_a', currency: 'SEK', openMinor: 50n, dueDate: dueDaysAgo(60) });
    acc.add({ customerId: 'cus_a', currency: 'SEK', openMinor: 1n, dueDate: dueDaysAgo(0) });
    acc.add({ customerId: 'cus_b', currency: 'SEK', openMinor: 0n, dueDate: dueDaysAgo(200) }); // settled: ignored

    const r = acc.result();
    expect(r.rows).toMatchObject([
      { customerId: 'cus_a', currency: 'EUR', buckets: { ...zero(), days_over_90: 7n }, totalMinor: 7n },
      { customerId: 'cus_a', currency: 'SEK', buckets: { ...zero(), days_0_30: 1n, days_31_60: 250n }, totalMinor: 251n },
      { customerId: 'cus_b', currency: 'SEK', buckets: { ...zero(), not_due: 100n }, totalMinor: 100n },
    ]);
    expect(r.totals).toMatchObject([
      { currency: 'EUR', buckets: { ...zero(), days_over_90: 7n }, totalMinor: 7n },
      { currency: 'SEK', buckets: { ...zero(), not_due: 100n, days_0_30: 1n, days_31_60: 250n }, totalMinor: 351n },
    ]);
  });

  it('nets a negative (credit) item into its bucket', () => {
    const r = ageItems(
      [
        { customerId: 'cus_a', currency: 'SEK', openMinor: 1_000n, dueDate: dueDaysAgo(10) },
        { customerId: 'cus_a', currency: 'SEK', openMinor: -300n, dueDate: dueDaysAgo(12) },
      ],
      AS_OF,
    );
    expect(r.rows[0]?.buckets.days_0_30).toBe(700n);
    expect(r.totals[0]?.totalMinor).toBe(700n);
  });

  it('returns copies: later adds and caller edits do not leak', () => {
    const acc = new AgingAccumulator(AS_OF);
    acc.add({ customerId: 'cus_a', currency: 'SEK', openMinor: 10n, dueDate: AS_OF });
    const first = acc.result();
    const firstRow = first.rows[0];
    if (firstRow) firstRow.buckets.days_0_30 = 999n;
    acc.add({ customerId: 'cus_a', currency: 'SEK', openMinor: 5n, dueDate: AS_OF });
    expect(first.totals[0]?.totalMinor).toBe(10n);
    expect(acc.result().rows[0]?.buckets.days_0_30).toBe(15n);
  });

  it('is empty with no items', () => {
    expect(ageItems([], AS_OF)).toMatchObject({ rows: [], totals: [], customers: [], itemCount: 0 });
  });

  it('refuses a bad as-of date or due date', () => {
    expect(() => new AgingAccumulator('30/06/2026')).toThrow(/as-of/);
    const acc = new AgingAccumulator(AS_OF);
    expect(() => acc.add({ customerId: 'cus_a', currency: 'SEK', openMinor: 1n, dueDate: '2026-06-31' })).toThrow(
      /due date/,
    );
  });

  it('streams from a generator, keeping one row per customer and currency', () => {
    function* items(): Generator<AgingItem> {
      for (let i = 0; i < 10_000; i++) {
        yield { customerId: `cus_${i % 3}`, currency: i % 2 === 0 ? 'SEK' : 'EUR', openMinor: 1n, dueDate: dueDaysAgo(i % 120) };
      }
    }
    const r = ageItems(items(), AS_OF);
    expect(r.rows).toHaveLength(6);
    expect(r.totals.map((t) => [t.currency, t.totalMinor])).toEqual([
      ['EUR', 5_000n],
      ['SEK', 5_000n],
    ]);
  });

  it('totals equal the sum of rows, rows the sum of items, buckets their row total (property)', () => {
    const item = fc.record({
      customerId: fc.constantFrom('cus_a', 'cus_b', 'cus_c', 'cus_Z'),
      currency: fc.constantFrom('SEK', 'EUR', 'NOK'),
      openMinor: fc.bigInt({ min: -10_000_000_000n, max: 10_000_000_000n }),
      dueDate: fc.integer({ min: -400, max: 400 }).map(dueDaysAgo),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 60 }), (items) => {
        const r = ageItems(items, AS_OF);
        const sum = (xs: (bigint | undefined)[]) => xs.reduce<bigint>((a, b) => a + (b ?? 0n), 0n);

        // rows sorted, unique per (customer, currency)
        const keys = r.rows.map((row) => `${row.customerId}\u0000${row.currency}`);
        expect([...keys].sort()).toEqual(keys);
        expect(new Set(keys).size).toBe(keys.length);

        for (const row of r.rows) {
          expect(sum(AGING_BUCKETS.map((b) => row.buckets[b]))).toBe(row.totalMinor);
          for (const b of AGING_BUCKETS) {
            const expected = sum(
              items
                .filter((i) => i.customerId === row.customerId && i.currency === row.currency)
                .filter((i) => bucketFor(i.dueDate, AS_OF) === b)
                .map((i) => i.openMinor),
            );
            expect(row.buckets[b]).toBe(expected);
          }
        }
        expect(r.totals.map((t) => t.currency)).toEqual([...new Set(items.filter((i) => i.openMinor !== 0n).map((i) => i.currency))].sort());
        for (const t of r.totals) {
          const rows = r.rows.filter((row) => row.currency === t.currency);
          for (const b of AGING_BUCKETS) expect(t.buckets[b]).toBe(sum(rows.map((row) => row.buckets[b])));
          expect(t.totalMinor).toBe(sum(rows.map((row) => row.totalMinor)));
          expect(t.totalMinor).toBe(sum(items.filter((i) => i.currency === t.currency).map((i) => i.openMinor)));
        }
      }),
    );
  });
});

describe('configurable buckets', () => {
  it('30,60,90 makes current, 1-30, 31-60, 61-90 and over 90 days past due', () => {
    const scheme = agingScheme(parseAgingLimits('30, 60,90'));
    expect(scheme.map((b) => b.key)).toEqual(['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90']);
    const at = (days: number) => scheme[bucketIndex(scheme, days)]!.key;
    expect([-10, 0, 1, 30, 31, 60, 61, 90, 91, 5000].map(at)).toEqual([
      'current', 'current', 'days_1_30', 'days_1_30', 'days_31_60', 'days_31_60', 'days_61_90', 'days_61_90', 'days_over_90', 'days_over_90',
    ]);
  });

  it('takes any ascending limits and refuses the rest', () => {
    expect(agingScheme([15]).map((b) => b.key)).toEqual(['current', 'days_1_15', 'days_over_15']);
    expect(() => agingScheme([30, 30])).toThrow(/ascending/);
    expect(() => agingScheme([])).toThrow(/at least one/);
    expect(() => agingScheme([0])).toThrow(/whole days/);
    expect(() => parseAgingLimits('30,x')).toThrow(/'x'/);
    expect(() => parseAgingLimits('30,-5')).toThrow(/'-5'/);
  });

  it('sums document and base amounts per customer, per currency and in total', () => {
    const scheme = agingScheme([30, 60]);
    const r = ageItems(
      [
        { customerId: 'cus_a', currency: 'EUR', openMinor: 100_00n, baseOpenMinor: 1_100_00n, dueDate: dueDaysAgo(0) },
        { customerId: 'cus_a', currency: 'SEK', openMinor: 500_00n, baseOpenMinor: 500_00n, dueDate: dueDaysAgo(45) },
        { customerId: 'cus_b', currency: 'EUR', openMinor: 10_00n, baseOpenMinor: 115_00n, dueDate: dueDaysAgo(61) },
        { customerId: 'cus_b', currency: 'EUR', openMinor: 0n, baseOpenMinor: 0n, dueDate: dueDaysAgo(61) },
      ],
      AS_OF,
      scheme,
    );
    expect(r.bucketKeys).toEqual(['current', 'days_1_30', 'days_31_60', 'days_over_60']);
    expect(r.itemCount).toBe(4);
    expect(r.rows).toEqual([
      {
        customerId: 'cus_a', currency: 'EUR',
        buckets: { current: 100_00n, days_1_30: 0n, days_31_60: 0n, days_over_60: 0n }, totalMinor: 100_00n,
        baseBuckets: { current: 1_100_00n, days_1_30: 0n, days_31_60: 0n, days_over_60: 0n }, baseTotalMinor: 1_100_00n,
      },
      {
        customerId: 'cus_a', currency: 'SEK',
        buckets: { current: 0n, days_1_30: 0n, days_31_60: 500_00n, days_over_60: 0n }, totalMinor: 500_00n,
        baseBuckets: { current: 0n, days_1_30: 0n, days_31_60: 500_00n, days_over_60: 0n }, baseTotalMinor: 500_00n,
      },
      {
        customerId: 'cus_b', currency: 'EUR',
        buckets: { current: 0n, days_1_30: 0n, days_31_60: 0n, days_over_60: 10_00n }, totalMinor: 10_00n,
        baseBuckets: { current: 0n, days_1_30: 0n, days_31_60: 0n, days_over_60: 115_00n }, baseTotalMinor: 115_00n,
      },
    ]);
    expect(r.customers).toEqual([
      { customerId: 'cus_a', buckets: { current: 1_100_00n, days_1_30: 0n, days_31_60: 500_00n, days_over_60: 0n }, totalMinor: 1_600_00n },
      { customerId: 'cus_b', buckets: { current: 0n, days_1_30: 0n, days_31_60: 0n, days_over_60: 115_00n }, totalMinor: 115_00n },
    ]);
    expect(r.totals.map((t) => [t.currency, t.totalMinor, t.baseTotalMinor])).toEqual([
      ['EUR', 110_00n, 1_215_00n],
      ['SEK', 500_00n, 500_00n],
    ]);
    expect(r.baseTotal).toEqual({ buckets: { current: 1_100_00n, days_1_30: 0n, days_31_60: 500_00n, days_over_60: 115_00n }, totalMinor: 1_715_00n });
  });
});
