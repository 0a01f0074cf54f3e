/**
 * Bank imports, bank transactions, learned payer accounts and the tenant's matching settings
 * (migration 2840). New lines are inserted with ON CONFLICT DO NOTHING on (tenant, account, natural
 * key), in chunks, and the rows actually inserted are returned, so a re-import adds nothing and says
 * so.
 */
import { sql, type Selectable } from 'kysely';
import type { BankImportRecord, BankRepo, BankTransactionRecord } from '../../app/ports.js';
import { asId, type CustomerId, type InvoiceId, type PaymentId, type TenantId } from '../../core/shared/ids.js';
import type { DateText, Generated, Int8, Json, Timestamp } from '../schema.js';
import { keyset, toKeysetPage, type SortColumns } from './list-query.js';
import { chunked, pageLimit, toJson, type Executor } from './shared.js';

const SORTS: SortColumns = {
  date: { expr: sql.ref('bank_transactions.booking_date'), type: 'date' },
  amount: { expr: sql.ref('bank_transactions.amount_minor'), type: 'bigint' },
};

export interface BankImportsTable {
  tenant_id: string;
  id: string;
  format: BankImportRecord['format'];
  file_name: string | null;
  file_sha256: string;
  file_id: string | null;
  report: Json;
  actor: string;
  created_at: Generated<Timestamp>;
}

export interface BankTransactionsTable {
  tenant_id: string;
  id: string;
  import_id: string;
  natural_key: string;
  account: string;
  booking_date: DateText;
  value_date: DateText | null;
  currency: string;
  amount_minor: Int8;
  payer_name: string | null;
  payer_account: string | null;
  payer_org_number: string | null;
  payer_address: string | null;
  refs: Json;
  text: string | null;
  bank_reference: string | null;
  source: string;
  status: BankTransactionRecord['status'];
  payment_id: string | null;
  match: Json | null;
  ignored_reason: string | null;
  created_at: Generated<Timestamp>;
}

export interface PayerAccountsTable {
  tenant_id: string;
  account: string;
  customer_id: string;
  learned_from: string;
  created_at: Generated<Timestamp>;
}

interface TenantMatchColumns {
  id: string;
  match_auto_threshold: number;
  match_tolerance_minor: Int8;
  match_tolerance_bp: number;
}

type Tables = {
  ar_open_items: { tenant_id: string; invoice_id: string; customer_id: string; currency: string; open_minor: Int8 };
  invoices: { tenant_id: string; id: string; number: string | null; payment_reference: string | null };
  customers: { tenant_id: string; id: string; name: string };
  bank_imports: BankImportsTable;
  bank_transactions: BankTransactionsTable;
  payer_accounts: PayerAccountsTable;
  bank_csv_mappings: { tenant_id: string; account: string; mapping: Json; updated_at: Generated<Timestamp> };
  tenants: TenantMatchColumns;
};

function txFromRow(r: Selectable<BankTransactionsTable>): BankTransactionRecord {
  return {
    id: asId('bankTransaction', r.id),
    importId: asId('bankImport', r.import_id),
    naturalKey: r.natural_key,
    account: r.account,
    bookingDate: r.booking_date,
    valueDate: r.value_date,
    currency: r.currency.trim(),
    amountMinor: BigInt(r.amount_minor),
    payerName: r.payer_name,
    payerAccount: r.payer_account,
    payerOrgNumber: r.payer_org_number,
    payerAddress: r.payer_address,
    references: r.refs as BankTransactionRecord['references'],
    text: r.text,
    bankReference: r.bank_reference,
    source: r.source,
    status: r.status,
    paymentId: r.payment_id === null ? null : (r.payment_id as PaymentId),
    match: r.match,
    ignoredReason: r.ignored_reason,
    createdAt: r.created_at,
  };
}

function importFromRow(r: Selectable<BankImportsTable>): BankImportRecord {
  return {
    id: asId('bankImport', r.id),
    format: r.format,
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    fileId: r.file_id,
    report: r.report,
    actor: r.actor,
    createdAt: r.created_at,
  };
}

export function bankRepo(executor: Executor, tenantId: TenantId): BankRepo {
  const db = executor.withTables<Tables>();
  const toRow = (t: BankTransactionRecord) => ({
    tenant_id: tenantId,
    id: t.id,
    import_id: t.importId,
    natural_key: t.naturalKey,
    account: t.account,
    booking_date: t.bookingDate,
    value_date: t.valueDate,
    currency: t.currency,
    amount_minor: t.amountMinor,
    payer_name: t.payerName,
    payer_account: t.payerAccount,
    payer_org_number: t.payerOrgNumber,
    payer_address: t.payerAddress,
    refs: toJson(t.references),
    text: t.text,
    bank_reference: t.bankReference,
    source: t.source,
    status: t.status,
    payment_id: t.paymentId,
    match: t.match === null ? null : toJson(t.match),
    ignored_reason: t.ignoredReason,
    created_at: t.createdAt,
  });
  const byIdForUpdate = (id: string, lock: boolean) => {
    const q = db.selectFrom('bank_transactions').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    return (lock ? q.forUpdate() : q).executeTakeFirst();
  };
  return {
    async insertImport(r) {
      await db
        .insertInto('bank_imports')
        .values({ tenant_id: tenantId, id: r.id, format: r.format, file_name: r.fileName, file_sha256: r.fileSha256, file_id: r.fileId, report: toJson(r.report), actor: r.actor, created_at: r.createdAt })
        .execute();
    },

    async setImportReport(id, report, fileId) {
      await db.updateTable('bank_imports').set({ report: toJson(report), file_id: fileId }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    async getImport(id) {
      const r = await db.selectFrom('bank_imports').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r && importFromRow(r);
    },

    async findImportBySha(sha) {
      const r = await db.selectFrom('bank_imports').selectAll().where('tenant_id', '=', tenantId).where('file_sha256', '=', sha).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
      return r && importFromRow(r);
    },

    async insertNew(lines) {
      const inserted = new Set<string>();
      for (const chunk of chunked(lines)) {
        const rows = await db
          .insertInto('bank_transactions')
          .values(chunk.map(toRow))
          .onConflict((oc) => oc.columns(['tenant_id', 'account', 'natural_key']).doNothing())
          .returning('id')
          .execute();
        for (const r of rows) inserted.add(r.id);
      }
      return lines.filter((l) => inserted.has(l.id));
    },

    async get(id) {
      const r = await byIdForUpdate(id, false);
      return r && txFromRow(r);
    },

    async getForUpdate(id) {
      const r = await byIdForUpdate(id, true);
      return r && txFromRow(r);
    },

    async list(page, filter) {
      const limit = pageLimit(page);
      let q = db.selectFrom('bank_transactions').selectAll().where('tenant_id', '=', tenantId);
      if (filter?.status !== undefined) q = q.where('status', '=', filter.status);
      if (filter?.importId !== undefined) q = q.where('import_id', '=', filter.importId);
      const rows = await keyset(q, page, SORTS, 'bank_transactions.id').limit(limit + 1).execute();
      return toKeysetPage(rows, limit, page, txFromRow);
    },

    async settle(id, patch) {
      await db
        .updateTable('bank_transactions')
        .set({ status: patch.status, payment_id: patch.paymentId, match: patch.match === null ? null : toJson(patch.match), ignored_reason: patch.ignoredReason })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    async matchSettings() {
      const r = await db
        .selectFrom('tenants')
        .select(['match_auto_threshold', 'match_tolerance_minor', 'match_tolerance_bp'])
        .where('id', '=', tenantId)
        .executeTakeFirstOrThrow();
      return { autoThreshold: r.match_auto_threshold, toleranceMinor: BigInt(r.match_tolerance_minor), toleranceBasisPoints: BigInt(r.match_tolerance_bp) };
    },

    async learnedAccounts() {
      const rows = await db.selectFrom('payer_accounts').select(['account', 'customer_id']).where('tenant_id', '=', tenantId).execute();
      return new Map(rows.map((r) => [r.account, r.customer_id as CustomerId]));
    },

    async saveCsvMapping(account, mapping, at) {
      await db
        .insertInto('bank_csv_mappings')
        .values({ tenant_id: tenantId, account, mapping: toJson(mapping), updated_at: at })
        .onConflict((oc) => oc.columns(['tenant_id', 'account']).doUpdateSet({ mapping: toJson(mapping), updated_at: at }))
        .execute();
    },

    async csvMapping(account) {
      const r = await db.selectFrom('bank_csv_mappings').select('mapping').where('tenant_id', '=', tenantId).where('account', '=', account).executeTakeFirst();
      return r?.mapping;
    },

    async csvMappings() {
      const rows = await db.selectFrom('bank_csv_mappings').selectAll().where('tenant_id', '=', tenantId).orderBy('account').execute();
      return rows.map((r) => ({ account: r.account, mapping: r.mapping, updatedAt: r.updated_at }));
    },

    async matchingData() {
      const items = await db
        .selectFrom('ar_open_items as o')
        .innerJoin('invoices as i', (j) => j.onRef('i.tenant_id', '=', 'o.tenant_id').onRef('i.id', '=', 'o.invoice_id'))
        .select(['o.invoice_id', 'o.customer_id', 'o.currency', 'o.open_minor', 'i.number', 'i.payment_reference'])
        .where('o.tenant_id', '=', tenantId)
        .where('o.open_minor', '>', 0n)
        .orderBy('o.invoice_id')
        .execute();
      const customers = await db.selectFrom('customers').select(['id', 'name']).where('tenant_id', '=', tenantId).orderBy('id').execute();
      return {
        items: items.map((r) => ({
          invoiceId: r.invoice_id as InvoiceId,
          customerId: r.customer_id as CustomerId,
          invoiceNumber: r.number ?? '',
          paymentReference: r.payment_reference ?? '',
          currency: r.currency.trim(),
          openMinor: BigInt(r.open_minor),
        })),
        customers: customers.map((c) => ({ id: c.id as CustomerId, name: c.name })),
      };
    },

    async learnAccount(account, customerId, learnedFrom) {
      await db
        .insertInto('payer_accounts')
        .values({ tenant_id: tenantId, account, customer_id: customerId, learned_from: learnedFrom })
        .onConflict((oc) => oc.columns(['tenant_id', 'account']).doUpdateSet({ customer_id: customerId, learned_from: learnedFrom }))
        .execute();
    },
  };
}
