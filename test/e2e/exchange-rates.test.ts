/**
 * The exchange-rate table: set a rate (PUT), replace it, the rate in force on a date, CSV import
 * (';' and decimal comma, raw text/csv too) all or nothing, the base currency refused, finance/admin
 * only, tenants apart, Idempotency-Key replay, and the `q2c fx` commands.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { rateFor } from '../../src/app/fx/rate-for.js';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { formatRate } from '../../src/core/money/fx.js';
import { seedTenant, TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';

type Method = 'GET' | 'PUT' | 'POST';

describe.each(TEST_DATABASES)('exchange rates [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });

  async function call(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}, key = t.apiKey) {
    const res = await t.server.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      headers: { authorization: `Bearer ${key}`, ...headers },
    });
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
  }
  async function ok(method: Method, url: string, payload?: unknown, headers?: Record<string, string>) {
    const r = await call(method, url, payload, headers);
    if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  const list = async (query: string) => (await ok('GET', `/v1/exchange-rates?${query}`)).data.map((r: any) => [r.currency, r.date, r.rate, r.source]);
  const rowCount = async () =>
    Number((await sql<{ n: string }>`select count(*)::text as n from exchange_rates`.execute(t.kysely)).rows[0]!.n);
  const auditActions = async (action: string) =>
    Number((await sql<{ n: string }>`select count(*)::text as n from audit_log where action = ${action}`.execute(t.kysely)).rows[0]!.n);

  it('sets a rate with PUT, reads it back, and replaces it', async () => {
    const set = await ok('PUT', '/v1/exchange-rates/EUR/2026-01-02', { rate: '11.4325' });
    expect(set).toEqual({
      object: 'exchange_rate', currency: 'EUR', date: '2026-01-02', rate: '11.4325', source: 'manual', updated_at: '2026-12-04T10:00:00.000Z',
    });
    expect(await list('currency=EUR')).toEqual([['EUR', '2026-01-02', '11.4325', 'manual']]);
    expect(await ok('GET', '/v1/exchange-rates/EUR/on/2026-01-02')).toMatchObject({ date: '2026-01-02', rate: '11.4325' });

    const replaced = await ok('PUT', '/v1/exchange-rates/EUR/2026-01-02', { rate: '11.5' });
    expect(replaced).toMatchObject({ currency: 'EUR', date: '2026-01-02', rate: '11.5' });
    expect(await list('currency=EUR')).toEqual([['EUR', '2026-01-02', '11.5', 'manual']]);
    expect(await auditActions('exchange_rate.set')).toBe(2);

    // what invoicing uses (rateFor) sees the same table
    const used = await t.db.transaction(t.tenantId, (s) => rateFor(s, 'EUR', '2026-01-10'));
    expect([used.rate.base, used.rate.quote, formatRate(used.rate.scaled), used.rateDate]).toEqual(['EUR', 'SEK', '11.5', '2026-01-02']);
  });

  it('answers the rate in force on a date between two rates, and 404 before the first', async () => {
    await ok('PUT', '/v1/exchange-rates/USD/2026-02-01', { rate: '10.10' });
    await ok('PUT', '/v1/exchange-rates/USD/2026-02-10', { rate: '10.30' });
    expect(await ok('GET', '/v1/exchange-rates/USD/on/2026-02-05')).toMatchObject({ date: '2026-02-01', rate: '10.1' });
    expect(await ok('GET', '/v1/exchange-rates/USD/on/2026-02-10')).toMatchObject({ date: '2026-02-10', rate: '10.3' });
    expect(await ok('GET', '/v1/exchange-rates/USD/on/2027-01-01')).toMatchObject({ date: '2026-02-10', rate: '10.3' });
    const none = await call('GET', '/v1/exchange-rates/USD/on/2026-01-31');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
    expect(await list('currency=USD&from=2026-02-02&to=2026-02-28')).toEqual([['USD', '2026-02-10', '10.3', 'manual']]);
    const page = await ok('GET', '/v1/exchange-rates?currency=USD&limit=1');
    expect([page.data.length, page.has_more]).toEqual([1, true]);
  });

  it('refuses bad input naming the field: currency, date, rate, query', async () => {
    const cases: [string, unknown, string][] = [
      ['/v1/exchange-rates/XYZ/2026-01-02', { rate: '1' }, 'currency'],
      ['/v1/exchange-rates/eur/2026-01-02', { rate: '1' }, 'currency'],
      ['/v1/exchange-rates/EUR/2026-02-30', { rate: '1' }, 'date'],
      ['/v1/exchange-rates/EUR/2026-01-02', { rate: '0' }, 'rate'],
      ['/v1/exchange-rates/EUR/2026-01-02', { rate: '11,4325' }, 'rate'],
      ['/v1/exchange-rates/EUR/2026-01-02', { rate: '1.00000000001' }, 'rate'],
      ['/v1/exchange-rates/EUR/2026-01-02', { rate: 11.4 }, 'rate'],
    ];
    const before = await rowCount();
    for (const [url, body, param] of cases) {
      const res = await call('PUT', url, body);
      expect(res.status, `${url} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body.error.param, url).toBe(param);
    }
    expect(await rowCount()).toBe(before);
    const badQuery = await call('GET', '/v1/exchange-rates?from=2026-02-01&to=2026-01-01');
    expect([badQuery.status, badQuery.body.error.param]).toEqual([400, 'to']);
  });

  it('refuses a rate for the base currency (SEK), by PUT and in a file', async () => {
    const before = await rowCount();
    const res = await call('PUT', '/v1/exchange-rates/SEK/2026-01-02', { rate: '1' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', param: 'currency' });
    expect(res.body.error.message).toMatch(/SEK is the base currency/);
    const file = await call('POST', '/v1/exchange-rates/import', { csv: 'date,currency,rate\n2026-03-01,NOK,0.98\n2026-03-01,SEK,1\n' });
    expect(file.status).toBe(400);
    expect(file.body.error.param).toBe('csv');
    expect(file.body.error.message).toMatch(/line 3, currency: SEK is the base currency/);
    expect(await rowCount()).toBe(before);
    expect(await list('currency=NOK')).toEqual([]);
  });

  it('imports a Swedish CSV (";" and decimal comma) in one go, counting new and replaced rates', async () => {
    await ok('PUT', '/v1/exchange-rates/GBP/2026-03-02', { rate: '13.00' });
    const csv = '\uFEFFDatum;Valuta;Date;Currency;Rate\r\n2026-03-02;GBP;2026-03-02;GBP;13,1234\r\n\r\n2026-03-03;GBP;2026-03-03;GBP;13,2\r\nx;y;2026-03-03;DKK;1,5375\r\n';
    const result = await ok('POST', '/v1/exchange-rates/import', { csv });
    expect(result).toEqual({ inserted: 2, replaced: 1, rates: 3 });
    expect(await list('currency=GBP')).toEqual([
      ['GBP', '2026-03-03', '13.2', 'csv'],
      ['GBP', '2026-03-02', '13.1234', 'csv'],
    ]);
    expect(await list('currency=DKK')).toEqual([['DKK', '2026-03-03', '1.5375', 'csv']]);
    expect(await auditActions('exchange_rates.imported')).toBe(1);

    // the raw file as text/csv
    const raw = await t.server.inject({
      method: 'POST', url: '/v1/exchange-rates/import', payload: 'date,currency,rate\n2026-03-04,DKK,1.54\n',
      headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'text/csv' },
    });
    expect(raw.statusCode).toBe(200);
    expect(raw.json()).toEqual({ inserted: 1, replaced: 0, rates: 1 });
    expect(await ok('GET', '/v1/exchange-rates/DKK/on/2026-03-05')).toMatchObject({ date: '2026-03-04', rate: '1.54', source: 'csv' });
  });

  it('refuses a bad file naming line and column, and changes nothing', async () => {
    await ok('PUT', '/v1/exchange-rates/CHF/2026-04-01', { rate: '12.00' });
    const before = await rowCount();
    const listed = await list('');
    const csv = [
      'date;currency;rate',
      '2026-04-01;CHF;12,50', // would replace the rate above
      '2026-04-02;CHF;12,60',
      '2026-04-03;CHF;0',
      '2026-04-31;CHF;12,7',
    ].join('\n');
    const res = await call('POST', '/v1/exchange-rates/import', { csv });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', param: 'csv' });
    expect(res.body.error.message).toBe(
      'csv was refused and nothing was imported: 2 problems: line 4, rate: must be greater than zero; ' +
        'line 5, date: "2026-04-31" is not a calendar date formatted YYYY-MM-DD',
    );
    expect(await rowCount()).toBe(before);
    expect(await list('')).toEqual(listed);
    expect(await ok('GET', '/v1/exchange-rates/CHF/on/2026-04-02')).toMatchObject({ date: '2026-04-01', rate: '12' });

    const noHeader = await call('POST', '/v1/exchange-rates/import', { csv: '2026-04-02;CHF;12,60\n' });
    expect(noHeader.status).toBe(400);
    expect(noHeader.body.error.message).toMatch(/line 1: the header has no column "date"/);
    const unknownKey = await call('POST', '/v1/exchange-rates/import', { csv: 'date,currency,rate\n2026-04-02,CHF,1\n', dry_run: true });
    expect(unknownKey.status).toBe(400);
    expect(await rowCount()).toBe(before);
  });

  it('lets only finance and admin keys change rates', async () => {
    const sales = (await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name: 'seller', role: 'sales' })).key;
    const finance = (await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name: 'finance', role: 'finance' })).key;
    const before = await rowCount();
    const put = await call('PUT', '/v1/exchange-rates/PLN/2026-05-01', { rate: '2.6' }, {}, sales);
    expect(put.status).toBe(403);
    const imp = await call('POST', '/v1/exchange-rates/import', { csv: 'date,currency,rate\n2026-05-01,PLN,2.6\n' }, {}, sales);
    expect(imp.status).toBe(403);
    expect(await rowCount()).toBe(before);
    expect((await call('GET', '/v1/exchange-rates?currency=PLN', undefined, {}, sales)).status).toBe(200);
    const byFinance = await call('PUT', '/v1/exchange-rates/PLN/2026-05-01', { rate: '2.6' }, {}, finance);
    expect(byFinance.status).toBe(200);
  });

  it('keeps tenants apart: another tenant never sees or changes these rates', async () => {
    await ok('PUT', '/v1/exchange-rates/NZD/2026-06-01', { rate: '6.25' });
    const other = await seedTenant(t.db, 'ten_fx_other');
    const otherKey = (await createApiKey(t.db, t.deps, { tenantId: other, name: 'other' })).key;
    const theirs = await call('GET', '/v1/exchange-rates', undefined, {}, otherKey);
    expect(theirs.body.data).toEqual([]);
    expect((await call('GET', '/v1/exchange-rates/NZD/on/2026-06-30', undefined, {}, otherKey)).status).toBe(404);
    expect((await call('PUT', '/v1/exchange-rates/NZD/2026-06-01', { rate: '7' }, {}, otherKey)).status).toBe(200);
    const imported = await call('POST', '/v1/exchange-rates/import', { csv: 'date,currency,rate\n2026-06-01,NZD,8\n2026-06-02,NZD,8\n' }, {}, otherKey);
    expect(imported.body).toEqual({ inserted: 1, replaced: 1, rates: 2 });
    expect(await list('currency=NZD')).toEqual([['NZD', '2026-06-01', '6.25', 'manual']]);
    expect((await call('GET', '/v1/exchange-rates?currency=NZD', undefined, {}, otherKey)).body.data.map((r: any) => r.rate)).toEqual(['8', '8']);
  });

  it('replays a PUT and an import with the same Idempotency-Key, and refuses the key for another request', async () => {
    const key = { 'idempotency-key': 'fx-put-1' };
    const first = await call('PUT', '/v1/exchange-rates/CAD/2026-07-01', { rate: '7.7' }, key);
    expect(first.status).toBe(200);
    await ok('PUT', '/v1/exchange-rates/CAD/2026-07-01', { rate: '7.9' }); // changed since, without a key
    const again = await call('PUT', '/v1/exchange-rates/CAD/2026-07-01', { rate: '7.7' }, key);
    expect(again).toEqual(first);
    expect(await list('currency=CAD')).toEqual([['CAD', '2026-07-01', '7.9', 'manual']]); // the replay did nothing
    const reused = await call('PUT', '/v1/exchange-rates/CAD/2026-07-01', { rate: '7.8' }, key);
    expect(reused.status).toBe(422);

    const importKey = { 'idempotency-key': 'fx-import-1' };
    const csv = 'date,currency,rate\n2026-07-02,CAD,7.71\n';
    const imported = await call('POST', '/v1/exchange-rates/import', { csv }, importKey);
    expect(imported.body).toEqual({ inserted: 1, replaced: 0, rates: 1 });
    const replay = await call('POST', '/v1/exchange-rates/import', { csv }, importKey);
    expect(replay).toEqual(imported); // a second run would have said replaced: 1
    expect(await auditActions('exchange_rates.imported')).toBeGreaterThan(0);

    // a refused file is replayed as the same 400
    const badKey = { 'idempotency-key': 'fx-import-bad' };
    const bad = await call('POST', '/v1/exchange-rates/import', { csv: 'date,currency,rate\n2026-07-03,CAD,0\n' }, badKey);
    expect(bad.status).toBe(400);
    expect(await call('POST', '/v1/exchange-rates/import', { csv: 'date,currency,rate\n2026-07-03,CAD,0\n' }, badKey)).toEqual(bad);
  });

  it('documents the routes in /openapi.json', async () => {
    const doc = (await t.server.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/exchange-rates', '/v1/exchange-rates/{currency}/{date}', '/v1/exchange-rates/{currency}/on/{date}', '/v1/exchange-rates/import']),
    );
    expect(doc.paths['/v1/exchange-rates/{currency}/{date}'].put.requestBody.content['application/json'].schema.properties.rate.type).toBe('string');
  });

  describe('q2c fx', () => {
    async function q2c(...args: string[]): Promise<string[]> {
      const lines: string[] = [];
      const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
      await buildProgram({ wire: async () => wiring, serve: async () => ({ url: 'x' }), out: (l) => lines.push(l) }).parseAsync(['node', 'q2c', ...args]);
      return lines;
    }
    const dir = () => mkdtempSync(join(tmpdir(), 'q2c-fx-'));

    it('imports a file and sets a rate, printing what it did', async () => {
      const file = join(dir(), 'rates.csv');
      writeFileSync(file, 'date;currency;rate\r\n2026-08-03;AUD;6,95\r\n2026-08-04;AUD;6,97\r\n');
      const out = await q2c('fx', 'import', file, '--tenant', t.tenantId, '--json');
      expect(JSON.parse(out.join('\n'))).toEqual({
        inserted: 2, replaced: 0, rates: 2,
        imported: [{ currency: 'AUD', date: '2026-08-03', rate: '6.95' }, { currency: 'AUD', date: '2026-08-04', rate: '6.97' }],
      });
      expect(await list('currency=AUD')).toEqual([
        ['AUD', '2026-08-04', '6.97', 'csv'],
        ['AUD', '2026-08-03', '6.95', 'csv'],
      ]);
      const text = await q2c('fx', 'import', file, '--tenant', t.tenantId);
      expect(text[0]).toBe(`Imported 2 rate(s) from ${file} into ${t.tenantId}: 0 new, 2 replaced`);
      expect(text.slice(1)).toEqual(['  AUD 2026-08-03 6.95', '  AUD 2026-08-04 6.97']);

      expect(await q2c('fx', 'set', 'AUD', '2026-08-04', '7.01', '--tenant', t.tenantId)).toEqual([`Replaced AUD 2026-08-04 7.01 (${t.tenantId})`]);
      expect(await ok('GET', '/v1/exchange-rates/AUD/on/2026-08-05')).toMatchObject({ rate: '7.01', source: 'manual' });
    });

    it('refuses a bad file or rate with the line and field, importing nothing', async () => {
      const file = join(dir(), 'bad.csv');
      writeFileSync(file, 'date,currency,rate\n2026-08-10,HKD,1.33\n2026-08-11,HKD,-1\n');
      const before = await rowCount();
      await expect(q2c('fx', 'import', file, '--tenant', t.tenantId)).rejects.toThrow(`${file} was refused and nothing was imported: 1 problem: line 3, rate: must be greater than zero`);
      await expect(q2c('fx', 'set', 'HKD', '2026-08-10', '0', '--tenant', t.tenantId)).rejects.toThrow('RATE must be greater than zero');
      await expect(q2c('fx', 'set', 'SEK', '2026-08-10', '1', '--tenant', t.tenantId)).rejects.toThrow(/currency SEK is the base currency/);
      await expect(q2c('fx', 'set', 'HKD', '2026-08-10', '1.33', '--tenant', 'ten_nobody')).rejects.toThrow("no tenant 'ten_nobody'");
      expect(await rowCount()).toBe(before);
    });
  });
});
