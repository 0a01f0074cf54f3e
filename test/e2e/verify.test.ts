/**
 * `q2c verify` and GET /v1/ledger/verify on every configured database: they pass on a seeded ledger
 * (invoices in SEK and EUR, payments applied and unapplied, an unapply with its reversing entries, a
 * credit note), and fail, naming the record, after a test changes one row directly in the database with
 * the immutability triggers off (session_replication_role = replica, as an attacker with database access
 * would): a journal line's amount, an audit row's data, an issued invoice's total. Put back, it passes again.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { parseRate } from '../../src/core/money/fx.js';
import { verifyLedger } from '../../src/app/audit/verify.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForCustomer } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const sek = (amount: string) => ({ amount, currency: 'SEK' });
const eur = (amount: string) => ({ amount, currency: 'EUR' });

describe.each(TEST_DATABASES)('q2c verify [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);
  const seeded = {} as { paid: any; reopened: any; credited: any; foreign: any; creditNote: any; entries: number };

  /** Runs one statement with the triggers off (and nothing else of ours firing), as an attacker would. */
  async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
    await t.kysely.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      const r = await statement.execute(trx);
      expect(Number(r.numAffectedRows ?? 0n), 'the tampering statement changed one row').toBe(1);
    });
  }

  async function q2c(...args: string[]): Promise<{ lines: string[]; exitCode: number | string | undefined }> {
    const lines: string[] = [];
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
    const before = process.exitCode;
    process.exitCode = undefined;
    await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync(['node', 'q2c', ...args]);
    const exitCode = process.exitCode;
    process.exitCode = before;
    return { lines, exitCode };
  }

  const verify = async () => ok('GET', '/v1/ledger/verify');
  const check = (report: any, code: string) => report.checks.find((c: any) => c.code === code);
  const failed = (report: any) => report.checks.filter((c: any) => !c.ok).map((c: any) => c.code).sort();

  beforeAll(async () => {
    await t.db.transaction(t.tenantId, (s) =>
      s.exchangeRates.upsert({ currency: 'EUR', rateDate: '2026-12-01', rateScaled: parseRate('11.4325', 'rate'), source: 'manual', updatedAt: new Date() }),
    );
    const customer = async (name: string, currency: string) =>
      ok('POST', '/v1/customers', { name, country: 'SE', currency, payment_terms_days: 30, address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' } });
    const a = await customer('Verifiera AB', 'SEK');
    const b = await customer('Prüfung GmbH', 'EUR');
    // 8 × 125.00 + 25 % = 1 250.00 each
    seeded.paid = await issuedInvoiceForCustomer(t, a.id);
    seeded.reopened = await issuedInvoiceForCustomer(t, a.id);
    seeded.credited = await issuedInvoiceForCustomer(t, a.id);
    seeded.foreign = await issuedInvoiceForCustomer(t, b.id);
    const p1 = await ok('POST', '/v1/payments', { amount: sek('1250.00'), received_on: '2026-12-04', customer_id: a.id });
    await ok('POST', `/v1/payments/${p1.id}/apply`, { allocations: [{ invoice_id: seeded.paid.id }] });
    const p2 = await ok('POST', '/v1/payments', { amount: sek('500.00'), received_on: '2026-12-04', customer_id: a.id });
    const applied = await ok('POST', `/v1/payments/${p2.id}/apply`, { allocations: [{ invoice_id: seeded.reopened.id }] });
    await ok('POST', `/v1/payments/${p2.id}/unapply`, { allocation_ids: [applied.allocations[0].id] });
    const draft = await ok('POST', `/v1/invoices/${seeded.credited.id}/credit-notes`, { reason: 'Fel pris' });
    seeded.creditNote = await ok('POST', `/v1/credit-notes/${draft.id}/issue`, {});
    await ok('POST', '/v1/payments', { amount: eur('1000.00'), received_on: '2026-12-04', customer_id: b.id }); // unapplied: 2420 in EUR
    seeded.entries = Number((await sql<{ n: string }>`select count(*)::text as n from journal_entries`.execute(t.kysely)).rows[0]!.n);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('passes on the seeded ledger (API and CLI), every check looking at what is there', async () => {
    const report = await verify();
    expect(failed(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.base_currency).toBe('SEK');
    // 4 invoices, 2 receipts, 2 allocations, 1 allocation reversal, 1 credit note, 1 EUR receipt = 11 entries (if each posts one)
    expect(seeded.entries).toBeGreaterThanOrEqual(10);
    expect(check(report, 'journal_entries_sealed').checked).toBe(seeded.entries);
    expect(check(report, 'documents_sealed').checked).toBe(5); // 4 invoices + 1 credit note
    expect(check(report, 'entries_balanced').checked).toBe(seeded.entries);
    const auditRows = Number((await sql<{ n: string }>`select count(*)::text as n from audit_log`.execute(t.kysely)).rows[0]!.n);
    expect(check(report, 'audit_chain').checked).toBe(auditRows);
    expect(report.chain_head).toMatchObject({ seq: String(auditRows), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // total + one customer with 1510 lines/items (the EUR customer too) + EUR
    expect(check(report, 'ar_control').checked).toBeGreaterThanOrEqual(3);
    expect(check(report, 'document_numbering').checked).toBe(2); // INV 2026, KF 2026

    // the same with pages of 2 rows: streaming crosses page boundaries without losing a row
    const small = await t.db.snapshot(t.tenantId, (s) => verifyLedger(s, { pageRows: 2 }));
    expect(small.ok).toBe(true);
    expect(small.checks.find((c) => c.code === 'audit_chain')!.checked).toBe(auditRows);

    const bad = await client(t).call('GET', '/v1/ledger/verify?page=2');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');

    const cli = await q2c('verify');
    expect(cli.exitCode).toBeUndefined();
    expect(cli.lines).toContain('  verify: ok (9 checks)');
    expect(cli.lines.join('\n')).toContain(`tenant ${t.tenantId} (base currency SEK)`);
    const asJson = JSON.parse((await q2c('--json', 'verify', '--tenant', t.tenantId)).lines.join('\n'));
    expect(asJson).toMatchObject([{ tenantId: t.tenantId, ok: true }]);
  });

  it("fails naming the entry when a posted journal line's amount is changed, and passes once it is put back", async () => {
    const entry = (await sql<{ id: string; series: string; fiscal_year: number; number: number }>`
      select id, series, fiscal_year, number from journal_entries where source_id = ${seeded.paid.id} and source_type = 'invoice'`.execute(t.kysely)).rows[0]!;
    const label = `entry ${entry.series} ${entry.fiscal_year}-${entry.number} (${entry.id})`;
    // the revenue line (credit 3001, 1 000.00) becomes 1 000.01
    await tamper(sql`update journal_lines set credit_minor = credit_minor + 1 where entry_id = ${entry.id} and account = '3001'`);

    const report = await verify();
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual(['entries_balanced', 'journal_entries_sealed', 'postings_sum_zero']);
    expect(check(report, 'journal_entries_sealed').failures).toEqual([expect.stringMatching(new RegExp(`^${escape(label)}: changed since it was posted`))]);
    expect(check(report, 'entries_balanced').failures).toEqual([`${label}: debit 125000 ≠ credit 125001 (SEK, minor units)`]);
    expect(check(report, 'postings_sum_zero').failures).toEqual([expect.stringContaining('off by -1')]);

    const cli = await q2c('verify');
    expect(cli.exitCode).toBe(1);
    expect(cli.lines.join('\n')).toContain(`FAILED  posted journal entries unchanged since posting (${seeded.entries} checked, 1 failed)`);
    expect(cli.lines.join('\n')).toContain(label);
    expect(cli.lines).toContain('  verify: FAILED (3 of 9 checks)');

    await tamper(sql`update journal_lines set credit_minor = credit_minor - 1 where entry_id = ${entry.id} and account = '3001'`);
    expect((await verify()).ok).toBe(true);
  });

  it("fails naming the seq and id when an audit row's data is changed", async () => {
    const row = (await sql<{ id: string; seq: string; data: string }>`
      select id, seq::text as seq, data::text as data from audit_log where action = 'invoice.issued' and entity_id = ${seeded.reopened.id}`.execute(t.kysely)).rows[0]!;
    await tamper(sql`update audit_log set data = jsonb_set(data, '{number}', '"2026-99999"') where id = ${row.id}`);

    const report = await verify();
    expect(failed(report)).toEqual(['audit_chain']);
    expect(check(report, 'audit_chain').failures).toEqual([
      expect.stringMatching(new RegExp(`^seq ${row.seq} \\(${row.id}\\): content changed after sealing \\(invoice\\.issued invoice ${seeded.reopened.id}\\)`)),
    ]);
    expect((await q2c('verify')).exitCode).toBe(1);

    await tamper(sql`update audit_log set data = ${row.data}::jsonb where id = ${row.id}`);
    expect((await verify()).ok).toBe(true);
  });

  it("fails naming the invoice when an issued invoice's total is changed", async () => {
    const inv = seeded.foreign;
    // net and gross together, so the table's own CHECK (gross = net + VAT) still holds
    await tamper(sql`update invoices set net_total_minor = net_total_minor - 10000, gross_total_minor = gross_total_minor - 10000 where id = ${inv.id}`);

    const report = await verify();
    expect(failed(report)).toEqual(['documents_sealed']);
    expect(check(report, 'documents_sealed').failures).toEqual([
      expect.stringMatching(new RegExp(`^invoice INV ${inv.number} \\(${inv.id}\\): changed since it was issued`)),
    ]);
    const cli = await q2c('verify');
    expect(cli.exitCode).toBe(1);
    expect(cli.lines.join('\n')).toContain(`invoice INV ${inv.number} (${inv.id}): changed since it was issued`);

    await tamper(sql`update invoices set net_total_minor = net_total_minor + 10000, gross_total_minor = gross_total_minor + 10000 where id = ${inv.id}`);
    expect((await verify()).ok).toBe(true);
  });

  it('fails naming the credit note when one of its lines is changed, and the AR check when an open item is', async () => {
    await tamper(sql`update credit_note_lines set description = 'Ändrad' where credit_note_id = ${seeded.creditNote.id} and line_no = 1`);
    let report = await verify();
    expect(failed(report)).toEqual(['documents_sealed']);
    expect(check(report, 'documents_sealed').failures[0]).toContain(`credit note ${seeded.creditNote.number} (${seeded.creditNote.id}): changed since it was issued`);
    await tamper(sql`update credit_note_lines set description = ${seeded.creditNote.lines[0].description} where credit_note_id = ${seeded.creditNote.id} and line_no = 1`);

    // the subledger is not sealed, but it must agree with 1510: 1 250.00 open on the reopened invoice, now 1 249.00
    await tamper(sql`update ar_open_items set open_minor = open_minor - 100, base_open_minor = base_open_minor - 100 where invoice_id = ${seeded.reopened.id}`);
    report = await verify();
    expect(failed(report)).toEqual(['ar_control']);
    expect(check(report, 'ar_control').failures).toEqual([
      // 1 250.00 SEK + the EUR invoice at 11.4325 (1 250.00 EUR = 14 290.63 SEK)
      '1510 in total: ledger 15540.63 SEK ≠ open items 15539.63 SEK (difference 1.00 SEK)',
      `1510 customer ${seeded.reopened.customer_id}: ledger 1250.00 SEK ≠ open items 1249.00 SEK (difference 1.00 SEK)`,
    ]);
    await tamper(sql`update ar_open_items set open_minor = open_minor + 100, base_open_minor = base_open_minor + 100 where invoice_id = ${seeded.reopened.id}`);
    expect((await verify()).ok).toBe(true);
  });
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
