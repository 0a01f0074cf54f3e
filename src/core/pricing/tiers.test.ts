import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { lineAmounts } from '../documents/lines.js';
import { formatAmount, money } from '../money/money.js';
import { decimal4 } from '../money/quantity.js';
import { describeTierPart, tierLabel, tieredAmount, validateTiers } from './tiers.js';
import type { PriceTier, TierMode } from './tiers.js';

const q = decimal4;
/** 1–10 at 100.00, 11–50 at 90.00, 51+ at 80.00 */
const TIERS: PriceTier[] = [
  { upTo: q('10'), unitPriceMinor: 10_000n },
  { upTo: q('50'), unitPriceMinor: 9_000n },
  { upTo: null, unitPriceMinor: 8_000n },
];
const amount = (quantity: string, mode: TierMode, tiers: readonly PriceTier[] = TIERS): string =>
  formatAmount(tieredAmount(q(quantity), tiers, mode, 'SEK').baseAmount);

describe('tieredAmount: graduated vs volume on the same table', () => {
  it.each([
    // quantity, graduated, volume
    ['60', '5400.00', '4800.00'], // 10×100 + 40×90 + 10×80 | 60×80
    ['10', '1000.00', '1000.00'], // all in the first tier, inclusive bound
    ['11', '1090.00', '990.00'], // 10×100 + 1×90 | 11×90
    ['50', '4600.00', '4500.00'], // 10×100 + 40×90 | 50×90
    ['51', '4680.00', '4080.00'], // … + 1×80 | 51×80
    ['2.5', '250.00', '250.00'], // fractional, first tier
    ['10.5', '1045.00', '945.00'], // 10×100 + 0.5×90 | 10.5×90
    ['0.0001', '0.01', '0.01'], // 0.0001 × 100.00 = 0.01
  ])('quantity %s: graduated %s, volume %s', (quantity, graduated, volume) => {
    expect(amount(quantity, 'graduated')).toBe(graduated);
    expect(amount(quantity, 'volume')).toBe(volume);
  });

  it('graduated parts: one per tier touched, with slices, labels and amounts', () => {
    const t = tieredAmount(q('60'), TIERS, 'graduated', 'SEK');
    expect(t.parts.map((p) => [p.label, p.quantity.scaled, p.unitPriceMinor, p.amount.minor])).toEqual([
      ['1–10', 100_000n, 10_000n, 100_000n],
      ['11–50', 400_000n, 9_000n, 360_000n],
      ['51+', 100_000n, 8_000n, 80_000n],
    ]);
    expect(t.exactAmountScaled).toBe(540_000n * 10_000n);
    expect(t.effectiveUnitPriceMinor).toBe(9_000n); // 5400 / 60 = 90.00
    expect(describeTierPart(t.parts[1]!, 'graduated')).toBe('Tier 11–50 at 90.00 SEK (graduated)');
  });

  it('volume: a single part, the tier reached, pricing every unit', () => {
    const t = tieredAmount(q('11'), TIERS, 'volume', 'SEK');
    expect(t.parts).toHaveLength(1);
    expect(t.parts[0]!.tierIndex).toBe(1);
    expect(t.parts[0]!.quantity.scaled).toBe(110_000n);
    expect(t.effectiveUnitPriceMinor).toBe(9_000n);
    expect(describeTierPart(t.parts[0]!, 'volume')).toBe('Tier 11–50 at 90.00 SEK (volume)');
  });

  it('graduated effective unit price is the exact average, rounded with LINE_ROUNDING', () => {
    // 1090.00 / 11 = 99.0909… → 99.09; 1045.00 / 10.5 = 99.5238… → 99.52
    expect(tieredAmount(q('11'), TIERS, 'graduated', 'SEK').effectiveUnitPriceMinor).toBe(9_909n);
    expect(tieredAmount(q('10.5'), TIERS, 'graduated', 'SEK').effectiveUnitPriceMinor).toBe(9_952n);
  });

  it('rounds once on the sum; part amounts use running totals so they add up to the base', () => {
    // two tiers both at 0.33: 0.5 × 0.33 = 0.165 and 0.5 × 0.33 = 0.165 → exact 0.33.
    // Rounding each part (0.17 + 0.17 = 0.34) would overcharge; the base is 0.33, parts 0.17 + 0.16.
    const tiers: PriceTier[] = [
      { upTo: q('0.5'), unitPriceMinor: 33n },
      { upTo: null, unitPriceMinor: 33n },
    ];
    const t = tieredAmount(q('1'), tiers, 'graduated', 'SEK');
    expect(t.baseAmount.minor).toBe(33n);
    expect(t.parts.map((p) => p.amount.minor)).toEqual([17n, 16n]);
    expect(t.parts.map((p) => p.label)).toEqual(['up to 0.5', 'above 0.5']);
  });

  it('uses the currency of the call (JPY has no minor unit)', () => {
    const tiers: PriceTier[] = [
      { upTo: q('10'), unitPriceMinor: 333n },
      { upTo: null, unitPriceMinor: 300n },
    ];
    const t = tieredAmount(q('10.5'), tiers, 'graduated', 'JPY');
    expect(formatAmount(t.baseAmount)).toBe('3480'); // 3330 + 150
    expect(t.baseAmount.currency).toBe('JPY');
  });

  it('refuses a quantity that is not positive', () => {
    expect(() => tieredAmount(q('0'), TIERS, 'volume', 'SEK')).toThrow(DomainError);
  });
});

describe('tierLabel', () => {
  it('reads like a price sheet for whole bounds and says "above" for fractional ones', () => {
    expect(tierLabel(q('0'), q('10'))).toBe('1–10');
    expect(tierLabel(q('10'), q('50'))).toBe('11–50');
    expect(tierLabel(q('50'), null)).toBe('51+');
    expect(tierLabel(q('10'), q('11'))).toBe('11');
    expect(tierLabel(q('0'), q('0.5'))).toBe('up to 0.5');
    expect(tierLabel(q('2.5'), q('5'))).toBe('above 2.5 up to 5');
    expect(tierLabel(q('2.5'), null)).toBe('above 2.5');
    expect(tierLabel(q('10'), q('10.5'))).toBe('above 10 up to 10.5');
  });
});

describe('validateTiers', () => {
  const param = (f: () => void): string | undefined => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe('validation_failed');
      return (e as DomainError).param;
    }
    return undefined;
  };

  it('accepts the example table and a single unbounded tier', () => {
    expect(param(() => validateTiers(TIERS))).toBeUndefined();
    expect(param(() => validateTiers([{ upTo: null, unitPriceMinor: 0n }]))).toBeUndefined();
  });

  it('rejects malformed tables, naming the tier', () => {
    expect(param(() => validateTiers([]))).toBe('tiers');
    expect(param(() => validateTiers([{ upTo: q('10'), unitPriceMinor: 1n }]))).toBe('tiers.0.up_to'); // last bounded
    expect(param(() => validateTiers([{ upTo: null, unitPriceMinor: 1n }, { upTo: null, unitPriceMinor: 1n }]))).toBe('tiers.0.up_to');
    expect(
      param(() =>
        validateTiers([
          { upTo: q('10'), unitPriceMinor: 1n },
          { upTo: q('10'), unitPriceMinor: 1n },
          { upTo: null, unitPriceMinor: 1n },
        ]),
      ),
    ).toBe('tiers.1.up_to'); // not strictly ascending
    expect(param(() => validateTiers([{ upTo: q('0'), unitPriceMinor: 1n }, { upTo: null, unitPriceMinor: 1n }]))).toBe('tiers.0.up_to');
    expect(param(() => validateTiers([{ upTo: q('5'), unitPriceMinor: 1n }, { upTo: null, unitPriceMinor: -1n }]))).toBe(
      'tiers.1.unit_price_minor',
    );
    expect(param(() => validateTiers(TIERS, 'price.tiers'))).toBeUndefined();
    expect(param(() => validateTiers([], 'price.tiers'))).toBe('price.tiers');
  });
});

describe('tieredAmount properties', () => {
  /** A valid table: ascending bounds (Decimal4), last unbounded, prices ≥ 0. */
  const tableArb = (descending: boolean) =>
    fc
      .array(fc.record({ step: fc.bigInt({ min: 1n, max: 200_000n }), price: fc.bigInt({ min: 0n, max: 1_000_000n }) }), {
        minLength: 1,
        maxLength: 6,
      })
      .map((rows) => {
        const prices = rows.map((r) => r.price);
        if (descending) prices.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
        let bound = 0n;
        return rows.map((r, i): PriceTier => {
          bound += r.step;
          return { upTo: i === rows.length - 1 ? null : { scaled: bound }, unitPriceMinor: prices[i] ?? 0n };
        });
      });
  const qtyArb = fc.bigInt({ min: 1n, max: 2_000_000n }).map((scaled) => ({ scaled }));

  it('graduated: parts cover the quantity exactly and add up to the base', () => {
    fc.assert(
      fc.property(tableArb(false), qtyArb, (tiers, quantity) => {
        const t = tieredAmount(quantity, tiers, 'graduated', 'SEK');
        expect(t.parts.reduce((a, p) => a + p.quantity.scaled, 0n)).toBe(quantity.scaled);
        expect(t.parts.reduce((a, p) => a + p.amount.minor, 0n)).toBe(t.baseAmount.minor);
        for (const p of t.parts) expect(p.amount.minor >= 0n).toBe(true);
      }),
    );
  });

  it('volume: the base is lineAmounts of the whole quantity at the reached tier price', () => {
    fc.assert(
      fc.property(tableArb(false), qtyArb, (tiers, quantity) => {
        const t = tieredAmount(quantity, tiers, 'volume', 'SEK');
        const reached = tiers.find((tier) => tier.upTo === null || quantity.scaled <= tier.upTo.scaled)!;
        expect(t.effectiveUnitPriceMinor).toBe(reached.unitPriceMinor);
        expect(t.baseAmount.minor).toBe(lineAmounts(quantity, money(reached.unitPriceMinor, 'SEK'), q('0')).gross.minor);
      }),
    );
  });

  it('with falling prices, graduated never charges less than volume; graduated never falls as quantity grows', () => {
    fc.assert(
      fc.property(tableArb(true), qtyArb, qtyArb, (tiers, a, b) => {
        expect(tieredAmount(a, tiers, 'graduated', 'SEK').exactAmountScaled >= tieredAmount(a, tiers, 'volume', 'SEK').exactAmountScaled).toBe(
          true,
        );
        const [lo, hi] = a.scaled <= b.scaled ? [a, b] : [b, a];
        expect(tieredAmount(lo, tiers, 'graduated', 'SEK').baseAmount.minor <= tieredAmount(hi, tiers, 'graduated', 'SEK').baseAmount.minor).toBe(
          true,
        );
      }),
    );
  });

  it('a one-tier table prices like a flat price in both modes', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), qtyArb, (price, quantity) => {
        const flat = lineAmounts(quantity, money(price, 'SEK'), q('0')).gross.minor;
        const tiers: PriceTier[] = [{ upTo: null, unitPriceMinor: price }];
        expect(tieredAmount(quantity, tiers, 'graduated', 'SEK').baseAmount.minor).toBe(flat);
        expect(tieredAmount(quantity, tiers, 'volume', 'SEK').baseAmount.minor).toBe(flat);
      }),
    );
  });
});
