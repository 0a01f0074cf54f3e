import { invalid } from '../../core/shared/errors.js';
import type { CustomerId } from '../../core/shared/ids.js';
import type { CustomerPatch, CustomerRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { FINANCE_ROLES, requireFieldRole } from '../shared/permissions.js';
import { recordChange } from '../shared/record.js';
import { getCustomer } from './get-customer.js';

/** Changes a customer's details or credit limit; documents already made keep what they were made with. */
export async function updateCustomer(s: Store, env: Env, id: CustomerId, patch: CustomerPatch): Promise<CustomerRecord> {
  await getCustomer(s, id);
  // setting or clearing a credit limit is a credit decision (issue 8): finance's
  if (patch.creditLimitMinor !== undefined) requireFieldRole(env.actor, FINANCE_ROLES, 'credit_limit', 'change a credit limit');
  if (patch.name !== undefined && patch.name.trim() === '') throw invalid('name', 'name must not be empty');
  if (patch.creditLimitMinor !== undefined && patch.creditLimitMinor !== null && patch.creditLimitMinor < 0n) {
    throw invalid('credit_limit', 'credit_limit must not be negative');
  }
  await s.customers.update(id, patch);
  await recordChange(s, env, {
    action: 'customer.updated',
    entityType: 'customer',
    entityId: id,
    data: {
      fields: Object.keys(patch),
      ...(patch.creditLimitMinor !== undefined ? { creditLimitMinor: patch.creditLimitMinor?.toString() ?? null } : {}),
    },
    event: { type: 'customer.updated', payload: { id } },
  });
  return getCustomer(s, id);
}
