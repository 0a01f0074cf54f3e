/**
 * The billing run (issue 5 part 1): one invoice per confirmed order with something invoiceable up to
 * a date, optionally issued; the others skipped with a reason; a failing order reported while the
 * rest go through; stored runs readable; an Idempotency-Key retry replays the report.
 */
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { runBilling } from '../../src/app/invoicing/billing-run.js';
import type { Database } from '../../src/app/ports.js';
import { envFor } from '../../src/app/shared/env.js';
import { DomainError } from '../../src/core/shared/errors.js';
import type { CustomerId, OrderId } from '../../src/core/shared/ids.js';

describe.each(TEST_DATABASES)('billing run [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  async function setup(name: string) {
    const customer = await ok('POST', '/v1/customers', { name, country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    const product = await ok('POST', '/v1/products', {
      sku: `SKU-${name.replace(/\W/g, '')}`, name: 'Widget', tax_class: 'standard', unit_prices: [{ amount: '100.00', currency: 'SEK' }],
    });
    const order = async (confirm = true) => {
      const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, lines: [{ product_id: product.id, quantity: '10' }] });
      await ok('POST', `/v1/quotes/${quote.id}/send`);
      const o = await ok('POST', `/v1/quotes/${quote.id}/accept`);
      if (confirm) await ok('POST', `/v1/orders/${o.id}/confirm`);
      return o;
    };
    const deliver = async (orderId: string, quantity: string, on: string) => {
      const d = await ok('POST', `/v1/orders/${orderId}/deliveries`, { lines: [{ order_line_no: 1, quantity }] });
      await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
      await ok('POST', `/v1/deliveries/${d.id}/deliver`, { delivered_on: on });
    };
    return { customer, order, deliver };
  }

  it('invoices delivered orders once, skips the rest with reasons, and replays a retried run', async () => {
    const { customer, order, deliver } = await setup('Fakturakörning AB');
    const full = await order();
    await deliver(full.id, '10', '2026-12-01');
    const partial = await order();
    await deliver(partial.id, '4', '2026-12-02');
    const undelivered = await order();
    const unconfirmed = await order(false);
    const skippedOf = (run: any) => Object.fromEntries(run.skipped.map((k: any) => [k.order_id, k.reason]));

    // up to a date before the deliveries: nothing is invoiced yet
    const early = await ok('POST', '/v1/billing-runs', { up_to: '2026-11-30', customer_id: customer.id });
    expect(early.created).toEqual([]);
    expect(skippedOf(early)).toEqual({
      [full.id]: 'delivered_after_up_to',
      [partial.id]: 'delivered_after_up_to',
      [undelivered.id]: 'nothing_to_invoice',
      [unconfirmed.id]: 'order_not_confirmed',
    });

    const key = { 'idempotency-key': 'billing-run-1' };
    const body = { up_to: '2026-12-04', issue: true, customer_id: customer.id };
    const res = await call('POST', '/v1/billing-runs', body, key);
    expect(res.status).toBe(201);
    const run = res.body;
    expect(run.id).toMatch(/^bir_/);
    expect(run.failed).toEqual([]);
    expect(run.created.map((c: any) => [c.order_id, c.order_number, c.gross])).toEqual([
      [full.id, full.number, { amount: '1250.00', currency: 'SEK' }],
      [partial.id, partial.number, { amount: '500.00', currency: 'SEK' }],
    ]);
    expect(skippedOf(run)).toEqual({ [undelivered.id]: 'nothing_to_invoice', [unconfirmed.id]: 'order_not_confirmed' });
    for (const c of run.created) {
      expect(c.invoice_number).toMatch(/^2026-\d{5}$/);
      const invoice = await ok('GET', `/v1/invoices/${c.invoice_id}`);
      expect(invoice.status).toBe('issued');
      expect(invoice.number).toBe(c.invoice_number);
      expect(invoice.lines.map((l: any) => l.quantity)).toEqual([c.order_id === full.id ? '10' : '4']);
    }

    const invoicesBefore = (await ok('GET', `/v1/invoices?customer_id=${customer.id}`)).data.length;
    expect(invoicesBefore).toBe(2);
    const retry = await call('POST', '/v1/billing-runs', body, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(run);
    const reused = await call('POST', '/v1/billing-runs', { ...body, issue: false }, key);
    expect(reused.status).toBe(422);

    const again = await ok('POST', '/v1/billing-runs', { customer_id: customer.id });
    expect(again.created).toEqual([]);
    expect(again.issue).toBe(false);
    expect(again.up_to).toBe('2026-12-04');
    expect(skippedOf(again)).toEqual({
      [full.id]: 'nothing_to_invoice',
      [partial.id]: 'nothing_to_invoice',
      [undelivered.id]: 'nothing_to_invoice',
      [unconfirmed.id]: 'order_not_confirmed',
    });
    expect((await ok('GET', `/v1/invoices?customer_id=${customer.id}`)).data.length).toBe(2);

    const runs = await ok('GET', '/v1/billing-runs');
    expect(runs.data.map((r: any) => r.id)).toEqual([early.id, run.id, again.id]);
    expect(await ok('GET', `/v1/billing-runs/${run.id}`)).toEqual(run);
    expect((await call('GET', '/v1/billing-runs/bir_0000000000000000000000000')).status).toBe(404);
    expect((await call('POST', '/v1/billing-runs', { up_to: 'yesterday' })).status).toBe(400);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('reports a failing order and still invoices the others', async () => {
    const { customer, order, deliver } = await setup('Felkund AB');
    const bad = await order();
    await deliver(bad.id, '10', '2026-12-01');
    const good = await order();
    await deliver(good.id, '3', '2026-12-01');
    // a database whose order lookup fails for one order, in the middle of that order's transaction
    const db: Database = {
      ...t.db,
      transaction: (tenantId, fn) =>
        t.db.transaction(tenantId, (s) =>
          fn({
            ...s,
            orders: {
              ...s.orders,
              getForUpdate: async (id: OrderId) => {
                if (id === bad.id) throw new DomainError('unprocessable', 'simulated failure');
                return s.orders.getForUpdate(id);
              },
            },
          }),
        ),
    };
    const env = envFor(t.deps, { tenantId: t.tenantId, actorId: 'test' });
    const report = await runBilling(db, env, { upTo: '2026-12-04', issue: true, customerId: customer.id as CustomerId });
    expect(report.failed).toEqual([{ orderId: bad.id, code: 'unprocessable', message: 'simulated failure' }]);
    expect(report.created.map((c) => [c.orderId, c.gross.amount])).toEqual([[good.id, '375.00']]);
    expect(report.created[0]!.invoiceNumber).toMatch(/^2026-\d{5}$/);
    // nothing of the failed order was invoiced; the stored run says the same
    const badNow = await ok('GET', `/v1/orders/${bad.id}`);
    expect(badNow.lines[0].quantity_invoiced).toBe('0');
    const stored = await ok('GET', `/v1/billing-runs/${report.runId}`);
    expect(stored.failed).toEqual([{ order_id: bad.id, code: 'unprocessable', message: 'simulated failure' }]);
    expect(stored.created.map((c: any) => c.order_id)).toEqual([good.id]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
