/**
 * Role checks in the use cases (issue 8 brings the full permission matrix): an actor whose role is
 * not among `roles` gets a 403 naming who may. An actor without a role (the CLI, the scheduler) may.
 */
import { DomainError } from '../../core/shared/errors.js';
import type { Env } from './env.js';

export const FINANCE_ROLES: readonly string[] = ['admin', 'finance'];
export const ADMIN_ROLES: readonly string[] = ['admin'];

export function requireRole(env: Pick<Env, 'actor'>, roles: readonly string[], what: string): void {
  if (env.actor.role !== undefined && !roles.includes(env.actor.role)) {
    throw new DomainError('forbidden', `Only a key with the role ${roles.join(' or ')} may ${what}`);
  }
}
