/**
 * Integer division with an explicit rounding mode, one function per mode.
 *
 * All money and quantity arithmetic in core is exact bigint arithmetic; the only place a value is
 * rounded is an explicit call to one of these functions, so every rounding is visible and named.
 * Each function takes the exact rational `numerator / denominator` and returns an integer.
 * Signs of both arguments are handled: the result depends only on the value of the fraction.
 */

import { assertUnreachable } from '../shared/errors.js';

export type RoundingMode = 'half_up' | 'half_even' | 'down';

export const ROUNDING_MODES: readonly RoundingMode[] = ['half_up', 'half_even', 'down'];

interface Parts {
  /** quotient truncated toward zero */
  readonly q: bigint;
  /** |remainder|, in [0, d) */
  readonly r: bigint;
  /** positive denominator */
  readonly d: bigint;
  /** -1n or 1n: sign of the exact fraction (1n when it is zero) */
  readonly sign: bigint;
}

function split(numerator: bigint, denominator: bigint): Parts {
  if (denominator === 0n) throw new RangeError('division by zero');
  // Normalise so the denominator is positive; the fraction's value is unchanged.
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = n / d; // bigint division truncates toward zero
  const rem = n % d; // has the sign of n
  return { q, r: rem < 0n ? -rem : rem, d, sign: n < 0n ? -1n : 1n };
}

/** Toward zero (truncation). roundDown(7, 2) = 3, roundDown(-7, 2) = -3. */
export function roundDown(numerator: bigint, denominator: bigint): bigint {
  return split(numerator, denominator).q;
}

/** To nearest; ties away from zero (commercial rounding). 2.5 → 3, -2.5 → -3. */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const { q, r, d, sign } = split(numerator, denominator);
  return 2n * r >= d ? q + sign : q;
}

/** To nearest; ties to the even neighbour (banker's rounding). 2.5 → 2, 3.5 → 4, -2.5 → -2. */
export function roundHalfEven(numerator: bigint, denominator: bigint): bigint {
  const { q, r, d, sign } = split(numerator, denominator);
  const twice = 2n * r;
  if (twice > d) return q + sign;
  if (twice < d) return q;
  return q % 2n === 0n ? q : q + sign;
}

export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  switch (mode) {
    case 'half_up':
      return roundHalfUp(numerator, denominator);
    case 'half_even':
      return roundHalfEven(numerator, denominator);
    case 'down':
      return roundDown(numerator, denominator);
    default:
      return assertUnreachable(mode);
  }
}
