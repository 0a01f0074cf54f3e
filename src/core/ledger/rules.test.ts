import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BAS_DEFAULTS, type AccountMap } from './accounts.js';
import { validatePostings, type Posting } from './journal.js';
import { advanceDeductionPostings, postCreditNoteIssued, postInvoiceIssued, postPaymentApplied, postPaymentReceived } from './rules.js';

const dr = (account: string, amount: bigint, customerId: string | null = null, currency = 'SEK'): Posting => ({
  account,
  currency,
  debitMinor: amount,
  creditMinor: 0n,
  customerId,
});
const cr = (account: string, amount: bigint, customerId: string | null = null, currency = 'SEK'): Posting => ({
  account,
  currency,
  debitMinor: 0n,
  creditMinor: amount,
  customerId,
});

describe('postInvoiceIssued', () => {
  it('posts a domestic 25 % invoice: 1510 gross / 3001 net + 2611 VAT', () => {
    const postings = postInvoiceIssued(
      {
        currency: 'SEK',
        customerId: 'cus_1',
        grossMinor: 125_000n,
        breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 25_000n }],
      },
      BAS_DEFAULTS,
    );
    expect(postings).toEqual([dr('1510', 125_000n, 'cus_1'), cr('3001', 100_000n), cr('2611', 25_000n)]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('posts mixed rates, zero-rated and exempt lines to their own accounts', () => {
    const postings = postInvoiceIssued(
      {
        currency: 'SEK',
        customerId: 'cus_2',
        grossMinor: 100_00n + 25_00n + 200_00n + 24_00n + 50_00n + 3_00n + 10_00n + 7_00n,
        breakdown: [
          { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_00n, vatMinor: 25_00n },
          { vatRatePercent: '12', vatCategory: 'S', taxableMinor: 200_00n, vatMinor: 24_00n },
          { vatRatePercent: '6', vatCategory: 'S', taxableMinor: 50_00n, vatMinor: 3_00n },
          { vatRatePercent: '0', vatCategory: 'Z', taxableMinor: 10_00n, vatMinor: 0n },
          { vatRatePercent: '0', vatCategory: 'E', taxableMinor: 7_00n, vatMinor: 0n },
        ],
      },
      BAS_DEFAULTS,
    );
    expect(postings).toEqual([
      dr('1510', 419_00n, 'cus_2'),
      cr('3001', 100_00n),
      cr('2611', 25_00n),
      cr('3002', 200_00n),
      cr('2621', 24_00n),
      cr('3003', 50_00n),
      cr('2631', 3_00n),
      cr('3004', 17_00n), // Z and E share 3004 by default: combined
    ]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('uses the tenant account map', () => {
    const custom: AccountMap = {
      ...BAS_DEFAULTS,
      receivable: '1511',
      revenueByVatRate: { '25': '3041' },
      revenueZeroRated: '3045',
      revenueExempt: '3044',
    };
    const postings = postInvoiceIssued(
      {
        currency: 'EUR',
        customerId: 'cus_3',
        grossMinor: 15_00n,
        breakdown: [
          { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 4_00n, vatMinor: 1_00n },
          { vatRatePercent: '0', vatCategory: 'Z', taxableMinor: 6_00n, vatMinor: 0n },
          { vatRatePercent: '0', vatCategory: 'E', taxableMinor: 4_00n, vatMinor: 0n },
        ],
      },
      custom,
    );
    expect(postings).toEqual([
      dr('1511', 15_00n, 'cus_3', 'EUR'),
      cr('3041', 4_00n, null, 'EUR'),
      cr('2611', 1_00n, null, 'EUR'),
      cr('3045', 6_00n, null, 'EUR'),
      cr('3044', 4_00n, null, 'EUR'),
    ]);
  });

  it('leaves out zero amounts and posts nothing for a zero invoice', () => {
    const free = postInvoiceIssued(
      {
        currency: 'SEK',
        customerId: 'cus_1',
        grossMinor: 0n,
        breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 0n, vatMinor: 0n }],
      },
      BAS_DEFAULTS,
    );
    expect(free).toEqual([]);
    const partlyZero = postInvoiceIssued(
      {
        currency: 'SEK',
        customerId: 'cus_1',
        grossMinor: 1_00n,
        breakdown: [
          { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 1_00n, vatMinor: 0n }, // VAT rounded to 0
          { vatRatePercent: '12', vatCategory: 'S', taxableMinor: 0n, vatMinor: 0n },
        ],
      },
      BAS_DEFAULTS,
    );
    expect(partlyZero).toEqual([dr('1510', 1_00n, 'cus_1'), cr('3001', 1_00n)]);
  });

  it('throws when gross differs from taxable + VAT', () => {
    expect(() =>
      postInvoiceIssued(
        {
          currency: 'SEK',
          customerId: 'cus_1',
          grossMinor: 125_001n,
          breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 25_000n }],
        },
        BAS_DEFAULTS,
      ),
    ).toThrow('invoice does not balance: gross 125001 ≠ taxable + VAT 125000 (SEK)');
  });

  it.each([
    ['K', '3108', 'goods to an EU business (intra-Community supply)'],
    ['AE', '3308', 'services to an EU business (reverse charge)'],
    ['G', '3105', 'goods exported outside the EU'],
    ['O', '3305', 'services to a business outside the EU'],
    ['E', '3004', 'exempt'],
    ['Z', '3004', 'zero rated'],
  ])('posts category %s to %s without output VAT: %s', (vatCategory, account) => {
    const postings = postInvoiceIssued(
      {
        currency: 'EUR',
        customerId: 'cus_x',
        grossMinor: 1_234_56n,
        breakdown: [{ vatRatePercent: '0', vatCategory, taxableMinor: 1_234_56n, vatMinor: 0n }],
      },
      BAS_DEFAULTS,
    );
    expect(postings).toEqual([dr('1510', 1_234_56n, 'cus_x', 'EUR'), cr(account, 1_234_56n, null, 'EUR')]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('posts a mixed domestic and cross-border invoice: each category to its account, VAT only on S', () => {
    const postings = postInvoiceIssued(
      {
        currency: 'SEK',
        customerId: 'cus_m',
        grossMinor: 100_00n + 25_00n + 300_00n + 400_00n + 500_00n + 600_00n,
        breakdown: [
          { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_00n, vatMinor: 25_00n },
          { vatRatePercent: '0', vatCategory: 'AE', taxableMinor: 300_00n, vatMinor: 0n },
          { vatRatePercent: '0', vatCategory: 'K', taxableMinor: 400_00n, vatMinor: 0n },
          { vatRatePercent: '0', vatCategory: 'G', taxableMinor: 500_00n, vatMinor: 0n },
          { vatRatePercent: '0', vatCategory: 'O', taxableMinor: 600_00n, vatMinor: 0n },
        ],
      },
      BAS_DEFAULTS,
    );
    expect(postings).toEqual([
      dr('1510', 1925_00n, 'cus_m'),
      cr('3001', 100_00n),
      cr('2611', 25_00n),
      cr('3308', 300_00n),
      cr('3108', 400_00n),
      cr('3105', 500_00n),
      cr('3305', 600_00n),
    ]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('uses the tenant account map for the cross-border categories', () => {
    const custom: AccountMap = { ...BAS_DEFAULTS, revenueEuServices: '3309', revenueExportGoods: '3106' };
    const postings = postInvoiceIssued(
      {
        currency: 'SEK',
        customerId: 'cus_c',
        grossMinor: 30n,
        breakdown: [
          { vatRatePercent: '0', vatCategory: 'AE', taxableMinor: 10n, vatMinor: 0n },
          { vatRatePercent: '0', vatCategory: 'G', taxableMinor: 20n, vatMinor: 0n },
        ],
      },
      custom,
    );
    expect(postings).toEqual([dr('1510', 30n, 'cus_c'), cr('3309', 10n), cr('3106', 20n)]);
  });

  it('refuses VAT or a rate on a row of a category that carries none', () => {
    for (const vatCategory of ['K', 'AE', 'G', 'O']) {
      expect(() =>
        postInvoiceIssued(
          { currency: 'SEK', customerId: 'c', grossMinor: 125n, breakdown: [{ vatRatePercent: '25', vatCategory, taxableMinor: 100n, vatMinor: 25n }] },
          BAS_DEFAULTS,
        ),
      ).toThrow(new RegExp(`category ${vatCategory} carries no VAT`));
      expect(() =>
        postInvoiceIssued(
          { currency: 'SEK', customerId: 'c', grossMinor: 100n, breakdown: [{ vatRatePercent: '25', vatCategory, taxableMinor: 100n, vatMinor: 0n }] },
          BAS_DEFAULTS,
        ),
      ).toThrow(new RegExp(`category ${vatCategory} carries no VAT, got rate '25'`));
    }
  });

  it('throws when a rate has no account instead of guessing one', () => {
    const ev = (vatRatePercent: string, vatCategory: string, vatMinor: bigint) => ({
      currency: 'SEK',
      customerId: 'cus_1',
      grossMinor: 100n + vatMinor,
      breakdown: [{ vatRatePercent, vatCategory, taxableMinor: 100n, vatMinor }],
    });
    expect(() => postInvoiceIssued(ev('18', 'S', 18n), BAS_DEFAULTS)).toThrow(/no revenue account for VAT rate '18'/);
    // a category without VAT never falls back to the rate map; an unknown category is refused
    expect(() => postInvoiceIssued(ev('0', 'XX', 0n), BAS_DEFAULTS)).toThrow(/unknown VAT category 'XX'/);
    expect(() => postInvoiceIssued(ev('constructor', 'S', 0n), BAS_DEFAULTS)).toThrow(/no revenue account/);
    const noVat: AccountMap = { ...BAS_DEFAULTS, outputVatByVatRate: {} };
    expect(() => postInvoiceIssued(ev('25', 'S', 25n), noVat)).toThrow(/no output VAT account for VAT rate '25'/);
  });

  it('refuses negative amounts and VAT on zero-rated or exempt rows', () => {
    const base = { currency: 'SEK', customerId: 'cus_1' };
    expect(() =>
      postInvoiceIssued(
        { ...base, grossMinor: -1n, breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: -1n, vatMinor: 0n }] },
        BAS_DEFAULTS,
      ),
    ).toThrow(/grossMinor must not be negative/);
    expect(() =>
      postInvoiceIssued(
        {
          ...base,
          grossMinor: 0n,
          breakdown: [
            { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 10n, vatMinor: 0n },
            { vatRatePercent: '12', vatCategory: 'S', taxableMinor: -10n, vatMinor: 0n },
          ],
        },
        BAS_DEFAULTS,
      ),
    ).toThrow(/breakdown\[1\]\.taxableMinor must not be negative/);
    expect(() =>
      postInvoiceIssued(
        { ...base, grossMinor: 110n, breakdown: [{ vatRatePercent: '0', vatCategory: 'Z', taxableMinor: 100n, vatMinor: 10n }] },
        BAS_DEFAULTS,
      ),
    ).toThrow(/category Z carries no VAT/);
  });

  it('always balances, debits only 1510 and credits the gross (property)', () => {
    const row = fc.record({
      vatRatePercent: fc.constantFrom('25', '12', '6'),
      vatCategory: fc.constant('S'),
      taxableMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      vatMinor: fc.bigInt({ min: 0n, max: 10n ** 11n }),
    });
    const zeroRow = fc.record({
      vatRatePercent: fc.constant('0'),
      vatCategory: fc.constantFrom('Z', 'E', 'K', 'AE', 'G', 'O'),
      taxableMinor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      vatMinor: fc.constant(0n),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(row, zeroRow), { minLength: 1, maxLength: 8 }), (breakdown) => {
        const gross = breakdown.reduce((s, r) => s + r.taxableMinor + r.vatMinor, 0n);
        const postings = postInvoiceIssued({ currency: 'SEK', customerId: 'cus_9', grossMinor: gross, breakdown }, BAS_DEFAULTS);
        if (gross === 0n) {
          expect(postings).toEqual([]);
          return;
        }
        expect(validatePostings(postings)).toBeNull();
        const debits = postings.filter((p) => p.debitMinor > 0n);
        expect(debits).toEqual([dr('1510', gross, 'cus_9')]);
        const vat = postings.filter((p) => p.account.startsWith('26')).reduce((s, p) => s + p.creditMinor, 0n);
        expect(vat).toBe(breakdown.reduce((s, r) => s + r.vatMinor, 0n));
        for (const p of postings) expect(p.debitMinor > 0n || p.creditMinor > 0n).toBe(true);
      }),
    );
  });
});

describe('postPaymentReceived', () => {
  it('debits the bank and credits customer credit on the customer', () => {
    const postings = postPaymentReceived({ currency: 'SEK', amountMinor: 125_000n, customerId: 'cus_1' }, BAS_DEFAULTS);
    expect(postings).toEqual([dr('1930', 125_000n), cr('2420', 125_000n, 'cus_1')]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('accepts an unidentified payer', () => {
    expect(postPaymentReceived({ currency: 'EUR', amountMinor: 1n, customerId: null }, BAS_DEFAULTS)).toEqual([
      dr('1930', 1n, null, 'EUR'),
      cr('2420', 1n, null, 'EUR'),
    ]);
  });

  it('refuses zero or negative amounts', () => {
    expect(() => postPaymentReceived({ currency: 'SEK', amountMinor: 0n, customerId: null }, BAS_DEFAULTS)).toThrow(/positive/);
    expect(() => postPaymentReceived({ currency: 'SEK', amountMinor: -5n, customerId: null }, BAS_DEFAULTS)).toThrow(/positive/);
  });
});

describe('postPaymentApplied', () => {
  it('debits customer credit and credits the receivable, both on the customer', () => {
    const postings = postPaymentApplied({ currency: 'SEK', amountMinor: 80_000n, customerId: 'cus_1' }, BAS_DEFAULTS);
    expect(postings).toEqual([dr('2420', 80_000n, 'cus_1'), cr('1510', 80_000n, 'cus_1')]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('refuses a zero amount', () => {
    expect(() => postPaymentApplied({ currency: 'SEK', amountMinor: 0n, customerId: 'cus_1' }, BAS_DEFAULTS)).toThrow(/positive/);
  });

  it('invoice, receipt and full application leave 1510 and 2420 at zero and the bank at the gross', () => {
    const all = [
      ...postInvoiceIssued(
        {
          currency: 'SEK',
          customerId: 'cus_1',
          grossMinor: 125_000n,
          breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 25_000n }],
        },
        BAS_DEFAULTS,
      ),
      ...postPaymentReceived({ currency: 'SEK', amountMinor: 125_000n, customerId: 'cus_1' }, BAS_DEFAULTS),
      ...postPaymentApplied({ currency: 'SEK', amountMinor: 125_000n, customerId: 'cus_1' }, BAS_DEFAULTS),
    ];
    const balance = (account: string) =>
      all.filter((p) => p.account === account).reduce((s, p) => s + p.debitMinor - p.creditMinor, 0n);
    expect(balance('1510')).toBe(0n);
    expect(balance('2420')).toBe(0n);
    expect(balance('1930')).toBe(125_000n);
    expect(balance('3001')).toBe(-100_000n);
    expect(balance('2611')).toBe(-25_000n);
  });
});

describe('advance invoices (decision 0010)', () => {
  const deposit = {
    currency: 'SEK',
    customerId: 'cus_a',
    // 30 % of 10 000,00 at 25 % and 2 000,00 at 12 %: 3 000,00 + 750,00 and 600,00 + 72,00 = 4 422,00
    grossMinor: 442_200n,
    breakdown: [
      { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 300_000n, vatMinor: 75_000n },
      { vatRatePercent: '12', vatCategory: 'S', taxableMinor: 60_000n, vatMinor: 7_200n },
    ],
    advance: true,
  };

  it('an advance credits 2429 with its nets and output VAT with its VAT', () => {
    const postings = postInvoiceIssued(deposit, BAS_DEFAULTS);
    expect(postings).toEqual([dr('1510', 442_200n, 'cus_a'), cr('2429', 360_000n), cr('2611', 75_000n), cr('2621', 7_200n)]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('the final invoice debits 1510 with gross − prepaid, 2429 with the deducted net, VAT with the deducted VAT', () => {
    // full supply 10 000,00 + 2 500,00 and 2 000,00 + 240,00 = 14 740,00; deducts the whole deposit 4 422,00
    const postings = postInvoiceIssued(
      {
        currency: 'SEK',
        customerId: 'cus_a',
        grossMinor: 1_474_000n,
        breakdown: [
          { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 1_000_000n, vatMinor: 250_000n },
          { vatRatePercent: '12', vatCategory: 'S', taxableMinor: 200_000n, vatMinor: 24_000n },
        ],
        deductions: [
          { vatRatePercent: '25', vatCategory: 'S', netMinor: 300_000n, vatMinor: 75_000n },
          { vatRatePercent: '12', vatCategory: 'S', netMinor: 60_000n, vatMinor: 7_200n },
        ],
      },
      BAS_DEFAULTS,
    );
    expect(postings).toEqual([
      dr('1510', 1_031_800n, 'cus_a'), // 14 740,00 − 4 422,00
      dr('2429', 360_000n),
      dr('2611', 75_000n),
      dr('2621', 7_200n),
      cr('3001', 1_000_000n),
      cr('2611', 250_000n),
      cr('3002', 200_000n),
      cr('2621', 24_000n),
    ]);
    expect(validatePostings(postings)).toBeNull();
    // net effect with the deposit: 1510 = full gross, 2429 = 0, VAT = full VAT
    const both = [...postInvoiceIssued(deposit, BAS_DEFAULTS), ...postings];
    const balance = (account: string) => both.filter((q) => q.account === account).reduce((a, q) => a + q.debitMinor - q.creditMinor, 0n);
    expect(balance('1510')).toBe(1_474_000n);
    expect(balance('2429')).toBe(0n);
    expect(balance('2611')).toBe(-250_000n);
    expect(balance('2621')).toBe(-24_000n);
    expect(balance('3001')).toBe(-1_000_000n);
  });

  it('refuses deductions above the invoice gross', () => {
    expect(() =>
      postInvoiceIssued(
        {
          currency: 'SEK', customerId: 'c', grossMinor: 125n,
          breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100n, vatMinor: 25n }],
          deductions: [{ vatRatePercent: '25', vatCategory: 'S', netMinor: 101n, vatMinor: 25n }],
        },
        BAS_DEFAULTS,
      ),
    ).toThrow(/exceed/);
  });

  it('a credit note on an advance debits 2429 instead of revenue', () => {
    const postings = postCreditNoteIssued(
      {
        currency: 'SEK', customerId: 'cus_a', grossMinor: 125_000n, receivableMinor: 125_000n, customerCreditMinor: 0n,
        breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 25_000n }],
        advance: true,
      },
      BAS_DEFAULTS,
    );
    expect(postings).toEqual([dr('2429', 100_000n), dr('2611', 25_000n), cr('1510', 125_000n, 'cus_a')]);
  });
});

describe('öre rounding (decision 0009, BT-114)', () => {
  // the basket of 714.80 incl. VAT: 237.60 + 59.40 at 25 %, 98.12 + 11.77 at 12 %, 290.47 + 17.43 at 6 %
  // = 714.79, rounding 0.01
  const basket = {
    currency: 'SEK',
    customerId: 'cus_r',
    grossMinor: 71_479n,
    breakdown: [
      { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 23_760n, vatMinor: 5_940n },
      { vatRatePercent: '12', vatCategory: 'S', taxableMinor: 9_812n, vatMinor: 1_177n },
      { vatRatePercent: '6', vatCategory: 'S', taxableMinor: 29_047n, vatMinor: 1_743n },
    ],
  };

  it('a positive rounding: 1510 gross + rounding, credit 3740', () => {
    const postings = postInvoiceIssued({ ...basket, roundingMinor: 1n }, BAS_DEFAULTS);
    expect(postings).toEqual([
      dr('1510', 71_480n, 'cus_r'),
      cr('3001', 23_760n), cr('2611', 5_940n), cr('3002', 9_812n), cr('2621', 1_177n), cr('3003', 29_047n), cr('2631', 1_743n),
      cr('3740', 1n),
    ]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('a negative rounding: 1510 gross − 0.02, debit 3740', () => {
    const postings = postInvoiceIssued({ ...basket, roundingMinor: -2n }, BAS_DEFAULTS);
    expect(postings.slice(0, 2)).toEqual([dr('1510', 71_477n, 'cus_r'), dr('3740', 2n)]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('with advances deducted: 1510 gross + rounding − prepaid', () => {
    const postings = postInvoiceIssued(
      { ...basket, roundingMinor: 1n, deductions: [{ vatRatePercent: '25', vatCategory: 'S', netMinor: 8_000n, vatMinor: 2_000n }] },
      BAS_DEFAULTS,
    );
    // 71 479 + 1 − 10 000 = 61 480
    expect(postings.filter((p) => p.account === '1510' || p.account === '3740')).toEqual([dr('1510', 61_480n, 'cus_r'), cr('3740', 1n)]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('uses the tenant account for the rounding', () => {
    const postings = postInvoiceIssued({ ...basket, roundingMinor: 1n }, { ...BAS_DEFAULTS, roundingDifference: '3741' });
    expect(postings.at(-1)).toEqual(cr('3741', 1n));
  });

  it('refuses a rounding beyond the krona, or one that makes the receivable negative', () => {
    expect(() => postInvoiceIssued({ ...basket, roundingMinor: 100n }, BAS_DEFAULTS)).toThrow(/not an öre rounding/);
    expect(() => postInvoiceIssued({ ...basket, roundingMinor: -100n }, BAS_DEFAULTS)).toThrow(/not an öre rounding/);
    expect(() =>
      postInvoiceIssued(
        { ...basket, roundingMinor: -1n, deductions: [{ vatRatePercent: '25', vatCategory: 'S', netMinor: 57_183n, vatMinor: 14_296n }] },
        BAS_DEFAULTS,
      ),
    ).toThrow(/negative/);
  });

  it('a credit note that reverses the rounding: debit 3740, credit 1510 with gross + rounding', () => {
    const postings = postCreditNoteIssued({ ...basket, roundingMinor: 1n, receivableMinor: 71_480n, customerCreditMinor: 0n }, BAS_DEFAULTS);
    expect(postings.filter((p) => p.account === '1510' || p.account === '3740')).toEqual([dr('3740', 1n), cr('1510', 71_480n, 'cus_r')]);
    expect(validatePostings(postings)).toBeNull();
    // a negative one: credit 3740, and only gross − 0.01 off the receivable
    const negative = postCreditNoteIssued({ ...basket, roundingMinor: -1n, receivableMinor: 71_478n, customerCreditMinor: 0n }, BAS_DEFAULTS);
    expect(negative.filter((p) => p.account === '1510' || p.account === '3740')).toEqual([cr('3740', 1n), cr('1510', 71_478n, 'cus_r')]);
    expect(validatePostings(negative)).toBeNull();
    // the split must cover gross + rounding
    expect(() => postCreditNoteIssued({ ...basket, roundingMinor: 1n, receivableMinor: 71_479n, customerCreditMinor: 0n }, BAS_DEFAULTS)).toThrow(/split/);
  });

  it('always balances; 1510 = gross + rounding − prepaid and 3740 = −rounding (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: -99n, max: 99n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), (net, rounding, prepaidNet) => {
        const vat = (net * 25n + 50n) / 100n;
        const gross = net + vat;
        const dNet = prepaidNet > net ? net : prepaidNet;
        const dVat = (dNet * 25n) / 100n;
        fc.pre(gross + rounding - dNet - dVat >= 0n);
        const postings = postInvoiceIssued(
          {
            currency: 'SEK', customerId: 'c', grossMinor: gross, roundingMinor: rounding,
            breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: net, vatMinor: vat }],
            deductions: dNet + dVat > 0n ? [{ vatRatePercent: '25', vatCategory: 'S', netMinor: dNet, vatMinor: dVat }] : [],
          },
          BAS_DEFAULTS,
        );
        if (postings.length > 0) expect(validatePostings(postings)).toBeNull();
        const balance = (account: string) => postings.filter((q) => q.account === account).reduce((a, q) => a + q.debitMinor - q.creditMinor, 0n);
        expect(balance('1510')).toBe(gross + rounding - dNet - dVat);
        expect(balance('3740')).toBe(-rounding);
      }),
    );
  });
});

describe('advanceDeductionPostings', () => {
  it('debits 2429 with the net and the VAT account of each row, unmerged, leaving zeros out', () => {
    expect(
      advanceDeductionPostings(
        'EUR',
        [
          { vatRatePercent: '25', vatCategory: 'S', netMinor: 30_000n, vatMinor: 7_500n },
          { vatRatePercent: '0', vatCategory: 'Z', netMinor: 1_000n, vatMinor: 0n },
        ],
        BAS_DEFAULTS,
      ),
    ).toEqual([dr('2429', 30_000n, null, 'EUR'), dr('2611', 7_500n, null, 'EUR'), dr('2429', 1_000n, null, 'EUR')]);
  });
});

describe('revenue per product group', () => {
  const accounts = { ...BAS_DEFAULTS, revenueByProductGroup: { pgr_a: { '25': '3011', AE: '3309' } } };
  const row = { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_00n, vatMinor: 25_00n };
  const line = (productGroupId: string | null, netMinor: bigint, vatCategory = 'S', vatRatePercent = '25') => ({ vatCategory, vatRatePercent, productGroupId, netMinor });

  it('splits a VAT row over the mapped accounts in proportion to the nets, parts summing to the taxable amount', () => {
    // 100.00 taxable over nets 33.33 (group a → 3011) and 66.67 (no group → 3001)
    const p = postInvoiceIssued({ currency: 'SEK', customerId: 'cus_1', grossMinor: 125_00n, breakdown: [row], revenueLines: [line('pgr_a', 33_33n), line(null, 66_67n)] }, accounts);
    expect(p.filter((x) => x.creditMinor > 0n).map((x) => [x.account, x.creditMinor])).toEqual([['3011', 33_33n], ['3001', 66_67n], ['2611', 25_00n]]);
  });

  it('allocates a rounding difference between nets and the row by largest remainder', () => {
    // nets 1 + 1 + 1 = 3 for a row taxable of 100: 3011 gets 2/3 → 67 (larger remainder), 3001 1/3 → 33
    const p = postInvoiceIssued({ currency: 'SEK', customerId: 'cus_1', grossMinor: 125n, breakdown: [{ ...row, taxableMinor: 100n, vatMinor: 25n }], revenueLines: [line('pgr_a', 1n), line('pgr_a', 1n), line(null, 1n)] }, accounts);
    expect(p.filter((x) => x.creditMinor > 0n).map((x) => [x.account, x.creditMinor])).toEqual([['3011', 67n], ['3001', 33n], ['2611', 25n]]);
  });

  it('uses the treatment key: a reverse-charge row maps by category, an unmapped group falls back', () => {
    const ae = { vatRatePercent: '0', vatCategory: 'AE', taxableMinor: 50_00n, vatMinor: 0n };
    const p = postInvoiceIssued({ currency: 'SEK', customerId: 'cus_1', grossMinor: 50_00n, breakdown: [ae], revenueLines: [line('pgr_a', 20_00n, 'AE', '0'), line('pgr_b', 30_00n, 'AE', '0')] }, accounts);
    expect(p.filter((x) => x.creditMinor > 0n).map((x) => [x.account, x.creditMinor])).toEqual([['3309', 20_00n], ['3308', 30_00n]]);
  });

  it('without lines or without a mapping: one account per VAT row', () => {
    const a = postInvoiceIssued({ currency: 'SEK', customerId: 'cus_1', grossMinor: 125_00n, breakdown: [row] }, accounts);
    const b = postInvoiceIssued({ currency: 'SEK', customerId: 'cus_1', grossMinor: 125_00n, breakdown: [row], revenueLines: [line('pgr_a', 100_00n)] }, BAS_DEFAULTS);
    expect(a.find((x) => x.creditMinor === 100_00n)?.account).toBe('3001');
    expect(b.find((x) => x.creditMinor === 100_00n)?.account).toBe('3001');
  });
});
