/**
 * The settings pages and the password reset in a real browser (playwright-core driving Debian's
 * chromium): as an admin, the company details (a bad e-mail refused beside its field, then saved), a
 * new finance user who then signs in in a second browser context, an API key shown once, used and
 * revoked, a webhook endpoint with its signing secret shown once and its deliveries, a dunning fee
 * above the cap refused beside it and a valid one saved; the finance user, in Swedish, is not offered
 * users or API keys; and a password reset end to end: asked for on the login page, the link taken from
 * the e-mail the outbox worker sends, a new password set on /reset-password and signed in with.
 * axe-core on every page; screenshots settings-company, settings-users, settings-webhooks, reset-password.
 */
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../../src/app/outbox/dispatch.js';
import { outboxDispatchDeps } from '../../src/main/worker.js';
import { issuedInvoiceForDeliveredOrder } from '../support/orders.js';
import { useSmtpMailer } from '../support/smtp.js';
import { browserSuite, expectAccessible, shoot, signIn } from './harness.js';

const ADMIN = { email: 'astrid.admin@example.com', password: 'admin password of some length', name: 'Astrid Lindqvist' };
const FINANCE = { email: 'fredrik.ekonomi@example.com', password: 'finance password of some length', name: 'Fredrik Holm' };
const RESETTER = { email: 'rut.aterstall@example.com', password: 'the old password of Rut', name: 'Rut Sandberg' };
const { smtp, mailer } = useSmtpMailer('q2c@norrsken.example');

describe('settings pages and password reset in chromium', () => {
  let invoice: { number: string };
  const suite = browserSuite({
    users: [{ ...ADMIN, role: 'admin' }, { ...RESETTER, role: 'sales' }],
    seed: async (t) => {
      // an issued invoice, so the number series have numbers to show
      invoice = (await issuedInvoiceForDeliveredOrder(t, { name: 'Nordljus AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Konsulttimme', quantity: '8', unit_price: '1150.00', tax_class: 'standard' },
      ])).invoice;
      await api('PATCH', '/v1/settings/company', { name: 'Norrsken Konsult AB', org_number: '559012-3456', vat_number: 'SE559012345601', bankgiro: '5050-1055' });
    },
    ready: () => dispatch(), // the setup's events are out before any webhook endpoint exists
  });
  const { problems, newPage } = suite;

  async function api(method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, key = suite.t.apiKey) {
    const res = await suite.t.server.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
    return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
  }
  /** What the outbox worker does: e-mails (password reset) and webhook deliveries. */
  const dispatch = async () => {
    const r = await dispatchOutbox(outboxDispatchDeps({ kysely: suite.t.kysely, app: suite.t.deps }, mailer, undefined, suite.base), 1000);
    expect(r.failed).toBe(0);
  };

  it('as admin: company details (error beside the field), a finance user who signs in, an API key shown once and revoked', async () => {
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/settings`);
    await signIn(page, ADMIN);
    // /settings opens the first page: company
    await page.getByRole('heading', { name: 'Company', level: 1 }).waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/settings/company');
    const tabs = page.getByRole('navigation', { name: 'Settings pages' });
    expect(await tabs.getByRole('link').allTextContents()).toEqual([
      'Company', 'Number series', 'VAT', 'Accounts', 'Dunning', 'Users and roles', 'API keys', 'Webhooks', 'Approvals', 'My account',
    ]);
    expect(await page.getByLabel('Company name').inputValue()).toBe('Norrsken Konsult AB');
    expect(await page.getByLabel('VAT number').inputValue()).toBe('SE559012345601');
    await expectAccessible(page, 'settings company');

    // a bad e-mail: the API's message beside the e-mail field, nothing saved
    await page.getByLabel('Street address').fill('Storgatan 12');
    await page.getByLabel('Postcode').fill('903 26');
    await page.getByLabel('City').fill('Umeå');
    await page.getByLabel('E-mail', { exact: true }).fill('faktura(at)norrsken');
    await page.getByRole('button', { name: 'Save' }).click();
    const email = page.getByLabel('E-mail', { exact: true });
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
    expect(message).toMatch(/email/i);
    expect((await api('GET', '/v1/settings/company')).body.address.city).toBe('Stockholm'); // nothing saved
    await expectAccessible(page, 'settings company with error');

    await email.fill('faktura@norrsken.example');
    await page.getByLabel('Phone').fill('090-12 34 56');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect(await email.getAttribute('aria-invalid')).toBeNull();
    expect((await api('GET', '/v1/settings/company')).body).toMatchObject({
      name: 'Norrsken Konsult AB', email: 'faktura@norrsken.example', phone: '090-12 34 56',
      address: { line1: 'Storgatan 12', postal_code: '903 26', city: 'Umeå' },
    });
    await page.evaluate('window.scrollTo(0, 0)');
    await shoot(page, 'settings-company');

    // number series and VAT: read only
    await tabs.getByRole('link', { name: 'Number series' }).click();
    await page.getByRole('heading', { name: 'Number series', level: 1 }).waitFor();
    await page.getByText(/numbered without gaps/).waitFor();
    await expectAccessible(page, 'settings series');
    await tabs.getByRole('link', { name: 'VAT' }).click();
    await page.getByRole('heading', { name: 'VAT', level: 1 }).waitFor();
    const standard = page.locator('[data-testid=vat-rates] tbody tr').first();
    expect((await standard.locator('th, td').allTextContents()).slice(0, 3)).toEqual(['Standard', '25 %', 'S']);
    await expectAccessible(page, 'settings vat');

    // users: a new finance user with a password
    await tabs.getByRole('link', { name: 'Users and roles' }).click();
    await page.getByRole('heading', { name: 'Users and roles', level: 1 }).waitFor();
    const form = page.getByTestId('new-user');
    await form.getByLabel('Name').fill(FINANCE.name);
    await form.getByLabel('E-mail').fill(FINANCE.email);
    await form.getByLabel('Role').selectOption('finance');
    await form.getByLabel('Initial password').fill('short');
    await form.getByRole('button', { name: 'Create user' }).click();
    // too short: refused, the message beside the password
    await expect.poll(() => form.getByLabel('Initial password').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Initial password').fill(FINANCE.password);
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByText(`${FINANCE.name} can now sign in.`).waitFor();
    const row = page.getByTestId(`user-${FINANCE.email}`);
    await row.waitFor();
    expect(await row.getByLabel(`Role of ${FINANCE.name}`).inputValue()).toBe('finance');
    await expectAccessible(page, 'settings users');
    await page.evaluate('window.scrollTo(0, 0)');
    await shoot(page, 'settings-users');

    // the new user signs in in a second browser context
    const other = await newPage('en-GB');
    await other.goto(`${suite.base}/`);
    await signIn(other, FINANCE);
    await other.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    expect(await other.locator('.user-role').textContent()).toBe('Finance');
    await other.context().close();

    // the admin ends that session, and changes another user's role
    await row.getByRole('button', { name: `Sign out everywhere ${FINANCE.name}` }).click();
    await page.getByText(`${FINANCE.name} was signed out (1 sessions ended).`).waitFor();
    const rut = page.getByTestId(`user-${RESETTER.email}`);
    await rut.getByLabel(`Role of ${RESETTER.name}`).selectOption('operations');
    await rut.getByRole('button', { name: 'Change role' }).click();
    await page.getByText(`The role of ${RESETTER.name} was changed.`).waitFor();
    const users = (await api('GET', '/v1/users')).body.data as { email: string; role: string }[];
    expect(users.find((u) => u.email === RESETTER.email)?.role).toBe('operations');

    // API keys: created, shown once, works, revoked, stops working
    await tabs.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Webbshop Norrsken');
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('new-api-key');
    await secret.waitFor();
    const key = await secret.inputValue();
    expect(key.length).toBeGreaterThan(20);
    await page.getByText('it is shown only this once').waitFor();
    expect((await api('GET', '/v1/settings/company', undefined, key)).status).toBe(200);
    await expectAccessible(page, 'settings api keys (new key)');
    const keyRow = page.locator('[data-testid=api-key-list] tbody tr', { hasText: 'Webbshop Norrsken' });
    await keyRow.getByRole('button', { name: 'Revoke Webbshop Norrsken' }).click();
    await keyRow.getByRole('button', { name: 'Yes, revoke Webbshop Norrsken' }).click();
    await page.getByText('The key "Webbshop Norrsken" was revoked.').waitFor();
    expect((await api('GET', '/v1/settings/company', undefined, key)).status).toBe(401);
    // shown once: after a reload the page has no key to show
    await page.reload();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.locator('[data-testid=api-key-list]').waitFor();
    expect(await page.getByTestId('new-api-key').count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('as admin: a webhook endpoint with its secret shown once and its deliveries; a dunning fee over the cap refused, then saved; an account; an approval rule', async () => {
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/settings/webhooks`);
    await signIn(page, ADMIN);
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhook endpoints yet.').waitFor();
    const form = page.getByTestId('new-webhook');
    await form.getByLabel('URL').fill('ftp://hooks.norrsken.example/q2c');
    await form.getByLabel('customer.created').check();
    await form.getByLabel('invoice.paid').check();
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await expect.poll(() => form.getByLabel('URL').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('URL').fill('https://hooks.norrsken.example/q2c');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    const secret = page.getByTestId('webhook-secret');
    await secret.waitFor();
    expect((await secret.inputValue()).length).toBeGreaterThan(20);
    const listed = page.locator('[data-testid=webhook-list] tbody tr', { hasText: 'https://hooks.norrsken.example/q2c' });
    await listed.waitFor();
    expect(await listed.locator('td').first().textContent()).toBe('customer.created, invoice.paid');
    await expectAccessible(page, 'settings webhooks');
    await shoot(page, 'settings-webhooks');

    // an event for it: a new customer, fanned out by the outbox worker
    await api('POST', '/v1/customers', { name: 'Fjällräven Bygg AB', country: 'SE', currency: 'SEK' });
    await dispatch();
    await listed.getByRole('link').click();
    await page.getByRole('heading', { name: 'Endpoint: https://hooks.norrsken.example/q2c', level: 1 }).waitFor();
    const delivery = page.locator('[data-testid=webhook-deliveries] tbody tr', { hasText: 'customer.created' });
    await delivery.waitFor();
    await delivery.getByRole('button', { name: 'Send again customer.created' }).click();
    await page.getByText('customer.created is queued to be sent again.').waitFor();
    // the secret is not shown again
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    // edit: turn it off
    await page.getByLabel('Active', { exact: true }).uncheck();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Disabled', { exact: false }).first().waitFor();
    const endpoints = (await api('GET', '/v1/webhook-endpoints')).body.data;
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({ url: 'https://hooks.norrsken.example/q2c', enabled: false, event_types: ['customer.created', 'invoice.paid'] });
    expect(endpoints[0].secret).toBeUndefined();
    await expectAccessible(page, 'settings webhook endpoint');

    // dunning: a fee over the 60 kr cap is refused beside that fee; 50 kr is saved
    await page.getByRole('navigation', { name: 'Settings pages' }).getByRole('link', { name: 'Dunning' }).click();
    await page.getByRole('heading', { name: 'Dunning', level: 1 }).waitFor();
    const fee = page.getByLabel('Level 1: fee (SEK)');
    await fee.fill('75.00');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => fee.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'settings dunning with error');
    await fee.fill('50.00');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect((await api('GET', '/v1/dunning/settings')).body.levels[0].fee).toEqual({ amount: '50.00', currency: 'SEK' });

    // accounts: an account of our own added to the chart
    const tabs = page.getByRole('navigation', { name: 'Settings pages' });
    await tabs.getByRole('link', { name: 'Accounts' }).click();
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await page.locator('[data-testid=chart-of-accounts]').waitFor();
    const add = page.getByRole('form', { name: 'Add an account' });
    await add.getByLabel('Account').fill('3011');
    await add.getByLabel('Name').fill('Försäljning tjänster, 25 % moms');
    await add.getByRole('button', { name: 'Save' }).click();
    const own = page.locator('[data-testid=chart-of-accounts] tbody tr', { hasText: '3011' });
    await own.waitFor();
    expect((await own.locator('td').allTextContents()).slice(0, 3)).toEqual(['Försäljning tjänster, 25 % moms', 'Active', 'Own']);
    await expectAccessible(page, 'settings accounts');

    // approvals: a quote discount above 15 % needs approval
    await tabs.getByRole('link', { name: 'Approvals' }).click();
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Rule 1', { exact: true }).selectOption('quote_discount_above');
    await page.getByLabel('Rule 1: percent').fill('15');
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByRole('status').getByText('Saved.').first().waitFor();
    expect((await api('GET', '/v1/settings/approval-rules')).body.data).toMatchObject([{ kind: 'quote_discount_above', percent: '15' }]);
    await expectAccessible(page, 'settings approvals');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('as finance, in Swedish: no users or API keys offered, the number series read only, two-factor sign-in turned on', async () => {
    const page = await newPage('sv-SE');
    await page.goto(`${suite.base}/settings`);
    await signIn(page, FINANCE);
    await page.getByRole('heading', { name: 'Företag', level: 1 }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Inställningssidor' });
    expect(await tabs.getByRole('link').allTextContents()).toEqual(['Företag', 'Nummerserier', 'Moms', 'Konton', 'Påminnelser', 'Attester', 'Mitt konto']);
    // company details read, not edited
    expect(await page.getByTestId('company-form').count()).toBe(0);
    await page.getByText('Bara en administratör kan ändra de här inställningarna.').waitFor();
    await expectAccessible(page, 'settings company (sv, finance)');
    await tabs.getByRole('link', { name: 'Nummerserier' }).click();
    await page.getByRole('heading', { name: 'Nummerserier', level: 1 }).waitFor();
    await page.getByText(/numreras utan luckor/).waitFor();
    // the invoice series: the next invoice gets the number after the one issued
    const year = invoice.number.slice(0, 4);
    const invoices = page.locator('[data-testid=series-list] tbody tr', { hasText: `INV-${year}` });
    expect(await invoices.locator('th, td').allTextContents()).toEqual(['Fakturor', `INV-${year}`, year, `${year}-00002`, 'Ja']);
    await expectAccessible(page, 'settings series (sv)');
    // a direct link to the users page: not offered
    await page.goto(`${suite.base}/settings/users`);
    await page.getByRole('heading', { name: 'Inte tillgänglig', level: 1 }).waitFor();
    expect(await page.getByTestId('new-user').count()).toBe(0);
    await expectAccessible(page, 'settings users (sv, finance)');
    // finance may change dunning (books.write) and sees its own account
    await page.getByRole('navigation', { name: 'Inställningssidor' }).getByRole('link', { name: 'Mitt konto' }).click();
    await page.getByRole('heading', { name: 'Mitt konto', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Byt lösenord' }).waitFor();
    await expectAccessible(page, 'settings my account (sv)');
    // two-factor sign-in: the secret shown once, confirmed with a code of it
    await page.getByRole('button', { name: 'Slå på tvåstegsinloggning' }).click();
    const secret = await page.getByTestId('totp-secret').inputValue();
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await expectAccessible(page, 'settings my account, totp enrolment (sv)');
    await page.getByLabel('Kod från appen').fill('000000');
    await page.getByRole('button', { name: 'Bekräfta och slå på' }).click();
    await expect.poll(() => page.getByLabel('Kod från appen').getAttribute('aria-invalid')).toBe('true');
    const code = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    await page.getByLabel('Kod från appen').fill(code);
    await page.getByRole('button', { name: 'Bekräfta och slå på' }).click();
    await page.getByText('Tvåstegsinloggning är på.').waitFor();
    expect(await page.getByTestId('totp-secret').count()).toBe(0);
    const users = (await api('GET', '/v1/users')).body.data;
    expect(users.find((u: { email: string }) => u.email === FINANCE.email)).toMatchObject({ totp_enabled: true });
    await page.context().close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('resets a password end to end: asked for on the login page, the e-mailed link, a new password, signed in with it', async () => {
    await dispatch();
    smtp.messages.length = 0;
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/login`);
    await page.getByRole('heading', { name: 'Sign in to q2c', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Your e-mail address').fill(RESETTER.email);
    await expectAccessible(page, 'login forgot password');
    await page.getByRole('button', { name: 'Send link' }).click();
    await page.getByTestId('reset-requested').waitFor();
    expect(await page.getByTestId('reset-requested').textContent()).toMatch(/^If there is an account for that address/);
    await dispatch();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual([RESETTER.email]);
    const raw = smtp.messages[0]!.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const link = new RegExp(`${suite.base.replace(/[.:/]/g, (c) => `\\${c}`)}/reset-password#token=(pwr_[0-9a-z]+\\.[A-Za-z0-9_-]+)`).exec(raw);
    expect(link).not.toBeNull();

    await page.goto(link![0]);
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    // the token leaves the address bar at once
    await expect.poll(() => page.url()).toBe(`${suite.base}/reset-password`);
    await expectAccessible(page, 'reset password');
    await shoot(page, 'reset-password');
    // the two differ: said beside the second
    await page.getByLabel('New password', { exact: true }).fill('a new password for Rut');
    await page.getByLabel('New password again').fill('another password for Rut');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByLabel('New password again').getAttribute('aria-invalid')).toBe('true');
    // too short: the API's message beside the new password
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'reset password with error');
    await page.getByLabel('New password', { exact: true }).fill('a new password for Rut');
    await page.getByLabel('New password again').fill('a new password for Rut');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByTestId('reset-done').waitFor();
    await expectAccessible(page, 'reset password done');
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in to q2c', level: 1 }).waitFor();
    // the old password no longer works, the new one does
    await signIn(page, RESETTER);
    await page.getByRole('alert').waitFor();
    await signIn(page, { email: RESETTER.email, password: 'a new password for Rut' });
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();

    // the same link again: refused, naming the link
    await page.goto(link![0]);
    await page.getByRole('heading', { name: 'Choose a new password', level: 1 }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('yet another password');
    await page.getByLabel('New password again').fill('yet another password');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('This link cannot be used: it has expired or was already used.').waitFor();
    await page.context().close();
    expect(problems).toEqual([]);
  }, 120_000);
});
