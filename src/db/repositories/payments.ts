import { sql, type Selectable } from 'kysely';
import type { MatchMethod, PaymentRecord, PaymentRepo, PaymentStatus, RefundRecord } from '../../app/ports.js';
import { assert } from '../../core/shared/errors.js';
import { asId, type PaymentId, type TenantId } from '../../core/shared/ids.js';
import { formatRate, parseRate } from '../../core/money/fx.js';
import type { DateText, Int8, Numeric, PaymentsTable, Timestamp } from '../schema.js';
import { keyset, toKeysetPage, type SortColumns } from './list-query.js';
import { guardInsert, pageLimit, type Executor } from './shared.js';

const SORTS: SortColumns = {
  date: { expr: sql.ref('payments.received_on'), type: 'date' },
  amount: { expr: sql.ref('payments.amount_minor'), type: 'bigint' },
};

// The rate and base-currency amounts (migration 2810, decision 0008); a type alias for withTables.
type BaseColumns = {
  payments: {
    exchange_rate: Numeric;
    base_currency: string;
    base_amount_minor: Int8;
    base_unapplied_minor: Int8;
    // migration 2870: returned payments
    status: string;
    returned_on: DateText | null;
    return_reason: string | null;
  };
  // migration 2870: refunds of customer credit
  payment_refunds: {
    tenant_id: string;
    id: string;
    payment_id: string;
    currency: string;
    amount_minor: Int8;
    base_amount_minor: Int8;
    bank_base_minor: Int8;
    fx_difference_minor: Int8;
    refunded_on: DateText;
    reference: string;
    created_by: string;
    created_at: Timestamp;
  };
};

type RefundRow = Selectable<BaseColumns['payment_refunds']>;

function refundFromRow(r: RefundRow): RefundRecord {
  return {
    id: asId('refund', r.id),
    paymentId: asId('payment', r.payment_id),
    currency: r.currency.trim(),
    amountMinor: r.amount_minor,
    baseAmountMinor: r.base_amount_minor,
    bankBaseMinor: r.bank_base_minor,
    fxDifferenceMinor: r.fx_difference_minor,
    refundedOn: r.refunded_on,
    reference: r.reference,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function fromRow(r: Selectable<PaymentsTable & BaseColumns['payments']>): PaymentRecord {
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
    exchangeRate: parseRate(String(r.exchange_rate), 'exchange_rate'),
    baseCurrency: r.base_currency.trim(),
    baseAmountMinor: r.base_amount_minor,
    baseUnappliedMinor: r.base_unapplied_minor,
    status: r.status as PaymentStatus,
    returnedOn: r.returned_on,
    returnReason: r.return_reason,
  };
}

export function paymentRepo(executor: Executor, tenantId: TenantId): PaymentRepo {
  const db = executor.withTables<BaseColumns>();
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
            exchange_rate: formatRate(p.exchangeRate),
            base_currency: p.baseCurrency,
            base_amount_minor: p.baseAmountMinor,
            base_unapplied_minor: p.baseUnappliedMinor,
            status: p.status ?? 'received',
            returned_on: p.returnedOn ?? null,
            return_reason: p.returnReason ?? null,
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
      const rows = await keyset(q, page, SORTS, 'payments.id').limit(limit + 1).execute();
      return toKeysetPage(rows, limit, page, fromRow);
    },

    async reduceUnapplied(id, amountMinor, customerId, baseAmountMinor) {
      assert(amountMinor > 0n, `payment reduction must be positive, got ${amountMinor}`);
      assert(baseAmountMinor === undefined || baseAmountMinor >= 0n, `payment base reduction must not be negative, got ${baseAmountMinor}`);
      // Without a base amount: prorated here, as core prorateBase does (half up; all of it when fully applied).
      const base =
        baseAmountMinor === undefined
          ? sql<bigint>`(case when unapplied_minor = ${amountMinor}::bigint then base_unapplied_minor
               else round(base_unapplied_minor::numeric * ${amountMinor}::bigint / unapplied_minor)::bigint end)`
          : sql<bigint>`${baseAmountMinor}::bigint`;
      const result = await db
        .updateTable('payments')
        .set({
          unapplied_minor: sql`unapplied_minor - ${amountMinor}::bigint`,
          base_unapplied_minor: sql`base_unapplied_minor - ${base}`,
          customer_id: customerId ?? sql`customer_id`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('unapplied_minor', '>=', amountMinor)
        .where(sql<boolean>`base_unapplied_minor >= ${base}`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async increaseUnapplied(id, amountMinor, baseAmountMinor) {
      assert(amountMinor > 0n, `the increase must be positive, got ${amountMinor}`);
      assert(baseAmountMinor >= 0n, `the base increase must not be negative, got ${baseAmountMinor}`);
      const result = await db
        .updateTable('payments')
        .set({
          unapplied_minor: sql`unapplied_minor + ${amountMinor}::bigint`,
          base_unapplied_minor: sql`base_unapplied_minor + ${baseAmountMinor}::bigint`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where(sql<boolean>`unapplied_minor + ${amountMinor}::bigint <= amount_minor`)
        .where(sql<boolean>`base_unapplied_minor + ${baseAmountMinor}::bigint <= base_amount_minor`)
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

    async markReturned(id, returnedOn, reason) {
      const result = await db
        .updateTable('payments')
        .set({ status: 'returned', returned_on: returnedOn, return_reason: reason, unapplied_minor: 0n, base_unapplied_minor: 0n })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'received')
        .where(sql<boolean>`unapplied_minor = amount_minor`)
        .where(sql<boolean>`base_unapplied_minor = base_amount_minor`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async insertRefund(r) {
      await guardInsert(`refund ${r.id}`, () =>
        db
          .insertInto('payment_refunds')
          .values({
            tenant_id: tenantId,
            id: r.id,
            payment_id: r.paymentId,
            currency: r.currency,
            amount_minor: r.amountMinor,
            base_amount_minor: r.baseAmountMinor,
            bank_base_minor: r.bankBaseMinor,
            fx_difference_minor: r.fxDifferenceMinor,
            refunded_on: r.refundedOn,
            reference: r.reference,
            created_by: r.createdBy,
            created_at: r.createdAt,
          })
          .execute(),
      );
    },

    async listRefunds(paymentId) {
      const rows = await db
        .selectFrom('payment_refunds')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('payment_id', '=', paymentId)
        .orderBy('id')
        .execute();
      return rows.map(refundFromRow);
    },
  };
}
