import { z } from 'zod';
import { parseCurrency } from '../../core/money/currency.js';
import { parseMoney } from '../../core/money/money.js';
import { parsePercent, parseQuantity } from '../../core/money/quantity.js';
import { invalid, notFound } from '../../core/shared/errors.js';
import { parseId, type CustomerId } from '../../core/shared/ids.js';
import { TAX_CLASSES } from '../../core/tax/vat.js';
import type { Store } from '../../app/ports.js';
import { acceptQuote } from '../../app/quotes/accept-quote.js';
import { createQuote, type CreateQuoteInput } from '../../app/quotes/create-quote.js';
import type { QuoteLineInput } from '../../app/quotes/price-lines.js';
import { getQuote, sendQuote } from '../../app/quotes/send-quote.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import {
  type Api, DateInput, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, optionalText, PageQuery, pageOf, pathId,
} from '../http.js';
import { listJson, listSchema, OrderJson, orderJson, QuoteJson, quoteJson } from '../serialize.js';

export const MAX_QUOTE_LINES = 500;

const DecimalOrNumber = z.union([DecimalInput, z.number()]);

const QuoteLineBody = z.strictObject({
  product_id: z.string().max(100).optional(),
  description: z.string().min(1).max(1000).optional().describe('Required for a line without a product'),
  quantity: DecimalOrNumber.describe('Greater than 0, at most 4 decimals, e.g. "2.5"'),
  unit: z.string().regex(/^[A-Z0-9]{1,3}$/, { message: 'must be a UN/ECE Recommendation 20 unit code such as "C62"' }).optional(),
  unit_price: DecimalInput.optional().describe("In the quote's currency; overrides the product's list price, required without a product"),
  discount_percent: DecimalOrNumber.optional().describe('0 to 100'),
  tax_class: z.enum(TAX_CLASSES).optional().describe("Overrides the product's tax class; required without a product"),
});

export const CreateQuoteBody = z.strictObject({
  customer_id: z.string().max(100),
  currency: z.string().max(3).optional().describe("Defaults to the customer's currency (and must equal it)"),
  quote_date: DateInput.optional().describe('Defaults to today'),
  valid_until: DateInput.optional().describe('Defaults to 30 days after the quote date'),
  payment_terms_days: z.number().int().min(0).max(365).optional().describe("Defaults to the customer's terms"),
  notes: optionalText(5000),
  lines: z.array(QuoteLineBody).min(1).max(MAX_QUOTE_LINES),
});
type CreateQuoteBody = z.output<typeof CreateQuoteBody>;

const EmptyBody = z.strictObject({}).nullish();

/** Everything that can be checked without the database; unit prices wait for the quote's currency. */
function parseQuoteBody(b: CreateQuoteBody) {
  const customerId = parseId('customer', b.customer_id, 'customer_id');
  const currency = b.currency === undefined ? undefined : parseCurrency(b.currency, 'currency');
  const lines = b.lines.map((l, i) => {
    const p = `lines.${i}`;
    return {
      productId: l.product_id === undefined ? undefined : parseId('product', l.product_id, `${p}.product_id`),
      description: l.description,
      quantity: parseQuantity(l.quantity, `${p}.quantity`),
      unit: l.unit,
      unitPrice: l.unit_price,
      discountPercent: l.discount_percent === undefined ? undefined : parsePercent(l.discount_percent, `${p}.discount_percent`),
      taxClass: l.tax_class,
    };
  });
  return { customerId, currency, lines };
}

async function toCreateQuoteInput(s: Store, b: CreateQuoteBody, parsed: ReturnType<typeof parseQuoteBody>): Promise<CreateQuoteInput> {
  let currency = parsed.currency;
  if (currency === undefined) {
    const customer = await s.customers.get(parsed.customerId);
    if (!customer) throw notFound('customer', parsed.customerId, 'customer_id');
    currency = customer.currency;
  }
  const quoteCurrency = currency;
  const lines: QuoteLineInput[] = parsed.lines.map((l, i) => {
    let unitPriceMinor: bigint | undefined;
    if (l.unitPrice !== undefined) {
      unitPriceMinor = parseMoney(l.unitPrice, quoteCurrency, `lines.${i}.unit_price`).minor;
      if (unitPriceMinor < 0n) throw invalid(`lines.${i}.unit_price`, 'must not be negative');
    }
    return { ...l, unitPriceMinor };
  });
  return {
    customerId: parsed.customerId as CustomerId,
    currency: parsed.currency,
    quoteDate: b.quote_date,
    validUntil: b.valid_until,
    paymentTermsDays: b.payment_terms_days,
    notes: b.notes ?? null,
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
      schema: { tags: ['quotes'], summary: 'List quotes (oldest first)', querystring: PageQuery, response: { 200: listSchema(QuoteJson), ...errorResponses } },
    },
    async (req) => {
      const page = pageOf('quote', req.query);
      return read(req, deps, async (s) => listJson(await s.quotes.list(page), quoteJson));
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
