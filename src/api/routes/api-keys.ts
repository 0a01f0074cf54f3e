/**
 * API keys of the caller's tenant (admin keys only): create (the key is in that one response and never
 * again: only its hash is stored, and a replayed Idempotency-Key gets the record without it), list
 * with last use, and revoke (effective at once).
 */
import { z } from 'zod';
import { createTenantApiKey, revokeApiKey, ROLES } from '../../app/platform/api-keys.js';
import type { ApiKeyRecord } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { type Api, errorResponses, IdempotencyHeaders, IdParams, pathId } from '../http.js';
import { Instant } from '../serialize.js';

const ApiKeyJson = z
  .object({
    object: z.literal('api_key'),
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    prefix: z.string().describe('The first characters of the key, to recognise it'),
    key: z.string().optional().describe('The key itself: only in the response that created it'),
    created_at: Instant,
    last_used_at: Instant.nullable().describe('Updated at most once a minute'),
    revoked_at: Instant.nullable(),
  })
  .meta({ id: 'ApiKey' });

const apiKeyJson = (k: ApiKeyRecord): z.output<typeof ApiKeyJson> => ({
  object: 'api_key',
  id: k.id,
  name: k.name,
  role: k.role as (typeof ROLES)[number],
  prefix: k.keyPrefix,
  created_at: k.createdAt.toISOString(),
  last_used_at: k.lastUsedAt?.toISOString() ?? null,
  revoked_at: k.revokedAt?.toISOString() ?? null,
});

export function apiKeyRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/api-keys',
    {
      schema: {
        tags: ['platform'],
        summary: 'Create an API key with a role; the key is shown in this response only',
        headers: IdempotencyHeaders,
        body: z.strictObject({ name: z.string().min(1).max(100), role: z.enum(ROLES) }),
        response: { 201: ApiKeyJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      let created: { id: string; key: string } | undefined;
      const res = await command(req, deps, 201, async (s, env) => {
        const { key, record } = await createTenantApiKey(s, env, { name: req.body.name, role: req.body.role });
        created = { id: record.id, key };
        return apiKeyJson(record);
      });
      const body = res.body as { id?: string };
      if (created !== undefined && res.status === 201 && body.id === created.id) return reply.code(201).send({ ...(res.body as object), key: created.key } as never);
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/api-keys',
    {
      schema: { tags: ['platform'], summary: "The tenant's API keys (never the keys themselves)", response: { 200: z.object({ object: z.literal('list'), data: z.array(ApiKeyJson) }), ...errorResponses } },
    },
    async (req) => {
      return read(req, deps, async (s) => ({ object: 'list' as const, data: (await s.apiKeys.list()).map(apiKeyJson) }));
    },
  );

  app.post(
    '/v1/api-keys/:id/revoke',
    { schema: { tags: ['platform'], summary: 'Revoke a key at once (not the last active admin key)', headers: IdempotencyHeaders, params: IdParams, response: { 200: ApiKeyJson, ...errorResponses } } },
    async (req, reply) => {
      const id = pathId('apiKey', req.params.id, 'API key');
      const res = await command(req, deps, 200, async (s, env) => {
        return apiKeyJson(await revokeApiKey(s, env, id));
      });
      return sendStored(reply, res);
    },
  );
}
