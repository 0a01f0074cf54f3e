/**
 * SIE 4E export re-read to the same balances (issue 7, item 4): a ledger over two fiscal years —
 * opening balances and a manual entry in 2025, invoices, a payment and a credit note in 2026 — is
 * exported per fiscal year through GET /v1/exports/sie, read back with q2c's own SIE reader (CP437,
 * #KSUMMA verified, every voucher balanced), and compared account by account with the trial balance:
 * #IB/#UB with the balance at the year's start and end, #RES and the vouchers' sums with the year's
 * movement. Known figures: invoices of 1 250.00 (1 000.00 + 25 % VAT), a credit note of one hour
 * (125.00 + 31.25), opening balances 1930 50 000.00 / 2081 −50 000.00, rent 10 000.00 in 2025.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForCustomer } from '../support/orders.js';
import { balancesByAccount, readSie, voucherSumsByAccount } from '../../src/integrations/sie/sie-reader.js';
import { formatSieAmount } from '../../src/integrations/sie/sie-format.js';

const kr = (m: bigint | undefined) => (m === undefined ? undefined : formatSieAmount(m));
const minor = (amount: string) => {
  const negative = amount.startsWith('-');
  const [i, f = ''] = amount.replace('-', '').split('.');
  const v = BigInt(`${i}${f.padEnd(2, '0')}`);
  return negative ? -v : v;
};
const isBalance = (a: string) => a.startsWith('1') || a.startsWith('2');

describe.each(TEST_DATABASES)('SIE 4 export re-read [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  async function q2c(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
    await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync(['node', 'q2c', ...args]);
    return lines;
  }

  async function sie(query: string) {
    const res = await t.server.inject({ method: 'GET', url: `/v1/exports/sie${query}`, headers: { authorization: `Bearer ${t.apiKey}` } });
    return res;
  }
  /** Debit − credit per account from the trial balance API. */
  async function tb(query: string): Promise<Map<string, bigint>> {
    const body = await ok('GET', `/v1/ledger/trial-balance${query}`);
    const out = new Map<string, bigint>();
    for (const r of body.rows) {
      expect(r.currency).toBe('SEK');
      out.set(r.account, (out.get(r.account) ?? 0n) + minor(r.balance.amount));
    }
    return out;
  }
  const nonZero = (m: Map<string, bigint>, keep: (a: string) => boolean = () => true) =>
    Object.fromEntries([...m].filter(([a, v]) => v !== 0n && keep(a)).sort(([a], [b]) => a.localeCompare(b)).map(([a, v]) => [a, kr(v)]));

  it('seeds two fiscal years of books', async () => {
    await ok('PUT', '/v1/ledger/accounts/2081', { name: 'Aktiekapital' });
    await ok('PUT', '/v1/ledger/accounts/5010', { name: 'Lokalhyra' });
    await ok('POST', '/v1/ledger/opening-balances', {
      fiscal_year: 2025,
      balances: [
        { account: '1930', balance: '50000.00' },
        { account: '2081', balance: '-50000.00' },
      ],
    });
    await ok('POST', '/v1/ledger/entries', {
      date: '2025-06-15',
      description: 'Hyra juni "lokal" å',
      lines: [
        { account: '5010', debit: '10000.00' },
        { account: '1930', credit: '10000.00' },
      ],
    });
    const c = await ok('POST', '/v1/customers', { name: 'Åkesson & Söner AB', country: 'SE', currency: 'SEK', org_number: '556036-0793' });
    const paid = await issuedInvoiceForCustomer(t, c.id);
    expect(paid.gross_total.amount).toBe('1250.00');
    await ok('POST', '/v1/payments', { amount: paid.amount_due, reference_text: paid.payment_reference, auto_apply: true });
    const open = await issuedInvoiceForCustomer(t, c.id);
    const cn = await ok('POST', `/v1/invoices/${open.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'En timme för mycket' });
    const issued = await ok('POST', `/v1/credit-notes/${cn.id}/issue`, {});
    expect(issued.gross_total.amount).toBe('156.25');
  });

  it('exports 2026 as SIE 4E in CP437 that reads back to the trial balance', async () => {
    const res = await sie('?fiscal_year=2026');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=IBM437');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="q2c-${t.tenantId}-2026.se"`);
    const bytes = res.rawPayload;
    const text = bytes.toString('latin1');
    expect(text.startsWith('#FLAGGA 0\r\n#KSUMMA\r\n#PROGRAM "q2c" "0.1.0"\r\n#FORMAT PC8\r\n#GEN 20261204\r\n#SIETYP 4\r\n')).toBe(true);
    expect(text).toContain('#RAR 0 20260101 20261231\r\n#RAR -1 20250101 20251231\r\n');

    const f = readSie(bytes);
    expect(f.encoding).toBe('cp437');
    expect(f.checksum?.computed).toBe(Number(f.checksum?.written));
    expect(f.sieType).toBe('4');
    expect(f.format).toBe('PC8');

    const ib0 = balancesByAccount(f.openingBalances, 0);
    const ub0 = balancesByAccount(f.closingBalances, 0);
    const res0 = balancesByAccount(f.results, 0);
    const ver = voucherSumsByAccount(f.vouchers);

    // the trial balance, independently: up to the year's start, up to its end, and the year's movement
    const before = await tb('?to=2025-12-31');
    const end = await tb('?to=2026-12-31');
    const year = await tb('?from=2026-01-01&to=2026-12-31');
    expect(nonZero(ib0)).toEqual(nonZero(before, isBalance));
    expect(nonZero(ub0)).toEqual(nonZero(end, isBalance));
    expect(nonZero(res0)).toEqual(nonZero(year, (a) => !isBalance(a)));
    expect(nonZero(ver)).toEqual(nonZero(year));
    for (const [a, v] of ub0) expect((ib0.get(a) ?? 0n) + (ver.get(a) ?? 0n)).toBe(v);

    // known figures: 1930 = 50 000 − 10 000 + 1 250; 1510 = 1 250 − 156.25; revenue 2 × 1 000 − 125
    expect(kr(ib0.get('1930'))).toBe('40000.00');
    expect(kr(ib0.get('2081'))).toBe('-50000.00');
    expect(kr(ub0.get('1930'))).toBe('41250.00');
    expect(kr(ub0.get('1510'))).toBe('1093.75');
    expect(kr(ub0.get('2611'))).toBe('-468.75');
    expect(kr(res0.get('3001'))).toBe('-1875.00');
    expect(res0.has('5010')).toBe(false); // 2025's rent is last year's result

    // the previous year: IB -1 are the opening balances, UB -1 the balance at its end, RES -1 its result
    expect(nonZero(balancesByAccount(f.openingBalances, -1))).toEqual({ '1930': '50000.00', '2081': '-50000.00' });
    expect(nonZero(balancesByAccount(f.closingBalances, -1))).toEqual({ '1930': '40000.00', '2081': '-50000.00' });
    expect(nonZero(balancesByAccount(f.results, -1))).toEqual({ '5010': '10000.00' });

    // #KONTO for every account used, named from the chart
    for (const a of [...ub0.keys(), ...res0.keys(), ...ver.keys()]) expect(f.accounts.has(a)).toBe(true);
    expect(f.accounts.get('1510')).toBe('Kundfordringar');

    // vouchers: every 2026 entry, numbered in series A, each balanced (the reader checks), dated in the year
    const entries = (await ok('GET', '/v1/ledger/entries?limit=100')).data as { entry_date: string; number: number }[];
    const in2026 = entries.filter((e) => e.entry_date.startsWith('2026'));
    expect(f.vouchers).toHaveLength(in2026.length);
    expect(f.vouchers.every((v) => v.series === 'A' && v.date.startsWith('2026-'))).toBe(true);
    expect(f.vouchers.map((v) => Number(v.number)).sort((a, b) => a - b)).toEqual(in2026.map((e) => e.number).sort((a, b) => a - b));
  });

  it('exports 2025 with the opening balances as #IB, not as a voucher, and no #RAR -1', async () => {
    const res = await sie('?fiscal_year=2025');
    expect(res.statusCode).toBe(200);
    const f = readSie(res.rawPayload);
    expect(f.years).toEqual([{ index: 0, start: '2025-01-01', end: '2025-12-31' }]);
    expect(nonZero(balancesByAccount(f.openingBalances))).toEqual({ '1930': '50000.00', '2081': '-50000.00' });
    expect(nonZero(balancesByAccount(f.closingBalances))).toEqual({ '1930': '40000.00', '2081': '-50000.00' });
    expect(nonZero(balancesByAccount(f.results))).toEqual({ '5010': '10000.00' });
    expect(f.vouchers).toHaveLength(1);
    expect(f.vouchers[0]).toMatchObject({ series: 'A', date: '2025-06-15', text: 'Hyra juni "lokal" å' });
    expect(f.vouchers[0]?.transactions.map((x) => [x.account, kr(x.amountMinor)])).toEqual([
      ['5010', '10000.00'],
      ['1930', '-10000.00'],
    ]);
  });

  it('defaults to the current fiscal year and validates fiscal_year', async () => {
    const res = await sie('');
    expect(res.statusCode).toBe(200);
    expect(readSie(res.rawPayload).years[0]).toEqual({ index: 0, start: '2026-01-01', end: '2026-12-31' });
    const bad = await call('GET', '/v1/exports/sie?fiscal_year=20x6');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.param).toContain('fiscal_year');
  });

  it('q2c export sie writes the same bytes as the API; q2c sie check reads it and rejects the unbalanced sample', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'q2c-sie-'));
    const file = join(dir, 'books-2026.se');
    const said = await q2c('export', 'sie', '--year', '2026', '--out', file, '--tenant', t.tenantId);
    const api = (await sie('?fiscal_year=2026')).rawPayload;
    expect(readFileSync(file).equals(api)).toBe(true);
    const f = readSie(api);
    expect(said).toEqual([`SIE 4E of fiscal year 2026 (${t.tenantId}): ${f.vouchers.length} voucher(s), ${f.vouchers.reduce((n, v) => n + v.transactions.length, 0)} transaction(s), #KSUMMA ${f.checksum?.written}, ${api.length} bytes → ${file}`]);

    const check = await q2c('sie', 'check', file);
    expect(check[0]).toBe(`${file}: SIE 4 (cp437) from q2c 0.1.0`);
    expect(check).toContain(`  ${f.accounts.size} account(s), ${f.vouchers.length} voucher(s), ${f.vouchers.reduce((n, v) => n + v.transactions.length, 0)} transaction(s): every voucher balances`);
    expect(check.at(-1)).toBe(`  #KSUMMA ${f.checksum?.written} verified`);

    const samples = new URL('../../../shared/samples/sie/', import.meta.url);
    const good = await q2c('--json', 'sie', 'check', new URL('transaktioner_ovnbolag.se', samples).pathname);
    expect(JSON.parse(good[0] as string)).toMatchObject({ vouchers: 163, transactions: 671, accounts: 567, balanced: true, company: 'Övningsbolaget AB (Ekonomi 60)' });
    await expect(q2c('sie', 'check', new URL('transaktioner_ovnbolag-bad-balance.se', samples).pathname)).rejects.toThrow(
      /transaktioner_ovnbolag-bad-balance\.se: line 3905: voucher B 1 .* does not balance/,
    );
  });
});
