/**
 * The quote as a PDF (A4, pdfkit, built-in Helvetica), in the customer's language.
 *
 * Page 1: seller logo or name, title with number and version, quote facts, the customer's address
 * (right-hand side, where a window envelope shows it). Then the lines, continuing on as many pages
 * as needed with the table header repeated, the VAT summary beside the totals, notes and terms.
 * Every page: a footer with the seller's address, registration and contact details, and
 * "Sida n av m" / "Page n of m"; pages after the first repeat the title in a running header.
 *
 * The same QuoteDocument gives the same bytes: the PDF's dates come from the quote date, never the clock.
 */
import { isKnownCurrency } from '../../core/money/currency.js';
import {
  formatDate,
  formatMinor,
  formatMoney,
  formatPercent,
  formatQuantity,
  NBSP,
  quoteLabels,
  unitLabel,
  type QuoteLabels,
} from './i18n.js';
import {
  addressLines,
  COLOR,
  CONTENT_LEFT,
  CONTENT_RIGHT,
  CONTENT_WIDTH,
  createPdf,
  decoratePages,
  differentCountry,
  drawRunningHeader,
  drawSellerFooter,
  drawTable,
  drawTextSection,
  drawVatAndTotals,
  finish,
  FONT,
  lineHeight,
  present,
  STYLE,
  textBlock,
  textLine,
  type FooterOptions,
  type Pdf,
  type TableRow,
  type TextStyle,
  discountCell,
  pricedLineColumns,
} from './layout.js';
import {
  isLineIncluded,
  MAX_DESCRIPTION_LENGTH,
  MAX_FREE_TEXT_LENGTH,
  MAX_QUOTE_PDF_LINES,
  type QuoteDocument,
  type QuoteDocumentLine,
} from './quote-document.js';

const LOGO_BOX = { width: 160, height: 56 } as const;
/** Left edge of the customer block: about 113 mm from the page edge, inside a right-hand envelope window. */
const BUYER_X = 320;
const FIRST_PAGE_TOP = 44;

/**
 * Refuses a quote the PDF would misstate: unknown currency, malformed dates or version, too many
 * lines or too much text, or totals that do not add up (Σ included lines − quote discount = net = Σ taxable,
 * Σ VAT = VAT total, net + VAT = gross).
 */
export function checkQuoteDocument(doc: QuoteDocument): void {
  const fail = (message: string): never => {
    throw new Error(`quote ${doc.number} v${doc.version}: ${message}`);
  };
  if (doc.language !== 'sv' && doc.language !== 'en') fail(`unsupported language '${String(doc.language)}'`);
  if (doc.number.trim() === '' || doc.number.length > 100) fail('number must be 1-100 characters');
  if (!Number.isSafeInteger(doc.version) || doc.version < 1) fail(`version must be a whole number ≥ 1, got ${doc.version}`);
  formatDate(doc.quoteDate);
  formatDate(doc.validUntil);
  if (doc.validUntil < doc.quoteDate) fail(`valid until ${doc.validUntil} is before the quote date ${doc.quoteDate}`);
  if (!isKnownCurrency(doc.currency)) fail(`unknown currency '${doc.currency}'`);
  if (!Number.isSafeInteger(doc.paymentTermsDays) || doc.paymentTermsDays < 0 || doc.paymentTermsDays > 3650) {
    fail(`payment terms must be 0-3650 days, got ${doc.paymentTermsDays}`);
  }
  if (doc.lines.length > MAX_QUOTE_PDF_LINES) fail(`${doc.lines.length} lines, at most ${MAX_QUOTE_PDF_LINES} can be printed`);
  const long = doc.lines.find((l) => l.description.length > MAX_DESCRIPTION_LENGTH);
  if (long !== undefined) fail(`line ${long.lineNo}: description longer than ${MAX_DESCRIPTION_LENGTH} characters`);
  for (const [name, text] of [['notes', doc.notes], ['terms', doc.terms]] as const) {
    if (text !== null && text.length > MAX_FREE_TEXT_LENGTH) fail(`${name} longer than ${MAX_FREE_TEXT_LENGTH} characters`);
  }

  const linesNet = doc.lines.filter(isLineIncluded).reduce((acc, l) => acc + l.netAmountMinor, 0n);
  if (linesNet - doc.quoteDiscountMinor !== doc.netTotalMinor) {
    fail(`included lines ${linesNet} less quote discount ${doc.quoteDiscountMinor} is not the net total ${doc.netTotalMinor}`);
  }
  const taxable = doc.vatBreakdown.reduce((acc, r) => acc + r.taxableMinor, 0n);
  if (taxable !== doc.netTotalMinor) fail(`VAT breakdown taxable ${taxable} is not the net total ${doc.netTotalMinor}`);
  const vat = doc.vatBreakdown.reduce((acc, r) => acc + r.vatMinor, 0n);
  if (vat !== doc.vatTotalMinor) fail(`VAT breakdown ${vat} is not the VAT total ${doc.vatTotalMinor}`);
  if (doc.netTotalMinor + doc.vatTotalMinor !== doc.grossTotalMinor) {
    fail(`net ${doc.netTotalMinor} + VAT ${doc.vatTotalMinor} is not the gross total ${doc.grossTotalMinor}`);
  }
}

/** "Q-2026-0001 v2" */
export function quoteReference(doc: Pick<QuoteDocument, 'number' | 'version'>): string {
  return `${doc.number} v${doc.version}`;
}

export async function renderQuotePdf(quote: QuoteDocument): Promise<Buffer> {
  checkQuoteDocument(quote);
  const labels = quoteLabels(quote.language);
  const reference = quoteReference(quote);
  const pdf = createPdf({
    title: `${labels.title} ${reference}`,
    author: quote.seller.name,
    subject: `${labels.title} ${reference} – ${quote.buyer.name}`,
    lang: quote.language === 'sv' ? 'sv-SE' : 'en',
    date: new Date(`${quote.quoteDate}T00:00:00Z`),
  });
  const ctx: Ctx = { pdf, quote, labels, reference };

  let y = drawFirstPageHeader(ctx);
  y = drawLines(ctx, y + 20);
  if (quote.lines.some((l) => l.optional && !l.selected)) {
    y += 4;
    y += textLine(pdf, labels.optionalNotIncluded, CONTENT_LEFT, y, CONTENT_WIDTH, { ...STYLE.small, font: FONT.italic });
  }
  y = drawSummary(ctx, y + 14);
  y = drawTextSection(pdf, labels.notes, quote.notes, y + 18);
  drawTextSection(pdf, labels.terms, quote.terms, y + 12);

  const footer: FooterOptions = { seller: quote.seller, labels, lang: quote.language, showCountry: isAbroad(ctx), showPayment: true };
  decoratePages(pdf, (page, pages) => {
    if (page > 1) drawRunningHeader(pdf, `${labels.title} ${reference}`, quote.seller.name);
    drawSellerFooter(pdf, footer, page, pages);
  });
  return finish(pdf);
}

interface Ctx {
  readonly pdf: Pdf;
  readonly quote: QuoteDocument;
  readonly labels: QuoteLabels;
  readonly reference: string;
}

const money = (ctx: Ctx, minor: bigint): string => formatMoney(minor, ctx.quote.currency, ctx.quote.language);
const amount = (ctx: Ctx, minor: bigint): string => formatMinor(minor, ctx.quote.currency, ctx.quote.language);

function isAbroad(ctx: Ctx): boolean {
  return differentCountry(ctx.quote.buyer.country, ctx.quote.seller.country);
}

/** Logo or name, title, facts and the customer's address. Returns the y below them. */
function drawFirstPageHeader(ctx: Ctx): number {
  const { pdf, quote, labels } = ctx;
  const top = FIRST_PAGE_TOP;

  // Seller: logo, or the name set large when there is none.
  let leftBottom: number;
  if (quote.seller.logoPng) {
    pdf.image(quote.seller.logoPng, CONTENT_LEFT, top, { fit: [LOGO_BOX.width, LOGO_BOX.height] });
    leftBottom = top + LOGO_BOX.height;
  } else {
    const nameStyle: TextStyle = { font: FONT.bold, size: 16, color: COLOR.accent };
    leftBottom = top + textBlock(pdf, quote.seller.name, CONTENT_LEFT, top + 4, 260, nameStyle, { maxHeight: 60 }) + 4;
  }

  // Title and reference, right-aligned.
  const titleWidth = CONTENT_RIGHT - BUYER_X;
  textLine(pdf, labels.title, BUYER_X, top, titleWidth, { font: FONT.bold, size: 24, color: COLOR.accent }, 'right');
  textLine(pdf, ctx.reference, BUYER_X, top + 30, titleWidth, { font: FONT.bold, size: 11, color: COLOR.text }, 'right');

  const blockTop = Math.max(leftBottom, top + 48) + 26;

  // Facts, label and value in two columns.
  const facts: [string, string][] = [
    [labels.quoteDate, formatDate(quote.quoteDate)],
    [labels.validUntil, formatDate(quote.validUntil)],
    [labels.paymentTerms, labels.paymentTermsValue(quote.paymentTermsDays)],
    [labels.currency, quote.currency],
  ];
  if (present(quote.buyer.contactName)) facts.push([labels.yourReference, quote.buyer.contactName]);
  const labelWidth = 92;
  const valueWidth = BUYER_X - 20 - CONTENT_LEFT - labelWidth;
  let fy = blockTop + lineHeight(pdf, STYLE.small) + 3; // level with the customer's name
  for (const [label, value] of facts) {
    textLine(pdf, label, CONTENT_LEFT, fy, labelWidth, STYLE.label);
    fy += Math.max(
      lineHeight(pdf, STYLE.body),
      textBlock(pdf, value, CONTENT_LEFT + labelWidth, fy, valueWidth, STYLE.body, { maxHeight: 40 }),
    ) + 2.5;
  }

  // Customer.
  const buyer = quote.buyer;
  const width = CONTENT_RIGHT - BUYER_X;
  let by = blockTop;
  by += textLine(pdf, labels.customer.toUpperCase(), BUYER_X, by, width, STYLE.small) + 3;
  by += textBlock(pdf, buyer.name, BUYER_X, by, width, { font: FONT.bold, size: 10, color: COLOR.text }, { maxHeight: 40 }) + 1;
  const addressStyle: TextStyle = { ...STYLE.body, size: 9.5 };
  for (const line of addressLines(buyer, quote.language, isAbroad(ctx))) {
    by += textBlock(pdf, line, BUYER_X, by, width, addressStyle, { maxHeight: 24 });
  }
  by += 3;
  const ids: string[] = [];
  if (present(buyer.orgNumber)) ids.push(`${labels.orgNumber} ${buyer.orgNumber}`);
  if (present(buyer.vatNumber)) ids.push(`${labels.vatNumber} ${buyer.vatNumber}`);
  for (const id of ids) by += textLine(pdf, id, BUYER_X, by, width, STYLE.label);

  return Math.max(fy, by);
}

const discountText = (ctx: Ctx, line: QuoteDocumentLine): string => discountCell(line, ctx.quote.currency, ctx.quote.language);

function drawLines(ctx: Ctx, y: number): number {
  const { pdf, quote, labels } = ctx;
  const lang = quote.language;
  const columns = pricedLineColumns(labels);
  const excluded: TextStyle = { ...STYLE.body, color: COLOR.faint };
  const marker: TextStyle = { font: FONT.italic, size: 7.5, color: COLOR.accent };

  const component: TextStyle = { ...STYLE.small, color: COLOR.muted };
  const rows: TableRow[] = quote.lines.flatMap((line) => {
    const included = isLineIncluded(line);
    const rowStyle = included ? STYLE.body : excluded;
    const description = line.optional
      ? [
          { text: line.description, style: rowStyle },
          { text: line.selected ? labels.optionalSelected : labels.optionalNotSelected, style: marker },
        ]
      : line.description;
    const row: TableRow = {
      style: rowStyle,
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
    // A bundle shown expanded: its components under it, quantities only (the line carries the price).
    const components: TableRow[] = (line.components ?? []).map((c, k) => ({
      style: component,
      continuation: true,
      cells: [
        '',
        [
          ...(k === 0 ? [{ text: labels.bundleIncludes, style: { ...component, font: FONT.italic }, indent: 8 }] : []),
          { text: c.description, indent: 8 },
        ],
        `${formatQuantity(c.quantity, lang)}${NBSP}${unitLabel(c.unit, lang)}`,
      ],
    }));
    return [row, ...components];
  });
  return drawTable(pdf, { x: CONTENT_LEFT, y, columns, rows });
}

/** VAT summary (left) beside the totals (right), kept together on one page. */
function drawSummary(ctx: Ctx, y: number): number {
  const { pdf, quote, labels } = ctx;
  const totals: [string, string][] = [];
  if (quote.quoteDiscountMinor !== 0n) {
    totals.push([labels.subtotal, money(ctx, quote.netTotalMinor + quote.quoteDiscountMinor)]);
    totals.push([labels.quoteDiscount, money(ctx, -quote.quoteDiscountMinor)]);
  }
  totals.push([labels.netTotal, money(ctx, quote.netTotalMinor)]);
  totals.push([labels.vatTotal, money(ctx, quote.vatTotalMinor)]);
  const rounding = quote.roundingMinor ?? 0n;
  if (rounding !== 0n) totals.push([labels.rounding, money(ctx, rounding)]);
  return drawVatAndTotals(pdf, y, {
    vatHeading: labels.vatSummary,
    taxableHeading: labels.taxableAmount,
    vatAmountHeading: labels.vatAmount,
    vatRows: quote.vatBreakdown.map((row) => {
      const note = labels.vatCategoryNote(row.vatCategory);
      return {
        label: labels.vatRate(formatPercent(row.vatRate, quote.language)) + (note === null ? '' : ` (${note})`),
        taxable: money(ctx, row.taxableMinor),
        vat: money(ctx, row.vatMinor),
      };
    }),
    totals,
    grandTotal: [labels.grossTotal, money(ctx, quote.grossTotalMinor + rounding)],
  });
}
