/** Audit rows and outbox events, written in the same transaction as the change they describe. */
import type { Store } from '../ports.js';
import type { Env } from './env.js';

export async function recordChange(
  s: Store,
  env: Env,
  change: { action: string; entityType: string; entityId: string; data?: unknown; event?: { type: string; payload: unknown } },
): Promise<void> {
  await s.audit.insert({
    actor: env.actor.actorId,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId,
    data: change.data ?? null,
  });
  if (change.event) await s.outbox.insert({ eventType: change.event.type, payload: change.event.payload });
}
