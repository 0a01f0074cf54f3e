import type { StockRepo } from '../../app/ports.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { Executor } from './shared.js';

export function stockRepo(_db: Executor, _tenantId: TenantId): StockRepo {
  return {};
}
