/**
 * The web app in a real browser (playwright-core driving Debian's chromium): sign in, the dashboard,
 * customers and a customer's detail, quotes, Swedish formatting, a form error named by the API, a
 * viewer who sees no write actions, an axe-core check of every page, and screenshots at desktop size
 * saved to docs/screenshots/ (committed, shown in the README).
 *
 * One database kind only: this suite tests the pages, not the storage (the API suites run every
 * route on PGlite and PostgreSQL); a second browser run would double its ~30 s for nothing new.
 */
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/app/demo/seed.js';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/app/platform/totp.js';
import { createUserCommitted } from '../../src/app/platform/users.js';
import { settableClock } from '../../src/app/shared/clock.js';
import { envFor } from '../../src/app/shared/env.js';
import { formatMoney } from '../../web/src/format.js';
import { browserSuite, expectAccessible, plain, shoot, signIn } from './harness.js';

const ADMIN = { email: 'anna.admin@example.com', password: 'correct horse battery staple', name: 'Anna Admin' };
const VIEWER = { email: 'vera.viewer@example.com', password: 'viewer password of some length', name: 'Vera Viewer' };
const SALES = { email: 'sam.sales@example.com', password: 'sales password with a second factor', name: 'Sam Sales' };

describe('web app in chromium', () => {
  let customerId: string;
  // the server's clock, moved on by a TOTP step so a code is not a replay of the enrolment's
  const clock = settableClock(new Date());
  let totp: TOTP;
  const suite = browserSuite({
    app: { clock },
    users: [{ ...ADMIN, role: 'admin' }, { ...VIEWER, role: 'viewer' }],
    seed: async (t) => {
      // the demo's customers and documents in every stage, so the pages (and their screenshots) show real data
      await seedDemo(t.deps, t.tenantId);
      // a user with two-factor sign-in, enrolled as the app's /v1/me/totp routes would
      const sales = await createUserCommitted(t.db, t.deps, t.tenantId, { ...SALES, role: 'sales' });
      const env = envFor(t.deps, { tenantId: t.tenantId, actorId: sales.id });
      const { secret } = await t.db.transaction(t.tenantId, (s) => startTotpEnrolment(s, env, t.deps.secrets.pepper, sales.id));
      totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
      await t.db.transaction(t.tenantId, (s) => confirmTotpEnrolment(s, env, t.deps.secrets.pepper, sales.id, totp.generate({ timestamp: clock.now().getTime() })));
      // through the API with the test's key: a customer with a credit limit and a quote of 1 234,50 kr incl. VAT
      customerId = (await ok('POST', '/v1/customers', { name: 'Acme Möbler AB', email: 'inkop@acme.example', country: 'SE', currency: 'SEK', org_number: '556677-8899', credit_limit: '250000.00' })).id;
      await ok('POST', '/v1/customers', { name: 'Bergström Bygg AB', country: 'SE', currency: 'SEK' });
      await ok('POST', '/v1/quotes', { customer_id: customerId, lines: [{ description: 'Skrivbord ek', quantity: '1', unit_price: '987.60', tax_class: 'standard' }] });
    },
  });
  const { problems, newPage, apiGet, ok } = suite;

  it('signs in, shows the dashboard, customers and quotes, in English and Swedish', async () => {
    const page = await newPage();
    await page.goto(`${suite.base}/customers`);
    // not signed in: the login page, which remembers where the user was going
    await page.getByRole('heading', { name: 'Sign in to q2c' }).waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/login?next=%2Fcustomers');
    await expectAccessible(page, 'login');
    await shoot(page, 'login');

    // a wrong password: the API's message, no hint which part was wrong
    await signIn(page, { email: ADMIN.email, password: 'not the password at all' });
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The e-mail address or the password is not correct');

    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Customers', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/customers');
    const header = page.locator('header');
    expect(await header.locator('.user-name').textContent()).toBe(ADMIN.name);
    expect(await header.locator('.user-role').textContent()).toBe('Administrator');
    const rows = page.locator('table tbody tr');
    const customers = (await apiGet('/v1/customers?limit=25')).data.map((c: { name: string }) => c.name);
    expect(customers).toContain('Acme Möbler AB');
    await expect.poll(() => rows.locator('td:first-child').allTextContents()).toEqual(customers);
    expect(await page.locator('[data-write]').count()).toBe(1); // "New customer" for an admin
    await expectAccessible(page, 'customers');
    await shoot(page, 'customers');

    // the dashboard: receivables as the aging report has them, and the queues as the lists count them
    const aging = await apiGet('/v1/reports/aging');
    expect(aging.base_total.total.amount).not.toBe('0.00'); // the demo's unpaid invoices
    const openClaims = (await apiGet('/v1/claims?status=open&limit=100')).data.length;
    const unmatched = (await apiGet('/v1/bank-transactions?status=unmatched&limit=100')).data.length;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('receivables-total').textContent()).toBe(formatMoney(aging.base_total.total, 'en'));
    await expect.poll(() => page.getByTestId('claims-open').textContent()).toBe(String(openClaims));
    await expect.poll(() => page.getByTestId('bank-unmatched').textContent()).toBe(String(unmatched));
    const awaiting = (await apiGet('/v1/quotes?awaiting_approval=true&limit=100')).data.length;
    const onHold = (await apiGet('/v1/orders?status=on_hold&limit=100')).data.length;
    await expect.poll(() => page.getByTestId('quotes-awaiting').textContent()).toBe(String(awaiting));
    await expect.poll(() => page.getByTestId('orders-on-hold').textContent()).toBe(String(onHold));
    // the pipeline by status and cash per week as GET /v1/reports/dashboard sums them
    const dash = await apiGet('/v1/reports/dashboard');
    expect(dash.pipeline.length).toBeGreaterThan(0); // the demo's quotes
    await expect.poll(() => page.getByTestId('pipeline').locator('.bar-value').allTextContents()).toEqual(dash.pipeline.map((p: { net_total: { amount: string; currency: string } }) => formatMoney(p.net_total, 'en')));
    await expect.poll(() => page.getByTestId('cash-per-week').locator('li').count()).toBe(12);
    await expectAccessible(page, 'dashboard');
    await shoot(page, 'dashboard');

    // a customer's detail: the credit limit in the reader's format, balance, statement link
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByRole('link', { name: 'Acme Möbler AB' }).click();
    await page.getByRole('heading', { name: 'Acme Möbler AB', level: 1 }).waitFor();
    await expect.poll(() => page.locator('dd').filter({ hasText: '250' }).first().textContent().then(plain)).toBe('SEK 250,000.00');
    await expect.poll(() => page.getByTestId('balance-base').textContent().then(plain)).toBe('SEK 0.00');
    expect(await page.getByRole('link', { name: 'Statement (PDF), this year' }).getAttribute('href')).toBe(
      `/v1/customers/${customerId}/statement.pdf?from=${new Date().getFullYear()}-01-01&lang=en`,
    );
    await expectAccessible(page, 'customer detail'); // its screenshot is web-customers.test.ts's

    // quotes: the customer's name and the total including VAT (987.60 + 25 %)
    await page.getByRole('link', { name: 'Quotes' }).click();
    await page.getByRole('heading', { name: 'Quotes', level: 1 }).waitFor();
    const quote = page.locator('table tbody tr', { hasText: 'Acme Möbler AB' });
    await expect.poll(() => quote.count()).toBe(1);
    expect(plain(await quote.locator('td').nth(5).textContent())).toBe('SEK 1,234.50');
    expect(await quote.locator('td').nth(2).textContent()).toBe('Draft');
    await expectAccessible(page, 'quotes');
    await shoot(page, 'quotes');

    // Swedish: words, money ("1 234,50 kr") and the choice kept across a reload
    await page.getByLabel('Language').selectOption('sv');
    await page.getByRole('heading', { name: 'Offerter', level: 1 }).waitFor();
    expect(plain(await quote.locator('td').nth(5).textContent())).toBe('1 234,50 kr');
    expect(await quote.locator('td').nth(2).textContent()).toBe('Utkast');
    expect(await page.locator('html').getAttribute('lang')).toBe('sv');
    await page.reload();
    await page.getByRole('heading', { name: 'Offerter', level: 1 }).waitFor();
    await expect.poll(() => quote.locator('td').nth(5).textContent().then(plain)).toBe('1 234,50 kr');
    await expectAccessible(page, 'quotes (sv)');
    await shoot(page, 'quotes-sv');

    // an address the app does not know says so, with the way back
    await page.goto(`${suite.base}/no-such-page`);
    await page.getByRole('heading', { name: 'Sidan finns inte', level: 1 }).waitFor();
    await expectAccessible(page, 'not found');
    await page.getByRole('link', { name: 'Till översikten' }).click();
    await page.getByRole('heading', { name: 'Översikt', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.getByRole('heading', { name: 'Logga in i q2c' }).waitFor();
    // signed out for real: the API no longer knows the session
    expect((await page.request.get(`${suite.base}/v1/auth/session`)).status()).toBe(401);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('creates a customer through the form (CSRF token and Idempotency-Key sent), the API\'s error beside its field', async () => {
    const page = await newPage();
    const writes: { csrf: string | undefined; key: string | undefined }[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/v1/customers')) writes.push({ csrf: r.headers()['x-csrf-token'], key: r.headers()['idempotency-key'] });
    });
    await page.goto(`${suite.base}/customers/new`);
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'New customer', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Cederlund & Co');
    await page.getByLabel('Country').fill('S');
    await page.getByRole('button', { name: 'Create customer' }).click();
    const countryError = page.locator('#customer-country-error');
    await countryError.waitFor();
    const refused = await suite.t.server.inject({ method: 'POST', url: '/v1/customers', headers: { authorization: `Bearer ${suite.t.apiKey}` }, payload: { name: 'Cederlund & Co', country: 'S', currency: 'SEK', email: null, org_number: null } });
    expect(refused.json().error.param).toBe('country');
    expect(await countryError.textContent()).toBe(refused.json().error.message);
    expect(await page.getByLabel('Country').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'new customer with an error');
    await shoot(page, 'customer-new-error');

    await page.getByLabel('Country').fill('SE');
    await page.getByRole('button', { name: 'Create customer' }).click();
    await page.getByRole('heading', { name: 'Cederlund & Co', level: 1 }).waitFor();
    expect(writes).toHaveLength(2);
    for (const w of writes) {
      expect(w.csrf).toMatch(/.{16,}/);
      expect(w.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(writes[0]?.key).not.toBe(writes[1]?.key);
    // written once, by the second try only
    const names = (await apiGet('/v1/customers?limit=100')).data.map((c: { name: string }) => c.name);
    expect(names.filter((n: string) => n === 'Cederlund & Co')).toHaveLength(1);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('shows a viewer no write actions', async () => {
    const page = await newPage('sv-SE');
    await page.goto(`${suite.base}/`);
    // the browser prefers Swedish and nothing is stored yet: Swedish
    await page.getByRole('heading', { name: 'Logga in i q2c' }).waitFor();
    await signIn(page, VIEWER);
    await page.getByRole('heading', { name: 'Översikt', level: 1 }).waitFor();
    expect(await page.locator('header .user-role').textContent()).toBe('Läsbehörighet');
    await page.getByRole('link', { name: 'Kunder' }).click();
    await page.getByRole('link', { name: 'Acme Möbler AB' }).waitFor();
    expect(await page.locator('[data-write]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Ny kund' }).count()).toBe(0);
    // by keyboard: after a navigation focus is on the page's content (Tab goes to its first control,
    // the search box); on a fresh load the first Tab reaches "skip to content"; a focused link opens with Enter
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.labels[0].textContent')).toBe('Sök');
    await page.reload();
    await page.getByRole('link', { name: 'Acme Möbler AB' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Hoppa till innehållet');
    await page.getByRole('link', { name: 'Offerter' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Offerter', level: 1 }).waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('[data-write]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Ny offert' }).count()).toBe(0);
    // the only buttons are sign-out and the headers' sort buttons (and paging, absent with this little data)
    expect(await page.locator('main button:not(th button), main [role=button]').count()).toBe(0);
    // a refused read shows the API's own message
    const missing = await apiGet('/v1/customers/cus_00000000000000000000000000');
    expect(missing.error.message).toMatch(/./);
    await page.goto(`${suite.base}/customers/cus_00000000000000000000000000`);
    await expect.poll(() => page.getByRole('alert').first().locator('p').textContent()).toBe(`Kunde inte hämtas: ${missing.error.message}`);
    expect(await page.getByRole('button', { name: 'Försök igen' }).count()).toBeGreaterThan(0);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('asks for the authenticator code when the account has two-factor sign-in, and shows a wrong one\'s message beside it', async () => {
    const page = await newPage();
    await page.goto(`${suite.base}/`);
    await signIn(page, SALES);
    const code = page.getByLabel('Code from your authenticator app');
    await code.waitFor();
    expect(await page.getByText('Two-factor sign-in is on for this account').count()).toBe(1);
    clock.advance(30_000);
    const right = totp.generate({ timestamp: clock.now().getTime() });
    await code.fill(right === '123456' ? '654321' : '123456');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.locator('#login-totp-error');
    await error.waitFor();
    expect(await error.textContent()).not.toBe('');
    expect(await code.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'login with code');
    await code.fill(right);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await page.locator('header .user-role').textContent()).toBe('Sales');
    // sales does not read the books: the receivables card says so instead of failing
    expect(await page.getByText('Not available for your role').count()).toBeGreaterThan(0);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('pages through customers on the server, 25 at a time, forward and back', async () => {
    for (let i = 1; i <= 25; i++) {
      const res = await suite.t.server.inject({ method: 'POST', url: '/v1/customers', headers: { authorization: `Bearer ${suite.t.apiKey}` }, payload: { name: `Kund ${String(i).padStart(2, '0')}`, country: 'SE', currency: 'SEK' } });
      expect(res.statusCode).toBe(201);
    }
    const first = await apiGet('/v1/customers?limit=25');
    const second = await apiGet(`/v1/customers?limit=25&starting_after=${first.data[24].id}`);
    expect(first.has_more).toBe(true);
    const page = await newPage();
    await page.goto(`${suite.base}/customers`);
    await signIn(page, ADMIN);
    const names = page.locator('table tbody tr td:first-child');
    await expect.poll(() => names.allTextContents()).toEqual(first.data.map((c: { name: string }) => c.name));
    expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => names.allTextContents()).toEqual(second.data.map((c: { name: string }) => c.name));
    expect(await page.getByText('Page 2').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(!second.has_more);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => names.allTextContents()).toEqual(first.data.map((c: { name: string }) => c.name));
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('sorts and searches the customer list on the server, across two pages, with the state in the URL', async () => {
    // 5 more than the paging test's 25 "Kund" customers: a search for them fills two pages
    for (let i = 26; i <= 30; i++) {
      const res = await suite.t.server.inject({ method: 'POST', url: '/v1/customers', headers: { authorization: `Bearer ${suite.t.apiKey}` }, payload: { name: `Kund ${i}`, country: 'SE', currency: 'SEK' } });
      expect(res.statusCode).toBe(201);
    }
    const namesOf = (l: { data: { name: string }[] }) => l.data.map((c) => c.name);
    const byName = await apiGet('/v1/customers?limit=25&sort=-name');
    expect(byName.has_more).toBe(true);
    const byName2 = await apiGet(`/v1/customers?limit=25&sort=-name&cursor=${byName.next_cursor}`);
    const found = await apiGet('/v1/customers?limit=25&sort=-name&q=kund');
    expect(found.data).toHaveLength(25);
    expect(found.has_more).toBe(true);
    const found2 = await apiGet(`/v1/customers?limit=25&sort=-name&q=kund&cursor=${found.next_cursor}`);
    // "Kund 30" … "Kund 06", then "Kund 05" … "Kund 01": the API's order, not the browser's
    expect(namesOf(found)[0]).toBe('Kund 30');
    expect(namesOf(found2)).toEqual(['Kund 05', 'Kund 04', 'Kund 03', 'Kund 02', 'Kund 01']);

    const page = await newPage();
    await page.goto(`${suite.base}/customers`);
    await signIn(page, ADMIN);
    const names = page.locator('table tbody tr td:first-child');
    const nameHeader = page.getByRole('columnheader', { name: 'Name' });
    await names.first().waitFor();
    expect(await nameHeader.getAttribute('aria-sort')).toBe('none');
    // the header's button: ascending first, descending on the second press
    await nameHeader.getByRole('button').click();
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('ascending');
    await nameHeader.getByRole('button').click();
    await expect.poll(() => nameHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(() => names.allTextContents()).toEqual(namesOf(byName));
    expect(new URL(page.url()).searchParams.get('sort')).toBe('-name');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => names.allTextContents()).toEqual(namesOf(byName2));
    // a reload keeps the sort and the page
    await page.reload();
    await expect.poll(() => names.allTextContents()).toEqual(namesOf(byName2));
    expect(await page.getByText('Page 2').count()).toBe(1);

    // a search starts again at page 1, in the same sort, once typing pauses
    await page.getByLabel('Search').fill('kund');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('kund');
    await expect.poll(() => names.allTextContents()).toEqual(namesOf(found));
    expect(await page.getByText('Page 1').count()).toBe(1);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => names.allTextContents()).toEqual(namesOf(found2));
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => names.allTextContents()).toEqual(namesOf(found));
    // Back in the browser returns to page 2 of the search, Forward/Back work like the buttons
    await page.goBack();
    await expect.poll(() => names.allTextContents()).toEqual(namesOf(found2));

    // nothing found: the list says so rather than "no customers yet"
    await page.getByLabel('Search').fill('no such customer anywhere');
    await expect.poll(() => page.locator('.state-empty').textContent()).toBe('Nothing matches the search or filters.');
    await expectAccessible(page, 'customers searched');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);
});
