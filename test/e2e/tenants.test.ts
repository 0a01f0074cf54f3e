/**
 * Several companies in one installation (issue 8): `q2c tenants create` makes a tenant with its own
 * admin key; that key sees none of the first tenant's data (404 for its ids), and the two number
 * their documents independently.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
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
});
