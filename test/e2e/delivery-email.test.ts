/**
 * Delivery and claim e-mails through the outbox worker's handlers (src/main/worker.ts) to a real
 * in-process SMTP server: delivered → the delivery note PDF and a delivery portal link valid for the
 * review window; no e-mail address → skipped, the event still done; a rejected claim → the reason;
 * a resolved claim → how. And the staff endpoints that revoke delivery and order portal links.
 */
import { describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/app/outbox/dispatch.js';
import { outboxDispatchDeps } from '../../src/main/worker.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { mimePart, useSmtpMailer } from '../support/smtp.js';
import { orderFromQuote } from '../support/orders.js';

const textOf = (raw: string): string => mimePart(raw, 'text/plain').content.toString('utf8');

const { smtp, mailer } = useSmtpMailer('order@testbolaget.example');

const PUBLIC_URL = 'https://q2c.example';
const JSON_ACCEPT = { accept: 'application/json' };

describe.each(TEST_DATABASES)('delivery and claim e-mails [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  /** The worker's handlers, as src/main/worker.ts registers them. */
  const dispatch = async () => {
    const r = await dispatchOutbox(outboxDispatchDeps({ kysely: t.kysely, app: t.deps }, mailer, undefined, PUBLIC_URL), 1000);
    expect(r.failed).toBe(0);
    return r;
  };

  /** A confirmed order for a new customer, its earlier e-mails (the quote) sent and forgotten. */
  async function confirmedOrder(customer: Record<string, unknown>) {
    const { customer: c, order } = await orderFromQuote(t, customer, [
      { description: 'Stol', quantity: '4', unit_price: '500.00', tax_class: 'standard' },
      { description: 'Bord', quantity: '1', unit_price: '2000.00', tax_class: 'standard' },
    ]);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    await dispatch();
    smtp.messages.length = 0;
    return { customer: c, order };
  }

  async function deliver(orderId: string) {
    const d = await ok('POST', `/v1/orders/${orderId}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    return ok('POST', `/v1/deliveries/${d.id}/deliver`, { delivered_on: '2026-12-02' });
  }

  const outboxRow = (type: string, id: string) =>
    t.kysely
      .selectFrom('outbox')
      .select(['event_type', 'payload', 'published_at'])
      .where('tenant_id', '=', t.tenantId)
      .where('event_type', '=', type)
      .execute()
      .then((rows) => rows.filter((r) => (r.payload as { id?: string }).id === id));

  it('e-mails the delivered delivery with its delivery note and a portal link for the review window', async () => {
    const { order } = await confirmedOrder({ name: 'Acme Ltd', country: 'GB', email: 'buyer@acme.example' });
    const delivery = await deliver(order.id);
    expect(smtp.messages).toHaveLength(0); // only the worker sends, after the commit
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
    const msg = smtp.messages[0]!;
    expect(msg.to).toEqual(['buyer@acme.example']);
    expect(msg.raw).toMatch(new RegExp(`^Subject: Your delivery ${delivery.number} has been delivered\\r?$`, 'm'));
    const pdf = mimePart(msg.raw, 'application/pdf');
    expect(pdf.headers).toContain(`${delivery.number}.pdf`);
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const text = textOf(msg.raw);
    expect(text).toContain(`order ${order.number}`);
    expect(text).toContain('within 14 days (by 2026-12-16)');
    const url = /https:\/\/q2c\.example(\/portal\/deliveries\/[A-Za-z0-9_-]{43})/.exec(text);
    expect(url).not.toBeNull();

    // the link opens the delivery, in English, and expires with the review window
    const page = await t.server.inject({ method: 'GET', url: url![1]! });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Delivery ${delivery.number}`);
    expect(page.body).toContain('Stol');
    const json = await t.server.inject({ method: 'GET', url: url![1]!, headers: JSON_ACCEPT });
    expect(json.json()).toMatchObject({ object: 'portal_delivery', number: delivery.number });
    const links = await t.kysely.selectFrom('document_portal_links').select(['expires_on']).where('subject_id', '=', delivery.id).execute();
    expect(links.map((l) => String(l.expires_on))).toEqual(['2026-12-16']);
    expect((await outboxRow('delivery.delivered', delivery.id))[0]!.published_at).not.toBeNull();

    // dispatching again sends nothing more
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
  });

  it('writes in Swedish to a Swedish customer, for a service delivery too', async () => {
    const installation = await ok('POST', '/v1/products', {
      sku: 'INST-MAIL', name: 'Installation', unit: 'HUR', tax_class: 'standard', unit_prices: [{ amount: '800.00', currency: 'SEK' }], kind: 'service',
    });
    const { order } = await orderFromQuote(t, { name: 'Svensk Kund AB', country: 'SE', email: 'kund@svensk.example' }, [
      { product_id: installation.id, quantity: '3' },
    ]);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    await dispatch();
    smtp.messages.length = 0;
    const service = await ok('POST', `/v1/orders/${order.id}/lines/1/complete`, { quantity: '3' });
    expect(service).toMatchObject({ kind: 'service', status: 'delivered', delivered_on: '2026-12-04' });
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
    const msg = smtp.messages[0]!;
    expect(msg.to).toEqual(['kund@svensk.example']);
    const text = textOf(msg.raw);
    expect(text).toContain(`Din leverans ${service.number} (order ${order.number}) har levererats 2026-12-04.`);
    expect(text).toContain('Bekräfta mottagandet, eller rapportera ett problem inom 14 dagar (senast 2026-12-18)');
    expect(text).toMatch(/https:\/\/q2c\.example\/portal\/deliveries\/[A-Za-z0-9_-]{43}/);
    expect(mimePart(msg.raw, 'application/pdf').content.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('skips a customer without an e-mail address; the event is still done', async () => {
    const { order } = await confirmedOrder({ name: 'Utan Post AB', country: 'SE' });
    const delivery = await deliver(order.id);
    const r = await dispatch();
    expect(r.published).toBeGreaterThanOrEqual(1);
    expect(smtp.messages).toHaveLength(0);
    const rows = await outboxRow('delivery.delivered', delivery.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.published_at).not.toBeNull();
    const links = await t.kysely.selectFrom('document_portal_links').select('id').where('subject_id', '=', delivery.id).execute();
    expect(links).toHaveLength(0);
  });

  it('e-mails the reason when a claim is rejected, and how a claim was resolved', async () => {
    const { order } = await confirmedOrder({ name: 'Reklamerande AB', country: 'SE', email: 'rek@kund.example' });
    const delivery = await deliver(order.id);
    await dispatch();
    smtp.messages.length = 0;
    const { claims } = await ok('POST', `/v1/deliveries/${delivery.id}/claims`, {
      lines: [
        { delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Ett ben av' },
        { delivery_line_no: 2, reason: 'other', quantity: '1', description: 'Fel färg' },
      ],
    });
    const [damaged, other] = claims as { id: string; number: string }[];
    const reason = 'Färgen stämmer med orderbekräftelsen (ek, ljus).';
    await ok('POST', `/v1/claims/${other!.id}/reject`, { reason });
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
    const rejected = smtp.messages[0]!;
    expect(rejected.to).toEqual(['rek@kund.example']);
    const rejectedText = textOf(rejected.raw);
    expect(rejectedText).toContain(reason);
    expect(rejectedText).toContain(other!.number);
    expect(rejectedText).toContain(delivery.number);

    smtp.messages.length = 0;
    await ok('POST', `/v1/claims/${damaged!.id}/resolutions`, { kind: 'credit', quantity: '1' });
    expect((await ok('GET', `/v1/claims/${damaged!.id}`)).status).toBe('resolved');
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
    const resolvedText = textOf(smtp.messages[0]!.raw);
    expect(resolvedText).toContain(`Din reklamation ${damaged!.number} av leverans ${delivery.number} är åtgärdad`);
    expect(resolvedText).toContain('Kreditering begärd: 1');
  });

  it('revokes delivery and order portal links (then 404), only through their own subject', async () => {
    const { order } = await confirmedOrder({ name: 'Länk AB', country: 'SE' });
    const delivery = await deliver(order.id);
    const made = await ok('POST', `/v1/deliveries/${delivery.id}/portal-links`, {});
    const path = new URL(made.url).pathname;
    expect((await t.server.inject({ method: 'GET', url: path })).statusCode).toBe(200);

    // another subject's id: 404, and the link still works
    const orderLink = await ok('POST', `/v1/orders/${order.id}/portal-links`);
    const wrong = await call('POST', `/v1/orders/${order.id}/portal-links/${made.id}/revoke`, {}, { 'idempotency-key': `wrong-${kind}` });
    expect(wrong.status).toBe(404);
    const wrongDelivery = await call('POST', `/v1/deliveries/${delivery.id}/portal-links/${orderLink.id}/revoke`, {}, { 'idempotency-key': `wrong2-${kind}` });
    expect(wrongDelivery.status).toBe(404);
    expect((await t.server.inject({ method: 'GET', url: path })).statusCode).toBe(200);

    const key = { 'idempotency-key': `revoke-${kind}` };
    const revoked = await call('POST', `/v1/deliveries/${delivery.id}/portal-links/${made.id}/revoke`, {}, key);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: made.id, delivery_id: delivery.id, revoked_at: '2026-12-04T10:00:00.000Z' });
    const replay = await call('POST', `/v1/deliveries/${delivery.id}/portal-links/${made.id}/revoke`, {}, key);
    expect(replay.body).toEqual(revoked.body);
    expect((await t.server.inject({ method: 'GET', url: path })).statusCode).toBe(404);
    expect((await t.server.inject({ method: 'GET', url: path, headers: JSON_ACCEPT })).statusCode).toBe(404);

    const orderPath = new URL(orderLink.url).pathname;
    expect((await t.server.inject({ method: 'GET', url: orderPath })).statusCode).toBe(200);
    const revokedOrder = await ok('POST', `/v1/orders/${order.id}/portal-links/${orderLink.id}/revoke`, {}, { 'idempotency-key': `revoke-order-${kind}` });
    expect(revokedOrder).toMatchObject({ id: orderLink.id, order_id: order.id, revoked_at: '2026-12-04T10:00:00.000Z' });
    expect((await t.server.inject({ method: 'GET', url: orderPath })).statusCode).toBe(404);

    const audit = await t.kysely
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('tenant_id', '=', t.tenantId)
      .where('action', 'in', ['delivery.portal_link_revoked', 'order.portal_link_revoked'])
      .execute();
    expect(audit.map((a) => [a.action, a.entity_id]).sort()).toEqual([
      ['delivery.portal_link_revoked', delivery.id],
      ['order.portal_link_revoked', order.id],
    ]);
    expect((await call('POST', `/v1/deliveries/${delivery.id}/portal-links/dpl_nope/revoke`, {}, { 'idempotency-key': `nope-${kind}` })).status).toBe(404);
  });
});
