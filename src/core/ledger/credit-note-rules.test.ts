import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BAS_DEFAULTS } from './accounts.js';
import { validatePostings, type Posting } from './journal.js';
import { postCreditNoteIssued, postInvoiceIssued } from './rules.js';

const p = (account: string, debitMinor: bigint, creditMinor: bigint, customerId: string | null = null): Posting => ({
  account, currency: 'SEK', debitMinor, creditMinor, customerId,
});

describe('postCreditNoteIssued', () => {
  it('reverses an unpaid 25 % invoice: 3001 net + 2611 VAT / 1510 gross', () => {
    const postings = postCreditNoteIssued(
      {
        currency: 'SEK', customerId: 'cus_1', grossMinor: 125_000n, receivableMinor: 125_000n, customerCreditMinor: 0n,
        breakdown: [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 25_000n }],
      },
      BAS_DEFAULTS,
    );
    expect(postings).toEqual([p('3001', 100_000n, 0n), p('2611', 25_000n, 0n), p('1510', 0n, 125_000n, 'cus_1')]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('credits what exceeds the open amount to customer credit (2420) on the customer', () => {
    const postings = postCreditNoteIssued(
      {
        currency: 'SEK', customerId: 'cus_2', grossMinor: 53_00n, receivableMinor: 3_00n, customerCreditMinor: 50_00n,
        breakdown: [{ vatRatePercent: '6', vatCategory: 'S', taxableMinor: 50_00n, vatMinor: 3_00n }],
      },
      BAS_DEFAULTS,
    );
    expect(postings).toEqual([
      p('3003', 50_00n, 0n), p('2631', 3_00n, 0n), p('1510', 0n, 3_00n, 'cus_2'), p('2420', 0n, 50_00n, 'cus_2'),
    ]);
  });

  it('refuses a split that does not add up to the gross, and a breakdown that does not balance', () => {
    const breakdown = [{ vatRatePercent: '25', vatCategory: 'S', taxableMinor: 100n, vatMinor: 25n }];
    expect(() =>
      postCreditNoteIssued({ currency: 'SEK', customerId: 'c', grossMinor: 125n, receivableMinor: 100n, customerCreditMinor: 0n, breakdown }, BAS_DEFAULTS),
    ).toThrow(/split/);
    expect(() =>
      postCreditNoteIssued({ currency: 'SEK', customerId: 'c', grossMinor: 120n, receivableMinor: 120n, customerCreditMinor: 0n, breakdown }, BAS_DEFAULTS),
    ).toThrow(/does not balance/);
  });

  it('is the exact mirror of the invoice posting when nothing was paid (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ rate: fc.constantFrom('25', '12', '6'), taxable: fc.bigInt({ min: 0n, max: 10n ** 12n }) }), { minLength: 1, maxLength: 4 }),
        fc.bigInt({ min: 0n, max: 100n }),
        (rows, paidPercent) => {
          const breakdown = rows.map((r) => ({
            vatRatePercent: r.rate, vatCategory: 'S', taxableMinor: r.taxable, vatMinor: (r.taxable * BigInt(r.rate)) / 100n,
          }));
          const grossMinor = breakdown.reduce((a, b) => a + b.taxableMinor + b.vatMinor, 0n);
          const invoice = postInvoiceIssued({ currency: 'SEK', customerId: 'c', grossMinor, breakdown }, BAS_DEFAULTS);
          const credit = postCreditNoteIssued(
            { currency: 'SEK', customerId: 'c', grossMinor, breakdown, receivableMinor: grossMinor, customerCreditMinor: 0n },
            BAS_DEFAULTS,
          );
          const swapped = invoice.map((q) => ({ ...q, debitMinor: q.creditMinor, creditMinor: q.debitMinor }));
          const key = (q: Posting) => `${q.account}|${q.customerId}|${q.debitMinor}|${q.creditMinor}`;
          expect(credit.map(key).sort()).toEqual(swapped.map(key).sort());
          // any split between 1510 and 2420 balances
          const excess = (grossMinor * paidPercent) / 100n;
          const split = postCreditNoteIssued(
            { currency: 'SEK', customerId: 'c', grossMinor, breakdown, receivableMinor: grossMinor - excess, customerCreditMinor: excess },
            BAS_DEFAULTS,
          );
          if (grossMinor > 0n) expect(validatePostings(split)).toBeNull();
        },
      ),
    );
  });
});
