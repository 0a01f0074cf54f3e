/**
 * Invoice and credit note e-mails to the customer, delivered by the outbox worker after the send
 * committed (at least once), in the customer's language (Swedish for Swedish customers):
 * - `invoice.sent` → "Faktura 2026-0001 från Testbolaget AB" / "Invoice 2026-0001 from …" with the
 *   amount, due date, OCR reference and bankgiro (or IBAN), the invoice PDF and the Peppol BIS 3 UBL;
 * - `credit_note.sent` → "Kreditfaktura KF-2026-0001 från …" / "Credit note … from …" with the amount
 *   credited and the invoice it corrects, the PDF and the UBL credit note.
 * When the UBL cannot be produced (e.g. the buyer has no electronic address) the e-mail carries the
 * PDF only and the reason is logged. With an e-invoice transmitter configured the UBL is also handed
 * to it, before the e-mail (so a failed hand-over retries without a second e-mail; a repeated
 * hand-over replaces the same document). A customer without an e-mail address gets no e-mail: logged.
 */
import type { OutboxEventRow, OutboxHandler, OutboxLog } from '../../app/outbox/dispatch.js';
import type { EInvoiceTransmitter } from '../../app/invoicing/transmission.js';
import { creditNoteDocumentData, invoiceDocumentData } from '../../app/invoicing/send-invoice.js';
import type { PartySnapshot, TenantRecord } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { asId, type InvoiceId } from '../../core/shared/ids.js';
import { formatMoney } from '../pdf/i18n.js';
import type { DocumentLanguage } from '../pdf/invoice-document.js';
import { invoiceLanguageFor, toCreditNoteDocument, toInvoiceDocument } from '../pdf/invoice-mapping.js';
import { renderInvoicePdf } from '../pdf/invoice-pdf.js';
import { buyerEndpoint, toECreditNote, toEInvoice } from '../ubl/invoice-mapping.js';
import { toUbl } from '../ubl/ubl.js';
import type { EInvoice } from '../ubl/document.js';
import type { MailAttachment, Mailer } from './mailer.js';
import { pdfAttachment, sendEmail, signature, unexpectedPayload } from './outbox-mail.js';

export interface InvoiceEmailContent {
  subject: string;
  text: string;
}

export interface InvoiceEmailDeps {
  app: AppDeps;
  mailer: Mailer;
  log?: OutboxLog;
  /** With it, the UBL document is also handed to it (Q2C_PEPPOL_DROP_DIR → FileDropTransmitter). */
  transmitter?: EInvoiceTransmitter;
}

const xmlAttachment = (filename: string, xml: string): MailAttachment => ({
  filename,
  content: Buffer.from(xml, 'utf8'),
  contentType: 'application/xml',
});

function idOf(type: string, payload: unknown): string {
  if (typeof payload === 'object' && payload !== null && typeof (payload as Record<string, unknown>).id === 'string') {
    return (payload as { id: string }).id;
  }
  throw unexpectedPayload(type, payload);
}

const digits = (s: string): string => s.replace(/[^0-9]/g, '');

/** "123-4567" as printed on Swedish invoices (7 digits: 3-4, 8 digits: 4-4). */
function formatBankgiro(bankgiro: string): string {
  const d = digits(bankgiro);
  return d.length === 7 || d.length === 8 ? `${d.slice(0, d.length - 4)}-${d.slice(-4)}` : bankgiro.trim();
}

// ------------------------------------------------------------------ content

export interface InvoiceEmailFacts {
  language: DocumentLanguage;
  number: string;
  /** The amount to pay, formatted from this. */
  amountMinor: bigint;
  currency: string;
  dueDate: string | null;
  ocr: string | null;
  seller: Pick<PartySnapshot, 'name' | 'email' | 'bankgiro' | 'iban' | 'bic'>;
  /** Whether the UBL e-invoice is attached too. */
  withUbl: boolean;
}

/** "Faktura 2026-0001 från Testbolaget AB" / "Invoice 2026-0001 from Testbolaget AB", with what the payer needs. */
export function invoiceEmailContent(f: InvoiceEmailFacts): InvoiceEmailContent {
  const sv = f.language === 'sv';
  const amount = formatMoney(f.amountMinor, f.currency, f.language);
  const seller = { name: f.seller.name, email: f.seller.email ?? null };
  const bankgiro = f.seller.bankgiro ? formatBankgiro(f.seller.bankgiro) : null;
  const iban = f.seller.iban?.trim() || null;
  const payment: string[] = sv
    ? [
        `Att betala: ${amount}`,
        ...(f.dueDate ? [`Förfallodag: ${f.dueDate}`] : []),
        ...(f.ocr ? [`OCR-nummer: ${f.ocr}`] : []),
        ...(bankgiro ? [`Bankgiro: ${bankgiro}`] : []),
        ...(iban ? [`IBAN: ${iban}${f.seller.bic ? ` (BIC ${f.seller.bic})` : ''}`] : []),
      ]
    : [
        `Amount due: ${amount}`,
        ...(f.dueDate ? [`Due date: ${f.dueDate}`] : []),
        ...(f.ocr ? [`OCR reference: ${f.ocr}`] : []),
        ...(bankgiro ? [`Bankgiro: ${bankgiro}`] : []),
        ...(iban ? [`IBAN: ${iban}${f.seller.bic ? ` (BIC ${f.seller.bic})` : ''}`] : []),
      ];
  if (sv) {
    return {
      subject: `Faktura ${f.number} från ${f.seller.name}`,
      text: [
        'Hej,',
        '',
        `Här kommer faktura ${f.number}.`,
        '',
        ...payment,
        '',
        f.ocr ? 'Ange OCR-numret när du betalar.' : `Ange fakturanumret ${f.number} när du betalar.`,
        f.withUbl ? 'Fakturan finns som PDF och som e-faktura (Peppol BIS 3, XML) i bilagorna.' : 'Fakturan finns som PDF i bilagan.',
        '',
        'Med vänliga hälsningar',
        ...signature(seller),
      ].join('\n'),
    };
  }
  return {
    subject: `Invoice ${f.number} from ${f.seller.name}`,
    text: [
      'Hello,',
      '',
      `Please find invoice ${f.number}.`,
      '',
      ...payment,
      '',
      f.ocr ? 'Please quote the OCR reference when you pay.' : `Please quote the invoice number ${f.number} when you pay.`,
      f.withUbl ? 'The invoice is attached as a PDF and as an e-invoice (Peppol BIS 3, XML).' : 'The invoice is attached as a PDF.',
      '',
      'Kind regards,',
      ...signature(seller),
    ].join('\n'),
  };
}

export interface CreditNoteEmailFacts {
  language: DocumentLanguage;
  number: string;
  invoiceNumber: string;
  invoiceDate: string;
  amountMinor: bigint;
  currency: string;
  reason: string;
  seller: Pick<TenantRecord, 'name' | 'email'> | Pick<PartySnapshot, 'name' | 'email'>;
  withUbl: boolean;
}

/** "Kreditfaktura KF-2026-0001 från Testbolaget AB" / "Credit note KF-2026-0001 from Testbolaget AB". */
export function creditNoteEmailContent(f: CreditNoteEmailFacts): InvoiceEmailContent {
  const amount = formatMoney(f.amountMinor, f.currency, f.language);
  const seller = { name: f.seller.name, email: f.seller.email ?? null };
  if (f.language === 'sv') {
    return {
      subject: `Kreditfaktura ${f.number} från ${f.seller.name}`,
      text: [
        'Hej,',
        '',
        `Här kommer kreditfaktura ${f.number}, som krediterar faktura ${f.invoiceNumber} (${f.invoiceDate}).`,
        `Att tillgodoräkna: ${amount}`,
        `Orsak: ${f.reason}`,
        '',
        f.withUbl ? 'Kreditfakturan finns som PDF och som e-faktura (Peppol BIS 3, XML) i bilagorna.' : 'Kreditfakturan finns som PDF i bilagan.',
        '',
        'Med vänliga hälsningar',
        ...signature(seller),
      ].join('\n'),
    };
  }
  return {
    subject: `Credit note ${f.number} from ${f.seller.name}`,
    text: [
      'Hello,',
      '',
      `Please find credit note ${f.number}, crediting invoice ${f.invoiceNumber} (${f.invoiceDate}).`,
      `Amount to be credited: ${amount}`,
      `Reason: ${f.reason}`,
      '',
      f.withUbl ? 'The credit note is attached as a PDF and as an e-invoice (Peppol BIS 3, XML).' : 'The credit note is attached as a PDF.',
      '',
      'Kind regards,',
      ...signature(seller),
    ].join('\n'),
  };
}

// ------------------------------------------------------------------ handlers

/** The UBL document, or why there is none (logged by the caller). */
function ublOf(build: () => EInvoice): { xml: string; doc: EInvoice } | { error: string } {
  try {
    const doc = build();
    return { xml: toUbl(doc), doc };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

interface Prepared {
  context: Record<string, unknown>;
  to: string | undefined;
  number: string;
  invoiceId: InvoiceId;
  buyer: PartySnapshot;
  pdf: Buffer;
  ubl: { xml: string; doc: EInvoice } | { error: string };
  content: (withUbl: boolean) => InvoiceEmailContent;
}

async function deliver(deps: InvoiceEmailDeps, kind: string, p: Prepared): Promise<void> {
  const ubl = 'xml' in p.ubl ? p.ubl : undefined;
  if ('error' in p.ubl) deps.log?.warn({ ...p.context, reason: p.ubl.error }, `${kind}: no UBL e-invoice, the e-mail carries the PDF only`);
  if (deps.transmitter) {
    const receiver = buyerEndpoint(p.buyer);
    if (ubl && receiver) {
      const { transmissionId } = await deps.transmitter.send({ invoiceId: p.invoiceId, number: p.number, xml: ubl.xml, receiver });
      deps.log?.info({ ...p.context, transmissionId }, `${kind}: e-invoice handed to the transmitter`);
    } else {
      deps.log?.warn(p.context, `${kind}: not handed to the e-invoice transmitter: no UBL document`);
    }
  }
  if (!p.to) {
    deps.log?.info(p.context, `${kind} e-mail not sent: the customer has no e-mail address`);
    return;
  }
  const attachments = [pdfAttachment(`${p.number}.pdf`, p.pdf), ...(ubl ? [xmlAttachment(`${p.number}.xml`, ubl.xml)] : [])];
  const sent = await sendEmail(deps.mailer, p.to, p.content(ubl !== undefined), attachments);
  deps.log?.info({ ...p.context, messageId: sent.messageId, via: sent.via, ubl: ubl !== undefined }, `${kind} e-mail sent`);
}

export function invoiceSentEmailHandler(deps: InvoiceEmailDeps): OutboxHandler {
  return {
    eventType: 'invoice.sent',
    async handle(event: OutboxEventRow) {
      const id = asId('invoice', idOf('invoice.sent', event.payload));
      const { invoice, tenant, customer, order, orderNumbers } = await deps.app.db.transaction(event.tenantId, (s) => invoiceDocumentData(s, id));
      const context = { eventId: event.id, tenantId: event.tenantId, invoiceId: id };
      if (invoice.status !== 'issued' || invoice.number === null) throw new Error(`invoice.sent: invoice ${id} is not issued`);
      const number = invoice.number;
      const language = invoiceLanguageFor(invoice.buyer.country);
      const pdf = await renderInvoicePdf(
        toInvoiceDocument(invoice, tenant, language, {
          orderNumber: order?.number ?? null,
          lineOrderNumbers: orderNumbers ?? null,
          draftDate: deps.app.clock.today(),
        }),
      );
      const seller = invoice.seller ?? { ...tenant };
      await deliver(deps, 'invoice.sent', {
        context,
        to: customer.email?.trim() || undefined,
        number,
        invoiceId: id,
        buyer: invoice.buyer,
        pdf,
        ubl: ublOf(() => toEInvoice(invoice, tenant, customer, order, orderNumbers ?? null)),
        content: (withUbl) =>
          invoiceEmailContent({
            language,
            number,
            // decision 0010: less advances deducted; decision 0009: plus the öre rounding
            amountMinor: invoice.grossTotalMinor + (invoice.roundingMinor ?? 0n) - (invoice.prepaidMinor ?? 0n),
            currency: invoice.currency,
            dueDate: invoice.dueDate,
            ocr: invoice.paymentReference,
            seller,
            withUbl,
          }),
      });
    },
  };
}

export function creditNoteSentEmailHandler(deps: InvoiceEmailDeps): OutboxHandler {
  return {
    eventType: 'credit_note.sent',
    async handle(event: OutboxEventRow) {
      const id = asId('creditNote', idOf('credit_note.sent', event.payload));
      const { note, invoice, tenant, customer, order } = await deps.app.db.transaction(event.tenantId, (s) => creditNoteDocumentData(s, id));
      const context = { eventId: event.id, tenantId: event.tenantId, creditNoteId: id };
      if (note.status !== 'issued' || note.number === null) throw new Error(`credit_note.sent: credit note ${id} is not issued`);
      if (invoice.number === null || invoice.issueDate === null) throw new Error(`credit_note.sent: invoice ${invoice.id} is not issued`);
      const number = note.number;
      const invoiceNumber = invoice.number;
      const invoiceDate = invoice.issueDate;
      const language = invoiceLanguageFor(note.buyer.country);
      const pdf = await renderInvoicePdf(
        toCreditNoteDocument(note, invoice, tenant, language, { orderNumber: order?.number ?? null, draftDate: deps.app.clock.today() }),
      );
      const seller = note.seller ?? tenant;
      await deliver(deps, 'credit_note.sent', {
        context,
        to: customer.email?.trim() || undefined,
        number,
        // the port names documents by invoice id; a credit note is traced by the invoice it corrects
        invoiceId: note.invoiceId,
        buyer: note.buyer,
        pdf,
        ubl: ublOf(() => toECreditNote(note, invoice, tenant, customer, order)),
        content: (withUbl) =>
          creditNoteEmailContent({
            language,
            number,
            invoiceNumber,
            invoiceDate,
            amountMinor: note.grossTotalMinor,
            currency: note.currency,
            reason: note.reason,
            seller,
            withUbl,
          }),
      });
    },
  };
}

/** Both handlers, for the outbox worker. */
export function invoiceEmailHandlers(deps: InvoiceEmailDeps): OutboxHandler[] {
  return [invoiceSentEmailHandler(deps), creditNoteSentEmailHandler(deps)];
}
