import { notFound } from '../../core/shared/errors.js';
import type { CustomerId } from '../../core/shared/ids.js';
import type { CustomerRecord, Store } from '../ports.js';

export async function getCustomer(s: Store, id: CustomerId): Promise<CustomerRecord> {
  const c = await s.customers.get(id);
  if (!c) throw notFound('customer', id);
  return c;
}
