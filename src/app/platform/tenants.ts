import { parseCurrency } from '../../core/money/currency.js';
import { DomainError, invalid } from '../../core/shared/errors.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { ApiKeyRecord, Clock, Database, TenantRecord } from '../ports.js';
import type { IdGenerator } from '../shared/ids.js';
import { createApiKey } from './api-keys.js';

/** The single tenant of a fresh installation until multi-tenancy arrives (issue 8). */
export const DEFAULT_TENANT_ID: TenantId = asId('tenant', 'ten_default');

export async function ensureTenant(db: Database, tenant: TenantRecord): Promise<{ created: boolean }> {
  const existing = await db.platform.listTenants();
  if (existing.some((t) => t.id === tenant.id)) return { created: false };
  await db.platform.createTenant(tenant);
  return { created: true };
}

export const defaultTenant = (overrides: Partial<TenantRecord> = {}): TenantRecord => ({
  id: DEFAULT_TENANT_ID,
  name: 'My Company AB',
  orgNumber: null,
  vatNumber: null,
  baseCurrency: 'SEK',
  country: 'SE',
  bankgiro: null,
  iban: null,
  bic: null,
  fSkatt: true,
  addressLine1: null,
  addressLine2: null,
  postalCode: null,
  city: null,
  email: null,
  phone: null,
  logoPng: null,
  creditHoldOverdueDays: null,
  allowNegativeStock: false,
  reviewWindowDays: 14,
  paymentReferenceKind: 'ocr',
  ocrControl: 'hard_variable_length',
  ocrLengths: null,
  ...overrides,
});

const TENANT_ID = /^ten_[a-z0-9_]{1,40}$/;

export interface NewTenantInput {
  name: string;
  /** ten_ + lowercase letters, digits and _; made from the name when absent. */
  id?: string | undefined;
  orgNumber?: string | undefined;
  vatNumber?: string | undefined;
  country?: string | undefined;
  currency?: string | undefined;
}

/** `Åby Bygg AB` → `ten_aby_bygg_ab`. */
export const tenantIdFromName = (name: string): string =>
  `ten_${name.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'company'}`;

/**
 * A new company with its own settings, number series and accounts, and its first admin API key
 * (shown to the caller once; only its hash is kept). Platform administration: the CLI and
 * POST /v1/tenants (a platform administrator). Refuses an id in use (409 naming `id`).
 */
export async function createTenant(
  db: Database,
  deps: { clock: Clock; ids: IdGenerator },
  input: NewTenantInput,
  /** Who creates it ('cli', or the platform administrator's key or user id): the first audit row of the tenant. */
  actorId: string,
): Promise<{ tenant: TenantRecord; key: string; keyRecord: ApiKeyRecord }> {
  const name = input.name.trim();
  if (name === '' || name.length > 200) throw invalid('name', 'must be 1-200 characters');
  const id = input.id ?? tenantIdFromName(name);
  if (!TENANT_ID.test(id)) throw invalid('id', 'must be ten_ followed by 1-40 lowercase letters, digits or _');
  const country = input.country ?? 'SE';
  if (!/^[A-Z]{2}$/.test(country)) throw invalid('country', 'must be a two-letter ISO 3166 code such as SE');
  const currency = parseCurrency(input.currency ?? 'SEK', 'currency');
  const tenant = defaultTenant({ id: asId('tenant', id), name, orgNumber: input.orgNumber ?? null, vatNumber: input.vatNumber ?? null, country, baseCurrency: currency });
  const { created } = await ensureTenant(db, tenant);
  if (!created) throw new DomainError('conflict', `A tenant '${id}' already exists`, 'id');
  const { key, record } = await createApiKey(db, deps, { tenantId: tenant.id, name: 'admin (created with the tenant)', role: 'admin' });
  await db.transaction(tenant.id, (s) =>
    s.audit.insert({
      actor: actorId,
      action: 'tenant.created',
      entityType: 'tenant',
      entityId: tenant.id,
      data: { after: { name, org_number: tenant.orgNumber, vat_number: tenant.vatNumber, country, base_currency: currency }, api_key_id: record.id },
    }),
  );
  return { tenant, key, keyRecord: record };
}
