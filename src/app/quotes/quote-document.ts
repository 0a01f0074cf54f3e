/** Everything a quote document (PDF) shows: the version, the seller as the tenant is now, and the buyer. */
import { notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import type { CustomerRecord, QuoteRecord, Store, TenantRecord } from '../ports.js';

export interface QuoteDocumentData {
  quote: QuoteRecord;
  seller: TenantRecord;
  buyer: CustomerRecord;
}

export async function quoteDocumentData(s: Store, id: QuoteId): Promise<QuoteDocumentData> {
  const quote = await s.quotes.get(id);
  if (!quote) throw notFound('quote', id);
  const [seller, buyer] = [await s.tenant.get(), await s.customers.get(quote.customerId)];
  if (!seller) throw new Error(`tenant ${s.tenantId} is missing`);
  if (!buyer) throw notFound('customer', quote.customerId);
  return { quote, seller, buyer };
}
