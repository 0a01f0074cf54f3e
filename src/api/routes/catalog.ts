/** Product groups and price lists (registered with the product routes). */
import { z } from 'zod';
import { parseCurrency } from '../../core/money/currency.js';
import { parseMoney } from '../../core/money/money.js';
import { parseQuantity } from '../../core/money/quantity.js';
import { TIER_MODES } from '../../core/pricing/tiers.js';
import { invalid } from '../../core/shared/errors.js';
import { parseId } from '../../core/shared/ids.js';
import type { PriceListPriceRecord } from '../../app/ports.js';
import { createPriceList, createProductGroup, getPriceList, setPriceListPrices } from '../../app/catalog/catalog.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { type Api, DateInput, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, PageQuery, pageOf, pathId } from '../http.js';
import { listJson, listSchema, PriceListJson, priceListJson, ProductGroupJson, productGroupJson } from '../serialize.js';

const MAX_PRICE_LIST_PRICES = 1000;
const CustomerGroup = z.string().min(1).max(64);

const CreateProductGroupBody = z.strictObject({ name: z.string().min(1).max(200) });

const PriceListPriceBody = z.strictObject({
  product_id: z.string().max(100),
  unit_price: DecimalInput.optional().describe("Flat price per unit in the list's currency"),
  tiers: z
    .strictObject({
      mode: z.enum(TIER_MODES).describe('graduated: each slice at its tier; volume: the tier reached prices every unit'),
      tiers: z
        .array(z.strictObject({ up_to: DecimalInput.nullable().describe('Inclusive upper bound; null on the last tier'), unit_price: DecimalInput }))
        .min(1)
        .max(100),
    })
    .optional(),
});

const CreatePriceListBody = z.strictObject({
  name: z.string().min(1).max(200),
  currency: z.string().max(3),
  customer_group: CustomerGroup.nullish().describe('Only for customers in this group; omitted = every customer'),
  valid_from: DateInput.nullish(),
  valid_to: DateInput.nullish(),
  prices: z.array(PriceListPriceBody).max(MAX_PRICE_LIST_PRICES),
});

const UpdatePriceListBody = z.strictObject({
  prices: z.array(PriceListPriceBody).min(1).max(MAX_PRICE_LIST_PRICES).describe('Sets these products\' prices; others keep theirs'),
});

function toPrices(prices: z.output<typeof PriceListPriceBody>[], currency: string): PriceListPriceRecord[] {
  return prices.map((p, i) => {
    const param = `prices.${i}`;
    if ((p.unit_price === undefined) === (p.tiers === undefined)) throw invalid(param, `${param} needs either unit_price or tiers`);
    const minor = (value: string, at: string) => {
      const m = parseMoney(value, currency, at).minor;
      if (m < 0n) throw invalid(at, 'must not be negative');
      return m;
    };
    return {
      productId: parseId('product', p.product_id, `${param}.product_id`),
      unitPriceMinor: p.unit_price === undefined ? null : minor(p.unit_price, `${param}.unit_price`),
      tiers:
        p.tiers === undefined
          ? null
          : {
              mode: p.tiers.mode,
              tiers: p.tiers.tiers.map((t, k) => ({
                upTo: t.up_to === null ? null : parseQuantity(t.up_to, `${param}.tiers.tiers.${k}.up_to`),
                unitPriceMinor: minor(t.unit_price, `${param}.tiers.tiers.${k}.unit_price`),
              })),
            },
    };
  });
}

export function catalogRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/product-groups',
    {
      schema: {
        tags: ['products'],
        summary: 'Create a product group',
        headers: IdempotencyHeaders,
        body: CreateProductGroupBody,
        response: { 201: ProductGroupJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 201, async (s, env) => productGroupJson(await createProductGroup(s, env, { name: req.body.name })));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/product-groups',
    {
      schema: { tags: ['products'], summary: 'List product groups', querystring: PageQuery, response: { 200: listSchema(ProductGroupJson), ...errorResponses } },
    },
    async (req) => {
      const page = pageOf('productGroup', req.query);
      return read(req, deps, async (s) => listJson(await s.productGroups.list(page), productGroupJson));
    },
  );

  app.post(
    '/v1/price-lists',
    {
      schema: {
        tags: ['products'],
        summary: 'Create a price list: flat or tiered prices in one currency, optionally for a customer group and a period',
        headers: IdempotencyHeaders,
        body: CreatePriceListBody,
        response: { 201: PriceListJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const currency = parseCurrency(b.currency, 'currency');
      const input = {
        name: b.name,
        currency,
        customerGroup: b.customer_group ?? null,
        validFrom: b.valid_from ?? null,
        validTo: b.valid_to ?? null,
        prices: toPrices(b.prices, currency),
      };
      if (input.validFrom !== null && input.validTo !== null && input.validTo < input.validFrom) {
        throw invalid('valid_to', 'valid_to must not be before valid_from');
      }
      const res = await command(req, deps, 201, async (s, env) => priceListJson(await createPriceList(s, env, input)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/price-lists',
    { schema: { tags: ['products'], summary: 'List price lists', querystring: PageQuery, response: { 200: listSchema(PriceListJson), ...errorResponses } } },
    async (req) => {
      const page = pageOf('priceList', req.query);
      return read(req, deps, async (s) => listJson(await s.priceLists.list(page), priceListJson));
    },
  );

  app.get(
    '/v1/price-lists/:id',
    { schema: { tags: ['products'], summary: 'Get a price list', params: IdParams, response: { 200: PriceListJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('priceList', req.params.id, 'price_list');
      return read(req, deps, async (s) => priceListJson(await getPriceList(s, id)));
    },
  );

  app.patch(
    '/v1/price-lists/:id',
    {
      schema: {
        tags: ['products'],
        summary: "Set prices on a price list (documents already made keep their frozen prices)",
        headers: IdempotencyHeaders,
        params: IdParams,
        body: UpdatePriceListBody,
        response: { 200: PriceListJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('priceList', req.params.id, 'price_list');
      const res = await command(req, deps, 200, async (s, env) => {
        const list = await getPriceList(s, id);
        return priceListJson(await setPriceListPrices(s, env, id, toPrices(req.body.prices, list.currency)));
      });
      return sendStored(reply, res);
    },
  );
}
