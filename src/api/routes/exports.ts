/**
 * Exports of the books for other systems: SIE 4E (what Swedish bookkeeping programs such as Fortnox and
 * Visma import) and an hledger journal (an independent check of the trial balance). Both are built in
 * one read transaction, the journal streamed from the database a page at a time.
 */
import { z } from 'zod';
import { hledgerExport } from '../../app/exports/hledger-export.js';
import { sieExport, sieFileName } from '../../app/exports/sie-export.js';
import type { AppDeps } from '../../app/shared/env.js';
import { fiscalYearOf } from '../../core/ledger/fiscal-year.js';
import { compareDates } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import { hledgerJournalText } from '../../integrations/hledger/hledger-journal.js';
import { sieBytes } from '../../integrations/sie/sie-writer.js';
import { read } from '../command.js';
import { type Api, DateInput, errorResponses } from '../http.js';
import { API_VERSION } from '../server.js';

const SieQuery = z.strictObject({
  fiscal_year: z.coerce
    .number()
    .int()
    .min(1900)
    .max(9999)
    .optional()
    .describe('The fiscal year (labelled by the calendar year it starts in); defaults to the year of today'),
});

const HledgerQuery = z.strictObject({
  from: DateInput.optional().describe('First entry date included'),
  to: DateInput.optional().describe('Last entry date included'),
});

export function exportRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/exports/sie',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The books of one fiscal year as a SIE 4E file (PC8 / CP437)',
        description:
          'SIE type 4E: #RAR for the year (and the one before when it has entries), #KONTO for every account used, #IB/#UB for ' +
          'balance accounts, #RES for result accounts, one #VER per journal entry (opening-balance entries are the #IB), and a ' +
          '#KSUMMA CRC-32. Amounts in the base currency, debit positive.',
        querystring: SieQuery,
        produces: ['text/plain; charset=IBM437'],
        response: { 200: z.any().describe('text/plain; charset=IBM437 (SIE 4, PC8)'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const today = deps.clock.today();
      const { bytes, label, tenantId } = await read(req, deps, async (s) => {
        const { fiscalYearStartMonth } = await s.books.settings();
        const label = req.query.fiscal_year ?? fiscalYearOf(today, fiscalYearStartMonth).label;
        const data = await sieExport(s, { fiscalYear: label, generatedOn: today, program: { name: 'q2c', version: API_VERSION } });
        return { bytes: (await sieBytes(data)).bytes, label, tenantId: s.tenantId };
      });
      return reply
        .type('text/plain; charset=IBM437')
        .header('content-disposition', `attachment; filename="${sieFileName(tenantId, label)}"`)
        .send(bytes);
    },
  );

  app.get(
    '/v1/exports/hledger',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The journal in hledger journal format (UTF-8), for an independent check of the trial balance',
        querystring: HledgerQuery,
        produces: ['text/plain; charset=utf-8'],
        response: { 200: z.any().describe('text/plain; charset=utf-8 (hledger journal)'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { from, to } = req.query;
      if (from !== undefined && to !== undefined && compareDates(from, to) > 0) throw invalid('to', 'to must not be before from');
      const { text, tenantId } = await read(req, deps, async (s) => ({
        text: await hledgerJournalText(await hledgerExport(s, { from, to }, deps.clock.now())),
        tenantId: s.tenantId,
      }));
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="q2c-${tenantId.replace(/[^A-Za-z0-9_-]/g, '_')}.journal"`)
        .send(text);
    },
  );
}
