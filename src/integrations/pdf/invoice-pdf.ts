/**
 * The invoice and the credit note as a PDF (A4, pdfkit, built-in Helvetica), Swedish or English, in
 * the style of the quote and order confirmation PDFs.
 *
 * Page 1: seller logo or name; title ("Faktura" / "Kreditfaktura"), number (or "UTKAST" / "DRAFT")
 * and, on a credit note, the invoice it credits; invoice facts (dates, delivery date or period,
 * terms, references); the buyer's address with org.nr and VAT number where a window envelope shows
 * it. Then the lines (continuing on as many pages as needed with the header repeated), the VAT
 * summary beside the totals, the exemption / reverse-charge texts, and for an invoice the payment box
 * (amount to pay, due date, OCR or RF reference, bankgiro, IBAN and BIC) with the late payment
 * interest terms, for a credit note a "Tillgodo" / "Credit" note instead. Notes and terms last.
 * Every page: the seller's footer (address; org.nr, VAT number, registered office, F-skatt; contact
 * and payment details) and "Sida n av m" / "Page n of m"; later pages a running header; a draft a
 * large "UTKAST" / "DRAFT" marker.
 *
 * Credit notes print every amount positive; the grand total is "Att tillgodoräkna" / "Amount to be
 * credited" (see invoice-document.ts). The same document gives the same bytes: the PDF's dates come
 * from the issue date, never the clock.
 */
import { isKnownCurrency } from '../../core/money/currency.js';
import { isLuhnValid, OCR_MAX_LENGTH, OCR_MIN_LENGTH } from '../../core/receivables/ocr.js';
import { VAT_CATEGORIES } from '../../core/tax/vat.js';
import { formatDate, formatMinor, formatMoney, formatPercent, formatQuantity, invoiceLabels, NBSP, unitLabel, type InvoiceLabels } from './i18n.js';
import type { InvoiceDocument, InvoiceDocumentLine, InvoiceVatRow } from './invoice-document.js';
import { MAX_INVOICE_PDF_LINES } from './invoice-document.js';
import {
  addressLines,
  COLOR,
  CONTENT_BOTTOM,
  CONTENT_LEFT,
  CONTENT_RIGHT,
  CONTENT_WIDTH,
  createPdf,
  decoratePages,
  differentCountry,
  drawAddressBlock,
  drawDocumentHeading,
  drawFacts,
  drawRunningHeader,
  drawTable,
  drawTextSection,
  drawVatAndTotals,
  ensureSpace,
  finish,
  FONT,
  hRule,
  lineHeight,
  MARGIN,
  MARKER_STYLE,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  present,
  STYLE,
  textBlock,
  textHeight,
  textLine,
  toWinAnsi,
  type Pdf,
  type TablePart,
  type TableRow,
  type TextStyle,
  discountCell,
  pricedLineColumns,
} from './layout.js';
import { MAX_DESCRIPTION_LENGTH, MAX_FREE_TEXT_LENGTH } from './quote-document.js';

/** Categories that charge no Swedish VAT and so need a reason printed. */
const NO_VAT_CATEGORIES = new Set(['E', 'AE', 'K', 'G', 'O']);
/** Categories where the buyer's VAT number is required on the invoice (art. 226 (4) VAT Directive). */
const BUYER_VAT_REQUIRED = new Set(['AE', 'K']);

/** ISO 11649 creditor reference: "RF", two check digits, 1-21 letters or digits; mod 97 of the rearranged number is 1. */
export function isValidRfReference(value: string): boolean {
  const compact = value.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const digits = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/**
 * Refuses an invoice or credit note the PDF would misstate or that lacks what the law requires:
 * unknown language, kind, currency or VAT category; malformed dates or a due date before the issue
 * date; an issued document without a number, an issued invoice without a due date; a credit note without the invoice it credits; a missing seller VAT number on a taxable
 * supply, a missing buyer VAT number on a reverse-charge or intra-Community row; VAT charged on a
 * category that charges none; a line whose rate and category have no VAT summary row; negative
 * amounts (credit notes too: they are printed positive); a bad OCR or RF reference; too many lines or
 * too much text; and totals that do not add up (Σ line net − discount = net = Σ taxable, Σ VAT = VAT
 * total, net + VAT = gross, gross + rounding − prepaid = amount due).
 */
export function checkInvoiceDocument(doc: InvoiceDocument): void {
  const name = `${doc.kind === 'credit_note' ? 'credit note' : 'invoice'} ${doc.number ?? '(draft)'}`;
  const fail = (message: string): never => {
    throw new Error(`${name}: ${message}`);
  };
  if (doc.kind !== 'invoice' && doc.kind !== 'credit_note') fail(`unknown kind '${String(doc.kind)}'`);
  if (doc.language !== 'sv' && doc.language !== 'en') fail(`unsupported language '${String(doc.language)}'`);
  if (doc.number !== null && (doc.number.trim() === '' || doc.number.length > 100)) fail('number must be 1-100 characters');
  if (!doc.draft && doc.number === null) fail('an issued document needs its number');
  if (!isKnownCurrency(doc.currency)) fail(`unknown currency '${doc.currency}'`);

  formatDate(doc.issueDate);
  if (doc.dueDate !== null) {
    formatDate(doc.dueDate);
    if (doc.dueDate < doc.issueDate) fail(`due date ${doc.dueDate} is before the issue date ${doc.issueDate}`);
  }
  if (doc.deliveryDate !== null) formatDate(doc.deliveryDate);
  for (const period of [doc.deliveryPeriod, ...doc.lines.map((l) => l.deliveryPeriod)]) {
    if (period === null || period === undefined) continue;
    formatDate(period.from);
    formatDate(period.to);
    if (period.to < period.from) fail(`delivery period ${period.from} – ${period.to} ends before it starts`);
  }
  for (const l of doc.lines) if (present(l.deliveryDate)) formatDate(l.deliveryDate);
  if (doc.paymentTermsDays !== null && (!Number.isSafeInteger(doc.paymentTermsDays) || doc.paymentTermsDays < 0 || doc.paymentTermsDays > 3650)) {
    fail(`payment terms must be 0-3650 days, got ${doc.paymentTermsDays}`);
  }

  if (doc.kind === 'invoice') {
    if (doc.creditedInvoice !== null) fail('an invoice credits no invoice');
    if (!doc.draft && doc.dueDate === null) fail('an issued invoice needs a due date');
    // No delivery date is not refused: the law asks for it only when it can be determined and differs
    // from the issue date (ML 2023:200 17 kap. 24 § 6, art. 226 (7)); the invoice date then stands for it.
  } else {
    const credited = doc.creditedInvoice;
    if (credited === null) return fail('a credit note must name the invoice it credits');
    if (credited.number.trim() === '' || credited.number.length > 100) fail('credited invoice number must be 1-100 characters');
    formatDate(credited.issueDate);
    if (credited.issueDate > doc.issueDate) fail(`credited invoice date ${credited.issueDate} is after the credit note's ${doc.issueDate}`);
    if (doc.paymentReference !== null) fail('a credit note has no payment reference');
  }

  if (doc.seller.name.trim() === '') fail('the seller needs a name');
  if (doc.buyer.name.trim() === '') fail('the buyer needs a name');
  const taxable = doc.vatBreakdown.some((r) => r.vatCategory === 'S' || r.vatCategory === 'Z' || r.vatCategory === 'AE' || r.vatCategory === 'K');
  if (!doc.draft && taxable && !present(doc.seller.vatNumber)) fail("the seller's VAT number is required");

  for (const [field, text] of [
    ['notes', doc.notes],
    ['terms', doc.terms],
    ['credit reason', doc.creditReason ?? null],
  ] as const) {
    if (text !== null && text.length > MAX_FREE_TEXT_LENGTH) fail(`${field} longer than ${MAX_FREE_TEXT_LENGTH} characters`);
  }
  if (doc.lateInterest !== null) {
    if ('text' in doc.lateInterest && (doc.lateInterest.text.trim() === '' || doc.lateInterest.text.length > 1000)) {
      fail('late interest text must be 1-1000 characters');
    }
    if ('ratePercent' in doc.lateInterest && (doc.lateInterest.ratePercent.scaled < 0n || doc.lateInterest.ratePercent.scaled > 1_000_000n)) {
      fail('late interest rate must be 0-100 %');
    }
  }

  if (doc.lines.length > MAX_INVOICE_PDF_LINES) fail(`${doc.lines.length} lines, at most ${MAX_INVOICE_PDF_LINES} can be printed`);
  const rowKey = (rate: { scaled: bigint }, category: string): string => `${category}:${rate.scaled}`;
  const rows = new Set<string>();
  for (const r of doc.vatBreakdown) {
    if (!(VAT_CATEGORIES as readonly string[]).includes(r.vatCategory)) fail(`unknown VAT category '${r.vatCategory}'`);
    const key = rowKey(r.vatRate, r.vatCategory);
    if (rows.has(key)) fail(`VAT summary has two rows for ${r.vatCategory} ${r.vatRate.scaled}`);
    rows.add(key);
    if (r.taxableMinor < 0n || r.vatMinor < 0n) fail(`VAT summary row ${r.vatCategory}: negative amount`);
    if (NO_VAT_CATEGORIES.has(r.vatCategory) && r.vatMinor !== 0n) fail(`VAT category ${r.vatCategory} charges no VAT, got ${r.vatMinor}`);
    if (r.exemptionReason !== null && (r.exemptionReason.trim() === '' || r.exemptionReason.length > 500)) {
      fail(`VAT category ${r.vatCategory}: exemption reason must be 1-500 characters`);
    }
    if (BUYER_VAT_REQUIRED.has(r.vatCategory) && !present(doc.buyer.vatNumber)) {
      fail(`VAT category ${r.vatCategory} needs the buyer's VAT number`);
    }
  }
  for (const l of doc.lines) {
    const line = `line ${l.lineNo}`;
    if (l.description.length > MAX_DESCRIPTION_LENGTH) fail(`${line}: description longer than ${MAX_DESCRIPTION_LENGTH} characters`);
    if (l.quantity.scaled < 0n) fail(`${line}: negative quantity`);
    if (l.unitPriceMinor < 0n || l.discountAmountMinor < 0n || l.netAmountMinor < 0n) fail(`${line}: negative amount`);
    if (!rows.has(rowKey(l.vatRate, l.vatCategory))) fail(`${line}: no VAT summary row for ${l.vatCategory} ${formatPercent(l.vatRate, 'en')}`);
  }

  for (const [field, value] of [
    ['invoice discount', doc.invoiceDiscountMinor],
    ['net total', doc.netTotalMinor],
    ['VAT total', doc.vatTotalMinor],
    ['gross total', doc.grossTotalMinor],
    ['prepaid amount', doc.prepaidMinor],
    ['amount due', doc.amountDueMinor],
  ] as const) {
    if (value < 0n) fail(`${field} ${value} is negative`);
  }
  if (doc.vatTotalSekMinor !== null && doc.vatTotalSekMinor !== undefined && doc.vatTotalSekMinor < 0n) fail('VAT total in SEK is negative');
  const linesNet = doc.lines.reduce((acc, l) => acc + l.netAmountMinor, 0n);
  if (linesNet - doc.invoiceDiscountMinor !== doc.netTotalMinor) {
    fail(`lines ${linesNet} less invoice discount ${doc.invoiceDiscountMinor} is not the net total ${doc.netTotalMinor}`);
  }
  const taxableTotal = doc.vatBreakdown.reduce((acc, r) => acc + r.taxableMinor, 0n);
  if (taxableTotal !== doc.netTotalMinor) fail(`VAT breakdown taxable ${taxableTotal} is not the net total ${doc.netTotalMinor}`);
  const vat = doc.vatBreakdown.reduce((acc, r) => acc + r.vatMinor, 0n);
  if (vat !== doc.vatTotalMinor) fail(`VAT breakdown ${vat} is not the VAT total ${doc.vatTotalMinor}`);
  if (doc.netTotalMinor + doc.vatTotalMinor !== doc.grossTotalMinor) {
    fail(`net ${doc.netTotalMinor} + VAT ${doc.vatTotalMinor} is not the gross total ${doc.grossTotalMinor}`);
  }
  if (doc.grossTotalMinor + doc.roundingMinor - doc.prepaidMinor !== doc.amountDueMinor) {
    fail(`gross ${doc.grossTotalMinor} + rounding ${doc.roundingMinor} − prepaid ${doc.prepaidMinor} is not the amount due ${doc.amountDueMinor}`);
  }
  const prepayments = doc.prepayments ?? [];
  if (prepayments.length > 0) {
    if (doc.kind !== 'invoice') fail('only an invoice deducts prepayments');
    for (const r of prepayments) if (r.netMinor < 0n || r.vatMinor < 0n || r.invoiceNumber.trim() === '') fail('a prepayment row needs its invoice number and amounts ≥ 0');
    const total = prepayments.reduce((a, r) => a + r.netMinor + r.vatMinor, 0n);
    if (total !== doc.prepaidMinor) fail(`the prepayment rows total ${total}, not the prepaid amount ${doc.prepaidMinor}`);
  }

  if (doc.kind === 'invoice' && !doc.draft && doc.amountDueMinor > 0n && doc.paymentReference === null) {
    fail('an issued invoice with an amount to pay needs a payment reference');
  }
  if (doc.draft && doc.paymentReference !== null) fail('a draft has no payment reference');
  const ref = doc.paymentReference;
  if (ref !== null) {
    if (ref.kind === 'ocr') {
      if (!/^\d+$/.test(ref.value) || ref.value.length < OCR_MIN_LENGTH || ref.value.length > OCR_MAX_LENGTH || !isLuhnValid(ref.value)) {
        fail(`'${ref.value.slice(0, 40)}' is not a valid OCR reference`);
      }
    } else if (ref.kind === 'rf') {
      if (!isValidRfReference(ref.value)) fail(`'${ref.value.slice(0, 40)}' is not a valid RF creditor reference`);
    } else {
      fail(`unknown payment reference kind '${String((ref as { kind: unknown }).kind)}'`);
    }
  }
}

export async function renderInvoicePdf(invoice: InvoiceDocument): Promise<Buffer> {
  checkInvoiceDocument(invoice);
  const labels = invoiceLabels(invoice.language);
  const title =
    invoice.kind === 'credit_note'
      ? labels.creditNoteTitle
      : invoice.advanceKind === 'deposit'
        ? labels.depositInvoiceTitle
        : invoice.advanceKind === 'milestone'
          ? labels.milestoneInvoiceTitle
          : labels.invoiceTitle;
  const reference = invoice.number ?? labels.draftMarker;
  const pdf = createPdf({
    title: `${title} ${reference}`,
    author: invoice.seller.name,
    subject: `${title} ${reference} – ${invoice.buyer.name}`,
    lang: invoice.language === 'sv' ? 'sv-SE' : 'en',
    date: new Date(`${invoice.issueDate}T00:00:00Z`),
  });
  const ctx: Ctx = { pdf, invoice, labels, title };

  let y = drawFirstPage(ctx);
  y = drawLines(ctx, y + 16);
  y = drawSummary(ctx, y + 14);
  y = drawPrepayments(ctx, y);
  y = drawVatInformation(ctx, y + 12);
  y = invoice.kind === 'invoice' ? drawPaymentBox(ctx, y + 16) : drawCreditBox(ctx, y + 16);
  y = drawTextSection(pdf, labels.notes, invoice.notes, y + 18);
  drawTextSection(pdf, labels.terms, invoice.terms, y + 12);

  const abroad = differentCountry(invoice.buyer.country, invoice.seller.country);
  decoratePages(pdf, (page, pages) => {
    if (invoice.draft) drawDraftMarker(pdf, labels.draftMarker);
    if (page > 1) drawRunningHeader(pdf, `${title} ${reference}`, invoice.seller.name);
    drawInvoiceFooter(ctx, abroad, page, pages);
  });
  return finish(pdf);
}

interface Ctx {
  readonly pdf: Pdf;
  readonly invoice: InvoiceDocument;
  readonly labels: InvoiceLabels;
  readonly title: string;
}

const money = (ctx: Ctx, minor: bigint): string => formatMoney(minor, ctx.invoice.currency, ctx.invoice.language);
const amount = (ctx: Ctx, minor: bigint): string => formatMinor(minor, ctx.invoice.currency, ctx.invoice.language);
const period = (p: { from: string; to: string }): string => `${formatDate(p.from)} – ${formatDate(p.to)}`;

/** Heading, facts and the buyer's address. Returns the y below them. */
function drawFirstPage(ctx: Ctx): number {
  const { pdf, invoice, labels } = ctx;
  const credit = invoice.kind === 'credit_note';
  const subLines: string[] = [];
  if (invoice.creditedInvoice !== null) {
    subLines.push(labels.creditsInvoice(invoice.creditedInvoice.number, formatDate(invoice.creditedInvoice.issueDate)));
  }
  if (invoice.draft) subLines.push(labels.draftNotice);
  const blockTop = drawDocumentHeading(pdf, {
    sellerName: invoice.seller.name,
    logoPng: invoice.seller.logoPng,
    title: ctx.title,
    reference: invoice.number ?? labels.draftMarker,
    subLines,
  });

  const facts: [string, string][] = [];
  if (invoice.number !== null) facts.push([credit ? labels.creditNoteNumber : labels.invoiceNumber, invoice.number]);
  facts.push([credit ? labels.creditNoteDate : labels.invoiceDate, formatDate(invoice.issueDate)]);
  if (invoice.dueDate !== null && !credit) facts.push([labels.dueDate, formatDate(invoice.dueDate)]);
  if (invoice.deliveryDate !== null) facts.push([labels.deliveryDate, formatDate(invoice.deliveryDate)]);
  if (invoice.deliveryPeriod != null) facts.push([labels.deliveryPeriod, period(invoice.deliveryPeriod)]);
  if (invoice.paymentTermsDays !== null && !credit) facts.push([labels.paymentTerms, labels.paymentTermsValue(invoice.paymentTermsDays)]);
  facts.push([labels.currency, invoice.currency]);
  if (present(invoice.buyer.contactName)) facts.push([labels.yourReference, invoice.buyer.contactName]);
  if (present(invoice.customerOrderNumber)) facts.push([labels.customerOrderNumber, invoice.customerOrderNumber]);
  if (present(invoice.orderNumber)) facts.push([labels.orderNumber, invoice.orderNumber]);
  if (present(invoice.ourReference)) facts.push([labels.ourReference, invoice.ourReference]);
  if (present(invoice.creditReason)) facts.push([labels.creditReason, invoice.creditReason]);
  const factsBottom = drawFacts(pdf, facts, blockTop);

  const buyer = invoice.buyer;
  const ids: string[] = [];
  if (present(buyer.orgNumber)) ids.push(`${labels.orgNumber} ${buyer.orgNumber}`);
  if (present(buyer.vatNumber)) ids.push(`${labels.vatNumber} ${buyer.vatNumber}`);
  const addressBottom = drawAddressBlock(
    pdf,
    {
      heading: labels.customer,
      name: buyer.name,
      lines: addressLines(buyer, invoice.language, differentCountry(buyer.country, invoice.seller.country)),
      extra: ids,
    },
    blockTop,
  );
  return Math.max(factsBottom, addressBottom);
}

const discountText = (ctx: Ctx, line: InvoiceDocumentLine): string => discountCell(line, ctx.invoice.currency, ctx.invoice.language);

function drawLines(ctx: Ctx, y: number): number {
  const { pdf, invoice, labels } = ctx;
  const lang = invoice.language;
  const columns = pricedLineColumns(labels);
  const rows: TableRow[] = invoice.lines.map((line) => {
    const description: TablePart[] = [{ text: line.description }];
    const details: string[] = [];
    if (present(line.articleNumber)) details.push(`${labels.articleNumber} ${line.articleNumber}`);
    if (present(line.deliveryDate)) details.push(`${labels.deliveryDate} ${formatDate(line.deliveryDate)}`);
    if (line.deliveryPeriod != null) details.push(`${labels.deliveryPeriod} ${period(line.deliveryPeriod)}`);
    const note = line.vatCategory === 'S' || line.vatCategory === 'Z' ? null : labels.vatCategoryNote(line.vatCategory);
    if (note !== null) details.push(note);
    if (details.length > 0) description.push({ text: details.join(' · '), style: MARKER_STYLE });
    return {
      cells: [
        String(line.lineNo),
        description,
        `${formatQuantity(line.quantity, lang)}${NBSP}${unitLabel(line.unit, lang)}`,
        amount(ctx, line.unitPriceMinor),
        discountText(ctx, line),
        formatPercent(line.vatRate, lang),
        amount(ctx, line.netAmountMinor),
      ],
    };
  });
  return drawTable(pdf, { x: CONTENT_LEFT, y, columns, rows });
}

function drawSummary(ctx: Ctx, y: number): number {
  const { pdf, invoice, labels } = ctx;
  const totals: [string, string][] = [];
  if (invoice.invoiceDiscountMinor !== 0n) {
    totals.push([labels.subtotal, money(ctx, invoice.netTotalMinor + invoice.invoiceDiscountMinor)]);
    totals.push([labels.invoiceDiscount, money(ctx, -invoice.invoiceDiscountMinor)]);
  }
  totals.push([labels.netTotal, money(ctx, invoice.netTotalMinor)]);
  totals.push([labels.vatTotal, money(ctx, invoice.vatTotalMinor)]);
  if (invoice.roundingMinor !== 0n || invoice.prepaidMinor !== 0n) {
    totals.push([labels.grossTotal, money(ctx, invoice.grossTotalMinor)]);
    if (invoice.roundingMinor !== 0n) totals.push([labels.rounding, money(ctx, invoice.roundingMinor)]);
    if (invoice.prepaidMinor !== 0n) totals.push([labels.prepaid, money(ctx, -invoice.prepaidMinor)]);
  }
  const grandLabel = invoice.kind === 'credit_note' ? labels.amountCredited : labels.amountDue;
  return drawVatAndTotals(pdf, y, {
    vatHeading: labels.vatSummary,
    taxableHeading: labels.taxableAmount,
    vatAmountHeading: labels.vatAmount,
    vatRows: invoice.vatBreakdown.map((row) => {
      const note = labels.vatCategoryNote(row.vatCategory);
      return {
        label: labels.vatRate(formatPercent(row.vatRate, invoice.language)) + (note === null ? '' : ` (${note})`),
        taxable: money(ctx, row.taxableMinor),
        vat: money(ctx, row.vatMinor),
      };
    }),
    totals,
    grandTotal: [grandLabel, money(ctx, invoice.amountDueMinor)],
  });
}

/** Decision 0010: one row per deducted advance invoice, after the totals. */
function drawPrepayments(ctx: Ctx, y: number): number {
  const rows = ctx.invoice.prepayments ?? [];
  if (rows.length === 0) return y;
  const text = rows
    .map((r) => ctx.labels.prepaymentRow(r.invoiceNumber, amount(ctx, r.netMinor), amount(ctx, r.vatMinor), amount(ctx, r.netMinor + r.vatMinor)))
    .join('\n');
  return drawTextSection(ctx.pdf, ctx.labels.prepaid, text, y + 12);
}

/** The printed reason for a VAT row: its own, else the category's default; null for S and Z. */
export function exemptionText(row: InvoiceVatRow, labels: InvoiceLabels): string | null {
  if (row.vatCategory === 'S' || row.vatCategory === 'Z') return null;
  return present(row.exemptionReason) ? row.exemptionReason : labels.exemptionReason(row.vatCategory);
}

/** Exemption / reverse-charge texts and the VAT total in SEK; nothing when there is neither. */
function drawVatInformation(ctx: Ctx, y: number): number {
  const { pdf, invoice, labels } = ctx;
  const lines: string[] = [];
  for (const row of invoice.vatBreakdown) {
    const text = exemptionText(row, labels);
    if (text === null) continue;
    const withBuyer = BUYER_VAT_REQUIRED.has(row.vatCategory) && present(invoice.buyer.vatNumber)
      ? `${text} (${labels.vatNumber} ${invoice.buyer.vatNumber})`
      : text;
    if (!lines.includes(withBuyer)) lines.push(withBuyer);
  }
  if (invoice.vatTotalSekMinor !== null && invoice.vatTotalSekMinor !== undefined && invoice.currency !== 'SEK') {
    const rate = invoice.vatTotalSekRate;
    lines.push(rate
      ? labels.vatInCurrencyAtRate('SEK', formatMinor(invoice.vatTotalSekMinor, 'SEK', invoice.language), rate.rate, formatDate(rate.date))
      : `${labels.vatInCurrency('SEK')}: ${formatMoney(invoice.vatTotalSekMinor, 'SEK', invoice.language)}`);
  }
  if (lines.length === 0) return y - 12;
  const height = lineHeight(pdf, STYLE.bodyBold) + 3 + lines.reduce((acc, l) => acc + textHeight(pdf, l, CONTENT_WIDTH, STYLE.body) + 2, 0);
  y = ensureSpace(pdf, y, Math.min(height, CONTENT_BOTTOM - MARGIN.top));
  y += textLine(pdf, labels.vatInformation, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.bodyBold) + 3;
  for (const line of lines) {
    y = ensureSpace(pdf, y, textHeight(pdf, line, CONTENT_WIDTH, STYLE.body));
    y += textBlock(pdf, line, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body) + 2;
  }
  return y;
}

const BOX_PAD = 10;
const VALUE_STYLE: TextStyle = { font: FONT.bold, size: 10, color: COLOR.text };
const AMOUNT_STYLE: TextStyle = { font: FONT.bold, size: 13, color: COLOR.accent };

/**
 * The payment box of an invoice: amount to pay, due date and reference on the first row; bankgiro,
 * IBAN and BIC on the second; the late payment interest terms under it. Nothing to pay: only the terms.
 */
function drawPaymentBox(ctx: Ctx, y: number): number {
  const { pdf, invoice, labels } = ctx;
  const interest = lateInterestText(ctx);
  const interestHeight = textHeight(pdf, interest, CONTENT_WIDTH, STYLE.small);
  if (invoice.amountDueMinor === 0n) {
    y = ensureSpace(pdf, y, interestHeight);
    return y + textBlock(pdf, interest, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.small);
  }
  const seller = invoice.seller;
  const ref = invoice.paymentReference;
  const first: [string, string, TextStyle][] = [
    [labels.amountDue, money(ctx, invoice.amountDueMinor), AMOUNT_STYLE],
    [labels.dueDate, invoice.dueDate === null ? '–' : formatDate(invoice.dueDate), VALUE_STYLE],
    ref === null
      ? [labels.ocrReference, labels.referenceOnIssue, STYLE.body]
      : [ref.kind === 'ocr' ? labels.ocrReference : labels.rfReference, ref.value, VALUE_STYLE],
  ];
  const second: [string, string, TextStyle][] = [];
  if (present(seller.bankgiro)) second.push([labels.bankgiro, seller.bankgiro, VALUE_STYLE]);
  if (present(seller.iban)) second.push([labels.iban, seller.iban, VALUE_STYLE]);
  if (present(seller.bic)) second.push([labels.bic, seller.bic, VALUE_STYLE]);

  const labelLine = lineHeight(pdf, STYLE.small) + 2;
  const rowHeight = (cells: readonly [string, string, TextStyle][]): number =>
    cells.length === 0 ? 0 : labelLine + Math.max(...cells.map(([, , s]) => lineHeight(pdf, s)));
  const headingHeight = lineHeight(pdf, STYLE.bodyBold) + 6;
  const boxHeight = BOX_PAD + headingHeight + rowHeight(first) + (second.length > 0 ? 8 + rowHeight(second) : 0) + BOX_PAD;
  y = ensureSpace(pdf, y, boxHeight + 6 + interestHeight);

  pdf.save().lineWidth(1.2).strokeColor(COLOR.accent).rect(CONTENT_LEFT, y, CONTENT_WIDTH, boxHeight).stroke().restore();
  const innerX = CONTENT_LEFT + BOX_PAD;
  const innerWidth = CONTENT_WIDTH - 2 * BOX_PAD;
  let by = y + BOX_PAD;
  textLine(pdf, labels.paymentHeading.toUpperCase(), innerX, by, innerWidth, { ...STYLE.bodyBold, color: COLOR.accent });
  by += headingHeight;
  const drawRow = (cells: readonly [string, string, TextStyle][], widths: readonly number[]): void => {
    let cx = innerX;
    cells.forEach(([label, value, style], i) => {
      const w = widths[i] ?? innerWidth / cells.length;
      textLine(pdf, label, cx, by, w - 8, STYLE.small);
      textLine(pdf, value, cx, by + labelLine, w - 8, style);
      cx += w;
    });
    by += rowHeight(cells);
  };
  drawRow(first, [innerWidth * 0.36, innerWidth * 0.24, innerWidth * 0.4]);
  if (second.length > 0) {
    hRule(pdf, innerX, innerX + innerWidth, by + 4);
    by += 8;
    const widths = second.map(([label]) => (label === labels.iban ? innerWidth * 0.45 : label === labels.bankgiro ? innerWidth * 0.3 : innerWidth * 0.25));
    drawRow(second, widths);
  }
  y += boxHeight + 6;
  return y + textBlock(pdf, interest, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.small);
}

function lateInterestText(ctx: Ctx): string {
  const { invoice, labels } = ctx;
  const li = invoice.lateInterest;
  if (li === null) return labels.lateInterestDefault;
  if ('text' in li) return li.text;
  return labels.lateInterestRate(formatPercent(li.ratePercent, invoice.language));
}

/** A credit note's "Tillgodo" / "Credit" note in place of the payment box. */
function drawCreditBox(ctx: Ctx, y: number): number {
  const { pdf, invoice, labels } = ctx;
  const text = labels.creditText(money(ctx, invoice.amountDueMinor));
  const innerWidth = CONTENT_WIDTH - 2 * BOX_PAD;
  const headingHeight = lineHeight(pdf, STYLE.bodyBold) + 4;
  const boxHeight = BOX_PAD + headingHeight + textHeight(pdf, text, innerWidth, STYLE.body) + BOX_PAD;
  y = ensureSpace(pdf, y, boxHeight);
  pdf.save().lineWidth(1.2).strokeColor(COLOR.accent).rect(CONTENT_LEFT, y, CONTENT_WIDTH, boxHeight).stroke().restore();
  textLine(pdf, labels.creditHeading.toUpperCase(), CONTENT_LEFT + BOX_PAD, y + BOX_PAD, innerWidth, { ...STYLE.bodyBold, color: COLOR.accent });
  textBlock(pdf, text, CONTENT_LEFT + BOX_PAD, y + BOX_PAD + headingHeight, innerWidth, STYLE.body);
  return y + boxHeight;
}

/** "UTKAST" / "DRAFT" across the page, large and faint. */
function drawDraftMarker(pdf: Pdf, marker: string): void {
  const text = toWinAnsi(marker);
  pdf.save();
  pdf.rotate(-35, { origin: [PAGE_WIDTH / 2, PAGE_HEIGHT / 2] });
  pdf.font(FONT.bold).fontSize(110).fillColor('#c62828').fillOpacity(0.14);
  const width = pdf.widthOfString(text);
  pdf.text(text, PAGE_WIDTH / 2 - width / 2, PAGE_HEIGHT / 2 - 55, { lineBreak: false });
  pdf.restore();
}

/**
 * Footer of every page: the seller's address; registration (org.nr, VAT number, registered office,
 * F-skatt); contact and payment details (e-mail, phone, bankgiro, IBAN, BIC); page n of m.
 */
function drawInvoiceFooter(ctx: Ctx, showCountry: boolean, page: number, pages: number): void {
  const { pdf, invoice, labels } = ctx;
  const seller = invoice.seller;
  const top = CONTENT_BOTTOM + 12;
  hRule(pdf, CONTENT_LEFT, CONTENT_RIGHT, top);
  const address = [seller.name, ...addressLines(seller, invoice.language, showCountry)];
  const registration: string[] = [];
  if (present(seller.orgNumber)) registration.push(`${labels.orgNumber} ${seller.orgNumber}`);
  if (present(seller.vatNumber)) registration.push(`${labels.vatNumber} ${seller.vatNumber}`);
  if (present(seller.registeredOffice)) registration.push(`${labels.registeredOffice}: ${seller.registeredOffice}`);
  if (seller.fSkatt) registration.push(labels.fSkatt);
  const contact: string[] = [];
  if (present(seller.email)) contact.push(`${labels.email} ${seller.email}`);
  if (present(seller.phone)) contact.push(`${labels.phone} ${seller.phone}`);
  if (present(seller.bankgiro)) contact.push(`${labels.bankgiro} ${seller.bankgiro}`);
  if (present(seller.iban)) contact.push(`${labels.iban} ${seller.iban}`);
  if (present(seller.bic)) contact.push(`${labels.bic} ${seller.bic}`);
  const columnWidth = CONTENT_WIDTH / 3;
  [address, registration, contact].forEach((lines, i) => {
    let y = top + 6;
    lines.slice(0, 5).forEach((line, j) => {
      y += textLine(pdf, line, CONTENT_LEFT + i * columnWidth, y, columnWidth - 8, i === 0 && j === 0 ? STYLE.smallBold : STYLE.small);
    });
  });
  textLine(pdf, labels.pageOf(page, pages), CONTENT_LEFT, PAGE_HEIGHT - MARGIN.bottom / 4 - 6, CONTENT_WIDTH, STYLE.small, 'right');
}
