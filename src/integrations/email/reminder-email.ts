/**
 * The payment reminder e-mail: `reminder.sent` → "Betalningspåminnelse R-2026-00001 från …" /
 * "Payment reminder R-2026-00001 from …", in the customer's language, listing the overdue invoices
 * with their open amounts, the reminder fee and interest invoices, the total to pay and the bankgiro,
 * with the reminder PDF and the fee / interest invoice PDFs attached. Delivered by the outbox worker after the run committed (at least
 * once). A customer without an e-mail address gets none (logged).
 */
import type { OutboxEventRow, OutboxHandler, OutboxLog } from '../../app/outbox/dispatch.js';
import { chargeDocumentData, reminderDocumentData, type ReminderDocumentData } from '../../app/dunning/reminders.js';
import type { AppDeps } from '../../app/shared/env.js';
import { asId } from '../../core/shared/ids.js';
import { formatMoney } from '../pdf/i18n.js';
import { renderChargeInvoicePdf } from '../pdf/reminder-charge-pdf.js';
import { renderReminderPdf } from '../pdf/reminder-pdf.js';
import type { Mailer } from './mailer.js';
import { pdfAttachment, sendEmail, signature, unexpectedPayload } from './outbox-mail.js';

export interface ReminderEmailDeps {
  app: AppDeps;
  mailer: Mailer;
  log?: OutboxLog;
}

/** Subject and text of the reminder e-mail. */
export function reminderEmailContent(d: ReminderDocumentData): { subject: string; text: string } {
  const r = d.reminder;
  const sv = r.language === 'sv';
  const fmt = (minor: bigint): string => formatMoney(minor, r.currency, r.language);
  const seller = { name: d.tenant.name, email: d.tenant.email };
  const lines = r.items.map((i) =>
    sv
      ? `- Faktura ${i.invoiceNumber}, förföll ${i.dueDate} (${i.daysOverdue} dagar): ${fmt(i.openMinor)}`
      : `- Invoice ${i.invoiceNumber}, due ${i.dueDate} (${i.daysOverdue} days): ${fmt(i.openMinor)}`,
  );
  const charges: string[] = [];
  if (d.feeInvoice && r.feeMinor > 0n) {
    charges.push(sv ? `Påminnelseavgift, faktura ${d.feeInvoice.number} (OCR ${d.feeInvoice.paymentReference}): ${fmt(r.feeMinor)}` : `Reminder fee, invoice ${d.feeInvoice.number} (reference ${d.feeInvoice.paymentReference}): ${fmt(r.feeMinor)}`);
  }
  if (d.interestInvoice && r.interestMinor > 0n) {
    charges.push(
      sv
        ? `Dröjsmålsränta, räntefaktura ${d.interestInvoice.number} (OCR ${d.interestInvoice.paymentReference}): ${fmt(r.interestMinor)}`
        : `Late-payment interest, interest invoice ${d.interestInvoice.number} (reference ${d.interestInvoice.paymentReference}): ${fmt(r.interestMinor)}`,
    );
  }
  const total = fmt(r.openTotalMinor + r.feeMinor + r.interestMinor);
  const bankgiro = d.tenant.bankgiro ? [sv ? `Bankgiro: ${d.tenant.bankgiro}` : `Bankgiro: ${d.tenant.bankgiro}`] : [];
  if (sv) {
    return {
      subject: `Betalningspåminnelse ${r.number} från ${d.tenant.name}`,
      text: [
        'Hej,',
        '',
        'Enligt våra noteringar är följande fakturor förfallna och ännu inte betalda:',
        ...lines,
        ...(charges.length > 0 ? ['', ...charges] : []),
        '',
        `Totalt att betala: ${total}`,
        ...bankgiro,
        'Ange respektive fakturas OCR-nummer när du betalar. Påminnelsen finns som PDF i bilagan.',
        'Har du redan betalat kan du bortse från denna påminnelse.',
        '',
        'Med vänliga hälsningar',
        ...signature(seller),
      ].join('\n'),
    };
  }
  return {
    subject: `Payment reminder ${r.number} from ${d.tenant.name}`,
    text: [
      'Hello,',
      '',
      'According to our records the following invoices are past due and not yet paid:',
      ...lines,
      ...(charges.length > 0 ? ['', ...charges] : []),
      '',
      `Total to pay: ${total}`,
      ...bankgiro,
      "Please quote each invoice's payment reference when you pay. The reminder is attached as a PDF.",
      'If you have already paid, please disregard this reminder.',
      '',
      'Kind regards,',
      ...signature(seller),
    ].join('\n'),
  };
}

export function reminderSentEmailHandler(deps: ReminderEmailDeps): OutboxHandler {
  return {
    eventType: 'reminder.sent',
    async handle(event: OutboxEventRow) {
      const p = event.payload as Record<string, unknown> | null;
      if (typeof p?.id !== 'string') throw unexpectedPayload('reminder.sent', event.payload);
      const id = asId('reminder', p.id);
      const data = await deps.app.db.transaction(event.tenantId, (s) => reminderDocumentData(s, id));
      const context = { eventId: event.id, tenantId: event.tenantId, reminderId: id };
      if (!data.customerEmail) {
        deps.log?.info(context, 'reminder e-mail not sent: the customer has no e-mail address');
        return;
      }
      const pdf = await renderReminderPdf(data);
      // the fee and interest invoices travel with the reminder, as PDFs of their own
      const attachments = [pdfAttachment(`${data.reminder.number}.pdf`, pdf)];
      for (const inv of [data.feeInvoice, data.interestInvoice]) {
        if (!inv?.number) continue;
        const charge = await deps.app.db.transaction(event.tenantId, (s) => chargeDocumentData(s, inv.id));
        attachments.push(pdfAttachment(`${inv.number}.pdf`, await renderChargeInvoicePdf(charge)));
      }
      const sent = await sendEmail(deps.mailer, data.customerEmail, reminderEmailContent(data), attachments);
      deps.log?.info({ ...context, messageId: sent.messageId, via: sent.via }, 'reminder e-mail sent');
    },
  };
}
