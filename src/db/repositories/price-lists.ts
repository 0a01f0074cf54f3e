import type { Selectable } from 'kysely';
import type { PriceListPriceRecord, PriceListRecord, PriceListRepo, PriceTierRecord } from '../../app/ports.js';
import type { TierMode } from '../../core/pricing/tiers.js';
import { asId, type PriceListId, type TenantId } from '../../core/shared/ids.js';
import type { PriceListPricesTable, PriceListsTable } from '../schema.js';
import { dec, decText, groupBy, guardInsert, pageLimit, toJson, toPage, type Executor } from './shared.js';

type PriceRow = Selectable<PriceListPricesTable>;

interface TierJson {
  up_to: string | null;
  unit_price_minor: string;
}

function tiersFromJson(value: unknown): PriceTierRecord[] {
  if (!Array.isArray(value)) throw new Error('price_list_prices.tiers is not an array');
  return (value as TierJson[]).map((t) => ({
    upTo: t.up_to === null ? null : dec(t.up_to),
    unitPriceMinor: BigInt(t.unit_price_minor),
  }));
}

function priceFromRow(r: PriceRow): PriceListPriceRecord {
  return {
    productId: asId('product', r.product_id),
    unitPriceMinor: r.unit_price_minor,
    tiers: r.tiers === null || r.tier_mode === null ? null : { mode: r.tier_mode as TierMode, tiers: tiersFromJson(r.tiers) },
  };
}

function fromRow(r: Selectable<PriceListsTable>, prices: PriceRow[]): PriceListRecord {
  return {
    id: asId('priceList', r.id),
    name: r.name,
    currency: r.currency,
    customerGroup: r.customer_group,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    createdAt: r.created_at,
    prices: prices.map(priceFromRow),
  };
}

export function priceListRepo(db: Executor, tenantId: TenantId): PriceListRepo {
  async function pricesOf(ids: string[], productIds?: readonly string[]): Promise<Map<string, PriceRow[]>> {
    if (ids.length === 0 || productIds?.length === 0) return new Map();
    let q = db
      .selectFrom('price_list_prices')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('price_list_id', 'in', ids);
    if (productIds !== undefined) q = q.where('product_id', 'in', [...productIds]);
    const rows = await q.orderBy('price_list_id').orderBy('product_id').execute();
    return groupBy(rows, (r) => r.price_list_id);
  }

  const priceValues = (id: PriceListId, prices: PriceListPriceRecord[]) =>
    prices.map((p) => ({
      tenant_id: tenantId,
      price_list_id: id,
      product_id: p.productId,
      unit_price_minor: p.unitPriceMinor,
      tier_mode: p.tiers?.mode ?? null,
      tiers:
        p.tiers === null
          ? null
          : toJson(p.tiers.tiers.map((t): TierJson => ({ up_to: t.upTo === null ? null : decText(t.upTo), unit_price_minor: t.unitPriceMinor.toString() }))),
    }));

  return {
    async insert(p) {
      await guardInsert(`price list ${p.id}`, async () => {
        await db
          .insertInto('price_lists')
          .values({
            tenant_id: tenantId,
            id: p.id,
            name: p.name,
            currency: p.currency,
            customer_group: p.customerGroup,
            valid_from: p.validFrom,
            valid_to: p.validTo,
            created_at: p.createdAt,
          })
          .execute();
        if (p.prices.length > 0) await db.insertInto('price_list_prices').values(priceValues(p.id, p.prices)).execute();
      });
    },

    async get(id) {
      const row = await db
        .selectFrom('price_lists')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      return fromRow(row, (await pricesOf([row.id])).get(row.id) ?? []);
    },

    async list(page) {
      const limit = pageLimit(page);
      let q = db.selectFrom('price_lists').selectAll().where('tenant_id', '=', tenantId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      const prices = await pricesOf(rows.slice(0, limit).map((r) => r.id));
      return toPage(rows, limit, (r) => fromRow(r, prices.get(r.id) ?? []));
    },

    async setPrices(id, prices) {
      if (prices.length === 0) return;
      await db
        .insertInto('price_list_prices')
        .values(priceValues(id, prices))
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'price_list_id', 'product_id']).doUpdateSet((eb) => ({
            unit_price_minor: eb.ref('excluded.unit_price_minor'),
            tier_mode: eb.ref('excluded.tier_mode'),
            tiers: eb.ref('excluded.tiers'),
          })),
        )
        .execute();
    },

    async listValidOn(currency, date, productIds) {
      if (productIds.length === 0) return [];
      const rows = await db
        .selectFrom('price_lists')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('currency', '=', currency)
        .where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', date)]))
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', date)]))
        .orderBy('id')
        .execute();
      const prices = await pricesOf(
        rows.map((r) => r.id),
        productIds,
      );
      return rows.flatMap((r) => {
        const own = prices.get(r.id);
        return own === undefined ? [] : [fromRow(r, own)];
      });
    },
  };
}
