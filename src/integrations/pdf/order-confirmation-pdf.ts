/**
 * The order confirmation as a PDF (A4, pdfkit, built-in Helvetica), in the customer's language, in
 * the quote PDF's style.
 *
 * Page 1: seller logo or name; title, order number, version (from 2 on) and the quote it came from;
 * order facts; the customer's address where a window envelope shows it; a sentence confirming the
 * order. Then the lines (bundles with their components as indented sub-rows), continuing on as many
 * pages as needed with the table header repeated, the VAT summary beside the totals, notes and terms.
 * Every page: the seller's footer and "Sida n av m" / "Page n of m"; later pages a running header.
 *
 * The same document gives the same bytes: the PDF's dates come from the order date, never the clock.
 */
import { isKnownCurrency } from '../../core/money/currency.js';
import {
  formatDate,
  formatMinor,
  formatMoney,
  formatPercent,
  formatQuantity,
  NBSP,
  orderConfirmationLabels,
  unitLabel,
  type OrderConfirmationLabels,
} from './i18n.js';
import {
  addressLines,
  COMPONENT_STYLE,
  componentDescription,
  CONTENT_LEFT,
  CONTENT_WIDTH,
  createPdf,
  decoratePages,
  describedWithComponents,
  differentCountry,
  drawAddressBlock,
  drawDocumentHeading,
  drawFacts,
  drawRunningHeader,
  drawSellerFooter,
  drawTable,
  drawTextSection,
  drawVatAndTotals,
  ensureSpace,
  finish,
  present,
  STYLE,
  textBlock,
  textHeight,
  type Pdf,
  type TableRow,
  discountCell,
  pricedLineColumns,
} from './layout.js';
import { checkCommon, type OrderConfirmationDocument, type OrderConfirmationLine } from './order-document.js';
import { MAX_DESCRIPTION_LENGTH, MAX_FREE_TEXT_LENGTH } from './quote-document.js';

/**
 * Refuses an order confirmation the PDF would misstate: unknown currency, malformed dates, version or
 * quote reference, too many lines or too much text, negative quantities, or totals that do not add up
 * (Σ line net − order discount = net = Σ taxable, Σ VAT = VAT total, net + VAT = gross).
 */
export function checkOrderConfirmationDocument(doc: OrderConfirmationDocument): void {
  const fail = (message: string): never => {
    throw new Error(`order confirmation ${doc.number} v${doc.version}: ${message}`);
  };
  checkCommon(doc, (i) => `line ${doc.lines[i]?.lineNo ?? i + 1}`, fail, { maxDescription: MAX_DESCRIPTION_LENGTH });
  if (!Number.isSafeInteger(doc.version) || doc.version < 1) fail(`version must be a whole number ≥ 1, got ${doc.version}`);
  if (doc.quote !== null) {
    if (doc.quote.number.trim() === '' || doc.quote.number.length > 100) fail('quote number must be 1-100 characters');
    if (!Number.isSafeInteger(doc.quote.version) || doc.quote.version < 1) fail(`quote version must be a whole number ≥ 1, got ${doc.quote.version}`);
  }
  formatDate(doc.orderDate);
  for (const [name, date] of [
    ['requested delivery date', doc.requestedDeliveryDate],
    ['expected delivery date', doc.expectedDeliveryDate],
  ] as const) {
    if (date === null || date === undefined) continue;
    formatDate(date);
    if (date < doc.orderDate) fail(`${name} ${date} is before the order date ${doc.orderDate}`);
  }
  if (!isKnownCurrency(doc.currency)) fail(`unknown currency '${doc.currency}'`);
  if (!Number.isSafeInteger(doc.paymentTermsDays) || doc.paymentTermsDays < 0 || doc.paymentTermsDays > 3650) {
    fail(`payment terms must be 0-3650 days, got ${doc.paymentTermsDays}`);
  }
  for (const [name, text] of [['notes', doc.notes], ['terms', doc.terms]] as const) {
    if (text !== null && text.length > MAX_FREE_TEXT_LENGTH) fail(`${name} longer than ${MAX_FREE_TEXT_LENGTH} characters`);
  }
  const negative = doc.lines.find((l) => l.quantity.scaled < 0n);
  if (negative !== undefined) fail(`line ${negative.lineNo}: negative quantity`);

  const linesNet = doc.lines.reduce((acc, l) => acc + l.netAmountMinor, 0n);
  if (linesNet - doc.orderDiscountMinor !== doc.netTotalMinor) {
    fail(`lines ${linesNet} less order discount ${doc.orderDiscountMinor} is not the net total ${doc.netTotalMinor}`);
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
function quoteReference(quote: { number: string; version: number }): string {
  return `${quote.number} v${quote.version}`;
}

export async function renderOrderConfirmationPdf(order: OrderConfirmationDocument): Promise<Buffer> {
  checkOrderConfirmationDocument(order);
  const labels = orderConfirmationLabels(order.language);
  const pdf = createPdf({
    title: `${labels.title} ${order.number}`,
    author: order.seller.name,
    subject: `${labels.title} ${order.number} – ${order.buyer.name}`,
    lang: order.language === 'sv' ? 'sv-SE' : 'en',
    date: new Date(`${order.orderDate}T00:00:00Z`),
  });
  const ctx: Ctx = { pdf, order, labels };

  let y = drawFirstPage(ctx);
  y = drawLines(ctx, y + 16);
  y = drawSummary(ctx, y + 14);
  y = drawTextSection(pdf, labels.notes, order.notes, y + 18);
  drawTextSection(pdf, labels.terms, order.terms, y + 12);

  const abroad = differentCountry(order.buyer.country, order.seller.country);
  const runningTitle = `${labels.title} ${order.number}${order.version > 1 ? ` – ${labels.version(order.version)}` : ''}`;
  decoratePages(pdf, (page, pages) => {
    if (page > 1) drawRunningHeader(pdf, runningTitle, order.seller.name);
    drawSellerFooter(pdf, { seller: order.seller, labels, lang: order.language, showCountry: abroad, showPayment: true }, page, pages);
  });
  return finish(pdf);
}

interface Ctx {
  readonly pdf: Pdf;
  readonly order: OrderConfirmationDocument;
  readonly labels: OrderConfirmationLabels;
}

const money = (ctx: Ctx, minor: bigint): string => formatMoney(minor, ctx.order.currency, ctx.order.language);
const amount = (ctx: Ctx, minor: bigint): string => formatMinor(minor, ctx.order.currency, ctx.order.language);

/** Heading, facts, the customer's address and the confirming sentence. Returns the y below them. */
function drawFirstPage(ctx: Ctx): number {
  const { pdf, order, labels } = ctx;
  const subLines: string[] = [];
  if (order.version > 1) subLines.push(labels.version(order.version));
  if (order.quote !== null) subLines.push(labels.basedOnQuote(quoteReference(order.quote)));
  const blockTop = drawDocumentHeading(pdf, {
    sellerName: order.seller.name,
    logoPng: order.seller.logoPng,
    title: labels.title,
    reference: order.number,
    subLines,
  });

  const facts: [string, string][] = [
    [labels.orderNumber, order.number],
    [labels.orderDate, formatDate(order.orderDate)],
  ];
  if (present(order.requestedDeliveryDate)) facts.push([labels.requestedDeliveryDate, formatDate(order.requestedDeliveryDate)]);
  if (present(order.expectedDeliveryDate)) facts.push([labels.expectedDeliveryDate, formatDate(order.expectedDeliveryDate)]);
  facts.push([labels.paymentTerms, labels.paymentTermsValue(order.paymentTermsDays)]);
  facts.push([labels.currency, order.currency]);
  if (present(order.buyer.contactName)) facts.push([labels.yourReference, order.buyer.contactName]);
  if (present(order.customerOrderNumber)) facts.push([labels.customerOrderNumber, order.customerOrderNumber]);
  if (present(order.ourReference)) facts.push([labels.ourReference, order.ourReference]);
  const factsBottom = drawFacts(pdf, facts, blockTop);

  const buyer = order.buyer;
  const ids: string[] = [];
  if (present(buyer.orgNumber)) ids.push(`${labels.orgNumber} ${buyer.orgNumber}`);
  if (present(buyer.vatNumber)) ids.push(`${labels.vatNumber} ${buyer.vatNumber}`);
  const addressBottom = drawAddressBlock(
    pdf,
    {
      heading: labels.customer,
      name: buyer.name,
      lines: addressLines(buyer, order.language, differentCountry(buyer.country, order.seller.country)),
      extra: ids,
    },
    blockTop,
  );

  let y = Math.max(factsBottom, addressBottom) + 14;
  const intro = order.version > 1 ? `${labels.intro} ${labels.amended(order.version)}` : labels.intro;
  y = ensureSpace(pdf, y, textHeight(pdf, intro, CONTENT_WIDTH, STYLE.body));
  y += textBlock(pdf, intro, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body);
  return y;
}

const discountText = (ctx: Ctx, line: OrderConfirmationLine): string => discountCell(line, ctx.order.currency, ctx.order.language);

function drawLines(ctx: Ctx, y: number): number {
  const { pdf, order, labels } = ctx;
  const lang = order.language;
  const columns = pricedLineColumns(labels);
  const quantityText = (quantity: OrderConfirmationLine['quantity'], unit: string): string =>
    `${formatQuantity(quantity, lang)}${NBSP}${unitLabel(unit, lang)}`;

  const rows: TableRow[] = order.lines.flatMap((line) => {
    const components = line.components ?? [];
    const main: TableRow = {
      cells: [
        String(line.lineNo),
        describedWithComponents(line.description, labels.bundleIncludes, components.length > 0),
        quantityText(line.quantity, line.unit),
        amount(ctx, line.unitPriceMinor),
        discountText(ctx, line),
        formatPercent(line.vatRate, lang),
        amount(ctx, line.netAmountMinor),
      ],
    };
    const subRows: TableRow[] = components.map((c) => ({
      continuation: true,
      style: COMPONENT_STYLE,
      cells: ['', componentDescription(c.description), quantityText(c.quantity, c.unit)],
    }));
    return [main, ...subRows];
  });
  return drawTable(pdf, { x: CONTENT_LEFT, y, columns, rows });
}

function drawSummary(ctx: Ctx, y: number): number {
  const { pdf, order, labels } = ctx;
  const totals: [string, string][] = [];
  if (order.orderDiscountMinor !== 0n) {
    totals.push([labels.subtotal, money(ctx, order.netTotalMinor + order.orderDiscountMinor)]);
    totals.push([labels.orderDiscount, money(ctx, -order.orderDiscountMinor)]);
  }
  totals.push([labels.netTotal, money(ctx, order.netTotalMinor)]);
  totals.push([labels.vatTotal, money(ctx, order.vatTotalMinor)]);
  const rounding = order.roundingMinor ?? 0n;
  if (rounding !== 0n) totals.push([labels.rounding, money(ctx, rounding)]);
  return drawVatAndTotals(pdf, y, {
    vatHeading: labels.vatSummary,
    taxableHeading: labels.taxableAmount,
    vatAmountHeading: labels.vatAmount,
    vatRows: order.vatBreakdown.map((row) => {
      const note = labels.vatCategoryNote(row.vatCategory);
      return {
        label: labels.vatRate(formatPercent(row.vatRate, order.language)) + (note === null ? '' : ` (${note})`),
        taxable: money(ctx, row.taxableMinor),
        vat: money(ctx, row.vatMinor),
      };
    }),
    totals,
    grandTotal: [labels.grossTotal, money(ctx, order.grossTotalMinor + rounding)],
  });
}
