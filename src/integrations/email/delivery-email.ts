/**
 * Delivery and claim e-mails to the customer, delivered by the outbox worker after the change
 * committed (at least once), in the customer's language:
 * - `delivery.delivered` → "your delivery DN-… has been delivered", with the delivery note PDF and
 *   (when the worker knows PUBLIC_URL) a new delivery portal link, valid until the last day of the
 *   tenant's review window, to confirm receipt or report a problem. Sent for every kind of delivery;
 * - `claim.rejected` → the claim and delivery numbers and the rejection reason;
 * - `claim.resolved` → how the claim was put right, from the claim's resolutions as stored.
 * A customer without an e-mail address gets nothing: logged and skipped, the event is done.
 */
import { reviewDeadline } from '../../core/claims/claims.js';
import { compareDates } from '../../core/shared/dates.js';
import { asId } from '../../core/shared/ids.js';
import { deliveryNoteData } from '../../app/fulfilment/delivery-note.js';
import type { OutboxEventRow, OutboxHandler, OutboxLog } from '../../app/outbox/dispatch.js';
import type { ClaimRecord, ClaimResolutionRecord, CustomerRecord, DeliveryRecord, OrderRecord, TenantRecord } from '../../app/ports.js';
import { createDocumentLink, documentPortalPath } from '../../app/portal/document-links.js';
import type { AppDeps } from '../../app/shared/env.js';
import { toDeliveryNoteDocument } from '../pdf/delivery-note-mapping.js';
import { renderDeliveryNotePdf } from '../pdf/delivery-note-pdf.js';
import { formatMoney, formatQuantity, unitLabel } from '../pdf/i18n.js';
import type { DocumentLanguage } from '../pdf/order-document.js';
import { languageFor } from '../pdf/quote-mapping.js';
import type { Mailer } from './mailer.js';
import { mailerEnv, pdfAttachment, publicPortalUrl, sendEmail, signature, unexpectedPayload } from './outbox-mail.js';

export interface DeliveryEmailContent {
  subject: string;
  text: string;
}

export interface DeliveryEmailDeps {
  app: AppDeps;
  mailer: Mailer;
  log?: OutboxLog;
  /** With it, each delivery e-mail carries a new delivery portal link (its token exists only in the e-mail). */
  publicUrl?: string;
}

function idOf(type: string, payload: unknown): string {
  if (typeof payload === 'object' && payload !== null && typeof (payload as Record<string, unknown>).id === 'string') {
    return (payload as { id: string }).id;
  }
  throw unexpectedPayload(type, payload);
}

// ------------------------------------------------------------------ delivery.delivered

export interface DeliveredEmailFacts {
  language: DocumentLanguage;
  deliveryNumber: string;
  orderNumber: string;
  deliveredOn: string | null;
  seller: Pick<TenantRecord, 'name' | 'email'>;
  /** The portal link, and the last day problems can be reported through it. */
  portal?: { url: string; reviewDeadline: string; reviewWindowDays: number } | undefined;
}

/** "Leverans DN-2026-0001 har levererats" / "Your delivery DN-2026-0001 has been delivered". */
export function deliveredEmailContent(f: DeliveredEmailFacts): DeliveryEmailContent {
  if (f.language === 'sv') {
    return {
      subject: `Din leverans ${f.deliveryNumber} har levererats`,
      text: [
        'Hej,',
        '',
        `Din leverans ${f.deliveryNumber} (order ${f.orderNumber}) har levererats${f.deliveredOn ? ` ${f.deliveredOn}` : ''}.`,
        'Följesedeln finns som PDF i bilagan.',
        ...(f.portal
          ? [
              '',
              `Bekräfta mottagandet, eller rapportera ett problem inom ${f.portal.reviewWindowDays} dagar (senast ${f.portal.reviewDeadline}), här:`,
              f.portal.url,
            ]
          : []),
        '',
        'Med vänliga hälsningar',
        ...signature(f.seller),
      ].join('\n'),
    };
  }
  return {
    subject: `Your delivery ${f.deliveryNumber} has been delivered`,
    text: [
      'Hello,',
      '',
      `Your delivery ${f.deliveryNumber} (order ${f.orderNumber}) has been delivered${f.deliveredOn ? ` on ${f.deliveredOn}` : ''}.`,
      'The delivery note is attached as a PDF.',
      ...(f.portal
        ? [
            '',
            `Please confirm receipt, or report a problem within ${f.portal.reviewWindowDays} days (by ${f.portal.reviewDeadline}), here:`,
            f.portal.url,
          ]
        : []),
      '',
      'Kind regards,',
      ...signature(f.seller),
    ].join('\n'),
  };
}

export function deliveryDeliveredEmailHandler(deps: DeliveryEmailDeps): OutboxHandler {
  return {
    eventType: 'delivery.delivered',
    async handle(event) {
      const deliveryId = asId('delivery', idOf('delivery.delivered', event.payload));
      const { app } = deps;
      const env = mailerEnv(app, event.tenantId);
      const data = await app.db.transaction(event.tenantId, (s) => deliveryNoteData(s, env, deliveryId));
      const context = { eventId: event.id, tenantId: event.tenantId, deliveryId };
      if (data.delivery.status !== 'delivered') {
        deps.log?.info({ ...context, status: data.delivery.status }, 'delivery e-mail not sent: the delivery is no longer delivered');
        return;
      }
      const to = data.buyer.email?.trim();
      if (!to) {
        deps.log?.info(context, 'delivery e-mail not sent: the customer has no e-mail address');
        return;
      }
      const language = languageFor(data.buyer.country);
      const doc = toDeliveryNoteDocument(data, language);
      const pdf = await renderDeliveryNotePdf(doc);

      let portal: DeliveredEmailFacts['portal'];
      const deliveredOn = data.delivery.deliveredOn;
      if (deps.publicUrl && deliveredOn !== null) {
        const deadline = reviewDeadline(deliveredOn, data.seller.reviewWindowDays);
        // A link that would already have expired (the worker was far behind) is not worth sending.
        if (compareDates(env.clock.today(), deadline) <= 0) {
          const { token } = await app.db.transaction(event.tenantId, (s) => createDocumentLink(s, env, 'delivery', deliveryId, deadline));
          portal = {
            url: publicPortalUrl(deps.publicUrl, documentPortalPath('delivery', token)),
            reviewDeadline: deadline,
            reviewWindowDays: data.seller.reviewWindowDays,
          };
        }
      }
      const content = deliveredEmailContent({
        language,
        deliveryNumber: data.delivery.number,
        orderNumber: data.order.number,
        deliveredOn,
        seller: data.seller,
        portal,
      });
      const sent = await sendEmail(deps.mailer, to, content, [pdfAttachment(`${data.delivery.number}.pdf`, pdf)]);
      deps.log?.info({ ...context, messageId: sent.messageId, via: sent.via }, 'delivery e-mail sent');
    },
  };
}

// ------------------------------------------------------------------ claims

interface ClaimFacts {
  claim: ClaimRecord;
  delivery: DeliveryRecord;
  order: OrderRecord;
  buyer: CustomerRecord;
  seller: TenantRecord;
}

async function claimFacts(app: AppDeps, event: OutboxEventRow): Promise<ClaimFacts> {
  const claimId = asId('claim', idOf(event.eventType, event.payload));
  return app.db.transaction(event.tenantId, async (s) => {
    const claim = await s.claims.get(claimId);
    if (!claim) throw new Error(`${event.eventType}: claim ${claimId} not found`);
    const delivery = await s.deliveries.get(claim.deliveryId);
    if (!delivery) throw new Error(`${event.eventType}: delivery ${claim.deliveryId} not found`);
    const order = await s.orders.get(claim.orderId);
    if (!order) throw new Error(`${event.eventType}: order ${claim.orderId} not found`);
    const buyer = await s.customers.get(order.customerId);
    if (!buyer) throw new Error(`${event.eventType}: customer ${order.customerId} not found`);
    const seller = await s.tenant.get();
    if (!seller) throw new Error(`${event.eventType}: tenant ${event.tenantId} not found`);
    return { claim, delivery, order, buyer, seller };
  });
}

/** "Reklamation CLM-2026-0001 har avslagits" / "Claim CLM-2026-0001 has been rejected", with the reason. */
export function claimRejectedEmailContent(
  f: { language: DocumentLanguage; claimNumber: string; deliveryNumber: string; reason: string; seller: Pick<TenantRecord, 'name' | 'email'> },
): DeliveryEmailContent {
  if (f.language === 'sv') {
    return {
      subject: `Reklamation ${f.claimNumber} har avslagits`,
      text: [
        'Hej,',
        '',
        `Vi har gått igenom din reklamation ${f.claimNumber} av leverans ${f.deliveryNumber} och kan tyvärr inte godkänna den.`,
        '',
        'Skäl:',
        f.reason,
        '',
        'Hör av dig till oss om du har frågor.',
        '',
        'Med vänliga hälsningar',
        ...signature(f.seller),
      ].join('\n'),
    };
  }
  return {
    subject: `Claim ${f.claimNumber} has been rejected`,
    text: [
      'Hello,',
      '',
      `We have reviewed your claim ${f.claimNumber} on delivery ${f.deliveryNumber} and are unfortunately unable to accept it.`,
      '',
      'Reason:',
      f.reason,
      '',
      'Please contact us if you have any questions.',
      '',
      'Kind regards,',
      ...signature(f.seller),
    ].join('\n'),
  };
}

/** One line per resolution: "Replacement sent: 2 pcs", "Price concession: 150.00 SEK excl. VAT". */
export function resolutionText(r: ClaimResolutionRecord, unit: string, lang: DocumentLanguage): string {
  const sv = lang === 'sv';
  const qty = (q: Parameters<typeof formatQuantity>[0]) => `${formatQuantity(q, lang)} ${unitLabel(unit, lang)}`;
  switch (r.kind) {
    case 'replacement':
      return sv ? `Ersättningsvara skickad: ${qty(r.quantity)}` : `Replacement sent: ${qty(r.quantity)}`;
    case 'return': {
      const received = r.received?.quantity ?? r.quantity;
      return sv ? `Retur mottagen (${qty(received)}) och kreditering begärd` : `Return received (${qty(received)}) and credit requested`;
    }
    case 'credit':
      return sv ? `Kreditering begärd: ${qty(r.quantity)}` : `Credit requested: ${qty(r.quantity)}`;
    case 'price_concession': {
      const amount = formatMoney(r.amount.minor, r.amount.currency, lang);
      return sv ? `Prisavdrag: ${amount} exklusive moms` : `Price concession: ${amount} excluding VAT`;
    }
  }
}

export function claimResolvedEmailContent(
  f: { language: DocumentLanguage; claimNumber: string; deliveryNumber: string; resolutions: string[]; seller: Pick<TenantRecord, 'name' | 'email'> },
): DeliveryEmailContent {
  const list = f.resolutions.map((r) => `- ${r}`);
  if (f.language === 'sv') {
    return {
      subject: `Reklamation ${f.claimNumber} är åtgärdad`,
      text: [
        'Hej,',
        '',
        `Din reklamation ${f.claimNumber} av leverans ${f.deliveryNumber} är åtgärdad:`,
        ...list,
        '',
        'Med vänliga hälsningar',
        ...signature(f.seller),
      ].join('\n'),
    };
  }
  return {
    subject: `Claim ${f.claimNumber} has been resolved`,
    text: [
      'Hello,',
      '',
      `Your claim ${f.claimNumber} on delivery ${f.deliveryNumber} has been resolved:`,
      ...list,
      '',
      'Kind regards,',
      ...signature(f.seller),
    ].join('\n'),
  };
}

function claimHandler(
  deps: DeliveryEmailDeps,
  eventType: 'claim.rejected' | 'claim.resolved',
  content: (f: ClaimFacts, language: DocumentLanguage, event: OutboxEventRow) => DeliveryEmailContent,
): OutboxHandler {
  return {
    eventType,
    async handle(event) {
      const facts = await claimFacts(deps.app, event);
      const context = { eventId: event.id, tenantId: event.tenantId, claimId: facts.claim.id };
      const to = facts.buyer.email?.trim();
      if (!to) {
        deps.log?.info(context, `${eventType} e-mail not sent: the customer has no e-mail address`);
        return;
      }
      const c = content(facts, languageFor(facts.buyer.country), event);
      const sent = await sendEmail(deps.mailer, to, c);
      deps.log?.info({ ...context, messageId: sent.messageId, via: sent.via }, `${eventType} e-mail sent`);
    },
  };
}

export function claimRejectedEmailHandler(deps: DeliveryEmailDeps): OutboxHandler {
  return claimHandler(deps, 'claim.rejected', (f, language, event) => {
    const fromPayload = (event.payload as { rejection_reason?: unknown }).rejection_reason;
    const reason = f.claim.rejectionReason ?? (typeof fromPayload === 'string' ? fromPayload : '');
    return claimRejectedEmailContent({ language, claimNumber: f.claim.number, deliveryNumber: f.delivery.number, reason, seller: f.seller });
  });
}

export function claimResolvedEmailHandler(deps: DeliveryEmailDeps): OutboxHandler {
  return claimHandler(deps, 'claim.resolved', (f, language) => {
    const unit = f.order.lines.find((l) => l.lineNo === f.claim.orderLineNo)?.unit ?? '';
    return claimResolvedEmailContent({
      language,
      claimNumber: f.claim.number,
      deliveryNumber: f.delivery.number,
      resolutions: f.claim.resolutions.map((r) => resolutionText(r, unit, language)),
      seller: f.seller,
    });
  });
}

/** Every delivery and claim e-mail handler, for the outbox worker. */
export function deliveryEmailHandlers(deps: DeliveryEmailDeps): OutboxHandler[] {
  return [deliveryDeliveredEmailHandler(deps), claimRejectedEmailHandler(deps), claimResolvedEmailHandler(deps)];
}
