/**
 * The customer portal at phone size (390×844, touch) in Debian's chromium (issue 9): a quote link
 * (choose an optional line, a refused signature shown next to its field, accept with a typed
 * signature), an order confirmation link (confirm), two delivery links (confirm receipt; report a
 * damaged item with quantity and text) and an invoice link (OCR reference shown, the PDF link works),
 * once in Swedish and once in English. Every page: no sideways scrolling of the page, tap targets at
 * least 44 px, the lang attribute, headings in order, axe-core without serious or critical
 * violations, no console errors (the CSP allows no inline script). Screenshots of the Swedish run at
 * phone size: docs/screenshots/portal-{quote,order,delivery,delivery-report,invoice}.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { client } from '../api/helpers.js';
import { deliveredOrder, issuedInvoiceForDeliveredOrder, orderFromQuote } from '../support/orders.js';
import { browserSuite, expectAccessible, plain, shoot } from './harness.js';

const QUOTE_LINES = [
  { description: 'Ventilationsaggregat FTX 350', quantity: '1', unit_price: '48500.00', tax_class: 'standard' },
  { description: 'Installation och injustering', quantity: '16', unit: 'HUR', unit_price: '850.00', tax_class: 'standard' },
  { description: 'Serviceavtal 12 månader', quantity: '1', unit_price: '4800.00', tax_class: 'standard', optional: true },
];
const GOODS = [
  { description: 'Takfläkt TFE 200', quantity: '4', unit_price: '3250.00', tax_class: 'standard' },
  { description: 'Kanalsystem, montagesats', quantity: '2', unit_price: '1875.00', tax_class: 'standard' },
];

/** Visible controls lower than 44 px (a checkbox counts by the label around it). */
const SMALL_TAP_TARGETS = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('button, a, select, textarea, input:not([type=hidden]), label.pick, label.check')) {
    if (el.matches('input[type=checkbox]') && el.closest('label')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.height < 44 || r.width < 44) out.push(el.outerHTML.slice(0, 80) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));
  }
  return out;
})()`;

/** Heading levels in document order. */
const HEADINGS = `Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map((h) => Number(h.tagName[1]))`;

type Lang = 'sv' | 'en';

const TEXT = {
  sv: {
    option: 'Välj tillvalet Serviceavtal 12 månader',
    signer: 'Ditt fullständiga namn',
    consent: /^Jag godkänner offerten/,
    accept: 'Acceptera offerten',
    signerError: 'Skriv ditt fullständiga namn för att acceptera offerten.',
    accepted: /^Tack! Offerten är accepterad\. Ordernummer: /,
    confirmOrder: 'Bekräfta ordern',
    orderConfirmed: 'Tack! Du har bekräftat ordern.',
    confirmReceipt: 'Bekräfta mottagandet',
    receiptConfirmed: 'Tack! Mottagandet är bekräftat.',
    reportHeading: 'Rapportera ett problem: Takfläkt TFE 200',
    reason: 'Orsak',
    damaged: 'Skadad',
    quantity: 'Antal',
    describe: 'Beskriv problemet',
    report: 'Skicka reklamation',
    reported: /^Tack! Vi har tagit emot din reklamation/,
    ocr: 'OCR-nummer',
    pdf: 'Ladda ner fakturan som PDF',
    other: 'In English',
  },
  en: {
    option: 'Choose the option Serviceavtal 12 månader',
    signer: 'Your full name',
    consent: /^I accept this quote/,
    accept: 'Accept the quote',
    signerError: 'Type your full name to accept the quote.',
    accepted: /^Thank you! The quote is accepted\. Order number: /,
    confirmOrder: 'Confirm the order',
    orderConfirmed: 'Thank you! You have confirmed the order.',
    confirmReceipt: 'Confirm receipt',
    receiptConfirmed: 'Thank you! Receipt is confirmed.',
    reportHeading: 'Report a problem: Takfläkt TFE 200',
    reason: 'Reason',
    damaged: 'Damaged',
    quantity: 'Quantity',
    describe: 'Describe the problem',
    report: 'Send report',
    reported: /^Thank you! We have received your report/,
    ocr: 'OCR reference',
    pdf: 'Download the invoice as a PDF',
    other: 'På svenska',
  },
} as const;

describe('customer portal at phone size in chromium', () => {
  const suite = browserSuite({
    // a fixed day, so the dates in the screenshots stay the same from run to run
    app: () => ({ now: new Date('2026-12-04T09:30:00Z') }),
    seed: async (t) => {
      await client(t).ok('PATCH', '/v1/settings/company', {
        name: 'Norrsken Ventilation AB',
        bankgiro: '5050-1055',
        iban: 'SE4550000000058398257466',
        bic: 'ESSESESS',
        address: { line1: 'Industrigatan 12', postal_code: '972 38', city: 'Luleå' },
      });
    },
    // the portal needs no web app: the API server alone, on a free port
    web: false,
  });
  const { problems } = suite;

  async function phonePage(lang: Lang): Promise<Page> {
    const page = await suite.newPage({ phone: true, deviceScaleFactor: 2, locale: lang === 'sv' ? 'sv-SE' : 'en-GB' });
    // failed loads are checked by their responses (the refused signature is an expected 400)
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    return page;
  }

  /** What every portal page must be at phone size. */
  async function checkPage(page: Page, lang: Lang, name: string): Promise<void> {
    expect(await page.evaluate('document.documentElement.lang'), `lang of ${name}`).toBe(lang);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${name} scrolls sideways`).toBe(true);
    expect(await page.evaluate(SMALL_TAP_TARGETS), `tap targets of ${name}`).toEqual([]);
    const levels = (await page.evaluate(HEADINGS)) as number[];
    expect(levels[0], `first heading of ${name}`).toBe(1);
    expect(levels.filter((l) => l === 1), `one h1 on ${name}`).toHaveLength(1);
    levels.forEach((l, i) => expect(i === 0 || l <= levels[i - 1]! + 1, `heading levels of ${name}: ${levels.join(',')}`).toBe(true));
    await expectAccessible(page, name);
  }

  /** The four kinds of links for a new customer (Swedish for SE, English for GB). */
  async function seed(name: string, country: string) {
    const { ok } = client(suite.t);
    const customer = { name, country, currency: 'SEK', email: 'inkop@example.se' };
    const c = await ok('POST', '/v1/customers', customer);
    const quote = await ok('POST', '/v1/quotes', { customer_id: c.id, lines: QUOTE_LINES });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const quoteUrl = (await ok('POST', `/v1/quotes/${quote.id}/portal-links`)).url;
    const { order } = await orderFromQuote(suite.t, customer, GOODS);
    const orderUrl = (await ok('POST', `/v1/orders/${order.id}/portal-links`)).url;
    const toConfirm = await deliveredOrder(suite.t, customer, GOODS);
    const confirmUrl = (await ok('POST', `/v1/deliveries/${toConfirm.delivery.id}/portal-links`, {})).url;
    const toReport = await deliveredOrder(suite.t, customer, GOODS);
    const reportUrl = (await ok('POST', `/v1/deliveries/${toReport.delivery.id}/portal-links`, {})).url;
    const { invoice } = await issuedInvoiceForDeliveredOrder(suite.t, customer, GOODS);
    const invoiceUrl = (await ok('POST', `/v1/invoices/${invoice.id}/portal-links`)).url;
    return { quote, quoteUrl, order, orderUrl, confirmUrl, toReport, reportUrl, invoice, invoiceUrl };
  }

  const local = (url: string) => `${suite.base}${new URL(url).pathname}`;

  for (const lang of ['sv', 'en'] as const) {
    it(`works on a phone in ${lang === 'sv' ? 'Swedish' : 'English'}: quote, order, delivery and invoice`, async () => {
      problems.length = 0;
      const x = TEXT[lang];
      const s = await seed(lang === 'sv' ? 'Bergvik Fastigheter AB' : 'Hartley & Sons Ltd', lang === 'sv' ? 'SE' : 'GB');
      const page = await phonePage(lang);

      // --- quote: choose the optional line; a blank signature is refused next to its field; then accepted
      await page.goto(local(s.quoteUrl));
      await page.getByRole('heading', { level: 1 }).waitFor();
      await checkPage(page, lang, `quote (${lang})`);
      if (lang === 'sv') await shoot(page, 'portal-quote');
      await page.getByLabel(x.option).check();
      await page.getByLabel(x.signer).fill('   ');
      await page.getByLabel(x.consent).check();
      await page.getByRole('button', { name: x.accept }).click();
      const signer = page.getByLabel(x.signer);
      await page.getByText(x.signerError).waitFor();
      expect(await signer.getAttribute('aria-invalid')).toBe('true');
      expect(await signer.getAttribute('aria-describedby')).toBe('signer_name-error');
      expect(await page.locator('#signer_name-error').textContent()).toBe(x.signerError);
      await checkPage(page, lang, `quote with an error (${lang})`);
      await page.getByLabel(x.option).check();
      await page.getByLabel(x.signer).fill(lang === 'sv' ? 'Karin Bergvik' : 'Oliver Hartley');
      await page.getByLabel(x.consent).check();
      await page.getByRole('button', { name: x.accept }).click();
      await page.getByRole('status').filter({ hasText: x.accepted }).waitFor();
      await checkPage(page, lang, `quote accepted (${lang})`);
      const accepted = (await suite.t.server.inject({ method: 'GET', url: new URL(s.quoteUrl).pathname, headers: { accept: 'application/json' } })).json();
      expect(accepted.status).toBe('accepted');
      expect(accepted.acceptance.signer_name).toBe(lang === 'sv' ? 'Karin Bergvik' : 'Oliver Hartley');
      const found = await client(suite.t).ok('GET', `/v1/orders?q=${encodeURIComponent(accepted.acceptance.order_number)}`);
      const made = await client(suite.t).ok('GET', `/v1/orders/${found.data[0].id}`);
      expect(made.lines.map((l: { description: string }) => l.description)).toContain('Serviceavtal 12 månader');

      // --- order confirmation
      await page.goto(local(s.orderUrl));
      await page.getByRole('heading', { level: 1 }).waitFor();
      await checkPage(page, lang, `order (${lang})`);
      if (lang === 'sv') await shoot(page, 'portal-order');
      await page.getByRole('button', { name: x.confirmOrder }).click();
      await page.getByRole('status').filter({ hasText: x.orderConfirmed }).waitFor();
      await checkPage(page, lang, `order confirmed (${lang})`);
      expect((await client(suite.t).ok('GET', `/v1/orders/${s.order.id}`)).customer_confirmed_at).not.toBeNull();

      // --- delivery: confirm receipt
      await page.goto(local(s.confirmUrl));
      await page.getByRole('heading', { level: 1 }).waitFor();
      await checkPage(page, lang, `delivery (${lang})`);
      if (lang === 'sv') await shoot(page, 'portal-delivery');
      await page.getByRole('button', { name: x.confirmReceipt }).click();
      await page.getByRole('status').filter({ hasText: x.receiptConfirmed }).waitFor();
      await checkPage(page, lang, `delivery confirmed (${lang})`);

      // --- another delivery: one damaged fan reported with quantity and text
      await page.goto(local(s.reportUrl));
      const form = page.locator('form', { has: page.getByRole('heading', { name: x.reportHeading }) });
      await form.getByLabel(x.reason).selectOption({ label: x.damaged });
      await form.getByLabel(x.quantity).fill('1');
      await form.getByLabel(x.describe).fill(lang === 'sv' ? 'Fläkthuset var spräckt vid leverans.' : 'The fan housing was cracked on arrival.');
      await form.getByLabel(x.describe).blur();
      await form.scrollIntoViewIfNeeded();
      if (lang === 'sv') await shoot(page, 'portal-delivery-report');
      await form.getByRole('button', { name: x.report }).click();
      await page.getByRole('status').filter({ hasText: x.reported }).waitFor();
      await checkPage(page, lang, `delivery reported (${lang})`);
      const claims = (await suite.t.server.inject({ method: 'GET', url: new URL(s.reportUrl).pathname, headers: { accept: 'application/json' } })).json().claims;
      expect(claims).toMatchObject([{ reason: 'damaged', quantity: '1', delivery_line_no: 1, status: 'open' }]);

      // --- invoice: the OCR reference and the PDF
      await page.goto(local(s.invoiceUrl));
      await page.getByRole('heading', { level: 1 }).waitFor();
      await checkPage(page, lang, `invoice (${lang})`);
      expect(s.invoice.payment_reference).toMatch(/^\d+$/);
      expect(await page.getByTestId('payment-reference').textContent()).toBe(s.invoice.payment_reference);
      await page.getByText(x.ocr, { exact: true }).waitFor();
      expect(plain(await page.getByTestId('amount-due').textContent())).toBe(lang === 'sv' ? '20 937,50 SEK' : '16,750.00 SEK');
      if (lang === 'sv') await shoot(page, 'portal-invoice');
      const href = await page.getByRole('link', { name: x.pdf }).getAttribute('href');
      expect(href).toBe(`${new URL(s.invoiceUrl).pathname}/pdf`);
      const pdf = await page.request.get(`${suite.base}${href}`);
      expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

      // the other language, one tap away, and the page in it
      await page.getByRole('link', { name: x.other }).click();
      const other: Lang = lang === 'sv' ? 'en' : 'sv';
      await page.waitForURL(`**/portal/invoices/**?lang=${other}`);
      await checkPage(page, other, `invoice in the other language (${lang})`);

      // nothing failed but the refused signature (a 400 by design); no console errors (a blocked script would show)
      expect(problems).toEqual([expect.stringMatching(/^400 POST http:\/\/127\.0\.0\.1:\d+\/portal\/quotes\/[A-Za-z0-9_-]{43}\/accept$/)]);
      await page.context().close();
    }, 120_000);
  }
});
