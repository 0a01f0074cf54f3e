import { z } from 'zod';
import { parseMoney } from '../../core/money/money.js';
import { parseCurrency } from '../../core/money/currency.js';
import { invalid } from '../../core/shared/errors.js';
import { TAX_CLASSES } from '../../core/tax/vat.js';
import { createProduct, type CreateProductInput } from '../../app/products/create-product.js';
import { getProduct, updateProduct, type UpdateProductInput } from '../../app/products/update-product.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import {
  type Api, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, listQueryShape, MoneyInput, pageOfList, pathId, QueryBoolean,
} from '../http.js';
import { listJson, listSchema, ProductJson, productJson } from '../serialize.js';
import { parseId } from '../../core/shared/ids.js';
import type { ProductBundle, Store } from '../../app/ports.js';
import { parseQuantity } from '../../core/money/quantity.js';
import { MAX_BUNDLE_COMPONENTS } from '../../core/pricing/engine.js';

/** The tenant's base currency: product costs are kept in it. */
async function baseCurrency(s: Store): Promise<string> {
  return (await s.tenant.get())?.baseCurrency ?? 'SEK';
}

/** A cost per unit as a decimal string in the base currency → minor units. */
function toUnitCost(value: string | null | undefined, currency: string): bigint | null | undefined {
  if (value === undefined || value === null) return value;
  const m = parseMoney(value, currency, 'unit_cost').minor;
  if (m < 0n) throw invalid('unit_cost', 'must not be negative');
  return m;
}

export const DEFAULT_UNIT = 'C62';
const MAX_PRICES = 50;

const ProductListQuery = z.strictObject({
  ...listQueryShape(['name', 'sku']),
  q: z.string().min(1).max(200).optional().describe('Case-insensitive part of the name or sku'),
  active: QueryBoolean.optional().describe('true: only active products; false: only inactive ones'),
  kind: z.enum(['goods', 'service']).optional().describe('Only goods or only services'),
  group_id: z.string().max(100).optional().describe('Only the products of this product group'),
});

const Unit = z
  .string()
  .regex(/^[A-Z0-9]{1,3}$/, { message: 'must be a UN/ECE Recommendation 20 unit code such as "C62" or "HUR"' })
  .describe('UN/ECE Recommendation 20 unit code: C62 one, HUR hour, KGM kilogram …');

const UnitPrices = z.array(MoneyInput).max(MAX_PRICES);

const BundleBody = z
  .strictObject({
    pricing: z.enum(['sum', 'fixed']).describe("'sum': priced as the sum of the components' prices; 'fixed': at the bundle's own price"),
    display: z.enum(['expanded', 'collapsed']).default('expanded').describe('Documents list the components under the line (expanded) or not (collapsed)'),
    components: z
      .array(z.strictObject({ product_id: z.string().max(100), quantity: DecimalInput.describe('Per unit of the bundle, > 0') }))
      .min(1)
      .max(MAX_BUNDLE_COMPONENTS),
  })
  .describe('Makes the product a bundle of other products (one level: a component is never a bundle)');

function toBundle(b: z.output<typeof BundleBody>): ProductBundle {
  return {
    pricing: b.pricing,
    display: b.display,
    components: b.components.map((c, i) => ({
      productId: parseId('product', c.product_id, `bundle.components.${i}.product_id`),
      quantity: parseQuantity(c.quantity, `bundle.components.${i}.quantity`),
    })),
  };
}

export const CreateProductBody = z.strictObject({
  sku: z.string().min(1).max(64),
  name: z.string().min(1).max(200),
  unit: Unit.default(DEFAULT_UNIT),
  tax_class: z.enum(TAX_CLASSES),
  unit_prices: UnitPrices.default([]).describe('List prices, at most one per currency; required except for a bundle priced as the sum of its components'),
  group_id: z.string().max(100).nullish(),
  unit_cost: z.string().max(64).nullish().describe("Cost per unit in the tenant's base currency, e.g. \"62.50\" (for margins)"),
  bundle: BundleBody.nullish(),
  kind: z.enum(['goods', 'service']).default('goods').describe('Goods are shipped in deliveries; services are delivered by marking lines done'),
  stock_tracked: z.boolean().default(false).describe('Keep stock per warehouse: reserved when an order is confirmed, taken when shipped (goods only)'),
});

export const UpdateProductBody = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  active: z.boolean().optional(),
  unit_prices: UnitPrices.optional().describe('Sets the price in each given currency; other currencies keep theirs'),
  group_id: z.string().max(100).nullish().describe('null removes the product from its group'),
  unit_cost: z.string().max(64).nullish().describe("Cost per unit in the tenant's base currency; null = unknown"),
  bundle: BundleBody.nullish().describe('Replaces the bundle definition; null makes the product an ordinary product again'),
});

/** `[{ amount, currency }]` → currency → minor units; one price per currency, none negative. */
export function toUnitPrices(prices: readonly { amount: string; currency: string }[], param: string): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const [i, p] of prices.entries()) {
    const currency = parseCurrency(p.currency, `${param}.${i}.currency`);
    const m = parseMoney(p.amount, currency, `${param}.${i}.amount`);
    if (m.minor < 0n) throw invalid(`${param}.${i}.amount`, 'must not be negative');
    if (Object.hasOwn(out, currency)) throw invalid(`${param}.${i}.currency`, `has a second price in ${currency}; give one per currency`);
    out[currency] = m.minor;
  }
  return out;
}

export function productRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/products',
    {
      schema: {
        tags: ['products'],
        summary: 'Create a product',
        headers: IdempotencyHeaders,
        body: CreateProductBody,
        response: { 201: ProductJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const bundle = b.bundle === undefined || b.bundle === null ? null : toBundle(b.bundle);
      if (b.unit_prices.length === 0 && bundle?.pricing !== 'sum') {
        throw invalid('unit_prices', 'needs at least one price (only a bundle priced as the sum of its components may have none)');
      }
      const input: CreateProductInput = {
        sku: b.sku,
        name: b.name,
        unit: b.unit,
        taxClass: b.tax_class,
        unitPrices: toUnitPrices(b.unit_prices, 'unit_prices'),
        groupId: b.group_id === undefined || b.group_id === null ? null : parseId('productGroup', b.group_id, 'group_id'),
        bundle,
        kind: b.kind,
        stockTracked: b.stock_tracked,
      };
      const res = await command(req, deps, 201, async (s, env) => {
        const base = await baseCurrency(s);
        return productJson(await createProduct(s, env, { ...input, unitCostMinor: toUnitCost(b.unit_cost, base) ?? null }), base);
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/products',
    {
      schema: {
        tags: ['products'],
        summary: 'List products (oldest first, or in `sort` order), optionally searched and active or not',
        querystring: ProductListQuery,
        response: { 200: listSchema(ProductJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('product', req.query);
      const filter = { q: req.query.q, active: req.query.active, kind: req.query.kind, groupId: req.query.group_id };
      return read(req, deps, async (s) => {
        const base = await baseCurrency(s);
        return listJson(await s.products.list(page, filter), (p) => productJson(p, base));
      });
    },
  );

  app.get(
    '/v1/products/:id',
    { schema: { tags: ['products'], summary: 'Get a product', params: IdParams, response: { 200: ProductJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('product', req.params.id, 'product');
      return read(req, deps, async (s) => productJson(await getProduct(s, id), await baseCurrency(s)));
    },
  );

  app.patch(
    '/v1/products/:id',
    {
      schema: {
        tags: ['products'],
        summary: "Change a product's name, active flag, prices, cost or bundle (documents already made keep their copies)",
        headers: IdempotencyHeaders,
        params: IdParams,
        body: UpdateProductBody,
        response: { 200: ProductJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('product', req.params.id, 'product');
      const b = req.body;
      const input: UpdateProductInput = {
        name: b.name,
        active: b.active,
        unitPrices: b.unit_prices === undefined ? undefined : toUnitPrices(b.unit_prices, 'unit_prices'),
        groupId: b.group_id === undefined ? undefined : b.group_id === null ? null : parseId('productGroup', b.group_id, 'group_id'),
        bundle: b.bundle === undefined ? undefined : b.bundle === null ? null : toBundle(b.bundle),
      };
      const res = await command(req, deps, 200, async (s, env) => {
        const base = await baseCurrency(s);
        return productJson(await updateProduct(s, env, id, { ...input, unitCostMinor: toUnitCost(b.unit_cost, base) }), base);
      });
      return sendStored(reply, res);
    },
  );
}
