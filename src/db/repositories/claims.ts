/**
 * Claims, claim photos and credit requests. A claim's resolutions are kept in its `resolutions` jsonb
 * column as the core model has them (src/core/claims/claims.ts), with decimals and minor units as
 * strings, plus what carried them out (RMA number, replacement delivery, credit request).
 */
import { sql, type Selectable } from 'kysely';
import type {
  ClaimPhotoRecord, ClaimRecord, ClaimRepo, ClaimResolutionRecord, CreditRequestRecord, CreditRequestStatus,
} from '../../app/ports.js';
import type { ClaimStatus, ProblemReason, ReturnDisposition } from '../../core/claims/claims.js';
import { money } from '../../core/money/money.js';
import { addD, ZERO_D } from '../../core/money/quantity.js';
import { asId, type CustomerId, type TenantId } from '../../core/shared/ids.js';
import type { ClaimsTable, CreditRequestsTable } from '../schema.js';
import { containsPattern, keyset, toKeysetPage, type SortColumns } from './list-query.js';
import { dec, decText, guardInsert, pageLimit, toJson, type Executor } from './shared.js';

const SORTS: SortColumns = {
  number: { expr: sql.ref('claims.number'), type: 'text' },
  reported: { expr: sql.ref('claims.reported_at'), type: 'timestamptz' },
};

/** A resolution as stored in claims.resolutions. */
interface ResolutionJson {
  kind: 'replacement' | 'return' | 'credit' | 'price_concession';
  status: string;
  quantity?: string;
  amount_minor?: string;
  currency?: string;
  received?: { quantity: string; disposition: ReturnDisposition } | null;
  rma_number: string | null;
  delivery_id: string | null;
  credit_request_id: string | null;
}

function resolutionToJson(r: ClaimResolutionRecord): ResolutionJson {
  const links = { rma_number: r.rmaNumber, delivery_id: r.deliveryId, credit_request_id: r.creditRequestId };
  switch (r.kind) {
    case 'price_concession':
      return { kind: r.kind, status: r.status, amount_minor: r.amount.minor.toString(), currency: r.amount.currency, ...links };
    case 'return':
      return {
        kind: r.kind,
        status: r.status,
        quantity: decText(r.quantity),
        received: r.received === null ? null : { quantity: decText(r.received.quantity), disposition: r.received.disposition },
        ...links,
      };
    default:
      return { kind: r.kind, status: r.status, quantity: decText(r.quantity), ...links };
  }
}

function resolutionFromJson(j: ResolutionJson): ClaimResolutionRecord {
  const links = {
    rmaNumber: j.rma_number ?? null,
    deliveryId: j.delivery_id === null || j.delivery_id === undefined ? null : asId('delivery', j.delivery_id),
    creditRequestId: j.credit_request_id === null || j.credit_request_id === undefined ? null : asId('creditRequest', j.credit_request_id),
  };
  switch (j.kind) {
    case 'price_concession':
      return { kind: j.kind, status: j.status as 'pending' | 'requested', amount: money(BigInt(j.amount_minor ?? '0'), j.currency ?? ''), ...links };
    case 'return':
      return {
        kind: j.kind,
        status: j.status as 'expected' | 'received' | 'credited',
        quantity: dec(j.quantity ?? '0'),
        received: j.received ? { quantity: dec(j.received.quantity), disposition: j.received.disposition } : null,
        ...links,
      };
    case 'replacement':
      return { kind: j.kind, status: j.status as 'pending' | 'shipped', quantity: dec(j.quantity ?? '0'), ...links };
    case 'credit':
      return { kind: j.kind, status: j.status as 'pending' | 'requested', quantity: dec(j.quantity ?? '0'), ...links };
  }
}

function claimFromRow(r: Selectable<ClaimsTable>): ClaimRecord {
  return {
    id: asId('claim', r.id),
    number: r.number,
    orderId: asId('order', r.order_id),
    orderLineNo: r.order_line_no,
    deliveryId: asId('delivery', r.delivery_id),
    deliveryLineNo: r.delivery_line_no,
    reason: r.reason as ProblemReason,
    description: r.description,
    quantity: dec(r.quantity),
    status: r.status as ClaimStatus,
    rejectionReason: r.rejection_reason,
    resolutions: ((r.resolutions ?? []) as ResolutionJson[]).map(resolutionFromJson),
    reportedBy: r.reported_by as 'customer' | 'staff',
    reportedAt: r.reported_at,
    closedAt: r.closed_at,
  };
}

function creditRequestFromRow(r: Selectable<CreditRequestsTable>): CreditRequestRecord {
  return {
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
}

export function claimRepo(db: Executor, tenantId: TenantId): ClaimRepo {
  const claims = () => db.selectFrom('claims').selectAll().where('tenant_id', '=', tenantId);

  return {
    async insert(c) {
      await guardInsert(`claim ${c.id} (number ${c.number})`, () =>
        db
          .insertInto('claims')
          .values({
            tenant_id: tenantId,
            id: c.id,
            number: c.number,
            order_id: c.orderId,
            order_line_no: c.orderLineNo,
            delivery_id: c.deliveryId,
            delivery_line_no: c.deliveryLineNo,
            reason: c.reason,
            quantity: decText(c.quantity),
            description: c.description,
            status: c.status,
            resolutions: toJson(c.resolutions.map(resolutionToJson)),
            rejection_reason: c.rejectionReason,
            reported_by: c.reportedBy,
            reported_at: c.reportedAt,
            closed_at: c.closedAt,
          })
          .execute(),
      );
    },

    async get(id) {
      const row = await claims().where('id', '=', id).executeTakeFirst();
      return row && claimFromRow(row);
    },

    async getForUpdate(id) {
      const row = await claims().where('id', '=', id).forUpdate().executeTakeFirst();
      return row && claimFromRow(row);
    },

    async list(filter, page) {
      const limit = pageLimit(page);
      let q = claims();
      if (filter.orderId !== undefined) q = q.where('order_id', '=', filter.orderId);
      if (filter.deliveryId !== undefined) q = q.where('delivery_id', '=', filter.deliveryId);
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      const customerId = filter.customerId;
      if (customerId !== undefined) {
        // a claim is on an order line: the order says whose it is
        q = q.where((eb) =>
          eb.exists(
            eb
              .selectFrom('orders')
              .select(sql`1`.as('one'))
              .whereRef('orders.tenant_id', '=', 'claims.tenant_id')
              .whereRef('orders.id', '=', 'claims.order_id')
              .where('orders.customer_id', '=', customerId),
          ),
        );
      }
      if (filter.q !== undefined) {
        const like = containsPattern(filter.q);
        q = q.where((eb) =>
          eb.or([
            eb('claims.number', 'ilike', like),
            eb('claims.description', 'ilike', like),
            eb.exists(
              eb
                .selectFrom('orders')
                .innerJoin('customers', (j) => j.onRef('customers.tenant_id', '=', 'orders.tenant_id').onRef('customers.id', '=', 'orders.customer_id'))
                .select(sql`1`.as('one'))
                .whereRef('orders.tenant_id', '=', 'claims.tenant_id')
                .whereRef('orders.id', '=', 'claims.order_id')
                .where((o) => o.or([o('orders.number', 'ilike', like), o('customers.name', 'ilike', like)])),
            ),
          ]),
        );
      }
      const rows = await keyset(q, page, SORTS, 'claims.id').limit(limit + 1).execute();
      return toKeysetPage(rows, limit, page, claimFromRow);
    },

    async labels(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('claims')
        .innerJoin('orders', (j) => j.onRef('orders.tenant_id', '=', 'claims.tenant_id').onRef('orders.id', '=', 'claims.order_id'))
        .innerJoin('deliveries', (j) => j.onRef('deliveries.tenant_id', '=', 'claims.tenant_id').onRef('deliveries.id', '=', 'claims.delivery_id'))
        .innerJoin('customers', (j) => j.onRef('customers.tenant_id', '=', 'orders.tenant_id').onRef('customers.id', '=', 'orders.customer_id'))
        .select(['claims.id as id', 'orders.number as order_number', 'deliveries.number as delivery_number', 'customers.id as customer_id', 'customers.name as customer_name'])
        .where('claims.tenant_id', '=', tenantId)
        .where('claims.id', 'in', [...ids])
        .execute();
      return new Map(rows.map((r) => [r.id, { orderNumber: r.order_number, deliveryNumber: r.delivery_number, customerId: r.customer_id as CustomerId, customerName: r.customer_name }]));
    },

    async listByOrders(orderIds) {
      if (orderIds.length === 0) return [];
      const rows = await claims().where('order_id', 'in', orderIds).orderBy('id').execute();
      return rows.map(claimFromRow);
    },

    async update(c) {
      const r = await db
        .updateTable('claims')
        .set({
          status: c.status,
          resolutions: toJson(c.resolutions.map(resolutionToJson)),
          rejection_reason: c.rejectionReason,
          closed_at: c.closedAt,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', c.id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    async insertPhoto(p) {
      await guardInsert(`claim photo ${p.id}`, () =>
        db
          .insertInto('claim_photos')
          .values({ tenant_id: tenantId, id: p.id, claim_id: p.claimId, content_type: p.contentType, bytes: p.bytes, created_at: p.createdAt })
          .execute(),
      );
    },

    async listPhotos(claimId) {
      const rows = await db
        .selectFrom('claim_photos')
        .select(['id', 'claim_id', 'content_type', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('claim_id', '=', claimId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        id: asId('claimPhoto', r.id),
        claimId: asId('claim', r.claim_id),
        contentType: r.content_type as ClaimPhotoRecord['contentType'],
        createdAt: r.created_at,
      }));
    },

    async insertCreditRequest(r) {
      await guardInsert(`credit request ${r.id}`, () =>
        db
          .insertInto('credit_requests')
          .values({
            tenant_id: tenantId,
            id: r.id,
            claim_id: r.claimId,
            order_id: r.orderId,
            order_line_no: r.orderLineNo,
            kind: r.kind,
            quantity: r.quantity === null ? null : decText(r.quantity),
            currency: r.currency,
            net_minor: r.netMinor,
            vat_rate: decText(r.vatRate),
            status: r.status,
            created_at: r.createdAt,
          })
          .execute(),
      );
    },

    async listCreditRequests(filter) {
      let q = db.selectFrom('credit_requests').selectAll().where('tenant_id', '=', tenantId);
      if (filter.orderId !== undefined) q = q.where('order_id', '=', filter.orderId);
      if (filter.claimId !== undefined) q = q.where('claim_id', '=', filter.claimId);
      const rows = await q.orderBy('id').execute();
      return rows.map(creditRequestFromRow);
    },

    async creditedOnLine(orderId, orderLineNo) {
      const rows = await db
        .selectFrom('credit_requests')
        .select(['quantity', 'net_minor'])
        .where('tenant_id', '=', tenantId)
        .where('order_id', '=', orderId)
        .where('order_line_no', '=', orderLineNo)
        .where('quantity', 'is not', null)
        .where('status', '<>', 'cancelled')
        .execute();
      let quantity = ZERO_D;
      let netMinor = 0n;
      for (const r of rows) {
        if (r.quantity !== null) quantity = addD(quantity, dec(r.quantity));
        netMinor += BigInt(r.net_minor);
      }
      return { quantity, netMinor };
    },

    async startPendingReviews(deliveryId) {
      let q = db
        .updateTable('deliveries')
        .set({ review_status: 'awaiting_review' })
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'delivered')
        .where('review_status', 'is', null);
      if (deliveryId !== undefined) q = q.where('id', '=', deliveryId);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}

