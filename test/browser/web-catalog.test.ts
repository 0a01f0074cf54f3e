/**
 * The catalog and claims pages in a real browser (playwright-core driving Debian's chromium): a sales
 * manager searches and sorts the product list, creates a product group, a product (price, cost and
 * its margin), a bundle of two products and a price list with quantity tiers, which the product page
 * then shows; operations work the claims queue: one damaged-goods claim resolved by replacement and
 * the replacement shipped, another rejected with a reason; a viewer sees the same pages in Swedish
 * ("2 495,00 kr", stock on hand) without a single write action. axe-core on every page visited;
 * screenshots at desktop size saved to docs/screenshots/ (catalog, product, price-list, claims, claim).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { deliveredOrder } from '../support/orders.js';
import { browserSuite, expectAccessible, plain, shoot, signIn } from './harness.js';

const MANAGER = { email: 'sara.sales@example.com', password: 'manager password of some length', name: 'Sara Säljchef' };
const OPERATIONS = { email: 'olle.ops@example.com', password: 'operations password of some length', name: 'Olle Lager' };
const VIEWER = { email: 'vera.viewer@example.com', password: 'viewer password of some length', name: 'Vera Viewer' };

describe('catalog and claims pages in chromium', () => {
  let chair: any;
  let damaged: any;
  let missing: any;
  let wrong: any;
  const suite = browserSuite({
    users: [{ ...MANAGER, role: 'sales_manager' }, { ...OPERATIONS, role: 'operations' }, { ...VIEWER, role: 'viewer' }],
    seed: async (t) => {
      // three products; the chair is kept in stock (12 in the main warehouse)
      chair = await ok('POST', '/v1/products', {
        sku: 'STOL-01', name: 'Kontorsstol Ergo', tax_class: 'standard', unit_prices: [{ amount: '2495.00', currency: 'SEK' }], unit_cost: '1400.00', stock_tracked: true,
      });
      await ok('POST', '/v1/products', { sku: 'BORD-02', name: 'Skrivbord Höj och sänk', tax_class: 'standard', unit_prices: [{ amount: '6990.00', currency: 'SEK' }] });
      await ok('POST', '/v1/products', { sku: 'KAB-03', name: 'Kabelkanal', tax_class: 'standard', unit_prices: [{ amount: '149.00', currency: 'SEK' }] });
      await ok('POST', '/v1/warehouses', { code: 'MAIN', name: 'Huvudlager Borås' });
      await ok('POST', '/v1/stock/receipts', { product_id: chair.id, quantity: '12', reference: 'IN-4711' });
      // two delivered orders with a claim each: two chairs damaged, one desk missing
      const first = await deliveredOrder(t, { name: 'Fjällbacka Möbler AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Kontorsstol Ergo', quantity: '4', unit_price: '2495.00', tax_class: 'standard' },
      ]);
      [damaged] = (await ok('POST', `/v1/deliveries/${first.delivery.id}/claims`, {
        lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '2', description: 'Två stolar hade spruckna armstöd vid leverans.' }],
      })).claims;
      damaged.order = first.order;
      damaged.delivery = first.delivery;
      const second = await deliveredOrder(t, { name: 'Sundsvalls Kontorsservice AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Skrivbord Höj och sänk', quantity: '2', unit_price: '6990.00', tax_class: 'standard' },
      ]);
      [missing] = (await ok('POST', `/v1/deliveries/${second.delivery.id}/claims`, {
        lines: [{ delivery_line_no: 1, reason: 'missing', quantity: '1', description: 'Ett skrivbord saknades i leveransen.' }],
      })).claims;
      const third = await deliveredOrder(t, { name: 'Göteborgs Kontorsinredning AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Skrivbordslampa LED', quantity: '3', unit_price: '449.00', tax_class: 'standard' },
      ]);
      [wrong] = (await ok('POST', `/v1/deliveries/${third.delivery.id}/claims`, {
        lines: [{ delivery_line_no: 1, reason: 'wrong_item', quantity: '1', description: 'En lampa var en golvlampa i stället för en skrivbordslampa.' }],
      })).claims;
    },
    timeout: 180_000,
  });
  const { problems, newPage, apiGet, ok } = suite;

  const productRows = (page: Page) => page.locator('[data-testid=product-list] tbody tr');
  const firstCells = async (page: Page) => (await productRows(page).locator('td:first-child').allTextContents()).map(plain);

  it('searches and sorts products, creates a group, a product, a bundle and a price list with tiers (sales manager)', async () => {
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/catalog`);
    await signIn(page, MANAGER);
    await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
    await expect.poll(() => firstCells(page)).toEqual(['STOL-01', 'BORD-02', 'KAB-03']);
    const chairRow = productRows(page).filter({ hasText: 'STOL-01' });
    expect((await chairRow.locator('td').allTextContents()).map(plain)).toEqual(['STOL-01', 'Kontorsstol Ergo', 'Goods', '–', 'SEK 2,495.00', 'Active']);

    // the API searches (name or SKU) and sorts; the state is in the URL
    await page.getByLabel('Search name or SKU').fill('kabel');
    await expect.poll(() => firstCells(page)).toEqual(['KAB-03']);
    expect(page.url()).toContain('q=kabel');
    await page.getByLabel('Search name or SKU').fill('');
    await expect.poll(() => firstCells(page)).toEqual(['STOL-01', 'BORD-02', 'KAB-03']);
    await page.getByRole('button', { name: 'SKU' }).click();
    await expect.poll(() => firstCells(page)).toEqual(['BORD-02', 'KAB-03', 'STOL-01']);
    await page.getByRole('button', { name: 'SKU' }).click();
    await expect.poll(() => firstCells(page)).toEqual(['STOL-01', 'KAB-03', 'BORD-02']);
    expect(page.url()).toContain('sort=-sku');
    expect(await page.locator('th[aria-sort=descending]').textContent()).toContain('SKU');
    await page.getByLabel('Active', { exact: true }).selectOption('false');
    await page.getByText('Nothing matches the search or filters.').waitFor();
    await page.getByLabel('Active', { exact: true }).selectOption('');
    await expect.poll(() => productRows(page).count()).toBe(3);
    await expectAccessible(page, 'catalog');
    await shoot(page, 'catalog');

    // a product group
    const tabs = page.getByRole('navigation', { name: 'Catalog sections' });
    await tabs.getByRole('link', { name: 'Product groups' }).click();
    await page.getByRole('heading', { name: 'Product groups', level: 1 }).waitFor();
    await page.getByText('No product groups yet.').waitFor();
    await page.getByLabel('Name of the group').fill('Kontorsbelysning');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('status').filter({ hasText: 'Product group “Kontorsbelysning” created.' }).waitFor();
    await page.locator('[data-testid=group-list] tbody tr', { hasText: 'Kontorsbelysning' }).waitFor();
    await expectAccessible(page, 'product groups');

    // a product: an empty SKU is refused beside its field, then created with price, cost (margin shown) and group
    await tabs.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('link', { name: 'New product' }).click();
    await page.getByRole('heading', { name: 'New product', level: 1 }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Skrivbordslampa LED');
    await page.getByLabel('Price 1 (SEK)').fill('449.00');
    await page.getByRole('button', { name: 'Create product' }).click();
    await expect.poll(() => page.getByLabel('SKU').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#product-sku-error').textContent()).toBeTruthy();
    await page.getByLabel('SKU').fill('LAMP-04');
    await page.getByLabel('Product group').selectOption({ label: 'Kontorsbelysning' });
    await page.getByLabel('Cost per unit (SEK)').fill('210.00');
    expect(plain(await page.getByTestId('margin').textContent())).toBe('SEK 239.00 (53.2%)');
    await expectAccessible(page, 'new product');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('heading', { name: 'Skrivbordslampa LED', level: 1 }).waitFor();
    const lampId = decodeURIComponent(page.url().split('/').pop() ?? '');
    const groups = await apiGet('/v1/product-groups');
    const lamp = await apiGet(`/v1/products/${lampId}`);
    expect(lamp).toMatchObject({
      sku: 'LAMP-04', name: 'Skrivbordslampa LED', unit: 'C62', tax_class: 'standard', kind: 'goods', active: true,
      unit_prices: [{ amount: '449.00', currency: 'SEK' }], unit_cost: { amount: '210.00', currency: 'SEK' }, group_id: groups.data[0].id, bundle: null,
    });

    // a bundle priced as the sum of its components: a chair and two lamps
    await page.getByRole('link', { name: '← All products' }).click();
    await page.getByRole('link', { name: 'New product' }).click();
    await page.getByLabel('SKU').fill('PAKET-05');
    await page.getByLabel('Name', { exact: true }).fill('Arbetsplatspaket');
    await page.getByLabel('This product is a bundle of other products').check();
    await page.getByLabel('Component 1', { exact: true }).selectOption({ label: 'STOL-01 · Kontorsstol Ergo' });
    await page.getByRole('button', { name: 'Add a component' }).click();
    await page.getByLabel('Component 2', { exact: true }).selectOption({ label: 'LAMP-04 · Skrivbordslampa LED' });
    await page.getByLabel('Quantity of component 2').fill('2');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('heading', { name: 'Arbetsplatspaket', level: 1 }).waitFor();
    const bundleId = decodeURIComponent(page.url().split('/').pop() ?? '');
    expect((await apiGet(`/v1/products/${bundleId}`)).bundle).toEqual({
      pricing: 'sum', display: 'expanded', components: [{ product_id: chair.id, quantity: '1' }, { product_id: lampId, quantity: '2' }],
    });
    expect(await page.getByLabel('Component 2', { exact: true }).inputValue()).toBe(lampId);
    expect(await page.getByLabel('Quantity of component 2').inputValue()).toBe('2');
    await expectAccessible(page, 'bundle product');
    await shoot(page, 'product');

    // a price list for resellers in 2027: the lamp in two graduated tiers, the chair at a flat price
    await tabs.getByRole('link', { name: 'Price lists' }).click();
    await page.getByRole('heading', { name: 'Price lists', level: 1 }).waitFor();
    await page.getByText('No price lists yet.').waitFor();
    await page.getByRole('link', { name: 'New price list' }).click();
    await page.getByRole('heading', { name: 'New price list', level: 1 }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Återförsäljare 2027');
    await page.getByLabel('Customer group').fill('aterforsaljare');
    await page.getByLabel('Valid from').fill('2027-01-01');
    await page.getByLabel('Valid to').fill('2027-12-31');
    await page.getByLabel('Product of price 1').selectOption({ label: 'LAMP-04 · Skrivbordslampa LED' });
    await page.getByLabel('Pricing of price 1').selectOption('graduated');
    await page.getByLabel('Up to, tier 1').fill('9');
    await page.getByLabel('Unit price, tier 1').fill('429.00');
    await page.getByRole('button', { name: 'Add a tier to price 1' }).click();
    await page.getByLabel('Unit price, tier 2').fill('389.00');
    await page.getByRole('button', { name: 'Add a product' }).click();
    await page.getByLabel('Product of price 2').selectOption({ label: 'STOL-01 · Kontorsstol Ergo' });
    await page.getByLabel('Unit price 2 (SEK)').fill('2195.00');
    await expectAccessible(page, 'new price list');
    await page.getByRole('button', { name: 'Create price list' }).click();
    await page.getByRole('heading', { name: 'Återförsäljare 2027', level: 1 }).waitFor();
    const listId = decodeURIComponent(page.url().split('/').pop() ?? '');
    const saved = await apiGet(`/v1/price-lists/${listId}`);
    expect(saved).toMatchObject({ name: 'Återförsäljare 2027', currency: 'SEK', customer_group: 'aterforsaljare', valid_from: '2027-01-01', valid_to: '2027-12-31' });
    expect(saved.prices).toHaveLength(2);
    expect(saved.prices).toEqual(expect.arrayContaining([
      { product_id: lampId, unit_price: null, tiers: { mode: 'graduated', tiers: [{ up_to: '9', unit_price: { amount: '429.00', currency: 'SEK' } }, { up_to: null, unit_price: { amount: '389.00', currency: 'SEK' } }] } },
      { product_id: chair.id, unit_price: { amount: '2195.00', currency: 'SEK' }, tiers: null },
    ]));
    await expect.poll(() => page.locator('[data-testid=tiers] tbody tr').count()).toBe(2);
    await expectAccessible(page, 'price list');
    await shoot(page, 'price-list');

    // the price list in the list, and the lamp's tiers on its product page
    await page.getByRole('link', { name: '← All price lists' }).click();
    const listRow = page.locator('[data-testid=price-list-list] tbody tr', { hasText: 'Återförsäljare 2027' });
    await listRow.waitFor();
    expect((await listRow.locator('td').allTextContents()).map(plain)).toEqual(['Återförsäljare 2027', 'SEK', 'aterforsaljare', '1 Jan 2027 – 31 Dec 2027', '2']);
    await page.goto(`${suite.base}/catalog/products/${lampId}`);
    await page.getByRole('heading', { name: 'Skrivbordslampa LED', level: 1 }).waitFor();
    expect(plain(await page.getByTestId('tier-text').textContent())).toBe('1–9: SEK 429.00 · 10+: SEK 389.00 (Graduated tiers)');
    await expectAccessible(page, 'product with tiers');
    // edited: a new list price and a price in euros; SKU and unit stay as they are
    expect(await page.getByLabel('SKU').isDisabled()).toBe(true);
    await page.getByLabel('Price 1 (SEK)').fill('459.00');
    await page.getByRole('button', { name: 'Add a price in another currency' }).click();
    await page.getByLabel('Currency of price 2').fill('EUR');
    await page.getByLabel('Price 2 (EUR)').fill('41.50');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    expect((await apiGet(`/v1/products/${lampId}`)).unit_prices).toEqual([{ amount: '41.50', currency: 'EUR' }, { amount: '459.00', currency: 'SEK' }]);
    expect(await page.getByLabel('Price 2 (SEK)').inputValue()).toBe('459.00');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 120_000);

  it('resolves a damaged-goods claim by replacement and ships it, and rejects another (operations)', async () => {
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/claims`);
    await signIn(page, OPERATIONS);
    await page.getByRole('heading', { name: 'Claims', level: 1 }).waitFor();
    const rows = page.locator('[data-testid=claim-list] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const row = rows.filter({ hasText: damaged.number });
    await expect.poll(async () => plain(await row.locator('td').nth(3).textContent())).toBe(damaged.order.number);
    await expect.poll(async () => plain(await row.locator('td').nth(4).textContent())).toBe(damaged.delivery.number);
    expect((await row.locator('td').allTextContents()).map(plain)).toEqual([
      damaged.number, 'Open', 'Fjällbacka Möbler AB', damaged.order.number, damaged.delivery.number, 'Damaged', '2', expect.any(String), 'Today',
    ]);
    // sorted by number, newest first; filtered by status
    await page.getByRole('button', { name: 'Number' }).click();
    await page.getByRole('button', { name: 'Number' }).click();
    await expect.poll(async () => (await rows.locator('td:first-child').allTextContents())).toEqual([wrong.number, missing.number, damaged.number]);
    await page.getByLabel('Status').selectOption('rejected');
    await page.getByText('Nothing matches the search or filters.').waitFor();
    await page.getByLabel('Status').selectOption('open');
    await expect.poll(() => rows.count()).toBe(3);
    await expectAccessible(page, 'claims');
    await shoot(page, 'claims');
    // one order's claims (the order page may link here)
    await page.goto(`${suite.base}/claims?order_id=${damaged.order.id}`);
    await page.getByTestId('claims-order-filter').getByRole('link', { name: damaged.order.number }).waitFor();
    await expect.poll(async () => rows.locator('td:first-child').allTextContents()).toEqual([damaged.number]);
    await page.getByRole('link', { name: 'Show every claim' }).click();
    await expect.poll(() => rows.count()).toBe(3);

    // the damaged chairs: replaced, then the replacement shipped
    await rows.filter({ hasText: damaged.number }).getByRole('link', { name: damaged.number }).click();
    await page.getByRole('heading', { name: `Claim ${damaged.number}`, level: 1 }).waitFor();
    expect(plain(await page.getByTestId('claim-details').textContent())).toContain('Två stolar hade spruckna armstöd vid leverans.');
    expect(await page.getByLabel('Quantity to resolve').inputValue()).toBe('2');
    await expectAccessible(page, 'claim');
    await page.getByRole('button', { name: 'Resolve by replacement' }).click();
    await page.getByRole('status').filter({ hasText: 'Replacement added' }).waitFor();
    const history = page.locator('[data-testid=resolutions] tbody tr');
    await expect.poll(async () => (await history.locator('td').allTextContents()).slice(1, 4).map(plain)).toEqual(['Replacement', '2', 'Pending']);
    await page.getByRole('button', { name: 'Ship replacement' }).click();
    await page.getByRole('status').filter({ hasText: 'The replacement delivery was created.' }).waitFor();
    await expect.poll(async () => plain(await history.locator('td').nth(3).textContent())).toBe('Shipped');
    const claim = await apiGet(`/v1/claims/${damaged.id}`);
    expect(claim).toMatchObject({ status: 'resolved', resolutions: [{ kind: 'replacement', status: 'shipped', quantity: '2', complete: true }] });
    const replacement = await apiGet(`/v1/deliveries/${claim.resolutions[0].delivery_id}`);
    expect(replacement).toMatchObject({ kind: 'replacement', claim_id: damaged.id });
    await history.getByRole('link', { name: replacement.number }).waitFor();
    await page.locator('.badge-claim-resolved', { hasText: 'Resolved' }).waitFor();
    expect(await page.getByRole('button', { name: 'Resolve by replacement' }).count()).toBe(0);
    await expectAccessible(page, 'resolved claim');
    await shoot(page, 'claim');

    // the missing desk: rejected with the reason the customer sees (an empty reason is refused beside the field)
    await page.goto(`${suite.base}/claims/${missing.id}`);
    await page.getByRole('heading', { name: `Claim ${missing.number}`, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Reject…' }).click();
    await page.getByRole('button', { name: 'Reject claim' }).click();
    await expect.poll(() => page.getByLabel('Reason for rejection').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Reason for rejection').fill('Leveransen kvitterades som komplett av er mottagare.');
    await page.getByRole('button', { name: 'Reject claim' }).click();
    await page.getByRole('status').filter({ hasText: 'The claim was rejected.' }).waitFor();
    expect(await page.getByTestId('rejection-reason').textContent()).toBe('Leveransen kvitterades som komplett av er mottagare.');
    expect(await apiGet(`/v1/claims/${missing.id}`)).toMatchObject({ status: 'rejected', rejection_reason: 'Leveransen kvitterades som komplett av er mottagare.' });
    expect(await page.getByRole('group', { name: 'Resolution actions' }).count()).toBe(0);
    await expectAccessible(page, 'rejected claim');

    // the wrong lamp: a return with an RMA number, received (scrapped), and its credit request for invoicing
    await page.goto(`${suite.base}/claims/${wrong.id}`);
    await page.getByRole('heading', { name: `Claim ${wrong.number}`, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Resolve by return' }).click();
    await page.getByRole('status').filter({ hasText: 'Return added' }).waitFor();
    const rma = (await apiGet(`/v1/claims/${wrong.id}`)).resolutions[0].rma_number;
    expect(rma).toMatch(/\S/);
    const returns = page.locator('[data-testid=resolutions] tbody tr');
    await returns.getByText(rma).waitFor();
    expect(plain(await returns.locator('td').nth(3).textContent())).toBe('Expected back');
    await page.getByRole('button', { name: 'Receive return' }).click();
    expect(await page.getByLabel('Quantity received').inputValue()).toBe('1');
    await page.getByLabel('What happens to the goods').selectOption('scrap');
    await expectAccessible(page, 'receive return');
    await page.getByRole('button', { name: 'Receive the goods' }).click();
    await page.getByRole('status').filter({ hasText: 'The return was received.' }).waitFor();
    const returned = await apiGet(`/v1/claims/${wrong.id}`);
    expect(returned).toMatchObject({ status: 'resolved', resolutions: [{ kind: 'return', status: 'credited', received: { quantity: '1', disposition: 'scrap' } }] });
    await expect.poll(async () => plain(await returns.locator('td').nth(4).textContent())).toContain('Credit request SEK 449.00 · to be credited');
    expect(plain(await returns.locator('td').nth(4).textContent())).toContain('Received (Scrapped): 1');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('shows a viewer the catalog and claims in Swedish without a single write action', async () => {
    const page = await newPage('sv-SE');
    await page.goto(`${suite.base}/catalog`);
    await signIn(page, VIEWER);
    await page.getByRole('heading', { name: 'Katalog', level: 1 }).waitFor();
    const chairRow = productRows(page).filter({ hasText: 'STOL-01' });
    await chairRow.waitFor();
    expect((await chairRow.locator('td').allTextContents()).map(plain)).toEqual(['STOL-01', 'Kontorsstol Ergo', 'Vara', '–', '2 495,00 kr', 'Aktiv']);
    expect(await page.locator('[data-write]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Ny artikel' }).count()).toBe(0);
    await expectAccessible(page, 'catalog (sv)');

    // the chair: read-only, with its margin and stock on hand
    await chairRow.getByRole('link', { name: 'Kontorsstol Ergo' }).click();
    await page.getByRole('heading', { name: 'Kontorsstol Ergo', level: 1 }).waitFor();
    expect(await page.getByLabel('Namn', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByLabel('Pris 1 (SEK)').inputValue()).toBe('2495,00');
    expect(plain(await page.getByTestId('margin').textContent())).toBe('1 095,00 kr (43,8 %)');
    const stock = page.locator('[data-testid=stock-levels] tbody tr');
    await stock.waitFor();
    expect((await stock.locator('th, td').allTextContents()).map(plain)).toEqual(['Huvudlager Borås', '12', '0', '12']);
    expect(await page.getByRole('button', { name: 'Spara artikel' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Lägg till/ }).count()).toBe(0);
    expect(plain(await page.getByTestId('product-price-lists').textContent())).toContain('2 195,00 kr');
    await expectAccessible(page, 'product (sv)');

    await page.getByRole('navigation', { name: 'Katalogens delar' }).getByRole('link', { name: 'Prislistor' }).click();
    await page.locator('[data-testid=price-list-list] tbody tr').first().waitFor();
    expect(await page.getByRole('link', { name: 'Ny prislista' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Återförsäljare 2027' }).click();
    await page.getByRole('heading', { name: 'Återförsäljare 2027', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Spara priser' }).count()).toBe(0);
    expect(await page.getByLabel('Styckpris, steg 2').inputValue()).toBe('389,00');
    await expectAccessible(page, 'price list (sv)');

    await page.getByRole('navigation', { name: 'Katalogens delar' }).getByRole('link', { name: 'Artikelgrupper' }).click();
    await page.locator('[data-testid=group-list] tbody tr').first().waitFor();
    expect(await page.getByRole('button', { name: 'Skapa grupp' }).count()).toBe(0);

    // claims: the queue and a claim, nothing to do for a viewer
    await page.getByRole('navigation', { name: 'Avsnitt' }).getByRole('link', { name: 'Reklamationer' }).click();
    await page.getByRole('heading', { name: 'Reklamationer', level: 1 }).waitFor();
    const rows = page.locator('[data-testid=claim-list] tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(plain(await rows.filter({ hasText: missing.number }).locator('td').nth(1).textContent())).toBe('Avslagen');
    await expectAccessible(page, 'claims (sv)');
    await rows.filter({ hasText: damaged.number }).getByRole('link', { name: damaged.number }).click();
    await page.getByRole('heading', { name: `Reklamation ${damaged.number}`, level: 1 }).waitFor();
    await page.locator('[data-testid=resolutions] tbody tr').first().waitFor();
    expect(plain(await page.locator('[data-testid=resolutions] tbody tr td').nth(1).textContent())).toBe('Ersättning');
    expect(await page.getByRole('button', { name: 'Lös med ersättning' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Skicka ersättning' }).count()).toBe(0);
    expect(await page.locator('main button').count()).toBe(0);
    await expectAccessible(page, 'claim (sv)');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);
});
