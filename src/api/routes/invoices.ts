import { z } from 'zod';
import { parseId } from '../../core/shared/ids.js';
import { createInvoice } from '../../app/invoicing/create-invoice.js';
import { getInvoice, issueInvoice } from '../../app/invoicing/issue-invoice.js';
import type { InvoiceListFilter, InvoicePaymentStatusFilter, InvoiceRecord, Store } from '../../app/ports.js';
import { INVOICE_STATUSES } from '../../core/documents/lifecycle.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { sendDocumentPdf, sendUblXml } from '../document-reply.js';
import {
  type Api, customerNamesOf, DateInput, errorResponses, IdempotencyHeaders, IdParams, listQueryShape, pageOfList, pathId, QueryBoolean, statusListOf,
} from '../http.js';
import { InvoiceJson as BaseInvoiceJson, invoiceJson, listJson, listSchema } from '../serialize.js';
import { invoiceDunningPaused } from '../../app/claims/queries.js';
import { renderInvoicePdf } from '../../integrations/pdf/invoice-pdf.js';
import { renderChargeInvoicePdf } from '../../integrations/pdf/reminder-charge-pdf.js';
import { chargeDocumentData } from '../../app/dunning/reminders.js';
import { invoiceLanguageFor, toInvoiceDocument } from '../../integrations/pdf/invoice-mapping.js';
import { toEInvoice } from '../../integrations/ubl/invoice-mapping.js';
import { toUbl } from '../../integrations/ubl/ubl.js';
import { lineOrderNumbersOf, sendInvoice } from '../../app/invoicing/send-invoice.js';
import { createAdvanceInvoice } from '../../app/invoicing/advance-invoice.js';
import type { AdvanceSpec } from '../../core/documents/advances.js';
import { parseMoney } from '../../core/money/money.js';
import { parsePercent } from '../../core/money/quantity.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';

/** The invoice as serialize.ts has it, plus whether its dunning is paused by an open claim. */
const InvoiceJson = BaseInvoiceJson.extend({
  dunning_paused: z.boolean().describe('True while a claim on any of the invoice\'s order lines is open: no reminders are sent'),
}).meta({ id: 'Invoice' });

export const CreateInvoiceBody = z.strictObject({
  order_id: z.string().max(100).describe("The order whose delivered, not yet invoiced quantities are invoiced"),
});

export const AdvanceInvoiceBody = z.strictObject({
  kind: z.enum(['deposit', 'milestone']).describe('A deposit (förskott) or a milestone (delfaktura) invoice'),
  percent: z.string().max(64).optional().describe('Percentage of the order\'s net total, in (0, 100], e.g. "30"'),
  amount: z.string().max(64).optional().describe('Amount excluding VAT in the order currency, e.g. "10000.00"'),
  label: z.string().max(200).nullish().describe('Printed as the line text, e.g. "Milestone 1: design approved"'),
  issue: z.boolean().optional().describe('Issue the invoice at once (default false: a draft)'),
});

export const IssueInvoiceBody = z.strictObject({ issue_date: DateInput.optional().describe('Defaults to today') }).nullish();

const InvoicePdfQuery = z.strictObject({
  lang: z.enum(['sv', 'en']).optional().describe("Document language; defaults to the customer's (Swedish for Swedish customers)"),
});

const INVOICE_PAYMENT_STATUSES = ['open', 'unpaid', 'partially_paid', 'paid', 'written_off'] as const satisfies readonly InvoicePaymentStatusFilter[];

const InvoiceListQuery = z.strictObject({
  ...listQueryShape(['number', 'issue_date', 'due_date', 'total', 'amount_due']),
  customer_id: z.string().max(100).optional(),
  status: z.string().max(100).optional().describe(`One or several (comma-separated) of ${INVOICE_STATUSES.join(', ')}`),
  payment_status: z
    .string()
    .max(200)
    .optional()
    .describe(`Issued invoices by payment_status, one or several (comma-separated) of ${INVOICE_PAYMENT_STATUSES.join(', ')}; open = unpaid or partially_paid`),
  overdue: QueryBoolean.optional().describe('true: only issued invoices with an amount due and a due date before today'),
  q: z.string().min(1).max(200).optional().describe("Case-insensitive part of the invoice number, the payment (OCR) reference or the customer's name"),
});

const InvoiceListItemJson = InvoiceJson.extend({ customer_name: z.string().nullable() }).meta({ id: 'InvoiceListItem' });

/** An invoice with what is still open on it (its receivable, once issued) and whether dunning is paused. */
async function invoiceWithDue(s: Store, invoice: InvoiceRecord) {
  const openItem = invoice.status === 'issued' ? await s.openItems.getByInvoice(invoice.id) : undefined;
  return { ...invoiceJson(invoice, openItem), dunning_paused: await invoiceDunningPaused(s, invoice) };
}

export function invoiceRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/invoices',
    {
      schema: {
        tags: ['invoices'],
        summary: "Draft an invoice for an order's delivered, not yet invoiced quantities",
        headers: IdempotencyHeaders,
        body: CreateInvoiceBody,
        response: { 201: InvoiceJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const orderId = parseId('order', req.body.order_id, 'order_id');
      const res = await command(req, deps, 201, async (s, env) => invoiceWithDue(s, await createInvoice(s, env, { orderId })));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/orders/:id/advance-invoices',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Invoice a confirmed order in advance: a deposit or milestone invoice (a percentage of its net or an amount excluding VAT)',
        description:
          "The advance is spread over the order's VAT groups by their nets, one line per group with VAT as usual (decision 0010). " +
          'Later invoices of the order deduct it (prepaid, BT-113). Refused when the advances of the order (less what was credited) ' +
          'would exceed its net total, when the percent is not in (0, 100], or when the order has nothing left to invoice.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: AdvanceInvoiceBody,
        response: { 201: InvoiceJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const orderId = pathId('order', req.params.id, 'order');
      const b = req.body;
      if ((b.percent === undefined) === (b.amount === undefined)) {
        throw invalid(b.percent === undefined ? 'percent' : 'amount', 'Give exactly one of percent and amount');
      }
      const percent = b.percent === undefined ? undefined : parsePercent(b.percent, 'percent');
      const res = await command(req, deps, 201, async (s, env) => {
        let spec: AdvanceSpec;
        if (percent !== undefined) spec = { kind: 'percent', percent };
        else {
          const order = await s.orders.get(orderId);
          if (!order) throw notFound('order', orderId, 'order_id');
          spec = { kind: 'amount', amountMinor: parseMoney(b.amount, order.currency, 'amount').minor };
        }
        const invoice = await createAdvanceInvoice(s, env, { orderId, kind: b.kind, spec, label: b.label, issue: b.issue });
        return invoiceWithDue(s, invoice);
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/invoices',
    {
      schema: {
        tags: ['invoices'],
        summary: 'List invoices (oldest first, or in `sort` order), filtered by customer, status, payment status, overdue or search text',
        querystring: InvoiceListQuery,
        response: { 200: listSchema(InvoiceListItemJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('invoice', req.query);
      const query = req.query;
      const filter: InvoiceListFilter = {
        customerId: query.customer_id === undefined ? undefined : parseId('customer', query.customer_id, 'customer_id'),
        statuses: statusListOf(INVOICE_STATUSES, query.status),
        paymentStatuses: statusListOf(INVOICE_PAYMENT_STATUSES, query.payment_status, 'payment_status'),
        // overdue on the server's today, as the aging report and dunning count it
        overdueOn: query.overdue === true ? deps.clock.today() : undefined,
        q: query.q,
      };
      return read(req, deps, async (s) => {
        const result = await s.invoices.list(page, filter);
        const nameOf = await customerNamesOf(s, result.data);
        return listJson(result, async (i) => ({ ...(await invoiceWithDue(s, i)), customer_name: nameOf(i.customerId) }));
      });
    },
  );

  app.get(
    '/v1/invoices/:id',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Get an invoice with its lines, VAT breakdown, amount due and payment status',
        params: IdParams,
        response: { 200: InvoiceJson, ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('invoice', req.params.id, 'invoice');
      return read(req, deps, async (s) => invoiceWithDue(s, await getInvoice(s, id)));
    },
  );

  app.get(
    '/v1/invoices/:id/pdf',
    {
      schema: {
        tags: ['invoices'],
        summary: 'The invoice as a PDF (Swedish or English); a draft renders with a large "UTKAST" / "DRAFT" marker and no number',
        description:
          'An issued invoice prints everything Swedish VAT law and the EU VAT Directive (art. 226) require, with a payment box ' +
          '(amount, due date, OCR reference, bankgiro / IBAN / BIC). A draft can be previewed: it is marked as a draft on every ' +
          'page, has no number and no payment reference, and is dated today; it is not a valid invoice.',
        params: IdParams,
        querystring: InvoicePdfQuery,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('invoice', req.params.id, 'invoice');
      // a reminder fee or interest invoice (dunning) has no lines: it prints its charges instead
      const charge = await read(req, deps, async (s) => ((await s.dunning.getCharge(id)) ? chargeDocumentData(s, id) : null));
      if (charge !== null) {
        const pdf = await renderChargeInvoicePdf(charge, req.query.lang, deps.clock.today());
        return sendDocumentPdf(reply, charge.invoice, 'invoice', pdf);
      }
      const { invoice, tenant, orderNumber, lineOrderNumbers } = await read(req, deps, async (s) => {
        const invoice = await getInvoice(s, id);
        const tenant = await s.tenant.get();
        if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
        // an invoice of several orders has none of its own: the PDF prints each line's order number
        const order = invoice.orderId === null ? undefined : await s.orders.get(invoice.orderId);
        return { invoice, tenant, orderNumber: order?.number ?? null, lineOrderNumbers: await lineOrderNumbersOf(s, invoice) };
      });
      const language = req.query.lang ?? invoiceLanguageFor(invoice.buyer.country);
      const pdf = await renderInvoicePdf(toInvoiceDocument(invoice, tenant, language, { orderNumber, lineOrderNumbers, draftDate: deps.clock.today() }));
      return sendDocumentPdf(reply, invoice, 'invoice', pdf);
    },
  );

  app.get(
    '/v1/invoices/:id/ubl',
    {
      schema: {
        tags: ['invoices'],
        summary: 'The issued invoice as a Peppol BIS Billing 3.0 e-invoice (UBL 2.1 XML)',
        description:
          "The invoice's own lines, VAT breakdown and totals, with the seller's org.nr (EAS 0007), VAT number and F-skatt, " +
          "bankgiro / IBAN with the OCR reference, and the buyer's electronic address: its Swedish org.nr (0007) or else its " +
          'VAT number under its country\'s Peppol scheme. 409 invoice_not_issued for a draft; 422 unprocessable when the buyer ' +
          'has no usable electronic address.',
        params: IdParams,
        produces: ['application/xml'],
        response: { 200: z.any().describe('application/xml'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('invoice', req.params.id, 'invoice');
      const xml = await read(req, deps, async (s) => {
        if (await s.dunning.getCharge(id)) {
          throw new DomainError('conflict', 'A reminder fee or interest invoice bills no order lines and has no UBL yet; its PDF is at GET /v1/invoices/{id}/pdf');
        }
        const invoice = await getInvoice(s, id);
        const tenant = await s.tenant.get();
        if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
        const customer = await s.customers.get(invoice.customerId);
        if (!customer) throw new Error(`customer ${invoice.customerId} of invoice ${invoice.id} is missing`);
        // an invoice of several orders has no OrderReference (BT-13): its lines carry their orders (BT-132)
        const order = invoice.orderId === null ? undefined : await s.orders.get(invoice.orderId);
        const doc = toEInvoice(invoice, tenant, customer, order ?? null, await lineOrderNumbersOf(s, invoice));
        return { number: doc.number, text: toUbl(doc) };
      });
      return sendUblXml(reply, xml);
    },
  );

  app.post(
    '/v1/invoices/:id/send',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Send an issued invoice to the customer: e-mail with the PDF and the Peppol UBL, and the e-invoice transmitter if configured',
        description:
          "Records an 'invoice.sent' event; the outbox worker sends after the commit: an e-mail to the customer (in their " +
          'language) with the invoice PDF and the UBL XML (the PDF only when no UBL can be made, e.g. the buyer has no ' +
          'electronic address), and, when Q2C_PEPPOL_DROP_DIR is set, the UBL file into that folder. Sending again sends ' +
          'again. 409 invoice_not_issued for a draft.',
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 200: InvoiceJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('invoice', req.params.id, 'invoice');
      const res = await command(req, deps, 200, async (s, env) => invoiceWithDue(s, await sendInvoice(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/invoices/:id/issue',
    {
      schema: {
        tags: ['invoices'],
        summary: 'Issue a draft invoice: it gets its number, OCR reference and due date, is posted to the ledger and becomes immutable',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: IssueInvoiceBody,
        response: { 200: InvoiceJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('invoice', req.params.id, 'invoice');
      const input = { issueDate: req.body?.issue_date };
      const res = await command(req, deps, 200, async (s, env) => invoiceWithDue(s, await issueInvoice(s, env, id, input)));
      return sendStored(reply, res);
    },
  );
}
