/**
 * The finance pages in a real browser (playwright-core driving Debian's chromium): an issued invoice
 * in the list and its detail in Swedish (money as "1 234,50 kr", the OCR reference, VAT, the PDF
 * downloaded with the session cookie), a BgMax file paying it with a mistyped reference uploaded on
 * the payments page, the engine's suggestion and its reasons confirmed in the matching workbench,
 * the invoice paid and the customer's balance 0,00 kr, the postings in the ledger and a period close
 * after its confirmation; then in English a billing run, a credit note for part of a line, customer
 * credit applied and unapplied, a refund over the approval threshold left waiting; and a viewer who
 * sees no write action. axe-core on the pages; screenshots at desktop size saved to docs/screenshots/
 * (invoices, invoice-detail, payments-workbench, ledger).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDate } from '../../web/src/format.js';
import { client } from '../api/helpers.js';
import { deliveredOrder, draftInvoiceForDeliveredOrder, issuedInvoiceForDeliveredOrder } from '../support/orders.js';
import { browserSuite, expectAccessible, plain, shoot, signIn } from './harness.js';

const FINANCE = { email: 'frida.finance@example.com', password: 'finance password of some length', name: 'Frida Finans' };
const VIEWER = { email: 'vera.viewer@example.com', password: 'viewer password of some length', name: 'Vera Viewer' };

const pad = (s: string) => s.padEnd(80, ' ');
const num = (v: bigint | number | string, width: number) => String(v).padStart(width, '0');

/** A BgMax file (as test/e2e/bank-import.test.ts builds them) with one deposit of these payments, dated `day` (YYYYMMDD). */
function bgmax(day: string, payments: { sender: string; reference: string; code: number; amount: bigint; serial: number; name: string }[]): string {
  const recs = [pad(`01BGMAX               01${day}101500000000P`), pad(`05${num(9912346, 10)}          SEK`)];
  for (const p of payments) {
    recs.push(pad(`20${num(p.sender, 10)}${p.reference.padStart(25, ' ')}${num(p.amount, 18)}${p.code}1${num(p.serial, 12)}0`));
    recs.push(pad(`26${p.name}`));
  }
  const total = payments.reduce((a, p) => a + p.amount, 0n);
  recs.push(pad(`15${'58410000100'.padStart(35, '0')}${day}${num(1, 5)}${num(total, 18)}SEK${num(payments.length, 8)}`));
  recs.push(pad(`70${num(payments.length, 8)}${num(0, 8)}${num(0, 8)}${num(1, 8)}`));
  return recs.join('\r\n') + '\r\n';
}

describe('finance pages in chromium', () => {
  let invoice: any;
  const suite = browserSuite({
    users: [{ ...FINANCE, role: 'finance' }, { ...VIEWER, role: 'viewer' }],
    seed: async (t) => {
      // 8 × 123.45 = 987.60 + 25 % VAT 246.90 = 1 234.50 kr, issued; and a draft of another customer's order
      invoice = (await issuedInvoiceForDeliveredOrder(t, { name: 'Nordljus AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Konsulttimme', quantity: '8', unit_price: '123.45', tax_class: 'standard' },
      ])).invoice;
      await draftInvoiceForDeliveredOrder(t, { name: 'Bergström Bygg AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Montage', quantity: '2', unit_price: '400.00', tax_class: 'standard' },
      ]);
    },
    tempDir: 'q2c-bank-',
  });
  const { problems, newPage, apiGet } = suite;

  it('shows an issued invoice, matches a bank file paying it in the workbench, and the postings in the ledger (Swedish)', async () => {
    const page = await newPage('sv-SE');
    await page.goto(`${suite.base}/invoices`);
    await signIn(page, FINANCE);
    await page.getByRole('heading', { name: 'Fakturor', level: 1 }).waitFor();

    // the list: the issued invoice with its number, status and money in Swedish; the draft has no number yet
    const row = page.locator('[data-testid=invoice-list] tbody tr', { hasText: invoice.number });
    await expect.poll(() => row.count()).toBe(1);
    const cells = (await row.locator('td').allTextContents()).map(plain);
    expect(cells).toEqual([invoice.number, 'Nordljus AB', 'Utfärdad Obetald', expect.any(String), expect.any(String), '1 234,50 kr', '1 234,50 kr']);
    const draftRow = page.locator('[data-testid=invoice-list] tbody tr', { hasText: 'Bergström Bygg AB' });
    expect(plain(await draftRow.locator('td').first().textContent())).toBe('(utkast)');
    expect(plain(await draftRow.locator('td').nth(2).textContent())).toBe('Utkast');
    expect(await page.getByText('Fakturering', { exact: true }).count()).toBe(1); // the billing run, for finance
    await expectAccessible(page, 'invoices');
    await shoot(page, 'invoices');

    // the detail: reference, VAT breakdown, totals, and the documents as same-origin downloads
    await row.getByRole('link', { name: invoice.number }).click();
    await page.getByRole('heading', { name: `Faktura ${invoice.number}`, level: 1 }).waitFor();
    expect(invoice.payment_reference).toMatch(/^\d+$/);
    expect(await page.getByTestId('payment-reference').textContent()).toBe(invoice.payment_reference);
    expect(plain(await page.getByTestId('invoice-due').textContent())).toBe('1 234,50 kr');
    expect((await page.locator('[data-testid=vat-breakdown] tbody tr td').allTextContents()).map(plain)).toEqual(['S', '25 %', '987,60 kr', '246,90 kr']);
    expect((await page.locator('[data-testid=invoice-lines] tbody tr td').allTextContents()).map(plain)).toEqual(['Konsulttimme', '8 st', '123,45 kr', '–', '25 %', '987,60 kr']);
    const pdfHref = await page.getByRole('link', { name: 'PDF' }).getAttribute('href');
    expect(pdfHref).toBe(`/v1/invoices/${invoice.id}/pdf?lang=sv`);
    const pdf = await page.request.get(`${suite.base}${pdfHref}`);
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect(await page.getByRole('link', { name: 'E-faktura (UBL)' }).getAttribute('href')).toBe(`/v1/invoices/${invoice.id}/ubl`);
    expect(await page.getByRole('button', { name: 'Skicka till kunden' }).count()).toBe(1);
    await expectAccessible(page, 'invoice detail');
    await shoot(page, 'invoice-detail');

    // a BgMax file paying 1 234,50 kr with one digit of the OCR reference mistyped: not applied, left for review
    const ref: string = invoice.payment_reference;
    const typo = ref.slice(0, 2) + String((Number(ref[2]) + 1) % 10) + ref.slice(3);
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const file = join(suite.tempDir, 'BGMAX.txt');
    writeFileSync(file, bgmax(day, [{ sender: '12345678', reference: typo, code: 2, amount: 123450n, serial: 1, name: 'NORDLJUS AB' }]), 'latin1');
    await page.getByRole('navigation', { name: 'Avsnitt' }).getByRole('link', { name: 'Betalningar' }).click();
    await page.getByRole('heading', { name: 'Betalningar', level: 1 }).waitFor();
    await page.getByText('Inga bankrader väntar på granskning.').waitFor();
    await page.getByLabel('Bankfil').setInputFiles(file);
    await page.getByRole('button', { name: 'Läs in' }).click();
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('report-review').textContent()).toBe('1');
    expect(await page.getByTestId('report-auto').textContent()).toBe('0');
    expect((await apiGet(`/v1/invoices/${invoice.id}`)).amount_due).toEqual({ amount: '1234.50', currency: 'SEK' });

    // the workbench shows the engine's suggestion with its reasons, word for word
    const queue = (await apiGet('/v1/bank-transactions?status=unmatched')).data;
    expect(queue).toHaveLength(1);
    const best = queue[0].match.best;
    expect(best).toMatchObject({ rule: 'reference_typo', allocations: [{ invoice_id: invoice.id }] });
    const line = page.getByTestId('workbench-line');
    await expect.poll(() => line.count()).toBe(1);
    expect(plain(await line.locator('h3').textContent())).toBe('1 234,50 kr · NORDLJUS AB');
    expect(await line.getByText('Förslag att bekräfta').count()).toBe(1);
    const proposal = line.getByTestId('proposal').first();
    expect(await proposal.locator('strong').textContent()).toBe('Referens med skrivfel');
    expect(await proposal.locator('.reasons li').allTextContents()).toEqual(best.reasons);
    expect(best.reasons.join(' ')).toContain('fails its check digit');
    expect(plain(await proposal.locator('ul').first().textContent())).toBe(`Faktura ${invoice.number}: 1 234,50 kr`);
    await expectAccessible(page, 'payments workbench');
    await shoot(page, 'payments-workbench');

    // confirmed by a person: the queue empties, the line is matched, the invoice is paid
    await proposal.getByRole('button', { name: 'Använd förslaget' }).click();
    await page.getByText('Inga bankrader väntar på granskning.').waitFor();
    const matched = page.locator('[data-testid=matched-lines] tbody tr');
    await expect.poll(() => matched.count()).toBe(1);
    expect(plain(await matched.locator('td').nth(3).textContent())).toBe('Av en person · Betalning');
    const paid = await apiGet(`/v1/invoices/${invoice.id}`);
    expect([paid.amount_due, paid.payment_status]).toEqual([{ amount: '0.00', currency: 'SEK' }, 'paid']);
    expect((await apiGet('/v1/bank-transactions?status=unmatched')).data).toHaveLength(0);
    const payments = (await apiGet('/v1/payments')).data;
    expect(payments).toHaveLength(1);
    const paymentRow = page.locator('[data-testid=payment-list] tbody tr');
    await expect.poll(() => paymentRow.count()).toBe(1);
    expect((await paymentRow.locator('td').allTextContents()).slice(1).map(plain)).toEqual(['NORDLJUS AB', 'Mottagen', '1 234,50 kr', '0,00 kr']);

    // the invoice says so, and the customer owes nothing
    await page.goto(`${suite.base}/invoices/${invoice.id}`);
    await page.getByRole('heading', { name: `Faktura ${invoice.number}`, level: 1 }).waitFor();
    expect(plain(await page.getByTestId('invoice-status').textContent())).toBe('Utfärdad Betald');
    expect(plain(await page.getByTestId('invoice-due').textContent())).toBe('0,00 kr');
    await page.getByRole('link', { name: 'Nordljus AB' }).click();
    await page.getByRole('heading', { name: 'Nordljus AB', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('balance-base').textContent().then(plain)).toBe('0,00 kr');

    // the ledger: every entry of the period as the API has it, the payment's postings among them, balanced
    await page.getByRole('navigation', { name: 'Avsnitt' }).getByRole('link', { name: 'Bokföring' }).click();
    await page.getByRole('heading', { name: 'Bokföring', level: 1 }).waitFor();
    const entries = (await apiGet('/v1/ledger/entries?limit=100')).data;
    const shown = page.locator('[data-testid=journal] tbody.entry');
    await expect.poll(() => shown.count()).toBe(entries.length);
    const byPayment = entries.filter((e: any) => e.source_id === payments[0].id || payments[0].allocations.some((a: any) => a.id === e.source_id));
    expect(byPayment.length).toBeGreaterThan(0);
    for (const e of byPayment) {
      const group = page.locator(`[data-testid=journal] tbody[data-entry="${e.series}${e.number}"]`);
      const accounts = await group.locator('tr[data-account]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account')));
      expect(accounts).toEqual(e.lines.map((l: any) => l.account));
    }
    // the bank account received 1 234,50 kr and the receivable is settled
    const bankRow = page.locator('[data-testid=trial-balance] tbody tr[data-account="1930"] td');
    await expect.poll(async () => (await bankRow.allTextContents()).slice(1).map(plain)).toEqual(['0,00 kr', '1 234,50 kr', '0,00 kr', '1 234,50 kr']);
    expect(plain(await page.locator('[data-testid=trial-balance] tbody tr[data-account="1510"] td').last().textContent())).toBe('0,00 kr');
    expect(await page.getByTestId('balanced').allTextContents()).toEqual(['Balanserar']);
    expect(await page.getByRole('link', { name: /^hledger/ }).getAttribute('href')).toMatch(/^\/v1\/exports\/hledger\?from=\d{4}-01-01&to=\d{4}-\d{2}-\d{2}$/);
    await expectAccessible(page, 'ledger');
    await shoot(page, 'ledger');

    // period close: nothing happens until the user confirms
    const lastMonthEnd = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 0)).toISOString().slice(0, 10);
    await page.getByLabel('Stäng alla perioder till och med (ett månadsslut)').fill(lastMonthEnd);
    await page.getByRole('button', { name: 'Stäng perioder…' }).click();
    await page.getByRole('alertdialog').waitFor();
    expect((await apiGet('/v1/ledger/settings')).locked_through).toBeNull();
    await page.getByRole('button', { name: 'Ja, stäng perioderna' }).click();
    await expect.poll(() => page.getByTestId('locked-through').textContent()).toBe(`Stängt till och med ${formatDate(lastMonthEnd, 'sv')}.`);
    expect((await apiGet('/v1/ledger/settings')).locked_through).toBe(lastMonthEnd);

    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);
  it('runs billing, credits part of a line, applies and unapplies customer credit, and a refund over the threshold waits for approval (English)', async () => {
    const { ok } = client(suite.t);
    const solberg = await deliveredOrder(suite.t, { name: 'Solberg Design AB', country: 'SE', currency: 'SEK' }, [
      { description: 'Skrivbord', quantity: '2', unit_price: '500.00', tax_class: 'standard' },
    ]);
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/invoices`);
    await signIn(page, FINANCE);
    await page.getByRole('heading', { name: 'Invoices', level: 1 }).waitFor();

    // a billing run that issues what it invoices: its report links the new invoice
    await page.getByText('Billing run', { exact: true }).click();
    await page.getByLabel('Issue the invoices at once (number, OCR reference, ledger)').check();
    await page.getByRole('button', { name: 'Run billing' }).click();
    const report = page.getByTestId('billing-report');
    await report.waitFor();
    const runs = (await apiGet('/v1/billing-runs')).data;
    expect(runs).toHaveLength(1);
    const created = runs[0].created.find((c: any) => c.order_id === solberg.order.id);
    expect(created).toMatchObject({ gross: { amount: '1250.00', currency: 'SEK' }, invoice_number: expect.stringMatching(/./) });
    expect(await report.locator('h3').textContent()).toBe(`Billing run: ${runs[0].created.length} invoices, ${runs[0].skipped.length} orders skipped, 0 failed`);
    await report.getByRole('link', { name: created.invoice_number }).click();
    await page.getByRole('heading', { name: `Invoice ${created.invoice_number}`, level: 1 }).waitFor();
    expect(plain(await page.getByTestId('invoice-due').textContent())).toBe('SEK 1,250.00');

    // a credit note for one of the two desks, drafted then issued: the invoice's amount due halves
    await page.getByText('New credit note', { exact: true }).click();
    await page.getByLabel('Parts of lines').check();
    await page.getByLabel('Quantity to credit of "Skrivbord" (invoiced 2 pcs)').fill('1');
    await page.getByLabel('Reason', { exact: true }).fill('Skadad vid leverans');
    await page.getByRole('button', { name: 'Create draft credit note' }).click();
    const note = page.locator('[data-testid=credit-notes] tbody tr');
    await expect.poll(() => note.count()).toBe(1);
    expect((await note.locator('td').allTextContents()).slice(1, 4).map(plain)).toEqual(['Draft', 'Skadad vid leverans', 'SEK 625.00']);
    await note.getByRole('button', { name: 'Issue credit note' }).click();
    await expect.poll(() => note.locator('td').nth(1).textContent()).toBe('Issued');
    await expect.poll(() => page.getByTestId('invoice-due').textContent().then(plain)).toBe('SEK 625.00');
    expect((await apiGet(`/v1/invoices/${created.invoice_id}`)).amount_due).toEqual({ amount: '625.00', currency: 'SEK' });

    // 1 000,00 kr received from the customer, not applied: customer credit, applied to the invoice by hand
    const payment = await ok('POST', '/v1/payments', { amount: { amount: '1000.00', currency: 'SEK' }, customer_id: solberg.customer.id, payer_name: 'Solberg Design AB' });
    await page.goto(`${suite.base}/payments/${payment.id}`);
    await expect.poll(() => page.getByTestId('payment-unapplied').textContent().then(plain)).toBe('SEK 1,000.00');
    await page.getByRole('checkbox', { name: new RegExp(`^${created.invoice_number}`) }).check();
    await page.getByRole('button', { name: 'Apply to the chosen invoices' }).click();
    await expect.poll(() => page.getByTestId('payment-notice').textContent()).toBe('Applied.');
    await expect.poll(() => page.getByTestId('payment-unapplied').textContent().then(plain)).toBe('SEK 375.00');
    expect((await apiGet(`/v1/invoices/${created.invoice_id}`)).payment_status).toBe('paid');
    await page.getByRole('button', { name: 'Unapply' }).click();
    await expect.poll(() => page.getByTestId('payment-unapplied').textContent().then(plain)).toBe('SEK 1,000.00');
    expect((await apiGet(`/v1/invoices/${created.invoice_id}`)).amount_due).toEqual({ amount: '625.00', currency: 'SEK' });
    expect((await page.locator('[data-testid=allocations] tbody tr td').nth(3).textContent())).toBe(`Unapplied ${formatDate((await apiGet(`/v1/payments/${payment.id}`)).allocations[0].reversed_on, 'en')}`);

    // refunds over 100,00 kr need a second person: the request waits, nothing is paid out
    await ok('PUT', '/v1/settings/approvals', { refund_threshold: '100.00' });
    await page.getByLabel('Amount (SEK)').fill('200.00');
    await page.getByLabel('Payout reference').fill('Återbetalning 1');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await expect.poll(() => page.getByTestId('payment-notice').textContent()).toBe('Awaiting approval by a second person');
    const pending = (await apiGet('/v1/refund-requests?status=pending')).data;
    expect(pending).toMatchObject([{ payment_id: payment.id, amount: { amount: '200.00', currency: 'SEK' }, reference: 'Återbetalning 1', status: 'pending' }]);
    expect((await apiGet(`/v1/payments/${payment.id}`)).refunds).toEqual([]);
    await expectAccessible(page, 'payment detail');
    await page.getByRole('link', { name: '← Payments' }).click();
    await page.getByRole('heading', { name: 'Refunds awaiting approval' }).waitFor();
    await expect.poll(() => page.getByText('Awaiting approval by a second person').count()).toBe(1);
    await expectAccessible(page, 'payments');

    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);
  it('shows a viewer the finance pages without a single write action', async () => {
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/invoices/${invoice.id}`);
    await signIn(page, VIEWER);
    await page.getByRole('heading', { name: `Invoice ${invoice.number}`, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Credit notes' }).waitFor();
    // the documents are there to read; issue, send, credit and the billing run are not
    expect(await page.getByRole('link', { name: 'PDF' }).count()).toBe(1);
    expect(await page.locator('[data-write]').count()).toBe(0);
    expect(await page.getByText('New credit note').count()).toBe(0);
    await page.getByRole('link', { name: '← All invoices' }).click();
    await page.locator('[data-testid=invoice-list] tbody tr').first().waitFor();
    expect(await page.getByText('Billing run').count()).toBe(0);
    expect(await page.locator('[data-write]').count()).toBe(0);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Payments' }).click();
    await page.getByRole('heading', { name: 'Payments received' }).waitFor();
    await page.getByRole('heading', { name: 'Refunds awaiting approval' }).waitFor();
    await expect.poll(() => page.locator('.state-loading').count()).toBe(0);
    expect(await page.getByLabel('Bank file').count()).toBe(0);
    expect(await page.locator('[data-write]').count()).toBe(0);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Ledger' }).click();
    await page.getByTestId('locked-through').waitFor();
    await page.locator('[data-testid=journal] tbody.entry').first().waitFor();
    expect(await page.locator('[data-write]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Close periods…' }).count()).toBe(0);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 30_000);
});
