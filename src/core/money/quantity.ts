/**
 * Exact decimals with four fraction digits (quantities, percentages), stored as bigint
 * ten-thousandths: 2.5 is { scaled: 25000n }. Matches the database column type numeric(18,4).
 * No floats anywhere: JSON numbers are accepted only through their exact decimal string form.
 */
import { invalid } from '../shared/errors.js';

export interface Decimal4 {
  readonly scaled: bigint;
}
export type Quantity = Decimal4;
export type Percent = Decimal4;

export const DECIMAL4_SCALE = 10_000n;
export const DECIMAL4_DIGITS = 4;

/** Largest quantity accepted from input: 14 integer digits, the limit of numeric(18,4). */
export const MAX_QUANTITY: Quantity = Object.freeze({ scaled: 99_999_999_999_999n * DECIMAL4_SCALE });
export const HUNDRED_PERCENT: Percent = Object.freeze({ scaled: 100n * DECIMAL4_SCALE });
export const ZERO_D: Decimal4 = Object.freeze({ scaled: 0n });

/** Longest decimal string looked at; anything longer is rejected before any parsing work. */
const MAX_DECIMAL_STRING_LENGTH = 64;

export interface DecimalParts {
  readonly negative: boolean;
  /** integer digits, no leading zeros except a lone "0" */
  readonly integer: string;
  /** fraction digits as written (possibly empty) */
  readonly fraction: string;
}

const DECIMAL = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Splits a plain decimal string ("-1250.50") into sign, integer and fraction digits, or returns a
 * message saying what is wrong with it. Grammar: optional '-', digits without leading zeros,
 * optionally '.' and at least one digit. No '+', exponent, spaces, separators, or bare '.'.
 */
export function splitDecimal(s: string): DecimalParts | { readonly error: string } {
  if (s.length === 0) return { error: 'must not be empty' };
  if (s.length > MAX_DECIMAL_STRING_LENGTH) return { error: `must be at most ${MAX_DECIMAL_STRING_LENGTH} characters` };
  const m = DECIMAL.exec(s);
  if (m !== null) {
    return { negative: m[1] === '-', integer: m[2] ?? '0', fraction: m[3] ?? '' };
  }
  if (/\s/.test(s)) return { error: 'must not contain spaces' };
  if (s.startsWith('+')) return { error: "must not have a '+' sign" };
  if (/[eE]/.test(s)) return { error: 'must be written without exponent notation' };
  if (s.includes(',')) return { error: "must use '.' as the decimal separator and no thousands separators" };
  if (/^-?\./.test(s)) return { error: "must have a digit before the decimal point (write '0.5', not '.5')" };
  if (s.endsWith('.')) return { error: 'must have at least one digit after the decimal point' };
  if (/^-?0[0-9]/.test(s)) return { error: 'must not have leading zeros' };
  return { error: 'must be a plain decimal number such as "12.5"' };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Untrusted input (string or JSON number) → Decimal4, or a message. No range checks here. */
function parseDecimal4Input(value: unknown): Decimal4 | string {
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'must be a finite number';
    // String(n) is the shortest decimal that round-trips; accept it only if it is plain decimal.
    text = String(value);
    if (/[eE]/.test(text)) return `must be given as a decimal string (the number ${text} is in exponent notation)`;
  } else {
    return `must be a decimal string such as "2.5", not ${describe(value)}`;
  }
  const parts = splitDecimal(text);
  if ('error' in parts) return parts.error;
  if (parts.fraction.length > DECIMAL4_DIGITS) return `must have at most ${DECIMAL4_DIGITS} decimals`;
  return fromParts(parts);
}

function fromParts(parts: DecimalParts): Decimal4 {
  const magnitude = BigInt(parts.integer + parts.fraction.padEnd(DECIMAL4_DIGITS, '0'));
  return Object.freeze({ scaled: parts.negative ? -magnitude : magnitude });
}

/** A quantity from input: decimal string or plain JSON number, at most 4 decimals, 0 < q ≤ 99999999999999. */
export function parseQuantity(value: unknown, param: string): Quantity {
  const d = parseDecimal4Input(value);
  if (typeof d === 'string') throw invalid(param, d);
  if (d.scaled <= 0n) throw invalid(param, 'must be greater than 0');
  if (d.scaled > MAX_QUANTITY.scaled) throw invalid(param, `must be at most ${formatDecimal4(MAX_QUANTITY)}`);
  return d;
}

/** A percentage from input (e.g. a discount): same syntax as a quantity, 0 ≤ p ≤ 100. */
export function parsePercent(value: unknown, param: string): Percent {
  const d = parseDecimal4Input(value);
  if (typeof d === 'string') throw invalid(param, d);
  if (d.scaled < 0n) throw invalid(param, 'must not be negative');
  if (d.scaled > HUNDRED_PERCENT.scaled) throw invalid(param, 'must be at most 100');
  return d;
}

/** A Decimal4 from a trusted literal ("2.5", "-1.25"); throws Error if malformed. */
export function decimal4(s: string): Decimal4 {
  const parts = splitDecimal(s);
  if ('error' in parts) throw new Error(`malformed decimal '${s}': ${parts.error}`);
  if (parts.fraction.length > DECIMAL4_DIGITS) throw new Error(`malformed decimal '${s}': more than ${DECIMAL4_DIGITS} decimals`);
  return fromParts(parts);
}

function digits(d: Decimal4): { sign: string; integer: string; fraction: string } {
  const negative = d.scaled < 0n;
  const magnitude = negative ? -d.scaled : d.scaled;
  return {
    sign: negative ? '-' : '',
    integer: (magnitude / DECIMAL4_SCALE).toString(),
    fraction: (magnitude % DECIMAL4_SCALE).toString().padStart(DECIMAL4_DIGITS, '0'),
  };
}

/** Canonical text: trailing zeros trimmed, no trailing point ("2.5", "3", "0.0001", "-1.25"). */
export function formatDecimal4(d: Decimal4): string {
  const { sign, integer, fraction } = digits(d);
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${sign}${integer}` : `${sign}${integer}.${trimmed}`;
}

/** Text for a numeric(18,4) column: exactly four decimals ("2.5000"). */
export function toDb(d: Decimal4): string {
  const { sign, integer, fraction } = digits(d);
  return `${sign}${integer}.${fraction}`;
}

/**
 * Parses PostgreSQL numeric text ("2.5000", "2.5", "3", "-0.2500"). Extra fraction digits are
 * accepted only when they are zeros (an unconstrained numeric may print "2.50000000"); anything that
 * would lose precision throws.
 */
export function fromDb(s: string): Decimal4 {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(s);
  if (m === null) throw new Error(`malformed numeric from database: '${s.slice(0, 40)}'`);
  const fraction = m[3] ?? '';
  const kept = fraction.slice(0, DECIMAL4_DIGITS);
  if (/[^0]/.test(fraction.slice(DECIMAL4_DIGITS))) {
    throw new Error(`numeric from database has more than ${DECIMAL4_DIGITS} significant decimals: '${s.slice(0, 40)}'`);
  }
  const magnitude = BigInt((m[2] ?? '0') + kept.padEnd(DECIMAL4_DIGITS, '0'));
  return Object.freeze({ scaled: m[1] === '-' ? -magnitude : magnitude });
}

export function addD(a: Decimal4, b: Decimal4): Decimal4 {
  return Object.freeze({ scaled: a.scaled + b.scaled });
}

export function subD(a: Decimal4, b: Decimal4): Decimal4 {
  return Object.freeze({ scaled: a.scaled - b.scaled });
}

export function compareD(a: Decimal4, b: Decimal4): -1 | 0 | 1 {
  return a.scaled < b.scaled ? -1 : a.scaled > b.scaled ? 1 : 0;
}

export function isZeroD(d: Decimal4): boolean {
  return d.scaled === 0n;
}

export function minD(a: Decimal4, b: Decimal4): Decimal4 {
  return b.scaled < a.scaled ? b : a;
}
