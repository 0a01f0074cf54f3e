/**
 * Exchange rates and conversion between currencies, exact.
 *
 * A rate says how many units (major) of `quote` one unit (major) of `base` buys: EUR→SEK 11.4325
 * means 1 EUR = 11.4325 SEK. It is an exact decimal with at most RATE_DIGITS fraction digits, held as
 * a scaled bigint, never a float. Converting an amount multiplies exactly and rounds once, by the
 * named policy FX_ROUNDING (half up, ties away from zero), at the target currency's minor unit.
 *
 * Converting the parts of a document separately can leave the converted parts an öre off the
 * converted whole. convertParts converts the whole once and allocates it over the parts (largest
 * remainder, by their original amounts), so the parts always sum to the converted whole: this is how
 * a journal entry stays balanced after conversion.
 */
import { allocate, money, type Money } from './money.js';
import { currencyExponent } from './currency.js';
import { splitDecimal } from './quantity.js';
import { divRound, type RoundingMode } from './rounding.js';
import { invalid } from '../shared/errors.js';

/** Fraction digits a rate may have (Riksbanken publishes 4, ECB up to 5 significant digits; 10 leaves room). */
export const RATE_DIGITS = 10;
export const RATE_SCALE = 10n ** BigInt(RATE_DIGITS);

/** Rounding of a converted amount to the target currency's minor unit. */
export const FX_ROUNDING: RoundingMode = 'half_up';

export interface ExchangeRate {
  /** The currency converted from (ISO 4217). */
  readonly base: string;
  /** The currency converted to (ISO 4217), usually the tenant's functional currency. */
  readonly quote: string;
  /** Units of quote per one unit of base, × RATE_SCALE. Always > 0. */
  readonly scaled: bigint;
}

/** The identity rate of a currency to itself. */
export const identityRate = (currency: string): ExchangeRate => ({ base: currency, quote: currency, scaled: RATE_SCALE });

/**
 * Parses a rate written as a plain decimal string ("11.4325"), > 0, at most RATE_DIGITS fraction
 * digits. Refusals name `param`.
 */
export function parseRate(value: unknown, param: string): bigint {
  if (typeof value !== 'string') throw invalid(param, 'must be a decimal string such as "11.4325"');
  const parts = splitDecimal(value);
  if ('error' in parts) throw invalid(param, parts.error);
  if (parts.negative) throw invalid(param, 'must be greater than zero');
  if (parts.fraction.length > RATE_DIGITS) throw invalid(param, `must have at most ${RATE_DIGITS} decimals`);
  const scaled = BigInt(parts.integer + parts.fraction.padEnd(RATE_DIGITS, '0'));
  if (scaled <= 0n) throw invalid(param, 'must be greater than zero');
  if (scaled >= 10n ** 18n) throw invalid(param, 'is too large');
  return scaled;
}

/** The rate as a plain decimal string without trailing zeros ("11.4325", "1"). */
export function formatRate(scaled: bigint): string {
  const s = scaled.toString().padStart(RATE_DIGITS + 1, '0');
  const int = s.slice(0, -RATE_DIGITS);
  const frac = s.slice(-RATE_DIGITS).replace(/0+$/, '');
  return frac === '' ? int : `${int}.${frac}`;
}

/** Converts `amount` (in rate.base) to rate.quote, rounded once by FX_ROUNDING. */
export function convert(amount: Money, rate: ExchangeRate): Money {
  if (amount.currency !== rate.base) throw new Error(`convert: amount in ${amount.currency}, rate from ${rate.base}`);
  if (rate.base === rate.quote && rate.scaled === RATE_SCALE) return money(amount.minor, rate.quote);
  const eFrom = BigInt(currencyExponent(rate.base));
  const eTo = BigInt(currencyExponent(rate.quote));
  const numerator = amount.minor * rate.scaled * 10n ** eTo;
  const denominator = RATE_SCALE * 10n ** eFrom;
  return money(divRound(numerator, denominator, FX_ROUNDING), rate.quote);
}

/**
 * Converts a whole and its parts: the whole is converted once (convert), and the parts get that
 * amount allocated by their own amounts, so Σ converted parts = converted whole exactly. Parts must
 * be ≥ 0 and sum to the whole.
 */
export function convertParts(whole: Money, parts: readonly Money[], rate: ExchangeRate): { whole: Money; parts: Money[] } {
  const converted = convert(whole, rate);
  if (parts.length === 0) return { whole: converted, parts: [] };
  let sum = 0n;
  for (const p of parts) {
    if (p.currency !== whole.currency) throw new Error('convertParts: parts in another currency than the whole');
    if (p.minor < 0n) throw new Error('convertParts: negative part');
    sum += p.minor;
  }
  if (sum !== whole.minor) throw new Error(`convertParts: parts sum to ${sum}, the whole is ${whole.minor}`);
  if (whole.minor === 0n) return { whole: converted, parts: parts.map(() => money(0n, rate.quote)) };
  return { whole: converted, parts: allocate(converted, parts.map((p) => p.minor)) };
}
