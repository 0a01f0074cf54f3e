import { sql, type Selectable } from 'kysely';
import type { JournalEntryRecord, JournalLineRecord, JournalRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { Int8, JournalEntriesTable, JournalLinesTable } from '../schema.js';
import { chunked, groupBy, guardInsert, pageLimit, type Executor } from './shared.js';

// The transaction-currency amount of a line (migration 2810, decision 0008); a type alias for withTables.
type FunctionalColumns = {
  // migration 2900 (books): the document's own date when posted late, and who posted
  journal_entries: { document_date: string | null; created_by: string | null };
  journal_lines: {
    amount_currency: string | null;
    amount_minor: Int8 | null;
  };
};

type Row = Selectable<JournalEntriesTable & FunctionalColumns['journal_entries']>;
type LineRow = Selectable<JournalLinesTable & FunctionalColumns['journal_lines']>;

function lineFromRow(r: Pick<LineRow, 'line_no' | 'account' | 'currency' | 'debit_minor' | 'credit_minor' | 'customer_id' | 'amount_currency' | 'amount_minor'>): JournalLineRecord {
  return {
    lineNo: r.line_no,
    account: r.account,
    currency: r.currency,
    debitMinor: r.debit_minor,
    creditMinor: r.credit_minor,
    customerId: r.customer_id === null ? null : asId('customer', r.customer_id),
    amountCurrency: r.amount_currency,
    amountMinor: r.amount_minor,
  };
}

function fromRow(r: Row, lines: LineRow[]): JournalEntryRecord {
  return {
    id: asId('journalEntry', r.id),
    series: r.series,
    fiscalYear: r.fiscal_year,
    number: r.number,
    entryDate: r.entry_date,
    description: r.description,
    sourceType: r.source_type,
    sourceId: r.source_id,
    reversesEntryId: r.reverses_entry_id === null ? null : asId('journalEntry', r.reverses_entry_id),
    createdAt: r.created_at,
    documentDate: r.document_date,
    createdBy: r.created_by,
    lines: lines.map(lineFromRow),
  };
}

/**
 * Journal entries are immutable (a trigger refuses UPDATE and DELETE); corrections are new entries.
 * A deferred constraint trigger checks at COMMIT that every entry balances per currency.
 */
export function journalRepo(executor: Executor, tenantId: TenantId): JournalRepo {
  const db = executor.withTables<FunctionalColumns>();
  async function withLines(rows: Row[]): Promise<JournalEntryRecord[]> {
    if (rows.length === 0) return [];
    const lines = await db
      .selectFrom('journal_lines')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(
        'entry_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('entry_id')
      .orderBy('line_no')
      .execute();
    const byEntry = groupBy(lines, (l) => l.entry_id);
    return rows.map((r) => fromRow(r, byEntry.get(r.id) ?? []));
  }

  return {
    async insert(e) {
      await guardInsert(`journal entry ${e.id} (${e.series} ${e.fiscalYear}-${e.number})`, async () => {
        await db
          .insertInto('journal_entries')
          .values({
            tenant_id: tenantId,
            id: e.id,
            series: e.series,
            fiscal_year: e.fiscalYear,
            number: e.number,
            entry_date: e.entryDate,
            description: e.description,
            source_type: e.sourceType,
            source_id: e.sourceId,
            reverses_entry_id: e.reversesEntryId,
            created_at: e.createdAt,
            document_date: e.documentDate ?? null,
            created_by: e.createdBy ?? null,
          })
          .execute();
        for (const part of chunked(e.lines)) {
          await db
            .insertInto('journal_lines')
            .values(
              part.map((l) => ({
                tenant_id: tenantId,
                entry_id: e.id,
                line_no: l.lineNo,
                account: l.account,
                currency: l.currency,
                debit_minor: l.debitMinor,
                credit_minor: l.creditMinor,
                customer_id: l.customerId,
                amount_currency: l.amountCurrency ?? null,
                amount_minor: l.amountMinor ?? null,
              })),
            )
            .execute();
        }
      });
    },

    async get(id) {
      const row = await db
        .selectFrom('journal_entries')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      return (await withLines([row]))[0];
    },

    async list(page, filter) {
      const limit = pageLimit(page);
      let q = db.selectFrom('journal_entries').selectAll().where('tenant_id', '=', tenantId);
      if (filter?.sourceId !== undefined) q = q.where('source_id', '=', filter.sourceId);
      if (filter?.sourceType !== undefined) q = q.where('source_type', '=', filter.sourceType);
      if (filter?.from !== undefined) q = q.where('entry_date', '>=', filter.from);
      if (filter?.to !== undefined) q = q.where('entry_date', '<=', filter.to);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      return { data: await withLines(rows.slice(0, limit)), hasMore: rows.length > limit };
    },

    async trialBalance(filter) {
      let q = db
        .selectFrom('journal_lines as l')
        .innerJoin('journal_entries as e', (join) =>
          join.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'),
        )
        .select([
          'l.account',
          'l.currency',
          sql<bigint>`sum(l.debit_minor)::bigint`.as('debit_minor'),
          sql<bigint>`sum(l.credit_minor)::bigint`.as('credit_minor'),
        ])
        .where('l.tenant_id', '=', tenantId);
      if (filter.from !== undefined) q = q.where('e.entry_date', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('e.entry_date', '<=', filter.to);
      const rows = await q.groupBy(['l.account', 'l.currency']).orderBy('l.account').orderBy('l.currency').execute();
      return rows.map((r) => ({
        account: r.account,
        currency: r.currency,
        debitMinor: r.debit_minor,
        creditMinor: r.credit_minor,
      }));
    },

    async ledgerLines(account, filter, after, limit) {
      let q = db
        .selectFrom('journal_lines as l')
        .innerJoin('journal_entries as e', (join) => join.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'))
        .select([
          'e.id as entry_id', 'e.series', 'e.fiscal_year', 'e.number', 'e.entry_date', 'e.document_date', 'e.description',
          'e.source_type', 'e.source_id', 'l.line_no', 'l.account', 'l.currency', 'l.debit_minor', 'l.credit_minor',
          'l.customer_id', 'l.amount_currency', 'l.amount_minor',
        ])
        .where('l.tenant_id', '=', tenantId)
        .where('l.account', '=', account);
      if (filter.from !== undefined) q = q.where('e.entry_date', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('e.entry_date', '<=', filter.to);
      if (after !== undefined) {
        q = q.where(
          sql<boolean>`(e.entry_date, e.series, e.fiscal_year, e.number, l.line_no) > (${after.entryDate}::date, ${after.series}, ${after.fiscalYear}, ${after.number}, ${after.lineNo})`,
        );
      }
      const rows = await q
        .orderBy('e.entry_date').orderBy('e.series').orderBy('e.fiscal_year').orderBy('e.number').orderBy('l.line_no')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        ...lineFromRow(r),
        entryId: asId('journalEntry', r.entry_id),
        series: r.series,
        fiscalYear: r.fiscal_year,
        number: r.number,
        entryDate: r.entry_date,
        documentDate: r.document_date,
        description: r.description,
        sourceType: r.source_type,
        sourceId: r.source_id,
      }));
    },

    async firstEntryDate() {
      const r = await db.selectFrom('journal_entries').select(sql<string | null>`min(entry_date)::text`.as('d')).where('tenant_id', '=', tenantId).executeTakeFirst();
      return r?.d ?? null;
    },

    async balanceBefore(account, date) {
      const rows = await db
        .selectFrom('journal_lines as l')
        .innerJoin('journal_entries as e', (join) => join.onRef('e.tenant_id', '=', 'l.tenant_id').onRef('e.id', '=', 'l.entry_id'))
        .select(['l.currency', sql<bigint>`sum(l.debit_minor - l.credit_minor)::bigint`.as('balance_minor')])
        .where('l.tenant_id', '=', tenantId)
        .where('l.account', '=', account)
        .where('e.entry_date', '<', date)
        .groupBy('l.currency')
        .orderBy('l.currency')
        .execute();
      return rows.map((r) => ({ currency: r.currency, balanceMinor: r.balance_minor }));
    },

    async accountBalance(account, customerId) {
      let q = db
        .selectFrom('journal_lines')
        .select(['currency', sql<bigint>`sum(debit_minor - credit_minor)::bigint`.as('balance_minor')])
        .where('tenant_id', '=', tenantId)
        .where('account', '=', account);
      if (customerId !== undefined) q = q.where('customer_id', '=', customerId);
      const rows = await q.groupBy('currency').orderBy('currency').execute();
      return rows.map((r) => ({ currency: r.currency, balanceMinor: r.balance_minor }));
    },
  };
}
