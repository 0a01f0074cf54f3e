import type { ClaimRepo } from '../../app/ports.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { Executor } from './shared.js';

export function claimRepo(_db: Executor, _tenantId: TenantId): ClaimRepo {
  return {};
}
