/**
 * The delivery note (följesedel) as a PDF (A4, pdfkit, built-in Helvetica), in the customer's
 * language, in the quote PDF's style. No prices: it travels with the goods.
 *
 * Page 1: seller logo or name; title and delivery number; the delivery facts (order number,
 * references, ship date, carrier and tracking number); the delivery address where a window envelope
 * shows it. Then the lines: order line, article number, description, unit, ordered, previously
 * delivered, delivered now and backordered, bundles with their components as indented sub-rows;
 * notes; and a receipt box to sign. Every page: the seller's footer and "Sida n av m" / "Page n of m".
 *
 * The same document gives the same bytes: the PDF's dates come from the ship date, never the clock.
 */
import { formatDecimal4, type Quantity } from '../../core/money/quantity.js';
import { deliveryNoteLabels, formatDate, formatQuantity, unitLabel, type DeliveryNoteLabels } from './i18n.js';
import {
  addressLines,
  COLOR,
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
  ensureSpace,
  finish,
  FONT,
  hRule,
  lineHeight,
  present,
  STYLE,
  textLine,
  type Pdf,
  type TableColumn,
  type TableRow,
} from './layout.js';
import { checkCommon, type DeliveryNoteDocument, type DeliveryNoteLine } from './order-document.js';
import { MAX_DESCRIPTION_LENGTH, MAX_FREE_TEXT_LENGTH } from './quote-document.js';

/** Longest carrier name, tracking number, article number or reference printed. */
const MAX_SHORT_TEXT_LENGTH = 200;

/**
 * Refuses a delivery note the PDF would misstate: malformed ship date, negative quantities, a line
 * whose quantities do not add up (ordered = previously delivered + delivered + backordered), too many
 * lines or too much text.
 */
export function checkDeliveryNoteDocument(doc: DeliveryNoteDocument): void {
  const fail = (message: string): never => {
    throw new Error(`delivery note ${doc.number}: ${message}`);
  };
  checkCommon(doc, (i) => `line ${i + 1} (order line ${doc.lines[i]?.orderLineNo ?? '?'})`, fail, { maxDescription: MAX_DESCRIPTION_LENGTH });
  if (doc.orderNumber.trim() === '' || doc.orderNumber.length > 100) fail('order number must be 1-100 characters');
  formatDate(doc.shipDate);
  for (const [name, text] of [
    ['carrier', doc.carrier],
    ['tracking number', doc.trackingNumber],
    ['customer order number', doc.customerOrderNumber],
    ...doc.lines.map((l) => [`order line ${l.orderLineNo} article number`, l.articleNumber] as const),
  ] as const) {
    if (text !== null && text !== undefined && text.length > MAX_SHORT_TEXT_LENGTH) fail(`${name} longer than ${MAX_SHORT_TEXT_LENGTH} characters`);
  }
  if (doc.notes !== null && doc.notes.length > MAX_FREE_TEXT_LENGTH) fail(`notes longer than ${MAX_FREE_TEXT_LENGTH} characters`);
  doc.lines.forEach((line, i) => {
    const name = `line ${i + 1} (order line ${line.orderLineNo})`;
    if (!Number.isSafeInteger(line.orderLineNo) || line.orderLineNo < 1) fail(`${name}: order line number must be a whole number ≥ 1`);
    const quantities: [string, Quantity][] = [
      ['ordered', line.orderedQuantity],
      ['previously delivered', line.previouslyDeliveredQuantity],
      ['delivered', line.deliveredQuantity],
      ['backordered', line.backorderedQuantity],
    ];
    for (const [what, q] of quantities) if (q.scaled < 0n) fail(`${name}: ${what} quantity ${formatDecimal4(q)} is negative`);
    const accounted = line.previouslyDeliveredQuantity.scaled + line.deliveredQuantity.scaled + line.backorderedQuantity.scaled;
    if (accounted !== line.orderedQuantity.scaled) {
      fail(
        `${name}: previously delivered ${formatDecimal4(line.previouslyDeliveredQuantity)} + delivered ${formatDecimal4(line.deliveredQuantity)}` +
          ` + backordered ${formatDecimal4(line.backorderedQuantity)} is not the ordered ${formatDecimal4(line.orderedQuantity)}`,
      );
    }
  });
}

export async function renderDeliveryNotePdf(note: DeliveryNoteDocument): Promise<Buffer> {
  checkDeliveryNoteDocument(note);
  const labels = deliveryNoteLabels(note.language);
  const pdf = createPdf({
    title: `${labels.title} ${note.number}`,
    author: note.seller.name,
    subject: `${labels.title} ${note.number} – ${note.buyer.name}`,
    lang: note.language === 'sv' ? 'sv-SE' : 'en',
    date: new Date(`${note.shipDate}T00:00:00Z`),
  });
  const ctx: Ctx = { pdf, note, labels };

  let y = drawFirstPage(ctx);
  y = drawLines(ctx, y + 20);
  if (note.lines.some((l) => l.backorderedQuantity.scaled > 0n)) {
    y += 4;
    y = ensureSpace(pdf, y, lineHeight(pdf, STYLE.small));
    y += textLine(pdf, labels.backorderNote, CONTENT_LEFT, y, CONTENT_WIDTH, { ...STYLE.small, font: FONT.italic });
  }
  y = drawTextSection(pdf, labels.notes, note.notes, y + 18);
  drawReceiptBox(ctx, y + 22);

  const abroad = differentCountry((note.deliveryAddress ?? note.buyer).country, note.seller.country);
  decoratePages(pdf, (page, pages) => {
    if (page > 1) drawRunningHeader(pdf, `${labels.title} ${note.number}`, note.seller.name);
    drawSellerFooter(pdf, { seller: note.seller, labels, lang: note.language, showCountry: abroad, showPayment: false }, page, pages);
  });
  return finish(pdf);
}

interface Ctx {
  readonly pdf: Pdf;
  readonly note: DeliveryNoteDocument;
  readonly labels: DeliveryNoteLabels;
}

/** Heading, facts and the delivery address. Returns the y below them. */
function drawFirstPage(ctx: Ctx): number {
  const { pdf, note, labels } = ctx;
  const blockTop = drawDocumentHeading(pdf, {
    sellerName: note.seller.name,
    logoPng: note.seller.logoPng,
    title: labels.title,
    reference: note.number,
  });

  const separate = note.deliveryAddress !== null;
  const facts: [string, string][] = [
    [labels.deliveryNumber, note.number],
    [labels.orderNumber, note.orderNumber],
    [labels.shipDate, formatDate(note.shipDate)],
  ];
  if (separate) facts.push([labels.customer, note.buyer.name]);
  if (present(note.buyer.contactName)) facts.push([labels.yourReference, note.buyer.contactName]);
  if (present(note.customerOrderNumber)) facts.push([labels.customerOrderNumber, note.customerOrderNumber]);
  if (present(note.carrier)) facts.push([labels.carrier, note.carrier]);
  if (present(note.trackingNumber)) facts.push([labels.trackingNumber, note.trackingNumber]);
  const factsBottom = drawFacts(pdf, facts, blockTop);

  const to = note.deliveryAddress ?? note.buyer;
  const extra: string[] = [];
  if (note.deliveryAddress !== null && present(note.deliveryAddress.attention)) extra.push(`${labels.attention} ${note.deliveryAddress.attention}`);
  const addressBottom = drawAddressBlock(
    pdf,
    {
      heading: labels.deliveryAddress,
      name: to.name,
      lines: addressLines(to, note.language, differentCountry(to.country, note.seller.country)),
      extra,
    },
    blockTop,
  );
  return Math.max(factsBottom, addressBottom);
}

function drawLines(ctx: Ctx, y: number): number {
  const { pdf, note, labels } = ctx;
  const lang = note.language;
  const withArticles = note.lines.some((l) => present(l.articleNumber) || (l.components ?? []).some((c) => present(c.articleNumber)));
  const lineColumn: TableColumn = { header: labels.colOrderLine, width: 28, align: 'left' };
  const articleColumn: TableColumn = { header: labels.colArticle, width: 62, align: 'left' };
  const quantityColumns: TableColumn[] = [
    { header: labels.colUnit, width: 34, align: 'left' },
    { header: labels.colOrdered, width: 48, align: 'right' },
    { header: labels.colPreviouslyDelivered, width: 58, align: 'right' },
    { header: labels.colDelivered, width: 52, align: 'right' },
    { header: labels.colBackordered, width: 56, align: 'right' },
  ];
  const fixedWidth = lineColumn.width + (withArticles ? articleColumn.width : 0) + quantityColumns.reduce((acc, c) => acc + c.width, 0);
  const descriptionColumn: TableColumn = { header: labels.colDescription, width: CONTENT_WIDTH - fixedWidth, align: 'left', wrap: true };
  const columns: TableColumn[] = [lineColumn, ...(withArticles ? [articleColumn] : []), descriptionColumn, ...quantityColumns];

  const qty = (q: Quantity): string => formatQuantity(q, lang);
  const article = (value: string | null | undefined): string[] => (withArticles ? [present(value) ? value : ''] : []);
  const backorderStyle = { ...STYLE.bodyBold, color: COLOR.accent };

  const rows: TableRow[] = note.lines.flatMap((line: DeliveryNoteLine) => {
    const components = line.components ?? [];
    const main: TableRow = {
      cells: [
        String(line.orderLineNo),
        ...article(line.articleNumber),
        describedWithComponents(line.description, labels.bundleIncludes, components.length > 0),
        unitLabel(line.unit, lang),
        qty(line.orderedQuantity),
        qty(line.previouslyDeliveredQuantity),
        [{ text: qty(line.deliveredQuantity), style: STYLE.bodyBold }],
        line.backorderedQuantity.scaled > 0n ? [{ text: qty(line.backorderedQuantity), style: backorderStyle }] : qty(line.backorderedQuantity),
      ],
    };
    const subRows: TableRow[] = components.map((c) => ({
      continuation: true,
      style: COMPONENT_STYLE,
      cells: ['', ...article(c.articleNumber), componentDescription(c.description), unitLabel(c.unit, lang), '', '', qty(c.quantity), ''],
    }));
    return [main, ...subRows];
  });
  return drawTable(pdf, { x: CONTENT_LEFT, y, columns, rows });
}

/** A framed box with lines for the receiver's signature, name in capitals and the date. */
function drawReceiptBox(ctx: Ctx, y: number): void {
  const { pdf, labels } = ctx;
  const height = 74;
  y = ensureSpace(pdf, y, height);
  pdf.save().lineWidth(0.6).strokeColor(COLOR.muted).rect(CONTENT_LEFT, y, CONTENT_WIDTH, height).stroke().restore();
  const pad = 10;
  textLine(pdf, labels.receipt, CONTENT_LEFT + pad, y + 8, CONTENT_WIDTH - 2 * pad, STYLE.bodyBold);
  const fields: [string, number][] = [
    [labels.receivedBy, 0.42],
    [labels.nameInCapitals, 0.34],
    [labels.date, 0.24],
  ];
  const inner = CONTENT_WIDTH - 2 * pad;
  const gap = 14;
  const lineY = y + height - 20;
  let x = CONTENT_LEFT + pad;
  for (const [label, share] of fields) {
    const w = inner * share - gap;
    hRule(pdf, x, x + w, lineY, COLOR.text, 0.6);
    textLine(pdf, label, x, lineY + 3, w, STYLE.small);
    x += inner * share;
  }
}
