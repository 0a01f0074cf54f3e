/**
 * Role checks inside a use case, for a decision finer than the route's permission (who may release a
 * credit hold, approve a refund): an actor whose role is not among `roles` gets a 403 naming who may.
 * An actor without a role (the CLI, the scheduler) may. The matrix itself is in permissions.ts.
 */
import { DomainError } from '../../core/shared/errors.js';
import type { Env } from './env.js';

export { ADMIN_ROLES, FINANCE_ROLES } from './permissions.js';

export function requireRole(env: Pick<Env, 'actor'>, roles: readonly string[], what: string): void {
  if (env.actor.role !== undefined && !roles.includes(env.actor.role)) {
    throw new DomainError('forbidden', `Only the role ${roles.join(' or ')} may ${what}`);
  }
}
