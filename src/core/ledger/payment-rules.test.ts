import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BAS_DEFAULTS } from './accounts.js';
import { validatePostings } from './journal.js';
import { postPaymentAdjustments, postRefund, reverseFunctional, settle, splitBase, writeOffTolerance } from './payment-rules.js';

const TOL = { toleranceMinor: 10_00n, toleranceBasisPoints: 50n }; // 10.00 or 0.5 %

describe('writeOffTolerance', () => {
  it('is the larger of the amount and the percentage, the percentage rounded down', () => {
    // 1 250.00 × 0.5 % = 6.25 < 10.00 → 10.00
    expect(writeOffTolerance(1_250_00n, TOL)).toBe(10_00n);
    // 4 321.99 × 0.5 % = 21.60995 → 21.60 (down) > 10.00
    expect(writeOffTolerance(4_321_99n, TOL)).toBe(21_60n);
    expect(writeOffTolerance(1_000_00n, { toleranceMinor: 0n, toleranceBasisPoints: 0n })).toBe(0n);
  });
});

describe('settle', () => {
  it('writes off a short rest within tolerance only when asked', () => {
    // 1 250.00 open, 1 242.00 paid: rest 8.00 ≤ 10.00
    expect(settle({ openMinor: 1_250_00n, amountMinor: 1_242_00n, bankFeeMinor: 0n, writeOff: true }, TOL)).toEqual({ ok: true, writeOffMinor: 8_00n });
    expect(settle({ openMinor: 1_250_00n, amountMinor: 1_242_00n, bankFeeMinor: 0n, writeOff: false }, TOL)).toEqual({ ok: true, writeOffMinor: 0n });
    // with a 5.00 bank fee the rest is 3.00
    expect(settle({ openMinor: 1_250_00n, amountMinor: 1_242_00n, bankFeeMinor: 5_00n, writeOff: true }, TOL)).toEqual({ ok: true, writeOffMinor: 3_00n });
  });

  it('refuses a rest beyond tolerance and an over-settlement', () => {
    // rest 10.01 > 10.00
    expect(settle({ openMinor: 1_250_00n, amountMinor: 1_239_99n, bankFeeMinor: 0n, writeOff: true }, TOL)).toEqual({
      ok: false, reason: 'beyond_tolerance', restMinor: 10_01n, toleranceMinor: 10_00n,
    });
    expect(settle({ openMinor: 100n, amountMinor: 90n, bankFeeMinor: 20n, writeOff: false }, TOL)).toMatchObject({ ok: false, reason: 'exceeds_open' });
  });
});

describe('splitBase', () => {
  it('takes all of the base when the parts take all of the foreign amount', () => {
    // 1 250.00 EUR worth 14 290.63 SEK: 1 200.00 → round(14 290.63 × 1 200 / 1 250) = 13 719.0048 → 13 719.00;
    // then 30.00 of the 50.00 left (571.63) → 342.978 → 342.98; the last 20.00 takes the rest 228.65
    expect(splitBase(1_429_063n, 125_000n, [120_000n, 3_000n, 2_000n])).toEqual([1_371_900n, 34_298n, 22_865n]);
  });

  it('property: the parts never exceed the base and exhaust it when they exhaust the amount', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { maxLength: 4 }), (open, baseOpen, raw) => {
        let left = open;
        const parts = raw.map((p) => { const take = p > left ? left : p; left -= take; return take; });
        parts.push(left);
        const split = splitBase(baseOpen, open, parts);
        expect(split.reduce((a, b) => a + b, 0n)).toBe(baseOpen);
        for (const b of split) expect(b >= 0n).toBe(true);
      }),
    );
  });
});

describe('postPaymentAdjustments', () => {
  it('posts write-off 3740 / 1510 and bank fee 6570 / 1510 on the customer', () => {
    const postings = postPaymentAdjustments(
      { base: 'SEK', currency: 'SEK', customerId: 'cus_1', writeOffMinor: 3_00n, writeOffBaseMinor: 3_00n, bankFeeMinor: 5_00n, bankFeeBaseMinor: 5_00n },
      BAS_DEFAULTS,
    );
    expect(postings.map((p) => [p.account, p.debitMinor, p.creditMinor, p.customerId, p.amountCurrency])).toEqual([
      ['3740', 3_00n, 0n, null, null],
      ['1510', 0n, 3_00n, 'cus_1', null],
      ['6570', 5_00n, 0n, null, null],
      ['1510', 0n, 5_00n, 'cus_1', null],
    ]);
    expect(validatePostings(postings)).toBeNull();
    expect(postPaymentAdjustments({ base: 'SEK', currency: 'SEK', customerId: 'c', writeOffMinor: 0n, writeOffBaseMinor: 0n, bankFeeMinor: 0n, bankFeeBaseMinor: 0n }, BAS_DEFAULTS)).toEqual([]);
  });

  it('keeps the foreign amount beside a foreign write-off', () => {
    const [d, c] = postPaymentAdjustments(
      { base: 'SEK', currency: 'EUR', customerId: 'cus_1', writeOffMinor: 2_00n, writeOffBaseMinor: 22_87n, bankFeeMinor: 0n, bankFeeBaseMinor: 0n },
      BAS_DEFAULTS,
    );
    expect(d).toMatchObject({ account: '3740', currency: 'SEK', debitMinor: 22_87n, amountCurrency: 'EUR', amountMinor: 2_00n });
    expect(c).toMatchObject({ account: '1510', currency: 'SEK', creditMinor: 22_87n, amountCurrency: 'EUR', amountMinor: 2_00n });
  });
});

describe('postRefund', () => {
  it('refunds customer credit in the base currency: 2420 / 1930', () => {
    const { postings, fxDifferenceMinor } = postRefund({ base: 'SEK', currency: 'SEK', customerId: 'cus_1', amountMinor: 150_00n, baseAmountMinor: 150_00n, bankBaseMinor: 150_00n }, BAS_DEFAULTS);
    expect(fxDifferenceMinor).toBe(0n);
    expect(postings.map((p) => [p.account, p.debitMinor, p.creditMinor, p.customerId])).toEqual([['2420', 150_00n, 0n, 'cus_1'], ['1930', 0n, 150_00n, null]]);
  });

  it('posts the realised FX difference of a foreign refund: loss to 7960, gain to 3960', () => {
    // 100.00 EUR received at 11.4325 (1 143.25 SEK), paid back at 11.60 (1 160.00 SEK): loss 16.75
    const loss = postRefund({ base: 'SEK', currency: 'EUR', customerId: 'c', amountMinor: 100_00n, baseAmountMinor: 1_143_25n, bankBaseMinor: 1_160_00n }, BAS_DEFAULTS);
    expect(loss.fxDifferenceMinor).toBe(-16_75n);
    expect(loss.postings.map((p) => [p.account, p.debitMinor, p.creditMinor])).toEqual([['2420', 1_143_25n, 0n], ['1930', 0n, 1_160_00n], ['7960', 16_75n, 0n]]);
    // paid back at 11.20 (1 120.00 SEK): gain 23.25
    const gain = postRefund({ base: 'SEK', currency: 'EUR', customerId: 'c', amountMinor: 100_00n, baseAmountMinor: 1_143_25n, bankBaseMinor: 1_120_00n }, BAS_DEFAULTS);
    expect(gain.postings.map((p) => [p.account, p.debitMinor, p.creditMinor])).toEqual([['2420', 1_143_25n, 0n], ['1930', 0n, 1_120_00n], ['3960', 0n, 23_25n]]);
  });
});

describe('reverseFunctional', () => {
  it('puts every line on the other side and the reversal cancels the original', () => {
    const { postings } = postRefund({ base: 'SEK', currency: 'EUR', customerId: 'c', amountMinor: 100_00n, baseAmountMinor: 1_143_25n, bankBaseMinor: 1_160_00n }, BAS_DEFAULTS);
    const rev = reverseFunctional(postings);
    expect(rev.map((p) => [p.account, p.debitMinor, p.creditMinor, p.amountMinor])).toEqual([['2420', 0n, 1_143_25n, 100_00n], ['1930', 1_160_00n, 0n, 100_00n], ['7960', 0n, 16_75n, null]]);
    const net = new Map<string, bigint>();
    for (const p of [...postings, ...rev]) net.set(p.account, (net.get(p.account) ?? 0n) + p.debitMinor - p.creditMinor);
    expect([...net.values()].every((v) => v === 0n)).toBe(true);
  });
});
