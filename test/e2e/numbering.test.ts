/**
 * Invoice numbers come from a locked counter row inside the issuing transaction: 20 issues in
 * parallel get exactly the next 20 numbers, no duplicates and no gaps; the journal entries they
 * post are numbered the same way. On PostgreSQL the requests really run concurrently (a pool of
 * connections); on PGlite they queue on its single connection.
 */
import { describe, expect, it } from 'vitest';
import { Chain } from '../../src/app/demo/chain.js';
import { createInvoice } from '../../src/app/invoicing/create-invoice.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const PARALLEL = 20;

describe.each(TEST_DATABASES)('invoice numbering under concurrency [%s]', (kind) => {
  const t = useTestApp(kind);

  it(`issues ${PARALLEL} invoices in parallel with strictly sequential numbers`, async () => {
    const chain = new Chain(t.deps, t.tenantId);
    const customer = await chain.customer({ name: 'Parallell AB' });
    const product = await chain.product('PAR-1', 'Parallel part', '10.00');
    const quote = await chain.send(
      await chain.quote(customer.id, [{ productId: product.id, quantity: String(PARALLEL) }]),
    );
    const order = await chain.confirm(await chain.accept(quote));
    const drafts = [];
    for (let i = 0; i < PARALLEL; i++) {
      await chain.deliver(order, [{ orderLineNo: 1, quantity: '1' }]);
      drafts.push(await chain.run((s, env) => createInvoice(s, env, { orderId: order.id })));
    }
    const responses = await Promise.all(
      drafts.map((d) =>
        t.server.inject({ method: 'POST', url: `/v1/invoices/${d.id}/issue`, headers: { authorization: `Bearer ${t.apiKey}` }, payload: {} }),
      ),
    );
    for (const r of responses) expect(r.statusCode, r.body).toBe(200);
    const numbers = responses.map((r) => (r.json() as { number: string }).number).sort();
    const year = numbers[0]!.slice(0, 4);
    expect(numbers).toEqual(Array.from({ length: PARALLEL }, (_, i) => `${year}-${String(i + 1).padStart(5, '0')}`));
    const refs = new Set(responses.map((r) => (r.json() as { payment_reference: string }).payment_reference));
    expect(refs.size).toBe(PARALLEL);

    const entries = await t.db.store(t.tenantId).journal.list({ limit: 100 });
    const jeNumbers = entries.data.map((e) => e.number).sort((a, b) => a - b);
    expect(jeNumbers).toEqual(Array.from({ length: PARALLEL }, (_, i) => i + 1));
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
