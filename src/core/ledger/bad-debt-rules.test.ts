import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BAS_DEFAULTS } from './accounts.js';
import { postBadDebtWriteOff, splitWriteOff } from './bad-debt-rules.js';
import { validatePostings } from './journal.js';

// 1 000.00 net at 25 % (250.00 VAT) + 500.00 net at 12 % (60.00 VAT) = 1 810.00
const MIXED = { totalMinor: 1_810_00n, vatByRate: [{ vatRatePercent: '25', vatMinor: 250_00n }, { vatRatePercent: '12', vatMinor: 60_00n }] };

describe('splitWriteOff', () => {
  it('reverses exactly the invoice VAT when the whole invoice is written off', () => {
    expect(splitWriteOff(1_810_00n, MIXED, 'SEK')).toEqual({
      netMinor: 1_500_00n,
      vat: [{ vatRatePercent: '25', vatMinor: 250_00n }, { vatRatePercent: '12', vatMinor: 60_00n }],
    });
  });

  it('splits a part in proportion, largest remainder, so net + VAT = amount', () => {
    // 1 000.00 × 1 500/1 810 = 828.72928 → 828.72 (rem .928); × 250/1 810 = 138.12154 → 138.12 (rem .154);
    // × 60/1 810 = 33.14917 → 33.14 (rem .917); 0.02 left over: one each to net (.928) and 12 % (.917)
    expect(splitWriteOff(1_000_00n, MIXED, 'SEK')).toEqual({
      netMinor: 828_73n,
      vat: [{ vatRatePercent: '25', vatMinor: 138_12n }, { vatRatePercent: '12', vatMinor: 33_15n }],
    });
  });

  it('puts everything on the net part of an invoice without VAT', () => {
    expect(splitWriteOff(99_99n, { totalMinor: 500_00n, vatByRate: [] }, 'SEK')).toEqual({ netMinor: 99_99n, vat: [] });
  });

  it('never loses or invents a minor unit (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000_000n }),
        fc.bigInt({ min: 0n, max: 10_000_000n }),
        fc.bigInt({ min: 0n, max: 2_000_000n }),
        fc.bigInt({ min: 0n, max: 2_000_000n }),
        (net, v25, v12, taken) => {
          const total = net + v25 + v12;
          const amount = 1n + (taken % total);
          const s = splitWriteOff(amount, { totalMinor: total, vatByRate: [{ vatRatePercent: '25', vatMinor: v25 }, { vatRatePercent: '12', vatMinor: v12 }] }, 'SEK');
          expect(s.netMinor + s.vat.reduce((a, v) => a + v.vatMinor, 0n)).toBe(amount);
          expect(s.vat.every((v, i) => v.vatMinor >= 0n && v.vatMinor <= [v25, v12][i]!)).toBe(true);
        },
      ),
    );
  });

  it('refuses what cannot be split', () => {
    expect(() => splitWriteOff(0n, MIXED, 'SEK')).toThrow(/positive/);
    expect(() => splitWriteOff(1n, { totalMinor: 100n, vatByRate: [{ vatRatePercent: '25', vatMinor: 101n }] }, 'SEK')).toThrow(/exceeds/);
  });
});

describe('postBadDebtWriteOff', () => {
  const line = (account: string, debit: bigint, credit: bigint, customerId: string | null = null, amountCurrency: string | null = null, amountMinor: bigint | null = null) =>
    ({ account, currency: 'SEK', debitMinor: debit, creditMinor: credit, customerId, amountCurrency, amountMinor });

  it('debits 6351 and the output VAT per rate, credits 1510 on the customer (base currency)', () => {
    const split = splitWriteOff(1_000_00n, MIXED, 'SEK');
    const postings = postBadDebtWriteOff({ base: 'SEK', currency: 'SEK', customerId: 'cus_1', amountMinor: 1_000_00n, baseAmountMinor: 1_000_00n, split }, BAS_DEFAULTS);
    expect(postings).toEqual([
      line('6351', 828_73n, 0n),
      line('2611', 138_12n, 0n),
      line('2621', 33_15n, 0n),
      line('1510', 0n, 1_000_00n, 'cus_1'),
    ]);
    expect(validatePostings(postings)).toBeNull();
  });

  it('values a foreign write-off at the base taken off the open item, split over the parts', () => {
    // 125.00 EUR (100.00 net + 25.00 VAT) open, worth 1 429.06 SEK: 142 906 × 100/125 = 114 324.8 and × 25/125 = 28 581.2;
    // the öre left over goes to the larger remainder (6351)
    const split = splitWriteOff(125_00n, { totalMinor: 125_00n, vatByRate: [{ vatRatePercent: '25', vatMinor: 25_00n }] }, 'EUR');
    const postings = postBadDebtWriteOff({ base: 'SEK', currency: 'EUR', customerId: 'cus_2', amountMinor: 125_00n, baseAmountMinor: 1_429_06n, split }, BAS_DEFAULTS);
    expect(postings).toEqual([
      line('6351', 1_143_25n, 0n, null, 'EUR', 100_00n),
      line('2611', 285_81n, 0n, null, 'EUR', 25_00n),
      line('1510', 0n, 1_429_06n, 'cus_2', 'EUR', 125_00n),
    ]);
  });

  it('uses the tenant map and posts all to bad debts without VAT', () => {
    const split = splitWriteOff(300_00n, { totalMinor: 300_00n, vatByRate: [] }, 'SEK');
    const postings = postBadDebtWriteOff(
      { base: 'SEK', currency: 'SEK', customerId: 'cus_3', amountMinor: 300_00n, baseAmountMinor: 300_00n, split },
      { ...BAS_DEFAULTS, badDebts: '6352', receivable: '1511' },
    );
    expect(postings).toEqual([line('6352', 300_00n, 0n), line('1511', 0n, 300_00n, 'cus_3')]);
  });

  it('refuses a split that does not add up', () => {
    expect(() =>
      postBadDebtWriteOff({ base: 'SEK', currency: 'SEK', customerId: 'c', amountMinor: 100n, baseAmountMinor: 100n, split: { netMinor: 90n, vat: [] } }, BAS_DEFAULTS),
    ).toThrow(/split/);
  });
});
