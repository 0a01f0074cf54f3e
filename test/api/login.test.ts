/**
 * Login and user administration over HTTP (issue 8 part 2): passwords hashed at rest with the pepper,
 * one generic answer for a wrong e-mail or password, the password policy, invitations, an e-mail in
 * several tenants, the last admin, changing one's own password, ending a user's sessions, the login
 * rate limit, nothing secret in the log, and `q2c users create|list`.
 */
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/app/platform/passwords.js';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { DEFAULT_TENANT_ID } from '../../src/app/platform/tenants.js';
import { seedTenant, TEST_DATABASES } from '../support/databases.js';
import { createTestApp, TEST_PEPPER, useTestApp, type TestApp } from '../support/app.js';
import { client } from './helpers.js';

const GENERIC = 'The e-mail address or the password is not correct';

function auth(t: TestApp) {
  const login = async (payload: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await t.server.inject({ method: 'POST', url: '/v1/auth/login', payload, headers });
    const cookie = String(res.headers['set-cookie'] ?? '');
    return { status: res.statusCode, body: res.json(), token: /^q2c_session=([^;]+);/.exec(cookie)?.[1] ?? '', headers: res.headers };
  };
  const asSession = async (method: 'GET' | 'POST', url: string, s: { token: string; body: { csrf_token: string } }, payload?: unknown) => {
    const res = await t.server.inject({
      method, url, headers: { cookie: `q2c_session=${s.token}`, 'x-csrf-token': s.body.csrf_token }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
  };
  return { login, asSession };
}

describe.each(TEST_DATABASES)('login and users [%s]', (kind) => {
  const t = useTestApp(kind);
  const { ok, call } = client(t);
  const { login, asSession } = auth(t);

  it('stores a peppered scrypt hash, never the password; another pepper does not verify it', async () => {
    const password = 'Tr0ub4dor & three more words';
    const user = await ok('POST', '/v1/users', { email: 'Hash@Testbolaget.example', name: 'Hash', role: 'viewer', password });
    expect(user).toMatchObject({ object: 'user', email: 'hash@testbolaget.example', role: 'viewer', active: true, password_set: true, totp_enabled: false, platform_admin: false });
    const row = await t.kysely.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(JSON.stringify(row)).not.toContain(password);
    expect(await verifyPassword(TEST_PEPPER, password, row.password_hash)).toBe(true);
    expect(await verifyPassword(TEST_PEPPER, password + ' ', row.password_hash)).toBe(false);
    expect(await verifyPassword('another-pepper-0123456789abcdefghijklmnopqrstuvwxyz', password, row.password_hash)).toBe(false);
    // the idempotency record holds no plain hash of the body with the password in it
    await ok('POST', '/v1/users', { email: 'idem@testbolaget.example', name: 'Idem', role: 'viewer', password }, { 'idempotency-key': 'user-1' });
    const replay = await call('POST', '/v1/users', { email: 'idem@testbolaget.example', name: 'Idem', role: 'viewer', password }, { 'idempotency-key': 'user-1' });
    expect(replay.status).toBe(201);
    const other = await call('POST', '/v1/users', { email: 'idem@testbolaget.example', name: 'Idem', role: 'viewer', password: password + '!' }, { 'idempotency-key': 'user-1' });
    expect(other.status).toBe(422);
    expect((await t.kysely.selectFrom('users').select('id').where('email', '=', 'idem@testbolaget.example').execute()).length).toBe(1);
    // two hashes of one password differ (salt)
    expect(await hashPassword(TEST_PEPPER, password)).not.toBe(await hashPassword(TEST_PEPPER, password));
  });

  it('answers a wrong password, an unknown e-mail and an invited user alike', async () => {
    await ok('POST', '/v1/users', { email: 'same@testbolaget.example', name: 'Same', role: 'viewer', password: 'the right password' });
    const invited = await ok('POST', '/v1/users', { email: 'invited@testbolaget.example', name: 'Invited', role: 'viewer' });
    expect(invited.password_set).toBe(false);
    const wrong = await login({ email: 'same@testbolaget.example', password: 'the wrong password' });
    const unknown = await login({ email: 'nobody@testbolaget.example', password: 'the right password' });
    const notSet = await login({ email: 'invited@testbolaget.example', password: 'the right password' });
    const garbage = await login({ email: 'not an address', password: 'the right password' });
    for (const r of [wrong, unknown, notSet, garbage]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { type: 'authentication_error', code: 'unauthenticated', message: GENERIC, param: null } });
      expect(r.headers['set-cookie']).toBeUndefined();
    }
    expect((await login({ email: ' SAME@testbolaget.example ', password: 'the right password' })).status).toBe(200);
    // the invitation is a reset link waiting in the outbox (72 hours)
    const resets = await t.kysely.selectFrom('password_resets').selectAll().where('user_id', '=', invited.id).execute();
    expect(resets).toHaveLength(1);
    expect(resets[0]!.expires_at.getTime() - resets[0]!.created_at.getTime()).toBe(72 * 3600_000);
  });

  it('refuses a weak password, a duplicate e-mail and an unknown role, naming the field, writing nothing', async () => {
    const before = (await t.kysely.selectFrom('users').select('id').execute()).length;
    const short = await call('POST', '/v1/users', { email: 'p@testbolaget.example', name: 'P', role: 'viewer', password: 'elevenchars' });
    expect(short.status).toBe(400);
    expect(short.body.error.param).toBe('password');
    const email = await call('POST', '/v1/users', { email: 'p@testbolaget.example', name: 'P', role: 'viewer', password: 'P@testbolaget.example' });
    expect(email.status).toBe(400);
    expect(email.body.error).toMatchObject({ param: 'password', message: 'password must not be the e-mail address' });
    expect((await call('POST', '/v1/users', { email: 'p@testbolaget.example', name: 'P', role: 'root', password: 'long enough password' })).body.error.param).toBe('role');
    expect((await call('POST', '/v1/users', { email: 'not-an-address', name: 'P', role: 'viewer', password: 'long enough password' })).body.error.param).toBe('email');
    expect((await t.kysely.selectFrom('users').select('id').execute()).length).toBe(before);
    expect((await call('POST', '/v1/users', { email: 'p@testbolaget.example', name: 'P', role: 'viewer', password: 'x'.repeat(12) })).status).toBe(201);
    const dup = await call('POST', '/v1/users', { email: 'P@TESTBOLAGET.example', name: 'P2', role: 'viewer', password: 'long enough password' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.param).toBe('email');
  });

  it('asks for tenant_id when the e-mail has accounts in several tenants', async () => {
    const other = await seedTenant(t.db, 'ten_other');
    const email = 'both@testbolaget.example';
    await ok('POST', '/v1/users', { email, name: 'Both', role: 'viewer', password: 'password in tenant one' });
    await t.db.transaction(other, async (s) => {
      const { createUser } = await import('../../src/app/platform/users.js');
      const { envFor } = await import('../../src/app/shared/env.js');
      await createUser(s, envFor(t.deps, { tenantId: other, actorId: 'cli' }), TEST_PEPPER, { email, name: 'Both', role: 'finance', password: 'password in tenant two' });
    });
    const ambiguous = await login({ email, password: 'password in tenant one' });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.param).toBe('tenant_id');
    const one = await login({ email, password: 'password in tenant one', tenant_id: t.tenantId });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ tenant_id: t.tenantId, role: 'viewer' });
    const two = await login({ email, password: 'password in tenant two', tenant_id: other });
    expect(two.status).toBe(200);
    expect(two.body).toMatchObject({ tenant_id: other, role: 'finance' });
    expect((await login({ email, password: 'password in tenant one', tenant_id: other })).status).toBe(401);
    expect((await login({ email, password: 'password in tenant one', tenant_id: 'not-a-tenant' })).body.error.param).toBe('tenant_id');
  });

  it('changes the own password with the current one, ending the other sessions but not this one', async () => {
    await ok('POST', '/v1/users', { email: 'me@testbolaget.example', name: 'Me', role: 'sales', password: 'my first password' });
    const a = await login({ email: 'me@testbolaget.example', password: 'my first password' });
    const b = await login({ email: 'me@testbolaget.example', password: 'my first password' });
    const wrong = await asSession('POST', '/v1/me/password', a, { current_password: 'not my password', new_password: 'my second password' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.param).toBe('current_password');
    const weak = await asSession('POST', '/v1/me/password', a, { current_password: 'my first password', new_password: 'short' });
    expect(weak.body.error.param).toBe('new_password');
    expect((await asSession('GET', '/v1/customers', b)).status).toBe(200);
    const changed = await asSession('POST', '/v1/me/password', a, { current_password: 'my first password', new_password: 'my second password' });
    expect(changed.status).toBe(200);
    expect(changed.body.password_changed_at).not.toBeNull();
    expect((await asSession('GET', '/v1/customers', a)).status).toBe(200);
    expect((await asSession('GET', '/v1/customers', b)).status).toBe(401);
    expect((await login({ email: 'me@testbolaget.example', password: 'my first password' })).status).toBe(401);
    expect((await login({ email: 'me@testbolaget.example', password: 'my second password' })).status).toBe(200);
    const audit = await t.kysely.selectFrom('audit_log').select(['action', 'data']).where('tenant_id', '=', t.tenantId).where('action', '=', 'user.password_changed').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain('password"');
    // an API key has no password of its own; the session route says what it is
    expect((await call('POST', '/v1/me/password', { current_password: 'x', new_password: 'y' })).body.error.param).toBe('Authorization');
    expect((await ok('GET', '/v1/auth/session'))).toMatchObject({ via: 'api_key', user: null, csrf_token: null, role: 'admin' });
  });

  it('documents the session cookie scheme; login and password reset need no credential', async () => {
    const doc = (await t.server.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'q2c_session' });
    for (const path of ['/v1/auth/login', '/v1/auth/password-reset', '/v1/auth/password-reset/confirm']) expect(doc.paths[path].post.security).toEqual([]);
    expect(doc.paths['/v1/users'].post).toBeDefined();
    expect(doc.paths['/v1/me/totp/confirm'].post).toBeDefined();
  });

  it('lists, reads and ends the sessions of users (admin only)', async () => {
    const u = await ok('POST', '/v1/users', { email: 'lost@testbolaget.example', name: 'Lost Laptop', role: 'viewer', password: 'lost laptop password' });
    const s1 = await login({ email: 'lost@testbolaget.example', password: 'lost laptop password' });
    const s2 = await login({ email: 'lost@testbolaget.example', password: 'lost laptop password' });
    expect((await asSession('GET', '/v1/users', s1)).status).toBe(403);
    expect((await ok('GET', '/v1/users')).data.map((x: { id: string }) => x.id)).toContain(u.id);
    expect(await ok('GET', `/v1/users/${u.id}`)).toMatchObject({ id: u.id, name: 'Lost Laptop' });
    expect((await call('GET', '/v1/users/usr_unknown')).status).toBe(404);
    const r = await ok('POST', `/v1/users/${u.id}/revoke-sessions`);
    expect(r).toEqual({ object: 'session_revocation', user_id: u.id, sessions_revoked: 2 });
    expect((await asSession('GET', '/v1/customers', s1)).status).toBe(401);
    expect((await asSession('GET', '/v1/customers', s2)).status).toBe(401);
    const audit = await t.kysely.selectFrom('audit_log').select(['action', 'actor']).where('entity_id', '=', u.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['user.created', 'user.sessions_revoked']);
  });

  it('creates users from the CLI with a generated password printed once, and lists them', async () => {
    const lines: string[] = [];
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
    const program = () => buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l), stdin: async () => 'a password from stdin' });
    await program().parseAsync(['node', 'q2c', '--json', 'users', 'create', '--tenant', t.tenantId, '--email', 'cli@testbolaget.example', '--name', 'CLI', '--admin']);
    const created = JSON.parse(lines[0]!);
    expect(created).toMatchObject({ email: 'cli@testbolaget.example', role: 'admin', platform_admin: false, tenant_id: t.tenantId });
    expect(created.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect((await login({ email: 'cli@testbolaget.example', password: created.password })).status).toBe(200);
    lines.length = 0;
    await program().parseAsync(['node', 'q2c', 'users', 'create', '--tenant', t.tenantId, '--email', 'stdin@testbolaget.example', '--name', 'Stdin', '--role', 'finance', '--password-stdin']);
    expect(lines.join('\n')).not.toContain('Password');
    expect((await login({ email: 'stdin@testbolaget.example', password: 'a password from stdin' })).body.role).toBe('finance');
    lines.length = 0;
    await program().parseAsync(['node', 'q2c', 'users', 'list', '--tenant', t.tenantId]);
    expect(lines.some((l) => l.includes('cli@testbolaget.example\tCLI\tadmin\tactive'))).toBe(true);
    // --platform-admin: the user's session may manage tenants; an ordinary admin's may not
    lines.length = 0;
    await program().parseAsync(['node', 'q2c', '--json', 'users', 'create', '--tenant', t.tenantId, '--email', 'ops@testbolaget.example', '--name', 'Ops', '--role', 'viewer', '--platform-admin']);
    const platform = JSON.parse(lines[0]!);
    expect(platform.platform_admin).toBe(true);
    const ps = await login({ email: 'ops@testbolaget.example', password: platform.password });
    expect(ps.body.platform_admin).toBe(true);
    expect((await asSession('GET', '/v1/tenants', ps)).status).toBe(200);
    expect((await asSession('GET', '/v1/tenants', await login({ email: 'cli@testbolaget.example', password: created.password }))).status).toBe(403);
  });
});

describe.each(TEST_DATABASES)('the last admin, rate limits and the log [%s]', (kind) => {
  it('never demotes or deactivates the last active admin user', async () => {
    const t = await createTestApp(kind);
    try {
      const { ok, call } = client(t);
      const a = await ok('POST', '/v1/users', { email: 'a@testbolaget.example', name: 'A', role: 'admin', password: 'admin a password' });
      const demote = await call('PATCH', `/v1/users/${a.id}`, { role: 'sales' });
      expect(demote.status).toBe(409);
      expect(demote.body.error).toMatchObject({ code: 'conflict', param: 'role' });
      const deactivate = await call('PATCH', `/v1/users/${a.id}`, { active: false });
      expect(deactivate.status).toBe(409);
      expect(deactivate.body.error.param).toBe('active');
      expect(await ok('GET', `/v1/users/${a.id}`)).toMatchObject({ role: 'admin', active: true });
      expect((await call('PATCH', `/v1/users/${a.id}`, { name: 'A renamed' })).status).toBe(200);
      await ok('POST', '/v1/users', { email: 'b@testbolaget.example', name: 'B', role: 'admin', password: 'admin b password' });
      expect(await ok('PATCH', `/v1/users/${a.id}`, { role: 'sales' })).toMatchObject({ role: 'sales', name: 'A renamed' });
    } finally {
      await t.close();
    }
  });

  it('limits all logins of one client, whatever the e-mail (credential stuffing)', async () => {
    const t = await createTestApp(kind, { authRateLimit: { login: 3, passwordReset: 2, loginPerClient: 5 } });
    try {
      const { login } = auth(t);
      for (let i = 0; i < 5; i++) expect((await login({ email: `user${i}@testbolaget.example`, password: 'a guess of some length' })).status).toBe(401);
      const limited = await login({ email: 'user5@testbolaget.example', password: 'a guess of some length' });
      expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('limits login attempts per client and e-mail (429 with Retry-After) and reset requests per client', async () => {
    const t = await createTestApp(kind, { authRateLimit: { login: 3, passwordReset: 2 } });
    try {
      const { login } = auth(t);
      for (let i = 0; i < 3; i++) expect((await login({ email: 'victim@testbolaget.example', password: `guess number ${i}` })).status).toBe(401);
      const limited = await login({ email: 'victim@testbolaget.example', password: 'guess number 4' });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('rate_limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // another address from the same client is counted apart
      expect((await login({ email: 'other@testbolaget.example', password: 'guess number 1' })).status).toBe(401);
      const reset = () => t.server.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email: 'victim@testbolaget.example' } });
      expect((await reset()).statusCode).toBe(202);
      expect((await reset()).statusCode).toBe(202);
      const r = await reset();
      expect(r.statusCode).toBe(429);
      expect(r.headers['retry-after']).toBeDefined();
      const confirm = () => t.server.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token: 'pwr_x.y', new_password: 'whatever it is' } });
      expect((await confirm()).statusCode).toBe(400);
      expect((await confirm()).statusCode).toBe(400);
      expect((await confirm()).statusCode).toBe(429);
    } finally {
      await t.close();
    }
  });

  it('the fresh embedded demo prints an admin user whose generated password signs in', async () => {
    const t = await createTestApp(kind);
    try {
      const lines: string[] = [];
      // kind 'pglite' and freshEmbedded: what `q2c serve` sees on a brand-new embedded database
      const wiring: CliWiring = { deps: t.deps, kind: 'pglite', freshEmbedded: true, migrations: [], close: async () => {} };
      await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'http://test' }), out: (l) => lines.push(l) }).parseAsync(['node', 'q2c', 'serve']);
      const line = lines.find((l) => l.includes('Admin user'));
      const m = /Admin user \(password shown once\): (admin@demo\.q2c\.local) {2}(\S+)$/.exec(line ?? '');
      expect(m).not.toBeNull();
      const res = await t.server.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: m![1], password: m![2] } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ tenant_id: DEFAULT_TENANT_ID, role: 'admin', user: { email: 'admin@demo.q2c.local' } });
    } finally {
      await t.close();
    }
  });

  it('never writes a password, a code or a CSRF token to the log', async () => {
    const lines: string[] = [];
    const t = await createTestApp(kind, { logger: true, logStream: { write: (l) => void lines.push(l) } });
    try {
      const { ok } = client(t);
      const { login, asSession } = auth(t);
      const password = 'SuperSecretLogPassword-42';
      await ok('POST', '/v1/users', { email: 'log@testbolaget.example', name: 'Log', role: 'viewer', password });
      const s = await login({ email: 'log@testbolaget.example', password });
      expect(s.status).toBe(200);
      await login({ email: 'log@testbolaget.example', password: 'WrongSecretLogPassword-43' });
      // a refused body (an unknown field) is not echoed either
      await login({ email: 'log@testbolaget.example', password: 'RefusedSecretLogPassword-44', extra: 1 });
      await asSession('POST', '/v1/me/password', s, { current_password: password, new_password: 'NewSecretLogPassword-45' });
      const text = lines.join('\n');
      expect(text).toContain('login succeeded');
      expect(text).toContain('login failed');
      expect(text).toContain('"reason":"wrong_password"');
      for (const secret of ['SuperSecretLogPassword', 'WrongSecretLogPassword', 'RefusedSecretLogPassword', 'NewSecretLogPassword', s.token, s.body.csrf_token]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await t.close();
    }
  });
});
