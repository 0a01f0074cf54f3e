/**
 * CSV responses for reports (`format=csv`): UTF-8 with a byte-order mark so that spreadsheet programs
 * read å, ä and ö correctly, and a file name to save as.
 */
import type { FastifyReply } from 'fastify';
import { toCsv, type CsvCell } from '../integrations/csv/write.js';

export type { CsvCell };

/** Sends CSV as a download. */
export function sendCsv(reply: FastifyReply, fileName: string, header: readonly string[], rows: readonly (readonly CsvCell[])[]) {
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(`\uFEFF${toCsv(header, rows)}`);
}
