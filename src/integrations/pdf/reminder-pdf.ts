/**
 * The payment reminder (betalningspåminnelse) as a PDF (A4, pdfkit), in the customer's language, in
 * the style of the other documents: seller heading, the reminder's facts and the customer's address,
 * the overdue invoices each at its own reminder level, the open total, the reminder fee and interest
 * invoices (numbered invoices of their own, with their payment references) and the total to pay.
 * Every page: the seller's footer with the bankgiro, and "Sida n av m" / "Page n of m".
 *
 * The same reminder gives the same bytes: dates come from the reminder, never the clock.
 */
import type { ReminderDocumentData } from '../../app/dunning/reminders.js';
import { formatDate, formatMoney, invoiceLabels } from './i18n.js';
import type { DocumentLanguage } from './invoice-document.js';
import { printedPaymentReference } from './invoice-mapping.js';
import {
  addressLines, CONTENT_LEFT, CONTENT_RIGHT, CONTENT_WIDTH, createPdf, decoratePages, differentCountry, drawAddressBlock, drawDocumentHeading,
  drawFacts, drawRunningHeader, drawSellerFooter, drawTable, ensureSpace, finish, hRule, lineHeight, STYLE, textBlock, textLine, type TableColumn,
  type TableRow,
} from './layout.js';

interface ReminderLabels {
  title: string;
  level: (n: number) => string;
  reminderNumber: string;
  reminderDate: string;
  customer: string;
  currency: string;
  intro: string;
  colInvoice: string;
  colInvoiceDate: string;
  colDueDate: string;
  colDaysOverdue: string;
  colLevel: string;
  colAmount: string;
  colOpen: string;
  openTotal: string;
  fee: (number: string) => string;
  interest: (number: string) => string;
  totalToPay: string;
  reference: string;
  payment: string;
  alreadyPaid: string;
}

const SV: ReminderLabels = {
  title: 'Betalningspåminnelse',
  level: (n) => `Påminnelse ${n}`,
  reminderNumber: 'Påminnelsenr',
  reminderDate: 'Datum',
  customer: 'Kund',
  currency: 'Valuta',
  intro: 'Enligt våra noteringar är följande fakturor förfallna och ännu inte betalda. Vänligen betala det förfallna beloppet snarast.',
  colInvoice: 'Faktura',
  colInvoiceDate: 'Fakturadatum',
  colDueDate: 'Förfallodag',
  colDaysOverdue: 'Dagar',
  colLevel: 'Nivå',
  colAmount: 'Belopp',
  colOpen: 'Att betala',
  openTotal: 'Förfallet belopp',
  fee: (n) => `Påminnelseavgift (faktura ${n})`,
  interest: (n) => `Dröjsmålsränta (räntefaktura ${n})`,
  totalToPay: 'Totalt att betala',
  reference: 'OCR/referens',
  payment: 'Betala varje faktura med dess OCR-nummer.',
  alreadyPaid: 'Har du redan betalat kan du bortse från denna påminnelse.',
};

const EN: ReminderLabels = {
  title: 'Payment reminder',
  level: (n) => `Reminder ${n}`,
  reminderNumber: 'Reminder no.',
  reminderDate: 'Date',
  customer: 'Customer',
  currency: 'Currency',
  intro: 'According to our records the following invoices are past due and not yet paid. Please pay the overdue amount as soon as possible.',
  colInvoice: 'Invoice',
  colInvoiceDate: 'Invoice date',
  colDueDate: 'Due date',
  colDaysOverdue: 'Days',
  colLevel: 'Level',
  colAmount: 'Amount',
  colOpen: 'Open',
  openTotal: 'Overdue amount',
  fee: (n) => `Reminder fee (invoice ${n})`,
  interest: (n) => `Late-payment interest (interest invoice ${n})`,
  totalToPay: 'Total to pay',
  reference: 'Payment reference',
  payment: 'Please pay each invoice quoting its own payment reference.',
  alreadyPaid: 'If you have already paid, please disregard this reminder.',
};

export const reminderLabels = (lang: DocumentLanguage): ReminderLabels => (lang === 'sv' ? SV : EN);

export async function renderReminderPdf(data: ReminderDocumentData, language?: DocumentLanguage): Promise<Buffer> {
  const { reminder, tenant } = data;
  const lang: DocumentLanguage = language ?? reminder.language;
  const labels = reminderLabels(lang);
  const common = invoiceLabels(lang);
  const cur = reminder.currency;
  const money = (minor: bigint): string => formatMoney(minor, cur, lang);
  const pdf = createPdf({
    title: `${labels.title} ${reminder.number}`,
    author: tenant.name,
    subject: `${labels.title} ${reminder.number} – ${reminder.buyer.name}`,
    lang: lang === 'sv' ? 'sv-SE' : 'en',
    date: new Date(`${reminder.reminderDate}T00:00:00Z`),
  });

  const top = drawDocumentHeading(pdf, {
    sellerName: tenant.name,
    logoPng: tenant.logoPng,
    title: labels.title,
    reference: reminder.number,
    subLines: [labels.level(reminder.level)],
  });
  const factsBottom = drawFacts(
    pdf,
    [
      [labels.reminderNumber, reminder.number],
      [labels.reminderDate, formatDate(reminder.reminderDate)],
      [labels.currency, cur],
    ],
    top,
  );
  const abroad = differentCountry(reminder.buyer.country, tenant.country);
  const addressBottom = drawAddressBlock(
    pdf,
    { heading: labels.customer, name: reminder.buyer.name, lines: addressLines(reminder.buyer, lang, abroad) },
    top,
  );
  let y = Math.max(factsBottom, addressBottom) + 18;
  y += textBlock(pdf, labels.intro, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body) + 12;

  const columns: TableColumn[] = [
    { header: labels.colInvoice, width: 80, align: 'left' },
    { header: labels.colInvoiceDate, width: 70, align: 'left' },
    { header: labels.colDueDate, width: 70, align: 'left' },
    { header: labels.colDaysOverdue, width: 40, align: 'right' },
    { header: labels.colLevel, width: 35, align: 'right' },
    { header: labels.colAmount, width: (CONTENT_WIDTH - 295) / 2, align: 'right' },
    { header: labels.colOpen, width: (CONTENT_WIDTH - 295) / 2, align: 'right' },
  ];
  const rows: TableRow[] = reminder.items.map((i) => ({
    cells: [
      i.invoiceNumber,
      formatDate(i.issueDate),
      formatDate(i.dueDate),
      String(i.daysOverdue),
      i.level === 0 ? '–' : String(i.level),
      money(i.originalMinor),
      [{ text: money(i.openMinor), style: STYLE.bodyBold }],
    ],
  }));
  y = drawTable(pdf, { x: CONTENT_LEFT, y, columns, rows }) + 14;

  const totals: [string, string][] = [[labels.openTotal, money(reminder.openTotalMinor)]];
  if (data.feeInvoice && reminder.feeMinor > 0n) totals.push([labels.fee(data.feeInvoice.number ?? ''), money(reminder.feeMinor)]);
  if (data.interestInvoice && reminder.interestMinor > 0n) totals.push([labels.interest(data.interestInvoice.number ?? ''), money(reminder.interestMinor)]);
  const grand = reminder.openTotalMinor + reminder.feeMinor + reminder.interestMinor;
  const labelX = CONTENT_LEFT + CONTENT_WIDTH * 0.35;
  const labelW = CONTENT_WIDTH * 0.45;
  const valueW = CONTENT_RIGHT - (labelX + labelW);
  y = ensureSpace(pdf, y, (totals.length + 2) * lineHeight(pdf, STYLE.body) + 12);
  for (const [label, value] of totals) {
    textLine(pdf, label, labelX, y, labelW, STYLE.body);
    y += textLine(pdf, value, labelX + labelW, y, valueW, STYLE.body, 'right') + 2;
  }
  hRule(pdf, labelX, CONTENT_RIGHT, y + 2);
  y += 6;
  textLine(pdf, labels.totalToPay, labelX, y, labelW, STYLE.bodyBold);
  y += textLine(pdf, money(grand), labelX + labelW, y, valueW, STYLE.bodyBold, 'right') + 14;

  const refs: string[] = [];
  for (const inv of [data.feeInvoice, data.interestInvoice]) {
    if (inv?.number && inv.paymentReference) refs.push(`${inv.number}: ${labels.reference} ${printedPaymentReference(inv.paymentReference).value}`);
  }
  for (const line of [labels.payment, ...refs, labels.alreadyPaid]) {
    y = ensureSpace(pdf, y, lineHeight(pdf, STYLE.body));
    y += textLine(pdf, line, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body) + 2;
  }

  decoratePages(pdf, (page, pages) => {
    if (page > 1) drawRunningHeader(pdf, `${labels.title} ${reminder.number}`, tenant.name);
    drawSellerFooter(pdf, { seller: tenant, labels: common, lang, showCountry: abroad, showPayment: true }, page, pages);
  });
  return finish(pdf);
}
