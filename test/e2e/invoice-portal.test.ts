/**
 * The invoice portal (issue 9): staff make a link to an issued invoice (idempotent with an
 * Idempotency-Key, 409 for a draft); the customer sees the invoice as HTML (Swedish or English, ?lang=)
 * or JSON with the right amounts, VAT, the OCR reference and the payment details, downloads the PDF,
 * and sees it paid once the payment is applied; revoked → 404, expired → 410, and another tenant's
 * ids and tokens never work.
 */
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { viewPortalInvoice } from '../../src/app/portal/invoice-portal.js';
import { fixedClock } from '../../src/app/shared/clock.js';
import { envFor } from '../../src/app/shared/env.js';
import { client } from '../api/helpers.js';
import { useTestApp } from '../support/app.js';
import { seedTenant, TEST_DATABASES } from '../support/databases.js';
import { draftInvoiceForDeliveredOrder, issuedInvoiceForDeliveredOrder } from '../support/orders.js';

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

// 8 × 1 250.00 = 10 000.00 + 25 % VAT 2 500.00, and 2 × 300.00 = 600.00 + 6 % VAT 36.00: 13 136.00
const LINES = [
  { description: 'Installation värmepump', quantity: '8', unit_price: '1250.00', tax_class: 'standard' },
  { description: 'Handbok', quantity: '2', unit_price: '300.00', tax_class: 'reduced_6' },
];

describe.each(TEST_DATABASES)('invoice portal [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const pathOf = (url: string) => new URL(url).pathname;
  const get = (url: string, headers: Record<string, string> = {}) => t.server.inject({ method: 'GET', url, headers });

  it('makes a link to an issued invoice (idempotent with a key) and shows the invoice, its payment details and PDF', async () => {
    const { invoice } = await issuedInvoiceForDeliveredOrder(t, { name: 'Fjällvärme AB', country: 'SE' }, LINES);
    expect(invoice.payment_reference).toMatch(/^\d+$/);

    const key = { 'idempotency-key': `portal-${invoice.id}` };
    const first = await call('POST', `/v1/invoices/${invoice.id}/portal-links`, undefined, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ object: 'invoice_portal_link', invoice_id: invoice.id, revoked_at: null });
    expect(first.body.url).toMatch(/\/portal\/invoices\/[A-Za-z0-9_-]{43}$/);
    // due 30 days after issue; the link lasts 90 days after that
    expect(invoice.due_date).toBe('2027-01-03');
    expect(first.body.expires_on).toBe('2027-04-03');
    const again = await call('POST', `/v1/invoices/${invoice.id}/portal-links`, undefined, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // without a key (or with another) each call is a new link
    const other = await ok('POST', `/v1/invoices/${invoice.id}/portal-links`);
    expect(other.id).not.toBe(first.body.id);
    expect(other.url).not.toBe(first.body.url);
    const stored = await t.kysely.selectFrom('document_portal_links').selectAll().where('id', '=', first.body.id).executeTakeFirstOrThrow();
    expect(stored.subject_type).toBe('invoice');
    expect(JSON.stringify(stored)).not.toContain(pathOf(first.body.url).split('/').pop());

    const path = pathOf(first.body.url);
    const page = await get(path);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const body = plain(page.body);
    expect(body).toContain('<html lang="sv">');
    expect(body).toContain(`Faktura ${invoice.number}`);
    expect(body).toContain('Testbolaget AB');
    expect(body).toContain('Fjällvärme AB');
    expect(body).toContain('Installation värmepump');
    expect(body).toContain('10 000,00 SEK');
    expect(body).toContain('2 536,00 SEK'); // VAT 2 500.00 + 36.00
    expect(body).toContain('13 136,00 SEK');
    expect(body).toContain('OCR-nummer');
    expect(body).toContain(`<strong data-testid="payment-reference">${invoice.payment_reference}</strong>`);
    expect(body).toContain('123-4567'); // the seller's bankgiro
    expect(body).toContain('Förfallodag</dt><dd>2027-01-03');
    expect(body).toContain('data-testid="invoice-status">Obetald');
    expect(body).toContain(`${path}/pdf`);

    const en = plain((await get(`${path}?lang=en`)).body);
    expect(en).toContain('<html lang="en">');
    expect(en).toContain(`Invoice ${invoice.number}`);
    expect(en).toContain('13,136.00 SEK');
    expect(en).toContain('OCR reference');
    expect(en).toContain(`${path}/pdf?lang=en`);

    const json = await get(path, { accept: 'application/json' });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({
      object: 'portal_invoice',
      number: invoice.number,
      language: 'sv',
      status: 'unpaid',
      currency: 'SEK',
      due_date: '2027-01-03',
      net_total: { amount: '10600.00', currency: 'SEK' },
      vat_total: { amount: '2536.00', currency: 'SEK' },
      payable_total: { amount: '13136.00', currency: 'SEK' },
      paid: { amount: '0.00', currency: 'SEK' },
      amount_due: { amount: '13136.00', currency: 'SEK' },
      payment: { bankgiro: '123-4567', reference_kind: 'ocr', reference: invoice.payment_reference, amount: { amount: '13136.00', currency: 'SEK' }, due_date: '2027-01-03' },
      credit_notes: [],
    });
    expect(json.json().vat_breakdown).toHaveLength(2);
    expect(json.json().lines).toHaveLength(2);

    const pdf = await get(`${path}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain(`${invoice.number}.pdf`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // viewing is recorded on the link and, once a day, in the audit trail
    const viewed = await t.kysely.selectFrom('document_portal_links').select('last_viewed_at').where('id', '=', first.body.id).executeTakeFirstOrThrow();
    expect(viewed.last_viewed_at).not.toBeNull();
    const audits = await t.kysely.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', invoice.id).execute();
    expect(audits.filter((a) => a.action === 'invoice.portal_link_created')).toHaveLength(2);
    expect(audits.filter((a) => a.action === 'invoice.portal_viewed')).toEqual([{ action: 'invoice.portal_viewed', actor: `portal:${first.body.id}` }]);

    // revoked: 404 like a token that never existed, as HTML and JSON, the PDF too; revoking twice is no error
    const revoked = await ok('POST', `/v1/invoices/${invoice.id}/portal-links/${first.body.id}/revoke`);
    expect(revoked.revoked_at).not.toBeNull();
    expect((await ok('POST', `/v1/invoices/${invoice.id}/portal-links/${first.body.id}/revoke`)).revoked_at).toBe(revoked.revoked_at);
    expect((await get(path)).statusCode).toBe(404);
    expect((await get(`${path}/pdf`)).statusCode).toBe(404);
    const gone = await get(path, { accept: 'application/json' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('not_found');
    // the other link still works
    expect((await get(pathOf(other.url))).statusCode).toBe(200);
    // a link of another invoice cannot be revoked through this one
    const { invoice: second } = await issuedInvoiceForDeliveredOrder(t, { name: 'Andra Kunden AB', country: 'SE' }, LINES);
    expect((await call('POST', `/v1/invoices/${second.id}/portal-links/${other.id}/revoke`)).status).toBe(404);
  });

  it('refuses a draft (409) and an unknown invoice (404); a wrong token is 404, an expired link 410', async () => {
    const { draft } = await draftInvoiceForDeliveredOrder(t, { name: 'Utkast AB', country: 'SE' }, LINES);
    const refused = await call('POST', `/v1/invoices/${draft.id}/portal-links`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('invoice_not_issued');
    expect((await call('POST', '/v1/invoices/inv_doesnotexist/portal-links')).status).toBe(404);
    expect((await get(`/portal/invoices/${'A'.repeat(43)}`)).statusCode).toBe(404);
    expect((await get('/portal/invoices/short')).statusCode).toBe(404);

    // an order link's token does not open the invoice portal (nor the other way round)
    const { order, invoice } = await issuedInvoiceForDeliveredOrder(t, { name: 'Blandat AB', country: 'SE' }, LINES);
    const orderToken = pathOf((await ok('POST', `/v1/orders/${order.id}/portal-links`)).url).split('/').pop()!;
    expect((await get(`/portal/invoices/${orderToken}`)).statusCode).toBe(404);
    const invoiceToken = pathOf((await ok('POST', `/v1/invoices/${invoice.id}/portal-links`)).url).split('/').pop()!;
    expect((await get(`/portal/orders/${invoiceToken}`)).statusCode).toBe(404);

    // past its last day: 410
    await t.kysely
      .updateTable('document_portal_links')
      .set({ expires_on: '2026-12-03' })
      .where('subject_type', '=', 'invoice')
      .where('subject_id', '=', invoice.id)
      .execute();
    const expired = await get(`/portal/invoices/${invoiceToken}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect((await get(`/portal/invoices/${invoiceToken}`, { accept: 'application/json' })).json().error.code).toBe('portal_link_expired');
  });

  it('shows a partly paid and then a paid invoice with what was paid', async () => {
    const { invoice } = await issuedInvoiceForDeliveredOrder(t, { name: 'Betalar AB', country: 'SE' }, LINES);
    const path = pathOf((await ok('POST', `/v1/invoices/${invoice.id}/portal-links`)).url);
    // a part payment is not applied by itself: finance applies it
    const part1 = await ok('POST', '/v1/payments', { amount: { amount: '3136.00', currency: 'SEK' }, received_on: '2026-12-04', customer_id: invoice.customer_id });
    await ok('POST', `/v1/payments/${part1.id}/apply`, { allocations: [{ invoice_id: invoice.id }] });
    const part = (await get(path, { accept: 'application/json' })).json();
    expect(part).toMatchObject({ status: 'partially_paid', paid: { amount: '3136.00' }, amount_due: { amount: '10000.00' }, payment: { amount: { amount: '10000.00' } } });
    expect(plain((await get(path)).body)).toContain('10 000,00 SEK');

    const rest = await ok('POST', '/v1/payments', { amount: { amount: '10000.00', currency: 'SEK' }, received_on: '2026-12-04', customer_id: invoice.customer_id });
    await ok('POST', `/v1/payments/${rest.id}/apply`, { allocations: [{ invoice_id: invoice.id }] });
    const paid = (await get(path, { accept: 'application/json' })).json();
    expect(paid).toMatchObject({ status: 'paid', paid: { amount: '13136.00' }, amount_due: { amount: '0.00' } });
    const page = plain((await get(path)).body);
    expect(page).toContain('Fakturan är betald. Tack!');
    expect(page).toContain('Kvar att betala</strong></dt><dd><strong data-testid="amount-due">0,00 SEK');
    expect(page).toContain('data-testid="invoice-status">Betald');
    expect(page).not.toContain('Så betalar du');
  });

  it('lists a credit note against the invoice and what is left to pay; overdue once past the due date', async () => {
    const { invoice } = await issuedInvoiceForDeliveredOrder(t, { name: 'Krediterad AB', country: 'SE' }, LINES);
    const path = pathOf((await ok('POST', `/v1/invoices/${invoice.id}/portal-links`)).url);
    // one of the two manuals credited: 300.00 + 6 % = 318.00
    const note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 2, quantity: '1' }], reason: 'Handbok saknades' });
    const issued = await ok('POST', `/v1/credit-notes/${note.id}/issue`, {});
    const view = (await get(path, { accept: 'application/json' })).json();
    expect(view).toMatchObject({
      status: 'unpaid',
      credited: { amount: '318.00' },
      paid: { amount: '0.00' },
      amount_due: { amount: '12818.00' },
      credit_notes: [{ number: issued.number, reason: 'Handbok saknades', amount: { amount: '318.00', currency: 'SEK' } }],
    });
    const page = plain((await get(path)).body);
    expect(page).toContain('Kreditnotor');
    expect(page).toContain(issued.number);
    expect(page).toContain('−318,00 SEK');

    // the same link the day after the due date: overdue
    const token = path.split('/').pop()!;
    const later = { ...envFor(t.deps, { tenantId: t.tenantId, actorId: 'test' }), clock: fixedClock(new Date('2027-01-04T10:00:00Z')) };
    const late = await t.db.transaction(t.tenantId, (s) => viewPortalInvoice(s, later, token, false));
    expect([late.status, late.amountDueMinor]).toEqual(['overdue', 1281800n]);
    const onTheDay = { ...later, clock: fixedClock(new Date('2027-01-03T10:00:00Z')) };
    expect((await t.db.transaction(t.tenantId, (s) => viewPortalInvoice(s, onTheDay, token, false))).status).toBe('unpaid');
  });

  it("never lets another tenant's key use this tenant's invoice or link ids, and tokens stay in their tenant", async () => {
    const { invoice } = await issuedInvoiceForDeliveredOrder(t, { name: 'Egen Kund AB', country: 'SE' }, LINES);
    const link = await ok('POST', `/v1/invoices/${invoice.id}/portal-links`);
    const otherTenant = await seedTenant(t.db, `ten_other_${kind}`);
    const { key } = await createApiKey(t.db, t.deps, { tenantId: otherTenant, name: 'other' });
    const asOther = (url: string, headers: Record<string, string> = {}) =>
      t.server.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, ...headers } });
    expect((await asOther(`/v1/invoices/${invoice.id}/portal-links`)).statusCode).toBe(404);
    expect((await asOther(`/v1/invoices/${invoice.id}/portal-links`, { 'idempotency-key': 'k1' })).statusCode).toBe(404);
    expect((await asOther(`/v1/invoices/${invoice.id}/portal-links/${link.id}/revoke`)).statusCode).toBe(404);
    // the link still works: the other tenant revoked nothing
    const page = await get(pathOf(link.url), { accept: 'application/json' });
    expect(page.statusCode).toBe(200);
    expect(page.json().number).toBe(invoice.number);
    // the same Idempotency-Key in this tenant gives this tenant's own link, never another tenant's
    const mine = await ok('POST', `/v1/invoices/${invoice.id}/portal-links`, undefined, { 'idempotency-key': 'k1' });
    expect((await get(pathOf(mine.url))).statusCode).toBe(200);
  });
});
