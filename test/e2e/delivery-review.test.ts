/**
 * The customer's review of a delivery (issue 4 parts 6–7): a portal link to a delivered delivery;
 * the customer confirms receipt (accepted) or reports problems per line (disputed, one claim per
 * line, claim.reported), adds photos (PNG/JPEG by signature, at most 5 MiB); reports after the
 * review window are refused (409 review_window_closed); deliveries nobody reviewed are deemed
 * accepted by the scheduled jobs. Wrong or revoked tokens are 404, expired ones 410.
 */
import { describe, expect, it } from 'vitest';
import { runScheduledJobs } from '../../src/app/jobs/run-jobs.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { orderFromQuote } from '../support/orders.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_ACCEPT = { accept: 'application/json' };
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);

describe.each(TEST_DATABASES)('delivery review [%s]', (kind) => {
  // today is 2026-12-04 (Stockholm); the default review window is 14 days
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  const portal = async (method: 'GET' | 'POST', path: string, payload?: string | Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await t.server.inject({ method, url: path, headers: { 'user-agent': 'PortalTest/1.0', ...headers }, ...(payload === undefined ? {} : { payload }) });
    const isJson = (res.headers['content-type'] ?? '').toString().includes('json');
    return { status: res.statusCode, body: isJson ? res.json() : undefined, text: res.body, headers: res.headers };
  };

  async function delivered(deliveredOn = '2026-12-01', country = 'SE') {
    const { order } = await orderFromQuote(t, { name: 'Mottagaren AB', country }, [
      { description: 'Stol', quantity: '4', unit_price: '500.00', tax_class: 'standard' },
      { description: 'Bord', quantity: '1', unit_price: '2000.00', tax_class: 'standard' },
    ]);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    const done = await ok('POST', `/v1/deliveries/${d.id}/deliver`, { delivered_on: deliveredOn });
    return { order, delivery: done };
  }

  async function linkFor(deliveryId: string, body: Record<string, unknown> = {}) {
    const res = await call('POST', `/v1/deliveries/${deliveryId}/portal-links`, body);
    expect(res.status, res.raw).toBe(201);
    const url = new URL(res.body.url as string);
    return { id: res.body.id as string, path: url.pathname, token: url.pathname.split('/').pop() ?? '' };
  }

  const events = (type: string) =>
    t.kysely.selectFrom('outbox').select(['event_type', 'payload']).where('tenant_id', '=', t.tenantId).where('event_type', '=', type).execute();

  it('shows the delivery in the portal (sv/en, HTML and JSON) and the customer confirms receipt', async () => {
    const { delivery } = await delivered();
    const link = await linkFor(delivery.id);
    expect(link.path).toMatch(/^\/portal\/deliveries\/[A-Za-z0-9_-]{43}$/);

    const html = await portal('GET', link.path);
    expect(html.status).toBe(200);
    expect(html.headers['cache-control']).toBe('no-store');
    expect(html.headers['referrer-policy']).toBe('no-referrer');
    expect(html.text).toContain('<html lang="sv">');
    expect(html.text).toContain(`Leverans ${delivery.number}`);
    expect(html.text).toContain('Stol');
    expect(html.text).toContain('Bekräfta mottagandet');
    expect(html.text).toContain(`action="${link.path}/report"`);
    expect(html.text).toContain('name="delivery_line_no" value="2"');
    expect(html.text).toContain('<option value="wrong_item">Fel vara</option>');
    expect(html.text).toContain('Reklamera senast</dt><dd>2026-12-15');

    const json = await portal('GET', link.path, undefined, JSON_ACCEPT);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      object: 'portal_delivery',
      number: delivery.number,
      language: 'sv',
      review_status: 'awaiting_review',
      delivered_on: '2026-12-01',
      review_deadline: '2026-12-15',
      can_confirm: true,
      can_report: true,
      lines: [
        { line_no: 1, description: 'Stol', quantity: '4', claimed: '0' },
        { line_no: 2, description: 'Bord', quantity: '1', claimed: '0' },
      ],
      claims: [],
    });

    const confirmed = await portal('POST', `${link.path}/confirm`, '', FORM);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Tack! Mottagandet är bekräftat.');
    const after = await ok('GET', `/v1/deliveries/${delivery.id}`);
    expect(after.review_status).toBe('accepted');
    expect(after.reviewed_at).toBe('2026-12-04T10:00:00.000Z');
    expect((await events('delivery.accepted')).some((e) => (e.payload as { id: string }).id === delivery.id)).toBe(true);

    // confirming again changes nothing; reporting after accepting is refused
    const again = await portal('POST', `${link.path}/confirm`, undefined, JSON_ACCEPT);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ review_status: 'accepted', can_confirm: false, can_report: false });
    const late = await portal('POST', `${link.path}/report`, { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Trasig' }] }, JSON_ACCEPT);
    expect(late.status).toBe(409);
  });

  it('shows English to a foreign customer and lets staff confirm receipt on the customer\'s behalf', async () => {
    const { delivery } = await delivered('2026-12-02', 'DE');
    const link = await linkFor(delivery.id);
    const html = await portal('GET', link.path);
    expect(html.text).toContain('<html lang="en">');
    expect(html.text).toContain('Confirm receipt');
    expect(html.text).toContain('<option value="not_as_described">Not as described</option>');

    const confirmed = await ok('POST', `/v1/deliveries/${delivery.id}/confirm-receipt`);
    expect(confirmed.review_status).toBe('accepted');
    const json = await portal('GET', link.path, undefined, JSON_ACCEPT);
    expect(json.body.review_status).toBe('accepted');
  });

  it('turns a problem report into one claim per line (form and JSON) and disputes the delivery', async () => {
    const { delivery, order } = await delivered();
    const link = await linkFor(delivery.id);

    const form = await portal(
      'POST',
      `${link.path}/report`,
      new URLSearchParams({ delivery_line_no: '1', reason: 'damaged', quantity: '2', description: 'Två stolar har spruckna ben' }).toString(),
      FORM,
    );
    expect(form.status, form.text).toBe(201);
    expect(form.text).toMatch(/Tack! Vi har tagit emot din reklamation \(CLM-2026-\d{4}\)/);
    expect(form.text).toContain('Två stolar har spruckna ben');

    const json = await portal(
      'POST',
      `${link.path}/report`,
      {
        lines: [
          { delivery_line_no: 1, reason: 'missing', quantity: '1', description: 'En stol saknas' },
          { delivery_line_no: 2, reason: 'not_as_described', quantity: 1, description: 'Fel färg' },
        ],
      },
      JSON_ACCEPT,
    );
    expect(json.status, json.text).toBe(201);
    expect(json.body.claims).toHaveLength(2);
    expect(json.body.claims[0]).toMatchObject({ delivery_line_no: 1, reason: 'missing', quantity: '1', status: 'open' });

    // 2 + 1 of 4 claimed on line 1: 2 more is too much
    const tooMuch = await portal('POST', `${link.path}/report`, { lines: [{ delivery_line_no: 1, reason: 'other', quantity: '2', description: 'x' }] }, JSON_ACCEPT);
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('quantity_exceeds_open');
    const noLine = await portal('POST', `${link.path}/report`, { lines: [{ delivery_line_no: 9, reason: 'other', quantity: '1', description: 'x' }] }, JSON_ACCEPT);
    expect(noLine.status).toBe(400);
    expect(noLine.body.error.param).toBe('lines.0.delivery_line_no');
    const badReason = await portal('POST', `${link.path}/report`, { lines: [{ delivery_line_no: 1, reason: 'late', quantity: '1', description: 'x' }] }, JSON_ACCEPT);
    expect(badReason.status).toBe(400);
    expect(badReason.body.error.param).toBe('lines.0.reason');

    const d = await ok('GET', `/v1/deliveries/${delivery.id}`);
    expect(d.review_status).toBe('disputed');
    const claims = await ok('GET', `/v1/claims?order_id=${order.id}`);
    expect(claims.data.map((c: any) => [c.delivery_line_no, c.reason, c.quantity, c.reported_by, c.status])).toEqual([
      [1, 'damaged', '2', 'customer', 'open'],
      [1, 'missing', '1', 'customer', 'open'],
      [2, 'not_as_described', '1', 'customer', 'open'],
    ]);
    const reported = (await events('claim.reported')).filter((e) => (e.payload as { order_id: string }).order_id === order.id);
    expect(reported).toHaveLength(3);

    const view = await portal('GET', link.path, undefined, JSON_ACCEPT);
    expect(view.body).toMatchObject({ review_status: 'disputed', can_confirm: false, can_report: true });
    expect(view.body.lines[0].claimed).toBe('3');
  });

  it('refuses reports after the review window, from the customer and from staff', async () => {
    const { delivery } = await delivered('2026-11-19'); // deadline 2026-12-03
    const link = await linkFor(delivery.id);
    const view = await portal('GET', link.path, undefined, JSON_ACCEPT);
    expect(view.body).toMatchObject({ review_deadline: '2026-12-03', can_report: false, can_confirm: true });
    const html = await portal('GET', link.path);
    expect(html.text).not.toContain(`action="${link.path}/report"`);

    const late = await portal('POST', `${link.path}/report`, { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Trasig' }] }, JSON_ACCEPT);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('review_window_closed');
    const lateHtml = await portal(
      'POST',
      `${link.path}/report`,
      new URLSearchParams({ delivery_line_no: '1', reason: 'damaged', quantity: '1', description: 'Trasig' }).toString(),
      FORM,
    );
    expect(lateHtml.status).toBe(409);
    expect(lateHtml.text).toContain('2026-12-03');
    const staff = await call('POST', `/v1/deliveries/${delivery.id}/claims`, { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Trasig' }] });
    expect(staff.status).toBe(409);
    expect(staff.body.error.code).toBe('review_window_closed');

    // the last day of the window is still open
    const { delivery: onDeadline } = await delivered('2026-11-20');
    const inTime = await call('POST', `/v1/deliveries/${onDeadline.id}/claims`, { lines: [{ delivery_line_no: 2, reason: 'damaged', quantity: '1', description: 'Repad' }] });
    expect(inTime.status, inTime.raw).toBe(201);
  });

  it('deems deliveries accepted once their window has passed, when the jobs run', async () => {
    const { delivery: old } = await delivered('2026-11-01');
    const { delivery: recent } = await delivered('2026-12-03');
    const { delivery: disputed } = await delivered('2026-12-03');
    await ok('POST', `/v1/deliveries/${disputed.id}/claims`, { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Trasig' }] });
    const { delivery: oldDisputed } = await delivered('2026-11-25');
    await ok('POST', `/v1/deliveries/${oldDisputed.id}/claims`, { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Trasig' }] });

    const reports = await runScheduledJobs(t.deps);
    const mine = reports.find((r) => r.tenantId === t.tenantId)!;
    expect(mine.deemedAcceptedDeliveries.map((d) => d.id)).toContain(old.id);
    expect(mine.deemedAcceptedDeliveries.map((d) => d.id)).not.toContain(recent.id);

    expect((await ok('GET', `/v1/deliveries/${old.id}`)).review_status).toBe('deemed_accepted');
    expect((await ok('GET', `/v1/deliveries/${recent.id}`)).review_status).toBe('awaiting_review');
    expect((await ok('GET', `/v1/deliveries/${disputed.id}`)).review_status).toBe('disputed');
    expect((await ok('GET', `/v1/deliveries/${oldDisputed.id}`)).review_status).toBe('disputed');
    expect((await events('delivery.deemed_accepted')).some((e) => (e.payload as { id: string }).id === old.id)).toBe(true);

    // idempotent: nothing more the second time
    const again = (await runScheduledJobs(t.deps)).find((r) => r.tenantId === t.tenantId)!;
    expect(again.deemedAcceptedDeliveries).toEqual([]);

    const link = await linkFor(old.id);
    const view = await portal('GET', link.path, undefined, JSON_ACCEPT);
    expect(view.body).toMatchObject({ review_status: 'deemed_accepted', can_confirm: false, can_report: false });
    const late = await portal('POST', `${link.path}/report`, { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'x' }] }, JSON_ACCEPT);
    expect(late.body.error.code).toBe('review_window_closed');
  });

  it('answers 404 for a wrong or revoked token and 410 for an expired one', async () => {
    const { delivery } = await delivered();
    const wrong = await portal('GET', `/portal/deliveries/${'A'.repeat(43)}`);
    expect(wrong.status).toBe(404);
    const malformed = await portal('GET', '/portal/deliveries/not-a-token', undefined, JSON_ACCEPT);
    expect(malformed.status).toBe(404);
    expect(malformed.body.error.code).toBe('not_found');

    const revoked = await linkFor(delivery.id);
    await t.kysely.updateTable('document_portal_links').set({ revoked_at: new Date() }).where('id', '=', revoked.id).execute();
    expect((await portal('GET', revoked.path)).status).toBe(404);
    expect((await portal('POST', `${revoked.path}/confirm`, undefined, JSON_ACCEPT)).status).toBe(404);

    const expired = await linkFor(delivery.id, { expires_on: '2026-12-03' });
    const gone = await portal('GET', expired.path);
    expect(gone.status).toBe(410);
    expect(gone.text).toContain('2026-12-03');
    const goneJson = await portal('POST', `${expired.path}/confirm`, undefined, JSON_ACCEPT);
    expect(goneJson.status).toBe(410);
    expect(goneJson.body.error.code).toBe('portal_link_expired');
    expect((await ok('GET', `/v1/deliveries/${delivery.id}`)).review_status).toBe('awaiting_review');

    // a quote portal token does not open a delivery page, nor a delivery token a quote page
    const live = await linkFor(delivery.id);
    expect((await portal('GET', `/portal/quotes/${live.token}`)).status).toBe(404);

    // links are for delivered deliveries only
    const { order } = await orderFromQuote(t, { name: 'Tidig AB', country: 'SE' }, [{ description: 'X', quantity: '1', unit_price: '1.00', tax_class: 'standard' }]);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const created = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    expect((await call('POST', `/v1/deliveries/${created.id}/portal-links`, {})).status).toBe(409);
  });

  it('takes PNG and JPEG photos of open claims up to 5 MiB, checked by their signature', async () => {
    const { delivery } = await delivered();
    const link = await linkFor(delivery.id);
    const report = await portal('POST', `${link.path}/report`, { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Trasig' }] }, JSON_ACCEPT);
    const claim = report.body.claims[0];
    expect(claim.photos_url).toBe(`${link.path}/claims/${claim.id}/photos`);
    const upload = (body: Record<string, unknown>) => portal('POST', claim.photos_url, body, JSON_ACCEPT);

    const png = await upload({ content_type: 'image/png', data_base64: PNG.toString('base64') });
    expect(png.status, png.text).toBe(201);
    expect(png.body).toMatchObject({ object: 'claim_photo', claim_id: claim.id, content_type: 'image/png', size: PNG.length });
    const jpeg = await upload({ content_type: 'image/jpeg', data_base64: JPEG.toString('base64') });
    expect(jpeg.status).toBe(201);

    const gif = await upload({ content_type: 'image/gif', data_base64: Buffer.from('GIF89a').toString('base64') });
    expect(gif.status).toBe(400);
    expect(gif.body.error.param).toBe('content_type');
    const disguised = await upload({ content_type: 'image/png', data_base64: JPEG.toString('base64') });
    expect(disguised.status).toBe(400);
    expect(disguised.body.error.param).toBe('data_base64');
    const notBase64 = await upload({ content_type: 'image/png', data_base64: '!!!' });
    expect(notBase64.status).toBe(400);

    const limit = 5 * 1024 * 1024;
    const atLimit = Buffer.alloc(limit);
    PNG.copy(atLimit);
    const max = await upload({ content_type: 'image/png', data_base64: atLimit.toString('base64') });
    expect(max.status, max.text.slice(0, 200)).toBe(201);
    expect(max.body.size).toBe(limit);
    const over = Buffer.alloc(limit + 1);
    PNG.copy(over);
    const tooBig = await upload({ content_type: 'image/png', data_base64: over.toString('base64') });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toContain('5 MiB');

    const staffView = await ok('GET', `/v1/claims/${claim.id}`);
    expect(staffView.photos.map((p: any) => p.content_type)).toEqual(['image/png', 'image/jpeg', 'image/png']);

    // a claim of another delivery cannot be reached through this link
    const { delivery: other } = await delivered();
    const otherClaim = await ok('POST', `/v1/deliveries/${other.id}/claims`, { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'x' }] });
    const foreign = await portal('POST', `${link.path}/claims/${otherClaim.claims[0].id}/photos`, { content_type: 'image/png', data_base64: PNG.toString('base64') }, JSON_ACCEPT);
    expect(foreign.status).toBe(404);
  });
});
