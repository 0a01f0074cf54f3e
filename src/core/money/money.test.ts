import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import {
  MAX_MINOR,
  add,
  allocate,
  compare,
  formatAmount,
  isNegative,
  isPositive,
  isZero,
  max,
  min,
  money,
  negate,
  parseMoney,
  subtract,
  sum,
  zero,
} from './money.js';
import type { Money } from './money.js';

const sek = (minor: bigint): Money<'SEK'> => money(minor, 'SEK');
/** A SEK value typed as plain Money, as if loaded from storage, to exercise the runtime check. */
const loaded = (minor: bigint, currency: string): Money => money(minor, currency);

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

describe('money basics', () => {
  it('constructs frozen values and refuses unknown currencies or non-bigint amounts', () => {
    const m = money(125n, 'SEK');
    expect(m).toEqual({ minor: 125n, currency: 'SEK' });
    expect(Object.isFrozen(m)).toBe(true);
    expect(() => money(1n, 'XXX')).toThrow(/unknown currency 'XXX'/);
    expect(() => money(1 as unknown as bigint, 'SEK')).toThrow(/bigint/);
    expect(zero('EUR')).toEqual({ minor: 0n, currency: 'EUR' });
  });

  it('adds, subtracts, negates', () => {
    expect(add(sek(150n), sek(-50n))).toEqual(sek(100n));
    expect(subtract(sek(150n), sek(200n))).toEqual(sek(-50n));
    expect(negate(sek(7n))).toEqual(sek(-7n));
    expect(negate(sek(0n)).minor).toBe(0n);
    const big = 10n ** 30n;
    expect(add(sek(big), sek(1n)).minor).toBe(big + 1n);
  });

  it('sums a list, the empty list to zero', () => {
    expect(sum('SEK', [sek(1n), sek(2n), sek(-10n)])).toEqual(sek(-7n));
    expect(sum('SEK', [])).toEqual(sek(0n));
  });

  it('sign predicates', () => {
    expect([isZero(sek(0n)), isNegative(sek(0n)), isPositive(sek(0n))]).toEqual([true, false, false]);
    expect([isZero(sek(-1n)), isNegative(sek(-1n)), isPositive(sek(-1n))]).toEqual([false, true, false]);
    expect([isZero(sek(1n)), isNegative(sek(1n)), isPositive(sek(1n))]).toEqual([false, false, true]);
  });

  it('compares, min and max', () => {
    expect(compare(sek(1n), sek(2n))).toBe(-1);
    expect(compare(sek(2n), sek(2n))).toBe(0);
    expect(compare(sek(3n), sek(-2n))).toBe(1);
    expect(min(sek(3n), sek(-2n))).toEqual(sek(-2n));
    expect(min(sek(-5n), sek(2n))).toEqual(sek(-5n));
    expect(max(sek(3n), sek(-2n))).toEqual(sek(3n));
    expect(max(sek(-5n), sek(2n))).toEqual(sek(2n));
  });

  it('throws currency_mismatch at runtime for every binary operation', () => {
    const a = loaded(1n, 'SEK');
    const b = loaded(1n, 'EUR');
    for (const op of [add, subtract, compare, min, max] as const) {
      const err = domainError(() => op(a, b));
      expect(err.code).toBe('currency_mismatch');
      expect(err.message).toMatch(/EUR/);
      expect(err.message).toMatch(/SEK/);
    }
    expect(domainError(() => sum('SEK', [a, b])).code).toBe('currency_mismatch');
    expect(domainError(() => sum('EUR', [a])).code).toBe('currency_mismatch');
  });
});

describe('parseMoney', () => {
  it.each([
    ['1250.00', 'SEK', 125_000n],
    ['1250', 'SEK', 125_000n],
    ['-3.5', 'SEK', -350n],
    ['0.05', 'SEK', 5n],
    ['0', 'SEK', 0n],
    ['-0', 'SEK', 0n],
    ['0.1', 'EUR', 10n],
    ['100', 'JPY', 100n],
    ['1.25', 'KWD', 1250n],
    ['1.250', 'KWD', 1250n],
    ['-0.001', 'KWD', -1n],
    ['92233720368547758.07', 'SEK', MAX_MINOR],
    ['12345678901234567.89', 'USD', 1_234_567_890_123_456_789n], // beyond float precision, still exact
  ])('parses %s %s', (amount, currency, minor) => {
    expect(parseMoney(amount, currency, 'amount')).toEqual({ minor, currency });
  });

  it.each([
    [1250, 'SEK', /not a JSON number/],
    [0.1, 'SEK', /not a JSON number/],
    [null, 'SEK', /decimal string/],
    [undefined, 'SEK', /decimal string/],
    [{ amount: '1' }, 'SEK', /decimal string/],
    ['', 'SEK', /empty/],
    ['1e3', 'SEK', /exponent/],
    ['1E3', 'SEK', /exponent/],
    ['1 250.00', 'SEK', /spaces/],
    [' 1', 'SEK', /spaces/],
    ['1\t', 'SEK', /spaces/],
    ['+1.00', 'SEK', /'\+' sign/],
    ['.5', 'SEK', /digit before the decimal point/],
    ['-.5', 'SEK', /digit before the decimal point/],
    ['1,50', 'SEK', /separator/],
    ['1,250.00', 'SEK', /separator/],
    ['1.', 'SEK', /after the decimal point/],
    ['01.00', 'SEK', /leading zeros/],
    ['1.001', 'SEK', /at most 2 decimals for SEK, got 3/],
    ['1.000', 'SEK', /at most 2 decimals for SEK/],
    ['1.5', 'JPY', /whole number: JPY has no minor unit/],
    ['1.0001', 'KWD', /at most 3 decimals for KWD/],
    ['92233720368547758.08', 'SEK', /too large/],
    ['--1', 'SEK', /plain decimal/],
    ['NaN', 'SEK', /plain decimal/],
    ['Infinity', 'SEK', /plain decimal/],
    ['1', 'XXX', /unsupported currency "XXX"/],
  ])('rejects %j in %s', (amount, currency, message) => {
    const err = domainError(() => parseMoney(amount, currency, 'lines.2.unit_price'));
    expect(err.code).toBe('validation_failed');
    expect(err.param).toBe('lines.2.unit_price');
    expect(err.message).toMatch(message);
  });

  it('round-trips with formatAmount for every currency exponent', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -MAX_MINOR, max: MAX_MINOR }),
        fc.constantFrom('SEK', 'JPY', 'KWD', 'ISK', 'EUR'),
        (minor, currency) => {
          const m = money(minor, currency);
          expect(parseMoney(formatAmount(m), currency, 'x')).toEqual(m);
        },
      ),
    );
  });
});

describe('formatAmount', () => {
  it.each([
    [125_000n, 'SEK', '1250.00'],
    [-350n, 'SEK', '-3.50'],
    [5n, 'SEK', '0.05'],
    [-5n, 'SEK', '-0.05'],
    [0n, 'SEK', '0.00'],
    [100n, 'JPY', '100'],
    [-7n, 'JPY', '-7'],
    [0n, 'JPY', '0'],
    [1250n, 'KWD', '1.250'],
    [1n, 'KWD', '0.001'],
    [-1_000n, 'BHD', '-1.000'],
  ])('%s %s → %s', (minor, currency, text) => {
    expect(formatAmount(money(minor, currency))).toBe(text);
  });
});

describe('allocate', () => {
  it('splits 100 over three equal weights as 34/33/33 (leftover to the earliest tie)', () => {
    expect(allocate(sek(100n), [1n, 1n, 1n]).map((m) => m.minor)).toEqual([34n, 33n, 33n]);
  });

  it('gives the leftover to the largest remainders, not simply the first parts', () => {
    // 10 × [1, 2, 2] / 5 = 2, 4, 4 exactly; 11 × ... = 2.2, 4.4, 4.4 → floor 2,4,4 + 1 to index 1
    expect(allocate(sek(11n), [1n, 2n, 2n]).map((m) => m.minor)).toEqual([2n, 5n, 4n]);
    // 5 × [3, 7] / 10 = 1.5, 3.5 → tie → earlier index
    expect(allocate(sek(5n), [3n, 7n]).map((m) => m.minor)).toEqual([2n, 3n]);
    // 7 × [1, 5] / 6 = 1.1667, 5.8333 → 1, 6
    expect(allocate(sek(7n), [1n, 5n]).map((m) => m.minor)).toEqual([1n, 6n]);
  });

  it('mirrors negative totals', () => {
    expect(allocate(sek(-100n), [1n, 1n, 1n]).map((m) => m.minor)).toEqual([-34n, -33n, -33n]);
    expect(allocate(sek(-11n), [1n, 2n, 2n]).map((m) => m.minor)).toEqual([-2n, -5n, -4n]);
  });

  it('gives zero weights nothing and keeps the currency', () => {
    const parts = allocate(money(1n, 'EUR'), [0n, 1n, 0n, 1n]);
    expect(parts.map((m) => m.minor)).toEqual([0n, 1n, 0n, 0n]);
    expect(parts.every((m) => m.currency === 'EUR')).toBe(true);
    expect(allocate(sek(0n), [1n, 2n]).map((m) => m.minor)).toEqual([0n, 0n]);
  });

  it('rejects empty, negative and all-zero weights', () => {
    expect(() => allocate(sek(1n), [])).toThrow(/no weights/);
    expect(() => allocate(sek(1n), [1n, -1n])).toThrow(/negative weight/);
    expect(() => allocate(sek(1n), [0n, 0n])).toThrow(/all weights are zero/);
  });

  const weightsArb = fc
    .array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 30 })
    .filter((ws) => ws.some((w) => w > 0n));
  const totalArb = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });

  it('property: shares sum to the total', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const parts = allocate(sek(total), weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((acc, m) => acc + m.minor, 0n)).toBe(total);
      }),
    );
  });

  it('property: each share is within one unit of its exact proportional share, and on the same side of zero', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const W = weights.reduce((a, b) => a + b, 0n);
        allocate(sek(total), weights).forEach((part, i) => {
          const w = weights[i] ?? 0n;
          // |part − total·w/W| < 1  ⇔  |part·W − total·w| < W
          const diff = part.minor * W - total * w;
          expect(diff < W && -diff < W).toBe(true);
          if (total >= 0n) expect(part.minor >= 0n).toBe(true);
          else expect(part.minor <= 0n).toBe(true);
        });
      }),
    );
  });

  it('property: a zero weight gets zero', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, fc.nat(30), (total, weights, at) => {
        const ws = [...weights];
        ws.splice(at % (ws.length + 1), 0, 0n);
        const parts = allocate(sek(total), ws);
        ws.forEach((w, i) => {
          if (w === 0n) expect(parts[i]?.minor).toBe(0n);
        });
      }),
    );
  });

  it('property: deterministic and mirrored for negative totals', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const once = allocate(sek(total), weights);
        expect(allocate(sek(total), [...weights])).toEqual(once);
        expect(allocate(sek(-total), weights).map((m) => m.minor)).toEqual(once.map((m) => -m.minor));
      }),
    );
  });
});
