/**
 * Order e-mails, delivered by the outbox worker after the change committed (at least once):
 * - `order.confirmation_sent` → to the customer, in their language, with the order confirmation PDF
 *   and (when the worker knows PUBLIC_URL) a new portal link to confirm the order or ask for changes;
 * - `order.changes_requested` → to the seller (the tenant's e-mail), with the customer's comment.
 */
import type { OutboxHandler, OutboxLog } from '../../app/outbox/dispatch.js';
import { orderDocumentData } from '../../app/orders/order-document.js';
import type { Database } from '../../app/ports.js';
import { createDocumentLink, documentPortalPath } from '../../app/portal/document-links.js';
import type { AppDeps } from '../../app/shared/env.js';
import { asId } from '../../core/shared/ids.js';
import { formatMoney } from '../pdf/i18n.js';
import { renderOrderConfirmationPdf } from '../pdf/order-confirmation-pdf.js';
import { toOrderConfirmationDocument } from '../pdf/order-confirmation-mapping.js';
import type { DocumentLanguage, OrderConfirmationDocument } from '../pdf/order-document.js';
import { languageFor } from '../pdf/quote-mapping.js';
import type { Mailer } from './mailer.js';
import { documentEventPayload, mailerEnv, pdfAttachment, publicPortalUrl, sendEmail, signature } from './outbox-mail.js';

export interface OrderEmailContent {
  subject: string;
  text: string;
}

const reference = (doc: Pick<OrderConfirmationDocument, 'number' | 'version'>): string =>
  doc.version > 1 ? `${doc.number} version ${doc.version}` : doc.number;

/** "Orderbekräftelse SO-2026-0001 från Testbolaget AB" / "Order confirmation SO-2026-0001 from …". */
export function orderConfirmationEmailContent(doc: OrderConfirmationDocument, options: { portalUrl?: string | undefined } = {}): OrderEmailContent {
  const ref = reference(doc);
  const total = formatMoney(doc.grossTotalMinor, doc.currency, doc.language);
  const seller = doc.seller.name;
  const texts: Record<DocumentLanguage, OrderEmailContent> = {
    sv: {
      subject: `Orderbekräftelse ${ref} från ${seller}`,
      text: [
        'Hej,',
        '',
        `Tack för din order! Här kommer orderbekräftelse ${ref}.`,
        `Totalt ${total} inklusive moms. Orderbekräftelsen finns som PDF i bilagan.`,
        ...(options.portalUrl ? ['', `Se och bekräfta ordern, eller begär ändringar, här: ${options.portalUrl}`] : []),
        '',
        'Med vänliga hälsningar',
        ...signature(doc.seller),
      ].join('\n'),
    },
    en: {
      subject: `Order confirmation ${ref} from ${seller}`,
      text: [
        'Hello,',
        '',
        `Thank you for your order! Please find order confirmation ${ref}.`,
        `Total ${total} including VAT. The order confirmation is attached as a PDF.`,
        ...(options.portalUrl ? ['', `View and confirm the order, or request changes, here: ${options.portalUrl}`] : []),
        '',
        'Kind regards,',
        ...signature(doc.seller),
      ].join('\n'),
    },
  };
  return texts[doc.language];
}

export interface OrderEmailDeps {
  db: Database;
  mailer: Mailer;
  log?: OutboxLog;
  /** With it, each confirmation e-mail carries a new portal link to the order (its token exists only in the e-mail). */
  portal?: { app: AppDeps; publicUrl: string };
}

export function orderConfirmationEmailHandler(deps: OrderEmailDeps): OutboxHandler {
  return {
    eventType: 'order.confirmation_sent',
    async handle(event) {
      const payload = documentEventPayload('order.confirmation_sent', event.payload);
      const orderId = asId('order', payload.id);
      const data = await deps.db.transaction(event.tenantId, (s) => orderDocumentData(s, orderId));
      const to = data.buyer.email?.trim();
      if (!to) {
        deps.log?.info({ eventId: event.id, tenantId: event.tenantId, orderId }, 'order confirmation not sent: the customer has no e-mail address');
        return;
      }
      const doc = toOrderConfirmationDocument(data, languageFor(data.buyer.country));
      const pdf = await renderOrderConfirmationPdf(doc);
      let portalUrl: string | undefined;
      if (deps.portal) {
        const { app, publicUrl } = deps.portal;
        const env = mailerEnv(app, event.tenantId);
        const { token } = await app.db.transaction(event.tenantId, (s) => createDocumentLink(s, env, 'order', orderId));
        portalUrl = publicPortalUrl(publicUrl, documentPortalPath('order', token));
      }
      const content = orderConfirmationEmailContent(doc, { portalUrl });
      const sent = await sendEmail(deps.mailer, to, content, [pdfAttachment(`${doc.number}-v${doc.version}.pdf`, pdf)]);
      deps.log?.info({ eventId: event.id, tenantId: event.tenantId, orderId, messageId: sent.messageId, via: sent.via }, 'order confirmation e-mail sent');
    },
  };
}

export function orderChangesEmailContent(
  p: { number: string; version: number; comment: string },
  customerName: string,
  language: DocumentLanguage,
): OrderEmailContent {
  const ref = `${p.number} v${p.version}`;
  return language === 'sv'
    ? {
        subject: `${customerName} begär ändringar i order ${ref}`,
        text: [`${customerName} har begärt ändringar i order ${ref} via kundportalen:`, '', p.comment, '', 'Ändra ordern och skicka en ny orderbekräftelse.'].join('\n'),
      }
    : {
        subject: `${customerName} requests changes to order ${ref}`,
        text: [`${customerName} has requested changes to order ${ref} in the customer portal:`, '', p.comment, '', 'Amend the order and send a new order confirmation.'].join('\n'),
      };
}

export function orderChangesRequestedEmailHandler(deps: Omit<OrderEmailDeps, 'portal'>): OutboxHandler {
  return {
    eventType: 'order.changes_requested',
    async handle(event) {
      const payload = documentEventPayload('order.changes_requested', event.payload);
      const data = await deps.db.transaction(event.tenantId, (s) => orderDocumentData(s, asId('order', payload.id)));
      const to = data.seller.email?.trim();
      if (!to) {
        deps.log?.info({ eventId: event.id, tenantId: event.tenantId, orderId: payload.id }, 'order change request e-mail not sent: the tenant has no e-mail address');
        return;
      }
      const content = orderChangesEmailContent({ ...payload, comment: payload.comment ?? '' }, data.buyer.name, languageFor(data.seller.country));
      const sent = await sendEmail(deps.mailer, to, content);
      deps.log?.info({ eventId: event.id, tenantId: event.tenantId, orderId: payload.id, messageId: sent.messageId, via: sent.via }, 'order change request e-mail sent');
    },
  };
}

/** Every order e-mail handler, for the outbox worker. */
export function orderEmailHandlers(deps: OrderEmailDeps): OutboxHandler[] {
  const { portal: _portal, ...rest } = deps;
  return [orderConfirmationEmailHandler(deps), orderChangesRequestedEmailHandler(rest)];
}
