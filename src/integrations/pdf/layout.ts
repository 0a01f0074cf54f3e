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
}

/** A cell: one text, or parts stacked one under the other (a description and a note under it). */
export type TableCell = string | readonly TablePart[];

export interface TableRow {
  readonly cells: readonly TableCell[];
  /** Body style for the row's plain-string cells (e.g. grey for items not included in the totals). */
  readonly style?: TextStyle;
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

function cellParts(cell: TableCell | undefined, rowStyle: TextStyle): readonly { text: string; style: TextStyle }[] {
  if (cell === undefined) return [];
  if (typeof cell === 'string') return cell === '' ? [] : [{ text: cell, style: rowStyle }];
  return cell.map((p) => ({ text: p.text, style: p.style ?? rowStyle }));
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

  const measure = (row: TableRow): number => {
    let tallest = 0;
    columns.forEach((column, i) => {
      let h = 0;
      for (const part of cellParts(row.cells[i], row.style ?? bodyStyle)) {
        h += column.wrap
          ? textHeight(doc, part.text, column.width - 2 * CELL_PAD_X, part.style)
          : lineHeight(doc, part.style);
      }
      tallest = Math.max(tallest, h);
    });
    return Math.min(tallest, maxRowHeight - 2 * CELL_PAD_Y) + 2 * CELL_PAD_Y;
  };

  let y = options.y;
  const firstHeight = options.rows[0] === undefined ? 0 : measure(options.rows[0]);
  if (y + headerHeight + firstHeight > CONTENT_BOTTOM) y = newPage(doc);
  y = drawHeader(y);

  for (const row of options.rows) {
    const height = measure(row);
    if (y + height > CONTENT_BOTTOM) {
      y = drawHeader(newPage(doc));
    }
    let cx = x;
    columns.forEach((column, i) => {
      let py = y + CELL_PAD_Y;
      const bottom = y + height - CELL_PAD_Y;
      for (const part of cellParts(row.cells[i], row.style ?? bodyStyle)) {
        const room = bottom - py;
        if (room <= 0) break;
        py += column.wrap
          ? textBlock(doc, part.text, cx + CELL_PAD_X, py, column.width - 2 * CELL_PAD_X, part.style, { align: column.align, maxHeight: room })
          : textLine(doc, part.text, cx + CELL_PAD_X, py, column.width - 2 * CELL_PAD_X, part.style, column.align);
      }
      cx += column.width;
    });
    y += height;
    hRule(doc, x, x + width, y);
  }
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
