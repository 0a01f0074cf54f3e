/**
 * Closing an order ends its lifecycle: only once everything is delivered (or cancelled) and invoiced,
 * no delivery is under way and no claim is open; a closed order takes no more deliveries.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { deliveredOrder, orderFromQuote } from '../support/orders.js';

describe.each(TEST_DATABASES)('closing orders [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);
  const LINES = [{ description: 'Skruv', quantity: '10', unit_price: '5.00', tax_class: 'standard' }];

  it('refuses while work is open, closes when delivered and invoiced, then takes no more deliveries', async () => {
    const { order, delivery } = await deliveredOrder(t, { name: 'Stängkund AB', country: 'SE' }, LINES);
    const early = await call('POST', `/v1/orders/${order.id}/close`);
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('not fully invoiced');

    // an open claim keeps it open too
    const { claims } = await ok('POST', `/v1/deliveries/${delivery.id}/claims`, {
      lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Böjd' }],
    });
    const invoice = await ok('POST', '/v1/invoices', { order_id: order.id });
    await ok('POST', `/v1/invoices/${invoice.id}/issue`);
    const claimOpen = await call('POST', `/v1/orders/${order.id}/close`);
    expect(claimOpen.status).toBe(409);
    expect(claimOpen.body.error.message).toContain(`claim ${claims[0].number} is open`);
    await ok('POST', `/v1/claims/${claims[0].id}/reject`, { reason: 'Skadan uppstod efter leverans' });

    const closed = await ok('POST', `/v1/orders/${order.id}/close`);
    expect(closed).toMatchObject({ status: 'closed', fulfilment_status: 'delivered', invoicing_status: 'invoiced' });
    expect(closed.closed_at).toBe('2026-12-04T10:00:00.000Z');
    const events = await t.kysely.selectFrom('outbox').select('event_type').where('tenant_id', '=', t.tenantId).execute();
    expect(events.map((e) => e.event_type)).toContain('order.closed');

    const more = await call('POST', `/v1/orders/${order.id}/deliveries`, {});
    expect(more.status).toBe(409);
    const again = await call('POST', `/v1/orders/${order.id}/close`);
    expect(again.status).toBe(409);
  });

  it('refuses an order that is not delivered', async () => {
    const { order } = await orderFromQuote(t, { name: 'Ej levererat AB', country: 'SE' }, LINES);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const r = await call('POST', `/v1/orders/${order.id}/close`);
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('not fully delivered');
  });
});
