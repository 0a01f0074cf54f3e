/**
 * Aging as of a date: an invoice issued in the past, partly paid today. As of a day before the
 * payment the whole amount is open; as of today only the rest, in the bucket its days past due say.
 */
import { describe, expect, it } from 'vitest';
import { Chain } from '../../src/app/demo/chain.js';
import { createInvoice } from '../../src/app/invoicing/create-invoice.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

describe.each(TEST_DATABASES)('AR aging as of a date [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });

  it('reports what was open on the as-of date, bucketed by days past due', async () => {
    const { ok } = client(t);
    const chain = new Chain(t.deps, t.tenantId);
    const customer = await chain.customer({ name: 'Sen Betalare AB', paymentTermsDays: 30 });
    const product = await chain.product('AGE-1', 'Aged item', '800.00');
    const order = await chain.confirm(await chain.accept(await chain.send(await chain.quote(customer.id, [{ productId: product.id, quantity: '1' }]))));
    await chain.deliver(order);
    const draft = await chain.run((s, env) => createInvoice(s, env, { orderId: order.id }));
    // issued 2026-10-01, due 2026-10-31; 1000.00 SEK gross
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, { issue_date: '2026-10-01' });
    expect(invoice.due_date).toBe('2026-10-31');
    const pay = await ok('POST', '/v1/payments', { amount: { amount: '400.00', currency: 'SEK' }, reference_text: invoice.payment_reference });
    await ok('POST', `/v1/payments/${pay.id}/apply`, {});

    const before = await ok('GET', `/v1/reports/aging?as_of=2026-11-15&customer_id=${customer.id}`);
    const beforeText = JSON.stringify(before);
    expect(before.rows).toHaveLength(1);
    // 15 days past due → 0–30 bucket, the whole 1000.00 (the payment came later)
    expect(beforeText).toContain('1000.00');
    expect(before.rows[0].buckets.days_0_30).toEqual({ amount: '1000.00', currency: 'SEK' });
    expect(before.rows[0].total).toEqual({ amount: '1000.00', currency: 'SEK' });

    const now = await ok('GET', `/v1/reports/aging?as_of=2026-12-04&customer_id=${customer.id}`);
    // 34 days past due → 31–60 bucket, 600.00 left
    expect(now.rows[0].buckets.days_31_60).toEqual({ amount: '600.00', currency: 'SEK' });
    expect(now.rows[0].buckets.days_0_30).toEqual({ amount: '0.00', currency: 'SEK' });
    expect(now.totals[0].total).toEqual({ amount: '600.00', currency: 'SEK' });
    expect(JSON.stringify(now)).not.toContain('1000.00');

    const beforeIssue = await ok('GET', `/v1/reports/aging?as_of=2026-09-30&customer_id=${customer.id}`);
    expect(beforeIssue.rows).toHaveLength(0);
  });
});
