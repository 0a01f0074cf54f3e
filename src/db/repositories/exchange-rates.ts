/**
 * Exchange rates per tenant, currency and date (migration 2800). The rate is numeric(28,10) in the
 * database and a scaled bigint (core RATE_SCALE) here; the table type is added with `withTables`.
 */
import type { Selectable } from 'kysely';
import type { ExchangeRateRecord, ExchangeRateRepo } from '../../app/ports.js';
import { formatRate, parseRate } from '../../core/money/fx.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { DateText, Generated, Numeric, Timestamp } from '../schema.js';
import type { Executor } from './shared.js';

export interface ExchangeRatesTable {
  tenant_id: string;
  currency: string;
  rate_date: DateText;
  rate: Numeric;
  source: 'manual' | 'csv';
  updated_at: Generated<Timestamp>;
}

function fromRow(r: Selectable<ExchangeRatesTable>): ExchangeRateRecord {
  return {
    currency: r.currency,
    rateDate: r.rate_date,
    rateScaled: parseRate(String(r.rate), 'rate'),
    source: r.source,
    updatedAt: r.updated_at,
  };
}

export function exchangeRateRepo(executor: Executor, tenantId: TenantId): ExchangeRateRepo {
  const db = executor.withTables<{ exchange_rates: ExchangeRatesTable }>();
  return {
    async upsert(r) {
      const values = {
        tenant_id: tenantId,
        currency: r.currency,
        rate_date: r.rateDate,
        rate: formatRate(r.rateScaled),
        source: r.source,
        updated_at: r.updatedAt,
      };
      await db
        .insertInto('exchange_rates')
        .values(values)
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'currency', 'rate_date']).doUpdateSet({ rate: values.rate, source: values.source, updated_at: values.updated_at }),
        )
        .execute();
    },

    async rateOn(currency, date) {
      const row = await db
        .selectFrom('exchange_rates')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('currency', '=', currency)
        .where('rate_date', '<=', date)
        .orderBy('rate_date', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async list(q) {
      let query = db.selectFrom('exchange_rates').selectAll().where('tenant_id', '=', tenantId);
      if (q.currency !== undefined) query = query.where('currency', '=', q.currency);
      if (q.from !== undefined) query = query.where('rate_date', '>=', q.from);
      if (q.to !== undefined) query = query.where('rate_date', '<=', q.to);
      const rows = await query.orderBy('currency').orderBy('rate_date', 'desc').limit(q.limit).execute();
      return rows.map(fromRow);
    },
  };
}
