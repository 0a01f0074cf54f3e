import { sql, type Selectable } from 'kysely';
import type { MatchMethod, PaymentRecord, PaymentRepo } from '../../app/ports.js';
import { assert } from '../../core/shared/errors.js';
import { asId, type PaymentId, type TenantId } from '../../core/shared/ids.js';
import type { PaymentsTable } from '../schema.js';
import { guardInsert, pageLimit, toPage, type Executor } from './shared.js';

function fromRow(r: Selectable<PaymentsTable>): PaymentRecord {
  return {
    id: asId('payment', r.id),
    customerId: r.customer_id === null ? null : asId('customer', r.customer_id),
    currency: r.currency,
    amountMinor: r.amount_minor,
    unappliedMinor: r.unapplied_minor,
    receivedOn: r.received_on,
    payerName: r.payer_name,
    payerAccount: r.payer_account,
    referenceText: r.reference_text,
    matchedInvoiceId: r.matched_invoice_id === null ? null : asId('invoice', r.matched_invoice_id),
    matchMethod: r.match_method as MatchMethod | null,
    createdAt: r.created_at,
  };
}

export function paymentRepo(db: Executor, tenantId: TenantId): PaymentRepo {
  async function load(id: PaymentId, forUpdate: boolean): Promise<PaymentRecord | undefined> {
    let q = db.selectFrom('payments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row && fromRow(row);
  }

  return {
    async insert(p) {
      await guardInsert(`payment ${p.id}`, () =>
        db
          .insertInto('payments')
          .values({
            tenant_id: tenantId,
            id: p.id,
            customer_id: p.customerId,
            currency: p.currency,
            amount_minor: p.amountMinor,
            unapplied_minor: p.unappliedMinor,
            received_on: p.receivedOn,
            payer_name: p.payerName,
            payer_account: p.payerAccount,
            reference_text: p.referenceText,
            matched_invoice_id: p.matchedInvoiceId,
            match_method: p.matchMethod,
            created_at: p.createdAt,
          })
          .execute(),
      );
    },

    get: (id) => load(id, false),
    getForUpdate: (id) => load(id, true),

    async list(page, filter) {
      const limit = pageLimit(page);
      let q = db.selectFrom('payments').selectAll().where('tenant_id', '=', tenantId);
      if (filter?.unappliedOnly) q = q.where('unapplied_minor', '>', 0n);
      if (filter?.customerId !== undefined) q = q.where('customer_id', '=', filter.customerId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, fromRow);
    },

    async reduceUnapplied(id, amountMinor, customerId) {
      assert(amountMinor > 0n, `payment reduction must be positive, got ${amountMinor}`);
      const result = await db
        .updateTable('payments')
        .set({ unapplied_minor: sql`unapplied_minor - ${amountMinor}::bigint`, customer_id: customerId })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('unapplied_minor', '>=', amountMinor)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async unappliedTotals(customerId) {
      const rows = await db
        .selectFrom('payments')
        .select(['currency', sql<bigint>`sum(unapplied_minor)::bigint`.as('unapplied_minor')])
        .where('tenant_id', '=', tenantId)
        .where('customer_id', '=', customerId)
        .where('unapplied_minor', '>', 0n)
        .groupBy('currency')
        .orderBy('currency')
        .execute();
      return rows.map((r) => ({ currency: r.currency, unappliedMinor: r.unapplied_minor }));
    },
  };
}
