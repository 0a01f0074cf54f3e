import { sql, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import type {
  AdvanceDeductionRecord,
  InvoiceKind,
  InvoiceLineRecord,
  InvoicePaymentStatusFilter,
  InvoiceRecord,
  InvoiceRepo,
  InvoiceStatus,
  PartySnapshot,
} from '../../app/ports.js';
import { asId, type InvoiceId, type TenantId } from '../../core/shared/ids.js';
import type { DateText, Generated, Int8, InvoiceLinesTable, InvoiceVatBreakdownTable, InvoicesTable } from '../schema.js';
import { pricedLineFromRow, pricedLineToRow } from './priced-line.js';
import { baseAmountsFromRow, baseAmountsToRow, type DocumentBaseColumns } from './document-base.js';
import { vatBreakdownFromRow, vatBreakdownToRow } from './vat-breakdown.js';
import { containsPattern, keyset, nextOf, type SortColumns } from './list-query.js';
import { chunked, dec, decText, groupBy, guardInsert, pageLimit, toJson, translateUniqueViolation, type Executor } from './shared.js';

/**
 * What the invoice JSON shows as amount_due and payment_status (serialize.ts invoiceJson), in SQL over
 * the invoice and its open item (`oi`, left-joined): the payable total is gross + rounding - prepaid;
 * an issued invoice owes its open item's open amount (none: the payable total, at least 0).
 */
const PAYABLE = sql<bigint>`(invoices.gross_total_minor + invoices.rounding_minor - invoices.prepaid_minor)`;
const AMOUNT_DUE = sql<bigint>`(case when invoices.status = 'issued' then coalesce(oi.open_minor, greatest(${PAYABLE}, 0)) else ${PAYABLE} end)`;
const WRITTEN_OFF = sql<bigint>`coalesce(oi.written_off_minor, 0)`;

function paymentStatusCondition(status: InvoicePaymentStatusFilter): RawBuilder<SqlBool> {
  switch (status) {
    case 'open':
      return sql<SqlBool>`(${AMOUNT_DUE} <> 0)`;
    case 'unpaid':
      return sql<SqlBool>`(${AMOUNT_DUE} <> 0 and ${AMOUNT_DUE} >= ${PAYABLE})`;
    case 'partially_paid':
      return sql<SqlBool>`(${AMOUNT_DUE} <> 0 and ${AMOUNT_DUE} < ${PAYABLE})`;
    case 'paid':
      return sql<SqlBool>`(${AMOUNT_DUE} = 0 and ${WRITTEN_OFF} = 0)`;
    case 'written_off':
      return sql<SqlBool>`(${AMOUNT_DUE} = 0 and ${WRITTEN_OFF} > 0)`;
  }
}

const SORTS: SortColumns = {
  // drafts have no number, issue date or due date yet: they sort last ascending, first descending
  number: { expr: sql.ref('invoices.number'), type: 'text', nullable: true },
  issue_date: { expr: sql.ref('invoices.issue_date'), type: 'date', nullable: true },
  due_date: { expr: sql.ref('invoices.due_date'), type: 'date', nullable: true },
  total: { expr: sql.ref('invoices.gross_total_minor'), type: 'bigint' },
  // computed over the join, so no index serves it: the filters narrow the rows first
  amount_due: { expr: AMOUNT_DUE, type: 'bigint' },
};

/** Advance invoices (migration 2820): the invoices columns it adds and the deductions table, declared here. */
interface AdvanceColumns {
  kind: Generated<string>;
  advance_label: string | null;
  prepaid_minor: Generated<Int8>;
}
export interface InvoiceAdvanceDeductionsTable {
  tenant_id: string;
  invoice_id: string;
  line_no: number;
  advance_invoice_id: string;
  vat_category: string;
  vat_rate: string;
  net_minor: Int8;
  vat_minor: Int8;
}
type AdvanceTables = { invoices: AdvanceColumns; invoice_advance_deductions: InvoiceAdvanceDeductionsTable };
/** Öre rounding (migration 2850, decision 0009): BT-114 on the invoice that completes a prices-including-VAT order. */
interface RoundingColumns {
  rounding_minor: Generated<Int8>;
}

type Row = Selectable<InvoicesTable> & Selectable<AdvanceColumns> & Selectable<DocumentBaseColumns> & Selectable<RoundingColumns>;
type LineRow = Selectable<InvoiceLinesTable>;
type VatRow = Selectable<InvoiceVatBreakdownTable>;
type DeductionRow = Selectable<InvoiceAdvanceDeductionsTable> & { advance_number: string | null; advance_issue_date: DateText | null };

interface Children {
  lines: Map<string, LineRow[]>;
  vat: Map<string, VatRow[]>;
  deductions: Map<string, DeductionRow[]>;
}

function deductionFromRow(r: DeductionRow): AdvanceDeductionRecord {
  return {
    lineNo: r.line_no,
    advanceInvoiceId: asId('invoice', r.advance_invoice_id),
    vatCategory: r.vat_category as AdvanceDeductionRecord['vatCategory'],
    vatRate: dec(r.vat_rate),
    netMinor: r.net_minor,
    vatMinor: r.vat_minor,
    advanceNumber: r.advance_number,
    advanceIssueDate: r.advance_issue_date,
  };
}

function lineFromRow(r: LineRow): InvoiceLineRecord {
  return { ...pricedLineFromRow(r), orderId: asId('order', r.order_id), orderLineNo: r.order_line_no };
}

function fromRow(r: Row, children: Children): InvoiceRecord {
  return {
    id: asId('invoice', r.id),
    series: r.series,
    number: r.number,
    status: r.status as InvoiceStatus,
    orderId: r.order_id === null ? null : asId('order', r.order_id),
    customerId: asId('customer', r.customer_id),
    currency: r.currency,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    deliveryDate: r.delivery_date,
    paymentTermsDays: r.payment_terms_days,
    paymentReference: r.payment_reference,
    netTotalMinor: r.net_total_minor,
    vatTotalMinor: r.vat_total_minor,
    grossTotalMinor: r.gross_total_minor,
    // jsonb written by this repository from a PartySnapshot
    seller: r.seller === null ? null : (r.seller as PartySnapshot),
    buyer: r.buyer as PartySnapshot,
    issuedAt: r.issued_at,
    createdAt: r.created_at,
    lines: (children.lines.get(r.id) ?? []).map(lineFromRow),
    vatBreakdown: (children.vat.get(r.id) ?? []).map(vatBreakdownFromRow),
    ...baseAmountsFromRow(r),
    kind: r.kind as InvoiceKind,
    advanceLabel: r.advance_label,
    prepaidMinor: r.prepaid_minor,
    roundingMinor: r.rounding_minor,
    advanceDeductions: (children.deductions.get(r.id) ?? []).map(deductionFromRow),
  };
}

export function invoiceRepo(executor: Executor, tenantId: TenantId): InvoiceRepo {
  const db = executor.withTables<AdvanceTables>().withTables<{ invoices: DocumentBaseColumns }>().withTables<{ invoices: RoundingColumns }>();
  async function childrenOf(ids: string[]): Promise<Children> {
    if (ids.length === 0) return { lines: new Map(), vat: new Map(), deductions: new Map() };
    const lines = await db
      .selectFrom('invoice_lines')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('invoice_id', 'in', ids)
      .orderBy('invoice_id')
      .orderBy('line_no')
      .execute();
    // highest rate first (25 %, 12 %, 6 %, then 0 % categories), as an invoice prints it
    const vat = await db
      .selectFrom('invoice_vat_breakdown')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('invoice_id', 'in', ids)
      .orderBy('invoice_id')
      .orderBy('vat_rate', 'desc')
      .orderBy('vat_category')
      .execute();
    const deductions = await db
      .selectFrom('invoice_advance_deductions as d')
      .innerJoin('invoices as a', (j) => j.onRef('a.tenant_id', '=', 'd.tenant_id').onRef('a.id', '=', 'd.advance_invoice_id'))
      .selectAll('d')
      .select(['a.number as advance_number', 'a.issue_date as advance_issue_date'])
      .where('d.tenant_id', '=', tenantId)
      .where('d.invoice_id', 'in', ids)
      .orderBy('d.invoice_id')
      .orderBy('d.line_no')
      .execute();
    return {
      lines: groupBy(lines, (r) => r.invoice_id),
      vat: groupBy(vat, (r) => r.invoice_id),
      deductions: groupBy(deductions, (r) => r.invoice_id),
    };
  }

  async function withChildren(rows: Row[]): Promise<InvoiceRecord[]> {
    const children = await childrenOf(rows.map((r) => r.id));
    return rows.map((r) => fromRow(r, children));
  }

  async function load(id: InvoiceId, forUpdate: boolean): Promise<InvoiceRecord | undefined> {
    let q = db.selectFrom('invoices').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) return undefined;
    return (await withChildren([row]))[0];
  }

  return {
    async insert(inv) {
      await guardInsert(`invoice ${inv.id}`, async () => {
        await db
          .insertInto('invoices')
          .values({
            tenant_id: tenantId,
            id: inv.id,
            series: inv.series,
            number: inv.number,
            status: inv.status,
            order_id: inv.orderId,
            customer_id: inv.customerId,
            currency: inv.currency,
            issue_date: inv.issueDate,
            due_date: inv.dueDate,
            delivery_date: inv.deliveryDate,
            payment_terms_days: inv.paymentTermsDays,
            payment_reference: inv.paymentReference,
            net_total_minor: inv.netTotalMinor,
            vat_total_minor: inv.vatTotalMinor,
            gross_total_minor: inv.grossTotalMinor,
            seller: inv.seller === null ? null : toJson(inv.seller),
            buyer: toJson(inv.buyer),
            issued_at: inv.issuedAt,
            created_at: inv.createdAt,
            kind: inv.kind ?? 'standard',
            advance_label: inv.advanceLabel ?? null,
            prepaid_minor: inv.prepaidMinor ?? 0n,
            rounding_minor: inv.roundingMinor ?? 0n,
          })
          .execute();
        for (const part of chunked(inv.lines)) {
          await db
            .insertInto('invoice_lines')
            .values(
              part.map((l) => ({
                ...pricedLineToRow(l),
                tenant_id: tenantId,
                invoice_id: inv.id,
                order_id: l.orderId,
                order_line_no: l.orderLineNo,
              })),
            )
            .execute();
        }
        if ((inv.advanceDeductions ?? []).length > 0) {
          await db
            .insertInto('invoice_advance_deductions')
            .values(
              (inv.advanceDeductions ?? []).map((d) => ({
                tenant_id: tenantId,
                invoice_id: inv.id,
                line_no: d.lineNo,
                advance_invoice_id: d.advanceInvoiceId,
                vat_category: d.vatCategory,
                vat_rate: decText(d.vatRate),
                net_minor: d.netMinor,
                vat_minor: d.vatMinor,
              })),
            )
            .execute();
        }
        if (inv.vatBreakdown.length > 0) {
          await db
            .insertInto('invoice_vat_breakdown')
            .values(
              inv.vatBreakdown.map((v) => ({
                tenant_id: tenantId,
                invoice_id: inv.id,
                ...vatBreakdownToRow(v),
              })),
            )
            .execute();
        }
      });
    },

    get: (id) => load(id, false),
    getForUpdate: (id) => load(id, true),

    async list(page, filter = {}) {
      const limit = pageLimit(page);
      let q = db
        .selectFrom('invoices')
        .leftJoin('ar_open_items as oi', (j) => j.onRef('oi.tenant_id', '=', 'invoices.tenant_id').onRef('oi.invoice_id', '=', 'invoices.id'))
        .selectAll('invoices')
        .where('invoices.tenant_id', '=', tenantId);
      if (filter.customerId !== undefined) q = q.where('invoices.customer_id', '=', filter.customerId);
      if (filter.statuses !== undefined) {
        // an empty set matches nothing (`in ()` is not SQL)
        q = filter.statuses.length === 0 ? q.where(sql<SqlBool>`false`) : q.where('invoices.status', 'in', filter.statuses);
      }
      const paymentStatuses = filter.paymentStatuses;
      if (paymentStatuses !== undefined) {
        // a payment status is an issued invoice's: a draft owes nothing yet
        q = q.where('invoices.status', '=', 'issued').where((eb) => eb.or(paymentStatuses.map(paymentStatusCondition)));
      }
      if (filter.overdueOn !== undefined) {
        q = q
          .where('invoices.status', '=', 'issued')
          .where('invoices.due_date', '<', filter.overdueOn)
          .where(sql<SqlBool>`${AMOUNT_DUE} > 0`);
      }
      if (filter.q !== undefined) {
        const like = containsPattern(filter.q);
        q = q.where((eb) =>
          eb.or([
            eb('invoices.number', 'ilike', like),
            eb('invoices.payment_reference', 'ilike', like),
            eb.exists(
              eb
                .selectFrom('customers')
                .select(sql`1`.as('one'))
                .whereRef('customers.tenant_id', '=', 'invoices.tenant_id')
                .whereRef('customers.id', '=', 'invoices.customer_id')
                .where('customers.name', 'ilike', like),
            ),
          ]),
        );
      }
      const rows = await keyset(q, page, SORTS, 'invoices.id').limit(limit + 1).execute();
      const data = await withChildren(rows.slice(0, limit));
      return { data, hasMore: rows.length > limit, next: nextOf(rows, limit, page) };
    },

    async listByOrder(orderId) {
      const rows = await db
        .selectFrom('invoices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where((eb) =>
          eb.or([
            eb('order_id', '=', orderId),
            // an invoice of several orders (order_id null) with a line of this one
            eb.and([
              eb('order_id', 'is', null),
              eb.exists(
                eb
                  .selectFrom('invoice_lines as il')
                  .select('il.line_no')
                  .whereRef('il.tenant_id', '=', 'invoices.tenant_id')
                  .whereRef('il.invoice_id', '=', 'invoices.id')
                  .where('il.order_id', '=', orderId),
              ),
            ]),
          ]),
        )
        .orderBy('id')
        .execute();
      return withChildren(rows);
    },

    async issue(id, issue) {
      // Only a draft can be issued; the immutability trigger refuses any update of an issued invoice.
      try {
        const result = await db
          .updateTable('invoices')
          .set({
            status: 'issued',
            series: issue.series,
            number: issue.number,
            issue_date: issue.issueDate,
            due_date: issue.dueDate,
            payment_reference: issue.paymentReference,
            seller: toJson(issue.seller),
            issued_at: issue.issuedAt,
            ...baseAmountsToRow(issue.base),
          })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', id)
          .where('status', '=', 'draft')
          .executeTakeFirst();
        return result.numUpdatedRows > 0n;
      } catch (error) {
        // a number or payment reference already taken
        throw translateUniqueViolation(error, `issuing invoice ${id}`);
      }
    },

    async findIssuedByReferences(references, numbers) {
      if (references.length === 0 && numbers.length === 0) return [];
      const rows = await db
        .selectFrom('invoices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'issued')
        .where((eb) => {
          const ors = [];
          if (references.length > 0) ors.push(eb('payment_reference', 'in', references));
          if (numbers.length > 0) ors.push(eb('number', 'in', numbers));
          return eb.or(ors);
        })
        .orderBy('id')
        .execute();
      return withChildren(rows);
    },
  };
}
