/**
 * Independent cross-check of the books with hledger (issue 7, item 5): the journal exported through
 * GET /v1/exports/hledger is given to the real `hledger` binary (Debian's hledger 1.25, installed by
 * .ci/run), which must accept it (`check --strict`: every account and the commodity declared, every
 * transaction balanced) and whose `balance` must equal q2c's trial balance account by account, over
 * all time and over one period. Without hledger on the PATH the test fails saying so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForCustomer } from '../support/orders.js';

const dir = mkdtempSync(join(tmpdir(), 'q2c-hledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hledger(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('hledger', args, { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('hledger is not installed: `apt-get install hledger` (Debian package; .ci/run installs it). This cross-check does not skip.');
  }
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `hledger balance` as account number → amount string ("1093.75"; "0.00" for a zero balance). */
function hledgerBalance(file: string, extra: string[] = []): Record<string, string> {
  const r = hledger(['-f', file, 'balance', '-O', 'csv', '--no-total', '-E', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out: Record<string, string> = {};
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toBe('"account","balance"');
  for (const line of lines.slice(1)) {
    const m = /^"(\d{4})[^"]*","([^"]*)"$/.exec(line);
    if (m === null) throw new Error(`unexpected hledger output line: ${line}`);
    const amount = m[2] === '0' ? '0.00' : (m[2] as string).replace(/ SEK$/, '');
    out[m[1] as string] = amount;
  }
  return out;
}

describe.each(TEST_DATABASES)('hledger cross-check of the exported journal [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  async function exportTo(name: string, query = ''): Promise<string> {
    const res = await t.server.inject({ method: 'GET', url: `/v1/exports/hledger${query}`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const file = join(dir, `${kind}-${name}.journal`);
    writeFileSync(file, res.rawPayload);
    return file;
  }
  /** The trial balance's per-account balance (debit − credit) as "1093.75". */
  async function trialBalance(query = ''): Promise<Record<string, string>> {
    const body = await ok('GET', `/v1/ledger/trial-balance${query}`);
    return Object.fromEntries((body.rows as { account: string; currency: string; balance: { amount: string } }[]).map((r) => {
      expect(r.currency).toBe('SEK');
      return [r.account, r.balance.amount];
    }));
  }

  it('hledger is installed (Debian package hledger; .ci/run installs it)', () => {
    const r = hledger(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^hledger \d+\.\d+/);
  });

  it('seeds a ledger: opening balances, a manual entry, invoices, a payment, a credit note', async () => {
    await ok('PUT', '/v1/ledger/accounts/2081', { name: 'Aktiekapital' });
    await ok('PUT', '/v1/ledger/accounts/5010', { name: 'Lokalhyra: kontor; Stockholm' });
    await ok('POST', '/v1/ledger/opening-balances', {
      fiscal_year: 2025,
      balances: [
        { account: '1930', balance: '50000.00' },
        { account: '2081', balance: '-50000.00' },
      ],
    });
    await ok('POST', '/v1/ledger/entries', {
      date: '2025-06-15',
      description: 'Hyra juni (kontor); "lokal"',
      lines: [
        { account: '5010', debit: '10000.00' },
        { account: '1930', credit: '10000.00' },
      ],
    });
    const c = await ok('POST', '/v1/customers', { name: 'Åkesson & Söner AB', country: 'SE', currency: 'SEK' });
    const paid = await issuedInvoiceForCustomer(t, c.id);
    await ok('POST', '/v1/payments', { amount: paid.amount_due, reference_text: paid.payment_reference, auto_apply: true });
    const open = await issuedInvoiceForCustomer(t, c.id, [
      { description: 'Konsulttimme', quantity: '3', unit_price: '1000.00', tax_class: 'standard' },
      { description: 'Bok', quantity: '1', unit_price: '199.00', tax_class: 'reduced_6' },
    ]);
    const cn = await ok('POST', `/v1/invoices/${open.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'En timme för mycket' });
    await ok('POST', `/v1/credit-notes/${cn.id}/issue`, {});
    // a payment nobody can match sits on 2420
    await ok('POST', '/v1/payments', { amount: { amount: '333.33', currency: 'SEK' }, reference_text: 'okänd', auto_apply: true });
  });

  it('hledger check --strict accepts the export and hledger balance equals the trial balance account by account', async () => {
    const file = await exportTo('all');
    const check = hledger(['-f', file, 'check', '--strict', 'uniqueleafnames']);
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);

    const q2c = await trialBalance();
    const hl = hledgerBalance(file);
    expect(Object.keys(q2c).length).toBeGreaterThanOrEqual(8);
    expect(hl).toEqual(q2c);
    // known figures: 1930 = 50 000 − 10 000 + 1 250 + 333.33; 1510 = 3 000 + 199 + 750 + 11.94 − 1 250 (credit note)
    expect(hl['1930']).toBe('41583.33');
    expect(hl['1510']).toBe('2710.94');
    expect(hl['2420']).toBe('-333.33');
    expect(hl['5010']).toBe('10000.00');
    // and over one period: hledger's own date filter on the full export, and an export of the period
    const tb2026 = await trialBalance('?from=2026-01-01&to=2026-12-31');
    expect(hledgerBalance(file, ['-b', '2026-01-01', '-e', '2027-01-01'])).toEqual(tb2026);
    // an export of the period has no postings on accounts that did not move in it (2081, 5010 here):
    // hledger shows those as absent, the trial balance as 0.00
    const nonZero = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== '0.00'));
    expect(tb2026['5010']).toBe('0.00');
    expect(hledgerBalance(await exportTo('2026', '?from=2026-01-01&to=2026-12-31'))).toEqual(nonZero(tb2026));
  });

  it('hledger rejects the export once an amount is changed (the check can fail)', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/v1/exports/hledger', headers: { authorization: `Bearer ${t.apiKey}` } });
    const text = res.body.replace(/(1930 [^\n]*?) {2}-10000\.00 SEK/, '$1  -10000.01 SEK');
    expect(text).not.toBe(res.body);
    const file = join(dir, `${kind}-tampered.journal`);
    writeFileSync(file, text);
    const check = hledger(['-f', file, 'check', '--strict']);
    expect(check.status).not.toBe(0);
    expect(check.stderr).toMatch(/unbalanced|balance/i);
  });

  it('validates from and to', async () => {
    const bad = await call('GET', '/v1/exports/hledger?from=2026-12-31&to=2026-01-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('to');
    const notDate = await call('GET', '/v1/exports/hledger?from=2026-13-01');
    expect(notDate.status).toBe(400);
    expect(notDate.body.error.code).toBe('validation_failed');
  });

  it('q2c export hledger writes the same journal as the API', async () => {
    const file = join(dir, `${kind}-cli.journal`);
    const lines: string[] = [];
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
    await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync([
      'node', 'q2c', 'export', 'hledger', '--from', '2026-01-01', '--to', '2026-12-31', '--out', file, '--tenant', t.tenantId,
    ]);
    const api = await t.server.inject({ method: 'GET', url: '/v1/exports/hledger?from=2026-01-01&to=2026-12-31', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(readFileSync(file, 'utf8')).toBe(api.body);
    expect(lines[0]).toMatch(new RegExp(`^hledger journal \\(${t.tenantId}\\): \\d+ transaction\\(s\\), \\d+ posting\\(s\\) → `));
  });
});
