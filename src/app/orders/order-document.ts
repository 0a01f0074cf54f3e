/** Everything the order confirmation (PDF, portal, e-mail) shows: the order, the seller as the tenant is now, the buyer, the quote. */
import { notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { CustomerRecord, OrderRecord, OrderVersionRecord, Store, TenantRecord } from '../ports.js';

export interface OrderDocumentData {
  order: OrderRecord;
  seller: TenantRecord;
  buyer: CustomerRecord;
  /** The quote version the order came from. */
  quote: { number: string; version: number } | null;
  /** The current version as stored (its changes: what the latest amendment did). */
  currentVersion: OrderVersionRecord | null;
}

export async function orderDocumentData(s: Store, id: OrderId): Promise<OrderDocumentData> {
  const order = await s.orders.get(id);
  if (!order) throw notFound('order', id);
  const seller = await s.tenant.get();
  if (!seller) throw new Error(`tenant ${s.tenantId} is missing`);
  const buyer = await s.customers.get(order.customerId);
  if (!buyer) throw notFound('customer', order.customerId);
  const quote = await s.quotes.get(order.quoteId);
  const versions = await s.orders.listVersions(id);
  return {
    order,
    seller,
    buyer,
    quote: quote ? { number: quote.number, version: quote.version } : null,
    currentVersion: versions.find((v) => v.version === order.version) ?? null,
  };
}
