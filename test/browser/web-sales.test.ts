/**
 * The sales pages in a real browser: a sales rep builds a quote in the editor (a catalog product with
 * a 15 % discount and a free-text line), sees the API's totals and margin and an error beside the
 * field the API names, sends it and is told it needs approval (a rule: line discounts above 10 %),
 * asks for it; a sales manager approves; the rep sends it, revises it, sees the visual diff between
 * the versions, makes a portal link, opens the PDF and accepts for the customer; the order made from
 * it is confirmed. axe-core on each new page, screenshots at desktop size into docs/screenshots/.
 *
 * One database kind only (PGlite): this suite tests the pages; the API suites run every route on
 * PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/app/demo/seed.js';
import { formatMoney } from '../../web/src/format.js';
import { browserSuite, expectAccessible, idFrom, plain, shoot, signIn } from './harness.js';

const SALES = { email: 'sara.saljare@example.com', password: 'sales rep password, long enough', name: 'Sara Säljare' };
const MANAGER = { email: 'max.chef@example.com', password: 'manager password, long enough', name: 'Max Chef' };
const FINANCE = { email: 'frida.ekonomi@example.com', password: 'finance password, long enough', name: 'Frida Ekonomi' };
const VIEWER = { email: 'vilma.viewer@example.com', password: 'viewer password, long enough', name: 'Vilma Viewer' };

describe('sales pages in chromium', () => {
  let customerId: string;
  const suite = browserSuite({
    users: [{ ...SALES, role: 'sales' }, { ...MANAGER, role: 'sales_manager' }, { ...FINANCE, role: 'finance' }, { ...VIEWER, role: 'viewer' }],
    seed: async (t) => {
      // the demo's documents, so the order list has more than the one this suite makes
      await seedDemo(t.deps, t.tenantId);
      await ok('PUT', '/v1/settings/approval-rules', { rules: [{ kind: 'line_discount_above', percent: '10' }] });
      await ok('POST', '/v1/products', { sku: 'CHAIR-ERGO', name: 'Kontorsstol Ergo', tax_class: 'standard', unit_prices: [{ amount: '2500.00', currency: 'SEK' }], unit_cost: '1400.00' });
      customerId = (await ok('POST', '/v1/customers', { name: 'Nordvik Kontor AB', country: 'SE', currency: 'SEK', email: 'inkop@nordvik.example' })).id;
    },
  });
  const { problems, newPage, call, ok } = suite;
  const money = (m: { amount: string; currency: string }) => formatMoney(m, 'en');

  it('builds, approves, sends, revises and accepts a quote, then confirms its order', async () => {
    const page = await newPage();
    await page.goto(`${suite.base}/quotes/new`);
    await signIn(page, SALES);
    await page.getByRole('heading', { name: 'New quote', level: 1 }).waitFor();

    // --- the editor: a catalog product at 15 % off and a free-text line
    await page.locator('#quote-customer').selectOption({ label: 'Nordvik Kontor AB' });
    const line0 = page.getByTestId('line-0');
    await line0.getByLabel('Product').selectOption({ label: 'CHAIR-ERGO · Kontorsstol Ergo' });
    await line0.getByLabel('Quantity').fill('4');
    await line0.getByLabel('Discount (%)').fill('15');
    await page.getByRole('button', { name: 'Add a line' }).click();
    const line1 = page.getByTestId('line-1');
    await line1.getByLabel('Description').fill('Montering');
    await line1.getByLabel('Unit price (SEK)').fill('1 200,00'); // typed the Swedish way: the API gets "1200.00"
    await line1.getByLabel('VAT').selectOption('standard');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/\/quotes\/qte_[^/]+\/edit$/);
    const v1 = idFrom(page, /^\/quotes\/([^/]+)\/edit$/);
    const saved = await ok('GET', `/v1/quotes/${v1}`);
    // 4 × 2 500 − 15 % = 8 500 and 1 200: net 9 700, VAT 2 425, total 12 125; cost 4 × 1 400 on the costed line
    expect(saved.lines.map((l: any) => [l.description, l.quantity, l.net_amount.amount])).toEqual([
      ['Kontorsstol Ergo', '4', '8500.00'],
      ['Montering', '1', '1200.00'],
    ]);
    expect([saved.net_total.amount, saved.vat_total.amount, saved.gross_total.amount, saved.margin.amount]).toEqual(['9700.00', '2425.00', '12125.00', '2900.00']);
    await expect.poll(() => page.getByTestId('total-gross').textContent().then(plain)).toBe(plain(money(saved.payable_total)));
    expect(plain(await page.getByTestId('total-net').textContent())).toBe('SEK 9,700.00');
    expect(plain(await page.getByTestId('total-margin').textContent())).toBe('SEK 2,900.00 (34.1176%)');
    expect(plain(await page.getByTestId('line-0-net').textContent())).toContain('SEK 8,500.00');

    // a quantity the API refuses: its message beside that line's quantity, nothing saved
    await line1.getByLabel('Quantity').fill('0');
    const qtyError = line1.locator('.field-error');
    await qtyError.waitFor();
    const refused = await call('POST', '/v1/quotes', { customer_id: customerId, lines: [{ description: 'x', quantity: '1', unit_price: '1.00', tax_class: 'standard' }, { description: 'Montering', quantity: '0', unit_price: '1200.00', tax_class: 'standard' }] });
    expect([refused.status, refused.body.error.param]).toEqual([400, 'lines.1.quantity']);
    expect(await qtyError.textContent()).toBe(refused.body.error.message);
    expect(await line1.getByLabel('Quantity').getAttribute('aria-invalid')).toBe('true');
    expect((await ok('GET', `/v1/quotes/${v1}`)).lines[1].quantity).toBe('1');
    await expectAccessible(page, 'quote editor with an error');
    await line1.getByLabel('Quantity').fill('1');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Draft saved' }).count()).toBe(1);
    expect(await qtyError.count()).toBe(0);
    await expectAccessible(page, 'quote editor');
    await shoot(page, 'quote-editor');

    // --- send: the rule asks for approval (409 quote_approval_required), the rep requests it
    await page.getByRole('button', { name: 'Send to the customer' }).click();
    const needed = page.getByTestId('approval-needed');
    await needed.waitFor();
    expect(await needed.textContent()).toContain('needs approval before it can be sent');
    expect((await ok('GET', `/v1/quotes/${v1}`)).status).toBe('draft');
    await needed.getByRole('button', { name: 'Request approval' }).click();
    await page.waitForURL(`${suite.base}/quotes/${v1}`);
    await expect.poll(() => page.locator('.page-head .badge').textContent()).toBe('Awaiting approval');
    expect(await page.getByTestId('quote-approval').textContent()).toContain('Awaiting approval');
    // the requester may not approve their own request, and a sales rep may not approve at all
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // --- a sales manager approves
    const manager = await newPage();
    await manager.goto(`${suite.base}/quotes/${v1}`);
    await signIn(manager, MANAGER);
    await manager.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => manager.locator('.page-head .badge').textContent()).toBe('Approved');
    expect((await ok('GET', `/v1/quotes/${v1}/approvals`)).data.map((a: any) => a.status)).toEqual(['approved']);
    await manager.context().close();

    // --- the rep sends it, then revises: a second version with more of the free-text line
    await page.reload();
    await page.getByRole('button', { name: 'Send to the customer' }).click();
    await expect.poll(() => page.locator('.page-head .badge').textContent()).toBe('Sent');
    await page.getByRole('button', { name: 'Revise (new version)' }).click();
    await page.waitForURL(/\/quotes\/qte_[^/]+\/edit$/);
    const v2 = idFrom(page, /^\/quotes\/([^/]+)\/edit$/);
    expect(v2).not.toBe(v1);
    await page.getByTestId('line-1').getByLabel('Quantity').fill('2');
    await expect.poll(async () => (await ok('GET', `/v1/quotes/${v2}`)).lines[1].quantity).toBe('2');
    const revised = await ok('GET', `/v1/quotes/${v2}`);
    await expect.poll(() => page.getByTestId('total-gross').textContent().then(plain)).toBe(plain(money(revised.payable_total)));
    expect(revised.gross_total.amount).toBe('13625.00');
    // only a line no rule looked at changed: the approval carries over and it is sent straight away
    await page.getByRole('button', { name: 'Send to the customer' }).click();
    await page.waitForURL(`${suite.base}/quotes/${v2}`);
    await expect.poll(() => page.locator('.page-head .badge').textContent()).toBe('Sent');

    // --- the detail: versions and the visual diff, as the API compares them
    const diff = await ok('GET', `/v1/quotes/${v2}/diff`);
    expect(diff.changed.map((c: any) => [c.description, c.changes])).toEqual([['Montering', [{ field: 'quantity', from: diff.changed[0].changes[0].from, to: diff.changed[0].changes[0].to }]]]);
    const changed = page.getByTestId('diff-changed');
    await expect.poll(() => changed.count()).toBe(1);
    expect(plain(await changed.textContent())).toContain(`Quantity: ${diff.changed[0].changes[0].from} → ${diff.changed[0].changes[0].to}`);
    expect(plain(await changed.textContent())).toContain('Net change SEK 1,200.00');
    expect(plain(await page.getByTestId('diff-gross').textContent())).toBe('SEK 12,125.00 → SEK 13,625.00');
    expect(await page.getByRole('table', { name: 'Versions' }).locator('tbody tr').count()).toBe(2);
    await expectAccessible(page, 'quote detail');
    await shoot(page, 'quote-detail');
    // the versions and their diff, further down the page
    await page.evaluate(`document.getElementById('versions-title').scrollIntoView()`);
    await shoot(page, 'quote-diff');
    await page.evaluate('window.scrollTo(0, 0)');

    // the PDF, same origin with the session cookie
    const pdfHref = await page.getByRole('link', { name: 'Open the PDF' }).getAttribute('href');
    expect(pdfHref).toBe(`/v1/quotes/${v2}/pdf?lang=en`);
    const pdf = await page.request.get(`${suite.base}${pdfHref}`);
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByRole('button', { name: 'Show preview' }).click();
    expect(await page.locator('iframe.pdf-preview').getAttribute('src')).toBe(pdfHref);
    await page.getByRole('button', { name: 'Hide preview' }).click();

    // a portal link to copy, for the customer
    await page.getByRole('button', { name: 'Create portal link' }).click();
    const url = page.getByLabel('Portal link for the customer');
    await url.waitFor();
    expect(await url.inputValue()).toMatch(new RegExp(`^${suite.base.replace(/[.]/g, '\\.')}/portal/`));
    expect((await page.request.get(await url.inputValue())).status()).toBe(200);

    // --- accept on the customer's behalf: the order made from it opens
    await page.getByRole('button', { name: 'Accept for the customer' }).click();
    await page.waitForURL(/\/orders\/ord_[^/]+$/);
    const orderId = idFrom(page, /^\/orders\/([^/]+)$/);
    const order = await ok('GET', `/v1/orders/${orderId}`);
    expect([order.quote_id, order.status, order.gross_total.amount]).toEqual([v2, 'unconfirmed', '13625.00']);
    await page.getByRole('heading', { name: `Order ${order.number}`, level: 1 }).waitFor();
    expect(await page.locator('.page-head .badge').textContent()).toBe('Unconfirmed');
    const rows = page.getByTestId('order-lines').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    // ordered, cancelled, delivered, invoiced, returned
    expect((await rows.nth(0).locator('td').allTextContents()).slice(1, 7).map(plain)).toEqual(['Kontorsstol Ergo', '4 C62', '0', '0', '0', '0']);
    expect((await rows.nth(1).locator('td').allTextContents()).slice(1, 3).map(plain)).toEqual(['Montering', '2 C62']);
    await page.getByRole('button', { name: 'Confirm order' }).click();
    await expect.poll(() => page.locator('.page-head .badge').textContent()).toBe('Confirmed');
    expect((await ok('GET', `/v1/orders/${orderId}`)).status).toBe('confirmed');
    expect(plain(await page.getByTestId('order-total').textContent())).toBe('SEK 13,625.00');
    await expectAccessible(page, 'order detail');
    await shoot(page, 'order-detail');

    // --- the order list: server-side pages, this order among the demo's
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    const listed = (await ok('GET', '/v1/orders?limit=25')).data;
    await expect.poll(() => page.locator('table tbody tr td:first-child').allTextContents()).toEqual(listed.map((o: any) => o.number));
    const row = page.locator('table tbody tr', { hasText: order.number });
    expect((await row.locator('td').allTextContents()).map(plain)).toEqual([order.number, 'Nordvik Kontor AB', 'Confirmed', 'Not started', 'Not invoiced', expect.any(String), 'SEK 13,625.00']);
    await expectAccessible(page, 'orders');
    await shoot(page, 'orders');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);

  it('puts an order over the credit limit on hold, amends it with the API\'s error beside the field, and finance releases it', async () => {
    // through the API: a customer with a small credit limit and an accepted quote of 2 chairs
    const small = (await ok('POST', '/v1/customers', { name: 'Småföretaget AB', country: 'SE', currency: 'SEK', credit_limit: '1000.00' })).id;
    const chair = (await ok('GET', '/v1/products?limit=100')).data.find((p: any) => p.sku === 'CHAIR-ERGO').id;
    const quote = await ok('POST', '/v1/quotes', { customer_id: small, lines: [{ product_id: chair, quantity: '2' }] });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);

    const page = await newPage();
    await page.goto(`${suite.base}/orders/${order.id}`);
    await signIn(page, SALES);
    await page.getByRole('button', { name: 'Confirm order' }).click();
    const banner = page.getByTestId('hold-banner');
    await banner.waitFor();
    const held = await ok('GET', `/v1/orders/${order.id}`);
    expect(held.status).toBe('on_hold');
    expect(plain(await banner.textContent())).toBe(plain(`On credit hold: ${held.hold_reason}`));
    // releasing is finance's: a sales rep does not get the button
    expect(await banner.getByRole('button').count()).toBe(0);

    // amend: one chair fewer and a freight line; a quantity of 0 is refused beside its field first
    await page.getByRole('button', { name: 'Amend' }).click();
    await page.getByLabel('Line 1: Kontorsstol Ergo').fill('1');
    await page.getByRole('button', { name: 'Add a line' }).click();
    const added = page.getByRole('group', { name: 'New line 1' });
    await added.getByLabel('Description').fill('Frakt');
    await added.getByLabel('Quantity').fill('0');
    await added.getByLabel('Unit price (SEK)').fill('300');
    await page.getByRole('button', { name: 'Save amendment' }).click();
    const addError = added.locator('.field-error');
    await addError.waitFor();
    const refused = await call('POST', `/v1/orders/${order.id}/amend`, { add: [{ description: 'Frakt', quantity: '0', unit_price: '300', tax_class: 'standard' }] });
    expect([refused.status, refused.body.error.param]).toEqual([400, 'add.0.quantity']);
    expect(await addError.textContent()).toBe(refused.body.error.message);
    expect((await ok('GET', `/v1/orders/${order.id}`)).version).toBe(1);
    await added.getByLabel('Quantity').fill('1');
    await page.getByRole('button', { name: 'Save amendment' }).click();
    await expect.poll(() => page.locator('.page-head .badge').textContent()).toBe('Unconfirmed');
    const amended = await ok('GET', `/v1/orders/${order.id}`);
    // 2 500 + 300 net, 25 % VAT
    expect([amended.version, amended.lines.map((l: any) => [l.description, l.quantity, l.quantity_cancelled]), amended.gross_total.amount]).toEqual([
      2, [['Kontorsstol Ergo', '2', '1'], ['Frakt', '1', '0']], '3500.00',
    ]);
    const rows = page.getByTestId('order-lines').locator('tbody tr');
    expect((await rows.nth(0).locator('td').allTextContents()).slice(2, 4).map(plain)).toEqual(['2 C62', '1']);
    expect(plain(await page.locator('.order-versions').textContent())).toContain('Line 1 Kontorsstol Ergo: 2 → 1');
    // still over the limit: on hold again when confirmed
    await page.getByRole('button', { name: 'Confirm order' }).click();
    await banner.waitFor();
    await page.context().close();

    // finance releases it
    const finance = await newPage();
    await finance.goto(`${suite.base}/orders/${order.id}`);
    await signIn(finance, FINANCE);
    await finance.getByTestId('hold-banner').getByRole('button', { name: 'Release hold' }).click();
    await expect.poll(() => finance.locator('.page-head .badge').textContent()).toBe('Confirmed');
    expect((await ok('GET', `/v1/orders/${order.id}`)).status).toBe('confirmed');
    // finance does not change orders: no confirm, amend or cancel
    expect(await finance.getByRole('button', { name: /^(Amend|Cancel order|Confirm order)$/ }).count()).toBe(0);
    await finance.context().close();

    // a viewer reads the order and its quote, and gets no write action on either
    const viewer = await newPage();
    await viewer.goto(`${suite.base}/orders/${order.id}`);
    await signIn(viewer, VIEWER);
    await viewer.getByRole('heading', { name: `Order ${order.number}`, level: 1 }).waitFor();
    await expect.poll(() => viewer.locator('.page-head .badge').textContent()).toBe('Confirmed');
    expect(await viewer.locator('[data-write]').count()).toBe(0);
    await viewer.getByRole('link', { name: 'The accepted version' }).click();
    await viewer.getByRole('heading', { name: `Quote ${quote.number}, version 1`, level: 1 }).waitFor();
    expect(await viewer.locator('.page-head .badge').textContent()).toBe('Accepted');
    expect(await viewer.locator('[data-write]').count()).toBe(0);
    await viewer.goto(`${suite.base}/quotes/${quote.id}/edit`);
    await viewer.getByText('Your role may read quotes but not change them.').waitFor();
    expect(await viewer.locator('main input, main select, main textarea').count()).toBe(0);
    await viewer.context().close();
    expect(problems).toEqual([]);
  }, 45_000);
});
