import { describe, expect, it } from 'vitest';
import { endOfMonth, fiscalYear, fiscalYearOf, isLocked, periodsOf, postingDate } from './fiscal-year.js';

describe('fiscal years', () => {
  it('a calendar fiscal year (start month 1)', () => {
    expect(fiscalYearOf('2026-12-31', 1)).toEqual({ label: 2026, start: '2026-01-01', end: '2026-12-31' });
    expect(fiscalYearOf('2026-01-01', 1)).toEqual({ label: 2026, start: '2026-01-01', end: '2026-12-31' });
  });

  it('a broken fiscal year (July-June) is labelled by the year it starts in', () => {
    expect(fiscalYearOf('2026-06-30', 7)).toEqual({ label: 2025, start: '2025-07-01', end: '2026-06-30' });
    expect(fiscalYearOf('2026-07-01', 7)).toEqual({ label: 2026, start: '2026-07-01', end: '2027-06-30' });
    expect(fiscalYear(2027, 5)).toEqual({ label: 2027, start: '2027-05-01', end: '2028-04-30' });
  });

  it('twelve monthly periods, leap February included', () => {
    const p = periodsOf(fiscalYear(2027, 9));
    expect(p).toHaveLength(12);
    expect(p[0]).toEqual({ month: '2027-09', start: '2027-09-01', end: '2027-09-30' });
    expect(p[5]).toEqual({ month: '2028-02', start: '2028-02-01', end: '2028-02-29' });
    expect(p[11]).toEqual({ month: '2028-08', start: '2028-08-01', end: '2028-08-31' });
  });

  it('end of month', () => {
    expect(endOfMonth('2026-02-10')).toBe('2026-02-28');
    expect(endOfMonth('2028-02-10')).toBe('2028-02-29');
    expect(endOfMonth('2026-12-31')).toBe('2026-12-31');
  });

  it('a late document posts on the first open day; an open date stays', () => {
    expect(postingDate('2026-11-20', '2026-11-30')).toEqual({ entryDate: '2026-12-01', moved: true });
    expect(postingDate('2026-11-30', '2026-11-30')).toEqual({ entryDate: '2026-12-01', moved: true });
    expect(postingDate('2026-12-01', '2026-11-30')).toEqual({ entryDate: '2026-12-01', moved: false });
    expect(postingDate('2026-01-01', null)).toEqual({ entryDate: '2026-01-01', moved: false });
    expect(isLocked('2026-11-30', '2026-11-30')).toBe(true);
    expect(isLocked('2026-12-01', '2026-11-30')).toBe(false);
    expect(isLocked('2026-12-01', null)).toBe(false);
  });

  it('refuses a start month outside 1-12', () => {
    expect(() => fiscalYearOf('2026-01-01', 13)).toThrow(/1-12/);
    expect(() => fiscalYear(2026, 0)).toThrow(/1-12/);
  });
});
