import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import { KNOWN_CURRENCIES, currencyExponent, isKnownCurrency, parseCurrency } from './currency.js';

describe('currencyExponent', () => {
  it.each([
    ['SEK', 2], ['EUR', 2], ['USD', 2], ['GBP', 2], ['NOK', 2], ['DKK', 2], ['CHF', 2], ['PLN', 2],
    ['CZK', 2], ['HUF', 2], ['CAD', 2], ['AUD', 2], ['NZD', 2], ['CNY', 2], ['INR', 2],
    ['ISK', 0], ['JPY', 0], ['KRW', 0],
    ['KWD', 3], ['BHD', 3], ['JOD', 3], ['OMR', 3], ['TND', 3],
  ] as const)('%s has %i decimals', (code, exponent) => {
    expect(currencyExponent(code)).toBe(exponent);
    expect(isKnownCurrency(code)).toBe(true);
  });

  it('throws for unknown or wrongly cased codes instead of defaulting', () => {
    expect(() => currencyExponent('XXX')).toThrow(/unknown currency 'XXX'/);
    expect(() => currencyExponent('sek')).toThrow(/unknown currency/);
    expect(() => currencyExponent('')).toThrow(/unknown currency/);
    expect(isKnownCurrency('sek')).toBe(false);
    expect(isKnownCurrency('ABC')).toBe(false);
  });

  it('lists known currencies sorted, each a 3-letter code with a 0–3 exponent', () => {
    expect([...KNOWN_CURRENCIES].sort()).toEqual(KNOWN_CURRENCIES);
    for (const code of KNOWN_CURRENCIES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3]).toContain(currencyExponent(code));
    }
  });
});

describe('parseCurrency', () => {
  it('accepts known upper-case codes', () => {
    expect(parseCurrency('SEK', 'currency')).toBe('SEK');
    expect(parseCurrency('KWD', 'currency')).toBe('KWD');
  });

  it.each([
    ['sek', /upper-case/],
    ['SEKK', /3-letter/],
    [' SEK', /3-letter/],
    ['', /3-letter/],
    ['XYZ', /unsupported currency "XYZ"/],
    [42, /currency code string/],
    [null, /currency code string/],
    [undefined, /currency code string/],
  ])('rejects %j', (value, message) => {
    let caught: unknown;
    try {
      parseCurrency(value, 'invoice.currency');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const err = caught as DomainError;
    expect(err.code).toBe('validation_failed');
    expect(err.param).toBe('invoice.currency');
    expect(err.message).toMatch(message);
  });
});
