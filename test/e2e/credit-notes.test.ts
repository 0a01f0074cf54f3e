/**
 * Credit notes over HTTP, on every configured database: whole and partial credits of an issued
 * invoice with exact amounts, the limit (never more than invoiced), a credit on a (partly) paid
 * invoice that becomes customer credit on 2420, gapless numbering in its own series, and a claim's
 * credit request turned into a credit note. The ledger invariants hold after each.
 */
import { describe, expect, it } from 'vitest';
import { asId } from '../../src/core/shared/ids.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { deliveredOrder } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const sek = (amount: string) => ({ amount, currency: 'SEK' });

describe.each(TEST_DATABASES)('credit notes [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  const krediteradOrder = () =>
    deliveredOrder(t, { name: 'Krediterad AB', country: 'SE', currency: 'SEK' }, [
      { description: 'Lampa', quantity: '3', unit_price: '999.00', tax_class: 'standard', discount_percent: '10' },
      { description: 'Bok', quantity: '2', unit_price: '150.00', tax_class: 'reduced_6' },
    ]);

  /** 3 × 999.00 − 10 % = 2 697.30 (VAT 25 % 674.33) + 2 × 150.00 = 300.00 (VAT 6 % 18.00) → 3 689.63 */
  async function issuedInvoice() {
    const o = await krediteradOrder();
    const draft = await ok('POST', '/v1/invoices', { order_id: o.order.id });
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(invoice.gross_total).toEqual(sek('3689.63'));
    return { ...o, invoice };
  }

  async function entryOf(sourceId: string) {
    const page = await t.db.store(t.tenantId).journal.list({ limit: 10 }, { sourceId });
    expect(page.data).toHaveLength(1);
    return page.data[0]!.lines.map((l) => [l.account, l.debitMinor, l.creditMinor]);
  }

  it('credits a whole unpaid invoice: open item to 0, the reverse posting, order lines credited', async () => {
    const { order, invoice } = await issuedInvoice();
    const draft = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Fel kund' }, { 'idempotency-key': `cn-${invoice.id}` });
    expect(draft).toMatchObject({ object: 'credit_note', status: 'draft', number: null, invoice_id: invoice.id, gross_total: sek('3689.63') });
    expect(draft.id).toMatch(/^crn_/);
    expect(draft.lines.map((l: any) => [l.invoice_line_no, l.quantity, l.net_amount.amount])).toEqual([[1, '3', '2697.30'], [2, '2', '300.00']]);
    // replay with the same key returns the first response
    const replay = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Fel kund' }, { 'idempotency-key': `cn-${invoice.id}` });
    expect(replay.id).toBe(draft.id);

    const issued = await ok('POST', `/v1/credit-notes/${draft.id}/issue`, {}, { 'idempotency-key': `issue-${draft.id}` });
    expect(issued.status).toBe('issued');
    expect(issued.number).toMatch(/^KF-2026-\d{4}$/);
    expect(issued.receivable_credited).toEqual(sek('3689.63'));
    expect(issued.customer_credit).toEqual(sek('0.00'));
    const after = await ok('GET', `/v1/invoices/${invoice.id}`);
    expect(after.amount_due).toEqual(sek('0.00'));
    expect(await entryOf(draft.id)).toEqual([
      ['3001', 269730n, 0n], ['2611', 67433n, 0n], ['3003', 30000n, 0n], ['2631', 1800n, 0n], ['1510', 0n, 368963n],
    ]);
    const lines = (await ok('GET', `/v1/orders/${order.id}`)).lines;
    // net_invoiced stays what the invoices billed; the credit is the credited quantity (never invoiced again)
    expect(lines.map((l: any) => [l.quantity_invoiced, l.quantity_credited, l.net_invoiced.amount])).toEqual([['3', '3', '2697.30'], ['2', '2', '300.00']]);

    // nothing left to credit
    const again = await call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Igen' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('quantity_exceeds_open');
    // an issued credit note cannot be issued again
    const twice = await call('POST', `/v1/credit-notes/${draft.id}/issue`, {});
    expect(twice.status).toBe(409);
    const got = await ok('GET', `/v1/credit-notes/${draft.id}`);
    expect(got).toEqual(issued);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('credits part of a line pro rata with exact amounts, and never more than was invoiced', async () => {
    const { customer, invoice } = await issuedInvoice();
    const both = await call('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ invoice_line_no: 1, quantity: '1' }], amount: { net_amount: sek('1.00'), vat_rate: '25' }, reason: 'Båda',
    });
    expect(both.status).toBe(400);
    const noSuchLine = await call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 9, quantity: '1' }], reason: 'X' });
    expect(noSuchLine.status).toBe(400);
    expect(noSuchLine.body.error.param).toBe('lines.0.invoice_line_no');
    const one = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'En lampa trasig',
    });
    // 1 of 3: gross 2 997.00 / 3 = 999.00, net 2 697.30 / 3 = 899.10, VAT 25 % = 224.775 → 224.78
    expect(one.lines).toEqual([expect.objectContaining({
      invoice_line_no: 1, quantity: '1', gross_amount: sek('999.00'), discount_amount: sek('99.90'), net_amount: sek('899.10'),
    })]);
    expect([one.net_total, one.vat_total, one.gross_total]).toEqual([sek('899.10'), sek('224.78'), sek('1123.88')]);
    await ok('POST', `/v1/credit-notes/${one.id}/issue`, {});
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).amount_due).toEqual(sek('2565.75'));

    const tooMany = await call('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '2.0001' }], reason: 'För mycket' });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'quantity_exceeds_open', param: 'lines.0.quantity' });
    const tooMuch = await call('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      amount: { net_amount: sek('300.01'), vat_rate: '6' }, reason: 'Rabatt',
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('quantity_exceeds_open');

    // the rest of the line takes exactly what is left: 2 697.30 − 899.10 = 1 798.20, VAT 674.33 − 224.78 = 449.55
    const rest = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '2' }], reason: 'Resten' });
    expect([rest.net_total, rest.vat_total]).toEqual([sek('1798.20'), sek('449.55')]);
    // an amount at one rate: 100.00 + 6 % = 106.00
    const amount = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { amount: { net_amount: sek('100.00'), vat_rate: '6' }, reason: 'Prisavdrag' });
    expect(amount.lines).toEqual([expect.objectContaining({ invoice_line_no: null, quantity: null, net_amount: sek('100.00'), vat_category: 'S' })]);
    expect(amount.gross_total).toEqual(sek('106.00'));
    await ok('POST', `/v1/credit-notes/${rest.id}/issue`, {});
    await ok('POST', `/v1/credit-notes/${amount.id}/issue`, {});
    // 3 689.63 − 1 123.88 − 2 247.75 − 106.00 = 212.00
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).amount_due).toEqual(sek('212.00'));
    // the aging report counts the credit notes too
    const aging = JSON.stringify(await ok('GET', `/v1/reports/aging?customer_id=${customer.id}`));
    expect(aging).toContain('212.00');
    expect(aging).not.toContain('3689.63');
    const list = await ok('GET', `/v1/credit-notes?invoice_id=${invoice.id}`);
    expect(list.data.map((c: any) => c.id)).toEqual([one.id, rest.id, amount.id]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('turns what exceeds the open amount of a partly paid invoice into customer credit on 2420', async () => {
    const { customer, invoice } = await issuedInvoice();
    const payment = await ok('POST', '/v1/payments', { amount: sek('3500.00'), reference_text: `OCR ${invoice.payment_reference}` });
    await ok('POST', `/v1/payments/${payment.id}/apply`, {});
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).amount_due).toEqual(sek('189.63'));

    // both books: 300.00 + 18.00 = 318.00; 189.63 was open, 128.37 becomes customer credit
    const draft = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 2, quantity: '2' }], reason: 'Returnerade böcker' });
    const issued = await ok('POST', `/v1/credit-notes/${draft.id}/issue`, {});
    expect(issued.gross_total).toEqual(sek('318.00'));
    expect(issued.receivable_credited).toEqual(sek('189.63'));
    expect(issued.customer_credit).toEqual(sek('128.37'));
    expect(await entryOf(draft.id)).toEqual([['3003', 30000n, 0n], ['2631', 1800n, 0n], ['1510', 0n, 18963n], ['2420', 0n, 12837n]]);
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).amount_due).toEqual(sek('0.00'));
    const balance = await ok('GET', `/v1/customers/${customer.id}/balance`);
    expect(JSON.stringify(balance)).toContain('"credit":{"amount":"128.37","currency":"SEK"}');
    const s = t.db.store(t.tenantId);
    expect(await s.journal.accountBalance('2420', asId('customer', customer.id))).toEqual([{ currency: 'SEK', balanceMinor: -12837n }]);
    expect((await s.payments.get(payment.id))?.unappliedMinor).toBe(12837n);

    // and a credit on the now fully settled invoice goes to customer credit in full
    const more = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'Lampa' });
    const moreIssued = await ok('POST', `/v1/credit-notes/${more.id}/issue`, {});
    expect(moreIssued.receivable_credited).toEqual(sek('0.00'));
    expect(moreIssued.customer_credit).toEqual(sek('1123.88'));
    expect((await s.payments.get(payment.id))?.unappliedMinor).toBe(12837n + 112388n);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('numbers credit notes sequentially in their own series, leaving invoice numbers alone', async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { invoice } = await issuedInvoice();
      expect(invoice.number).toMatch(/^2026-\d{5}$/);
      const draft = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 2, quantity: '1' }], reason: `Nr ${i}` });
      const issued = await ok('POST', `/v1/credit-notes/${draft.id}/issue`, {});
      const m = /^KF-2026-(\d{4})$/.exec(issued.number);
      expect(m).not.toBeNull();
      numbers.push(Number(m![1]));
    }
    expect(numbers).toEqual([numbers[0], numbers[0]! + 1, numbers[0]! + 2]);
    const all = await ok('GET', '/v1/credit-notes?limit=100');
    const issued = all.data.filter((c: any) => c.status === 'issued').map((c: any) => Number(c.number.slice(-4))).sort((a: number, b: number) => a - b);
    expect(issued).toEqual(issued.map((_: number, i: number) => i + 1));
  });

  it('credits a wrong-item claim through its credit request, and marks the request credited', async () => {
    const { order, delivery } = await krediteradOrder();
    const { claims } = await ok('POST', `/v1/deliveries/${delivery.id}/claims`, {
      lines: [{ delivery_line_no: 1, reason: 'wrong_item', quantity: '1', description: 'Fel färg' }],
    });
    await ok('POST', `/v1/claims/${claims[0].id}/resolutions`, { kind: 'return', quantity: '1' });
    await ok('POST', `/v1/claims/${claims[0].id}/resolutions/0/receive-return`, { quantity: '1', disposition: 'scrap' });
    const [request] = (await ok('GET', `/v1/credit-requests?order_id=${order.id}`)).data;
    expect(request).toMatchObject({ kind: 'return', status: 'open', net_amount: sek('899.10') });

    const early = await call('POST', `/v1/credit-requests/${request.id}/credit-note`);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('invoice_not_issued');

    const draftInvoice = await ok('POST', '/v1/invoices', { order_id: order.id });
    const invoice = await ok('POST', `/v1/invoices/${draftInvoice.id}/issue`, {});
    const draft = await ok('POST', `/v1/credit-requests/${request.id}/credit-note`, undefined, { 'idempotency-key': `crq-${request.id}` });
    expect(draft).toMatchObject({ invoice_id: invoice.id, credit_request_id: request.id, status: 'draft', net_total: sek('899.10') });
    expect(draft.reason).toContain(claims[0].number);
    expect(draft.lines).toEqual([expect.objectContaining({ invoice_line_no: 1, order_line_no: 1, quantity: '1' })]);
    // one credit note per request
    const second = await call('POST', `/v1/credit-requests/${request.id}/credit-note`);
    expect(second.status).toBe(409);

    expect((await ok('GET', `/v1/credit-requests?order_id=${order.id}`)).data[0].status).toBe('open');
    await ok('POST', `/v1/credit-notes/${draft.id}/issue`, {});
    expect((await ok('GET', `/v1/credit-requests?order_id=${order.id}`)).data[0].status).toBe('credited');
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines[0]).toMatchObject({
      quantity_invoiced: '3', quantity_credited: '1', net_invoiced: sek('2697.30'),
    });
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
