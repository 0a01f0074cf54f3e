/**
 * The seller as an issued invoice or credit note records it: the tenant's name, identifiers, address,
 * e-mail and payment details at the moment of issue (so a later change does not alter the document).
 */
import type { PartySnapshot, TenantRecord } from '../ports.js';

export function sellerSnapshotOf(tenant: TenantRecord): PartySnapshot {
  return {
    name: tenant.name,
    orgNumber: tenant.orgNumber,
    vatNumber: tenant.vatNumber,
    country: tenant.country,
    addressLine1: tenant.addressLine1,
    addressLine2: tenant.addressLine2,
    postalCode: tenant.postalCode,
    city: tenant.city,
    email: tenant.email,
    bankgiro: tenant.bankgiro,
    iban: tenant.iban,
    bic: tenant.bic,
    fSkatt: tenant.fSkatt,
  };
}
