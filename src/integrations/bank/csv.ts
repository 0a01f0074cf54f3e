/**
 * Bank account exports in CSV (Swedish internet banks: SEB, Swedbank, Handelsbanken, Nordea … each
 * with its own columns), read through a column mapping the tenant saves once per bank account.
 *
 * The mapping names columns by header text (case-insensitive) or by 1-based position ("#3"). Amount
 * is either one signed column or a credit and a debit column. Decimal comma or point; spaces (also
 * no-break spaces) and an optional thousands separator are removed; a trailing or leading minus and
 * a parenthesised amount are negative. Dates in the mapped format. Tokenising is csv-parse's
 * (quotes, escaped quotes, delimiters inside quotes, CRLF, BOM).
 *
 * Every problem names the line and column; the whole file is refused (up to 20 problems listed).
 * Natural key: the mapped bank-reference column when there is one, otherwise account + booking date
 * + amount + text + the occurrence of that combination in the file.
 */
import { parse } from 'csv-parse/sync';
import { currencyExponent, isKnownCurrency } from '../../core/money/currency.js';
import { isLocalDate, type LocalDate } from '../../core/shared/dates.js';
import { BankFileError, type BankFile, type BankReference, type BankTransaction } from './bank-file.js';

export const CSV_DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD', 'DD.MM.YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY'] as const;
export type CsvDateFormat = (typeof CSV_DATE_FORMATS)[number];

export interface BankCsvMapping {
  /** The account the export is of (IBAN, bankgiro or account number). */
  account: string;
  /** Currency of the amounts when there is no currency column. */
  currency: string;
  /** Field delimiter; detected from the first line (';', ',' or TAB) when omitted. */
  delimiter?: ';' | ',' | '\t' | undefined;
  decimal: ',' | '.';
  /** Thousands separator besides spaces, e.g. '.' in "1.234,56"; never the decimal mark. */
  thousands?: '.' | ',' | "'" | undefined;
  dateFormat: CsvDateFormat;
  /** Lines before the header (bank exports often start with an account summary). */
  skipLines?: number | undefined;
  columns: {
    bookingDate: string;
    valueDate?: string | undefined;
    /** One signed amount column … */
    amount?: string | undefined;
    /** … or credits and debits in two columns (each a positive number or empty). */
    credit?: string | undefined;
    debit?: string | undefined;
    currency?: string | undefined;
    /** A payment reference column (OCR / RF / invoice number as the payer wrote it). */
    reference?: string | undefined;
    text?: string | undefined;
    payerName?: string | undefined;
    payerAccount?: string | undefined;
    bankReference?: string | undefined;
  };
}

const MAX_PROBLEMS = 20;

function detectDelimiter(firstLine: string): ';' | ',' | '\t' {
  const counts = ([';', ',', '\t'] as const).map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ';';
}

function parseDate(s: string, format: CsvDateFormat): LocalDate | null {
  const t = s.trim();
  let d: string | null = null;
  let m: RegExpExecArray | null;
  switch (format) {
    case 'YYYY-MM-DD':
      d = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(t) ? t : null;
      break;
    case 'YYYYMMDD':
      d = /^[0-9]{8}$/.test(t) ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}` : null;
      break;
    case 'DD.MM.YYYY':
      m = /^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$/.exec(t);
      d = m ? `${m[3]}-${m[2]}-${m[1]}` : null;
      break;
    case 'DD/MM/YYYY':
      m = /^([0-9]{2})\/([0-9]{2})\/([0-9]{4})$/.exec(t);
      d = m ? `${m[3]}-${m[2]}-${m[1]}` : null;
      break;
    case 'MM/DD/YYYY':
      m = /^([0-9]{2})\/([0-9]{2})\/([0-9]{4})$/.exec(t);
      d = m ? `${m[3]}-${m[1]}-${m[2]}` : null;
      break;
  }
  return d !== null && isLocalDate(d) ? d : null;
}

/** "−1 234,56" → -123456n (exponent 2). Returns an error text instead when it is not an amount. */
export function parseCsvAmount(raw: string, decimal: ',' | '.', thousands: string | undefined, exponent: number): bigint | string {
  let s = raw.replace(/[\s\u00a0\u202f]/g, '').replace(/\u2212/g, '-');
  if (s === '') return 'is empty';
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1);
  } else if (s.endsWith('-')) {
    negative = !negative;
    s = s.slice(0, -1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  if (thousands !== undefined && thousands !== decimal) s = s.split(thousands).join('');
  const [int, frac = '', extra] = s.split(decimal);
  if (extra !== undefined || int === undefined || !/^[0-9]+$/.test(int) || !/^[0-9]*$/.test(frac)) {
    return `'${raw}' is not an amount with decimal '${decimal}'`;
  }
  if (frac.length > exponent) return `'${raw}' has more than ${exponent} decimals`;
  const v = BigInt(int + frac.padEnd(exponent, '0'));
  return negative ? -v : v;
}

/** Parses a bank CSV export with a mapping. */
export function parseBankCsv(text: string, mapping: BankCsvMapping): BankFile {
  const problems: string[] = [];
  const fail = (): never => {
    const more = problems.length > MAX_PROBLEMS ? ` (and ${problems.length - MAX_PROBLEMS} more)` : '';
    throw new BankFileError('csv', problems[0]!.split(':')[0]!, problems.slice(0, MAX_PROBLEMS).join('; ') + more);
  };
  if (!isKnownCurrency(mapping.currency)) throw new BankFileError('csv', 'mapping', `currency '${mapping.currency}' is not an ISO 4217 code`);
  const body = text.replace(/^\uFEFF/, '');
  const skip = mapping.skipLines ?? 0;
  const lines = body.split(/\r?\n/);
  const headerLine = lines[skip] ?? '';
  const delimiter = mapping.delimiter ?? detectDelimiter(headerLine);
  let records: string[][];
  try {
    records = parse(body, { delimiter, from_line: skip + 1, relax_column_count: true, skip_empty_lines: true, bom: true, trim: false });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new BankFileError('csv', `line ${(err.lines ?? 0) + skip}`, `not valid CSV: ${err.message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new BankFileError('csv', `line ${skip + 1}`, 'the file has no header line');
  const names = header.map((h) => h.trim().toLowerCase());
  const columnIndex = (key: string, spec: string | undefined): number | null => {
    if (spec === undefined) return null;
    const pos = /^#([0-9]+)$/.exec(spec);
    const i = pos ? Number(pos[1]) - 1 : names.indexOf(spec.trim().toLowerCase());
    if (i < 0 || i >= header.length) {
      throw new BankFileError('csv', `line ${skip + 1}`, `the mapped column '${spec}' (${key}) is not in the header: ${header.join(delimiter)}`);
    }
    return i;
  };
  const c = mapping.columns;
  const col = {
    bookingDate: columnIndex('bookingDate', c.bookingDate)!,
    valueDate: columnIndex('valueDate', c.valueDate),
    amount: columnIndex('amount', c.amount),
    credit: columnIndex('credit', c.credit),
    debit: columnIndex('debit', c.debit),
    currency: columnIndex('currency', c.currency),
    reference: columnIndex('reference', c.reference),
    text: columnIndex('text', c.text),
    payerName: columnIndex('payerName', c.payerName),
    payerAccount: columnIndex('payerAccount', c.payerAccount),
    bankReference: columnIndex('bankReference', c.bankReference),
  };
  if (col.amount === null && (col.credit === null || col.debit === null)) {
    throw new BankFileError('csv', 'mapping', 'map either an amount column or both a credit and a debit column');
  }
  const transactions: BankTransaction[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, r) => {
    const lineNo = skip + r + 2;
    const cell = (i: number | null): string => (i === null ? '' : (row[i] ?? '').trim());
    const at = (i: number): string => `line ${lineNo}: column '${header[i]}'`;
    const currency = col.currency !== null && cell(col.currency) !== '' ? cell(col.currency).toUpperCase() : mapping.currency;
    if (!isKnownCurrency(currency)) {
      problems.push(`${at(col.currency!)}: '${currency}' is not an ISO 4217 code`);
      return;
    }
    const exponent = currencyExponent(currency);
    const bookingDate = parseDate(cell(col.bookingDate), mapping.dateFormat);
    if (bookingDate === null) problems.push(`${at(col.bookingDate)}: '${cell(col.bookingDate)}' is not a date ${mapping.dateFormat}`);
    let valueDate: LocalDate | null = null;
    if (col.valueDate !== null && cell(col.valueDate) !== '') {
      valueDate = parseDate(cell(col.valueDate), mapping.dateFormat);
      if (valueDate === null) problems.push(`${at(col.valueDate)}: '${cell(col.valueDate)}' is not a date ${mapping.dateFormat}`);
    }
    let amount: bigint | null = null;
    if (col.amount !== null) {
      const a = parseCsvAmount(cell(col.amount), mapping.decimal, mapping.thousands, exponent);
      if (typeof a === 'string') problems.push(`${at(col.amount)}: ${a}`);
      else amount = a;
    } else {
      const cr = cell(col.credit) === '' ? 0n : parseCsvAmount(cell(col.credit), mapping.decimal, mapping.thousands, exponent);
      const db = cell(col.debit) === '' ? 0n : parseCsvAmount(cell(col.debit), mapping.decimal, mapping.thousands, exponent);
      if (typeof cr === 'string') problems.push(`${at(col.credit!)}: ${cr}`);
      if (typeof db === 'string') problems.push(`${at(col.debit!)}: ${db}`);
      if (typeof cr === 'bigint' && typeof db === 'bigint') {
        if (cr !== 0n && db !== 0n) problems.push(`line ${lineNo}: both a credit and a debit amount`);
        else amount = cr !== 0n ? cr : db < 0n ? db : -db;
      }
    }
    if (bookingDate === null || amount === null) return;
    const references: BankReference[] = [];
    if (cell(col.reference) !== '') references.push({ kind: 'text', value: cell(col.reference) });
    const text = cell(col.text) === '' ? null : cell(col.text);
    if (text !== null && col.reference === null) references.push({ kind: 'text', value: text });
    const bankRef = cell(col.bankReference) === '' ? null : cell(col.bankReference);
    let key: string;
    if (bankRef !== null) {
      key = `csv:${mapping.account}:${bankRef}`;
    } else {
      const combo = `${mapping.account}:${bookingDate}:${amount}:${currency}:${text ?? ''}:${cell(col.reference)}`;
      const n = (seen.get(combo) ?? 0) + 1;
      seen.set(combo, n);
      key = `csv:${combo}:${n}`;
    }
    transactions.push({
      naturalKey: key,
      source: `line ${lineNo}`,
      account: mapping.account,
      bookingDate,
      valueDate,
      currency,
      amountMinor: amount,
      payerName: cell(col.payerName) === '' ? null : cell(col.payerName),
      payerAccount: cell(col.payerAccount) === '' ? null : cell(col.payerAccount),
      payerOrgNumber: null,
      payerAddress: null,
      references,
      text,
      bankReference: bankRef,
    });
  });
  if (problems.length > 0) fail();
  return {
    format: 'csv',
    fileId: null,
    test: false,
    statements: [{ account: mapping.account, currency: mapping.currency, id: `${mapping.account}:csv`, date: null, declaredTotalMinor: null, declaredCount: null, transactions }],
  };
}
