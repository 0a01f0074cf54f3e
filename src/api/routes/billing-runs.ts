/**
 * Billing runs: POST /v1/billing-runs invoices every confirmed order with something invoiceable (one
 * invoice per order, or one per customer, currency and payment terms: group_by, else the company's
 * billing_grouping; optionally issued) and returns the run's report; GET lists and reads stored runs.
 *
 * A run is many transactions (one per order or customer group), so it cannot go through command()/runCommand, whose
 * work is one transaction. Idempotency follows the same contract by hand: the key is claimed first
 * (replay / 422 reused / 409 in progress as usual), and the response is stored in the same
 * transaction that stores the run's report, so a retry with the key returns the same report and
 * invoices nothing more. A run that fails before its report is stored releases the key (or stores
 * the domain error, like runCommand).
 */
import { z } from 'zod';
import { runBilling } from '../../app/invoicing/billing-run.js';
import type { BillingRunRecord, BillingRunReport } from '../../app/ports.js';
import { envFor, type AppDeps } from '../../app/shared/env.js';
import { notFound } from '../../core/shared/errors.js';
import { parseId } from '../../core/shared/ids.js';
import { actorOf } from '../auth.js';
import { read, runCommandOfRuns } from '../command.js';
import { type Api, DateInput, errorResponses, IdempotencyHeaders, IdParams, pageOf, pageQueryShape, pathId } from '../http.js';
import { listJson, listSchema, MoneyJson } from '../serialize.js';

export const CreateBillingRunBody = z
  .strictObject({
    up_to: DateInput.optional().describe('Invoice on-delivery lines delivered on or before this date; defaults to today'),
    issue: z.boolean().optional().describe('Issue each invoice (number, OCR, ledger) as well; default false: drafts only'),
    customer_id: z.string().max(100).optional().describe('Only this customer\'s orders'),
    group_by: z
      .enum(['order', 'customer'])
      .optional()
      .describe("order: one invoice per order; customer: one per customer, currency and payment terms; default: the company's billing_grouping"),
  })
  .nullish();

const BillingRunJson = z
  .object({
    id: z.string(),
    up_to: z.iso.date(),
    issue: z.boolean(),
    customer_id: z.string().nullable(),
    group_by: z.enum(['order', 'customer']).describe('How the run grouped orders into invoices'),
    created: z.array(
      z.object({
        order_id: z.string().describe('The first order the invoice covers'),
        order_number: z.string(),
        orders: z
          .array(z.object({ order_id: z.string(), order_number: z.string() }))
          .describe('Every order the invoice covers (several when grouped per customer)'),
        invoice_id: z.string(),
        invoice_number: z.string().nullable().describe('Null for a draft (a run without issue)'),
        gross: MoneyJson,
      }),
    ),
    skipped: z.array(
      z.object({
        order_id: z.string(),
        reason: z.string().describe("nothing_to_invoice, delivered_after_up_to (only later deliveries are open) or order_not_confirmed"),
      }),
    ),
    failed: z.array(z.object({ order_id: z.string(), code: z.string(), message: z.string() })),
  })
  .meta({ id: 'BillingRun' });

const billingRunJson = (r: BillingRunReport): z.output<typeof BillingRunJson> => ({
  id: r.runId,
  up_to: r.upTo,
  issue: r.issue,
  customer_id: r.customerId,
  group_by: r.groupBy === 'per_customer' ? 'customer' : 'order',
  created: r.created.map((c) => ({
    order_id: c.orderId,
    order_number: c.orderNumber,
    // reports stored before grouping name one order
    orders: (c.orders ?? [{ orderId: c.orderId, orderNumber: c.orderNumber }]).map((o) => ({ order_id: o.orderId, order_number: o.orderNumber })),
    invoice_id: c.invoiceId,
    invoice_number: c.invoiceNumber,
    gross: c.gross,
  })),
  skipped: r.skipped.map((k) => ({ order_id: k.orderId, reason: k.reason })),
  failed: r.failed.map((f) => ({ order_id: f.orderId, code: f.code, message: f.message })),
});

const recordJson = (r: BillingRunRecord) => billingRunJson(r.report);

export function billingRunRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/billing-runs',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Run billing: draft (and optionally issue) one invoice per confirmed order, or per customer, with something invoiceable',
        description:
          'Each order is invoiced in its own transaction: a failure is reported under `failed` and the others still go through. ' +
          'On-delivery lines are invoiced for deliveries delivered on or before `up_to`; an order that also has open quantities ' +
          'delivered later is skipped (delivered_after_up_to), as an invoice cannot take part of the delivered quantities. ' +
          "group_by customer (or the company's billing_grouping per_customer) makes one invoice per customer, currency and payment " +
          "terms with the lines of all the customer's orders (each line keeps its order; the invoice's order_id is null when it " +
          'covers several); each group is one transaction. With an Idempotency-Key a retry returns the same report and invoices nothing more.',
        headers: IdempotencyHeaders,
        body: CreateBillingRunBody,
        response: { 201: BillingRunJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const env = envFor(deps, actorOf(req));
      const body = req.body ?? {};
      const input = {
        upTo: body.up_to ?? env.clock.today(),
        issue: body.issue ?? false,
        customerId: body.customer_id === undefined ? undefined : parseId('customer', body.customer_id, 'customer_id'),
        groupBy: body.group_by === undefined ? undefined : body.group_by === 'customer' ? ('per_customer' as const) : ('per_order' as const),
      };
      return runCommandOfRuns(req, reply, deps, 201, (hooks) => runBilling(deps.db, env, input, hooks), billingRunJson);
    },
  );

  app.get(
    '/v1/billing-runs',
    {
      schema: {
        tags: ['invoices'],
        summary: 'List billing runs with their reports (oldest first)',
        querystring: z.strictObject(pageQueryShape),
        response: { 200: listSchema(BillingRunJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOf('billingRun', req.query);
      return read(req, deps, async (s) => listJson(await s.billingRuns.list(page), recordJson));
    },
  );

  app.get(
    '/v1/billing-runs/:id',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Get a billing run and its report',
        params: IdParams,
        response: { 200: BillingRunJson, ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('billingRun', req.params.id, 'billing_run');
      return read(req, deps, async (s) => {
        const r = await s.billingRuns.get(id);
        if (!r) throw notFound('billing_run', id);
        return recordJson(r);
      });
    },
  );
}
