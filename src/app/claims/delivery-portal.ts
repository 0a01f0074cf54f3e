/**
 * The customer's side of a delivery: staff make a portal link for a delivered delivery; through it
 * the customer sees what was delivered (and what is already claimed), confirms receipt or reports
 * problems, and adds photos to the claims. Links are document portal links (../portal/document-links.ts).
 */
import { claimedQuantity, isReviewOverdue, reviewDeadline } from '../../core/claims/claims.js';
import type { Quantity } from '../../core/money/quantity.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { DeliveryId } from '../../core/shared/ids.js';
import { createDocumentLink } from '../portal/document-links.js';
import type { ClaimRecord, CustomerRecord, DeliveryRecord, DocumentLinkRecord, OrderRecord, Store, TenantRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { loadDelivery, tenantOf } from './shared.js';

/** Makes a portal link for a delivered delivery; the token is returned once, here. */
export async function createDeliveryPortalLink(
  s: Store,
  env: Env,
  id: DeliveryId,
  expiresOn?: LocalDate,
): Promise<{ link: DocumentLinkRecord; token: string; path: string }> {
  const d = await loadDelivery(s, id);
  if (d.status !== 'delivered') {
    throw new DomainError('conflict', `Delivery ${d.number} is ${d.status}; a portal link is made once it has been delivered`);
  }
  return createDocumentLink(s, env, 'delivery', id, expiresOn);
}

export interface PortalDeliveryLine {
  lineNo: number;
  orderLineNo: number;
  description: string;
  unit: string;
  quantity: Quantity;
  /** On open and resolved claims of this line. */
  claimed: Quantity;
}

export interface PortalDeliveryView {
  delivery: DeliveryRecord;
  order: OrderRecord;
  seller: TenantRecord;
  buyer: CustomerRecord;
  lines: PortalDeliveryLine[];
  claims: ClaimRecord[];
  /** The last day problems can be reported. */
  reviewDeadline: LocalDate | null;
  /** Whether problems can still be reported today. */
  canReport: boolean;
  /** Whether receipt can be confirmed. */
  canConfirm: boolean;
}

/** What the customer sees behind a delivery link. */
export async function viewPortalDelivery(s: Store, env: Env, id: DeliveryId): Promise<PortalDeliveryView> {
  const delivery = await loadDelivery(s, id);
  const order = await s.orders.get(delivery.orderId);
  if (!order) throw notFound('order', delivery.orderId);
  const buyer = await s.customers.get(order.customerId);
  if (!buyer) throw notFound('customer', order.customerId);
  const seller = await tenantOf(s);
  const claims = (await s.claims.list({ deliveryId: id }, { limit: 1000 })).data;
  const lines = delivery.lines.map((l) => {
    const ol = order.lines.find((o) => o.lineNo === l.orderLineNo);
    return {
      lineNo: l.lineNo,
      orderLineNo: l.orderLineNo,
      description: ol?.description ?? '',
      unit: ol?.unit ?? '',
      quantity: l.quantity,
      claimed: claimedQuantity(claims, id, l.lineNo),
    };
  });
  const delivered = delivery.status === 'delivered' && delivery.deliveredOn !== null;
  const review = delivered ? (delivery.reviewStatus ?? 'awaiting_review') : null;
  const deadline = delivered ? reviewDeadline(delivery.deliveredOn!, seller.reviewWindowDays) : null;
  const open = delivered && !isReviewOverdue(delivery.deliveredOn!, seller.reviewWindowDays, env.clock.today());
  return {
    delivery: { ...delivery, reviewStatus: review },
    order,
    seller,
    buyer,
    lines,
    claims,
    reviewDeadline: deadline,
    canReport: open && (review === 'awaiting_review' || review === 'disputed'),
    canConfirm: review === 'awaiting_review',
  };
}
