/**
 * Quote versions over HTTP: a sent version is immutable (API 409 and the database refuses it too),
 * revising makes a new draft version that keeps line keys, sending it supersedes the older version,
 * the diff lists what changed, a declined version keeps its reason, and the expiry job expires what
 * is past its validity.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runScheduledJobs } from '../../src/app/jobs/run-jobs.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

describe.each(TEST_DATABASES)('quote versions [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  const setup = async (sku: string) => {
    const customer = await ok('POST', '/v1/customers', { name: `Versionskund ${sku}`, country: 'SE', currency: 'SEK' });
    const product = await ok('POST', '/v1/products', {
      sku, name: 'Konsulttimme', unit: 'HUR', tax_class: 'standard', unit_prices: [{ amount: '1000.00', currency: 'SEK' }],
    });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [
        { product_id: product.id, quantity: '10' },
        { description: 'Resor', quantity: '1', unit_price: '2500.00', tax_class: 'standard' },
      ],
    });
    return { customer, product, quote };
  };

  it('keeps sent versions immutable and moves forward by revision', async () => {
    const { product, quote } = await setup('VER-1');
    expect(quote.lines.map((l: any) => l.line_key)).toEqual(['L1', 'L2']);
    // a draft can be edited
    const edited = await ok('PATCH', `/v1/quotes/${quote.id}`, { notes: 'Första utkastet' });
    expect(edited.notes).toBe('Första utkastet');
    const v1 = await ok('POST', `/v1/quotes/${quote.id}/send`);
    expect(v1.status).toBe('sent');

    // any change to a sent version → 409, through the API and in the database
    const change = await call('PATCH', `/v1/quotes/${quote.id}`, { notes: 'ändrad' });
    expect(change.status).toBe(409);
    expect(change.body.error.code).toBe('quote_not_draft');
    await expect(sql`update quotes set notes = 'sneaky' where id = ${quote.id}`.execute(t.kysely)).rejects.toThrow(/immutable/);
    await expect(sql`delete from quote_lines where quote_id = ${quote.id}`.execute(t.kysely)).rejects.toThrow(/immutable/);
    const still = await ok('GET', `/v1/quotes/${quote.id}`);
    expect(still.notes).toBe('Första utkastet');

    // revise: a new draft version, same number, same line keys
    const v2 = await ok('POST', `/v1/quotes/${quote.id}/revise`);
    expect(v2).toMatchObject({ number: quote.number, version: 2, status: 'draft', root_id: quote.id, previous_version_id: quote.id });
    expect(v2.lines.map((l: any) => l.line_key)).toEqual(['L1', 'L2']);
    const again = await call('POST', `/v1/quotes/${quote.id}/revise`);
    expect(again.status).toBe(409);

    // edit v2: L1 quantity and discount change, L2 removed, a new line added (gets L3)
    const v2e = await ok('PATCH', `/v1/quotes/${v2.id}`, {
      lines: [
        { line_key: 'L1', product_id: product.id, quantity: '12', discount_percent: '10' },
        { description: 'Utbildning', quantity: '1', unit_price: '5000.00', tax_class: 'standard' },
      ],
    });
    expect(v2e.lines.map((l: any) => l.line_key)).toEqual(['L1', 'L3']);

    const diff = await ok('GET', `/v1/quotes/${v2.id}/diff`);
    expect(diff).toMatchObject({ from_version: 1, to_version: 2 });
    expect(diff.added.map((l: any) => l.description)).toEqual(['Utbildning']);
    expect(diff.removed.map((l: any) => l.description)).toEqual(['Resor']);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0].changes).toEqual([
      { field: 'quantity', from: '10', to: '12' },
      { field: 'discount', from: 'none', to: '10 %' },
    ]);
    // 10 000 → 12 × 1000 × 0.9 = 10 800
    expect(diff.changed[0].net_change).toEqual({ amount: '800.00', currency: 'SEK' });
    expect(diff.totals).toMatchObject({ net_from: { amount: '12500.00' }, net_to: { amount: '15800.00' } });

    // sending v2 supersedes v1, which can then no longer be accepted
    await ok('POST', `/v1/quotes/${v2.id}/send`);
    const versions = await ok('GET', `/v1/quotes/${quote.id}/versions`);
    expect(versions.data.map((v: any) => [v.version, v.status])).toEqual([[1, 'superseded'], [2, 'sent']]);
    const late = await call('POST', `/v1/quotes/${quote.id}/accept`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('quote_not_sent');

    // lists show the latest version of each quote unless every version is asked for
    const latest = await ok('GET', '/v1/quotes?limit=100');
    expect(latest.data.filter((q: any) => q.number === quote.number).map((q: any) => q.version)).toEqual([2]);
    const all = await ok('GET', '/v1/quotes?limit=100&all_versions=true');
    expect(all.data.filter((q: any) => q.number === quote.number).map((q: any) => q.version)).toEqual([1, 2]);

    const order = await ok('POST', `/v1/quotes/${v2.id}/accept`);
    expect(order.quote_id).toBe(v2.id);
    expect(order.net_total).toEqual({ amount: '15800.00', currency: 'SEK' });
  });

  it('keeps the reason of a declined version, and lets it be revised', async () => {
    const { quote } = await setup('VER-2');
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const empty = await call('POST', `/v1/quotes/${quote.id}/decline`, { reason: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.param).toBe('reason');
    const declined = await ok('POST', `/v1/quotes/${quote.id}/decline`, { reason: 'För dyrt jämfört med konkurrenten' });
    expect(declined).toMatchObject({ status: 'declined', declined_reason: 'För dyrt jämfört med konkurrenten' });
    expect((await ok('GET', `/v1/quotes/${quote.id}`)).declined_reason).toBe('För dyrt jämfört med konkurrenten');
    const accept = await call('POST', `/v1/quotes/${quote.id}/accept`);
    expect(accept.status).toBe(409);
    const v2 = await ok('POST', `/v1/quotes/${quote.id}/revise`);
    expect(v2.version).toBe(2);
  });

  it('expires versions past their validity with the scheduled job', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Sent kund', country: 'SE', currency: 'SEK' });
    const old = await ok('POST', '/v1/quotes', {
      customer_id: customer.id, quote_date: '2026-10-01', valid_until: '2026-10-31',
      lines: [{ description: 'Gammalt erbjudande', quantity: '1', unit_price: '100.00', tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${old.id}/send`);
    const current = await ok('POST', '/v1/quotes', {
      customer_id: customer.id, lines: [{ description: 'Nytt erbjudande', quantity: '1', unit_price: '100.00', tax_class: 'standard' }],
    });
    const reports = await runScheduledJobs(t.deps);
    const mine = reports.find((r) => r.tenantId === t.tenantId)!;
    expect(mine.expiredQuotes.map((q) => q.id)).toEqual([old.id]);
    expect((await ok('GET', `/v1/quotes/${old.id}`)).status).toBe('expired');
    expect((await ok('GET', `/v1/quotes/${current.id}`)).status).toBe('draft');
    const accept = await call('POST', `/v1/quotes/${old.id}/accept`);
    expect(accept.status).toBe(409);
    // running it again changes nothing
    expect((await runScheduledJobs(t.deps)).find((r) => r.tenantId === t.tenantId)!.expiredQuotes).toEqual([]);
  });
});
