/**
 * Money: an integer number of minor units (öre, cents) of one currency. Never a float.
 *
 * Currency safety works at two levels:
 * - at runtime every binary operation checks the currencies and throws DomainError('currency_mismatch');
 * - at compile time, when both operands carry distinct literal currencies (Money<'SEK'> and
 *   Money<'EUR'>), the call does not type-check (see currency-safety.typetest.ts). Values whose
 *   currency is only known as `string` (loaded from the database) are checked at runtime only.
 */
import { DomainError, invalid } from '../shared/errors.js';
import { currencyExponent, isKnownCurrency } from './currency.js';
import { splitDecimal } from './quantity.js';

export interface Money<C extends string = string> {
  readonly minor: bigint;
  readonly currency: C;
}

/**
 * Largest magnitude of an amount in minor units: the PostgreSQL bigint range, where amounts are stored.
 * Input above it is rejected; arithmetic itself is exact and unbounded.
 */
export const MAX_MINOR = 9_223_372_036_854_775_807n;

/**
 * Compile-time currency check for the second operand. `string` on either side (currency unknown
 * until runtime) passes; two literal currencies must be identical, otherwise the argument needs a
 * property no Money has, and the compiler reports the mismatch.
 */
export type SameCurrency<A extends string, B extends string> = string extends A
  ? unknown
  : string extends B
    ? unknown
    : [A] extends [B]
      ? [B] extends [A]
        ? unknown
        : { readonly currencyMismatch: [A, B] }
      : { readonly currencyMismatch: [A, B] };

export function money<C extends string>(minor: bigint, currency: C): Money<C> {
  if (typeof minor !== 'bigint') throw new TypeError(`money: minor must be a bigint, got ${typeof minor}`);
  if (!isKnownCurrency(currency)) throw new Error(`money: unknown currency '${String(currency)}'`);
  return Object.freeze({ minor, currency });
}

export function zero<C extends string>(currency: C): Money<C> {
  return money(0n, currency);
}

function assertSameCurrency(a: Money, b: Money, operation: string): void {
  if (a.currency !== b.currency) {
    throw new DomainError('currency_mismatch', `Cannot ${operation} ${b.currency} and ${a.currency}`);
  }
}

export function add<C extends string, D extends string>(a: Money<C>, b: Money<D> & SameCurrency<C, D>): Money<C> {
  assertSameCurrency(a, b, 'add');
  return money(a.minor + b.minor, a.currency);
}

export function subtract<C extends string, D extends string>(a: Money<C>, b: Money<D> & SameCurrency<C, D>): Money<C> {
  assertSameCurrency(a, b, 'subtract');
  return money(a.minor - b.minor, a.currency);
}

export function negate<C extends string>(a: Money<C>): Money<C> {
  return money(-a.minor, a.currency);
}

/** Sum of items, all in `currency`; the sum of no items is zero. */
export function sum<C extends string>(currency: C, items: readonly Money[]): Money<C> {
  let total = 0n;
  for (const item of items) {
    if (item.currency !== currency) {
      throw new DomainError('currency_mismatch', `Cannot sum ${item.currency} into ${currency}`);
    }
    total += item.minor;
  }
  return money(total, currency);
}

export function isZero(a: Money): boolean {
  return a.minor === 0n;
}

export function isNegative(a: Money): boolean {
  return a.minor < 0n;
}

export function isPositive(a: Money): boolean {
  return a.minor > 0n;
}

export function compare<C extends string, D extends string>(a: Money<C>, b: Money<D> & SameCurrency<C, D>): -1 | 0 | 1 {
  assertSameCurrency(a, b, 'compare');
  return a.minor < b.minor ? -1 : a.minor > b.minor ? 1 : 0;
}

export function min<C extends string, D extends string>(a: Money<C>, b: Money<D> & SameCurrency<C, D>): Money<C> {
  assertSameCurrency(a, b, 'compare');
  return b.minor < a.minor ? money(b.minor, a.currency) : a;
}

export function max<C extends string, D extends string>(a: Money<C>, b: Money<D> & SameCurrency<C, D>): Money<C> {
  assertSameCurrency(a, b, 'compare');
  return b.minor > a.minor ? money(b.minor, a.currency) : a;
}

/**
 * Parses an amount given as a decimal string in major units ("1250.00", "-3.5", "100" for JPY).
 * JSON numbers are refused: a float has already lost exactness by the time it arrives.
 * At most as many decimals as the currency has (SEK 2, JPY 0, KWD 3).
 */
export function parseMoney(amount: unknown, currency: string, param: string): Money {
  if (!isKnownCurrency(currency)) throw invalid(param, `unsupported currency "${currency}"`);
  if (typeof amount === 'number') {
    throw invalid(param, `must be a decimal string such as "1250.00", not a JSON number`);
  }
  if (typeof amount !== 'string') {
    throw invalid(param, `must be a decimal string such as "1250.00"`);
  }
  const parts = splitDecimal(amount);
  if ('error' in parts) throw invalid(param, parts.error);
  const exponent = currencyExponent(currency);
  if (parts.fraction.length > exponent) {
    throw invalid(
      param,
      exponent === 0
        ? `must be a whole number: ${currency} has no minor unit`
        : `must have at most ${exponent} decimals for ${currency}, got ${parts.fraction.length}`,
    );
  }
  const magnitude = BigInt(parts.integer + parts.fraction.padEnd(exponent, '0'));
  if (magnitude > MAX_MINOR) throw invalid(param, 'is too large');
  return money(parts.negative ? -magnitude : magnitude, currency);
}

/** The amount in major units with exactly the currency's decimals: "1250.00", "-3.50", "100" (JPY), "1.250" (KWD). */
export function formatAmount(m: Money): string {
  const exponent = currencyExponent(m.currency);
  const negative = m.minor < 0n;
  const digits = (negative ? -m.minor : m.minor).toString().padStart(exponent + 1, '0');
  const integer = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${integer}${exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * Splits `total` into parts proportional to `weights` without losing or inventing a minor unit.
 *
 * Largest-remainder method on the magnitude: each part gets floor(|total| × w / Σw); the units left
 * over (fewer than the number of parts) go one each to the parts with the largest remainders, ties to
 * the earlier index. A negative total is split as its magnitude and negated, so allocation mirrors.
 * A zero weight always gets zero. Weights must be ≥ 0 with at least one > 0.
 */
export function allocate<C extends string>(total: Money<C>, weights: readonly bigint[]): Money<C>[] {
  if (weights.length === 0) throw new Error('allocate: no weights');
  let weightSum = 0n;
  for (const w of weights) {
    if (w < 0n) throw new Error(`allocate: negative weight ${w}`);
    weightSum += w;
  }
  if (weightSum === 0n) throw new Error('allocate: all weights are zero');

  const negative = total.minor < 0n;
  const magnitude = negative ? -total.minor : total.minor;
  const shares = weights.map((w) => (magnitude * w) / weightSum);
  const remainders = weights.map((w) => (magnitude * w) % weightSum);
  let leftover = magnitude - shares.reduce((acc, s) => acc + s, 0n);

  const order = weights.map((_, i) => i);
  order.sort((i, j) => {
    const ri = remainders[i] ?? 0n;
    const rj = remainders[j] ?? 0n;
    if (ri !== rj) return ri > rj ? -1 : 1;
    return i - j;
  });
  // leftover < number of parts with a positive remainder, so zero weights (remainder 0) never get one.
  for (const i of order) {
    if (leftover === 0n) break;
    shares[i] = (shares[i] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return shares.map((s) => money(negative ? -s : s, total.currency));
}
