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

  it.each([
    ['K', '3108'],
    ['AE', '3308'],
    ['G', '3105'],
    ['O', '3305'],
    ['E', '3004'],
    ['Z', '3004'],
  ])('reverses category %s on %s without VAT, the excess over the open amount to 2420', (vatCategory, account) => {
    const postings = postCreditNoteIssued(
      {
        currency: 'EUR', customerId: 'cus_x', grossMinor: 500_00n, receivableMinor: 200_00n, customerCreditMinor: 300_00n,
        breakdown: [{ vatRatePercent: '0', vatCategory, taxableMinor: 500_00n, vatMinor: 0n }],
      },
      BAS_DEFAULTS,
    );
    const e = (acc: string, debitMinor: bigint, creditMinor: bigint, customerId: string | null = null): Posting => ({
      account: acc, currency: 'EUR', debitMinor, creditMinor, customerId,
    });
    expect(postings).toEqual([e(account, 500_00n, 0n), e('1510', 0n, 200_00n, 'cus_x'), e('2420', 0n, 300_00n, 'cus_x')]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('reverses a mixed reverse-charge and domestic credit note exactly as the invoice posted it', () => {
    const breakdown = [
      { vatRatePercent: '25', vatCategory: 'S', taxableMinor: 80_00n, vatMinor: 20_00n },
      { vatRatePercent: '0', vatCategory: 'AE', taxableMinor: 300_00n, vatMinor: 0n },
    ];
    const invoice = postInvoiceIssued({ currency: 'SEK', customerId: 'cus_m', grossMinor: 400_00n, breakdown }, BAS_DEFAULTS);
    const credit = postCreditNoteIssued(
      { currency: 'SEK', customerId: 'cus_m', grossMinor: 400_00n, receivableMinor: 400_00n, customerCreditMinor: 0n, breakdown },
      BAS_DEFAULTS,
    );
    expect(credit).toEqual([p('3001', 80_00n, 0n), p('2611', 20_00n, 0n), p('3308', 300_00n, 0n), p('1510', 0n, 400_00n, 'cus_m')]);
    const net = new Map<string, bigint>();
    for (const q of [...invoice, ...credit]) net.set(q.account, (net.get(q.account) ?? 0n) + q.debitMinor - q.creditMinor);
    for (const [account, v] of net) expect(v, account).toBe(0n);
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
