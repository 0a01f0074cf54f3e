/** CSV text for reports and exports: RFC 4180 written by csv-stringify, CRLF line ends, bigints exact. */
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | bigint | boolean | null | undefined;

/** The CSV text of a header and rows (null and undefined are empty cells). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : typeof c === 'bigint' ? c.toString() : c)));
  return stringify([header as string[], ...cells], { record_delimiter: 'windows' });
}
