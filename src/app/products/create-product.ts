import type { TaxClass } from '../../core/tax/vat.js';
import type { ProductRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export interface CreateProductInput {
  sku: string;
  name: string;
  unit: string;
  taxClass: TaxClass;
  /** currency → unit price in minor units */
  unitPrices: Record<string, bigint>;
}

export async function createProduct(s: Store, env: Env, input: CreateProductInput): Promise<ProductRecord> {
  const product: ProductRecord = { id: env.ids.next('product'), ...input, active: true, createdAt: env.clock.now() };
  await s.products.insert(product);
  await recordChange(s, env, {
    action: 'product.created',
    entityType: 'product',
    entityId: product.id,
    data: { sku: product.sku },
  });
  return product;
}
