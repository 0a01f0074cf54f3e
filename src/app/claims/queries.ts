/** Reading claims and credit requests, and whether an invoice's dunning is paused by an open claim. */
import { claimsForOrderLines, dunningPaused } from '../../core/claims/claims.js';
import { notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { ClaimLabels, ClaimListFilter, ClaimPhotoRecord, ClaimRecord, CreditRequestRecord, InvoiceRecord, Page, PageResult, Store } from '../ports.js';
import { loadClaim, type ClaimId } from './shared.js';

export interface ClaimView {
  claim: ClaimRecord;
  photos: Omit<ClaimPhotoRecord, 'bytes'>[];
  labels: ClaimLabels | undefined;
}

export async function getClaim(s: Store, id: ClaimId): Promise<ClaimView> {
  const claim = await loadClaim(s, id);
  return { claim, photos: await s.claims.listPhotos(id), labels: (await s.claims.labels([id])).get(id) };
}

export async function listClaims(
  s: Store,
  filter: ClaimListFilter,
  page: Page,
): Promise<PageResult<ClaimRecord> & { labels: Map<string, ClaimLabels> }> {
  if (filter.orderId !== undefined && !(await s.orders.get(filter.orderId))) throw notFound('order', filter.orderId, 'order_id');
  if (filter.deliveryId !== undefined && !(await s.deliveries.get(filter.deliveryId))) throw notFound('delivery', filter.deliveryId, 'delivery_id');
  const page_ = await s.claims.list(filter, page);
  return { ...page_, labels: await s.claims.labels(page_.data.map((c) => c.id)) };
}

export async function listCreditRequests(s: Store, filter: { orderId?: OrderId }): Promise<CreditRequestRecord[]> {
  if (filter.orderId !== undefined && !(await s.orders.get(filter.orderId))) throw notFound('order', filter.orderId, 'order_id');
  return s.claims.listCreditRequests(filter);
}

/** True while a claim on any of the invoice's order lines is open (dunning of the invoice pauses). */
export async function invoiceDunningPaused(s: Store, invoice: Pick<InvoiceRecord, 'orderId' | 'lines'>): Promise<boolean> {
  // an invoice of several orders has no orderId of its own: its lines name them
  const orderIds = [...new Set([...(invoice.orderId === null ? [] : [invoice.orderId]), ...invoice.lines.map((l) => l.orderId)])];
  const claims = await s.claims.listByOrders(orderIds);
  return dunningPaused(claimsForOrderLines(claims, invoice.lines));
}
