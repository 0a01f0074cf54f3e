/**
 * Idempotency-Key on POST: a retry replays the first response (status and body, errors included) and
 * does the work once; the same key with another request is 422; a concurrent duplicate either waits
 * its turn (409 idempotency_request_in_progress) or gets the replay, and the work still happens once.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from './helpers.js';

describe.each(TEST_DATABASES)('API idempotency [%s]', (kind) => {
  const t = useTestApp(kind);
  const api = client(t);

  const paymentsOf = async (amount: string) => {
    const list = await api.ok('GET', '/v1/payments?limit=100');
    return (list.data as { id: string; amount: { amount: string } }[]).filter((p) => p.amount.amount === amount);
  };
  const entriesFor = async (sourceId: string) => (await api.ok('GET', `/v1/ledger/entries?source_id=${sourceId}`)).data as unknown[];

  it('replays the first response for a retried POST /v1/payments and does the work once', async () => {
    const body = { amount: { amount: '1111.00', currency: 'SEK' }, payer_name: 'Retry AB', received_on: '2026-03-02' };
    const headers = { 'idempotency-key': 'pay-retry-1' };
    const first = await api.call('POST', '/v1/payments', body, headers);
    expect(first.status, first.raw).toBe(201);
    expect(first.body).toMatchObject({
      object: 'payment', amount: { amount: '1111.00', currency: 'SEK' }, unapplied_amount: { amount: '1111.00', currency: 'SEK' },
      received_on: '2026-03-02', payer_name: 'Retry AB', customer_id: null, allocations: [],
    });
    // same body with keys in another order: the same request
    const retry = await api.call('POST', '/v1/payments', { received_on: '2026-03-02', payer_name: 'Retry AB', amount: { currency: 'SEK', amount: '1111.00' } }, headers);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);

    const payments = await paymentsOf('1111.00');
    expect(payments).toHaveLength(1);
    expect(payments[0]!.id).toBe(first.body.id);
    expect(await entriesFor(first.body.id)).toHaveLength(1);
    expect((await api.ok('GET', '/v1/ledger/entries?limit=100')).data).toHaveLength(1);
  });

  it('refuses the same key with a different request (422 idempotency_key_reused)', async () => {
    const headers = { 'idempotency-key': 'pay-reuse-1' };
    const first = await api.call('POST', '/v1/payments', { amount: { amount: '2222.00', currency: 'SEK' } }, headers);
    expect(first.status).toBe(201);
    const other = await api.call('POST', '/v1/payments', { amount: { amount: '2223.00', currency: 'SEK' } }, headers);
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_reused', param: 'Idempotency-Key' });
    const otherPath = await api.call('POST', '/v1/customers', { name: 'Reuse AB', country: 'SE', currency: 'SEK' }, headers);
    expect(otherPath.status).toBe(422);
    expect(await paymentsOf('2223.00')).toHaveLength(0);
    expect(await paymentsOf('2222.00')).toHaveLength(1);
    expect((await api.ok('GET', '/v1/customers')).data).toHaveLength(0);
  });

  it('replays a domain error too, and a request without a key is not deduplicated', async () => {
    const headers = { 'idempotency-key': 'pay-error-1' };
    const body = { amount: { amount: '3333.00', currency: 'SEK' }, customer_id: 'cus_0000000000aaaaaaaaaaaaaaaa' };
    const first = await api.call('POST', '/v1/payments', body, headers);
    expect(first.status).toBe(404);
    expect(first.body.error).toMatchObject({ code: 'not_found', param: 'customer_id' });
    const again = await api.call('POST', '/v1/payments', body, headers);
    expect(again.status).toBe(404);
    expect(again.body).toEqual(first.body);
    expect(await paymentsOf('3333.00')).toHaveLength(0);

    const plain = { amount: { amount: '4444.00', currency: 'SEK' } };
    expect((await api.call('POST', '/v1/payments', plain)).status).toBe(201);
    expect((await api.call('POST', '/v1/payments', plain)).status).toBe(201);
    expect(await paymentsOf('4444.00')).toHaveLength(2);
  });

  it('lets only one of two concurrent duplicates do the work', async () => {
    const body = { amount: { amount: '5555.00', currency: 'SEK' }, reference_text: 'concurrent' };
    const headers = { 'idempotency-key': 'pay-concurrent-1' };
    const results = await Promise.all([api.call('POST', '/v1/payments', body, headers), api.call('POST', '/v1/payments', body, headers)]);
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    for (const r of results) {
      if (r.status === 201) {
        expect(r.body.id).toBe(created[0]!.body.id);
      } else {
        expect(r.status, r.raw).toBe(409);
        expect(r.body.error).toMatchObject({ type: 'idempotency_error', code: 'idempotency_request_in_progress' });
      }
    }
    const payments = await paymentsOf('5555.00');
    expect(payments).toHaveLength(1);
    expect(await entriesFor(payments[0]!.id)).toHaveLength(1);
    // once the first has finished, a retry gets the replay
    const later = await api.call('POST', '/v1/payments', body, headers);
    expect(later.status).toBe(201);
    expect(later.body).toEqual(created[0]!.body);
  });

  it('makes an action idempotent as well (send a quote twice with one key → one 200, replayed)', async () => {
    const customer = await api.ok('POST', '/v1/customers', { name: 'Action AB', country: 'SE', currency: 'SEK' });
    const quote = await api.ok('POST', '/v1/quotes', {
      customer_id: customer.id, lines: [{ description: 'x', quantity: '1', unit_price: '10.00', tax_class: 'standard' }],
    });
    const headers = { 'idempotency-key': `send-${quote.id}` };
    const a = await api.call('POST', `/v1/quotes/${quote.id}/send`, undefined, headers);
    const b = await api.call('POST', `/v1/quotes/${quote.id}/send`, undefined, headers);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body).toEqual(a.body);
    const c = await api.call('POST', `/v1/quotes/${quote.id}/send`);
    expect(c.status).toBe(409);
  });
});
