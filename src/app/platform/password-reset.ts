/**
 * Password reset (and invitation) links. The token is `<reset id>.<HMAC-SHA256(pepper, reset id)>`:
 * the database holds the id only, so a copy of it cannot reset anyone's password, and the worker that
 * mails the link recomputes the token from the pepper. A reset is single use and short-lived; setting
 * the password through it ends every session of the user.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../core/shared/errors.js';
import { asId, isId, type TenantId } from '../../core/shared/ids.js';
import type { Store, UserRecord } from '../ports.js';
import { envFor, type AppDeps, type Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { PASSWORD_RESET_REQUESTED } from '../outbox/internal-events.js';
import { checkPasswordPolicy, hashPassword } from './passwords.js';

/** A reset link works for 30 minutes. */
export const PASSWORD_RESET_LIFETIME_MS = 30 * 60 * 1000;
/** An invitation (a new user without a password) gets longer: it may wait in an inbox over a weekend. */
export const INVITATION_LIFETIME_MS = 72 * 60 * 60 * 1000;

export type ResetPurpose = 'reset' | 'invitation';

/** The payload of the internal outbox event (ids and the address only; never the token). */
export interface PasswordResetEventPayload {
  reset_id: string;
  user_id: string;
  email: string;
  purpose: ResetPurpose;
}

const signature = (pepper: string, id: string): Buffer => createHmac('sha256', pepper).update(`password-reset:${id}`, 'utf8').digest();

export const passwordResetToken = (pepper: string, resetId: string): string => `${resetId}.${signature(pepper, resetId).toString('base64url')}`;

/** The reset id of a genuine token; undefined for anything forged or malformed. */
export function resetIdOfToken(pepper: string, token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot < 0) return undefined;
  const id = token.slice(0, dot);
  if (!isId('passwordReset', id)) return undefined;
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = signature(pepper, id);
  return given.length === expected.length && timingSafeEqual(given, expected) ? id : undefined;
}

/** Writes a reset for the user and the event that makes the worker mail its link (same transaction). */
export async function issuePasswordReset(s: Store, env: Env, user: UserRecord, purpose: ResetPurpose): Promise<void> {
  const at = env.clock.now();
  const id = env.ids.next('passwordReset');
  await s.passwordResets.insert({
    tenantId: s.tenantId, id, userId: user.id, createdAt: at,
    expiresAt: new Date(at.getTime() + (purpose === 'invitation' ? INVITATION_LIFETIME_MS : PASSWORD_RESET_LIFETIME_MS)), usedAt: null,
  });
  const payload: PasswordResetEventPayload = { reset_id: id, user_id: user.id, email: user.email, purpose };
  await recordChange(s, env, {
    action: purpose === 'invitation' ? 'user.invited' : 'user.password_reset_requested', entityType: 'user', entityId: user.id,
    data: { reset_id: id }, event: { type: PASSWORD_RESET_REQUESTED, payload },
  });
}

/**
 * Someone asks for a reset link for an e-mail address. The answer never says whether the address has
 * an account: every active user with it (in the given tenant, or in each tenant) gets a link, and
 * nobody else gets anything.
 */
export async function requestPasswordReset(deps: AppDeps, input: { email: string; tenantId?: TenantId | undefined }): Promise<{ issued: number }> {
  const email = input.email.trim().toLowerCase();
  const users = (await deps.db.platform.findUsersByEmail(email)).filter((u) => u.active && (input.tenantId === undefined || u.tenantId === input.tenantId));
  for (const u of users) {
    await deps.db.transaction(u.tenantId, async (s) => {
      const env = envFor(deps, { tenantId: u.tenantId, actorId: u.id });
      await issuePasswordReset(s, env, u, 'reset');
    });
  }
  return { issued: users.length };
}

const badToken = (): DomainError => new DomainError('validation_failed', 'is not valid, was already used or has expired; ask for a new reset link', 'token');

/** Sets a new password through a reset (or invitation) link: once, before it expires; ends every session of the user. */
export async function confirmPasswordReset(deps: AppDeps, input: { token: string; newPassword: string }): Promise<UserRecord> {
  const pepper = deps.secrets.pepper;
  const id = resetIdOfToken(pepper, input.token);
  if (id === undefined) throw badToken();
  const reset = await deps.db.platform.findPasswordReset(id);
  const now = deps.clock.now();
  if (!reset || reset.usedAt !== null || reset.expiresAt.getTime() <= now.getTime()) throw badToken();
  return deps.db.transaction(reset.tenantId, async (s) => {
    const user = await s.users.getForUpdate(reset.userId);
    if (!user || !user.active) throw badToken();
    checkPasswordPolicy(input.newPassword, user.email, 'new_password');
    const env = envFor(deps, { tenantId: reset.tenantId, actorId: user.id });
    const at = env.clock.now();
    // single use even when two confirmations race: the UPDATE ... WHERE used_at IS NULL decides
    if (!(await s.passwordResets.markUsed(asId('passwordReset', id), at))) throw badToken();
    await s.users.setPassword(user.id, await hashPassword(pepper, input.newPassword), at);
    const revoked = await s.sessions.revokeAllOf(user.id, at);
    await recordChange(s, env, { action: 'user.password_reset', entityType: 'user', entityId: user.id, data: { reset_id: id, sessions_revoked: revoked } });
    return { ...user, passwordChangedAt: at };
  });
}
