/**
 * GET /v1/invoices/{id}/ubl: an issued invoice as a Peppol BIS Billing 3.0 UBL document that the
 * official validators (UBL 2.1 XSD, EN 16931 and Peppol BIS 3 schematron, via validate-ubl.sh) accept,
 * with the invoice's own figures: a 25 % + 6 % invoice with a line discount, and a partial invoice of
 * a line with an amount discount whose pro-rata net is reproduced exactly. A draft is 409, a buyer
 * without an electronic address 422.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/validate-ubl.sh');

/** The text of every `<cbc:name …>` element, in document order. */
function all(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<cbc:${name}(?: [^>]*)?>([^<]*)</cbc:${name}>`, 'g'))].map((m) => m[1] ?? '');
}

/** The `<cac:InvoiceLine>` blocks. */
function invoiceLines(xml: string): string[] {
  return [...xml.matchAll(/<cac:InvoiceLine>([\s\S]*?)<\/cac:InvoiceLine>/g)].map((m) => m[1] ?? '');
}

describe.each(TEST_DATABASES)('invoice UBL over HTTP [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const get = (url: string) => t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });
  const dir = mkdtempSync(join(tmpdir(), `q2c-invoice-ubl-${kind}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function customer(name: string, extra: Record<string, unknown>) {
    return ok('POST', '/v1/customers', {
      name, country: 'SE', currency: 'SEK', payment_terms_days: 30,
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' }, ...extra,
    });
  }

  /** quote → send → accept → confirm; returns the order. */
  async function order(customerId: string, lines: unknown[]) {
    const quote = await ok('POST', '/v1/quotes', { customer_id: customerId, lines });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const o = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${o.id}/confirm`);
    return o;
  }

  /** Ships and delivers (all that is open, or the given lines) and drafts the invoice. */
  async function deliverAndDraft(orderId: string, lines?: { order_line_no: number; quantity: string }[]) {
    const delivery = await ok('POST', `/v1/orders/${orderId}/deliveries`, lines === undefined ? {} : { lines });
    await ok('POST', `/v1/deliveries/${delivery.id}/ship`, { carrier: 'PostNord', tracking_number: `PN-${delivery.id}` });
    await ok('POST', `/v1/deliveries/${delivery.id}/deliver`, {});
    return ok('POST', '/v1/invoices', { order_id: orderId });
  }

  it('serves valid Peppol BIS 3 documents with the invoices\' own figures; 409 for a draft', async () => {
    const akesson = await customer('Åkessons Järnhandel AB', { org_number: '556036-0793', vat_number: 'SE556036079301' });

    // invoice A: 25 % with a 10 % line discount and 6 %
    const orderA = await order(akesson.id, [
      { description: 'Skruvdragare 18 V', quantity: '3', unit_price: '1495.00', tax_class: 'standard', discount_percent: '10' },
      { description: 'Handbok i bokföring', quantity: '2', unit_price: '300.00', tax_class: 'reduced_6' },
    ]);
    const draftA = await deliverAndDraft(orderA.id);
    const draftRes = await call('GET', `/v1/invoices/${draftA.id}/ubl`);
    expect(draftRes.status).toBe(409);
    expect(draftRes.body.error.code).toBe('invoice_not_issued');
    const invA = await ok('POST', `/v1/invoices/${draftA.id}/issue`, {});

    // invoice B: 2 of 7 of a line with an amount discount (pro rata), at 25 %
    const orderB = await order(akesson.id, [
      { description: 'Hyllsystem, sektion', quantity: '7', unit_price: '99.99', tax_class: 'standard', discount: { amount: '100.00' } },
    ]);
    const invB = await ok('POST', `/v1/invoices/${(await deliverAndDraft(orderB.id, [{ order_line_no: 1, quantity: '2' }])).id}/issue`, {});
    expect(invB.lines[0].quantity).toBe('2');

    const files: string[] = [];
    for (const [inv, ord] of [[invA, orderA], [invB, orderB]] as const) {
      const res = await get(`/v1/invoices/${inv.id}/ubl`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/xml/);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${inv.number}.xml"`);
      const xml = res.body;
      const flat = xml.replace(/>\s+</g, '><');
      expect(xml.startsWith('<?xml')).toBe(true);
      expect(all(xml, 'ID')[0]).toBe(inv.number);
      expect(all(xml, 'IssueDate')).toEqual([inv.issue_date]);
      expect(all(xml, 'DueDate')).toEqual([inv.due_date]);
      expect(all(xml, 'BuyerReference')).toEqual([ord.number]);
      expect(flat).toContain(`<cac:OrderReference><cbc:ID>${ord.number}</cbc:ID></cac:OrderReference>`);
      expect(flat).toContain('<cbc:EndpointID schemeID="0007">5566778899</cbc:EndpointID>');
      expect(flat).toContain('<cbc:EndpointID schemeID="0007">5560360793</cbc:EndpointID>');
      expect(flat).toContain('<cbc:CompanyID>SE556677889901</cbc:CompanyID>');
      expect(flat).toContain('<cbc:CompanyID>Godkänd för F-skatt</cbc:CompanyID>');
      expect(all(xml, 'PaymentID')).toEqual([inv.payment_reference]);
      expect(flat).toMatch(/<cac:PayeeFinancialAccount><cbc:ID>1234567<\/cbc:ID><cac:FinancialInstitutionBranch><cbc:ID>SE:BANKGIRO<\/cbc:ID>/);
      // the stored figures, line by line and in total
      const lines = invoiceLines(xml);
      expect(lines.length).toBe(inv.lines.length);
      lines.forEach((l, i) => expect(all(l, 'LineExtensionAmount'), `line ${i + 1}`).toEqual([inv.lines[i].net_amount.amount]));
      expect(all(xml, 'TaxExclusiveAmount')).toEqual([inv.net_total.amount]);
      expect(all(xml, 'PayableAmount')).toEqual([inv.gross_total.amount]);
      const file = join(dir, `${inv.number}.xml`);
      writeFileSync(file, xml);
      files.push(file);
    }

    // A: 3 × 1495.00 − 448.50 = 4036.50 at 25 % → 1009.13; 600.00 at 6 % → 36.00
    const xmlA = (await get(`/v1/invoices/${invA.id}/ubl`)).body.replace(/>\s+</g, '><');
    expect(invA.gross_total.amount).toBe('5681.63');
    expect(xmlA).toMatch(/<cbc:AllowanceChargeReasonCode>95<\/cbc:AllowanceChargeReasonCode><cbc:AllowanceChargeReason>Rabatt<\/cbc:AllowanceChargeReason><cbc:Amount currencyID="SEK">448.50<\/cbc:Amount>/);
    expect(all(xmlA, 'TaxAmount')).toContain('1009.13');
    expect(all(xmlA, 'TaxAmount')).toContain('36.00');
    // B: the line's pro-rata net (2/7 of 599.93 = 171.41) is 2 × 99.99 less an allowance of exactly the difference
    const xmlB = (await get(`/v1/invoices/${invB.id}/ubl`)).body;
    expect(invB.lines[0].net_amount.amount).toBe('171.41');
    expect(all(xmlB, 'PriceAmount')).toEqual(['99.99']);
    expect(all(xmlB, 'Amount')).toEqual(['28.57']);

    expect(existsSync(VALIDATOR)).toBe(true);
    const r = spawnSync('bash', [VALIDATOR, '--quiet', ...files], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.status, output).toBe(0);
    expect(output).not.toMatch(/\bfatal\b/i);
  }, 180_000);

  it('answers 422 when the buyer has no electronic address, 404 for an unknown invoice', async () => {
    const nobody = await customer('Föreningen Utan Nummer', {});
    const o = await order(nobody.id, [{ description: 'Konsultation', quantity: '1', unit_price: '1000.00', tax_class: 'standard' }]);
    const inv = await ok('POST', `/v1/invoices/${(await deliverAndDraft(o.id)).id}/issue`, {});
    const res = await call('GET', `/v1/invoices/${inv.id}/ubl`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable');
    expect(res.body.error.message).toContain('the buyer has no electronic address (org.nr or VAT number) for an e-invoice');

    const unknown = await call('GET', '/v1/invoices/inv_0000000000aaaaaaaaaaaaaaaa/ubl');
    expect(unknown.status).toBe(404);
  });
});
