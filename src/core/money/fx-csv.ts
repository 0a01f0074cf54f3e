/**
 * Exchange-rate files (CSV), parsed and checked as a whole, without I/O.
 *
 * The header row is required and names the columns `date`, `currency` and `rate` (any case, any
 * order; other columns are ignored). The separator is ',' or ';', whichever the header uses; with
 * ';' (Swedish bank exports) the rate may have a decimal comma ("11,4325"). A UTF-8 byte-order mark,
 * CRLF or LF line ends, blank lines and quoted fields ("a ""quoted"" word", separators and line
 * breaks inside quotes) are all accepted. A rate means 1 unit of `currency` = rate units of the
 * tenant's base currency.
 *
 * The file is all or nothing: every problem is reported with its line and column ("line 7, rate:
 * must be greater than zero"), up to MAX_CSV_PROBLEMS of them, and a file with any problem yields no
 * rates at all.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { DomainError } from '../shared/errors.js';
import { isLocalDate, type LocalDate } from '../shared/dates.js';
import { isKnownCurrency } from './currency.js';
import { parseRate } from './fx.js';

/** Problems reported at most; a file with more says so and stops there. */
export const MAX_CSV_PROBLEMS = 20;
/** Rates one file may hold (a year of daily rates for some 40 currencies). */
export const MAX_CSV_RATES = 10_000;

export const CSV_COLUMNS = ['date', 'currency', 'rate'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface CsvRate {
  /** The line of the file the rate is on (the header is line 1). */
  line: number;
  currency: string;
  date: LocalDate;
  /** × RATE_SCALE (fx.ts). */
  rateScaled: bigint;
}

export interface CsvProblem {
  line: number;
  /** The column at fault, or null for a problem with the line as a whole. */
  column: CsvColumn | null;
  message: string;
}

export type RatesCsvResult =
  | { ok: true; separator: ',' | ';'; rates: CsvRate[] }
  | { ok: false; problems: CsvProblem[]; /** more problems than MAX_CSV_PROBLEMS were found */ truncated: boolean };

/** "line 7, rate: must be greater than zero" / "line 3: has 2 fields, the header has 3". */
export function formatCsvProblem(p: CsvProblem): string {
  return p.column === null ? `line ${p.line}: ${p.message}` : `line ${p.line}, ${p.column}: ${p.message}`;
}

/** One validation error for a refused file, naming `param` and listing every problem found. */
export function csvProblemsError(problems: readonly CsvProblem[], truncated: boolean, param: string): DomainError {
  const n = problems.length;
  const head = `${param} was refused and nothing was imported: ${truncated ? `more than ${n}` : n} problem${n === 1 && !truncated ? '' : 's'}`;
  const list = problems.map(formatCsvProblem).join('; ');
  return new DomainError('validation_failed', `${head}: ${list}${truncated ? '; …' : ''}`, param);
}

interface CsvRecord {
  /** The line the record starts on. */
  line: number;
  fields: string[];
}

/**
 * Splits the text into records of fields with csv-parse (RFC 4180 quoting), each with the line it
 * starts on. An unterminated quote or another quoting error is reported as `error` with its line. A
 * record of only empty fields (a blank line, ";;") is dropped.
 */
function records(text: string, separator: string): { records: CsvRecord[]; error?: CsvProblem } {
  try {
    const rows = parse(text, {
      delimiter: separator,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      info: true,
      raw: true,
    }) as unknown as { record: string[]; info: { lines: number }; raw: string }[];
    return {
      records: rows.map((r) => ({
        // info.lines is the line the record ends on; a quoted field may span lines
        line: r.info.lines - (r.raw.replace(/^[\r\n]+|[\r\n]+$/g, '').match(/\r\n|\n|\r/g)?.length ?? 0),
        fields: r.record,
      })),
    };
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') return { records: [], error: { line: unclosedQuoteLine(text), column: null, message: 'has a quote (") that is never closed' } };
    const line = typeof (e as CsvError & { lines?: number }).lines === 'number' ? (e as CsvError & { lines: number }).lines : 1;
    return { records: [], error: { line, column: null, message: `is not valid CSV: ${e.message.replace(/^[^:]*: /, '')}` } };
  }
}

/** The line on which the quote that is never closed opens (a doubled quote toggles twice). */
function unclosedQuoteLine(text: string): number {
  let line = 1;
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') open = open === 0 ? line : 0;
    else if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
  }
  return open === 0 ? line : open;
}

/** The separator the header line (the first line that is not blank) uses: ';' when it has more ';' than ',' outside quotes, else ','. */
function detectSeparator(text: string): ',' | ';' {
  let inQuotes = false;
  let commas = 0;
  let semicolons = 0;
  let seen = false;
  for (const c of text) {
    if (!inQuotes && (c === '\n' || c === '\r')) {
      if (seen) break;
      continue;
    }
    if (c.trim() !== '') seen = true;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && c === ',') commas += 1;
    else if (!inQuotes && c === ';') semicolons += 1;
  }
  return semicolons > commas ? ';' : ',';
}

function rateText(raw: string, separator: ',' | ';'): string {
  // a Swedish export: "11,4325" with ';' between the fields
  if (separator === ';' && /^-?[0-9]+,[0-9]+$/.test(raw)) return raw.replace(',', '.');
  return raw;
}

export function parseRatesCsv(input: string): RatesCsvResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const problems: CsvProblem[] = [];
  let truncated = false;
  const problem = (line: number, column: CsvColumn | null, message: string): boolean => {
    if (problems.length >= MAX_CSV_PROBLEMS) {
      truncated = true;
      return false;
    }
    problems.push({ line, column, message });
    return true;
  };
  const refused = (): RatesCsvResult => ({ ok: false, problems, truncated });

  const separator = detectSeparator(text);
  const parsed = records(text, separator);
  const [header, ...rows] = parsed.records;
  if (header === undefined) {
    if (parsed.error) problem(parsed.error.line, null, parsed.error.message);
    else problem(1, null, `the file is empty; its first line must be a header naming the columns ${CSV_COLUMNS.join(', ')}`);
    return refused();
  }

  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = {} as Record<CsvColumn, number>;
  for (const column of CSV_COLUMNS) {
    const at = names.indexOf(column);
    if (at === -1) problem(header.line, null, `the header has no column "${column}" (it must name ${CSV_COLUMNS.join(', ')}, separated by ',' or ';')`);
    else if (names.indexOf(column, at + 1) !== -1) problem(header.line, null, `the header names the column "${column}" twice`);
    index[column] = at;
  }
  if (problems.length > 0) return refused();

  const rates: CsvRate[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (truncated) break;
    if (row.fields.length !== header.fields.length) {
      problem(row.line, null, `has ${row.fields.length} field${row.fields.length === 1 ? '' : 's'}, the header has ${header.fields.length} (separator '${separator}')`);
      continue;
    }
    const value = (column: CsvColumn) => (row.fields[index[column]] ?? '').trim();
    let ok = true;

    const date = value('date');
    const shownDate = date.slice(0, 20);
    if (!isLocalDate(date)) {
      ok = false;
      problem(row.line, 'date', shownDate === '' ? 'is empty' : `"${shownDate}" is not a calendar date formatted YYYY-MM-DD`);
    }

    const currency = value('currency');
    if (!/^[A-Z]{3}$/.test(currency)) {
      ok = false;
      problem(row.line, 'currency', currency === '' ? 'is empty' : `"${currency.slice(0, 20)}" is not a 3-letter upper-case ISO 4217 code such as "EUR"`);
    } else if (!isKnownCurrency(currency)) {
      ok = false;
      problem(row.line, 'currency', `unsupported currency "${currency}"`);
    }

    let rateScaled = 0n;
    const raw = value('rate');
    const written = rateText(raw, separator);
    try {
      rateScaled = parseRate(written, 'rate');
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      ok = false;
      const message = !written.includes(',')
        ? error.message
        : separator === ','
          ? "must use '.' as the decimal separator in a file separated by ','"
          : 'must be a decimal number such as 11,4325 or 11.4325, without thousands separators';
      problem(row.line, 'rate', message);
    }

    if (!ok) continue;
    const key = `${currency} ${date}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problem(row.line, 'date', `${currency} on ${date} is already on line ${earlier}`);
      continue;
    }
    seen.set(key, row.line);
    rates.push({ line: row.line, currency, date, rateScaled });
  }
  if (parsed.error) problem(parsed.error.line, null, parsed.error.message);
  if (problems.length > 0) return refused();
  if (rates.length === 0) {
    problem(header.line, null, 'the file has a header but no rates');
    return refused();
  }
  if (rates.length > MAX_CSV_RATES) {
    problem(rates[MAX_CSV_RATES]!.line, null, `one file may hold at most ${MAX_CSV_RATES} rates; split the file`);
    return refused();
  }
  return { ok: true, separator, rates };
}

/** The rates of a CSV file, or a validation error naming `param` that lists the problems. */
export function ratesFromCsv(input: string, param: string): CsvRate[] {
  const result = parseRatesCsv(input);
  if (!result.ok) throw csvProblemsError(result.problems, result.truncated, param);
  return result.rates;
}
