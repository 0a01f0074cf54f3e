/**
 * ISO 4217 currencies and their minor-unit exponents (the number of decimals of the minor unit).
 * Money is stored as an integer count of minor units; the exponent says where the decimal point goes.
 * The list is deliberately finite: an unknown code is an error, never a silent default of 2.
 */
import { invalid } from '../shared/errors.js';

/** ISO 4217 "minor unit" column for the currencies q2c supports. */
const EXPONENTS: ReadonlyMap<string, number> = new Map<string, number>([
  // Nordics and Europe
  ['SEK', 2],
  ['EUR', 2],
  ['NOK', 2],
  ['DKK', 2],
  ['ISK', 0],
  ['GBP', 2],
  ['CHF', 2],
  ['PLN', 2],
  ['CZK', 2],
  ['HUF', 2],
  ['RON', 2],
  ['BGN', 2],
  ['TRY', 2],
  // Americas
  ['USD', 2],
  ['CAD', 2],
  ['MXN', 2],
  ['BRL', 2],
  // Asia-Pacific
  ['JPY', 0],
  ['KRW', 0],
  ['CNY', 2],
  ['INR', 2],
  ['SGD', 2],
  ['HKD', 2],
  ['AUD', 2],
  ['NZD', 2],
  // Middle East / Africa
  ['AED', 2],
  ['SAR', 2],
  ['ILS', 2],
  ['ZAR', 2],
  ['KWD', 3],
  ['BHD', 3],
  ['JOD', 3],
  ['OMR', 3],
  ['TND', 3],
]);

/** All supported currency codes, sorted. */
export const KNOWN_CURRENCIES: readonly string[] = [...EXPONENTS.keys()].sort();

export function isKnownCurrency(code: string): boolean {
  return EXPONENTS.has(code);
}

/** Minor-unit exponent of a supported currency (SEK → 2, JPY → 0, KWD → 3). Throws for unknown codes. */
export function currencyExponent(code: string): number {
  const exponent = EXPONENTS.get(code);
  if (exponent === undefined) throw new Error(`unknown currency '${code}'`);
  return exponent;
}

/** Validates untrusted input as a supported, upper-case ISO 4217 code. */
export function parseCurrency(value: unknown, param: string): string {
  if (typeof value !== 'string') {
    throw invalid(param, 'must be a currency code string such as "SEK"');
  }
  if (!/^[A-Z]{3}$/.test(value)) {
    throw invalid(param, `must be a 3-letter upper-case ISO 4217 currency code such as "SEK", got "${value.slice(0, 20)}"`);
  }
  if (!isKnownCurrency(value)) {
    throw invalid(param, `unsupported currency "${value}"`);
  }
  return value;
}
