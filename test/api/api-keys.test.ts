/**
 * API keys (issue 8, part 3) over HTTP: created with a role and shown once (a replayed
 * Idempotency-Key returns the record without the key), hashed at rest, listed with their last use,
 * managed by admin keys only, revoked at once, and never the last admin key.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from './helpers.js';

describe.each(TEST_DATABASES)('API keys [%s]', (kind) => {
  const t = useTestApp(kind);
  const { ok, call } = client(t);
  const as = (key: string, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.server.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  it('creates a key shown once, stores only its hash, and a replay does not show it again', async () => {
    const created = await ok('POST', '/v1/api-keys', { name: 'Ekonomi', role: 'finance' }, { 'idempotency-key': 'key-1' });
    expect(created).toMatchObject({ object: 'api_key', name: 'Ekonomi', role: 'finance', revoked_at: null, last_used_at: null });
    expect(created.key).toMatch(/^q2c_[a-z2-7]{32}$/);
    expect(created.prefix).toBe(created.key.slice(0, 8));
    const replay = await ok('POST', '/v1/api-keys', { name: 'Ekonomi', role: 'finance' }, { 'idempotency-key': 'key-1' });
    expect(replay.id).toBe(created.id);
    expect(replay.key).toBeUndefined();

    // at rest: the SHA-256 of the key, never the key (not in the idempotency store either)
    const row = await t.kysely.selectFrom('api_keys').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(createHash('sha256').update(created.key).digest('hex'));
    const stored = await t.kysely.selectFrom('idempotency_keys').select('response_body').where('tenant_id', '=', t.tenantId).execute();
    expect(JSON.stringify(stored)).not.toContain(created.key);
    const listed = await ok('GET', '/v1/api-keys');
    expect(JSON.stringify(listed)).not.toContain(created.key);

    // the new key works, and its use is recorded; a finance key may not manage keys
    expect((await as(created.key, 'GET', '/v1/customers')).statusCode).toBe(200);
    const used = (await ok('GET', '/v1/api-keys')).data.find((k: { id: string }) => k.id === created.id);
    expect(used.last_used_at).not.toBeNull();
    const forbidden = await as(created.key, 'POST', '/v1/api-keys', { name: 'x', role: 'admin' });
    expect(forbidden.statusCode).toBe(403);
    expect((await as(created.key, 'GET', '/v1/api-keys')).statusCode).toBe(403);
  });

  it('refuses an unknown role, naming it', async () => {
    const bad = await call('POST', '/v1/api-keys', { name: 'X', role: 'superuser' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('role');
  });

  it('revokes a key at once, and never the last active admin key', async () => {
    const sales = await ok('POST', '/v1/api-keys', { name: 'Säljare', role: 'sales' });
    expect((await as(sales.key, 'GET', '/v1/customers')).statusCode).toBe(200);
    const revoked = await ok('POST', `/v1/api-keys/${sales.id}/revoke`);
    expect(revoked.revoked_at).not.toBeNull();
    const after = await as(sales.key, 'GET', '/v1/customers');
    expect(after.statusCode).toBe(401);
    expect((await call('POST', `/v1/api-keys/${sales.id}/revoke`)).status).toBe(409);

    const me = (await ok('GET', '/v1/api-keys')).data.find((k: { role: string; revoked_at: string | null; prefix: string }) => k.role === 'admin' && k.revoked_at === null && t.apiKey.startsWith(k.prefix));
    const last = await call('POST', `/v1/api-keys/${me.id}/revoke`);
    expect(last.status).toBe(409);
    expect(last.body.error.message).toMatch(/last active admin key/);
    // with a second admin key, the first can go
    const admin2 = await ok('POST', '/v1/api-keys', { name: 'Admin 2', role: 'admin' });
    const r = await as(admin2.key, 'POST', `/v1/api-keys/${me.id}/revoke`);
    expect(r.statusCode).toBe(200);
    expect((await call('GET', '/v1/customers')).status).toBe(401);
  });
});
