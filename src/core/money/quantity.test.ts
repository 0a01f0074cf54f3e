import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import {
  DECIMAL4_SCALE,
  ZERO_D,
  addD,
  compareD,
  decimal4,
  formatDecimal4,
  fromDb,
  isZeroD,
  minD,
  parsePercent,
  parseQuantity,
  splitDecimal,
  subD,
  toDb,
} from './quantity.js';
import type { Decimal4 } from './quantity.js';

function validationError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

const d = (scaled: bigint): Decimal4 => ({ scaled });

describe('parseQuantity', () => {
  it.each([
    ['2', 20_000n],
    ['2.5', 25_000n],
    ['0.0001', 1n],
    ['1.2345', 12_345n],
    ['10.50', 105_000n],
    ['99999999999999', 999_999_999_999_990_000n],
    ['99999999999999.0000', 999_999_999_999_990_000n],
  ])('accepts the string %s', (input, scaled) => {
    expect(parseQuantity(input, 'q').scaled).toBe(scaled);
  });

  it.each([
    [2, 20_000n],
    [2.5, 25_000n],
    [0.0001, 1n], // String(0.0001) is "0.0001"
    [0.1, 1_000n], // exact: uses the shortest round-trip decimal, not the binary value
    [1234.5678, 12_345_678n],
  ])('accepts the JSON number %s exactly', (input, scaled) => {
    expect(parseQuantity(input, 'q').scaled).toBe(scaled);
  });

  it.each([
    ['0', /greater than 0/],
    ['-1', /greater than 0/],
    ['0.0000', /greater than 0/],
    [0, /greater than 0/],
    ['1.00001', /at most 4 decimals/],
    ['100000000000000', /at most 99999999999999/],
    ['99999999999999.0001', /at most 99999999999999/],
    ['', /empty/],
    [' 2', /spaces/],
    ['2 ', /spaces/],
    ['+2', /'\+' sign/],
    ['1e3', /exponent/],
    [1e21, /exponent/],
    [1e-7, /exponent/], // String(1e-7) is "1e-7"
    [0.00001, /at most 4 decimals/], // String(0.00001) is "0.00001"
    ['1,5', /separator/],
    ['1,000.5', /separator/],
    ['.5', /digit before the decimal point/],
    ['5.', /after the decimal point/],
    ['007', /leading zeros/],
    ['abc', /plain decimal/],
    ['1.2.3', /plain decimal/],
    ['0x10', /plain decimal/],
    [Number.NaN, /finite/],
    [Number.POSITIVE_INFINITY, /finite/],
    [null, /not null/],
    [true, /not a boolean/],
    [[1], /not an array/],
    [{}, /not a object/],
    [10n, /not a bigint/],
    ['1'.repeat(65), /at most 64 characters/],
  ])('rejects #%# (%s)', (input, message) => {
    const err = validationError(() => parseQuantity(input, 'lines.0.quantity'));
    expect(err.code).toBe('validation_failed');
    expect(err.param).toBe('lines.0.quantity');
    expect(err.message).toMatch(message);
  });
});

describe('parsePercent', () => {
  it.each([
    ['0', 0n],
    [0, 0n],
    ['10', 100_000n],
    ['12.5', 125_000n],
    ['100', 1_000_000n],
    ['100.0000', 1_000_000n],
    [33.3333, 333_333n],
  ])('accepts %j', (input, scaled) => {
    expect(parsePercent(input, 'p').scaled).toBe(scaled);
  });

  it.each([
    ['-0.0001', /negative/],
    ['100.0001', /at most 100/],
    ['101', /at most 100/],
    ['12.34567', /at most 4 decimals/],
    ['10%', /plain decimal/],
    [undefined, /not a undefined/],
  ])('rejects %j', (input, message) => {
    const err = validationError(() => parsePercent(input, 'lines.1.discount_percent'));
    expect(err.code).toBe('validation_failed');
    expect(err.param).toBe('lines.1.discount_percent');
    expect(err.message).toMatch(message);
  });
});

describe('decimal4 / format / db', () => {
  it('parses trusted literals including negatives', () => {
    expect(decimal4('2.5')).toEqual(d(25_000n));
    expect(decimal4('-1.25')).toEqual(d(-12_500n));
    expect(decimal4('0')).toEqual(ZERO_D);
    expect(decimal4('-0')).toEqual(ZERO_D);
  });

  it.each(['', '1.23456', '1e2', ' 1', '+1', '.5', 'x'])('decimal4 throws a plain Error for %j', (s) => {
    expect(() => decimal4(s)).toThrow(Error);
    expect(() => decimal4(s)).toThrow(/malformed decimal/);
    expect(() => decimal4(s)).not.toThrow(DomainError);
  });

  it.each([
    [25_000n, '2.5', '2.5000'],
    [30_000n, '3', '3.0000'],
    [1n, '0.0001', '0.0001'],
    [-12_500n, '-1.25', '-1.2500'],
    [-1n, '-0.0001', '-0.0001'],
    [0n, '0', '0.0000'],
    [1_000_000n, '100', '100.0000'],
    [123_456_789n, '12345.6789', '12345.6789'],
  ])('scaled %s formats as %s and %s', (scaled, canonical, db) => {
    expect(formatDecimal4(d(scaled))).toBe(canonical);
    expect(toDb(d(scaled))).toBe(db);
    expect(fromDb(db).scaled).toBe(scaled);
    expect(fromDb(canonical).scaled).toBe(scaled);
  });

  it('fromDb accepts extra zero decimals but refuses to drop significant digits', () => {
    expect(fromDb('2.50000000').scaled).toBe(25_000n);
    expect(fromDb('007.5').scaled).toBe(75_000n);
    expect(() => fromDb('2.50001')).toThrow(/more than 4 significant decimals/);
    expect(() => fromDb('')).toThrow(/malformed numeric/);
    expect(() => fromDb('NaN')).toThrow(/malformed numeric/);
    expect(() => fromDb('1e5')).toThrow(/malformed numeric/);
  });

  it('round-trips format → parse and toDb → fromDb for any value', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (scaled) => {
        expect(decimal4(formatDecimal4(d(scaled))).scaled).toBe(scaled);
        expect(fromDb(toDb(d(scaled))).scaled).toBe(scaled);
        expect(toDb(d(scaled))).toMatch(/^-?\d+\.\d{4}$/);
        expect(formatDecimal4(d(scaled))).not.toMatch(/\.\d*0$|\.$/);
      }),
    );
  });

  it('parseQuantity agrees with JSON numbers written in plain decimal', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000 }), fc.integer({ min: 0, max: 9999 }), (i, f) => {
        const text = `${i}.${String(f).padStart(4, '0')}`;
        const expected = BigInt(i) * DECIMAL4_SCALE + BigInt(f);
        expect(parseQuantity(text, 'q').scaled).toBe(expected);
        expect(parseQuantity(Number(text), 'q').scaled).toBe(expected);
      }),
    );
  });
});

describe('splitDecimal', () => {
  it('splits valid decimals and explains invalid ones', () => {
    expect(splitDecimal('-12.50')).toEqual({ negative: true, integer: '12', fraction: '50' });
    expect(splitDecimal('0')).toEqual({ negative: false, integer: '0', fraction: '' });
    expect(splitDecimal('-.5')).toEqual({ error: expect.stringMatching(/digit before/) as unknown });
    expect(splitDecimal('--1')).toEqual({ error: expect.stringMatching(/plain decimal/) as unknown });
  });
});

describe('Decimal4 arithmetic', () => {
  it('adds, subtracts, compares', () => {
    expect(addD(decimal4('2.5'), decimal4('0.0001'))).toEqual(decimal4('2.5001'));
    expect(subD(decimal4('2.5'), decimal4('3'))).toEqual(decimal4('-0.5'));
    expect(compareD(decimal4('2.5'), decimal4('2.50'))).toBe(0);
    expect(compareD(decimal4('2.4999'), decimal4('2.5'))).toBe(-1);
    expect(compareD(decimal4('-1'), decimal4('-2'))).toBe(1);
    expect(isZeroD(ZERO_D)).toBe(true);
    expect(isZeroD(decimal4('0.0001'))).toBe(false);
    expect(minD(decimal4('3'), decimal4('2.5'))).toEqual(decimal4('2.5'));
    expect(minD(decimal4('-3'), decimal4('2.5'))).toEqual(decimal4('-3'));
  });

  it('addD and subD are inverse; compareD is consistent with subD', () => {
    const dec = fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }).map(d);
    fc.assert(
      fc.property(dec, dec, (a, b) => {
        expect(subD(addD(a, b), b)).toEqual(a);
        const diff = subD(a, b).scaled;
        expect(compareD(a, b)).toBe(diff < 0n ? -1 : diff > 0n ? 1 : 0);
        expect(minD(a, b).scaled).toBe(a.scaled < b.scaled ? a.scaled : b.scaled);
      }),
    );
  });
});
