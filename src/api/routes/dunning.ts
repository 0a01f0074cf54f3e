/**
 * Dunning: the schedule (GET/PUT /v1/dunning/settings), the reference-rate table (PUT
 * /v1/reference-rates/{date}, GET /v1/reference-rates), a run for a date (POST /v1/dunning/runs,
 * idempotent per day: a second run of the same date sends nothing and returns the first run's report
 * with already_run true), and the reminders sent (GET /v1/reminders, /v1/reminders/{id} and its PDF).
 */
import { z } from 'zod';
import { runDunning } from '../../app/dunning/run-dunning.js';
import { chargeDocumentData, getReminder, listReminders, reminderDocumentData } from '../../app/dunning/reminders.js';
import { dunningSettings, listReferenceRates, setDunningSettings, setReferenceRate } from '../../app/dunning/settings.js';
import { baseCurrencyOf } from '../../app/fx/rate-for.js';
import type { DunningSettingsRecord, ReferenceRateRecord, ReminderRecord, Store } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { parseMoney } from '../../core/money/money.js';
import { decimal4, formatDecimal4, splitDecimal, type Percent } from '../../core/money/quantity.js';
import type { DunningSchedule } from '../../core/receivables/dunning.js';
import { parseLocalDate } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import { parseId } from '../../core/shared/ids.js';
import { renderChargeInvoicePdf } from '../../integrations/pdf/reminder-charge-pdf.js';
import { renderReminderPdf } from '../../integrations/pdf/reminder-pdf.js';
import { command, read, runCommandOfRuns, sendStored } from '../command.js';
import { actorOf } from '../auth.js';
import { envFor } from '../../app/shared/env.js';
import { type Api, DateInput, errorResponses, IdempotencyHeaders, IdParams, MoneyInput, pageOf, pageQueryShape, pathId } from '../http.js';
import { listJson, listSchema, MoneyJson, moneyJson } from '../serialize.js';

const DunningLevelJson = z.object({
  level: z.number().int(),
  days_after_due: z.number().int().describe('The level is reached this many days after the due date'),
  fee: MoneyJson.describe('Reminder fee in the base currency; 0 = none'),
});

const DunningSettingsJson = z
  .object({
    object: z.literal('dunning_settings'),
    enabled: z.boolean(),
    levels: z.array(DunningLevelJson),
    fee_cap: MoneyJson.describe('No level may charge more (default 60.00 SEK, lag 1981:739)'),
    interest: z.object({
      enabled: z.boolean(),
      margin: z.string().describe('Percentage points over the reference rate (räntelagen 6 §: 8)'),
      minimum: MoneyJson.describe('Interest is invoiced only when it exceeds this (applied in minor units of the reminder currency)'),
    }),
    updated_at: z.string().nullable().describe('Null while the defaults apply'),
  })
  .meta({ id: 'DunningSettings' });

const SettingsBody = z.strictObject({
  enabled: z.boolean().optional().describe('Default true'),
  levels: z
    .array(
      z.strictObject({
        days_after_due: z.number().int().describe('Days after the due date; strictly increasing'),
        fee: MoneyInput.optional().describe('In the base currency, at most fee_cap; default none'),
      }),
    )
    .max(10),
  fee_cap: MoneyInput.optional().describe('Default 60.00 SEK'),
  interest: z
    .strictObject({
      enabled: z.boolean().optional(),
      margin: z.string().max(20).optional().describe('Percentage points, default "8"'),
      minimum: MoneyInput.optional().describe('Default 100.00'),
    })
    .optional(),
});

const ReferenceRateJson = z
  .object({
    object: z.literal('reference_rate'),
    date: z.iso.date().describe('In force from this date until the next rate'),
    rate: z.string().describe('Percent per year, e.g. "2" or "-0.5"'),
    updated_at: z.string(),
  })
  .meta({ id: 'ReferenceRate' });

const ReminderJson = z
  .object({
    object: z.literal('reminder'),
    id: z.string(),
    number: z.string(),
    run_id: z.string(),
    customer_id: z.string(),
    currency: z.string(),
    reminder_date: z.iso.date(),
    language: z.enum(['sv', 'en']),
    level: z.number().int(),
    open_total: MoneyJson,
    fee: MoneyJson,
    fee_invoice_id: z.string().nullable(),
    interest: MoneyJson,
    interest_invoice_id: z.string().nullable(),
    total_to_pay: MoneyJson,
    items: z.array(
      z.object({
        invoice_id: z.string(),
        invoice_number: z.string(),
        issue_date: z.iso.date(),
        due_date: z.iso.date(),
        days_overdue: z.number().int(),
        original: MoneyJson,
        open: MoneyJson,
        level: z.number().int(),
        escalated: z.boolean().describe('This reminder raised the invoice to `level`'),
        interest: MoneyJson,
      }),
    ),
    created_at: z.string(),
  })
  .meta({ id: 'Reminder' });

const Money = z.object({ amount: z.string(), currency: z.string() });
const DunningRunJson = z
  .object({
    id: z.string(),
    run_date: z.iso.date(),
    already_run: z.boolean().describe('The date had been run before: this is that run\'s report and nothing was sent now'),
    reminders: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        customer_id: z.string(),
        currency: z.string(),
        level: z.number().int(),
        open_total: Money,
        fee: Money,
        fee_invoice_id: z.string().nullable(),
        fee_invoice_number: z.string().nullable(),
        interest: Money,
        interest_invoice_id: z.string().nullable(),
        interest_invoice_number: z.string().nullable(),
        invoices: z.array(
          z.object({
            invoice_id: z.string(),
            number: z.string(),
            level: z.number().int(),
            escalated: z.boolean(),
            days_overdue: z.number().int(),
            open: Money,
            interest: Money,
          }),
        ),
      }),
    ),
    overdue: z.array(z.object({ invoice_id: z.string(), number: z.string(), customer_id: z.string(), due_date: z.iso.date() })),
    paused: z.array(z.object({ invoice_id: z.string(), number: z.string(), customer_id: z.string(), reason: z.literal('open_claim') })),
    interest_not_invoiced: z.array(
      z.object({ customer_id: z.string(), currency: z.string(), interest: Money, reason: z.enum(['below_minimum', 'no_reference_rate', 'disabled']) }),
    ),
    failed: z.array(z.object({ customer_id: z.string(), currency: z.string(), code: z.string(), message: z.string() })).describe(
      'Customers whose reminder failed (each customer and currency is its own transaction; the others went through)',
    ),
  })
  .meta({ id: 'DunningRun' });

const settingsJson = (r: DunningSettingsRecord, base: string): z.output<typeof DunningSettingsJson> => ({
  object: 'dunning_settings',
  enabled: r.enabled,
  levels: r.levels.map((l) => ({ level: l.level, days_after_due: l.daysAfterDue, fee: moneyJson(l.feeMinor, base) })),
  fee_cap: moneyJson(r.feeCapMinor, base),
  interest: { enabled: r.interestEnabled, margin: formatDecimal4(r.interestMargin), minimum: moneyJson(r.interestMinimumMinor, base) },
  updated_at: r.updatedAt?.toISOString() ?? null,
});

const rateJson = (r: ReferenceRateRecord): z.output<typeof ReferenceRateJson> => ({
  object: 'reference_rate',
  date: r.date,
  rate: formatDecimal4(r.rate),
  updated_at: r.updatedAt.toISOString(),
});

export const reminderJson = (r: ReminderRecord): z.output<typeof ReminderJson> => ({
  object: 'reminder',
  id: r.id,
  number: r.number,
  run_id: r.runId,
  customer_id: r.customerId,
  currency: r.currency,
  reminder_date: r.reminderDate,
  language: r.language,
  level: r.level,
  open_total: moneyJson(r.openTotalMinor, r.currency),
  fee: moneyJson(r.feeMinor, r.currency),
  fee_invoice_id: r.feeInvoiceId,
  interest: moneyJson(r.interestMinor, r.currency),
  interest_invoice_id: r.interestInvoiceId,
  total_to_pay: moneyJson(r.openTotalMinor + r.feeMinor + r.interestMinor, r.currency),
  items: r.items.map((i) => ({
    invoice_id: i.invoiceId,
    invoice_number: i.invoiceNumber,
    issue_date: i.issueDate,
    due_date: i.dueDate,
    days_overdue: i.daysOverdue,
    original: moneyJson(i.originalMinor, r.currency),
    open: moneyJson(i.openMinor, r.currency),
    level: i.level,
    escalated: i.escalated,
    interest: moneyJson(i.interestMinor, r.currency),
  })),
  created_at: r.createdAt.toISOString(),
});

/** A signed percentage with at most 4 decimals ("2", "-0.5"). */
function parseSignedPercent(value: string, param: string): Percent {
  const parts = splitDecimal(value);
  if ('error' in parts) throw invalid(param, parts.error);
  if (parts.fraction.length > 4) throw invalid(param, 'must have at most 4 decimals');
  return decimal4(value);
}

function baseMoney(input: { amount: string; currency: string }, base: string, param: string): bigint {
  if (input.currency !== base) throw invalid(`${param}.currency`, `must be the base currency ${base}`);
  const m = parseMoney(input.amount, input.currency, `${param}.amount`);
  if (m.minor < 0n) throw invalid(`${param}.amount`, 'must not be negative');
  return m.minor;
}

async function scheduleFrom(s: Store, body: z.output<typeof SettingsBody>): Promise<DunningSchedule> {
  const base = await baseCurrencyOf(s);
  const current = await dunningSettings(s);
  return {
    enabled: body.enabled ?? true,
    levels: body.levels.map((l, i) => ({
      level: i + 1,
      daysAfterDue: l.days_after_due,
      feeMinor: l.fee === undefined ? 0n : baseMoney(l.fee, base, `levels.${i}.fee`),
    })),
    feeCapMinor: body.fee_cap === undefined ? current.feeCapMinor : baseMoney(body.fee_cap, base, 'fee_cap'),
    interestEnabled: body.interest?.enabled ?? current.interestEnabled,
    interestMargin: body.interest?.margin === undefined ? current.interestMargin : parseSignedPercent(body.interest.margin, 'interest.margin'),
    interestMinimumMinor: body.interest?.minimum === undefined ? current.interestMinimumMinor : baseMoney(body.interest.minimum, base, 'interest.minimum'),
  };
}

export function dunningRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/dunning/settings',
    {
      schema: {
        tags: ['dunning'],
        summary: 'The dunning schedule: reminder levels, fee cap and late-payment interest (the defaults until set)',
        response: { 200: DunningSettingsJson, ...errorResponses },
      },
    },
    async (req) => read(req, deps, async (s) => settingsJson(await dunningSettings(s), await baseCurrencyOf(s))),
  );

  app.put(
    '/v1/dunning/settings',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Replace the dunning schedule (finance or admin)',
        description:
          'Levels in order, days after due strictly increasing. A level fee above fee_cap (default 60.00 SEK, the statutory ' +
          'maximum under lag 1981:739) is refused with 400 naming levels.N.fee. Omitted fee_cap / interest fields keep their values.',
        headers: IdempotencyHeaders,
        body: SettingsBody,
        response: { 200: DunningSettingsJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 200, async (s, env) =>
        settingsJson(await setDunningSettings(s, env, await scheduleFrom(s, req.body)), await baseCurrencyOf(s)),
      );
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/reference-rates',
    {
      schema: {
        tags: ['dunning'],
        summary: 'The Riksbank reference rates, oldest first',
        response: { 200: z.object({ object: z.literal('list'), data: z.array(ReferenceRateJson), has_more: z.boolean() }), ...errorResponses },
      },
    },
    async (req) => read(req, deps, async (s) => ({ object: 'list' as const, data: (await listReferenceRates(s)).map(rateJson), has_more: false })),
  );

  app.put(
    '/v1/reference-rates/:date',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Set the reference rate in force from a date (finance or admin); replaces that date\'s rate',
        headers: IdempotencyHeaders,
        params: z.object({ date: z.string().max(20) }),
        body: z.strictObject({ rate: z.string().max(20).describe('Percent per year, e.g. "2.00" or "-0.50"') }),
        response: { 200: ReferenceRateJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const date = parseLocalDate(req.params.date, 'date');
      const rate = parseSignedPercent(req.body.rate, 'rate');
      const res = await command(req, deps, 200, async (s, env) => rateJson(await setReferenceRate(s, env, { date, rate })));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/dunning/runs',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Run dunning for a date (default today): reminders, fees, interest; once per date',
        description:
          'One consolidated reminder per customer and currency when an invoice reached a new level; invoices with an open ' +
          'claim are paused; a fee invoice and an interest invoice (above the minimum) are issued as numbered invoices. ' +
          'A second run of the same date sends nothing and returns the first run\'s report with already_run true.',
        headers: IdempotencyHeaders,
        body: z.strictObject({ date: DateInput.optional() }).nullish(),
        response: { 200: DunningRunJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      // several transactions (one per customer and currency): the Idempotency-Key is kept by runCommandOfRuns
      const date = req.body?.date;
      const env = envFor(deps, actorOf(req));
      return runCommandOfRuns(req, reply, deps, 200, (hooks) => runDunning(deps.db, env, { date }, hooks), (report) => report);
    },
  );

  app.get(
    '/v1/reminders',
    {
      schema: {
        tags: ['dunning'],
        summary: 'Reminders sent, oldest first',
        querystring: z.strictObject({ ...pageQueryShape, customer_id: z.string().max(100).optional() }),
        response: { 200: listSchema(ReminderJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOf('reminder', req.query);
      const customerId = req.query.customer_id === undefined ? undefined : parseId('customer', req.query.customer_id, 'customer_id');
      return read(req, deps, async (s) => listJson(await listReminders(s, page, { customerId }), reminderJson));
    },
  );

  app.get(
    '/v1/reminders/:id',
    {
      schema: { tags: ['dunning'], summary: 'A reminder and the invoices it lists', params: IdParams, response: { 200: ReminderJson, ...errorResponses } },
    },
    async (req) => {
      const id = pathId('reminder', req.params.id, 'reminder');
      return read(req, deps, async (s) => reminderJson(await getReminder(s, id)));
    },
  );

  app.get(
    '/v1/reminders/:id/pdf',
    {
      schema: {
        tags: ['dunning'],
        summary: 'The reminder as a PDF, in the customer\'s language (or ?lang=sv|en)',
        params: IdParams,
        querystring: z.strictObject({ lang: z.enum(['sv', 'en']).optional() }),
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('reminder', req.params.id, 'reminder');
      const data = await read(req, deps, (s) => reminderDocumentData(s, id));
      const pdf = await renderReminderPdf(data, req.query.lang);
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${data.reminder.number}.pdf"`).send(pdf);
    },
  );

  app.get(
    '/v1/dunning/charges/:id/pdf',
    {
      schema: {
        tags: ['dunning'],
        summary: 'A reminder fee or interest invoice dunning issued, as an invoice PDF with its charge lines (id: the invoice id)',
        description:
          'These invoices have no stored invoice lines (they bill no order); this PDF prints the fee, or the interest per reminded ' +
          'invoice with its periods, days and rates, outside the scope of VAT, with the payment reference.',
        params: IdParams,
        querystring: z.strictObject({ lang: z.enum(['sv', 'en']).optional() }),
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('invoice', req.params.id, 'invoice');
      const data = await read(req, deps, (s) => chargeDocumentData(s, id));
      const pdf = await renderChargeInvoicePdf(data, req.query.lang, deps.clock.today());
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${data.invoice.number ?? data.invoice.id}.pdf"`).send(pdf);
    },
  );
}
