/** What the customer sees on the portal page: the version, seller, buyer and, once accepted, the order. */
import type { CustomerRecord, OrderRecord, QuoteAcceptanceRecord, QuoteRecord, Store, TenantRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { openPortalLink, portalLinkNotFound } from './resolve-portal-link.js';

export interface PortalQuoteView {
  quote: QuoteRecord;
  seller: TenantRecord;
  buyer: CustomerRecord;
  acceptance: QuoteAcceptanceRecord | null;
  order: OrderRecord | null;
}

export async function viewPortalQuote(s: Store, env: Pick<Env, 'clock'>, token: string): Promise<PortalQuoteView> {
  const { link, quote } = await openPortalLink(s, env, token);
  const seller = await s.tenant.get();
  const buyer = await s.customers.get(quote.customerId);
  if (!seller || !buyer) throw portalLinkNotFound();
  await s.portal.touchLink(link.id, env.clock.now());
  const acceptance = (await s.portal.getAcceptance(quote.id)) ?? null;
  const orderId = quote.status === 'accepted' ? await s.portal.orderIdForQuote(quote.id) : undefined;
  const order = orderId === undefined ? null : ((await s.orders.get(orderId)) ?? null);
  return { quote, seller, buyer, acceptance, order };
}
