/**
 * Sending invoices and credit notes (POST …/send) through the outbox worker's handlers
 * (src/main/worker.ts) to a real in-process SMTP server: nothing before the worker runs, then exactly
 * one e-mail with the PDF and the Peppol UBL attached; with a drop folder configured the UBL file
 * appears there; a buyer without an electronic address gets the PDF only; drafts are refused (409).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/app/outbox/dispatch.js';
import { FileDropTransmitter } from '../../src/integrations/peppol/file-drop.js';
import { outboxDispatchDeps } from '../../src/main/worker.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { draftInvoiceForDeliveredOrder } from '../support/orders.js';
import { mimePart, useSmtpMailer } from '../support/smtp.js';

const textOf = (raw: string): string => mimePart(raw, 'text/plain').content.toString('utf8');
/** The Subject header, unfolded, its RFC 2047 encoded words (Q or B, UTF-8) decoded. */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return header
    .replace(/\?=\r?\n[ \t]+=\?/g, '?==?')
    .replace(/\r?\n[ \t]+/g, ' ')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'))
    .replace(/\?==\?/g, '')
    .trim();
}

const { smtp, mailer } = useSmtpMailer('faktura@testbolaget.example');

describe.each(TEST_DATABASES)('invoice and credit note e-mails [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const dropDir = mkdtempSync(join(tmpdir(), `q2c-peppol-drop-${kind}-`));
  afterAll(() => rmSync(dropDir, { recursive: true, force: true }));

  /** The worker's handlers as src/main/worker.ts registers them, with or without a drop folder. */
  const dispatch = async (withDrop = false) => {
    const transmitter = withDrop ? new FileDropTransmitter(dropDir) : undefined;
    const r = await dispatchOutbox(outboxDispatchDeps({ kysely: t.kysely, app: t.deps, transmitter }, mailer), 1000);
    expect(r.failed).toBe(0);
    return r;
  };

  let seq = 0;
  /** An issued invoice (1 × 1000.00 at 25 %) to a new customer; earlier e-mails sent and forgotten. Returns a draft too. */
  async function invoiceFor(customer: Record<string, unknown>) {
    seq += 1;
    const { customer: c, order, draft } = await draftInvoiceForDeliveredOrder(
      t,
      { currency: 'SEK', payment_terms_days: 30, address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' }, ...customer },
      [{ description: `Konsultation ${seq}`, quantity: '2', unit_price: '500.00', tax_class: 'standard' }],
    );
    const draftSend = await call('POST', `/v1/invoices/${draft.id}/send`, undefined, { 'idempotency-key': `draft-${kind}-${seq}` });
    expect(draftSend.status).toBe(409);
    expect(draftSend.body.error.code).toBe('invoice_not_issued');
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    await dispatch();
    smtp.messages.length = 0;
    return { customer: c, order, invoice };
  }

  it('sends an issued invoice once the worker runs: the PDF and the UBL attached, in Swedish', async () => {
    const { invoice } = await invoiceFor({ name: 'Åkessons Järnhandel AB', country: 'SE', org_number: '556036-0793', email: 'ekonomi@akesson.example' });
    const key = { 'idempotency-key': `send-${invoice.id}` };
    const sent = await ok('POST', `/v1/invoices/${invoice.id}/send`, undefined, key);
    expect(sent).toMatchObject({ id: invoice.id, status: 'issued', number: invoice.number });
    expect(await ok('POST', `/v1/invoices/${invoice.id}/send`, undefined, key)).toEqual(sent); // replay: no second event
    expect(smtp.messages).toHaveLength(0); // only the worker sends, after the commit
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
    const msg = smtp.messages[0]!;
    expect(msg.to).toEqual(['ekonomi@akesson.example']);
    expect(subjectOf(msg.raw)).toBe(`Faktura ${invoice.number} från Testbolaget AB`);
    const text = textOf(msg.raw);
    expect(text).toMatch(/Att betala: 1\s250,00\sSEK/);
    expect(text).toContain(`Förfallodag: ${invoice.due_date}`);
    expect(text).toContain(`OCR-nummer: ${invoice.payment_reference}`);
    expect(text).toContain('Bankgiro: 123-4567');
    const pdf = mimePart(msg.raw, 'application/pdf');
    expect(pdf.headers).toContain(`${invoice.number}.pdf`);
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const xml = mimePart(msg.raw, 'application/xml');
    expect(xml.headers).toContain(`${invoice.number}.xml`);
    const ubl = xml.content.toString('utf8');
    expect(ubl).toMatch(/<Invoice [^>]*xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/);
    expect(ubl).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);

    // the event is done: dispatching again sends nothing more
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
  });

  it('hands the UBL to the drop folder when configured, and e-mails in English', async () => {
    const { invoice } = await invoiceFor({ name: 'Müller GmbH', country: 'DE', vat_number: 'DE123456789', email: 'ap@mueller.example' });
    await ok('POST', `/v1/invoices/${invoice.id}/send`);
    const file = join(dropDir, `${invoice.number}.xml`);
    expect(existsSync(file)).toBe(false);
    await dispatch(true);
    expect(smtp.messages).toHaveLength(1);
    expect(subjectOf(smtp.messages[0]!.raw)).toBe(`Invoice ${invoice.number} from Testbolaget AB`);
    const text = textOf(smtp.messages[0]!.raw);
    expect(text).toContain(`Due date: ${invoice.due_date}`);
    expect(text).toContain(`OCR reference: ${invoice.payment_reference}`);
    expect(existsSync(file)).toBe(true);
    const dropped = readFileSync(file, 'utf8');
    expect(dropped).toContain(`<cbc:ID>${invoice.number}</cbc:ID>`);
    expect(dropped).toContain('<cbc:EndpointID schemeID="9930">DE123456789</cbc:EndpointID>');
    expect(mimePart(smtp.messages[0]!.raw, 'application/xml').content.toString('utf8')).toBe(dropped);
  });

  it('sends the PDF only when the buyer has no electronic address', async () => {
    const { invoice } = await invoiceFor({ name: 'Föreningen Utan Nummer', country: 'SE', email: 'kassor@forening.example' });
    await ok('POST', `/v1/invoices/${invoice.id}/send`);
    await dispatch(true);
    expect(smtp.messages).toHaveLength(1);
    expect(mimePart(smtp.messages[0]!.raw, 'application/pdf').content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(() => mimePart(smtp.messages[0]!.raw, 'application/xml')).toThrow();
    expect(existsSync(join(dropDir, `${invoice.number}.xml`))).toBe(false);
  });

  it('sends an issued credit note the same way; a draft credit note is refused', async () => {
    const { invoice } = await invoiceFor({ name: 'Kreditkund AB', country: 'SE', org_number: '556036-0793', email: 'ekonomi@kredit.example' });
    const draft = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'Fel antal' });
    const refused = await call('POST', `/v1/credit-notes/${draft.id}/send`, undefined, { 'idempotency-key': `cn-draft-${draft.id}` });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('invoice_not_issued');
    const note = await ok('POST', `/v1/credit-notes/${draft.id}/issue`, {});
    await dispatch();
    smtp.messages.length = 0;

    const sent = await ok('POST', `/v1/credit-notes/${note.id}/send`, undefined, { 'idempotency-key': `cn-send-${note.id}` });
    expect(sent).toMatchObject({ id: note.id, status: 'issued', number: note.number });
    expect(smtp.messages).toHaveLength(0);
    await dispatch(true);
    expect(smtp.messages).toHaveLength(1);
    const msg = smtp.messages[0]!;
    expect(msg.to).toEqual(['ekonomi@kredit.example']);
    expect(subjectOf(msg.raw)).toBe(`Kreditfaktura ${note.number} från Testbolaget AB`);
    const text = textOf(msg.raw);
    expect(text).toContain(`krediterar faktura ${invoice.number} (${invoice.issue_date})`);
    expect(text).toContain('Orsak: Fel antal');
    const pdf = mimePart(msg.raw, 'application/pdf');
    expect(pdf.headers).toContain(`${note.number}.pdf`);
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const ubl = mimePart(msg.raw, 'application/xml').content.toString('utf8');
    expect(ubl).toMatch(/<CreditNote [^>]*xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"/);
    expect(ubl).toContain(`<cbc:ID>${note.number}</cbc:ID>`);
    expect(ubl).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(readFileSync(join(dropDir, `${note.number}.xml`), 'utf8')).toBe(ubl);
  });
});
