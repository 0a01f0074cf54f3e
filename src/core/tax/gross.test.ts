import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { documentTotals } from '../documents/lines.js';
import { money } from '../money/money.js';
import { decimal4 } from '../money/quantity.js';
import type { Percent } from '../money/quantity.js';
import { divRound } from '../money/rounding.js';
import { GROSS_TO_NET_ROUNDING, grossFromNet, netFromGross, netsFromGross, pricedLinesFromGross } from './gross.js';
import type { GrossPricedLine } from './gross.js';
import type { GrossLine } from './gross.js';
import type { VatCategory } from './vat.js';

const R25 = decimal4('25');
const R12 = decimal4('12');
const R6 = decimal4('6');
const R0 = decimal4('0');
const sek = (minor: bigint) => money(minor, 'SEK');
const line = (gross: bigint, vatRate: Percent, vatCategory: VatCategory = 'S'): GrossLine => ({ gross: sek(gross), vatRate, vatCategory });
const nets = (lines: GrossLine[]): bigint[] => netsFromGross('SEK', lines).lines.map((l) => l.net.minor);

describe('netFromGross', () => {
  it('is round(gross × 100 / (100 + rate)), half up', () => {
    expect(GROSS_TO_NET_ROUNDING).toBe('half_up');
    expect(netFromGross(9900n, R25)).toBe(7920n); // 99.00 / 1.25 = 79.20
    expect(netFromGross(14900n, R25)).toBe(11920n);
    expect(netFromGross(1250n, R25)).toBe(1000n);
    expect(netFromGross(4590n, R6)).toBe(4330n); // 4330.188…
    expect(netFromGross(2990n, R6)).toBe(2821n); // 2820.754…
    expect(netFromGross(2999n, R12)).toBe(2678n); // 2677.678…
    expect(netFromGross(99n, R25)).toBe(79n); // 79.2
    expect(netFromGross(5n, R25)).toBe(4n); // exactly 4
    expect(netFromGross(125n, R25)).toBe(100n);
    expect(netFromGross(1000n, R0)).toBe(1000n);
  });

  it('rounds ties away from zero, also for credits', () => {
    expect(netFromGross(3n, R25)).toBe(2n); // 2.4
    // a tie: 5 at 100 % → 2.5 → 3 (away from zero)
    expect(netFromGross(5n, decimal4('100'))).toBe(3n);
    expect(netFromGross(-5n, decimal4('100'))).toBe(-3n);
    expect(netFromGross(-9900n, R25)).toBe(-7920n);
  });

  it('refuses rates outside 0-100 %', () => {
    expect(() => netFromGross(100n, decimal4('-1'))).toThrow(/out of range/);
    expect(() => netFromGross(100n, decimal4('100.0001'))).toThrow(/out of range/);
  });
});

describe('netsFromGross', () => {
  it('99.00 + 149.00 + 12.50 incl. 25 %: nets 79.20 + 119.20 + 10.00, VAT 52.10, total 260.50', () => {
    const lines = [line(9900n, R25), line(14900n, R25), line(1250n, R25)];
    const result = netsFromGross('SEK', lines);
    expect(result.lines.map((l) => l.net.minor)).toEqual([7920n, 11920n, 1000n]);
    expect(result.rounding.minor).toBe(0n);
    const totals = documentTotals('SEK', result.lines);
    expect(totals.net.minor).toBe(20840n);
    expect(totals.vat.minor).toBe(5210n);
    expect(totals.gross.minor).toBe(26050n);
  });

  it('a 6 % food line: 45.90 → net 43.30, VAT 2.60', () => {
    const result = netsFromGross('SEK', [line(4590n, R6)]);
    expect(result.lines.map((l) => l.net.minor)).toEqual([4330n]);
    const totals = documentTotals('SEK', result.lines);
    expect(totals.vat.minor).toBe(260n); // 43.30 × 6 % = 2.598
    expect(totals.gross.minor).toBe(4590n);
  });

  it('mixed 25 % and 6 %: each rate group reproduces its gross', () => {
    const lines = [line(9900n, R25), line(14900n, R25), line(1250n, R25), line(4590n, R6), line(2990n, R6)];
    const result = netsFromGross('SEK', lines);
    expect(result.lines.map((l) => l.net.minor)).toEqual([7920n, 11920n, 1000n, 4330n, 2821n]);
    const totals = documentTotals('SEK', result.lines);
    expect(totals.breakdown.map((b) => [b.vatRate.scaled, b.taxable.minor, b.vat.minor])).toEqual([
      [250000n, 20840n, 5210n],
      [60000n, 7151n, 429n], // 71.51 × 6 % = 4.2906
    ]);
    expect(totals.gross.minor).toBe(26050n + 7580n);
    expect(result.groups.map((g) => g.rounding.minor)).toEqual([0n, 0n]);
  });

  it('moves the per-line rounding difference to the largest line', () => {
    // 12.95 + 12.95 + 24.95 incl. 6 % = 50.85. Per line: 12.2170 → 12.22, 12.22, 23.5377 → 23.54; sum 47.98,
    // VAT 2.8788 → 2.88, gross 50.86: one öre too much. Group net 47.97 (VAT 2.8782 → 2.88, gross 50.85);
    // the öre comes off the 24.95 line.
    const lines = [line(1295n, R6), line(1295n, R6), line(2495n, R6)];
    expect(nets(lines)).toEqual([1222n, 1222n, 2353n]);
    const totals = documentTotals('SEK', netsFromGross('SEK', lines).lines);
    expect([totals.net.minor, totals.vat.minor, totals.gross.minor]).toEqual([4797n, 288n, 5085n]);
    // the first of equally large lines takes it: 0.03 × 3 incl. 25 % = 0.09 → group net 0.07 (VAT 0.0175 → 0.02)
    expect(nets([line(3n, R25), line(3n, R25), line(3n, R25)])).toEqual([3n, 2n, 2n]);
  });

  it('returns the one öre no net can reach as rounding (BT-114)', () => {
    // 99.02 incl. 25 %: net 79.21 → VAT 19.8025 → 19.80 → 99.01; net 79.22 → VAT 19.805 → 19.81 → 99.03
    let result = netsFromGross('SEK', [line(9902n, R25)]);
    expect(result.lines.map((l) => l.net.minor)).toEqual([7921n]);
    expect(result.groups[0]).toMatchObject({ taxable: sek(7921n), vat: sek(1980n), rounding: sek(1n) });
    expect(result.rounding.minor).toBe(1n);
    // 3 × 0.99 incl. 25 % = 2.97: 2.37 + 0.59 = 2.96, 2.38 + 0.60 = 2.98
    result = netsFromGross('SEK', [line(99n, R25), line(99n, R25), line(99n, R25)]);
    expect(result.lines.map((l) => l.net.minor)).toEqual([79n, 79n, 79n]);
    expect(result.rounding.minor).toBe(1n);
    // 19.99 + 29.99 incl. 12 % = 49.98: 44.62 + 5.35 = 49.97, 44.63 + 5.36 = 49.99
    result = netsFromGross('SEK', [line(1999n, R12), line(2999n, R12)]);
    expect(result.lines.map((l) => l.net.minor)).toEqual([1785n, 2677n]);
    expect(result.rounding.minor).toBe(1n);
    // credits mirror it
    result = netsFromGross('SEK', [line(-9902n, R25)]);
    expect(result.lines.map((l) => l.net.minor)).toEqual([-7921n]);
    expect(result.rounding.minor).toBe(-1n);
  });

  it('zero-rated, exempt and reverse-charge lines: net = gross', () => {
    const lines = [line(10000n, R0, 'Z'), line(5000n, R0, 'E'), line(333n, R0, 'AE')];
    expect(nets(lines)).toEqual([10000n, 5000n, 333n]);
  });

  it('refuses a rate that does not fit the category and a foreign currency', () => {
    expect(() => netsFromGross('SEK', [line(100n, R0, 'S')])).toThrow(/category S/);
    expect(() => netsFromGross('SEK', [line(100n, R25, 'Z')])).toThrow(/category Z/);
    expect(() => netsFromGross('SEK', [{ gross: money(100n, 'EUR'), vatRate: R25, vatCategory: 'S' }])).toThrow(/EUR/);
  });

  it('an empty document has no lines and no rounding', () => {
    const result = netsFromGross('SEK', []);
    expect(result.lines).toEqual([]);
    expect(result.groups).toEqual([]);
    expect(result.rounding.minor).toBe(0n);
  });

  const rateArb = fc.constantFrom(R25, R12, R6, decimal4('7.5'), decimal4('0.0001'), decimal4('100'));
  const linesArb = fc.array(
    fc.oneof(
      fc.record({ gross: fc.bigInt({ min: 0n, max: 10_000_000n }), rate: rateArb }),
      fc.record({ gross: fc.bigInt({ min: -100_000n, max: 100_000n }), rate: rateArb }),
    ),
    { minLength: 1, maxLength: 12 },
  );

  it('net + document VAT + rounding reproduces the entered gross of every rate group exactly (property)', () => {
    fc.assert(
      fc.property(linesArb, (raw) => {
        const lines = raw.map((l) => line(l.gross, l.rate));
        const result = netsFromGross('SEK', lines);
        const totals = documentTotals('SEK', result.lines);
        for (const row of totals.breakdown) {
          const entered = lines.filter((l) => l.vatRate.scaled === row.vatRate.scaled).reduce((s, l) => s + l.gross.minor, 0n);
          const group = result.groups.find((g) => g.vatRate.scaled === row.vatRate.scaled);
          expect(group).toBeDefined();
          expect(group?.taxable.minor).toBe(row.taxable.minor);
          expect(group?.vat.minor).toBe(row.vat.minor);
          expect(row.taxable.minor + row.vat.minor + (group?.rounding.minor ?? 0n)).toBe(entered);
          const r = group?.rounding.minor ?? 0n;
          expect(r === 0n || r === 1n || r === -1n).toBe(true);
          if (r !== 0n) {
            // …and rounding is only ever used when no taxable amount reproduces the gross.
            for (let n = row.taxable.minor - 5n; n <= row.taxable.minor + 5n; n++) {
              expect(n + divRound(n * row.vatRate.scaled, 1_000_000n, 'half_up')).not.toBe(entered);
            }
          }
        }
        expect(totals.gross.minor + result.rounding.minor).toBe(lines.reduce((s, l) => s + l.gross.minor, 0n));
        // only the largest line of a group moves off its own netFromGross, and by little
        const moved = result.lines.filter((l, i) => l.net.minor !== netFromGross(lines[i]?.gross.minor ?? 0n, l.vatRate));
        expect(moved.length).toBeLessThanOrEqual(result.groups.length);
      }),
    );
  });

  it('a gross that some net reproduces is always reproduced without rounding (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -10_000_000n, max: 10_000_000n }), rateArb, (taxable, rate) => {
        const gross = taxable + divRound(taxable * rate.scaled, 1_000_000n, 'half_up');
        const result = netsFromGross('SEK', [line(gross, rate)]);
        expect(result.rounding.minor).toBe(0n);
        const totals = documentTotals('SEK', result.lines);
        expect(totals.gross.minor).toBe(gross);
      }),
    );
  });
});

describe('grossFromNet', () => {
  it('is round(net × (100 + rate) / 100), half up', () => {
    expect(grossFromNet(12170n, R6)).toBe(12900n); // 121.70 × 1.06 = 129.002 → 129.00
    expect(grossFromNet(7920n, R25)).toBe(9900n); // 79.20 × 1.25 = 99.00
    expect(grossFromNet(1n, R25)).toBe(1n); // 0.0125 → 0.01
    expect(grossFromNet(2n, R25)).toBe(3n); // 0.025 → 0.03 (tie away from zero)
    expect(grossFromNet(-2n, R25)).toBe(-3n);
    expect(grossFromNet(1000n, R0)).toBe(1000n);
  });
});

describe('pricedLinesFromGross', () => {
  const priced = (p: Partial<GrossPricedLine> & Pick<GrossPricedLine, 'baseGross' | 'vatRate'>): GrossPricedLine => ({
    quantityScaled: 10_000n,
    unitGross: p.baseGross,
    lineDiscountGross: 0n,
    quoteDiscountGross: 0n,
    vatCategory: 'S',
    included: true,
    ...p,
  });

  it('B2C basket 3 × 99.00 (25 %), 49.90 food + 2 × 129.00 books (6 %), 109.90 (12 %): known nets and a 0.01 rounding', () => {
    // 25 %: 297.00 / 1.25 = 237.60 exactly; VAT 59.40.
    // 6 %: 307.90 → taxable 290.47 (290.47 + round(17.4282) = 290.47 + 17.43 = 307.90); lines
    //      netFromGross: 258.00/1.06 = 243.396 → 243.40, 49.90/1.06 = 47.075 → 47.08, sum 290.48:
    //      −0.01 to the largest line (books) → 243.39 + 47.08.
    // 12 %: 109.90 → 98.12 + round(11.7744) = 109.89; 98.13 + round(11.7756) = 109.91: no net gives
    //      109.90, so taxable 98.12, VAT 11.77 and rounding +0.01.
    const r = pricedLinesFromGross('SEK', [
      priced({ quantityScaled: 30_000n, unitGross: 9900n, baseGross: 29700n, vatRate: R25 }),
      priced({ baseGross: 4990n, vatRate: R6 }),
      priced({ quantityScaled: 20_000n, unitGross: 12900n, baseGross: 25800n, vatRate: R6 }),
      priced({ baseGross: 10990n, vatRate: R12 }),
    ]);
    expect(r.lines.map((l) => l.net)).toEqual([23760n, 4708n, 24339n, 9812n]);
    // unit prices: 237.60 / 3 = 79.20; 243.39 / 2 = 121.695 → 121.70
    expect(r.lines.map((l) => l.unitPrice)).toEqual([7920n, 4708n, 12170n, 9812n]);
    expect(r.rounding.minor).toBe(1n);
    const totals = documentTotals('SEK', r.lines.map((l, i) => ({ net: sek(l.net), vatRate: [R25, R6, R6, R12][i]!, vatCategory: 'S' as const })));
    expect(totals.net.minor).toBe(62619n);
    expect(totals.vat.minor).toBe(8860n); // 59.40 + 17.43 + 11.77
    expect(totals.gross.minor + r.rounding.minor).toBe(71480n); // 297.00 + 307.90 + 109.90
  });

  it('converts discounts separately so base − discounts = net; a line outside the totals is converted alone', () => {
    // 2 × 125.00 incl. 25 % less 10 % (25.00) less a quote share 5.00: pays 220.00 → net 176.00;
    // discounts 25.00 → 20.00 and 5.00 → 4.00; base 176.00 + 24.00 = 200.00; unit 100.00.
    const r = pricedLinesFromGross('SEK', [
      priced({ quantityScaled: 20_000n, unitGross: 12500n, baseGross: 25000n, lineDiscountGross: 2500n, quoteDiscountGross: 500n, vatRate: R25 }),
      priced({ baseGross: 10990n, vatRate: R12, included: false }),
    ]);
    expect(r.lines[0]).toEqual({ unitPrice: 10000n, base: 20000n, lineDiscount: 2000n, quoteDiscount: 400n, net: 17600n });
    // not in the totals: netFromGross(109.90, 12 %) = 98.125 → 98.13, and no rounding
    expect(r.lines[1]?.net).toBe(9813n);
    expect(r.rounding.minor).toBe(0n);
  });

  it('keeps base − discounts = net and the gross of the lines in the totals (property)', () => {
    const lineArb = fc.record({
      quantityScaled: fc.bigInt({ min: 1n, max: 1_000_000n }),
      unitGross: fc.bigInt({ min: 0n, max: 1_000_000n }),
      baseGross: fc.bigInt({ min: 0n, max: 10_000_000n }),
      discountPermille: fc.bigInt({ min: 0n, max: 1000n }),
      rate: fc.constantFrom(R25, R12, R6),
      included: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), (ls) => {
        const input = ls.map((l) =>
          priced({
            quantityScaled: l.quantityScaled,
            unitGross: l.unitGross,
            baseGross: l.baseGross,
            lineDiscountGross: (l.baseGross * l.discountPermille) / 1000n,
            vatRate: l.rate,
            included: l.included,
          }),
        );
        const r = pricedLinesFromGross('SEK', input);
        r.lines.forEach((n) => expect(n.base - n.lineDiscount - n.quoteDiscount).toBe(n.net));
        const inTotals = r.lines.flatMap((n, i) => (input[i]!.included ? [{ net: sek(n.net), vatRate: input[i]!.vatRate, vatCategory: 'S' as const }] : []));
        const entered = input.filter((l) => l.included).reduce((a, l) => a + l.baseGross - l.lineDiscountGross, 0n);
        expect(documentTotals('SEK', inTotals).gross.minor + r.rounding.minor).toBe(entered);
      }),
    );
  });
});
