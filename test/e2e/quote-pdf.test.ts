/**
 * GET /v1/quotes/{id}/pdf: the quote version as a PDF whose text (read back with pdftotext from
 * poppler-utils) has the number and version, the lines, the VAT summary and the totals, in the
 * customer's language or the one asked for.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { pdfText } from '../support/pdf.js';

describe.each(TEST_DATABASES)('quote PDF over HTTP [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  it('renders the sent version in Swedish for a Swedish customer, and in English on request', async () => {
    const customer = await ok('POST', '/v1/customers', {
      name: 'Åkessons Järnhandel AB', country: 'SE', currency: 'SEK', org_number: '556111-2222',
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [
        { description: 'Skruvdragare 18 V', quantity: '3', unit_price: '1495.00', tax_class: 'standard', discount_percent: '10' },
        { description: 'Handbok i bokföring', quantity: '2', unit_price: '300.00', tax_class: 'reduced_6' },
      ],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);

    const sv = await t.server.inject({ method: 'GET', url: `/v1/quotes/${quote.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(sv.statusCode).toBe(200);
    expect(sv.headers['content-type']).toBe('application/pdf');
    expect(sv.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(sv.rawPayload);
    expect(text).toContain(`${quote.number} v1`);
    expect(text).toContain('Offert');
    expect(text).toContain('Skruvdragare 18 V');
    expect(text).toContain('Handbok i bokföring');
    // 3 × 1495 × 0.9 = 4036.50 at 25 % → 1009.13; 600.00 at 6 % → 36.00; total 4636.50 + 1045.13 = 5681.63
    expect(text).toMatch(/Moms 25\s?%/);
    expect(text).toContain('1 009,13');
    expect(text).toContain('36,00');
    expect(text).toContain('5 681,63');
    expect(text).toContain('Åkessons Järnhandel AB');
    expect(text).toContain('Testbolaget AB');

    const en = await t.server.inject({ method: 'GET', url: `/v1/quotes/${quote.id}/pdf?lang=en`, headers: { authorization: `Bearer ${t.apiKey}` } });
    const english = pdfText(en.rawPayload);
    expect(english).toContain('Quote');
    expect(english).toMatch(/VAT 25\s?%/);
    expect(english).toContain('5,681.63');
    expect(english).not.toContain('Offert');
  });

  it('shows optional lines and the quote-level discount, and the diff shows a changed quote discount', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Tillvalskund AB', country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      discount: { percent: '5' },
      lines: [
        { description: 'Grundpaket', quantity: '1', unit_price: '10000.00', tax_class: 'standard' },
        { description: 'Extra garanti', quantity: '1', unit_price: '2000.00', tax_class: 'standard', optional: true },
      ],
    });
    // 10 000 − 5 % = 9 500 net; the optional line is not in the totals
    expect(quote.net_total).toEqual({ amount: '9500.00', currency: 'SEK' });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const res = await t.server.inject({ method: 'GET', url: `/v1/quotes/${quote.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode, res.body).toBe(200);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Extra garanti');
    expect(text).toContain('Tillval – ej valt');
    expect(text).toContain('500,00');
    expect(text).toContain('11 875,00');

    const v2 = await ok('POST', `/v1/quotes/${quote.id}/revise`);
    await ok('PATCH', `/v1/quotes/${v2.id}`, { discount: { percent: '8' } });
    const diff = await ok('GET', `/v1/quotes/${v2.id}/diff`);
    expect(diff.header).toEqual([{ field: 'quote_discount', from: '5 %', to: '8 %' }]);
    expect(diff.changed).toEqual([]);
    expect(diff.totals.net_to).toEqual({ amount: '9200.00', currency: 'SEK' });
  });

  it('answers 404 for an unknown quote', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/v1/quotes/qte_00000000000000000000000000/pdf', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode).toBe(404);
  });
});
