import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import { formatDecimal4 } from '../money/quantity.js';
import {
  SWEDISH_VAT_RATES,
  SWEDISH_VAT_TABLE_START,
  TAX_CLASSES,
  VAT_CATEGORIES,
  parseTaxClass,
  resolveSwedishVat,
  resolveVat,
} from './vat.js';
import type { TaxClass, VatRateRow } from './vat.js';

const vat = (taxClass: TaxClass, date: string): string => {
  const r = resolveSwedishVat(taxClass, date);
  return `${formatDecimal4(r.rate)} ${r.category}`;
};

describe('categories and classes', () => {
  it('lists the UNCL5305 categories used by EN 16931 and the tax classes', () => {
    expect(VAT_CATEGORIES).toEqual(['S', 'Z', 'E', 'AE', 'K', 'G', 'O']);
    expect(TAX_CLASSES).toEqual(['standard', 'reduced_12', 'food', 'reduced_6', 'zero', 'exempt']);
  });

  it('parseTaxClass accepts the classes and rejects anything else with validation_failed', () => {
    for (const c of TAX_CLASSES) expect(parseTaxClass(c, 'tax_class')).toBe(c);
    for (const bad of ['Standard', 'reduced', '', 25, null, undefined, 'toString']) {
      let caught: unknown;
      try {
        parseTaxClass(bad, 'products.0.tax_class');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).code).toBe('validation_failed');
      expect((caught as DomainError).param).toBe('products.0.tax_class');
      expect((caught as DomainError).message).toMatch(/standard, reduced_12, food/);
    }
  });
});

describe('resolveSwedishVat', () => {
  it('standard, reduced and zero/exempt rates', () => {
    expect(vat('standard', '2026-06-15')).toBe('25 S');
    expect(vat('reduced_12', '2026-06-15')).toBe('12 S');
    expect(vat('reduced_6', '2026-06-15')).toBe('6 S');
    expect(vat('zero', '2026-06-15')).toBe('0 Z');
    expect(vat('exempt', '2026-06-15')).toBe('0 E');
  });

  it('food: 12 % until 2026-03-31, 6 % from 2026-04-01', () => {
    expect(vat('food', '2025-12-31')).toBe('12 S');
    expect(vat('food', '2026-03-31')).toBe('12 S');
    expect(vat('food', '2026-04-01')).toBe('6 S');
    expect(vat('food', '2026-04-02')).toBe('6 S');
  });

  it('food: 6 % until 2027-12-31, 12 % again from 2028-01-01', () => {
    expect(vat('food', '2027-06-30')).toBe('6 S');
    expect(vat('food', '2027-12-31')).toBe('6 S');
    expect(vat('food', '2028-01-01')).toBe('12 S');
    expect(vat('food', '2035-01-01')).toBe('12 S');
  });

  it('other classes do not move at the food boundaries', () => {
    for (const date of ['2026-03-31', '2026-04-01', '2027-12-31', '2028-01-01']) {
      expect(vat('standard', date)).toBe('25 S');
      expect(vat('reduced_12', date)).toBe('12 S');
      expect(vat('reduced_6', date)).toBe('6 S');
    }
  });

  it('throws for dates before the table starts, and for malformed dates', () => {
    expect(vat('standard', SWEDISH_VAT_TABLE_START)).toBe('25 S');
    expect(() => resolveSwedishVat('standard', '2011-12-31')).toThrow(/no VAT rate for tax class 'standard' on 2011-12-31/);
    expect(() => resolveSwedishVat('food', '2026-4-1')).toThrow(/YYYY-MM-DD/);
    expect(() => resolveSwedishVat('food', '2026-04-01T00:00:00Z')).toThrow(/YYYY-MM-DD/);
    expect(() => resolveSwedishVat('food', '20260401')).toThrow(/YYYY-MM-DD/);
    expect(() => resolveSwedishVat('food', '')).toThrow(/YYYY-MM-DD/);
  });
});

describe('the Swedish table as data', () => {
  it('every class is covered without gaps or overlaps from the start date on', () => {
    for (const taxClass of TAX_CLASSES) {
      const rows = SWEDISH_VAT_RATES.filter((r) => r.taxClass === taxClass).sort((a, b) =>
        a.validFrom < b.validFrom ? -1 : 1,
      );
      expect(rows[0]?.validFrom).toBe(SWEDISH_VAT_TABLE_START);
      expect(rows.at(-1)?.validTo).toBeNull();
      for (let i = 1; i < rows.length; i++) {
        const prev = rows[i - 1];
        const cur = rows[i];
        if (prev === undefined || cur === undefined) throw new Error('unreachable');
        expect(prev.validTo).not.toBeNull();
        // the next row starts the day after the previous one ends
        const end = new Date(`${prev.validTo}T00:00:00Z`);
        end.setUTCDate(end.getUTCDate() + 1);
        expect(end.toISOString().slice(0, 10)).toBe(cur.validFrom);
      }
    }
  });

  it('categories fit rates: S is positive, Z and E are zero', () => {
    for (const row of SWEDISH_VAT_RATES) {
      if (row.category === 'S') expect(row.rate.scaled > 0n).toBe(true);
      else expect(row.rate.scaled).toBe(0n);
    }
  });

  it('resolveVat refuses an overlapping table rather than pick a row', () => {
    const rate = SWEDISH_VAT_RATES[0]?.rate;
    if (rate === undefined) throw new Error('empty table');
    const bad: VatRateRow[] = [
      { taxClass: 'standard', rate, category: 'S', validFrom: '2020-01-01', validTo: null },
      { taxClass: 'standard', rate, category: 'S', validFrom: '2025-01-01', validTo: '2025-12-31' },
    ];
    expect(resolveVat(bad, 'standard', '2024-06-01').category).toBe('S');
    expect(() => resolveVat(bad, 'standard', '2025-06-01')).toThrow(/overlapping/);
  });
});
