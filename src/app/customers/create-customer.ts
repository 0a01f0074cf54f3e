import type { CustomerRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { FINANCE_ROLES, requireFieldRole } from '../shared/permissions.js';
import { recordChange } from '../shared/record.js';

export type CreateCustomerInput = Omit<CustomerRecord, 'id' | 'createdAt' | 'customerGroup' | 'creditLimitMinor'> & {
  customerGroup?: string | null | undefined;
  creditLimitMinor?: bigint | null | undefined;
};

export async function createCustomer(s: Store, env: Env, input: CreateCustomerInput): Promise<CustomerRecord> {
  // a credit limit is a credit decision (issue 8): finance's, whoever else may create the customer
  if (input.creditLimitMinor !== undefined && input.creditLimitMinor !== null) {
    requireFieldRole(env.actor, FINANCE_ROLES, 'credit_limit', 'set a credit limit');
  }
  const customer: CustomerRecord = {
    id: env.ids.next('customer'),
    ...input,
    customerGroup: input.customerGroup ?? null,
    creditLimitMinor: input.creditLimitMinor ?? null,
    createdAt: env.clock.now(),
  };
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
