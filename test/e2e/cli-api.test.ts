/**
 * `q2c api`: every endpoint from the command line with the same schemas and rules as HTTP. Driven
 * through the CLI program with the test app as its in-process API.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, type ApiRequest, type CliWiring } from '../../src/cli/program.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';

describe.each(TEST_DATABASES)('q2c api [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });

  async function q2c(...args: string[]): Promise<{ lines: string[]; exitCode: number | undefined }> {
    const lines: string[] = [];
    const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
    const before = process.exitCode;
    process.exitCode = undefined;
    await buildProgram({
      wire: async () => wiring,
      serve: async () => ({ url: 'x' }),
      out: (l) => lines.push(l),
      request: async (req: ApiRequest) => {
        const res = await t.server.inject({
          method: req.method as 'GET' | 'POST' | 'PATCH',
          url: req.path,
          headers: req.headers,
          ...(req.body === undefined ? {} : { payload: req.body as Record<string, unknown> }),
        });
        return { status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.rawPayload };
      },
    }).parseAsync(['node', 'q2c', ...args]);
    const exitCode = process.exitCode;
    process.exitCode = before;
    return { lines, exitCode };
  }

  it('creates, sends and downloads a quote, and fails with the API error on bad input', async () => {
    const key = ['--key', t.apiKey];
    const customer = JSON.parse((await q2c('api', 'POST', '/v1/customers', ...key, '-d', '{"name":"CLI Kund AB","country":"SE","currency":"SEK"}')).lines.join('\n'));
    expect(customer.id).toMatch(/^cus_/);
    const body = JSON.stringify({ customer_id: customer.id, lines: [{ description: 'Konsult', quantity: '2', unit_price: '900.00', tax_class: 'standard' }] });
    const quote = JSON.parse((await q2c('api', 'POST', '/v1/quotes', ...key, '-d', body, '--idempotency-key', 'cli-1')).lines.join('\n'));
    const again = JSON.parse((await q2c('api', 'POST', '/v1/quotes', ...key, '-d', body, '--idempotency-key', 'cli-1')).lines.join('\n'));
    expect(again.id).toBe(quote.id);
    const sent = JSON.parse((await q2c('api', 'POST', `/v1/quotes/${quote.id}/send`, ...key)).lines.join('\n'));
    expect(sent.status).toBe('sent');
    const file = join(mkdtempSync(join(tmpdir(), 'q2c-cli-')), 'quote.pdf');
    await q2c('api', 'GET', `/v1/quotes/${quote.id}/pdf`, ...key, '-o', file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

    const bad = await q2c('api', 'POST', '/v1/customers', ...key, '-d', '{"name":"","country":"SE","currency":"SEK"}');
    expect(bad.exitCode).toBe(1);
    expect(JSON.parse(bad.lines.join('\n')).error).toMatchObject({ code: 'validation_failed', param: 'name' });
  });

  it('refuses without a key and with bad JSON', async () => {
    const saved = process.env.Q2C_API_KEY;
    delete process.env.Q2C_API_KEY;
    try {
      await expect(q2c('api', 'GET', '/v1/quotes')).rejects.toThrow(/API key/);
    } finally {
      if (saved !== undefined) process.env.Q2C_API_KEY = saved;
    }
    await expect(q2c('api', 'POST', '/v1/customers', '--key', t.apiKey, '-d', '{nope')).rejects.toThrow(/not valid JSON/);
  });
});
