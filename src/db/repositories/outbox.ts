import type { OutboxRepo } from '../../app/ports.js';
import type { TenantId } from '../../core/shared/ids.js';
import { generatedId, toJson, type Executor } from './shared.js';

/** Events written in the same transaction as the change they announce; a worker publishes them later. */
export function outboxRepo(db: Executor, tenantId: TenantId): OutboxRepo {
  return {
    async insert(e) {
      await db
        .insertInto('outbox')
        .values({ tenant_id: tenantId, id: generatedId('evt'), event_type: e.eventType, payload: toJson(e.payload) })
        .execute();
    },
  };
}
