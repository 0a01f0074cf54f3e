/** Bad-debt write-offs, the requests waiting for a second approval and the tenant's threshold (migration 3040). */
import type { Selectable } from 'kysely';
import type { WriteOffRecord, WriteOffRepo, WriteOffRequestRecord } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { DateText, Generated, Int8, Timestamp } from '../schema.js';
import { pageLimit, toPage, type Executor } from './shared.js';

export interface BadDebtWriteOffsTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  open_item_id: string;
  customer_id: string;
  currency: string;
  amount_minor: Int8;
  net_minor: Int8;
  vat_minor: Int8;
  base_amount_minor: Int8;
  written_off_on: DateText;
  reason: string;
  request_id: string | null;
  journal_entry_id: string | null;
  created_by: string;
  created_at: Timestamp;
}

export interface WriteOffRequestsTable {
  tenant_id: string;
  id: string;
  invoice_id: string;
  currency: string;
  amount_minor: Int8;
  written_off_on: DateText | null;
  reason: string;
  requested_by: string;
  requested_at: Timestamp;
  status: Generated<WriteOffRequestRecord['status']>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  write_off_id: string | null;
}

type Tables = {
  bad_debt_write_offs: BadDebtWriteOffsTable;
  write_off_requests: WriteOffRequestsTable;
  tenants: { id: string; write_off_approval_threshold_minor: Int8 | null };
};

const writeOffFromRow = (r: Selectable<BadDebtWriteOffsTable>): WriteOffRecord => ({
  id: asId('writeOff', r.id),
  invoiceId: asId('invoice', r.invoice_id),
  openItemId: asId('openItem', r.open_item_id),
  customerId: asId('customer', r.customer_id),
  currency: r.currency,
  amountMinor: r.amount_minor,
  netMinor: r.net_minor,
  vatMinor: r.vat_minor,
  baseAmountMinor: r.base_amount_minor,
  writtenOffOn: r.written_off_on,
  reason: r.reason,
  requestId: r.request_id === null ? null : asId('writeOffRequest', r.request_id),
  journalEntryId: r.journal_entry_id === null ? null : asId('journalEntry', r.journal_entry_id),
  createdBy: r.created_by,
  createdAt: r.created_at,
});

const requestFromRow = (r: Selectable<WriteOffRequestsTable>): WriteOffRequestRecord => ({
  id: asId('writeOffRequest', r.id),
  invoiceId: asId('invoice', r.invoice_id),
  currency: r.currency,
  amountMinor: r.amount_minor,
  writtenOffOn: r.written_off_on,
  reason: r.reason,
  requestedBy: r.requested_by,
  requestedAt: r.requested_at,
  status: r.status,
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  decisionNote: r.decision_note,
  writeOffId: r.write_off_id === null ? null : asId('writeOff', r.write_off_id),
});

export function writeOffRepo(executor: Executor, tenantId: TenantId): WriteOffRepo {
  const db = executor.withTables<Tables>();
  const requestById = (id: string) => db.selectFrom('write_off_requests').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return {
    async insert(w) {
      await db
        .insertInto('bad_debt_write_offs')
        .values({
          tenant_id: tenantId, id: w.id, invoice_id: w.invoiceId, open_item_id: w.openItemId, customer_id: w.customerId, currency: w.currency,
          amount_minor: w.amountMinor, net_minor: w.netMinor, vat_minor: w.vatMinor, base_amount_minor: w.baseAmountMinor,
          written_off_on: w.writtenOffOn, reason: w.reason, request_id: w.requestId, journal_entry_id: w.journalEntryId,
          created_by: w.createdBy, created_at: w.createdAt,
        })
        .execute();
    },
    async listByInvoice(invoiceId) {
      const rows = await db
        .selectFrom('bad_debt_write_offs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', '=', invoiceId)
        .orderBy('id')
        .execute();
      return rows.map(writeOffFromRow);
    },
    async insertRequest(r) {
      await db
        .insertInto('write_off_requests')
        .values({
          tenant_id: tenantId, id: r.id, invoice_id: r.invoiceId, currency: r.currency, amount_minor: r.amountMinor, written_off_on: r.writtenOffOn,
          reason: r.reason, requested_by: r.requestedBy, requested_at: r.requestedAt, status: r.status,
          decided_by: null, decided_at: null, decision_note: null, write_off_id: null,
        })
        .execute();
    },
    async getRequest(id) {
      const r = await requestById(id).executeTakeFirst();
      return r && requestFromRow(r);
    },
    async getRequestForUpdate(id) {
      const r = await requestById(id).forUpdate().executeTakeFirst();
      return r && requestFromRow(r);
    },
    async listRequests(page, filter) {
      const limit = pageLimit(page);
      let q = db.selectFrom('write_off_requests').selectAll().where('tenant_id', '=', tenantId);
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      return toPage(await q.orderBy('id').limit(limit + 1).execute(), limit, requestFromRow);
    },
    async decideRequest(id, d) {
      // the status guard is part of the UPDATE: a request is decided once
      const result = await db
        .updateTable('write_off_requests')
        .set({ status: d.status, decided_by: d.decidedBy, decided_at: d.decidedAt, decision_note: d.note, write_off_id: d.writeOffId })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async threshold() {
      const r = await db.selectFrom('tenants').select('write_off_approval_threshold_minor').where('id', '=', tenantId).executeTakeFirst();
      return r?.write_off_approval_threshold_minor ?? null;
    },
    async setThreshold(minor) {
      await db.updateTable('tenants').set({ write_off_approval_threshold_minor: minor }).where('id', '=', tenantId).execute();
    },
  };
}
