/**
 * The VAT return (momsdeklaration sales boxes) over HTTP, on every configured database, for November
 * 2026 with known figures (all in SEK, documents dated 2026-11-16 unless said):
 * - a domestic invoice at 25 / 12 / 6 % with an exempt line:
 *     Lampa 3 × 999.00 − 10 % = 2 697.30 (25 %: 674.325 → 674.33)
 *     Hotellnatt 2 × 1 250.50 = 2 501.00 (12 %: 300.12)
 *     Bok 2 × 150.00 = 300.00 (6 %: 18.00)
 *     Kurs 1 × 5 000.00 exempt (E, 0 %)
 * - a credit note on it for one lamp: net 899.10, VAT 224.775 → 224.78 (25 %)
 * - a service to a German business (reverse charge, AE): 10 × 1 200.00 = 12 000.00
 * - goods to a German business with a VAT number (intra-Community supply, K): 2 × 1 495.00 = 2 990.00
 * - goods to a Norwegian business (export, G): 1 × 1 495.00
 * - a service to a Norwegian business (outside the EU, O): 2 × 1 200.00 = 2 400.00
 * - and a domestic 25 % invoice dated 2026-12-02 (1 000.00 + 250.00), outside November.
 * Boxes for November:
 *   05 = 2 697.30 + 2 501.00 + 300.00 − 899.10 = 4 599.20 → 4 599
 *   10 = 674.33 − 224.78 = 449.55 → 449 (öre dropped, not rounded to 450)
 *   11 = 300.12 → 300;  12 = 18.00 → 18
 *   35 = 2 990.00;  36 = 1 495.00;  39 = 12 000.00;  40 = 2 400.00;  42 = 5 000.00
 *   06 = 07 = 08 = 48 = 0
 *   49 exact = 449.55 + 300.12 + 18.00 = 767.67; declared = 449 + 300 + 18 = 767
 * The output VAT per rate equals the ledger's movement on 2611 / 2621 / 2631 for November.
 */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/app/shared/clock.js';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { deliveredOrder } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';

/** Moves the test app's clock (the server reads it on every request). */
const setNow = (t: TestApp, iso: string) => Object.assign(t.deps.clock, fixedClock(new Date(iso)));

describe.each(TEST_DATABASES)('VAT report (momsdeklaration) [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-11-16T10:00:00Z') });
  const { call, ok } = client(t);

  async function issue(orderId: string) {
    const draft = await ok('POST', '/v1/invoices', { order_id: orderId });
    return ok('POST', `/v1/invoices/${draft.id}/issue`, {});
  }

  /** quote → send → accept → confirm → service lines completed → invoice issued */
  async function serviceInvoice(customerId: string, productId: string, quantity: string) {
    const quote = await ok('POST', '/v1/quotes', { customer_id: customerId, lines: [{ product_id: productId, quantity }] });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    await ok('POST', `/v1/orders/${order.id}/lines/1/complete`, { quantity });
    return issue(order.id);
  }

  /** quote → … → delivered → invoice issued */
  async function goodsInvoice(customerId: string, productId: string, quantity: string) {
    const quote = await ok('POST', '/v1/quotes', { customer_id: customerId, lines: [{ product_id: productId, quantity }] });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    return issue(order.id);
  }

  const box = (report: any, b: string) => {
    const row = report.boxes.find((x: any) => x.box === b);
    return [row.amount.amount, row.declared_kronor];
  };

  it('gives every sales box of a mixed-rate month with reverse charge, EU goods, export and a credit note', async () => {
    // domestic, mixed rates, one exempt line
    const domestic = await deliveredOrder(t, { name: 'Blandat AB', country: 'SE', payment_terms_days: 30 }, [
      { description: 'Lampa', quantity: '3', unit_price: '999.00', tax_class: 'standard', discount_percent: '10' },
      { description: 'Hotellnatt', quantity: '2', unit_price: '1250.50', tax_class: 'reduced_12' },
      { description: 'Bok', quantity: '2', unit_price: '150.00', tax_class: 'reduced_6' },
      { description: 'Kurs', quantity: '1', unit_price: '5000.00', tax_class: 'exempt' },
    ]);
    const inv = await issue(domestic.order.id);
    expect(inv.vat_total.amount).toBe('992.45'); // 674.33 + 300.12 + 18.00
    expect(inv.gross_total.amount).toBe('11490.75'); // 10 498.30 + 992.45
    const cn = await ok('POST', `/v1/invoices/${inv.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'En lampa trasig' });
    const issuedCn = await ok('POST', `/v1/credit-notes/${cn.id}/issue`, {});
    expect([issuedCn.net_total.amount, issuedCn.vat_total.amount]).toEqual(['899.10', '224.78']);

    // cross-border
    const gmbh = await ok('POST', '/v1/customers', {
      name: 'Kunde GmbH', country: 'DE', currency: 'SEK', payment_terms_days: 30, org_number: 'HRB 12345', vat_number: 'DE123456789',
      address: { line1: 'Hauptstraße 3', postal_code: '10115', city: 'Berlin' },
    });
    const nordmann = await ok('POST', '/v1/customers', {
      name: 'Nordmann AS', country: 'NO', currency: 'SEK', payment_terms_days: 30, org_number: '923609016',
      address: { line1: 'Karl Johans gate 2', postal_code: '0154', city: 'Oslo' },
    });
    const consulting = await ok('POST', '/v1/products', {
      sku: 'CONS-VAT', name: 'Konsulttjänst', unit: 'HUR', tax_class: 'standard', kind: 'service', unit_prices: [{ amount: '1200.00', currency: 'SEK' }],
    });
    const drill = await ok('POST', '/v1/products', {
      sku: 'DRILL-VAT', name: 'Skruvdragare', unit: 'C62', tax_class: 'standard', unit_prices: [{ amount: '1495.00', currency: 'SEK' }],
    });
    const ae = await serviceInvoice(gmbh.id, consulting.id, '10');
    expect(ae.lines[0]).toMatchObject({ vat_category: 'AE', vat_rate: '0' });
    const k = await goodsInvoice(gmbh.id, drill.id, '2');
    expect(k.lines[0]).toMatchObject({ vat_category: 'K', vat_rate: '0' });
    const g = await goodsInvoice(nordmann.id, drill.id, '1');
    expect(g.lines[0]).toMatchObject({ vat_category: 'G', vat_rate: '0' });
    const o = await serviceInvoice(nordmann.id, consulting.id, '2');
    expect(o.lines[0]).toMatchObject({ vat_category: 'O', vat_rate: '0' });

    // December: outside the period
    setNow(t, '2026-12-02T10:00:00Z');
    const dec = await deliveredOrder(t, { name: 'December AB', country: 'SE' }, [{ description: 'Lampa', quantity: '1', unit_price: '1000.00', tax_class: 'standard' }]);
    await issue(dec.order.id);

    const nov = await ok('GET', '/v1/reports/vat?from=2026-11-01&to=2026-11-30');
    expect(nov).toMatchObject({ object: 'vat_report', currency: 'SEK', declaration_rounding: 'truncate_toward_zero', documents: { invoices: 5, credit_notes: 1 } });
    expect(nov.boxes.map((b: any) => b.box)).toEqual(['05', '06', '07', '08', '10', '11', '12', '35', '36', '39', '40', '42', '48', '49']);
    expect(box(nov, '05')).toEqual(['4599.20', '4599']);
    expect(box(nov, '06')).toEqual(['0.00', '0']);
    expect(box(nov, '07')).toEqual(['0.00', '0']);
    expect(box(nov, '08')).toEqual(['0.00', '0']);
    expect(box(nov, '10')).toEqual(['449.55', '449']);
    expect(box(nov, '11')).toEqual(['300.12', '300']);
    expect(box(nov, '12')).toEqual(['18.00', '18']);
    expect(box(nov, '35')).toEqual(['2990.00', '2990']);
    expect(box(nov, '36')).toEqual(['1495.00', '1495']);
    expect(box(nov, '39')).toEqual(['12000.00', '12000']);
    expect(box(nov, '40')).toEqual(['2400.00', '2400']);
    expect(box(nov, '42')).toEqual(['5000.00', '5000']);
    expect(box(nov, '48')).toEqual(['0.00', '0']);
    expect(box(nov, '49')).toEqual(['767.67', '767']);
    expect(nov.output_vat_by_rate).toEqual([
      { rate: '25', taxable: { amount: '1798.20', currency: 'SEK' }, vat: { amount: '449.55', currency: 'SEK' } },
      { rate: '12', taxable: { amount: '2501.00', currency: 'SEK' }, vat: { amount: '300.12', currency: 'SEK' } },
      { rate: '6', taxable: { amount: '300.00', currency: 'SEK' }, vat: { amount: '18.00', currency: 'SEK' } },
    ]);

    // cross-check: output VAT per rate = the ledger's movement (credit − debit) on 2611 / 2621 / 2631 in November
    const tb = await t.db.transaction(t.tenantId, (s) => s.journal.trialBalance({ from: '2026-11-01', to: '2026-11-30' }));
    const movement = (account: string) => {
      const r = tb.find((x) => x.account === account && x.currency === 'SEK');
      return r === undefined ? 0n : r.creditMinor - r.debitMinor;
    };
    expect([movement('2611'), movement('2621'), movement('2631')]).toEqual([44955n, 30012n, 1800n]);
    const exact = (rate: string) => BigInt(nov.output_vat_by_rate.find((r: any) => r.rate === rate).vat.amount.replace('.', ''));
    expect([exact('25'), exact('12'), exact('6')]).toEqual([movement('2611'), movement('2621'), movement('2631')]);

    // December holds only the December invoice
    const decReport = await ok('GET', '/v1/reports/vat?from=2026-12-01&to=2026-12-31');
    expect(box(decReport, '05')).toEqual(['1000.00', '1000']);
    expect(box(decReport, '10')).toEqual(['250.00', '250']);
    expect(box(decReport, '49')).toEqual(['250.00', '250']);
    expect(decReport.documents).toEqual({ invoices: 1, credit_notes: 0 });

    // the quarter is the sum of its months here (no öre lost in the exact figures)
    const q4 = await ok('GET', '/v1/reports/vat?from=2026-10-01&to=2026-12-31');
    expect(box(q4, '05')).toEqual(['5599.20', '5599']);
    expect(box(q4, '49')).toEqual(['1017.67', '1017']);

    await assertLedgerInvariants(t.db, t.tenantId);
  }, 120_000);

  it('counts a EUR invoice in SEK as issued, tying to 2611 / 2621 per rate', async () => {
    // January 2027, 1 EUR = 11.4325 SEK. Lampa 3 × 33.33 = 99.99 EUR (25 %: 24.9975 → 25.00), Hotell
    // 77.77 EUR (12 %: 9.3324 → 9.33): gross 212.09 EUR × 11.4325 = 2 424.7179… → 2 424.72 SEK, which the
    // ledger allocates over 99.99 / 25.00 / 77.77 / 9.33: 1 143.14 / 285.81 / 889.11 / 106.66.
    setNow(t, '2027-01-15T10:00:00Z');
    await t.db.transaction(t.tenantId, (s) =>
      s.exchangeRates.upsert({ currency: 'EUR', rateDate: '2027-01-01', rateScaled: 114_325_000_000n, source: 'manual', updatedAt: new Date() }),
    );
    const o = await deliveredOrder(t, { name: 'Euro AB', country: 'SE', currency: 'EUR' }, [
      { description: 'Lampa', quantity: '3', unit_price: '33.33', tax_class: 'standard' },
      { description: 'Hotell', quantity: '1', unit_price: '77.77', tax_class: 'reduced_12' },
    ]);
    const inv = await issue(o.order.id);
    expect([inv.currency, inv.gross_total.amount, inv.vat_total.amount]).toEqual(['EUR', '212.09', '34.33']);
    const jan = await ok('GET', '/v1/reports/vat?from=2027-01-01&to=2027-01-31');
    expect(box(jan, '05')).toEqual(['2032.25', '2032']); // 1 143.14 + 889.11
    expect(box(jan, '10')).toEqual(['285.81', '285']);
    expect(box(jan, '11')).toEqual(['106.66', '106']);
    expect(box(jan, '49')).toEqual(['392.47', '391']); // declared 285 + 106
    const tb = await t.db.transaction(t.tenantId, (s) => s.journal.trialBalance({ from: '2027-01-01', to: '2027-01-31' }));
    const credit = (account: string) => tb.filter((r) => r.account === account).reduce((a, r) => a + r.creditMinor - r.debitMinor, 0n);
    expect([credit('3001') + credit('3002'), credit('2611'), credit('2621')]).toEqual([203225n, 28581n, 10666n]);
  });

  it('reports an advance when it is invoiced and only the rest on the final invoice that deducts it', async () => {
    // Order: 10 × 1 000.00 at 25 % and 40 × 50.00 at 12 % (net 12 000.00, VAT 2 740.00). A 30 % deposit
    // issued 2027-02-10: 3 000.00 (VAT 750.00) + 600.00 (VAT 72.00). The final invoice, 2027-03-10, has
    // the whole supply and deducts the deposit: March = 10 000 − 3 000 = 7 000.00 at 25 % (VAT 1 750.00)
    // and 2 000 − 600 = 1 400.00 at 12 % (VAT 168.00). Each month ties to 2611 / 2621.
    setNow(t, '2027-02-10T10:00:00Z');
    const c = await ok('POST', '/v1/customers', { name: 'Förskott AB', country: 'SE', currency: 'SEK', payment_terms_days: 30 });
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
    const deposit = await ok('POST', `/v1/orders/${order.id}/advance-invoices`, { kind: 'deposit', percent: '30', issue: true });
    expect(deposit.vat_total.amount).toBe('822.00');
    setNow(t, '2027-03-10T10:00:00Z');
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    const final = await issue(order.id);
    expect(final.prepaid.amount).toBe('4422.00');

    const ledgerVat = async (from: string, to: string) => {
      const tb = await t.db.transaction(t.tenantId, (s) => s.journal.trialBalance({ from, to }));
      const credit = (account: string) => tb.filter((r) => r.account === account).reduce((a, r) => a + r.creditMinor - r.debitMinor, 0n);
      return [credit('2611'), credit('2621')];
    };
    const feb = await ok('GET', '/v1/reports/vat?from=2027-02-01&to=2027-02-28');
    expect([box(feb, '05'), box(feb, '10'), box(feb, '11'), box(feb, '49')]).toEqual([['3600.00', '3600'], ['750.00', '750'], ['72.00', '72'], ['822.00', '822']]);
    expect(await ledgerVat('2027-02-01', '2027-02-28')).toEqual([75000n, 7200n]);
    const mar = await ok('GET', '/v1/reports/vat?from=2027-03-01&to=2027-03-31');
    expect([box(mar, '05'), box(mar, '10'), box(mar, '11'), box(mar, '49')]).toEqual([['8400.00', '8400'], ['1750.00', '1750'], ['168.00', '168'], ['1918.00', '1918']]);
    expect(await ledgerVat('2027-03-01', '2027-03-31')).toEqual([175000n, 16800n]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('gives CSV with format=csv', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/v1/reports/vat?from=2026-11-01&to=2026-11-30&format=csv', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('box;label;amount_sek;declared_kronor');
    expect(lines).toContain('05;Momspliktig försäljning som inte ingår i ruta 06, 07 eller 08;4599.20;4599');
    expect(lines).toContain('10;Utgående moms 25 %;449.55;449');
    expect(lines).toContain('39;Försäljning av tjänster till näringsidkare i annat EU-land enligt huvudregeln;12000.00;12000');
    expect(lines).toContain('49;Moms att betala eller få tillbaka;767.67;767');
    expect(lines).toHaveLength(15);
  });

  it('q2c report vat prints the same CSV and the boxes', async () => {
    const lines: string[] = [];
    const run = (...args: string[]) => buildProgram({
      wire: async (): Promise<CliWiring> => ({ deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} }),
      serve: async () => ({ url: 'x' }),
      out: (l) => lines.push(...l.split('\r\n')),
    }).parseAsync(['node', 'q2c', 'report', 'vat', '--from', '2026-11-01', '--to', '2026-11-30', '--tenant', t.tenantId, ...args]);
    await run('--csv');
    expect(lines[0]).toBe('box;label;amount_sek;declared_kronor');
    expect(lines).toContain('10;Utgående moms 25 %;449.55;449');
    expect(lines).toContain('49;Moms att betala eller få tillbaka;767.67;767');
    lines.length = 0;
    await run();
    expect(lines[0]).toBe('Momsdeklaration 2026-11-01 – 2026-11-30 (SEK; 5 invoice(s), 1 credit note(s))');
    expect(lines.find((l) => l.trimStart().startsWith('49 '))).toMatch(/767\.67 SEK\s+declared\s+767\s/);
  });

  it('refuses a missing or reversed period, naming the field', async () => {
    const missing = await call('GET', '/v1/reports/vat?to=2026-11-30');
    expect(missing.status).toBe(400);
    expect(missing.body.error.param).toBe('from');
    const reversed = await call('GET', '/v1/reports/vat?from=2026-12-01&to=2026-11-30');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.param).toBe('to');
    const bad = await call('GET', '/v1/reports/vat?from=2026-11-01&to=2026-11-31');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('to');
  });
});
