/**
 * Several companies in one installation (issue 8): `q2c tenants create` makes a tenant with its own
 * admin key; that key sees none of the first tenant's data (404 for its ids), and the two number
 * their documents independently.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForCustomer } from '../support/orders.js';

describe.each(TEST_DATABASES)('tenants [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  async function q2c(...args: string[]): Promise<string[]> {
    const lines: string[] = [];
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
    await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync(['node', 'q2c', ...args]);
    return lines;
  }
  const as = (key: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.server.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  it('creates a second company whose key sees nothing of the first, with its own numbering', async () => {
    const first = await ok('POST', '/v1/customers', { name: 'Första kunden AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    const firstInvoice = await issuedInvoiceForCustomer(t, first.id);

    const created = JSON.parse((await q2c('--json', 'tenants', 'create', '--name', 'Andra Bolaget Åby AB', '--org-number', '556036-0793'))[0]!);
    expect(created).toMatchObject({ id: 'ten_andra_bolaget_aby_ab', base_currency: 'SEK' });
    expect(created.api_key).toMatch(/^q2c_/);
    expect((await q2c('tenants', 'list')).some((l) => l.startsWith('ten_andra_bolaget_aby_ab\tAndra Bolaget Åby AB\tSEK'))).toBe(true);
    await expect(q2c('tenants', 'create', '--name', 'X', '--id', 'ten_andra_bolaget_aby_ab')).rejects.toThrow(/already exists/);

    const key = created.api_key as string;
    expect((await as(key, 'GET', '/v1/customers')).json().data).toEqual([]);
    expect((await as(key, 'GET', `/v1/customers/${first.id}`)).statusCode).toBe(404);
    expect((await as(key, 'GET', `/v1/invoices/${firstInvoice.id}`)).statusCode).toBe(404);
    expect((await as(key, 'GET', `/v1/invoices/${firstInvoice.id}/pdf`)).statusCode).toBe(404);

    // its own customer, order and invoice: numbered from 1 in its own series
    const own = (await as(key, 'POST', '/v1/customers', { name: 'Egen kund AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 })).json();
    const quote = (await as(key, 'POST', '/v1/quotes', { customer_id: own.id, lines: [{ description: 'Tjänst', quantity: '1', unit_price: '100.00', tax_class: 'standard' }] })).json();
    expect(quote.number).toMatch(/^Q-2026-0001$/);
    expect((await ok('GET', `/v1/quotes/${quote.id}`).catch((e: Error) => e.message))).toMatch(/404/);
  });

  it('lets a platform administrator create and list companies over the API, and no one else', async () => {
    const platform = (await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name: 'platform', role: 'admin', platformAdmin: true })).key;
    const headers = (key: string, idem?: string) => ({ authorization: `Bearer ${key}`, ...(idem ? { 'idempotency-key': idem } : {}) });
    const body = { name: 'Tredje Bolaget AB', org_number: '556016-0680', currency: 'EUR', country: 'FI' };
    const before = (await t.kysely.selectFrom('tenants').select('id').execute()).length;

    // an admin of a tenant is not a platform administrator
    const refused = await t.server.inject({ method: 'POST', url: '/v1/tenants', headers: headers(t.apiKey, 'ten-1'), payload: body });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'forbidden' });
    expect((await t.server.inject({ method: 'GET', url: '/v1/tenants', headers: headers(t.apiKey) })).statusCode).toBe(403);
    expect((await t.kysely.selectFrom('tenants').select('id').execute()).length).toBe(before);

    const bad = await t.server.inject({ method: 'POST', url: '/v1/tenants', headers: headers(platform), payload: { ...body, country: 'fi' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.param).toBe('country');

    const created = await t.server.inject({ method: 'POST', url: '/v1/tenants', headers: headers(platform, 'ten-1'), payload: body });
    expect(created.statusCode).toBe(201);
    const tenant = created.json();
    expect(tenant).toMatchObject({ object: 'tenant', id: 'ten_tredje_bolaget_ab', name: 'Tredje Bolaget AB', country: 'FI', base_currency: 'EUR', org_number: '556016-0680' });
    expect(tenant.admin_api_key).toMatch(/^q2c_/);

    // a retry gets the same tenant, without the key (never stored)
    const replay = await t.server.inject({ method: 'POST', url: '/v1/tenants', headers: headers(platform, 'ten-1'), payload: body });
    expect(replay.statusCode).toBe(201);
    expect(replay.json()).toEqual({ ...tenant, admin_api_key: undefined });
    expect(JSON.stringify(await t.kysely.selectFrom('idempotency_keys').selectAll().execute())).not.toContain(tenant.admin_api_key);
    expect((await t.kysely.selectFrom('tenants').select('id').execute()).length).toBe(before + 1);

    const again = await t.server.inject({ method: 'POST', url: '/v1/tenants', headers: headers(platform), payload: body });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.param).toBe('id');

    const list = (await t.server.inject({ method: 'GET', url: '/v1/tenants', headers: headers(platform) })).json();
    expect(list.data.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([t.tenantId, 'ten_tredje_bolaget_ab']));

    // the new company's key works in its own tenant only, and its first audit row names who made it
    const own = await as(tenant.admin_api_key, 'GET', '/v1/customers');
    expect(own.statusCode).toBe(200);
    expect(own.json().data).toEqual([]);
    const audit = await t.kysely.selectFrom('audit_log').selectAll().where('tenant_id', '=', 'ten_tredje_bolaget_ab').execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([['tenant.created', expect.stringMatching(/^key_/)]]);
  });
});
