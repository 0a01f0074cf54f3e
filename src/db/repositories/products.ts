import { sql, type Selectable } from 'kysely';
import type { ProductRecord, ProductRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { ProductsTable } from '../schema.js';
import { groupBy, guardInsert, pageLimit, toPage, type Executor } from './shared.js';

interface PriceRow {
  product_id: string;
  currency: string;
  unit_price_minor: bigint;
}

function fromRow(r: Selectable<ProductsTable>, prices: PriceRow[]): ProductRecord {
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
      return fromRow(row, (await pricesOf([row.id])).get(row.id) ?? []);
    },

    async list(page) {
      const limit = pageLimit(page);
      let q = db.selectFrom('products').selectAll().where('tenant_id', '=', tenantId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      const prices = await pricesOf(rows.slice(0, limit).map((r) => r.id));
      return toPage(rows, limit, (r) => fromRow(r, prices.get(r.id) ?? []));
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
      const prices = await pricesOf(rows.map((r) => r.id));
      return rows.map((r) => fromRow(r, prices.get(r.id) ?? []));
    },

    async update(id, patch) {
      const set: { name?: string; active?: boolean; group_id?: string | null; unit_cost_minor?: bigint | null } = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.active !== undefined) set.active = patch.active;
      if (patch.groupId !== undefined) set.group_id = patch.groupId;
      if (patch.unitCostMinor !== undefined) set.unit_cost_minor = patch.unitCostMinor;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('products').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
  };
}
