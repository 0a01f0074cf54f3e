/**
 * Claims (issue 4 part 8): a damaged-goods claim put right by a replacement delivery; a wrong-item
 * claim by a return (RMA) and a credit request for exactly the quantity received, at the frozen
 * order price (pro rata of the discounted net, as core creditForQuantity prices it); credits, price
 * concessions, rejection; claim.reported / claim.resolved / claim.rejected in the outbox; and
 * dunning_paused on the invoice while a claim on its order lines is open.
 */
import { describe, expect, it } from 'vitest';
import { creditForQuantity } from '../../src/core/claims/claims.js';
import { money, parseMoney } from '../../src/core/money/money.js';
import { parsePercent, parseQuantity, ZERO_D } from '../../src/core/money/quantity.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { stockMismatches, stockTrackedProduct } from '../support/stock.js';

describe.each(TEST_DATABASES)('claims [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  /** An order with the given lines, confirmed, wholly delivered on 2026-12-02. */
  async function delivered(lines: Record<string, unknown>[]) {
    const customer = await ok('POST', '/v1/customers', { name: 'Reklamerande AB', country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, lines });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    const delivery = await ok('POST', `/v1/deliveries/${d.id}/deliver`, { delivered_on: '2026-12-02' });
    return { order: await ok('GET', `/v1/orders/${order.id}`), delivery };
  }

  const report = async (deliveryId: string, lines: Record<string, unknown>[]) => {
    const r = await ok('POST', `/v1/deliveries/${deliveryId}/claims`, { lines });
    return r.claims as any[];
  };

  const eventsFor = async (claimId: string) =>
    (await t.kysely.selectFrom('outbox').select(['event_type', 'payload']).where('tenant_id', '=', t.tenantId).orderBy('id').execute())
      .filter((e) => (e.payload as { id?: string }).id === claimId)
      .map((e) => e.event_type);

  it('resolves a damaged-goods claim with a replacement delivery', async () => {
    const { order, delivery } = await delivered([{ description: 'Vas', quantity: '5', unit_price: '200.00', tax_class: 'standard' }]);
    const [claim] = await report(delivery.id, [{ delivery_line_no: 1, reason: 'damaged', quantity: '2', description: 'Två vaser kom sönder' }]);
    expect(claim).toMatchObject({ status: 'open', reason: 'damaged', quantity: '2', order_id: order.id, order_line_no: 1, reported_by: 'staff', resolutions: [] });
    expect(claim.number).toMatch(/^CLM-2026-\d{4}$/);

    // a replacement of more than claimed is refused
    const tooMany = await call('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'replacement', quantity: '3' });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.code).toBe('quantity_exceeds_open');

    const withReplacement = await ok('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'replacement', quantity: '2' });
    expect(withReplacement.resolutions).toEqual([
      expect.objectContaining({ index: 0, kind: 'replacement', status: 'pending', complete: false, quantity: '2', delivery_id: null }),
    ]);
    expect(withReplacement.status).toBe('open');

    const wrongKind = await call('POST', `/v1/claims/${claim.id}/resolutions/0/receive-return`, { quantity: '1', disposition: 'scrap' });
    expect(wrongKind.status).toBe(409);

    const shipped = await ok('POST', `/v1/claims/${claim.id}/resolutions/0/ship-replacement`);
    expect(shipped.status).toBe('resolved');
    expect(shipped.closed_at).toBe('2026-12-04T10:00:00.000Z');
    expect(shipped.resolutions[0]).toMatchObject({ status: 'shipped', complete: true });
    const replacement = await ok('GET', `/v1/deliveries/${shipped.resolutions[0].delivery_id}`);
    expect(replacement).toMatchObject({ kind: 'replacement', claim_id: claim.id, status: 'created', order_id: order.id });
    expect(replacement.lines).toEqual([expect.objectContaining({ order_line_no: 1, quantity: '2' })]);

    const line = (await ok('GET', `/v1/orders/${order.id}`)).lines[0];
    expect(line).toMatchObject({ quantity_replacement: '2', quantity_delivered: '5', quantity_allocated: '7' });

    // the replacement ships and is delivered like any delivery
    await ok('POST', `/v1/deliveries/${replacement.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${replacement.id}/deliver`, {});

    expect(await eventsFor(claim.id)).toEqual(['claim.reported', 'claim.resolved']);
    const again = await call('POST', `/v1/claims/${claim.id}/resolutions/0/ship-replacement`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('claim_not_open');
    // no credit for a replacement
    expect((await ok('GET', `/v1/credit-requests?order_id=${order.id}`)).data).toEqual([]);
  });

  it('resolves a wrong-item claim with a return and credits exactly the quantity received at the frozen order price', async () => {
    // 10 × 333.33 = 3333.30 − 7.5 % = 3083.30 (rounded): pro rata, 2 units are 616.66, not 2 × 333.33
    const { order, delivery } = await delivered([
      { description: 'Lampa', quantity: '10', unit_price: '333.33', discount_percent: '7.5', tax_class: 'standard' },
    ]);
    const line = order.lines[0];
    const [claim] = await report(delivery.id, [{ delivery_line_no: 1, reason: 'wrong_item', quantity: '3', description: 'Fel modell' }]);

    const withReturn = await ok('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'return', quantity: '3' });
    const rma = withReturn.resolutions[0].rma_number;
    expect(rma).toMatch(/^RMA-2026-\d{4}$/);
    expect(withReturn.resolutions[0]).toMatchObject({ kind: 'return', status: 'expected', quantity: '3', received: null });

    const tooMany = await call('POST', `/v1/claims/${claim.id}/resolutions/0/receive-return`, { quantity: '4', disposition: 'restock' });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error.code).toBe('quantity_exceeds_open');

    // only 2 of the 3 came back
    const received = await ok('POST', `/v1/claims/${claim.id}/resolutions/0/receive-return`, { quantity: '2', disposition: 'restock' });
    expect(received.status).toBe('resolved');
    expect(received.resolutions[0]).toMatchObject({
      status: 'credited', complete: true, rma_number: rma, received: { quantity: '2', disposition: 'restock' },
    });

    const expected = creditForQuantity({
      ordered: parseQuantity(line.quantity, 'q'),
      orderedGross: parseMoney(line.gross_amount.amount, 'SEK', 'g'),
      orderedNet: parseMoney(line.net_amount.amount, 'SEK', 'n'),
      alreadyCredited: ZERO_D,
      alreadyCreditedNet: money(0n, 'SEK'),
      quantity: parseQuantity('2', 'q'),
      vatRate: parsePercent(line.vat_rate, 'v'),
    });
    expect(line.net_amount.amount).toBe('3083.30');
    expect(expected.net.minor).toBe(61666n);
    const requests = await ok('GET', `/v1/credit-requests?order_id=${order.id}`);
    expect(requests.data).toEqual([
      expect.objectContaining({
        claim_id: claim.id, kind: 'return', quantity: '2', order_line_no: 1, status: 'open', vat_rate: '25',
        net_amount: { amount: '616.66', currency: 'SEK' },
      }),
    ]);
    expect(received.resolutions[0].credit_request_id).toBe(requests.data[0].id);

    const after = (await ok('GET', `/v1/orders/${order.id}`)).lines[0];
    expect(after).toMatchObject({ quantity_returned: '2', quantity_credited: '0' });
    expect(await eventsFor(claim.id)).toEqual(['claim.reported', 'claim.resolved']);

    // a credit on the same line continues the running total: 2 + 5 of 10 credited
    const [second] = await report(delivery.id, [{ delivery_line_no: 1, reason: 'not_as_described', quantity: '5', description: 'Fel färg' }]);
    const credited = await ok('POST', `/v1/claims/${second.id}/resolutions`, { kind: 'credit', quantity: '5' });
    expect(credited.status).toBe('resolved');
    const next = creditForQuantity({
      ordered: parseQuantity('10', 'q'),
      orderedGross: parseMoney(line.gross_amount.amount, 'SEK', 'g'),
      orderedNet: parseMoney(line.net_amount.amount, 'SEK', 'n'),
      alreadyCredited: parseQuantity('2', 'q'),
      alreadyCreditedNet: money(61666n, 'SEK'),
      quantity: parseQuantity('5', 'q'),
      vatRate: parsePercent('25', 'v'),
    });
    const all = await ok('GET', `/v1/credit-requests?order_id=${order.id}`);
    expect(all.data.map((r: any) => [r.kind, r.quantity, r.net_amount.amount])).toEqual([
      ['return', '2', '616.66'],
      ['credit', '5', (Number(next.net.minor) / 100).toFixed(2)],
    ]);
    // 3 + 5 of 10 claimed on the delivery line: only 2 left
    const over = await call('POST', `/v1/deliveries/${delivery.id}/claims`, { lines: [{ delivery_line_no: 1, reason: 'other', quantity: '3', description: 'x' }] });
    expect(over.body.error.code).toBe('quantity_exceeds_open');
  });

  it('books a received return of a stock-tracked product back into stock (restock) under the claim', async () => {
    await ok('POST', '/v1/warehouses', { code: 'RET', name: 'Returlager' });
    const product = await stockTrackedProduct(ok, 'RET-1');
    await ok('POST', '/v1/stock/receipts', { product_id: product.id, quantity: '10', reference: 'PO-RET' });
    const { order, delivery } = await delivered([{ product_id: product.id, quantity: '3' }]);
    const [claim] = await report(delivery.id, [{ delivery_line_no: 1, reason: 'wrong_item', quantity: '2', description: 'Fel storlek' }]);
    await ok('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'return', quantity: '2' });
    const received = await ok('POST', `/v1/claims/${claim.id}/resolutions/0/receive-return`, { quantity: '2', disposition: 'restock' });
    expect(received.status).toBe('resolved');
    const movements = await t.kysely
      .selectFrom('stock_movements')
      .select(['kind', 'quantity', 'on_hand_delta', 'reference_id'])
      .where('tenant_id', '=', t.tenantId)
      .where('product_id', '=', product.id)
      .where('kind', '=', 'return_restock')
      .execute();
    expect(movements).toHaveLength(1);
    expect(movements[0]).toMatchObject({ reference_id: claim.id });
    expect(Number(movements[0]!.on_hand_delta)).toBe(2);
    expect(await stockMismatches(t)).toEqual([]);
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines[0].quantity_returned).toBe('2');
    const requests = await ok('GET', `/v1/credit-requests?order_id=${order.id}`);
    expect(requests.data.map((r: any) => [r.kind, r.quantity, r.net_amount.amount])).toEqual([['return', '2', '200.00']]);
  });

  it('makes price concessions credit requests for an amount, capped at the claimed quantity\'s order value', async () => {
    const { order, delivery } = await delivered([{ description: 'Soffa', quantity: '1', unit_price: '8000.00', tax_class: 'standard' }]);
    const [claim] = await report(delivery.id, [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Repa i tyget' }]);
    const tooMuch = await call('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'price_concession', amount: '8000.01' });
    expect(tooMuch.status).toBe(422);
    const missing = await call('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'price_concession', quantity: '1' });
    expect(missing.status).toBe(400);
    const conceded = await ok('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'price_concession', amount: { amount: '750.00', currency: 'SEK' } });
    expect(conceded.status).toBe('resolved');
    expect(conceded.resolutions[0]).toMatchObject({ kind: 'price_concession', status: 'requested', amount: { amount: '750.00', currency: 'SEK' }, quantity: null });
    const requests = await ok('GET', `/v1/credit-requests?order_id=${order.id}`);
    expect(requests.data).toEqual([expect.objectContaining({ kind: 'price_concession', quantity: null, net_amount: { amount: '750.00', currency: 'SEK' } })]);
  });

  it('rejects a claim with the reason the customer sees (claim.rejected)', async () => {
    const { order, delivery } = await delivered([{ description: 'Matta', quantity: '2', unit_price: '900.00', tax_class: 'standard' }]);
    const [claim] = await report(delivery.id, [{ delivery_line_no: 1, reason: 'other', quantity: '1', description: 'Luktar' }]);
    const empty = await call('POST', `/v1/claims/${claim.id}/reject`, { reason: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.param).toBe('reason');
    const rejected = await ok('POST', `/v1/claims/${claim.id}/reject`, { reason: 'Lukten försvinner efter några dagar' });
    expect(rejected).toMatchObject({ status: 'rejected', rejection_reason: 'Lukten försvinner efter några dagar' });
    expect(await eventsFor(claim.id)).toEqual(['claim.reported', 'claim.rejected']);
    const twice = await call('POST', `/v1/claims/${claim.id}/reject`, { reason: 'Igen' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('claim_not_open');
    const late = await call('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'credit', quantity: '1' });
    expect(late.body.error.code).toBe('claim_not_open');

    // a rejected claim releases its quantity: both units can be reported again
    const [again] = await report(delivery.id, [{ delivery_line_no: 1, reason: 'damaged', quantity: '2', description: 'Fläckar' }]);
    expect(again.status).toBe('open');

    const list = await ok('GET', `/v1/claims?order_id=${order.id}&status=rejected`);
    expect(list.data.map((c: any) => c.id)).toEqual([claim.id]);
    const got = await ok('GET', `/v1/claims/${claim.id}`);
    expect(got).toMatchObject({ id: claim.id, status: 'rejected', photos: [] });
    expect((await call('GET', '/v1/claims/clm_nope')).status).toBe(404);
    expect((await call('GET', '/v1/claims?status=closed')).status).toBe(400);
  });

  it('lists claims by delivery and by a search over number, description, order number and customer name', async () => {
    const a = await delivered([{ description: 'Bokhylla', quantity: '3', unit_price: '1500.00', tax_class: 'standard' }]);
    const b = await delivered([{ description: 'Soffbord', quantity: '1', unit_price: '2500.00', tax_class: 'standard' }]);
    await ok('PATCH', `/v1/customers/${b.order.customer_id}`, { name: 'Sökbar Design AB' });
    const [onA] = await report(a.delivery.id, [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Repig sida' }]);
    const [onB] = await report(b.delivery.id, [{ delivery_line_no: 1, reason: 'missing', quantity: '1', description: 'Skruvpåsen saknas' }]);
    const ids = async (query: string) => (await ok('GET', `/v1/claims?${query}`)).data.map((c: any) => c.id);

    expect(await ids(`delivery_id=${a.delivery.id}`)).toEqual([onA.id]);
    // the numbers and the customer a person reads beside the claim, in the list and on GET
    const labels = { order_number: b.order.number, delivery_number: b.delivery.number, customer_id: b.order.customer_id, customer_name: 'Sökbar Design AB' };
    expect((await ok('GET', `/v1/claims?delivery_id=${b.delivery.id}`)).data[0]).toMatchObject({ id: onB.id, ...labels });
    expect(await ok('GET', `/v1/claims/${onB.id}`)).toMatchObject(labels);
    expect(await ids(`delivery_id=${b.delivery.id}`)).toEqual([onB.id]);
    expect(await ids(`q=${encodeURIComponent('skruvpåsen')}`)).toEqual([onB.id]); // description, any case
    expect(await ids(`q=${encodeURIComponent('sökbar')}`)).toEqual([onB.id]); // customer name
    expect(await ids(`q=${encodeURIComponent(a.order.number)}`)).toEqual([onA.id]); // order number
    expect(await ids(`q=${encodeURIComponent(onA.number)}`)).toEqual([onA.id]); // claim number
    expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual([]); // a wildcard is a character
    expect(await ids(`q=${encodeURIComponent('repig')}&delivery_id=${b.delivery.id}`)).toEqual([]);
    const unknown = await call('GET', '/v1/claims?delivery_id=dlv_nope');
    expect([unknown.status, unknown.body.error.param]).toEqual([404, 'delivery_id']);
    const bad = await call('GET', '/v1/claims?q=');
    expect([bad.status, bad.body.error.param]).toEqual([400, 'q']);
  });

  it('pauses dunning of the invoice while a claim on its order lines is open', async () => {
    const { order, delivery } = await delivered([
      { description: 'Hylla', quantity: '4', unit_price: '250.00', tax_class: 'standard' },
      { description: 'Skruv', quantity: '100', unit_price: '1.00', tax_class: 'standard' },
    ]);
    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(invoice.dunning_paused).toBe(false);

    const [claim] = await report(delivery.id, [{ delivery_line_no: 2, reason: 'missing', quantity: '10', description: 'Tio skruvar saknas' }]);
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).dunning_paused).toBe(true);
    const listed = await ok('GET', `/v1/invoices?customer_id=${order.customer_id}`);
    expect(listed.data.find((i: any) => i.id === invoice.id).dunning_paused).toBe(true);

    await ok('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'credit', quantity: '10' });
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).dunning_paused).toBe(false);
    const relisted = await ok('GET', `/v1/invoices?customer_id=${order.customer_id}`);
    expect(relisted.data.find((i: any) => i.id === invoice.id).dunning_paused).toBe(false);
  });
});
