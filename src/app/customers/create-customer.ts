import type { CustomerRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export interface CreateCustomerInput {
  name: string;
  email: string | null;
  country: string;
  currency: string;
  orgNumber: string | null;
  vatNumber: string | null;
  paymentTermsDays: number;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
}

export async function createCustomer(s: Store, env: Env, input: CreateCustomerInput): Promise<CustomerRecord> {
  const customer: CustomerRecord = { id: env.ids.next('customer'), ...input, createdAt: env.clock.now() };
  await s.customers.insert(customer);
  await recordChange(s, env, {
    action: 'customer.created',
    entityType: 'customer',
    entityId: customer.id,
    data: { name: customer.name },
    event: { type: 'customer.created', payload: { id: customer.id } },
  });
  return customer;
}
