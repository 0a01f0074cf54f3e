import type { Selectable } from 'kysely';
import type { AllocationRecord, AllocationRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { DateText, Int8, PaymentAllocationsTable, Timestamp } from '../schema.js';
import { guardInsert, type Executor } from './shared.js';

// The base-currency values and the realised FX difference (migration 2810, decision 0008).
type BaseColumns = {
  payment_allocations: {
    base_amount_minor: Int8;
    base_open_minor: Int8;
    fx_difference_minor: Int8;
    // migration 2870: write-off, bank fee, reversal
    write_off_minor: Int8;
    write_off_base_minor: Int8;
    bank_fee_minor: Int8;
    bank_fee_base_minor: Int8;
    reversed_at: Timestamp | null;
    reversed_on: DateText | null;
    reversed_by: string | null;
  };
};

function fromRow(r: Selectable<PaymentAllocationsTable & BaseColumns['payment_allocations']>): AllocationRecord {
  return {
    id: asId('allocation', r.id),
    paymentId: asId('payment', r.payment_id),
    openItemId: asId('openItem', r.open_item_id),
    invoiceId: asId('invoice', r.invoice_id),
    amountMinor: r.amount_minor,
    appliedOn: r.applied_on,
    createdAt: r.created_at,
    baseAmountMinor: r.base_amount_minor,
    baseOpenMinor: r.base_open_minor,
    fxDifferenceMinor: r.fx_difference_minor,
    writeOffMinor: r.write_off_minor,
    writeOffBaseMinor: r.write_off_base_minor,
    bankFeeMinor: r.bank_fee_minor,
    bankFeeBaseMinor: r.bank_fee_base_minor,
    reversedAt: r.reversed_at,
    reversedOn: r.reversed_on,
    reversedBy: r.reversed_by,
  };
}

export function allocationRepo(executor: Executor, tenantId: TenantId): AllocationRepo {
  const db = executor.withTables<BaseColumns>();
  return {
    async insert(a) {
      await guardInsert(`allocation ${a.id}`, () =>
        db
          .insertInto('payment_allocations')
          .values({
            tenant_id: tenantId,
            id: a.id,
            payment_id: a.paymentId,
            open_item_id: a.openItemId,
            invoice_id: a.invoiceId,
            amount_minor: a.amountMinor,
            applied_on: a.appliedOn,
            created_at: a.createdAt,
            base_amount_minor: a.baseAmountMinor,
            base_open_minor: a.baseOpenMinor,
            fx_difference_minor: a.fxDifferenceMinor,
            write_off_minor: a.writeOffMinor ?? 0n,
            write_off_base_minor: a.writeOffBaseMinor ?? 0n,
            bank_fee_minor: a.bankFeeMinor ?? 0n,
            bank_fee_base_minor: a.bankFeeBaseMinor ?? 0n,
          })
          .execute(),
      );
    },

    async listByPayment(paymentId) {
      const rows = await db
        .selectFrom('payment_allocations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('payment_id', '=', paymentId)
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    },

    async listByInvoice(invoiceId) {
      const rows = await db
        .selectFrom('payment_allocations')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', '=', invoiceId)
        .where('reversed_at', 'is', null)
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    },

    async markReversed(id, reversal) {
      const result = await db
        .updateTable('payment_allocations')
        .set({ reversed_at: reversal.at, reversed_on: reversal.on, reversed_by: reversal.by })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('reversed_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
