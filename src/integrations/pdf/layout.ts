/**
 * Drawing helpers shared by the printed documents (quotes now, invoices and credit notes later):
 * page geometry, text styles, a table that breaks across pages with its header repeated, and a
 * pass over the finished pages for running headers, footers and page numbers.
 *
 * Only pdfkit's built-in Helvetica is used: no font files to ship, and its WinAnsi encoding covers
 * Swedish and the other Western European languages. Text goes through `toWinAnsi` first, because
 * pdfkit writes a character outside WinAnsi as garbage rather than failing.
 */
import PDFDocument from 'pdfkit';
import { countryName, formatMinor, formatPercent } from './i18n.js';
import type { Decimal4 } from '../../core/money/quantity.js';
import type { DocumentLanguage, PartyAddress } from './quote-document.js';

export type Pdf = PDFKit.PDFDocument;

/** A4 in PDF points (1/72 inch). */
export const PAGE_WIDTH = 595.28;
export const PAGE_HEIGHT = 841.89;

/**
 * Page margins. The top margin leaves room for the running header of continuation pages, the
 * bottom margin for the footer; flowing text never enters either.
 */
export const MARGIN = Object.freeze({ top: 64, bottom: 100, left: 50, right: 50 });
export const CONTENT_LEFT = MARGIN.left;
export const CONTENT_RIGHT = PAGE_WIDTH - MARGIN.right;
export const CONTENT_WIDTH = CONTENT_RIGHT - CONTENT_LEFT;
/** Lowest y that content may reach. */
export const CONTENT_BOTTOM = PAGE_HEIGHT - MARGIN.bottom;

export const FONT = Object.freeze({ regular: 'Helvetica', bold: 'Helvetica-Bold', italic: 'Helvetica-Oblique' });
export type FontName = (typeof FONT)[keyof typeof FONT];

export const COLOR = Object.freeze({
  text: '#1b1f24',
  muted: '#656d76',
  faint: '#8c959f',
  rule: '#d0d7de',
  headerFill: '#eef1f4',
  accent: '#1f3a5f',
});

export interface TextStyle {
  readonly font: FontName;
  readonly size: number;
  readonly color: string;
}

export const STYLE = Object.freeze({
  body: { font: FONT.regular, size: 8.5, color: COLOR.text },
  bodyBold: { font: FONT.bold, size: 8.5, color: COLOR.text },
  label: { font: FONT.regular, size: 8.5, color: COLOR.muted },
  small: { font: FONT.regular, size: 7.5, color: COLOR.muted },
  smallBold: { font: FONT.bold, size: 7.5, color: COLOR.text },
  tableHeader: { font: FONT.bold, size: 8, color: COLOR.text },
} satisfies Record<string, TextStyle>);

/** Smallest size a single-line text is shrunk to when it does not fit its width. */
const MIN_FONT_SIZE = 5.5;

export interface PdfMeta {
  title: string;
  author: string;
  subject: string;
  /** BCP 47 tag written as the document language, e.g. 'sv-SE' */
  lang: string;
  /** Written as the creation and modification date, so the same input gives the same bytes. */
  date: Date;
}

export function createPdf(meta: PdfMeta): Pdf {
  return new PDFDocument({
    size: 'A4',
    margins: { ...MARGIN },
    bufferPages: true,
    lang: meta.lang,
    displayTitle: true,
    info: {
      Title: toWinAnsi(meta.title),
      Author: toWinAnsi(meta.author),
      Subject: toWinAnsi(meta.subject),
      Creator: 'q2c',
      Producer: 'q2c (PDFKit)',
      CreationDate: meta.date,
      ModDate: meta.date,
    },
  });
}

/** Ends the document and resolves with its bytes. Call once, after everything is drawn. */
export function finish(doc: Pdf): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** The characters WinAnsiEncoding has in 0x80–0x9F, beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const SUBSTITUTES: Readonly<Record<string, string>> = {
  '\u2212': '-', // minus sign
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2012': '–', // figure dash
  '\u2009': ' ', // thin space
  '\u2002': ' ', // en space
  '\u2003': ' ', // em space
  '\u202f': '\u00a0', // narrow no-break space (Intl's French grouping, for one)
  '\u2007': '\u00a0', // figure space
  '\u2032': "'", // prime
  '\u2033': '"', // double prime
  '\u2044': '/', // fraction slash
  '\u200b': '', // zero-width space
  '\ufeff': '', // byte order mark
};

/**
 * Text as the standard fonts can print it: NFC (so a decomposed "å" from a Mac becomes one
 * character), tabs as spaces, line breaks kept, other control characters dropped, a few look-alikes
 * substituted, and anything else outside WinAnsi replaced by "?".
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const cp = ch.codePointAt(0) ?? 0;
    if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || ch === '\n' || WIN_ANSI_EXTRA.has(ch)) {
      if (ch !== '\u00ad') out += ch; // a soft hyphen would print as a visible one
    } else if (ch === '\t') {
      out += ' ';
    } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
      // control characters: nothing to print
    } else {
      out += SUBSTITUTES[ch] ?? '?';
    }
  }
  return out;
}

export function setStyle(doc: Pdf, style: TextStyle): void {
  doc.font(style.font).fontSize(style.size).fillColor(style.color);
}

export type Align = 'left' | 'right' | 'center';

/**
 * One line of text in a box `width` wide, aligned within it; shrunk (down to 5.5 pt) rather than
 * wrapped or clipped when too long. Returns the line height used.
 */
export function textLine(doc: Pdf, text: string, x: number, y: number, width: number, style: TextStyle, align: Align = 'left'): number {
  const printable = toWinAnsi(text).replace(/\n/g, ' ');
  setStyle(doc, style);
  let size = style.size;
  let textWidth = doc.widthOfString(printable);
  while (textWidth > width && size > MIN_FONT_SIZE) {
    size = Math.max(MIN_FONT_SIZE, size - 0.5);
    doc.fontSize(size);
    textWidth = doc.widthOfString(printable);
  }
  const dx = align === 'right' ? width - textWidth : align === 'center' ? (width - textWidth) / 2 : 0;
  doc.text(printable, x + Math.max(0, dx), y, { lineBreak: false });
  doc.fontSize(style.size);
  return lineHeight(doc, style);
}

/** Height of one line of `style`. */
export function lineHeight(doc: Pdf, style: TextStyle): number {
  setStyle(doc, style);
  return doc.currentLineHeight(true);
}

/** Height of `text` wrapped to `width` in `style`. */
export function textHeight(doc: Pdf, text: string, width: number, style: TextStyle): number {
  setStyle(doc, style);
  return doc.heightOfString(toWinAnsi(text), { width });
}

/**
 * Wrapped text at (x, y), at most `maxHeight` high (cut with an ellipsis beyond it). Must fit on the
 * page: the caller checks the space first. Returns the height used.
 */
export function textBlock(
  doc: Pdf,
  text: string,
  x: number,
  y: number,
  width: number,
  style: TextStyle,
  options: { align?: Align; maxHeight?: number } = {},
): number {
  const printable = toWinAnsi(text);
  setStyle(doc, style);
  const full = doc.heightOfString(printable, { width });
  const maxHeight = options.maxHeight ?? Number.POSITIVE_INFINITY;
  const clipped = full > maxHeight;
  doc.text(printable, x, y, {
    width,
    align: options.align ?? 'left',
    ...(clipped ? { height: maxHeight, ellipsis: true } : {}),
  });
  return clipped ? maxHeight : full;
}

export function hRule(doc: Pdf, x1: number, x2: number, y: number, color: string = COLOR.rule, width = 0.5): void {
  doc.save().lineWidth(width).strokeColor(color).moveTo(x1, y).lineTo(x2, y).stroke().restore();
}

export function fillRect(doc: Pdf, x: number, y: number, w: number, h: number, color: string): void {
  doc.save().rect(x, y, w, h).fill(color).restore();
}

/** Starts a new page and returns the y where content begins on it. */
export function newPage(doc: Pdf): number {
  doc.addPage();
  return doc.page.margins.top;
}

/** `y` if `height` more fits on this page, else the top of a new page. */
export function ensureSpace(doc: Pdf, y: number, height: number): number {
  return y + height <= CONTENT_BOTTOM ? y : newPage(doc);
}

export interface TableColumn {
  readonly header: string;
  readonly width: number;
  readonly align: Align;
  /** Wrap long text over several lines (descriptions); other columns shrink text to one line. */
  readonly wrap?: boolean;
}

export interface TablePart {
  readonly text: string;
  readonly style?: TextStyle;
  /** Points to indent this part within its cell (the components of a bundle, under its description). */
  readonly indent?: number;
}

/** A cell: one text, or parts stacked one under the other (a description and a note under it). */
export type TableCell = string | readonly TablePart[];

export interface TableRow {
  readonly cells: readonly TableCell[];
  /** Body style for the row's plain-string cells (e.g. grey for items not included in the totals). */
  readonly style?: TextStyle;
  /**
   * A sub-row of the row before it (a bundle's component): no rule between the two, and less padding
   * between them. A continuation row that starts a new page gets the header like any other row.
   */
  readonly continuation?: boolean;
}

export interface TableOptions {
  readonly x: number;
  readonly y: number;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly TableRow[];
  readonly bodyStyle?: TextStyle;
  readonly headerStyle?: TextStyle;
}

const CELL_PAD_X = 4;
const CELL_PAD_Y = 4;
/** Vertical padding between a row and its continuation rows. */
const CELL_PAD_Y_TIGHT = 1;

function cellParts(cell: TableCell | undefined, rowStyle: TextStyle): readonly { text: string; style: TextStyle; indent: number }[] {
  if (cell === undefined) return [];
  if (typeof cell === 'string') return cell === '' ? [] : [{ text: cell, style: rowStyle, indent: 0 }];
  return cell.map((p) => ({ text: p.text, style: p.style ?? rowStyle, indent: Math.max(0, p.indent ?? 0) }));
}

/**
 * A table that continues on new pages: before each row that does not fit, a new page starts and the
 * header row is drawn again. A header is never left alone at the bottom of a page. A row taller than
 * a whole page is cut with an ellipsis. Returns the y below the table.
 */
export function drawTable(doc: Pdf, options: TableOptions): number {
  const { x, columns } = options;
  const bodyStyle = options.bodyStyle ?? STYLE.body;
  const headerStyle = options.headerStyle ?? STYLE.tableHeader;
  const width = columns.reduce((acc, c) => acc + c.width, 0);
  const headerHeight = lineHeight(doc, headerStyle) + 2 * CELL_PAD_Y;
  const maxRowHeight = CONTENT_BOTTOM - MARGIN.top - headerHeight;

  const drawHeader = (top: number): number => {
    fillRect(doc, x, top, width, headerHeight, COLOR.headerFill);
    let cx = x;
    for (const column of columns) {
      textLine(doc, column.header, cx + CELL_PAD_X, top + CELL_PAD_Y, column.width - 2 * CELL_PAD_X, headerStyle, column.align);
      cx += column.width;
    }
    hRule(doc, x, x + width, top + headerHeight, COLOR.muted);
    return top + headerHeight;
  };

  const rows = options.rows;
  const padTop = (i: number): number => (rows[i]?.continuation === true ? CELL_PAD_Y_TIGHT : CELL_PAD_Y);
  const padBottom = (i: number): number => (rows[i + 1]?.continuation === true ? CELL_PAD_Y_TIGHT : CELL_PAD_Y);

  const measure = (row: TableRow, index: number): number => {
    let tallest = 0;
    columns.forEach((column, i) => {
      let h = 0;
      for (const part of cellParts(row.cells[i], row.style ?? bodyStyle)) {
        h += column.wrap
          ? textHeight(doc, part.text, Math.max(1, column.width - 2 * CELL_PAD_X - part.indent), part.style)
          : lineHeight(doc, part.style);
      }
      tallest = Math.max(tallest, h);
    });
    const pad = padTop(index) + padBottom(index);
    return Math.min(tallest, maxRowHeight - pad) + pad;
  };

  let y = options.y;
  const firstHeight = rows[0] === undefined ? 0 : measure(rows[0], 0);
  if (y + headerHeight + firstHeight > CONTENT_BOTTOM) y = newPage(doc);
  y = drawHeader(y);

  rows.forEach((row, index) => {
    const height = measure(row, index);
    if (y + height > CONTENT_BOTTOM) {
      // the row before left its rule to this one: close the table on this page
      if (row.continuation === true && index > 0) hRule(doc, x, x + width, y);
      y = drawHeader(newPage(doc));
    }
    let cx = x;
    columns.forEach((column, i) => {
      let py = y + padTop(index);
      const bottom = y + height - padBottom(index);
      for (const part of cellParts(row.cells[i], row.style ?? bodyStyle)) {
        const room = bottom - py;
        if (room <= 0) break;
        const px = cx + CELL_PAD_X + part.indent;
        const pw = Math.max(1, column.width - 2 * CELL_PAD_X - part.indent);
        py += column.wrap
          ? textBlock(doc, part.text, px, py, pw, part.style, { align: column.align, maxHeight: room })
          : textLine(doc, part.text, px, py, pw, part.style, column.align);
      }
      cx += column.width;
    });
    y += height;
    if (rows[index + 1]?.continuation !== true) hRule(doc, x, x + width, y);
  });
  return y;
}

/**
 * Calls `draw` on every page of the finished document (1-based page number and the page count),
 * with the bottom margin lifted so that footer text does not spill onto a new page.
 */
export function decoratePages(doc: Pdf, draw: (page: number, pages: number) => void): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    draw(i - range.start + 1, range.count);
    doc.page.margins.bottom = bottom;
  }
}

// ---------------------------------------------------------------------------------------------
// Page furniture shared by the documents (order confirmation and delivery note; copied from
// quote-pdf.ts, which can switch over to these): seller heading, facts, address block, running
// header, footer, VAT summary with totals, free-text sections, bundle component sub-rows.
// ---------------------------------------------------------------------------------------------

/** The seller's logo is scaled to fit this box, top left of page 1. */
export const LOGO_BOX = Object.freeze({ width: 160, height: 56 });
/** Left edge of the address block: about 113 mm from the page edge, inside a right-hand envelope window. */
export const ADDRESS_X = 320;
/** Top of page 1's heading (above the top margin, which is kept for the running header of later pages). */
export const FIRST_PAGE_TOP = 44;

/** Printed components of a bundle: indented under the bundle's description, smaller and grey. */
export const COMPONENT_INDENT = 10;
export const COMPONENT_STYLE: TextStyle = Object.freeze({ font: FONT.regular, size: 7.5, color: COLOR.muted });
/** Markers under a description ("Ingår:", "Tillval – valt"). */
export const MARKER_STYLE: TextStyle = Object.freeze({ font: FONT.italic, size: 7.5, color: COLOR.accent });

/** A value worth printing: not null, undefined or blank. */
export function present(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value.trim() !== '';
}

/** Address lines of a party: street lines, postal code and city, and the country (in `lang`) when asked. */
export function addressLines(
  party: Pick<PartyAddress, 'addressLine1' | 'addressLine2' | 'postalCode' | 'city' | 'country'>,
  lang: DocumentLanguage,
  showCountry: boolean,
): string[] {
  const lines = [party.addressLine1, party.addressLine2].filter(present);
  const place = [party.postalCode, party.city].filter(present).join(' ');
  if (place !== '') lines.push(place);
  if (showCountry && present(party.country)) lines.push(countryName(party.country, lang));
  return lines;
}

/** Whether two ISO country codes differ (so addresses print their country). */
export function differentCountry(a: string, b: string): boolean {
  return a.trim().toUpperCase() !== b.trim().toUpperCase();
}

export interface DocumentHeading {
  readonly sellerName: string;
  readonly logoPng?: Buffer | null | undefined;
  /** "Orderbekräftelse", set large, right-aligned */
  readonly title: string;
  /** The document number (and version), bold under the title. */
  readonly reference: string;
  /** Further lines under the reference, smaller ("Version 2", "Enligt offert Q-2026-0001 v2"). */
  readonly subLines?: readonly string[];
}

/**
 * Page 1's heading: the seller's logo (or name set large) on the left, title and reference on the
 * right. Returns the y where the facts and the address block start.
 */
export function drawDocumentHeading(pdf: Pdf, heading: DocumentHeading): number {
  const top = FIRST_PAGE_TOP;
  let leftBottom: number;
  if (heading.logoPng) {
    pdf.image(heading.logoPng, CONTENT_LEFT, top, { fit: [LOGO_BOX.width, LOGO_BOX.height] });
    leftBottom = top + LOGO_BOX.height;
  } else {
    const nameStyle: TextStyle = { font: FONT.bold, size: 16, color: COLOR.accent };
    leftBottom = top + textBlock(pdf, heading.sellerName, CONTENT_LEFT, top + 4, 260, nameStyle, { maxHeight: 60 }) + 4;
  }

  const titleX = ADDRESS_X - 40;
  const titleWidth = CONTENT_RIGHT - titleX;
  textLine(pdf, heading.title, titleX, top, titleWidth, { font: FONT.bold, size: 24, color: COLOR.accent }, 'right');
  let ry = top + 30;
  ry += textLine(pdf, heading.reference, titleX, ry, titleWidth, { font: FONT.bold, size: 11, color: COLOR.text }, 'right');
  for (const line of heading.subLines ?? []) {
    ry += 1 + textLine(pdf, line, titleX, ry + 1, titleWidth, STYLE.label, 'right');
  }
  return Math.max(leftBottom, ry, top + 48) + 26;
}

/**
 * Label–value pairs in two columns, left of the address block, starting level with the name in it.
 * Returns the y below them.
 */
export function drawFacts(pdf: Pdf, facts: readonly (readonly [string, string])[], blockTop: number, labelWidth = 100): number {
  const valueWidth = ADDRESS_X - 20 - CONTENT_LEFT - labelWidth;
  let fy = blockTop + lineHeight(pdf, STYLE.small) + 3;
  for (const [label, value] of facts) {
    textLine(pdf, label, CONTENT_LEFT, fy, labelWidth - 4, STYLE.label);
    fy += Math.max(lineHeight(pdf, STYLE.body), textBlock(pdf, value, CONTENT_LEFT + labelWidth, fy, valueWidth, STYLE.body, { maxHeight: 40 })) + 2.5;
  }
  return fy;
}

export interface AddressBlock {
  /** Printed small in capitals above the name: "KUND", "LEVERANSADRESS". */
  readonly heading: string;
  readonly name: string;
  readonly lines: readonly string[];
  /** Smaller grey lines below the address (org.nr, VAT number, attention). */
  readonly extra?: readonly string[];
}

/** An address on the right-hand side, where a window envelope shows it. Returns the y below it. */
export function drawAddressBlock(pdf: Pdf, block: AddressBlock, top: number): number {
  const width = CONTENT_RIGHT - ADDRESS_X;
  let by = top;
  by += textLine(pdf, block.heading.toUpperCase(), ADDRESS_X, by, width, STYLE.small) + 3;
  by += textBlock(pdf, block.name, ADDRESS_X, by, width, { font: FONT.bold, size: 10, color: COLOR.text }, { maxHeight: 40 }) + 1;
  const addressStyle: TextStyle = { ...STYLE.body, size: 9.5 };
  for (const line of block.lines) by += textBlock(pdf, line, ADDRESS_X, by, width, addressStyle, { maxHeight: 24 });
  if ((block.extra ?? []).length > 0) by += 3;
  for (const line of block.extra ?? []) by += textLine(pdf, line, ADDRESS_X, by, width, STYLE.label);
  return by;
}

/** Pages after the first: title and reference left, seller right, a rule under them. */
export function drawRunningHeader(pdf: Pdf, titleAndReference: string, sellerName: string): void {
  const y = 30;
  const half = CONTENT_WIDTH / 2;
  textLine(pdf, titleAndReference, CONTENT_LEFT, y, half, STYLE.bodyBold);
  textLine(pdf, sellerName, CONTENT_LEFT + half, y, half, STYLE.label, 'right');
  hRule(pdf, CONTENT_LEFT, CONTENT_RIGHT, y + 14);
}

/** The seller as the footer prints it. */
export interface FooterSeller extends PartyAddress {
  email: string | null;
  phone?: string | null;
  bankgiro?: string | null;
  fSkatt: boolean;
}

export interface FooterLabels {
  readonly orgNumber: string;
  readonly vatNumber: string;
  readonly fSkatt: string;
  readonly email: string;
  readonly phone: string;
  readonly bankgiro: string;
  pageOf(page: number, pages: number): string;
}

export interface FooterOptions {
  readonly seller: FooterSeller;
  readonly labels: FooterLabels;
  readonly lang: DocumentLanguage;
  /** Print the seller's country (when the customer is abroad). */
  readonly showCountry: boolean;
  /** Print the bankgiro (documents that ask for payment); false on a delivery note. */
  readonly showPayment: boolean;
}

/**
 * Footer of every page: the seller's address; registration (org.nr, VAT number, F-skatt); contact
 * details and bankgiro; and "Sida n av m" / "Page n of m".
 */
export function drawSellerFooter(pdf: Pdf, options: FooterOptions, page: number, pages: number): void {
  const { seller, labels } = options;
  const top = CONTENT_BOTTOM + 12;
  hRule(pdf, CONTENT_LEFT, CONTENT_RIGHT, top);

  const address = [seller.name, ...addressLines(seller, options.lang, options.showCountry)];
  const registration: string[] = [];
  if (present(seller.orgNumber)) registration.push(`${labels.orgNumber} ${seller.orgNumber}`);
  if (present(seller.vatNumber)) registration.push(`${labels.vatNumber} ${seller.vatNumber}`);
  if (seller.fSkatt) registration.push(labels.fSkatt);
  const contact: string[] = [];
  if (present(seller.email)) contact.push(`${labels.email} ${seller.email}`);
  if (present(seller.phone)) contact.push(`${labels.phone} ${seller.phone}`);
  if (options.showPayment && present(seller.bankgiro)) contact.push(`${labels.bankgiro} ${seller.bankgiro}`);

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

export interface SummaryOptions {
  /** VAT summary rows, already formatted: "Moms 25 %", taxable amount, VAT. None: no VAT summary. */
  readonly vatRows: readonly { readonly label: string; readonly taxable: string; readonly vat: string }[];
  readonly vatHeading: string;
  readonly taxableHeading: string;
  readonly vatAmountHeading: string;
  /** Totals above the rule: label and formatted amount. */
  readonly totals: readonly (readonly [string, string])[];
  /** The grand total, set larger between the rules. */
  readonly grandTotal: readonly [string, string];
}

/** VAT summary (left) beside the totals (right), kept together on one page. Returns the y below. */
export function drawVatAndTotals(pdf: Pdf, y: number, options: SummaryOptions): number {
  const totalsX = 316;
  const totalsWidth = CONTENT_RIGHT - totalsX;
  const rowGap = 4;
  const bodyLine = lineHeight(pdf, STYLE.body) + rowGap;
  const grandStyle: TextStyle = { font: FONT.bold, size: 11, color: COLOR.text };
  const totalsHeight = options.totals.length * bodyLine + 8 + lineHeight(pdf, grandStyle) + 6;
  const vatHeight = options.vatRows.length === 0 ? 0 : (2 + options.vatRows.length) * bodyLine + 4;
  y = ensureSpace(pdf, y, Math.max(totalsHeight, vatHeight));

  if (options.vatRows.length > 0) {
    const cols = { label: 96, taxable: 78, vat: 70 };
    const x0 = CONTENT_LEFT;
    const x1 = x0 + cols.label;
    const x2 = x1 + cols.taxable;
    let vy = y;
    vy += textLine(pdf, options.vatHeading, x0, vy, cols.label + cols.taxable + cols.vat, STYLE.bodyBold) + rowGap;
    textLine(pdf, options.taxableHeading, x1, vy, cols.taxable, STYLE.small, 'right');
    textLine(pdf, options.vatAmountHeading, x2, vy, cols.vat, STYLE.small, 'right');
    vy += lineHeight(pdf, STYLE.small) + 2;
    hRule(pdf, x0, x2 + cols.vat, vy);
    vy += 3;
    for (const row of options.vatRows) {
      textLine(pdf, row.label, x0, vy, cols.label - 4, STYLE.body);
      textLine(pdf, row.taxable, x1, vy, cols.taxable, STYLE.body, 'right');
      textLine(pdf, row.vat, x2, vy, cols.vat, STYLE.body, 'right');
      vy += bodyLine;
    }
  }

  let ty = y;
  for (const [label, value] of options.totals) {
    textLine(pdf, label, totalsX, ty, totalsWidth * 0.55, STYLE.body);
    textLine(pdf, value, totalsX + totalsWidth * 0.45, ty, totalsWidth * 0.55, STYLE.body, 'right');
    ty += bodyLine;
  }
  ty += 2;
  hRule(pdf, totalsX, CONTENT_RIGHT, ty, COLOR.text, 0.8);
  ty += 6;
  const [grandLabel, grandValue] = options.grandTotal;
  textLine(pdf, grandLabel, totalsX, ty, totalsWidth * 0.5, grandStyle);
  ty += textLine(pdf, grandValue, totalsX + totalsWidth * 0.35, ty, totalsWidth * 0.65, grandStyle, 'right');
  hRule(pdf, totalsX, CONTENT_RIGHT, ty + 2, COLOR.text, 0.8);
  hRule(pdf, totalsX, CONTENT_RIGHT, ty + 4, COLOR.text, 0.8);
  return Math.max(y + vatHeight, ty + 6);
}

/**
 * A heading and free text (notes, terms); the text flows onto new pages as needed. Nothing when the
 * text is blank (then returns `y - 12`, taking back the gap the caller left before it).
 */
export function drawTextSection(pdf: Pdf, heading: string, text: string | null | undefined, y: number): number {
  if (!present(text)) return y - 12;
  const firstLines = Math.min(textHeight(pdf, text, CONTENT_WIDTH, STYLE.body), 3 * lineHeight(pdf, STYLE.body));
  y = ensureSpace(pdf, y, lineHeight(pdf, STYLE.bodyBold) + 3 + firstLines);
  y += textLine(pdf, heading, CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.bodyBold) + 3;
  textBlock(pdf, text.trim(), CONTENT_LEFT, y, CONTENT_WIDTH, STYLE.body);
  return pdf.y;
}

/** A bundle line's description cell: its description, then "Ingår:" / "Includes:" when it has components. */
export function describedWithComponents(description: string, includesLabel: string, hasComponents: boolean, style?: TextStyle): TablePart[] {
  const parts: TablePart[] = [style === undefined ? { text: description } : { text: description, style }];
  if (hasComponents) parts.push({ text: includesLabel, style: MARKER_STYLE });
  return parts;
}

/** The description cell of a component sub-row (a TableRow with `continuation: true`). */
export function componentDescription(description: string): TablePart[] {
  return [{ text: description, style: COMPONENT_STYLE, indent: COMPONENT_INDENT }];
}

/** The column headers of a priced line table (quote, order confirmation, invoice). */
export interface PricedColumnLabels {
  readonly colNo: string;
  readonly colDescription: string;
  readonly colQuantity: string;
  readonly colUnitPrice: string;
  readonly colDiscount: string;
  readonly colVat: string;
  readonly colAmount: string;
}

/** No. · description (wraps, takes the rest of the width) · quantity · unit price · discount · VAT · amount. */
export function pricedLineColumns(labels: PricedColumnLabels): TableColumn[] {
  const fixed: TableColumn[] = [
    { header: labels.colQuantity, width: 64, align: 'right' },
    { header: labels.colUnitPrice, width: 68, align: 'right' },
    { header: labels.colDiscount, width: 50, align: 'right' },
    { header: labels.colVat, width: 38, align: 'right' },
    { header: labels.colAmount, width: 74, align: 'right' },
  ];
  const noWidth = 24;
  const descriptionWidth = CONTENT_WIDTH - noWidth - fixed.reduce((acc, c) => acc + c.width, 0);
  return [
    { header: labels.colNo, width: noWidth, align: 'left' },
    { header: labels.colDescription, width: descriptionWidth, align: 'left', wrap: true },
    ...fixed,
  ];
}

/** A line's discount as printed: the percentage when one was given, else the amount, else nothing. */
export function discountCell(
  line: { readonly discountPercent: Decimal4 | null; readonly discountAmountMinor: bigint },
  currency: string,
  lang: DocumentLanguage,
): string {
  if (line.discountPercent !== null && line.discountPercent.scaled !== 0n) return formatPercent(line.discountPercent, lang);
  if (line.discountAmountMinor !== 0n) return formatMinor(line.discountAmountMinor, currency, lang);
  return '';
}
