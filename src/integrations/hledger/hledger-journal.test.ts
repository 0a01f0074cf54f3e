import { describe, expect, it } from 'vitest';
import { hledgerAccountName, hledgerAmount, hledgerJournalText } from './hledger-journal.js';

describe('hledger journal', () => {
  it('writes declarations and one transaction per entry with exact amounts', async () => {
    const text = await hledgerJournalText({
      commodity: 'SEK',
      exponent: 2,
      comment: 'q2c test',
      accounts: [
        { account: '3001', name: 'Försäljning varor/tjänster 25 %' },
        { account: '1510', name: 'Kundfordringar' },
        { account: '2611', name: 'Utgående  moms: 25 %; test' },
      ],
      transactions: [
        {
          date: '2026-03-05',
          code: 'A2026-1',
          description: 'Faktura 1001; (Karl)',
          postings: [
            { account: '1510', amountMinor: 1_250_00n },
            { account: '3001', amountMinor: -1_000_00n },
            { account: '2611', amountMinor: -250_00n },
          ],
        },
      ],
    });
    expect(text).toBe(
      [
        '; q2c test',
        'commodity 1000.00 SEK',
        '',
        'account 1510 Kundfordringar',
        'account 2611 Utgående moms 25 % test',
        'account 3001 Försäljning varor/tjänster 25 %',
        '',
        '2026-03-05 (A2026-1) Faktura 1001, (Karl)',
        '    1510 Kundfordringar  1250.00 SEK',
        '    3001 Försäljning varor/tjänster 25 %  -1000.00 SEK',
        '    2611 Utgående moms 25 % test  -250.00 SEK',
        '',
        '',
      ].join('\n'),
    );
  });

  it('formats amounts from minor units exactly and refuses undeclared accounts and unbalanced transactions', async () => {
    expect(hledgerAmount(-5n, 2, 'SEK')).toBe('-0.05 SEK');
    expect(hledgerAmount(9_007_199_254_740_993n, 2, 'SEK')).toBe('90071992547409.93 SEK');
    expect(hledgerAmount(100n, 0, 'JPY')).toBe('100 JPY');
    expect(hledgerAccountName('1930', '')).toBe('1930');
    const j = (postings: { account: string; amountMinor: bigint }[]) =>
      hledgerJournalText({ commodity: 'SEK', exponent: 2, accounts: [{ account: '1930', name: 'Bank' }], transactions: [{ date: '2026-01-01', code: 'A1', description: 'x', postings }] });
    await expect(j([{ account: '1930', amountMinor: 1n }, { account: '1510', amountMinor: -1n }])).rejects.toThrow('account 1510 (transaction A1) is not declared');
    await expect(j([{ account: '1930', amountMinor: 1n }])).rejects.toThrow('transaction A1 does not balance');
  });
});
