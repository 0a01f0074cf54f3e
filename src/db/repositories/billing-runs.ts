/**
 * Billing runs: each run's parameters and its report (jsonb). The table type is declared here and
 * added to the executor with `withTables`, so this repository needs no edit of the shared schema.ts.
 */
import type { Selectable } from 'kysely';
import type { BillingRunRecord, BillingRunReport, BillingRunRepo } from '../../app/ports.js';
import { asId, type CustomerId, type TenantId } from '../../core/shared/ids.js';
import type { DateText, Generated, Json, Timestamp } from '../schema.js';
import { guardInsert, pageLimit, toJson, toPage, type Executor } from './shared.js';

export interface BillingRunsTable {
  tenant_id: string;
  id: string;
  up_to: DateText;
  issue: boolean;
  customer_id: string | null;
  report: Json;
  actor: string;
  created_at: Generated<Timestamp>;
}

function fromRow(r: Selectable<BillingRunsTable>): BillingRunRecord {
  return {
    id: asId('billingRun', r.id),
    upTo: r.up_to,
    issue: r.issue,
    customerId: r.customer_id === null ? null : (r.customer_id as CustomerId),
    report: r.report as BillingRunReport,
    actor: r.actor,
    createdAt: r.created_at,
  };
}

export function billingRunRepo(executor: Executor, tenantId: TenantId): BillingRunRepo {
  const db = executor.withTables<{ billing_runs: BillingRunsTable }>();
  return {
    async insert(r) {
      await guardInsert(`billing run ${r.id}`, () =>
        db
          .insertInto('billing_runs')
          .values({
            tenant_id: tenantId,
            id: r.id,
            up_to: r.upTo,
            issue: r.issue,
            customer_id: r.customerId,
            report: toJson(r.report),
            actor: r.actor,
            created_at: r.createdAt,
          })
          .execute(),
      );
    },

    async get(id) {
      const row = await db.selectFrom('billing_runs').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return row && fromRow(row);
    },

    async list(page) {
      const limit = pageLimit(page);
      let q = db.selectFrom('billing_runs').selectAll().where('tenant_id', '=', tenantId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, fromRow);
    },
  };
}
