/**
 * Platform administration over the API: a principal flagged platform_admin (granted only from the CLI)
 * creates and lists the companies of the installation. A new tenant comes with its first admin API
 * key, in the creating response only: a replayed Idempotency-Key gets the tenant without it, and the
 * key is never stored (only its hash).
 */
import { z } from 'zod';
import { createTenant } from '../../app/platform/tenants.js';
import type { TenantRecord } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { actorOf } from '../auth.js';
import { runCommandOfRuns } from '../command.js';
import { type Api, errorResponses, IdempotencyHeaders } from '../http.js';

const TenantJson = z
  .object({
    object: z.literal('tenant'),
    id: z.string(),
    name: z.string(),
    org_number: z.string().nullable(),
    vat_number: z.string().nullable(),
    country: z.string(),
    base_currency: z.string(),
  })
  .meta({ id: 'Tenant' });

const CreatedTenantJson = TenantJson.extend({
  admin_api_key_id: z.string().describe('The id of the first admin API key'),
  admin_api_key: z.string().optional().describe('The first admin API key itself: only in the response that created the tenant'),
}).meta({ id: 'CreatedTenant' });

const tenantJson = (t: TenantRecord): z.output<typeof TenantJson> => ({
  object: 'tenant',
  id: t.id,
  name: t.name,
  org_number: t.orgNumber,
  vat_number: t.vatNumber,
  country: t.country,
  base_currency: t.baseCurrency,
});

export function tenantRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/tenants',
    {
      schema: {
        tags: ['platform'],
        summary: 'Create a company (platform administrators only); its first admin API key is shown in this response only',
        headers: IdempotencyHeaders,
        body: z.strictObject({
          name: z.string().min(1).max(200),
          id: z.string().max(44).optional().describe('ten_ + 1-40 lowercase letters, digits or _; made from the name when absent'),
          org_number: z.string().max(20).optional(),
          vat_number: z.string().max(20).optional(),
          country: z.string().length(2).optional().describe('ISO 3166 alpha-2; default SE'),
          currency: z.string().length(3).optional().describe('The base currency of its books (ISO 4217); default SEK'),
        }),
        response: { 201: CreatedTenantJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = req.body;
      return runCommandOfRuns<Awaited<ReturnType<typeof createTenant>>>(
        req,
        reply,
        deps,
        201,
        async (hooks) => {
          const made = await createTenant(deps.db, deps, { name: b.name, id: b.id, orgNumber: b.org_number, vatNumber: b.vat_number, country: b.country, currency: b.currency }, actor.actorId);
          // the response is stored in the administrator's own tenant, where the key was claimed
          if (hooks) await deps.db.transaction(actor.tenantId, (s) => hooks.onStored(s, made));
          return made;
        },
        (made) => ({ ...tenantJson(made.tenant), admin_api_key_id: made.keyRecord.id }),
        (made) => ({ admin_api_key: made.key }),
      );
    },
  );

  app.get(
    '/v1/tenants',
    {
      schema: {
        tags: ['platform'],
        summary: 'The companies of this installation (platform administrators only)',
        response: { 200: z.object({ object: z.literal('list'), data: z.array(TenantJson) }), ...errorResponses },
      },
    },
    async () => ({ object: 'list' as const, data: (await deps.db.platform.listTenants()).map(tenantJson) }),
  );
}
