/**
 * The demo seed and `q2c demo` on every database: the seed leaves documents in every stage, the demo
 * chain passes its own checks, and the ledger invariants hold afterwards. The CLI is driven through
 * its program with the test database wired in, so its output and exit behaviour are checked too.
 */
import { describe, expect, it } from 'vitest';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { seedDemo } from '../../src/app/demo/seed.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { DEFAULT_TENANT_ID } from '../../src/app/platform/tenants.js';
import { hashApiKey } from '../../src/app/platform/api-keys.js';

describe.each(TEST_DATABASES)('demo data and the demo command [%s]', (kind) => {
  const t = useTestApp(kind);

  it('seeds documents in every stage', async () => {
    await seedDemo(t.deps, t.tenantId);
    const api = client(t);
    const quotes = (await api.ok('GET', '/v1/quotes?limit=100')).data;
    expect(quotes.map((q: any) => q.status)).toEqual(expect.arrayContaining(['draft', 'sent', 'accepted']));
    const orders = (await api.ok('GET', '/v1/orders?limit=100')).data;
    expect(orders.some((o: any) => o.status === 'confirmed' && o.lines.every((l: any) => l.quantity_delivered === '0'))).toBe(true);
    expect(orders.some((o: any) => o.lines.every((l: any) => l.quantity_delivered === l.quantity && l.quantity_invoiced === '0'))).toBe(true);
    const invoices = (await api.ok('GET', '/v1/invoices?limit=100')).data;
    expect(invoices.map((i: any) => i.payment_status).sort()).toEqual(['paid', 'partially_paid', 'unpaid']);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('runs `q2c demo` to the end and prints a balanced trial balance', async () => {
    const lines: string[] = [];
    let closed = 0;
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => void closed++ };
    const program = buildProgram({
      wire: async () => wiring,
      serve: async () => ({ url: 'http://test' }),
      out: (l) => lines.push(l),
    });
    await program.parseAsync(['node', 'q2c', 'demo']);
    const text = lines.join('\n');
    expect(text).toContain('quote accepted → order');
    expect(text).toContain('invoice issued');
    expect(text).toMatch(/total SEK: debit [\d.]+ SEK, credit [\d.]+ SEK — balanced/);
    expect(text).toContain('✔ customer balance is 0.00');
    expect(text).not.toContain('✘');
    expect(closed).toBe(1);
    await assertLedgerInvariants(t.db, DEFAULT_TENANT_ID);

    lines.length = 0;
    await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync([
      'node', 'q2c', '--json', 'demo',
    ]);
    const json = JSON.parse(lines.join(''));
    expect(json.checks.every((c: any) => c.ok)).toBe(true);
    expect(json.invoicePaid).toBe(true);
  });

  it('creates an API key once, stores only its hash, and the key works', async () => {
    const lines: string[] = [];
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
    await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync([
      'node', 'q2c', '--json', 'api-keys', 'create', '--name', 'ci key',
    ]);
    const created = JSON.parse(lines.join(''));
    expect(created.key).toMatch(/^q2c_[a-z2-7]{32}$/);
    expect(created.name).toBe('ci key');
    const stored = await t.db.platform.findApiKeyByHash(hashApiKey(created.key));
    expect(stored?.id).toBe(created.id);
    expect(JSON.stringify(stored)).not.toContain(created.key);
    const res = await t.server.inject({ method: 'GET', url: '/v1/customers', headers: { authorization: `Bearer ${created.key}` } });
    expect(res.statusCode).toBe(200);
  });
});
