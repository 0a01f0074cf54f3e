import { sql, type Selectable } from 'kysely';
import type { BundleDisplay, ProductBundle, ProductKind, ProductRecord, ProductRepo } from '../../app/ports.js';
import type { BundlePricing } from '../../core/pricing/engine.js';
import { asId, type ProductId, type TenantId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { ProductsTable } from '../schema.js';
import { containsPattern, keyset, nextOf, type SortColumns } from './list-query.js';
import { dec, decText, groupBy, guardInsert, pageLimit, type Executor } from './shared.js';

const SORTS: SortColumns = {
  name: { expr: sql.ref('products.name'), type: 'text' },
  sku: { expr: sql.ref('products.sku'), type: 'text' },
};

interface PriceRow {
  product_id: string;
  currency: string;
  unit_price_minor: bigint;
}

interface ComponentRow {
  bundle_id: string;
  component_id: string;
  quantity: string;
}

function bundleOf(r: Selectable<ProductsTable>, components: ComponentRow[]): ProductBundle | null {
  if (r.bundle_pricing === null || r.bundle_display === null) return null;
  return {
    pricing: r.bundle_pricing as BundlePricing,
    display: r.bundle_display as BundleDisplay,
    components: components.map((c) => ({ productId: asId('product', c.component_id), quantity: dec(c.quantity) })),
  };
}

function fromRow(r: Selectable<ProductsTable>, prices: PriceRow[], components: ComponentRow[]): ProductRecord {
  return {
    id: asId('product', r.id),
    sku: r.sku,
    name: r.name,
    unit: r.unit,
    taxClass: r.tax_class as TaxClass,
    active: r.active,
    unitPrices: Object.fromEntries(prices.map((p) => [p.currency, p.unit_price_minor])),
    groupId: r.group_id === null ? null : asId('productGroup', r.group_id),
    unitCostMinor: r.unit_cost_minor,
    bundle: bundleOf(r, components),
    kind: r.kind as ProductKind,
    stockTracked: r.stock_tracked,
    createdAt: r.created_at,
  };
}

export function productRepo(db: Executor, tenantId: TenantId): ProductRepo {
  async function pricesOf(ids: string[]): Promise<Map<string, PriceRow[]>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('product_prices')
      .select(['product_id', 'currency', 'unit_price_minor'])
      .where('tenant_id', '=', tenantId)
      .where('product_id', 'in', ids)
      .orderBy('product_id')
      .orderBy('currency')
      .execute();
    return groupBy(rows, (r) => r.product_id);
  }

  async function componentsOf(ids: string[]): Promise<Map<string, ComponentRow[]>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('product_components')
      .select(['bundle_id', 'component_id', 'quantity'])
      .where('tenant_id', '=', tenantId)
      .where('bundle_id', 'in', ids)
      .orderBy('bundle_id')
      .orderBy('position')
      .execute();
    return groupBy(rows, (r) => r.bundle_id);
  }

  /** Products with their prices and components, in the rows' order. */
  async function hydrate(rows: Selectable<ProductsTable>[]): Promise<ProductRecord[]> {
    const ids = rows.map((r) => r.id);
    const prices = await pricesOf(ids);
    const components = await componentsOf(ids);
    return rows.map((r) => fromRow(r, prices.get(r.id) ?? [], components.get(r.id) ?? []));
  }

  async function writeComponents(id: ProductId, bundle: ProductBundle | null): Promise<void> {
    await db.deleteFrom('product_components').where('tenant_id', '=', tenantId).where('bundle_id', '=', id).execute();
    if (bundle === null || bundle.components.length === 0) return;
    await db
      .insertInto('product_components')
      .values(
        bundle.components.map((c, i) => ({
          tenant_id: tenantId,
          bundle_id: id,
          position: i + 1,
          component_id: c.productId,
          quantity: decText(c.quantity),
        })),
      )
      .execute();
  }

  return {
    async insert(p) {
      await guardInsert(`product ${p.id} (sku ${p.sku})`, async () => {
        await db
          .insertInto('products')
          .values({
            tenant_id: tenantId,
            id: p.id,
            sku: p.sku,
            name: p.name,
            unit: p.unit,
            tax_class: p.taxClass,
            active: p.active,
            group_id: p.groupId,
            unit_cost_minor: p.unitCostMinor,
            kind: p.kind,
            stock_tracked: p.stockTracked,
            bundle_pricing: p.bundle?.pricing ?? null,
            bundle_display: p.bundle?.display ?? null,
            created_at: p.createdAt,
          })
          .execute();
        const prices = Object.entries(p.unitPrices);
        if (prices.length > 0) {
          await db
            .insertInto('product_prices')
            .values(
              prices.map(([currency, minor]) => ({
                tenant_id: tenantId,
                product_id: p.id,
                currency,
                unit_price_minor: minor,
              })),
            )
            .execute();
        }
        await writeComponents(p.id, p.bundle);
      });
    },

    async get(id) {
      const row = await db
        .selectFrom('products')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      return (await hydrate([row]))[0];
    },

    async list(page, filter = {}) {
      const limit = pageLimit(page);
      let q = db.selectFrom('products').selectAll().where('tenant_id', '=', tenantId);
      if (filter.active !== undefined) q = q.where('active', '=', filter.active);
      if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
      if (filter.groupId !== undefined) q = q.where('group_id', '=', filter.groupId);
      if (filter.q !== undefined) {
        const like = containsPattern(filter.q);
        q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('sku', 'ilike', like)]));
      }
      const rows = await keyset(q, page, SORTS, 'products.id').limit(limit + 1).execute();
      const products = new Map((await hydrate(rows.slice(0, limit))).map((p) => [p.id as string, p]));
      return { data: rows.slice(0, limit).map((r) => products.get(r.id) as ProductRecord), hasMore: rows.length > limit, next: nextOf(rows, limit, page) };
    },

    async setPrice(id, currency, unitPriceMinor) {
      await db
        .insertInto('product_prices')
        .values({ tenant_id: tenantId, product_id: id, currency, unit_price_minor: unitPriceMinor })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'product_id', 'currency']).doUpdateSet({
            unit_price_minor: (eb) => eb.ref('excluded.unit_price_minor'),
            updated_at: sql`now()`,
          }),
        )
        .execute();
    },

    async getMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('products')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...ids])
        .orderBy('id')
        .execute();
      return hydrate(rows);
    },

    async update(id, patch) {
      const set: {
        name?: string;
        active?: boolean;
        group_id?: string | null;
        unit_cost_minor?: bigint | null;
        bundle_pricing?: string | null;
        bundle_display?: string | null;
      } = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.active !== undefined) set.active = patch.active;
      if (patch.groupId !== undefined) set.group_id = patch.groupId;
      if (patch.unitCostMinor !== undefined) set.unit_cost_minor = patch.unitCostMinor;
      if (patch.bundle !== undefined) {
        set.bundle_pricing = patch.bundle?.pricing ?? null;
        set.bundle_display = patch.bundle?.display ?? null;
        await writeComponents(id, patch.bundle);
      }
      if (Object.keys(set).length === 0) return;
      await db.updateTable('products').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    async bundlesContaining(id) {
      const rows = await db
        .selectFrom('product_components')
        .select('bundle_id')
        .where('tenant_id', '=', tenantId)
        .where('component_id', '=', id)
        .orderBy('bundle_id')
        .execute();
      return rows.map((r) => asId('product', r.bundle_id));
    },
  };
}
