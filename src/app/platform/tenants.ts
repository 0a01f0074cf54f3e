import { asId, type TenantId } from '../../core/shared/ids.js';
import type { Database, TenantRecord } from '../ports.js';

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
