import { describe, expect, it } from 'vitest';
import { computeKpis, openingDate, ratio, stageStats } from './kpis.js';

const at = (date: string, time = '10:00:00Z') => new Date(`${date}T${time}`);
const noAr = { currency: 'SEK', openingArMinor: 0n, closingArMinor: 0n, closingCurrentArMinor: 0n, creditSalesMinor: 0n };
const period = { from: '2026-11-01', to: '2026-11-30', timeZone: 'Europe/Stockholm' };

describe('ratio', () => {
  it('rounds half up to the decimals asked', () => {
    expect(ratio(200n, 3n)).toBe('66.67');
    expect(ratio(1n, 8n)).toBe('0.13'); // 0.125
    expect(ratio(-1n, 8n)).toBe('-0.13');
    expect(ratio(150_000n, 9_000n)).toBe('16.67');
    expect(ratio(5n, 2n, 1)).toBe('2.5');
    expect(ratio(0n, 7n)).toBe('0.00');
    expect(() => ratio(1n, 0n)).toThrow(/zero/);
  });
});

describe('stageStats', () => {
  it('count, mean, exact median (integer or half), min, max', () => {
    expect(stageStats([5, 2, 6])).toEqual({ count: 3, averageDays: '4.33', medianDays: '5', minDays: 2, maxDays: 6 });
    expect(stageStats([11, 14])).toEqual({ count: 2, averageDays: '12.50', medianDays: '12.5', minDays: 11, maxDays: 14 });
    expect(stageStats([0, 0, 3, 9])).toEqual({ count: 4, averageDays: '3.00', medianDays: '1.5', minDays: 0, maxDays: 9 });
    expect(stageStats([])).toEqual({ count: 0, averageDays: null, medianDays: null, minDays: null, maxDays: null });
    expect(() => stageStats([1.5])).toThrow(/whole/);
  });
});

describe('computeKpis', () => {
  it('counts the quote cohort by first sending and its outcome at the end of the period', () => {
    const k = computeKpis(period, {
      quotes: [
        { rootId: 'a', firstSentAt: at('2026-10-31'), acceptedAt: at('2026-11-02'), declinedAt: null, expiredAt: null }, // before the period
        { rootId: 'b', firstSentAt: at('2026-11-03'), acceptedAt: at('2026-11-05'), declinedAt: null, expiredAt: null },
        { rootId: 'c', firstSentAt: at('2026-11-04'), acceptedAt: null, declinedAt: at('2026-11-08'), expiredAt: null },
        { rootId: 'd', firstSentAt: at('2026-11-04'), acceptedAt: null, declinedAt: null, expiredAt: at('2026-11-20') },
        { rootId: 'e', firstSentAt: at('2026-11-30'), acceptedAt: at('2026-12-01'), declinedAt: null, expiredAt: null }, // accepted after
        // sent 2026-10-31T23:30Z = 2026-11-01 00:30 in Stockholm: in the period
        { rootId: 'f', firstSentAt: at('2026-10-31', '23:30:00Z'), acceptedAt: null, declinedAt: null, expiredAt: null },
        { rootId: 'g', firstSentAt: null, acceptedAt: null, declinedAt: null, expiredAt: null },
      ],
      orders: [], invoices: [], receivables: noAr,
    });
    expect(k.quotes).toEqual({ sent: 5, accepted: 1, declined: 1, expired: 1, open: 2, winRateOfDecidedPercent: '33.33', conversionRateOfSentPercent: '20.00' });
  });

  it('measures each stage in calendar days, counted in the period where it ends', () => {
    const k = computeKpis(period, {
      quotes: [],
      orders: [
        { orderId: 'o1', quoteFirstSentAt: at('2026-10-28'), acceptedAt: at('2026-11-02'), firstDeliveredAt: at('2026-11-06'), firstInvoicedOn: '2026-11-09' },
        { orderId: 'o2', quoteFirstSentAt: at('2026-09-01'), acceptedAt: at('2026-10-30'), firstDeliveredAt: at('2026-12-01'), firstInvoicedOn: null },
      ],
      invoices: [
        { invoiceId: 'i1', issueDate: '2026-11-09', paidOn: '2026-11-20' },
        { invoiceId: 'i2', issueDate: '2026-10-01', paidOn: '2026-11-01' },
        { invoiceId: 'i3', issueDate: '2026-11-10', paidOn: null },
      ],
      receivables: noAr,
    });
    expect(k.stages.sentToAccepted).toMatchObject({ count: 1, medianDays: '5' });
    expect(k.stages.acceptedToDelivered).toMatchObject({ count: 1, medianDays: '4' });
    expect(k.stages.deliveredToInvoiced).toMatchObject({ count: 1, medianDays: '3' });
    expect(k.stages.issuedToPaid).toEqual({ count: 2, averageDays: '21.00', medianDays: '21', minDays: 11, maxDays: 31 });
  });

  it('DSO (period-end) and CEI from the receivables', () => {
    const k = computeKpis(period, {
      quotes: [], orders: [], invoices: [],
      receivables: { currency: 'SEK', openingArMinor: 100_000n, closingArMinor: 500_000n, closingCurrentArMinor: 400_000n, creditSalesMinor: 900_000n },
    });
    expect(k.receivables).toMatchObject({ days: 30, dsoDays: '16.67', ceiPercent: '83.33' });
    const none = computeKpis(period, { quotes: [], orders: [], invoices: [], receivables: noAr });
    expect([none.receivables.dsoDays, none.receivables.ceiPercent, none.quotes.winRateOfDecidedPercent]).toEqual([null, null, null]);
  });

  it('opening balances are those of the day before', () => {
    expect(openingDate('2026-11-01')).toBe('2026-10-31');
    expect(openingDate('2027-01-01')).toBe('2026-12-31');
  });
});
