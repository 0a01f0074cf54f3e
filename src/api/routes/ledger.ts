import { z } from 'zod';
import { compareDates } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import { parseId, type CustomerId } from '../../core/shared/ids.js';
import { agingReport } from '../../app/reports/aging.js';
import { trialBalance } from '../../app/reports/trial-balance.js';
import type { AppDeps } from '../../app/shared/env.js';
import { read } from '../command.js';
import { type Api, DateInput, errorResponses, pageOf, pageQueryShape } from '../http.js';
import {
  AgingReportJson, agingReportJson, JournalEntryJson, journalEntryJson, listJson, listSchema, TrialBalanceJson, trialBalanceJson,
} from '../serialize.js';

const TrialBalanceQuery = z.strictObject({
  from: DateInput.optional().describe('First entry date included'),
  to: DateInput.optional().describe('Last entry date included'),
});

const JournalListQuery = z.strictObject({
  ...pageQueryShape,
  source_id: z.string().max(100).optional().describe('Only entries posted for this document (invoice, payment, allocation id)'),
});

const AgingQuery = z.strictObject({
  as_of: DateInput.optional().describe('Defaults to today'),
  customer_id: z.string().max(100).optional(),
});

export function ledgerRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/ledger/trial-balance',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Debits, credits and balance per account and currency, with per-currency totals',
        querystring: TrialBalanceQuery,
        response: { 200: TrialBalanceJson, ...errorResponses },
      },
    },
    async (req) => {
      const filter = { from: req.query.from, to: req.query.to };
      if (filter.from !== undefined && filter.to !== undefined && compareDates(filter.from, filter.to) > 0) {
        throw invalid('to', 'to must not be before from');
      }
      return read(req, deps, async (s) => trialBalanceJson(filter, await trialBalance(s, filter)));
    },
  );

  app.get(
    '/v1/ledger/entries',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Journal entries with their lines (oldest first)',
        querystring: JournalListQuery,
        response: { 200: listSchema(JournalEntryJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOf('journalEntry', req.query);
      const filter: { sourceId?: string } = {};
      if (req.query.source_id !== undefined) filter.sourceId = req.query.source_id;
      return read(req, deps, async (s) => listJson(await s.journal.list(page, filter), journalEntryJson));
    },
  );

  app.get(
    '/v1/reports/aging',
    {
      schema: {
        tags: ['reports'],
        summary: 'Accounts receivable aging: open amounts by days past due, per customer and currency',
        querystring: AgingQuery,
        response: { 200: AgingReportJson, ...errorResponses },
      },
    },
    async (req) => {
      const asOf = req.query.as_of ?? deps.clock.today();
      const customerId: CustomerId | undefined =
        req.query.customer_id === undefined ? undefined : parseId('customer', req.query.customer_id, 'customer_id');
      return read(req, deps, async (s) => agingReportJson(await agingReport(s, asOf, customerId)));
    },
  );
}
