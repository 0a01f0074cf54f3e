/**
 * The deliveries and reports pages in a real browser (playwright-core driving Debian's chromium):
 * operations delivers part of a confirmed order through the pages (new delivery with chosen
 * quantities, a refused quantity shown beside its field, pick, pack, ship with carrier and tracking
 * number, deliver), downloads the delivery note (a PDF), makes a portal link, and the order's
 * delivered quantity follows; finance opens each report in Swedish (aging, VAT return, KPIs) with the
 * figures the API gives, and downloads the SIE 4 export (it starts with #FLAGGA); a viewer sees the
 * pages without a single write action. axe-core on every page visited; screenshots at desktop size in
 * docs/screenshots/ (deliveries, delivery, reports, reports-vat, reports-kpis, reports-exports).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { settableClock } from '../../src/app/shared/clock.js';
import { formatMoney } from '../../web/src/format.js';
import { deliveredOrder, issuedInvoiceForDeliveredOrder, orderFromQuote } from '../support/orders.js';
import { browserSuite, expectAccessible, plain, shoot, signIn } from './harness.js';

const OPS = { email: 'olle.ops@example.com', password: 'operations password of some length', name: 'Olle Lager' };
const FINANCE = { email: 'frida.finance@example.com', password: 'finance password of some length', name: 'Frida Finans' };
const VIEWER = { email: 'vera.viewer@example.com', password: 'viewer password of some length', name: 'Vera Viewer' };

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

describe('deliveries and reports pages in chromium', () => {
  let order: any;
  let delivered: any;
  let delivery: any;
  // the clock stands 80 days back while the overdue invoice's order runs its course, then at today
  const clock = settableClock(new Date());
  const suite = browserSuite({
    app: () => {
      clock.set(new Date(Date.now() - 80 * 86_400_000));
      return { clock };
    },
    users: [{ ...OPS, role: 'operations' }, { ...FINANCE, role: 'finance' }, { ...VIEWER, role: 'viewer' }],
    seed: async (t) => {
      // 80 days ago: 10 light fittings ordered, delivered and invoiced (9 750,00 kr), never paid
      const late = await orderFromQuote(t, { name: 'Åkesson & Berg HB', country: 'SE', currency: 'SEK' }, [
        { description: 'Ljusarmatur', quantity: '10', unit_price: '780.00', tax_class: 'standard' },
      ]);
      await ok('POST', `/v1/orders/${late.order.id}/confirm`);
      const ld = await ok('POST', `/v1/orders/${late.order.id}/deliveries`, {});
      await ok('POST', `/v1/deliveries/${ld.id}/ship`, { carrier: 'Bring', tracking_number: 'BR-20931' });
      await ok('POST', `/v1/deliveries/${ld.id}/deliver`, {});
      const draft = await ok('POST', '/v1/invoices', { order_id: late.order.id });
      await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
      clock.set(new Date());
      // today: a confirmed order of 4 oak tables and 12 chairs, to be delivered in part through the pages
      const o = await orderFromQuote(t, { name: 'Sjöberg Snickeri AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Ekbord 180 cm', quantity: '4', unit_price: '8900.00', tax_class: 'standard' },
        { description: 'Stol, ek', quantity: '12', unit_price: '1450.00', tax_class: 'standard' },
      ]);
      order = await ok('POST', `/v1/orders/${o.order.id}/confirm`);
      // an order delivered before, and an invoice issued today (9 200,00 + 25 % VAT)
      delivered = await deliveredOrder(t, { name: 'Lindqvist Bygg AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Montage', quantity: '6', unit_price: '650.00', tax_class: 'standard' },
      ], { carrier: 'DB Schenker', tracking_number: 'DBS-4471' });
      await issuedInvoiceForDeliveredOrder(t, { name: 'Nordljus AB', country: 'SE', currency: 'SEK' }, [
        { description: 'Konsulttimme', quantity: '8', unit_price: '1150.00', tax_class: 'standard' },
      ]);
    },
    timeout: 180_000,
  });
  const { problems, newPage, apiGet, ok } = suite;

  /** The step the progress track marks as current. */
  const currentStep = (page: Page) => page.locator('[data-testid=delivery-track] li[aria-current=step] .track-label').textContent();

  it('operations delivers part of a confirmed order through the pages: create, pick, pack, ship, deliver, delivery note (English)', async () => {
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/deliveries`);
    await signIn(page, OPS);
    await page.getByRole('heading', { name: 'Deliveries', level: 1 }).waitFor();

    // the list: the earlier delivery with its order and customer, newest first; filter by status
    const row = page.locator('[data-testid=delivery-list] tbody tr', { hasText: delivered.delivery.number });
    await expect.poll(() => row.count()).toBe(1);
    const cells = (await row.locator('td').allTextContents()).map(plain);
    expect(cells.slice(0, 4)).toEqual([delivered.delivery.number, delivered.order.number, 'Lindqvist Bygg AB', 'Delivered']);
    expect(await row.getByRole('link', { name: delivered.order.number }).getAttribute('href')).toBe(`/orders/${delivered.order.id}`);
    await page.getByLabel('Status').selectOption('shipped');
    await page.getByText('Nothing matches the search or filters.').waitFor();
    await page.getByLabel('Status').selectOption('delivered');
    // the order delivered before and the two invoiced ones
    await expect.poll(() => page.locator('[data-testid=delivery-list] tbody tr').count()).toBe(3);
    await page.getByLabel('Status').selectOption('');
    await expect.poll(() => page.locator('[data-testid=delivery-list] tbody tr').count()).toBe(3);
    // newest first: the one delivered 80 days ago last
    expect(plain(await page.locator('[data-testid=delivery-list] tbody tr').last().locator('td').nth(2).textContent())).toBe('Åkesson & Berg HB');
    await expectAccessible(page, 'deliveries');
    await shoot(page, 'deliveries');

    // a new delivery of the order: every open quantity is offered, 2 of 4 tables and 5 of 12 chairs are chosen
    await page.getByRole('link', { name: 'New delivery' }).click();
    await page.getByRole('heading', { name: 'New delivery', level: 1 }).waitFor();
    await page.getByLabel('Order to deliver').selectOption(order.id);
    await expectAccessible(page, 'new delivery: the order');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${suite.base}/deliveries/new?order=${order.id}`);
    const tables = page.getByLabel('Quantity to deliver of line 1, Ekbord 180 cm');
    const chairs = page.getByLabel('Quantity to deliver of line 2, Stol, ek');
    expect(await tables.inputValue()).toBe('4');
    expect(await chairs.inputValue()).toBe('12');
    await expectAccessible(page, 'new delivery');
    // more than is open: the API's refusal beside the field
    await tables.fill('9');
    await page.getByRole('button', { name: 'Create delivery' }).click();
    await expect.poll(() => tables.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#deliver-line-1-error').textContent()).toContain('only 4 is open');
    await tables.fill('2');
    await chairs.fill('5');
    await page.getByRole('button', { name: 'Create delivery' }).click();
    await page.waitForURL(/\/deliveries\/dlv_[^/]+$/);
    const deliveryId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    delivery = await apiGet(`/v1/deliveries/${deliveryId}`);
    await page.getByRole('heading', { name: `Delivery ${delivery.number}`, level: 1 }).waitFor();
    expect((await page.locator('[data-testid=delivery-lines] tbody tr td').allTextContents()).map(plain)).toEqual(['1', 'Ekbord 180 cm', '2 pcs', '2', 'Stol, ek', '5 pcs']);
    expect(await currentStep(page)).toBe('Planned');

    // pick, pack, ship with carrier and tracking number, deliver
    await page.getByRole('button', { name: 'Mark picked' }).click();
    await expect.poll(() => currentStep(page)).toBe('Picked');
    await page.getByRole('button', { name: 'Mark packed' }).click();
    await expect.poll(() => currentStep(page)).toBe('Packed');
    await page.getByRole('button', { name: 'Ship…' }).click();
    await page.getByLabel('Carrier').fill('PostNord');
    await page.getByLabel('Tracking number').fill('SE123456789');
    await page.getByRole('button', { name: 'Mark shipped' }).click();
    await expect.poll(() => currentStep(page)).toBe('Shipped');
    expect(await page.getByTestId('delivery-tracking').textContent()).toBe('SE123456789');
    expect(await page.getByRole('button', { name: 'Cancel delivery…' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Deliver…' }).click();
    await page.getByLabel('Proof of delivery').fill('Signed by K. Sjöberg at the workshop');
    await page.getByRole('button', { name: 'Mark delivered' }).click();
    await expect.poll(() => currentStep(page)).toBe('Delivered');
    expect(await page.getByTestId('delivery-review').textContent()).toBe('Awaiting review');
    const after = await apiGet(`/v1/deliveries/${deliveryId}`);
    expect(after).toMatchObject({ status: 'delivered', carrier: 'PostNord', tracking_number: 'SE123456789', proof: 'Signed by K. Sjöberg at the workshop' });
    expect(after.picked_at).not.toBeNull();
    expect(after.packed_at).not.toBeNull();

    // the delivery note, with the session cookie
    const noteHref = await page.getByRole('link', { name: 'Delivery note (PDF)' }).getAttribute('href');
    expect(noteHref).toBe(`/v1/deliveries/${deliveryId}/pdf?lang=en`);
    const pdf = await page.request.get(`${suite.base}${noteHref}`);
    expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // a portal link for the customer, shown once to copy
    await page.getByRole('button', { name: 'Make a portal link' }).click();
    const url = await page.getByLabel('Portal link for the customer').inputValue();
    expect(url).toMatch(/\/portal\/deliveries\/[^/]+$/);
    await expectAccessible(page, 'delivery');
    await shoot(page, 'delivery');

    // receipt confirmed on the customer's behalf: the last step of the track
    await page.getByRole('button', { name: 'Confirm receipt for the customer' }).click();
    await expect.poll(() => currentStep(page)).toBe('Receipt confirmed');
    expect(await page.getByTestId('delivery-review').textContent()).toBe('Receipt confirmed');

    // a second delivery of the rest, cancelled before it ships: its quantities are open again
    const rest = await ok('POST', `/v1/orders/${order.id}/deliveries`, {});
    await page.goto(`${suite.base}/deliveries/${rest.id}`);
    await page.getByRole('heading', { name: `Delivery ${rest.number}`, level: 1 }).waitFor();
    expect((await page.locator('[data-testid=delivery-lines] tbody tr td').allTextContents()).map(plain)).toEqual(['1', 'Ekbord 180 cm', '2 pcs', '2', 'Stol, ek', '7 pcs']);
    await page.getByRole('button', { name: 'Cancel delivery…' }).click();
    await page.getByRole('button', { name: 'Yes, cancel the delivery' }).click();
    await page.getByText('This delivery is cancelled; its quantities are open again on the order.').waitFor();
    expect(await page.getByRole('link', { name: 'Delivery note (PDF)' }).count()).toBe(0);
    expect((await apiGet(`/v1/deliveries/${rest.id}`)).status).toBe('cancelled');
    await page.goto(`${suite.base}/deliveries/new?order=${order.id}`);
    expect(await page.getByLabel('Quantity to deliver of line 2, Stol, ek').inputValue()).toBe('7');

    // the order: 2 tables and 5 chairs delivered, the rest still open
    await page.goto(`${suite.base}/deliveries/${deliveryId}`);
    await page.getByRole('heading', { name: `Delivery ${delivery.number}`, level: 1 }).waitFor();
    const o = await apiGet(`/v1/orders/${order.id}`);
    expect(o.lines.map((l: any) => Number(l.quantity_delivered))).toEqual([2, 5]);
    await page.getByRole('link', { name: order.number }).first().click();
    await page.getByRole('heading', { name: new RegExp(order.number), level: 1 }).waitFor();
    const delivCells = page.locator('[data-testid=order-lines] tbody tr').first().locator('td');
    expect(plain(await delivCells.nth(4).textContent())).toBe('2');
    expect(await page.getByRole('link', { name: delivery.number }).count()).toBe(1);
    await page.context().close();
    expect(problems.filter((p) => !p.includes('409'))).toEqual([]);
  }, 120_000);

  it('finance opens each report in Swedish with the API\'s figures and downloads the SIE export', async () => {
    const page = await newPage('sv-SE');
    await page.goto(`${suite.base}/reports`);
    await signIn(page, FINANCE);
    await page.getByRole('heading', { name: 'Rapporter', level: 1 }).waitFor();
    const tabs = page.getByRole('navigation', { name: 'Rapporter' });
    expect(await tabs.getByRole('link', { name: 'Åldersanalys' }).getAttribute('aria-current')).toBe('page');

    // aging: the total and each customer's total in the base currency, Swedish formatted
    const aging = await apiGet('/v1/reports/aging');
    expect(aging.customers.length).toBe(2);
    await page.getByTestId('aging-total').waitFor();
    expect(plain(await page.getByTestId('aging-total').textContent())).toBe(plain(formatMoney(aging.base_total.total, 'sv')));
    expect(plain(await page.getByTestId('aging-total').textContent())).toMatch(/^\d{1,3}( \d{3})*,\d{2} kr$/);
    for (const name of ['Nordljus AB', 'Åkesson & Berg HB']) {
      const tr = page.locator('[data-testid=aging-customers] tbody tr', { hasText: name });
      const id = (await tr.getByRole('link').getAttribute('href'))!.split('/').pop()!;
      const api = aging.customers.find((c: any) => c.customer_id === decodeURIComponent(id));
      expect(plain(await tr.locator('td').last().textContent())).toBe(plain(formatMoney(api.base_total, 'sv')));
    }
    // the overdue invoice (9 750,00 kr) in its bucket of the chart, labelled by the bucket's days
    const late = aging.bucket_definitions.find((b: any) => (b.min_days_past_due ?? 0) >= 1 && aging.base_total.buckets[b.key].amount === '9750.00');
    expect(late).toBeDefined();
    const label = late.max_days_past_due === null ? `Över ${late.min_days_past_due - 1} dagar` : `${late.min_days_past_due}–${late.max_days_past_due} dagar`;
    const bars = (await page.locator('[data-testid=aging-bars] li').allTextContents()).map(plain);
    expect(bars).toContain(`${label}9 750,00 kr`);
    await expectAccessible(page, 'reports aging');
    await shoot(page, 'reports');

    // the VAT return for this month: boxes 05 and 10 as the API computes them, declared in whole kronor
    await tabs.getByRole('link', { name: 'Momsdeklaration' }).click();
    await page.getByTestId('vat-boxes').waitFor();
    const now = new Date();
    const from = `${isoDay(now).slice(0, 8)}01`;
    const to = isoDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)));
    const vat = await apiGet(`/v1/reports/vat?from=${from}&to=${to}`);
    for (const box of ['05', '10', '49']) {
      const b = vat.boxes.find((x: any) => x.box === box);
      const cells = (await page.locator(`[data-testid=vat-boxes] tr[data-box="${box}"] td`).allTextContents()).map(plain);
      expect(cells[1]).toBe(plain(formatMoney(b.amount, 'sv')));
      expect(cells[2]!.replace(/ /g, '')).toBe(b.declared_kronor);
    }
    expect(vat.boxes.find((x: any) => x.box === '05').amount.amount).toBe('9200.00');
    expect(plain(await page.locator('[data-testid=vat-boxes] tr[data-box="10"] td').nth(0).textContent())).toBe('Utgående moms 25 %');
    await expectAccessible(page, 'reports vat');
    await shoot(page, 'reports-vat');

    // the KPIs for the last 90 days
    await tabs.getByRole('link', { name: 'Nyckeltal' }).click();
    await page.getByTestId('kpi-quotes').waitFor();
    const kpiFrom = new Date(`${isoDay(now)}T00:00:00Z`);
    kpiFrom.setUTCDate(kpiFrom.getUTCDate() - 90);
    const kpis = await apiGet(`/v1/reports/kpis?from=${isoDay(kpiFrom)}&to=${isoDay(now)}`);
    expect(await page.locator('[data-kpi=sent]').textContent()).toBe(String(kpis.quotes.sent));
    expect(await page.locator('[data-kpi=accepted]').textContent()).toBe(String(kpis.quotes.accepted));
    expect(kpis.quotes.sent).toBe(4);
    expect(plain(await page.locator('[data-kpi=closing-ar]').textContent())).toBe(plain(formatMoney(kpis.receivables.closing_ar, 'sv')));
    const dso = kpis.receivables.dso_days as string | null;
    expect(plain(await page.locator('[data-kpi=dso]').textContent())).toBe(dso === null ? '–' : dso.replace('.', ','));
    await expectAccessible(page, 'reports kpis');
    await shoot(page, 'reports-kpis');

    // the exports: the SIE 4 file of this year, downloaded with the session cookie
    await tabs.getByRole('link', { name: 'Export' }).click();
    const year = String(now.getFullYear());
    const sieLink = page.getByRole('link', { name: `Ladda ner SIE 4-fil för ${year}` });
    expect(await sieLink.getAttribute('href')).toBe(`/v1/exports/sie?fiscal_year=${year}`);
    const sie = await page.request.get(`${suite.base}${await sieLink.getAttribute('href')}`);
    expect(sie.status()).toBe(200);
    expect((await sie.body()).subarray(0, 7).toString('latin1')).toBe('#FLAGGA');
    const hledger = await page.request.get(`${suite.base}${await page.getByRole('link', { name: 'hledger-journal' }).getAttribute('href')}`);
    expect(hledger.status()).toBe(200);
    const vatCsv = await page.request.get(`${suite.base}${await page.getByRole('link', { name: 'Momsdeklaration (CSV)' }).getAttribute('href')}`);
    expect([vatCsv.status(), (await vatCsv.text()).replace(/^\uFEFF/, '').split(/\r?\n/)[0]]).toEqual([200, 'box;label;amount_sek;declared_kronor']);
    await expectAccessible(page, 'reports exports');
    await shoot(page, 'reports-exports');
    await page.context().close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('a viewer sees the deliveries and the reports without a single write action', async () => {
    const page = await newPage('en-GB');
    await page.goto(`${suite.base}/deliveries`);
    await signIn(page, VIEWER);
    await page.locator('[data-testid=delivery-list] tbody tr').first().waitFor();
    expect(await page.locator('[data-write]').count()).toBe(0);
    expect(await page.getByRole('link', { name: 'New delivery' }).count()).toBe(0);
    await page.getByRole('link', { name: delivery.number }).click();
    await page.getByRole('heading', { name: `Delivery ${delivery.number}`, level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Claims' }).waitFor();
    expect(await page.getByRole('link', { name: 'Delivery note (PDF)' }).count()).toBe(1);
    expect(await page.locator('[data-write]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Make a portal link' }).count()).toBe(0);
    await expectAccessible(page, 'delivery (viewer)');
    await page.goto(`${suite.base}/deliveries/new?order=${order.id}`);
    await page.getByTestId('new-delivery-lines').waitFor();
    expect(await page.getByRole('button', { name: 'Create delivery' }).count()).toBe(0);
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Reports' }).click();
    await page.getByTestId('aging-total').waitFor();
    expect(await page.locator('[data-write]').count()).toBe(0);
    await page.context().close();
    expect(problems).toEqual([]);
  }, 60_000);
});
