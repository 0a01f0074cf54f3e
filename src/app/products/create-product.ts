import { invalid, notFound } from '../../core/shared/errors.js';
import type { ProductGroupId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { ProductBundle, ProductKind, ProductRecord, Store } from '../ports.js';
import { bundleAudit, checkBundle } from './bundle.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export interface CreateProductInput {
  sku: string;
  name: string;
  unit: string;
  taxClass: TaxClass;
  /** currency → unit price in minor units */
  unitPrices: Record<string, bigint>;
  groupId?: ProductGroupId | null | undefined;
  /** Cost per unit in the tenant's base currency. */
  unitCostMinor?: bigint | null | undefined;
  /** Makes the product a bundle of these components. */
  bundle?: ProductBundle | null | undefined;
  /** Goods (default) or a service. */
  kind?: ProductKind | undefined;
  /** Keep stock of it per warehouse (goods only). */
  stockTracked?: boolean | undefined;
}

export async function createProduct(s: Store, env: Env, input: CreateProductInput): Promise<ProductRecord> {
  const groupId = input.groupId ?? null;
  if (groupId !== null && !(await s.productGroups.get(groupId))) throw notFound('product_group', groupId, 'group_id');
  const id = env.ids.next('product');
  const bundle = input.bundle ?? null;
  const kind = input.kind ?? 'goods';
  const stockTracked = input.stockTracked ?? false;
  if (stockTracked && kind !== 'goods') throw invalid('stock_tracked', 'only goods can be stock-tracked');
  if (stockTracked && bundle !== null) throw invalid('stock_tracked', "a bundle's stock is its components' stock; track the components instead");
  if (bundle !== null) await checkBundle(s, id, input.taxClass, bundle);
  const product: ProductRecord = {
    id,
    sku: input.sku,
    name: input.name,
    unit: input.unit,
    taxClass: input.taxClass,
    unitPrices: input.unitPrices,
    groupId,
    unitCostMinor: input.unitCostMinor ?? null,
    bundle,
    kind,
    stockTracked,
    active: true,
    createdAt: env.clock.now(),
  };
  await s.products.insert(product);
  await recordChange(s, env, {
    action: 'product.created',
    entityType: 'product',
    entityId: product.id,
    data: { sku: product.sku, bundle: bundle === null ? undefined : bundleAudit(bundle) },
  });
  return product;
}
