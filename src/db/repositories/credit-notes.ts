/**
 * Credit notes, their lines and VAT rows, and what they released back to payments. The tables come
 * from migration 2400_credit_notes; their typings live here (withTables) so the shared schema.ts is
 * left to its owners.
 */
import { sql, type Selectable } from 'kysely';
import type {
  CreditNoteLineRecord,
  CreditNoteRecord,
  CreditNoteRepo,
  CreditNoteStatus,
  CreditRequestRecord,
  CreditRequestStatus,
  PartySnapshot,
} from '../../app/ports.js';
import { assert } from '../../core/shared/errors.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { VatCategory } from '../../core/tax/vat.js';
import type { DateText, Generated, Int8, Json, Numeric, Timestamp } from '../schema.js';
import { chunked, dec, decText, groupBy, guardInsert, pageLimit, toJson, translateUniqueViolation, type Executor } from './shared.js';
import { vatBreakdownFromRow, vatBreakdownToRow } from './vat-breakdown.js';
import { baseAmountsFromRow, baseAmountsToRow, type DocumentBaseColumns } from './document-base.js';

export interface CreditNotesTable {
  tenant_id: string;
  id: string;
  series: string;
  number: string | null;
  status: string;
  invoice_id: string;
  order_id: string;
  customer_id: string;
  currency: string;
  reason: string;
  credit_request_id: string | null;
  issue_date: DateText | null;
  net_total_minor: Int8;
  vat_total_minor: Int8;
  gross_total_minor: Int8;
  receivable_minor: Int8 | null;
  customer_credit_minor: Int8 | null;
  seller: Json | null;
  buyer: Json;
  issued_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface CreditNoteLinesTable {
  tenant_id: string;
  credit_note_id: string;
  line_no: number;
  invoice_line_no: number | null;
  order_line_no: number | null;
  description: string;
  quantity: Numeric | null;
  unit: string | null;
  unit_price_minor: Int8 | null;
  gross_amount_minor: Int8;
  discount_amount_minor: Int8;
  net_amount_minor: Int8;
  vat_rate: Numeric;
  vat_category: string;
}

export interface CreditNoteVatBreakdownTable {
  tenant_id: string;
  credit_note_id: string;
  vat_category: string;
  vat_rate: Numeric;
  taxable_minor: Int8;
  vat_minor: Int8;
}

export interface CreditNoteReleasesTable {
  tenant_id: string;
  credit_note_id: string;
  payment_id: string;
  invoice_id: string;
  amount_minor: Int8;
}

// a type (not an interface) so that it fits withTables' Record constraint
export type CreditNoteTables = {
  credit_notes: CreditNotesTable;
  credit_note_lines: CreditNoteLinesTable;
  credit_note_vat_breakdown: CreditNoteVatBreakdownTable;
  credit_note_releases: CreditNoteReleasesTable;
};

type Row = Selectable<CreditNotesTable> & Selectable<DocumentBaseColumns>;
type LineRow = Selectable<CreditNoteLinesTable>;
type VatRow = Selectable<CreditNoteVatBreakdownTable>;

function lineFromRow(r: LineRow): CreditNoteLineRecord {
  return {
    lineNo: r.line_no,
    invoiceLineNo: r.invoice_line_no,
    orderLineNo: r.order_line_no,
    description: r.description,
    quantity: r.quantity === null ? null : dec(r.quantity),
    unit: r.unit,
    unitPriceMinor: r.unit_price_minor,
    grossAmountMinor: r.gross_amount_minor,
    discountAmountMinor: r.discount_amount_minor,
    netAmountMinor: r.net_amount_minor,
    vatRate: dec(r.vat_rate),
    vatCategory: r.vat_category as VatCategory,
  };
}

function fromRow(r: Row, lines: Map<string, LineRow[]>, vat: Map<string, VatRow[]>): CreditNoteRecord {
  return {
    id: asId('creditNote', r.id),
    series: r.series,
    number: r.number,
    status: r.status as CreditNoteStatus,
    invoiceId: asId('invoice', r.invoice_id),
    orderId: asId('order', r.order_id),
    customerId: asId('customer', r.customer_id),
    currency: r.currency,
    reason: r.reason,
    creditRequestId: r.credit_request_id === null ? null : asId('creditRequest', r.credit_request_id),
    issueDate: r.issue_date,
    netTotalMinor: r.net_total_minor,
    vatTotalMinor: r.vat_total_minor,
    grossTotalMinor: r.gross_total_minor,
    receivableMinor: r.receivable_minor,
    customerCreditMinor: r.customer_credit_minor,
    // jsonb written by this repository from a PartySnapshot
    seller: r.seller === null ? null : (r.seller as PartySnapshot),
    buyer: r.buyer as PartySnapshot,
    issuedAt: r.issued_at,
    createdAt: r.created_at,
    lines: (lines.get(r.id) ?? []).map(lineFromRow),
    vatBreakdown: (vat.get(r.id) ?? []).map(vatBreakdownFromRow),
    ...baseAmountsFromRow(r),
  };
}

export function creditNoteRepo(base: Executor, tenantId: TenantId): CreditNoteRepo {
  const db = base.withTables<CreditNoteTables>().withTables<{ credit_notes: DocumentBaseColumns }>();

  async function withChildren(rows: Row[]): Promise<CreditNoteRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const lines = await db
      .selectFrom('credit_note_lines')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('credit_note_id', 'in', ids)
      .orderBy('credit_note_id')
      .orderBy('line_no')
      .execute();
    const vat = await db
      .selectFrom('credit_note_vat_breakdown')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('credit_note_id', 'in', ids)
      .orderBy('credit_note_id')
      .orderBy('vat_rate', 'desc')
      .orderBy('vat_category')
      .execute();
    const l = groupBy(lines, (r) => r.credit_note_id);
    const v = groupBy(vat, (r) => r.credit_note_id);
    return rows.map((r) => fromRow(r, l, v));
  }

  async function load(id: string, forUpdate: boolean): Promise<CreditNoteRecord | undefined> {
    let q = db.selectFrom('credit_notes').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    return row ? (await withChildren([row]))[0] : undefined;
  }

  return {
    async insert(c) {
      await guardInsert(`credit note ${c.id}`, async () => {
        await db
          .insertInto('credit_notes')
          .values({
            tenant_id: tenantId,
            id: c.id,
            series: c.series,
            number: c.number,
            status: c.status,
            invoice_id: c.invoiceId,
            order_id: c.orderId,
            customer_id: c.customerId,
            currency: c.currency,
            reason: c.reason,
            credit_request_id: c.creditRequestId,
            issue_date: c.issueDate,
            net_total_minor: c.netTotalMinor,
            vat_total_minor: c.vatTotalMinor,
            gross_total_minor: c.grossTotalMinor,
            receivable_minor: c.receivableMinor,
            customer_credit_minor: c.customerCreditMinor,
            seller: c.seller === null ? null : toJson(c.seller),
            buyer: toJson(c.buyer),
            issued_at: c.issuedAt,
            created_at: c.createdAt,
          })
          .execute();
        for (const part of chunked(c.lines)) {
          await db
            .insertInto('credit_note_lines')
            .values(
              part.map((l) => ({
                tenant_id: tenantId,
                credit_note_id: c.id,
                line_no: l.lineNo,
                invoice_line_no: l.invoiceLineNo,
                order_line_no: l.orderLineNo,
                description: l.description,
                quantity: l.quantity === null ? null : decText(l.quantity),
                unit: l.unit,
                unit_price_minor: l.unitPriceMinor,
                gross_amount_minor: l.grossAmountMinor,
                discount_amount_minor: l.discountAmountMinor,
                net_amount_minor: l.netAmountMinor,
                vat_rate: decText(l.vatRate),
                vat_category: l.vatCategory,
              })),
            )
            .execute();
        }
        if (c.vatBreakdown.length > 0) {
          await db
            .insertInto('credit_note_vat_breakdown')
            .values(
              c.vatBreakdown.map((v) => ({
                tenant_id: tenantId,
                credit_note_id: c.id,
                ...vatBreakdownToRow(v),
              })),
            )
            .execute();
        }
      });
    },

    get: (id) => load(id, false),
    getForUpdate: (id) => load(id, true),

    async list(page, filter) {
      const limit = pageLimit(page);
      let q = db.selectFrom('credit_notes').selectAll().where('tenant_id', '=', tenantId);
      if (filter?.invoiceId !== undefined) q = q.where('invoice_id', '=', filter.invoiceId);
      if (filter?.customerId !== undefined) q = q.where('customer_id', '=', filter.customerId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      return { data: await withChildren(rows.slice(0, limit)), hasMore: rows.length > limit };
    },

    async listByInvoice(invoiceId) {
      const rows = await db
        .selectFrom('credit_notes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', '=', invoiceId)
        .orderBy('id')
        .execute();
      return withChildren(rows);
    },

    async issue(id, issue) {
      // Only a draft can be issued; the immutability trigger refuses any update of an issued credit note.
      try {
        const result = await db
          .updateTable('credit_notes')
          .set({
            status: 'issued',
            number: issue.number,
            issue_date: issue.issueDate,
            receivable_minor: issue.receivableMinor,
            customer_credit_minor: issue.customerCreditMinor,
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
        throw translateUniqueViolation(error, `issuing credit note ${id}`);
      }
    },

    async insertRelease(r) {
      assert(r.amountMinor > 0n, `a release must be positive, got ${r.amountMinor}`);
      await guardInsert(`credit note release ${r.creditNoteId}/${r.paymentId}`, () =>
        db
          .insertInto('credit_note_releases')
          .values({
            tenant_id: tenantId,
            credit_note_id: r.creditNoteId,
            payment_id: r.paymentId,
            invoice_id: r.invoiceId,
            amount_minor: r.amountMinor,
          })
          .execute(),
      );
    },

    async releasedByPayment(invoiceId) {
      const rows = await db
        .selectFrom('credit_note_releases')
        .select(['payment_id', sql<bigint>`sum(amount_minor)::bigint`.as('amount_minor')])
        .where('tenant_id', '=', tenantId)
        .where('invoice_id', '=', invoiceId)
        .groupBy('payment_id')
        .execute();
      return new Map(rows.map((r) => [r.payment_id, BigInt(r.amount_minor)]));
    },

    async increasePaymentUnapplied(paymentId, amountMinor) {
      assert(amountMinor > 0n, `the increase must be positive, got ${amountMinor}`);
      const result = await db
        .updateTable('payments')
        .set({ unapplied_minor: sql`unapplied_minor + ${amountMinor}::bigint` })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', paymentId)
        .where(sql<boolean>`unapplied_minor + ${amountMinor}::bigint <= amount_minor`)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async getCreditRequestForUpdate(id) {
      const r = await db
        .selectFrom('credit_requests')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!r) return undefined;
      const rec: CreditRequestRecord = {
        id: asId('creditRequest', r.id),
        claimId: asId('claim', r.claim_id),
        orderId: asId('order', r.order_id),
        orderLineNo: r.order_line_no,
        kind: r.kind as CreditRequestRecord['kind'],
        quantity: r.quantity === null ? null : dec(r.quantity),
        currency: r.currency,
        netMinor: BigInt(r.net_minor),
        vatRate: dec(r.vat_rate),
        status: r.status as CreditRequestStatus,
        createdAt: r.created_at,
      };
      return rec;
    },

    async markCreditRequestCredited(id) {
      const result = await db
        .updateTable('credit_requests')
        .set({ status: 'credited' })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
