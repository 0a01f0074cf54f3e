import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { formatAmount, money } from '../money/money.js';
import type { Money } from '../money/money.js';
import { decimal4, formatDecimal4 } from '../money/quantity.js';
import { LINE_ROUNDING, VAT_ROUNDING, documentTotals, lineAmounts, partialLineNet } from './lines.js';
import type { TaxedAmount } from './lines.js';
import type { VatCategory } from '../tax/vat.js';

const sek = (minor: bigint): Money<'SEK'> => money(minor, 'SEK');
const q = decimal4;
const pct = decimal4;
const fmt = (a: { gross: Money; discount: Money; net: Money }): string =>
  `${formatAmount(a.gross)} - ${formatAmount(a.discount)} = ${formatAmount(a.net)}`;
const taxed = (netMinor: bigint, rate: string, vatCategory: VatCategory = 'S'): TaxedAmount => ({
  net: sek(netMinor),
  vatRate: pct(rate),
  vatCategory,
});

describe('rounding policies', () => {
  it('are commercial rounding (half away from zero)', () => {
    expect(LINE_ROUNDING).toBe('half_up');
    expect(VAT_ROUNDING).toBe('half_up');
  });
});

describe('lineAmounts', () => {
  it('3 × 99.90 SEK with 10 % discount', () => {
    expect(fmt(lineAmounts(q('3'), sek(9990n), pct('10')))).toBe('299.70 - 29.97 = 269.73');
  });

  it('no discount, fractional quantity: one half-up rounding', () => {
    expect(fmt(lineAmounts(q('2.5'), sek(33n), pct('0')))).toBe('0.83 - 0.00 = 0.83'); // 82.5 öre → 83
    expect(fmt(lineAmounts(q('0.0001'), sek(4_999n), pct('0')))).toBe('0.00 - 0.00 = 0.00'); // 0.4999 öre
    expect(fmt(lineAmounts(q('0.0001'), sek(5_000n), pct('0')))).toBe('0.01 - 0.00 = 0.01'); // 0.5 öre
  });

  it('net is rounded once from the exact value, not from a rounded gross or discount', () => {
    // exact gross 148.5 öre → 149; exact net 148.5 × 66.6667 % = 99.00005 öre → 99;
    // rounding the discount separately (49.49995 → 49) would have given net 100.
    const a = lineAmounts(q('1.5'), sek(99n), pct('33.3333'));
    expect([a.gross.minor, a.discount.minor, a.net.minor]).toEqual([149n, 50n, 99n]);
  });

  it('100 % discount nets to zero; negative prices (credits) mirror', () => {
    expect(fmt(lineAmounts(q('7'), sek(1_234n), pct('100')))).toBe('86.38 - 86.38 = 0.00');
    expect(fmt(lineAmounts(q('2.5'), sek(-33n), pct('0')))).toBe('-0.83 - 0.00 = -0.83');
    expect(fmt(lineAmounts(q('3'), sek(-9_990n), pct('10')))).toBe('-299.70 - -29.97 = -269.73');
  });

  it('uses the currency minor unit (JPY 0 decimals, KWD 3)', () => {
    const jpy = lineAmounts(q('1.5'), money(333n, 'JPY'), pct('0'));
    expect(formatAmount(jpy.net)).toBe('500'); // 499.5 → 500
    const kwd = lineAmounts(q('2'), money(1_250n, 'KWD'), pct('12.5'));
    expect(formatAmount(kwd.net)).toBe('2.188'); // 2.5 × 0.875 = 2.1875 → 2.188
    expect(kwd.net.currency).toBe('KWD');
  });

  it('rejects a discount outside 0–100 %', () => {
    expect(() => lineAmounts(q('1'), sek(100n), pct('100.0001'))).toThrow(/discount/);
    expect(() => lineAmounts(q('1'), sek(100n), pct('-1'))).toThrow(/discount/);
  });

  it('property: gross − discount = net; net within half a unit of the exact value; discount has the sign of gross', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 1_000_000n }),
        (qScaled, price, dScaled) => {
          const a = lineAmounts({ scaled: qScaled }, sek(price), { scaled: dScaled });
          expect(a.gross.minor - a.discount.minor).toBe(a.net.minor);
          // |net − price·q·(1 − d)| ≤ 1/2 unit, in units of 1/(10^4 · 10^6)
          const exact = price * qScaled * (1_000_000n - dScaled);
          const err = a.net.minor * 10_000_000_000n - exact;
          expect(2n * (err < 0n ? -err : err) <= 10_000_000_000n).toBe(true);
          if (price >= 0n) expect(a.discount.minor >= 0n).toBe(true);
          else expect(a.discount.minor <= 0n).toBe(true);
        },
      ),
    );
  });
});

describe('partialLineNet', () => {
  const plain = { unitPrice: sek(1_000n), discount: pct('33.3333') };
  const ordered = q('3');
  // whole line: 30.00 × 66.6667 % = 20.00001 → 20.00
  const whole = lineAmounts(ordered, plain.unitPrice, plain.discount);
  const line = { ordered, orderedGross: whole.gross, orderedNet: whole.net };

  it('prorates the frozen order line: one of three units of a 20.00 line is 6.67', () => {
    const first = partialLineNet({ ...line, alreadyInvoiced: q('0'), alreadyInvoicedNet: sek(0n), quantity: q('1') });
    expect(fmt(first)).toBe('10.00 - 3.33 = 6.67');
  });

  it('the part that completes the line takes the remainder, so the parts add up to the order line', () => {
    expect(whole.net.minor).toBe(2_000n);
    const second = partialLineNet({ ...line, alreadyInvoiced: q('1'), alreadyInvoicedNet: sek(667n), quantity: q('1') });
    expect(second.net.minor).toBe(666n); // running total round(20.00 × 2/3) = 13.33
    const last = partialLineNet({ ...line, alreadyInvoiced: q('2'), alreadyInvoicedNet: sek(1_333n), quantity: q('1') });
    expect(fmt(last)).toBe('10.00 - 3.33 = 6.67');
    expect(667n + 666n + last.net.minor).toBe(whole.net.minor);
  });

  it('a single part covering the whole line equals the line', () => {
    const all = partialLineNet({ ...line, alreadyInvoiced: q('0'), alreadyInvoicedNet: sek(0n), quantity: q('3') });
    expect(all).toEqual(whole);
  });

  it('charges what was agreed whatever priced the line: a tiered, amount-discounted net', () => {
    // 60 units priced by graduated tiers at 5 400.00, less a 400.00 amount discount and a 100.00 quote-discount share
    const tiered = { ordered: q('60'), orderedGross: sek(540_000n), orderedNet: sek(490_000n) };
    const part = partialLineNet({ ...tiered, alreadyInvoiced: q('0'), alreadyInvoicedNet: sek(0n), quantity: q('15') });
    expect(fmt(part)).toBe('1350.00 - 125.00 = 1225.00');
  });

  it('when rounding makes the part discount negative, gross is set to net and discount is zero', () => {
    // a 2-öre line of 0.5 units: after 0.4 (gross 1.6 → 2, net 1.6 → 2 taken as 0 earlier), the last part nets 2
    const tiny = { ordered: q('0.5'), orderedGross: sek(2n), orderedNet: sek(2n) };
    const last = partialLineNet({ ...tiny, alreadyInvoiced: q('0.4'), alreadyInvoicedNet: sek(0n), quantity: q('0.1') });
    expect([last.gross.minor, last.discount.minor, last.net.minor]).toEqual([2n, 0n, 2n]);
  });

  it('running total: parts are never negative and always add up to the order line (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10_000_000n }),
        fc.bigInt({ min: 0n, max: 10_000_000n }),
        fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 12 }),
        (a, b, parts) => {
          const [net, gross] = a <= b ? [a, b] : [b, a];
          const orderedQ = { scaled: parts.reduce((x, y) => x + BigInt(y), 0n) };
          const l = { ordered: orderedQ, orderedGross: sek(gross), orderedNet: sek(net) };
          let invoiced = { scaled: 0n };
          let invoicedNet = 0n;
          let invoicedGross = 0n;
          for (const part of parts) {
            const r = partialLineNet({ ...l, alreadyInvoiced: invoiced, alreadyInvoicedNet: sek(invoicedNet), quantity: { scaled: BigInt(part) } });
            expect(r.net.minor >= 0n && r.discount.minor >= 0n).toBe(true);
            expect(r.gross.minor - r.discount.minor).toBe(r.net.minor);
            invoiced = { scaled: invoiced.scaled + BigInt(part) };
            invoicedNet += r.net.minor;
            invoicedGross += r.gross.minor;
          }
          expect(invoicedNet).toBe(net);
          expect(invoicedGross >= net).toBe(true);
        },
      ),
    );
  });

  it('refuses to invoice more than ordered, and non-positive parts', () => {
    const base = { ...line, alreadyInvoicedNet: sek(1_333n) };
    expect(() => partialLineNet({ ...base, alreadyInvoiced: q('2'), quantity: q('1.0001') })).toThrow(/exceed/);
    expect(() => partialLineNet({ ...base, alreadyInvoiced: q('2'), quantity: q('0') })).toThrow(/positive/);
    expect(() => partialLineNet({ ...base, alreadyInvoiced: q('-1'), quantity: q('1') })).toThrow(/negative/);
  });

  it('refuses mixed currencies', () => {
    expect(() =>
      partialLineNet({ ...line, orderedNet: money(2_000n, 'EUR') as Money, alreadyInvoiced: q('2'), alreadyInvoicedNet: sek(1_333n), quantity: q('1') }),
    ).toThrow(DomainError);
  });
});

describe('documentTotals', () => {
  it('3 × 99.90 SEK at 25 % with 10 % discount, plus food at 6 % and an exempt fee', () => {
    const goods = lineAmounts(q('3'), sek(9_990n), pct('10')).net; // 269.73
    const food = lineAmounts(q('2'), sek(4_950n), pct('0')).net; // 99.00
    const fee = sek(2_500n); // 25.00 exempt
    const t = documentTotals('SEK', [
      { net: fee, vatRate: pct('0'), vatCategory: 'E' },
      { net: goods, vatRate: pct('25'), vatCategory: 'S' },
      { net: food, vatRate: pct('6'), vatCategory: 'S' },
    ]);
    expect(formatAmount(t.net)).toBe('393.73');
    expect(formatAmount(t.vat)).toBe('73.37'); // 67.4325 → 67.43, 5.94, 0
    expect(formatAmount(t.gross)).toBe('467.10');
    expect(t.breakdown.map((b) => `${b.vatCategory} ${formatDecimal4(b.vatRate)} ${formatAmount(b.taxable)} ${formatAmount(b.vat)}`)).toEqual([
      'S 25 269.73 67.43',
      'S 6 99.00 5.94',
      'E 0 25.00 0.00',
    ]);
  });

  it('rounds VAT once per rate group, not per line', () => {
    // three lines of 0.01 SEK at 25 %: per line 0.0025 → 0 each, per document 0.0075 → 0.01
    const t = documentTotals('SEK', [taxed(1n, '25'), taxed(1n, '25'), taxed(1n, '25')]);
    expect(t.breakdown).toHaveLength(1);
    expect(t.vat.minor).toBe(1n);
    expect(t.gross.minor).toBe(4n);
  });

  it('half-up VAT rounding, mirrored for credits', () => {
    expect(documentTotals('SEK', [taxed(2n, '25')]).vat.minor).toBe(1n); // 0.5 öre → 1
    expect(documentTotals('SEK', [taxed(-2n, '25')]).vat.minor).toBe(-1n);
    expect(documentTotals('SEK', [taxed(10n, '12')]).vat.minor).toBe(1n); // 1.2 → 1
    expect(documentTotals('SEK', [taxed(-10n, '12')]).vat.minor).toBe(-1n);
  });

  it('orders the breakdown by rate descending, then category code; groups equal (category, rate)', () => {
    const t = documentTotals('SEK', [
      taxed(100n, '0', 'Z'),
      taxed(100n, '6'),
      taxed(100n, '0', 'AE'),
      taxed(100n, '25'),
      taxed(100n, '12'),
      taxed(100n, '0', 'E'),
      taxed(50n, '25'),
      taxed(100n, '0', 'K'),
    ]);
    expect(t.breakdown.map((b) => `${b.vatCategory}${formatDecimal4(b.vatRate)}:${b.taxable.minor}`)).toEqual([
      'S25:150',
      'S12:100',
      'S6:100',
      'AE0:100',
      'E0:100',
      'K0:100',
      'Z0:100',
    ]);
  });

  it('an empty document is all zeros in its currency', () => {
    const t = documentTotals('EUR', []);
    expect(t).toEqual({ net: money(0n, 'EUR'), vat: money(0n, 'EUR'), gross: money(0n, 'EUR'), breakdown: [] });
  });

  it('refuses lines in another currency, and rates that do not fit the category', () => {
    let caught: unknown;
    try {
      documentTotals('EUR', [taxed(1n, '25')]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    expect((caught as DomainError).code).toBe('currency_mismatch');
    expect(() => documentTotals('SEK', [taxed(1n, '0', 'S')])).toThrow(/category S/);
    expect(() => documentTotals('SEK', [taxed(1n, '25', 'Z')])).toThrow(/category Z/);
    expect(() => documentTotals('SEK', [taxed(1n, '25', 'AE')])).toThrow(/category AE/);
    expect(() => documentTotals('SEK', [taxed(1n, '100.0001')])).toThrow(/out of range/);
  });

  const lineArb: fc.Arbitrary<TaxedAmount> = fc
    .record({
      net: fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
      kind: fc.constantFrom<[VatCategory, string]>(
        ['S', '25'],
        ['S', '12'],
        ['S', '6'],
        ['S', '12.5'],
        ['S', '0.0001'],
        ['Z', '0'],
        ['E', '0'],
        ['AE', '0'],
        ['O', '0'],
      ),
    })
    .map(({ net, kind }) => taxed(net, kind[1], kind[0]));

  it('property: totals add up and each group VAT is within half a minor unit of exact', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 40 }), (lines) => {
        const t = documentTotals('SEK', lines);
        const lineSum = lines.reduce((acc, l) => acc + l.net.minor, 0n);
        expect(t.net.minor).toBe(lineSum);
        expect(t.breakdown.reduce((acc, b) => acc + b.taxable.minor, 0n)).toBe(lineSum);
        expect(t.breakdown.reduce((acc, b) => acc + b.vat.minor, 0n)).toBe(t.vat.minor);
        expect(t.gross.minor).toBe(t.net.minor + t.vat.minor);
        const keys = new Set<string>();
        t.breakdown.forEach((b, i) => {
          // |vat − taxable × rate / 100| ≤ 1/2, in units of 1/10^6
          const err = b.vat.minor * 1_000_000n - b.taxable.minor * b.vatRate.scaled;
          expect(2n * (err < 0n ? -err : err) <= 1_000_000n).toBe(true);
          const groupSum = lines
            .filter((l) => l.vatCategory === b.vatCategory && l.vatRate.scaled === b.vatRate.scaled)
            .reduce((acc, l) => acc + l.net.minor, 0n);
          expect(b.taxable.minor).toBe(groupSum);
          keys.add(`${b.vatCategory}|${b.vatRate.scaled}`);
          const next = t.breakdown[i + 1];
          if (next !== undefined) {
            expect(
              b.vatRate.scaled > next.vatRate.scaled ||
                (b.vatRate.scaled === next.vatRate.scaled && b.vatCategory < next.vatCategory),
            ).toBe(true);
          }
        });
        expect(keys.size).toBe(t.breakdown.length);
      }),
    );
  });

  it('does not depend on line order', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 20 }), (lines) => {
        expect(documentTotals('SEK', [...lines].reverse())).toEqual(documentTotals('SEK', lines));
      }),
    );
  });
});
