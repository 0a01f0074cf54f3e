/** Product groups, price lists and customer prices: the catalog's price sources for the pricing engine. */
import { validateCustomerPrice, validatePriceListPrice } from '../../core/pricing/price-lists.js';
import { invalid, notFound } from '../../core/shared/errors.js';
import type { CustomerId, PriceListId, ProductId } from '../../core/shared/ids.js';
import type { LocalDate } from '../../core/shared/dates.js';
import type { CustomerPriceRecord, PriceListPriceRecord, PriceListRecord, ProductGroupRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export async function createProductGroup(s: Store, env: Env, input: { name: string }): Promise<ProductGroupRecord> {
  const group: ProductGroupRecord = { id: env.ids.next('productGroup'), name: input.name, createdAt: env.clock.now() };
  await s.productGroups.insert(group);
  await recordChange(s, env, { action: 'product_group.created', entityType: 'product_group', entityId: group.id, data: { name: group.name } });
  return group;
}

export interface CreatePriceListInput {
  name: string;
  currency: string;
  customerGroup: string | null;
  validFrom: LocalDate | null;
  validTo: LocalDate | null;
  prices: PriceListPriceRecord[];
}

async function checkPrices(s: Store, list: Omit<PriceListRecord, 'createdAt'>, prices: PriceListPriceRecord[]): Promise<void> {
  const seen = new Set<string>();
  for (const [i, p] of prices.entries()) {
    const param = `prices.${i}`;
    if (seen.has(p.productId)) throw invalid(`${param}.product_id`, 'each product may appear once on a price list');
    seen.add(p.productId);
    validatePriceListPrice(
      {
        priceListId: list.id,
        productId: p.productId,
        currency: list.currency,
        customerGroup: list.customerGroup,
        validFrom: list.validFrom,
        validTo: list.validTo,
        ...(p.unitPriceMinor !== null ? { unitPriceMinor: p.unitPriceMinor } : {}),
        ...(p.tiers !== null ? { tiers: p.tiers } : {}),
      },
      param,
    );
  }
  const found = new Set((await s.products.getMany([...seen] as ProductId[])).map((p) => p.id as string));
  for (const [i, p] of prices.entries()) {
    if (!found.has(p.productId)) throw notFound('product', p.productId, `prices.${i}.product_id`);
  }
}

export async function createPriceList(s: Store, env: Env, input: CreatePriceListInput): Promise<PriceListRecord> {
  const list: PriceListRecord = { id: env.ids.next('priceList'), ...input, createdAt: env.clock.now() };
  await checkPrices(s, list, input.prices);
  await s.priceLists.insert(list);
  await recordChange(s, env, {
    action: 'price_list.created',
    entityType: 'price_list',
    entityId: list.id,
    data: { name: list.name, currency: list.currency, customerGroup: list.customerGroup, prices: list.prices.length },
  });
  return list;
}

/** Sets prices on a price list (one per product). Documents already made keep their frozen prices. */
export async function setPriceListPrices(s: Store, env: Env, id: PriceListId, prices: PriceListPriceRecord[]): Promise<PriceListRecord> {
  const list = await getPriceList(s, id);
  await checkPrices(s, list, prices);
  await s.priceLists.setPrices(id, prices);
  await recordChange(s, env, { action: 'price_list.updated', entityType: 'price_list', entityId: id, data: { prices: prices.length } });
  return getPriceList(s, id);
}

export async function getPriceList(s: Store, id: PriceListId): Promise<PriceListRecord> {
  const list = await s.priceLists.get(id);
  if (!list) throw notFound('price_list', id);
  return list;
}

export interface CreateCustomerPriceInput {
  customerId: CustomerId;
  productId: ProductId;
  currency: string;
  unitPriceMinor: bigint;
  validFrom: LocalDate | null;
  validTo: LocalDate | null;
}

export async function createCustomerPrice(s: Store, env: Env, input: CreateCustomerPriceInput): Promise<CustomerPriceRecord> {
  if (!(await s.customers.get(input.customerId))) throw notFound('customer', input.customerId);
  if (!(await s.products.get(input.productId))) throw notFound('product', input.productId, 'product_id');
  const price: CustomerPriceRecord = { id: env.ids.next('customerPrice'), ...input, createdAt: env.clock.now() };
  validateCustomerPrice({ ...price, customerPriceId: price.id }, 'price');
  await s.customerPrices.insert(price);
  await recordChange(s, env, {
    action: 'customer_price.created',
    entityType: 'customer_price',
    entityId: price.id,
    data: { customerId: price.customerId, productId: price.productId, unitPrice: price.unitPriceMinor.toString() },
  });
  return price;
}
