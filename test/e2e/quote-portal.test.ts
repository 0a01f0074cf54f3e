/**
 * The customer portal for quotes (issue 3 parts 7–8): staff make a link for a sent version; the
 * customer opens it without an API key (the 256-bit token in the path is the credential, only its
 * hash is stored), sees the version, and accepts it (name, consent, chosen optional lines: one order,
 * however often), declines it with a reason, or asks for changes (stored, an outbox event, an e-mail
 * to the seller). Wrong or revoked tokens are 404, expired ones 410, superseded versions 409.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OutboxEventRow } from '../../src/app/outbox/dispatch.js';
import { redactPortalUrl } from '../../src/api/server.js';
import { escapeHtml, parseForm } from '../../src/api/portal-pages.js';
import { asId } from '../../src/core/shared/ids.js';
import type { Mailer, MailMessage } from '../../src/integrations/email/mailer.js';
import { quoteChangesRequestedEmailHandler } from '../../src/integrations/email/quote-changes-email.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_ACCEPT = { accept: 'application/json' };

describe('portal helpers', () => {
  it('escapes HTML, parses forms with repeated fields, and redacts tokens from logged URLs', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(parseForm('signer_name=Anna+%C3%85berg&consent=on&k=L2&k=L3')).toEqual({ signer_name: 'Anna Åberg', consent: 'on', k: ['L2', 'L3'] });
    expect(redactPortalUrl('/portal/quotes/abcDEF_-123/pdf?x=1')).toBe('/portal/quotes/…/pdf?x=1');
    expect(redactPortalUrl('/portal/quotes/abcDEF_-123')).toBe('/portal/quotes/…');
    expect(redactPortalUrl('/v1/quotes/qte_1')).toBe('/v1/quotes/qte_1');
  });
});

describe.each(TEST_DATABASES)('quote portal [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  /** A request without an API key, as the customer's browser sends it. */
  const portal = async (method: 'GET' | 'POST', path: string, payload?: string | Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await t.server.inject({
      method,
      url: path,
      headers: { 'user-agent': 'PortalTest/1.0', ...headers },
      ...(payload === undefined ? {} : { payload }),
    });
    const isJson = (res.headers['content-type'] ?? '').toString().includes('json');
    return { status: res.statusCode, body: isJson ? res.json() : undefined, text: res.body, headers: res.headers };
  };

  async function sentQuote(over: Record<string, unknown> = {}, customerName = 'Portalkund AB') {
    const customer = await ok('POST', '/v1/customers', { name: customerName, country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [{ description: 'Konsulttimmar', quantity: '10', unit_price: '1000.00', tax_class: 'standard' }],
      ...over,
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    return quote;
  }

  async function linkFor(quoteId: string): Promise<{ id: string; url: string; token: string; path: string }> {
    const res = await call('POST', `/v1/quotes/${quoteId}/portal-links`);
    expect(res.status, res.raw).toBe(201);
    const url = new URL(res.body.url as string);
    const token = url.pathname.split('/').pop() ?? '';
    return { id: res.body.id, url: res.body.url, token, path: url.pathname };
  }

  const ordersOf = (quoteId: string) =>
    t.kysely.selectFrom('orders').select(['id', 'number']).where('tenant_id', '=', t.tenantId).where('quote_id', '=', quoteId).execute();

  it('makes a 256-bit token in the URL path whose raw value is stored nowhere, and shows the page without an API key', async () => {
    const quote = await sentQuote();
    const link = await linkFor(quote.id);
    expect(link.url).toMatch(/^http:\/\/[^/]+\/portal\/quotes\/[A-Za-z0-9_-]+$/);
    expect(link.url).not.toContain('?');
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(Buffer.from(link.token, 'base64url').length).toBeGreaterThanOrEqual(32);

    const page = await portal('GET', link.path);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.text).toContain(quote.number);
    expect(page.text).toContain('<html lang="sv">');
    expect(page.text).toContain(`${link.path}/pdf`);
    expect(page.text).toContain('name="signer_name"');
    expect(page.text).toContain('name="consent"');
    expect(page.text).toContain(`action="${link.path}/decline"`);
    expect(page.text).toContain(`action="${link.path}/request-changes"`);

    const json = await portal('GET', link.path, undefined, JSON_ACCEPT);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ object: 'portal_quote', number: quote.number, version: 1, status: 'sent', gross_total: { amount: '12500.00', currency: 'SEK' } });

    const pdf = await t.server.inject({ method: 'GET', url: `${link.path}/pdf` });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    // the raw token is in no row: links, audit log, outbox, idempotency keys
    const rows = await t.kysely.selectFrom('quote_portal_links').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.token_hash).toBe(createHash('sha256').update(link.token).digest('hex'));
    expect(rows[0]?.last_viewed_at).not.toBeNull();
    const everything = JSON.stringify([
      rows,
      await t.kysely.selectFrom('audit_log').selectAll().execute(),
      await t.kysely.selectFrom('outbox').selectAll().execute(),
      await t.kysely.selectFrom('idempotency_keys').selectAll().execute(),
    ], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    expect(everything).not.toContain(link.token);
  });

  it('answers 404 for a wrong or revoked token and 410 once the version is no longer valid', async () => {
    const quote = await sentQuote();
    const link = await linkFor(quote.id);
    const wrong = `${link.token.slice(0, -1)}${link.token.endsWith('A') ? 'B' : 'A'}`;
    expect((await portal('GET', `/portal/quotes/${wrong}`)).status).toBe(404);
    expect((await portal('GET', '/portal/quotes/nonsense')).status).toBe(404);
    const wrongJson = await portal('GET', `/portal/quotes/${wrong}`, undefined, JSON_ACCEPT);
    expect(wrongJson.body.error.code).toBe('not_found');
    expect(wrongJson.text).not.toContain(wrong);

    const revoked = await call('POST', `/v1/quotes/${quote.id}/portal-links/${link.id}/revoke`);
    expect(revoked.status, revoked.raw).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    expect((await portal('GET', link.path)).status).toBe(404);
    expect((await portal('POST', `${link.path}/accept`, { signer_name: 'X', consent: true }, JSON_ACCEPT)).status).toBe(404);

    const old = await sentQuote({ quote_date: '2026-11-01', valid_until: '2026-11-30' });
    const expired = await linkFor(old.id);
    const gone = await portal('GET', expired.path);
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('2026-11-30');
    const goneJson = await portal('POST', `${expired.path}/accept`, { signer_name: 'Anna', consent: true }, JSON_ACCEPT);
    expect(goneJson.status).toBe(410);
    expect(goneJson.body.error.code).toBe('portal_link_expired');
    expect(await ordersOf(old.id)).toHaveLength(0);
  });

  it('refuses to accept a superseded version (409), in JSON and as a page', async () => {
    const quote = await sentQuote();
    const v1 = await linkFor(quote.id);
    const v2 = await ok('POST', `/v1/quotes/${quote.id}/revise`);
    await ok('POST', `/v1/quotes/${v2.id}/send`);

    const json = await portal('POST', `${v1.path}/accept`, { signer_name: 'Anna Åberg', consent: true }, JSON_ACCEPT);
    expect(json.status).toBe(409);
    expect(json.body.error.code).toBe('quote_not_sent');
    const page = await portal('POST', `${v1.path}/accept`, 'signer_name=Anna&consent=true', FORM);
    expect(page.status).toBe(409);
    expect(page.headers['content-type']).toContain('text/html');
    expect((await portal('GET', v1.path)).text).toContain('ersatts av en nyare version');
    expect(await ordersOf(quote.id)).toHaveLength(0);
  });

  it('accepts once: the evidence is stored, and accepting again returns the same order', async () => {
    const quote = await sentQuote();
    const link = await linkFor(quote.id);

    const noConsent = await portal('POST', `${link.path}/accept`, { signer_name: 'Anna Åberg' }, JSON_ACCEPT);
    expect(noConsent.status).toBe(400);
    expect(noConsent.body.error.param).toBe('consent');
    const noName = await portal('POST', `${link.path}/accept`, 'signer_name=+&consent=on', { ...FORM, ...JSON_ACCEPT });
    expect(noName.status).toBe(400);
    expect(noName.body.error.param).toBe('signer_name');

    const first = await portal('POST', `${link.path}/accept`, 'signer_name=Anna+%C3%85berg&consent=on', FORM);
    expect(first.status).toBe(201);
    expect(first.text).toContain('Offerten är accepterad');
    const [order] = await ordersOf(quote.id);
    expect(first.text).toContain(order?.number);

    const again = await portal('POST', `${link.path}/accept`, { signer_name: 'Anna Åberg', consent: true }, JSON_ACCEPT);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ object: 'portal_acceptance', already_accepted: true, order: { id: order?.id } });
    const page = await portal('POST', `${link.path}/accept`, 'signer_name=Anna&consent=on', FORM);
    expect(page.text).toContain('redan accepterad');
    // another link to the same version, and the staff API: still no second order
    const second = await linkFor(quote.id).catch(() => undefined);
    expect(second).toBeUndefined(); // the version is no longer sent: no new link
    expect((await call('POST', `/v1/quotes/${quote.id}/accept`)).status).toBe(409);
    expect(await ordersOf(quote.id)).toHaveLength(1);

    const acceptance = await t.kysely.selectFrom('quote_acceptances').selectAll().where('quote_id', '=', quote.id).executeTakeFirstOrThrow();
    expect(acceptance).toMatchObject({ signer_name: 'Anna Åberg', consent: true, user_agent: 'PortalTest/1.0', order_id: order?.id });
    expect(acceptance.ip).toBeTruthy();
    expect(acceptance.content_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(acceptance.accepted_at.toISOString()).toBe('2026-12-04T10:00:00.000Z');
    expect((await ok('GET', `/v1/quotes/${quote.id}`)).status).toBe('accepted');
    expect((await portal('GET', link.path, undefined, JSON_ACCEPT)).body.acceptance).toMatchObject({ order_number: order?.number, signer_name: 'Anna Åberg' });
  });

  it('includes a chosen optional line in the order, with the quote discount re-allocated so totals = Σ lines', async () => {
    const quote = await sentQuote({
      discount: { percent: '5' },
      lines: [
        { description: 'Grundpaket', quantity: '1', unit_price: '10000.00', tax_class: 'standard' },
        { description: 'Extra garanti', quantity: '1', unit_price: '2000.00', tax_class: 'standard', optional: true },
        { description: 'Utbildning', quantity: '1', unit_price: '999.99', tax_class: 'reduced_6', optional: true },
      ],
    });
    expect(quote.net_total.amount).toBe('9500.00');
    const link = await linkFor(quote.id);
    const page = await portal('GET', link.path);
    expect(page.text).toContain('name="selected_optional_line_keys" value="L2"');

    const res = await portal('POST', `${link.path}/accept`, 'signer_name=Anna&consent=true&selected_optional_line_keys=L2', { ...FORM, ...JSON_ACCEPT });
    expect(res.status, res.text).toBe(201);
    const order = res.body.order;
    expect(order.lines.map((l: { description: string }) => l.description)).toEqual(['Grundpaket', 'Extra garanti']);
    // (10 000 + 2 000) − 5 % = 11 400 net; 25 % VAT 2 850
    expect(order.net_total).toEqual({ amount: '11400.00', currency: 'SEK' });
    expect(order.vat_total).toEqual({ amount: '2850.00', currency: 'SEK' });
    expect(order.gross_total).toEqual({ amount: '14250.00', currency: 'SEK' });
    const sumNet = order.lines.reduce((a: number, l: { net_amount: { amount: string } }) => a + Math.round(Number(l.net_amount.amount) * 100), 0);
    expect(sumNet).toBe(1_140_000);

    const rows = await t.kysely
      .selectFrom('order_lines')
      .select(['gross_amount_minor', 'discount_amount_minor', 'net_amount_minor'])
      .where('order_id', '=', order.id)
      .orderBy('line_no')
      .execute();
    expect(rows.map((r) => [r.gross_amount_minor, r.discount_amount_minor, r.net_amount_minor])).toEqual([
      [1_000_000n, 50_000n, 950_000n],
      [200_000n, 10_000n, 190_000n],
    ]);
    const stored = await t.kysely.selectFrom('orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(stored.net_total_minor).toBe(rows.reduce((a, r) => a + r.net_amount_minor, 0n));
    const acceptance = await t.kysely.selectFrom('quote_acceptances').selectAll().where('quote_id', '=', quote.id).executeTakeFirstOrThrow();
    expect(acceptance.selected_optional_line_keys).toEqual(['L2']);

    const bad = await sentQuote({ lines: [{ description: 'A', quantity: '1', unit_price: '1.00', tax_class: 'standard' }] });
    const badLink = await linkFor(bad.id);
    const refused = await portal('POST', `${badLink.path}/accept`, { signer_name: 'A', consent: true, selected_optional_line_keys: ['L1'] }, JSON_ACCEPT);
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe('selected_optional_line_keys');
  });

  it('declines with a reason, and requests changes with a comment that reaches the seller by e-mail', async () => {
    const quote = await sentQuote();
    const link = await linkFor(quote.id);
    const changes = await portal('POST', `${link.path}/request-changes`, 'comment=Kan+ni+s%C3%A4nka+timpriset%3F', FORM);
    expect(changes.status).toBe(201);
    expect(changes.text).toContain('Vi har tagit emot');
    const stored = await t.kysely.selectFrom('quote_change_requests').selectAll().where('quote_id', '=', quote.id).execute();
    expect(stored.map((r) => r.comment)).toEqual(['Kan ni sänka timpriset?']);
    const event = await t.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('event_type', '=', 'quote.changes_requested')
      .executeTakeFirstOrThrow();
    expect(event.payload).toMatchObject({ id: quote.id, number: quote.number, version: 1, comment: 'Kan ni sänka timpriset?' });
    const empty = await portal('POST', `${link.path}/request-changes`, { comment: '  ' }, JSON_ACCEPT);
    expect(empty.status).toBe(400);
    expect(empty.body.error.param).toBe('comment');

    const sent: MailMessage[] = [];
    const mailer: Mailer = {
      send: async (m) => {
        sent.push(m);
        return { messageId: 'm1', via: 'eml' };
      },
      close: () => undefined,
    };
    const handler = quoteChangesRequestedEmailHandler({ db: t.deps.db, mailer });
    const row: OutboxEventRow = { id: event.id, tenantId: asId('tenant', event.tenant_id), eventType: event.event_type, payload: event.payload, createdAt: event.created_at, attempts: 0 };
    await handler.handle(row);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.to).toBe('faktura@testbolaget.example');
    expect(sent[0]?.subject).toContain(`${quote.number} v1`);
    expect(sent[0]?.text).toContain('Kan ni sänka timpriset?');

    const declined = await portal('POST', `${link.path}/decline`, 'reason=F%C3%B6r+dyrt', FORM);
    expect(declined.status).toBe(200);
    expect(declined.text).toContain('Offerten är avböjd');
    const q = await ok('GET', `/v1/quotes/${quote.id}`);
    expect(q.status).toBe('declined');
    expect(q.declined_reason).toBe('För dyrt');
    const late = await portal('POST', `${link.path}/accept`, { signer_name: 'Anna', consent: true }, JSON_ACCEPT);
    expect(late.status).toBe(409);
  });

  it('escapes what the customer and staff typed, and speaks English to a foreign customer', async () => {
    const customer = await ok('POST', '/v1/customers', { name: '<script>alert(1)</script> Ltd', country: 'GB', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [{ description: 'Widget "deluxe" & <b>bold</b>', quantity: '1', unit_price: '100.00', tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const link = await linkFor(quote.id);
    const page = await portal('GET', link.path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain(quote.number);
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Ltd');
    expect(page.text).toContain('Widget &quot;deluxe&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(page.text).toContain('Accept the quote');
  });
});
