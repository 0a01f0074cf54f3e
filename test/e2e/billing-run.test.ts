/**
 * The billing run (issue 5 part 1): one invoice per confirmed order with something invoiceable up to
 * a date, optionally issued; the others skipped with a reason; a failing order reported while the
 * rest go through; stored runs readable; an Idempotency-Key retry replays the report. Per customer:
 * one invoice per customer and payment terms over its orders (lines keep their orders), totals equal
 * to the per-order invoices they replace, numbered in sequence, valid UBL, a line credited.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { pdfText } from '../support/pdf.js';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { runBilling } from '../../src/app/invoicing/billing-run.js';
import { createInvoiceForOrders } from '../../src/app/invoicing/create-customer-invoice.js';
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

/**
 * Per customer (billing_grouping per_customer, or group_by customer on the run): one invoice per
 * (customer, currency, payment terms) with the lines of all that customer's confirmed orders.
 */
const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/validate-ubl.sh');

describe.each(TEST_DATABASES)('billing run per customer [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);
  const dir = mkdtempSync(join(tmpdir(), `q2c-billing-run-${kind}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function customer(name: string) {
    return ok('POST', '/v1/customers', {
      name, country: 'SE', currency: 'SEK', payment_terms_days: 30, org_number: '556036-0793', vat_number: 'SE556036079301',
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });
  }
  /** quote → send → accept → confirm, then ships and delivers everything on `on`. */
  async function deliveredOrder(customerId: string, terms: number, lines: unknown[], on: string) {
    const quote = await ok('POST', '/v1/quotes', { customer_id: customerId, payment_terms_days: terms, lines });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const o = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${o.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${o.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, { delivered_on: on });
    return o;
  }
  const digits = (n: string) => Number(n.slice(-5));

  it('makes one invoice per customer and terms, each order line once, numbered in sequence; UBL valid; a line credited', async () => {
    // bad settings change nothing
    const bad = await call('PATCH', '/v1/settings/company', { billing_grouping: 'per_week' });
    expect(bad.status).toBe(400);
    expect((await ok('GET', '/v1/settings/company')).billing_grouping).toBe('per_order');
    expect((await ok('PATCH', '/v1/settings/company', { billing_grouping: 'per_customer' })).billing_grouping).toBe('per_customer');

    const c = await customer('Samlingskund AB');
    // A (30 days): 4 × 1495.00 − 10 % = 5980.00 − 598.00 = 5382.00 at 25 % (VAT 1345.50); 2 × 300.00 = 600.00 at 6 % (VAT 36.00)
    //   its own invoice: net 5982.00, VAT 1381.50, gross 7363.50
    const a = await deliveredOrder(c.id, 30, [
      { description: 'Skruvdragare 18 V', quantity: '4', unit_price: '1495.00', tax_class: 'standard', discount_percent: '10' },
      { description: 'Handbok i bokföring', quantity: '2', unit_price: '300.00', tax_class: 'reduced_6' },
    ], '2026-12-01');
    // B (30 days): 4 × 250.00 = 1000.00 at 25 % (VAT 250.00); its own invoice: gross 1250.00
    const b = await deliveredOrder(c.id, 30, [{ description: 'Hyllsystem', quantity: '4', unit_price: '250.00', tax_class: 'standard' }], '2026-12-03');
    // C (10 days, other terms): 2 × 800.00 = 1600.00 at 25 % (VAT 400.00); gross 2000.00
    const cc = await deliveredOrder(c.id, 10, [{ description: 'Montage', quantity: '2', unit_price: '800.00', tax_class: 'standard' }], '2026-12-02');

    const run = await ok('POST', '/v1/billing-runs', { up_to: '2026-12-04', issue: true, customer_id: c.id });
    expect(run.group_by).toBe('customer');
    expect(run.failed).toEqual([]);
    expect(run.skipped).toEqual([]);
    // A + B: 25 % taxable 5382.00 + 1000.00 = 6382.00 → VAT 1595.50; 6 % 600.00 → 36.00;
    //   net 6982.00 + VAT 1631.50 = 8613.50 = 7363.50 + 1250.00 (the two per-order invoices it replaces)
    expect(run.created.map((x: any) => [x.orders.map((o: any) => o.order_number), x.gross])).toEqual([
      [[a.number, b.number], { amount: '8613.50', currency: 'SEK' }],
      [[cc.number], { amount: '2000.00', currency: 'SEK' }],
    ]);
    expect(run.created[0].order_id).toBe(a.id);
    const [nAB, nC] = run.created.map((x: any) => x.invoice_number as string);
    expect(nAB).toMatch(/^2026-\d{5}$/);
    expect(digits(nC!)).toBe(digits(nAB!) + 1);

    const ab = await ok('GET', `/v1/invoices/${run.created[0].invoice_id}`);
    expect(ab.status).toBe('issued');
    expect(ab.order_id).toBeNull();
    expect(ab.payment_terms_days).toBe(30);
    expect(ab.delivery_date).toBe('2026-12-03');
    expect(ab.due_date).toBe('2027-01-03');
    expect([ab.net_total.amount, ab.vat_total.amount, ab.gross_total.amount]).toEqual(['6982.00', '1631.50', '8613.50']);
    expect(ab.lines.map((l: any) => [l.line_no, l.order_id, l.order_line_no, l.quantity, l.net_amount.amount])).toEqual([
      [1, a.id, 1, '4', '5382.00'],
      [2, a.id, 2, '2', '600.00'],
      [3, b.id, 1, '4', '1000.00'],
    ]);
    const invC = await ok('GET', `/v1/invoices/${run.created[1].invoice_id}`);
    expect(invC.order_id).toBe(cc.id);
    expect(invC.payment_terms_days).toBe(10);
    expect(invC.gross_total.amount).toBe('2000.00');

    // each order line invoiced exactly once
    const all = (await ok('GET', `/v1/invoices?customer_id=${c.id}`)).data;
    expect(all.length).toBe(2);
    const keys = all.flatMap((i: any) => i.lines.map((l: any) => `${l.order_id}/${l.order_line_no}`)).sort();
    expect(keys).toEqual([`${a.id}/1`, `${a.id}/2`, `${b.id}/1`, `${cc.id}/1`].sort());
    for (const o of [a, b, cc]) {
      for (const l of (await ok('GET', `/v1/orders/${o.id}`)).lines) expect(l.quantity_invoiced).toBe(l.quantity);
    }

    // a second run invoices nothing
    const again = await ok('POST', '/v1/billing-runs', { up_to: '2026-12-04', customer_id: c.id });
    expect(again.created).toEqual([]);
    expect(Object.fromEntries(again.skipped.map((k: any) => [k.order_id, k.reason]))).toEqual({
      [a.id]: 'nothing_to_invoice', [b.id]: 'nothing_to_invoice', [cc.id]: 'nothing_to_invoice',
    });
    expect((await ok('GET', `/v1/invoices?customer_id=${c.id}`)).data.length).toBe(2);

    // the UBL of the multi-order invoice: no single OrderReference (BT-13); the buyer reference is the invoice number
    const ubl = await t.server.inject({ method: 'GET', url: `/v1/invoices/${ab.id}/ubl`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(ubl.statusCode, ubl.body).toBe(200);
    expect(ubl.body).not.toContain('<cac:OrderReference>');
    expect(ubl.body).toContain(`<cbc:BuyerReference>${ab.number}</cbc:BuyerReference>`);
    expect(ubl.body).toContain(`<cbc:Note>Ordrar: ${a.number}, ${b.number}</cbc:Note>`);
    const file = join(dir, `${ab.number}.xml`);
    writeFileSync(file, ubl.body);
    expect(existsSync(VALIDATOR)).toBe(true);
    const r = spawnSync('bash', [VALIDATOR, '--quiet', file], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.status, output).toBe(0);
    expect(output).not.toMatch(/\bfatal\b/i);

    // the PDF prints each line's order number
    const pdf = await t.server.inject({ method: 'GET', url: `/v1/invoices/${ab.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toContain(`${a.number}: Skruvdragare 18 V`);
    expect(text).toContain(`${a.number}: Handbok i bokföring`);
    expect(text).toContain(`${b.number}: Hyllsystem`);

    // crediting lines of two orders in one note is refused and changes nothing
    const mixed = await call('POST', `/v1/invoices/${ab.id}/credit-notes`, {
      lines: [{ invoice_line_no: 1, quantity: '1' }, { invoice_line_no: 3, quantity: '1' }], reason: 'Två order',
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.param).toBe('lines');
    // one of B's units credited: 250.00 + 25 % = 312.50, on order B's line 1 only
    const note = await ok('POST', `/v1/invoices/${ab.id}/credit-notes`, { lines: [{ invoice_line_no: 3, quantity: '1' }], reason: 'Skadad hylla' });
    expect(note.order_id).toBe(b.id);
    const issuedNote = await ok('POST', `/v1/credit-notes/${note.id}/issue`, {});
    expect(issuedNote.gross_total.amount).toBe('312.50');
    expect((await ok('GET', `/v1/orders/${b.id}`)).lines[0].quantity_credited).toBe('1');
    expect((await ok('GET', `/v1/orders/${a.id}`)).lines.map((l: any) => l.quantity_credited)).toEqual(['0', '0']);
    await assertLedgerInvariants(t.db, t.tenantId);
  }, 180_000);

  it("deducts each order's advances only from that order's lines", async () => {
    const c = await customer('Förskottskund AB');
    // D: 2 × 500.00 = 1000.00 at 25 %; a 100 % deposit: 1000.00 + 250.00 = 1250.00, issued; then 1 of 2 delivered
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: c.id, payment_terms_days: 30, lines: [{ description: 'Maskin', quantity: '2', unit_price: '500.00', tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const d = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${d.id}/confirm`);
    const deposit = await ok('POST', `/v1/orders/${d.id}/advance-invoices`, { kind: 'deposit', percent: '100', issue: true });
    expect(deposit.gross_total.amount).toBe('1250.00');
    const del = await ok('POST', `/v1/orders/${d.id}/deliveries`, { lines: [{ order_line_no: 1, quantity: '1' }] });
    await ok('POST', `/v1/deliveries/${del.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${del.id}/deliver`, { delivered_on: '2026-12-01' });
    // E: 2000.00 at 25 % = 2500.00 gross, no advance
    const e = await deliveredOrder(c.id, 30, [{ description: 'Service', quantity: '1', unit_price: '2000.00', tax_class: 'standard' }], '2026-12-02');

    const run = await ok('POST', '/v1/billing-runs', { customer_id: c.id, group_by: 'customer', issue: true });
    expect(run.failed).toEqual([]);
    expect(run.created.map((x: any) => x.orders.map((o: any) => o.order_id))).toEqual([[d.id, e.id]]);
    const inv = await ok('GET', `/v1/invoices/${run.created[0].invoice_id}`);
    // gross 625.00 (D's 1 unit: 500.00 + 125.00) + 2500.00 = 3125.00; D's deposit is deducted up to D's part only:
    // prepaid 625.00 (net 500.00 + VAT 125.00), though 1250.00 is left of it; due 3125.00 − 625.00 = 2500.00 (E's part)
    expect(inv.gross_total.amount).toBe('3125.00');
    expect(inv.prepaid.amount).toBe('625.00');
    expect(inv.amount_due.amount).toBe('2500.00');
    expect(inv.advance_deductions.map((x: any) => [x.advance_invoice_id, x.net_amount.amount, x.vat_amount.amount])).toEqual([
      [deposit.id, '500.00', '125.00'],
    ]);
    // the rest of the deposit (625.00) is deducted from D's second unit
    await ok('POST', `/v1/orders/${d.id}/deliveries`, {}).then(async (x: any) => {
      await ok('POST', `/v1/deliveries/${x.id}/ship`, {});
      await ok('POST', `/v1/deliveries/${x.id}/deliver`, { delivered_on: '2026-12-03' });
    });
    const last = await ok('POST', '/v1/billing-runs', { customer_id: c.id, group_by: 'customer', issue: true });
    const lastInv = await ok('GET', `/v1/invoices/${last.created[0].invoice_id}`);
    expect(lastInv.order_id).toBe(d.id);
    expect([lastInv.gross_total.amount, lastInv.prepaid.amount, lastInv.amount_due.amount]).toEqual(['625.00', '625.00', '0.00']);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('createInvoiceForOrders refuses orders of different customers, currencies or terms, naming the order', async () => {
    const c1 = await customer('Kund Ett AB');
    const c2 = await customer('Kund Två AB');
    const line = [{ description: 'Skruv', quantity: '1', unit_price: '100.00', tax_class: 'standard' }];
    const x = await deliveredOrder(c1.id, 30, line, '2026-12-01');
    const y = await deliveredOrder(c2.id, 30, line, '2026-12-01');
    const z = await deliveredOrder(c1.id, 20, line, '2026-12-01');
    const env = envFor(t.deps, { tenantId: t.tenantId, actorId: 'test' });
    const attempt = (ids: string[]) =>
      t.db.transaction(t.tenantId, (s) => createInvoiceForOrders(s, env, { orderIds: ids as OrderId[] })).then(
        () => { throw new Error('expected a refusal'); },
        (e: unknown) => e as DomainError,
      );
    expect(await attempt([x.id, y.id])).toMatchObject({ code: 'validation_failed', param: 'order_ids.1' });
    expect(await attempt([x.id, z.id])).toMatchObject({ code: 'validation_failed', param: 'order_ids.1' });
    expect(await attempt([x.id, x.id])).toMatchObject({ code: 'validation_failed', param: 'order_ids' });
    expect(await attempt([])).toMatchObject({ code: 'validation_failed', param: 'order_ids' });
    // nothing was invoiced by the refusals
    for (const o of [x, y, z]) expect((await ok('GET', `/v1/orders/${o.id}`)).lines[0].quantity_invoiced).toBe('0');
    // x alone: an ordinary invoice of its order; then it has nothing left
    const inv = await t.db.transaction(t.tenantId, (s) => createInvoiceForOrders(s, env, { orderIds: [x.id as OrderId] }));
    expect([inv.orderId, inv.grossTotalMinor]).toEqual([x.id, 12_500n]); // 100.00 + 25 %
    expect(await attempt([x.id])).toMatchObject({ code: 'nothing_to_invoice' });
  });

  it('group_by on the run overrides the setting; a bad group_by is refused', async () => {
    // the tenant is per_customer since the test above: group_by order makes one invoice per order
    const c = await customer('Enskild Order AB');
    const a = await deliveredOrder(c.id, 30, [{ description: 'Skruv', quantity: '1', unit_price: '100.00', tax_class: 'standard' }], '2026-12-01');
    const b = await deliveredOrder(c.id, 30, [{ description: 'Mutter', quantity: '2', unit_price: '100.00', tax_class: 'standard' }], '2026-12-01');
    const badRun = await call('POST', '/v1/billing-runs', { customer_id: c.id, group_by: 'week' });
    expect(badRun.status).toBe(400);
    expect((await ok('GET', `/v1/invoices?customer_id=${c.id}`)).data.length).toBe(0);
    const run = await ok('POST', '/v1/billing-runs', { customer_id: c.id, group_by: 'order' });
    expect(run.group_by).toBe('order');
    // 100.00 + 25 % = 125.00; 200.00 + 25 % = 250.00
    expect(run.created.map((x: any) => [x.order_id, x.orders.map((o: any) => o.order_id), x.gross.amount])).toEqual([
      [a.id, [a.id], '125.00'],
      [b.id, [b.id], '250.00'],
    ]);
    for (const x of run.created) expect((await ok('GET', `/v1/invoices/${x.invoice_id}`)).order_id).toBe(x.order_id);

    // and with the default setting back, group_by customer groups
    await ok('PATCH', '/v1/settings/company', { billing_grouping: 'per_order' });
    const c2 = await customer('Grupperad Kund AB');
    const d = await deliveredOrder(c2.id, 30, [{ description: 'Skruv', quantity: '1', unit_price: '100.00', tax_class: 'standard' }], '2026-12-01');
    const e = await deliveredOrder(c2.id, 30, [{ description: 'Mutter', quantity: '2', unit_price: '100.00', tax_class: 'standard' }], '2026-12-02');
    const grouped = await ok('POST', '/v1/billing-runs', { customer_id: c2.id, group_by: 'customer' });
    // 300.00 + 25 % = 375.00 = 125.00 + 250.00
    expect(grouped.created.map((x: any) => [x.orders.map((o: any) => o.order_id), x.gross.amount, x.invoice_number])).toEqual([
      [[d.id, e.id], '375.00', null],
    ]);
    const draft = await ok('GET', `/v1/invoices/${grouped.created[0].invoice_id}`);
    expect(draft.status).toBe('draft');
    expect(draft.order_id).toBeNull();
    expect(draft.delivery_date).toBe('2026-12-02');
    await assertLedgerInvariants(t.db, t.tenantId);
  });
  it('q2c jobs run --billing --group-by customer groups; a bad --group-by is refused', async () => {
    const c = await customer('Kommandorad AB');
    const d = await deliveredOrder(c.id, 30, [{ description: 'Skruv', quantity: '3', unit_price: '10.00', tax_class: 'standard' }], '2026-12-01');
    const e = await deliveredOrder(c.id, 30, [{ description: 'Mutter', quantity: '1', unit_price: '20.00', tax_class: 'standard' }], '2026-12-01');
    async function q2c(...args: string[]): Promise<string[]> {
      const lines: string[] = [];
      const wiring: CliWiring = { deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} };
      await buildProgram({
        wire: async () => wiring,
        serve: async () => ({ url: 'x' }),
        out: (l) => lines.push(l),
        request: async () => { throw new Error('not used'); },
      }).parseAsync(['node', 'q2c', ...args]);
      return lines;
    }
    await expect(q2c('jobs', 'run', '--billing', '--group-by', 'week')).rejects.toThrow(/--group-by must be 'order' or 'customer'/);
    await expect(q2c('jobs', 'run', '--group-by', 'customer')).rejects.toThrow(/need --billing/);
    expect((await ok('GET', `/v1/invoices?customer_id=${c.id}`)).data.length).toBe(0);
    const out = await q2c('jobs', 'run', '--billing', '--group-by', 'customer', '--up-to', '2026-12-04');
    // 30.00 + 20.00 = 50.00 net, + 25 % = 62.50 on one draft
    const line = out.find((l) => l.includes(d.number));
    expect(line).toMatch(new RegExp(`^  ${d.number}, ${e.number} → inv_\\w+ 62\\.50 SEK$`));
    const invoices = (await ok('GET', `/v1/invoices?customer_id=${c.id}`)).data;
    expect(invoices.map((i: any) => [i.order_id, i.gross_total.amount, i.lines.length])).toEqual([[null, '62.50', 2]]);
  });
});
