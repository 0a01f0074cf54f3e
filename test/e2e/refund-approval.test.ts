/**
 * Second approval of large refunds (issue 8, part 4) over HTTP on every configured database: up to the
 * tenant threshold a refund is paid out at once; above it the answer is 202 with a request, nothing is
 * posted, the requester cannot approve it, a second finance key can (the refund is made then), and a
 * rejected request stays rejected. Figures in SEK; the ledger invariants hold after.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';

describe.each(TEST_DATABASES)('refunds above the threshold need a second approval [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const as = (key: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.server.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const sek = (amount: string) => ({ amount, currency: 'SEK' });

  it('pays small refunds at once and holds large ones for a second finance user', async () => {
    expect((await ok('GET', '/v1/settings/approvals')).refund_threshold).toEqual(sek('50000.00')); // the default
    const settings = await ok('PUT', '/v1/settings/approvals', { refund_threshold: '1000.00' });
    expect(settings.refund_threshold).toEqual(sek('1000.00'));

    const c = await ok('POST', '/v1/customers', { name: 'Förskott AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    const payment = await ok('POST', '/v1/payments', { amount: sek('5000.00'), customer_id: c.id });
    expect(payment.unapplied_amount).toEqual(sek('5000.00'));

    // at the threshold: paid out
    const small = await call('POST', `/v1/payments/${payment.id}/refunds`, { amount: sek('1000.00'), reference: 'Återbetalning 1' });
    expect(small.status).toBe(201);
    expect(small.body.object).toBe('refund');

    // above it: a request, nothing posted
    const entriesBefore = (await ok('GET', '/v1/ledger/entries?source_type=refund')).data.length;
    const large = await call('POST', `/v1/payments/${payment.id}/refunds`, { amount: sek('2500.00'), reference: 'Återbetalning 2' });
    expect(large.status).toBe(202);
    expect(large.body).toMatchObject({ object: 'refund_request', status: 'pending', amount: sek('2500.00'), refund_id: null });
    expect((await ok('GET', `/v1/payments/${payment.id}`)).unapplied_amount).toEqual(sek('4000.00'));
    expect((await ok('GET', '/v1/ledger/entries?source_type=refund')).data.length).toBe(entriesBefore);
    expect((await ok('GET', '/v1/refund-requests?status=pending')).data.map((r: { id: string }) => r.id)).toEqual([large.body.id]);

    // the requester cannot approve; a sales key cannot either; a second finance key can
    const self = await call('POST', `/v1/refund-requests/${large.body.id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/second finance user/);
    const sales = (await ok('POST', '/v1/api-keys', { name: 'Säljare', role: 'sales' })).key as string;
    expect((await as(sales, 'POST', `/v1/refund-requests/${large.body.id}/approve`)).statusCode).toBe(403);
    expect((await as(sales, 'POST', `/v1/payments/${payment.id}/refunds`, { amount: sek('1.00'), reference: 'x' })).statusCode).toBe(403);
    const finance = (await ok('POST', '/v1/api-keys', { name: 'Ekonomi 2', role: 'finance' })).key as string;
    const approved = await as(finance, 'POST', `/v1/refund-requests/${large.body.id}/approve`, { note: 'Kontrollerad mot avtal' });
    expect(approved.statusCode).toBe(201);
    expect(approved.json()).toMatchObject({ object: 'refund', amount: sek('2500.00') });
    expect((await ok('GET', `/v1/payments/${payment.id}`)).unapplied_amount).toEqual(sek('1500.00'));
    const decided = (await ok('GET', '/v1/refund-requests?status=approved')).data[0];
    expect(decided).toMatchObject({ status: 'approved', decision_note: 'Kontrollerad mot avtal', refund_id: approved.json().id });
    expect((await as(finance, 'POST', `/v1/refund-requests/${large.body.id}/approve`)).statusCode).toBe(409);

    // a rejected request stays rejected
    const another = await call('POST', `/v1/payments/${payment.id}/refunds`, { amount: sek('1500.00'), reference: 'Återbetalning 3' });
    expect(another.status).toBe(202);
    const noReason = await as(finance, 'POST', `/v1/refund-requests/${another.body.id}/reject`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const rejected = await as(finance, 'POST', `/v1/refund-requests/${another.body.id}/reject`, { reason: 'Kunden har en öppen reklamation' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', decision_note: 'Kunden har en öppen reklamation' });
    expect((await call('POST', `/v1/refund-requests/${another.body.id}/approve`)).status).toBe(409);
    expect((await ok('GET', `/v1/payments/${payment.id}`)).unapplied_amount).toEqual(sek('1500.00'));

    // a request is checked like a refund: more than the unapplied amount is refused at once
    const tooMuch = await call('POST', `/v1/payments/${payment.id}/refunds`, { amount: sek('1600.00'), reference: 'x' });
    expect(tooMuch.status).toBe(422);
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
