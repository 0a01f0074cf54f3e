/** Bundles in the pricing engine: sum-priced and fixed-price bundles, their components, cost and trail. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { decimal4 } from '../money/quantity.js';
import { bundleUnitCost, priceQuote } from './engine.js';
import type { BundleComponentInput, PricedLine, PricingContext, PricingLineInput } from './engine.js';
import type { CustomerPrice, PriceListPrice } from './price-lists.js';

const q = decimal4;

const listed = (productId: string, over: Partial<PriceListPrice>): PriceListPrice => ({
  priceListId: 'pl_general',
  productId,
  currency: 'SEK',
  customerGroup: null,
  validFrom: null,
  validTo: null,
  ...over,
});

const LIST: PriceListPrice[] = [
  listed('prd_desk', { unitPriceMinor: 25_000n }),
  listed('prd_desk', { priceListId: 'pl_wholesale', customerGroup: 'wholesale', unitPriceMinor: 20_000n }),
  // 1–10 at 100.00, 11–50 at 90.00, 51+ at 80.00
  listed('prd_chair', {
    tiers: {
      mode: 'graduated',
      tiers: [
        { upTo: q('10'), unitPriceMinor: 10_000n },
        { upTo: q('50'), unitPriceMinor: 9_000n },
        { upTo: null, unitPriceMinor: 8_000n },
      ],
    },
  }),
  listed('prd_kit', { unitPriceMinor: 30_000n }),
];

const CUSTOMER: CustomerPrice[] = [
  { customerPriceId: 'cp_chair', customerId: 'cus_1', productId: 'prd_chair', currency: 'SEK', validFrom: null, validTo: null, unitPriceMinor: 8_900n },
];

/** A wholesale customer with an own price for chairs. */
const CTX: PricingContext = { currency: 'SEK', date: '2026-12-04', customerId: 'cus_1', customerGroup: 'wholesale', listPrices: LIST, customerPrices: CUSTOMER };
/** A customer without a group or own prices. */
const PLAIN: PricingContext = { ...CTX, customerId: 'cus_9', customerGroup: null };

const DESK: BundleComponentInput = { productId: 'prd_desk', description: 'Desk', unit: 'C62', quantityPerUnit: q('1'), unitCostMinor: 10_000n };
const CHAIRS: BundleComponentInput = { productId: 'prd_chair', description: 'Chair', unit: 'C62', quantityPerUnit: q('2'), unitCostMinor: 4_000n };

const kit = (over: Partial<PricingLineInput> = {}): PricingLineInput => ({
  lineKey: 'L1',
  productId: 'prd_kit',
  description: 'Office kit',
  quantity: q('6'),
  unit: 'SET',
  taxClass: 'standard',
  vatRate: q('25'),
  vatCategory: 'S',
  bundle: { pricing: 'sum', components: [DESK, CHAIRS] },
  ...over,
});

const only = (ctx: PricingContext, l: PricingLineInput): PricedLine => {
  const first = priceQuote(ctx, [l]).lines[0];
  if (first === undefined) throw new Error('no line');
  return first;
};

describe('bundles priced as the sum of their components', () => {
  it('prices each component at line quantity × quantity per bundle, with its own tiers', () => {
    // 6 kits: 6 desks × 250.00 = 1 500.00; 12 chairs graduated: 10 × 100.00 + 2 × 90.00 = 1 180.00.
    const l = only(PLAIN, kit());
    expect(l.priceSource).toBe('components');
    expect(l.baseAmountMinor).toBe(268_000n);
    expect(l.unitPriceMinor).toBe(44_667n); // 2 680.00 ÷ 6 = 446.666…, for display
    expect(l.components?.map((c) => [c.productId, c.quantity.scaled, c.amountMinor])).toEqual([
      ['prd_desk', 60_000n, 150_000n],
      ['prd_chair', 120_000n, 118_000n],
    ]);
    const steps = l.trail.map((t) => t.step);
    expect(steps.slice(0, 2)).toEqual(['bundle_component', 'list_price']);
    expect(steps.filter((s) => s === 'tier')).toHaveLength(2);
    expect(l.trail.find((t) => t.step === 'tier')?.componentProductId).toBe('prd_chair');
  });

  it("uses the customer's group list and own prices per component when lower", () => {
    // desks from the wholesale list: 6 × 200.00 = 1 200.00; chairs: own price 12 × 89.00 = 1 068.00 beats 1 180.00.
    const l = only(CTX, kit());
    expect(l.baseAmountMinor).toBe(226_800n);
    expect(l.components?.map((c) => c.amountMinor)).toEqual([120_000n, 106_800n]);
    expect(l.trail.some((t) => t.step === 'customer_price' && t.componentProductId === 'prd_chair' && t.message.startsWith('Chair: '))).toBe(true);
  });

  it('applies the line discount to the bundle as a whole', () => {
    const l = only(PLAIN, kit({ discount: { kind: 'percent', percent: q('10') } }));
    expect(l.lineDiscountMinor).toBe(26_800n);
    expect(l.netAmountMinor).toBe(241_200n);
  });

  it("a bundle's unit cost from its components: Σ quantity per bundle × cost, rounded once", () => {
    expect(bundleUnitCost([DESK, CHAIRS])).toBe(18_000n); // 1 × 100.00 + 2 × 40.00
    expect(bundleUnitCost([{ quantityPerUnit: q('0.3333'), unitCostMinor: 100n }, { quantityPerUnit: q('0.3333'), unitCostMinor: 100n }])).toBe(67n); // 66.66 → 67
    expect(bundleUnitCost([DESK, { ...CHAIRS, unitCostMinor: null }])).toBeNull();
    expect(bundleUnitCost([])).toBeNull();
    // 6 kits at 180.00 = 1 080.00
    expect(only(PLAIN, kit({ unitCostMinor: bundleUnitCost([DESK, CHAIRS]) })).costMinor).toBe(108_000n);
  });

  it('names the component that has no price', () => {
    const noPrice = kit({ bundle: { pricing: 'sum', components: [DESK, { ...CHAIRS, productId: 'prd_none', description: 'Lamp' }] } });
    expect(() => priceQuote(PLAIN, [noPrice])).toThrow(/component Lamp of line L1/);
  });

  it('refuses component quantities that need more than four decimals', () => {
    const l = kit({ quantity: q('0.0001'), bundle: { pricing: 'sum', components: [{ ...DESK, quantityPerUnit: q('0.5') }] } });
    try {
      priceQuote(PLAIN, [l]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).param).toBe('lines.0.quantity');
    }
  });

  it('refuses a bundle containing itself, a component twice, or no components', () => {
    const cases: [PricingLineInput, string][] = [
      [kit({ bundle: { pricing: 'sum', components: [{ ...DESK, productId: 'prd_kit' }] } }), 'lines.0.bundle.components.0.product_id'],
      [kit({ bundle: { pricing: 'sum', components: [DESK, DESK] } }), 'lines.0.bundle.components.1.product_id'],
      [kit({ bundle: { pricing: 'sum', components: [] } }), 'lines.0.bundle.components'],
      [kit({ bundle: { pricing: 'sum', components: [{ ...DESK, quantityPerUnit: q('0') }] } }), 'lines.0.bundle.components.0.quantity'],
    ];
    for (const [l, param] of cases) {
      expect(() => priceQuote(PLAIN, [l])).toThrow(expect.objectContaining({ code: 'validation_failed', param }));
    }
  });

  it('component amounts always add up to the line (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ perUnit: fc.integer({ min: 1, max: 99 }), price: fc.bigInt({ min: 0n, max: 1_000_000n }) }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 5_000 }),
        (parts, qtyTenths) => {
          const components = parts.map((p, k) => ({ productId: `prd_c${k}`, description: `C${k}`, unit: 'C62', quantityPerUnit: { scaled: BigInt(p.perUnit) * 100n } }));
          const listPrices = parts.map((p, k) => listed(`prd_c${k}`, { unitPriceMinor: p.price }));
          const l = only({ ...PLAIN, listPrices }, kit({ quantity: { scaled: BigInt(qtyTenths) * 1_000n }, bundle: { pricing: 'sum', components } }));
          const sum = (l.components ?? []).reduce((a, c) => a + (c.amountMinor ?? 0n), 0n);
          expect(sum).toBe(l.baseAmountMinor);
        },
      ),
    );
  });
});

describe('fixed-price bundles', () => {
  it("are priced at the bundle's own price; the components are listed without amounts", () => {
    const l = only(PLAIN, kit({ bundle: { pricing: 'fixed', components: [DESK, CHAIRS] } }));
    expect(l.priceSource).toBe('list');
    expect(l.baseAmountMinor).toBe(180_000n); // 6 × 300.00
    expect(l.components?.map((c) => [c.description, c.quantity.scaled, c.amountMinor])).toEqual([
      ['Desk', 60_000n, null],
      ['Chair', 120_000n, null],
    ]);
  });

  it('a manual price overrides a sum-priced bundle too', () => {
    const l = only(PLAIN, kit({ unitPriceMinor: 40_000n }));
    expect(l.priceSource).toBe('manual');
    expect(l.baseAmountMinor).toBe(240_000n);
    expect(l.components?.every((c) => c.amountMinor === null)).toBe(true);
  });

  it('lines that are not bundles have no components', () => {
    expect(only(PLAIN, kit({ bundle: undefined, productId: 'prd_desk' })).components).toBeNull();
  });
});
