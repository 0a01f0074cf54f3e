import { z } from 'zod';
import { parseCurrency } from '../../core/money/currency.js';
import { parseMoney } from '../../core/money/money.js';
import { invalid } from '../../core/shared/errors.js';
import { parseId } from '../../core/shared/ids.js';
import { createCustomerPrice } from '../../app/catalog/catalog.js';
import { createCustomer, type CreateCustomerInput } from '../../app/customers/create-customer.js';
import { getCustomer } from '../../app/customers/get-customer.js';
import { updateCustomer } from '../../app/customers/update-customer.js';
import type { CustomerPatch } from '../../app/ports.js';
import { customerBalance } from '../../app/reports/customer-balance.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import {
  DateInput, DecimalInput, type Api, errorResponses, IdempotencyHeaders, IdParams, listQueryShape, optionalText, pageOfList, pathId,
} from '../http.js';
import {
  CustomerBalanceJson, CustomerJson, CustomerPriceJson, customerBalanceJson, customerJson, customerPriceJson, listJson, listSchema,
} from '../serialize.js';

const CreateCustomerPriceBody = z.strictObject({
  product_id: z.string().max(100),
  unit_price: DecimalInput.describe("Price per unit in the customer's currency"),
  valid_from: DateInput.nullish(),
  valid_to: DateInput.nullish(),
});

export const DEFAULT_PAYMENT_TERMS_DAYS = 30;

const CustomerListQuery = z.strictObject({
  ...listQueryShape(['name', 'number', 'created']),
  q: z.string().min(1).max(200).optional().describe('Case-insensitive part of the name, customer number (id), org number or e-mail'),
  currency: z.string().max(3).optional().describe('Only customers billed in this ISO 4217 currency'),
});

export const CreateCustomerBody = z.strictObject({
  name: z.string().min(1).max(200),
  email: z.email().max(254).nullish(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code such as "SE"' })
    .describe('ISO 3166-1 alpha-2'),
  currency: z.string().max(3).describe('ISO 4217 code the customer is billed in'),
  org_number: optionalText(40),
  vat_number: optionalText(40),
  payment_terms_days: z.number().int().min(0).max(365).default(DEFAULT_PAYMENT_TERMS_DAYS),
  address: z
    .strictObject({
      line1: optionalText(200),
      line2: optionalText(200),
      postal_code: optionalText(20),
      city: optionalText(100),
    })
    .optional(),
  customer_group: z.string().min(1).max(64).nullish().describe('Selects the price lists for this customer group'),
  credit_limit: DecimalInput.nullish().describe("In the customer's currency; an order whose total with the open balance exceeds it goes on credit hold. null = no limit"),
});

const PatchCustomerBody = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  email: z.email().max(254).nullish(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 country code such as "SE"' })
    .optional(),
  org_number: optionalText(40),
  vat_number: optionalText(40),
  payment_terms_days: z.number().int().min(0).max(365).optional(),
  address: z
    .strictObject({ line1: optionalText(200), line2: optionalText(200), postal_code: optionalText(20), city: optionalText(100) })
    .optional(),
  customer_group: z.string().min(1).max(64).nullish(),
  credit_limit: DecimalInput.nullish().describe("In the customer's currency; null removes the limit"),
});

/** A credit limit in the customer's currency: a non-negative amount with at most the currency's decimals. */
function creditLimitOf(value: string | null | undefined, currency: string): bigint | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const minor = parseMoney(value, currency, 'credit_limit').minor;
  if (minor < 0n) throw invalid('credit_limit', 'credit_limit must not be negative');
  return minor;
}

function toCustomerPatch(b: z.output<typeof PatchCustomerBody>, currency: string): CustomerPatch {
  const p: CustomerPatch = {};
  if (b.name !== undefined) p.name = b.name;
  if (b.email !== undefined) p.email = b.email;
  if (b.country !== undefined) p.country = b.country;
  if (b.org_number !== undefined) p.orgNumber = b.org_number;
  if (b.vat_number !== undefined) p.vatNumber = b.vat_number;
  if (b.payment_terms_days !== undefined) p.paymentTermsDays = b.payment_terms_days;
  if (b.address?.line1 !== undefined) p.addressLine1 = b.address.line1;
  if (b.address?.line2 !== undefined) p.addressLine2 = b.address.line2;
  if (b.address?.postal_code !== undefined) p.postalCode = b.address.postal_code;
  if (b.address?.city !== undefined) p.city = b.address.city;
  if (b.customer_group !== undefined) p.customerGroup = b.customer_group;
  const limit = creditLimitOf(b.credit_limit, currency);
  if (limit !== undefined) p.creditLimitMinor = limit;
  return p;
}

export function toCreateCustomerInput(body: z.output<typeof CreateCustomerBody>): CreateCustomerInput {
  const currency = parseCurrency(body.currency, 'currency');
  return {
    creditLimitMinor: creditLimitOf(body.credit_limit, currency) ?? null,
    name: body.name,
    email: body.email ?? null,
    country: body.country,
    currency,
    orgNumber: body.org_number ?? null,
    vatNumber: body.vat_number ?? null,
    paymentTermsDays: body.payment_terms_days,
    addressLine1: body.address?.line1 ?? null,
    addressLine2: body.address?.line2 ?? null,
    postalCode: body.address?.postal_code ?? null,
    city: body.address?.city ?? null,
    customerGroup: body.customer_group ?? null,
  };
}

export function customerRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'Create a customer',
        headers: IdempotencyHeaders,
        body: CreateCustomerBody,
        response: { 201: CustomerJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const input = toCreateCustomerInput(req.body);
      const res = await command(req, deps, 201, async (s, env) => customerJson(await createCustomer(s, env, input)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/customers',
    {
      schema: {
        tags: ['customers'],
        summary: 'List customers (oldest first, or in `sort` order), optionally searched and of one currency',
        querystring: CustomerListQuery,
        response: { 200: listSchema(CustomerJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('customer', req.query);
      const filter = { q: req.query.q, currency: req.query.currency === undefined ? undefined : parseCurrency(req.query.currency, 'currency') };
      return read(req, deps, async (s) => listJson(await s.customers.list(page, filter), customerJson));
    },
  );

  app.get(
    '/v1/customers/:id',
    {
      schema: { tags: ['customers'], summary: 'Get a customer', params: IdParams, response: { 200: CustomerJson, ...errorResponses } },
    },
    async (req) => {
      const id = pathId('customer', req.params.id, 'customer');
      return read(req, deps, async (s) => customerJson(await getCustomer(s, id)));
    },
  );

  app.patch(
    '/v1/customers/:id',
    {
      schema: {
        tags: ['customers'],
        summary: 'Change a customer (details, payment terms, customer group, credit limit); fields left out stay as they are',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: PatchCustomerBody,
        response: { 200: CustomerJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('customer', req.params.id, 'customer');
      const res = await command(req, deps, 200, async (s, env) => {
        const customer = await getCustomer(s, id);
        return customerJson(await updateCustomer(s, env, id, toCustomerPatch(req.body, customer.currency)));
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/customers/:id/prices',
    {
      schema: {
        tags: ['customers'],
        summary: "Agree a price with the customer for a product (used when lower than the list price)",
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CreateCustomerPriceBody,
        response: { 201: CustomerPriceJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('customer', req.params.id, 'customer');
      const b = req.body;
      const productId = parseId('product', b.product_id, 'product_id');
      const validFrom = b.valid_from ?? null;
      const validTo = b.valid_to ?? null;
      if (validFrom !== null && validTo !== null && validTo < validFrom) throw invalid('valid_to', 'valid_to must not be before valid_from');
      const res = await command(req, deps, 201, async (s, env) => {
        const customer = await getCustomer(s, id);
        const unitPriceMinor = parseMoney(b.unit_price, customer.currency, 'unit_price').minor;
        if (unitPriceMinor < 0n) throw invalid('unit_price', 'must not be negative');
        return customerPriceJson(
          await createCustomerPrice(s, env, { customerId: id, productId, currency: customer.currency, unitPriceMinor, validFrom, validTo }),
        );
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/customers/:id/prices',
    {
      schema: {
        tags: ['customers'],
        summary: "The customer's own prices",
        params: IdParams,
        response: { 200: listSchema(CustomerPriceJson), ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('customer', req.params.id, 'customer');
      return read(req, deps, async (s) => {
        await getCustomer(s, id);
        return listJson({ data: await s.customerPrices.listByCustomer(id), hasMore: false }, customerPriceJson);
      });
    },
  );

  app.get(
    '/v1/customers/:id/balance',
    {
      schema: {
        tags: ['customers'],
        summary: "A customer's balance per currency: open invoices, unapplied credit and the ledger's receivable",
        params: IdParams,
        response: { 200: CustomerBalanceJson, ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('customer', req.params.id, 'customer');
      return read(req, deps, async (s) => customerBalanceJson(id, await customerBalance(s, deps.accounts.receivable, id)));
    },
  );
}
