import { sql, type Selectable } from 'kysely';
import type { OrderLineDelta, OrderLineRecord, OrderRecord, OrderRepo, OrderStatus } from '../../app/ports.js';
import type { Decimal4 } from '../../core/money/quantity.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import { asId, type OrderId, type TenantId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { OrderLinesTable, OrdersTable } from '../schema.js';
import { lineBundleFromJson, lineBundleToJson, pricedLineFromRow, pricedLineToRow } from './priced-line.js';
import {
  CHECK_VIOLATION,
  dec,
  decText,
  groupBy,
  guardInsert,
  pageLimit,
  pgConstraint,
  pgErrorCode,
  toPage,
  type Executor,
} from './shared.js';

type Row = Selectable<OrdersTable>;
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
    bundle: lineBundleFromJson(r.bundle),
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
    confirmedAt: r.confirmed_at,
    createdAt: r.created_at,
    lines: lines.map(lineFromRow),
  };
}

const QUANTITY_COLUMNS = {
  allocated: 'quantity_allocated',
  shipped: 'quantity_shipped',
  delivered: 'quantity_delivered',
  invoiced: 'quantity_invoiced',
} as const;

export function orderRepo(db: Executor, tenantId: TenantId): OrderRepo {
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
            confirmed_at: order.confirmedAt,
            created_at: order.createdAt,
          })
          .execute();
        if (order.lines.length > 0) {
          await db
            .insertInto('order_lines')
            .values(
              order.lines.map((l) => ({
                ...pricedLineToRow(l),
                tenant_id: tenantId,
                order_id: order.id,
                tax_class: l.taxClass,
                quantity_allocated: decText(l.quantityAllocated),
                quantity_shipped: decText(l.quantityShipped),
                quantity_delivered: decText(l.quantityDelivered),
                quantity_invoiced: decText(l.quantityInvoiced),
                net_invoiced_minor: l.netInvoicedMinor,
                bundle: lineBundleToJson(l.bundle),
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
      let q = db.selectFrom('orders').selectAll().where('tenant_id', '=', tenantId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      const lines = await linesOf(rows.slice(0, limit).map((r) => r.id));
      return toPage(rows, limit, (r) => fromRow(r, lines.get(r.id) ?? []));
    },

    async transition(id, from, to, at) {
      const result = await db
        .updateTable('orders')
        .set({ status: to, ...(to === 'confirmed' ? { confirmed_at: at } : {}) })
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
