/**
 * Payment reference settings (issue 5 part 4): a tenant chooses OCR or RF references and its OCR
 * control level in the company settings. A tenant on RF issues invoices with a valid RF reference,
 * printed in groups of four on the PDF and carried compact in the UBL PaymentID, and a payment citing
 * it in lower case with spaces is matched and applied. A tenant on hard_fixed_length 12 gets 12-digit
 * OCR references that pass that level. Bad settings are refused naming the field.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { Chain } from '../../src/app/demo/chain.js';
import { createInvoice } from '../../src/app/invoicing/create-invoice.js';
import { validateOcr } from '../../src/core/receivables/ocr.js';
import { formatRf, isRfValid, makeRfReference } from '../../src/core/receivables/rf.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { pdfPages, requirePdftotext } from '../support/pdf.js';

describe.each(TEST_DATABASES)('payment references [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);
  const get = (url: string) => t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });

  // the app (and its tenant) is shared by the tests below: each starts from the defaults
  beforeEach(async () => {
    await ok('PATCH', '/v1/settings/company', { payment_reference_kind: 'ocr', ocr_control: 'hard_variable_length', ocr_lengths: null });
  });

  /** An issued invoice of 1000.00 SEK gross (800.00 + 25 % VAT). */
  async function issuedInvoice(sku: string): Promise<any> {
    const chain = new Chain(t.deps, t.tenantId);
    const customer = await chain.customer({
      name: `Kund ${sku} AB`, paymentTermsDays: 30, orgNumber: '556036-0793', vatNumber: 'SE556036079301',
      addressLine1: 'Storgatan 3', postalCode: '722 11', city: 'Västerås',
    });
    const product = await chain.product(sku, `Vara ${sku}`, '800.00');
    const order = await chain.confirm(await chain.accept(await chain.send(await chain.quote(customer.id, [{ productId: product.id, quantity: '1' }]))));
    await chain.deliver(order);
    const draft = await chain.run((s, env) => createInvoice(s, env, { orderId: order.id }));
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(invoice.gross_total).toEqual({ amount: '1000.00', currency: 'SEK' });
    return invoice;
  }

  it('issues OCR references with length digit by default', async () => {
    const company = await ok('GET', '/v1/settings/company');
    expect(company).toMatchObject({ payment_reference_kind: 'ocr', ocr_control: 'hard_variable_length', ocr_lengths: null });
    const invoice = await issuedInvoice('OCR-1');
    expect(validateOcr(invoice.payment_reference, { level: 'hard_variable_length' })).toEqual({ valid: true });
  });

  it('issues an RF reference on an RF tenant, prints it formatted and matches a payment citing it in lower case with spaces', async () => {
    requirePdftotext();
    const company = await ok('PATCH', '/v1/settings/company', { payment_reference_kind: 'rf' });
    expect(company).toMatchObject({ payment_reference_kind: 'rf', ocr_control: 'hard_variable_length', ocr_lengths: null });

    const invoice = await issuedInvoice('RF-1');
    const ref: string = invoice.payment_reference;
    expect(ref).toMatch(/^RF\d{2}\d+$/); // stored compact
    expect(isRfValid(ref)).toBe(true);
    expect(ref).toBe(makeRfReference(invoice.number.replace(/\D/g, '')));

    const pdf = await get(`/v1/invoices/${invoice.id}/pdf?lang=en`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    const { flat } = pdfPages(pdf.rawPayload);
    const printed = formatRf(ref);
    expect(printed).toMatch(/^RF\d{2} \d{4} \d{4}/);
    expect(flat).toContain('Creditor reference (RF)');
    expect(flat).toContain(printed);
    expect(flat).not.toContain('OCR reference');

    const ubl = await get(`/v1/invoices/${invoice.id}/ubl`);
    expect(ubl.statusCode, ubl.body).toBe(200);
    expect(ubl.body).toContain(`<cbc:PaymentID>${ref}</cbc:PaymentID>`);

    const payment = await ok('POST', '/v1/payments', {
      amount: { amount: '1000.00', currency: 'SEK' },
      reference_text: `betalning ${printed.toLowerCase()}`,
      auto_apply: true,
    });
    expect(payment.matched_invoice_id).toBe(invoice.id);
    expect(payment.match_method).toBe('ocr_reference');
    const paid = await ok('GET', `/v1/invoices/${invoice.id}`);
    expect(paid.payment_status).toBe('paid');
    expect(paid.amount_due).toEqual({ amount: '0.00', currency: 'SEK' });

    // wrong check digits never match
    const other = await issuedInvoice('RF-2');
    const check = Number(other.payment_reference.slice(2, 4));
    const wrong = `RF${String(check === 98 ? 2 : check + 1).padStart(2, '0')}${other.payment_reference.slice(4)}`;
    const unmatched = await ok('POST', '/v1/payments', { amount: { amount: '1000.00', currency: 'SEK' }, reference_text: wrong });
    expect(unmatched.matched_invoice_id).toBeNull();
  });

  it('issues 12-digit OCR references on a hard_fixed_length 12 tenant', async () => {
    const company = await ok('PATCH', '/v1/settings/company', { ocr_control: 'hard_fixed_length', ocr_lengths: [12] });
    expect(company).toMatchObject({ payment_reference_kind: 'ocr', ocr_control: 'hard_fixed_length', ocr_lengths: [12] });
    expect((await ok('GET', '/v1/settings/company')).ocr_lengths).toEqual([12]);

    const invoice = await issuedInvoice('FIX-1');
    const ref: string = invoice.payment_reference;
    expect(ref).toMatch(/^\d{12}$/);
    expect(validateOcr(ref, { level: 'hard_fixed_length', lengths: [12] })).toEqual({ valid: true });
    expect(ref.replace(/^0+/, '').startsWith(invoice.number.replace(/\D/g, ''))).toBe(true);

    const payment = await ok('POST', '/v1/payments', {
      amount: { amount: '1000.00', currency: 'SEK' }, reference_text: `OCR ${ref.slice(0, 6)} ${ref.slice(6)}`,
    });
    expect(payment.matched_invoice_id).toBe(invoice.id);

    // another level clears the lengths
    const hard = await ok('PATCH', '/v1/settings/company', { ocr_control: 'hard' });
    expect(hard).toMatchObject({ ocr_control: 'hard', ocr_lengths: null });
  });

  it('refuses bad payment reference settings naming the field, changing nothing', async () => {
    const refused = async (body: Record<string, unknown>, param: RegExp) => {
      const res = await call('PATCH', '/v1/settings/company', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(res.body.error.param).toMatch(param);
      return res.body.error.message as string;
    };
    expect(await refused({ ocr_control: 'hard_fixed_length' }, /^ocr_lengths$/)).toMatch(/ocr_lengths.*required.*hard_fixed_length/);
    expect(await refused({ ocr_lengths: [12] }, /^ocr_lengths$/)).toMatch(/hard_fixed_length/);
    await refused({ ocr_control: 'hard_fixed_length', ocr_lengths: [] }, /^ocr_lengths/);
    await refused({ ocr_control: 'hard_fixed_length', ocr_lengths: [12, 14, 16] }, /^ocr_lengths/);
    await refused({ ocr_control: 'hard_fixed_length', ocr_lengths: [1] }, /^ocr_lengths/);
    await refused({ ocr_control: 'hard_fixed_length', ocr_lengths: [26] }, /^ocr_lengths/);
    await refused({ ocr_control: 'hard_fixed_length', ocr_lengths: [12.5] }, /^ocr_lengths/);
    expect(await refused({ ocr_control: 'hard_fixed_length', ocr_lengths: [6] }, /^ocr_lengths$/)).toMatch(/at least 10/);
    await refused({ ocr_control: 'medium' }, /^ocr_control$/);
    await refused({ payment_reference_kind: 'iban' }, /^payment_reference_kind$/);

    const company = await ok('GET', '/v1/settings/company');
    expect(company).toMatchObject({ payment_reference_kind: 'ocr', ocr_control: 'hard_variable_length', ocr_lengths: null });

    // two lengths are fine; then lengths alone may change while the level stays
    await ok('PATCH', '/v1/settings/company', { ocr_control: 'hard_fixed_length', ocr_lengths: [10, 12] });
    expect((await ok('PATCH', '/v1/settings/company', { ocr_lengths: [14] })).ocr_lengths).toEqual([14]);
    await refused({ ocr_lengths: null }, /^ocr_lengths$/);
  });
});
