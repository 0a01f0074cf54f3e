/**
 * Bad-debt write-offs (issue 8 part 4) over HTTP on every configured database: a 25 % + 12 % invoice
 * partly paid and the rest written off (D 6351 + 2611 + 2621 / C 1510, split in proportion to the
 * invoice, figures by hand), the invoice then written off with nothing open; the refusals, which write
 * nothing; and above the tenant's threshold a request that the requester cannot approve, a second
 * finance key can (posted then, re-checked against what is open then), or rejects; an invoice without
 * Swedish VAT (all to 6351); and a EUR invoice written off at its own rate, in base (the threshold
 * compares the base value). The ledger invariants hold after each.
 *
 * The invoice of MIXED_LINES: 8 × 125.00 = 1 000.00 at 25 % (VAT 250.00) + 5 × 100.00 = 500.00 at 12 %
 * (VAT 60.00) = 1 810.00.
 */
import { describe, expect, it } from 'vitest';
import type { JournalEntryRecord } from '../../src/app/ports.js';
import { parseRate } from '../../src/core/money/fx.js';
import { settableClock } from '../../src/app/shared/clock.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { draftInvoiceForCustomer, issuedInvoiceForCustomer } from '../support/orders.js';
import { assertLedgerInvariants } from '../support/invariants.js';

const sek = (amount: string) => ({ amount, currency: 'SEK' });

const MIXED_LINES = [
  { description: 'Konsulttimme', quantity: '8', unit_price: '125.00', tax_class: 'standard' },
  { description: 'Hotellnatt', quantity: '5', unit_price: '100.00', tax_class: 'reduced_12' },
];

describe.each(TEST_DATABASES)('bad-debt write-offs [%s]', (kind) => {
  // the first test issues its invoices on 20 Nov and writes off on 4 Dec (the clock moves); the second runs on 4 Dec
  const clock = settableClock(new Date('2026-11-20T10:00:00Z'));
  const t = useTestApp(kind, { clock });
  const { ok, call } = client(t);
  const as = (key: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.server.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  const customer = (name: string) =>
    ok('POST', '/v1/customers', {
      name, country: 'SE', currency: 'SEK', payment_terms_days: 30, org_number: '556036-0793', vat_number: 'SE556036079301',
      address: { line1: 'Storgatan 3', postal_code: '722 11', city: 'Västerås' },
    });

  const entries = async (sourceType: string): Promise<JournalEntryRecord[]> =>
    (await t.db.store(t.tenantId).journal.list({ limit: 100 }, { sourceType })).data;
  /** [account, debit, credit, customer?] of an entry's lines. */
  const lines = (e: JournalEntryRecord) => e.lines.map((l) => [l.account, l.debitMinor, l.creditMinor, l.customerId]);
  const writeOffRows = () => t.kysely.withTables<{ bad_debt_write_offs: { tenant_id: string; id: string } }>().selectFrom('bad_debt_write_offs').select('id').where('tenant_id', '=', t.tenantId).execute();
  async function events(type: string): Promise<Record<string, unknown>[]> {
    const rows = await t.kysely.selectFrom('outbox').select(['payload']).where('tenant_id', '=', t.tenantId).where('event_type', '=', type).execute();
    return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>);
  }

  it('writes off the rest of a partly paid 25 % + 12 % invoice: 6351 with the net, the VAT per rate back, 1510 to zero', async () => {
    const c = await customer('Konkursbo AB');
    const inv = await issuedInvoiceForCustomer(t, c.id, MIXED_LINES);
    const other = await issuedInvoiceForCustomer(t, c.id, MIXED_LINES);
    const draft = await draftInvoiceForCustomer(t, c.id, MIXED_LINES);
    expect(inv).toMatchObject({ issue_date: '2026-11-20', gross_total: sek('1810.00'), payment_status: 'unpaid', written_off: sek('0.00') });
    clock.set(new Date('2026-12-04T10:00:00Z'));

    const p = await ok('POST', '/v1/payments', { amount: sek('810.00'), received_on: '2026-12-01', customer_id: c.id });
    await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: inv.id }], applied_on: '2026-12-01' });
    expect(await ok('GET', `/v1/invoices/${inv.id}`)).toMatchObject({ amount_due: sek('1000.00'), payment_status: 'partially_paid' });

    // 1 000.00 open = 1 000.00 × 1 500/1 810 = 828.729 net, × 250/1 810 = 138.121 at 25 %, × 60/1 810 = 33.149 at 12 %;
    // floors 828.72 + 138.12 + 33.14 = 999.98, the 0.02 left to the largest remainders: net (.928) and 12 % (.917)
    const w = await call('POST', `/v1/invoices/${inv.id}/write-offs`, { reason: 'Kunden i konkurs, ingen utdelning' });
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({
      object: 'write_off', invoice_id: inv.id, customer_id: c.id, amount: sek('1000.00'), net_amount: sek('828.73'), vat_amount: sek('171.27'),
      base_amount: sek('1000.00'), written_off_on: '2026-12-04', reason: 'Kunden i konkurs, ingen utdelning', request_id: null, open_amount: sek('0.00'),
    });
    const [entry, ...more] = await entries('write_off');
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({ id: w.body.journal_entry_id, sourceId: w.body.id, entryDate: '2026-12-04', documentDate: null });
    expect(lines(entry!)).toEqual([
      ['6351', 828_73n, 0n, null],
      ['2611', 138_12n, 0n, null],
      ['2621', 33_15n, 0n, null],
      ['1510', 0n, 1_000_00n, c.id],
    ]);
    expect(await ok('GET', `/v1/invoices/${inv.id}`)).toMatchObject({ amount_due: sek('0.00'), payment_status: 'written_off', written_off: sek('1000.00') });
    const item = await t.db.store(t.tenantId).openItems.getByInvoice(inv.id);
    expect(item).toMatchObject({ openMinor: 0n, baseOpenMinor: 0n, writtenOffMinor: 1_000_00n });
    expect((await events('invoice.written_off')).filter((e) => e.id === inv.id)).toEqual([{
      id: inv.id, write_off_id: w.body.id, customer_id: c.id, amount_minor: '100000', currency: 'SEK', written_off_on: '2026-12-04', open_minor: '0',
    }]);
    const audit = await t.kysely.selectFrom('audit_log').select(['action', 'entity_id']).where('tenant_id', '=', t.tenantId).where('action', '=', 'invoice.written_off').execute();
    expect(audit).toEqual([{ action: 'invoice.written_off', entity_id: inv.id }]);
    // the aging as of the day before still has it open, as of the day not
    const before = await t.db.store(t.tenantId).openItems.listOpen({ asOf: '2026-12-03', customerId: c.id });
    expect(before.filter((i) => i.invoiceId === inv.id).map((i) => i.openMinor)).toEqual([1_000_00n]);
    const on = await t.db.store(t.tenantId).openItems.listOpen({ asOf: '2026-12-04', customerId: c.id });
    expect(on.filter((i) => i.invoiceId === inv.id)).toEqual([]);
    // the customer's statement shows it as an adjustment naming the invoice
    const statement = await ok('GET', `/v1/customers/${c.id}/statement?from=2026-12-04&to=2026-12-04`);
    expect(statement.currencies[0].lines.filter((l: { source_id: string }) => l.source_id === w.body.id)).toMatchObject([
      { kind: 'adjustment', reference: inv.number, amount: sek('-1000.00'), journal_entry_id: w.body.journal_entry_id },
    ]);
    await assertLedgerInvariants(t.db, t.tenantId);

    // refused, each naming what is wrong, and nothing is written
    const written = (await writeOffRows()).length;
    const refusals: [string, unknown, number, string, string | null][] = [
      [inv.id, { reason: 'igen' }, 409, 'conflict', null], // nothing open
      [draft.id, { reason: 'utkast' }, 409, 'invoice_not_issued', null],
      [other.id, { reason: 'för mycket', amount: sek('1810.01') }, 409, 'conflict', 'amount.amount'],
      [other.id, { reason: 'fel valuta', amount: { amount: '10.00', currency: 'EUR' } }, 422, 'currency_mismatch', 'amount.currency'],
      [other.id, { reason: 'noll', amount: sek('0.00') }, 400, 'validation_failed', 'amount.amount'],
      [other.id, { reason: '   ' }, 400, 'validation_failed', 'reason'],
      [other.id, { reason: 'x'.repeat(501) }, 400, 'validation_failed', 'reason'],
      [other.id, {}, 400, 'validation_failed', 'reason'],
      [other.id, { reason: 'före fakturan', written_off_on: '2026-11-19' }, 400, 'validation_failed', 'written_off_on'],
      [other.id, { reason: 'i framtiden', written_off_on: '2026-12-05' }, 400, 'validation_failed', 'written_off_on'],
    ];
    for (const [id, body, status, code, param] of refusals) {
      const r = await call('POST', `/v1/invoices/${id}/write-offs`, body);
      expect([r.status, r.body.error.code, r.body.error.param], JSON.stringify(body)).toEqual([status, code, param]);
    }
    const sales = (await ok('POST', '/v1/api-keys', { name: 'Säljare', role: 'sales' })).key as string;
    const bySales = await as(sales, 'POST', `/v1/invoices/${other.id}/write-offs`, { reason: 'inte min sak' });
    expect(bySales.statusCode).toBe(403);
    expect((await writeOffRows()).length).toBe(written);
    expect(await ok('GET', `/v1/invoices/${other.id}`)).toMatchObject({ amount_due: sek('1810.00'), payment_status: 'unpaid', written_off: sek('0.00') });

    // a part: 100.00 of 1 810.00 in öre: 10 000 × 1 500/1 810 = 8 287.29 net, × 250/1 810 = 1 381.22 at 25 %, × 60/1 810 = 331.49
    // at 12 % → 82.87 + 13.81 + 3.31 = 99.99, the öre to the largest remainder (.49, 12 %) → 3.32
    const part = await ok('POST', `/v1/invoices/${other.id}/write-offs`, { reason: 'Ackord 100 kr', amount: sek('100.00'), written_off_on: '2026-12-02' });
    expect(part).toMatchObject({ amount: sek('100.00'), net_amount: sek('82.87'), vat_amount: sek('17.13'), written_off_on: '2026-12-02', open_amount: sek('1710.00') });
    const partEntry = (await entries('write_off')).find((e) => e.sourceId === part.id)!;
    expect(lines(partEntry)).toEqual([['6351', 82_87n, 0n, null], ['2611', 13_81n, 0n, null], ['2621', 3_32n, 0n, null], ['1510', 0n, 100_00n, c.id]]);
    expect(await ok('GET', `/v1/invoices/${other.id}`)).toMatchObject({ amount_due: sek('1710.00'), payment_status: 'partially_paid', written_off: sek('100.00') });
    await assertLedgerInvariants(t.db, t.tenantId);

    // a closed period takes no write-off: it corrects VAT already reported
    await ok('POST', '/v1/ledger/close', { through: '2026-11-30' });
    const locked = await call('POST', `/v1/invoices/${other.id}/write-offs`, { reason: 'bakåt', written_off_on: '2026-11-25' });
    expect([locked.status, locked.body.error.code, locked.body.error.param]).toEqual([409, 'period_locked', 'written_off_on']);
    expect((await writeOffRows()).length).toBe(written + 1);
  });

  it('above the threshold: 202 with a request, the requester cannot approve, a second finance key posts it', async () => {
    // issued on 4 Dec (the first test closed November)
    const c = await customer('Obestånd AB');
    const big = await issuedInvoiceForCustomer(t, c.id, MIXED_LINES);
    const changed = await issuedInvoiceForCustomer(t, c.id, MIXED_LINES);
    const rejected = await issuedInvoiceForCustomer(t, c.id, MIXED_LINES);

    expect(await ok('GET', '/v1/settings/approvals')).toMatchObject({ refund_threshold: sek('50000.00'), write_off_approval_threshold: sek('5000.00') });
    const settings = await ok('PUT', '/v1/settings/approvals', { write_off_approval_threshold: '1000.00' });
    expect(settings).toMatchObject({ refund_threshold: sek('50000.00'), write_off_approval_threshold: sek('1000.00') });
    const bad = await call('PUT', '/v1/settings/approvals', { write_off_approval_threshold: '-1.00', refund_threshold: '10.00' });
    expect([bad.status, bad.body.error.param]).toEqual([400, 'write_off_approval_threshold']);
    expect(await ok('GET', '/v1/settings/approvals')).toMatchObject({ refund_threshold: sek('50000.00'), write_off_approval_threshold: sek('1000.00') });

    // at the threshold: posted at once
    const small = await call('POST', `/v1/invoices/${big.id}/write-offs`, { reason: 'Småbelopp', amount: sek('1000.00') });
    expect(small.status).toBe(201);
    // above it (810.00 left > 500.00): a request, nothing posted
    await ok('PUT', '/v1/settings/approvals', { write_off_approval_threshold: '500.00' });
    const posted = (await entries('write_off')).length;
    const large = await call('POST', `/v1/invoices/${big.id}/write-offs`, { reason: 'Konkurs, bevakning utan utdelning' });
    expect(large.status).toBe(202);
    expect(large.body).toMatchObject({
      object: 'write_off_request', invoice_id: big.id, amount: sek('810.00'), status: 'pending', written_off_on: null, write_off_id: null,
    });
    expect((await entries('write_off')).length).toBe(posted);
    expect(await ok('GET', `/v1/invoices/${big.id}`)).toMatchObject({ amount_due: sek('810.00') });
    expect((await ok('GET', '/v1/write-off-requests?status=pending')).data.map((r: { id: string }) => r.id)).toContain(large.body.id);

    // the requester cannot approve; a sales key cannot; a second finance key can
    const self = await call('POST', `/v1/write-off-requests/${large.body.id}/approve`);
    expect(self.status).toBe(403);
    expect(self.body.error.message).toMatch(/second finance user/);
    const sales = (await ok('POST', '/v1/api-keys', { name: 'Säljare 2', role: 'sales' })).key as string;
    expect((await as(sales, 'POST', `/v1/write-off-requests/${large.body.id}/approve`)).statusCode).toBe(403);
    const finance = (await ok('POST', '/v1/api-keys', { name: 'Ekonomi 2', role: 'finance' })).key as string;
    const approved = await as(finance, 'POST', `/v1/write-off-requests/${large.body.id}/approve`, { note: 'Intyg från konkursförvaltaren' });
    expect(approved.statusCode).toBe(201);
    // 810.00 = what was left after 1 000.00 of 1 810.00: 810 × 1 500/1 810 = 671.271, × 250/1 810 = 111.878, × 60/1 810 = 26.851
    // → 671.27 + 111.87 + 26.85 = 809.99, the öre to the largest remainder: 25 % (.878) → 111.88
    expect(approved.json()).toMatchObject({ object: 'write_off', amount: sek('810.00'), net_amount: sek('671.27'), vat_amount: sek('138.73'), request_id: large.body.id, open_amount: sek('0.00') });
    const approvedEntry = (await entries('write_off')).find((e) => e.sourceId === approved.json().id)!;
    expect(lines(approvedEntry)).toEqual([['6351', 671_27n, 0n, null], ['2611', 111_88n, 0n, null], ['2621', 26_85n, 0n, null], ['1510', 0n, 810_00n, c.id]]);
    expect(await ok('GET', `/v1/invoices/${big.id}`)).toMatchObject({ amount_due: sek('0.00'), payment_status: 'written_off', written_off: sek('1810.00') });
    const decided = (await ok('GET', '/v1/write-off-requests?status=approved')).data.find((r: { id: string }) => r.id === large.body.id);
    expect(decided).toMatchObject({ status: 'approved', decision_note: 'Intyg från konkursförvaltaren', write_off_id: approved.json().id });
    expect((await as(finance, 'POST', `/v1/write-off-requests/${large.body.id}/approve`)).statusCode).toBe(409);
    await assertLedgerInvariants(t.db, t.tenantId);

    // the database refuses a request decided by its requester, whatever the app does
    const requester = large.body.requested_by as string;
    await expect(
      t.kysely.withTables<{ write_off_requests: { tenant_id: string; id: string; decided_by: string | null } }>()
        .updateTable('write_off_requests').set({ decided_by: requester }).where('tenant_id', '=', t.tenantId).where('id', '=', large.body.id).execute(),
    ).rejects.toThrow();

    // approval re-checks what is open: a payment made meanwhile leaves less than the request
    const req2 = await call('POST', `/v1/invoices/${changed.id}/write-offs`, { reason: 'Inkasso misslyckades' });
    expect([req2.status, req2.body.amount]).toEqual([202, sek('1810.00')]);
    const p = await ok('POST', '/v1/payments', { amount: sek('10.00'), customer_id: c.id });
    await ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: changed.id }] });
    const stale = await as(finance, 'POST', `/v1/write-off-requests/${req2.body.id}/approve`);
    expect([stale.statusCode, stale.json().error.param]).toEqual([409, 'amount.amount']);
    expect((await ok('GET', '/v1/write-off-requests?status=pending')).data.map((r: { id: string }) => r.id)).toContain(req2.body.id);

    // a rejected request stays rejected and posts nothing
    const req3 = await call('POST', `/v1/invoices/${rejected.id}/write-offs`, { reason: 'Tvist' });
    expect(req3.status).toBe(202);
    const noReason = await as(finance, 'POST', `/v1/write-off-requests/${req3.body.id}/reject`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    const rej = await as(finance, 'POST', `/v1/write-off-requests/${req3.body.id}/reject`, { reason: 'Kunden bestrider, ingen konstaterad förlust' });
    expect(rej.statusCode).toBe(200);
    expect(rej.json()).toMatchObject({ status: 'rejected', decision_note: 'Kunden bestrider, ingen konstaterad förlust', write_off_id: null });
    expect((await call('POST', `/v1/write-off-requests/${req3.body.id}/approve`)).status).toBe(409);
    expect(await ok('GET', `/v1/invoices/${rejected.id}`)).toMatchObject({ amount_due: sek('1810.00'), payment_status: 'unpaid', written_off: sek('0.00') });

    // the same Idempotency-Key replays the first answer and posts nothing more
    const headers = { 'idempotency-key': 'wo-retry-1' };
    await ok('PUT', '/v1/settings/approvals', { write_off_approval_threshold: null });
    const first = await call('POST', `/v1/invoices/${rejected.id}/write-offs`, { reason: 'Konkurs', amount: sek('5.00') }, headers);
    const again = await call('POST', `/v1/invoices/${rejected.id}/write-offs`, { reason: 'Konkurs', amount: sek('5.00') }, headers);
    expect([first.status, again.status, again.body.id]).toEqual([201, 201, first.body.id]);
    expect(await ok('GET', `/v1/invoices/${rejected.id}`)).toMatchObject({ amount_due: sek('1805.00') });
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('an invoice without Swedish VAT (goods to an EU business) posts all of it to 6351', async () => {
    clock.set(new Date('2026-12-04T10:00:00Z'));
    const c = await ok('POST', '/v1/customers', {
      name: 'Kunde GmbH', country: 'DE', currency: 'SEK', payment_terms_days: 30, org_number: 'HRB 12345', vat_number: 'DE123456789',
      address: { line1: 'Hauptstraße 3', postal_code: '10115', city: 'Berlin' },
    });
    const inv = await issuedInvoiceForCustomer(t, c.id, [{ description: 'Hyllsystem', quantity: '4', unit_price: '250.00', tax_class: 'standard' }]);
    expect(inv.vat_breakdown).toMatchObject([{ vat_category: 'K', vat_amount: sek('0.00') }]);
    await ok('PUT', '/v1/settings/approvals', { write_off_approval_threshold: null });
    const w = await ok('POST', `/v1/invoices/${inv.id}/write-offs`, { reason: 'Insolvenzverfahren mangels Masse abgewiesen' });
    expect(w).toMatchObject({ amount: sek('1000.00'), net_amount: sek('1000.00'), vat_amount: sek('0.00'), open_amount: sek('0.00') });
    const [e] = (await t.db.store(t.tenantId).journal.list({ limit: 5 }, { sourceId: w.id })).data;
    expect(lines(e!)).toEqual([['6351', 1_000_00n, 0n, null], ['1510', 0n, 1_000_00n, c.id]]);
    await assertLedgerInvariants(t.db, t.tenantId);
  });

  it('a EUR invoice is written off at its own rate, in base with the euro amounts beside', async () => {
    clock.set(new Date('2026-12-04T10:00:00Z'));
    // 1 EUR = 11.4325 SEK from 1 Dec: the invoice (issued 4 Dec) uses it
    await t.db.transaction(t.tenantId, (s) => s.exchangeRates.upsert({ currency: 'EUR', rateDate: '2026-12-01', rateScaled: parseRate('11.4325', 'rate'), source: 'manual', updatedAt: new Date() }));
    const c = await ok('POST', '/v1/customers', { name: 'Euro GmbH', country: 'SE', currency: 'EUR', payment_terms_days: 30 });
    const inv = await issuedInvoiceForCustomer(t, c.id); // 1 000.00 + 25 % 250.00 = 1 250.00 EUR
    const store = () => t.db.store(t.tenantId);
    // 1 250.00 × 11.4325 = 14 290.625 → 14 290.63 SEK
    expect(await store().openItems.getByInvoice(inv.id)).toMatchObject({ openMinor: 1_250_00n, baseOpenMinor: 14_290_63n });
    const eurLines = async (id: string) => (await store().journal.list({ limit: 5 }, { sourceId: id })).data[0]!.lines.map((l) => [l.account, l.debitMinor, l.creditMinor, l.amountCurrency, l.amountMinor]);

    // 125.00 of 1 250.00: base round(1 429 063 × 12 500 / 125 000 = 142 906.3) = 1 429.06, no exchange difference;
    // split 100.00 / 25.00, the base over them: 114 324.8 / 28 581.2 → the öre left to the larger remainder (6351)
    const first = await ok('POST', `/v1/invoices/${inv.id}/write-offs`, { reason: 'Insolvenz', amount: { amount: '125.00', currency: 'EUR' } });
    expect(first).toMatchObject({
      amount: { amount: '125.00', currency: 'EUR' }, net_amount: { amount: '100.00', currency: 'EUR' }, vat_amount: { amount: '25.00', currency: 'EUR' },
      base_amount: sek('1429.06'), open_amount: { amount: '1125.00', currency: 'EUR' },
    });
    expect(await eurLines(first.id)).toEqual([
      ['6351', 1_143_25n, 0n, 'EUR', 100_00n],
      ['2611', 285_81n, 0n, 'EUR', 25_00n],
      ['1510', 0n, 1_429_06n, 'EUR', 125_00n],
    ]);
    // the rest, 1 125.00 EUR, takes all of the base left: 14 290.63 − 1 429.06 = 12 861.57; 900.00 / 225.00 of it:
    // 1 028 925.6 / 257 231.4 → 10 289.26 / 2 572.31
    // the threshold is in the base currency: 1 125.00 EUR is worth 12 861.57 SEK > 5 000.00, so it waits for a second key
    await ok('PUT', '/v1/settings/approvals', { write_off_approval_threshold: '5000.00' });
    const request = await ok('POST', `/v1/invoices/${inv.id}/write-offs`, { reason: 'Insolvenz, slutlig' });
    expect(request).toMatchObject({ object: 'write_off_request', amount: { amount: '1125.00', currency: 'EUR' } });
    const finance = (await ok('POST', '/v1/api-keys', { name: 'Ekonomi EUR', role: 'finance' })).key as string;
    const approved = await as(finance, 'POST', `/v1/write-off-requests/${request.id}/approve`);
    expect(approved.statusCode).toBe(201);
    const rest = approved.json();
    expect(rest).toMatchObject({ amount: { amount: '1125.00', currency: 'EUR' }, base_amount: sek('12861.57'), open_amount: { amount: '0.00', currency: 'EUR' } });
    expect(await eurLines(rest.id)).toEqual([
      ['6351', 10_289_26n, 0n, 'EUR', 900_00n],
      ['2611', 2_572_31n, 0n, 'EUR', 225_00n],
      ['1510', 0n, 12_861_57n, 'EUR', 1_125_00n],
    ]);
    expect(await store().openItems.getByInvoice(inv.id)).toMatchObject({ openMinor: 0n, baseOpenMinor: 0n, writtenOffMinor: 1_250_00n });
    expect(await ok('GET', `/v1/invoices/${inv.id}`)).toMatchObject({ payment_status: 'written_off', written_off: { amount: '1250.00', currency: 'EUR' } });
    await assertLedgerInvariants(t.db, t.tenantId);
  });
});
