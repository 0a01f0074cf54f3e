/** The demo's admin user: signs in to the embedded demo with a generated password, printed once at start. */
import type { TenantId } from '../../core/shared/ids.js';
import { generatePassword } from '../platform/passwords.js';
import { createUserCommitted } from '../platform/users.js';
import type { AppDeps } from '../shared/env.js';

export const DEMO_ADMIN_EMAIL = 'admin@demo.q2c.local';

export async function createDemoAdminUser(deps: AppDeps, tenantId: TenantId): Promise<{ email: string; password: string }> {
  const password = generatePassword();
  await createUserCommitted(deps.db, deps, tenantId, { email: DEMO_ADMIN_EMAIL, name: 'Demo Admin', role: 'admin', password });
  return { email: DEMO_ADMIN_EMAIL, password };
}
