import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import { decimal4 } from '../money/quantity.js';
import { isValidOn, resolveCustomerPrice, resolveListPrice, validateCustomerPrice, validatePriceListPrice } from './price-lists.js';
import type { CustomerPrice, PriceListPrice } from './price-lists.js';

const entry = (over: Partial<PriceListPrice> & Pick<PriceListPrice, 'priceListId'>): PriceListPrice => ({
  productId: 'prd_a',
  currency: 'SEK',
  customerGroup: null,
  validFrom: null,
  validTo: null,
  unitPriceMinor: 10_000n,
  ...over,
});

const PRICES: PriceListPrice[] = [
  entry({ priceListId: 'pl_general', unitPriceMinor: 10_000n }),
  entry({ priceListId: 'pl_wholesale', customerGroup: 'wholesale', unitPriceMinor: 8_500n }),
  entry({ priceListId: 'pl_retail', customerGroup: 'retail', unitPriceMinor: 11_000n }),
  entry({ priceListId: 'pl_eur', currency: 'EUR', unitPriceMinor: 900n }),
  entry({ priceListId: 'pl_general', productId: 'prd_b', unitPriceMinor: 500n }),
];

const resolve = (over: { productId?: string; currency?: string; date?: string; customerGroup?: string | null; prices?: PriceListPrice[] } = {}) =>
  resolveListPrice({
    productId: over.productId ?? 'prd_a',
    currency: over.currency ?? 'SEK',
    date: over.date ?? '2026-12-04',
    customerGroup: over.customerGroup === undefined ? null : over.customerGroup,
    prices: over.prices ?? PRICES,
  });

describe('resolveListPrice', () => {
  it("a price list for the customer's group beats the general one", () => {
    expect(resolve({ customerGroup: 'wholesale' })?.priceListId).toBe('pl_wholesale');
    expect(resolve({ customerGroup: 'retail' })?.priceListId).toBe('pl_retail');
  });

  it('without a group, or with a group that has no list, the general list applies', () => {
    expect(resolve({ customerGroup: null })?.priceListId).toBe('pl_general');
    expect(resolve({ customerGroup: 'partners' })?.priceListId).toBe('pl_general');
  });

  it('matches product and currency; undefined when nothing applies', () => {
    expect(resolve({ currency: 'EUR' })?.unitPriceMinor).toBe(900n);
    expect(resolve({ productId: 'prd_b' })?.unitPriceMinor).toBe(500n);
    expect(resolve({ productId: 'prd_none' })).toBeUndefined();
    expect(resolve({ currency: 'NOK' })).toBeUndefined();
  });

  it('honours validity dates, both bounds inclusive', () => {
    const prices = [
      entry({ priceListId: 'pl_2026h1', validFrom: '2026-01-01', validTo: '2026-06-30', unitPriceMinor: 10_000n }),
      entry({ priceListId: 'pl_2026h2', validFrom: '2026-07-01', validTo: '2026-12-31', unitPriceMinor: 10_500n }),
    ];
    expect(resolve({ prices, date: '2025-12-31' })).toBeUndefined();
    expect(resolve({ prices, date: '2026-01-01' })?.priceListId).toBe('pl_2026h1');
    expect(resolve({ prices, date: '2026-06-30' })?.priceListId).toBe('pl_2026h1');
    expect(resolve({ prices, date: '2026-07-01' })?.priceListId).toBe('pl_2026h2');
    expect(resolve({ prices, date: '2026-12-31' })?.priceListId).toBe('pl_2026h2');
    expect(resolve({ prices, date: '2027-01-01' })).toBeUndefined();
  });

  it('among overlapping entries of equal standing, the one starting most recently wins', () => {
    const prices = [
      entry({ priceListId: 'pl_standing', validFrom: null, unitPriceMinor: 10_000n }),
      entry({ priceListId: 'pl_2026', validFrom: '2026-01-01', unitPriceMinor: 10_200n }),
      entry({ priceListId: 'pl_campaign', validFrom: '2026-11-15', validTo: '2026-12-15', unitPriceMinor: 7_900n }),
    ];
    expect(resolve({ prices, date: '2025-06-01' })?.priceListId).toBe('pl_standing');
    expect(resolve({ prices, date: '2026-11-14' })?.priceListId).toBe('pl_2026');
    expect(resolve({ prices, date: '2026-12-04' })?.priceListId).toBe('pl_campaign');
    expect(resolve({ prices, date: '2026-12-16' })?.priceListId).toBe('pl_2026');
  });

  it('the group beats the general list even when the general entry starts later', () => {
    const prices = [
      entry({ priceListId: 'pl_group_old', customerGroup: 'wholesale', validFrom: '2020-01-01' }),
      entry({ priceListId: 'pl_general_new', validFrom: '2026-12-01' }),
    ];
    expect(resolve({ prices, customerGroup: 'wholesale' })?.priceListId).toBe('pl_group_old');
  });

  it('two entries with equal standing are a data conflict, not an arbitrary pick', () => {
    const prices = [entry({ priceListId: 'pl_x', validFrom: '2026-01-01' }), entry({ priceListId: 'pl_y', validFrom: '2026-01-01' })];
    expect(() => resolveListPrice({ productId: 'prd_a', currency: 'SEK', date: '2026-12-04', customerGroup: null, prices, param: 'lines.2.unit_price' })).toThrow(
      expect.objectContaining({ code: 'unprocessable', param: 'lines.2.unit_price', message: expect.stringContaining('pl_x and pl_y') }),
    );
  });

  it('validates the entry it returns', () => {
    const prices = [entry({ priceListId: 'pl_bad', unitPriceMinor: 100n, tiers: { mode: 'volume', tiers: [{ upTo: null, unitPriceMinor: 1n }] } })];
    expect(() => resolve({ prices })).toThrow(DomainError);
  });
});

describe('validatePriceListPrice / validateCustomerPrice', () => {
  const code = (f: () => void): string | undefined => {
    try {
      f();
      return undefined;
    } catch (e) {
      return (e as DomainError).param;
    }
  };
  it('needs exactly one of a flat price and tiers, sane dates and tiers', () => {
    expect(code(() => validatePriceListPrice(entry({ priceListId: 'p' })))).toBeUndefined();
    expect(code(() => validatePriceListPrice(entry({ priceListId: 'p', unitPriceMinor: undefined })))).toBe('price');
    expect(code(() => validatePriceListPrice(entry({ priceListId: 'p', unitPriceMinor: -1n })))).toBe('price.unit_price_minor');
    expect(code(() => validatePriceListPrice(entry({ priceListId: 'p', validFrom: '2026-02-01', validTo: '2026-01-31' })))).toBe('price.valid_to');
    expect(code(() => validatePriceListPrice(entry({ priceListId: 'p', validFrom: '2026-02-30' })))).toBe('price.valid_from');
    expect(
      code(() =>
        validatePriceListPrice(
          entry({ priceListId: 'p', unitPriceMinor: undefined, tiers: { mode: 'volume', tiers: [{ upTo: decimal4('5'), unitPriceMinor: 1n }] } }),
        ),
      ),
    ).toBe('price.tiers.tiers.0.up_to');
    expect(
      code(() =>
        validatePriceListPrice(
          entry({ priceListId: 'p', unitPriceMinor: undefined, tiers: { mode: 'stepped' as 'volume', tiers: [{ upTo: null, unitPriceMinor: 1n }] } }),
        ),
      ),
    ).toBe('price.tiers.mode');
    const cp: CustomerPrice = { customerId: 'cus_1', productId: 'prd_a', currency: 'SEK', validFrom: null, validTo: null, unitPriceMinor: -5n };
    expect(code(() => validateCustomerPrice(cp))).toBe('price.unit_price_minor');
  });

  it('isValidOn treats null as open', () => {
    expect(isValidOn({ validFrom: null, validTo: null }, '0001-01-01')).toBe(true);
    expect(isValidOn({ validFrom: '2026-01-01', validTo: null }, '2025-12-31')).toBe(false);
    expect(isValidOn({ validFrom: null, validTo: '2026-01-01' }, '2026-01-01')).toBe(true);
  });
});

describe('resolveCustomerPrice', () => {
  const cp = (over: Partial<CustomerPrice>): CustomerPrice => ({
    customerId: 'cus_1',
    productId: 'prd_a',
    currency: 'SEK',
    validFrom: null,
    validTo: null,
    unitPriceMinor: 8_000n,
    ...over,
  });
  const prices = [
    cp({ customerPriceId: 'cp_old', validFrom: '2025-01-01', unitPriceMinor: 8_000n }),
    cp({ customerPriceId: 'cp_new', validFrom: '2026-10-01', validTo: '2026-12-31', unitPriceMinor: 7_500n }),
    cp({ customerPriceId: 'cp_other', customerId: 'cus_2', unitPriceMinor: 1n }),
    cp({ customerPriceId: 'cp_eur', currency: 'EUR', unitPriceMinor: 1n }),
  ];
  const resolve = (date: string, customerId = 'cus_1') => resolveCustomerPrice({ customerId, productId: 'prd_a', currency: 'SEK', date, prices })?.customerPriceId;

  it("is the customer's own, in the currency, valid on the date, most recent start first", () => {
    expect(resolve('2024-12-31')).toBeUndefined();
    expect(resolve('2026-09-30')).toBe('cp_old');
    expect(resolve('2026-12-04')).toBe('cp_new');
    expect(resolve('2027-01-01')).toBe('cp_old');
    expect(resolve('2026-12-04', 'cus_2')).toBe('cp_other');
    expect(resolve('2026-12-04', 'cus_3')).toBeUndefined();
  });

  it('two prices starting the same day are a conflict', () => {
    expect(() =>
      resolveCustomerPrice({ customerId: 'cus_1', productId: 'prd_a', currency: 'SEK', date: '2026-12-04', prices: [cp({}), cp({})] }),
    ).toThrow(expect.objectContaining({ code: 'unprocessable' }));
  });
});
