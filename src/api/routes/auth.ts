/**
 * Signing in and out, the current session, password reset and the signed-in user's own settings
 * (password, second factor). Login sets the `q2c_session` cookie (HttpOnly, Secure, SameSite=Lax) and
 * answers with the session's CSRF token, which the web app sends back as X-CSRF-Token on every request
 * that may change data (api/auth.ts checks it).
 *
 * No Idempotency-Key here: login and logout are safe to repeat as they are (a repeated login opens
 * another session, a repeated logout finds the session ended), and replaying a stored response would
 * mean storing what must never be stored: a session cookie, a TOTP secret, a password's fingerprint.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../../app/platform/api-keys.js';
import { changeOwnPassword } from '../../app/platform/passwords.js';
import { confirmPasswordReset, requestPasswordReset } from '../../app/platform/password-reset.js';
import {
  csrfTokenFor, LoginFailed, login, logout, SESSION_ABSOLUTE_LIFETIME_MS, sessionEndsAt, type OpenedSession,
} from '../../app/platform/sessions.js';
import { confirmTotpEnrolment, disableTotp, startTotpEnrolment } from '../../app/platform/totp.js';
import type { SessionRecord, Store, UserRecord } from '../../app/ports.js';
import { envFor, type AppDeps, type Env } from '../../app/shared/env.js';
import { authorize } from '../../app/shared/permissions.js';
import { DomainError } from '../../core/shared/errors.js';
import { asId, isId, type Id, type TenantId } from '../../core/shared/ids.js';
import { actorOf, principalOf, SESSION_COOKIE } from '../auth.js';
import { type Api, errorResponses } from '../http.js';
import { Instant } from '../serialize.js';
import { UserJson, userJson } from './users.js';

const cookieOptions = { path: '/', httpOnly: true, secure: true, sameSite: 'lax' } as const;

const SessionJson = z
  .object({
    object: z.literal('session'),
    id: z.string().nullable().describe('The session id; null for an API key'),
    via: z.enum(['session', 'api_key']),
    tenant_id: z.string(),
    role: z.string(),
    platform_admin: z.boolean(),
    user: UserJson.nullable().describe('The signed-in user; null for an API key'),
    csrf_token: z.string().nullable().describe('Send as X-CSRF-Token with every cookie-authenticated request other than GET/HEAD/OPTIONS'),
    created_at: Instant.nullable(),
    expires_at: Instant.nullable().describe('The absolute end: 12 hours after login'),
    idle_expires_at: Instant.nullable().describe('Without a request before this the session ends (2 hours idle; activity is recorded once a minute)'),
  })
  .meta({ id: 'Session' });

function sessionJson(session: SessionRecord, user: UserRecord, csrfToken: string): z.output<typeof SessionJson> {
  return {
    object: 'session',
    id: session.id,
    via: 'session',
    tenant_id: user.tenantId,
    role: user.role,
    platform_admin: user.platformAdmin,
    user: userJson(user),
    csrf_token: csrfToken,
    created_at: session.createdAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    idle_expires_at: sessionEndsAt(session).toISOString(),
  };
}

/** The signed-in user of a /v1/me route (an API key has none). */
function sessionUserOf(req: FastifyRequest): { principal: Principal; userId: Id<'user'> } {
  const principal = principalOf(req);
  if (principal.via !== 'session' || principal.userId === undefined) {
    throw new DomainError('validation_failed', 'must be a signed-in session: an API key has no password or second factor', 'Authorization');
  }
  return { principal, userId: asId('user', principal.userId) };
}

/** A /v1/me change in one transaction of the user's tenant, acting as the user. */
function asSelf<T>(req: FastifyRequest, deps: AppDeps, work: (s: Store, env: Env, userId: Id<'user'>, principal: Principal) => Promise<T>): Promise<T> {
  const { principal, userId } = sessionUserOf(req);
  const actor = actorOf(req);
  authorize(actor, 'self');
  return deps.db.transaction(principal.tenantId, (s) => work(s, envFor(deps, actor), userId, principal));
}

function tenantIdOf(value: string | undefined): TenantId | undefined {
  if (value === undefined) return undefined;
  if (!isId('tenant', value)) throw new DomainError('validation_failed', 'must be a tenant id (ten_…)', 'tenant_id');
  return value;
}

const Email = z.string().min(1).max(254);

export function authRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password (and a TOTP code once enrolled); sets the q2c_session cookie',
        description:
          'A wrong e-mail and a wrong password get the same 401. A user with two-factor sign-in and no `totp_code` gets 401 naming `totp_code`. ' +
          'An e-mail with accounts in several companies needs `tenant_id` (400 naming it). Limited to 10 attempts a minute per client and e-mail (429). ' +
          'No Idempotency-Key: a repeated login simply opens another session, and a session cookie is never stored for replay.',
        security: [],
        body: z.strictObject({
          email: Email,
          password: z.string().min(1).max(1024),
          totp_code: z.string().max(16).optional(),
          tenant_id: z.string().max(100).optional(),
        }),
        response: { 200: SessionJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const email = req.body.email.trim().toLowerCase();
      let opened: OpenedSession;
      try {
        opened = await login(deps, {
          email: req.body.email, password: req.body.password, totpCode: req.body.totp_code, tenantId: tenantIdOf(req.body.tenant_id),
          ip: req.ip, userAgent: req.headers['user-agent'],
        });
      } catch (error) {
        // who tried and why it failed, never the password or the code
        if (error instanceof LoginFailed) req.log.warn({ email, ip: req.ip, reason: error.reason }, 'login failed');
        throw error;
      }
      req.log.info({ email, ip: req.ip, tenantId: opened.user.tenantId, userId: opened.user.id, sessionId: opened.session.id }, 'login succeeded');
      reply.setCookie(SESSION_COOKIE, opened.token, { ...cookieOptions, maxAge: SESSION_ABSOLUTE_LIFETIME_MS / 1000 });
      return sessionJson(opened.session, opened.user, opened.csrfToken);
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the current session and clear its cookie',
        description: 'No Idempotency-Key: logging out twice is harmless (the second call finds no session and is a 401).',
        response: { 200: z.object({ object: z.literal('session'), id: z.string(), ended: z.literal(true) }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const principal = principalOf(req);
      await logout(deps, principal);
      req.log.info({ userId: principal.userId, sessionId: principal.sessionId }, 'logged out');
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return { object: 'session' as const, id: principal.sessionId ?? '', ended: true as const };
    },
  );

  app.get(
    '/v1/auth/session',
    { schema: { tags: ['auth'], summary: 'Who this request acts as: the signed-in user and the session (with its CSRF token), or the API key', response: { 200: SessionJson, ...errorResponses } } },
    async (req) => {
      const principal = principalOf(req);
      if (principal.via !== 'session' || principal.userId === undefined || principal.sessionId === undefined) {
        return {
          object: 'session' as const, id: null, via: 'api_key' as const, tenant_id: principal.tenantId, role: principal.role, platform_admin: principal.platformAdmin,
          user: null, csrf_token: null, created_at: null, expires_at: null, idle_expires_at: null,
        };
      }
      const userId = asId('user', principal.userId);
      const sessionId = principal.sessionId;
      const { user, session } = await deps.db.transaction(principal.tenantId, async (s) => ({
        user: await s.users.get(userId),
        session: (await s.sessions.listOpenOf(userId)).find((x) => x.id === sessionId),
      }));
      const token = req.cookies[SESSION_COOKIE];
      if (!user || !session || token === undefined) throw new DomainError('unauthenticated', 'The session has ended; sign in again', 'q2c_session');
      return sessionJson(session, user, csrfTokenFor(deps.secrets.pepper, token));
    },
  );

  app.post(
    '/v1/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'E-mail a password reset link (valid 30 minutes, single use); always 202',
        description:
          'The answer is 202 whether or not the address has an account, so it reveals nothing; only an active user gets an e-mail. ' +
          'Limited to 5 requests a minute per client (429). Repeating the request (with or without an Idempotency-Key) sends another link.',
        security: [],
        body: z.strictObject({ email: Email, tenant_id: z.string().max(100).optional() }),
        response: { 202: z.object({ object: z.literal('password_reset_request'), status: z.literal('accepted') }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const tenantId = tenantIdOf(req.body.tenant_id);
      const { issued } = await requestPasswordReset(deps, { email: req.body.email, tenantId });
      req.log.info({ email: req.body.email.trim().toLowerCase(), ip: req.ip, issued }, 'password reset requested');
      return reply.code(202).send({ object: 'password_reset_request' as const, status: 'accepted' as const });
    },
  );

  app.post(
    '/v1/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the token of a reset (or invitation) link; ends every session of the user',
        description: 'A used, expired or forged token is a 400 naming `token`. Limited to 5 a minute per client (429). The token is single use, so a retry after success is a 400.',
        security: [],
        body: z.strictObject({ token: z.string().min(1).max(200), new_password: z.string().min(1).max(1024) }),
        response: { 200: z.object({ object: z.literal('password_reset'), status: z.literal('completed'), user_id: z.string() }), ...errorResponses },
      },
    },
    async (req) => {
      const user = await confirmPasswordReset(deps, { token: req.body.token, newPassword: req.body.new_password });
      req.log.info({ userId: user.id, tenantId: user.tenantId, ip: req.ip }, 'password reset completed');
      return { object: 'password_reset' as const, status: 'completed' as const, user_id: user.id };
    },
  );

  app.post(
    '/v1/me/password',
    {
      schema: {
        tags: ['auth'],
        summary: "Change the signed-in user's password (the current one is needed); ends the user's other sessions",
        description: 'No Idempotency-Key: the request carries passwords, and nothing derived from them is kept for a replay. Repeating a successful change fails (the current password has changed).',
        body: z.strictObject({ current_password: z.string().min(1).max(1024), new_password: z.string().min(1).max(1024) }),
        response: { 200: UserJson, ...errorResponses },
      },
    },
    async (req) =>
      asSelf(req, deps, async (s, env, userId, principal) => {
        await changeOwnPassword(s, env, deps.secrets.pepper, {
          userId, currentPassword: req.body.current_password, newPassword: req.body.new_password,
          keepSession: principal.sessionId === undefined ? undefined : asId('session', principal.sessionId),
        });
        const user = await s.users.get(userId);
        if (!user) throw new DomainError('not_found', 'No such user');
        return userJson(user);
      }),
  );

  app.post(
    '/v1/me/totp',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start two-factor enrolment: a new TOTP secret and its otpauth:// URI (for a QR code), pending until confirmed',
        description: 'No Idempotency-Key: the response holds the secret, which is never stored in the clear for a replay; calling again replaces a pending secret.',
        response: { 201: z.object({ object: z.literal('totp_enrolment'), secret: z.string(), otpauth_uri: z.string(), status: z.literal('pending') }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const r = await asSelf(req, deps, (s, env, userId) => startTotpEnrolment(s, env, deps.secrets.pepper, userId));
      return reply.code(201).send({ object: 'totp_enrolment' as const, secret: r.secret, otpauth_uri: r.otpauthUri, status: 'pending' as const });
    },
  );

  app.post(
    '/v1/me/totp/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm two-factor enrolment with a current code; from now on login needs a code',
        description: 'No Idempotency-Key: a code is accepted once only, so a repeat is refused anyway.',
        body: z.strictObject({ code: z.string().min(1).max(16) }),
        response: { 200: UserJson, ...errorResponses },
      },
    },
    async (req) => asSelf(req, deps, async (s, env, userId) => userJson(await confirmTotpEnrolment(s, env, deps.secrets.pepper, userId, req.body.code))),
  );

  app.post(
    '/v1/me/totp/disable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor sign-in off (the password is needed)',
        description: 'No Idempotency-Key: the request carries the password; a repeat finds two-factor sign-in already off (409).',
        body: z.strictObject({ password: z.string().min(1).max(1024) }),
        response: { 200: UserJson, ...errorResponses },
      },
    },
    async (req) =>
      asSelf(req, deps, async (s, env, userId) => {
        await disableTotp(s, env, deps.secrets.pepper, userId, req.body.password);
        const user = await s.users.get(userId);
        if (!user) throw new DomainError('not_found', 'No such user');
        return userJson(user);
      }),
  );
}
