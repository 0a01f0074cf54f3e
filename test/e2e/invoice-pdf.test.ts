/**
 * GET /v1/invoices/{id}/pdf: the invoice as a PDF whose text (read back with pdftotext from
 * poppler-utils) has its number, dates, OCR reference, lines, VAT summary, totals and the seller's
 * legal details, in the customer's language or the one asked for; a draft renders marked "UTKAST".
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { draftInvoiceForDeliveredOrder } from '../support/orders.js';

function pdfText(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'q2c-pdf-')), 'invoice.pdf');
  writeFileSync(file, pdf);
  const r = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`pdftotext failed (install poppler-utils): ${r.error?.message ?? r.stderr}`);
  return r.stdout.replace(/\u00a0/g, ' ');
}

describe.each(TEST_DATABASES)('invoice PDF over HTTP [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const get = (url: string) => t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });

  it('renders a draft marked as such, then the issued invoice in Swedish and English', async () => {
    const { order, draft } = await draftInvoiceForDeliveredOrder(t, {
      name: 'Åkessons Järnhandel AB', country: 'SE', currency: 'SEK', org_number: '556111-2222', vat_number: 'SE556111222201',
      payment_terms_days: 30, address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    }, [
      { description: 'Skruvdragare 18 V', quantity: '3', unit_price: '1495.00', tax_class: 'standard', discount_percent: '10' },
      { description: 'Handbok i bokföring', quantity: '2', unit_price: '300.00', tax_class: 'reduced_6' },
    ], { carrier: 'PostNord', tracking_number: 'PN1' });

    const preview = await get(`/v1/invoices/${draft.id}/pdf`);
    expect(preview.statusCode, preview.body).toBe(200);
    const draftText = pdfText(preview.rawPayload);
    expect(draftText).toContain('UTKAST');
    expect(draftText).toContain('Utkast – inte en giltig faktura');
    expect(draftText).not.toContain('OCR-nummer ');
    expect(draftText).toContain('Skruvdragare 18 V');

    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    const sv = await get(`/v1/invoices/${invoice.id}/pdf`);
    expect(sv.statusCode, sv.body).toBe(200);
    expect(sv.headers['content-type']).toBe('application/pdf');
    expect(sv.headers['content-disposition']).toContain(`${invoice.number}.pdf`);
    expect(sv.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(sv.rawPayload);
    expect(text).toContain('Faktura');
    expect(text).not.toContain('UTKAST');
    expect(text).toMatch(new RegExp(`Fakturanummer\\s+${invoice.number}`));
    expect(text).toMatch(new RegExp(`Fakturadatum\\s+${invoice.issue_date}`));
    expect(text).toMatch(new RegExp(`Förfallodatum\\s+${invoice.due_date}`));
    expect(text).toContain('OCR-nummer');
    expect(text).toContain(invoice.payment_reference);
    expect(text).toContain(order.number);
    expect(text).toContain('Skruvdragare 18 V');
    expect(text).toContain('Handbok i bokföring');
    expect(text).toMatch(/1 495,00\s+10 %/);
    // 3 × 1495 × 0.9 = 4036.50 at 25 % → 1009.13; 600.00 at 6 % → 36.00; total 4636.50 + 1045.13 = 5681.63
    expect(text).toMatch(/Moms 25 %\s+4 036,50 SEK\s+1 009,13 SEK/);
    expect(text).toMatch(/Moms 6 %\s+600,00 SEK\s+36,00 SEK/);
    expect(text).toMatch(/Summa exkl\. moms\s+4 636,50 SEK/);
    expect(text).toMatch(/Att betala\s+5 681,63 SEK/);
    // seller (as snapshotted at issue) and buyer legal details
    expect(text).toContain('Testbolaget AB');
    expect(text).toContain('Org.nr 556677-8899');
    expect(text).toContain('Momsreg.nr SE556677889901');
    expect(text).toContain('Styrelsens säte: Stockholm');
    expect(text).toContain('Godkänd för F-skatt');
    expect(text).toContain('Bankgiro 123-4567');
    expect(text).toContain('Åkessons Järnhandel AB');
    expect(text).toContain('Momsreg.nr SE556111222201');
    expect(text.toLowerCase()).toContain('dröjsmålsränta enligt räntelagen');

    const en = await get(`/v1/invoices/${invoice.id}/pdf?lang=en`);
    expect(en.statusCode).toBe(200);
    const english = pdfText(en.rawPayload);
    expect(english).toMatch(new RegExp(`Invoice number\\s+${invoice.number}`));
    expect(english).toContain('OCR reference');
    expect(english).toContain(invoice.payment_reference);
    expect(english).toMatch(/VAT 25 %\s+4,036.50 SEK\s+1,009.13 SEK/);
    expect(english).toMatch(/VAT 6 %\s+600.00 SEK\s+36.00 SEK/);
    expect(english).toMatch(/Amount due\s+5,681.63 SEK/);
    expect(english).toContain('Registered office: Stockholm');
    expect(english).not.toContain('Faktura');

    const bad = await call('GET', `/v1/invoices/${invoice.id}/pdf?lang=de`);
    expect(bad.status).toBe(400);
  });

  it('answers 404 for an unknown invoice', async () => {
    const res = await call('GET', '/v1/invoices/inv_0000000000aaaaaaaaaaaaaaaa/pdf');
    expect(res.status).toBe(404);
  });
});
