/**
 * Reports: GET /v1/reports/vat (the momsdeklaration's sales boxes for a period; `format=csv` gives CSV)
 * and GET /v1/reports/kpis (quote conversion, time per stage, DSO, CEI). Read-only.
 */
import { z } from 'zod';
import { dashboard, DASHBOARD_MAX_WEEKS, type Dashboard } from '../../app/reports/dashboard.js';
import { kpiReport } from '../../app/reports/kpis.js';
import { mayUse } from '../../app/shared/permissions.js';
import { PIPELINE_STATUSES } from '../../core/reports/dashboard.js';
import { vatReport } from '../../app/reports/vat-report.js';
import type { AppDeps } from '../../app/shared/env.js';
import type { Kpis, StageStats } from '../../core/reports/kpis.js';
import { DECLARATION_ROUNDING, VAT_RETURN_BOXES, vatReturnCsv, type VatReturn } from '../../core/reports/vat-return.js';
import { compareDates } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import { principalOf } from '../auth.js';
import { read } from '../command.js';
import { sendCsv } from '../csv.js';
import { formatAmount, money } from '../../core/money/money.js';
import { type Api, DateInput, errorResponses } from '../http.js';
import { MoneyJson, moneyJson } from '../serialize.js';

const PeriodQuery = {
  from: DateInput.describe('First day of the period (inclusive)'),
  to: DateInput.describe('Last day of the period (inclusive)'),
};

const VatQuery = z.strictObject({
  ...PeriodQuery,
  format: z.enum(['json', 'csv']).default('json').describe('csv: one line per box, `;`-separated'),
});
const KpiQuery = z.strictObject({ ...PeriodQuery, format: z.enum(['json', 'csv']).default('json').describe('csv: one line per figure (metric, value)') });

const DashboardQuery = z.strictObject({
  as_of: DateInput.optional().describe("The last day of the weeks and of the decision window (default: today in the business time zone); quote, order, claim and bank-line statuses are always today's; overdue means due before as_of"),
  weeks: z.coerce.number().int().min(1).max(DASHBOARD_MAX_WEEKS).default(12).describe('How many ISO weeks of cash received, ending with the week of as_of'),
  window_days: z.coerce.number().int().min(1).max(3660).default(90).describe('Accepted, declined and expired quotes count when decided within this many days up to as_of'),
});

const DashboardJson = z
  .object({
    object: z.literal('dashboard'),
    as_of: z.string(),
    base_currency: z.string(),
    window_days: z.number().int(),
    pipeline: z
      .array(z.object({ status: z.enum(PIPELINE_STATUSES), count: z.number().int(), net_total: MoneyJson }))
      .describe("Current quote versions by status and currency (net totals; currencies are not converted): open ones all, decided ones within window_days"),
    cash_received: z
      .array(z.object({ week_start: z.string().describe('The Monday of the ISO week'), count: z.number().int(), amount: MoneyJson }))
      .nullable()
      .describe('Payments received per week and currency, zero-filled; null for roles that may not read the books'),
    queues: z.object({
      quotes_awaiting_approval: z.number().int(),
      orders_on_hold: z.number().int(),
      claims_open: z.number().int(),
      bank_lines_to_review: z.number().int().nullable().describe('Unmatched bank lines; null for roles that may not read the books'),
      overdue_invoices: z.array(z.object({ count: z.number().int(), open: MoneyJson })).describe('Issued invoices still open past their due date, per currency'),
    }),
  })
  .meta({ id: 'Dashboard' });

const dashboardJson = (d: Dashboard): z.output<typeof DashboardJson> => ({
  object: 'dashboard',
  as_of: d.asOf,
  base_currency: d.baseCurrency,
  window_days: d.windowDays,
  pipeline: d.pipeline.map((p) => ({ status: p.status, count: p.count, net_total: moneyJson(p.netMinor, p.currency) })),
  cash_received: d.cashReceived === null ? null : d.cashReceived.map((w) => ({ week_start: w.weekStart, count: w.count, amount: moneyJson(w.amountMinor, w.currency) })),
  queues: {
    quotes_awaiting_approval: d.queues.quotesAwaitingApproval,
    orders_on_hold: d.queues.ordersOnHold,
    claims_open: d.queues.claimsOpen,
    bank_lines_to_review: d.queues.bankLinesToReview,
    overdue_invoices: d.queues.overdueInvoices.map((o) => ({ count: o.count, open: moneyJson(o.openMinor, o.currency) })),
  },
});

const VatReportJson = z
  .object({
    object: z.literal('vat_report'),
    from: z.string(),
    to: z.string(),
    currency: z.string().describe("The tenant's functional currency"),
    declaration_rounding: z.literal(DECLARATION_ROUNDING).describe('How the exact amount becomes whole kronor: öre dropped'),
    boxes: z.array(
      z.object({
        box: z.enum(VAT_RETURN_BOXES),
        label: z.string(),
        amount: MoneyJson.describe('Exact, in öre'),
        declared_kronor: z.string().describe('As declared: whole kronor'),
      }),
    ),
    output_vat_by_rate: z.array(z.object({ rate: z.enum(['25', '12', '6']), taxable: MoneyJson, vat: MoneyJson })),
    documents: z.object({ invoices: z.number().int(), credit_notes: z.number().int() }),
  })
  .meta({ id: 'VatReport' });

const vatReportJson = (r: VatReturn): z.output<typeof VatReportJson> => ({
  object: 'vat_report',
  from: r.from,
  to: r.to,
  currency: r.currency,
  declaration_rounding: DECLARATION_ROUNDING,
  boxes: r.boxes.map((b) => ({ box: b.box, label: b.label, amount: moneyJson(b.exactMinor, r.currency), declared_kronor: b.declaredKronor.toString() })),
  output_vat_by_rate: r.outputVatByRate.map((v) => ({ rate: v.ratePercent, taxable: moneyJson(v.taxableMinor, r.currency), vat: moneyJson(v.vatMinor, r.currency) })),
  documents: { invoices: r.documents.invoices, credit_notes: r.documents.creditNotes },
});

const StageJson = z.object({
  count: z.number().int(),
  average_days: z.string().nullable().describe('Mean, 2 decimals, half up'),
  median_days: z.string().nullable().describe('Exact: a whole number or a half'),
  min_days: z.number().int().nullable(),
  max_days: z.number().int().nullable(),
});

const KpiReportJson = z
  .object({
    object: z.literal('kpi_report'),
    from: z.string(),
    to: z.string(),
    time_zone: z.string(),
    quotes: z.object({
      sent: z.number().int().describe('Quotes first sent in the period (the cohort)'),
      accepted: z.number().int(),
      declined: z.number().int(),
      expired: z.number().int(),
      open: z.number().int(),
      win_rate_of_decided_percent: z.string().nullable().describe('accepted / (accepted + declined + expired) × 100'),
      conversion_rate_of_sent_percent: z.string().nullable().describe('accepted / sent × 100'),
    }),
    stages: z.object({
      sent_to_accepted: StageJson,
      accepted_to_delivered: StageJson,
      delivered_to_invoiced: StageJson,
      issued_to_paid: StageJson,
    }),
    receivables: z.object({
      opening_ar: MoneyJson,
      closing_ar: MoneyJson,
      closing_current_ar: MoneyJson,
      credit_sales: MoneyJson,
      days: z.number().int(),
      dso_days: z.string().nullable().describe('closing AR / credit sales × days, 2 decimals'),
      cei_percent: z.string().nullable().describe('(opening AR + credit sales − closing AR) / (opening AR + credit sales − closing current AR) × 100'),
    }),
  })
  .meta({ id: 'KpiReport' });

const stageJson = (s: StageStats): z.output<typeof StageJson> => ({
  count: s.count, average_days: s.averageDays, median_days: s.medianDays, min_days: s.minDays, max_days: s.maxDays,
});

/** The KPIs as (metric, value) rows: counts, rates in percent, days, and the receivables in major units. */
function kpiCsvRows(k: Kpis): (string | number | null)[][] {
  const c = k.receivables.currency;
  const rows: (string | number | null)[][] = [
    ['quotes_sent', k.quotes.sent], ['quotes_accepted', k.quotes.accepted], ['quotes_declined', k.quotes.declined],
    ['quotes_expired', k.quotes.expired], ['quotes_open', k.quotes.open],
    ['win_rate_of_decided_percent', k.quotes.winRateOfDecidedPercent], ['conversion_rate_of_sent_percent', k.quotes.conversionRateOfSentPercent],
  ];
  for (const [name, st] of Object.entries({ sent_to_accepted: k.stages.sentToAccepted, accepted_to_delivered: k.stages.acceptedToDelivered, delivered_to_invoiced: k.stages.deliveredToInvoiced, issued_to_paid: k.stages.issuedToPaid })) {
    rows.push([`${name}_count`, st.count], [`${name}_average_days`, st.averageDays], [`${name}_median_days`, st.medianDays]);
  }
  const amount = (m: bigint) => formatAmount(money(m, c));
  rows.push(
    [`opening_ar_${c}`, amount(k.receivables.openingArMinor)], [`closing_ar_${c}`, amount(k.receivables.closingArMinor)],
    [`closing_current_ar_${c}`, amount(k.receivables.closingCurrentArMinor)], [`credit_sales_${c}`, amount(k.receivables.creditSalesMinor)],
    ['days', k.receivables.days], ['dso_days', k.receivables.dsoDays], ['cei_percent', k.receivables.ceiPercent],
  );
  return rows;
}

const kpiReportJson = (k: Kpis): z.output<typeof KpiReportJson> => {
  const c = k.receivables.currency;
  return {
    object: 'kpi_report',
    from: k.from,
    to: k.to,
    time_zone: k.timeZone,
    quotes: {
      sent: k.quotes.sent,
      accepted: k.quotes.accepted,
      declined: k.quotes.declined,
      expired: k.quotes.expired,
      open: k.quotes.open,
      win_rate_of_decided_percent: k.quotes.winRateOfDecidedPercent,
      conversion_rate_of_sent_percent: k.quotes.conversionRateOfSentPercent,
    },
    stages: {
      sent_to_accepted: stageJson(k.stages.sentToAccepted),
      accepted_to_delivered: stageJson(k.stages.acceptedToDelivered),
      delivered_to_invoiced: stageJson(k.stages.deliveredToInvoiced),
      issued_to_paid: stageJson(k.stages.issuedToPaid),
    },
    receivables: {
      opening_ar: moneyJson(k.receivables.openingArMinor, c),
      closing_ar: moneyJson(k.receivables.closingArMinor, c),
      closing_current_ar: moneyJson(k.receivables.closingCurrentArMinor, c),
      credit_sales: moneyJson(k.receivables.creditSalesMinor, c),
      days: k.receivables.days,
      dso_days: k.receivables.dsoDays,
      cei_percent: k.receivables.ceiPercent,
    },
  };
};

function checkPeriod(q: { from: string; to: string }): void {
  if (compareDates(q.from, q.to) > 0) throw invalid('to', 'to must not be before from');
}

export function reportRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/reports/vat',
    {
      schema: {
        tags: ['reports'],
        summary: 'VAT return (momsdeklaration) sales boxes 05-12, 35-42, 48, 49 for a period, exact and in whole kronor',
        description:
          'Issued invoices and credit notes (which reduce) dated in the period, in the functional currency. Each box is given ' +
          'exactly (öre) and as declared (whole kronor, öre dropped); box 49 = 10 + 11 + 12 − 48 of the declared figures. ' +
          '`format=csv` returns text/csv.',
        querystring: VatQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: z.union([VatReportJson, z.string().describe('text/csv (format=csv)')]), ...errorResponses },
      },
    },
    async (req, reply) => {
      checkPeriod(req.query);
      const report = await read(req, deps, (s) => vatReport(s, { from: req.query.from, to: req.query.to }));
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="moms-${report.from}-${report.to}.csv"`)
          .send(vatReturnCsv(report));
      }
      return vatReportJson(report);
    },
  );

  app.get(
    '/v1/reports/kpis',
    {
      schema: {
        tags: ['reports'],
        summary: 'Quote conversion, average and median days per stage, DSO and CEI for a period',
        querystring: KpiQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: z.union([KpiReportJson, z.string().describe('text/csv (format=csv)')]), ...errorResponses },
      },
    },
    async (req, reply) => {
      checkPeriod(req.query);
      const k = await read(req, deps, (s) => kpiReport(s, { from: req.query.from, to: req.query.to }));
      if (req.query.format === 'csv') return sendCsv(reply, `kpis-${k.from}-${k.to}.csv`, ['metric', 'value'], kpiCsvRows(k));
      return kpiReportJson(k);
    },
  );
  app.get(
    '/v1/reports/dashboard',
    {
      schema: {
        tags: ['reports'],
        summary: 'The dashboard: quote pipeline by status, cash received per week and the work queues, in one read',
        querystring: DashboardQuery,
        response: { 200: DashboardJson, ...errorResponses },
      },
    },
    async (req) => {
      const books = mayUse(principalOf(req).role, 'books.read');
      const asOf = req.query.as_of ?? deps.clock.today();
      const d = await read(req, deps, (s) => dashboard(s, { asOf, weeks: req.query.weeks, windowDays: req.query.window_days, books }));
      return dashboardJson(d);
    },
  );
}
