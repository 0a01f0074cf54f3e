/**
 * Webhooks (issue 8, part 5) on every configured database, delivered to a real local HTTP receiver:
 * the receiver verifies the HMAC-SHA256 signature over timestamp and body; a 500 is retried after the
 * backoff and then delivered exactly once; a replay outside the window is refused; an endpoint that
 * keeps failing is disabled with a notice event; a delivery can be sent again by hand; GET /v1/events
 * lists what was delivered.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/app/outbox/dispatch.js';
import { deliverWebhooks, fanOutWebhooks, webhookRetryDelayMs, type WebhookDeliveryDeps } from '../../src/app/webhooks/dispatch.js';
import type { Clock } from '../../src/app/ports.js';
import { outboxDispatchDb } from '../../src/db/repositories/outbox-dispatch.js';
import { webhookDispatchStore } from '../../src/db/repositories/webhooks.js';
import { httpWebhookSender } from '../../src/integrations/webhooks/http-sender.js';
import { signWebhook, verifyWebhook } from '../../src/integrations/webhooks/signature.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  answered: number;
}

describe.each(TEST_DATABASES)('webhooks: signed, retried, disabled, redelivered [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  // the receiver answers each path from its queue of statuses (then 200) and records every request
  const received: Received[] = [];
  const answers = new Map<string, number[]>();
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const status = answers.get(req.url ?? '')?.shift() ?? 200;
        received.push({ path: req.url ?? '', headers: req.headers, body, answered: status });
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'boom');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  // a clock the test moves; the dispatcher and the signer read it
  let now = new Date('2026-12-04T10:00:00Z');
  const clock: Clock = { now: () => now, today: () => now.toISOString().slice(0, 10) };
  const deliveryDeps = (disableAfter?: number): WebhookDeliveryDeps => ({
    store: webhookDispatchStore(t.kysely),
    sender: httpWebhookSender({ timeoutMs: 5000 }),
    clock,
    sign: signWebhook,
    random: () => 0.5,
    ...(disableAfter !== undefined ? { disableAfter } : {}),
  });
  /** Runs the outbox (fanning events out to endpoints) and one round of deliveries. */
  async function work(disableAfter?: number) {
    const store = webhookDispatchStore(t.kysely);
    await dispatchOutbox({ ...outboxDispatchDb(t.kysely), clock, handlers: [], fanOut: async (e) => void (await fanOutWebhooks(store, clock, e)) }, 1000);
    return deliverWebhooks(deliveryDeps(disableAfter), 100);
  }
  const nowSeconds = () => Math.floor(now.getTime() / 1000);

  it('refuses a bad URL or an unknown event type, naming the field', async () => {
    const ftp = await call('POST', '/v1/webhook-endpoints', { url: 'ftp://example.com/hook', event_types: ['customer.created'] });
    expect(ftp.status).toBe(400);
    expect(ftp.body.error.param).toBe('url');
    const unknown = await call('POST', '/v1/webhook-endpoints', { url: `${base}/x`, event_types: ['customer.created', 'custmer.created'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toBe('event_types.1');
  });

  it('delivers a signed event, retries after a 500 and delivers it once; a replay outside the window is refused', async () => {
    const endpoint = await ok('POST', '/v1/webhook-endpoints', { url: `${base}/hooks/a`, event_types: ['customer.created'], description: 'ERP' });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await ok('GET', `/v1/webhook-endpoints/${endpoint.id}`)).secret).toBeUndefined();
    answers.set('/hooks/a', [500]);
    await work(); // drain events from before the endpoint existed (none subscribed)
    received.length = 0;

    const customer = await ok('POST', '/v1/customers', { name: 'Webhook AB', country: 'SE', currency: 'SEK' });
    const first = await work();
    expect(first).toEqual({ delivered: 0, failed: 1 });
    expect(received).toHaveLength(1);
    expect(received[0]!.answered).toBe(500);
    let deliveries = (await ok('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).data;
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500, event_type: 'customer.created' });
    // retried after 30 s × 2^0 with equal jitter at 0.5: 22.5 s
    expect(webhookRetryDelayMs(1, () => 0.5)).toBe(22_500);
    expect(new Date(deliveries[0].next_attempt_at).getTime() - now.getTime()).toBe(22_500);

    // not due yet: nothing is sent
    expect(await work()).toEqual({ delivered: 0, failed: 0 });
    now = new Date(now.getTime() + 30_000);
    expect(await work()).toEqual({ delivered: 1, failed: 0 });
    expect(await work()).toEqual({ delivered: 0, failed: 0 });
    expect(received).toHaveLength(2);

    const delivered = received[1]!;
    const body = JSON.parse(delivered.body);
    expect(body).toMatchObject({ object: 'event', type: 'customer.created' });
    expect(body.data).toMatchObject({ id: customer.id });
    expect(delivered.headers['q2c-event-id']).toBe(body.id);
    const signature = delivered.headers['q2c-signature'] as string;
    // the receiver verifies: the right secret and a fresh timestamp pass; anything else fails
    expect(verifyWebhook(endpoint.secret, signature, delivered.body, nowSeconds())).toMatchObject({ ok: true });
    expect(verifyWebhook(endpoint.secret, signature, `${delivered.body} `, nowSeconds())).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook('whsec_wrong', signature, delivered.body, nowSeconds())).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook(endpoint.secret, signature, delivered.body, nowSeconds() + 301)).toEqual({ ok: false, reason: 'outside_window' });
    expect(verifyWebhook(endpoint.secret, 'v1=abc', delivered.body, nowSeconds())).toEqual({ ok: false, reason: 'malformed' });

    deliveries = (await ok('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).data;
    expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 200, last_error: null });

    // the event is there to re-fetch, with the same data
    const event = await ok('GET', `/v1/events/${body.id}`);
    expect(event).toMatchObject({ id: body.id, type: 'customer.created', data: { id: customer.id } });
    const listed = await ok('GET', '/v1/events?type=customer.created');
    expect(listed.data.map((e: { id: string }) => e.id)).toContain(body.id);

    // sent again by hand: queued, due now, delivered once more
    const requeued = await ok('POST', `/v1/webhook-deliveries/${deliveries[0].id}/redeliver`);
    expect(requeued.status).toBe('pending');
    expect(await work()).toEqual({ delivered: 1, failed: 0 });
    expect(received).toHaveLength(3);
    expect(JSON.parse(received[2]!.body).id).toBe(body.id);
  });

  it('disables an endpoint that keeps failing, with a notice event; re-enabling resumes its deliveries', async () => {
    const endpoint = await ok('POST', '/v1/webhook-endpoints', { url: `${base}/hooks/down`, event_types: ['*'] });
    answers.set('/hooks/down', [500, 503, 500, 500, 500]);
    await ok('POST', '/v1/customers', { name: 'Trasig AB', country: 'SE', currency: 'SEK' });
    await work(3);
    for (let i = 0; i < 3; i++) {
      now = new Date(now.getTime() + 10 * 60_000);
      await work(3);
    }
    const after = await ok('GET', `/v1/webhook-endpoints/${endpoint.id}`);
    expect(after.enabled).toBe(false);
    expect(after.disabled_reason).toMatch(/Disabled after 3 failed deliveries in a row; last: HTTP 500/);
    const notices = (await ok('GET', '/v1/events?type=webhook_endpoint.disabled')).data;
    expect(notices.map((n: { data: { id: string } }) => n.data.id)).toContain(endpoint.id);
    // disabled: nothing more is sent to it
    const count = received.filter((r) => r.path === '/hooks/down').length;
    now = new Date(now.getTime() + 60 * 60_000);
    await work(3);
    expect(received.filter((r) => r.path === '/hooks/down').length).toBe(count);
    const refused = await call('POST', `/v1/webhook-deliveries/${(await ok('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).data[0].id}/redeliver`);
    expect(refused.status).toBe(409);

    // re-enabled (the receiver is up again): the pending delivery goes out
    answers.set('/hooks/down', []);
    const enabled = await ok('PATCH', `/v1/webhook-endpoints/${endpoint.id}`, { enabled: true });
    expect(enabled).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0 });
    const result = await work(3);
    expect(result.delivered).toBeGreaterThanOrEqual(1);
    const deliveries = (await ok('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).data;
    expect(deliveries.some((d: { status: string; event_type: string }) => d.event_type === 'customer.created' && d.status === 'delivered')).toBe(true);
  });
});
