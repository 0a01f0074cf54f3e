/**
 * Year-end (issue 7) over HTTP on every configured database: the 2026 result is booked 8999 / 2099 on
 * 31 December; in 2027 the result accounts open at zero, 2099 carries the result, and the SIE 4 export
 * of 2027 opens with balances (#IB) that sum to zero. Figures by hand in comments.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { balancesByAccount, readSie } from '../../src/integrations/sie/sie-reader.js';

describe.each(TEST_DATABASES)('year-end: result into equity, result accounts restart [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2027-02-01T10:00:00Z') });
  const { ok, call } = client(t);

  it('books the 2026 result once; 2027 opens with result accounts at zero and balances summing to zero', async () => {
    await ok('PUT', '/v1/ledger/accounts/5010', { name: 'Lokalhyra' });
    await ok('PUT', '/v1/ledger/accounts/3041', { name: 'Försäljning tjänster 25 %, övrigt' });
    // 2026: revenue 10000.00, rent 4000.00 → profit 6000.00; 2027: revenue 500.00
    await ok('POST', '/v1/ledger/entries', { date: '2026-03-01', description: 'Försäljning', lines: [{ account: '1930', debit: '10000.00' }, { account: '3041', credit: '10000.00' }] });
    await ok('POST', '/v1/ledger/entries', { date: '2026-05-01', description: 'Hyra', lines: [{ account: '5010', debit: '4000.00' }, { account: '1930', credit: '4000.00' }] });
    await ok('POST', '/v1/ledger/entries', { date: '2027-01-15', description: 'Försäljning', lines: [{ account: '1930', debit: '500.00' }, { account: '3041', credit: '500.00' }] });

    // the years run from the earliest entry date (posted last here) to today's year
    // (an entry that moves nothing: 1930 to 1930, so the figures below stay as they are)
    await ok('POST', '/v1/ledger/entries', { date: '2025-12-30', description: 'Omföring', lines: [{ account: '1930', debit: '100.00' }, { account: '1930', credit: '100.00' }] });
    const years = await ok('GET', '/v1/ledger/fiscal-years');
    expect(years.data.map((y: { label: number; status: string }) => [y.label, y.status])).toEqual([[2025, 'open'], [2026, 'open'], [2027, 'open']]);

    const notEnded = await call('POST', '/v1/ledger/fiscal-years/2027/close');
    expect(notEnded.status).toBe(400);
    expect(notEnded.body.error.param).toBe('fiscal_year');
    const entry = await ok('POST', '/v1/ledger/fiscal-years/2026/close');
    expect(entry).toMatchObject({ entry_date: '2026-12-31', source_type: 'year_end', fiscal_year: 2026 });
    expect(entry.lines.map((l: { account: string; debit: { amount: string }; credit: { amount: string } }) => [l.account, l.debit.amount, l.credit.amount])).toEqual([
      ['8999', '6000.00', '0.00'],
      ['2099', '0.00', '6000.00'],
    ]);
    const twice = await call('POST', '/v1/ledger/fiscal-years/2026/close');
    expect(twice.status).toBe(409);

    // 2027: 3041 and 5010 open at 0 (not 10000 / 4000 from 2026); 2099 at −6000.00, 1930 at 6000.00.
    const tb = await ok('GET', '/v1/ledger/trial-balance?from=2027-01-01&to=2027-12-31');
    const row = (a: string) => tb.rows.find((r: { account: string }) => r.account === a);
    expect(row('3041')).toMatchObject({ opening: { amount: '0.00' }, credit: { amount: '500.00' }, closing: { amount: '-500.00' } });
    expect(row('5010')).toMatchObject({ opening: { amount: '0.00' }, closing: { amount: '0.00' } });
    expect(row('8999')).toMatchObject({ opening: { amount: '0.00' } });
    expect(row('2099')).toMatchObject({ opening: { amount: '-6000.00' } });
    expect(row('1930')).toMatchObject({ opening: { amount: '6000.00' }, closing: { amount: '6500.00' } });
    // the general ledger of a result account also opens at zero in a new year
    const gl = await ok('GET', '/v1/ledger/accounts/3041/ledger?from=2027-01-01');
    expect(gl.opening_balance.amount).toBe('0.00');
    const gl2026 = await ok('GET', '/v1/ledger/accounts/3041/ledger?from=2026-06-01');
    expect(gl2026.opening_balance.amount).toBe('-10000.00');

    // SIE 4 of 2027: #IB 0 sums to zero; 2099 opens at the 2026 result.
    const sie = await t.server.inject({ method: 'GET', url: '/v1/exports/sie?fiscal_year=2027', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(sie.statusCode).toBe(200);
    const file = readSie(sie.rawPayload);
    const ib = balancesByAccount(file.openingBalances, 0);
    expect([...ib.values()].reduce((a, b) => a + b, 0n)).toBe(0n);
    expect(ib.get('2099')).toBe(-600000n);
    expect(ib.get('1930')).toBe(600000n);
  });
});
