import { sql, type Selectable, type SqlBool } from 'kysely';
import type { DiscountInput, InvoicingPolicy, PricingTrailStep, QuoteDraftContent, QuoteLineRecord, QuoteRecord, QuoteRepo, QuoteStatus } from '../../app/ports.js';
import { asId, type QuoteId, type TenantId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { Generated, Int8, QuoteLinesTable, QuotesTable } from '../schema.js';
import { lineBundleFromJson, lineBundleToJson, pricedLineFromRow, pricedLineToRow } from './priced-line.js';
import { containsPattern, keyset, toKeysetPage, type SortColumns } from './list-query.js';
import { chunked, dec, decText, groupBy, guardInsert, pageLimit, toJson, type Executor } from './shared.js';

const SORTS: SortColumns = {
  number: { expr: sql.ref('quotes.number'), type: 'text' },
  date: { expr: sql.ref('quotes.quote_date'), type: 'date' },
  total: { expr: sql.ref('quotes.gross_total_minor'), type: 'bigint' },
  valid_until: { expr: sql.ref('quotes.valid_until'), type: 'date' },
};

/** Columns added by migration 2830_prices_including_vat, declared here rather than in the shared schema.ts. */
type QuoteVatColumns = {
  quotes: { prices_include_vat: Generated<boolean>; rounding_minor: Generated<Int8> };
  quote_lines: { invoicing_policy: Generated<string> };
};

type Row = Selectable<QuotesTable & QuoteVatColumns['quotes']>;
type LineRow = Selectable<QuoteLinesTable & QuoteVatColumns['quote_lines']>;

interface TrailJson {
  step: string;
  message: string;
  amountMinor?: string;
  unitPriceMinor?: string;
  quantity?: { scaled: string };
  source?: string;
  componentProductId?: string;
}

function trailFromJson(value: unknown): PricingTrailStep[] {
  if (!Array.isArray(value)) return [];
  return (value as TrailJson[]).map((t) => ({
    step: t.step,
    message: t.message,
    ...(t.amountMinor === undefined ? {} : { amountMinor: BigInt(t.amountMinor) }),
    ...(t.unitPriceMinor === undefined ? {} : { unitPriceMinor: BigInt(t.unitPriceMinor) }),
    ...(t.quantity === undefined ? {} : { quantity: { scaled: BigInt(t.quantity.scaled) } }),
    ...(t.source === undefined ? {} : { source: t.source }),
    ...(t.componentProductId === undefined ? {} : { componentProductId: t.componentProductId }),
  }));
}

function lineFromRow(r: LineRow): QuoteLineRecord {
  const priced = pricedLineFromRow(r);
  let lineDiscount: DiscountInput | null = null;
  if (r.line_discount_kind === 'percent') lineDiscount = { kind: 'percent', percent: priced.discountPercent };
  else if (r.line_discount_kind === 'amount') lineDiscount = { kind: 'amount', amountMinor: r.line_discount_minor };
  return {
    ...priced,
    lineKey: r.line_key,
    taxClass: r.tax_class as TaxClass,
    lineDiscount,
    lineDiscountMinor: r.line_discount_minor,
    quoteDiscountMinor: r.quote_discount_minor,
    optional: r.optional,
    selected: r.selected,
    unitCostMinor: r.unit_cost_minor,
    costMinor: r.cost_minor,
    trail: trailFromJson(r.trail),
    bundle: lineBundleFromJson(r.bundle),
    invoicingPolicy: r.invoicing_policy as InvoicingPolicy,
  };
}

function quoteDiscountFromRow(r: Row): DiscountInput | null {
  if (r.quote_discount_kind === 'percent' && r.quote_discount_percent !== null) return { kind: 'percent', percent: dec(r.quote_discount_percent) };
  if (r.quote_discount_kind === 'amount' && r.quote_discount_amount_minor !== null) return { kind: 'amount', amountMinor: r.quote_discount_amount_minor };
  return null;
}

/** The header columns a draft's editor changes (and an insert writes). */
function pricingColumns(c: QuoteDraftContent) {
  const d = c.quoteDiscount;
  return {
    net_total_minor: c.netTotalMinor,
    vat_total_minor: c.vatTotalMinor,
    gross_total_minor: c.grossTotalMinor,
    quote_discount_kind: d?.kind ?? null,
    quote_discount_percent: d?.kind === 'percent' ? decText(d.percent) : null,
    quote_discount_amount_minor: d?.kind === 'amount' ? d.amountMinor : null,
    quote_discount_minor: c.quoteDiscountMinor,
    cost_total_minor: c.costTotalMinor,
    margin_minor: c.marginMinor,
    prices_include_vat: c.pricesIncludeVat,
    rounding_minor: c.roundingMinor,
  };
}

function fromRow(r: Row, lines: LineRow[]): QuoteRecord {
  return {
    id: asId('quote', r.id),
    number: r.number,
    version: r.version,
    rootId: asId('quote', r.root_id),
    previousVersionId: r.previous_version_id === null ? null : asId('quote', r.previous_version_id),
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
    quoteDiscount: quoteDiscountFromRow(r),
    quoteDiscountMinor: r.quote_discount_minor,
    costTotalMinor: r.cost_total_minor,
    marginMinor: r.margin_minor,
    pricesIncludeVat: r.prices_include_vat,
    roundingMinor: BigInt(r.rounding_minor),
    sentAt: r.sent_at,
    acceptedAt: r.accepted_at,
    declinedReason: r.declined_reason,
    declinedAt: r.declined_at,
    expiredAt: r.expired_at,
    supersededAt: r.superseded_at,
    createdAt: r.created_at,
    lines: lines.map(lineFromRow),
  };
}

/** The instant column a transition into `to` stamps, if any. */
const STAMP: Partial<Record<QuoteStatus, 'sent_at' | 'accepted_at' | 'expired_at' | 'superseded_at'>> = {
  sent: 'sent_at',
  accepted: 'accepted_at',
  expired: 'expired_at',
  superseded: 'superseded_at',
};

const EDITABLE: QuoteStatus[] = ['draft', 'awaiting_approval', 'approved'];

export function quoteRepo(executor: Executor, tenantId: TenantId): QuoteRepo {
  const db = executor.withTables<QuoteVatColumns>();
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

  async function insertLines(quoteId: QuoteId, lines: QuoteLineRecord[]): Promise<void> {
    for (const part of chunked(lines)) {
      await db
        .insertInto('quote_lines')
        .values(
          part.map((l) => ({
            ...pricedLineToRow(l),
            tenant_id: tenantId,
            quote_id: quoteId,
            line_key: l.lineKey,
            tax_class: l.taxClass,
            line_discount_kind: l.lineDiscount?.kind ?? null,
            line_discount_minor: l.lineDiscountMinor,
            quote_discount_minor: l.quoteDiscountMinor,
            optional: l.optional,
            selected: l.selected,
            unit_cost_minor: l.unitCostMinor,
            cost_minor: l.costMinor,
            trail: toJson(l.trail),
            bundle: lineBundleToJson(l.bundle),
            invoicing_policy: l.invoicingPolicy,
          })),
        )
        .execute();
    }
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
            root_id: quote.rootId,
            previous_version_id: quote.previousVersionId,
            customer_id: quote.customerId,
            currency: quote.currency,
            status: quote.status,
            quote_date: quote.quoteDate,
            valid_until: quote.validUntil,
            payment_terms_days: quote.paymentTermsDays,
            notes: quote.notes,
            ...pricingColumns(quote),
            sent_at: quote.sentAt,
            accepted_at: quote.acceptedAt,
            declined_reason: quote.declinedReason,
            declined_at: quote.declinedAt,
            expired_at: quote.expiredAt,
            superseded_at: quote.supersededAt,
            created_at: quote.createdAt,
          })
          .execute();
        await insertLines(quote.id, quote.lines);
      });
    },

    get: (id) => load(id, false),
    getForUpdate: (id) => load(id, true),

    async list(page, filter = {}) {
      const limit = pageLimit(page);
      let q = db.selectFrom('quotes').selectAll().where('tenant_id', '=', tenantId);
      if (!filter.allVersions) {
        q = q.where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('quotes as newer')
                .select(sql`1`.as('one'))
                .whereRef('newer.tenant_id', '=', 'quotes.tenant_id')
                .whereRef('newer.root_id', '=', 'quotes.root_id')
                .whereRef('newer.version', '>', 'quotes.version'),
            ),
          ),
        );
      }
      if (filter.statuses !== undefined) {
        // an empty set matches nothing (`in ()` is not SQL)
        q = filter.statuses.length === 0 ? q.where(sql<SqlBool>`false`) : q.where('quotes.status', 'in', filter.statuses);
      }
      if (filter.customerId !== undefined) q = q.where('quotes.customer_id', '=', filter.customerId);
      if (filter.q !== undefined) {
        const like = containsPattern(filter.q);
        q = q.where((eb) =>
          eb.or([
            eb('quotes.number', 'ilike', like),
            eb.exists(
              eb
                .selectFrom('customers')
                .select(sql`1`.as('one'))
                .whereRef('customers.tenant_id', '=', 'quotes.tenant_id')
                .whereRef('customers.id', '=', 'quotes.customer_id')
                .where('customers.name', 'ilike', like),
            ),
          ]),
        );
      }
      const rows = await keyset(q, page, SORTS, 'quotes.id').limit(limit + 1).execute();
      const lines = await linesOf(rows.slice(0, limit).map((r) => r.id));
      return toKeysetPage(rows, limit, page, (r) => fromRow(r, lines.get(r.id) ?? []));
    },

    async listVersions(rootId) {
      const rows = await db
        .selectFrom('quotes')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('root_id', '=', rootId)
        .orderBy('version')
        .execute();
      const lines = await linesOf(rows.map((r) => r.id));
      return rows.map((r) => fromRow(r, lines.get(r.id) ?? []));
    },

    async decline(id, reason, at) {
      const result = await db
        .updateTable('quotes')
        .set({ status: 'declined', declined_reason: reason, declined_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'sent')
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async replaceDraft(id, c) {
      const result = await db
        .updateTable('quotes')
        .set({
          valid_until: c.validUntil,
          payment_terms_days: c.paymentTermsDays,
          notes: c.notes,
          ...pricingColumns(c),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) return false;
      await db.deleteFrom('quote_lines').where('tenant_id', '=', tenantId).where('quote_id', '=', id).execute();
      await insertLines(id, c.lines);
      return true;
    },

    async supersedeOthers(rootId, exceptId, at) {
      const rows = await db
        .updateTable('quotes')
        .set({ status: 'superseded', superseded_at: at })
        .where('tenant_id', '=', tenantId)
        .where('root_id', '=', rootId)
        .where('id', '<>', exceptId)
        .where('status', '=', 'sent')
        .returning('id')
        .execute();
      return rows.map((r) => asId('quote', r.id));
    },

    async expireDue(today, at) {
      const rows = await db
        .updateTable('quotes')
        .set({ status: 'expired', expired_at: at })
        .where('tenant_id', '=', tenantId)
        .where('status', 'in', [...EDITABLE, 'sent'])
        .where('valid_until', '<', today)
        .returning(['id', 'number', 'version'])
        .execute();
      return rows.map((r) => ({ id: asId('quote', r.id), number: r.number, version: r.version }));
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
