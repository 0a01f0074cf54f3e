/**
 * The settings pages' reference reads: GET /v1/settings/number-series (every series with the number
 * it gives next, read only, books.read) and GET /v1/settings/vat-rates (the VAT classes, rates and
 * categories of src/core/tax/vat.ts, documents.read), on every database.
 */
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { describeSeries } from '../../src/app/settings/reference.js';
import { SWEDISH_VAT_RATES } from '../../src/core/tax/vat.js';
import { useTestApp } from '../support/app.js';
import { TEST_DATABASES } from '../support/databases.js';
import { CONSULTING_LINES, issuedInvoiceForDeliveredOrder } from '../support/orders.js';
import { client } from './helpers.js';

describe('describeSeries', () => {
  it('names the document, the gapless rule and the next number as printed', () => {
    expect(describeSeries('INV-2026', 42n)).toEqual({ key: 'INV-2026', prefix: 'INV', year: 2026, document: 'invoice', gapless: true, nextValue: 42n, nextNumber: '2026-00042' });
    expect(describeSeries('JE-A-2026', 7n)).toMatchObject({ prefix: 'JE-A', document: 'journal_entry', gapless: true, nextNumber: 'A 2026-7' });
    expect(describeSeries('KF-2026', 3n)).toMatchObject({ document: 'credit_note', gapless: true, nextNumber: 'KF-2026-0003' });
    expect(describeSeries('Q-2026', 12n)).toMatchObject({ document: 'quote', gapless: false, nextNumber: 'Q-2026-0012' });
    expect(describeSeries('odd', 5n)).toMatchObject({ prefix: 'odd', year: null, document: 'other', gapless: false, nextNumber: 'odd-5' });
  });
});

describe.each(TEST_DATABASES)('settings reference reads [%s]', (kind) => {
  const t = useTestApp(kind);
  const { ok, call } = client(t);
  const as = async (role: string, url: string) => {
    const { key } = await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name: `${role} key`, role });
    return t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  };

  it('lists the number series with the number each gives next, after the documents took theirs', async () => {
    expect((await ok('GET', '/v1/settings/number-series')).data).toEqual([]);
    const { invoice, quote, order } = await issuedInvoiceForDeliveredOrder(t, { name: 'Nordljus AB', country: 'SE' }, CONSULTING_LINES);
    const year = invoice.number.slice(0, 4);
    const list = await ok('GET', '/v1/settings/number-series');
    expect(list.object).toBe('list');
    const byKey = new Map<string, any>(list.data.map((x: any) => [x.key, x]));
    expect(byKey.get(`INV-${year}`)).toEqual({
      object: 'number_series', key: `INV-${year}`, prefix: 'INV', year: Number(year), document: 'invoice', gapless: true, next_value: '2', next_number: `${year}-00002`,
    });
    expect(invoice.number).toBe(`${year}-00001`);
    expect(byKey.get(`Q-${quote.number.slice(2, 6)}`)).toMatchObject({ document: 'quote', gapless: false, next_value: '2' });
    expect(byKey.get(`SO-${order.number.slice(3, 7)}`)).toMatchObject({ document: 'order', next_value: '2' });
    // issuing booked a voucher: the journal series moved too
    expect([...byKey.values()].some((x) => x.document === 'journal_entry' && x.gapless === true && Number(x.next_value) >= 2)).toBe(true);

    // a second invoice moves the invoice counter by exactly one
    await issuedInvoiceForDeliveredOrder(t, { name: 'Bergström Bygg AB', country: 'SE' }, CONSULTING_LINES);
    const again = (await ok('GET', '/v1/settings/number-series')).data.find((x: any) => x.key === `INV-${year}`);
    expect(again).toMatchObject({ next_value: '3', next_number: `${year}-00003` });
  });

  it('number series: books.read (admin, finance, viewer); the other roles are refused', async () => {
    for (const role of ['finance', 'viewer']) expect((await as(role, '/v1/settings/number-series')).statusCode).toBe(200);
    for (const role of ['sales', 'sales_manager', 'operations']) {
      const res = await as(role, '/v1/settings/number-series');
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
  });

  it('lists the VAT classes and rates of the core table, and the categories; every role may read it', async () => {
    const res = await ok('GET', '/v1/settings/vat-rates');
    expect(res.object).toBe('list');
    expect(res.categories).toEqual(['S', 'Z', 'E', 'AE', 'K', 'G', 'O']);
    expect(res.data).toHaveLength(SWEDISH_VAT_RATES.length);
    expect(res.data[0]).toEqual({ object: 'vat_rate', tax_class: 'standard', rate: '25', category: 'S', valid_from: '2012-01-01', valid_to: null });
    const food = res.data.filter((r: any) => r.tax_class === 'food');
    expect(food.map((r: any) => [r.rate, r.valid_from, r.valid_to])).toEqual([
      ['12', '2012-01-01', '2026-03-31'],
      ['6', '2026-04-01', '2027-12-31'],
      ['12', '2028-01-01', null],
    ]);
    expect(res.data.find((r: any) => r.tax_class === 'exempt')).toMatchObject({ rate: '0', category: 'E' });
    for (const role of ['sales', 'operations', 'viewer']) expect((await as(role, '/v1/settings/vat-rates')).statusCode).toBe(200);
    expect((await call('GET', '/v1/settings/vat-rates', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
  });
});
