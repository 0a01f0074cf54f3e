import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BAS_DEFAULTS } from './accounts.js';
import {
  baseTotalsOf, creditNoteToFunctional, invoiceToFunctional, postAllocationFunctional, prorateBase, toFunctional, type FunctionalPosting,
} from './functional.js';
import { validatePostings, type Posting } from './journal.js';
import { advanceDeductionPostings, postCreditNoteIssued, postInvoiceIssued } from './rules.js';
import { identityRate, RATE_SCALE, type ExchangeRate } from '../money/fx.js';

const eurSek = (rate: string): ExchangeRate => {
  const [i, f = ''] = rate.split('.');
  return { base: 'EUR', quote: 'SEK', scaled: BigInt(i! + f.padEnd(10, '0')) };
};

/** 1 000.00 EUR at 25 % → VAT 250.00, gross 1 250.00 */
const invoice = postInvoiceIssued(
  { currency: 'EUR', customerId: 'cus_1', grossMinor: 125_000n, breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 25_000n }] },
  BAS_DEFAULTS,
);

describe('toFunctional', () => {
  it('converts each side once and allocates it: known figures at 11.4325', () => {
    // gross 1 250.00 × 11.4325 = 14 290.625 → 14 290.63 (half up), debited to 1510.
    // credits: 14 290.63 allocated 1000 : 250 → 11 432.504 / 2 858.126 → 11 432.50 + 2 858.13 (the öre
    // left over goes to the largest remainder, the VAT); 250 × 11.4325 = 2 858.125 → 2 858.13 too.
    const lines = toFunctional(invoice, eurSek('11.4325'));
    expect(lines.map((l) => [l.account, l.currency, l.debitMinor, l.creditMinor, l.amountCurrency, l.amountMinor])).toEqual([
      ['1510', 'SEK', 1_429_063n, 0n, 'EUR', 125_000n],
      ['3001', 'SEK', 0n, 1_143_250n, 'EUR', 100_000n],
      ['2611', 'SEK', 0n, 285_813n, 'EUR', 25_000n],
    ]);
    expect(baseTotalsOf(lines, BAS_DEFAULTS)).toEqual({ receivableBaseMinor: 1_429_063n, vatBaseMinor: 285_813n });
  });

  it('leaves a base-currency entry as it was, with no foreign amount', () => {
    const sek = invoice.map((p) => ({ ...p, currency: 'SEK' }));
    const lines = toFunctional(sek, identityRate('SEK'));
    expect(lines).toEqual(sek.map((p) => ({ ...p, amountCurrency: null, amountMinor: null })));
  });

  it('an entry worth nothing in the base currency converts to no postings', () => {
    // 0.01 EUR at 0.0000000001 SEK/EUR is 0.000000001 öre → 0 on both sides
    const tiny: Posting[] = [
      { account: '1930', currency: 'EUR', customerId: null, debitMinor: 1n, creditMinor: 0n },
      { account: '1510', currency: 'EUR', customerId: null, debitMinor: 0n, creditMinor: 1n },
    ];
    expect(toFunctional(tiny, { base: 'EUR', quote: 'SEK', scaled: 1n })).toEqual([]);
  });

  it('refuses postings in another currency than the rate converts', () => {
    expect(() => toFunctional(invoice, { base: 'USD', quote: 'SEK', scaled: RATE_SCALE })).toThrow(/posting in EUR/);
  });

  it('a converted entry always balances in the base currency and keeps the document amounts (property)', () => {
    const entry = fc
      .array(
        fc.record({
          debit: fc.boolean(),
          account: fc.constantFrom('1510', '3001', '2611', '2420', '1930'),
          amount: fc.bigInt({ min: 1n, max: 10n ** 12n }),
        }),
        { minLength: 1, maxLength: 8 },
      )
      .map((rows) => {
        const postings: Posting[] = rows.map((r) => ({
          account: r.account, currency: 'EUR', customerId: null,
          debitMinor: r.debit ? r.amount : 0n, creditMinor: r.debit ? 0n : r.amount,
        }));
        // balance it with one posting on the short side
        const diff = postings.reduce((a, p) => a + p.debitMinor - p.creditMinor, 0n);
        if (diff !== 0n) postings.push({ account: '1930', currency: 'EUR', customerId: null, debitMinor: diff < 0n ? -diff : 0n, creditMinor: diff > 0n ? diff : 0n });
        return postings;
      })
      .filter((p) => p.length >= 2);
    const rate = fc.bigInt({ min: 1n, max: 10n ** 13n }).map((scaled): ExchangeRate => ({ base: 'EUR', quote: 'SEK', scaled }));
    fc.assert(
      fc.property(entry, rate, (postings, r) => {
        const lines = toFunctional(postings, r);
        if (lines.length > 0) expect(validatePostings(lines)).toBeNull();
        expect(lines.reduce((a, l) => a + l.debitMinor - l.creditMinor, 0n)).toBe(0n);
        for (const l of lines) {
          expect(l.currency).toBe('SEK');
          expect(l.amountCurrency).toBe('EUR');
          expect(l.amountMinor).toBe(l.debitMinor > 0n ? postings.find((p) => p.account === l.account && p.debitMinor === l.amountMinor)?.debitMinor : postings.find((p) => p.account === l.account && p.creditMinor === l.amountMinor)?.creditMinor);
        }
      }),
    );
  });
});

describe('prorateBase', () => {
  it('prorates half up and takes exactly the rest when the item is settled', () => {
    // 14 290.63 × 500 / 1 250 = 5 716.252 → 5 716.25; the remaining 750 of 750 take all 8 574.38
    expect(prorateBase(1_429_063n, 50_000n, 125_000n)).toBe(571_625n);
    expect(prorateBase(1_429_063n - 571_625n, 75_000n, 75_000n)).toBe(857_438n);
    // 100 × 1 / 8 = 12.5 → 13 (half up)
    expect(prorateBase(100n, 1n, 8n)).toBe(13n);
    expect(prorateBase(100n, 0n, 8n)).toBe(0n);
    expect(() => prorateBase(100n, 9n, 8n)).toThrow(/taking 9 of 8/);
  });

  it('the parts of a settled item always add up to its base (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.array(fc.bigInt({ min: 1n, max: 10n ** 6n }), { minLength: 1, maxLength: 6 }), (open0, base0, cuts) => {
        let open = open0;
        let base = base0;
        let taken = 0n;
        for (const c of cuts) {
          const x = c < open ? c : open;
          if (x === 0n) break;
          const b = prorateBase(base, x, open);
          expect(b >= 0n && b <= base).toBe(true);
          open -= x;
          base -= b;
          taken += b;
        }
        if (open > 0n) taken += prorateBase(base, open, open);
        expect(taken).toBe(base0);
      }),
    );
  });
});

describe('postAllocationFunctional', () => {
  const e = { base: 'SEK', currency: 'EUR', customerId: 'cus_1', amountMinor: 125_000n };
  it('a payment worth more in SEK than the receivable it settles: gain on 3960', () => {
    // 1 250.00 EUR received at 11.60 = 14 500.00 SEK; the receivable was 14 290.63 → gain 209.37
    const { postings, fxDifferenceMinor } = postAllocationFunctional({ ...e, paymentBaseMinor: 1_450_000n, openItemBaseMinor: 1_429_063n }, BAS_DEFAULTS);
    expect(fxDifferenceMinor).toBe(20_937n);
    expect(postings.map((p) => [p.account, p.debitMinor, p.creditMinor, p.amountCurrency, p.amountMinor])).toEqual([
      ['2420', 1_450_000n, 0n, 'EUR', 125_000n],
      ['1510', 0n, 1_429_063n, 'EUR', 125_000n],
      ['3960', 0n, 20_937n, null, null],
    ]);
  });
  it('worth less: loss on 7960', () => {
    // at 11.20 = 14 000.00 SEK → loss 290.63
    const { postings, fxDifferenceMinor } = postAllocationFunctional({ ...e, paymentBaseMinor: 1_400_000n, openItemBaseMinor: 1_429_063n }, BAS_DEFAULTS);
    expect(fxDifferenceMinor).toBe(-29_063n);
    expect(postings.map((p) => [p.account, p.debitMinor, p.creditMinor])).toEqual([['2420', 1_400_000n, 0n], ['1510', 0n, 1_429_063n], ['7960', 29_063n, 0n]]);
  });
  it('in the base currency: 2420 / 1510 only, no foreign amount', () => {
    const { postings } = postAllocationFunctional({ ...e, currency: 'SEK', paymentBaseMinor: 125_000n, openItemBaseMinor: 125_000n }, BAS_DEFAULTS);
    expect(postings).toEqual([
      { account: '2420', currency: 'SEK', debitMinor: 125_000n, creditMinor: 0n, customerId: 'cus_1', amountCurrency: null, amountMinor: null },
      { account: '1510', currency: 'SEK', debitMinor: 0n, creditMinor: 125_000n, customerId: 'cus_1', amountCurrency: null, amountMinor: null },
    ]);
  });
});

describe('creditNoteToFunctional', () => {
  const note = (receivableMinor: bigint, customerCreditMinor: bigint) =>
    postCreditNoteIssued(
      { currency: 'EUR', customerId: 'cus_1', grossMinor: 125_000n, receivableMinor, customerCreditMinor, breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 25_000n }] },
      BAS_DEFAULTS,
    );
  it('a full credit of an unpaid invoice at its rate reverses the invoice exactly', () => {
    const lines = creditNoteToFunctional(note(125_000n, 0n), eurSek('11.4325'), { receivableBaseMinor: 1_429_063n, customerCreditBaseMinor: 0n }, BAS_DEFAULTS);
    expect(lines.map((l) => [l.account, l.debitMinor, l.creditMinor])).toEqual([['3001', 1_143_250n, 0n], ['2611', 285_813n, 0n], ['1510', 0n, 1_429_063n]]);
  });
  it('a credit on a paid invoice given back at the payment rate: the difference to 7960', () => {
    // 14 290.63 reversed at the invoice rate; 14 500.00 back to the payment (paid at 11.60) → 209.37 on 7960
    const lines = creditNoteToFunctional(note(0n, 125_000n), eurSek('11.4325'), { receivableBaseMinor: 0n, customerCreditBaseMinor: 1_450_000n }, BAS_DEFAULTS);
    expect(lines.map((l) => [l.account, l.debitMinor, l.creditMinor])).toEqual([['3001', 1_143_250n, 0n], ['2611', 285_813n, 0n], ['2420', 0n, 1_450_000n], ['7960', 20_937n, 0n]]);
    expect(validatePostings(lines)).toBeNull();
  });
});

describe('invoiceToFunctional (advances deducted at their own rate)', () => {
  // final invoice 1 000.00 + 250.00 EUR, deducting a deposit of 300.00 + 75.00 EUR issued at 11.00
  const deduction = { vatRatePercent: '25', vatCategory: 'S', netMinor: 30_000n, vatMinor: 7_500n };
  const final = postInvoiceIssued(
    {
      currency: 'EUR', customerId: 'cus_1', grossMinor: 125_000n, deductions: [deduction],
      breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 25_000n }],
    },
    BAS_DEFAULTS,
  );
  const deposit = { postings: advanceDeductionPostings('EUR', [deduction], BAS_DEFAULTS), rate: eurSek('11.00') };
  const rows = (lines: FunctionalPosting[]) => lines.map((l) => [l.account, l.debitMinor, l.creditMinor, l.amountCurrency, l.amountMinor]);

  it('known figures: the deduction at 11.00, the rest at 11.50, 187.50 to 7960', () => {
    // at 11.50: 1510 875.00 → 10 062.50; credits 1 250.00 → 14 375.00 = 11 500.00 + 2 875.00
    // at 11.00: 2429 300.00 → 3 300.00, 2611 75.00 → 825.00; debits 14 187.50: 187.50 short → loss
    expect(rows(invoiceToFunctional(final, eurSek('11.50'), [deposit], BAS_DEFAULTS))).toEqual([
      ['1510', 1_006_250n, 0n, 'EUR', 87_500n],
      ['2429', 330_000n, 0n, 'EUR', 30_000n],
      ['2611', 82_500n, 0n, 'EUR', 7_500n],
      ['3001', 0n, 1_150_000n, 'EUR', 100_000n],
      ['2611', 0n, 287_500n, 'EUR', 25_000n],
      ['7960', 18_750n, 0n, null, null],
    ]);
    // the rate fell to 10.50: 1510 9 187.50, credits 13 125.00, debits 9 187.50 + 4 125.00 = 13 312.50 → gain 187.50
    const fell = invoiceToFunctional(final, eurSek('10.50'), [deposit], BAS_DEFAULTS);
    expect(rows(fell).at(-1)).toEqual(['3960', 0n, 18_750n, null, null]);
  });

  it('at one rate for all it posts what toFunctional posts, with no exchange line', () => {
    const one = invoiceToFunctional(final, eurSek('11.4325'), [{ ...deposit, rate: eurSek('11.4325') }], BAS_DEFAULTS);
    const sortRows = (r: unknown[][]) => r.map((x) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? v.toString() : v))).sort();
    expect(sortRows(rows(one))).toEqual(sortRows(rows(toFunctional(final, eurSek('11.4325')))));
  });

  it('refuses a deduction the entry does not carry', () => {
    const more = { postings: advanceDeductionPostings('EUR', [{ ...deduction, netMinor: 40_000n }], BAS_DEFAULTS), rate: eurSek('11') };
    expect(() => invoiceToFunctional(final, eurSek('11.5'), [more], BAS_DEFAULTS)).toThrow(/covers/);
  });

  it('always balances in SEK; the deduction lines are worth exactly the advance at its rate (property)', () => {
    const rate = fc.bigInt({ min: 10n ** 9n, max: 2n * 10n ** 11n }).map((scaled): ExchangeRate => ({ base: 'EUR', quote: 'SEK', scaled }));
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 10n }), fc.integer({ min: 1, max: 100 }), rate, rate, (net, percent, invoiceRate, advanceRate) => {
        const vat = (net * 25n + 50n) / 100n;
        const dNet = (net * BigInt(percent)) / 100n;
        const dVat = (dNet * 25n + 50n) / 100n;
        fc.pre(dNet > 0n && dNet + dVat <= net + vat);
        const d = { vatRatePercent: '25', vatCategory: 'S', netMinor: dNet, vatMinor: dVat };
        const postings = postInvoiceIssued(
          { currency: 'EUR', customerId: 'c', grossMinor: net + vat, deductions: [d], breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: net, vatMinor: vat }] },
          BAS_DEFAULTS,
        );
        const lines = invoiceToFunctional(postings, invoiceRate, [{ postings: advanceDeductionPostings('EUR', [d], BAS_DEFAULTS), rate: advanceRate }], BAS_DEFAULTS);
        // an entry worth nothing in SEK (a few cents at a tiny rate) comes back empty, as from toFunctional
        if (lines.length > 0) expect(validatePostings(lines)).toBeNull();
        expect(lines.reduce((a, l) => a + l.debitMinor - l.creditMinor, 0n)).toBe(0n);
        const debits2429 = lines.filter((l) => l.account === '2429').reduce((a, l) => a + l.debitMinor, 0n);
        const debitsVat = lines.filter((l) => l.account === '2611').reduce((a, l) => a + l.debitMinor, 0n);
        // as the advance itself was converted (toFunctional of its credits at its rate)
        const advance = toFunctional(
          postInvoiceIssued({ currency: 'EUR', customerId: 'c', grossMinor: dNet + dVat, advance: true, breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: dNet, vatMinor: dVat }] }, BAS_DEFAULTS),
          advanceRate,
        );
        expect(debits2429).toBe(advance.find((l) => l.account === '2429')?.creditMinor ?? 0n);
        expect(debitsVat).toBe(advance.find((l) => l.account === '2611')?.creditMinor ?? 0n);
      }),
      { numRuns: 500 },
    );
  });
});
