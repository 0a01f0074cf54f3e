/**
 * Tenants and API keys, looked up before a tenant is known (authentication, administration).
 */
import type { Selectable } from 'kysely';
import type { ApiKeyRecord, ApiKeyRepo, PlatformRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { ApiKeysTable } from '../schema.js';
import { guardInsert, type Executor } from './shared.js';
import { tenantFromRow } from './tenants.js';
import { userPlatformLookups } from './users.js';

function apiKeyFromRow(r: Selectable<ApiKeysTable>): ApiKeyRecord {
  return {
    tenantId: asId('tenant', r.tenant_id),
    id: asId('apiKey', r.id),
    name: r.name,
    keyHash: r.key_hash,
    keyPrefix: r.key_prefix,
    role: r.role,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
    platformAdmin: r.platform_admin,
  };
}

export function platformRepo(db: Executor): PlatformRepo {
  return {
    ...userPlatformLookups(db),
    async createTenant(t) {
      await guardInsert(`tenant ${t.id}`, () =>
        db
          .insertInto('tenants')
          .values({
            id: t.id,
            name: t.name,
            org_number: t.orgNumber,
            vat_number: t.vatNumber,
            base_currency: t.baseCurrency,
            country: t.country,
            bankgiro: t.bankgiro,
            iban: t.iban,
            bic: t.bic,
            f_skatt: t.fSkatt,
            address_line1: t.addressLine1,
            address_line2: t.addressLine2,
            postal_code: t.postalCode,
            city: t.city,
            email: t.email,
            phone: t.phone,
            logo_png: t.logoPng,
            credit_hold_overdue_days: t.creditHoldOverdueDays,
            allow_negative_stock: t.allowNegativeStock,
            review_window_days: t.reviewWindowDays,
            payment_reference_kind: t.paymentReferenceKind,
            ocr_control: t.ocrControl,
            ocr_lengths: t.ocrLengths,
          })
          .execute(),
      );
    },

    async listTenants() {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('id').execute();
      return rows.map(tenantFromRow);
    },

    async insertApiKey(k) {
      await guardInsert(`API key ${k.id}`, () =>
        db
          .insertInto('api_keys')
          .values({
            tenant_id: k.tenantId,
            id: k.id,
            name: k.name,
            key_hash: k.keyHash,
            key_prefix: k.keyPrefix,
            role: k.role,
            created_at: k.createdAt,
            last_used_at: k.lastUsedAt,
            revoked_at: k.revokedAt,
            platform_admin: k.platformAdmin,
          })
          .execute(),
      );
    },

    async findApiKeyByHash(keyHash) {
      // Across tenants on purpose: the key identifies the tenant. Hashes are unique per tenant and,
      // being hashes of random secrets, in practice globally; the lowest (tenant, id) wins a tie.
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .orderBy('tenant_id')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row && apiKeyFromRow(row);
    },

    async findPortalLinkTenants(tokenHash) {
      // Across tenants on purpose, like API keys: the token identifies the tenant.
      const rows = await db
        .selectFrom('quote_portal_links')
        .select('tenant_id')
        .where('token_hash', '=', tokenHash)
        .unionAll(db.selectFrom('document_portal_links').select('tenant_id').where('token_hash', '=', tokenHash))
        .orderBy('tenant_id')
        .limit(2)
        .execute();
      return rows.map((r) => asId('tenant', r.tenant_id));
    },

    async touchApiKey(tenantId, id, at) {
      await db
        .updateTable('api_keys')
        .set({ last_used_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(at.getTime() - 60_000))]))
        .execute();
    },

  };
}

/** The tenant's API keys inside a tenant transaction. */
export function apiKeyRepo(db: Executor, tenantId: TenantId): ApiKeyRepo {
  return {
    async insert(k) {
      await guardInsert(`API key ${k.id}`, () =>
        db
          .insertInto('api_keys')
          .values({
            tenant_id: tenantId, id: k.id, name: k.name, key_hash: k.keyHash, key_prefix: k.keyPrefix, role: k.role,
            created_at: k.createdAt, last_used_at: k.lastUsedAt, revoked_at: k.revokedAt,
          })
          .execute(),
      );
    },
    async list() {
      const rows = await db.selectFrom('api_keys').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
      return rows.map(apiKeyFromRow);
    },
    async revoke(id, at) {
      const r = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}
