/**
 * Sign-in sessions. Login checks e-mail and password (and a TOTP code once enrolled) and opens a
 * session: a 32-byte random token for the cookie, of which only its SHA-256 is stored. A session ends
 * 12 hours after login whatever happens, after 2 hours without a request, at logout, or when it is
 * revoked. It carries no role: every request reads the user's role and active flag afresh.
 *
 * The CSRF token of a session is an HMAC of its token under the pepper: derivable only by the server,
 * stable for the session, and never stored.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../core/shared/errors.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { SessionRecord, UserRecord } from '../ports.js';
import { envFor, type AppDeps } from '../shared/env.js';
import type { Principal } from './api-keys.js';
import { verifyPassword } from './passwords.js';
import { useTotpCode } from './totp.js';
import { normaliseEmail } from './users.js';

/** A session ends this long after login, however active. */
export const SESSION_ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** A session ends after this long without a request. */
export const SESSION_IDLE_TIMEOUT_MS = 2 * 60 * 60 * 1000;
/** last_seen_at is written at most this often (idle time is therefore measured to within a minute). */
export const SESSION_TOUCH_INTERVAL_MS = 60 * 1000;

export const sessionTokenHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export const csrfTokenFor = (pepper: string, sessionToken: string): string => createHmac('sha256', pepper).update(`csrf:${sessionToken}`, 'utf8').digest('base64url');

/** Constant-time comparison of a presented CSRF token with the session's. */
export function csrfTokenMatches(pepper: string, sessionToken: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const expected = Buffer.from(csrfTokenFor(pepper, sessionToken), 'utf8');
  const given = Buffer.from(presented, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** One message for a wrong e-mail and a wrong password, so the answer does not reveal accounts. */
const WRONG_CREDENTIALS = 'The e-mail address or the password is not correct';

export interface LoginInput {
  email: string;
  password: string;
  totpCode?: string | undefined;
  tenantId?: TenantId | undefined;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export interface OpenedSession {
  token: string;
  csrfToken: string;
  session: SessionRecord;
  user: UserRecord;
}

/** Why a login failed, for the log (the client gets one generic message). */
export class LoginFailed extends DomainError {
  constructor(
    readonly reason: 'unknown_email' | 'no_password' | 'wrong_password' | 'inactive' | 'totp_missing' | 'totp_wrong',
    message: string,
    param?: string,
  ) {
    super('unauthenticated', message, param);
  }
}

export async function login(deps: AppDeps, input: LoginInput): Promise<OpenedSession> {
  const pepper = deps.secrets.pepper;
  let email: string;
  try {
    email = normaliseEmail(input.email);
  } catch {
    // not even an address: the same answer (and the same work) as an unknown one
    await verifyPassword(pepper, input.password, null);
    throw new LoginFailed('unknown_email', WRONG_CREDENTIALS);
  }
  const found = (await deps.db.platform.findUsersByEmail(email)).filter((u) => input.tenantId === undefined || u.tenantId === input.tenantId);
  if (found.length > 1) {
    throw new DomainError('validation_failed', 'is needed: this e-mail address has accounts in several companies', 'tenant_id');
  }
  const user = found[0];
  // the same scrypt work whether or not the account exists (a dummy hash when it does not)
  const matches = await verifyPassword(pepper, input.password, user?.passwordHash ?? null);
  if (!user) throw new LoginFailed('unknown_email', WRONG_CREDENTIALS);
  if (user.passwordHash === null) throw new LoginFailed('no_password', WRONG_CREDENTIALS);
  if (!matches) throw new LoginFailed('wrong_password', WRONG_CREDENTIALS);
  if (!user.active) throw new LoginFailed('inactive', WRONG_CREDENTIALS);

  const token = randomBytes(32).toString('base64url');
  return deps.db.transaction(user.tenantId, async (s) => {
    const env = envFor(deps, { tenantId: user.tenantId, actorId: user.id, role: user.role });
    if (user.totpEnabledAt !== null) {
      if (input.totpCode === undefined || input.totpCode === '') {
        throw new LoginFailed('totp_missing', 'Enter the code from your authenticator app', 'totp_code');
      }
      try {
        await useTotpCode(s, env, pepper, user, input.totpCode, 'totp_code');
      } catch (error) {
        if (error instanceof DomainError) throw new LoginFailed('totp_wrong', error.message, 'totp_code');
        throw error;
      }
    }
    const at = env.clock.now();
    const session: SessionRecord = {
      tenantId: user.tenantId,
      id: env.ids.next('session'),
      userId: user.id,
      tokenHash: sessionTokenHash(token),
      createdAt: at,
      lastSeenAt: at,
      expiresAt: new Date(at.getTime() + SESSION_ABSOLUTE_LIFETIME_MS),
      revokedAt: null,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
    };
    await s.sessions.insert(session);
    return { token, csrfToken: csrfTokenFor(pepper, token), session, user };
  });
}

/** When a session stops working without a request: the earlier of its absolute end and its idle end. */
export const sessionEndsAt = (s: SessionRecord): Date => new Date(Math.min(s.expiresAt.getTime(), s.lastSeenAt.getTime() + SESSION_IDLE_TIMEOUT_MS));

/** The principal of a session cookie; 401 when the session is unknown, ended, expired or its user deactivated. */
export async function authenticateSession(deps: AppDeps, token: string): Promise<{ principal: Principal; session: SessionRecord; user: UserRecord }> {
  const found = await deps.db.platform.findSessionByTokenHash(sessionTokenHash(token));
  const now = deps.clock.now();
  const ended = (): DomainError => new DomainError('unauthenticated', 'The session has ended or expired; sign in again', 'q2c_session');
  if (!found) throw ended();
  const { session, user } = found;
  if (session.revokedAt !== null || now.getTime() >= sessionEndsAt(session).getTime() || !user.active) throw ended();
  if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
    await deps.db.platform.touchSession(session.tenantId, session.id, now);
  }
  return {
    principal: {
      tenantId: user.tenantId, actorId: user.id, role: user.role, via: 'session', platformAdmin: user.platformAdmin, userId: user.id, sessionId: session.id,
    },
    session,
    user,
  };
}

/** Ends the session (logout). */
export async function logout(deps: AppDeps, principal: Principal): Promise<void> {
  if (principal.via !== 'session' || principal.sessionId === undefined) {
    throw new DomainError('validation_failed', 'must be a signed-in session to log out (an API key has none)', 'Authorization');
  }
  const sessionId = principal.sessionId;
  await deps.db.transaction(principal.tenantId, (s) => s.sessions.revoke(sessionId as SessionRecord['id'], deps.clock.now()));
}
