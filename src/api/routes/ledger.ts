import { z } from 'zod';
import { compareDates } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import { parseId, type CustomerId } from '../../core/shared/ids.js';
import { agingCsv, agingReport, type AgingReportResult } from '../../app/reports/aging.js';
import { accountsFor } from '../../app/ledger/chart.js';
import { agingScheme, parseAgingLimits } from '../../core/receivables/aging.js';
import { trialBalance } from '../../app/reports/trial-balance.js';
import type { AppDeps } from '../../app/shared/env.js';
import { read } from '../command.js';
import { sendCsv } from '../csv.js';
import { formatAmount, money } from '../../core/money/money.js';
import { type Api, DateInput, errorResponses, pageOf, pageQueryShape } from '../http.js';
import {
  JournalEntryJson, journalEntryJson, listJson, listSchema, TrialBalanceJson, trialBalanceJson, MoneyJson, moneyJson,
} from '../serialize.js';

const TrialBalanceQuery = z.strictObject({
  from: DateInput.optional().describe('First entry date included'),
  to: DateInput.optional().describe('Last entry date included'),
  format: z.enum(['json', 'csv']).default('json'),
});

const JournalListQuery = z.strictObject({
  ...pageQueryShape,
  source_id: z.string().max(100).optional().describe('Only entries posted for this document (invoice, payment, allocation id)'),
  source_type: z.string().max(50).optional().describe('Only entries of this kind (invoice, payment, allocation, manual, opening_balance, …)'),
  from: DateInput.optional().describe('First entry date included'),
  to: DateInput.optional().describe('Last entry date included'),
});

const AgingQuery = z.strictObject({
  as_of: DateInput.optional().describe('Defaults to today. Any past date: each item as it stood that day (later payments, credit notes and reversals ignored)'),
  customer_id: z.string().max(100).optional(),
  buckets: z
    .string()
    .max(100)
    .optional()
    .describe(
      'Bucket limits in days past due, ascending, e.g. `30,60,90` → current, days_1_30, days_31_60, days_61_90, days_over_90. ' +
        'Absent: not_due, days_0_30, days_31_60, days_61_90, days_over_90 (due today counts as 0–30)',
    ),
  format: z.enum(['json', 'csv']).optional().describe('`csv` returns text/csv'),
});

const AgingBucketsJson = z.record(z.string(), MoneyJson).describe('Amount per bucket key, keys as in bucket_definitions');

const AgingJson = z
  .object({
    object: z.literal('aging_report'),
    as_of: z.string(),
    base_currency: z.string().describe('The functional currency of every base_* amount'),
    bucket_definitions: z.array(
      z.object({
        key: z.string(),
        min_days_past_due: z.number().int().nullable().describe('null: no lower limit'),
        max_days_past_due: z.number().int().nullable().describe('null: no upper limit'),
      }),
    ),
    rows: z.array(
      z.object({
        customer_id: z.string(),
        customer_name: z.string(),
        currency: z.string(),
        buckets: AgingBucketsJson,
        total: MoneyJson,
        base_buckets: AgingBucketsJson,
        base_total: MoneyJson,
      }),
    ).describe('Per customer and document currency'),
    totals: z.array(
      z.object({ currency: z.string(), buckets: AgingBucketsJson, total: MoneyJson, base_buckets: AgingBucketsJson, base_total: MoneyJson }),
    ).describe('Per document currency'),
    customers: z.array(z.object({ customer_id: z.string(), customer_name: z.string(), base_buckets: AgingBucketsJson, base_total: MoneyJson }))
      .describe('Per customer over all currencies, in the base currency'),
    base_total: z.object({ buckets: AgingBucketsJson, total: MoneyJson }).describe('Everything, in the base currency'),
  })
  .meta({ id: 'AgingReportAsOf' });

function agingJson(r: AgingReportResult): z.output<typeof AgingJson> {
  const b = (x: Record<string, bigint>, currency: string) => Object.fromEntries(r.bucketKeys.map((k) => [k, moneyJson(x[k] ?? 0n, currency)]));
  const base = r.baseCurrency;
  return {
    object: 'aging_report',
    as_of: r.asOf,
    base_currency: base,
    bucket_definitions: r.scheme.map((d) => ({ key: d.key, min_days_past_due: d.minDaysPastDue, max_days_past_due: d.maxDaysPastDue })),
    rows: r.rows.map((row) => ({
      customer_id: row.customerId,
      customer_name: r.customerNames.get(row.customerId) ?? '',
      currency: row.currency,
      buckets: b(row.buckets, row.currency),
      total: moneyJson(row.totalMinor, row.currency),
      base_buckets: b(row.baseBuckets, base),
      base_total: moneyJson(row.baseTotalMinor, base),
    })),
    totals: r.totals.map((t) => ({
      currency: t.currency, buckets: b(t.buckets, t.currency), total: moneyJson(t.totalMinor, t.currency),
      base_buckets: b(t.baseBuckets, base), base_total: moneyJson(t.baseTotalMinor, base),
    })),
    customers: r.customers.map((c) => ({ customer_id: c.customerId, customer_name: r.customerNames.get(c.customerId) ?? '', base_buckets: b(c.buckets, base), base_total: moneyJson(c.totalMinor, base) })),
    base_total: { buckets: b(r.baseTotal.buckets, base), total: moneyJson(r.baseTotal.totalMinor, base) },
  };
}

/** The `buckets` query parameter as limits, or a 400 naming it. */
function agingLimits(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  try {
    const limits = parseAgingLimits(text);
    agingScheme(limits);
    return limits;
  } catch (e) {
    throw invalid('buckets', `buckets must be ascending whole days past due separated by commas, e.g. 30,60,90: ${(e as Error).message}`);
  }
}

export function ledgerRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/ledger/trial-balance',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Debits, credits and balance per account and currency, with per-currency totals',
        querystring: TrialBalanceQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: TrialBalanceJson.or(z.string().describe('text/csv')), ...errorResponses },
      },
    },
    async (req, reply) => {
      const filter = { from: req.query.from, to: req.query.to };
      if (filter.from !== undefined && filter.to !== undefined && compareDates(filter.from, filter.to) > 0) {
        throw invalid('to', 'to must not be before from');
      }
      if (req.query.format === 'csv') {
        const tb = await read(req, deps, (s) => trialBalance(s, filter));
        const fmt = (m: bigint, c: string) => formatAmount(money(m, c));
        return sendCsv(
          reply,
          `trial-balance${filter.from ? `-${filter.from}` : ''}${filter.to ? `-${filter.to}` : ''}.csv`,
          ['account', 'name', 'currency', 'opening', 'debit', 'credit', 'movement', 'closing'],
          tb.rows.map((r) => [r.account, r.name, r.currency, fmt(r.openingMinor, r.currency), fmt(r.debitMinor, r.currency), fmt(r.creditMinor, r.currency), fmt(r.balanceMinor, r.currency), fmt(r.closingMinor, r.currency)]),
        );
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
      const filter: { sourceId?: string; sourceType?: string; from?: string; to?: string } = {};
      if (req.query.source_id !== undefined) filter.sourceId = req.query.source_id;
      if (req.query.source_type !== undefined) filter.sourceType = req.query.source_type;
      if (req.query.from !== undefined) filter.from = req.query.from;
      if (req.query.to !== undefined) filter.to = req.query.to;
      return read(req, deps, async (s) => listJson(await s.journal.list(page, filter), journalEntryJson));
    },
  );

  app.get(
    '/v1/reports/aging',
    {
      schema: {
        tags: ['reports'],
        summary: 'Accounts receivable aging: open amounts by days past due, per customer and currency, in document and base currency',
        description:
          'As of any date (default today): every item issued by then, less the allocations (with write-offs and bank fees) applied by ' +
          'then and not reversed by then, less the credit notes issued by then. Read in keyset pages, so any number of open items ' +
          'takes bounded memory. `format=csv` returns text/csv.',
        querystring: AgingQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: z.union([AgingJson, z.string().describe('text/csv (format=csv)')]), ...errorResponses },
      },
    },
    async (req, reply) => {
      const asOf = req.query.as_of ?? deps.clock.today();
      const customerId: CustomerId | undefined =
        req.query.customer_id === undefined ? undefined : parseId('customer', req.query.customer_id, 'customer_id');
      const limits = agingLimits(req.query.buckets);
      const report = await read(req, deps, async (s) =>
        agingReport(s, asOf, { customerId, limits, receivableAccount: (await accountsFor(s, deps)).receivable }),
      );
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="aging-${report.asOf}.csv"`)
          .send(agingCsv(report));
      }
      return agingJson(report);
    },
  );
}
