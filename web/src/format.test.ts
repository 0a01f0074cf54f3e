import { describe, expect, it } from 'vitest';
import { formatDate, formatDecimal, formatMoney, minorUnits, scaledQuantity, unscaledQuantity } from './format';

/** Intl separates groups and currency with (narrow) no-break spaces; compare with plain ones. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatMoney', () => {
  it('writes Swedish kronor the Swedish way and English with the code', () => {
    expect(plain(formatMoney({ amount: '1234.50', currency: 'SEK' }, 'sv'))).toBe('1 234,50 kr');
    expect(plain(formatMoney({ amount: '1234.50', currency: 'SEK' }, 'en'))).toBe('SEK 1,234.50');
    expect(plain(formatMoney({ amount: '0.00', currency: 'SEK' }, 'sv'))).toBe('0,00 kr');
    expect(plain(formatMoney({ amount: '99.9', currency: 'EUR' }, 'sv'))).toBe('99,90 EUR');
  });

  it('keeps every digit of amounts a float cannot hold', () => {
    // 2^53 + 1 öre: a float would print …992 or …993
    expect(plain(formatMoney({ amount: '90071992547409.93', currency: 'SEK' }, 'en'))).toBe('SEK 90,071,992,547,409.93');
    expect(plain(formatMoney({ amount: '12345678901234567890.01', currency: 'SEK' }, 'sv'))).toBe('12 345 678 901 234 567 890,01 kr');
    // 0.1 + 0.2 style fractions stay exact
    expect(plain(formatMoney({ amount: '0.30', currency: 'SEK' }, 'en'))).toBe('SEK 0.30');
  });

  it('puts the minus where the locale puts it, and never shows -0', () => {
    expect(plain(formatMoney({ amount: '-1234.50', currency: 'SEK' }, 'sv'))).toBe('\u22121 234,50 kr');
    expect(plain(formatMoney({ amount: '-0.50', currency: 'SEK' }, 'en'))).toBe('-SEK 0.50');
    expect(plain(formatMoney({ amount: '-0.00', currency: 'SEK' }, 'sv'))).toBe('0,00 kr');
  });

  it('uses the currency\'s own number of decimals', () => {
    expect(plain(formatMoney({ amount: '1500', currency: 'JPY' }, 'en'))).toBe('JPY 1,500');
  });

  it('refuses what is not a decimal string', () => {
    expect(() => formatMoney({ amount: '1e3', currency: 'SEK' }, 'sv')).toThrow(/Not a decimal/);
    expect(() => formatMoney({ amount: '', currency: 'SEK' }, 'sv')).toThrow(/Not a decimal/);
  });
});

describe('formatDecimal, formatDate and minorUnits', () => {
  it('formats decimal strings and numbers in the locale', () => {
    expect(plain(formatDecimal('12345.5', 'sv'))).toBe('12 345,5');
    expect(formatDecimal('12345.5', 'en')).toBe('12,345.5');
    expect(formatDecimal('-3', 'en')).toBe('-3');
    expect(formatDecimal(42, 'sv')).toBe('42');
  });

  it('formats a calendar date without shifting it a day', () => {
    expect(plain(formatDate('2026-12-05', 'sv'))).toBe('5 dec. 2026');
    expect(formatDate('2026-01-31', 'en')).toBe('31 Jan 2026');
  });

  it('turns amounts into exact minor units', () => {
    expect(minorUnits('1234.50')).toBe(123450n);
    expect(minorUnits('-0.05')).toBe(-5n);
    expect(minorUnits('7')).toBe(700n);
    expect(() => minorUnits('1.234')).toThrow(/more than 2 decimals/);
  });

  it('scales quantities to integers and back without floats', () => {
    expect(scaledQuantity('12.5')).toBe(125000n);
    expect(scaledQuantity('-0.0001')).toBe(-1n);
    expect(scaledQuantity('3')).toBe(30000n);
    expect(unscaledQuantity(125000n)).toBe('12.5');
    expect(unscaledQuantity(30000n)).toBe('3');
    expect(unscaledQuantity(-1n)).toBe('-0.0001');
    expect(unscaledQuantity(scaledQuantity('12.0000') - scaledQuantity('4.25'))).toBe('7.75');
  });
});
