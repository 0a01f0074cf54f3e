/**
 * Prices entered including VAT (B2C), through the API: a consumer's basket at 25 %, 12 % and 6 %
 * (docs/decisions/0009-prices-including-vat.md). The nets are derived per VAT rate so that net + VAT
 * gives the entered gross to the öre; the 12 % group's gross is one no net can produce, so the quote
 * and the order carry a rounding of 0.01 (BT-114). Accepted, delivered and invoiced, the invoice has
 * the same nets and the VAT per rate that EN 16931 gives (taxable × rate, rounded once per rate).
 *
 * Known figures (hand computed; VAT rounded half up once per rate):
 *   3 × 99.00 earphones, 25 %:       297.00 → net 237.60 (297.00 / 1.25), VAT 59.40
 *   1 × 49.90 coffee (food, 6 %) and
 *   2 × book, list price 121.70 net → consumer price round(121.70 × 1.06) = round(129.002) = 129.00
 *     6 % group 49.90 + 258.00 = 307.90 → taxable 290.47: 290.47 × 0.06 = 17.4282 → 17.43, and
 *     290.47 + 17.43 = 307.90. Lines: 49.90 / 1.06 = 47.075 → 47.08; 258.00 / 1.06 = 243.396 → 243.40;
 *     47.08 + 243.40 = 290.48, one öre over: the largest line (books) takes −0.01 → 243.39.
 *   1 × 109.90 breakfast (12 %): 98.12 × 0.12 = 11.7744 → 11.77, 98.12 + 11.77 = 109.89;
 *     98.13 × 0.12 = 11.7756 → 11.78, 98.13 + 11.78 = 109.91: no net gives 109.90 → net 98.12,
 *     VAT 11.77, rounding 0.01.
 *   Net 237.60 + 290.47 + 98.12 = 626.19; VAT 59.40 + 17.43 + 11.77 = 88.60; gross 714.79;
 *   rounding 0.01; payable 714.80 = 297.00 + 307.90 + 109.90, the entered gross.
 *   Net unit prices: 237.60 / 3 = 79.20; 47.08; 243.39 / 2 = 121.695 → 121.70; 98.12.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { invoiceRoundingOf } from '../../src/app/orders/totals.js';
import { ZERO_D, decimal4 } from '../../src/core/money/quantity.js';
import type { OrderLineRecord } from '../../src/app/ports.js';
import { pdfText } from '../support/pdf.js';

const sek = (amount: string) => ({ amount, currency: 'SEK' });
const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance/validate-ubl.sh');

/** The text of every `<cbc:name …>` element, in document order. */
function all(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<cbc:${name}(?: [^>]*)?>([^<]*)</cbc:${name}>`, 'g'))].map((m) => m[1] ?? '');
}

/** Postings as [account, debit, credit], sorted (account, then debit before credit). */
type Row = [string, bigint, bigint];
const sorted = (rows: Row[]): Row[] => [...rows].sort((a, b) => a[0].localeCompare(b[0]) || (a[1] > 0n ? -1 : 1) - (b[1] > 0n ? -1 : 1));

describe.each(TEST_DATABASES)('prices including VAT (B2C) [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const get = (url: string) => t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });
  const dir = mkdtempSync(join(tmpdir(), `q2c-rounding-ubl-${kind}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function entryOf(sourceId: string): Promise<Row[]> {
    const page = await t.db.store(t.tenantId).journal.list({ limit: 10 }, { sourceId });
    expect(page.data).toHaveLength(1);
    return sorted(page.data[0]!.lines.map((l) => [l.account, l.debitMinor, l.creditMinor] as Row));
  }

  /** The balance (debit − credit) of an account over the entries of the given sources. */
  async function balanceOf(account: string, sourceIds: string[]): Promise<bigint> {
    let total = 0n;
    for (const sourceId of sourceIds) {
      const page = await t.db.store(t.tenantId).journal.list({ limit: 10 }, { sourceId });
      for (const l of page.data.flatMap((e) => e.lines)) if (l.account === account) total += l.debitMinor - l.creditMinor;
    }
    return total;
  }

  let n = 0;
  /** `eAddress`: with an org.nr and address, so the invoice can also be sent as an e-invoice (UBL). */
  async function basket(eAddress = false) {
    const customer = await ok('POST', '/v1/customers', {
      name: 'Anna Andersson', country: 'SE', currency: 'SEK',
      ...(eAddress ? { org_number: '556036-0793', address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' } } : {}),
    });
    const book = await ok('POST', '/v1/products', {
      sku: `BOK-${++n}`, name: 'Bok', tax_class: 'reduced_6', unit_prices: [{ amount: '121.70', currency: 'SEK' }],
    });
    const lines = [
      { description: 'Hörlurar', quantity: '3', unit_price: '99.00', tax_class: 'standard' },
      { description: 'Kaffe 500 g', quantity: '1', unit_price: '49.90', tax_class: 'food' },
      { product_id: book.id, quantity: '2' },
      { description: 'Frukostbuffé', quantity: '1', unit_price: '109.90', tax_class: 'reduced_12' },
    ];
    return { customer, book, lines };
  }

  it('derives the nets per rate, carries the 0.01 rounding, and invoices the same VAT per rate', async () => {
    const { customer, lines } = await basket(true);
    const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, prices_include_vat: true, lines });
    expect(quote.prices_include_vat).toBe(true);
    expect(quote.lines.map((l: any) => l.net_amount.amount)).toEqual(['237.60', '47.08', '243.39', '98.12']);
    expect(quote.lines.map((l: any) => l.unit_price.amount)).toEqual(['79.20', '47.08', '121.70', '98.12']);
    expect(quote.lines.map((l: any) => l.vat_rate)).toEqual(['25', '6', '6', '12']);
    expect(quote.net_total).toEqual(sek('626.19'));
    expect(quote.vat_total).toEqual(sek('88.60'));
    expect(quote.gross_total).toEqual(sek('714.79'));
    expect(quote.rounding).toEqual(sek('0.01'));
    expect(quote.payable_total).toEqual(sek('714.80'));
    // the book's net list price became the consumer price 129.00, as the trail shows
    expect(quote.lines[2].trail.map((s: any) => s.step)).toContain('prices_include_vat');
    expect(quote.lines[2].trail[0].unit_price).toEqual(sek('129.00'));
    // the quote PDF prints the rounding and the entered total
    const pdf = await t.server.inject({ method: 'GET', url: `/v1/quotes/${quote.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload);
    expect(text).toMatch(/Öresavrundning\s+0,01 SEK/);
    expect(text).toMatch(/Att betala\s+714,80 SEK/);

    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    expect(order.prices_include_vat).toBe(true);
    expect(order.lines.map((l: any) => l.net_amount.amount)).toEqual(['237.60', '47.08', '243.39', '98.12']);
    expect([order.net_total, order.vat_total, order.gross_total, order.rounding, order.payable_total]).toEqual(
      [sek('626.19'), sek('88.60'), sek('714.79'), sek('0.01'), sek('714.80')],
    );

    const orderPdf = await t.server.inject({ method: 'GET', url: `/v1/orders/${order.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(orderPdf.statusCode).toBe(200);
    const orderText = pdfText(orderPdf.rawPayload);
    expect(orderText).toMatch(/Öresavrundning\s+0,01 SEK/);
    expect(orderText).toMatch(/Totalt inkl\. moms\s+714,80 SEK/);

    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const before = await ok('GET', `/v1/orders/${order.id}`);
    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(invoice.lines.map((l: any) => l.net_amount.amount)).toEqual(['237.60', '47.08', '243.39', '98.12']);
    const byRate = Object.fromEntries(invoice.vat_breakdown.map((b: any) => [b.vat_rate, [b.taxable_amount.amount, b.vat_amount.amount]]));
    expect(byRate).toEqual({ '25': ['237.60', '59.40'], '12': ['98.12', '11.77'], '6': ['290.47', '17.43'] });
    expect(invoice.net_total).toEqual(sek('626.19'));
    expect(invoice.vat_total).toEqual(sek('88.60'));
    // net + VAT on the invoice is 714.79 (BT-112); the 0.01 rounding that brings it to the entered
    // 714.80 is on this invoice (it completes the order), by the rule of invoiceRoundingOf (ADR 0009)
    expect(invoice.gross_total).toEqual(sek('714.79'));
    expect([invoice.rounding, invoice.payable_total, invoice.amount_due, invoice.payment_status]).toEqual(
      [sek('0.01'), sek('714.80'), sek('714.80'), 'unpaid'],
    );
    expect(await ok('GET', `/v1/invoices/${invoice.id}`)).toEqual(invoice);
    const s = t.db.store(t.tenantId);
    const item = await s.openItems.getByInvoice(invoice.id);
    expect([item?.originalMinor, item?.openMinor, item?.baseOpenMinor]).toEqual([71480n, 71480n, 71480n]);
    // the journal: 1510 the 714.80 owed; revenue and VAT per rate as the breakdown; the öre to 3740
    // 23 760 + 5 940 + 9 812 + 1 177 + 29 047 + 1 743 + 1 = 71 480
    expect(await entryOf(invoice.id)).toEqual(sorted([
      ['1510', 71480n, 0n], ['3001', 0n, 23760n], ['2611', 0n, 5940n], ['3002', 0n, 9812n], ['2621', 0n, 1177n],
      ['3003', 0n, 29047n], ['2631', 0n, 1743n], ['3740', 0n, 1n],
    ]));
    // the database keeps the rounding frozen on the issued invoice
    await expect(sql`UPDATE invoices SET rounding_minor = 0 WHERE id = ${invoice.id}`.execute(t.kysely)).rejects.toThrow(/immutable/);

    // UBL: PayableRoundingAmount (BT-114) and PayableAmount = 714.79 − 0 + 0.01, through the official validators
    const ubl = await get(`/v1/invoices/${invoice.id}/ubl`);
    expect(ubl.statusCode, ubl.body).toBe(200);
    const xml = ubl.body;
    expect(all(xml, 'TaxInclusiveAmount')).toEqual(['714.79']);
    expect(all(xml, 'PayableRoundingAmount')).toEqual(['0.01']);
    expect(all(xml, 'PayableAmount')).toEqual(['714.80']);
    const file = join(dir, `${invoice.number}.xml`);
    writeFileSync(file, xml);
    expect(existsSync(VALIDATOR)).toBe(true);
    const r = spawnSync('bash', [VALIDATOR, '--quiet', file], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.status, output).toBe(0);
    expect(output).not.toMatch(/\bfatal\b/i);

    // PDF: the totals row "Öresavrundning" and 714,80 to pay
    const invoiceText = pdfText((await get(`/v1/invoices/${invoice.id}/pdf`)).rawPayload);
    expect(invoiceText).toMatch(/Öresavrundning\s+0,01 SEK/);
    expect(invoiceText).toMatch(/Att betala\s+714,80 SEK/);

    const orderLines = before.lines.map(
      (l: any): Pick<OrderLineRecord, 'lineNo' | 'quantity' | 'quantityCancelled' | 'quantityInvoiced'> => ({
        lineNo: l.line_no, quantity: decimal4(l.quantity), quantityCancelled: decimal4(l.quantity_cancelled), quantityInvoiced: ZERO_D,
      }),
    );
    const invoicing = invoice.lines.map((l: any) => ({ orderLineNo: l.order_line_no, quantity: decimal4(l.quantity) }));
    const rounding = invoiceRoundingOf({ roundingMinor: 1n, lines: orderLines as OrderLineRecord[] }, invoicing);
    expect(BigInt(invoice.gross_total.amount.replace('.', '')) + rounding).toBe(71480n);
    expect(BigInt(invoice.rounding.amount.replace('.', ''))).toBe(rounding);
    await assertLedgerInvariants(t.db, t.tenantId);
  }, 180_000);

  /** The basket quoted including VAT, accepted, confirmed, delivered in full and invoiced: 714.79 + 0.01. */
  async function roundedInvoice() {
    const { customer, lines } = await basket();
    const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, prices_include_vat: true, lines });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    expect([draft.gross_total, draft.rounding, draft.amount_due]).toEqual([sek('714.79'), sek('0.01'), sek('714.80')]);
    const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    return { customer, order, invoice };
  }

  it('a full credit note of the invoice reverses its rounding too: the open item closes to 0', async () => {
    const { customer, invoice } = await roundedInvoice();
    const note = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Ångrat köp' });
    // a credit note credits lines: 714.79, never the rounding itself
    expect(note.gross_total).toEqual(sek('714.79'));
    const issued = await ok('POST', `/v1/credit-notes/${note.id}/issue`, {});
    // the note's own split sums to its gross; the ledger also reverses the 0.01 (D 3740 / C 1510)
    expect([issued.receivable_credited, issued.customer_credit]).toEqual([sek('714.79'), sek('0.00')]);
    expect(await entryOf(note.id)).toEqual(sorted([
      ['3001', 23760n, 0n], ['2611', 5940n, 0n], ['3002', 9812n, 0n], ['2621', 1177n, 0n],
      ['3003', 29047n, 0n], ['2631', 1743n, 0n], ['3740', 1n, 0n], ['1510', 0n, 71480n],
    ]));
    const item = await t.db.store(t.tenantId).openItems.getByInvoice(invoice.id);
    expect([item?.openMinor, item?.baseOpenMinor]).toEqual([0n, 0n]);
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).amount_due).toEqual(sek('0.00'));
    // 3740 is back to 0 and the customer owes nothing
    expect(await balanceOf('3740', [invoice.id, note.id])).toBe(0n);
    const balance = await ok('GET', `/v1/customers/${customer.id}/balance`);
    expect(balance).toMatchObject({ balance_base: sek('0.00'), ledger_receivable: sek('0.00'), matches: true });
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('partial credit notes leave the rounding until the one that completes the credit', async () => {
    const { invoice } = await roundedInvoice();
    // first the earphones (237.60 + 59.40 = 297.00): the open item goes 714.80 → 417.80
    const first = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { reason: 'Retur', lines: [{ invoice_line_no: 1, quantity: '3' }] });
    await ok('POST', `/v1/credit-notes/${first.id}/issue`, {});
    expect(await entryOf(first.id)).toEqual(sorted([['3001', 23760n, 0n], ['2611', 5940n, 0n], ['1510', 0n, 29700n]]));
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).amount_due).toEqual(sek('417.80'));
    // then the rest (714.79 − 297.00 = 417.79): it completes the credit and takes the 0.01 too
    const rest = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, {
      reason: 'Retur', lines: [{ invoice_line_no: 2, quantity: '1' }, { invoice_line_no: 3, quantity: '2' }, { invoice_line_no: 4, quantity: '1' }],
    });
    expect(rest.gross_total).toEqual(sek('417.79'));
    await ok('POST', `/v1/credit-notes/${rest.id}/issue`, {});
    const lines = await entryOf(rest.id);
    expect(lines.filter((l) => l[0] === '3740' || l[0] === '1510')).toEqual([['1510', 0n, 41780n], ['3740', 1n, 0n]]);
    expect((await ok('GET', `/v1/invoices/${invoice.id}`)).amount_due).toEqual(sek('0.00'));
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('an amendment adds lines at their entered gross: the payable grows by exactly 109.90', async () => {
    const { customer, lines } = await basket();
    const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, prices_include_vat: true, lines });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    // a second breakfast at 109.90 incl. 12 %: on its own net 98.12 (VAT 11.77, rounding 0.01).
    // The order's 12 % group: 98.12 + 98.12 = 196.24, VAT 23.5488 → 23.55, gross 219.79 (it was
    // 109.89), so the order's gross grows by 109.90 and the rounding stays 0.01:
    // net 626.19 + 98.12 = 724.31; VAT 88.60 − 11.77 + 23.55 = 100.38; gross 824.69; payable 824.70.
    const amended = await ok('POST', `/v1/orders/${order.id}/amend`, { add: [lines[3]] });
    expect(amended.lines[4].net_amount).toEqual(sek('98.12'));
    expect([amended.net_total, amended.vat_total, amended.gross_total, amended.rounding, amended.payable_total]).toEqual(
      [sek('724.31'), sek('100.38'), sek('824.69'), sek('0.01'), sek('824.70')],
    );
    // and a second one more: 294.36 × 0.12 = 35.3232 → 35.32, group gross 329.68 (+109.89), so the
    // rounding becomes 0.02 and the payable 934.60 = 824.70 + 109.90
    const again = await ok('POST', `/v1/orders/${order.id}/amend`, { add: [lines[3]] });
    expect([again.gross_total, again.rounding, again.payable_total]).toEqual([sek('934.58'), sek('0.02'), sek('934.60')]);
  });

  it('keeps the entered prices when the flag is switched on a draft, and refuses a bad flag naming the field', async () => {
    const { customer, lines } = await basket();
    const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, prices_include_vat: true, lines });
    // net prices now: 3 × 99.00 + 49.90 + 2 × 121.70 + 109.90 = 700.20 net, no rounding
    const net = await ok('PATCH', `/v1/quotes/${quote.id}`, { prices_include_vat: false });
    expect(net.prices_include_vat).toBe(false);
    expect(net.net_total).toEqual(sek('700.20'));
    expect(net.rounding).toEqual(sek('0.00'));
    expect(net.payable_total).toEqual(net.gross_total);
    const back = await ok('PATCH', `/v1/quotes/${quote.id}`, { prices_include_vat: true });
    expect([back.net_total, back.gross_total, back.rounding, back.payable_total]).toEqual([sek('626.19'), sek('714.79'), sek('0.01'), sek('714.80')]);

    const bad = await call('PATCH', `/v1/quotes/${quote.id}`, { prices_include_vat: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('prices_include_vat');
    const unchanged = await ok('GET', `/v1/quotes/${quote.id}`);
    expect(unchanged.payable_total).toEqual(sek('714.80'));
  });

  it('in the portal: accepting the options as the version chose them keeps the rounding; another choice is refused, naming the field', async () => {
    const { customer, lines } = await basket();
    // the 12 % breakfast as an unselected option: in the totals 297.00 + 307.90 = 604.90, no rounding
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      prices_include_vat: true,
      lines: [lines[0], lines[1], lines[2], { ...lines[3], optional: true }],
    });
    expect([quote.gross_total, quote.rounding]).toEqual([sek('604.90'), sek('0.00')]);
    // not in the totals, the option is converted on its own: 109.90 / 1.12 = 98.125 → 98.13
    expect(quote.lines[3].net_amount).toEqual(sek('98.13'));
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const link = await ok('POST', `/v1/quotes/${quote.id}/portal-links`);
    const path = new URL(link.url as string).pathname;
    const accept = (selected: string[]) =>
      t.server.inject({
        method: 'POST',
        url: `${path}/accept`,
        headers: { accept: 'application/json', 'user-agent': 'PortalTest/1.0' },
        payload: { signer_name: 'Anna Andersson', consent: true, selected_optional_line_keys: selected },
      });
    const other = await accept([quote.lines[3].line_key]);
    expect(other.statusCode).toBe(422);
    expect(other.json().error.param).toBe('selected_optional_line_keys');
    const same = await accept([]);
    expect(same.statusCode).toBe(201);
    const order = same.json().order;
    expect([order.gross_total, order.rounding, order.payable_total, order.prices_include_vat]).toEqual([sek('604.90'), sek('0.00'), sek('604.90'), true]);
    expect(order.lines).toHaveLength(3);
  });

  it('a net-priced quote is unchanged: no rounding, prices_include_vat false', async () => {
    const { customer, lines } = await basket();
    const quote = await ok('POST', '/v1/quotes', { customer_id: customer.id, lines });
    expect(quote.prices_include_vat).toBe(false);
    expect(quote.net_total).toEqual(sek('700.20'));
    // VAT: 297.00 × 0.25 = 74.25; (49.90 + 243.40) × 0.06 = 17.598 → 17.60; 109.90 × 0.12 = 13.188 → 13.19
    expect(quote.vat_total).toEqual(sek('105.04'));
    expect(quote.rounding).toEqual(sek('0.00'));
  });
});

describe('invoiceRoundingOf: the rounding goes on the invoice that completes the order', () => {
  const line = (lineNo: number, quantity: string, invoiced = '0', cancelled = '0') =>
    ({ lineNo, quantity: decimal4(quantity), quantityInvoiced: decimal4(invoiced), quantityCancelled: decimal4(cancelled) }) as OrderLineRecord;
  const q = (orderLineNo: number, quantity: string) => ({ orderLineNo, quantity: decimal4(quantity) });

  it('none on a partial invoice, all on the completing one, none after', () => {
    const order = { roundingMinor: 1n, lines: [line(1, '3'), line(2, '2')] };
    expect(invoiceRoundingOf(order, [q(1, '3')])).toBe(0n);
    expect(invoiceRoundingOf(order, [q(1, '3'), q(2, '2')])).toBe(1n);
    const partly = { roundingMinor: 1n, lines: [line(1, '3', '3'), line(2, '2', '1')] };
    expect(invoiceRoundingOf(partly, [q(2, '1')])).toBe(1n);
    const done = { roundingMinor: 1n, lines: [line(1, '3', '3'), line(2, '2', '2')] };
    expect(invoiceRoundingOf(done, [])).toBe(0n);
  });

  it('cancelled quantities do not have to be invoiced; a net-priced order has no rounding', () => {
    expect(invoiceRoundingOf({ roundingMinor: -1n, lines: [line(1, '3', '0', '1')] }, [q(1, '2')])).toBe(-1n);
    expect(invoiceRoundingOf({ roundingMinor: 0n, lines: [line(1, '3')] }, [q(1, '3')])).toBe(0n);
  });
});
