/**
 * Cross-border VAT end to end, on every configured database: the quote line gets its treatment from
 * determineVatTreatment (buyer country, VAT number, business = org number or VAT number, goods or
 * services), the invoice carries it, and issuing posts it to its BAS revenue account without output
 * VAT.
 * - A German business (VAT number DE123456789, an org number) buying a service: AE 0 % with the
 *   reverse-charge reason, posted to 3308; the PDF says "Omvänd betalningsskyldighet" / "Reverse
 *   charge" and shows the buyer's VAT number; the UBL passes the Peppol validators.
 * - A Norwegian business buying goods: G (export) 0 %, posted to 3105.
 * - A Swedish consumer: 25 % as always, 3001 + 2611.
 * Then the ledger invariants.
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
import { assertLedgerInvariants } from '../support/invariants.js';
import { pdfText, requirePdftotext } from '../support/pdf.js';

const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/validate-ubl.sh');

interface EntryLine { account: string; debit: { amount: string }; credit: { amount: string } }

describe.each(TEST_DATABASES)('cross-border VAT from quote to ledger [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);
  const get = (url: string) => t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });
  const dir = mkdtempSync(join(tmpdir(), `q2c-cross-border-${kind}-`));
  beforeAll(() => requirePdftotext());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The journal entry an issued invoice posted, as account → [debit, credit]. */
  async function postingsOf(invoiceId: string): Promise<Record<string, [string, string]>> {
    const entries = await ok('GET', '/v1/ledger/entries?limit=100');
    const entry = (entries.data as { source_id: string; lines: EntryLine[] }[]).find((e) => e.source_id === invoiceId);
    expect(entry, `journal entry of ${invoiceId}`).toBeDefined();
    return Object.fromEntries(entry!.lines.map((l) => [l.account, [l.debit.amount, l.credit.amount]]));
  }

  /** quote → send → accept → confirm; returns the quote and the order. */
  async function quoteAndOrder(customerId: string, lines: unknown[]) {
    const quote = await ok('POST', '/v1/quotes', { customer_id: customerId, lines });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    return { quote, order };
  }

  it('reverse-charges a service to a German business: AE 0 %, 3308, no VAT, on the PDF and in a valid UBL', async () => {
    const kunde = await ok('POST', '/v1/customers', {
      name: 'Kunde GmbH', country: 'DE', currency: 'SEK', payment_terms_days: 30,
      org_number: 'HRB 12345', vat_number: 'DE123456789',
      address: { line1: 'Hauptstraße 3', postal_code: '10115', city: 'Berlin' },
    });
    const consulting = await ok('POST', '/v1/products', {
      sku: 'CONS-DE', name: 'Beratung', unit: 'HUR', tax_class: 'standard', kind: 'service',
      unit_prices: [{ amount: '1200.00', currency: 'SEK' }],
    });
    const { quote, order } = await quoteAndOrder(kunde.id, [{ product_id: consulting.id, quantity: '10' }]);
    expect(quote.lines[0]).toMatchObject({ vat_category: 'AE', vat_rate: '0' });
    const vatStep = (quote.lines[0].trail as { step: string; message: string }[]).find((s) => s.step === 'vat');
    expect(vatStep?.message).toContain('Omvänd betalningsskyldighet / Reverse charge (VATEX-EU-AE');
    expect(quote.net_total.amount).toBe('12000.00');
    expect(quote.vat_total.amount).toBe('0.00');
    expect(quote.gross_total.amount).toBe('12000.00');
    expect(order.lines[0]).toMatchObject({ vat_category: 'AE', vat_rate: '0' });

    await ok('POST', `/v1/orders/${order.id}/lines/1/complete`, { quantity: '10' });
    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(invoice.lines[0]).toMatchObject({ vat_category: 'AE', vat_rate: '0' });
    expect(invoice.vat_total.amount).toBe('0.00');
    expect(invoice.gross_total.amount).toBe('12000.00');
    expect(await postingsOf(invoice.id)).toEqual({ '1510': ['12000.00', '0.00'], '3308': ['0.00', '12000.00'] });

    const pdf = await get(`/v1/invoices/${invoice.id}/pdf?lang=sv`);
    expect(pdf.statusCode).toBe(200);
    const sv = pdfText(pdf.rawPayload);
    expect(sv).toContain('Omvänd betalningsskyldighet');
    expect(sv).toContain('DE123456789');
    const en = pdfText((await get(`/v1/invoices/${invoice.id}/pdf?lang=en`)).rawPayload);
    expect(en).toContain('Reverse charge');
    expect(en).toContain('DE123456789');

    const ubl = await get(`/v1/invoices/${invoice.id}/ubl`);
    expect(ubl.statusCode, ubl.body).toBe(200);
    const flat = ubl.body.replace(/>\s+</g, '><');
    expect(flat).toContain('<cbc:ID>AE</cbc:ID>');
    expect(flat).toContain('<cbc:TaxExemptionReasonCode>VATEX-EU-AE</cbc:TaxExemptionReasonCode>');
    expect(flat).toContain('<cbc:CompanyID>DE123456789</cbc:CompanyID>');
    const file = join(dir, `${invoice.number}.xml`);
    writeFileSync(file, ubl.body);
    expect(existsSync(VALIDATOR)).toBe(true);
    const r = spawnSync('bash', [VALIDATOR, '--quiet', file], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.status, output).toBe(0);
    expect(output).not.toMatch(/\bfatal\b/i);
  }, 180_000);

  it('exports goods to a Norwegian business (G, 3105) and charges a Swedish consumer 25 % (3001 + 2611)', async () => {
    const nordmann = await ok('POST', '/v1/customers', {
      name: 'Nordmann AS', country: 'NO', currency: 'SEK', payment_terms_days: 30, org_number: '923609016',
      address: { line1: 'Karl Johans gate 2', postal_code: '0154', city: 'Oslo' },
    });
    const drill = await ok('POST', '/v1/products', {
      sku: 'DRILL-NO', name: 'Skruvdragare', unit: 'C62', tax_class: 'standard', unit_prices: [{ amount: '1495.00', currency: 'SEK' }],
    });
    const no = await quoteAndOrder(nordmann.id, [{ product_id: drill.id, quantity: '2' }]);
    expect(no.quote.lines[0]).toMatchObject({ vat_category: 'G', vat_rate: '0' });
    expect((no.quote.lines[0].trail as { step: string; message: string }[]).find((s) => s.step === 'vat')?.message).toContain('Export / Export (VATEX-EU-G');
    const dNo = await ok('POST', `/v1/orders/${no.order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${dNo.id}/ship`, { carrier: 'Bring', tracking_number: 'BR1' });
    await ok('POST', `/v1/deliveries/${dNo.id}/deliver`, {});
    const invNo = await ok('POST', `/v1/invoices/${(await ok('POST', '/v1/invoices', { order_id: no.order.id })).id}/issue`, {});
    expect(invNo.lines[0]).toMatchObject({ vat_category: 'G', vat_rate: '0' });
    expect(invNo.gross_total.amount).toBe('2990.00');
    expect(await postingsOf(invNo.id)).toEqual({ '1510': ['2990.00', '0.00'], '3105': ['0.00', '2990.00'] });

    const svensson = await ok('POST', '/v1/customers', { name: 'Sven Svensson', country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    const se = await quoteAndOrder(svensson.id, [{ product_id: drill.id, quantity: '2' }]);
    expect(se.quote.lines[0]).toMatchObject({ vat_category: 'S', vat_rate: '25' });
    expect(se.quote.vat_total.amount).toBe('747.50');
    const dSe = await ok('POST', `/v1/orders/${se.order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${dSe.id}/ship`, { carrier: 'PostNord', tracking_number: 'PN1' });
    await ok('POST', `/v1/deliveries/${dSe.id}/deliver`, {});
    const invSe = await ok('POST', `/v1/invoices/${(await ok('POST', '/v1/invoices', { order_id: se.order.id })).id}/issue`, {});
    expect(invSe.gross_total.amount).toBe('3737.50');
    expect(await postingsOf(invSe.id)).toEqual({
      '1510': ['3737.50', '0.00'], '3001': ['0.00', '2990.00'], '2611': ['0.00', '747.50'],
    });

    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
