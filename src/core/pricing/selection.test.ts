import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { decimal4 } from '../money/quantity.js';
import { priceQuote, type PricingContext, type PricingLineInput, type QuoteDiscount } from './engine.js';
import { applySelection, type FrozenLine } from './selection.js';

const CTX: PricingContext = { currency: 'SEK', date: '2026-12-04', customerId: 'cus_1', customerGroup: null, listPrices: [], customerPrices: [] };

const frozen = (lines: readonly PricingLineInput[], discount: QuoteDiscount): FrozenLine[] =>
  priceQuote(CTX, lines, discount).lines.map((l, i) => ({
    lineKey: l.lineKey,
    optional: l.optional,
    baseAmountMinor: l.baseAmountMinor,
    lineDiscountMinor: l.lineDiscountMinor,
    vatRate: l.vatRate,
    vatCategory: lines[i]?.vatCategory ?? 'S',
  }));

const line = (key: string, price: bigint, over: Partial<PricingLineInput> = {}): PricingLineInput => ({
  lineKey: key,
  productId: null,
  description: key,
  quantity: decimal4('1'),
  unit: 'C62',
  taxClass: 'standard',
  vatRate: decimal4('25'),
  vatCategory: 'S',
  unitPriceMinor: price,
  ...over,
});

describe('applySelection', () => {
  it('re-allocates a percentage quote discount over the chosen optional line', () => {
    const lines = [line('L1', 1_000_000n), line('L2', 200_000n, { optional: true })];
    const discount: QuoteDiscount = { kind: 'percent', percent: decimal4('5') };
    const r = applySelection('SEK', frozen(lines, discount), discount, ['L2']);
    expect(r.totals.quoteDiscountMinor).toBe(60_000n);
    expect(r.lines.map((l) => l.quoteDiscountMinor)).toEqual([50_000n, 10_000n]);
    expect(r.totals.netMinor).toBe(1_140_000n);
    expect(r.totals.vatMinor).toBe(285_000n);
  });

  it('refuses a key that is not an optional line', () => {
    const lines = [line('L1', 1000n), line('L2', 500n, { optional: true })];
    expect(() => applySelection('SEK', frozen(lines, null), null, ['L1'])).toThrow(DomainError);
    expect(() => applySelection('SEK', frozen(lines, null), null, ['L9'])).toThrow(/not an optional line/);
  });

  it('property: Σ shares = quote discount, totals = Σ lines, and the engine agrees with the same selection', () => {
    const rowArb = fc.record({
      price: fc.bigInt({ min: 0n, max: 5_000_000n }),
      qty: fc.bigInt({ min: 1n, max: 1_000_000n }),
      lineDiscount: fc.option(fc.bigInt({ min: 0n, max: 1_000_000n })),
      optional: fc.boolean(),
      chosen: fc.boolean(),
      vat: fc.constantFrom(['25', 'S'] as const, ['12', 'S'] as const, ['6', 'S'] as const, ['0', 'E'] as const),
    });
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 20 }), fc.option(fc.bigInt({ min: 0n, max: 1_000_000n })), (rows, qd) => {
        const lines = rows.map((r, i) =>
          line(`L${i + 1}`, r.price, {
            quantity: { scaled: r.qty },
            ...(r.lineDiscount === null ? {} : { discount: { kind: 'percent' as const, percent: { scaled: r.lineDiscount } } }),
            optional: r.optional,
            vatRate: decimal4(r.vat[0]),
            vatCategory: r.vat[1],
          }),
        );
        const discount: QuoteDiscount = qd === null ? null : { kind: 'percent', percent: { scaled: qd } };
        const chosen = rows.flatMap((r, i) => (r.optional && r.chosen ? [`L${i + 1}`] : []));
        const r = applySelection('SEK', frozen(lines, discount), discount, chosen);

        const included = r.lines.filter((l) => l.included);
        expect(included.reduce((a, l) => a + l.quoteDiscountMinor, 0n)).toBe(r.totals.quoteDiscountMinor);
        expect(included.reduce((a, l) => a + l.netAmountMinor, 0n)).toBe(r.totals.netMinor);
        expect(r.totals.grossMinor).toBe(r.totals.netMinor + r.totals.vatMinor);
        for (const l of r.lines) {
          expect(l.netAmountMinor).toBeGreaterThanOrEqual(0n);
          expect(l.baseAmountMinor - l.discountAmountMinor).toBe(l.netAmountMinor);
          if (!l.included) expect(l.quoteDiscountMinor).toBe(0n);
        }

        // the engine, pricing the same lines with that selection, comes to the same figures
        const engine = priceQuote(CTX, lines.map((l) => ({ ...l, selected: l.optional === true ? chosen.includes(l.lineKey) : undefined })), discount);
        expect(r.totals.netMinor).toBe(engine.totals.net.minor);
        expect(r.totals.vatMinor).toBe(engine.totals.vat.minor);
        expect(r.totals.quoteDiscountMinor).toBe(engine.totals.quoteDiscountTotal.minor);
        expect(r.lines.map((l) => l.netAmountMinor)).toEqual(engine.lines.map((l) => l.netAmountMinor));
      }),
      { numRuns: 300 },
    );
  });
});
