/**
 * The tenant's users (admins only): create with a password or by invitation (a link to set one is
 * mailed), list, read, change name / role / active, and end a user's sessions. A change of role or
 * a deactivation takes effect on the user's next request.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { createUser, getUser, revokeUserSessions, updateUser } from '../../app/platform/users.js';
import type { UserRecord } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { ROLES } from '../../app/shared/permissions.js';
import { command, read, sendStored } from '../command.js';
import { type Api, errorResponses, IdempotencyHeaders, IdParams, pathId } from '../http.js';
import { Instant } from '../serialize.js';

export const UserJson = z
  .object({
    object: z.literal('user'),
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    active: z.boolean(),
    platform_admin: z.boolean(),
    password_set: z.boolean().describe('False while an invited user has not yet set a password'),
    totp_enabled: z.boolean(),
    created_at: Instant,
    updated_at: Instant,
    password_changed_at: Instant.nullable(),
  })
  .meta({ id: 'User' });

export const userJson = (u: UserRecord): z.output<typeof UserJson> => ({
  object: 'user',
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role as (typeof ROLES)[number],
  active: u.active,
  platform_admin: u.platformAdmin,
  password_set: u.passwordHash !== null,
  totp_enabled: u.totpEnabledAt !== null,
  created_at: u.createdAt.toISOString(),
  updated_at: u.updatedAt.toISOString(),
  password_changed_at: u.passwordChangedAt?.toISOString() ?? null,
});

export function userRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/users',
    {
      schema: {
        tags: ['platform'],
        summary: 'Create a user with a password, or invite one (no password: a link to set it is e-mailed, valid 72 hours)',
        description: 'The password must be 12–256 characters and not the e-mail address. An e-mail already used in this company is a 409 naming `email`.',
        headers: IdempotencyHeaders,
        body: z.strictObject({
          email: z.string().min(1).max(254),
          name: z.string().min(1).max(200),
          role: z.enum(ROLES),
          password: z.string().min(1).max(1024).optional(),
        }),
        response: { 201: UserJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const password = req.body.password;
      // The Idempotency-Key record keeps a hash of the request body: with the password replaced by a
      // peppered HMAC, that hash cannot be used to test password guesses.
      if (password !== undefined) req.body.password = createHmac('sha256', deps.secrets.pepper).update(`idempotency:${password}`).digest('base64url');
      const res = await command(req, deps, 201, async (s, env) =>
        userJson((await createUser(s, env, deps.secrets.pepper, { email: req.body.email, name: req.body.name, role: req.body.role, password })).user),
      );
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/users',
    { schema: { tags: ['platform'], summary: "The company's users", response: { 200: z.object({ object: z.literal('list'), data: z.array(UserJson) }), ...errorResponses } } },
    async (req) => read(req, deps, async (s) => ({ object: 'list' as const, data: (await s.users.list()).map(userJson) })),
  );

  app.get(
    '/v1/users/:id',
    { schema: { tags: ['platform'], summary: 'A user', params: IdParams, response: { 200: UserJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('user', req.params.id, 'user');
      return read(req, deps, async (s) => userJson(await getUser(s, id)));
    },
  );

  app.patch(
    '/v1/users/:id',
    {
      schema: {
        tags: ['platform'],
        summary: "Change a user's name, role or active flag (effective on the user's next request)",
        description: 'Deactivating ends the user\'s sessions. The last active admin cannot be demoted or deactivated (409).',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: z.strictObject({ name: z.string().min(1).max(200).optional(), role: z.enum(ROLES).optional(), active: z.boolean().optional() }),
        response: { 200: UserJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('user', req.params.id, 'user');
      const res = await command(req, deps, 200, async (s, env) => userJson(await updateUser(s, env, id, req.body)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/users/:id/revoke-sessions',
    {
      schema: {
        tags: ['platform'],
        summary: "End every session of a user at once (e.g. a lost laptop)",
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 200: z.object({ object: z.literal('session_revocation'), user_id: z.string(), sessions_revoked: z.number().int() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('user', req.params.id, 'user');
      const res = await command(req, deps, 200, async (s, env) => ({ object: 'session_revocation' as const, user_id: id, sessions_revoked: await revokeUserSessions(s, env, id) }));
      return sendStored(reply, res);
    },
  );
}
