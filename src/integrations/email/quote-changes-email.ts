/**
 * `quote.changes_requested` → an e-mail to the seller (the tenant's e-mail address) saying which quote
 * version the customer wants changed and their comment, so staff can revise it. In the seller's
 * language (Swedish for a Swedish tenant). Runs in the outbox worker, at least once.
 */
import type { OutboxHandler, OutboxLog } from '../../app/outbox/dispatch.js';
import type { Database } from '../../app/ports.js';
import { quoteDocumentData } from '../../app/quotes/quote-document.js';
import { asId } from '../../core/shared/ids.js';
import type { DocumentLanguage } from '../pdf/quote-document.js';
import { languageFor } from '../pdf/quote-mapping.js';
import type { Mailer } from './mailer.js';
import { documentEventPayload, sendEmail, unexpectedPayload } from './outbox-mail.js';

export interface ChangesRequestedPayload {
  id: string;
  number: string;
  version: number;
  comment: string;
}

function payloadOf(payload: unknown): ChangesRequestedPayload {
  const p = documentEventPayload('quote.changes_requested', payload);
  if (p.comment === undefined) throw unexpectedPayload('quote.changes_requested', payload);
  return { id: p.id, number: p.number, version: p.version, comment: p.comment };
}

export function quoteChangesEmailContent(
  p: ChangesRequestedPayload,
  customerName: string,
  language: DocumentLanguage,
): { subject: string; text: string } {
  const reference = `${p.number} v${p.version}`;
  return language === 'sv'
    ? {
        subject: `${customerName} begär ändringar i offert ${reference}`,
        text: [`${customerName} har begärt ändringar i offert ${reference} via kundportalen:`, '', p.comment, '', 'Revidera offerten och skicka en ny version.'].join('\n'),
      }
    : {
        subject: `${customerName} requests changes to quote ${reference}`,
        text: [`${customerName} has requested changes to quote ${reference} in the customer portal:`, '', p.comment, '', 'Revise the quote and send a new version.'].join('\n'),
      };
}

export function quoteChangesRequestedEmailHandler(deps: { db: Database; mailer: Mailer; log?: OutboxLog }): OutboxHandler {
  return {
    eventType: 'quote.changes_requested',
    async handle(event) {
      const payload = payloadOf(event.payload);
      const data = await deps.db.transaction(event.tenantId, (s) => quoteDocumentData(s, asId('quote', payload.id)));
      const to = data.seller.email?.trim();
      if (!to) {
        deps.log?.info({ eventId: event.id, tenantId: event.tenantId, quoteId: payload.id }, 'change request e-mail not sent: the tenant has no e-mail address');
        return;
      }
      const content = quoteChangesEmailContent(payload, data.buyer.name, languageFor(data.seller.country));
      const sent = await sendEmail(deps.mailer, to, content);
      deps.log?.info({ eventId: event.id, tenantId: event.tenantId, quoteId: payload.id, messageId: sent.messageId, via: sent.via }, 'change request e-mail sent');
    },
  };
}
