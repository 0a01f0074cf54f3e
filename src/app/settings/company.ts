/**
 * Company settings: the seller details every document prints (name, org.nr, VAT number, address,
 * contact, bankgiro/IBAN/BIC, F-skatt, logo). Changes apply to documents made from now on; issued
 * invoices keep the snapshot they were issued with.
 */
import { DomainError, invalid } from '../../core/shared/errors.js';
import type { CompanyPatch, Store, TenantRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export const MAX_LOGO_BYTES = 262_144;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** A logo must be a PNG or JPEG image of at most 256 KiB (checked by its signature, not its name). */
export function checkLogo(bytes: Buffer, param: string): void {
  if (bytes.length > MAX_LOGO_BYTES) throw invalid(param, `must be at most ${MAX_LOGO_BYTES / 1024} KiB`);
  if (!bytes.subarray(0, 8).equals(PNG) && !bytes.subarray(0, 3).equals(JPEG)) throw invalid(param, 'must be a PNG or JPEG image');
}

export async function getCompany(s: Store): Promise<TenantRecord> {
  const t = await s.tenant.get();
  if (!t) throw new Error(`tenant ${s.tenantId} is missing`);
  return t;
}

export async function updateCompany(s: Store, env: Env, patch: CompanyPatch): Promise<TenantRecord> {
  if (patch.name !== undefined && patch.name.trim() === '') throw invalid('name', 'name must not be empty');
  if (patch.logoPng) checkLogo(patch.logoPng, 'logo');
  if (env.actor.role !== undefined && env.actor.role !== 'admin') {
    throw new DomainError('forbidden', 'Only an admin may change the company settings');
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
