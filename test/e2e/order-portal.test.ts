/**
 * The order confirmation e-mail (through the outbox, to a real in-process SMTP server, with the PDF
 * and a portal link) and the order portal: the page in the customer's language, the PDF, confirming
 * (with the credit check) and asking for changes (the seller is e-mailed), as HTML forms and JSON;
 * wrong and revoked tokens 404, expired 410.
 */
import { describe, expect, it } from 'vitest';
import { dispatchOutbox, type OutboxDispatchDeps } from '../../src/app/outbox/dispatch.js';
import { createDocumentLink } from '../../src/app/portal/document-links.js';
import { envFor } from '../../src/app/shared/env.js';
import { outboxDispatchDb } from '../../src/db/repositories/outbox-dispatch.js';
import { orderEmailHandlers } from '../../src/integrations/email/order-email.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { mimePart, useSmtpMailer } from '../support/smtp.js';
import { orderFromQuote } from '../support/orders.js';

const { smtp, mailer } = useSmtpMailer('order@testbolaget.example');

const PUBLIC_URL = 'https://q2c.example';

describe.each(TEST_DATABASES)('order confirmation e-mail and order portal [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const dispatchDeps = (tt: TestApp): OutboxDispatchDeps => ({
    ...outboxDispatchDb(tt.kysely),
    clock: tt.deps.clock,
    handlers: orderEmailHandlers({ db: tt.db, mailer, portal: { app: tt.deps, publicUrl: PUBLIC_URL } }),
  });
  const orderFor = (customer: Record<string, unknown>) =>
    orderFromQuote(t, customer, [
      { description: 'Skruvdragare', quantity: '4', unit_price: '1000.00', tax_class: 'standard' },
      { description: 'Handbok', quantity: '2', unit_price: '300.00', tax_class: 'reduced_6' },
    ]);
  const link = async (orderId: string) => new URL((await ok('POST', `/v1/orders/${orderId}/portal-links`)).url).pathname;

  it('e-mails the order confirmation with the PDF and a portal link, after the commit', async () => {
    smtp.messages.length = 0;
    const { order } = await orderFor({ name: 'Acme Ltd', country: 'GB', email: 'buyer@acme.example' });
    await ok('POST', `/v1/orders/${order.id}/send-confirmation`);
    expect(smtp.messages).toHaveLength(0);
    const r = await dispatchOutbox(dispatchDeps(t), 100);
    expect(r.failed).toBe(0);
    expect(smtp.messages).toHaveLength(1);
    const msg = smtp.messages[0]!;
    expect(msg.to).toEqual(['buyer@acme.example']);
    expect(msg.raw).toMatch(new RegExp(`^Subject: Order confirmation ${order.number} from Testbolaget AB\\r?$`, 'm'));
    const pdf = mimePart(msg.raw, 'application/pdf');
    expect(pdf.headers).toContain(`${order.number}-v1.pdf`);
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const text = mimePart(msg.raw, 'text/plain').content.toString('latin1');
    // goods to a buyer in the United Kingdom are an export (category G, no VAT): 4000 + 600 = 4600.00
    expect(text).toContain('4,600.00');
    const url = /https:\/\/q2c\.example(\/portal\/orders\/[A-Za-z0-9_-]+)/.exec(text);
    expect(url).not.toBeNull();

    // the link in the e-mail opens the order, in English for a British customer
    const page = await t.server.inject({ method: 'GET', url: url![1]! });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(`Order ${order.number} version 1`);
    expect(page.body).toContain('Skruvdragare');
    expect(page.body).toContain('4,600.00');
    expect(page.body).toContain('Confirm the order');

    const noEmail = await orderFor({ name: 'Utan Post AB', country: 'SE' });
    const refused = await call('POST', `/v1/orders/${noEmail.order.id}/send-confirmation`);
    expect(refused.status).toBe(422);
  });

  it('shows the order in Swedish, serves its PDF, takes the confirmation as a form post', async () => {
    const { order } = await orderFor({ name: 'Svensk Kund AB', country: 'SE', email: 'kund@svensk.example' });
    const path = await link(order.id);
    const page = await t.server.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="sv">');
    expect(page.body).toContain('Bekräfta ordern');
    expect(page.body.replace(/\u00a0/g, ' ')).toContain('5 636,00');
    const json = await t.server.inject({ method: 'GET', url: path, headers: { accept: 'application/json' } });
    expect(json.json()).toMatchObject({ object: 'portal_order', number: order.number, version: 1, language: 'sv', can_confirm: true });
    expect(json.json().gross_total).toEqual({ amount: '5636.00', currency: 'SEK' });

    const pdf = await t.server.inject({ method: 'GET', url: `${path}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const form = await t.server.inject({
      method: 'POST',
      url: `${path}/confirm`,
      payload: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Tack! Du har bekräftat ordern.');
    const confirmed = await ok('GET', `/v1/orders/${order.id}`);
    expect(confirmed).toMatchObject({ status: 'confirmed', customer_confirmed_at: '2026-12-04T10:00:00.000Z' });
    const versions = await ok('GET', `/v1/orders/${order.id}/versions`);
    expect(versions.data[0].confirmed_by).toBe('customer');
    const again = await t.server.inject({ method: 'POST', url: `${path}/confirm`, payload: {}, headers: { accept: 'application/json' } });
    expect(again.json()).toMatchObject({ already_confirmed: true });
  });

  it('runs the credit check when the customer confirms', async () => {
    const { order } = await orderFor({ name: 'Kredit Kund AB', country: 'SE', credit_limit: '100.00' });
    const path = await link(order.id);
    const r = await t.server.inject({ method: 'POST', url: `${path}/confirm`, payload: {}, headers: { accept: 'application/json' } });
    expect(r.statusCode).toBe(200);
    expect(r.json().order.status).toBe('on_hold');
    expect(r.json().order.hold_reason).toContain('100.00 SEK');
    const events = await t.kysely.selectFrom('outbox').select(['event_type', 'payload']).where('tenant_id', '=', t.tenantId).orderBy('id').execute();
    expect(events.filter((e) => (e.payload as { id?: string }).id === order.id).map((e) => e.event_type)).toEqual([
      'order.created', 'order.customer_confirmed', 'order.on_hold',
    ]);
  });

  it('stores a change request and e-mails the seller', async () => {
    smtp.messages.length = 0;
    const { order } = await orderFor({ name: 'Ändra Mera AB', country: 'SE' });
    const path = await link(order.id);
    const empty = await t.server.inject({ method: 'POST', url: `${path}/request-changes`, payload: { comment: '  ' }, headers: { accept: 'application/json' } });
    expect(empty.statusCode).toBe(400);
    const form = await t.server.inject({
      method: 'POST',
      url: `${path}/request-changes`,
      payload: new URLSearchParams({ comment: 'Vi vill ha 6 skruvdragare i stället' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.statusCode).toBe(201);
    expect(form.body).toContain('Tack! Vi har tagit emot dina önskemål');
    const rows = await t.kysely.selectFrom('order_change_requests').selectAll().where('order_id', '=', order.id).execute();
    expect(rows.map((r) => [r.version, r.comment])).toEqual([[1, 'Vi vill ha 6 skruvdragare i stället']]);

    await dispatchOutbox(dispatchDeps(t), 100);
    const toSeller = smtp.messages.filter((m) => m.to.includes('faktura@testbolaget.example'));
    expect(toSeller).toHaveLength(1);
    expect(toSeller[0]!.raw).toContain(order.number);
  });

  it('answers 404 for a wrong or revoked token and 410 for an expired one', async () => {
    const { order } = await orderFor({ name: 'Länk AB', country: 'SE' });
    const wrong = await t.server.inject({ method: 'GET', url: `/portal/orders/${'x'.repeat(43)}`, headers: { accept: 'application/json' } });
    expect(wrong.statusCode).toBe(404);
    const env = envFor(t.deps, { tenantId: t.tenantId, actorId: 'test' });
    const expired = await t.db.transaction(t.tenantId, (s) => createDocumentLink(s, env, 'order', order.id, '2026-12-03'));
    const gone = await t.server.inject({ method: 'GET', url: expired.path, headers: { accept: 'application/json' } });
    expect(gone.statusCode).toBe(410);
    const revoked = await t.db.transaction(t.tenantId, async (s) => {
      const made = await createDocumentLink(s, env, 'order', order.id);
      await s.documentLinks.revoke(made.link.id, new Date());
      return made;
    });
    const html = await t.server.inject({ method: 'GET', url: revoked.path });
    expect(html.statusCode).toBe(404);
    expect(html.headers['content-type']).toContain('text/html');
    const post = await t.server.inject({ method: 'POST', url: `${revoked.path}/confirm`, payload: {}, headers: { accept: 'application/json' } });
    expect(post.statusCode).toBe(404);
  });
});
