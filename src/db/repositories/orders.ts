import { sql, type Selectable, type SqlBool } from 'kysely';
import type {
  InvoicingPolicy,
  OrderLineDelta,
  OrderLineRecord,
  OrderRecord,
  OrderRepo,
  OrderStatus,
  OrderVersionRecord,
  ProductKind,
} from '../../app/ports.js';
import type { Decimal4 } from '../../core/money/quantity.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import { asId, type OrderId, type TenantId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { Generated, Int8, OrderLinesTable, OrdersTable } from '../schema.js';
import { lineBundleFromJson, lineBundleToJson, pricedLineFromRow, pricedLineToRow } from './priced-line.js';
import { containsPattern, keyset, toKeysetPage, type SortColumns } from './list-query.js';
import { chunked, CHECK_VIOLATION, dec, decText, groupBy, guardInsert, pageLimit, pgConstraint, pgErrorCode, toJson, type Executor } from './shared.js';

const SORTS: SortColumns = {
  number: { expr: sql.ref('orders.number'), type: 'text' },
  date: { expr: sql.ref('orders.order_date'), type: 'date' },
  total: { expr: sql.ref('orders.gross_total_minor'), type: 'bigint' },
};

/** Columns added by migration 2830_prices_including_vat, declared here rather than in the shared schema.ts. */
type OrderVatColumns = {
  orders: { prices_include_vat: Generated<boolean>; rounding_minor: Generated<Int8> };
};

type Row = Selectable<OrdersTable & OrderVatColumns['orders']>;
type LineRow = Selectable<OrderLinesTable>;

function lineFromRow(r: LineRow): OrderLineRecord {
  return {
    ...pricedLineFromRow(r),
    taxClass: r.tax_class as TaxClass,
    quantityAllocated: dec(r.quantity_allocated),
    quantityShipped: dec(r.quantity_shipped),
    quantityDelivered: dec(r.quantity_delivered),
    quantityInvoiced: dec(r.quantity_invoiced),
    netInvoicedMinor: r.net_invoiced_minor,
    quantityCancelled: dec(r.quantity_cancelled),
    quantityReserved: dec(r.quantity_reserved),
    quantityReturned: dec(r.quantity_returned),
    quantityReplacement: dec(r.quantity_replacement),
    quantityCredited: dec(r.quantity_credited),
    invoicingPolicy: r.invoicing_policy as InvoicingPolicy,
    fulfilmentKind: r.fulfilment_kind as ProductKind,
    stockTracked: r.stock_tracked,
    addedInVersion: r.added_in_version,
    bundle: lineBundleFromJson(r.bundle),
  };
}

function lineToRow(tenantId: TenantId, orderId: OrderId, l: OrderLineRecord) {
  return {
    ...pricedLineToRow(l),
    tenant_id: tenantId,
    order_id: orderId,
    tax_class: l.taxClass,
    quantity_allocated: decText(l.quantityAllocated),
    quantity_shipped: decText(l.quantityShipped),
    quantity_delivered: decText(l.quantityDelivered),
    quantity_invoiced: decText(l.quantityInvoiced),
    net_invoiced_minor: l.netInvoicedMinor,
    quantity_cancelled: decText(l.quantityCancelled),
    quantity_reserved: decText(l.quantityReserved),
    quantity_returned: decText(l.quantityReturned),
    quantity_replacement: decText(l.quantityReplacement),
    quantity_credited: decText(l.quantityCredited),
    invoicing_policy: l.invoicingPolicy,
    fulfilment_kind: l.fulfilmentKind,
    stock_tracked: l.stockTracked,
    added_in_version: l.addedInVersion,
    bundle: lineBundleToJson(l.bundle),
  };
}

function fromRow(r: Row, lines: LineRow[]): OrderRecord {
  return {
    id: asId('order', r.id),
    number: r.number,
    quoteId: asId('quote', r.quote_id),
    customerId: asId('customer', r.customer_id),
    currency: r.currency,
    status: r.status as OrderStatus,
    orderDate: r.order_date,
    paymentTermsDays: r.payment_terms_days,
    netTotalMinor: r.net_total_minor,
    vatTotalMinor: r.vat_total_minor,
    grossTotalMinor: r.gross_total_minor,
    pricesIncludeVat: r.prices_include_vat,
    roundingMinor: BigInt(r.rounding_minor),
    confirmedAt: r.confirmed_at,
    createdAt: r.created_at,
    version: r.version,
    holdReason: r.hold_reason,
    heldAt: r.held_at,
    releasedAt: r.released_at,
    releasedBy: r.released_by,
    customerConfirmedAt: r.customer_confirmed_at,
    cancelledAt: r.cancelled_at,
    closedAt: r.closed_at,
    lines: lines.map(lineFromRow),
  };
}

const QUANTITY_COLUMNS = {
  allocated: 'quantity_allocated',
  shipped: 'quantity_shipped',
  delivered: 'quantity_delivered',
  invoiced: 'quantity_invoiced',
  cancelled: 'quantity_cancelled',
  reserved: 'quantity_reserved',
  returned: 'quantity_returned',
  replacement: 'quantity_replacement',
  credited: 'quantity_credited',
} as const;

interface VersionLineJson {
  line_no: number;
  product_id: string | null;
  description: string;
  quantity: string;
  unit: string;
  unit_price_minor: string;
  net_amount_minor: string;
  vat_rate: string;
}

export function orderRepo(executor: Executor, tenantId: TenantId): OrderRepo {
  const db = executor.withTables<OrderVatColumns>();
  async function linesOf(ids: string[]): Promise<Map<string, LineRow[]>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('order_lines')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('order_id', 'in', ids)
      .orderBy('order_id')
      .orderBy('line_no')
      .execute();
    return groupBy(rows, (r) => r.order_id);
  }

  async function load(id: OrderId, forUpdate: boolean): Promise<OrderRecord | undefined> {
    let q = db.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    if (forUpdate) q = q.forUpdate();
    const row = await q.executeTakeFirst();
    if (!row) return undefined;
    return fromRow(row, (await linesOf([row.id])).get(row.id) ?? []);
  }

  async function applyDelta(id: OrderId, delta: OrderLineDelta): Promise<void> {
    const set: Record<string, ReturnType<typeof sql>> = {};
    for (const [field, column] of Object.entries(QUANTITY_COLUMNS) as [keyof typeof QUANTITY_COLUMNS, string][]) {
      const amount: Decimal4 | undefined = delta[field];
      if (amount !== undefined && amount.scaled !== 0n) {
        set[column] = sql`${sql.ref(column)} + ${decText(amount)}::numeric`;
      }
    }
    if (delta.netInvoicedMinor !== undefined && delta.netInvoicedMinor !== 0n) {
      set.net_invoiced_minor = sql`net_invoiced_minor + ${delta.netInvoicedMinor}::bigint`;
    }
    if (Object.keys(set).length === 0) return;
    let updated: bigint;
    try {
      const result = await db
        .updateTable('order_lines')
        .set(set)
        .where('tenant_id', '=', tenantId)
        .where('order_id', '=', id)
        .where('line_no', '=', delta.lineNo)
        .executeTakeFirst();
      updated = result.numUpdatedRows;
    } catch (error) {
      if (pgErrorCode(error) === CHECK_VIOLATION) {
        throw new DomainError(
          'quantity_exceeds_open',
          `Order ${id} line ${delta.lineNo}: the change would break ${pgConstraint(error) ?? 'a quantity rule'} ` +
            '(cannot allocate, ship, deliver or invoice more than is open, nor take back more than was recorded).',
        );
      }
      throw error;
    }
    if (updated === 0n) throw notFound('order line', `${id}#${delta.lineNo}`);
  }

  return {
    async insert(order) {
      await guardInsert(`order ${order.id} (number ${order.number})`, async () => {
        await db
          .insertInto('orders')
          .values({
            tenant_id: tenantId,
            id: order.id,
            number: order.number,
            quote_id: order.quoteId,
            customer_id: order.customerId,
            currency: order.currency,
            status: order.status,
            order_date: order.orderDate,
            payment_terms_days: order.paymentTermsDays,
            net_total_minor: order.netTotalMinor,
            vat_total_minor: order.vatTotalMinor,
            gross_total_minor: order.grossTotalMinor,
            prices_include_vat: order.pricesIncludeVat,
            rounding_minor: order.roundingMinor,
            confirmed_at: order.confirmedAt,
            created_at: order.createdAt,
            version: order.version,
            hold_reason: order.holdReason,
            held_at: order.heldAt,
            released_at: order.releasedAt,
            released_by: order.releasedBy,
            customer_confirmed_at: order.customerConfirmedAt,
            cancelled_at: order.cancelledAt,
            closed_at: order.closedAt,
          })
          .execute();
        for (const part of chunked(order.lines)) {
          await db
            .insertInto('order_lines')
            .values(part.map((l) => lineToRow(tenantId, order.id, l)))
            .execute();
        }
      });
    },

    async addLines(id, lines) {
      for (const part of chunked(lines)) {
        await db
          .insertInto('order_lines')
          .values(part.map((l) => lineToRow(tenantId, id, l)))
          .execute();
      }
    },

    async updateHeader(id, p) {
      const set = {
        ...(p.version !== undefined ? { version: p.version } : {}),
        ...(p.netTotalMinor !== undefined ? { net_total_minor: p.netTotalMinor } : {}),
        ...(p.vatTotalMinor !== undefined ? { vat_total_minor: p.vatTotalMinor } : {}),
        ...(p.grossTotalMinor !== undefined ? { gross_total_minor: p.grossTotalMinor } : {}),
        ...(p.roundingMinor !== undefined ? { rounding_minor: p.roundingMinor } : {}),
        ...(p.holdReason !== undefined ? { hold_reason: p.holdReason } : {}),
        ...(p.heldAt !== undefined ? { held_at: p.heldAt } : {}),
        ...(p.releasedAt !== undefined ? { released_at: p.releasedAt } : {}),
        ...(p.releasedBy !== undefined ? { released_by: p.releasedBy } : {}),
        ...(p.customerConfirmedAt !== undefined ? { customer_confirmed_at: p.customerConfirmedAt } : {}),
        ...(p.cancelledAt !== undefined ? { cancelled_at: p.cancelledAt } : {}),
        ...(p.closedAt !== undefined ? { closed_at: p.closedAt } : {}),
      };
      if (Object.keys(set).length === 0) return;
      await db.updateTable('orders').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    async insertVersion(v) {
      await guardInsert(`order ${v.orderId} version ${v.version}`, () =>
        db
          .insertInto('order_versions')
          .values({
            tenant_id: tenantId,
            order_id: v.orderId,
            version: v.version,
            lines: toJson(
              v.lines.map(
                (l): VersionLineJson => ({
                  line_no: l.lineNo,
                  product_id: l.productId,
                  description: l.description,
                  quantity: decText(l.quantity),
                  unit: l.unit,
                  unit_price_minor: l.unitPriceMinor.toString(),
                  net_amount_minor: l.netAmountMinor.toString(),
                  vat_rate: decText(l.vatRate),
                }),
              ),
            ),
            net_total_minor: v.netTotalMinor,
            vat_total_minor: v.vatTotalMinor,
            gross_total_minor: v.grossTotalMinor,
            changes: toJson(v.changes),
            reason: v.reason,
            created_at: v.createdAt,
            confirmed_at: v.confirmedAt,
            confirmed_by: v.confirmedBy,
          })
          .execute(),
      );
    },

    async listVersions(id) {
      const rows = await db
        .selectFrom('order_versions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('order_id', '=', id)
        .orderBy('version')
        .execute();
      return rows.map((r) => ({
        orderId: asId('order', r.order_id),
        version: r.version,
        lines: (r.lines as VersionLineJson[]).map((l) => ({
          lineNo: l.line_no,
          productId: l.product_id === null ? null : asId('product', l.product_id),
          description: l.description,
          quantity: dec(l.quantity),
          unit: l.unit,
          unitPriceMinor: BigInt(l.unit_price_minor),
          netAmountMinor: BigInt(l.net_amount_minor),
          vatRate: dec(l.vat_rate),
        })),
        netTotalMinor: r.net_total_minor,
        vatTotalMinor: r.vat_total_minor,
        grossTotalMinor: r.gross_total_minor,
        changes: r.changes as OrderVersionRecord['changes'],
        reason: r.reason,
        createdAt: r.created_at,
        confirmedAt: r.confirmed_at,
        confirmedBy: r.confirmed_by as OrderVersionRecord['confirmedBy'],
      }));
    },

    async confirmVersion(id, version, at, by) {
      await db
        .updateTable('order_versions')
        .set({ confirmed_at: at, confirmed_by: by })
        .where('tenant_id', '=', tenantId)
        .where('order_id', '=', id)
        .where('version', '=', version)
        .where('confirmed_at', 'is', null)
        .execute();
    },

    async insertChangeRequest(r) {
      await db
        .insertInto('order_change_requests')
        .values({ tenant_id: tenantId, id: r.id, order_id: r.orderId, version: r.version, comment: r.comment, created_at: r.createdAt })
        .execute();
    },

    async listChangeRequests(id) {
      const rows = await db
        .selectFrom('order_change_requests')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('order_id', '=', id)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: r.id, orderId: asId('order', r.order_id), version: r.version, comment: r.comment, createdAt: r.created_at }));
    },

    get: (id) => load(id, false),
    getForUpdate: (id) => load(id, true),

    async list(page, filter = {}) {
      const limit = pageLimit(page);
      let q = db.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId);
      if (filter.statuses !== undefined) {
        // an empty set matches nothing (`in ()` is not SQL)
        q = filter.statuses.length === 0 ? q.where(sql<SqlBool>`false`) : q.where('orders.status', 'in', filter.statuses);
      }
      if (filter.customerId !== undefined) q = q.where('orders.customer_id', '=', filter.customerId);
      if (filter.q !== undefined) {
        const like = containsPattern(filter.q);
        q = q.where((eb) =>
          eb.or([
            eb('orders.number', 'ilike', like),
            eb.exists(
              eb
                .selectFrom('customers')
                .select(sql`1`.as('one'))
                .whereRef('customers.tenant_id', '=', 'orders.tenant_id')
                .whereRef('customers.id', '=', 'orders.customer_id')
                .where('customers.name', 'ilike', like),
            ),
          ]),
        );
      }
      const rows = await keyset(q, page, SORTS, 'orders.id').limit(limit + 1).execute();
      const lines = await linesOf(rows.slice(0, limit).map((r) => r.id));
      return toKeysetPage(rows, limit, page, (r) => fromRow(r, lines.get(r.id) ?? []));
    },

    async transition(id, from, to, at) {
      const result = await db
        .updateTable('orders')
        .set({
          status: to,
          ...(to === 'confirmed' ? { confirmed_at: at } : {}),
          ...(to === 'on_hold' ? { held_at: at } : {}),
          ...(to === 'cancelled' ? { cancelled_at: at } : {}),
          ...(to === 'closed' ? { closed_at: at } : {}),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    /**
     * One UPDATE per delta, adding signed amounts in SQL numeric arithmetic; the table's CHECKs refuse
     * any result that breaks an invariant (check_violation → quantity_exceeds_open). Call it inside a
     * transaction: a refused delta aborts the transaction, so the earlier deltas roll back with it.
     */
    async applyLineDeltas(id, deltas) {
      for (const delta of deltas) await applyDelta(id, delta);
    },
  };
}
