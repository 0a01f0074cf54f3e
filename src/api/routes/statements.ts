/**
 * Customer statements: GET /v1/customers/{id}/statement (JSON, or CSV with format=csv) and
 * GET /v1/customers/{id}/statement.pdf (Swedish or English).
 */
import { z } from 'zod';
import { accountsFor } from '../../app/ledger/chart.js';
import { customerStatement, statementCsv, type CustomerStatement } from '../../app/reports/statement.js';
import type { AppDeps } from '../../app/shared/env.js';
import { languageFor } from '../../integrations/pdf/quote-mapping.js';
import { renderStatementPdf } from '../../integrations/pdf/statement-pdf.js';
import { read } from '../command.js';
import { type Api, DateInput, errorResponses, IdParams, pathId } from '../http.js';
import { MoneyJson, moneyJson } from '../serialize.js';

const StatementQuery = z.strictObject({
  from: DateInput.describe('First day of the period; the opening balance is as of the day before'),
  to: DateInput.optional().describe('Last day of the period (default today); the closing balance is as of it'),
  format: z.enum(['json', 'csv']).optional().describe('`csv` returns text/csv'),
});

const StatementPdfQuery = z.strictObject({
  from: DateInput.describe('First day of the period'),
  to: DateInput.optional().describe('Last day of the period (default today)'),
  lang: z.enum(['sv', 'en']).optional().describe("Document language; defaults to the customer's (Swedish for Swedish customers)"),
});

const KINDS = ['invoice', 'credit_note', 'payment', 'payment_returned', 'payment_applied', 'payment_unapplied', 'refund', 'adjustment'] as const;

export const StatementJson = z
  .object({
    object: z.literal('customer_statement'),
    customer_id: z.string(),
    from: z.string(),
    to: z.string(),
    base_currency: z.string(),
    currencies: z.array(
      z.object({
        currency: z.string(),
        opening_balance: MoneyJson.describe('As of the day before `from`: receivable − customer credit'),
        lines: z.array(
          z.object({
            date: z.string(),
            kind: z.enum(KINDS),
            reference: z.string().nullable().describe('Invoice or credit note number (for an application: the invoice paid); payment or refund reference'),
            description: z.string(),
            journal_entry_id: z.string(),
            source_id: z.string(),
            amount: MoneyJson.describe('Change of the balance; positive = the customer owes more'),
            receivable_change: MoneyJson,
            credit_change: MoneyJson.describe('Change of the customer credit; positive = more credit'),
            base_amount: MoneyJson,
            balance: MoneyJson,
            base_balance: MoneyJson,
          }),
        ),
        charges: MoneyJson,
        credits: MoneyJson,
        closing_balance: MoneyJson,
        closing_receivable: MoneyJson,
        closing_credit: MoneyJson,
        opening_base_balance: MoneyJson,
        closing_base_balance: MoneyJson,
      }),
    ),
    opening_base_balance: MoneyJson,
    closing_base_balance: MoneyJson.describe('= receivable_base − credit_base: the customer\'s 1510 balance minus its 2420 credit as of `to`'),
    receivable_base: MoneyJson,
    credit_base: MoneyJson,
  })
  .meta({ id: 'CustomerStatement' });

function statementJson(st: CustomerStatement): z.output<typeof StatementJson> {
  const base = st.baseCurrency;
  return {
    object: 'customer_statement',
    customer_id: st.customer.id,
    from: st.from,
    to: st.to,
    base_currency: base,
    currencies: st.sections.map((s) => {
      const m = (minor: bigint) => moneyJson(minor, s.currency);
      return {
        currency: s.currency,
        opening_balance: m(s.openingMinor),
        lines: s.lines.map((l) => ({
          date: l.date,
          kind: l.kind,
          reference: l.reference,
          description: l.description,
          journal_entry_id: l.entryId,
          source_id: l.sourceId,
          amount: m(l.amountMinor),
          receivable_change: m(l.receivableChangeMinor),
          credit_change: m(l.creditChangeMinor),
          base_amount: moneyJson(l.baseAmountMinor, base),
          balance: m(l.balanceMinor),
          base_balance: moneyJson(l.baseBalanceMinor, base),
        })),
        charges: m(s.chargesMinor),
        credits: m(s.creditsMinor),
        closing_balance: m(s.closingMinor),
        closing_receivable: m(s.closingReceivableMinor),
        closing_credit: m(s.closingCreditMinor),
        opening_base_balance: moneyJson(s.openingBaseMinor, base),
        closing_base_balance: moneyJson(s.closingBaseMinor, base),
      };
    }),
    opening_base_balance: moneyJson(st.openingBaseMinor, base),
    closing_base_balance: moneyJson(st.closingBaseMinor, base),
    receivable_base: moneyJson(st.receivableBaseMinor, base),
    credit_base: moneyJson(st.creditBaseMinor, base),
  };
}

export function statementRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/customers/:id/statement',
    {
      schema: {
        tags: ['reports'],
        summary: "The customer's statement for a period: opening balance, invoices, credit notes, payments and credits, running and closing balance per currency",
        description:
          'Built from the customer\'s movements on the receivable (1510) and customer credit (2420) accounts, so the closing balance in the base ' +
          'currency is the ledger\'s 1510 − 2420 for the customer as of `to`. `format=csv` returns text/csv.',
        params: IdParams,
        querystring: StatementQuery,
        produces: ['application/json', 'text/csv'],
        response: { 200: z.union([StatementJson, z.string().describe('text/csv (format=csv)')]), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('customer', req.params.id, 'customer');
      const to = req.query.to ?? deps.clock.today();
      const st = await read(req, deps, async (s) => customerStatement(s, await accountsFor(s, deps), id, { from: req.query.from, to }));
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="statement-${st.customer.id}-${st.from}-${st.to}.csv"`)
          .send(statementCsv(st));
      }
      return statementJson(st);
    },
  );

  app.get(
    '/v1/customers/:id/statement.pdf',
    {
      schema: {
        tags: ['reports'],
        summary: "The customer's statement for a period as a PDF document (Swedish or English)",
        params: IdParams,
        querystring: StatementPdfQuery,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('customer', req.params.id, 'customer');
      const to = req.query.to ?? deps.clock.today();
      const st = await read(req, deps, async (s) => customerStatement(s, await accountsFor(s, deps), id, { from: req.query.from, to }));
      const pdf = await renderStatementPdf(st, req.query.lang ?? languageFor(st.customer.country));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="statement-${st.customer.id}-${st.from}-${st.to}.pdf"`)
        .send(pdf);
    },
  );
}
