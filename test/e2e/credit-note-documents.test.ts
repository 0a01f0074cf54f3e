/**
 * GET /v1/credit-notes/{id}/pdf and /ubl: the credit note as a PDF ("Kreditfaktura" / "Credit note",
 * naming the credited invoice's number and date, with its own lines and totals) and as a Peppol BIS 3
 * CreditNote (type 381, BillingReference to the invoice) that the official validators accept, for a
 * credit of invoice lines and a credit of an amount. A draft has no UBL (409).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForDeliveredOrder } from '../support/orders.js';
import { pdfText, requirePdftotext } from '../support/pdf.js';

const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/validate-ubl.sh');

const all = (xml: string, name: string): string[] =>
  [...xml.matchAll(new RegExp(`<cbc:${name}(?: [^>]*)?>([^<]*)</cbc:${name}>`, 'g'))].map((m) => m[1] ?? '');

describe.each(TEST_DATABASES)('credit note documents [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const get = (url: string) => t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });
  const dir = mkdtempSync(join(tmpdir(), `q2c-credit-note-docs-${kind}-`));
  beforeAll(() => requirePdftotext());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** 3 × 1495.00 − 10 % (25 %) and 2 × 300.00 (6 %), issued, to a Swedish company with an org.nr. */
  async function issuedInvoice() {
    const { invoice } = await issuedInvoiceForDeliveredOrder(t, {
      name: 'Åkessons Järnhandel AB', country: 'SE', currency: 'SEK', payment_terms_days: 30, org_number: '556036-0793',
      vat_number: 'SE556036079301', address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    }, [
      { description: 'Skruvdragare 18 V', quantity: '3', unit_price: '1495.00', tax_class: 'standard', discount_percent: '10' },
      { description: 'Handbok i bokföring', quantity: '2', unit_price: '300.00', tax_class: 'reduced_6' },
    ]);
    return invoice;
  }

  it('renders the credit note PDF in Swedish and English, with the credited invoice, lines and totals', async () => {
    const invoice = await issuedInvoice();
    const draft = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'Returnerad skruvdragare',
    });
    const draftPdf = await get(`/v1/credit-notes/${draft.id}/pdf`);
    expect(draftPdf.statusCode).toBe(200);
    expect(pdfText(draftPdf.rawPayload)).toContain('UTKAST');
    const draftUbl = await call('GET', `/v1/credit-notes/${draft.id}/ubl`);
    expect(draftUbl.status).toBe(409);
    expect(draftUbl.body.error.code).toBe('invoice_not_issued');

    const note = await ok('POST', `/v1/credit-notes/${draft.id}/issue`, {});
    expect(note.number).toMatch(/^KF-2026-\d{4}$/);
    const res = await get(`/v1/credit-notes/${note.id}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`inline; filename="${note.number}.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const sv = pdfText(res.rawPayload);
    expect(sv).toContain('Kreditfaktura');
    expect(sv).toContain(note.number);
    expect(sv).toContain(invoice.number);
    expect(sv).toContain(invoice.issue_date);
    expect(sv).toContain('Skruvdragare 18 V');
    expect(sv).toContain('Returnerad skruvdragare');
    // 1 of 3 × 1495.00 − 10 % = 1345.50 + 25 % VAT 336.38 = 1681.88 (Swedish formatting)
    expect(note.gross_total.amount).toBe('1681.88');
    expect(sv).toMatch(/1\s345,50/);
    expect(sv).toMatch(/1\s681,88/);
    expect(sv).not.toContain('Handbok i bokföring');

    const en = pdfText((await get(`/v1/credit-notes/${note.id}/pdf?lang=en`)).rawPayload);
    expect(en).toContain('Credit note');
    expect(en).toContain(note.number);
    expect(en).toContain(invoice.number);
    expect(en).toMatch(/1,681\.88/);
  });

  it('serves valid Peppol BIS 3 credit notes (381) referencing the invoice, for lines and for an amount', async () => {
    const invoice = await issuedInvoice();
    const lines = await ok('POST', `/v1/credit-notes/${(await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ invoice_line_no: 1, quantity: '2' }, { invoice_line_no: 2, quantity: '1' }], reason: 'Retur',
    })).id}/issue`, {});
    const amount = await ok('POST', `/v1/credit-notes/${(await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      amount: { net_amount: { amount: '100.00', currency: 'SEK' }, vat_rate: '25' }, reason: 'Prisavdrag',
    })).id}/issue`, {});

    const files: string[] = [];
    for (const note of [lines, amount]) {
      const res = await get(`/v1/credit-notes/${note.id}/ubl`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${note.number}.xml"`);
      const xml = res.body;
      const flat = xml.replace(/>\s+</g, '><');
      expect(flat).toContain('<CreditNote ');
      expect(all(xml, 'CreditNoteTypeCode')).toEqual(['381']);
      expect(all(xml, 'ID')[0]).toBe(note.number);
      expect(flat).toContain(`<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${invoice.number}</cbc:ID><cbc:IssueDate>${invoice.issue_date}</cbc:IssueDate>`);
      expect(all(xml, 'TaxExclusiveAmount')).toEqual([note.net_total.amount]);
      expect(all(xml, 'PayableAmount')).toEqual([note.gross_total.amount]);
      expect(all(xml, 'CreditedQuantity')).toHaveLength(note.lines.length);
      const file = join(dir, `${note.number}.xml`);
      writeFileSync(file, xml);
      files.push(file);
    }
    expect(existsSync(VALIDATOR)).toBe(true);
    const r = spawnSync('bash', [VALIDATOR, '--quiet', ...files], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.status, output).toBe(0);
    expect(output).not.toMatch(/\bfatal\b/i);
  }, 180_000);
});
