/**
 * Users and sessions end to end (issue 8 part 2) on every database: login sets an HttpOnly cookie
 * that authenticates reads and, with the session's CSRF token, writes; logout, idle and absolute
 * expiry end it; a password reset goes out as an e-mail through the outbox worker and works once;
 * TOTP enrolment, login with a code, replay refusal and turning it off; role changes and deactivation
 * take effect on the next request.
 */
import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/app/outbox/dispatch.js';
import { SESSION_ABSOLUTE_LIFETIME_MS, SESSION_IDLE_TIMEOUT_MS } from '../../src/app/platform/sessions.js';
import { settableClock } from '../../src/app/shared/clock.js';
import { outboxDispatchDeps } from '../../src/main/worker.js';
import { client } from '../api/helpers.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { useSmtpMailer } from '../support/smtp.js';

const START = new Date('2026-12-04T10:00:00Z');
const MINUTE = 60_000;
const PUBLIC_URL = 'https://q2c.example';
const { smtp, mailer } = useSmtpMailer('q2c@testbolaget.example');

type Method = 'GET' | 'POST' | 'PATCH';

/** A browser-like client: the session cookie, and the CSRF header when given. */
function browser(t: TestApp) {
  return async (method: Method, url: string, cookie: string | undefined, opts: { payload?: unknown; csrf?: string } = {}) => {
    const res = await t.server.inject({
      method,
      url,
      headers: { ...(cookie ? { cookie: `q2c_session=${cookie}` } : {}), ...(opts.csrf !== undefined ? { 'x-csrf-token': opts.csrf } : {}) },
      ...(opts.payload === undefined ? {} : { payload: opts.payload as Record<string, unknown> }),
    });
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json(), headers: res.headers };
  };
}

async function loginAs(t: TestApp, email: string, password: string, extra: Record<string, unknown> = {}) {
  const res = await t.server.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password, ...extra } });
  const setCookie = res.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie) ?? '';
  const token = /^q2c_session=([^;]+);/.exec(cookie)?.[1];
  return { status: res.statusCode, body: res.json(), setCookie: cookie, token: token ?? '', csrf: res.statusCode === 200 ? (res.json().csrf_token as string) : '' };
}

describe.each(TEST_DATABASES)('users and sessions [%s]', (kind) => {
  const clock = settableClock(START);
  const t = useTestApp(kind, { clock });
  const { ok, call } = client(t);
  const as = browser(t);
  const dispatch = async () => {
    const r = await dispatchOutbox(outboxDispatchDeps({ kysely: t.kysely, app: t.deps }, mailer, undefined, PUBLIC_URL), 1000);
    expect(r.failed).toBe(0);
    return r;
  };
  const countCustomers = async () => (await t.kysely.selectFrom('customers').select('id').where('tenant_id', '=', t.tenantId).execute()).length;
  let n = 0;
  /** A new user (admin API key) with a password; each test its own, so tests do not share sessions. */
  async function newUser(role = 'sales', password = 'correct horse battery staple') {
    n++;
    const email = `user${n}@testbolaget.example`;
    const user = await ok('POST', '/v1/users', { email, name: `User ${n}`, role, password });
    return { user, email, password };
  }

  it('logs in with an exact cookie; the cookie reads, writes only with the CSRF token, and stops working at logout', async () => {
    clock.set(START);
    const { email, password, user } = await newUser('sales');
    const login = await loginAs(t, email, password);
    expect(login.status).toBe(200);
    expect(login.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(login.setCookie).toBe(`q2c_session=${login.token}; Max-Age=43200; Path=/; HttpOnly; Secure; SameSite=Lax`);
    expect(login.body).toMatchObject({
      object: 'session', via: 'session', tenant_id: t.tenantId, role: 'sales', user: { id: user.id, email, role: 'sales' },
      created_at: START.toISOString(), expires_at: new Date(START.getTime() + 12 * 60 * MINUTE).toISOString(), idle_expires_at: new Date(START.getTime() + 2 * 60 * MINUTE).toISOString(),
    });
    expect(login.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // only the SHA-256 of the token is stored
    const row = await t.kysely.selectFrom('sessions').selectAll().where('id', '=', login.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(login.token);

    expect((await as('GET', '/v1/customers', login.token)).status).toBe(200);
    const session = await as('GET', '/v1/auth/session', login.token);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ id: login.body.id, csrf_token: login.csrf, user: { id: user.id } });

    // CSRF: no header → 403 naming it, nothing written; a wrong one → 403; the right one → 201
    const before = await countCustomers();
    const customer = { name: 'Cookie AB', country: 'SE', currency: 'SEK' };
    const missing = await as('POST', '/v1/customers', login.token, { payload: customer });
    expect(missing.status).toBe(403);
    expect(missing.body.error).toMatchObject({ code: 'forbidden', param: 'X-CSRF-Token' });
    const wrong = await as('POST', '/v1/customers', login.token, { payload: customer, csrf: login.csrf.slice(0, -2) + 'xx' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.param).toBe('X-CSRF-Token');
    expect(await countCustomers()).toBe(before);
    const created = await as('POST', '/v1/customers', login.token, { payload: customer, csrf: login.csrf });
    expect(created.status).toBe(201);
    expect(await countCustomers()).toBe(before + 1);
    // the audit row names the user as the actor
    const audit = await t.kysely.selectFrom('audit_log').select(['actor']).where('tenant_id', '=', t.tenantId).where('entity_id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(audit.actor).toBe(user.id);
    // a bearer key needs no CSRF header
    expect((await call('POST', '/v1/customers', { name: 'Bearer AB', country: 'SE', currency: 'SEK' })).status).toBe(201);
    // with both, the bearer key wins: no CSRF header needed, and the key is the actor
    const both = await t.server.inject({
      method: 'POST', url: '/v1/customers', headers: { authorization: `Bearer ${t.apiKey}`, cookie: `q2c_session=${login.token}` }, payload: { name: 'Both AB', country: 'SE', currency: 'SEK' },
    });
    expect(both.statusCode).toBe(201);
    const bothAudit = await t.kysely.selectFrom('audit_log').select(['actor']).where('tenant_id', '=', t.tenantId).where('entity_id', '=', both.json().id).executeTakeFirstOrThrow();
    expect(bothAudit.actor).toMatch(/^key_/);

    // logout: needs the CSRF token too, clears the cookie, and the token is dead
    expect((await as('POST', '/v1/auth/logout', login.token)).status).toBe(403);
    const out = await as('POST', '/v1/auth/logout', login.token, { csrf: login.csrf });
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/^q2c_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax$/);
    const after = await as('GET', '/v1/customers', login.token);
    expect(after.status).toBe(401);
    expect(after.body.error.param).toBe('q2c_session');
  });

  it('ends a session after 2 hours without a request, and 12 hours after login whatever the activity', async () => {
    clock.set(START);
    const { email, password } = await newUser('viewer');
    const idle = await loginAs(t, email, password);
    // activity is written at most once a minute
    const lastSeen = async () => (await t.kysely.selectFrom('sessions').select('last_seen_at').where('id', '=', idle.body.id).executeTakeFirstOrThrow()).last_seen_at.toISOString();
    clock.advance(30_000);
    expect((await as('GET', '/v1/customers', idle.token)).status).toBe(200);
    expect(await lastSeen()).toBe(START.toISOString());
    clock.advance(31_000);
    expect((await as('GET', '/v1/customers', idle.token)).status).toBe(200);
    expect(await lastSeen()).toBe(new Date(START.getTime() + 61_000).toISOString());
    clock.set(START); // the idle end counts from the login (last_seen_at is a little later, which only helps)
    clock.advance(SESSION_IDLE_TIMEOUT_MS - MINUTE);
    expect((await as('GET', '/v1/customers', idle.token)).status).toBe(200); // activity moves the idle end
    clock.advance(SESSION_IDLE_TIMEOUT_MS - MINUTE);
    expect((await as('GET', '/v1/customers', idle.token)).status).toBe(200);
    clock.advance(SESSION_IDLE_TIMEOUT_MS);
    expect((await as('GET', '/v1/customers', idle.token)).status).toBe(401);

    clock.set(START);
    const busy = await loginAs(t, email, password);
    for (let h = 1; h < 12; h++) {
      clock.set(new Date(START.getTime() + h * 60 * MINUTE));
      expect((await as('GET', '/v1/customers', busy.token)).status).toBe(200);
    }
    clock.set(new Date(START.getTime() + SESSION_ABSOLUTE_LIFETIME_MS - 1000));
    expect((await as('GET', '/v1/customers', busy.token)).status).toBe(200);
    clock.set(new Date(START.getTime() + SESSION_ABSOLUTE_LIFETIME_MS));
    expect((await as('GET', '/v1/customers', busy.token)).status).toBe(401);
  });

  it('resets a password through the e-mailed link once; old sessions end; unknown addresses get 202 and nothing', async () => {
    clock.set(START);
    await dispatch();
    smtp.messages.length = 0;
    const { email, password, user } = await newUser('finance');
    const old = await loginAs(t, email, password);
    expect(old.status).toBe(200);
    // a webhook endpoint for every event must still not get the internal one
    await ok('POST', '/v1/webhook-endpoints', { url: 'https://hooks.example/q2c', event_types: ['*'] });
    await ok('POST', '/v1/customers', { name: 'Webhook Witness AB', country: 'SE', currency: 'SEK' }); // a public event it does get

    const req = await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email: email.toUpperCase() } });
    expect(req.statusCode).toBe(202);
    expect(req.json()).toEqual({ object: 'password_reset_request', status: 'accepted' });
    expect(smtp.messages).toHaveLength(0); // only the worker sends, after the commit
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
    const msg = smtp.messages[0]!;
    expect(msg.to).toEqual([email]);
    expect(msg.raw).toMatch(/^Subject: Reset your q2c password\r?$/m);
    const unfolded = msg.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const token = /https:\/\/q2c\.example\/reset-password#token=(pwr_[0-9a-z]+\.[A-Za-z0-9_-]+)/.exec(unfolded)?.[1];
    expect(token).toBeDefined();

    // the database holds no token: not the reset row, not the outbox, not the audit log
    const resetId = token!.split('.')[0]!;
    const stored = JSON.stringify([
      await t.kysely.selectFrom('password_resets').selectAll().where('tenant_id', '=', t.tenantId).execute(),
      await t.kysely.selectFrom('outbox').selectAll().where('tenant_id', '=', t.tenantId).execute(),
      await t.kysely.selectFrom('audit_log').selectAll().where('tenant_id', '=', t.tenantId).execute(),
    ], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(stored).toContain(resetId);
    expect(stored).not.toContain(token!.split('.')[1]!);
    // not a public event: not listed, not fetchable, never fanned out to webhooks
    const events = await ok('GET', '/v1/events?limit=100');
    expect(events.data.map((e: { type: string }) => e.type)).not.toContain('user.password_reset_requested');
    const internal = await t.kysely.selectFrom('outbox').select(['id', 'published_at']).where('tenant_id', '=', t.tenantId).where('event_type', '=', 'user.password_reset_requested').execute();
    expect(internal.length).toBeGreaterThan(0);
    expect(internal.every((e) => e.published_at !== null)).toBe(true);
    expect((await call('GET', `/v1/events/${internal[0]!.id}`)).status).toBe(404);
    const deliveries = await sql<{ event_type: string }>`select event_type from webhook_deliveries where tenant_id = ${t.tenantId}`.execute(t.kysely);
    expect(deliveries.rows.map((d) => d.event_type)).toContain('customer.created');
    expect(deliveries.rows.map((d) => d.event_type)).not.toContain('user.password_reset_requested');

    // a forged signature, a too-short password: refused, the link still unused
    const forged = await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token: `${resetId}.AAAA${token!.split('.')[1]!.slice(4)}`, new_password: 'a brand new passphrase' } });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.param).toBe('token');
    const weak = await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token, new_password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.param).toBe('new_password');

    const confirmed = await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token, new_password: 'a brand new passphrase' } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ object: 'password_reset', status: 'completed', user_id: user.id });
    expect((await as('GET', '/v1/customers', old.token)).status).toBe(401); // every old session ended
    expect((await loginAs(t, email, password)).status).toBe(401);
    expect((await loginAs(t, email, 'a brand new passphrase')).status).toBe(200);
    const again = await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token, new_password: 'yet another passphrase' } });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.param).toBe('token');

    // expired: 30 minutes and it is gone
    smtp.messages.length = 0;
    await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email } });
    await dispatch();
    const late = /#token=(pwr_[0-9a-z]+\.[A-Za-z0-9_-]+)/.exec(smtp.messages[0]!.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='))?.[1];
    clock.advance(30 * MINUTE);
    const expired = await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token: late, new_password: 'yet another passphrase' } });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.param).toBe('token');

    // an unknown address: the same 202, no reset row, no e-mail
    smtp.messages.length = 0;
    const resets = (await t.kysely.selectFrom('password_resets').select('id').execute()).length;
    const unknown = await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset', payload: { email: 'nobody@testbolaget.example' } });
    expect(unknown.statusCode).toBe(202);
    expect(unknown.json()).toEqual(req.json());
    await dispatch();
    expect(smtp.messages).toHaveLength(0);
    expect((await t.kysely.selectFrom('password_resets').select('id').execute()).length).toBe(resets);
  });

  it('invites a user without a password: the e-mailed link sets it, and then the user signs in', async () => {
    clock.set(START);
    await dispatch();
    smtp.messages.length = 0;
    const invited = await ok('POST', '/v1/users', { email: 'new.hire@testbolaget.example', name: 'New Hire', role: 'sales' });
    expect(invited.password_set).toBe(false);
    expect((await loginAs(t, 'new.hire@testbolaget.example', 'anything at all here')).status).toBe(401);
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['new.hire@testbolaget.example']);
    expect(smtp.messages[0]!.raw).toMatch(/^Subject: You are invited to q2c \(Testbolaget AB\)\r?$/m);
    const text = smtp.messages[0]!.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    expect(text).toContain('The link works once and for 72 hours.');
    const token = /https:\/\/q2c\.example\/reset-password#token=(pwr_[0-9a-z]+\.[A-Za-z0-9_-]+)/.exec(text)?.[1];
    clock.advance(24 * 60 * MINUTE); // an invitation outlives a reset link's 30 minutes
    const set = await t.server.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token, new_password: 'my very own password' } });
    expect(set.statusCode).toBe(200);
    const login = await loginAs(t, 'new.hire@testbolaget.example', 'my very own password');
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ id: invited.id, password_set: true });
  });

  it('enrols TOTP, then login needs a code, refuses a wrong or replayed one, and it can be turned off', async () => {
    clock.set(START);
    const { email, password } = await newUser('operations');
    const s = await loginAs(t, email, password);
    const enrol = await as('POST', '/v1/me/totp', s.token, { csrf: s.csrf });
    expect(enrol.status).toBe(201);
    expect(enrol.body.status).toBe('pending');
    expect(enrol.body.otpauth_uri).toMatch(new RegExp(`^otpauth://totp/q2c:${encodeURIComponent(email)}\\?issuer=q2c&secret=${enrol.body.secret}&algorithm=SHA1&digits=6&period=30$`));
    const totp = new TOTP({ secret: Secret.fromBase32(enrol.body.secret), algorithm: 'SHA1', digits: 6, period: 30 });
    const codeAt = (ms: number) => totp.generate({ timestamp: ms });
    // the secret is stored encrypted
    const row = await t.kysely.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(row.totp_secret_enc).toMatch(/^v1\./);
    expect(row.totp_secret_enc).not.toContain(enrol.body.secret);
    expect(row.totp_enabled_at).toBeNull();
    // pending: login needs no code yet; a wrong confirmation code is a 400 naming code
    expect((await loginAs(t, email, password)).status).toBe(200);
    const bad = await as('POST', '/v1/me/totp/confirm', s.token, { csrf: s.csrf, payload: { code: '000000' === codeAt(clock.now().getTime()) ? '111111' : '000000' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('code');
    const confirmed = await as('POST', '/v1/me/totp/confirm', s.token, { csrf: s.csrf, payload: { code: codeAt(clock.now().getTime()) } });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.totp_enabled).toBe(true);

    const noCode = await loginAs(t, email, password);
    expect(noCode.status).toBe(401);
    expect(noCode.body.error.param).toBe('totp_code');
    expect(noCode.body.error.message).toMatch(/authenticator/);
    expect(noCode.setCookie).toBe('');
    const wrongPassword = await loginAs(t, email, 'not the password at all', { totp_code: codeAt(clock.now().getTime()) });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.body.error.param).toBeNull();
    clock.advance(30_000);
    const code = codeAt(clock.now().getTime());
    const wrongCode = await loginAs(t, email, password, { totp_code: code === '123456' ? '654321' : '123456' });
    expect(wrongCode.status).toBe(401);
    expect(wrongCode.body.error.param).toBe('totp_code');
    const withCode = await loginAs(t, email, password, { totp_code: code });
    expect(withCode.status).toBe(200);
    const replay = await loginAs(t, email, password, { totp_code: code });
    expect(replay.status).toBe(401);
    expect(replay.body.error.param).toBe('totp_code');
    expect(replay.body.error.message).toMatch(/already used/);
    // the code of the step before is older than the last one used: refused too, though inside the window
    expect((await loginAs(t, email, password, { totp_code: codeAt(clock.now().getTime() - 30_000) })).status).toBe(401);
    clock.advance(30_000);
    expect((await loginAs(t, email, password, { totp_code: codeAt(clock.now().getTime()) })).status).toBe(200);

    const wrongOff = await as('POST', '/v1/me/totp/disable', withCode.token, { csrf: withCode.csrf, payload: { password: 'not the password at all' } });
    expect(wrongOff.status).toBe(400);
    expect(wrongOff.body.error.param).toBe('password');
    const off = await as('POST', '/v1/me/totp/disable', withCode.token, { csrf: withCode.csrf, payload: { password } });
    expect(off.status).toBe(200);
    expect(off.body.totp_enabled).toBe(false);
    expect((await loginAs(t, email, password)).status).toBe(200);
  });

  it('reads role and active flag on every request: a promotion works at once, a deactivation ends the session', async () => {
    clock.set(START);
    await newUser('admin'); // so that demoting the promoted user again is not demoting the last admin
    const { email, password, user } = await newUser('sales');
    const s = await loginAs(t, email, password);
    expect((await as('GET', '/v1/api-keys', s.token)).status).toBe(403);
    expect((await call('PATCH', `/v1/users/${user.id}`, { role: 'admin' })).status).toBe(200);
    expect((await as('GET', '/v1/api-keys', s.token)).status).toBe(200);
    expect((await call('PATCH', `/v1/users/${user.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await as('GET', '/v1/api-keys', s.token)).status).toBe(403);

    const deactivated = await call('PATCH', `/v1/users/${user.id}`, { active: false });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect((await as('GET', '/v1/customers', s.token)).status).toBe(401);
    expect((await t.kysely.selectFrom('sessions').select('revoked_at').where('user_id', '=', user.id).execute()).every((r) => r.revoked_at !== null)).toBe(true);
    const refused = await loginAs(t, email, password);
    expect(refused.status).toBe(401);
    expect(refused.body.error.message).toBe('The e-mail address or the password is not correct');
  });
});
