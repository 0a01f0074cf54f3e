/**
 * The people who sign in to a tenant (admin only manages them). A user is created with a password or
 * invited (a link to set one is mailed); role and active flag can change at any time and take effect
 * on the user's next request, since a session carries no role of its own. A tenant always keeps one
 * active admin user once it has one: the last one cannot be demoted or deactivated.
 */
import { DomainError } from '../../core/shared/errors.js';
import type { Id, TenantId } from '../../core/shared/ids.js';
import type { Database, Store, UserRecord } from '../ports.js';
import { envFor, type AppDeps, type Env } from '../shared/env.js';
import { isRole, ROLES } from '../shared/permissions.js';
import { recordChange } from '../shared/record.js';
import { issuePasswordReset } from './password-reset.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';

export interface NewUser {
  email: string;
  name: string;
  role: string;
  /** Without one the user is invited: a link to set a password is mailed. */
  password?: string | undefined;
  /** May create and list tenants; set from the CLI only. */
  platformAdmin?: boolean | undefined;
}

/** Lower-cased and trimmed; a plain shape check (the mail server has the last word). */
export function normaliseEmail(email: string, field = 'email'): string {
  const e = email.trim().toLowerCase();
  if (e.length < 3 || e.length > 254 || !/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(e)) throw new DomainError('validation_failed', 'must be an e-mail address', field);
  return e;
}

function checkName(name: string): string {
  const n = name.trim();
  if (n === '' || n.length > 200) throw new DomainError('validation_failed', 'name must be 1-200 characters', 'name');
  return n;
}

function checkRole(role: string): string {
  if (!isRole(role)) throw new DomainError('validation_failed', `role must be one of ${ROLES.join(', ')}`, 'role');
  return role;
}

export async function createUser(s: Store, env: Env, pepper: string, input: NewUser): Promise<{ user: UserRecord; invited: boolean }> {
  const email = normaliseEmail(input.email);
  const name = checkName(input.name);
  const role = checkRole(input.role);
  if (input.password !== undefined) checkPasswordPolicy(input.password, email, 'password');
  const at = env.clock.now();
  const user: UserRecord = {
    tenantId: s.tenantId,
    id: env.ids.next('user'),
    email,
    name,
    role,
    passwordHash: input.password === undefined ? null : await hashPassword(pepper, input.password),
    platformAdmin: input.platformAdmin === true,
    active: true,
    totpSecretEnc: null,
    totpEnabledAt: null,
    totpLastStep: null,
    createdAt: at,
    updatedAt: at,
    passwordChangedAt: input.password === undefined ? null : at,
  };
  await s.users.insert(user);
  await recordChange(s, env, {
    action: 'user.created', entityType: 'user', entityId: user.id,
    data: { after: { email, name, role, platform_admin: user.platformAdmin, invited: input.password === undefined } },
  });
  if (input.password === undefined) await issuePasswordReset(s, env, user, 'invitation');
  return { user, invited: input.password === undefined };
}

/** A user committed on its own (the CLI and the demo), acting as the operator. */
export async function createUserCommitted(db: Database, deps: AppDeps, tenantId: TenantId, input: NewUser): Promise<UserRecord> {
  return db.transaction(tenantId, async (s) => (await createUser(s, envFor(deps, { tenantId, actorId: 'cli' }), deps.secrets.pepper, input)).user);
}

export async function getUser(s: Store, id: Id<'user'>): Promise<UserRecord> {
  const user = await s.users.get(id);
  if (!user) throw new DomainError('not_found', `No user with id '${id}'`, 'id');
  return user;
}

/**
 * Changes name, role or active flag. Demoting or deactivating the last active admin is refused (409),
 * so a tenant cannot lock its people out; deactivating ends the user's sessions at once.
 */
export async function updateUser(s: Store, env: Env, id: Id<'user'>, patch: { name?: string | undefined; role?: string | undefined; active?: boolean | undefined }): Promise<UserRecord> {
  const p: { name?: string; role?: string; active?: boolean } = {};
  if (patch.name !== undefined) p.name = checkName(patch.name);
  if (patch.role !== undefined) p.role = checkRole(patch.role);
  if (patch.active !== undefined) p.active = patch.active;
  // the admins first, locked, so two admins demoting each other at once cannot both succeed
  const admins = await s.users.lockActiveAdmins();
  const before = await s.users.getForUpdate(id);
  if (!before) throw new DomainError('not_found', `No user with id '${id}'`, 'id');
  const after: UserRecord = { ...before, ...p, updatedAt: env.clock.now() };
  const wasAdmin = before.role === 'admin' && before.active;
  const staysAdmin = after.role === 'admin' && after.active;
  if (wasAdmin && !staysAdmin && admins.length === 1 && admins[0] === id) {
    throw new DomainError('conflict', 'This is the last active admin; make another user admin first', p.role !== undefined && p.role !== 'admin' ? 'role' : 'active');
  }
  await s.users.update(id, p, after.updatedAt);
  let revoked = 0;
  if (before.active && !after.active) revoked = await s.sessions.revokeAllOf(id, after.updatedAt);
  const changed = (Object.keys(p) as Array<keyof typeof p>).filter((k) => before[k] !== after[k]);
  await recordChange(s, env, {
    action: 'user.updated', entityType: 'user', entityId: id,
    data: {
      before: Object.fromEntries(changed.map((k) => [k, before[k]])),
      after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      ...(revoked > 0 ? { sessions_revoked: revoked } : {}),
    },
  });
  return after;
}

/** Ends every session of a user (a lost laptop); the user signs in again. */
export async function revokeUserSessions(s: Store, env: Env, id: Id<'user'>): Promise<number> {
  await getUser(s, id);
  const revoked = await s.sessions.revokeAllOf(id, env.clock.now());
  await recordChange(s, env, { action: 'user.sessions_revoked', entityType: 'user', entityId: id, data: { sessions_revoked: revoked } });
  return revoked;
}
