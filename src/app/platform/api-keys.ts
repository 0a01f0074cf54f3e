/**
 * API keys: `q2c_` + 32 random base32 characters, shown once; only a SHA-256 hash is stored (the key
 * is high-entropy, so a fast hash is the right tool: nothing to brute-force).
 */
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../../core/shared/errors.js';
import type { ApiKeyId, TenantId } from '../../core/shared/ids.js';
import type { ApiKeyRecord, Clock, Database } from '../ports.js';
import type { IdGenerator } from '../shared/ids.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

function randomKey(): string {
  return 'q2c_' + Array.from(randomBytes(32), (b) => ALPHABET[b % 32]).join('');
}

export async function createApiKey(
  db: Database,
  deps: { clock: Clock; ids: IdGenerator },
  input: { tenantId: TenantId; name: string; role?: string },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const key = randomKey();
  const record: ApiKeyRecord = {
    tenantId: input.tenantId,
    id: deps.ids.next('apiKey'),
    name: input.name,
    keyHash: hashApiKey(key),
    keyPrefix: key.slice(0, 8),
    role: input.role ?? 'admin',
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  await db.platform.insertApiKey(record);
  return { key, record };
}

export interface Principal {
  tenantId: TenantId;
  apiKeyId: ApiKeyId;
  role: string;
}

export async function authenticate(db: Database, clock: Clock, bearer: string | undefined): Promise<Principal> {
  if (!bearer) throw new DomainError('unauthenticated', 'Send an API key as "Authorization: Bearer <key>"', 'Authorization');
  const record = await db.platform.findApiKeyByHash(hashApiKey(bearer));
  if (!record || record.revokedAt !== null) {
    throw new DomainError('unauthenticated', 'The API key is not valid or has been revoked', 'Authorization');
  }
  await db.platform.touchApiKey(record.tenantId, record.id, clock.now());
  return { tenantId: record.tenantId, apiKeyId: record.id, role: record.role };
}
