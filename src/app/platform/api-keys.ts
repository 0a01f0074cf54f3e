/**
 * API keys: `q2c_` + 32 random base32 characters, shown once; only a SHA-256 hash is stored (the key
 * is high-entropy, so a fast hash is the right tool: nothing to brute-force).
 */
import { createHash, randomBytes } from 'node:crypto';
import { DomainError } from '../../core/shared/errors.js';
import type { ApiKeyId, TenantId } from '../../core/shared/ids.js';
import type { ApiKeyRecord, Clock, Database, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import type { IdGenerator } from '../shared/ids.js';
import { authorize, ROLES } from '../shared/permissions.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export { ROLES, type Role } from '../shared/permissions.js';

function checkKeyInput(input: { name: string; role: string }): void {
  if (!(ROLES as readonly string[]).includes(input.role)) throw new DomainError('validation_failed', `role must be one of ${ROLES.join(', ')}`, 'role');
  if (input.name.trim() === '' || input.name.length > 100) throw new DomainError('validation_failed', 'name must be 1-100 characters', 'name');
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

function randomKey(): string {
  return 'q2c_' + Array.from(randomBytes(32), (b) => ALPHABET[b % 32]).join('');
}

/** A new key and its record (only the hash is kept); the input is checked first. */
function newApiKey(
  deps: { clock: Clock; ids: IdGenerator },
  tenantId: TenantId,
  input: { name: string; role: string; platformAdmin?: boolean },
): { key: string; record: ApiKeyRecord } {
  checkKeyInput(input);
  const key = randomKey();
  const record: ApiKeyRecord = {
    tenantId,
    id: deps.ids.next('apiKey'),
    name: input.name,
    keyHash: hashApiKey(key),
    keyPrefix: key.slice(0, 8),
    role: input.role,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
    platformAdmin: input.platformAdmin === true,
  };
  return { key, record };
}

/** A new key committed on its own (the CLI and the demo). */
export async function createApiKey(
  db: Database,
  deps: { clock: Clock; ids: IdGenerator },
  input: { tenantId: TenantId; name: string; role?: string; platformAdmin?: boolean },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const created = newApiKey(deps, input.tenantId, { name: input.name, role: input.role ?? 'admin', platformAdmin: input.platformAdmin === true });
  await db.platform.insertApiKey(created.record);
  return created;
}

/** Who a request acts as: an API key or a signed-in user (a session), within one tenant. */
export interface Principal {
  tenantId: TenantId;
  /** The key id or user id: written to audit rows as the actor. */
  actorId: string;
  role: string;
  via: 'api_key' | 'session';
  /** May create and list tenants (POST/GET /v1/tenants). */
  platformAdmin: boolean;
  apiKeyId?: ApiKeyId;
  userId?: string;
  sessionId?: string;
}

export async function authenticate(db: Database, clock: Clock, bearer: string | undefined): Promise<Principal> {
  if (!bearer) throw new DomainError('unauthenticated', 'Send an API key as "Authorization: Bearer <key>"', 'Authorization');
  const record = await db.platform.findApiKeyByHash(hashApiKey(bearer));
  if (!record || record.revokedAt !== null) {
    throw new DomainError('unauthenticated', 'The API key is not valid or has been revoked', 'Authorization');
  }
  await db.platform.touchApiKey(record.tenantId, record.id, clock.now());
  return { tenantId: record.tenantId, actorId: record.id, apiKeyId: record.id, role: record.role, via: 'api_key', platformAdmin: record.platformAdmin };
}

/** A new key for the tenant of a transaction (the API path; the CLI's createApiKey commits on its own). */
export async function createTenantApiKey(s: Store, env: Env, input: { name: string; role: string }): Promise<{ key: string; record: ApiKeyRecord }> {
  authorize(env.actor, 'admin', 'manage API keys');
  const { key, record } = newApiKey(env, s.tenantId, input);
  await s.apiKeys.insert(record);
  await recordChange(s, env, { action: 'api_key.created', entityType: 'api_key', entityId: record.id, data: { after: { name: record.name, role: record.role, prefix: record.keyPrefix } } });
  return { key, record };
}

/**
 * Revokes a key at once (the next request with it is a 401). The last active admin key cannot be
 * revoked, so that a tenant cannot lock itself out.
 */
export async function revokeApiKey(s: Store, env: Env, id: ApiKeyId): Promise<ApiKeyRecord> {
  authorize(env.actor, 'admin', 'manage API keys');
  const keys = await s.apiKeys.list();
  const key = keys.find((k) => k.id === id);
  if (!key) throw new DomainError('not_found', `No API key with id '${id}'`, 'id');
  if (key.revokedAt !== null) throw new DomainError('conflict', `API key ${key.keyPrefix}… was already revoked`, 'id');
  if (key.role === 'admin' && keys.filter((k) => k.role === 'admin' && k.revokedAt === null).length === 1) {
    throw new DomainError('conflict', 'This is the last active admin key; create another admin key first', 'id');
  }
  const at = env.clock.now();
  if (!(await s.apiKeys.revoke(id, at))) throw new DomainError('conflict', 'The key changed meanwhile; retry', 'id');
  await recordChange(s, env, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, data: { before: { revoked_at: null }, after: { revoked_at: at.toISOString() } } });
  return { ...key, revokedAt: at };
}
