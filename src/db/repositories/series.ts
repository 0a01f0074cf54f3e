import { sql } from 'kysely';
import type { SeriesRepo } from '../../app/ports.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { Executor } from './shared.js';

/**
 * Gapless numbering: one counter row per (tenant, series). The upsert takes the row lock and holds
 * it until the caller's transaction ends, so concurrent issuers queue on the row and each gets the
 * next value; a rolled-back transaction gives its number back. Never max(number)+1. Callers should
 * take the number late in their transaction to keep the lock short.
 */
export function seriesRepo(db: Executor, tenantId: TenantId): SeriesRepo {
  return {
    async next(seriesKey) {
      const row = await db
        .insertInto('number_series')
        .values({ tenant_id: tenantId, series_key: seriesKey, next_value: 2n })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'series_key']).doUpdateSet({ next_value: sql`number_series.next_value + 1` }),
        )
        .returning(sql<bigint>`next_value - 1`.as('value'))
        .executeTakeFirstOrThrow();
      return row.value;
    },
    async list() {
      const rows = await db
        .selectFrom('number_series')
        .select(['series_key', 'next_value'])
        .where('tenant_id', '=', tenantId)
        .orderBy('series_key')
        .execute();
      return rows.map((r) => ({ seriesKey: r.series_key, nextValue: BigInt(r.next_value) }));
    },
  };
}
