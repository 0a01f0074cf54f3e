import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../shared/dates.js';
import { cashByWeek, isoWeekStart, orderPipeline, weekStarts } from './dashboard.js';

describe('dashboard weeks', () => {
  it('starts ISO weeks on Monday', () => {
    expect(isoWeekStart('2026-12-05')).toBe('2026-11-30'); // a Saturday
    expect(isoWeekStart('2026-11-30')).toBe('2026-11-30'); // a Monday
    expect(isoWeekStart('2026-12-06')).toBe('2026-11-30'); // a Sunday
    expect(isoWeekStart('2027-01-01')).toBe('2026-12-28'); // across the year
    expect(isoWeekStart('1969-12-31')).toBe('1969-12-29'); // before the epoch
  });

  it('every date lies in the week of its Monday', () => {
    fc.assert(
      fc.property(fc.integer({ min: -20000, max: 40000 }), (n) => {
        const d = addDays('1970-01-01', n);
        const monday = isoWeekStart(d);
        const gap = daysBetween(monday, d);
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThan(7);
        expect(isoWeekStart(monday)).toBe(monday);
      }),
    );
  });

  it('lists the weeks oldest first, ending with the current one', () => {
    expect(weekStarts('2026-12-05', 3)).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
    expect(() => weekStarts('2026-12-05', 0)).toThrow(/weeks/);
  });

  it('fills weeks without payments with zero, base currency first', () => {
    const rows = cashByWeek(
      [
        { weekStart: '2026-11-23', currency: 'SEK', count: 2, amountMinor: 150000n },
        { weekStart: '2026-11-30', currency: 'EUR', count: 1, amountMinor: 999n },
      ],
      '2026-12-05',
      2,
      'SEK',
    );
    expect(rows).toEqual([
      { weekStart: '2026-11-23', currency: 'SEK', count: 2, amountMinor: 150000n },
      { weekStart: '2026-11-30', currency: 'SEK', count: 0, amountMinor: 0n },
      { weekStart: '2026-11-23', currency: 'EUR', count: 0, amountMinor: 0n },
      { weekStart: '2026-11-30', currency: 'EUR', count: 1, amountMinor: 999n },
    ]);
  });

  it('refuses sums outside the weeks asked for rather than dropping them', () => {
    expect(() => cashByWeek([{ weekStart: '2026-01-05', currency: 'SEK', count: 1, amountMinor: 1n }], '2026-12-05', 2, 'SEK')).toThrow(/outside/);
  });
});

describe('dashboard pipeline', () => {
  it('orders by the process, then currency', () => {
    const p = orderPipeline([
      { status: 'accepted', currency: 'SEK', count: 1, netMinor: 1n },
      { status: 'sent', currency: 'SEK', count: 1, netMinor: 1n },
      { status: 'draft', currency: 'SEK', count: 1, netMinor: 1n },
      { status: 'draft', currency: 'EUR', count: 1, netMinor: 1n },
    ]);
    expect(p.map((r) => `${r.status}/${r.currency}`)).toEqual(['draft/EUR', 'draft/SEK', 'sent/SEK', 'accepted/SEK']);
  });
});
