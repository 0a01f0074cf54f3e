/**
 * Advance invoices over HTTP (decision 0010), on every configured database: a 30 % deposit on an
 * order at 25 % and 12 %, paid, then deducted on the final invoice (prepaid, amount due, journal,
 * UBL 386 and PrepaidAmount through the official validators, PDF rows); two milestones by amount,
 * a partial invoice smaller than the advances (deducts up to its gross only) and the final; the
 * refusals; credit notes on an advance (only what is not deducted; 2429 instead of revenue); closing
 * an order with an advance not deducted. The ledger invariants hold after each scenario.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { pdfPages, requirePdftotext } from '../support/pdf.js';

const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/validate-ubl.sh');
const sek = (amount: string) => ({ amount, currency: 'SEK' });

/** The text of every `<cbc:name …>` element, in document order. */
function all(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<cbc:${name}(?: [^>]*)?>([^<]*)</cbc:${name}>`, 'g'))].map((m) => m[1] ?? '');
}

/** Postings as [account, debit, credit], sorted (account, then debit before credit). */
type Row = [string, bigint, bigint];
const sorted = (rows: Row[]): Row[] => [...rows].sort((a, b) => a[0].localeCompare(b[0]) || (a[1] > 0n ? -1 : 1) - (b[1] > 0n ? -1 : 1));

describe.each(TEST_DATABASES)('advance invoices [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);
  const get = (url: string) => t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });
  const dir = mkdtempSync(join(tmpdir(), `q2c-advance-ubl-${kind}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeAll(() => requirePdftotext());

  /**
   * A confirmed order of 10 × 1 000,00 at 25 % (net 10 000,00, VAT 2 500,00) and 40 × 50,00 at 12 %
   * (net 2 000,00, VAT 240,00): net 12 000,00, gross 14 740,00.
   */
  async function confirmedOrder(name: string) {
    const c = await ok('POST', '/v1/customers', {
      name, country: 'SE', currency: 'SEK', payment_terms_days: 30, org_number: '556036-0793', vat_number: 'SE556036079301',
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [
        { description: 'Konsultation', quantity: '10', unit_price: '1000.00', tax_class: 'standard' },
        { description: 'Lunch', quantity: '40', unit_price: '50.00', tax_class: 'reduced_12' },
      ],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    expect(order.net_total).toEqual(sek('12000.00'));
    return { customer: c, order };
  }

  async function deliverAndInvoice(orderId: string, lines?: { order_line_no: number; quantity: string }[]) {
    const d = await ok('POST', `/v1/orders/${orderId}/deliveries`, lines === undefined ? {} : { lines });
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const draft = await ok('POST', '/v1/invoices', { order_id: orderId });
    return ok('POST', `/v1/invoices/${draft.id}/issue`, {});
  }

  async function entryOf(sourceId: string): Promise<Row[]> {
    const page = await t.db.store(t.tenantId).journal.list({ limit: 10 }, { sourceId });
    expect(page.data).toHaveLength(1);
    return sorted(page.data[0]!.lines.map((l) => [l.account, l.debitMinor, l.creditMinor] as Row));
  }

  /** The balance (debit − credit) of an account over the whole journal. */
  async function balanceOf(account: string): Promise<bigint> {
    const page = await t.db.store(t.tenantId).journal.list({ limit: 100 });
    return page.data.flatMap((e) => e.lines).filter((l) => l.account === account).reduce((a, l) => a + l.debitMinor - l.creditMinor, 0n);
  }

  it('30 % deposit, paid, then deducted on the final invoice: figures, journal, UBL, PDF', async () => {
    const { order } = await confirmedOrder('Förskott AB');
    const deposit = await ok(
      'POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '30', issue: true }, { 'idempotency-key': `dep-${order.id}` },
    );
    // replay with the same key: the same invoice
    const replay = await ok('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '30', issue: true }, { 'idempotency-key': `dep-${order.id}` });
    expect(replay.id).toBe(deposit.id);
    // round(12 000,00 × 30 %) = 3 600,00 split 10 000 : 2 000 → 3 000,00 (VAT 25 % 750,00) and 600,00 (VAT 12 % 72,00)
    expect(deposit).toMatchObject({
      kind: 'deposit', status: 'issued', net_total: sek('3600.00'), vat_total: sek('822.00'), gross_total: sek('4422.00'),
      prepaid: sek('0.00'), amount_due: sek('4422.00'), advance_deductions: [],
    });
    expect(deposit.lines.map((l: any) => [l.description, l.quantity, l.unit, l.net_amount.amount, l.vat_rate])).toEqual([
      [`Förskott 30 % enligt order ${order.number}`, '1', 'C62', '3000.00', '25'],
      [`Förskott 30 % enligt order ${order.number}`, '1', 'C62', '600.00', '12'],
    ]);
    expect(await entryOf(deposit.id)).toEqual(sorted([
      ['1510', 442200n, 0n], ['2429', 0n, 360000n], ['2611', 0n, 75000n], ['2621', 0n, 7200n],
    ]));
    // the deposit invoiced no quantity of the order
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines.map((l: any) => l.quantity_invoiced)).toEqual(['0', '0']);

    // paid in full
    const payment = await ok('POST', '/v1/payments', { amount: sek('4422.00'), reference_text: `OCR ${deposit.payment_reference}` });
    await ok('POST', `/v1/payments/${payment.id}/apply`, {});
    expect((await ok('GET', `/v1/invoices/${deposit.id}`)).payment_status).toBe('paid');

    // everything delivered: the final invoice keeps the whole supply and deducts the deposit
    const final = await deliverAndInvoice(order.id);
    // 10 000,00 + 2 500,00 + 2 000,00 + 240,00 = 14 740,00; prepaid 4 422,00; due 14 740,00 − 4 422,00 = 10 318,00
    expect(final).toMatchObject({
      kind: 'standard', net_total: sek('12000.00'), vat_total: sek('2740.00'), gross_total: sek('14740.00'),
      prepaid: sek('4422.00'), amount_due: sek('10318.00'), payment_status: 'unpaid',
    });
    expect(final.advance_deductions.map((d: any) => [d.advance_invoice_number, d.vat_rate, d.net_amount.amount, d.vat_amount.amount])).toEqual([
      [deposit.number, '25', '3000.00', '750.00'],
      [deposit.number, '12', '600.00', '72.00'],
    ]);
    expect(await entryOf(final.id)).toEqual(sorted([
      ['1510', 1031800n, 0n], ['2429', 360000n, 0n], ['2611', 75000n, 0n], ['2621', 7200n, 0n],
      ['3001', 0n, 1000000n], ['2611', 0n, 250000n], ['3002', 0n, 200000n], ['2621', 0n, 24000n],
    ]));
    // net effect: 2429 back to 0; VAT = the VAT of the whole supply; 1510 = the full gross less the payment
    expect(await balanceOf('2429')).toBe(0n);
    expect(await balanceOf('2611')).toBe(-250000n);
    expect(await balanceOf('2621')).toBe(-24000n);
    expect(await balanceOf('1510')).toBe(1031800n);

    // UBL: the deposit a prepayment invoice (386); the final invoice with PrepaidAmount and a reference to it
    const files: string[] = [];
    const depositXml = (await get(`/v1/invoices/${deposit.id}/ubl`)).body;
    expect(all(depositXml, 'InvoiceTypeCode')).toEqual(['386']);
    expect(all(depositXml, 'PayableAmount')).toEqual(['4422.00']);
    const finalXml = (await get(`/v1/invoices/${final.id}/ubl`)).body;
    expect(all(finalXml, 'InvoiceTypeCode')).toEqual(['380']);
    expect(all(finalXml, 'TaxInclusiveAmount')).toEqual(['14740.00']);
    expect(all(finalXml, 'PrepaidAmount')).toEqual(['4422.00']);
    expect(all(finalXml, 'PayableAmount')).toEqual(['10318.00']);
    expect(finalXml.replace(/>\s+</g, '><')).toContain(
      `<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>${deposit.number}</cbc:ID><cbc:IssueDate>2026-12-04</cbc:IssueDate>`,
    );
    for (const [inv, xml] of [[deposit, depositXml], [final, finalXml]] as const) {
      const file = join(dir, `${inv.number}.xml`);
      writeFileSync(file, xml);
      files.push(file);
    }
    expect(existsSync(VALIDATOR)).toBe(true);
    const r = spawnSync('bash', [VALIDATOR, '--quiet', ...files], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.status, output).toBe(0);
    expect(output).not.toMatch(/\bfatal\b/i);

    // PDF: the deposit is titled "Förskottsfaktura"; the final prints the deduction row and "Att betala"
    const depositPdf = pdfPages((await get(`/v1/invoices/${deposit.id}/pdf`)).rawPayload).flat;
    expect(depositPdf).toMatch(new RegExp(`Förskottsfaktura\\s+${deposit.number}`));
    const finalPdf = pdfPages((await get(`/v1/invoices/${final.id}/pdf`)).rawPayload).flat;
    expect(finalPdf).toContain(`Avgår förskott enligt faktura ${deposit.number}: 3 600,00 + moms 822,00 = 4 422,00`);
    expect(finalPdf).toMatch(/Att betala\s+10 318,00 SEK/);
    const englishPdf = pdfPages((await get(`/v1/invoices/${final.id}/pdf?lang=en`)).rawPayload).flat;
    expect(englishPdf).toContain(`Less prepayment, invoice ${deposit.number}: 3,600.00 + VAT 822.00 = 4,422.00`);

    // the database refuses to change an issued invoice's deductions or its prepaid amount
    const before = await t.kysely.selectFrom('invoices').selectAll().where('id', '=', final.id).execute();
    for (const statement of [
      sql`UPDATE invoice_advance_deductions SET net_minor = 1 WHERE invoice_id = ${final.id}`,
      sql`DELETE FROM invoice_advance_deductions WHERE invoice_id = ${final.id}`,
      sql`INSERT INTO invoice_advance_deductions (tenant_id, invoice_id, line_no, advance_invoice_id, vat_category, vat_rate, net_minor, vat_minor)
          VALUES (${t.tenantId}, ${final.id}, 9, ${deposit.id}, 'S', 25, 1, 0)`,
      sql`UPDATE invoices SET prepaid_minor = 0 WHERE id = ${final.id}`,
      sql`UPDATE invoices SET kind = 'standard' WHERE id = ${deposit.id}`,
    ]) {
      await expect(statement.execute(t.kysely)).rejects.toThrow(/immutable/);
    }
    expect(await t.kysely.selectFrom('invoices').selectAll().where('id', '=', final.id).execute()).toEqual(before);
    expect((await ok('GET', `/v1/invoices/${final.id}`)).advance_deductions).toHaveLength(2);

    // everything invoiced and the deposit deducted: the order closes
    expect((await ok('POST', `/v1/orders/${order.id}/close`, {})).status).toBe('closed');
    await assertLedgerInvariants(t.db, t.tenantId);
  }, 180_000);

  it('two milestones by amount, a partial invoice smaller than the advances, then the final', async () => {
    const { order } = await confirmedOrder('Delfaktura AB');
    const m1 = await ok('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'milestone', amount: '3000.00', label: 'Milestone 1: design approved', issue: true });
    // 3 000,00 by 10 000 : 2 000 → 2 500,00 (VAT 625,00) + 500,00 (VAT 60,00) = 3 685,00
    expect(m1).toMatchObject({ kind: 'milestone', advance_label: 'Milestone 1: design approved', gross_total: sek('3685.00') });
    expect(m1.lines.map((l: any) => [l.description, l.net_amount.amount])).toEqual([['Milestone 1: design approved', '2500.00'], ['Milestone 1: design approved', '500.00']]);
    const m2 = await ok('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'milestone', amount: '6000.00', label: 'Milestone 2', issue: true });
    // 5 000,00 (VAT 1 250,00) + 1 000,00 (VAT 120,00) = 7 370,00
    expect(m2.gross_total).toEqual(sek('7370.00'));
    expect(await entryOf(m2.id)).toEqual(sorted([['1510', 737000n, 0n], ['2429', 0n, 600000n], ['2611', 0n, 125000n], ['2621', 0n, 12000n]]));

    // refusals: 3 000,00 of the order's 12 000,00 is left to invoice in advance; percent in (0, 100]
    const tooMuch = await call('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'milestone', amount: '3000.01' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: 'quantity_exceeds_open', param: 'amount' });
    for (const percent of ['101', '0', '-5']) {
      const bad = await call('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent });
      expect(bad.status, percent).toBe(400);
      expect(bad.body.error.param).toBe('percent');
    }
    const both = await call('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '10', amount: '100.00' });
    expect(both.status).toBe(400);
    expect((await call('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '26' })).body.error).toMatchObject({
      code: 'quantity_exceeds_open', param: 'percent', // 26 % = 3 120,00 > 3 000,00 left
    });
    expect((await ok('GET', `/v1/invoices?limit=100`)).data.filter((i: any) => i.order_id === order.id)).toHaveLength(2);

    // 2 of the 10 consultations: net 2 000,00 + VAT 500,00 = 2 500,00, all of it taken from milestone 1 at 25 %:
    // left there 2 500,00 + 625,00 = 3 125,00; net part round(2 500,00 × 2 500 / 3 125) = 2 000,00, VAT 500,00
    const partial = await deliverAndInvoice(order.id, [{ order_line_no: 1, quantity: '2' }]);
    expect(partial).toMatchObject({ gross_total: sek('2500.00'), prepaid: sek('2500.00'), amount_due: sek('0.00'), payment_status: 'paid' });
    expect(partial.advance_deductions.map((d: any) => [d.advance_invoice_id, d.vat_rate, d.net_amount.amount, d.vat_amount.amount])).toEqual([
      [m1.id, '25', '2000.00', '500.00'],
    ]);
    // nothing is owed on it: no receivable
    expect(await entryOf(partial.id)).toEqual(sorted([['2429', 200000n, 0n], ['2611', 50000n, 0n], ['3001', 0n, 200000n], ['2611', 0n, 50000n]]));
    await assertLedgerInvariants(t.db, t.tenantId);

    // the rest: 8 000,00 + 2 000,00 net, VAT 2 000,00 + 240,00 → 12 240,00. Left of the advances:
    // m1 25 % 500,00 + 125,00, m1 12 % 500,00 + 60,00, m2 25 % 5 000,00 + 1 250,00, m2 12 % 1 000,00 + 120,00 = 8 555,00
    const final = await deliverAndInvoice(order.id);
    expect(final).toMatchObject({ gross_total: sek('12240.00'), prepaid: sek('8555.00'), amount_due: sek('3685.00') });
    expect(final.advance_deductions.map((d: any) => [d.advance_invoice_id, d.vat_rate, d.net_amount.amount, d.vat_amount.amount])).toEqual([
      [m1.id, '25', '500.00', '125.00'],
      [m1.id, '12', '500.00', '60.00'],
      [m2.id, '25', '5000.00', '1250.00'],
      [m2.id, '12', '1000.00', '120.00'],
    ]);
    // D 2429 = 500 + 500 + 5 000 + 1 000 = 7 000,00; D 2611 = 125 + 1 250 = 1 375,00; D 2621 = 60 + 120 = 180,00
    expect(await entryOf(final.id)).toEqual(sorted([
      ['1510', 368500n, 0n], ['2429', 700000n, 0n], ['2611', 137500n, 0n], ['2621', 18000n, 0n],
      ['3001', 0n, 800000n], ['2611', 0n, 200000n], ['3002', 0n, 200000n], ['2621', 0n, 24000n],
    ]));
    expect(await balanceOf('2429')).toBe(0n);
    const finalXml = (await get(`/v1/invoices/${final.id}/ubl`)).body;
    expect(all(finalXml, 'PrepaidAmount')).toEqual(['8555.00']);
    expect(all(finalXml, 'PayableAmount')).toEqual(['3685.00']);
    expect(finalXml).toContain(`<cbc:ID>${m1.number}</cbc:ID>`);
    expect(finalXml).toContain(`<cbc:ID>${m2.number}</cbc:ID>`);
    // both milestones (386) and the final invoice with its two billing references pass the validators
    const files: string[] = [];
    for (const inv of [m1, final]) {
      const file = join(dir, `${inv.number}.xml`);
      writeFileSync(file, (await get(`/v1/invoices/${inv.id}/ubl`)).body);
      files.push(file);
    }
    const r = spawnSync('bash', [VALIDATOR, '--quiet', ...files], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, `${r.stdout ?? ''}${r.stderr ?? ''}`).toBe(0);
    const milestonePdf = pdfPages((await get(`/v1/invoices/${m1.id}/pdf`)).rawPayload).flat;
    expect(milestonePdf).toMatch(new RegExp(`Delfaktura\\s+${m1.number}`));
    const finalPdf = pdfPages((await get(`/v1/invoices/${final.id}/pdf`)).rawPayload).flat;
    expect(finalPdf).toContain(`Avgår förskott enligt faktura ${m1.number}: 1 000,00 + moms 185,00 = 1 185,00`);
    expect(finalPdf).toContain(`Avgår förskott enligt faktura ${m2.number}: 6 000,00 + moms 1 370,00 = 7 370,00`);

    // nothing is left to invoice in advance
    const nothing = await call('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '1' });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('nothing_to_invoice');
    expect((await ok('POST', `/v1/orders/${order.id}/close`, {})).status).toBe('closed');
    await assertLedgerInvariants(t.db, t.tenantId);
  }, 180_000);

  it('credits an advance only as far as it is not deducted, debiting 2429', async () => {
    const { order } = await confirmedOrder('Kreditförskott AB');
    const deposit = await ok('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '30', issue: true });
    // 2 consultations: 2 500,00 gross taken from the deposit's 25 % group (3 000,00 + 750,00):
    // net round(3 000,00 × 2 500 / 3 750) = 2 000,00, VAT 500,00; left there 1 000,00 + 250,00
    const partial = await deliverAndInvoice(order.id, [{ order_line_no: 1, quantity: '2' }]);
    expect(partial.prepaid).toEqual(sek('2500.00'));

    // the whole deposit cannot be credited any more: 3 000,00 at 25 % but only 1 000,00 is left
    const whole = await call('POST', `/v1/invoices/${deposit.id}/credit-notes`, { reason: 'Avbeställt' });
    expect(whole.status).toBe(409);
    expect(whole.body.error).toMatchObject({ code: 'quantity_exceeds_open', param: 'lines' });
    const over = await call('POST', `/v1/invoices/${deposit.id}/credit-notes`, { reason: 'För mycket', amount: { net_amount: sek('1000.01'), vat_rate: '25' } });
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'quantity_exceeds_open', param: 'amount.net_amount' });

    // 1 000,00 at 25 %: VAT round(1 000,00 × 25 %) = 250,00
    const cn = await ok('POST', `/v1/invoices/${deposit.id}/credit-notes`, { reason: 'Minskat förskott', amount: { net_amount: sek('1000.00'), vat_rate: '25' } });
    expect(cn.gross_total).toEqual(sek('1250.00'));
    const issued = await ok('POST', `/v1/credit-notes/${cn.id}/issue`, {});
    expect(issued.receivable_credited).toEqual(sek('1250.00'));
    expect(await entryOf(cn.id)).toEqual(sorted([['2429', 100000n, 0n], ['2611', 25000n, 0n], ['1510', 0n, 125000n]]));
    // the order lines were not touched by the advance's credit
    expect((await ok('GET', `/v1/orders/${order.id}`)).lines.map((l: any) => [l.quantity_invoiced, l.quantity_credited])).toEqual([['2', '0'], ['0', '0']]);

    // the rest of the order deducts only the 12 % group left (600,00 + 72,00)
    const final = await deliverAndInvoice(order.id);
    // 8 000,00 + 2 000,00 net, 2 000,00 + 240,00 VAT = 12 240,00; prepaid 672,00; due 11 568,00
    expect(final).toMatchObject({ gross_total: sek('12240.00'), prepaid: sek('672.00'), amount_due: sek('11568.00') });
    // the final invoice can be credited up to what was owed on it, 11 568,00; the deducted 672,00 is not reversed
    const wholeFinal = await call('POST', `/v1/invoices/${final.id}/credit-notes`, { reason: 'Allt' });
    expect(wholeFinal.status).toBe(409);
    expect(wholeFinal.body.error).toMatchObject({ code: 'quantity_exceeds_open', param: 'lines' });
    expect(await balanceOf('2429')).toBe(0n);
    expect((await ok('POST', `/v1/orders/${order.id}/close`, {})).status).toBe('closed');
    await assertLedgerInvariants(t.db, t.tenantId);
  }, 60_000);

  it('an order does not close while an issued advance is not deducted, unless it is credited', async () => {
    const { order } = await confirmedOrder('Ostängd AB');
    // a draft deposit is not deducted by the final invoice
    const draft = await ok('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', amount: '1200.00' });
    expect(draft).toMatchObject({ status: 'draft', kind: 'deposit', net_total: sek('1200.00') });
    const final = await deliverAndInvoice(order.id);
    expect(final.prepaid).toEqual(sek('0.00'));
    // 1 200,00 by 10 000 : 2 000 → 1 000,00 (VAT 250,00) + 200,00 (VAT 24,00) = 1 474,00
    const deposit = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(deposit.gross_total).toEqual(sek('1474.00'));
    const refused = await call('POST', `/v1/orders/${order.id}/close`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(`advance invoice ${deposit.number} is not fully deducted`);

    // credited in full: 2429 debited with the net, the VAT reversed
    const cn = await ok('POST', `/v1/invoices/${deposit.id}/credit-notes`, { reason: 'Förskott återkallat' });
    await ok('POST', `/v1/credit-notes/${cn.id}/issue`, {});
    expect(await entryOf(cn.id)).toEqual(sorted([['2429', 120000n, 0n], ['2611', 25000n, 0n], ['2621', 2400n, 0n], ['1510', 0n, 147400n]]));
    expect(await balanceOf('2429')).toBe(0n);
    expect((await ok('POST', `/v1/orders/${order.id}/close`, {})).status).toBe('closed');
    await assertLedgerInvariants(t.db, t.tenantId);
  }, 60_000);
});
