/** Changes a product's name, active flag or prices. Documents already made keep their frozen copies. */
import { notFound } from '../../core/shared/errors.js';
import type { ProductGroupId, ProductId } from '../../core/shared/ids.js';
import type { ProductBundle, ProductPatch, ProductRecord, Store } from '../ports.js';
import { bundleAudit, checkBundle } from './bundle.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export interface UpdateProductInput {
  name?: string | undefined;
  active?: boolean | undefined;
  unitPrices?: Record<string, bigint> | undefined;
  /** null removes the product from its group. */
  groupId?: ProductGroupId | null | undefined;
  /** Cost per unit in the tenant's base currency; null = unknown. */
  unitCostMinor?: bigint | null | undefined;
  /** Replaces the bundle definition; null makes the product an ordinary product again. */
  bundle?: ProductBundle | null | undefined;
}

export async function updateProduct(s: Store, env: Env, id: ProductId, input: UpdateProductInput): Promise<ProductRecord> {
  const before = await s.products.get(id);
  if (!before) throw notFound('product', id);
  if (input.groupId !== undefined && input.groupId !== null && !(await s.productGroups.get(input.groupId))) {
    throw notFound('product_group', input.groupId, 'group_id');
  }
  if (input.bundle !== undefined && input.bundle !== null) await checkBundle(s, id, before.taxClass, input.bundle);
  const patch: ProductPatch = {};
  if (input.name !== undefined) patch.name = input.name;
  if (input.active !== undefined) patch.active = input.active;
  if (input.groupId !== undefined) patch.groupId = input.groupId;
  if (input.unitCostMinor !== undefined) patch.unitCostMinor = input.unitCostMinor;
  if (input.bundle !== undefined) patch.bundle = input.bundle;
  if (Object.keys(patch).length > 0) await s.products.update(id, patch);
  for (const [currency, minor] of Object.entries(input.unitPrices ?? {})) {
    await s.products.setPrice(id, currency, minor);
  }
  await recordChange(s, env, {
    action: 'product.updated',
    entityType: 'product',
    entityId: id,
    data: {
      name: input.name,
      active: input.active,
      groupId: input.groupId,
      unitCostMinor: input.unitCostMinor === undefined || input.unitCostMinor === null ? input.unitCostMinor : input.unitCostMinor.toString(),
      bundle: input.bundle === undefined || input.bundle === null ? input.bundle : bundleAudit(input.bundle),
      unitPrices: input.unitPrices ? Object.fromEntries(Object.entries(input.unitPrices).map(([c, m]) => [c, m.toString()])) : undefined,
    },
  });
  const after = await s.products.get(id);
  if (!after) throw notFound('product', id);
  return after;
}

export async function getProduct(s: Store, id: ProductId): Promise<ProductRecord> {
  const p = await s.products.get(id);
  if (!p) throw notFound('product', id);
  return p;
}
