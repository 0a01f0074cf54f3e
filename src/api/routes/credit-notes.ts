/**
 * Credit notes: drafted on an issued invoice (whole, lines, or an amount) or from a claim's credit
 * request, issued (numbered, posted, immutable), listed and read.
 */
import { z } from 'zod';
import { parseMoney } from '../../core/money/money.js';
import { formatDecimal4, parsePercent, parseQuantity } from '../../core/money/quantity.js';
import { parseId, type CustomerId, type InvoiceId } from '../../core/shared/ids.js';
import { VAT_CATEGORIES } from '../../core/tax/vat.js';
import type { CreditSelection } from '../../app/invoicing/credit-notes/amounts.js';
import { createCreditNote, getCreditNote, MAX_REASON_LENGTH } from '../../app/invoicing/credit-notes/create-credit-note.js';
import { creditNoteForCreditRequest } from '../../app/invoicing/credit-notes/credit-request-credit-note.js';
import { issueCreditNote } from '../../app/invoicing/credit-notes/issue-credit-note.js';
import type { CreditNoteRecord, PartySnapshot } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { sendDocumentPdf, sendUblXml } from '../document-reply.js';
import {
  type Api, DateInput, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, MoneyInput, pageOf, pageQueryShape, pathId,
} from '../http.js';
import { baseAmountsJson, baseAmountsShape, listJson, listSchema, MoneyJson, moneyJson } from '../serialize.js';
import { creditNoteDocumentData, sendCreditNote } from '../../app/invoicing/send-invoice.js';
import { invoiceLanguageFor, toCreditNoteDocument } from '../../integrations/pdf/invoice-mapping.js';
import { renderInvoicePdf } from '../../integrations/pdf/invoice-pdf.js';
import { toECreditNote } from '../../integrations/ubl/invoice-mapping.js';
import { toUbl } from '../../integrations/ubl/ubl.js';

const PartyJson = z.object({
  name: z.string(),
  org_number: z.string().nullable(),
  vat_number: z.string().nullable(),
  country: z.string(),
});
const partyJson = (p: PartySnapshot): z.output<typeof PartyJson> => ({
  name: p.name, org_number: p.orgNumber, vat_number: p.vatNumber, country: p.country,
});

export const CreditNoteJson = z
  .object({
    object: z.literal('credit_note'),
    id: z.string(),
    series: z.string(),
    number: z.string().nullable().describe('KF-<year>-<seq>, given when the credit note is issued'),
    status: z.enum(['draft', 'issued']),
    invoice_id: z.string().describe('The issued invoice it corrects'),
    order_id: z.string(),
    customer_id: z.string(),
    currency: z.string(),
    reason: z.string(),
    credit_request_id: z.string().nullable(),
    issue_date: z.iso.date().nullable(),
    net_total: MoneyJson,
    vat_total: MoneyJson,
    gross_total: MoneyJson,
    receivable_credited: MoneyJson.nullable().describe("At issue: what reduced the invoice's amount due"),
    customer_credit: MoneyJson.nullable().describe('At issue: what exceeded the amount due and became customer credit (2420)'),
    ...baseAmountsShape,
    seller: PartyJson.nullable(),
    buyer: PartyJson,
    issued_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
    lines: z.array(
      z.object({
        line_no: z.number().int(),
        invoice_line_no: z.number().int().nullable(),
        order_line_no: z.number().int().nullable(),
        description: z.string(),
        quantity: z.string().nullable(),
        unit: z.string().nullable(),
        unit_price: MoneyJson.nullable(),
        gross_amount: MoneyJson,
        discount_amount: MoneyJson,
        net_amount: MoneyJson,
        vat_rate: z.string(),
        vat_category: z.enum(VAT_CATEGORIES),
      }),
    ),
    vat_breakdown: z.array(
      z.object({ vat_category: z.enum(VAT_CATEGORIES), vat_rate: z.string(), taxable_amount: MoneyJson, vat_amount: MoneyJson }),
    ),
  })
  .meta({ id: 'CreditNote' });

export function creditNoteJson(c: CreditNoteRecord): z.output<typeof CreditNoteJson> {
  const m = (minor: bigint) => moneyJson(minor, c.currency);
  return {
    object: 'credit_note',
    id: c.id,
    series: c.series,
    number: c.number,
    status: c.status,
    invoice_id: c.invoiceId,
    order_id: c.orderId,
    customer_id: c.customerId,
    currency: c.currency,
    reason: c.reason,
    credit_request_id: c.creditRequestId,
    issue_date: c.issueDate,
    net_total: m(c.netTotalMinor),
    vat_total: m(c.vatTotalMinor),
    gross_total: m(c.grossTotalMinor),
    receivable_credited: c.receivableMinor === null ? null : m(c.receivableMinor),
    customer_credit: c.customerCreditMinor === null ? null : m(c.customerCreditMinor),
    ...baseAmountsJson(c),
    seller: c.seller === null ? null : partyJson(c.seller),
    buyer: partyJson(c.buyer),
    issued_at: c.issuedAt === null ? null : c.issuedAt.toISOString(),
    created_at: c.createdAt.toISOString(),
    lines: c.lines.map((l) => ({
      line_no: l.lineNo,
      invoice_line_no: l.invoiceLineNo,
      order_line_no: l.orderLineNo,
      description: l.description,
      quantity: l.quantity === null ? null : formatDecimal4(l.quantity),
      unit: l.unit,
      unit_price: l.unitPriceMinor === null ? null : m(l.unitPriceMinor),
      gross_amount: m(l.grossAmountMinor),
      discount_amount: m(l.discountAmountMinor),
      net_amount: m(l.netAmountMinor),
      vat_rate: formatDecimal4(l.vatRate),
      vat_category: l.vatCategory,
    })),
    vat_breakdown: c.vatBreakdown.map((b) => ({
      vat_category: b.vatCategory,
      vat_rate: formatDecimal4(b.vatRate),
      taxable_amount: m(b.taxableMinor),
      vat_amount: m(b.vatMinor),
    })),
  };
}

export const CreateCreditNoteBody = z
  .strictObject({
    lines: z
      .array(z.strictObject({ invoice_line_no: z.number().int().min(1), quantity: DecimalInput }))
      .min(1)
      .max(1000)
      .optional()
      .describe('Parts of invoice lines to credit, pro rata of the invoice line'),
    amount: z
      .strictObject({ net_amount: MoneyInput, vat_rate: DecimalInput.describe('One of the invoice\'s VAT rates, e.g. "25"') })
      .optional()
      .describe('A net amount at one VAT rate (VAT is added)'),
    reason: z.string().min(1).max(MAX_REASON_LENGTH),
  })
  .refine((b) => b.lines === undefined || b.amount === undefined, { message: 'give lines or amount, not both', path: ['amount'] })
  .describe('Neither lines nor amount: the whole invoice (what is not credited yet)');

export const IssueCreditNoteBody = z.strictObject({ issue_date: DateInput.optional().describe('Defaults to today') }).nullish();

const CreditNotePdfQuery = z.strictObject({
  lang: z.enum(['sv', 'en']).optional().describe("Document language; defaults to the customer's (Swedish for Swedish customers)"),
});

const CreditNoteListQuery = z.strictObject({
  ...pageQueryShape,
  invoice_id: z.string().max(100).optional(),
  customer_id: z.string().max(100).optional(),
});

function selectionOf(body: z.output<typeof CreateCreditNoteBody>): CreditSelection {
  if (body.lines !== undefined) {
    return {
      kind: 'lines',
      lines: body.lines.map((l, i) => ({ invoiceLineNo: l.invoice_line_no, quantity: parseQuantity(l.quantity, `lines.${i}.quantity`) })),
    };
  }
  if (body.amount !== undefined) {
    const net = parseMoney(body.amount.net_amount.amount, body.amount.net_amount.currency, 'amount.net_amount.amount');
    return { kind: 'amount', netMinor: net.minor, currency: net.currency, vatRate: parsePercent(body.amount.vat_rate, 'amount.vat_rate') };
  }
  return { kind: 'whole' };
}

export function creditNoteRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/invoices/:id/credit-notes',
    {
      schema: {
        tags: ['credit notes'],
        summary: 'Draft a credit note on an issued invoice: the whole invoice, parts of its lines, or an amount at one VAT rate',
        description: 'Never more than was invoiced less what is already credited (409 quantity_exceeds_open).',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CreateCreditNoteBody,
        response: { 201: CreditNoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const invoiceId: InvoiceId = pathId('invoice', req.params.id, 'invoice');
      const selection = selectionOf(req.body);
      const reason = req.body.reason;
      const res = await command(req, deps, 201, async (s, env) => creditNoteJson(await createCreditNote(s, env, invoiceId, { selection, reason })));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/credit-requests/:id/credit-note',
    {
      schema: {
        tags: ['credit notes'],
        summary: "Draft a credit note for a claim's credit request, on the issued invoice that invoiced its order line",
        description: '409 invoice_not_issued when the order line is not on an issued invoice yet. The request is marked credited when the credit note is issued.',
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 201: CreditNoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('creditRequest', req.params.id, 'credit request');
      const res = await command(req, deps, 201, async (s, env) => creditNoteJson(await creditNoteForCreditRequest(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/credit-notes/:id/issue',
    {
      schema: {
        tags: ['credit notes'],
        summary: "Issue a draft credit note: it is numbered (KF-<year>-<seq>), posted, reduces the invoice's amount due and becomes immutable",
        description: 'What exceeds the amount still due on an already paid invoice becomes customer credit (2420).',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: IssueCreditNoteBody,
        response: { 200: CreditNoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('creditNote', req.params.id, 'credit note');
      const input = { issueDate: req.body?.issue_date };
      const res = await command(req, deps, 200, async (s, env) => creditNoteJson(await issueCreditNote(s, env, id, input)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/credit-notes',
    {
      schema: {
        tags: ['credit notes'],
        summary: 'List credit notes (oldest first), optionally of one invoice or one customer',
        querystring: CreditNoteListQuery,
        response: { 200: listSchema(CreditNoteJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOf('creditNote', req.query);
      const filter: { invoiceId?: InvoiceId; customerId?: CustomerId } = {};
      if (req.query.invoice_id !== undefined) filter.invoiceId = parseId('invoice', req.query.invoice_id, 'invoice_id');
      if (req.query.customer_id !== undefined) filter.customerId = parseId('customer', req.query.customer_id, 'customer_id');
      return read(req, deps, async (s) => listJson(await s.creditNotes.list(page, filter), creditNoteJson));
    },
  );

  app.get(
    '/v1/credit-notes/:id',
    {
      schema: {
        tags: ['credit notes'],
        summary: 'Get a credit note with its lines and VAT breakdown',
        params: IdParams,
        response: { 200: CreditNoteJson, ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('creditNote', req.params.id, 'credit note');
      return read(req, deps, async (s) => creditNoteJson(await getCreditNote(s, id)));
    },
  );

  app.get(
    '/v1/credit-notes/:id/pdf',
    {
      schema: {
        tags: ['credit notes'],
        summary: 'The credit note as a PDF ("Kreditfaktura" / "Credit note"), naming the invoice it credits; a draft is marked "UTKAST" / "DRAFT"',
        params: IdParams,
        querystring: CreditNotePdfQuery,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('creditNote', req.params.id, 'credit note');
      const { note, invoice, tenant, order } = await read(req, deps, (s) => creditNoteDocumentData(s, id));
      const language = req.query.lang ?? invoiceLanguageFor(note.buyer.country);
      const pdf = await renderInvoicePdf(
        toCreditNoteDocument(note, invoice, tenant, language, { orderNumber: order?.number ?? null, draftDate: deps.clock.today() }),
      );
      return sendDocumentPdf(reply, note, 'credit-note', pdf);
    },
  );

  app.get(
    '/v1/credit-notes/:id/ubl',
    {
      schema: {
        tags: ['credit notes'],
        summary: 'The issued credit note as a Peppol BIS Billing 3.0 credit note (UBL 2.1 CreditNote, type 381)',
        description:
          'Its own lines, VAT breakdown and totals (positive), with a billing reference to the invoice it credits (number and ' +
          'date). 409 invoice_not_issued for a draft; 422 unprocessable when the buyer has no usable electronic address.',
        params: IdParams,
        produces: ['application/xml'],
        response: { 200: z.any().describe('application/xml'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('creditNote', req.params.id, 'credit note');
      const xml = await read(req, deps, async (s) => {
        const { note, invoice, tenant, customer, order } = await creditNoteDocumentData(s, id);
        const doc = toECreditNote(note, invoice, tenant, customer, order);
        return { number: doc.number, text: toUbl(doc) };
      });
      return sendUblXml(reply, xml);
    },
  );

  app.post(
    '/v1/credit-notes/:id/send',
    {
      schema: {
        tags: ['credit notes'],
        summary: 'Send an issued credit note to the customer: e-mail with the PDF and the Peppol UBL, and the e-invoice transmitter if configured',
        description:
          "Records a 'credit_note.sent' event; the outbox worker sends it after the commit, as for invoices. 409 invoice_not_issued for a draft.",
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 200: CreditNoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('creditNote', req.params.id, 'credit note');
      const res = await command(req, deps, 200, async (s, env) => creditNoteJson(await sendCreditNote(s, env, id)));
      return sendStored(reply, res);
    },
  );
}
