import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { formatCsvProblem, MAX_CSV_PROBLEMS, parseRatesCsv, ratesFromCsv, type RatesCsvResult } from './fx-csv.js';
import { formatRate, parseRate } from './fx.js';

function rates(r: RatesCsvResult) {
  if (!r.ok) throw new Error(`expected the file to parse: ${r.problems.map(formatCsvProblem).join('; ')}`);
  return r.rates.map((x) => [x.line, x.currency, x.date, formatRate(x.rateScaled)]);
}

function problems(r: RatesCsvResult): string[] {
  if (r.ok) throw new Error('expected the file to be refused');
  return r.problems.map(formatCsvProblem);
}

describe('parseRatesCsv', () => {
  it('reads a comma-separated file with the header in any order and case, extra columns ignored', () => {
    const text = 'Currency,DATE,Rate,Note\nEUR,2026-01-02,11.4325,ECB\nUSD,2026-01-02,10.95,\n';
    const r = parseRatesCsv(text);
    expect(r.ok && r.separator).toBe(',');
    expect(rates(r)).toEqual([
      [2, 'EUR', '2026-01-02', '11.4325'],
      [3, 'USD', '2026-01-02', '10.95'],
    ]);
  });

  it('reads a Swedish bank export: BOM, CRLF, ";" and decimal commas, blank lines skipped', () => {
    const text = '\uFEFFdatum;date;currency;rate\r\n\r\nx;2026-01-02;EUR;11,4325\r\n;;;\r\nx;2026-01-05;EUR;11.40\r\n  \r\nx;2026-01-05;JPY;0,0691\r\n';
    const r = parseRatesCsv(text);
    expect(r.ok && r.separator).toBe(';');
    expect(rates(r)).toEqual([
      [3, 'EUR', '2026-01-02', '11.4325'],
      [5, 'EUR', '2026-01-05', '11.4'],
      [7, 'JPY', '2026-01-05', '0.0691'],
    ]);
  });

  it('accepts quoted fields, with separators, doubled quotes and line breaks inside, and counts lines right', () => {
    const text = 'date,"currency",rate,comment\n"2026-01-02","EUR","11.4325","a, ""quoted""\nnote"\n2026-01-03,EUR,11.5,x\n';
    expect(rates(parseRatesCsv(text))).toEqual([
      [2, 'EUR', '2026-01-02', '11.4325'],
      [4, 'EUR', '2026-01-03', '11.5'],
    ]);
    // a decimal comma inside quotes in a ';' file
    expect(rates(parseRatesCsv('date;currency;rate\n2026-01-02;EUR;"11,4325"'))).toEqual([[2, 'EUR', '2026-01-02', '11.4325']]);
    // blank lines before the header: the separator comes from the header line, lines still counted
    expect(rates(parseRatesCsv('\r\n\r\ndate;currency;rate\r\n2026-01-02;EUR;11,4325'))).toEqual([[4, 'EUR', '2026-01-02', '11.4325']]);
  });

  it('reports every bad line with its line number and column, and yields no rates', () => {
    const text = [
      'date,currency,rate', // 1
      '2026-01-02,EUR,11.4325', // 2 fine
      '2026-02-30,EUR,11.4', // 3 no such day
      '2026-01-03,XXX,1', // 4 unknown currency
      '2026-01-03,eur,1', // 5 lower case
      '2026-01-03,USD,0', // 6 zero
      '2026-01-04,USD,-1.5', // 7 negative
      '2026-01-04,NOK,"1,05"', // 8 decimal comma in a ',' file
      '2026-01-04,DKK,1.00000000001', // 9 11 decimals
      '2026-01-04,DKK', // 10 too few fields
      '2026-01-02,EUR,11.5', // 11 EUR on 2026-01-02 again
      ',GBP,', // 12 empty date and rate
    ].join('\n');
    expect(problems(parseRatesCsv(text))).toEqual([
      'line 3, date: "2026-02-30" is not a calendar date formatted YYYY-MM-DD',
      'line 4, currency: unsupported currency "XXX"',
      'line 5, currency: "eur" is not a 3-letter upper-case ISO 4217 code such as "EUR"',
      'line 6, rate: must be greater than zero',
      'line 7, rate: must be greater than zero',
      "line 8, rate: must use '.' as the decimal separator in a file separated by ','",
      'line 9, rate: must have at most 10 decimals',
      'line 10: has 2 fields, the header has 3 (separator \',\')',
      'line 11, date: EUR on 2026-01-02 is already on line 2',
      'line 12, date: is empty',
      'line 12, rate: must not be empty',
    ]);
  });

  it('refuses a decimal comma with thousands separators in a ";" file, and a negative decimal comma', () => {
    expect(problems(parseRatesCsv('date;currency;rate\n2026-01-02;JPY;1.234,5\n2026-01-02;EUR;-11,4'))).toEqual([
      'line 2, rate: must be a decimal number such as 11,4325 or 11.4325, without thousands separators',
      'line 3, rate: must be greater than zero',
    ]);
  });

  it('requires a header with date, currency and rate', () => {
    expect(problems(parseRatesCsv(''))).toEqual(['line 1: the file is empty; its first line must be a header naming the columns date, currency, rate']);
    expect(problems(parseRatesCsv('\n\n'))).toHaveLength(1);
    expect(problems(parseRatesCsv('2026-01-02,EUR,11.4325\n'))).toEqual([
      'line 1: the header has no column "date" (it must name date, currency, rate, separated by \',\' or \';\')',
      'line 1: the header has no column "currency" (it must name date, currency, rate, separated by \',\' or \';\')',
      'line 1: the header has no column "rate" (it must name date, currency, rate, separated by \',\' or \';\')',
    ]);
    expect(problems(parseRatesCsv('date,currency,rate,Rate\n2026-01-02,EUR,1,1'))).toEqual(['line 1: the header names the column "rate" twice']);
    expect(problems(parseRatesCsv('date,currency,rate\r\n\r\n'))).toEqual(['line 1: the file has a header but no rates']);
  });

  it('reports an unterminated quote at the line it opens', () => {
    expect(problems(parseRatesCsv('date,currency,rate\n2026-01-02,EUR,11\n2026-01-03,"EUR,11\n2026-01-04,EUR,12\n'))).toEqual([
      'line 3: has a quote (") that is never closed',
    ]);
  });

  it(`stops after ${MAX_CSV_PROBLEMS} problems and says there are more`, () => {
    const lines = ['date,currency,rate', ...Array.from({ length: 30 }, (_, i) => `2026-01-${String(i + 1).padStart(2, '0')},EUR,0`)];
    const r = parseRatesCsv(lines.join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(MAX_CSV_PROBLEMS);
    expect(r.truncated).toBe(true);
    expect(r.problems[19]).toEqual({ line: 21, column: 'rate', message: 'must be greater than zero' });
    try {
      ratesFromCsv(lines.join('\n'), 'csv');
      throw new Error('expected a refusal');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      const error = e as DomainError;
      expect(error.code).toBe('validation_failed');
      expect(error.param).toBe('csv');
      expect(error.message).toMatch(/^csv was refused and nothing was imported: more than 20 problems: line 2, rate: must be greater than zero; line 3, rate/);
      expect(error.message).toMatch(/line 21, rate: must be greater than zero; …$/);
    }
  });

  it('names a single problem in the error', () => {
    expect(() => ratesFromCsv('date;currency;rate\n2026-01-02;EUR;0', 'csv')).toThrow(
      'csv was refused and nothing was imported: 1 problem: line 2, rate: must be greater than zero',
    );
  });

  it('property: any set of rates written with either separator reads back exactly', () => {
    const row = fc.record({
      currency: fc.constantFrom('EUR', 'USD', 'JPY', 'KWD', 'NOK'),
      day: fc.integer({ min: 1, max: 28 }),
      scaled: fc.bigInt({ min: 1n, max: 10n ** 14n }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(row, { minLength: 1, maxLength: 20, selector: (r) => `${r.currency}${r.day}` }), fc.boolean(), fc.boolean(), (rows, semicolon, crlf) => {
        const sep = semicolon ? ';' : ',';
        const write = (s: bigint) => (semicolon ? formatRate(s).replace('.', ',') : formatRate(s));
        const body = rows.map((r) => [write(r.scaled), r.currency, `2026-03-${String(r.day).padStart(2, '0')}`].join(sep));
        const text = [['rate', 'currency', 'date'].join(sep), ...body].join(crlf ? '\r\n' : '\n');
        expect(rates(parseRatesCsv(text))).toEqual(
          rows.map((r, i) => [i + 2, r.currency, `2026-03-${String(r.day).padStart(2, '0')}`, formatRate(r.scaled)]),
        );
        expect(parseRate(formatRate(rows[0]!.scaled), 'rate')).toBe(rows[0]!.scaled);
      }),
    );
  });
});
