/**
 * The tenant's exchange-rate table: 1 unit of `currency` = `rate` units of the tenant's base currency
 * from `date` on. Set one rate by hand (PUT), import a CSV file all or nothing (POST …/import, as
 * JSON `{ "csv": "…" }` or a raw `text/csv` body), list them, and read the rate in force on a date.
 * Writes need a key with the role finance or admin.
 */
import { z } from 'zod';
import { importRates } from '../../app/fx/import-rates.js';
import { DEFAULT_RATE_LIST_LIMIT, listRates, MAX_RATE_LIST_LIMIT, rateInForce } from '../../app/fx/list-rates.js';
import { setRate } from '../../app/fx/set-rate.js';
import type { ExchangeRateRecord } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { parseCurrency } from '../../core/money/currency.js';
import { ratesFromCsv } from '../../core/money/fx-csv.js';
import { formatRate, parseRate } from '../../core/money/fx.js';
import { parseLocalDate } from '../../core/shared/dates.js';
import { command, read, sendStored } from '../command.js';
import { type Api, DateInput, errorResponses, IdempotencyHeaders } from '../http.js';

const ExchangeRateJson = z
  .object({
    object: z.literal('exchange_rate'),
    currency: z.string().describe('ISO 4217 code of the currency converted from'),
    date: z.iso.date().describe('The rate is in force from this date until the next rate of the currency'),
    rate: z.string().describe('Units of the base currency per 1 unit of `currency`, an exact decimal string, e.g. "11.4325"'),
    source: z.enum(['manual', 'csv']),
    updated_at: z.string(),
  })
  .meta({ id: 'ExchangeRate' });

export const exchangeRateJson = (r: ExchangeRateRecord): z.output<typeof ExchangeRateJson> => ({
  object: 'exchange_rate',
  currency: r.currency,
  date: r.rateDate,
  rate: formatRate(r.rateScaled),
  source: r.source,
  updated_at: r.updatedAt.toISOString(),
});

const ExchangeRateListJson = z.object({ object: z.literal('list'), data: z.array(ExchangeRateJson), has_more: z.boolean() });

const ImportResultJson = z
  .object({
    inserted: z.number().int().describe('Rates for a currency and date that had none'),
    replaced: z.number().int().describe('Rates that replaced the earlier rate of their currency and date'),
    rates: z.number().int().describe('All rates of the file'),
  })
  .meta({ id: 'ExchangeRateImport' });

const CurrencyDateParams = z.object({ currency: z.string().max(20), date: z.string().max(20) });

const ListQuery = z.strictObject({
  currency: z.string().max(20).optional(),
  from: DateInput.optional().describe('Rates dated on or after this date'),
  to: DateInput.optional().describe('Rates dated on or before this date'),
  limit: z.coerce.number().int().min(1).max(MAX_RATE_LIST_LIMIT).default(DEFAULT_RATE_LIST_LIMIT),
});

const SetRateBody = z.strictObject({
  rate: z.string().max(64).describe('Units of the base currency per 1 unit of the currency, a decimal string with at most 10 decimals, e.g. "11.4325"'),
});

const CSV_MAX_LENGTH = 1_000_000;
const ImportBody = z.union([
  z.strictObject({
    csv: z
      .string()
      .max(CSV_MAX_LENGTH)
      .describe("The file's text: a header naming date, currency and rate (any order), separated by ',' or ';' (then a decimal comma is accepted)"),
  }),
  z.string().max(CSV_MAX_LENGTH).describe('The file itself, sent as Content-Type: text/csv'),
]);

export function exchangeRateRoutes(app: Api, deps: AppDeps): void {
  // A CSV file may be sent as it is; it arrives as a string (only this route reads one).
  if (!app.hasContentTypeParser('text/csv')) {
    app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_req, body, done) => {
      done(null, typeof body === 'string' ? body : body.toString('utf8'));
    });
  }

  app.get(
    '/v1/exchange-rates',
    {
      schema: {
        tags: ['exchange rates'],
        summary: "The tenant's exchange rates, by currency, newest first",
        querystring: ListQuery,
        response: { 200: ExchangeRateListJson, ...errorResponses },
      },
    },
    async (req) => {
      const q = req.query;
      const currency = q.currency === undefined ? undefined : parseCurrency(q.currency, 'currency');
      return read(req, deps, async (s) => {
        const page = await listRates(s, { currency, from: q.from, to: q.to, limit: q.limit });
        return { object: 'list' as const, data: page.data.map(exchangeRateJson), has_more: page.hasMore };
      });
    },
  );

  app.get(
    '/v1/exchange-rates/:currency/on/:date',
    {
      schema: {
        tags: ['exchange rates'],
        summary: 'The rate in force on a date: the latest rate of the currency dated on or before it (404 when there is none)',
        params: CurrencyDateParams,
        response: { 200: ExchangeRateJson, ...errorResponses },
      },
    },
    async (req) => {
      const currency = parseCurrency(req.params.currency, 'currency');
      const date = parseLocalDate(req.params.date, 'date');
      return read(req, deps, async (s) => exchangeRateJson(await rateInForce(s, currency, date)));
    },
  );

  app.put(
    '/v1/exchange-rates/:currency/:date',
    {
      schema: {
        tags: ['exchange rates'],
        summary: 'Set the rate of a currency from a date (finance or admin); replaces the rate of that date',
        description: 'A rate for the base currency itself is refused. Invoices keep the rate they used, so changing a rate never alters an issued document.',
        headers: IdempotencyHeaders,
        params: CurrencyDateParams,
        body: SetRateBody,
        response: { 200: ExchangeRateJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const currency = parseCurrency(req.params.currency, 'currency');
      const date = parseLocalDate(req.params.date, 'date');
      const rateScaled = parseRate(req.body.rate, 'rate');
      const res = await command(req, deps, 200, async (s, env) => exchangeRateJson((await setRate(s, env, { currency, date, rateScaled })).rate));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/exchange-rates/import',
    {
      schema: {
        tags: ['exchange rates'],
        summary: 'Import rates from a CSV file, all or nothing (finance or admin)',
        description:
          'The body is `{ "csv": "<file text>" }`, or the file itself with Content-Type: text/csv. The header names the columns ' +
          'date, currency and rate in any order (other columns are ignored); the separator is , or ; (then a decimal comma ' +
          'such as 11,4325 is accepted); a BOM, CRLF, blank lines and quoted fields are fine. A file with any bad line is ' +
          'refused as a whole (400) with every problem named by line and column, e.g. "line 7, rate: must be greater than zero", ' +
          'and nothing is imported. Each rate replaces the rate of its currency and date, if there is one.',
        headers: IdempotencyHeaders,
        body: ImportBody,
        response: { 200: ImportResultJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const text = typeof req.body === 'string' ? req.body : req.body.csv;
      const res = await command(req, deps, 200, async (s, env) => importRates(s, env, ratesFromCsv(text, 'csv'), 'csv'));
      return sendStored(reply, res);
    },
  );
}
