/**
 * The customer pages in a real browser (playwright-core driving Debian's chromium): a sales rep creates
 * a customer with every field of the form, a bad e-mail and a too-long postal code refused by the API
 * beside their fields, then edits it (payment terms, a new address; a refused value beside its field)
 * and sees the change; the credit limit is not offered to sales and is set by finance; the customer's
 * issued invoice, its order and the quote it came from are listed in the documents tabs, each linking to
 * its page; the statement's PDF and CSV for a chosen period download with the session cookie; the detail
 * in Swedish; a viewer sees no write action. axe-core on every page; screenshots at desktop size saved
 * to docs/screenshots/ (customer, customer-edit).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { issuedInvoiceForCustomer } from '../support/orders.js';
import { browserSuite, expectAccessible, plain, shoot, signIn } from './harness.js';

const SALES = { email: 'sara.saljare@example.com', password: 'sales password of some length', name: 'Sara Säljare' };
const FINANCE = { email: 'frida.finance@example.com', password: 'finance password of some length', name: 'Frida Finans' };
const VIEWER = { email: 'vera.viewer@example.com', password: 'viewer password of some length', name: 'Vera Viewer' };
const CUSTOMER = 'Fjällbacka Möbler AB';

describe('customer pages in chromium', () => {
  let customerId = '';
  let invoice: any;
  const suite = browserSuite({
    users: [{ ...SALES, role: 'sales' }, { ...FINANCE, role: 'finance' }, { ...VIEWER, role: 'viewer' }],
  });
  const { problems, newPage } = suite;

  const inject = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
    const res = await suite.t.server.inject({ method, url, headers: { authorization: `Bearer ${suite.t.apiKey}` }, ...(payload ? { payload } : {}) });
    return res.json();
  };

  const label = (page: Page, text: string) => page.getByLabel(text, { exact: true });

  it('creates a customer with every field as sales, the refused values beside their fields, then edits it', async () => {
    const page = await newPage();
    const writes: { method: string; body: any }[] = [];
    page.on('request', (r) => {
      if (['POST', 'PATCH'].includes(r.method()) && /\/v1\/customers(\/[^/]+)?$/.test(new URL(r.url()).pathname)) writes.push({ method: r.method(), body: r.postDataJSON() });
    });
    await page.goto(`${suite.base}/customers/new`);
    await signIn(page, SALES);
    await page.getByRole('heading', { name: 'New customer', level: 1 }).waitFor();
    // a credit limit is finance's decision: not offered to sales
    expect(await page.getByLabel(/^Credit limit/).count()).toBe(0);
    expect(await page.getByTestId('credit-limit-note').textContent()).toBe('The credit limit is set by finance.');

    const fields: [string, string][] = [
      ['Name', CUSTOMER],
      ['Organisation number', '556036-0793'],
      ['VAT number', 'SE556036079301'],
      ['Country', 'se'],
      ['Currency', 'SEK'],
      ['E-mail', 'inkop@fjallbacka'],
      ['Street address', 'Hamngatan 4'],
      ['Address line 2 (c/o, floor, building)', 'Box 12'],
      ['Postal code', '457 40'],
      ['City', 'Fjällbacka'],
      ['Payment terms (days)', '15'],
      ['Customer group', 'retail'],
    ];
    for (const [name, value] of fields) await label(page, name).fill(value);
    const body = {
      name: CUSTOMER, email: 'inkop@fjallbacka', country: 'SE', currency: 'SEK', org_number: '556036-0793', vat_number: 'SE556036079301', payment_terms_days: 15,
      address: { line1: 'Hamngatan 4', line2: 'Box 12', postal_code: '457 40', city: 'Fjällbacka' }, customer_group: 'retail',
    };

    // the e-mail refused: the API's own message beside the field, the field marked invalid
    await page.getByRole('button', { name: 'Create customer' }).click();
    const emailError = page.locator('#customer-email-error');
    await emailError.waitFor();
    const badEmail = await inject('POST', '/v1/customers', body);
    expect(badEmail.error.param).toBe('email');
    expect(await emailError.textContent()).toBe(badEmail.error.message);
    expect(await label(page, 'E-mail').getAttribute('aria-invalid')).toBe('true');
    expect(await label(page, 'E-mail').getAttribute('aria-describedby')).toBe('customer-email-error');
    await expectAccessible(page, 'new customer, e-mail refused');

    // a postal code with the town pasted in: too long, refused as address.postal_code beside its field
    await label(page, 'E-mail').fill('inkop@fjallbackamobler.example');
    await label(page, 'Postal code').fill('457 40 Fjällbacka, Sverige');
    await page.getByRole('button', { name: 'Create customer' }).click();
    const postalError = page.locator('#customer-postal_code-error');
    await postalError.waitFor();
    expect(await emailError.count()).toBe(0);
    const badPostal = await inject('POST', '/v1/customers', { ...body, email: 'inkop@fjallbackamobler.example', address: { ...body.address, postal_code: '457 40 Fjällbacka, Sverige' } });
    expect(badPostal.error.param).toBe('address.postal_code');
    expect(await postalError.textContent()).toBe(badPostal.error.message);
    expect(await label(page, 'Postal code').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'new customer, postal code refused');

    await label(page, 'Postal code').fill('457 40');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    customerId = /^\/customers\/([^/]+)$/.exec(new URL(page.url()).pathname)?.[1] ?? '';
    expect(customerId).toMatch(/^cus_/);
    expect(await inject('GET', `/v1/customers/${customerId}`)).toMatchObject({ ...body, email: 'inkop@fjallbackamobler.example', credit_limit: null });
    // nothing refused was stored, and sales never sent a credit limit
    expect((await inject('GET', '/v1/customers?limit=100')).data.filter((c: { name: string }) => c.name === CUSTOMER)).toHaveLength(1);
    expect(writes.map((w) => w.method)).toEqual(['POST', 'POST', 'POST']);
    for (const w of writes) expect(w.body).not.toHaveProperty('credit_limit');

    // the detail: details, contact card with a mailto link and the address
    expect(plain(await page.getByTestId('customer-terms').textContent())).toBe('15 days');
    expect(await page.getByTestId('customer-credit-limit').textContent()).toBe('No limit');
    const contact = page.getByTestId('customer-contact');
    expect(await contact.locator('address').innerText()).toBe(`${CUSTOMER}\nHamngatan 4\nBox 12\n457 40 Fjällbacka\nSE`);
    expect(await contact.getByRole('link', { name: 'inkop@fjallbackamobler.example' }).getAttribute('href')).toBe('mailto:inkop@fjallbackamobler.example');
    await expectAccessible(page, 'customer detail');

    // edit: payment terms 20 days and a new address; a refused value first, beside its field
    await page.getByRole('link', { name: 'Edit customer' }).click();
    await page.getByRole('heading', { name: `Edit ${CUSTOMER}`, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/customers/${customerId}/edit`);
    expect(await label(page, 'Name').inputValue()).toBe(CUSTOMER);
    expect(await label(page, 'Currency').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByLabel(/^Credit limit/).count()).toBe(0);
    await label(page, 'Payment terms (days)').fill('20');
    await label(page, 'Street address').fill('Storgatan 8');
    await label(page, 'Address line 2 (c/o, floor, building)').fill('');
    await label(page, 'Postal code').fill('457 31');
    await expectAccessible(page, 'edit customer');
    await page.evaluate('window.scrollTo(0, 0)');
    await shoot(page, 'customer-edit');
    await label(page, 'Payment terms (days)').fill('400');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const termsError = page.locator('#customer-payment_terms_days-error');
    await termsError.waitFor();
    expect(await termsError.textContent()).toMatch(/payment_terms_days/);
    expect(await label(page, 'Payment terms (days)').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'edit customer, terms refused');
    expect((await inject('GET', `/v1/customers/${customerId}`)).payment_terms_days).toBe(15);
    await label(page, 'Payment terms (days)').fill('20');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/customers/${customerId}`);
    // only what changed was sent; the rest stayed as it was
    const patches = writes.filter((w) => w.method === 'PATCH');
    expect(patches.at(-1)?.body).toEqual({ payment_terms_days: 20, address: { line1: 'Storgatan 8', line2: null, postal_code: '457 31' } });
    expect(await inject('GET', `/v1/customers/${customerId}`)).toMatchObject({
      payment_terms_days: 20, address: { line1: 'Storgatan 8', line2: null, postal_code: '457 31', city: 'Fjällbacka' }, email: 'inkop@fjallbackamobler.example', customer_group: 'retail',
    });
    await expect.poll(() => page.getByTestId('customer-terms').textContent().then(plain)).toBe('20 days');
    expect(await contact.locator('address').innerText()).toBe(`${CUSTOMER}\nStorgatan 8\n457 31 Fjällbacka\nSE`);

    // a new quote from here starts with this customer chosen; the editor's search finds customers by the API's `q`
    await inject('POST', '/v1/customers', { name: 'Bergström Bygg AB', country: 'SE', currency: 'SEK' });
    await page.getByRole('link', { name: 'New quote' }).click();
    await page.getByRole('heading', { name: 'New quote', level: 1 }).waitFor();
    await expect.poll(() => page.locator('#quote-customer').inputValue()).toBe(customerId);
    await page.getByLabel('Find a customer').fill('fjällbacka');
    const found = (await inject('GET', `/v1/customers?q=${encodeURIComponent('fjällbacka')}&sort=name`)).data.map((c: { name: string }) => c.name);
    expect(found).toEqual([CUSTOMER]);
    await expect.poll(() => page.locator('#quote-customer option').allTextContents()).toEqual(['Choose a customer…', ...found]);
    expect(await page.locator('#quote-customer').inputValue()).toBe(customerId);
    await page.getByLabel('Find a customer').fill('');
    const all = (await inject('GET', '/v1/customers?limit=100')).data.map((c: { name: string }) => c.name);
    expect(all).toContain('Bergström Bygg AB');
    await expect.poll(() => page.locator('#quote-customer option').allTextContents()).toEqual(['Choose a customer…', ...all]);
    await expectAccessible(page, 'quote editor from a customer');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('lists the customer\'s invoice, order and quote, downloads the statement, and reads in Swedish', async () => {
    expect(customerId).not.toBe('');
    // 8 × 125.00 + 25 % VAT = 1 250.00 kr: quote accepted → order → delivered → invoice issued
    invoice = await issuedInvoiceForCustomer(suite.t, customerId);
    const order = await inject('GET', `/v1/orders/${invoice.order_id}`);
    const quotes = (await inject('GET', `/v1/quotes?customer_id=${customerId}`)).data;
    expect(quotes).toHaveLength(1);

    const page = await newPage();
    await page.goto(`${suite.base}/customers/${customerId}`);
    await signIn(page, SALES);
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();

    // the documents: invoices first, each row a link to its page
    const tab = (name: string) => page.getByRole('tab', { name, exact: true });
    expect(await tab('Invoices').getAttribute('aria-selected')).toBe('true');
    const invoiceRow = page.locator('[data-testid=customer-invoices] tbody tr');
    await expect.poll(() => invoiceRow.count()).toBe(1);
    expect((await invoiceRow.locator('td').allTextContents()).map(plain)).toEqual([
      invoice.number, 'Issued Unpaid', expect.any(String), expect.any(String), 'SEK 1,250.00', 'SEK 1,250.00',
    ]);
    expect(await invoiceRow.getByRole('link', { name: invoice.number }).getAttribute('href')).toBe(`/invoices/${invoice.id}`);
    await expect.poll(() => page.getByTestId('balance-base').textContent().then(plain)).toBe('SEK 1,250.00');
    await expectAccessible(page, 'customer detail with documents');
    await shoot(page, 'customer');

    // the orders tab by keyboard (arrow keys move between the tabs), the quotes tab by a click
    await tab('Invoices').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => tab('Orders').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate('document.activeElement.id')).toBe('customer-docs-tab-orders');
    expect(new URL(page.url()).search).toBe('?docs=orders');
    const orderRow = page.locator('[data-testid=customer-orders] tbody tr');
    await expect.poll(() => orderRow.count()).toBe(1);
    expect(await orderRow.getByRole('link', { name: order.number }).getAttribute('href')).toBe(`/orders/${order.id}`);
    await tab('Quotes').click();
    const quoteRow = page.locator('[data-testid=customer-quotes] tbody tr');
    await expect.poll(() => quoteRow.count()).toBe(1);
    expect(plain(await quoteRow.locator('td').nth(1).textContent())).toBe('Accepted');
    await expectAccessible(page, 'customer quotes tab');
    await quoteRow.getByRole('link', { name: quotes[0].number }).click();
    await page.waitForURL(`${suite.base}/quotes/${quotes[0].id}`);
    await page.goBack();
    await expect.poll(() => tab('Quotes').getAttribute('aria-selected')).toBe('true');
    await tab('Invoices').click();
    await invoiceRow.getByRole('link', { name: invoice.number }).click();
    await page.getByRole('heading', { name: `Invoice ${invoice.number}`, level: 1 }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();

    // the statement for a period, PDF in Swedish and CSV, downloaded with the session cookie
    const year = new Date().getFullYear();
    const today = new Date().toISOString().slice(0, 10);
    await label(page, 'From').fill(`${year}-01-01`);
    await label(page, 'To (empty: today)').fill(today);
    await label(page, 'PDF in').selectOption('sv');
    const pdfHref = await page.getByRole('link', { name: 'Download statement as PDF' }).getAttribute('href');
    expect(pdfHref).toBe(`/v1/customers/${customerId}/statement.pdf?from=${year}-01-01&to=${today}&lang=sv`);
    const pdf = await page.request.get(`${suite.base}${pdfHref}`);
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const csvHref = await page.getByRole('link', { name: 'Download statement as CSV' }).getAttribute('href');
    expect(csvHref).toBe(`/v1/customers/${customerId}/statement?from=${year}-01-01&to=${today}&format=csv`);
    const csv = await page.request.get(`${suite.base}${csvHref}`);
    expect([csv.status(), csv.headers()['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
    expect(await csv.text()).toContain('1250.00');
    // without the session the same link is refused
    const stranger = await suite.browser.newContext();
    expect((await stranger.request.get(`${suite.base}${csvHref}`)).status()).toBe(401);
    await stranger.close();
    // a period that ends before it starts: said so, no links
    await label(page, 'To (empty: today)').fill(`${year - 1}-12-31`);
    expect(await page.getByRole('alert').textContent()).toBe('The end date is before the start date.');
    expect(await page.getByRole('link', { name: 'Download statement as CSV' }).count()).toBe(0);
    await expectAccessible(page, 'customer statement period refused');

    // the same page in Swedish: words, money and the tabs
    await page.getByLabel('Language', { exact: true }).selectOption('sv');
    await page.getByRole('heading', { name: 'Kontoutdrag', level: 2 }).waitFor();
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Uppgifter', 'Kontakt', 'Saldo', 'Kontoutdrag', 'Dokument']);
    expect(plain(await page.getByTestId('customer-terms').textContent())).toBe('20 dagar');
    expect(await page.getByRole('tab').allTextContents()).toEqual(['Fakturor', 'Order', 'Offerter']);
    await expect.poll(() => invoiceRow.locator('td').allTextContents().then((c) => c.map(plain))).toEqual([
      invoice.number, 'Utfärdad Obetald', expect.any(String), expect.any(String), '1 250,00 kr', '1 250,00 kr',
    ]);
    expect(await page.getByRole('link', { name: 'Ändra kund' }).count()).toBe(1);
    expect(plain(await page.getByTestId('balance-base').textContent())).toBe('1 250,00 kr');
    await expectAccessible(page, 'customer detail (sv)');
    await page.getByLabel('Språk', { exact: true }).selectOption('en');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('lets finance set the credit limit, which sales is never offered', async () => {
    expect(customerId).not.toBe('');
    const page = await newPage();
    await page.goto(`${suite.base}/customers/${customerId}/edit`);
    await signIn(page, FINANCE);
    await page.getByRole('heading', { name: `Edit ${CUSTOMER}`, level: 1 }).waitFor();
    const limit = label(page, 'Credit limit (SEK)');
    expect(await limit.inputValue()).toBe('');
    await limit.fill('-5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const limitError = page.locator('#customer-credit_limit-error');
    await limitError.waitFor();
    expect(await limitError.textContent()).toMatch(/credit_limit/);
    // typed the Swedish way: spaces between thousands, a decimal comma
    await limit.fill('150 000,00');
    await expectAccessible(page, 'edit customer as finance');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('customer-credit-limit').textContent().then(plain)).toBe('SEK 150,000.00');
    expect((await inject('GET', `/v1/customers/${customerId}`)).credit_limit).toEqual({ amount: '150000.00', currency: 'SEK' });

    // finance creates a customer with a limit from the start
    await page.goto(`${suite.base}/customers/new`);
    await page.getByRole('heading', { name: 'New customer', level: 1 }).waitFor();
    await label(page, 'Name').fill('Strömstad Kontorsservice AB');
    await label(page, 'Credit limit (SEK)').fill('25000');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByRole('heading', { name: 'Strömstad Kontorsservice AB', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('customer-credit-limit').textContent().then(plain)).toBe('SEK 25,000.00');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows a viewer the customer without a single write action', async () => {
    expect(customerId).not.toBe('');
    const page = await newPage('sv-SE');
    await page.goto(`${suite.base}/customers/${customerId}`);
    await signIn(page, VIEWER);
    await page.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    await page.locator('[data-testid=customer-invoices] tbody tr').first().waitFor();
    expect(await page.locator('[data-write]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Ändra kund' }).count()).toBe(0);
    // reading stays: the statement's links and the document tabs
    expect(await page.getByRole('link', { name: 'Ladda ner kontoutdrag som PDF' }).count()).toBe(1);
    expect(await page.getByRole('tab').count()).toBe(3);
    await expectAccessible(page, 'customer detail as viewer');
    // the edit address typed in: no form, the reason said
    await page.goto(`${suite.base}/customers/${customerId}/edit`);
    await page.getByText('Din roll får läsa kunder men inte ändra dem.').waitFor();
    expect(await page.locator('main input').count()).toBe(0);
    expect(await page.locator('[data-write]').count()).toBe(0);
    await expectAccessible(page, 'edit customer as viewer');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);
});
