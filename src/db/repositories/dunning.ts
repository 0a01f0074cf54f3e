/**
 * Dunning (migration 2920): settings and levels, reference rates, runs (one per tenant and date),
 * reminders with their items, per-invoice dunning state and the charge invoices dunning issued. The
 * table types are declared here and added with `withTables`, so the shared schema.ts needs no edit.
 */
import { sql, type Selectable } from 'kysely';
import type {
  DunningCandidate, DunningRepo, DunningRunRecord, PartySnapshot, ReminderItemRecord, ReminderRecord,
} from '../../app/ports.js';
import { asId, type CustomerId, type InvoiceId, type OrderId, type TenantId } from '../../core/shared/ids.js';
import type { DateText, Generated, Json, Numeric, Timestamp } from '../schema.js';
import { dec, decText, groupBy, guardInsert, pageLimit, toJson, toPage, type Executor } from './shared.js';

interface DunningSettingsTable {
  tenant_id: string;
  enabled: boolean;
  fee_cap_minor: bigint;
  interest_enabled: boolean;
  interest_margin: Numeric;
  interest_minimum_minor: bigint;
  updated_at: Generated<Timestamp>;
}
interface DunningLevelsTable {
  tenant_id: string;
  level: number;
  days_after_due: number;
  fee_minor: bigint;
}
interface ReferenceRatesTable {
  tenant_id: string;
  rate_date: DateText;
  rate: Numeric;
  updated_at: Generated<Timestamp>;
}
interface DunningRunsTable {
  tenant_id: string;
  id: string;
  run_date: DateText;
  report: Json | null;
  actor: string;
  created_at: Generated<Timestamp>;
}
interface RemindersTable {
  tenant_id: string;
  id: string;
  number: string;
  run_id: string;
  customer_id: string;
  currency: string;
  reminder_date: DateText;
  language: 'sv' | 'en';
  level: number;
  open_total_minor: bigint;
  fee_minor: bigint;
  fee_invoice_id: string | null;
  interest_minor: bigint;
  interest_invoice_id: string | null;
  buyer: Json;
  created_at: Generated<Timestamp>;
}
interface ReminderItemsTable {
  tenant_id: string;
  reminder_id: string;
  line_no: number;
  invoice_id: string;
  invoice_number: string;
  issue_date: DateText;
  due_date: DateText;
  days_overdue: number;
  original_minor: bigint;
  open_minor: bigint;
  level: number;
  escalated: boolean;
  interest_minor: Generated<bigint>;
}
interface InvoiceDunningTable {
  tenant_id: string;
  invoice_id: string;
  overdue_reported_on: DateText | null;
  last_level: Generated<number>;
  interest_through: DateText | null;
}
interface DunningChargesTable {
  tenant_id: string;
  invoice_id: string;
  kind: 'reminder_fee' | 'interest';
  reminder_id: string | null;
  details: Json;
}

type Tables = {
  dunning_settings: DunningSettingsTable;
  dunning_levels: DunningLevelsTable;
  reference_rates: ReferenceRatesTable;
  dunning_runs: DunningRunsTable;
  reminders: RemindersTable;
  reminder_items: ReminderItemsTable;
  invoice_dunning: InvoiceDunningTable;
  dunning_charges: DunningChargesTable;
};

const big = (v: bigint | number | string): bigint => BigInt(v);

function runFromRow(r: Selectable<DunningRunsTable>): DunningRunRecord {
  return { id: asId('dunningRun', r.id), runDate: r.run_date, report: r.report, actor: r.actor, createdAt: r.created_at };
}

function itemFromRow(r: Selectable<ReminderItemsTable>): ReminderItemRecord {
  return {
    lineNo: r.line_no,
    invoiceId: r.invoice_id as InvoiceId,
    invoiceNumber: r.invoice_number,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    daysOverdue: r.days_overdue,
    originalMinor: big(r.original_minor),
    openMinor: big(r.open_minor),
    level: r.level,
    escalated: r.escalated,
    interestMinor: big(r.interest_minor),
  };
}

function reminderFromRow(r: Selectable<RemindersTable>, items: Selectable<ReminderItemsTable>[]): ReminderRecord {
  return {
    id: asId('reminder', r.id),
    number: r.number,
    runId: asId('dunningRun', r.run_id),
    customerId: r.customer_id as CustomerId,
    currency: r.currency.trim(),
    reminderDate: r.reminder_date,
    language: r.language,
    level: r.level,
    openTotalMinor: big(r.open_total_minor),
    feeMinor: big(r.fee_minor),
    feeInvoiceId: r.fee_invoice_id as InvoiceId | null,
    interestMinor: big(r.interest_minor),
    interestInvoiceId: r.interest_invoice_id as InvoiceId | null,
    buyer: r.buyer as PartySnapshot,
    createdAt: r.created_at,
    items: items.map(itemFromRow).sort((a, b) => a.lineNo - b.lineNo),
  };
}

export function dunningRepo(executor: Executor, tenantId: TenantId): DunningRepo {
  const db = executor.withTables<Tables>();

  async function withItems(rows: Selectable<RemindersTable>[]): Promise<ReminderRecord[]> {
    if (rows.length === 0) return [];
    const items = await db
      .selectFrom('reminder_items')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('reminder_id', 'in', rows.map((r) => r.id))
      .orderBy('reminder_id')
      .orderBy('line_no')
      .execute();
    const by = groupBy(items, (i) => i.reminder_id);
    return rows.map((r) => reminderFromRow(r, by.get(r.id) ?? []));
  }

  async function ensureState(invoiceId: InvoiceId): Promise<void> {
    await db
      .insertInto('invoice_dunning')
      .values({ tenant_id: tenantId, invoice_id: invoiceId, overdue_reported_on: null, interest_through: null })
      .onConflict((oc) => oc.columns(['tenant_id', 'invoice_id']).doNothing())
      .execute();
  }

  return {
    async settings() {
      const row = await db.selectFrom('dunning_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
      if (!row) return undefined;
      const levels = await db.selectFrom('dunning_levels').selectAll().where('tenant_id', '=', tenantId).orderBy('level').execute();
      return {
        enabled: row.enabled,
        feeCapMinor: big(row.fee_cap_minor),
        interestEnabled: row.interest_enabled,
        interestMargin: dec(String(row.interest_margin)),
        interestMinimumMinor: big(row.interest_minimum_minor),
        levels: levels.map((l) => ({ level: l.level, daysAfterDue: l.days_after_due, feeMinor: big(l.fee_minor) })),
        updatedAt: row.updated_at,
      };
    },

    async saveSettings(s, at) {
      const values = {
        enabled: s.enabled,
        fee_cap_minor: s.feeCapMinor,
        interest_enabled: s.interestEnabled,
        interest_margin: decText(s.interestMargin),
        interest_minimum_minor: s.interestMinimumMinor,
        updated_at: at,
      };
      await db
        .insertInto('dunning_settings')
        .values({ tenant_id: tenantId, ...values })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
        .execute();
      await db.deleteFrom('dunning_levels').where('tenant_id', '=', tenantId).execute();
      await db
        .insertInto('dunning_levels')
        .values(s.levels.map((l) => ({ tenant_id: tenantId, level: l.level, days_after_due: l.daysAfterDue, fee_minor: l.feeMinor })))
        .execute();
    },

    async upsertReferenceRate(r) {
      const values = { rate: decText(r.rate), updated_at: r.updatedAt };
      await db
        .insertInto('reference_rates')
        .values({ tenant_id: tenantId, rate_date: r.date, ...values })
        .onConflict((oc) => oc.columns(['tenant_id', 'rate_date']).doUpdateSet(values))
        .execute();
    },

    async referenceRates(q) {
      let query = db.selectFrom('reference_rates').selectAll().where('tenant_id', '=', tenantId);
      if (q.to !== undefined) query = query.where('rate_date', '<=', q.to);
      const rows = await query.orderBy('rate_date').execute();
      return rows.map((r) => ({ date: r.rate_date, rate: dec(String(r.rate)), updatedAt: r.updated_at }));
    },

    async claimRun(r) {
      const inserted = await db
        .insertInto('dunning_runs')
        .values({ tenant_id: tenantId, id: r.id, run_date: r.runDate, report: null, actor: r.actor, created_at: r.createdAt })
        .onConflict((oc) => oc.columns(['tenant_id', 'run_date']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return inserted !== undefined;
    },

    async runOn(date) {
      const row = await db.selectFrom('dunning_runs').selectAll().where('tenant_id', '=', tenantId).where('run_date', '=', date).executeTakeFirst();
      return row && runFromRow(row);
    },

    async setRunReport(id, report) {
      await db.updateTable('dunning_runs').set({ report: toJson(report) }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    async overdueCandidates(asOf, filter = {}) {
      let q = executor
        .selectFrom('ar_open_items as oi')
        .innerJoin('invoices as i', (j) => j.onRef('i.tenant_id', '=', 'oi.tenant_id').onRef('i.id', '=', 'oi.invoice_id'))
        .select([
          'oi.invoice_id', 'oi.customer_id', 'oi.currency', 'oi.due_date', 'oi.original_minor', 'oi.open_minor',
          'i.number', 'i.issue_date', 'i.order_id',
        ])
        .where('oi.tenant_id', '=', tenantId)
        .where('oi.open_minor', '>', 0n as never)
        .where('oi.due_date', '<', asOf as never)
        .where('i.status', '=', 'issued')
        // dunning's own fee and interest invoices are never reminded (no interest on interest)
        .where(sql<boolean>`not exists (select 1 from dunning_charges dc where dc.tenant_id = oi.tenant_id and dc.invoice_id = oi.invoice_id)`)
        .orderBy('oi.customer_id')
        .orderBy('oi.currency')
        .orderBy('oi.due_date')
        .orderBy('oi.invoice_id');
      if (filter.customerId !== undefined) q = q.where('oi.customer_id', '=', filter.customerId);
      if (filter.currency !== undefined) q = q.where('oi.currency', '=', filter.currency as never);
      const rows = await q.execute();
      const open = rows;
      if (open.length === 0) return [];
      const ids = open.map((r) => r.invoice_id);
      const state = new Map(
        (await db.selectFrom('invoice_dunning').selectAll().where('tenant_id', '=', tenantId).where('invoice_id', 'in', ids).execute()).map((r) => [
          r.invoice_id,
          r,
        ]),
      );
      const lineOrders = await executor
        .selectFrom('invoice_lines')
        .select(['invoice_id', 'order_id'])
        .distinct()
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', 'in', ids)
        .execute();
      const orders = new Map<string, Set<string>>();
      for (const l of lineOrders) orders.set(l.invoice_id, (orders.get(l.invoice_id) ?? new Set()).add(l.order_id));
      return open.map((r): DunningCandidate => {
        const st = state.get(r.invoice_id);
        const orderIds = new Set(orders.get(r.invoice_id) ?? []);
        if (r.order_id !== null) orderIds.add(r.order_id);
        return {
          invoiceId: r.invoice_id as InvoiceId,
          invoiceNumber: r.number ?? '',
          customerId: r.customer_id as CustomerId,
          currency: String(r.currency).trim(),
          issueDate: String(r.issue_date),
          dueDate: String(r.due_date),
          originalMinor: big(r.original_minor as bigint),
          openMinor: big(r.open_minor as bigint),
          orderIds: [...orderIds].sort() as OrderId[],
          lastLevel: st?.last_level ?? 0,
          overdueReportedOn: st?.overdue_reported_on ?? null,
          interestThrough: st?.interest_through ?? null,
        };
      });
    },

    async ordersWithOpenClaims(orderIds) {
      if (orderIds.length === 0) return new Set();
      const rows = await executor
        .selectFrom('claims')
        .select('order_id')
        .distinct()
        .where('tenant_id', '=', tenantId)
        .where('order_id', 'in', [...orderIds])
        .where('status', '=', 'open')
        .execute();
      return new Set(rows.map((r) => r.order_id));
    },

    async markOverdueReported(invoiceId, on) {
      await ensureState(invoiceId);
      await db
        .updateTable('invoice_dunning')
        .set({ overdue_reported_on: on })
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', '=', invoiceId)
        .where('overdue_reported_on', 'is', null)
        .execute();
    },

    async setLastLevel(invoiceId, level) {
      await ensureState(invoiceId);
      await db.updateTable('invoice_dunning').set({ last_level: level }).where('tenant_id', '=', tenantId).where('invoice_id', '=', invoiceId).execute();
    },

    async setInterestThrough(invoiceId, through) {
      await ensureState(invoiceId);
      await db
        .updateTable('invoice_dunning')
        .set({ interest_through: through })
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', '=', invoiceId)
        .execute();
    },

    async insertReminder(r) {
      await guardInsert(`reminder ${r.id}`, async () => {
        await db
          .insertInto('reminders')
          .values({
            tenant_id: tenantId,
            id: r.id,
            number: r.number,
            run_id: r.runId,
            customer_id: r.customerId,
            currency: r.currency,
            reminder_date: r.reminderDate,
            language: r.language,
            level: r.level,
            open_total_minor: r.openTotalMinor,
            fee_minor: r.feeMinor,
            fee_invoice_id: r.feeInvoiceId,
            interest_minor: r.interestMinor,
            interest_invoice_id: r.interestInvoiceId,
            buyer: toJson(r.buyer),
            created_at: r.createdAt,
          })
          .execute();
        await db
          .insertInto('reminder_items')
          .values(
            r.items.map((i) => ({
              tenant_id: tenantId,
              reminder_id: r.id,
              line_no: i.lineNo,
              invoice_id: i.invoiceId,
              invoice_number: i.invoiceNumber,
              issue_date: i.issueDate,
              due_date: i.dueDate,
              days_overdue: i.daysOverdue,
              original_minor: i.originalMinor,
              open_minor: i.openMinor,
              level: i.level,
              escalated: i.escalated,
              interest_minor: i.interestMinor,
            })),
          )
          .execute();
      });
    },

    async getReminder(id) {
      const row = await db.selectFrom('reminders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      return (await withItems([row]))[0];
    },

    async listReminders(page, filter = {}) {
      const limit = pageLimit(page);
      let q = db.selectFrom('reminders').selectAll().where('tenant_id', '=', tenantId);
      if (filter.customerId !== undefined) q = q.where('customer_id', '=', filter.customerId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      const p = toPage(rows, limit, (r) => r);
      return { data: await withItems(p.data), hasMore: p.hasMore };
    },

    async insertCharge(c) {
      await db
        .insertInto('dunning_charges')
        .values({ tenant_id: tenantId, invoice_id: c.invoiceId, kind: c.kind, reminder_id: c.reminderId, details: toJson(c.details) })
        .execute();
    },

    async getCharge(invoiceId) {
      const r = await db.selectFrom('dunning_charges').selectAll().where('tenant_id', '=', tenantId).where('invoice_id', '=', invoiceId).executeTakeFirst();
      return r && { invoiceId: r.invoice_id as InvoiceId, kind: r.kind, reminderId: r.reminder_id === null ? null : asId('reminder', r.reminder_id), details: r.details };
    },
  };
}
