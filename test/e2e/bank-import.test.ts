/**
 * Bank files over HTTP, on every configured database: a BgMax file paying our own issued invoices is
 * imported and matched (a valid OCR auto-applied, a check-digit typo left for review with the right
 * suggestion, an unknown payment unmatched), the review queue is resolved by hand, re-importing the
 * file adds nothing, a broken file is refused naming its record and imports nothing, the shared
 * samples import as stored lines, and the ledger invariants hold.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForDeliveredOrder } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';

const pad = (s: string) => s.padEnd(80, ' ');
const num = (v: bigint | number | string, width: number) => String(v).padStart(width, '0');

/** A BgMax file with one deposit of the given payments (amounts in öre). */
function bgmax(payments: { sender: string; reference: string; code: number; amount: bigint; serial: number; name?: string }[], opts: { trailerPayments?: number; depositSerial?: number } = {}): string {
  const recs = [pad(`01BGMAX               0120261204101500000000P`), pad(`05${num(9912346, 10)}          SEK`)];
  for (const p of payments) {
    recs.push(pad(`20${num(p.sender, 10)}${p.reference.padStart(25, ' ')}${num(p.amount, 18)}${p.code}1${num(p.serial, 12)}0`));
    if (p.name) recs.push(pad(`26${p.name}`));
  }
  const total = payments.reduce((a, p) => a + p.amount, 0n);
  recs.push(pad(`15${'58410000100'.padStart(35, '0')}20261204${num(opts.depositSerial ?? 1, 5)}${num(total, 18)}SEK${num(payments.length, 8)}`));
  recs.push(pad(`70${num(opts.trailerPayments ?? payments.length, 8)}${num(0, 8)}${num(0, 8)}${num(1, 8)}`));
  return recs.join('\r\n') + '\r\n';
}

const b64 = (text: string, encoding: BufferEncoding = 'latin1') => Buffer.from(text, encoding).toString('base64');

describe.each(TEST_DATABASES)('bank file import and matching [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  const invoiceFor = async (name: string, price: string) =>
    (await issuedInvoiceForDeliveredOrder(t, { name, country: 'SE', currency: 'SEK' }, [{ description: 'Tjänst', quantity: '1', unit_price: price, tax_class: 'standard' }])).invoice;

  it('imports a BgMax file: auto-applies a valid OCR, leaves a typo for review, re-import adds nothing', async () => {
    const a = await invoiceFor('Alfa Bygg AB', '1000.00'); // 1 250,00 with VAT
    const b = await invoiceFor('Beta Måleri AB', '400.00'); // 500,00
    const ref = b.payment_reference as string;
    const typo = ref.slice(0, 2) + String((Number(ref[2]) + 1) % 10) + ref.slice(3);
    const file = bgmax([
      { sender: '12345678', reference: a.payment_reference, code: 2, amount: 125000n, serial: 1, name: 'ALFA BYGG AB' },
      { sender: '87654321', reference: typo, code: 5, amount: 50000n, serial: 2, name: 'Beta Måleri AB' },
      { sender: '11112222', reference: '', code: 0, amount: 777700n, serial: 3, name: 'Okänd Betalare' },
    ]);
    const report = await ok('POST', '/v1/bank-files', { file_name: 'BGMAX.txt', content_base64: b64(file) }, { 'idempotency-key': 'bgmax-1' });
    expect(report).toMatchObject({ format: 'bgmax', statements: 1, lines: 3, new: 3, duplicates: 0, auto_applied: 1, review: 1, unmatched: 1, seen_before: false, applied_by_currency: { SEK: '125000' } });
    expect((await ok('GET', `/v1/invoices/${a.id}`)).amount_due).toEqual({ amount: '0.00', currency: 'SEK' });

    const applied = await ok('GET', `/v1/bank-transactions?status=applied`);
    expect(applied.data).toHaveLength(1);
    expect(applied.data[0].match.best).toMatchObject({ rule: 'payment_reference', score: 99, allocations: [{ invoice_id: a.id, amount_minor: '125000' }] });
    expect(applied.data[0].payment_id).toMatch(/^pay_/);

    const queue = await ok('GET', '/v1/bank-transactions?status=unmatched');
    expect(queue.data).toHaveLength(2);
    const typoLine = queue.data.find((l: any) => l.amount.amount === '500.00');
    expect(typoLine.match.decision).toBe('review');
    expect(typoLine.match.best).toMatchObject({ rule: 'reference_typo', allocations: [{ invoice_id: b.id }] });
    expect(typoLine.match.best.reasons[0]).toContain('fails its check digit');

    // a person confirms the suggestion; a second resolution of the same line is refused
    const resolved = await ok('POST', `/v1/bank-transactions/${typoLine.id}/apply`, { action: 'apply', allocations: [{ invoice_id: b.id }] }, { 'idempotency-key': 'resolve-1' });
    expect(resolved).toMatchObject({ status: 'applied', match: { resolution: { action: 'apply', customer_id: b.customer_id } } });
    expect((await ok('GET', `/v1/invoices/${b.id}`)).amount_due).toEqual({ amount: '0.00', currency: 'SEK' });
    expect((await call('POST', `/v1/bank-transactions/${typoLine.id}/apply`, { action: 'ignore', reason: 'x' })).status).toBe(409);

    const unknown = queue.data.find((l: any) => l.amount.amount === '7777.00');
    expect(unknown.match.decision).toBe('unmatched');
    const ignored = await ok('POST', `/v1/bank-transactions/${unknown.id}/apply`, { action: 'ignore', reason: 'Återbetald till avsändaren' });
    expect(ignored).toMatchObject({ status: 'ignored', ignored_reason: 'Återbetald till avsändaren', payment_id: null });

    // the same file again: nothing new, nothing applied twice
    const again = await ok('POST', '/v1/bank-files', { file_name: 'BGMAX.txt', content_base64: b64(file) });
    expect(again).toMatchObject({ new: 0, duplicates: 3, auto_applied: 0, seen_before: true });
    expect((await ok('GET', '/v1/payments')).data).toHaveLength(2);
    await assertLedgerInvariants(t.db, t.tenantId);

    // the automatic match is undone: its payment is reversed, the invoice reopens, the line is back in the queue
    const auto = applied.data[0];
    const undone = await ok('POST', `/v1/bank-transactions/${auto.id}/undo`, { reason: 'Fel kund' }, { 'idempotency-key': 'undo-1' });
    expect(undone).toMatchObject({ status: 'unmatched', payment_id: null, match: { best: { rule: 'payment_reference' }, undone: [{ payment_id: auto.payment_id, reason: 'Fel kund' }] } });
    expect((await ok('GET', `/v1/invoices/${a.id}`)).amount_due).toEqual({ amount: '1250.00', currency: 'SEK' });
    expect(await ok('GET', `/v1/payments/${auto.payment_id}`)).toMatchObject({ status: 'returned', return_reason: 'Bank match undone: Fel kund' });
    expect((await call('POST', `/v1/bank-transactions/${auto.id}/undo`, { reason: 'igen' })).status).toBe(409);
    await assertLedgerInvariants(t.db, t.tenantId);
    // and resolved again by a person
    const again2 = await ok('POST', `/v1/bank-transactions/${auto.id}/apply`, { action: 'apply', allocations: [{ invoice_id: a.id }] });
    expect(again2.status).toBe('applied');
    expect((await ok('GET', `/v1/invoices/${a.id}`)).amount_due).toEqual({ amount: '0.00', currency: 'SEK' });
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('a person settles a short payment from the queue with a bank fee and a write-off', async () => {
    const a = await invoiceFor('Epsilon Trä AB', '800.00'); // 1 000,00 with VAT
    const b = await invoiceFor('Zeta Plåt AB', '400.00'); // 500,00
    // 1 000,00 less a 25,00 fee the payer's bank kept; 500,00 less 3,00 (within the 10,00 tolerance); no references
    const file = bgmax([
      { sender: '55550001', reference: '', code: 0, amount: 97500n, serial: 1, name: 'Okänd AB' },
      { sender: '55550002', reference: '', code: 0, amount: 49700n, serial: 2, name: 'Okänd HB' },
    ], { depositSerial: 2 }); // another deposit of the day: Bankgirot numbers them
    const report = await ok('POST', '/v1/bank-files', { content_base64: b64(file) });
    expect(report).toMatchObject({ new: 2, auto_applied: 0 });
    const lines = (await ok('GET', `/v1/bank-transactions?status=unmatched&import_id=${report.import_id}`)).data;
    const fee = lines.find((l: any) => l.amount.amount === '975.00');
    const short = lines.find((l: any) => l.amount.amount === '497.00');
    const r1 = await ok('POST', `/v1/bank-transactions/${fee.id}/apply`, { action: 'apply', allocations: [{ invoice_id: a.id, bank_fee: '25.00' }] });
    expect(r1.match.resolution.allocations).toEqual([{ invoice_id: a.id, amount_minor: null, write_off: false, bank_fee_minor: '2500' }]);
    const r2 = await ok('POST', `/v1/bank-transactions/${short.id}/apply`, { action: 'apply', allocations: [{ invoice_id: b.id, write_off: true }] });
    expect(r2.status).toBe('applied');
    for (const inv of [a, b]) expect((await ok('GET', `/v1/invoices/${inv.id}`)).amount_due).toEqual({ amount: '0.00', currency: 'SEK' });
    const s = t.db.store(t.tenantId);
    const bal = async (acct: string) => (await s.journal.accountBalance(acct)).reduce((x, r) => x + r.balanceMinor, 0n);
    expect(await bal('6570')).toBe(2500n);
    expect(await bal('3740')).toBe(300n);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('refuses a broken file naming the record, and imports nothing of it', async () => {
    const a = await invoiceFor('Gamma AB', '100.00');
    const before = (await ok('GET', '/v1/bank-transactions?limit=100')).data.length;
    const bad = bgmax([{ sender: '1', reference: a.payment_reference, code: 2, amount: 12500n, serial: 1 }], { trailerPayments: 2 });
    const res = await call('POST', '/v1/bank-files', { content_base64: b64(bad) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ param: 'content_base64' });
    expect(res.body.error.message).toContain('bgmax file, line 5 (record 70): the end record declares 2 payments records, the file has 1');
    expect((await ok('GET', '/v1/bank-transactions?limit=100')).data).toHaveLength(before);
    expect((await ok('GET', `/v1/invoices/${a.id}`)).amount_due).toEqual({ amount: '125.00', currency: 'SEK' });
    const notBank = await call('POST', '/v1/bank-files', { content_base64: b64('hello world') });
    expect(notBank.status).toBe(400);
    expect(notBank.body.error.message).toMatch(/not a BgMax, camt.053\/054 or MT940 file/);
  });

  it('imports the shared BgMax, camt and MT940 samples as stored lines; overlapping re-imports add nothing', async () => {
    const shared = (p: string) => readFileSync(new URL(`../../../shared/samples/${p}`, import.meta.url));
    const expected: [string, number, number][] = [
      ['bgmax/BgMaxfil4.txt', 9, 0],
      ['bgmax/bankgirot_ocr-kontroll_checksiffra_langd.crlf.txt', 7, 1],
      ['camt/camt053.v2.multi.statement.xml', 2, 1],
      ['camt/camt054.v4.xml', 1, 1],
      ['mt940/rabobank-iban.sta', 4, 4],
    ];
    for (const [path, lines, outgoing] of expected) {
      const r = await ok('POST', '/v1/bank-files', { file_name: path, content_base64: shared(path).toString('base64') });
      expect([path, r.lines, r.new, r.outgoing]).toEqual([path, lines, lines, outgoing]);
      const again = await ok('POST', '/v1/bank-files', { file_name: path, content_base64: shared(path).toString('base64') });
      expect([path, again.new, again.duplicates]).toEqual([path, 0, lines]);
    }
    // camt053.v2.wrong.xml is refused, and so is a statement in a withdrawn currency (DEM)
    expect((await call('POST', '/v1/bank-files', { content_base64: shared('camt/camt053.v2.wrong.xml').toString('base64') })).body.error.message).toMatch(/no Stmt element/);
    expect((await call('POST', '/v1/bank-files', { content_base64: shared('mt940/cmxl_mt940.sta').toString('base64') })).body.error.message).toMatch(/DEM is not a current ISO 4217 currency/);
  });
});

describe.each(TEST_DATABASES)('bank CSV exports with a saved mapping [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  it('saves a mapping for an account, imports its export with it, and matches an invoice number in the text', async () => {
    const o = await issuedInvoiceForDeliveredOrder(t, { name: 'Delta Konsult AB', country: 'SE', currency: 'SEK' }, [
      { description: 'Rådgivning', quantity: '2', unit_price: '1000.00', tax_class: 'standard' },
    ]);
    const saved = await ok('PUT', '/v1/bank-csv-mappings/5841-0000100', {
      currency: 'SEK', decimal: ',', date_format: 'YYYY-MM-DD', skip_lines: 1,
      columns: { booking_date: 'Bokföringsdag', text: 'Text', amount: 'Belopp' },
    });
    expect(saved.account).toBe('5841-0000100');
    expect((await ok('GET', '/v1/bank-csv-mappings')).data).toHaveLength(1);
    const csv = `Kontoutdrag 5841-0000100\nBokföringsdag;Text;Belopp\n2026-12-04;Betalning faktura ${o.invoice.number};2 500,00\n2026-12-04;Bankavgift;-25,00\n`;
    const r = await ok('POST', '/v1/bank-files', { file_name: 'export.csv', content_base64: Buffer.from(csv, 'utf8').toString('base64'), csv_account: '5841-0000100' });
    expect(r).toMatchObject({ format: 'csv', lines: 2, new: 2, outgoing: 1, auto_applied: 1 });
    expect((await ok('GET', `/v1/invoices/${o.invoice.id}`)).amount_due).toEqual({ amount: '0.00', currency: 'SEK' });
    // without a mapping a CSV is not recognised; an unknown account's mapping is a 404 naming csv_account
    expect((await call('POST', '/v1/bank-files', { content_base64: Buffer.from(csv).toString('base64') })).status).toBe(400);
    const missing = await call('POST', '/v1/bank-files', { content_base64: Buffer.from(csv).toString('base64'), csv_account: 'nope' });
    expect([missing.status, missing.body.error.param]).toEqual([404, 'csv_account']);
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});

describe.each(TEST_DATABASES)('q2c import bank [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });

  async function q2c(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
    await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync(['node', 'q2c', ...args]);
    return lines;
  }

  it('streams a BgMax file from disk, says what it did, imports nothing twice, and refuses a broken file', async () => {
    const sample = fileURLToPath(new URL('../../../shared/samples/bgmax/BgMaxfil4.txt', import.meta.url));
    expect(await q2c('import', 'bank', sample, '--tenant', t.tenantId)).toEqual([
      `Imported ${sample} (bgmax) into ${t.tenantId}: 4 statement(s), 9 line(s): 9 new, 0 already imported`,
      '  auto-applied 0, left for review 0, unmatched 9, outgoing 0',
    ]);
    const again = JSON.parse((await q2c('--json', 'import', 'bank', sample, '--tenant', t.tenantId)).join('\n'));
    expect(again).toMatchObject({ new: 0, duplicates: 9, seenBefore: true });
    const dir = mkdtempSync(join(tmpdir(), 'q2c-bank-'));
    const broken = join(dir, 'broken.txt');
    writeFileSync(broken, readFileSync(sample, 'latin1').replace('7000000009', '7000000008'), 'latin1');
    await expect(q2c('import', 'bank', broken, '--tenant', t.tenantId)).rejects.toThrow(/record 70\): the end record declares 8 payments records, the file has 9; nothing was imported/);
  });
});
