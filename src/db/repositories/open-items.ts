import { sql, type Selectable } from 'kysely';
import type { OpenItemRecord, OpenItemRepo } from '../../app/ports.js';
import { assert } from '../../core/shared/errors.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { ArOpenItemsTable, Generated, Int8 } from '../schema.js';
import { guardInsert, type Executor } from './shared.js';

// The base-currency amounts (migration 2810, decision 0008) and the bad-debt write-offs (migration
// 3040); a type alias for withTables.
type BaseColumns = {
  ar_open_items: {
    base_original_minor: Int8;
    base_open_minor: Int8;
    written_off_minor: Generated<Int8>;
  };
};

function fromRow(r: Selectable<ArOpenItemsTable & BaseColumns['ar_open_items']>): OpenItemRecord {
  return {
    id: asId('openItem', r.id),
    customerId: asId('customer', r.customer_id),
    invoiceId: asId('invoice', r.invoice_id),
    currency: r.currency,
    documentDate: r.document_date,
    dueDate: r.due_date,
    originalMinor: r.original_minor,
    openMinor: r.open_minor,
    baseOriginalMinor: r.base_original_minor,
    baseOpenMinor: r.base_open_minor,
    // absent when nothing was written off (the port's "absent = 0"), so an item round-trips as inserted
    ...(r.written_off_minor > 0n ? { writtenOffMinor: r.written_off_minor } : {}),
  };
}

export function openItemRepo(executor: Executor, tenantId: TenantId): OpenItemRepo {
  const db = executor.withTables<BaseColumns>();
  return {
    async insert(o) {
      await guardInsert(`open item ${o.id} (invoice ${o.invoiceId})`, () =>
        db
          .insertInto('ar_open_items')
          .values({
            tenant_id: tenantId,
            id: o.id,
            customer_id: o.customerId,
            invoice_id: o.invoiceId,
            currency: o.currency,
            document_date: o.documentDate,
            due_date: o.dueDate,
            original_minor: o.originalMinor,
            open_minor: o.openMinor,
            base_original_minor: o.baseOriginalMinor,
            base_open_minor: o.baseOpenMinor,
          })
          .execute(),
      );
    },

    async getByInvoice(invoiceId) {
      const row = await db
        .selectFrom('ar_open_items')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', '=', invoiceId)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async getByInvoicesForUpdate(invoiceIds) {
      if (invoiceIds.length === 0) return [];
      // id order: concurrent appliers lock in the same order and cannot deadlock each other
      const rows = await db
        .selectFrom('ar_open_items')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', 'in', invoiceIds)
        .orderBy('id')
        .forUpdate()
        .execute();
      return rows.map(fromRow);
    },

    async reduce(id, amountMinor, baseAmountMinor) {
      assert(amountMinor > 0n, `open item reduction must be positive, got ${amountMinor}`);
      assert(baseAmountMinor === undefined || baseAmountMinor >= 0n, `open item base reduction must not be negative, got ${baseAmountMinor}`);
      // Without a base amount: prorated here, as core prorateBase does (half up; all of it when the item closes).
      const base =
        baseAmountMinor === undefined
          ? sql<bigint>`(case when open_minor = ${amountMinor}::bigint then base_open_minor
               else round(base_open_minor::numeric * ${amountMinor}::bigint / open_minor)::bigint end)`
          : sql<bigint>`${baseAmountMinor}::bigint`;
      const result = await db
        .updateTable('ar_open_items')
        .set({
          open_minor: sql`open_minor - ${amountMinor}::bigint`,
          base_open_minor: sql`base_open_minor - ${base}`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('open_minor', '>=', amountMinor)
        .where(sql<boolean>`base_open_minor >= ${base}`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async writeOff(id, amountMinor, baseAmountMinor) {
      assert(amountMinor > 0n, `open item write-off must be positive, got ${amountMinor}`);
      assert(baseAmountMinor >= 0n, `open item base write-off must not be negative, got ${baseAmountMinor}`);
      const result = await db
        .updateTable('ar_open_items')
        .set({
          open_minor: sql`open_minor - ${amountMinor}::bigint`,
          base_open_minor: sql`base_open_minor - ${baseAmountMinor}::bigint`,
          written_off_minor: sql`written_off_minor + ${amountMinor}::bigint`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('open_minor', '>=', amountMinor)
        .where('base_open_minor', '>=', baseAmountMinor)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async restore(id, amountMinor, baseAmountMinor) {
      assert(amountMinor > 0n, `open item restore must be positive, got ${amountMinor}`);
      assert(baseAmountMinor >= 0n, `open item base restore must not be negative, got ${baseAmountMinor}`);
      const result = await db
        .updateTable('ar_open_items')
        .set({
          open_minor: sql`open_minor + ${amountMinor}::bigint`,
          base_open_minor: sql`base_open_minor + ${baseAmountMinor}::bigint`,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where(sql<boolean>`open_minor + ${amountMinor}::bigint <= original_minor`)
        .where(sql<boolean>`base_open_minor + ${baseAmountMinor}::bigint <= base_original_minor`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async listOpen(filter) {
      if (filter.asOf === undefined) {
        let q = db.selectFrom('ar_open_items').selectAll().where('tenant_id', '=', tenantId).where('open_minor', '>', 0n);
        if (filter.customerId !== undefined) q = q.where('customer_id', '=', filter.customerId);
        const rows = await q.orderBy('customer_id').orderBy('due_date').orderBy('id').execute();
        return rows.map(fromRow);
      }
      // As of a date: the items issued by then, less what was applied to them by then (later
      // applications do not count; with what was written off and withheld as bank fees; an allocation
      // reversed by then does not count either), less what credit notes issued by then took off the
      // receivable and less the bad debts written off by then, so a past as-of date gives the aging as
      // it stood that day.
      const asOf = filter.asOf;
      const openAsOf = sql<bigint>`(oi.original_minor - coalesce((
          select sum(a.amount_minor + a.write_off_minor + a.bank_fee_minor) from payment_allocations a
           where a.tenant_id = oi.tenant_id and a.open_item_id = oi.id and a.applied_on <= ${asOf}::date
             and (a.reversed_on is null or a.reversed_on > ${asOf}::date)), 0)
        - coalesce((
          select sum(cn.receivable_minor) from credit_notes cn
           where cn.tenant_id = oi.tenant_id and cn.invoice_id = oi.invoice_id and cn.status = 'issued'
             and cn.issue_date <= ${asOf}::date), 0)
        - coalesce((
          select sum(w.amount_minor) from bad_debt_write_offs w
           where w.tenant_id = oi.tenant_id and w.open_item_id = oi.id and w.written_off_on <= ${asOf}::date), 0))::bigint`;
      let q = db
        .selectFrom('ar_open_items as oi')
        .selectAll('oi')
        .select(openAsOf.as('open_as_of'))
        .where('oi.tenant_id', '=', tenantId)
        .where('oi.document_date', '<=', asOf)
        .where(openAsOf, '>', 0n);
      if (filter.customerId !== undefined) q = q.where('oi.customer_id', '=', filter.customerId);
      const rows = await q.orderBy('oi.customer_id').orderBy('oi.due_date').orderBy('oi.id').execute();
      return rows.map((r) => ({ ...fromRow(r), openMinor: r.open_as_of }));
    },

    /*
     * The open amount of an item as of a date D (aging, customer balance as of a day):
     *
     *   open(D) = original amount (the item exists only if its invoice's document date ≤ D)
     *           − Σ allocations of it with applied_on ≤ D that were not reversed by D (reversed_on null or
     *             > D), each counting amount + write-off + bank fee: what the allocation took off the item.
     *             Dated by applied_on, the day the receivable went down, not the payment's received_on
     *             (received but unapplied cash is customer credit on 2420, not a smaller receivable);
     *             an allocation reversed (unapplied, or its payment returned) counts until its reversal date;
     *           − Σ what credit notes issued on or before D (issue_date ≤ D, status issued) took off it: the
     *             credit on the receivable account in the credit note's journal entry (the part of the note
     *             that did not become customer credit, with any öre rounding it reversed). Credit-note
     *             releases (the excess handed back to payments as customer credit) do not touch the item;
     *           − Σ the bad debts written off on or before D (bad_debt_write_offs, written_off_on ≤ D; a
     *             write-off dated in a closed period is refused, so that is also its entry's date).
     *
     * Later allocations, credit notes and reversals are ignored. The base (functional currency) value
     * is the same rule over base_original_minor, the allocations' base_open_minor + write_off_base_minor
     * + bank_fee_base_minor, the credit on the receivable account in base and the write-offs'
     * base_amount_minor. Nothing else changes an open item (apply-payment, unapply/return,
     * issue-credit-note and write-off-invoice are the only writers), so for D =
     * today open(D) = open_minor and base_open_minor (test/e2e/aging.test.ts checks it).
     */
    async agingPage(filter, afterId, limit) {
      assert(Number.isSafeInteger(limit) && limit > 0 && limit <= 50_000, `aging page size out of range: ${limit}`);
      const asOf = filter.asOf;
      const rows = await sql<{
        id: string; customer_id: string; currency: string; due_date: string; open_minor: bigint; base_open_minor: bigint;
      }>`
        select oi.id, oi.customer_id, oi.currency, oi.due_date,
               (oi.original_minor - coalesce(a.doc, 0) - coalesce(c.doc, 0) - coalesce(w.doc, 0))::bigint as open_minor,
               (oi.base_original_minor - coalesce(a.base, 0) - coalesce(c.base, 0) - coalesce(w.base, 0))::bigint as base_open_minor
          from ar_open_items oi
          left join lateral (
            select sum(pa.amount_minor + pa.write_off_minor + pa.bank_fee_minor) as doc,
                   sum(pa.base_open_minor + pa.write_off_base_minor + pa.bank_fee_base_minor) as base
              from payment_allocations pa
             where pa.tenant_id = oi.tenant_id and pa.invoice_id = oi.invoice_id and pa.open_item_id = oi.id
               and pa.applied_on <= ${asOf}::date
               and (pa.reversed_on is null or pa.reversed_on > ${asOf}::date)
          ) a on true
          left join lateral (
            select sum(case when jl.amount_currency is null then jl.credit_minor - jl.debit_minor
                            when jl.credit_minor > 0 then jl.amount_minor else -jl.amount_minor end) as doc,
                   sum(jl.credit_minor - jl.debit_minor) as base
              from credit_notes cn
              join journal_entries je on je.tenant_id = cn.tenant_id and je.source_id = cn.id and je.source_type = 'credit_note'
              join journal_lines jl on jl.tenant_id = je.tenant_id and jl.entry_id = je.id
                                   and jl.account = ${filter.receivableAccount} and jl.customer_id = cn.customer_id
             where cn.tenant_id = oi.tenant_id and cn.invoice_id = oi.invoice_id and cn.status = 'issued'
               and cn.issue_date <= ${asOf}::date
          ) c on true
          left join lateral (
            select sum(bw.amount_minor) as doc, sum(bw.base_amount_minor) as base
              from bad_debt_write_offs bw
             where bw.tenant_id = oi.tenant_id and bw.open_item_id = oi.id and bw.written_off_on <= ${asOf}::date
          ) w on true
         where oi.tenant_id = ${tenantId}
           and oi.document_date <= ${asOf}::date
           ${filter.customerId === undefined ? sql`` : sql`and oi.customer_id = ${filter.customerId}`}
           ${afterId === null ? sql`` : sql`and oi.id > ${afterId}`}
         order by oi.id
         limit ${limit}`.execute(db);
      return rows.rows.map((r) => ({
        id: asId('openItem', r.id),
        customerId: asId('customer', r.customer_id),
        currency: r.currency,
        dueDate: r.due_date,
        openMinor: BigInt(r.open_minor),
        baseOpenMinor: BigInt(r.base_open_minor),
      }));
    },

    async openTotals(customerId) {
      let q = db
        .selectFrom('ar_open_items')
        .select(['currency', sql<bigint>`sum(open_minor)::bigint`.as('open_minor')])
        .where('tenant_id', '=', tenantId)
        .where('open_minor', '>', 0n);
      if (customerId !== undefined) q = q.where('customer_id', '=', customerId);
      const rows = await q.groupBy('currency').orderBy('currency').execute();
      return rows.map((r) => ({ currency: r.currency, openMinor: r.open_minor }));
    },
  };
}
