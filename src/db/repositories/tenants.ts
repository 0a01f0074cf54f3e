/**
 * Tenants: read by the tenant-bound store; created and listed through the platform repository.
 */
import type { Selectable } from 'kysely';
import type { TenantRecord, TenantRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { TenantsTable } from '../schema.js';
import type { Executor } from './shared.js';

export function tenantFromRow(r: Selectable<TenantsTable>): TenantRecord {
  return {
    id: asId('tenant', r.id),
    name: r.name,
    orgNumber: r.org_number,
    vatNumber: r.vat_number,
    baseCurrency: r.base_currency,
    country: r.country,
    bankgiro: r.bankgiro,
    iban: r.iban,
    bic: r.bic,
    fSkatt: r.f_skatt,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    postalCode: r.postal_code,
    city: r.city,
    email: r.email,
  };
}

export function tenantRepo(db: Executor, tenantId: TenantId): TenantRepo {
  return {
    async get() {
      const row = await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
      return row && tenantFromRow(row);
    },
  };
}
