/**
 * Everything a delivery note (PDF) shows: the delivery, its order, the seller as the tenant is now,
 * the buyer, the products' article numbers, and per order line what was delivered before this
 * delivery (earlier deliveries of the same kind that were not cancelled).
 */
import { addD, ZERO_D, type Quantity } from '../../core/money/quantity.js';
import { localDateInZone, type LocalDate } from '../../core/shared/dates.js';
import { notFound } from '../../core/shared/errors.js';
import type { DeliveryId, ProductId } from '../../core/shared/ids.js';
import type { CustomerRecord, DeliveryRecord, OrderRecord, Store, TenantRecord } from '../ports.js';
import { BUSINESS_TIME_ZONE } from '../shared/clock.js';
import type { Env } from '../shared/env.js';

export interface DeliveryNoteData {
  delivery: DeliveryRecord;
  order: OrderRecord;
  seller: TenantRecord;
  buyer: CustomerRecord;
  /** product id → SKU */
  skus: Map<string, string>;
  /** order line → quantity in earlier deliveries of the same kind (service counts with standard) */
  previouslyDelivered: Map<number, Quantity>;
  /** The ship date, or today for a delivery not yet shipped. */
  shipDate: LocalDate;
}

export async function deliveryNoteData(s: Store, env: Env, id: DeliveryId): Promise<DeliveryNoteData> {
  const delivery = await s.deliveries.get(id);
  if (!delivery) throw notFound('delivery', id);
  const order = await s.orders.get(delivery.orderId);
  if (!order) throw notFound('order', delivery.orderId);
  const seller = await s.tenant.get();
  if (!seller) throw new Error(`tenant ${s.tenantId} is missing`);
  const buyer = await s.customers.get(order.customerId);
  if (!buyer) throw notFound('customer', order.customerId);
  const group = (d: DeliveryRecord) => (d.kind === 'replacement' ? 'replacement' : 'standard');
  const previouslyDelivered = new Map<number, Quantity>();
  for (const d of await s.deliveries.listByOrder(order.id)) {
    if (d.id >= delivery.id || d.status === 'cancelled' || group(d) !== group(delivery)) continue;
    for (const l of d.lines) previouslyDelivered.set(l.orderLineNo, addD(previouslyDelivered.get(l.orderLineNo) ?? ZERO_D, l.quantity));
  }
  const productIds = new Set<ProductId>();
  for (const l of order.lines) {
    if (l.productId !== null) productIds.add(l.productId);
    for (const c of l.bundle?.components ?? []) productIds.add(c.productId);
  }
  const skus = new Map<string, string>();
  for (const pid of productIds) {
    const p = await s.products.get(pid);
    if (p) skus.set(pid, p.sku);
  }
  const shipDate = delivery.deliveredOn !== null && delivery.kind === 'service'
    ? delivery.deliveredOn
    : delivery.shippedAt !== null
      ? localDateInZone(delivery.shippedAt, BUSINESS_TIME_ZONE)
      : env.clock.today();
  return { delivery, order, seller, buyer, skus, previouslyDelivered, shipDate };
}
