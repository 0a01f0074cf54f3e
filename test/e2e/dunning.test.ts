/**
 * Dunning end to end (issue 7 item 6): the schedule and its fee cap, reminder levels at 7 and 21 days,
 * one consolidated reminder per customer and currency, the reminder fee and interest invoiced as
 * numbered invoices (1510 / 3990 and 1510 / 8313, no VAT), late-payment interest on a known example
 * (10 000.00 SEK, 30 days, reference 2.00 % + 8 pp = 10 % → 82.19 SEK, rounded half up once per
 * invoice), not sent twice on the same day, paused by an open claim, stopped when paid, and the ledger
 * invariants after it all.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { reminderDocumentData } from '../../src/app/dunning/reminders.js';
import { reminderEmailContent, reminderSentEmailHandler } from '../../src/integrations/email/reminder-email.js';
import type { MailMessage } from '../../src/integrations/email/mailer.js';
import { runScheduledJobs } from '../../src/app/jobs/run-jobs.js';
import type { Id } from '../../src/core/shared/ids.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { assertLedgerInvariants } from '../support/invariants.js';
import { pdfPages, requirePdftotext } from '../support/pdf.js';
import { client } from '../api/helpers.js';

/** 8 000.00 + 25 % VAT = 10 000.00 SEK gross. */
const TEN_THOUSAND = [{ description: 'Konsultuppdrag', quantity: '1', unit_price: '8000.00', tax_class: 'standard' }];
/** 1 000.00 + 25 % = 1 250.00 SEK gross. */
const ONE_250 = [{ description: 'Konsulttimme', quantity: '8', unit_price: '125.00', tax_class: 'standard' }];

async function deliveredOrderFor(t: TestApp, customerId: string, lines: Record<string, unknown>[]) {
  const { ok } = client(t);
  const quote = await ok('POST', '/v1/quotes', { customer_id: customerId, lines });
  await ok('POST', `/v1/quotes/${quote.id}/send`);
  const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
  await ok('POST', `/v1/orders/${order.id}/confirm`);
  const d = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
  await ok('POST', `/v1/deliveries/${d.id}/ship`, {});
  const delivery = await ok('POST', `/v1/deliveries/${d.id}/deliver`, {});
  return { order, delivery };
}

/** An issued invoice of `lines` for the customer, issued on `issueDate` (30 days' terms). */
async function issuedOn(t: TestApp, customerId: string, lines: Record<string, unknown>[], issueDate: string) {
  const { ok } = client(t);
  const { order, delivery } = await deliveredOrderFor(t, customerId, lines);
  const draft = await ok('POST', '/v1/invoices', { order_id: order.id });
  const invoice = await ok('POST', `/v1/invoices/${draft.id}/issue`, { issue_date: issueDate });
  return { order, delivery, invoice };
}

const outboxOf = async (t: TestApp, type: string) =>
  (await t.kysely.selectFrom('outbox').select(['event_type', 'payload']).where('tenant_id', '=', t.tenantId).orderBy('id').execute()).filter(
    (e) => e.event_type === type,
  );

describe.each(TEST_DATABASES)('dunning: levels, fee, interest, once a day [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  beforeAll(() => requirePdftotext());

  it('has the statutory defaults and refuses a fee above the cap, naming the field', async () => {
    const { ok, call } = client(t);
    const defaults = await ok('GET', '/v1/dunning/settings');
    expect(defaults.levels.map((l: any) => l.days_after_due)).toEqual([7, 21]);
    expect(defaults.fee_cap).toEqual({ amount: '60.00', currency: 'SEK' });
    // no fee unless the tenant sets one: a reminder fee must have been agreed (lag 1981:739 2 §)
    expect(defaults.levels.map((l: any) => l.fee.amount)).toEqual(['0.00', '0.00']);
    expect(defaults.interest.margin).toBe('8');
    expect(defaults.updated_at).toBeNull();

    const tooHigh = await call('PUT', '/v1/dunning/settings', {
      levels: [{ days_after_due: 7 }, { days_after_due: 21, fee: { amount: '60.01', currency: 'SEK' } }],
    });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.body.error.code).toBe('validation_failed');
    expect(tooHigh.body.error.param).toBe('levels.1.fee');

    const unordered = await call('PUT', '/v1/dunning/settings', { levels: [{ days_after_due: 21 }, { days_after_due: 7 }] });
    expect(unordered.status).toBe(400);
    expect(unordered.body.error.param).toBe('levels.1.days_after_due');

    const set = await ok('PUT', '/v1/dunning/settings', {
      levels: [{ days_after_due: 7 }, { days_after_due: 21, fee: { amount: '60.00', currency: 'SEK' } }],
      interest: { minimum: { amount: '50.00', currency: 'SEK' } },
    });
    expect(set.levels[1].fee).toEqual({ amount: '60.00', currency: 'SEK' });
    expect(set.interest.minimum).toEqual({ amount: '50.00', currency: 'SEK' });

    await ok('PUT', '/v1/reference-rates/2026-07-01', { rate: '2.00' });
    const rates = await ok('GET', '/v1/reference-rates');
    expect(rates.data.map((r: any) => [r.date, r.rate])).toEqual([['2026-07-01', '2']]);
    expect((await call('PUT', '/v1/reference-rates/2026-13-01', { rate: '2' })).body.error.param).toBe('date');
  });

  it('reminds at 7 and 21 days, once per level and day, with the fee and 82.19 SEK interest invoiced', async () => {
    const { ok } = client(t);
    // levels at 7 and 21 days, 60.00 at level 2, interest invoiced above 50.00; reference rate 2.00 % from 2026-07-01
    await ok('PUT', '/v1/dunning/settings', {
      levels: [{ days_after_due: 7 }, { days_after_due: 21, fee: { amount: '60.00', currency: 'SEK' } }],
      interest: { minimum: { amount: '50.00', currency: 'SEK' } },
    });
    await ok('PUT', '/v1/reference-rates/2026-07-01', { rate: '2.00' });
    const customer = await ok('POST', '/v1/customers', { name: 'Sen Betalare AB', country: 'SE', currency: 'SEK', email: 'ekonomi@senbetalare.se' });
    // A: 10 000.00 SEK issued 2026-10-05, due 2026-11-04
    const a = await issuedOn(t, customer.id, TEN_THOUSAND, '2026-10-05');
    expect(a.invoice.due_date).toBe('2026-11-04');
    expect(a.invoice.payable_total).toEqual({ amount: '10000.00', currency: 'SEK' });

    // 2026-11-10: 6 days past due, below level 1: reported overdue, no reminder
    const r0 = await ok('POST', '/v1/dunning/runs', { date: '2026-11-10' });
    expect(r0.reminders).toEqual([]);
    expect(r0.overdue.map((o: any) => o.invoice_id)).toEqual([a.invoice.id]);

    // 2026-11-11: 7 days → level 1, no fee; 7 days' interest 19.18 is below the 50.00 minimum
    const r1 = await ok('POST', '/v1/dunning/runs', { date: '2026-11-11' });
    expect(r1.already_run).toBe(false);
    expect(r1.overdue).toEqual([]); // invoice.overdue once per invoice
    expect(r1.reminders).toHaveLength(1);
    expect(r1.reminders[0]).toMatchObject({
      customer_id: customer.id,
      currency: 'SEK',
      level: 1,
      open_total: { amount: '10000.00', currency: 'SEK' },
      fee: { amount: '0.00', currency: 'SEK' },
      fee_invoice_id: null,
      interest_invoice_id: null,
    });
    expect(r1.reminders[0].invoices).toEqual([
      expect.objectContaining({ invoice_id: a.invoice.id, level: 1, escalated: true, days_overdue: 7 }),
    ]);
    expect(r1.interest_not_invoiced).toEqual([
      { customer_id: customer.id, currency: 'SEK', interest: { amount: '19.18', currency: 'SEK' }, reason: 'below_minimum' },
    ]);

    // the same day again: nothing is sent (with or without an Idempotency-Key; a retry with the key replays)
    const again = await ok('POST', '/v1/dunning/runs', { date: '2026-11-11' });
    const keyed = await ok('POST', '/v1/dunning/runs', { date: '2026-11-11' }, { 'idempotency-key': 'dun-2026-11-11' });
    expect(keyed).toMatchObject({ id: r1.id, already_run: true });
    expect(await ok('POST', '/v1/dunning/runs', { date: '2026-11-11' }, { 'idempotency-key': 'dun-2026-11-11' })).toEqual(keyed);
    expect(again.already_run).toBe(true);
    expect(again.id).toBe(r1.id);
    expect((await ok('GET', `/v1/reminders?customer_id=${customer.id}`)).data).toHaveLength(1);
    expect(await outboxOf(t, 'reminder.sent')).toHaveLength(1);

    // 2026-11-12: still level 1: no second level-1 reminder
    const r2 = await ok('POST', '/v1/dunning/runs', { date: '2026-11-12' });
    expect(r2.reminders).toEqual([]);

    // B: 1 250.00 SEK issued 2026-11-01, due 2026-12-01 (3 days past due on 2026-12-04)
    const b = await issuedOn(t, customer.id, ONE_250, '2026-11-01');
    expect(b.invoice.due_date).toBe('2026-12-01');

    // 2026-12-04: A is 30 days past due → level 2 with the 60.00 fee; B is listed at its own level (0);
    // interest A: 10 000.00 × (2.00 + 8) % × 30 / 365 = 82.1917… → 82.19 (half up, once per invoice);
    // B: 1 250.00 × 10 % × 3 / 365 = 1.0273… → 1.03; together 83.22 > 50.00 → one interest invoice
    const r3 = await ok('POST', '/v1/dunning/runs', { date: '2026-12-04' });
    expect(r3.overdue.map((o: any) => o.invoice_id)).toEqual([b.invoice.id]);
    expect(r3.reminders).toHaveLength(1);
    expect(r3.failed).toEqual([]);
    const rem = r3.reminders[0];
    expect(rem.level).toBe(2);
    expect(rem.open_total).toEqual({ amount: '11250.00', currency: 'SEK' });
    expect(rem.fee).toEqual({ amount: '60.00', currency: 'SEK' });
    expect(rem.interest).toEqual({ amount: '83.22', currency: 'SEK' });
    expect(rem.invoices).toEqual([
      { invoice_id: a.invoice.id, number: a.invoice.number, level: 2, escalated: true, days_overdue: 30, open: { amount: '10000.00', currency: 'SEK' }, interest: { amount: '82.19', currency: 'SEK' } },
      { invoice_id: b.invoice.id, number: b.invoice.number, level: 0, escalated: false, days_overdue: 3, open: { amount: '1250.00', currency: 'SEK' }, interest: { amount: '1.03', currency: 'SEK' } },
    ]);

    // the fee and the interest are real, numbered invoices with their own open items, outside VAT
    const fee = await ok('GET', `/v1/invoices/${rem.fee_invoice_id}`);
    expect(fee.number).toBe(rem.fee_invoice_number);
    expect(fee.number).toMatch(/^2026-\d{5}$/);
    expect(fee.payment_reference).toBeTruthy();
    expect(fee.payable_total).toEqual({ amount: '60.00', currency: 'SEK' });
    expect(fee.amount_due).toEqual({ amount: '60.00', currency: 'SEK' });
    expect(fee.order_id).toBeNull();
    const interestInvoice = await ok('GET', `/v1/invoices/${rem.interest_invoice_id}`);
    expect(interestInvoice.number).toBe(rem.interest_invoice_number);
    expect(interestInvoice.payable_total).toEqual({ amount: '83.22', currency: 'SEK' });
    const chargePdf = async (id: string) => {
      const res = await t.server.inject({ url: `/v1/dunning/charges/${id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      return pdfPages(res.rawPayload).flat;
    };
    // the ordinary invoice endpoints know these invoices too: the PDF prints the charge, UBL and send refuse
    const viaInvoices = await t.server.inject({ url: `/v1/invoices/${rem.fee_invoice_id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(viaInvoices.statusCode).toBe(200);
    expect(pdfPages(viaInvoices.rawPayload).flat).toContain('Påminnelseavgift, betalningspåminnelse');
    expect((await t.server.inject({ url: `/v1/invoices/${rem.fee_invoice_id}/ubl`, headers: { authorization: `Bearer ${t.apiKey}` } })).statusCode).toBe(409);
    expect((await t.server.inject({ method: 'POST', url: `/v1/invoices/${rem.interest_invoice_id}/send`, headers: { authorization: `Bearer ${t.apiKey}` } })).statusCode).toBe(409);
    const feeText = await chargePdf(rem.fee_invoice_id);
    expect(feeText).toContain('Påminnelseavgift, betalningspåminnelse');
    expect(feeText).toContain(rem.number);
    expect(feeText).toContain('utanför momsens tillämpningsområde');
    expect(feeText).toContain(fee.number);
    const interestText = await chargePdf(rem.interest_invoice_id);
    const unwrapped = interestText.replace(/\s+/g, ' ');
    expect(unwrapped).toContain('Dröjsmålsränta (räntelagen 6 §) på faktura 1 st 82,19 0% 82,19');
    expect(unwrapped).toContain(`${a.invoice.number}, 10 000,00: 2026-11-04 – 2026-12-04, 30 dagar à 10 %`);
    expect(unwrapped).toContain(`${b.invoice.number}, 1 250,00: 2026-12-01 – 2026-12-04, 3 dagar à 10 %`);
    expect(unwrapped).toMatch(/Att betala 83,22 SEK/);
    expect(Number(interestInvoice.number.slice(5))).toBe(Number(fee.number.slice(5)) + 1); // the same gapless INV series

    // postings: 1510 / 3990 (reminder fee) and 1510 / 8313 (interest), no VAT account
    const s = t.db.store(t.tenantId);
    const feeEntry = (await s.journal.list({ limit: 10 }, { sourceId: rem.fee_invoice_id })).data[0]!;
    expect(feeEntry.lines.map((l) => [l.account, l.debitMinor, l.creditMinor])).toEqual([
      ['1510', 6000n, 0n],
      ['3990', 0n, 6000n],
    ]);
    const interestEntry = (await s.journal.list({ limit: 10 }, { sourceId: rem.interest_invoice_id })).data[0]!;
    expect(interestEntry.lines.map((l) => [l.account, l.debitMinor, l.creditMinor])).toEqual([
      ['1510', 8322n, 0n],
      ['8313', 0n, 8322n],
    ]);

    // the reminder as stored, its PDF and its e-mail
    const stored = await ok('GET', `/v1/reminders/${rem.id}`);
    expect(stored.total_to_pay).toEqual({ amount: '11393.22', currency: 'SEK' });
    expect(stored.language).toBe('sv');
    const pdf = await t.server.inject({ url: `/v1/reminders/${rem.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { flat } = pdfPages(pdf.rawPayload);
    expect(flat).toContain('Betalningspåminnelse');
    expect(flat).toContain(rem.number);
    expect(flat).toContain(a.invoice.number);
    expect(flat).toContain('Påminnelseavgift (faktura ' + rem.fee_invoice_number + ')');
    expect(flat).toMatch(/Totalt att betala 11 393,22 SEK/);
    const english = pdfPages((await t.server.inject({ url: `/v1/reminders/${rem.id}/pdf?lang=en`, headers: { authorization: `Bearer ${t.apiKey}` } })).rawPayload);
    expect(english.flat).toContain('Payment reminder');
    expect(english.flat).toContain('Late-payment interest (interest invoice ' + rem.interest_invoice_number + ')');
    // the outbox handler of reminder.sent mails the reminder with the fee and interest invoice PDFs
    const sentMail: MailMessage[] = [];
    const handler = reminderSentEmailHandler({
      app: t.deps,
      mailer: { send: async (msg) => (sentMail.push(msg), { messageId: 'test', via: 'eml' as const }), close: async () => {} },
    });
    const event = (await t.kysely.selectFrom('outbox').selectAll().where('tenant_id', '=', t.tenantId).where('event_type', '=', 'reminder.sent').orderBy('id').execute()).at(-1)!;
    await handler.handle({ id: event.id, tenantId: t.tenantId, eventType: event.event_type, payload: event.payload, createdAt: event.created_at, attempts: 0 });
    expect(sentMail).toHaveLength(1);
    expect(sentMail[0]!.to).toBe('ekonomi@senbetalare.se');
    expect(sentMail[0]!.attachments.map((x) => x.filename)).toEqual([`${rem.number}.pdf`, `${fee.number}.pdf`, `${interestInvoice.number}.pdf`]);
    const mail = reminderEmailContent(await t.db.transaction(t.tenantId, (tx) => reminderDocumentData(tx, rem.id as Id<'reminder'>)));
    expect(mail.subject).toMatch(new RegExp(`^Betalningspåminnelse ${rem.number} från `));
    expect(mail.text).toContain('Totalt att betala: 11');
    expect(mail.text).toContain(`Faktura ${a.invoice.number}`);

    // a later run neither reminds the fee / interest invoices nor charges interest on them
    const r4 = await ok('POST', '/v1/dunning/runs', { date: '2027-01-20' });
    const listed = r4.reminders.flatMap((r: any) => r.invoices.map((i: any) => i.invoice_id));
    expect(listed).not.toContain(rem.fee_invoice_id);
    expect(listed).not.toContain(rem.interest_invoice_id);
    expect(await outboxOf(t, 'invoice.overdue')).toHaveLength(2);

    await assertLedgerInvariants(t.db, t.tenantId);
  });
});

describe.each(TEST_DATABASES)('dunning: paused by an open claim, stopped when paid [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });

  it('leaves out an invoice with an open claim until the claim is closed, and a paid invoice altogether', async () => {
    const { ok } = client(t);
    await ok('PUT', '/v1/reference-rates/2026-01-01', { rate: '2.00' });
    const disputing = await ok('POST', '/v1/customers', { name: 'Reklamerande AB', country: 'SE', currency: 'SEK' });
    const payer = await ok('POST', '/v1/customers', { name: 'Betalare AB', country: 'SE', currency: 'SEK' });
    const c = await issuedOn(t, disputing.id, ONE_250, '2026-10-05');
    const d = await issuedOn(t, payer.id, ONE_250, '2026-10-05');

    // a claim on the disputed invoice's delivery
    const reported = await ok('POST', `/v1/deliveries/${c.delivery.id}/claims`, {
      lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Fel i leveransen' }],
    });
    const claimId = (reported.claims as any[])[0].id;

    // the payer pays in full
    const pay = await ok('POST', '/v1/payments', { amount: { amount: '1250.00', currency: 'SEK' }, reference_text: d.invoice.payment_reference });
    await ok('POST', `/v1/payments/${pay.id}/apply`, {});

    const r1 = await ok('POST', '/v1/dunning/runs', { date: '2026-11-12' });
    expect(r1.reminders).toEqual([]);
    expect(r1.paused).toEqual([{ invoice_id: c.invoice.id, number: c.invoice.number, customer_id: disputing.id, reason: 'open_claim' }]);
    // the paid invoice is not overdue any more: never reported, never reminded
    expect(r1.overdue.map((o: any) => o.invoice_id)).toEqual([c.invoice.id]);

    await ok('POST', `/v1/claims/${claimId}/reject`, { reason: 'Skadan uppstod efter leverans' });
    const r2 = await ok('POST', '/v1/dunning/runs', { date: '2026-11-13' });
    expect(r2.paused).toEqual([]);
    expect(r2.reminders.map((r: any) => [r.customer_id, r.level])).toEqual([[disputing.id, 1]]);
    expect((await ok('GET', `/v1/reminders?customer_id=${payer.id}`)).data).toEqual([]);

    // a run that stopped before storing its report (a crash) is resumed, not skipped, by the next run of its date
    await sql`insert into dunning_runs (tenant_id, id, run_date, report, actor) values (${t.tenantId}, 'dun_crashed', '2026-11-20', null, 'test')`.execute(t.kysely);
    const resumed = await ok('POST', '/v1/dunning/runs', { date: '2026-11-20' });
    expect(resumed).toMatchObject({ id: 'dun_crashed', already_run: false, failed: [] });
    expect((await ok('POST', '/v1/dunning/runs', { date: '2026-11-20' })).already_run).toBe(true);

    // the scheduled job runs dunning for today, once: a second job run the same day sends nothing
    const job1 = (await runScheduledJobs(t.deps)).find((r) => r.tenantId === t.tenantId)!;
    expect(job1.dunningRun?.run_date).toBe('2026-12-04');
    expect(job1.dunningRun?.already_run).toBe(false);
    const sentBefore = (await outboxOf(t, 'reminder.sent')).length;
    const job2 = (await runScheduledJobs(t.deps)).find((r) => r.tenantId === t.tenantId)!;
    expect(job2.dunningRun?.already_run).toBe(true);
    expect(job2.dunningRun?.id).toBe(job1.dunningRun?.id);
    expect(await outboxOf(t, 'reminder.sent')).toHaveLength(sentBefore);

    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
