import type { Selectable } from 'kysely';
import type { QuoteLineRecord, QuoteRecord, QuoteRepo, QuoteStatus } from '../../app/ports.js';
import { asId, type QuoteId, type TenantId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { QuoteLinesTable, QuotesTable } from '../schema.js';
import { pricedLineFromRow, pricedLineToRow } from './priced-line.js';
import { groupBy, guardInsert, pageLimit, toPage, type Executor } from './shared.js';

type Row = Selectable<QuotesTable>;
type LineRow = Selectable<QuoteLinesTable>;

function lineFromRow(r: LineRow): QuoteLineRecord {
  return { ...pricedLineFromRow(r), taxClass: r.tax_class as TaxClass };
}

function fromRow(r: Row, lines: LineRow[]): QuoteRecord {
  return {
    id: asId('quote', r.id),
    number: r.number,
    version: r.version,
    customerId: asId('customer', r.customer_id),
    currency: r.currency,
    status: r.status as QuoteStatus,
    quoteDate: r.quote_date,
    validUntil: r.valid_until,
    paymentTermsDays: r.payment_terms_days,
    notes: r.notes,
    netTotalMinor: r.net_total_minor,
    vatTotalMinor: r.vat_total_minor,
    grossTotalMinor: r.gross_total_minor,
    sentAt: r.sent_at,
    acceptedAt: r.accepted_at,
    createdAt: r.created_at,
    lines: lines.map(lineFromRow),
  };
}

/** The instant column a transition into `to` stamps, if any. */
const STAMP: Partial<Record<QuoteStatus, 'sent_at' | 'accepted_at'>> = { sent: 'sent_at', accepted: 'accepted_at' };

export function quoteRepo(db: Executor, tenantId: TenantId): QuoteRepo {
  async function linesOf(ids: string[]): Promise<Map<string, LineRow[]>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('quote_lines')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('quote_id', 'in', ids)
      .orderBy('quote_id')
      .orderBy('line_no')
      .execute();
    return groupBy(rows, (r) => r.quote_id);
  }

  async function load(id: QuoteId, forUpdate: boolean): Promise<QuoteRecord | undefined> {
    let q = db.selectFrom('quotes').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) return undefined;
    return fromRow(row, (await linesOf([row.id])).get(row.id) ?? []);
  }

  return {
    async insert(quote) {
      await guardInsert(`quote ${quote.id} (number ${quote.number})`, async () => {
        await db
          .insertInto('quotes')
          .values({
            tenant_id: tenantId,
            id: quote.id,
            number: quote.number,
            version: quote.version,
            customer_id: quote.customerId,
            currency: quote.currency,
            status: quote.status,
            quote_date: quote.quoteDate,
            valid_until: quote.validUntil,
            payment_terms_days: quote.paymentTermsDays,
            notes: quote.notes,
            net_total_minor: quote.netTotalMinor,
            vat_total_minor: quote.vatTotalMinor,
            gross_total_minor: quote.grossTotalMinor,
            sent_at: quote.sentAt,
            accepted_at: quote.acceptedAt,
            created_at: quote.createdAt,
          })
          .execute();
        if (quote.lines.length > 0) {
          await db
            .insertInto('quote_lines')
            .values(
              quote.lines.map((l) => ({
                ...pricedLineToRow(l),
                tenant_id: tenantId,
                quote_id: quote.id,
                tax_class: l.taxClass,
              })),
            )
            .execute();
        }
      });
    },

    get: (id) => load(id, false),
    getForUpdate: (id) => load(id, true),

    async list(page) {
      const limit = pageLimit(page);
      let q = db.selectFrom('quotes').selectAll().where('tenant_id', '=', tenantId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      const lines = await linesOf(rows.slice(0, limit).map((r) => r.id));
      return toPage(rows, limit, (r) => fromRow(r, lines.get(r.id) ?? []));
    },

    async transition(id, from, to, at) {
      const stamp = STAMP[to];
      const result = await db
        .updateTable('quotes')
        .set({ status: to, ...(stamp ? { [stamp]: at } : {}) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
  };
}
