import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AGING_BUCKETS, AgingAccumulator, ageItems, bucketFor, type AgingBucket, type AgingItem } from './aging.js';
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
    expect(r.rows).toEqual([
      { customerId: 'cus_a', currency: 'EUR', buckets: { ...zero(), days_over_90: 7n }, totalMinor: 7n },
      { customerId: 'cus_a', currency: 'SEK', buckets: { ...zero(), days_0_30: 1n, days_31_60: 250n }, totalMinor: 251n },
      { customerId: 'cus_b', currency: 'SEK', buckets: { ...zero(), not_due: 100n }, totalMinor: 100n },
    ]);
    expect(r.totals).toEqual([
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
    expect(ageItems([], AS_OF)).toEqual({ rows: [], totals: [] });
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
        const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);

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
