import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { divRound, roundDown, roundHalfEven, roundHalfUp } from './rounding.js';

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

describe('rounding: examples', () => {
  // [numerator, denominator, half_up, half_even, down]
  const cases: [bigint, bigint, bigint, bigint, bigint][] = [
    [0n, 7n, 0n, 0n, 0n],
    [6n, 3n, 2n, 2n, 2n],
    [7n, 2n, 4n, 4n, 3n], // 3.5
    [5n, 2n, 3n, 2n, 2n], // 2.5
    [-5n, 2n, -3n, -2n, -2n], // -2.5
    [5n, -2n, -3n, -2n, -2n], // -2.5 via negative denominator
    [-5n, -2n, 3n, 2n, 2n], // 2.5 via two negatives
    [-7n, 2n, -4n, -4n, -3n], // -3.5
    [1n, 3n, 0n, 0n, 0n], // 0.333
    [2n, 3n, 1n, 1n, 0n], // 0.667
    [-2n, 3n, -1n, -1n, 0n], // -0.667
    [1n, 2n, 1n, 0n, 0n], // 0.5
    [-1n, 2n, -1n, 0n, 0n], // -0.5
    [3n, 2n, 2n, 2n, 1n], // 1.5
    [149n, 100n, 1n, 1n, 1n], // 1.49
    [151n, 100n, 2n, 2n, 1n], // 1.51
    [-151n, 100n, -2n, -2n, -1n],
    [10n ** 30n + 5n, 10n, 10n ** 29n + 1n, 10n ** 29n, 10n ** 29n], // no precision loss on large values
  ];
  it.each(cases)('%s / %s', (n, d, up, even, down) => {
    expect(roundHalfUp(n, d)).toBe(up);
    expect(roundHalfEven(n, d)).toBe(even);
    expect(roundDown(n, d)).toBe(down);
    expect(divRound(n, d, 'half_up')).toBe(up);
    expect(divRound(n, d, 'half_even')).toBe(even);
    expect(divRound(n, d, 'down')).toBe(down);
  });

  it('throws on a zero denominator in every mode', () => {
    expect(() => roundHalfUp(1n, 0n)).toThrow(/division by zero/);
    expect(() => roundHalfEven(1n, 0n)).toThrow(/division by zero/);
    expect(() => roundDown(0n, 0n)).toThrow(/division by zero/);
    expect(() => divRound(5n, 0n, 'half_up')).toThrow(/division by zero/);
  });

  it('rejects an unknown mode at runtime', () => {
    expect(() => divRound(1n, 2n, 'ceiling' as never)).toThrow(/unreachable/);
  });
});

describe('rounding: properties', () => {
  const num = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
  const den = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).filter((d) => d !== 0n);

  it('half_up: nearest integer, ties away from zero', () => {
    fc.assert(
      fc.property(num, den, (n, d) => {
        const r = roundHalfUp(n, d);
        // |n/d − r| ≤ 1/2  ⇔  2|n − r·d| ≤ |d|
        const err2 = 2n * abs(n - r * d);
        expect(err2 <= abs(d)).toBe(true);
        if (err2 === abs(d)) expect(abs(r * d) > abs(n)).toBe(true);
      }),
    );
  });

  it('half_even: nearest integer, ties to even', () => {
    fc.assert(
      fc.property(num, den, (n, d) => {
        const r = roundHalfEven(n, d);
        const err2 = 2n * abs(n - r * d);
        expect(err2 <= abs(d)).toBe(true);
        if (err2 === abs(d)) expect(r % 2n).toBe(0n);
      }),
    );
  });

  it('down: truncation toward zero', () => {
    fc.assert(
      fc.property(num, den, (n, d) => {
        const r = roundDown(n, d);
        expect(abs(r * d) <= abs(n)).toBe(true);
        expect(abs(n) - abs(r * d) < abs(d)).toBe(true);
        if (r !== 0n) expect(r < 0n).toBe(n < 0n !== d < 0n);
      }),
    );
  });

  it('every mode is odd-symmetric and depends only on the value of the fraction', () => {
    fc.assert(
      fc.property(num, den, fc.bigInt({ min: 1n, max: 1000n }), (n, d, k) => {
        for (const f of [roundHalfUp, roundHalfEven, roundDown]) {
          expect(f(-n, d)).toBe(-f(n, d));
          expect(f(n, -d)).toBe(f(-n, d));
          expect(f(n * k, d * k)).toBe(f(n, d));
        }
      }),
    );
  });

  it('modes agree with each other away from ties, and exact divisions are unchanged', () => {
    fc.assert(
      fc.property(num, den, (n, d) => {
        expect(roundHalfUp(n * d, d)).toBe(n);
        expect(roundHalfEven(n * d, d)).toBe(n);
        expect(roundDown(n * d, d)).toBe(n);
        if (2n * abs(n % d) !== abs(d)) expect(roundHalfUp(n, d)).toBe(roundHalfEven(n, d));
      }),
    );
  });

  it('exact ties (k + 1/2, any scale and signs): half_up goes away from zero, half_even to even', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.boolean(),
        (k, m, flip) => {
          // value = (2k + 1) / 2 exactly, written as (2k+1)·m / (2m), possibly with both signs flipped
          const n = (2n * k + 1n) * m * (flip ? -1n : 1n);
          const d = 2n * m * (flip ? -1n : 1n);
          const up = roundHalfUp(n, d);
          const even = roundHalfEven(n, d);
          expect(up).toBe(k >= 0n ? k + 1n : k);
          expect(even % 2n).toBe(0n);
          expect(even === k || even === k + 1n).toBe(true);
          expect(roundDown(n, d)).toBe(k >= 0n ? k : k + 1n);
        },
      ),
    );
  });
});
