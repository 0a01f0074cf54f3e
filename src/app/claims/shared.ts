/** Helpers shared by the claim use cases: loading, numbering, the frozen order line, saving with events. */
import type { Claim, ClaimOrderLine } from '../../core/claims/claims.js';
import { yearlyNumber } from '../../core/documents/numbers.js';
import { money } from '../../core/money/money.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import { yearOf } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { Id } from '../../core/shared/ids.js';
import type { ClaimRecord, DeliveryRecord, OrderLineRecord, OrderRecord, ResolutionLinks, Store, TenantRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export type ClaimId = Id<'claim'>;

/** `<prefix>-<year>-<seq>` from the gapless series of that prefix and year (CLM-2026-0001, RMA-2026-0001). */
export async function nextNumber(s: Store, env: Env, prefix: 'CLM' | 'RMA'): Promise<string> {
  const year = yearOf(env.clock.today());
  const seq = await s.series.next(`${prefix}-${year}`);
  return yearlyNumber(prefix, year, seq);
}

export async function tenantOf(s: Store): Promise<TenantRecord> {
  const tenant = await s.tenant.get();
  if (!tenant) throw notFound('tenant', s.tenantId);
  return tenant;
}

export async function loadClaim(s: Store, id: ClaimId, forUpdate = false): Promise<ClaimRecord> {
  const claim = forUpdate ? await s.claims.getForUpdate(id) : await s.claims.get(id);
  if (!claim) throw notFound('claim', id);
  return claim;
}

/** An open claim, locked; claim_not_open (409) otherwise. */
export async function loadOpenClaim(s: Store, id: ClaimId): Promise<ClaimRecord> {
  const claim = await loadClaim(s, id, true);
  if (claim.status !== 'open') {
    throw new DomainError('claim_not_open', `Claim ${claim.number} is ${claim.status}; only an open claim can be changed`);
  }
  return claim;
}

export async function loadOrder(s: Store, claim: Pick<ClaimRecord, 'orderId'>): Promise<OrderRecord> {
  const order = await s.orders.get(claim.orderId);
  if (!order) throw notFound('order', claim.orderId);
  return order;
}

export function orderLineOf(order: OrderRecord, lineNo: number): OrderLineRecord {
  const line = order.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw notFound('order line', `${order.id}#${lineNo}`);
  return line;
}

/** The order line's frozen figures, which every credit and bound of a claim is priced from. */
export function claimOrderLine(order: OrderRecord, line: OrderLineRecord): ClaimOrderLine {
  return {
    ordered: line.quantity,
    orderedGross: money(line.grossAmountMinor, order.currency),
    orderedNet: money(line.netAmountMinor, order.currency),
    vatRate: line.vatRate,
  };
}

export async function loadDelivery(s: Store, id: DeliveryRecord['id'], forUpdate = false): Promise<DeliveryRecord> {
  const d = forUpdate ? await s.deliveries.getForUpdate(id) : await s.deliveries.get(id);
  if (!d) throw notFound('delivery', id);
  return d;
}

const NO_LINKS: ResolutionLinks = { rmaNumber: null, deliveryId: null, creditRequestId: null };

/**
 * The stored claim after a core step: the core claim's status and resolutions with the links of the
 * resolutions as they were (the core model does not know them), plus `links` for resolution `index`.
 */
export function mergeClaim(env: Env, prev: ClaimRecord, next: Claim, at?: { index: number; links: Partial<ResolutionLinks> }): ClaimRecord {
  const resolutions = next.resolutions.map((r, i) => {
    const old = prev.resolutions[i];
    const links: ResolutionLinks = old ? { rmaNumber: old.rmaNumber, deliveryId: old.deliveryId, creditRequestId: old.creditRequestId } : NO_LINKS;
    return { ...r, ...links, ...(at?.index === i ? at.links : {}) };
  });
  const closing = prev.status === 'open' && next.status !== 'open';
  return {
    ...prev,
    status: next.status,
    rejectionReason: next.rejectionReason,
    resolutions,
    closedAt: closing ? env.clock.now() : prev.closedAt,
  };
}

export const claimEventPayload = (c: ClaimRecord) => ({
  id: c.id,
  number: c.number,
  order_id: c.orderId,
  order_line_no: c.orderLineNo,
  delivery_id: c.deliveryId,
  delivery_line_no: c.deliveryLineNo,
  reason: c.reason,
  quantity: formatDecimal4(c.quantity),
  status: c.status,
});

/**
 * Saves a changed open claim (guarded: it must still be open), audits `action`, and when the change
 * resolved the claim records claim.resolved (audit and outbox event).
 */
export async function saveClaim(s: Store, env: Env, prev: ClaimRecord, next: ClaimRecord, action: string, data: unknown): Promise<ClaimRecord> {
  if (!(await s.claims.update(next))) {
    throw new DomainError('claim_not_open', `Claim ${prev.number} changed while it was being updated; reload it`);
  }
  await recordChange(s, env, { action, entityType: 'claim', entityId: next.id, data });
  if (prev.status === 'open' && next.status === 'resolved') {
    await recordChange(s, env, {
      action: 'claim.resolved',
      entityType: 'claim',
      entityId: next.id,
      data: { resolutions: next.resolutions.length },
      event: { type: 'claim.resolved', payload: claimEventPayload(next) },
    });
  }
  return next;
}
