/**
 * Payments after receipt (issue 6) over HTTP on every configured database: partial payment,
 * overpayment to customer credit applied to another invoice and the rest refunded, underpayment
 * written off within the tenant's tolerance (3740) and refused beyond it, a bank fee withheld (6570),
 * unapply (reversing entries; the invoice is due again), a returned payment reopening two invoices,
 * and a EUR payment whose realised FX difference is reversed by an unapply and whose refund realises
 * its own. Every figure is computed by hand in a comment; the ledger invariants hold after each.
 *
 * The seeded tenant keeps the default tolerance: match_tolerance_minor 1000 (10.00 SEK), 0 basis points.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRate } from '../../src/core/money/fx.js';
import type { JournalEntryRecord } from '../../src/app/ports.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForCustomer } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const sek = (amount: string) => ({ amount, currency: 'SEK' });
const eur = (amount: string) => ({ amount, currency: 'EUR' });

describe.each(TEST_DATABASES)('payment adjustments: write-off, bank fee, unapply, refund, return, FX [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);

  beforeAll(async () => {
    // 1 EUR in SEK: 11.4325 from 1 Dec (the issue date, 4 Dec, uses it), 11.60 from 10 Dec, 11.20 from 15 Dec
    for (const [d, r] of [['2026-12-01', '11.4325'], ['2026-12-10', '11.60'], ['2026-12-15', '11.20']] as const) {
      await t.db.transaction(t.tenantId, (s) => s.exchangeRates.upsert({ currency: 'EUR', rateDate: d, rateScaled: parseRate(r, 'rate'), source: 'manual', updatedAt: new Date() }));
    }
  });

  async function customer(name: string, currency = 'SEK') {
    return ok('POST', '/v1/customers', {
      name, country: 'SE', currency, payment_terms_days: 30, org_number: '556036-0793', vat_number: 'SE556036079301',
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });
  }

  const invoice = (customerId: string) => issuedInvoiceForCustomer(t, customerId);

  const pay = (customerId: string, amount: { amount: string; currency: string }, receivedOn = '2026-12-04') =>
    ok('POST', '/v1/payments', { amount, received_on: receivedOn, customer_id: customerId });
  const getInvoice = (id: string) => ok('GET', `/v1/invoices/${id}`);

  async function entries(sourceId: string): Promise<JournalEntryRecord[]> {
    return (await t.db.store(t.tenantId).journal.list({ limit: 20 }, { sourceId })).data;
  }
  /** [account, debit, credit, amount_currency, amount] of the lines of an entry. */
  const lines = (e: JournalEntryRecord) => e.lines.map((l) => [l.account, l.debitMinor, l.creditMinor, l.amountCurrency, l.amountMinor]);

  async function events(type: string): Promise<Record<string, unknown>[]> {
    const rows = await t.kysely.selectFrom('outbox').select(['payload']).where('tenant_id', '=', t.tenantId).where('event_type', '=', type).execute();
    return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>);
  }

  it('partial payment: the invoice stays partly due', async () => {
    const c = await customer('Delbetalning AB');
    const inv = await invoice(c.id);
    const p = await pay(c.id, sek('500.00'));
    const applied = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id }] });
    // min(unapplied 500.00, open 1 250.00) = 500.00 applied; 750.00 still due
    expect(applied).toMatchObject({ unapplied_amount: sek('0.00'), status: 'received' });
    expect(applied.allocations).toHaveLength(1);
    expect(applied.allocations[0]).toMatchObject({ amount: sek('500.00'), write_off: sek('0.00'), bank_fee: sek('0.00'), reversed_at: null });
    expect(await getInvoice(inv.id)).toMatchObject({ amount_due: sek('750.00'), payment_status: 'partially_paid' });
    const [e] = await entries(applied.allocations[0].id);
    expect(lines(e!)).toEqual([['2420', 500_00n, 0n, null, null], ['1510', 0n, 500_00n, null, null]]);
    expect((await events('invoice.paid')).filter((x) => x.id === inv.id)).toHaveLength(0);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('overpayment becomes customer credit, is applied to another invoice, and the rest is refunded', async () => {
    const c = await customer('Överbetalning AB');
    const a = await invoice(c.id);
    const b = await invoice(c.id);
    const p = await pay(c.id, sek('2000.00'));
    // 2 000.00 against A's 1 250.00: A paid, 750.00 left as customer credit (2420)
    const first = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: a.id }] });
    expect(first).toMatchObject({ unapplied_amount: sek('750.00'), base_unapplied_amount: sek('750.00') });
    expect(await getInvoice(a.id)).toMatchObject({ amount_due: sek('0.00'), payment_status: 'paid' });
    expect((await events('invoice.paid')).filter((x) => x.id === a.id)).toHaveLength(1);
    // 500.00 of the credit to B: 250.00 left; B owes 750.00
    const second = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: b.id, amount: '500.00' }] });
    expect(second.unapplied_amount).toEqual(sek('250.00'));
    expect(await getInvoice(b.id)).toMatchObject({ amount_due: sek('750.00'), payment_status: 'partially_paid' });
    await assertLedgerInvariants(t.db, t.tenantId);

    // more than the 250.00 unapplied is refused and changes nothing
    const over = await call('POST', `/v1/payments/${p.id}/refunds`, { amount: sek('250.01'), refunded_on: '2026-12-04', reference: 'Återbetalning 1' });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'unprocessable', param: 'amount.amount' });
    const wrongCurrency = await call('POST', `/v1/payments/${p.id}/refunds`, { amount: eur('1.00'), reference: 'x' });
    expect(wrongCurrency.status).toBe(422);
    expect(wrongCurrency.body.error.param).toBe('amount.currency');
    expect((await ok('GET', `/v1/payments/${p.id}`)).unapplied_amount).toEqual(sek('250.00'));

    const refund = await ok('POST', `/v1/payments/${p.id}/refunds`, { amount: sek('250.00'), refunded_on: '2026-12-04', reference: 'Återbetalning 1' }, { 'idempotency-key': `refund-${p.id}` });
    expect(refund).toMatchObject({ object: 'refund', payment_id: p.id, amount: sek('250.00'), base_amount: sek('250.00'), bank_base_amount: sek('250.00'), fx_difference: sek('0.00') });
    // the same Idempotency-Key replays the refund, it does not pay out twice
    const again = await ok('POST', `/v1/payments/${p.id}/refunds`, { amount: sek('250.00'), refunded_on: '2026-12-04', reference: 'Återbetalning 1' }, { 'idempotency-key': `refund-${p.id}` });
    expect(again.id).toBe(refund.id);
    const after = await ok('GET', `/v1/payments/${p.id}`);
    expect(after).toMatchObject({ unapplied_amount: sek('0.00'), base_unapplied_amount: sek('0.00') });
    expect(after.refunds).toHaveLength(1);
    const [e] = await entries(refund.id);
    // D 2420 250.00 / C 1930 250.00
    expect(lines(e!)).toEqual([['2420', 250_00n, 0n, null, null], ['1930', 0n, 250_00n, null, null]]);
    expect((await events('refund.created')).filter((x) => x.id === refund.id)).toHaveLength(1);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('underpayment within tolerance is written off (3740); beyond it the apply is refused and nothing changes', async () => {
    const c = await customer('Underbetalning AB');
    const inv = await invoice(c.id);
    const p = await pay(c.id, sek('1242.00'));
    // rest 1 250.00 − 1 242.00 = 8.00 ≤ tolerance max(10.00, 0 %) = 10.00
    const applied = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id, write_off: true }] });
    expect(applied.allocations[0]).toMatchObject({ amount: sek('1242.00'), write_off: sek('8.00'), bank_fee: sek('0.00') });
    expect(await getInvoice(inv.id)).toMatchObject({ amount_due: sek('0.00'), payment_status: 'paid' });
    const [e] = await entries(applied.allocations[0].id);
    expect(lines(e!)).toEqual([
      ['2420', 1_242_00n, 0n, null, null], ['1510', 0n, 1_242_00n, null, null],
      ['3740', 8_00n, 0n, null, null], ['1510', 0n, 8_00n, null, null],
    ]);
    expect((await events('invoice.paid')).filter((x) => x.id === inv.id)).toHaveLength(1);
    await assertLedgerInvariants(t.db, t.tenantId);

    const inv2 = await invoice(c.id);
    const p2 = await pay(c.id, sek('1239.99'));
    // rest 10.01 > 10.00
    const refused = await call('POST', `/v1/payments/${p2.id}/apply`, { allocations: [{ invoice_id: inv2.id, write_off: true }] });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'unprocessable', param: 'allocations.0.write_off' });
    expect(refused.body.error.message).toContain('1001');
    expect((await ok('GET', `/v1/payments/${p2.id}`)).unapplied_amount).toEqual(sek('1239.99'));
    expect(await getInvoice(inv2.id)).toMatchObject({ amount_due: sek('1250.00'), payment_status: 'unpaid' });
    // without write_off it is a plain partial payment: 10.01 left
    await ok('POST', `/v1/payments/${p2.id}/apply`, { allocations: [{ invoice_id: inv2.id }] });
    expect((await getInvoice(inv2.id)).amount_due).toEqual(sek('10.01'));
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('a bank file paying an invoice short within tolerance is applied with the rest written off (3740)', async () => {
    const c = await customer('Bankfil Kort AB');
    const inv = await invoice(c.id);
    // one BgMax deposit of 1 245.00 with the invoice's OCR: short 5.00 ≤ 10.00 → written off on apply
    const pad = (x: string) => x.padEnd(80, ' ');
    const num = (v: bigint | number | string, w: number) => String(v).padStart(w, '0');
    const file = [
      pad('01BGMAX               0120261204101500000000P'),
      pad(`05${num(9912346, 10)}          SEK`),
      pad(`20${num('12345678', 10)}${String(inv.payment_reference).padStart(25, ' ')}${num(124500n, 18)}21${num(1, 12)}0`),
      pad('26BANKFIL KORT AB'),
      pad(`15${'58410000100'.padStart(35, '0')}20261204${num(1, 5)}${num(124500n, 18)}SEK${num(1, 8)}`),
      pad(`70${num(1, 8)}${num(0, 8)}${num(0, 8)}${num(1, 8)}`),
    ].join('\r\n') + '\r\n';
    const report = await ok('POST', '/v1/bank-files', { file_name: 'BGMAX-kort.txt', content_base64: Buffer.from(file, 'latin1').toString('base64') });
    expect(report).toMatchObject({ auto_applied: 1 });
    expect(await getInvoice(inv.id)).toMatchObject({ amount_due: sek('0.00'), payment_status: 'paid' });
    const line = (await ok('GET', '/v1/bank-transactions?status=applied')).data.find((l: { amount: { amount: string } }) => l.amount.amount === '1245.00');
    const payment = await ok('GET', `/v1/payments/${line.payment_id}`);
    expect(payment.allocations[0]).toMatchObject({ invoice_id: inv.id, amount: sek('1245.00'), write_off: sek('5.00') });
    const [e] = await entries(payment.allocations[0].id);
    expect(lines(e!)).toEqual([
      ['2420', 1_245_00n, 0n, null, null], ['1510', 0n, 1_245_00n, null, null],
      ['3740', 5_00n, 0n, null, null], ['1510', 0n, 5_00n, null, null],
    ]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('a bank fee withheld is posted to 6570 and settles the invoice with the cash', async () => {
    const c = await customer('Bankavgift AB');
    const inv = await invoice(c.id);
    const p = await pay(c.id, sek('1235.00'));
    // 1 235.00 cash + 15.00 fee = 1 250.00
    const bad = await call('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id, bank_fee: '-1.00' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toMatch(/^allocations\.0\.bank_fee/);
    const applied = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id, bank_fee: '15.00' }] });
    expect(applied).toMatchObject({ unapplied_amount: sek('0.00') });
    expect(applied.allocations[0]).toMatchObject({ amount: sek('1235.00'), bank_fee: sek('15.00'), write_off: sek('0.00') });
    expect(await getInvoice(inv.id)).toMatchObject({ amount_due: sek('0.00'), payment_status: 'paid' });
    const [e] = await entries(applied.allocations[0].id);
    expect(lines(e!)).toEqual([
      ['2420', 1_235_00n, 0n, null, null], ['1510', 0n, 1_235_00n, null, null],
      ['6570', 15_00n, 0n, null, null], ['1510', 0n, 15_00n, null, null],
    ]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('unapply restores the invoice and the payment with reversing entries (the write-off with it)', async () => {
    const c = await customer('Återföring AB');
    const inv = await invoice(c.id);
    const p = await pay(c.id, sek('1245.00'));
    // rest 5.00 written off
    const applied = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id, write_off: true }] });
    const alc = applied.allocations[0];
    expect(alc.write_off).toEqual(sek('5.00'));
    const badId = await call('POST', `/v1/payments/${p.id}/unapply`, { allocation_ids: ['alc_doesnotexist'] });
    expect(badId.status).toBe(404);
    expect(badId.body.error.param).toBe('allocation_ids.0');

    const un = await ok('POST', `/v1/payments/${p.id}/unapply`, { allocation_ids: [alc.id] });
    expect(un).toMatchObject({ unapplied_amount: sek('1245.00'), base_unapplied_amount: sek('1245.00') });
    expect(un.allocations).toHaveLength(1); // kept, marked reversed
    expect(un.allocations[0].reversed_at).not.toBeNull();
    expect(un.allocations[0].reversed_on).toBe('2026-12-04');
    expect(await getInvoice(inv.id)).toMatchObject({ amount_due: sek('1250.00'), payment_status: 'unpaid' });
    const es = await entries(alc.id);
    expect(es).toHaveLength(2);
    const original = es.find((e) => e.reversesEntryId === null)!;
    const reversal = es.find((e) => e.reversesEntryId !== null)!;
    expect(reversal.reversesEntryId).toBe(original.id);
    // the same four lines on the other side: 2420 back to credit, 1510 back to debit, 3740 credited
    expect(lines(reversal)).toEqual([
      ['2420', 0n, 1_245_00n, null, null], ['1510', 1_245_00n, 0n, null, null],
      ['3740', 0n, 5_00n, null, null], ['1510', 5_00n, 0n, null, null],
    ]);
    const audit = await t.kysely.selectFrom('audit_log').select(['action']).where('tenant_id', '=', t.tenantId).where('entity_id', '=', p.id).execute();
    expect(audit.map((a) => a.action)).toContain('payment.unapplied');
    // a second unapply of the same allocation is a conflict and changes nothing
    const again = await call('POST', `/v1/payments/${p.id}/unapply`, { allocation_ids: [alc.id] });
    expect(again.status).toBe(409);
    expect(again.body.error.param).toBe('allocation_ids.0');
    await assertLedgerInvariants(t.db, t.tenantId);
    // the cash can be applied again
    await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id, amount: '1000.00' }] });
    expect((await getInvoice(inv.id)).amount_due).toEqual(sek('250.00'));
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('a returned payment reverses its allocations and its receipt; both invoices reopen', async () => {
    const c = await customer('Studsad Betalning AB');
    const a = await invoice(c.id);
    const b = await invoice(c.id);
    const p = await pay(c.id, sek('2500.00'));
    await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: a.id }, { invoice_id: b.id }] });
    expect(await getInvoice(a.id)).toMatchObject({ payment_status: 'paid' });
    expect(await getInvoice(b.id)).toMatchObject({ payment_status: 'paid' });

    const missing = await call('POST', `/v1/payments/${p.id}/return`, { returned_on: '2026-12-04' });
    expect(missing.status).toBe(400);
    const returned = await ok('POST', `/v1/payments/${p.id}/return`, { returned_on: '2026-12-04', reason: 'Konto saknas' });
    expect(returned).toMatchObject({ status: 'returned', returned_on: '2026-12-04', return_reason: 'Konto saknas', unapplied_amount: sek('0.00'), base_unapplied_amount: sek('0.00') });
    expect(returned.allocations.every((x: { reversed_at: string | null }) => x.reversed_at !== null)).toBe(true);
    expect(await getInvoice(a.id)).toMatchObject({ amount_due: sek('1250.00'), payment_status: 'unpaid' });
    expect(await getInvoice(b.id)).toMatchObject({ amount_due: sek('1250.00'), payment_status: 'unpaid' });
    // the receipt D 1930 / C 2420 2 500.00 and its reversal D 2420 / C 1930
    const es = await entries(p.id);
    const receipt = es.find((e) => e.reversesEntryId === null)!;
    const reversal = es.find((e) => e.reversesEntryId === receipt.id)!;
    expect(lines(receipt)).toEqual([['1930', 2_500_00n, 0n, null, null], ['2420', 0n, 2_500_00n, null, null]]);
    expect(lines(reversal)).toEqual([['1930', 0n, 2_500_00n, null, null], ['2420', 2_500_00n, 0n, null, null]]);
    expect((await events('payment.returned')).filter((x) => x.id === p.id)).toHaveLength(1);
    // a returned payment takes nothing more
    expect((await call('POST', `/v1/payments/${p.id}/return`, { reason: 'again' })).status).toBe(409);
    expect((await call('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: a.id }] })).status).toBe(409);
    expect((await call('POST', `/v1/payments/${p.id}/refunds`, { amount: sek('1.00'), reference: 'x' })).status).toBe(409);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('a EUR payment posts the realised FX difference; an unapply reverses it; a refund realises its own', async () => {
    const c = await customer('Euro Kund AB', 'EUR');
    const inv = await invoice(c.id);
    // 1 250.00 EUR × 11.4325 = 14 290.625 → 14 290.63 SEK on 1510
    expect(inv).toMatchObject({ gross_total_base: sek('14290.63') });
    // received 10 Dec at 11.60: 1 250.00 × 11.60 = 14 500.00 SEK on 2420
    const p = await pay(c.id, eur('1250.00'), '2026-12-10');
    expect(p.base_amount).toEqual(sek('14500.00'));
    const applied = await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id }], applied_on: '2026-12-10' });
    const alc = applied.allocations[0];
    // gain 14 500.00 − 14 290.63 = 209.37 (3960)
    expect(alc).toMatchObject({ amount: eur('1250.00'), base_amount: sek('14500.00'), base_open_amount: sek('14290.63'), fx_difference: sek('209.37') });
    const [e] = await entries(alc.id);
    expect(lines(e!)).toEqual([['2420', 1_450_000n, 0n, 'EUR', 125_000n], ['1510', 0n, 1_429_063n, 'EUR', 125_000n], ['3960', 0n, 20_937n, null, null]]);
    await assertLedgerInvariants(t.db, t.tenantId);

    const early = await call('POST', `/v1/payments/${p.id}/unapply`, { unapplied_on: '2026-12-09' });
    expect(early.status).toBe(400);
    expect(early.body.error.param).toBe('unapplied_on');
    const un = await ok('POST', `/v1/payments/${p.id}/unapply`, { unapplied_on: '2026-12-10' });
    expect(un).toMatchObject({ unapplied_amount: eur('1250.00'), base_unapplied_amount: sek('14500.00') });
    const item = await t.db.store(t.tenantId).openItems.getByInvoice(inv.id);
    expect(item).toMatchObject({ openMinor: 125_000n, baseOpenMinor: 1_429_063n });
    const reversal = (await entries(alc.id)).find((x) => x.reversesEntryId === e!.id)!;
    expect(lines(reversal)).toEqual([['2420', 0n, 1_450_000n, 'EUR', 125_000n], ['1510', 1_429_063n, 0n, 'EUR', 125_000n], ['3960', 20_937n, 0n, null, null]]);
    await assertLedgerInvariants(t.db, t.tenantId);

    // refund 1 000.00 EUR on 15 Dec: 2420 takes round(14 500.00 × 1 000 / 1 250) = 11 600.00 SEK; the bank
    // pays 1 000.00 × 11.20 = 11 200.00 SEK; gain 400.00 (3960)
    const refund = await ok('POST', `/v1/payments/${p.id}/refunds`, { amount: eur('1000.00'), refunded_on: '2026-12-15', reference: 'Refund EUR' });
    expect(refund).toMatchObject({ amount: eur('1000.00'), base_amount: sek('11600.00'), bank_base_amount: sek('11200.00'), fx_difference: sek('400.00') });
    const [re] = await entries(refund.id);
    expect(lines(re!)).toEqual([['2420', 1_160_000n, 0n, 'EUR', 100_000n], ['1930', 0n, 1_120_000n, 'EUR', 100_000n], ['3960', 0n, 40_000n, null, null]]);
    // 250.00 EUR left, worth 14 500.00 − 11 600.00 = 2 900.00 SEK
    expect(await ok('GET', `/v1/payments/${p.id}`)).toMatchObject({ unapplied_amount: eur('250.00'), base_unapplied_amount: sek('2900.00') });
    // a refund dated before the payment was received names refunded_on and changes nothing
    const early2 = await call('POST', `/v1/payments/${p.id}/refunds`, { amount: eur('1.00'), refunded_on: '2026-12-09', reference: 'x' });
    expect(early2.status).toBe(400);
    expect(early2.body.error.param).toBe('refunded_on');
    expect((await ok('GET', `/v1/payments/${p.id}`)).unapplied_amount).toEqual(eur('250.00'));
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
