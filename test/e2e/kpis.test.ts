/**
 * KPIs over HTTP, on every configured database, on a seeded history with a controlled clock (each step
 * at 10:00 UTC = 11:00 in Stockholm, so the dates are the UTC dates). Period: November 2026 (30 days).
 * All customers SEK, 30 days' terms, one 25 % line each.
 *
 *   G  quote sent and accepted 2026-09-20, delivered 09-25, invoiced 10-01 (800.00 + VAT = 1 000.00,
 *      due 10-31), never paid: open and overdue all through November.
 *   A  sent 10-28, accepted 11-02, delivered 11-06, invoiced 11-09 (1 600.00 → 2 000.00), paid 11-20.
 *   B  sent 11-03, accepted 11-05, delivered 11-12, invoiced 11-12 (2 400.00 → 3 000.00), paid 11-26.
 *   C  sent 11-04, accepted 11-10, delivered 11-11, invoiced 11-16 (3 200.00 → 4 000.00, due 12-16), unpaid.
 *   D  sent 11-05, declined 11-08.
 *   E  sent 11-06, still open.
 *   F  sent 11-20, accepted 12-02 (after the period: open at its end).
 *
 * Quotes first sent in November: B, C, D, E, F = 5; by 11-30 accepted B, C = 2; declined D = 1;
 * expired 0; open E, F = 2. Win rate of decided = 2 / 3 = 66.67 %; conversion of sent = 2 / 5 = 40.00 %.
 * Stages ending in November (days):
 *   sent → accepted        A 5 (10-28→11-02), B 2, C 6          → n 3, average 13/3 = 4.33, median 5
 *   accepted → delivered   A 4, B 7, C 1                         → n 3, average 4.00, median 4
 *   delivered → invoiced   A 3, B 0, C 5                         → n 3, average 8/3 = 2.67, median 3
 *   issued → paid          A 11 (11-09→11-20), B 14 (11-12→11-26) → n 2, average 12.50, median 12.5
 * Receivables (SEK): opening AR (end of 10-31) = G 1 000.00; credit sales = 2 000 + 3 000 + 4 000 =
 * 9 000.00; closing AR = G 1 000 + C 4 000 = 5 000.00, of which current (due after 11-30) C 4 000.00.
 *   DSO = 5 000 / 9 000 × 30 = 16.666… → 16.67 days
 *   CEI = (1 000 + 9 000 − 5 000) / (1 000 + 9 000 − 4 000) × 100 = 5 000 / 6 000 × 100 = 83.33 %
 */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/app/shared/clock.js';
import { buildProgram, type CliWiring } from '../../src/cli/program.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

const setNow = (t: TestApp, date: string) => Object.assign(t.deps.clock, fixedClock(new Date(`${date}T10:00:00Z`)));

describe.each(TEST_DATABASES)('KPIs on a seeded history [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-09-20T10:00:00Z') });
  const { call, ok } = client(t);

  async function sentQuote(name: string, unitPrice: string, sentOn: string) {
    setNow(t, sentOn);
    const customer = await ok('POST', '/v1/customers', { name, country: 'SE', currency: 'SEK', payment_terms_days: 30 });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id, lines: [{ description: 'Arbete', quantity: '1', unit_price: unitPrice, tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    return quote;
  }

  /** accepted, confirmed, delivered and invoiced on the given days; returns the issued invoice */
  async function run(quoteId: string, days: { accepted: string; delivered?: string; invoiced?: string }) {
    setNow(t, days.accepted);
    const order = await ok('POST', `/v1/quotes/${quoteId}/accept`);
    await ok('POST', `/v1/orders/${order.id}/confirm`);
    if (days.delivered === undefined) return undefined;
    setNow(t, days.delivered);
    const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
    await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
    if (days.invoiced === undefined) return undefined;
    setNow(t, days.invoiced);
    const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
    return ok('POST', `/v1/invoices/${draft.id}/issue`, {});
  }

  async function pay(invoice: any, on: string) {
    setNow(t, on);
    const p = await ok('POST', '/v1/payments', {
      amount: invoice.gross_total, received_on: on, reference_text: `OCR ${invoice.payment_reference}`, auto_apply: true,
    });
    expect(p.unapplied_amount.amount).toBe('0.00');
  }

  it('computes conversion, days per stage, DSO and CEI for November', async () => {
    const g = await sentQuote('G AB', '800.00', '2026-09-20');
    const invG = await run(g.id, { accepted: '2026-09-20', delivered: '2026-09-25', invoiced: '2026-10-01' });
    expect([invG.gross_total.amount, invG.due_date]).toEqual(['1000.00', '2026-10-31']);

    const a = await sentQuote('A AB', '1600.00', '2026-10-28');
    const b = await sentQuote('B AB', '2400.00', '2026-11-03');
    const c = await sentQuote('C AB', '3200.00', '2026-11-04');
    const d = await sentQuote('D AB', '100.00', '2026-11-05');
    await sentQuote('E AB', '100.00', '2026-11-06');
    const invA = await run(a.id, { accepted: '2026-11-02', delivered: '2026-11-06', invoiced: '2026-11-09' });
    const invB = await run(b.id, { accepted: '2026-11-05', delivered: '2026-11-12', invoiced: '2026-11-12' });
    setNow(t, '2026-11-08');
    await ok('POST', `/v1/quotes/${d.id}/decline`, { reason: 'För dyrt' });
    const invC = await run(c.id, { accepted: '2026-11-10', delivered: '2026-11-11', invoiced: '2026-11-16' });
    expect(invC.due_date).toBe('2026-12-16');
    await pay(invA, '2026-11-20');
    const f = await sentQuote('F AB', '100.00', '2026-11-20');
    await pay(invB, '2026-11-26');
    await run(f.id, { accepted: '2026-12-02' });

    const k = await ok('GET', '/v1/reports/kpis?from=2026-11-01&to=2026-11-30');
    expect(k).toMatchObject({ object: 'kpi_report', from: '2026-11-01', to: '2026-11-30', time_zone: 'Europe/Stockholm' });
    expect(k.quotes).toEqual({
      sent: 5, accepted: 2, declined: 1, expired: 0, open: 2,
      win_rate_of_decided_percent: '66.67', conversion_rate_of_sent_percent: '40.00',
    });
    expect(k.stages).toEqual({
      sent_to_accepted: { count: 3, average_days: '4.33', median_days: '5', min_days: 2, max_days: 6 },
      accepted_to_delivered: { count: 3, average_days: '4.00', median_days: '4', min_days: 1, max_days: 7 },
      delivered_to_invoiced: { count: 3, average_days: '2.67', median_days: '3', min_days: 0, max_days: 5 },
      issued_to_paid: { count: 2, average_days: '12.50', median_days: '12.5', min_days: 11, max_days: 14 },
    });
    const sek = (amount: string) => ({ amount, currency: 'SEK' });
    expect(k.receivables).toEqual({
      opening_ar: sek('1000.00'),
      closing_ar: sek('5000.00'),
      closing_current_ar: sek('4000.00'),
      credit_sales: sek('9000.00'),
      days: 30,
      dso_days: '16.67',
      cei_percent: '83.33',
    });
    const csv = await t.server.inject({ method: 'GET', url: '/v1/reports/kpis?from=2026-11-01&to=2026-11-30&format=csv', headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('metric,value');
    for (const l of ['quotes_sent,5', 'win_rate_of_decided_percent,66.67', 'sent_to_accepted_median_days,5', 'issued_to_paid_average_days,12.50', 'closing_ar_SEK,5000.00', 'dso_days,16.67', 'cei_percent,83.33']) {
      expect(lines).toContain(l);
    }

    // October: G was invoiced (1 000.00) and is open at 10-31, its due date: not current (as in the aging
    // report, an item is current only while its due date is after the as-of date). A's quote was sent
    // (the cohort is A, still open at 10-31); G's delivered → invoiced (09-25 → 10-01) ends in October.
    const oct = await ok('GET', '/v1/reports/kpis?from=2026-10-01&to=2026-10-31');
    expect(oct.quotes).toMatchObject({ sent: 1, accepted: 0, open: 1, win_rate_of_decided_percent: null, conversion_rate_of_sent_percent: '0.00' });
    expect(oct.stages.delivered_to_invoiced).toEqual({ count: 1, average_days: '6.00', median_days: '6', min_days: 6, max_days: 6 });
    expect(oct.stages.issued_to_paid).toEqual({ count: 0, average_days: null, median_days: null, min_days: null, max_days: null });
    // DSO = 1 000 / 1 000 × 31 = 31.00; CEI = (0 + 1 000 − 1 000) / (0 + 1 000 − 0) × 100 = 0.00
    expect(oct.receivables).toMatchObject({ opening_ar: sek('0.00'), closing_ar: sek('1000.00'), closing_current_ar: sek('0.00'), credit_sales: sek('1000.00'), days: 31, dso_days: '31.00' });
    expect(oct.receivables.cei_percent).toBe('0.00');
  }, 120_000);

  it('q2c report kpis prints the same figures', async () => {
    const lines: string[] = [];
    await buildProgram({
      wire: async (): Promise<CliWiring> => ({ deps: t.deps, kind, freshEmbedded: false, migrations: [], close: async () => {} }),
      serve: async () => ({ url: 'x' }),
      out: (l) => lines.push(l),
    }).parseAsync(['node', 'q2c', 'report', 'kpis', '--from', '2026-11-01', '--to', '2026-11-30', '--tenant', t.tenantId]);
    expect(lines).toContain('  quotes sent 5: accepted 2, declined 1, expired 0, open 2');
    expect(lines).toContain('  win rate of decided 66.67 %, conversion of sent 40.00 %');
    expect(lines).toContain('  issuedToPaid         n=2 average 12.50 d, median 12.5 d');
    expect(lines).toContain('  DSO 16.67 days over 30 days, CEI 83.33 %');
  });

  it('refuses a reversed period, naming the field', async () => {
    const r = await call('GET', '/v1/reports/kpis?from=2026-12-01&to=2026-11-30');
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe('to');
  });
});
