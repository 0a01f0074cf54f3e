import { z } from 'zod';
import { parseCurrency } from '../../core/money/currency.js';
import { parseMoney } from '../../core/money/money.js';
import { parsePercent, parseQuantity } from '../../core/money/quantity.js';
import { invalid, notFound } from '../../core/shared/errors.js';
import { parseId, type CustomerId } from '../../core/shared/ids.js';
import { QUOTE_VERSION_STATUSES } from '../../core/quotes/quote-status.js';
import { TAX_CLASSES } from '../../core/tax/vat.js';
import type { DiscountInput, Store } from '../../app/ports.js';
import { acceptQuote } from '../../app/quotes/accept-quote.js';
import { createQuote, type CreateQuoteInput } from '../../app/quotes/create-quote.js';
import type { QuoteLineInput } from '../../app/quotes/price-lines.js';
import { getQuote, sendQuote } from '../../app/quotes/send-quote.js';
import { listQuoteVersions, reviseQuote } from '../../app/quotes/revise-quote.js';
import { updateQuote, type UpdateQuoteInput } from '../../app/quotes/update-quote.js';
import { declineQuote, MAX_REASON_LENGTH } from '../../app/quotes/decline-quote.js';
import { diffVersions } from '../../app/quotes/diff-versions.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import {
  type Api, customerNamesOf, DateInput, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, listQueryShape, optionalText, pageOfList,
  pathId, QueryBoolean, statusListOf,
} from '../http.js';
import { listJson, listSchema, OrderJson, orderJson, QuoteDiffJson, quoteDiffJson, QuoteJson, quoteJson } from '../serialize.js';

export const MAX_QUOTE_LINES = 500;

const DecimalOrNumber = z.union([DecimalInput, z.number()]);

const DiscountBody = z
  .union([
    z.strictObject({ percent: DecimalOrNumber.describe('0 to 100') }),
    z.strictObject({ amount: DecimalInput.describe("In the quote's currency") }),
  ])
  .describe('A percentage or an amount');

const QuoteLineBody = z.strictObject({
  line_key: z.string().max(20).optional().describe('When editing a version: keep a line\'s key to keep its identity across versions'),
  product_id: z.string().max(100).optional(),
  description: z.string().min(1).max(1000).optional().describe('Required for a line without a product'),
  quantity: DecimalOrNumber.describe('Greater than 0, at most 4 decimals, e.g. "2.5"'),
  unit: z.string().regex(/^[A-Z0-9]{1,3}$/, { message: 'must be a UN/ECE Recommendation 20 unit code such as "C62"' }).optional(),
  unit_price: DecimalInput.optional().describe(
    "In the quote's currency; overrides the product's list price, required without a product; including VAT when the quote's prices_include_vat",
  ),
  discount_percent: DecimalOrNumber.optional().describe('0 to 100; shorthand for discount: { percent }'),
  discount: DiscountBody.optional().describe('Line discount'),
  optional: z.boolean().optional().describe('Offered as an option: in the totals only when selected'),
  selected: z.boolean().optional().describe('For optional lines; default false'),
  tax_class: z.enum(TAX_CLASSES).optional().describe("Overrides the product's tax class; required without a product"),
  invoicing_policy: z
    .enum(['on_delivery', 'on_order'])
    .optional()
    .describe("'on_delivery' (default, goods and services alike: services are delivered by a service completion) invoices what was delivered; 'on_order' (prepayment) invoices the ordered quantity at once; frozen with the version and copied to the order line"),
});

export const CreateQuoteBody = z.strictObject({
  customer_id: z.string().max(100),
  currency: z.string().max(3).optional().describe("Defaults to the customer's currency (and must equal it)"),
  quote_date: DateInput.optional().describe('Defaults to today'),
  valid_until: DateInput.optional().describe('Defaults to 30 days after the quote date'),
  payment_terms_days: z.number().int().min(0).max(365).optional().describe("Defaults to the customer's terms"),
  notes: optionalText(5000),
  discount: DiscountBody.nullish().describe('Quote-level discount, allocated over the included lines in proportion to their net'),
  prices_include_vat: z
    .boolean()
    .optional()
    .describe(
      'Default false. true: unit prices and amount discounts are entered including VAT (B2C); the nets are derived exactly per VAT rate and any öre no net can give is shown as rounding',
    ),
  lines: z.array(QuoteLineBody).min(1).max(MAX_QUOTE_LINES),
});
type CreateQuoteBody = z.output<typeof CreateQuoteBody>;

export const UpdateQuoteBody = z.strictObject({
  valid_until: DateInput.optional(),
  payment_terms_days: z.number().int().min(0).max(365).optional(),
  notes: optionalText(5000),
  discount: DiscountBody.nullish().describe('Quote-level discount; null removes it'),
  prices_include_vat: z.boolean().optional().describe('Omitted = unchanged; a change re-prices the lines, reading the entered prices the new way'),
  lines: z.array(QuoteLineBody).min(1).max(MAX_QUOTE_LINES).optional().describe('The complete new set of lines'),
});

export const DeclineQuoteBody = z.strictObject({
  reason: z.string().min(1).max(MAX_REASON_LENGTH).describe("The customer's reason, kept with the version"),
});

const DiffQuery = z.strictObject({
  from: z.coerce.number().int().min(1).optional().describe('Older version number; defaults to the one before `to`'),
  to: z.coerce.number().int().min(1).optional().describe('Newer version number; defaults to this version'),
});

const QuoteListQuery = z.strictObject({
  ...listQueryShape(['number', 'date', 'total', 'valid_until']),
  all_versions: z.enum(['true', 'false']).optional().describe('Every version instead of the latest of each quote'),
  status: z.string().max(200).optional().describe(`One or several (comma-separated) of ${QUOTE_VERSION_STATUSES.join(', ')}`),
  customer_id: z.string().max(100).optional(),
  q: z.string().min(1).max(200).optional().describe("Case-insensitive part of the quote number or the customer's name"),
  awaiting_approval: QueryBoolean.optional().describe('true: only quotes waiting for an approver (status awaiting_approval)'),
});

const QuoteListItemJson = QuoteJson.extend({ customer_name: z.string().nullable() }).meta({ id: 'QuoteListItem' });

const EmptyBody = z.strictObject({}).nullish();

/** Everything that can be checked without the database; unit prices wait for the quote's currency. */
function parseLines(lines: z.output<typeof QuoteLineBody>[]) {
  return lines.map((l, i) => {
    const p = `lines.${i}`;
    return {
      lineKey: l.line_key,
      productId: l.product_id === undefined ? undefined : parseId('product', l.product_id, `${p}.product_id`),
      description: l.description,
      quantity: parseQuantity(l.quantity, `${p}.quantity`),
      unit: l.unit,
      unitPrice: l.unit_price,
      discountPercent: l.discount_percent === undefined ? undefined : parsePercent(l.discount_percent, `${p}.discount_percent`),
      discountBody: l.discount,
      optional: l.optional,
      selected: l.selected,
      taxClass: l.tax_class,
      invoicingPolicy: l.invoicing_policy,
    };
  });
}

type ParsedLine = ReturnType<typeof parseLines>[number];

function parseQuoteBody(b: CreateQuoteBody) {
  const customerId = parseId('customer', b.customer_id, 'customer_id');
  const currency = b.currency === undefined ? undefined : parseCurrency(b.currency, 'currency');
  return { customerId, currency, lines: parseLines(b.lines) };
}

/** A discount body → percent or amount (amounts in the quote's currency). */
function toDiscount(d: z.output<typeof DiscountBody>, currency: string, param: string): DiscountInput {
  if ('percent' in d) return { kind: 'percent', percent: parsePercent(d.percent, `${param}.percent`) };
  const amountMinor = parseMoney(d.amount, currency, `${param}.amount`).minor;
  if (amountMinor < 0n) throw invalid(`${param}.amount`, 'must not be negative');
  return { kind: 'amount', amountMinor };
}

/** Unit prices and discount amounts are decimal strings in the quote's currency, so they are parsed once it is known. */
function withUnitPrices(lines: ParsedLine[], currency: string): QuoteLineInput[] {
  return lines.map(({ unitPrice, discountBody, ...l }, i) => {
    let unitPriceMinor: bigint | undefined;
    if (unitPrice !== undefined) {
      unitPriceMinor = parseMoney(unitPrice, currency, `lines.${i}.unit_price`).minor;
      if (unitPriceMinor < 0n) throw invalid(`lines.${i}.unit_price`, 'must not be negative');
    }
    if (discountBody !== undefined && l.discountPercent !== undefined) {
      throw invalid(`lines.${i}.discount`, 'give discount or discount_percent, not both');
    }
    return { ...l, unitPriceMinor, discount: discountBody === undefined ? undefined : toDiscount(discountBody, currency, `lines.${i}.discount`) };
  });
}

async function toCreateQuoteInput(s: Store, b: CreateQuoteBody, parsed: ReturnType<typeof parseQuoteBody>): Promise<CreateQuoteInput> {
  let currency = parsed.currency;
  if (currency === undefined) {
    const customer = await s.customers.get(parsed.customerId);
    if (!customer) throw notFound('customer', parsed.customerId, 'customer_id');
    currency = customer.currency;
  }
  const lines = withUnitPrices(parsed.lines, currency);
  return {
    customerId: parsed.customerId as CustomerId,
    currency: parsed.currency,
    quoteDate: b.quote_date,
    validUntil: b.valid_until,
    paymentTermsDays: b.payment_terms_days,
    notes: b.notes ?? null,
    discount: b.discount === undefined || b.discount === null ? null : toDiscount(b.discount, currency, 'discount'),
    pricesIncludeVat: b.prices_include_vat,
    lines,
  };
}

export function quoteRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/quotes',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Create a draft quote; lines are priced from the products (or the given unit prices) with VAT by tax class',
        headers: IdempotencyHeaders,
        body: CreateQuoteBody,
        response: { 201: QuoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const parsed = parseQuoteBody(req.body);
      const res = await command(req, deps, 201, async (s, env) =>
        quoteJson(await createQuote(s, env, await toCreateQuoteInput(s, req.body, parsed))),
      );
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/quotes',
    {
      schema: {
        tags: ['quotes'],
        summary: 'List quotes (oldest first, or in `sort` order): the latest version of each, or every version; filtered',
        querystring: QuoteListQuery,
        response: { 200: listSchema(QuoteListItemJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('quote', req.query);
      const query = req.query;
      let statuses = statusListOf(QUOTE_VERSION_STATUSES, query.status);
      if (query.awaiting_approval === true) statuses = (statuses ?? ['awaiting_approval']).filter((st) => st === 'awaiting_approval');
      const filter = {
        allVersions: query.all_versions === 'true',
        statuses,
        customerId: query.customer_id === undefined ? undefined : parseId('customer', query.customer_id, 'customer_id'),
        q: query.q,
      };
      return read(req, deps, async (s) => {
        const result = await s.quotes.list(page, filter);
        const nameOf = await customerNamesOf(s, result.data);
        return listJson(result, (qt) => ({ ...quoteJson(qt), customer_name: nameOf(qt.customerId) }));
      });
    },
  );

  app.patch(
    '/v1/quotes/:id',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Edit a draft version (header fields and/or the complete set of lines); a sent version answers 409',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: UpdateQuoteBody,
        response: { 200: QuoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const lines = req.body.lines === undefined ? undefined : parseLines(req.body.lines);
      const res = await command(req, deps, 200, async (s, env) => {
        const current = await getQuote(s, id);
        const input: UpdateQuoteInput = {
          validUntil: req.body.valid_until,
          paymentTermsDays: req.body.payment_terms_days,
          notes: req.body.notes,
          pricesIncludeVat: req.body.prices_include_vat,
          lines: lines === undefined ? undefined : withUnitPrices(lines, current.currency),
          discount:
            req.body.discount === undefined ? undefined : req.body.discount === null ? null : toDiscount(req.body.discount, current.currency, 'discount'),
        };
        return quoteJson(await updateQuote(s, env, id, input));
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/quotes/:id/revise',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Start a new draft version from the latest sent (or declined or expired) version',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 201: QuoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const res = await command(req, deps, 201, async (s, env) => quoteJson(await reviseQuote(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/quotes/:id/decline',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Record that the customer declined a sent version, with the reason',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: DeclineQuoteBody,
        response: { 200: QuoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const res = await command(req, deps, 200, async (s, env) => quoteJson(await declineQuote(s, env, id, { reason: req.body.reason })));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/quotes/:id/versions',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Every version of the quote, oldest first (any version id may be given)',
        params: IdParams,
        response: { 200: listSchema(QuoteJson), ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('quote', req.params.id, 'quote');
      return read(req, deps, async (s) => listJson({ data: await listQuoteVersions(s, id), hasMore: false }, quoteJson));
    },
  );

  app.get(
    '/v1/quotes/:id/diff',
    {
      schema: {
        tags: ['quotes'],
        summary: 'What changed between two versions: lines added, removed and changed (price, quantity, discount), header, totals',
        params: IdParams,
        querystring: DiffQuery,
        response: { 200: QuoteDiffJson, ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('quote', req.params.id, 'quote');
      return read(req, deps, async (s) => {
        const { quote, diff } = await diffVersions(s, id, { from: req.query.from, to: req.query.to });
        return quoteDiffJson(quote, diff);
      });
    },
  );

  app.get(
    '/v1/quotes/:id',
    { schema: { tags: ['quotes'], summary: 'Get a quote', params: IdParams, response: { 200: QuoteJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('quote', req.params.id, 'quote');
      return read(req, deps, async (s) => quoteJson(await getQuote(s, id)));
    },
  );

  app.post(
    '/v1/quotes/:id/send',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Send a draft quote: this version becomes immutable and visible to the customer',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 200: QuoteJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const res = await command(req, deps, 200, async (s, env) => quoteJson(await sendQuote(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/quotes/:id/accept',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Accept a sent quote; returns the sales order made from it',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 201: OrderJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const res = await command(req, deps, 201, async (s, env) => orderJson(await acceptQuote(s, env, id)));
      return sendStored(reply, res);
    },
  );
}
