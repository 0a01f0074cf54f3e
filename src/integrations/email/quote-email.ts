/**
 * `quote.sent` → an e-mail to the customer with the quote PDF attached, in the customer's language.
 * Runs in the outbox worker after the send committed (app/outbox/dispatch.ts): at least once, so a
 * customer may in rare cases (a crash between sending and marking) receive the same quote twice.
 */
import type { OutboxHandler, OutboxLog } from '../../app/outbox/dispatch.js';
import type { Database } from '../../app/ports.js';
import { quoteDocumentData } from '../../app/quotes/quote-document.js';
import { asId } from '../../core/shared/ids.js';
import { formatMoney } from '../pdf/i18n.js';
import { languageFor, toQuoteDocument } from '../pdf/quote-mapping.js';
import type { DocumentLanguage, QuoteDocument } from '../pdf/quote-document.js';
import { quoteReference, renderQuotePdf } from '../pdf/quote-pdf.js';
import type { Mailer } from './mailer.js';
import { documentEventPayload, mailerEnv, pdfAttachment, publicPortalUrl, sendEmail, signature } from './outbox-mail.js';
import type { AppDeps } from '../../app/shared/env.js';
import { createPortalLink } from '../../app/portal/create-portal-link.js';

export interface QuoteEmailContent {
  subject: string;
  text: string;
}

export interface QuoteEmailOptions {
  /** The customer portal's link to this version: the text invites the customer to view and accept it there. */
  portalUrl?: string | undefined;
}

/** Subject and plain-text body: "Offert Q-2026-0001 v1 från Testbolaget AB" / "Quote Q-2026-0001 v1 from …". */
export function quoteEmailContent(doc: QuoteDocument, options: QuoteEmailOptions = {}): QuoteEmailContent {
  const reference = quoteReference(doc);
  const total = formatMoney(doc.grossTotalMinor, doc.currency, doc.language);
  const seller = doc.seller.name;
  const texts: Record<DocumentLanguage, QuoteEmailContent> = {
    sv: {
      subject: `Offert ${reference} från ${seller}`,
      text: [
        'Hej,',
        '',
        `Här kommer vår offert ${reference}.`,
        `Totalt ${total} inklusive moms. Offerten gäller till och med ${doc.validUntil}.`,
        'Offerten finns som PDF i bilagan.',
        ...(options.portalUrl ? ['', `Se, välj tillval och godkänn offerten här: ${options.portalUrl}`] : []),
        '',
        'Med vänliga hälsningar',
        ...signature(doc.seller),
      ].join('\n'),
    },
    en: {
      subject: `Quote ${reference} from ${seller}`,
      text: [
        'Hello,',
        '',
        `Please find our quote ${reference}.`,
        `Total ${total} including VAT. The quote is valid until ${doc.validUntil}.`,
        'The quote is attached as a PDF.',
        ...(options.portalUrl ? ['', `View the quote, choose options and accept it here: ${options.portalUrl}`] : []),
        '',
        'Kind regards,',
        ...signature(doc.seller),
      ].join('\n'),
    },
  };
  return texts[doc.language];
}

export interface QuoteSentEmailDeps {
  db: Database;
  mailer: Mailer;
  log?: OutboxLog;
  /** With it, each e-mail carries a new portal link to the version (its token exists only in the e-mail). */
  portal?: { app: AppDeps; publicUrl: string };
}

export function quoteSentEmailHandler(deps: QuoteSentEmailDeps): OutboxHandler {
  return {
    eventType: 'quote.sent',
    async handle(event) {
      const payload = documentEventPayload('quote.sent', event.payload);
      const data = await deps.db.transaction(event.tenantId, (s) => quoteDocumentData(s, asId('quote', payload.id)));
      const to = data.buyer.email?.trim();
      if (!to) {
        deps.log?.info(
          { eventId: event.id, tenantId: event.tenantId, quoteId: payload.id, customerId: data.buyer.id },
          'quote e-mail not sent: the customer has no e-mail address',
        );
        return;
      }
      if (data.quote.status !== 'sent') {
        // accepted, declined or superseded before the mail went out: the customer already moved on
        deps.log?.info({ eventId: event.id, quoteId: payload.id, status: data.quote.status }, 'quote e-mail not sent: the version is no longer sent');
        return;
      }
      const doc = toQuoteDocument(data, languageFor(data.buyer.country));
      const pdf = await renderQuotePdf(doc);
      let portalUrl: string | undefined;
      if (deps.portal) {
        const { app, publicUrl } = deps.portal;
        const env = mailerEnv(app, event.tenantId);
        const { token } = await app.db.transaction(event.tenantId, (s) => createPortalLink(s, env, asId('quote', payload.id)));
        portalUrl = publicPortalUrl(publicUrl, `/portal/quotes/${token}`);
      }
      const content = quoteEmailContent(doc, { portalUrl });
      const sent = await sendEmail(deps.mailer, to, content, [pdfAttachment(`${doc.number}-v${doc.version}.pdf`, pdf)]);
      deps.log?.info({ eventId: event.id, tenantId: event.tenantId, quoteId: payload.id, messageId: sent.messageId, via: sent.via }, 'quote e-mail sent');
    },
  };
}
