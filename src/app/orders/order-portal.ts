/**
 * The customer's side of an order, through a portal link (portal/document-links.ts): see the current
 * version, confirm it (then the same credit-checked confirmation as staff, if the order awaits it),
 * or ask for changes (stored; staff are told by e-mail through `order.changes_requested`).
 */
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { DocumentLinkRecord, OrderChangeRequestRecord, OrderRecord, Store } from '../ports.js';
import { openDocumentLink } from '../portal/document-links.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { confirmOrder } from './confirm-order.js';
import { orderDocumentData, type OrderDocumentData } from './order-document.js';
import { changeRequestComment } from '../portal/change-request-comment.js';

export const MAX_ORDER_COMMENT_LENGTH = 5000;

export async function openOrderLink(s: Store, env: Pick<Env, 'clock'>, token: string): Promise<{ link: DocumentLinkRecord; order: OrderRecord }> {
  const link = await openDocumentLink(s, env, 'order', token);
  const order = await s.orders.get(link.subjectId as OrderRecord['id']);
  if (!order) throw notFound('portal link', '…');
  return { link, order };
}

export interface PortalOrderView extends OrderDocumentData {
  /** The customer may confirm this version (it is not cancelled or closed and they have not yet). */
  canConfirm: boolean;
}

export async function viewPortalOrder(s: Store, env: Env, token: string, touch = true): Promise<PortalOrderView> {
  const { link, order } = await openOrderLink(s, env, token);
  if (touch) await s.documentLinks.touch(link.id, env.clock.now());
  const data = await orderDocumentData(s, order.id);
  const open = order.status !== 'cancelled' && order.status !== 'closed';
  return { ...data, canConfirm: open && order.customerConfirmedAt === null };
}

/** The customer confirms the current version; an unconfirmed order is then confirmed (credit check included). */
export async function confirmViaPortal(s: Store, env: Env, token: string): Promise<{ order: OrderRecord; alreadyConfirmed: boolean }> {
  const { order } = await openOrderLink(s, env, token);
  const locked = await s.orders.getForUpdate(order.id);
  if (!locked) throw notFound('order', order.id);
  if (locked.status === 'cancelled' || locked.status === 'closed') {
    throw new DomainError('order_not_confirmable', `The order is ${locked.status} and can no longer be confirmed`);
  }
  if (locked.customerConfirmedAt !== null) return { order: locked, alreadyConfirmed: true };
  const now = env.clock.now();
  await s.orders.updateHeader(locked.id, { customerConfirmedAt: now });
  await s.orders.confirmVersion(locked.id, locked.version, now, 'customer');
  await recordChange(s, env, {
    action: 'order.customer_confirmed',
    entityType: 'order',
    entityId: locked.id,
    data: { version: locked.version },
    event: { type: 'order.customer_confirmed', payload: { id: locked.id, number: locked.number, version: locked.version } },
  });
  if (locked.status === 'unconfirmed') return { order: await confirmOrder(s, env, locked.id, 'customer'), alreadyConfirmed: false };
  const o = await s.orders.get(locked.id);
  if (!o) throw notFound('order', locked.id);
  return { order: o, alreadyConfirmed: false };
}

export async function requestOrderChanges(s: Store, env: Env, token: string, input: { comment: string }): Promise<OrderChangeRequestRecord> {
  const comment = changeRequestComment(input, MAX_ORDER_COMMENT_LENGTH);
  const { order } = await openOrderLink(s, env, token);
  if (order.status === 'cancelled' || order.status === 'closed') {
    throw new DomainError('order_not_amendable', `The order is ${order.status}; changes can no longer be requested`);
  }
  const request: OrderChangeRequestRecord = {
    id: env.ids.next('orderChangeRequest'),
    orderId: order.id,
    version: order.version,
    comment,
    createdAt: env.clock.now(),
  };
  await s.orders.insertChangeRequest(request);
  await recordChange(s, env, {
    action: 'order.changes_requested',
    entityType: 'order',
    entityId: order.id,
    data: { changeRequestId: request.id, version: order.version, comment },
    event: {
      type: 'order.changes_requested',
      payload: { id: order.id, number: order.number, version: order.version, change_request_id: request.id, comment },
    },
  });
  return request;
}
