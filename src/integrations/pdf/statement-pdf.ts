/**
 * The customer statement (kontoutdrag / statement of account) as a PDF (A4, pdfkit), Swedish or
 * English, in the style of the other documents: seller heading, the period and the customer's address,
 * then per currency the opening balance, every movement with its running balance, and the closing
 * balance; for a customer with several currencies, the closing balance in the base currency last.
 * Every page: the seller's footer with the bankgiro, and "Sida n av m" / "Page n of m".
 *
 * The same statement gives the same bytes: the document date is the statement's `to`, never the clock.
 */
import type { CustomerStatement } from '../../app/reports/statement.js';
import type { StatementKind } from '../../core/receivables/statement.js';
import { addDays } from '../../core/shared/dates.js';
import { formatDate, formatMoney, invoiceLabels } from './i18n.js';
import type { DocumentLanguage } from './invoice-document.js';
import {
  addressLines, CONTENT_LEFT, CONTENT_RIGHT, CONTENT_WIDTH, createPdf, decoratePages, differentCountry, drawAddressBlock, drawDocumentHeading,
  drawFacts, drawRunningHeader, drawSellerFooter, drawTable, ensureSpace, finish, hRule, lineHeight, STYLE, textBlock, textLine, type TableColumn,
  type TableRow,
} from './layout.js';

export interface StatementLabels {
  title: string;
  period: string;
  statementDate: string;
  customer: string;
  customerNumber: string;
  currency: string;
  intro: string;
  colDate: string;
  colText: string;
  colReference: string;
  colAmount: string;
  colBalance: string;
  opening: (date: string) => string;
  closing: (date: string) => string;
  kinds: Record<StatementKind, string>;
  baseClosing: (currency: string) => string;
  receivable: string;
  credit: string;
  nothing: string;
  questions: string;
}

const SV: StatementLabels = {
  title: 'Kontoutdrag',
  period: 'Period',
  statementDate: 'Datum',
  customer: 'Kund',
  customerNumber: 'Kundnr',
  currency: 'Valuta',
  intro: 'Här är dina fakturor, kreditfakturor och betalningar under perioden. Ett positivt saldo är vad du är skyldig oss, ett negativt ditt tillgodohavande.',
  colDate: 'Datum',
  colText: 'Händelse',
  colReference: 'Referens',
  colAmount: 'Belopp',
  colBalance: 'Saldo',
  opening: (d) => `Ingående saldo ${d}`,
  closing: (d) => `Utgående saldo ${d}`,
  kinds: {
    invoice: 'Faktura',
    credit_note: 'Kreditfaktura',
    payment: 'Inbetalning',
    payment_returned: 'Inbetalning återförd',
    payment_applied: 'Betalning avräknad mot faktura',
    payment_unapplied: 'Avräkning återförd',
    refund: 'Återbetalning',
    adjustment: 'Justering',
  },
  baseClosing: (c) => `Utgående saldo totalt i ${c}`,
  receivable: 'varav kundfordran',
  credit: 'varav tillgodohavande',
  nothing: 'Inga händelser under perioden.',
  questions: 'Stämmer något inte? Kontakta oss, så reder vi ut det.',
};

const EN: StatementLabels = {
  title: 'Statement',
  period: 'Period',
  statementDate: 'Date',
  customer: 'Customer',
  customerNumber: 'Customer no.',
  currency: 'Currency',
  intro: 'These are your invoices, credit notes and payments in the period. A positive balance is what you owe us, a negative one your credit with us.',
  colDate: 'Date',
  colText: 'Transaction',
  colReference: 'Reference',
  colAmount: 'Amount',
  colBalance: 'Balance',
  opening: (d) => `Opening balance ${d}`,
  closing: (d) => `Closing balance ${d}`,
  kinds: {
    invoice: 'Invoice',
    credit_note: 'Credit note',
    payment: 'Payment received',
    payment_returned: 'Payment returned',
    payment_applied: 'Payment applied to invoice',
    payment_unapplied: 'Payment application reversed',
    refund: 'Refund',
    adjustment: 'Adjustment',
  },
  baseClosing: (c) => `Closing balance, total in ${c}`,
  receivable: 'of which receivable',
  credit: 'of which your credit',
  nothing: 'No transactions in the period.',
  questions: 'Does something not match? Please contact us and we will sort it out.',
};

export const statementLabels = (lang: DocumentLanguage): StatementLabels => (lang === 'sv' ? SV : EN);

export async function renderStatementPdf(st: CustomerStatement, lang: DocumentLanguage): Promise<Buffer> {
  const labels = statementLabels(lang);
  const common = invoiceLabels(lang);
  const { tenant, customer } = st;
  const reference = `${formatDate(st.from)} – ${formatDate(st.to)}`;
  const pdf = createPdf({
    title: `${labels.title} ${customer.name} ${reference}`,
    author: tenant.name,
    subject: `${labels.title} ${reference} – ${customer.name}`,
    lang: lang === 'sv' ? 'sv-SE' : 'en',
    date: new Date(`${st.to}T00:00:00Z`),
  });

  const top = drawDocumentHeading(pdf, { sellerName: tenant.name, logoPng: tenant.logoPng, title: labels.title, reference });
  const facts: [string, string][] = [
    [labels.statementDate, formatDate(st.to)],
    [labels.period, reference],
    [labels.customerNumber, customer.id],
  ];
  if (st.sections.length === 1) facts.push([labels.currency, st.sections[0]!.currency]);
  const factsBottom = drawFacts(pdf, facts, top);
  const buyer = {
    addressLine1: customer.addressLine1, addressLine2: customer.addressLine2, postalCode: customer.postalCode, city: customer.city, country: customer.country,
  };
  const abroad = differentCountry(customer.country, tenant.country);
  const addressBottom = drawAddressBlock(
    pdf,
    { heading: labels.customer, name: customer.name, lines: addressLines(buyer, lang, abroad), extra: customer.orgNumber ? [customer.orgNumber] : [] },
    top,
  );
  let y = Math.max(factsBottom, addressBottom) + 18;
  y += textBlock(pdf, labels.intro, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body) + 12;

  const fixed = 62 + 90 + 85 + 85;
  const columns: TableColumn[] = [
    { header: labels.colDate, width: 62, align: 'left' },
    { header: labels.colText, width: CONTENT_WIDTH - fixed, align: 'left', wrap: true },
    { header: labels.colReference, width: 90, align: 'left' },
    { header: labels.colAmount, width: 85, align: 'right' },
    { header: labels.colBalance, width: 85, align: 'right' },
  ];
  if (st.sections.length === 0) {
    y += textLine(pdf, labels.nothing, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body) + 12;
  }
  for (const sec of st.sections) {
    const m = (minor: bigint) => formatMoney(minor, sec.currency, lang);
    if (st.sections.length > 1) {
      y = ensureSpace(pdf, y, 3 * lineHeight(pdf, STYLE.bodyBold));
      y += textLine(pdf, `${labels.currency} ${sec.currency}`, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.bodyBold) + 4;
    }
    const rows: TableRow[] = [
      { cells: [formatDate(addDays(st.from, -1)), [{ text: labels.opening(formatDate(addDays(st.from, -1))), style: STYLE.bodyBold }], '', '', m(sec.openingMinor)] },
      ...sec.lines.map((l) => ({ cells: [formatDate(l.date), labels.kinds[l.kind], l.reference ?? '', m(l.amountMinor), m(l.balanceMinor)] })),
      {
        cells: [formatDate(st.to), [{ text: labels.closing(formatDate(st.to)), style: STYLE.bodyBold }], '', '', [{ text: m(sec.closingMinor), style: STYLE.bodyBold }]],
      },
    ];
    y = drawTable(pdf, { x: CONTENT_LEFT, y, columns, rows }) + 6;
    const labelX = CONTENT_LEFT + CONTENT_WIDTH * 0.45;
    const labelW = CONTENT_WIDTH * 0.35;
    const valueW = CONTENT_RIGHT - (labelX + labelW);
    y = ensureSpace(pdf, y, 2 * lineHeight(pdf, STYLE.body) + 14);
    textLine(pdf, labels.receivable, labelX, y, labelW, STYLE.label);
    y += textLine(pdf, m(sec.closingReceivableMinor), labelX + labelW, y, valueW, STYLE.label, 'right') + 2;
    textLine(pdf, labels.credit, labelX, y, labelW, STYLE.label);
    y += textLine(pdf, m(sec.closingCreditMinor), labelX + labelW, y, valueW, STYLE.label, 'right') + 14;
  }
  const foreign = st.sections.some((s) => s.currency !== st.baseCurrency);
  if (st.sections.length > 1 || foreign) {
    const labelX = CONTENT_LEFT + CONTENT_WIDTH * 0.35;
    const labelW = CONTENT_WIDTH * 0.45;
    const valueW = CONTENT_RIGHT - (labelX + labelW);
    y = ensureSpace(pdf, y, lineHeight(pdf, STYLE.bodyBold) + 12);
    hRule(pdf, labelX, CONTENT_RIGHT, y);
    y += 4;
    textLine(pdf, labels.baseClosing(st.baseCurrency), labelX, y, labelW, STYLE.bodyBold);
    y += textLine(pdf, formatMoney(st.closingBaseMinor, st.baseCurrency, lang), labelX + labelW, y, valueW, STYLE.bodyBold, 'right') + 14;
  }
  y = ensureSpace(pdf, y, lineHeight(pdf, STYLE.body));
  textLine(pdf, labels.questions, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body);

  decoratePages(pdf, (page, pages) => {
    if (page > 1) drawRunningHeader(pdf, `${labels.title} ${reference}`, tenant.name);
    drawSellerFooter(pdf, { seller: tenant, labels: common, lang, showCountry: abroad, showPayment: true }, page, pages);
  });
  return finish(pdf);
}
