/**
 * Company settings: the seller details every document prints (name, org.nr, VAT number, address,
 * contact, bankgiro/IBAN/BIC, F-skatt, logo). Changes apply to documents made from now on; issued
 * invoices keep the snapshot they were issued with.
 *
 * Also the payment reference invoices get at issue: an OCR number (at the tenant's Bankgirot control
 * level) or an RF creditor reference. 'hard_fixed_length' needs one or two agreed lengths; choosing
 * another level clears them.
 *
 * And how a billing run groups invoices by default (billing_grouping): one invoice per order, or one
 * per customer (currency, payment terms) over all its confirmed orders; a run may override it.
 */
import { OCR_CONTROL_LEVELS, OCR_MAX_LENGTH, OCR_MIN_LENGTH } from '../../core/receivables/ocr.js';
import { invalid } from '../../core/shared/errors.js';
import type { BillingGrouping, CompanyPatch, Store, TenantRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { authorize } from '../shared/permissions.js';

export const MAX_LOGO_BYTES = 262_144;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** A logo must be a PNG or JPEG image of at most 256 KiB (checked by its signature, not its name). */
export function checkLogo(bytes: Buffer, param: string): void {
  if (bytes.length > MAX_LOGO_BYTES) throw invalid(param, `must be at most ${MAX_LOGO_BYTES / 1024} KiB`);
  if (!bytes.subarray(0, 8).equals(PNG) && !bytes.subarray(0, 3).equals(JPEG)) throw invalid(param, 'must be a PNG or JPEG image');
}

export const PAYMENT_REFERENCE_KINDS = ['ocr', 'rf'] as const;

export const BILLING_GROUPINGS = ['per_order', 'per_customer'] as const satisfies readonly BillingGrouping[];

/**
 * The shortest fixed OCR length an invoice number fits: its digits (4-digit year + 5-digit sequence)
 * plus the check digit. A shorter agreed length could never carry our invoice numbers.
 */
export const MIN_FIXED_OCR_LENGTH = 10;

/**
 * Checks the payment reference settings as they will be after `patch` and completes the patch:
 * choosing a level other than 'hard_fixed_length' clears the lengths. Throws validation_failed
 * naming payment_reference_kind, ocr_control or ocr_lengths.
 */
export function checkPaymentReferenceSettings(current: TenantRecord, patch: CompanyPatch): void {
  if (patch.paymentReferenceKind !== undefined && !(PAYMENT_REFERENCE_KINDS as readonly string[]).includes(patch.paymentReferenceKind)) {
    throw invalid('payment_reference_kind', `must be one of ${PAYMENT_REFERENCE_KINDS.join(', ')}`);
  }
  if (patch.ocrControl !== undefined && !(OCR_CONTROL_LEVELS as readonly string[]).includes(patch.ocrControl)) {
    throw invalid('ocr_control', `must be one of ${OCR_CONTROL_LEVELS.join(', ')}`);
  }
  const level = patch.ocrControl ?? current.ocrControl;
  if (level !== 'hard_fixed_length') {
    if (patch.ocrLengths !== undefined && patch.ocrLengths !== null) {
      throw invalid('ocr_lengths', `ocr_lengths apply only to ocr_control hard_fixed_length, not ${level}; send null or leave it out`);
    }
    if (current.ocrLengths !== null) patch.ocrLengths = null;
    return;
  }
  const lengths = patch.ocrLengths !== undefined ? patch.ocrLengths : current.ocrLengths;
  if (lengths === null || lengths.length === 0) {
    throw invalid('ocr_lengths', 'ocr_lengths (one or two lengths) is required with ocr_control hard_fixed_length');
  }
  if (lengths.length > 2) throw invalid('ocr_lengths', `ocr_lengths takes one or two lengths, got ${lengths.length}`);
  for (const n of lengths) {
    if (!Number.isInteger(n) || n < OCR_MIN_LENGTH || n > OCR_MAX_LENGTH) {
      throw invalid('ocr_lengths', `each of ocr_lengths must be a whole number from ${OCR_MIN_LENGTH} to ${OCR_MAX_LENGTH}, got ${n}`);
    }
  }
  if (Math.max(...lengths) < MIN_FIXED_OCR_LENGTH) {
    throw invalid(
      'ocr_lengths',
      `ocr_lengths must include a length of at least ${MIN_FIXED_OCR_LENGTH} digits: an invoice number's digits plus the check digit`,
    );
  }
}

export async function getCompany(s: Store): Promise<TenantRecord> {
  const t = await s.tenant.get();
  if (!t) throw new Error(`tenant ${s.tenantId} is missing`);
  return t;
}

export async function updateCompany(s: Store, env: Env, patch: CompanyPatch): Promise<TenantRecord> {
  authorize(env.actor, 'admin', 'change the company settings');
  if (patch.name !== undefined && patch.name.trim() === '') throw invalid('name', 'name must not be empty');
  if (patch.logoPng) checkLogo(patch.logoPng, 'logo');
  if (patch.billingGrouping !== undefined && !(BILLING_GROUPINGS as readonly string[]).includes(patch.billingGrouping)) {
    throw invalid('billing_grouping', `must be one of ${BILLING_GROUPINGS.join(', ')}`);
  }
  if (patch.paymentReferenceKind !== undefined || patch.ocrControl !== undefined || patch.ocrLengths !== undefined) {
    checkPaymentReferenceSettings(await getCompany(s), patch);
  }
  await s.tenant.update(patch);
  const changed = Object.keys(patch).filter((k) => k !== 'logoPng');
  await recordChange(s, env, {
    action: 'company.updated',
    entityType: 'tenant',
    entityId: s.tenantId,
    data: { fields: changed, logo: patch.logoPng === undefined ? 'unchanged' : patch.logoPng === null ? 'removed' : `${patch.logoPng.length} bytes` },
  });
  return getCompany(s);
}
