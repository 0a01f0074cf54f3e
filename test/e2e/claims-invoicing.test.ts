/**
 * Claims and invoicing: a replacement sent free of charge is never invoiced; goods returned are
 * invoiced as delivered and credited by the claim's credit request, never both left off and credited.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

describe.each(TEST_DATABASES)('claims and invoicing [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  async function deliveredOrder() {
    const customer = await ok('POST', '/v1/customers', { name: 'Fakturakund AB', country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [{ description: 'Lampa', quantity: '3', unit_price: '999.00', tax_class: 'standard', discount_percent: '10' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    const delivery = await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    return { order, delivery };
  }

  it('invoices the ordered quantity once, not the replacement', async () => {
    const { order, delivery } = await deliveredOrder();
    const { claims } = await ok('POST', `/v1/deliveries/${delivery.id}/claims`, {
      lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Skärmen sprucken' }],
    });
    await ok('POST', `/v1/claims/${claims[0].id}/resolutions`, { kind: 'replacement', quantity: '1' });
    const resolved = await ok('POST', `/v1/claims/${claims[0].id}/resolutions/0/ship-replacement`);
    const replacement = resolved.resolutions[0].delivery_id;
    await ok('POST', `/v1/deliveries/${replacement}/ship`, {});
    await ok('POST', `/v1/deliveries/${replacement}/deliver`, {});
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines[0]).toMatchObject({ quantity_delivered: '4', quantity_replacement: '1' });

    const invoice = await ok('POST', '/v1/invoices', { order_id: order.id });
    // 3 × 999.00 − 10 % = 2 697.30: the whole line, once
    expect(invoice.lines).toEqual([expect.objectContaining({ quantity: '3', net_amount: { amount: '2697.30', currency: 'SEK' } })]);
  });

  it('invoices returned goods as delivered and credits them through the credit request, once', async () => {
    const { order, delivery } = await deliveredOrder();
    const { claims } = await ok('POST', `/v1/deliveries/${delivery.id}/claims`, {
      lines: [{ delivery_line_no: 1, reason: 'wrong_item', quantity: '1', description: 'Fel färg' }],
    });
    await ok('POST', `/v1/claims/${claims[0].id}/resolutions`, { kind: 'return', quantity: '1' });
    await ok('POST', `/v1/claims/${claims[0].id}/resolutions/0/receive-return`, { quantity: '1', disposition: 'scrap' });
    const invoice = await ok('POST', '/v1/invoices', { order_id: order.id });
    expect(invoice.lines).toEqual([expect.objectContaining({ quantity: '3', net_amount: { amount: '2697.30', currency: 'SEK' } })]);
    const credits = await ok('GET', `/v1/credit-requests?order_id=${order.id}`);
    // 1 of 3 at the frozen net 2 697.30: 899.10
    expect(credits.data).toEqual([expect.objectContaining({ kind: 'return', quantity: '1', net_amount: { amount: '899.10', currency: 'SEK' } })]);
  });

  it('invoices the rest of a line after a credit note, without invoicing the credited quantity again', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Kreditkund AB', country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [{ description: 'Lampa', quantity: '3', unit_price: '999.00', tax_class: 'standard', discount_percent: '10' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const first = await ok('POST', `/v1/orders/${order.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '2' }] });
    await ok('POST', `/v1/deliveries/${first.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${first.id}/deliver`, {});
    const inv1 = await ok('POST', '/v1/invoices', { order_id: order.id });
    await ok('POST', `/v1/invoices/${inv1.id}/issue`);
    expect(inv1.lines[0].net_amount.amount).toBe('1798.20');

    const note = await ok('POST', `/v1/invoices/${inv1.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'Fel färg' });
    await ok('POST', `/v1/credit-notes/${note.id}/issue`);
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines[0]).toMatchObject({ quantity_invoiced: '2', quantity_credited: '1' });

    const second = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${second.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${second.id}/deliver`, {});
    const inv2 = await ok('POST', '/v1/invoices', { order_id: order.id });
    // the third unit, by the running total: 2 697.30 − 1 798.20
    expect(inv2.lines).toEqual([expect.objectContaining({ quantity: '1', net_amount: { amount: '899.10', currency: 'SEK' } })]);
    const again = await client(t).call('POST', '/v1/invoices', { order_id: order.id });
    expect(again.status).toBe(409);
  });
});
