import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { decimal4 } from '../money/quantity.js';
import { diffQuoteVersions, isEmptyDiff } from './diff.js';
import type { QuoteDiscount, QuoteVersionLine, QuoteVersionSnapshot } from './diff.js';

const line = (over: Partial<QuoteVersionLine> & Pick<QuoteVersionLine, 'lineKey' | 'lineNo'>): QuoteVersionLine => ({
  productId: 'prd_1',
  description: 'Widget',
  quantity: decimal4('1'),
  unitPriceMinor: 10_000n,
  discount: null,
  optional: false,
  netAmountMinor: 10_000n,
  ...over,
});

/** Version 1: three lines, 10 % quote discount. */
const v1: QuoteVersionSnapshot = {
  version: 1,
  currency: 'SEK',
  validUntil: '2026-03-31',
  paymentTermsDays: 30,
  notes: null,
  quoteDiscount: { kind: 'percent', percent: decimal4('10') },
  netTotalMinor: 90_000n,
  grossTotalMinor: 112_500n,
  lines: [
    line({ lineKey: 'a', lineNo: 1, description: 'Consulting', quantity: decimal4('10'), unitPriceMinor: 125_000n, netAmountMinor: 1_250_000n }),
    line({ lineKey: 'b', lineNo: 2, description: 'Licence', quantity: decimal4('2.5'), unitPriceMinor: 40_000n, netAmountMinor: 100_000n }),
    line({ lineKey: 'c', lineNo: 3, description: 'Travel', productId: null, netAmountMinor: 10_000n }),
  ],
};

const withVersion = (v: QuoteVersionSnapshot, over: Partial<QuoteVersionSnapshot>): QuoteVersionSnapshot => ({ ...v, ...over });

describe('diffQuoteVersions: concrete versions', () => {
  it('finds nothing between a version and an identical copy', () => {
    const copy = withVersion(structuredClone(v1), { version: 2 });
    const d = diffQuoteVersions(v1, copy);
    expect(d).toMatchObject({ from: 1, to: 2, added: [], removed: [], changed: [], header: [] });
    expect(d.totals).toEqual({ netFromMinor: 90_000n, netToMinor: 90_000n, grossFromMinor: 112_500n, grossToMinor: 112_500n });
    expect(isEmptyDiff(d)).toBe(true);
  });

  it('reports an added line in the newer order and a removed line in the older order', () => {
    const d1 = line({ lineKey: 'd', lineNo: 1, description: 'Setup' });
    const e = line({ lineKey: 'e', lineNo: 4, description: 'Support' });
    const [a, b, c] = v1.lines as [QuoteVersionLine, QuoteVersionLine, QuoteVersionLine];
    // newer: e and d added (given out of order), b removed, a and c moved down by one
    const v2 = withVersion(v1, { version: 2, lines: [e, { ...a, lineNo: 2 }, { ...c, lineNo: 3 }, d1] });
    const d = diffQuoteVersions(v1, v2);
    expect(d.added.map((l) => l.lineKey)).toEqual(['d', 'e']);
    expect(d.removed).toEqual([b]);
    // renumbering alone is not a change
    expect(d.changed).toEqual([]);
    expect(isEmptyDiff(d)).toBe(false);
  });

  it('reports price, quantity and discount changes with display strings and the net change', () => {
    const v2 = withVersion(v1, {
      version: 2,
      lines: [
        { ...v1.lines[0]!, quantity: decimal4('12.5'), unitPriceMinor: 120_000n, netAmountMinor: 1_500_000n },
        { ...v1.lines[1]!, discount: { kind: 'percent', percent: decimal4('12.5') }, netAmountMinor: 87_500n },
        { ...v1.lines[2]!, discount: { kind: 'amount', amountMinor: 2_550n }, netAmountMinor: 7_450n },
      ],
    });
    const d = diffQuoteVersions(v1, v2);
    expect(d.changed).toEqual([
      {
        lineKey: 'a',
        description: 'Consulting',
        changes: [
          { field: 'quantity', from: '10', to: '12.5' },
          { field: 'unit_price', from: '1250.00', to: '1200.00' },
        ],
        netChangeMinor: 250_000n,
      },
      {
        lineKey: 'b',
        description: 'Licence',
        changes: [{ field: 'discount', from: 'none', to: '12.5 %' }],
        netChangeMinor: -12_500n,
      },
      {
        lineKey: 'c',
        description: 'Travel',
        changes: [{ field: 'discount', from: 'none', to: '25.50' }],
        netChangeMinor: -2_550n,
      },
    ]);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
  });

  it('orders removed lines by their number in the older version, whatever order they come in', () => {
    const older = withVersion(v1, { lines: [v1.lines[2]!, v1.lines[0]!, v1.lines[1]!] });
    const newer = withVersion(v1, { version: 2, lines: [] });
    expect(diffQuoteVersions(older, newer).removed.map((l) => l.lineKey)).toEqual(['a', 'b', 'c']);
    expect(diffQuoteVersions(newer, older).added.map((l) => l.lineKey)).toEqual(['a', 'b', 'c']);
  });

  it('reports description, product and optional changes, and names the line by its new description', () => {
    const v2 = withVersion(v1, {
      version: 2,
      lines: [v1.lines[0]!, v1.lines[1]!, { ...v1.lines[2]!, description: 'Travel (Kiruna)', productId: 'prd_9', optional: true }],
    });
    expect(diffQuoteVersions(v1, v2).changed).toEqual([
      {
        lineKey: 'c',
        description: 'Travel (Kiruna)',
        changes: [
          { field: 'product', from: 'none', to: 'prd_9' },
          { field: 'description', from: 'Travel', to: 'Travel (Kiruna)' },
          { field: 'optional', from: 'no', to: 'yes' },
        ],
        netChangeMinor: 0n,
      },
    ]);
  });

  it('tells a percentage discount from an amount discount of the same digits', () => {
    const p: QuoteDiscount = { kind: 'percent', percent: decimal4('10') };
    const amt: QuoteDiscount = { kind: 'amount', amountMinor: 1_000n };
    const v2 = withVersion(v1, { version: 2, quoteDiscount: amt, lines: [{ ...v1.lines[0]!, discount: p }, ...v1.lines.slice(1)] });
    const v3 = withVersion(v2, { version: 3, quoteDiscount: p, lines: [{ ...v1.lines[0]!, discount: amt }, ...v1.lines.slice(1)] });
    const d = diffQuoteVersions(v2, v3);
    expect(d.header).toEqual([{ field: 'quote_discount', from: '10.00', to: '10 %' }]);
    expect(d.changed[0]?.changes).toEqual([{ field: 'discount', from: '10 %', to: '10.00' }]);
  });

  it('reports a line whose net moved although no compared field did', () => {
    const v2 = withVersion(v1, { version: 2, lines: [v1.lines[0]!, v1.lines[1]!, { ...v1.lines[2]!, netAmountMinor: 9_999n }] });
    expect(diffQuoteVersions(v1, v2).changed).toEqual([{ lineKey: 'c', description: 'Travel', changes: [], netChangeMinor: -1n }]);
  });

  it('reports header changes in a fixed order, null where a value is absent', () => {
    const v2 = withVersion(v1, {
      version: 2,
      validUntil: '2026-04-30',
      paymentTermsDays: 10,
      notes: 'Prices valid for the whole order',
      quoteDiscount: null,
      netTotalMinor: 100_000n,
      grossTotalMinor: 125_000n,
    });
    const d = diffQuoteVersions(v1, v2);
    expect(d.header).toEqual([
      { field: 'valid_until', from: '2026-03-31', to: '2026-04-30' },
      { field: 'payment_terms_days', from: '30', to: '10' },
      { field: 'notes', from: null, to: 'Prices valid for the whole order' },
      { field: 'quote_discount', from: '10 %', to: null },
    ]);
    expect(d.totals).toEqual({ netFromMinor: 90_000n, netToMinor: 100_000n, grossFromMinor: 112_500n, grossToMinor: 125_000n });
    expect(d.changed).toEqual([]);
  });

  it('formats amounts in the currency decimals', () => {
    const jpy = withVersion(v1, { currency: 'JPY', quoteDiscount: null, lines: [line({ lineKey: 'a', lineNo: 1, unitPriceMinor: 1500n })] });
    const jpy2 = withVersion(jpy, { version: 2, lines: [line({ lineKey: 'a', lineNo: 1, unitPriceMinor: 1200n })] });
    expect(diffQuoteVersions(jpy, jpy2).changed[0]?.changes).toEqual([{ field: 'unit_price', from: '1500', to: '1200' }]);
  });

  it('refuses versions in different currencies and duplicate line keys', () => {
    const eur = withVersion(v1, { version: 2, currency: 'EUR' });
    expect(() => diffQuoteVersions(v1, eur)).toThrow(DomainError);
    expect(() => diffQuoteVersions(v1, eur)).toThrow(/SEK.*EUR/);
    const dup = withVersion(v1, { version: 2, lines: [v1.lines[0]!, { ...v1.lines[1]!, lineKey: 'a' }] });
    expect(() => diffQuoteVersions(v1, dup)).toThrow(/two lines with key 'a'/);
  });
});

// Properties ---------------------------------------------------------------------------------------

const discountArb: fc.Arbitrary<QuoteDiscount | null> = fc.oneof(
  fc.constant(null),
  fc.integer({ min: 0, max: 1_000_000 }).map((n): QuoteDiscount => ({ kind: 'percent', percent: { scaled: BigInt(n) } })),
  fc.bigInt({ min: 0n, max: 10_000_000n }).map((m): QuoteDiscount => ({ kind: 'amount', amountMinor: m })),
);

/** Line contents drawn from small domains so that two versions often share values. */
const lineBodyArb = fc.record({
  productId: fc.constantFrom(null, 'prd_1', 'prd_2'),
  description: fc.constantFrom('Widget', 'Gadget', 'Service'),
  quantity: fc.integer({ min: 1, max: 3 }).map((n) => ({ scaled: BigInt(n) * 5_000n })),
  unitPriceMinor: fc.constantFrom(100n, 250n, 9_999n),
  discount: discountArb,
  optional: fc.boolean(),
  netAmountMinor: fc.constantFrom(0n, 100n, 200n),
});

const versionArb = (version: number): fc.Arbitrary<QuoteVersionSnapshot> =>
  fc
    .record({
      keys: fc.uniqueArray(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6'), { maxLength: 6 }),
      bodies: fc.array(lineBodyArb, { minLength: 6, maxLength: 6 }),
      validUntil: fc.constantFrom('2026-01-31', '2026-02-28'),
      paymentTermsDays: fc.constantFrom(10, 30),
      notes: fc.constantFrom(null, 'note'),
      quoteDiscount: discountArb,
      netTotalMinor: fc.bigInt({ min: 0n, max: 1_000n }),
      grossTotalMinor: fc.bigInt({ min: 0n, max: 1_000n }),
    })
    .map(({ keys, bodies, ...header }) => ({
      version,
      currency: 'SEK',
      ...header,
      lines: keys.map((lineKey, i) => ({ lineKey, lineNo: i + 1, ...bodies[i]! })),
    }));

describe('diffQuoteVersions: properties', () => {
  it('diff(a, a) is empty', () => {
    fc.assert(
      fc.property(versionArb(1), (a) => {
        const d = diffQuoteVersions(a, a);
        expect(isEmptyDiff(d)).toBe(true);
        expect(d.added).toEqual([]);
        expect(d.removed).toEqual([]);
        expect(d.changed).toEqual([]);
        expect(d.header).toEqual([]);
      }),
    );
  });

  it('swapping the arguments swaps added and removed, and mirrors every change', () => {
    fc.assert(
      fc.property(versionArb(1), versionArb(2), (a, b) => {
        const ab = diffQuoteVersions(a, b);
        const ba = diffQuoteVersions(b, a);
        const keys = (ls: readonly QuoteVersionLine[]) => ls.map((l) => l.lineKey).sort();
        expect(keys(ab.added)).toEqual(keys(ba.removed));
        expect(keys(ab.removed)).toEqual(keys(ba.added));
        const mirror = new Map(ba.changed.map((c) => [c.lineKey, c]));
        expect(ab.changed.length).toBe(ba.changed.length);
        for (const c of ab.changed) {
          const back = mirror.get(c.lineKey);
          expect(back?.netChangeMinor).toBe(-c.netChangeMinor);
          expect(back?.changes).toEqual(c.changes.map((x) => ({ field: x.field, from: x.to, to: x.from })));
        }
        expect(ba.header).toEqual(ab.header.map((h) => ({ field: h.field, from: h.to, to: h.from })));
      }),
    );
  });

  it('accounts for every line exactly once', () => {
    fc.assert(
      fc.property(versionArb(1), versionArb(2), (a, b) => {
        const d = diffQuoteVersions(a, b);
        const aKeys = new Set(a.lines.map((l) => l.lineKey));
        const bKeys = new Set(b.lines.map((l) => l.lineKey));
        for (const l of d.added) expect(aKeys.has(l.lineKey) || !bKeys.has(l.lineKey)).toBe(false);
        for (const l of d.removed) expect(bKeys.has(l.lineKey) || !aKeys.has(l.lineKey)).toBe(false);
        for (const c of d.changed) expect(aKeys.has(c.lineKey) && bKeys.has(c.lineKey)).toBe(true);
        expect(d.added.length).toBe([...bKeys].filter((k) => !aKeys.has(k)).length);
        expect(d.removed.length).toBe([...aKeys].filter((k) => !bKeys.has(k)).length);
        // added and changed come in the newer version's line order
        const newerNo = new Map(b.lines.map((l) => [l.lineKey, l.lineNo]));
        const nos = d.changed.map((c) => newerNo.get(c.lineKey) ?? 0);
        expect(nos).toEqual([...nos].sort((x, y) => x - y));
      }),
    );
  });
});
