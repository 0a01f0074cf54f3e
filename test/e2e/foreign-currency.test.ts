/**
 * Foreign-currency invoices, payments and credit notes with the ledger in the tenant's functional
 * currency, SEK (decision 0008), over HTTP on every configured database. A Swedish customer billed in
 * EUR; EUR→SEK rates on three dates. Every figure is computed by hand in a comment; the ledger
 * invariants (in SEK, and per foreign currency on 1510 / 2420) hold after every scenario.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseRate } from '../../src/core/money/fx.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { draftInvoiceForCustomer } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { pdfText, requirePdftotext } from '../support/pdf.js';

const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/validate-ubl.sh');

const sek = (amount: string) => ({ amount, currency: 'SEK' });
const eur = (amount: string) => ({ amount, currency: 'EUR' });

/** The text of every `<cbc:name …>` element, with its attributes, in document order. */
function all(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<cbc:${name}((?: [^>]*)?)>([^<]*)</cbc:${name}>`, 'g'))].map((m) => `${m[1]!.trim()}|${m[2]}`);
}

describe.each(TEST_DATABASES)('foreign-currency invoices, payments and credit notes in the SEK ledger [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const get = (url: string) => t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });
  const dir = mkdtempSync(join(tmpdir(), `q2c-fx-ubl-${kind}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function setRate(currency: string, rateDate: string, rate: string) {
    await t.db.transaction(t.tenantId, (s) =>
      s.exchangeRates.upsert({ currency, rateDate, rateScaled: parseRate(rate, 'rate'), source: 'manual', updatedAt: new Date() }),
    );
  }

  beforeEach(async () => {
    // 1 EUR in SEK: 11.4325 from 1 Dec (the issue date, 4 Dec, uses it), 11.60 from 10 Dec, 11.20 from 15 Dec
    await setRate('EUR', '2026-12-01', '11.4325');
    await setRate('EUR', '2026-12-10', '11.60');
    await setRate('EUR', '2026-12-15', '11.20');
  });

  async function customer(name: string, currency = 'EUR') {
    return ok('POST', '/v1/customers', {
      name, country: 'SE', currency, payment_terms_days: 30, org_number: '556036-0793', vat_number: 'SE556036079301',
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });
  }

  const draftInvoice = (customerId: string) => draftInvoiceForCustomer(t, customerId);

  async function issuedInvoice(customerId: string) {
    const draft = await draftInvoice(customerId);
    expect(draft.currency).toBe('EUR');
    expect(draft.exchange_rate).toBeNull();
    return ok('POST', `/v1/invoices/${draft.id}/issue`, {});
  }

  /** Journal lines of the one entry of a source: [account, debit, credit, amount_currency, amount]. */
  async function entryOf(sourceId: string) {
    const page = await t.db.store(t.tenantId).journal.list({ limit: 10 }, { sourceId });
    expect(page.data).toHaveLength(1);
    return page.data[0]!.lines.map((l) => [l.account, l.currency, l.debitMinor, l.creditMinor, l.amountCurrency, l.amountMinor]);
  }

  async function openItem(invoiceId: string) {
    return t.db.store(t.tenantId).openItems.getByInvoice(invoiceId as never);
  }

  async function pay(customerId: string, amount: string, receivedOn: string) {
    return ok('POST', '/v1/payments', { amount: eur(amount), received_on: receivedOn, customer_id: customerId });
  }

  it('issues at the issue-date rate: journal in SEK with the EUR amounts beside, rate and VAT in SEK on the invoice, UBL and PDF', async () => {
    const c = await customer('Euro Kund AB');
    const invoice = await issuedInvoice(c.id);
    expect(invoice).toMatchObject({
      status: 'issued', currency: 'EUR', gross_total: eur('1250.00'), vat_total: eur('250.00'),
      // 1 250.00 × 11.4325 = 14 290.625 → 14 290.63; VAT 250.00 × 11.4325 = 2 858.125 → 2 858.13
      exchange_rate: '11.4325', exchange_rate_date: '2026-12-01',
      vat_total_base: sek('2858.13'), gross_total_base: sek('14290.63'),
    });
    expect(await ok('GET', `/v1/invoices/${invoice.id}`)).toEqual(invoice);
    // the gross converted once (14 290.63) and allocated over 1 000 : 250 → 11 432.504 : 2 858.126
    // → 11 432.50 + 2 858.13 (the öre to the largest remainder)
    expect(await entryOf(invoice.id)).toEqual([
      ['1510', 'SEK', 1_429_063n, 0n, 'EUR', 125_000n],
      ['3001', 'SEK', 0n, 1_143_250n, 'EUR', 100_000n],
      ['2611', 'SEK', 0n, 285_813n, 'EUR', 25_000n],
    ]);
    const item = await openItem(invoice.id);
    expect(item).toMatchObject({ currency: 'EUR', originalMinor: 125_000n, openMinor: 125_000n, baseOriginalMinor: 1_429_063n, baseOpenMinor: 1_429_063n });
    const entries = await ok('GET', `/v1/ledger/entries?source_id=${invoice.id}`);
    const line = entries.data[0].lines[0];
    expect(line).toMatchObject({ account: '1510', debit: sek('14290.63'), amount_currency: 'EUR', amount: eur('1250.00') });

    // UBL: document currency EUR, tax currency SEK, and a second TaxTotal with the VAT in SEK (BT-111)
    const xml = (await get(`/v1/invoices/${invoice.id}/ubl`)).body.replace(/>\s+</g, '><');
    expect(xml).toContain('<cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode><cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>');
    const taxTotals = [...xml.matchAll(/<cac:TaxTotal>(?:(?!<\/cac:TaxTotal>).)*<\/cac:TaxTotal>/g)].map((m) => all(m[0], 'TaxAmount')[0]);
    expect(taxTotals).toEqual(['currencyID="EUR"|250.00', 'currencyID="SEK"|2858.13']);
    const file = join(dir, `${invoice.number}.xml`);
    writeFileSync(file, xml);
    expect(existsSync(VALIDATOR)).toBe(true);
    const r = spawnSync('bash', [VALIDATOR, '--quiet', file], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.status, output).toBe(0);

    // PDF: the VAT in SEK with the rate and its date, in Swedish and in English
    requirePdftotext();
    const sv = pdfText((await get(`/v1/invoices/${invoice.id}/pdf`)).rawPayload).replace(/\s+/g, ' ');
    expect(sv).toContain('Moms i SEK: 2 858,13 (kurs 11,4325 den 2026-12-01)');
    const en = pdfText((await get(`/v1/invoices/${invoice.id}/pdf?lang=en`)).rawPayload).replace(/\s+/g, ' ');
    expect(en).toContain('VAT in SEK: 2,858.13 (rate 11.4325 on 2026-12-01)');

    // the issue UPDATE set the rate and base totals; afterwards the database refuses to change them
    for (const statement of [
      sql`UPDATE invoices SET exchange_rate = 12 WHERE id = ${invoice.id}`,
      sql`UPDATE invoices SET vat_total_base_minor = 1 WHERE id = ${invoice.id}`,
      sql`UPDATE invoices SET exchange_rate = NULL, exchange_rate_date = NULL, base_currency = NULL, vat_total_base_minor = NULL, gross_total_base_minor = NULL WHERE id = ${invoice.id}`,
    ]) {
      await expect(statement.execute(t.kysely)).rejects.toThrow(/immutable/);
    }
    // a journal line in a foreign currency must carry both its amount and currency, or neither
    await expect(
      sql`INSERT INTO journal_lines (tenant_id, entry_id, line_no, account, currency, debit_minor, credit_minor, amount_currency)
          SELECT tenant_id, entry_id, 99, '1930', 'SEK', 1, 0, 'EUR' FROM journal_lines LIMIT 1`.execute(t.kysely),
    ).rejects.toThrow(/journal_lines_amount_currency/);
    await assertLedgerInvariants(t.db, t.tenantId);
  }, 180_000);

  it('a payment at a higher rate realises a gain on 3960; another at a lower rate a loss on 7960', async () => {
    const c = await customer('Valuta Vinst AB');
    const inv1 = await issuedInvoice(c.id);
    const inv2 = await issuedInvoice(c.id);

    // 1 250.00 EUR received on 10 Dec at 11.60 = 14 500.00 SEK: bank and 2420 in SEK with the EUR beside
    const p1 = await pay(c.id, '1250.00', '2026-12-10');
    expect(p1).toMatchObject({ exchange_rate: '11.6', base_amount: sek('14500.00'), base_unapplied_amount: sek('14500.00') });
    expect(await entryOf(p1.id)).toEqual([
      ['1930', 'SEK', 1_450_000n, 0n, 'EUR', 125_000n],
      ['2420', 'SEK', 0n, 1_450_000n, 'EUR', 125_000n],
    ]);
    const applied1 = await ok('POST', `/v1/payments/${p1.id}/apply`, { allocations: [{ invoice_id: inv1.id }], applied_on: '2026-12-10' });
    // 14 500.00 − 14 290.63 = 209.37 gain
    expect(applied1.allocations[0]).toMatchObject({
      amount: eur('1250.00'), base_amount: sek('14500.00'), base_open_amount: sek('14290.63'), fx_difference: sek('209.37'),
    });
    expect(await entryOf(applied1.allocations[0].id)).toEqual([
      ['2420', 'SEK', 1_450_000n, 0n, 'EUR', 125_000n],
      ['1510', 'SEK', 0n, 1_429_063n, 'EUR', 125_000n],
      ['3960', 'SEK', 0n, 20_937n, null, null],
    ]);
    expect(await openItem(inv1.id)).toMatchObject({ openMinor: 0n, baseOpenMinor: 0n });
    await assertLedgerInvariants(t.db, t.tenantId);

    // 1 250.00 EUR received on 15 Dec at 11.20 = 14 000.00 SEK; 14 290.63 − 14 000.00 = 290.63 loss
    const p2 = await pay(c.id, '1250.00', '2026-12-15');
    const applied2 = await ok('POST', `/v1/payments/${p2.id}/apply`, { allocations: [{ invoice_id: inv2.id }], applied_on: '2026-12-15' });
    expect(applied2.allocations[0]).toMatchObject({ base_amount: sek('14000.00'), base_open_amount: sek('14290.63'), fx_difference: sek('-290.63') });
    expect(await entryOf(applied2.allocations[0].id)).toEqual([
      ['2420', 'SEK', 1_400_000n, 0n, 'EUR', 125_000n],
      ['1510', 'SEK', 0n, 1_429_063n, 'EUR', 125_000n],
      ['7960', 'SEK', 29_063n, 0n, null, null],
    ]);
    expect((await ok('GET', `/v1/invoices/${inv2.id}`)).payment_status).toBe('paid');
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('partial payments: the first takes a prorated base, the second closes the item and takes exactly the rest', async () => {
    const c = await customer('Delbetalning AB');
    const inv = await issuedInvoice(c.id);
    // 500.00 EUR at 11.60 = 5 800.00 SEK; of the receivable 14 290.63 × 500 / 1 250 = 5 716.252 → 5 716.25; gain 83.75
    const p1 = await pay(c.id, '500.00', '2026-12-10');
    const a1 = await ok('POST', `/v1/payments/${p1.id}/apply`, { allocations: [{ invoice_id: inv.id }], applied_on: '2026-12-10' });
    expect(a1.allocations[0]).toMatchObject({ amount: eur('500.00'), base_amount: sek('5800.00'), base_open_amount: sek('5716.25'), fx_difference: sek('83.75') });
    // left: 750.00 EUR, 14 290.63 − 5 716.25 = 8 574.38 SEK
    expect(await openItem(inv.id)).toMatchObject({ openMinor: 75_000n, baseOpenMinor: 857_438n });
    await assertLedgerInvariants(t.db, t.tenantId);

    // 800.00 EUR at 11.20 = 8 960.00 SEK; 750.00 of it applied: 8 960.00 × 750 / 800 = 8 400.00 off the payment,
    // all of the 8 574.38 left off the item (it closes) → loss 174.38; 50.00 EUR = 560.00 SEK stays unapplied
    const p2 = await pay(c.id, '800.00', '2026-12-15');
    const a2 = await ok('POST', `/v1/payments/${p2.id}/apply`, { allocations: [{ invoice_id: inv.id, amount: '750.00' }], applied_on: '2026-12-15' });
    expect(a2.allocations[0]).toMatchObject({ amount: eur('750.00'), base_amount: sek('8400.00'), base_open_amount: sek('8574.38'), fx_difference: sek('-174.38') });
    expect(a2).toMatchObject({ unapplied_amount: eur('50.00'), base_unapplied_amount: sek('560.00') });
    expect(await openItem(inv.id)).toMatchObject({ openMinor: 0n, baseOpenMinor: 0n });
    expect(await entryOf(a2.allocations[0].id)).toEqual([
      ['2420', 'SEK', 840_000n, 0n, 'EUR', 75_000n],
      ['1510', 'SEK', 0n, 857_438n, 'EUR', 75_000n],
      ['7960', 'SEK', 17_438n, 0n, null, null],
    ]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('credit notes at the invoice rate: a partial credit of an unpaid invoice, a full credit of a paid one becoming customer credit', async () => {
    const c = await customer('Kreditering Valuta AB');
    const unpaid = await issuedInvoice(c.id);
    // 2 of 8 hours: 250.00 + 25 % 62.50 = 312.50 EUR, at the invoice's 11.4325:
    // gross 3 572.65625 → 3 572.66, allocated 250 : 62.50 → 2 858.128 : 714.532 → 2 858.13 + 714.53;
    // the open item gives up 14 290.63 × 312.50 / 1 250 = 3 572.6575 → 3 572.66: no exchange difference
    const draft = await ok('POST', `/v1/invoices/${unpaid.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '2' }], reason: 'Två timmar för mycket' });
    const note = await ok('POST', `/v1/credit-notes/${draft.id}/issue`, { issue_date: '2026-12-12' });
    expect(note).toMatchObject({
      gross_total: eur('312.50'), receivable_credited: eur('312.50'), customer_credit: eur('0.00'),
      exchange_rate: '11.4325', exchange_rate_date: '2026-12-01', vat_total_base: sek('714.53'), gross_total_base: sek('3572.66'),
    });
    expect(await entryOf(note.id)).toEqual([
      ['3001', 'SEK', 285_813n, 0n, 'EUR', 25_000n],
      ['2611', 'SEK', 71_453n, 0n, 'EUR', 6_250n],
      ['1510', 'SEK', 0n, 357_266n, 'EUR', 31_250n],
    ]);
    // 937.50 EUR open, 14 290.63 − 3 572.66 = 10 717.97 SEK
    expect(await openItem(unpaid.id)).toMatchObject({ openMinor: 93_750n, baseOpenMinor: 1_071_797n });
    await assertLedgerInvariants(t.db, t.tenantId);

    // paid in full at 11.60 (gain 209.37), then credited in full: the 1 250.00 EUR go back to the payment
    // at its own value, 14 500.00 SEK on 2420; the revenue and VAT are reversed at the invoice's rate
    // (11 432.50 + 2 858.13 = 14 290.63), and the 209.37 difference is posted to 7960
    const paid = await issuedInvoice(c.id);
    const p = await pay(c.id, '1250.00', '2026-12-10');
    await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: paid.id }], applied_on: '2026-12-10' });
    const full = await ok('POST', `/v1/invoices/${paid.id}/credit-notes`, { reason: 'Fel kund' });
    const fullNote = await ok('POST', `/v1/credit-notes/${full.id}/issue`, { issue_date: '2026-12-16' });
    expect(fullNote).toMatchObject({ receivable_credited: eur('0.00'), customer_credit: eur('1250.00'), gross_total_base: sek('14290.63'), vat_total_base: sek('2858.13') });
    expect(await entryOf(full.id)).toEqual([
      ['3001', 'SEK', 1_143_250n, 0n, 'EUR', 100_000n],
      ['2611', 'SEK', 285_813n, 0n, 'EUR', 25_000n],
      ['2420', 'SEK', 0n, 1_450_000n, 'EUR', 125_000n],
      ['7960', 'SEK', 20_937n, 0n, null, null],
    ]);
    expect(await ok('GET', `/v1/payments/${p.id}`)).toMatchObject({ unapplied_amount: eur('1250.00'), base_unapplied_amount: sek('14500.00') });
    // an issued credit note's rate and base totals are as immutable as the rest of it
    await expect(sql`UPDATE credit_notes SET exchange_rate = 12 WHERE id = ${full.id}`.execute(t.kysely)).rejects.toThrow(/immutable/);
    // the credit note's UBL states its VAT in SEK too (BT-111), at the invoice's rate
    const cnXml = (await get(`/v1/credit-notes/${full.id}/ubl`)).body.replace(/>\s+</g, '><');
    expect(cnXml).toContain('<cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>');
    expect(cnXml).toContain('<cbc:TaxAmount currencyID="SEK">2858.13</cbc:TaxAmount>');
    await assertLedgerInvariants(t.db, t.tenantId);

    // the customer credit is applied to the partly credited invoice: 937.50 EUR of the 1 250.00 at the
    // payment's 11.60 = 10 875.00 SEK against the 10 717.97 left on the item → gain 157.03
    const reapplied = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: unpaid.id }], applied_on: '2026-12-16' });
    const last = reapplied.allocations.at(-1);
    expect(last).toMatchObject({ amount: eur('937.50'), base_amount: sek('10875.00'), base_open_amount: sek('10717.97'), fx_difference: sek('157.03') });
    expect(reapplied).toMatchObject({ unapplied_amount: eur('312.50'), base_unapplied_amount: sek('3625.00') });
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('refuses to issue without a rate on or before the issue date: 422 naming issue_date, the invoice stays a draft without a number', async () => {
    const c = await customer('Dollar Kund AB', 'USD');
    const draft = await draftInvoice(c.id);
    expect(draft.currency).toBe('USD');
    const res = await call('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'exchange_rate_missing', param: 'issue_date' });
    expect(res.body.error.message).toContain('USD');
    const after = await ok('GET', `/v1/invoices/${draft.id}`);
    expect(after).toMatchObject({ status: 'draft', number: null, exchange_rate: null, vat_total_base: null });
    expect(await openItem(draft.id)).toBeUndefined();
    expect((await t.db.store(t.tenantId).journal.list({ limit: 10 }, { sourceId: draft.id })).data).toEqual([]);
    // a EUR invoice dated before the first EUR rate is refused the same way
    const early = await draftInvoice((await customer('Tidig Kund AB')).id);
    const tooEarly = await call('POST', `/v1/invoices/${early.id}/issue`, { issue_date: '2026-11-30' });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body.error.param).toBe('issue_date');
    // with a rate the same draft is issued, and numbering has no gap
    await setRate('USD', '2026-12-01', '10.50');
    const issued = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(issued).toMatchObject({ status: 'issued', exchange_rate: '10.5', gross_total_base: sek('13125.00') }); // 1 250.00 × 10.50
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('a SEK invoice and payment post as before: no foreign amounts, no exchange difference', async () => {
    const c = await customer('Svensk Kund AB', 'SEK');
    const inv = await ok('POST', `/v1/invoices/${(await draftInvoice(c.id)).id}/issue`, {});
    expect(inv).toMatchObject({ exchange_rate: '1', vat_total_base: sek('250.00'), gross_total_base: sek('1250.00') });
    expect(await entryOf(inv.id)).toEqual([
      ['1510', 'SEK', 125_000n, 0n, null, null],
      ['3001', 'SEK', 0n, 100_000n, null, null],
      ['2611', 'SEK', 0n, 25_000n, null, null],
    ]);
    const p = await ok('POST', '/v1/payments', { amount: sek('1250.00'), customer_id: c.id });
    const a = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id }] });
    expect(await entryOf(a.allocations[0].id)).toEqual([
      ['2420', 'SEK', 125_000n, 0n, null, null],
      ['1510', 'SEK', 0n, 125_000n, null, null],
    ]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
