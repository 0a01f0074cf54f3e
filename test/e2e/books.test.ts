/**
 * The books (issue 7) over HTTP on every configured database: opening balances, manual entries that
 * must balance and may not touch the receivables control accounts, reversal instead of edit, period
 * close (409 for a manual entry in a closed period, a late document posted on the first open day with
 * its own date kept, the database refusing a raw insert), the chart and account map applied to future
 * postings only, the general ledger with running balances and the trial balance as JSON and CSV.
 * Figures are computed by hand in comments; the ledger invariants hold at the end.
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { draftInvoiceForCustomer, issuedInvoiceForCustomer } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';

describe.each(TEST_DATABASES)('books: manual entries, reversals, period close, chart, general ledger [%s]', (kind) => {
  // Today is 4 December 2026: November has ended and may be closed, December may not.
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  const countEntries = async () =>
    Number((await t.kysely.selectFrom('journal_entries').select(sql<string>`count(*)`.as('n')).where('tenant_id', '=', t.tenantId).executeTakeFirstOrThrow()).n);

  let customerId = '';

  it('opening balances: balance-sheet accounts only, summing to zero, once per fiscal year', async () => {
    // 2081 Aktiekapital is not among the accounts q2c knows: it must be added to the chart first.
    const missing = await call('POST', '/v1/ledger/opening-balances', {
      fiscal_year: 2026,
      balances: [{ account: '1930', balance: '150000.00' }, { account: '2081', balance: '-150000.00' }],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe('balances.1.account');
    await ok('PUT', '/v1/ledger/accounts/2081', { name: 'Aktiekapital' });
    await ok('PUT', '/v1/ledger/accounts/2099', { name: 'Årets resultat' });

    const before = await countEntries();
    const unbalanced = await call('POST', '/v1/ledger/opening-balances', {
      fiscal_year: 2026,
      balances: [{ account: '1930', balance: '150000.00' }, { account: '2081', balance: '-140000.00' }],
    });
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.error.param).toBe('balances');
    expect(unbalanced.body.error.message).toContain('10000.00');
    const result = await call('POST', '/v1/ledger/opening-balances', {
      fiscal_year: 2026,
      balances: [{ account: '1930', balance: '100.00' }, { account: '3001', balance: '-100.00' }],
    });
    expect(result.status).toBe(400);
    expect(result.body.error.param).toBe('balances.1.account');
    const receivable = await call('POST', '/v1/ledger/opening-balances', {
      fiscal_year: 2026,
      balances: [{ account: '1510', balance: '100.00' }, { account: '2081', balance: '-100.00' }],
    });
    expect(receivable.status).toBe(400);
    expect(receivable.body.error.message).toMatch(/control account/);
    expect(await countEntries()).toBe(before);

    const entry = await ok('POST', '/v1/ledger/opening-balances', {
      fiscal_year: 2026,
      balances: [{ account: '1930', balance: '150000.00' }, { account: '2081', balance: '-100000.00' }, { account: '2099', balance: '-50000.00' }],
    });
    expect(entry).toMatchObject({ entry_date: '2026-01-01', source_type: 'opening_balance', series: 'A', fiscal_year: 2026 });
    expect(entry.lines.map((l: { account: string; debit: { amount: string }; credit: { amount: string } }) => [l.account, l.debit.amount, l.credit.amount])).toEqual([
      ['1930', '150000.00', '0.00'],
      ['2081', '0.00', '100000.00'],
      ['2099', '0.00', '50000.00'],
    ]);
    const again = await call('POST', '/v1/ledger/opening-balances', {
      fiscal_year: 2026,
      balances: [{ account: '1930', balance: '1.00' }, { account: '2081', balance: '-1.00' }],
    });
    expect(again.status).toBe(409);
    expect(again.body.error.param).toBe('fiscal_year');
    // The fiscal year cannot move once something is posted.
    const fy = await call('PATCH', '/v1/ledger/settings', { fiscal_year_start_month: 7 });
    expect(fy.status).toBe(409);
  });

  it('a manual entry must balance, stay off the control accounts and use accounts of the chart; nothing is written when refused', async () => {
    const before = await countEntries();
    const unbalanced = await call('POST', '/v1/ledger/entries', {
      date: '2026-12-02',
      description: 'Bankavgift',
      lines: [{ account: '6570', debit: '12000.00' }, { account: '1930', credit: '11000.00' }],
    });
    expect(unbalanced.status).toBe(400);
    expect(unbalanced.body.error).toMatchObject({ code: 'validation_failed', param: 'lines' });
    expect(unbalanced.body.error.message).toContain('debits 12000.00 ≠ credits 11000.00 SEK');
    // 5010 Lokalhyra is not in the chart yet
    const unknown = await call('POST', '/v1/ledger/entries', {
      date: '2026-12-02',
      description: 'Hyra december',
      lines: [{ account: '5010', debit: '12000.00' }, { account: '1930', credit: '12000.00' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toBe('lines.0.account');
    const control = await call('POST', '/v1/ledger/entries', {
      date: '2026-12-02',
      description: 'Nedskrivning',
      lines: [{ account: '6351', debit: '500.00' }, { account: '1510', credit: '500.00' }],
    });
    expect(control.status).toBe(400);
    expect(control.body.error.param).toBe('lines.1.account');
    const bothSides = await call('POST', '/v1/ledger/entries', {
      date: '2026-12-02',
      description: 'x',
      lines: [{ account: '1930', debit: '1.00', credit: '1.00' }, { account: '6570', credit: '1.00' }],
    });
    expect(bothSides.status).toBe(400);
    expect(bothSides.body.error.param).toBe('lines.0');
    expect(await countEntries()).toBe(before);

    await ok('PUT', '/v1/ledger/accounts/5010', { name: 'Lokalhyra' });
    const entry = await ok('POST', '/v1/ledger/entries', {
      date: '2026-12-02',
      description: 'Hyra december',
      lines: [{ account: '5010', debit: '12000.00' }, { account: '1930', credit: '12000.00' }],
    });
    expect(entry).toMatchObject({ source_type: 'manual', source_id: entry.id, entry_date: '2026-12-02', document_date: null, reverses_entry_id: null });
    expect(entry.created_by).toMatch(/^key_/);
    expect(await countEntries()).toBe(before + 1);
  });

  it('a posted entry is never edited: the database refuses, and a reversal is a new entry (once)', async () => {
    const entry = await ok('POST', '/v1/ledger/entries', {
      date: '2026-12-03',
      description: 'Felbokad hyra',
      lines: [{ account: '5010', debit: '999.00' }, { account: '1930', credit: '999.00' }],
    });
    await expect(sql`UPDATE journal_lines SET debit_minor = 1 WHERE entry_id = ${entry.id} AND line_no = 1`.execute(t.kysely)).rejects.toThrow(/immutable/);
    await expect(sql`DELETE FROM journal_entries WHERE id = ${entry.id}`.execute(t.kysely)).rejects.toThrow(/immutable/);

    const reversal = await ok('POST', `/v1/ledger/entries/${entry.id}/reverse`, {});
    expect(reversal).toMatchObject({ reverses_entry_id: entry.id, entry_date: '2026-12-04', number: entry.number + 1, source_type: 'manual' });
    expect(reversal.description).toContain(`Reversal of A 2026-${entry.number}`);
    expect(reversal.lines.map((l: { account: string; debit: { amount: string }; credit: { amount: string } }) => [l.account, l.debit.amount, l.credit.amount])).toEqual([
      ['5010', '0.00', '999.00'],
      ['1930', '999.00', '0.00'],
    ]);
    const twice = await call('POST', `/v1/ledger/entries/${entry.id}/reverse`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/already reversed/);
    const ofReversal = await call('POST', `/v1/ledger/entries/${reversal.id}/reverse`, {});
    expect(ofReversal.status).toBe(409);

    // A document's entry is corrected through the document (credit note, unapply), not reversed by hand.
    const c = await ok('POST', '/v1/customers', { name: 'Bokföring AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    customerId = c.id;
    const inv = await issuedInvoiceForCustomer(t, c.id);
    const invEntry = (await ok('GET', `/v1/ledger/entries?source_id=${inv.id}`)).data[0];
    const doc = await call('POST', `/v1/ledger/entries/${invEntry.id}/reverse`, {});
    expect(doc.status).toBe(409);
    expect(doc.body.error.message).toMatch(/credit note/);
  });

  it('closing November: a manual entry dated in it is a 409, a late payment posts on 1 December with its own date kept', async () => {
    const notMonthEnd = await call('POST', '/v1/ledger/close', { through: '2026-11-29' });
    expect(notMonthEnd.status).toBe(400);
    expect(notMonthEnd.body.error).toMatchObject({ param: 'through' });
    expect(notMonthEnd.body.error.message).toContain('2026-11-30');
    const notEnded = await call('POST', '/v1/ledger/close', { through: '2026-12-31' });
    expect(notEnded.status).toBe(400);

    const closed = await ok('POST', '/v1/ledger/close', { through: '2026-11-30' });
    expect(closed.locked_through).toBe('2026-11-30');
    const years = await ok('GET', '/v1/ledger/fiscal-years');
    const y2026 = years.data.find((y: { label: number }) => y.label === 2026);
    expect(y2026.status).toBe('partly_closed');
    expect(y2026.periods.filter((p: { locked: boolean }) => p.locked).map((p: { month: string }) => p.month)).toEqual([
      '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11',
    ]);

    const before = await countEntries();
    const late = await call('POST', '/v1/ledger/entries', {
      date: '2026-11-15',
      description: 'Sen hyra',
      lines: [{ account: '5010', debit: '100.00' }, { account: '1930', credit: '100.00' }],
    });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'period_locked', param: 'date' });
    expect(late.body.error.message).toContain('2026-11-30');
    expect(await countEntries()).toBe(before);

    // The bank says the customer paid on 20 November; we learn of it now. The payment keeps its date,
    // its entry lands on the first open day with the document date beside it.
    const inv = (await ok('GET', `/v1/invoices?customer_id=${customerId}`)).data[0];
    const payment = await ok('POST', '/v1/payments', { amount: inv.gross_total, received_on: '2026-11-20', customer_id: customerId, auto_apply: true });
    expect(payment.received_on).toBe('2026-11-20');
    const entries = (await ok('GET', `/v1/ledger/entries?source_id=${payment.id}`)).data;
    expect(entries.length).toBeGreaterThanOrEqual(1);
    for (const e of entries) expect(e).toMatchObject({ entry_date: '2026-12-01', document_date: '2026-11-20', fiscal_year: 2026 });

    // An invoice q2c issues must be dated in an open period (its VAT belongs to its date's period).
    const draft = await draftInvoiceForCustomer(t, customerId);
    const backdated = await call('POST', `/v1/invoices/${draft.id}/issue`, { issue_date: '2026-11-20' });
    expect(backdated.status).toBe(409);
    expect(backdated.body.error).toMatchObject({ code: 'period_locked', param: 'issue_date' });
    expect((await ok('GET', `/v1/invoices/${draft.id}`)).status).toBe('draft');

    // The lock only moves forward, and the database itself refuses an entry dated in a closed period.
    const back = await call('POST', '/v1/ledger/close', { through: '2026-10-31' });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('period_locked');
    await expect(
      sql`INSERT INTO journal_entries (tenant_id, id, series, fiscal_year, number, entry_date, description, source_type, source_id)
          VALUES (${t.tenantId}, 'je_raw', 'Z', 2026, 1, '2026-11-10', 'raw', 'manual', 'je_raw')`.execute(t.kysely),
    ).rejects.toThrow(/period locked/);
    await expect(sql`UPDATE tenants SET books_locked_through = '2026-10-31' WHERE id = ${t.tenantId}`.execute(t.kysely)).rejects.toThrow(/stay closed/);
  });

  it('the account map applies to postings made after the change only', async () => {
    const unknownKey = await call('PUT', '/v1/ledger/account-map', { account_map: { bankk: '1940' } });
    expect(unknownKey.status).toBe(400);
    expect(unknownKey.body.error.param).toBe('account_map.bankk');
    const notInChart = await call('PUT', '/v1/ledger/account-map', { account_map: { bank: '1940' } });
    expect(notInChart.status).toBe(400);
    expect(notInChart.body.error.param).toBe('account_map.bank');
    await ok('PUT', '/v1/ledger/accounts/1940', { name: 'Övriga bankkonton' });
    const revenueNotInChart = await call('PUT', '/v1/ledger/account-map', { account_map: { bank: '1940', revenueByVatRate: { '25': '3011' } } });
    expect(revenueNotInChart.status).toBe(400);
    expect(revenueNotInChart.body.error.param).toBe('account_map.revenueByVatRate.25');
    await ok('PUT', '/v1/ledger/accounts/3011', { name: 'Försäljning tjänster 25 %' });
    const settings = await ok('PUT', '/v1/ledger/account-map', { account_map: { bank: '1940', revenueByVatRate: { '25': '3011' } } });
    expect(settings.account_map_overrides).toEqual({ bank: '1940', revenueByVatRate: { '25': '3011' } });
    expect(settings.account_map.revenueByVatRate).toEqual({ '25': '3011', '12': '3002', '6': '3003' });
    expect(settings.account_map.bank).toBe('1940');
    // A mapped account cannot be deactivated.
    const deactivate = await call('PUT', '/v1/ledger/accounts/1940', { name: 'Övriga bankkonton', active: false });
    expect(deactivate.status).toBe(409);

    // A new invoice (8 h × 125.00 = 1000.00 + 250.00 VAT) credits 3011; its payment debits 1940.
    const inv = await issuedInvoiceForCustomer(t, customerId);
    const invLines = (await ok('GET', `/v1/ledger/entries?source_id=${inv.id}`)).data[0].lines;
    expect(invLines.map((l: { account: string; credit: { amount: string } }) => [l.account, l.credit.amount])).toContainEqual(['3011', '1000.00']);
    const payment = await ok('POST', '/v1/payments', { amount: inv.gross_total, customer_id: customerId, auto_apply: true });
    const receipt = (await ok('GET', `/v1/ledger/entries?source_id=${payment.id}`)).data[0];
    expect(receipt.lines[0]).toMatchObject({ account: '1940', debit: { amount: '1250.00' } });
    // Entries posted before the change keep their accounts.
    const old = (await ok('GET', '/v1/ledger/entries?source_type=invoice&to=2026-12-03')).data;
    for (const e of old) for (const l of e.lines) expect(l.account).not.toBe('3011');
  });

  it('revenue per product group: an invoice splits a VAT row over the groups\' accounts, and its credit note follows', async () => {
    const group = await ok('POST', '/v1/product-groups', { name: 'Licenser' });
    const product = await ok('POST', '/v1/products', {
      sku: 'LIC-1', name: 'Licens', tax_class: 'standard', unit_prices: [{ amount: '500.00', currency: 'SEK' }], group_id: group.id,
    });
    const unknownGroup = await call('PUT', '/v1/ledger/account-map', { account_map: { revenueByProductGroup: { pgr_00000000000000000000000000: { '25': '3011' } } } });
    expect(unknownGroup.status).toBe(400);
    expect(unknownGroup.body.error.param).toBe('account_map.revenueByProductGroup.pgr_00000000000000000000000000');
    await ok('PUT', '/v1/ledger/accounts/3012', { name: 'Försäljning licenser 25 %' });
    const badTreatment = await call('PUT', '/v1/ledger/account-map', { account_map: { revenueByProductGroup: { [group.id]: { standard: '3012' } } } });
    expect(badTreatment.status).toBe(400);
    await ok('PUT', '/v1/ledger/account-map', {
      account_map: { bank: '1940', revenueByVatRate: { '25': '3011' }, revenueByProductGroup: { [group.id]: { '25': '3012' } } },
    });

    // 2 licences × 500.00 = 1000.00 (group → 3012) and 8 h × 125.00 = 1000.00 (no product → 3011); VAT 500.00.
    const inv = await issuedInvoiceForCustomer(t, customerId, [{ product_id: product.id, quantity: '2' }, ...[{ description: 'Konsulttimme', quantity: '8', unit_price: '125.00', tax_class: 'standard' }]]);
    const credits = (await ok('GET', `/v1/ledger/entries?source_id=${inv.id}`)).data[0].lines
      .filter((l: { credit: { amount: string } }) => l.credit.amount !== '0.00')
      .map((l: { account: string; credit: { amount: string } }) => [l.account, l.credit.amount]);
    expect(credits).toEqual(expect.arrayContaining([['3012', '1000.00'], ['3011', '1000.00'], ['2611', '500.00']]));
    expect(credits).toHaveLength(3);

    // Crediting one licence (500.00 + 125.00 VAT) debits the licence account, not the default one.
    const note = await ok('POST', `/v1/invoices/${inv.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'En licens för mycket' });
    const issued = await ok('POST', `/v1/credit-notes/${note.id}/issue`, {});
    const debits = (await ok('GET', `/v1/ledger/entries?source_id=${issued.id}`)).data[0].lines
      .filter((l: { debit: { amount: string } }) => l.debit.amount !== '0.00')
      .map((l: { account: string; debit: { amount: string } }) => [l.account, l.debit.amount]);
    expect(debits).toEqual([['3012', '500.00'], ['2611', '125.00']]);
  });

  it('general ledger of 1930: opening balance, running balance, pages and CSV; trial balance with opening and closing', async () => {
    // 1930 in 2026: +150000.00 opening (1 Jan), −12000.00 rent (2 Dec), −999.00 and +999.00 (3 and 4 Dec),
    // +1250.00 the late payment posted 1 Dec. Before 2 Dec: 150000.00 + 1250.00 = 151250.00.
    const gl = await ok('GET', '/v1/ledger/accounts/1930/ledger?from=2026-12-02&to=2026-12-31');
    expect(gl.opening_balance.amount).toBe('151250.00');
    expect(gl.lines.map((l: { debit: { amount: string }; credit: { amount: string }; balance: { amount: string } }) => [l.debit.amount, l.credit.amount, l.balance.amount])).toEqual([
      ['0.00', '12000.00', '139250.00'],
      ['0.00', '999.00', '138251.00'],
      ['999.00', '0.00', '139250.00'],
    ]);
    // The same in pages of one line: the cursor carries the running balance.
    const p1 = await ok('GET', '/v1/ledger/accounts/1930/ledger?from=2026-12-02&limit=1');
    const p2 = await ok('GET', `/v1/ledger/accounts/1930/ledger?from=2026-12-02&limit=1&cursor=${p1.next_cursor}`);
    const p3 = await ok('GET', `/v1/ledger/accounts/1930/ledger?from=2026-12-02&limit=1&cursor=${p2.next_cursor}`);
    expect([p1, p2, p3].map((p) => p.lines[0].balance.amount)).toEqual(['139250.00', '138251.00', '139250.00']);
    expect(p3.next_cursor).toBeNull();
    const bad = await call('GET', '/v1/ledger/accounts/1930/ledger?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('cursor');

    const csv = await t.server.inject({ method: 'GET', url: '/v1/ledger/accounts/1930/ledger?from=2026-12-02&to=2026-12-31&format=csv', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('voucher,entry_date,document_date,description,source_type,source_id,debit,credit,balance,currency');
    expect(rows[1]).toBe(',2026-12-02,,Opening balance,,,,,151250.00,SEK');
    expect(rows).toHaveLength(5);
    expect(rows[4]).toMatch(/,999\.00,0\.00,139250\.00,SEK$/);

    const tb = await ok('GET', '/v1/ledger/trial-balance?from=2026-12-02&to=2026-12-31');
    const bank = tb.rows.find((r: { account: string }) => r.account === '1930');
    expect(bank).toMatchObject({ opening: { amount: '151250.00' }, debit: { amount: '999.00' }, credit: { amount: '12999.00' }, closing: { amount: '139250.00' } });
    const equity = tb.rows.find((r: { account: string }) => r.account === '2081');
    expect(equity).toMatchObject({ name: 'Aktiekapital', opening: { amount: '-100000.00' }, closing: { amount: '-100000.00' } });
    const tbCsv = await t.server.inject({ method: 'GET', url: '/v1/ledger/trial-balance?from=2026-12-02&to=2026-12-31&format=csv', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(tbCsv.body).toContain('1930,Företagskonto/checkkonto/affärskonto,SEK,151250.00,999.00,12999.00,-12000.00,139250.00');

    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('q2c ledger: trial balance as CSV, general ledger, fiscal years; a close backwards fails naming the lock', async () => {
    async function q2c(...args: string[]): Promise<string[]> {
      const lines: string[] = [];
      const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
      await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync(['node', 'q2c', ...args]);
      return lines.join('\n').split(/\r?\n/);
    }
    const tenant = ['--tenant', t.tenantId];
    const tb = await q2c('ledger', 'trial-balance', '--from', '2026-12-02', '--to', '2026-12-31', '--csv', ...tenant);
    expect(tb[0]).toBe('account,name,currency,opening,debit,credit,movement,closing');
    expect(tb).toContain('1930,Företagskonto/checkkonto/affärskonto,SEK,151250.00,999.00,12999.00,-12000.00,139250.00');
    const gl = await q2c('ledger', 'general-ledger', '1930', '--from', '2026-12-02', '--to', '2026-12-31', '--csv', ...tenant);
    expect(gl).toHaveLength(5);
    expect(gl[1]).toBe(',2026-12-02,,Opening balance,,,151250.00,SEK');
    expect(await q2c('ledger', 'fiscal-years', ...tenant)).toContain('2026: 2026-01-01 – 2026-12-31 partly_closed');
    await expect(q2c('ledger', 'close', '2026-10-31', ...tenant)).rejects.toThrow(/closed through 2026-11-30/);
  });
});
