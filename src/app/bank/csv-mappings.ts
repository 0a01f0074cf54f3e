/** Saved CSV column mappings per bank account: the export of an account is read with its mapping. */
import type { Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export async function saveCsvMapping(s: Store, env: Env, account: string, mapping: unknown): Promise<void> {
  await s.bank.saveCsvMapping(account, mapping, env.clock.now());
  await recordChange(s, env, { action: 'bank_csv_mapping.saved', entityType: 'bank_account', entityId: account, data: { mapping } });
}
