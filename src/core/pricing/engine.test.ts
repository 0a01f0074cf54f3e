import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { documentTotals, lineAmounts } from '../documents/lines.js';
import { formatAmount, money } from '../money/money.js';
import { decimal4, formatDecimal4 } from '../money/quantity.js';
import type { Percent } from '../money/quantity.js';
import { priceQuote } from './engine.js';
import type { Discount, PricedLine, PricingContext, PricingLineInput, QuoteDiscount } from './engine.js';
import type { CustomerPrice, PriceListPrice } from './price-lists.js';
import type { PriceTier } from './tiers.js';

const q = decimal4;
const pct = decimal4;
const sek = (minor: bigint | undefined | null): string => (minor === undefined || minor === null ? String(minor) : formatAmount(money(minor, 'SEK')));

/** 1–10 at 100.00, 11–50 at 90.00, 51+ at 80.00 */
const TIERS: PriceTier[] = [
  { upTo: q('10'), unitPriceMinor: 10_000n },
  { upTo: q('50'), unitPriceMinor: 9_000n },
  { upTo: null, unitPriceMinor: 8_000n },
];

const general = (productId: string, price: bigint | { mode: 'graduated' | 'volume' }, over: Partial<PriceListPrice> = {}): PriceListPrice => ({
  priceListId: 'pl_general',
  productId,
  currency: 'SEK',
  customerGroup: null,
  validFrom: null,
  validTo: null,
  ...(typeof price === 'bigint' ? { unitPriceMinor: price } : { tiers: { mode: price.mode, tiers: TIERS } }),
  ...over,
});

const LIST: PriceListPrice[] = [
  general('prd_grad', { mode: 'graduated' }),
  general('prd_vol', { mode: 'volume' }),
  general('prd_flat', 25_000n),
  general('prd_flat', 20_000n, { priceListId: 'pl_wholesale', customerGroup: 'wholesale' }),
  general('prd_cust', 10_000n),
  general('prd_dear', 10_000n),
  general('prd_new', 12_000n, { priceListId: 'pl_2027', validFrom: '2027-01-01' }),
];

const CUSTOMER: CustomerPrice[] = [
  { customerPriceId: 'cp_1', customerId: 'cus_1', productId: 'prd_cust', currency: 'SEK', validFrom: null, validTo: null, unitPriceMinor: 8_500n },
  { customerPriceId: 'cp_2', customerId: 'cus_1', productId: 'prd_dear', currency: 'SEK', validFrom: null, validTo: null, unitPriceMinor: 11_000n },
  { customerPriceId: 'cp_3', customerId: 'cus_1', productId: 'prd_only', currency: 'SEK', validFrom: null, validTo: null, unitPriceMinor: 4_200n },
  { customerPriceId: 'cp_4', customerId: 'cus_1', productId: 'prd_grad', currency: 'SEK', validFrom: null, validTo: null, unitPriceMinor: 8_900n },
  { customerPriceId: 'cp_5', customerId: 'cus_2', productId: 'prd_flat', currency: 'SEK', validFrom: null, validTo: null, unitPriceMinor: 1n },
];

const CTX: PricingContext = {
  currency: 'SEK',
  date: '2026-12-04',
  customerId: 'cus_1',
  customerGroup: 'wholesale',
  listPrices: LIST,
  customerPrices: CUSTOMER,
};
/** A customer without a group or own prices. */
const PLAIN: PricingContext = { ...CTX, customerId: 'cus_9', customerGroup: null };

let keySeq = 0;
const line = (over: Partial<PricingLineInput> = {}): PricingLineInput => ({
  lineKey: `L${++keySeq}`,
  productId: null,
  description: 'Item',
  quantity: q('1'),
  unit: 'pcs',
  taxClass: 'standard',
  vatRate: pct('25'),
  vatCategory: 'S',
  ...over,
});
const manual = (priceMinor: bigint, over: Partial<PricingLineInput> = {}) => line({ unitPriceMinor: priceMinor, ...over });

const only = (ctx: PricingContext, l: PricingLineInput, d: QuoteDiscount = null): PricedLine => {
  const r = priceQuote(ctx, [l], d);
  const first = r.lines[0];
  if (first === undefined) throw new Error('no line');
  return first;
};
const steps = (l: PricedLine) => l.trail.map((s) => s.step);
const messages = (l: PricedLine) => l.trail.map((s) => s.message);

const failure = (f: () => unknown): { code: string; param: string | undefined; message: string } => {
  try {
    f();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { code: e.code, param: e.param, message: e.message };
  }
  throw new Error('expected a DomainError');
};

describe('base price: manual, list, tiers', () => {
  it('a manual price overrides every other source', () => {
    const l = only(CTX, line({ productId: 'prd_cust', unitPriceMinor: 9_990n, quantity: q('3') }));
    expect([l.priceSource, sek(l.unitPriceMinor), sek(l.baseAmountMinor)]).toEqual(['manual', '99.90', '299.70']);
    expect(steps(l)).toEqual(['manual_price', 'vat']);
    expect(l.trail[0]?.message).toBe('Manual price 99.90 SEK per unit: 3 pcs × 99.90 = 299.70 SEK');
  });

  it('a flat list price, from the general list for a customer without a group', () => {
    const l = only(PLAIN, line({ productId: 'prd_flat', quantity: q('2') }));
    expect([l.priceSource, sek(l.unitPriceMinor), sek(l.baseAmountMinor)]).toEqual(['list', '250.00', '500.00']);
    expect(l.trail[0]).toMatchObject({ step: 'list_price', source: 'pl_general', unitPriceMinor: 25_000n, amountMinor: 50_000n });
    expect(l.trail[0]?.message).toBe('List price 250.00 SEK per unit from price list pl_general: 2 pcs × 250.00 = 500.00 SEK');
  });

  it("the customer group's price list beats the general one", () => {
    const l = only(CTX, line({ productId: 'prd_flat', quantity: q('2') }));
    expect(sek(l.baseAmountMinor)).toBe('400.00');
    expect(l.trail[0]).toMatchObject({ step: 'list_price', source: 'pl_wholesale' });
    expect(l.trail[0]?.message).toContain('customer group wholesale');
  });

  it('graduated tiers: 60 units = 10 × 100 + 40 × 90 + 10 × 80 = 5400.00, one trail step per tier', () => {
    const l = only(PLAIN, line({ productId: 'prd_grad', quantity: q('60') }));
    expect(sek(l.baseAmountMinor)).toBe('5400.00');
    expect(sek(l.unitPriceMinor)).toBe('90.00');
    expect(steps(l)).toEqual(['list_price', 'tier', 'tier', 'tier', 'vat']);
    expect(messages(l).slice(0, 4)).toEqual([
      'Tiered list price (graduated) from price list pl_general: 60 pcs = 5400.00 SEK',
      'Tier 1–10 at 100.00 SEK (graduated): 10 × 100.00 = 1000.00 SEK',
      'Tier 11–50 at 90.00 SEK (graduated): 40 × 90.00 = 3600.00 SEK',
      'Tier 51+ at 80.00 SEK (graduated): 10 × 80.00 = 800.00 SEK',
    ]);
  });

  it('volume tiers: 60 units all at 80.00 = 4800.00', () => {
    const l = only(PLAIN, line({ productId: 'prd_vol', quantity: q('60') }));
    expect([sek(l.baseAmountMinor), sek(l.unitPriceMinor)]).toEqual(['4800.00', '80.00']);
    expect(messages(l)[1]).toBe('Tier 51+ at 80.00 SEK (volume): 60 × 80.00 = 4800.00 SEK');
  });

  it.each([
    ['10', '1000.00', '100.00', '1000.00', '100.00'],
    ['11', '1090.00', '99.09', '990.00', '90.00'],
    ['2.5', '250.00', '100.00', '250.00', '100.00'],
  ])('quantity %s: graduated %s (unit %s), volume %s (unit %s)', (quantity, gBase, gUnit, vBase, vUnit) => {
    const g = only(PLAIN, line({ productId: 'prd_grad', quantity: q(quantity) }));
    const v = only(PLAIN, line({ productId: 'prd_vol', quantity: q(quantity) }));
    expect([sek(g.baseAmountMinor), sek(g.unitPriceMinor), sek(v.baseAmountMinor), sek(v.unitPriceMinor)]).toEqual([gBase, gUnit, vBase, vUnit]);
  });

  it('validity dates: a price list that starts later does not apply yet', () => {
    expect(failure(() => only(CTX, line({ productId: 'prd_new' })))).toMatchObject({ code: 'unprocessable', param: 'lines.0.unit_price' });
    expect(sek(only({ ...CTX, date: '2027-01-01' }, line({ productId: 'prd_new' })).baseAmountMinor)).toBe('120.00');
  });

  it('no price source at all is unprocessable, naming the line', () => {
    const lines = [manual(100n), line({ productId: 'prd_nothing' })];
    const f = failure(() => priceQuote(CTX, lines));
    expect(f).toMatchObject({ code: 'unprocessable', param: 'lines.1.unit_price' });
    expect(f.message).toContain('prd_nothing');
    expect(failure(() => priceQuote(CTX, [line({ productId: null })]))).toMatchObject({ code: 'unprocessable', param: 'lines.0.unit_price' });
  });
});

describe('customer prices', () => {
  it('a customer price beating the list price replaces it', () => {
    const l = only(CTX, line({ productId: 'prd_cust', quantity: q('3') }));
    expect([l.priceSource, sek(l.unitPriceMinor), sek(l.baseAmountMinor)]).toEqual(['customer', '85.00', '255.00']);
    expect(steps(l)).toEqual(['list_price', 'customer_price', 'vat']);
    expect(l.trail[1]).toMatchObject({ source: 'cp_1', unitPriceMinor: 8_500n, amountMinor: 25_500n });
    expect(l.trail[1]?.message).toBe(
      'Customer price 85.00 SEK per unit is lower than the list price and replaces it: 3 pcs × 85.00 = 255.00 SEK instead of 300.00 SEK',
    );
  });

  it('a higher customer price is ignored, and the trail says so', () => {
    const l = only(CTX, line({ productId: 'prd_dear', quantity: q('3') }));
    expect([l.priceSource, sek(l.unitPriceMinor), sek(l.baseAmountMinor)]).toEqual(['list', '100.00', '300.00']);
    expect(l.trail[1]).toMatchObject({ step: 'customer_price', source: 'cp_2' });
    expect(l.trail[1]?.amountMinor).toBeUndefined();
    expect(l.trail[1]?.message).toContain('is not lower than the list price (300.00 SEK); ignored');
  });

  it('is compared with the tiered amount, not the first tier price', () => {
    // graduated 60 → 5400.00; customer 89.00 × 60 = 5340.00 wins
    const wins = only(CTX, line({ productId: 'prd_grad', quantity: q('60') }));
    expect([wins.priceSource, sek(wins.baseAmountMinor)]).toEqual(['customer', '5340.00']);
    // graduated 11 → 1090.00; customer 89.00 × 11 = 979.00 wins
    expect(sek(only(CTX, line({ productId: 'prd_grad', quantity: q('11') })).baseAmountMinor)).toBe('979.00');
  });

  it("applies without a list price; another customer's price never applies", () => {
    const l = only(CTX, line({ productId: 'prd_only', quantity: q('2') }));
    expect([l.priceSource, sek(l.baseAmountMinor)]).toEqual(['customer', '84.00']);
    expect(l.trail[0]?.message).toContain('(no list price)');
    expect(only(PLAIN, line({ productId: 'prd_flat' })).priceSource).toBe('list');
    expect(failure(() => only(PLAIN, line({ productId: 'prd_only' }))).code).toBe('unprocessable');
  });
});

describe('line discounts', () => {
  it('percent: 3 × 99.90 less 10 % = 269.73, rounded once', () => {
    const l = only(CTX, manual(9_990n, { quantity: q('3'), discount: { kind: 'percent', percent: pct('10') } }));
    expect([sek(l.baseAmountMinor), sek(l.lineDiscountMinor), sek(l.netAmountMinor)]).toEqual(['299.70', '29.97', '269.73']);
    expect(l.trail[1]).toMatchObject({ step: 'line_discount', amountMinor: 2_997n, message: 'Line discount 10 %: −29.97 SEK, net 269.73 SEK' });
  });

  it('percent on a graduated amount: 5400.00 less 10 % = 4860.00', () => {
    const l = only(PLAIN, line({ productId: 'prd_grad', quantity: q('60'), discount: { kind: 'percent', percent: pct('10') } }));
    expect([sek(l.lineDiscountMinor), sek(l.netAmountMinor)]).toEqual(['540.00', '4860.00']);
  });

  it('percent is rounded from the exact amount (as lineAmounts does), not from the rounded base', () => {
    const l = only(CTX, manual(99n, { quantity: q('1.5'), discount: { kind: 'percent', percent: pct('33.3333') } }));
    expect([l.baseAmountMinor, l.lineDiscountMinor, l.netAmountMinor]).toEqual([149n, 50n, 99n]);
  });

  it('amount: 299.70 less 50.00 = 249.70; more than the line is unprocessable, naming the line', () => {
    const l = only(CTX, manual(9_990n, { quantity: q('3'), discount: { kind: 'amount', amountMinor: 5_000n } }));
    expect([sek(l.lineDiscountMinor), sek(l.netAmountMinor)]).toEqual(['50.00', '249.70']);
    const whole = only(CTX, manual(9_990n, { quantity: q('3'), discount: { kind: 'amount', amountMinor: 29_970n } }));
    expect(whole.netAmountMinor).toBe(0n);
    const f = failure(() => priceQuote(CTX, [manual(1n), manual(9_990n, { lineKey: 'X7', quantity: q('3'), discount: { kind: 'amount', amountMinor: 29_971n } })]));
    expect(f).toMatchObject({ code: 'unprocessable', param: 'lines.1.discount.amount' });
    expect(f.message).toContain('line X7');
  });

  it('rejects out-of-range discounts', () => {
    expect(failure(() => only(CTX, manual(100n, { discount: { kind: 'percent', percent: pct('100.0001') } })))).toMatchObject({
      code: 'validation_failed',
      param: 'lines.0.discount.percent',
    });
    expect(failure(() => only(CTX, manual(100n, { discount: { kind: 'amount', amountMinor: -1n } })))).toMatchObject({
      code: 'validation_failed',
      param: 'lines.0.discount.amount',
    });
  });
});

describe('quote-level discount', () => {
  // nets 100.00, 50.00, 33.33 = 183.33
  const three = () => [manual(10_000n), manual(5_000n), manual(3_333n)];

  it('percent: 10 % of 183.33 = 18.33, allocated 10.00 + 5.00 + 3.33 by largest remainder', () => {
    const r = priceQuote(CTX, three(), { kind: 'percent', percent: pct('10') });
    expect(r.lines.map((l) => sek(l.quoteDiscountMinor))).toEqual(['10.00', '5.00', '3.33']);
    expect(r.lines.map((l) => sek(l.netAmountMinor))).toEqual(['90.00', '45.00', '30.00']);
    expect([sek(r.totals.quoteDiscountTotal.minor), sek(r.totals.net.minor)]).toEqual(['18.33', '165.00']);
    expect(r.lines[0]?.trail.find((s) => s.step === 'quote_discount')?.message).toBe(
      "Share of the quote discount (10 % of 183.33 SEK, 18.33 SEK) in proportion to the line's net 100.00 SEK: −10.00 SEK",
    );
  });

  it('amount: 100.00 over 183.33 = 54.55 + 27.27 + 18.18, not a minor unit lost', () => {
    const r = priceQuote(CTX, three(), { kind: 'amount', amountMinor: 10_000n });
    expect(r.lines.map((l) => sek(l.quoteDiscountMinor))).toEqual(['54.55', '27.27', '18.18']);
    expect(r.lines.map((l) => sek(l.netAmountMinor))).toEqual(['45.45', '22.73', '15.15']);
    expect(sek(r.totals.net.minor)).toBe('83.33');
  });

  it('is allocated in proportion to the net after line discounts', () => {
    const r = priceQuote(CTX, [manual(10_000n, { discount: { kind: 'percent', percent: pct('50') } }), manual(5_000n)], {
      kind: 'amount',
      amountMinor: 1_000n,
    });
    expect(r.lines.map((l) => l.quoteDiscountMinor)).toEqual([500n, 500n]);
  });

  it('an amount larger than the quote is unprocessable; zero-value quotes take a 0 discount', () => {
    expect(failure(() => priceQuote(CTX, three(), { kind: 'amount', amountMinor: 18_334n }))).toMatchObject({
      code: 'unprocessable',
      param: 'discount.amount',
    });
    const zero = priceQuote(CTX, [manual(0n)], { kind: 'percent', percent: pct('10') });
    expect(zero.totals.quoteDiscountTotal.minor).toBe(0n);
    expect(failure(() => priceQuote(CTX, three(), { kind: 'percent', percent: pct('-1') }))).toMatchObject({ param: 'discount.percent' });
  });
});

describe('optional lines', () => {
  it('unselected: priced, but out of the totals, the VAT and the quote discount', () => {
    const lines = [manual(10_000n), manual(5_000n, { optional: true }), manual(2_000n, { optional: true, selected: true })];
    const r = priceQuote(CTX, lines, { kind: 'amount', amountMinor: 1_200n });
    expect(r.lines.map((l) => [l.optional, l.included])).toEqual([
      [false, true],
      [true, false],
      [true, true],
    ]);
    const skipped = r.lines[1]!;
    expect([skipped.baseAmountMinor, skipped.quoteDiscountMinor, skipped.netAmountMinor]).toEqual([5_000n, 0n, 5_000n]);
    expect(steps(skipped)).toEqual(['manual_price', 'vat']);
    expect(skipped.trail.at(-1)?.message).toContain('Optional line not selected');
    expect(r.lines.map((l) => l.quoteDiscountMinor)).toEqual([1_000n, 0n, 200n]);
    expect([sek(r.totals.base.minor), sek(r.totals.net.minor), sek(r.totals.vat.minor), sek(r.totals.gross.minor)]).toEqual([
      '120.00',
      '108.00',
      '27.00',
      '135.00',
    ]);
  });

  it('only an optional line may be unselected', () => {
    expect(failure(() => priceQuote(CTX, [manual(1n, { selected: false })]))).toMatchObject({ code: 'validation_failed', param: 'lines.0.selected' });
  });
});

describe('a whole quote: tiers, group and customer prices, discounts, VAT, margin', () => {
  const lines: PricingLineInput[] = [
    line({ lineKey: 'A', productId: 'prd_grad', quantity: q('60'), discount: { kind: 'percent', percent: pct('10') }, unitCostMinor: 6_000n }),
    line({ lineKey: 'B', productId: 'prd_vol', quantity: q('60'), discount: { kind: 'amount', amountMinor: 30_000n } }),
    line({ lineKey: 'C', productId: 'prd_flat', quantity: q('2'), taxClass: 'food', vatRate: pct('12'), unitCostMinor: 15_000n }),
    line({ lineKey: 'D', productId: 'prd_flat', quantity: q('1'), optional: true, unitCostMinor: 1n }),
  ];
  // cus_9 in group wholesale: group list, no customer prices
  const ctx: PricingContext = { ...CTX, customerId: 'cus_9' };
  const r = priceQuote(ctx, lines, { kind: 'percent', percent: pct('5') });
  const row = (l: PricedLine) => [l.lineKey, sek(l.baseAmountMinor), sek(l.lineDiscountMinor), sek(l.quoteDiscountMinor), sek(l.netAmountMinor)];

  it('lines: base − line discount − quote discount = net', () => {
    expect(r.lines.map(row)).toEqual([
      ['A', '5400.00', '540.00', '243.00', '4617.00'],
      ['B', '4800.00', '300.00', '225.00', '4275.00'],
      ['C', '400.00', '0.00', '20.00', '380.00'],
      ['D', '200.00', '0.00', '0.00', '200.00'],
    ]);
    expect(steps(r.lines[0]!)).toEqual(['list_price', 'tier', 'tier', 'tier', 'line_discount', 'quote_discount', 'vat']);
  });

  it('totals: 10600.00 − 840.00 − 488.00 = 9272.00 net; VAT 2223.00 at 25 % + 45.60 at 12 %', () => {
    const t = r.totals;
    expect([t.base, t.lineDiscountTotal, t.quoteDiscountTotal, t.net, t.vat, t.gross].map((m) => sek(m.minor))).toEqual([
      '10600.00',
      '840.00',
      '488.00',
      '9272.00',
      '2268.60',
      '11540.60',
    ]);
    expect(t.breakdown.map((b) => [formatDecimal4(b.vatRate), sek(b.taxable.minor), sek(b.vat.minor)])).toEqual([
      ['25', '8892.00', '2223.00'],
      ['12', '380.00', '45.60'],
    ]);
  });

  it('margin per line and over the lines with a cost', () => {
    const m = (l: PricedLine) => [sek(l.costMinor), sek(l.marginMinor), l.marginPercent === null ? null : formatDecimal4(l.marginPercent)];
    expect(r.lines.map(m)).toEqual([
      ['3600.00', '1017.00', '22.0273'], // 1017 / 4617
      ['null', 'null', null],
      ['300.00', '80.00', '21.0526'], // 80 / 380
      ['0.01', '199.99', '99.995'], // optional, not in totals
    ]);
    // cost 3600 + 300; margin 1097 over net 4617 + 380 = 4997 → 21.9532 %
    expect([sek(r.totals.cost?.minor), sek(r.totals.margin?.minor), formatDecimal4(r.totals.marginPercent!)]).toEqual(['3900.00', '1097.00', '21.9532']);
  });

  it('without any cost the margin is null; a zero net has no margin percent', () => {
    const none = priceQuote(CTX, [manual(100n)]);
    expect([none.totals.cost, none.totals.margin, none.totals.marginPercent]).toEqual([null, null, null]);
    const free = only(CTX, manual(1_000n, { unitCostMinor: 400n, discount: { kind: 'percent', percent: pct('100') } }));
    expect([free.netAmountMinor, free.marginMinor, free.marginPercent]).toEqual([0n, -400n, null]);
    const loss = only(CTX, manual(1_000n, { unitCostMinor: 1_500n }));
    expect(formatDecimal4(loss.marginPercent!)).toBe('-50');
  });
});

describe('input validation', () => {
  it('names the field at fault', () => {
    const cases: [PricingLineInput[], string][] = [
      [[manual(1n, { quantity: q('0') })], 'lines.0.quantity'],
      [[manual(-1n)], 'lines.0.unit_price'],
      [[manual(1n, { unitCostMinor: -1n })], 'lines.0.unit_cost'],
      [[manual(1n, { vatRate: pct('0'), vatCategory: 'S' })], 'lines.0.vat_rate'],
      [[manual(1n, { vatRate: pct('25'), vatCategory: 'E' })], 'lines.0.vat_rate'],
      [[manual(1n, { lineKey: 'K' }), manual(1n, { lineKey: 'K' })], 'lines.1.line_key'],
      [[manual(1n, { lineKey: '' })], 'lines.0.line_key'],
    ];
    for (const [lines, param] of cases) expect(failure(() => priceQuote(CTX, lines))).toMatchObject({ code: 'validation_failed', param });
    expect(failure(() => priceQuote({ ...CTX, currency: 'XXX' }, [manual(1n)]))).toMatchObject({ param: 'currency' });
    expect(failure(() => priceQuote({ ...CTX, date: '2026-13-01' }, [manual(1n)]))).toMatchObject({ param: 'date' });
  });

  it('an empty quote totals zero', () => {
    const r = priceQuote(CTX, [], { kind: 'percent', percent: pct('10') });
    expect([r.lines.length, r.totals.net.minor, r.totals.gross.minor, r.totals.margin]).toEqual([0, 0n, 0n, null]);
  });
});

describe('purity', () => {
  it('does not modify its input, and returns frozen values', () => {
    const lines = [
      line({ productId: 'prd_grad', quantity: q('60'), discount: { kind: 'percent', percent: pct('10') }, unitCostMinor: 1n }),
      line({ productId: 'prd_cust', quantity: q('3') }),
      manual(1_000n, { optional: true }),
    ];
    const ctx: PricingContext = { ...CTX, listPrices: structuredClone(LIST), customerPrices: structuredClone(CUSTOMER) };
    const discount: QuoteDiscount = { kind: 'amount', amountMinor: 100n };
    const before = structuredClone({ ctx, lines, discount });
    const r = priceQuote(ctx, lines, discount);
    expect({ ctx, lines, discount }).toEqual(before);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.lines)).toBe(true);
    expect(Object.isFrozen(r.totals)).toBe(true);
    expect(Object.isFrozen(r.totals.breakdown)).toBe(true);
    for (const l of r.lines) {
      expect(Object.isFrozen(l)).toBe(true);
      expect(Object.isFrozen(l.trail)).toBe(true);
      expect(Object.isFrozen(l.quantity)).toBe(true);
      expect(l.quantity).not.toBe(lines.find((i) => i.lineKey === l.lineKey)?.quantity);
      for (const s of l.trail) expect(Object.isFrozen(s)).toBe(true);
    }
    // same input, same output
    expect(priceQuote(ctx, lines, discount)).toEqual(r);
  });
});

describe('properties', () => {
  const percentArb: fc.Arbitrary<Percent> = fc.bigInt({ min: 0n, max: 1_000_000n }).map((scaled) => ({ scaled }));
  const lineArb = fc.record({
    price: fc.bigInt({ min: 0n, max: 10_000_000n }),
    qty: fc.bigInt({ min: 1n, max: 10_000_000n }),
    discount: fc.oneof(
      fc.constant(undefined),
      percentArb.map((p) => ({ kind: 'percent' as const, p })),
      fc.bigInt({ min: 0n, max: 1000n }).map((permille) => ({ kind: 'amount' as const, permille })),
    ),
    optional: fc.boolean(),
    selected: fc.boolean(),
    vat: fc.constantFrom(['25', 'S'] as const, ['12', 'S'] as const, ['6', 'S'] as const, ['0', 'E'] as const),
    cost: fc.option(fc.bigInt({ min: 0n, max: 10_000_000n })),
  });
  const quoteDiscountArb = fc.oneof(
    fc.constant(null),
    percentArb.map((p) => ({ kind: 'percent' as const, p })),
    fc.bigInt({ min: 0n, max: 1000n }).map((permille) => ({ kind: 'amount' as const, permille })),
  );

  type Row = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;
  const build = (rows: Row[]): PricingLineInput[] =>
    rows.map((r, i) => {
      const base = lineAmounts({ scaled: r.qty }, money(r.price, 'SEK'), pct('0')).gross.minor;
      const discount: Discount | undefined =
        r.discount === undefined
          ? undefined
          : r.discount.kind === 'percent'
            ? { kind: 'percent', percent: r.discount.p }
            : { kind: 'amount', amountMinor: (base * r.discount.permille) / 1000n };
      return line({
        lineKey: `P${i}`,
        unitPriceMinor: r.price,
        quantity: { scaled: r.qty },
        discount,
        optional: r.optional,
        selected: r.optional ? r.selected : undefined,
        vatRate: pct(r.vat[0]),
        vatCategory: r.vat[1],
        unitCostMinor: r.cost,
      });
    });

  it('shares add up to the quote discount exactly; nets ≥ 0; totals are the sums of the parts', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 25 }), quoteDiscountArb, (rows, qd) => {
        const lines = build(rows);
        const undiscounted = priceQuote(CTX, lines);
        const netBefore = undiscounted.totals.net.minor;
        const discount: QuoteDiscount =
          qd === null ? null : qd.kind === 'percent' ? { kind: 'percent', percent: qd.p } : { kind: 'amount', amountMinor: (netBefore * qd.permille) / 1000n };
        const r = priceQuote(CTX, lines, discount);
        const included = r.lines.filter((l) => l.included);

        const expectedQuoteDiscount =
          discount === null ? 0n : discount.kind === 'amount' ? discount.amountMinor : r.totals.quoteDiscountTotal.minor;
        const shares = included.reduce((a, l) => a + l.quoteDiscountMinor, 0n);
        expect(shares).toBe(expectedQuoteDiscount);
        if (discount?.kind === 'percent') {
          // round(Σ net × p / 100), half up, on non-negative values
          const exact2 = netBefore * discount.percent.scaled * 2n;
          expect(shares).toBe((exact2 + 1_000_000n) / 2_000_000n);
        }

        for (const [i, l] of r.lines.entries()) {
          expect(l.baseAmountMinor - l.lineDiscountMinor - l.quoteDiscountMinor).toBe(l.netAmountMinor);
          expect(l.netAmountMinor >= 0n).toBe(true);
          expect(l.lineDiscountMinor >= 0n).toBe(true);
          expect(l.quoteDiscountMinor >= 0n).toBe(true);
          if (!l.included) expect(l.quoteDiscountMinor).toBe(0n);
          // a line is priced the same whether or not a quote discount applies, up to its share
          expect(l.netAmountMinor + l.quoteDiscountMinor).toBe(undiscounted.lines[i]?.netAmountMinor);
          // percent line discounts agree with lineAmounts
          const input = lines[i]!;
          if (input.discount?.kind === 'percent') {
            expect(l.netAmountMinor + l.quoteDiscountMinor).toBe(
              lineAmounts(input.quantity, money(input.unitPriceMinor!, 'SEK'), input.discount.percent).net.minor,
            );
          }
        }

        const sum = (f: (l: PricedLine) => bigint) => included.reduce((a, l) => a + f(l), 0n);
        expect(r.totals.base.minor).toBe(sum((l) => l.baseAmountMinor));
        expect(r.totals.lineDiscountTotal.minor).toBe(sum((l) => l.lineDiscountMinor));
        expect(r.totals.quoteDiscountTotal.minor).toBe(sum((l) => l.quoteDiscountMinor));
        expect(r.totals.net.minor).toBe(sum((l) => l.netAmountMinor));
        expect(r.totals.net.minor).toBe(r.totals.base.minor - r.totals.lineDiscountTotal.minor - r.totals.quoteDiscountTotal.minor);
        const doc = documentTotals(
          'SEK',
          included.map((l) => ({ net: money(l.netAmountMinor, 'SEK'), vatRate: l.vatRate, vatCategory: l.vatCategory })),
        );
        expect([r.totals.vat.minor, r.totals.gross.minor]).toEqual([doc.vat.minor, doc.gross.minor]);
        const costed = included.filter((l) => l.costMinor !== null);
        expect(r.totals.margin?.minor ?? null).toBe(costed.length === 0 ? null : costed.reduce((a, l) => a + (l.marginMinor ?? 0n), 0n));
      }),
      { numRuns: 300 },
    );
  });
});
