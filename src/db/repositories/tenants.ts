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
    phone: r.phone,
    // pg returns Buffer, PGlite Uint8Array: one type for the app
    logoPng: r.logo_png === null ? null : Buffer.from(r.logo_png),
    creditHoldOverdueDays: r.credit_hold_overdue_days,
    allowNegativeStock: r.allow_negative_stock,
    reviewWindowDays: r.review_window_days,
    paymentReferenceKind: r.payment_reference_kind as TenantRecord['paymentReferenceKind'],
    ocrControl: r.ocr_control as TenantRecord['ocrControl'],
    ocrLengths: r.ocr_lengths === null ? null : r.ocr_lengths.map(Number),
    billingGrouping: r.billing_grouping as TenantRecord['billingGrouping'],
  };
}

export function tenantRepo(db: Executor, tenantId: TenantId): TenantRepo {
  return {
    async get() {
      const row = await db.selectFrom('tenants').selectAll().where('id', '=', tenantId).executeTakeFirst();
      return row && tenantFromRow(row);
    },

    async update(p) {
      const set = {
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.orgNumber !== undefined ? { org_number: p.orgNumber } : {}),
        ...(p.vatNumber !== undefined ? { vat_number: p.vatNumber } : {}),
        ...(p.bankgiro !== undefined ? { bankgiro: p.bankgiro } : {}),
        ...(p.iban !== undefined ? { iban: p.iban } : {}),
        ...(p.bic !== undefined ? { bic: p.bic } : {}),
        ...(p.fSkatt !== undefined ? { f_skatt: p.fSkatt } : {}),
        ...(p.addressLine1 !== undefined ? { address_line1: p.addressLine1 } : {}),
        ...(p.addressLine2 !== undefined ? { address_line2: p.addressLine2 } : {}),
        ...(p.postalCode !== undefined ? { postal_code: p.postalCode } : {}),
        ...(p.city !== undefined ? { city: p.city } : {}),
        ...(p.email !== undefined ? { email: p.email } : {}),
        ...(p.phone !== undefined ? { phone: p.phone } : {}),
        ...(p.logoPng !== undefined ? { logo_png: p.logoPng } : {}),
        ...(p.creditHoldOverdueDays !== undefined ? { credit_hold_overdue_days: p.creditHoldOverdueDays } : {}),
        ...(p.allowNegativeStock !== undefined ? { allow_negative_stock: p.allowNegativeStock } : {}),
        ...(p.reviewWindowDays !== undefined ? { review_window_days: p.reviewWindowDays } : {}),
        ...(p.paymentReferenceKind !== undefined ? { payment_reference_kind: p.paymentReferenceKind } : {}),
        ...(p.ocrControl !== undefined ? { ocr_control: p.ocrControl } : {}),
        ...(p.ocrLengths !== undefined ? { ocr_lengths: p.ocrLengths } : {}),
        ...(p.billingGrouping !== undefined ? { billing_grouping: p.billingGrouping } : {}),
      };
      if (Object.keys(set).length === 0) return;
      await db.updateTable('tenants').set(set).where('id', '=', tenantId).execute();
    },
  };
}
