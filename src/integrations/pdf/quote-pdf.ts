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
  countryName,
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
  COLOR,
  CONTENT_BOTTOM,
  CONTENT_LEFT,
  CONTENT_RIGHT,
  CONTENT_WIDTH,
  createPdf,
  decoratePages,
  drawTable,
  ensureSpace,
  finish,
  FONT,
  hRule,
  lineHeight,
  MARGIN,
  PAGE_HEIGHT,
  STYLE,
  textBlock,
  textHeight,
  textLine,
  type Pdf,
  type TableColumn,
  type TableRow,
  type TextStyle,
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
  y = drawTextSection(ctx, labels.notes, quote.notes, y + 18);
  drawTextSection(ctx, labels.terms, quote.terms, y + 12);

  decoratePages(pdf, (page, pages) => {
    if (page > 1) drawRunningHeader(ctx);
    drawFooter(ctx, page, pages);
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

function present(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value.trim() !== '';
}

/** Address lines of a party: street lines, postal code and city, and the country when it is not the seller's. */
function addressLines(ctx: Ctx, party: QuoteDocument['buyer'] | QuoteDocument['seller'], showCountry: boolean): string[] {
  const lines = [party.addressLine1, party.addressLine2].filter(present);
  const place = [party.postalCode, party.city].filter(present).join(' ');
  if (place !== '') lines.push(place);
  if (showCountry && present(party.country)) lines.push(countryName(party.country, ctx.quote.language));
  return lines;
}

function isAbroad(ctx: Ctx): boolean {
  return ctx.quote.buyer.country.trim().toUpperCase() !== ctx.quote.seller.country.trim().toUpperCase();
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
  for (const line of addressLines(ctx, buyer, isAbroad(ctx))) {
    by += textBlock(pdf, line, BUYER_X, by, width, addressStyle, { maxHeight: 24 });
  }
  by += 3;
  const ids: string[] = [];
  if (present(buyer.orgNumber)) ids.push(`${labels.orgNumber} ${buyer.orgNumber}`);
  if (present(buyer.vatNumber)) ids.push(`${labels.vatNumber} ${buyer.vatNumber}`);
  for (const id of ids) by += textLine(pdf, id, BUYER_X, by, width, STYLE.label);

  return Math.max(fy, by);
}

function discountText(ctx: Ctx, line: QuoteDocumentLine): string {
  if (line.discountPercent !== null && line.discountPercent.scaled !== 0n) return formatPercent(line.discountPercent, ctx.quote.language);
  if (line.discountAmountMinor !== 0n) return amount(ctx, line.discountAmountMinor);
  return '';
}

function drawLines(ctx: Ctx, y: number): number {
  const { pdf, quote, labels } = ctx;
  const lang = quote.language;
  const fixed: TableColumn[] = [
    { header: labels.colQuantity, width: 64, align: 'right' },
    { header: labels.colUnitPrice, width: 68, align: 'right' },
    { header: labels.colDiscount, width: 50, align: 'right' },
    { header: labels.colVat, width: 38, align: 'right' },
    { header: labels.colAmount, width: 74, align: 'right' },
  ];
  const noWidth = 24;
  const descriptionWidth = CONTENT_WIDTH - noWidth - fixed.reduce((acc, c) => acc + c.width, 0);
  const columns: TableColumn[] = [
    { header: labels.colNo, width: noWidth, align: 'left' },
    { header: labels.colDescription, width: descriptionWidth, align: 'left', wrap: true },
    ...fixed,
  ];
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
  const totalsX = 316;
  const totalsWidth = CONTENT_RIGHT - totalsX;
  const rowGap = 4;

  const totals: [string, string][] = [];
  if (quote.quoteDiscountMinor !== 0n) {
    totals.push([labels.subtotal, money(ctx, quote.netTotalMinor + quote.quoteDiscountMinor)]);
    totals.push([labels.quoteDiscount, money(ctx, -quote.quoteDiscountMinor)]);
  }
  totals.push([labels.netTotal, money(ctx, quote.netTotalMinor)]);
  totals.push([labels.vatTotal, money(ctx, quote.vatTotalMinor)]);

  const bodyLine = lineHeight(pdf, STYLE.body) + rowGap;
  const grandStyle: TextStyle = { font: FONT.bold, size: 11, color: COLOR.text };
  const totalsHeight = totals.length * bodyLine + 8 + lineHeight(pdf, grandStyle) + 6;
  const vatHeight = quote.vatBreakdown.length === 0 ? 0 : (2 + quote.vatBreakdown.length) * bodyLine + 4;
  y = ensureSpace(pdf, y, Math.max(totalsHeight, vatHeight));

  // VAT summary: rate (with the category's words when not standard rated), taxable amount, VAT.
  if (quote.vatBreakdown.length > 0) {
    const cols = { label: 96, taxable: 78, vat: 70 };
    const x0 = CONTENT_LEFT;
    const x1 = x0 + cols.label;
    const x2 = x1 + cols.taxable;
    let vy = y;
    vy += textLine(pdf, labels.vatSummary, x0, vy, cols.label + cols.taxable + cols.vat, STYLE.bodyBold) + rowGap;
    textLine(pdf, labels.taxableAmount, x1, vy, cols.taxable, STYLE.small, 'right');
    textLine(pdf, labels.vatAmount, x2, vy, cols.vat, STYLE.small, 'right');
    vy += lineHeight(pdf, STYLE.small) + 2;
    hRule(pdf, x0, x2 + cols.vat, vy);
    vy += 3;
    for (const row of quote.vatBreakdown) {
      const note = labels.vatCategoryNote(row.vatCategory);
      const label = labels.vatRate(formatPercent(row.vatRate, quote.language)) + (note === null ? '' : ` (${note})`);
      textLine(pdf, label, x0, vy, cols.label - 4, STYLE.body);
      textLine(pdf, money(ctx, row.taxableMinor), x1, vy, cols.taxable, STYLE.body, 'right');
      textLine(pdf, money(ctx, row.vatMinor), x2, vy, cols.vat, STYLE.body, 'right');
      vy += bodyLine;
    }
  }

  // Totals: label left, amount right; the amount to pay set larger under a rule.
  let ty = y;
  for (const [label, value] of totals) {
    textLine(pdf, label, totalsX, ty, totalsWidth * 0.55, STYLE.body);
    textLine(pdf, value, totalsX + totalsWidth * 0.45, ty, totalsWidth * 0.55, STYLE.body, 'right');
    ty += bodyLine;
  }
  ty += 2;
  hRule(pdf, totalsX, CONTENT_RIGHT, ty, COLOR.text, 0.8);
  ty += 6;
  textLine(pdf, labels.grossTotal, totalsX, ty, totalsWidth * 0.5, grandStyle);
  ty += textLine(pdf, money(ctx, quote.grossTotalMinor), totalsX + totalsWidth * 0.35, ty, totalsWidth * 0.65, grandStyle, 'right');
  hRule(pdf, totalsX, CONTENT_RIGHT, ty + 2, COLOR.text, 0.8);
  hRule(pdf, totalsX, CONTENT_RIGHT, ty + 4, COLOR.text, 0.8);
  return Math.max(y + vatHeight, ty + 6);
}

/** A heading and free text (notes, terms); the text flows onto new pages as needed. */
function drawTextSection(ctx: Ctx, heading: string, text: string | null, y: number): number {
  if (!present(text)) return y - 12;
  const { pdf } = ctx;
  const firstLines = Math.min(textHeight(pdf, text, CONTENT_WIDTH, STYLE.body), 3 * lineHeight(pdf, STYLE.body));
  y = ensureSpace(pdf, y, lineHeight(pdf, STYLE.bodyBold) + 3 + firstLines);
  y += textLine(pdf, heading, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.bodyBold) + 3;
  // Flowing text: pdfkit continues it on new pages within the margins.
  textBlock(pdf, text.trim(), CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body);
  return pdf.y;
}

/** Pages after the first: title and reference left, seller right, a rule under them. */
function drawRunningHeader(ctx: Ctx): void {
  const { pdf, labels } = ctx;
  const y = 30;
  const half = CONTENT_WIDTH / 2;
  textLine(pdf, `${labels.title} ${ctx.reference}`, CONTENT_LEFT, y, half, STYLE.bodyBold);
  textLine(pdf, ctx.quote.seller.name, CONTENT_LEFT + half, y, half, STYLE.label, 'right');
  hRule(pdf, CONTENT_LEFT, CONTENT_RIGHT, y + 14);
}

/** Seller's address, registration (org.nr, VAT number, F-skatt) and contact details; page n of m. */
function drawFooter(ctx: Ctx, page: number, pages: number): void {
  const { pdf, quote, labels } = ctx;
  const seller = quote.seller;
  const top = CONTENT_BOTTOM + 12;
  hRule(pdf, CONTENT_LEFT, CONTENT_RIGHT, top);

  const address = [seller.name, ...addressLines(ctx, seller, isAbroad(ctx))];
  const registration: string[] = [];
  if (present(seller.orgNumber)) registration.push(`${labels.orgNumber} ${seller.orgNumber}`);
  if (present(seller.vatNumber)) registration.push(`${labels.vatNumber} ${seller.vatNumber}`);
  if (seller.fSkatt) registration.push(labels.fSkatt);
  const contact: string[] = [];
  if (present(seller.email)) contact.push(`${labels.email} ${seller.email}`);
  if (present(seller.phone)) contact.push(`${labels.phone} ${seller.phone}`);
  if (present(seller.bankgiro)) contact.push(`${labels.bankgiro} ${seller.bankgiro}`);

  const columnWidth = CONTENT_WIDTH / 3;
  const maxLines = 5;
  [address, registration, contact].forEach((lines, i) => {
    let y = top + 6;
    lines.slice(0, maxLines).forEach((line, j) => {
      y += textLine(pdf, line, CONTENT_LEFT + i * columnWidth, y, columnWidth - 8, i === 0 && j === 0 ? STYLE.smallBold : STYLE.small);
    });
  });
  textLine(pdf, labels.pageOf(page, pages), CONTENT_LEFT, PAGE_HEIGHT - MARGIN.bottom / 4 - 6, CONTENT_WIDTH, STYLE.small, 'right');
}
