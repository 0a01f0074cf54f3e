import type { AuditRepo } from '../../app/ports.js';
import type { TenantId } from '../../core/shared/ids.js';
import { generatedId, toJson, type Executor } from './shared.js';

/** The audit log is append-only (a trigger refuses UPDATE and DELETE). */
export function auditRepo(db: Executor, tenantId: TenantId): AuditRepo {
  return {
    async insert(a) {
      await db
        .insertInto('audit_log')
        .values({
          tenant_id: tenantId,
          id: generatedId('aud'),
          actor: a.actor,
          action: a.action,
          entity_type: a.entityType,
          entity_id: a.entityId,
          data: a.data === undefined ? null : toJson(a.data),
        })
        .execute();
    },
  };
}
