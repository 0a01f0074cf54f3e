/**
 * A deposit in a foreign currency deducted at its own rate (decisions 0008 and 0010), over HTTP on
 * every configured database. An order of 10 × 100.00 EUR at 25 % (net 1 000.00, VAT 250.00, gross
 * 1 250.00 EUR); a 30 % deposit issued on 4 Dec at 11.00 SEK/EUR; the final invoice issued on 10 Dec
 * at 11.50. The final invoice's deduction (D 2429, D 2611) is converted at the deposit's 11.00, the
 * rest of its entry at 11.50, and the difference is an exchange difference: 2429 returns to exactly
 * 0 in SEK, the VAT account holds the final invoice's VAT as converted. The customer balance compares
 * the open items with 1510 in SEK. Every figure is computed by hand in a comment.
 */
import { describe, expect, it } from 'vitest';
import { parseRate } from '../../src/core/money/fx.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const sek = (amount: string) => ({ amount, currency: 'SEK' });
const eur = (amount: string) => ({ amount, currency: 'EUR' });

/** [account, debit, credit, amount_currency, amount], sorted by account then debit first. */
type Row = [string, bigint, bigint, string | null, bigint | null];
const sorted = (rows: Row[]): Row[] => [...rows].sort((a, b) => a[0].localeCompare(b[0]) || (a[1] > 0n ? -1 : 1) - (b[1] > 0n ? -1 : 1));

describe.each(TEST_DATABASES)('a foreign-currency advance deducted at its own rate [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  async function setRate(currency: string, rateDate: string, rate: string) {
    await t.db.transaction(t.tenantId, (s) =>
      s.exchangeRates.upsert({ currency, rateDate, rateScaled: parseRate(rate, 'rate'), source: 'manual', updatedAt: new Date() }),
    );
  }

  async function entryOf(sourceId: string): Promise<Row[]> {
    const page = await t.db.store(t.tenantId).journal.list({ limit: 10 }, { sourceId });
    expect(page.data).toHaveLength(1);
    for (const l of page.data[0]!.lines) expect(l.currency).toBe('SEK');
    return sorted(page.data[0]!.lines.map((l) => [l.account, l.debitMinor, l.creditMinor, l.amountCurrency, l.amountMinor] as Row));
  }

  /** debit − credit in SEK on an account over the entries of the given sources. */
  async function balanceOf(account: string, sourceIds: string[]): Promise<bigint> {
    let total = 0n;
    for (const sourceId of sourceIds) {
      for (const r of await entryOf(sourceId)) if (r[0] === account) total += r[1] - r[2];
    }
    return total;
  }

  it('30 % EUR deposit at 11.00, final invoice at 11.50: 2429 back to 0 in SEK, the difference on 7960', async () => {
    await setRate('EUR', '2026-12-01', '11.00');
    await setRate('EUR', '2026-12-10', '11.50');
    const customer = await ok('POST', '/v1/customers', {
      name: 'Euro Förskott AB', country: 'SE', currency: 'EUR', payment_terms_days: 30, org_number: '556036-0793',
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id, lines: [{ description: 'Konsulttimme', quantity: '10', unit_price: '100.00', tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    expect(order.gross_total).toEqual(eur('1250.00'));

    // deposit: round(1 000.00 × 30 %) = 300.00 + VAT 75.00 = 375.00 EUR, issued 4 Dec at 11.00:
    // 1510 375.00 × 11.00 = 4 125.00; 2429 300.00 × 11.00 = 3 300.00; 2611 75.00 × 11.00 = 825.00
    const deposit = await ok('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '30', issue: true });
    expect(deposit).toMatchObject({ gross_total: eur('375.00'), exchange_rate: '11', exchange_rate_date: '2026-12-01' });
    expect(await entryOf(deposit.id)).toEqual(sorted([
      ['1510', 412500n, 0n, 'EUR', 37500n], ['2429', 0n, 330000n, 'EUR', 30000n], ['2611', 0n, 82500n, 'EUR', 7500n],
    ]));

    // final: 1 250.00 EUR, prepaid 375.00, due 875.00, issued 10 Dec at 11.50.
    //   at 11.50: 1510 875.00 → 10 062.50; 3001 1 000.00 → 11 500.00; 2611 250.00 → 2 875.00
    //   at the deposit's 11.00: 2429 300.00 → 3 300.00; 2611 75.00 → 825.00
    //   debits 10 062.50 + 3 300.00 + 825.00 = 14 187.50, credits 11 500.00 + 2 875.00 = 14 375.00:
    //   187.50 short on the debit side → 7960 (exchange loss) 187.50
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    const final = await ok('POST', `/v1/invoices/${draft.id}/issue`, { issue_date: '2026-12-10' });
    expect(final).toMatchObject({
      gross_total: eur('1250.00'), prepaid: eur('375.00'), amount_due: eur('875.00'), exchange_rate: '11.5', exchange_rate_date: '2026-12-10',
      // BT-111: the whole supply's VAT 250.00 EUR × 11.50 (the deducted 75.00 is reversed at 11.00 in the ledger)
      vat_total_base: { amount: '2875.00', currency: 'SEK' },
    });
    expect(await entryOf(final.id)).toEqual(sorted([
      ['1510', 1006250n, 0n, 'EUR', 87500n],
      ['2429', 330000n, 0n, 'EUR', 30000n],
      ['2611', 82500n, 0n, 'EUR', 7500n],
      ['7960', 18750n, 0n, null, null],
      ['3001', 0n, 1150000n, 'EUR', 100000n],
      ['2611', 0n, 287500n, 'EUR', 25000n],
    ]));
    const sources = [deposit.id, final.id];
    // 2429: −3 300.00 + 3 300.00 = 0; 2611: −825.00 + 825.00 − 2 875.00 = −2 875.00 = 250.00 EUR × 11.50
    expect(await balanceOf('2429', sources)).toBe(0n);
    expect(await balanceOf('2611', sources)).toBe(-287500n);
    // 1510: 4 125.00 + 10 062.50 = 14 187.50 = the two open items' base values
    expect(await balanceOf('1510', sources)).toBe(1418750n);
    const s = t.db.store(t.tenantId);
    const items = [await s.openItems.getByInvoice(deposit.id), await s.openItems.getByInvoice(final.id)];
    expect(items.map((i) => [i?.openMinor, i?.baseOpenMinor])).toEqual([[37500n, 412500n], [87500n, 1006250n]]);

    // the customer balance in SEK: 14 187.50 open (375.00 + 875.00 = 1 250.00 EUR) = the ledger's 1510
    const balance = await ok('GET', `/v1/customers/${customer.id}/balance`);
    expect(balance).toEqual({
      object: 'customer_balance',
      customer_id: customer.id,
      base_currency: 'SEK',
      balances: [{ currency: 'EUR', balance: eur('1250.00'), credit: eur('0.00'), balance_base: sek('14187.50'), credit_base: sek('0.00') }],
      balance_base: sek('14187.50'),
      ledger_receivable: sek('14187.50'),
      matches: true,
    });

    // paid in EUR on 10 Dec at 11.50: 1 250.00 EUR = 14 375.00 SEK; applied to both items (14 187.50 SEK):
    // a realised gain of 187.50 on 3960; the balance is 0 in both currencies
    const gainBefore = await s.journal.accountBalance('3960');
    const payment = await ok('POST', '/v1/payments', { amount: eur('1250.00'), received_on: '2026-12-10', customer_id: customer.id });
    expect(payment.base_amount).toEqual(sek('14375.00'));
    await ok('POST', `/v1/payments/${payment.id}/apply`, {
      allocations: [{ invoice_id: deposit.id }, { invoice_id: final.id }], applied_on: '2026-12-10',
    });
    const gainAfter = await s.journal.accountBalance('3960');
    const sekOf = (rows: { currency: string; balanceMinor: bigint }[]) => rows.find((r) => r.currency === 'SEK')?.balanceMinor ?? 0n;
    expect(sekOf(gainAfter) - sekOf(gainBefore)).toBe(-18750n);
    const after = await ok('GET', `/v1/customers/${customer.id}/balance`);
    expect(after).toMatchObject({ balance_base: sek('0.00'), ledger_receivable: sek('0.00'), matches: true });
    expect(after.balances).toEqual([{ currency: 'EUR', balance: eur('0.00'), credit: eur('0.00'), balance_base: sek('0.00'), credit_base: sek('0.00') }]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('a SEK deposit still posts at one rate, with no exchange line', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Krona AB', country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id, lines: [{ description: 'Konsulttimme', quantity: '10', unit_price: '100.00', tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const deposit = await ok('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '30', issue: true });
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    const final = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    // 1 250.00 − 375.00 = 875.00; 2429 300.00 and 2611 75.00 back; revenue 1 000.00 and VAT 250.00
    expect(await entryOf(final.id)).toEqual(sorted([
      ['1510', 87500n, 0n, null, null], ['2429', 30000n, 0n, null, null], ['2611', 7500n, 0n, null, null],
      ['3001', 0n, 100000n, null, null], ['2611', 0n, 25000n, null, null],
    ]));
    expect(await balanceOf('2429', [deposit.id, final.id])).toBe(0n);
    const balance = await ok('GET', `/v1/customers/${customer.id}/balance`);
    expect(balance).toMatchObject({ base_currency: 'SEK', balance_base: sek('1250.00'), ledger_receivable: sek('1250.00'), matches: true });
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
