/**
 * Customer statements (issue 7): a period's opening balance, documents, payments and credits, running
 * and closing balance, tied to the ledger (1510 − 2420 for the customer as of `to`), as JSON, CSV and
 * PDF (Swedish and English). Today is 2026-12-04; the period November 2026.
 *
 * SEK customer, every figure by hand:
 *   before: invoice A 1 250.00 (10-01); 1 000.00 received and applied to A (10-20)  → opening 250.00
 *   11-05 invoice B                                       +1 250.00  → 1 500.00
 *   11-10 credit note on B (100.00 + 25 % VAT)              −125.00  → 1 375.00
 *   11-15 payment received 1 500.00                       −1 500.00  →  −125.00
 *   11-15 applied to A: 235.00 with a 15.00 bank fee        −15.00  →  −140.00
 *   11-15 applied to B: 1 125.00                              0.00  →  −140.00
 *   11-20 refund of 50.00 of the credit                     +50.00  →   −90.00  (receivable 0, credit 90.00)
 *   after: invoice C 1 250.00 (12-02) is not on it.
 * EUR customer (1 EUR = 11.00 SEK from 10-01, 11.50 from 11-16):
 *   11-02 invoice 1 250.00 EUR = 13 750.00 SEK; 11-20 paid 1 250.00 EUR = 14 375.00 SEK and applied:
 *   closing 0.00 EUR and 0.00 SEK; the application carries the FX gain (+625.00 SEK in base).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import type { Database } from '../../src/app/ports.js';
import { parseRate } from '../../src/core/money/fx.js';
import type { TenantId } from '../../src/core/shared/ids.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { draftInvoiceForCustomer } from '../support/orders.js';
import { pdfPages, requirePdftotext } from '../support/pdf.js';
import { assertLedgerInvariants } from '../support/invariants.js';

/** The customer's ledger balance as of a date, from the journal itself: Σ debit − credit on 1510 and on 2420. */
async function ledgerAsOf(db: Database, tenantId: TenantId, customerId: string, asOf: string) {
  const s = db.store(tenantId);
  let receivable = 0n;
  let credit = 0n;
  let startingAfter: string | undefined;
  for (;;) {
    const page = await s.journal.list({ limit: 100, startingAfter });
    for (const e of page.data) {
      if (e.entryDate > asOf) continue;
      for (const l of e.lines) {
        if (l.customerId !== customerId) continue;
        if (l.account === '1510') receivable += l.debitMinor - l.creditMinor;
        if (l.account === '2420') credit += l.creditMinor - l.debitMinor;
      }
    }
    if (!page.hasMore) return { receivable, credit, net: receivable - credit };
    startingAfter = page.data[page.data.length - 1]!.id;
  }
}

describe.each(TEST_DATABASES)('customer statement [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok, call } = client(t);
  const sek = (amount: string) => ({ amount, currency: 'SEK' });
  const eur = (amount: string) => ({ amount, currency: 'EUR' });
  beforeAll(() => requirePdftotext());

  async function customer(name: string, currency: string, country = 'SE') {
    return ok('POST', '/v1/customers', {
      name, country, currency, payment_terms_days: 30, org_number: '556036-0793', vat_number: country === 'SE' ? 'SE556036079301' : null,
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });
  }
  async function invoice(customerId: string, issueDate: string) {
    const draft = await draftInvoiceForCustomer(t, customerId);
    return ok('POST', `/v1/invoices/${draft.id}/issue`, { issue_date: issueDate });
  }

  it('shows opening balance, documents, payments and credits with running balances, and ties to 1510 − 2420', async () => {
    await t.db.transaction(t.tenantId, async (s) => {
      await s.exchangeRates.upsert({ currency: 'EUR', rateDate: '2026-10-01', rateScaled: parseRate('11.00', 'rate'), source: 'manual', updatedAt: new Date() });
      await s.exchangeRates.upsert({ currency: 'EUR', rateDate: '2026-11-16', rateScaled: parseRate('11.50', 'rate'), source: 'manual', updatedAt: new Date() });
    });
    const c = await customer('Kontoutdrag AB', 'SEK');
    const a = await invoice(c.id, '2026-10-01');
    const p1 = await ok('POST', '/v1/payments', { amount: sek('1000.00'), received_on: '2026-10-20', customer_id: c.id });
    await ok('POST', `/v1/payments/${p1.id}/apply`, { allocations: [{ invoice_id: a.id }], applied_on: '2026-10-20' });
    const b = await invoice(c.id, '2026-11-05');
    const cnDraft = await ok('POST', `/v1/invoices/${b.id}/credit-notes`, { amount: { net_amount: sek('100.00'), vat_rate: '25' }, reason: 'Rabatt' });
    const cn = await ok('POST', `/v1/credit-notes/${cnDraft.id}/issue`, { issue_date: '2026-11-10' });
    const p2 = await ok('POST', '/v1/payments', { amount: sek('1500.00'), received_on: '2026-11-15', customer_id: c.id, reference_text: 'Betalning nov' });
    await ok('POST', `/v1/payments/${p2.id}/apply`, {
      allocations: [{ invoice_id: a.id, amount: '235.00', bank_fee: '15.00' }, { invoice_id: b.id }], applied_on: '2026-11-15',
    });
    await ok('POST', `/v1/payments/${p2.id}/refunds`, { amount: sek('50.00'), refunded_on: '2026-11-20', reference: 'Återbetalning' });
    await invoice(c.id, '2026-12-02');

    const st = await ok('GET', `/v1/customers/${c.id}/statement?from=2026-11-01&to=2026-11-30`);
    expect(st.base_currency).toBe('SEK');
    expect(st.currencies).toHaveLength(1);
    const sec = st.currencies[0];
    expect(sec.currency).toBe('SEK');
    expect(sec.opening_balance).toEqual(sek('250.00'));
    const rows = sec.lines.map((l: { date: string; kind: string; reference: string | null; amount: { amount: string }; balance: { amount: string } }) =>
      [l.date, l.kind, l.reference, l.amount.amount, l.balance.amount]);
    expect(rows).toEqual([
      ['2026-11-05', 'invoice', b.number, '1250.00', '1500.00'],
      ['2026-11-10', 'credit_note', cn.number, '-125.00', '1375.00'],
      ['2026-11-15', 'payment', 'Betalning nov', '-1500.00', '-125.00'],
      ['2026-11-15', 'payment_applied', a.number, '-15.00', '-140.00'],
      ['2026-11-15', 'payment_applied', b.number, '0.00', '-140.00'],
      ['2026-11-20', 'refund', 'Återbetalning', '50.00', '-90.00'],
    ]);
    // the application to B moves 1 125.00 from credit to the receivable
    expect(sec.lines[4].receivable_change).toEqual(sek('-1125.00'));
    expect(sec.lines[4].credit_change).toEqual(sek('-1125.00'));
    expect(sec.charges).toEqual(sek('1300.00'));
    expect(sec.credits).toEqual(sek('-1640.00'));
    expect(sec.closing_balance).toEqual(sek('-90.00'));
    expect(sec.closing_receivable).toEqual(sek('0.00'));
    expect(sec.closing_credit).toEqual(sek('90.00'));
    expect(st.closing_base_balance).toEqual(sek('-90.00'));
    expect(st.receivable_base).toEqual(sek('0.00'));
    expect(st.credit_base).toEqual(sek('90.00'));

    // ties to the ledger as of `to` (and as of the day before `from` for the opening balance)
    const ledgerTo = await ledgerAsOf(t.db, t.tenantId, c.id, '2026-11-30');
    expect(ledgerTo).toEqual({ receivable: 0n, credit: 9_000n, net: -9_000n });
    const ledgerOpen = await ledgerAsOf(t.db, t.tenantId, c.id, '2026-10-31');
    expect(ledgerOpen.net).toBe(25_000n);
    // today: invoice C on top, as the customer balance (open items − unapplied cash) says
    const today = await ok('GET', `/v1/customers/${c.id}/statement?from=2026-12-01`);
    expect(today.to).toBe('2026-12-04');
    expect(today.currencies[0].opening_balance).toEqual(sek('-90.00'));
    expect(today.closing_base_balance).toEqual(sek('1160.00'));
    expect((await ledgerAsOf(t.db, t.tenantId, c.id, '2026-12-04')).net).toBe(116_000n);

    // EUR customer: the statement in EUR, the base column with the FX gain, closing 0 in both
    const e = await customer('Euro GmbH', 'EUR', 'DE');
    const ei = await invoice(e.id, '2026-11-02');
    const ep = await ok('POST', '/v1/payments', { amount: eur('1250.00'), received_on: '2026-11-20', customer_id: e.id });
    await ok('POST', `/v1/payments/${ep.id}/apply`, { allocations: [{ invoice_id: ei.id }], applied_on: '2026-11-20' });
    const est = await ok('GET', `/v1/customers/${e.id}/statement?from=2026-11-01&to=2026-11-30`);
    expect(est.currencies.map((s: { currency: string }) => s.currency)).toEqual(['EUR']);
    const el = est.currencies[0].lines.map((l: { kind: string; amount: unknown; base_amount: unknown; base_balance: unknown }) => [l.kind, l.amount, l.base_amount, l.base_balance]);
    expect(el).toEqual([
      ['invoice', eur('1250.00'), sek('13750.00'), sek('13750.00')],
      ['payment', eur('-1250.00'), sek('-14375.00'), sek('-625.00')],
      ['payment_applied', eur('0.00'), sek('625.00'), sek('0.00')],
    ]);
    expect(est.currencies[0].closing_balance).toEqual(eur('0.00'));
    expect(est.closing_base_balance).toEqual(sek('0.00'));
    const mid = await ok('GET', `/v1/customers/${e.id}/statement?from=2026-11-01&to=2026-11-10`);
    expect(mid.closing_base_balance).toEqual(sek('13750.00'));
    expect((await ledgerAsOf(t.db, t.tenantId, e.id, '2026-11-10')).net).toBe(1_375_000n);
    await assertLedgerInvariants(t.db, t.tenantId);

    // CSV
    const csv = await t.server.inject({
      method: 'GET', url: `/v1/customers/${c.id}/statement?from=2026-11-01&to=2026-11-30&format=csv`, headers: { authorization: `Bearer ${t.apiKey}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('record,date,kind,reference,description,currency,amount,receivable_change,credit_change,balance,base_currency,base_amount,base_balance');
    expect(lines[1]).toBe('opening,2026-10-31,,,,SEK,,,,250.00,SEK,,250.00');
    expect(lines[2]).toMatch(new RegExp(`^line,2026-11-05,invoice,${b.number},.*,SEK,1250.00,1250.00,0.00,1500.00,SEK,1250.00,1500.00$`));
    expect(lines.at(-2)).toBe('closing,2026-11-30,,,,SEK,,,,-90.00,SEK,,-90.00');
    expect(lines.at(-1)).toBe('base_closing,2026-11-30,,,,SEK,,,,-90.00,SEK,,-90.00');
    expect(lines).toHaveLength(10);

    // PDF, Swedish by default for a Swedish customer, and English on request
    const pdfOf = async (url: string) => {
      const r = await t.server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.apiKey}` } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      return pdfPages(r.rawPayload).flat;
    };
    const sv = await pdfOf(`/v1/customers/${c.id}/statement.pdf?from=2026-11-01&to=2026-11-30`);
    for (const text of ['Kontoutdrag', 'Kontoutdrag AB', 'Ingående saldo 2026-10-31', '250,00 SEK', 'Kreditfaktura', cn.number, 'Inbetalning',
      'Återbetalning', 'Utgående saldo 2026-11-30', '-90,00 SEK', 'varav tillgodohavande 90,00 SEK', 'Sida 1 av 1']) {
      expect(sv).toContain(text);
    }
    const en = await pdfOf(`/v1/customers/${c.id}/statement.pdf?from=2026-11-01&to=2026-11-30&lang=en`);
    for (const text of ['Statement', 'Opening balance 2026-10-31', '250.00 SEK', 'Credit note', 'Payment received', 'Refund',
      'Closing balance 2026-11-30', '-90.00 SEK', 'Page 1 of 1']) {
      expect(en).toContain(text);
    }
    const enEur = await pdfOf(`/v1/customers/${e.id}/statement.pdf?from=2026-11-01&to=2026-11-30`);
    expect(enEur).toContain('Closing balance, total in SEK 0.00 SEK');

    // bad input names the field
    const backwards = await call('GET', `/v1/customers/${c.id}/statement?from=2026-11-30&to=2026-11-01`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.param).toBe('to');
    const noFrom = await call('GET', `/v1/customers/${c.id}/statement`);
    expect(noFrom.status).toBe(400);
    expect(noFrom.body.error.param).toBe('from');
    const missing = await call('GET', '/v1/customers/cus_doesnotexist/statement?from=2026-11-01');
    expect(missing.status).toBe(404);
  });
});
