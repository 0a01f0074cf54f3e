/**
 * The books (issue 7): settings and fiscal years, period close, chart of accounts, account map, manual
 * entries, reversals, opening balances and the general ledger per account (JSON pages or CSV).
 */
import { z } from 'zod';
import { BAS_DEFAULTS } from '../../core/ledger/accounts.js';
import { formatAmount, money, parseMoney } from '../../core/money/money.js';
import { compareDates } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import {
  closeFiscalYear, closePeriods, fiscalYears, postManualEntry, postOpeningBalances, putAccount, reverseEntry, setAccountMap, setFiscalYearStart,
} from '../../app/ledger/books.js';
import { accountsFor, booksSettingsOf, chartOfAccounts } from '../../app/ledger/chart.js';
import { baseCurrencyOf } from '../../app/fx/rate-for.js';
import { decodeCursor, encodeCursor, generalLedgerLines, generalLedgerPage } from '../../app/reports/general-ledger.js';
import type { AppDeps } from '../../app/shared/env.js';
import type { Store } from '../../app/ports.js';
import { command, read, sendStored } from '../command.js';
import { sendCsv, type CsvCell } from '../csv.js';
import { type Api, DateInput, errorResponses, IdempotencyHeaders, IdParams, pathId } from '../http.js';
import { DateJson, JournalEntryJson, journalEntryJson, MoneyJson, moneyJson } from '../serialize.js';

const AccountNumber = z.string().regex(/^\d{4}$/, 'must be a 4-digit account number');
const AmountInput = z.string().max(64).describe('Decimal string in the base currency, e.g. "1250.00"');

const BooksSettingsJson = z
  .object({
    object: z.literal('books_settings'),
    base_currency: z.string(),
    fiscal_year_start_month: z.number().int(),
    locked_through: DateJson.nullable().describe('Every period up to and including this date is closed'),
    account_map: z.record(z.string(), z.unknown()).describe('The account map in force (defaults with the overrides)'),
    account_map_overrides: z.record(z.string(), z.unknown()).describe("The tenant's overrides of the default (BAS) map"),
  })
  .meta({ id: 'BooksSettings' });

const FiscalYearsJson = z
  .object({
    object: z.literal('list'),
    locked_through: DateJson.nullable(),
    data: z.array(
      z.object({
        object: z.literal('fiscal_year'),
        label: z.number().int().describe('The calendar year the fiscal year starts in'),
        start: DateJson,
        end: DateJson,
        status: z.enum(['open', 'partly_closed', 'closed']),
        periods: z.array(z.object({ month: z.string(), start: DateJson, end: DateJson, locked: z.boolean() })),
      }),
    ),
  })
  .meta({ id: 'FiscalYearList' });

const ChartAccountJson = z
  .object({ object: z.literal('account'), account: z.string(), name: z.string(), active: z.boolean(), source: z.enum(['bas', 'tenant']) })
  .meta({ id: 'Account' });

const GeneralLedgerJson = z
  .object({
    object: z.literal('general_ledger'),
    account: z.string(),
    name: z.string().nullable(),
    from: DateJson.nullable(),
    to: DateJson.nullable(),
    opening_balance: MoneyJson.describe('The balance before `from` (debit − credit)'),
    lines: z.array(
      z.object({
        entry_id: z.string(),
        voucher: z.string().describe('Series fiscal-year-number, e.g. "A 2026-14"'),
        entry_date: DateJson,
        document_date: DateJson.nullable(),
        description: z.string(),
        source_type: z.string(),
        source_id: z.string(),
        line_no: z.number().int(),
        debit: MoneyJson,
        credit: MoneyJson,
        balance: MoneyJson.describe('The running balance after this line'),
        customer_id: z.string().nullable(),
        amount: MoneyJson.nullable().describe('The transaction-currency amount of a converted line'),
      }),
    ),
    next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'GeneralLedger' });

async function settingsJson(s: Store, deps: AppDeps) {
  const settings = await booksSettingsOf(s);
  return {
    object: 'books_settings' as const,
    base_currency: await baseCurrencyOf(s),
    fiscal_year_start_month: settings.fiscalYearStartMonth,
    locked_through: settings.lockedThrough,
    account_map: (await accountsFor(s, deps)) as unknown as Record<string, unknown>,
    account_map_overrides: settings.accountMap,
  };
}

const voucher = (e: { series: string; fiscalYear: number; number: number }) => `${e.series} ${e.fiscalYear}-${e.number}`;

export function booksRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/ledger/settings',
    { schema: { tags: ['ledger'], summary: "The tenant's fiscal year, period lock and account map", response: { 200: BooksSettingsJson, ...errorResponses } } },
    async (req) => read(req, deps, (s) => settingsJson(s, deps)),
  );

  app.patch(
    '/v1/ledger/settings',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Change the fiscal year start month (only before anything is posted)',
        headers: IdempotencyHeaders,
        body: z.strictObject({ fiscal_year_start_month: z.number().int().min(1).max(12) }),
        response: { 200: BooksSettingsJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 200, async (s, env) => {
        await setFiscalYearStart(s, env, req.body.fiscal_year_start_month);
        return settingsJson(s, deps);
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/ledger/fiscal-years',
    { schema: { tags: ['ledger'], summary: 'Fiscal years and their monthly periods, with which are closed', response: { 200: FiscalYearsJson, ...errorResponses } } },
    async (req) =>
      read(req, deps, async (s) => {
        const { settings, years } = await fiscalYears(s, deps.clock.today());
        return {
          object: 'list' as const,
          locked_through: settings.lockedThrough,
          data: years.map((y) => ({ object: 'fiscal_year' as const, label: y.label, start: y.start, end: y.end, status: y.status, periods: y.periods })),
        };
      }),
  );

  app.post(
    '/v1/ledger/close',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Close every period through a month end: no entry may then be dated on or before it; late documents post in the first open period',
        headers: IdempotencyHeaders,
        body: z.strictObject({ through: DateInput.describe('The last day of the last month to close') }),
        response: { 200: BooksSettingsJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 200, async (s, env) => {
        await closePeriods(s, env, req.body.through);
        return settingsJson(s, deps);
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/ledger/fiscal-years/:year/close',
    {
      schema: {
        tags: ['ledger'],
        summary: "Book an ended fiscal year's result into equity (8999 / 2099) on its last day",
        headers: IdempotencyHeaders,
        params: z.object({ year: z.coerce.number().int().min(1900).max(9998) }),
        response: { 201: JournalEntryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 201, async (s, env) => journalEntryJson(await closeFiscalYear(s, env, req.params.year)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/ledger/accounts',
    {
      schema: {
        tags: ['ledger'],
        summary: 'The chart of accounts: the BAS accounts q2c uses and the tenant’s own',
        response: { 200: z.object({ object: z.literal('list'), data: z.array(ChartAccountJson) }), ...errorResponses },
      },
    },
    async (req) =>
      read(req, deps, async (s) => ({ object: 'list' as const, data: [...(await chartOfAccounts(s)).values()].map((a) => ({ object: 'account' as const, ...a })) })),
  );

  app.put(
    '/v1/ledger/accounts/:account',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Add an account to the chart, rename it or deactivate it',
        headers: IdempotencyHeaders,
        params: z.object({ account: AccountNumber }),
        body: z.strictObject({ name: z.string().min(1).max(100), active: z.boolean().default(true) }),
        response: { 200: ChartAccountJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 200, async (s, env) => ({
        object: 'account' as const,
        ...(await putAccount(s, env, { account: req.params.account, name: req.body.name, active: req.body.active })),
      }));
      return sendStored(reply, res);
    },
  );

  app.put(
    '/v1/ledger/account-map',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Replace the overrides of the default account map; postings made from now on use it',
        description: `Keys: ${Object.keys(BAS_DEFAULTS).join(', ')}. revenueByVatRate and outputVatByVatRate take an object keyed by VAT rate ("25", "12", "6").`,
        headers: IdempotencyHeaders,
        body: z.strictObject({ account_map: z.record(z.string(), z.unknown()) }),
        response: { 200: BooksSettingsJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 200, async (s, env) => {
        await setAccountMap(s, env, req.body.account_map);
        return settingsJson(s, deps);
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/ledger/entries',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Post a manual journal entry (finance): balanced, in the base currency, not in a closed period',
        headers: IdempotencyHeaders,
        body: z.strictObject({
          date: DateInput,
          description: z.string().min(1).max(200),
          lines: z
            .array(z.strictObject({ account: AccountNumber, debit: AmountInput.optional(), credit: AmountInput.optional() }))
            .min(2)
            .max(500),
        }),
        response: { 201: JournalEntryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 201, async (s, env) => {
        const base = await baseCurrencyOf(s);
        const lines = req.body.lines.map((l, i) => ({
          account: l.account,
          debitMinor: l.debit === undefined ? 0n : parseMoney(l.debit, base, `lines.${i}.debit`).minor,
          creditMinor: l.credit === undefined ? 0n : parseMoney(l.credit, base, `lines.${i}.credit`).minor,
        }));
        return journalEntryJson(await postManualEntry(s, env, { date: req.body.date, description: req.body.description, lines }));
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/ledger/entries/:id/reverse',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Reverse a manual entry or opening balance with a new entry (posted entries are never edited)',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: z.strictObject({ date: DateInput.optional().describe('Defaults to today'), description: z.string().min(1).max(200).optional() }).default({}),
        response: { 201: JournalEntryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('journalEntry', req.params.id, 'journal entry');
      const res = await command(req, deps, 201, async (s, env) =>
        journalEntryJson(await reverseEntry(s, env, id, { date: req.body.date, description: req.body.description })),
      );
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/ledger/opening-balances',
    {
      schema: {
        tags: ['ledger'],
        summary: "Post a fiscal year's opening balances (balance-sheet accounts, summing to zero) on its first day",
        headers: IdempotencyHeaders,
        body: z.strictObject({
          fiscal_year: z.number().int().describe('The calendar year the fiscal year starts in'),
          balances: z.array(z.strictObject({ account: AccountNumber, balance: AmountInput.describe('Debit balance positive, credit balance negative') })).min(2).max(2000),
        }),
        response: { 201: JournalEntryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 201, async (s, env) => {
        const base = await baseCurrencyOf(s);
        const balances = req.body.balances.map((b, i) => ({ account: b.account, balanceMinor: parseMoney(b.balance, base, `balances.${i}.balance`).minor }));
        return journalEntryJson(await postOpeningBalances(s, env, { fiscalYear: req.body.fiscal_year, balances }));
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/ledger/accounts/:account/ledger',
    {
      schema: {
        tags: ['ledger'],
        summary: 'General ledger of one account: opening balance, lines with running balance (paged), or the whole period as CSV',
        params: z.object({ account: AccountNumber }),
        querystring: z.strictObject({
          from: DateInput.optional(),
          to: DateInput.optional(),
          limit: z.coerce.number().int().min(1).max(5000).default(500),
          cursor: z.string().max(500).optional(),
          format: z.enum(['json', 'csv']).default('json'),
        }),
        produces: ['application/json', 'text/csv'],
        response: { 200: GeneralLedgerJson.or(z.string().describe('text/csv')), ...errorResponses },
      },
    },
    async (req, reply) => {
      const { from, to, limit, cursor, format } = req.query;
      if (from !== undefined && to !== undefined && compareDates(from, to) > 0) throw invalid('to', 'to must not be before from');
      const account = req.params.account;
      if (format === 'csv') {
        const rows: CsvCell[][] = [];
        const header = ['voucher', 'entry_date', 'document_date', 'description', 'source_type', 'source_id', 'debit', 'credit', 'balance', 'currency'];
        await read(req, deps, async (s) => {
          let first = true;
          for await (const page of generalLedgerLines(s, account, { from, to })) {
            const fmt = (m: bigint) => formatAmount(money(m, page.currency));
            if (first) rows.push(['', from ?? '', '', 'Opening balance', '', '', '', '', fmt(page.openingMinor), page.currency]);
            first = false;
            for (const l of page.lines) {
              rows.push([voucher(l), l.entryDate, l.documentDate, l.description, l.sourceType, l.sourceId, fmt(l.debitMinor), fmt(l.creditMinor), fmt(l.balanceMinor), l.currency]);
            }
          }
        });
        return sendCsv(reply, `ledger-${account}${from ? `-${from}` : ''}${to ? `-${to}` : ''}.csv`, header, rows);
      }
      return read(req, deps, async (s) => {
        const page = await generalLedgerPage(s, account, { from, to }, cursor === undefined ? undefined : decodeCursor(cursor), limit);
        return {
          object: 'general_ledger' as const,
          account: page.account,
          name: page.name,
          from: page.from,
          to: page.to,
          opening_balance: moneyJson(page.openingMinor, page.currency),
          lines: page.lines.map((l) => ({
            entry_id: l.entryId,
            voucher: voucher(l),
            entry_date: l.entryDate,
            document_date: l.documentDate,
            description: l.description,
            source_type: l.sourceType,
            source_id: l.sourceId,
            line_no: l.lineNo,
            debit: moneyJson(l.debitMinor, l.currency),
            credit: moneyJson(l.creditMinor, l.currency),
            balance: moneyJson(l.balanceMinor, l.currency),
            customer_id: l.customerId,
            amount: l.amountCurrency === null || l.amountMinor === null ? null : moneyJson(l.amountMinor, l.amountCurrency),
          })),
          next_cursor: page.next === null ? null : encodeCursor(page.next),
        };
      });
    },
  );
}
