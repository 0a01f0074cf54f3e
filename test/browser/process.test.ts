/**
 * The whole quote-to-cash process in one run through the browser (playwright-core driving Debian's
 * chromium), each step by the person who does it, through the pages they use:
 *
 *   sales rep   signs in, creates the customer, builds a quote of a product with volume tiers (12 at
 *               the 10+ tier price) and a 10 % discount, which the approval rule holds; asks for approval
 *   manager     approves it
 *   sales rep   sends it and makes a portal link
 *   customer    accepts it in the portal on a phone, in Swedish, with a typed signature
 *   operations  confirms the order, delivers 8 of the 12 (pick, pack, ship, deliver), makes a portal link
 *   customer    reports one chair damaged in the delivery portal
 *   operations  resolves the claim by replacement and ships the replacement
 *   finance     (in Swedish) invoices the order and issues the invoice, uploads a camt.054 notification
 *               of the customer's payment (no reference, so the engine only suggests it), confirms the
 *               match in the workbench, sees the customer's balance reach 0,00 kr and the postings in
 *               the ledger
 *   viewer      reads the order, delivery, claim, invoice and customer without a single write action
 *
 * Every figure the pages show is checked against the API, money in the reader's locale ("9 450,00 kr"),
 * and axe-core runs on every page on the way.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserSuite, expectAccessible, idFrom, plain, signIn } from './harness.js';

const PEOPLE = {
  sales: { email: 'sara.saljare@example.com', password: 'sales password of some length', name: 'Sara Säljare', role: 'sales' },
  manager: { email: 'magnus.chef@example.com', password: 'manager password of some length', name: 'Magnus Chef', role: 'sales_manager' },
  operations: { email: 'olle.lager@example.com', password: 'operations password of some length', name: 'Olle Lager', role: 'operations' },
  finance: { email: 'frida.ekonomi@example.com', password: 'finance password of some length', name: 'Frida Ekonomi', role: 'finance' },
  viewer: { email: 'vera.lasare@example.com', password: 'viewer password of some length', name: 'Vera Läsare', role: 'viewer' },
} as const;
const CUSTOMER = 'Fjällbacka Möbler AB';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A camt.054.001.04 credit notification (the shape of ../shared/samples/camt/camt054.v4.xml) of one incoming payment. */
function camt054(p: { amount: string; day: string; payer: string; text: string; ref: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>Q2C-E2E-${p.ref}</MsgId><CreDtTm>${p.day}T16:00:00+01:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-${p.ref}</Id>
      <CreDtTm>${p.day}T16:00:00+01:00</CreDtTm>
      <Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id><Ccy>SEK</Ccy></Acct>
      <Ntry>
        <Amt Ccy="SEK">${p.amount}</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>${p.day}</Dt></BookgDt>
        <ValDt><Dt>${p.day}</Dt></ValDt>
        <AcctSvcrRef>${p.ref}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs><EndToEndId>E2E-${p.ref}</EndToEndId></Refs>
            <Amt Ccy="SEK">${p.amount}</Amt>
            <CdtDbtInd>CRDT</CdtDbtInd>
            <RltdPties><Dbtr><Nm>${xml(p.payer)}</Nm></Dbtr></RltdPties>
            <RmtInf><Ustrd>${xml(p.text)}</Ustrd></RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>
`;
}

describe('the whole process in chromium', () => {
  const suite = browserSuite({
    users: Object.values(PEOPLE),
    seed: async () => {
      // the catalog and the rules, as an administrator set them up: a chair at 1 200,00 kr, 1 050,00 kr
      // each from 10 (volume tiers), and discounts above 5 % approved by a sales manager
      const chair = await ok('POST', '/v1/products', { sku: 'CHAIR-NOVA', name: 'Kontorsstol Nova', tax_class: 'standard', unit_prices: [{ amount: '1200.00', currency: 'SEK' }] });
      await ok('POST', '/v1/price-lists', {
        name: 'Volympriser', currency: 'SEK',
        prices: [{ product_id: chair.id, tiers: { mode: 'volume', tiers: [{ up_to: '9', unit_price: '1200.00' }, { up_to: null, unit_price: '1050.00' }] } }],
      });
      await ok('PUT', '/v1/settings/approval-rules', { rules: [{ kind: 'line_discount_above', percent: '5' }] });
    },
    tempDir: 'q2c-camt-',
  });
  const { problems, newPage, ok } = suite;
  const api = async (url: string) => ok('GET', url);
  const badge = (page: Page) => page.locator('.page-head .badge').first();

  it('quote → approval → portal acceptance → order → partial delivery → damage claim → replacement → invoice → camt.054 → match → balance 0 → ledger', async () => {
    // ---------------------------------------------------------------- sales rep: customer and quote
    const sales = await newPage();
    await sales.goto(`${suite.base}/customers/new`);
    await signIn(sales, PEOPLE.sales);
    await sales.getByRole('heading', { name: 'New customer', level: 1 }).waitFor();
    await sales.getByLabel('Name').fill(CUSTOMER);
    await sales.getByLabel('E-mail').fill('inkop@fjallbackamobler.example');
    await sales.getByLabel('Organisation number').fill('556036-0793');
    await sales.getByRole('button', { name: 'Create customer' }).click();
    await sales.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    const customerId = idFrom(sales, /^\/customers\/([^/]+)$/);
    expect(await api(`/v1/customers/${customerId}`)).toMatchObject({ name: CUSTOMER, country: 'SE', currency: 'SEK', org_number: '556036-0793' });

    await sales.goto(`${suite.base}/quotes/new`);
    await sales.getByRole('heading', { name: 'New quote', level: 1 }).waitFor();
    await sales.locator('#quote-customer').selectOption({ label: CUSTOMER });
    const line = sales.getByTestId('line-0');
    await line.getByLabel('Product').selectOption({ label: 'CHAIR-NOVA · Kontorsstol Nova' });
    await line.getByLabel('Quantity').fill('12');
    await line.getByLabel('Discount (%)').fill('10');
    await sales.getByRole('button', { name: 'Save draft' }).click();
    await sales.waitForURL(/\/quotes\/qte_[^/]+\/edit$/);
    const quoteId = idFrom(sales, /^\/quotes\/([^/]+)\/edit$/);
    // 12 at the 10+ tier (1 050,00) less 10 %: 11 340,00 net, 2 835,00 VAT, 14 175,00
    const quote = await api(`/v1/quotes/${quoteId}`);
    expect(quote.lines.map((l: any) => [l.quantity, l.unit_price.amount, l.net_amount.amount])).toEqual([['12', '1050.00', '11340.00']]);
    expect(quote.lines[0].trail.map((s: any) => s.step)).toContain('tier');
    expect([quote.net_total.amount, quote.vat_total.amount, quote.gross_total.amount]).toEqual(['11340.00', '2835.00', '14175.00']);
    await expect.poll(() => sales.getByTestId('total-net').textContent().then(plain)).toBe('SEK 11,340.00');
    await expectAccessible(sales, 'quote editor');

    // the 10 % discount needs a sales manager's approval before the quote can go out
    await sales.getByRole('button', { name: 'Send to the customer' }).click();
    await sales.getByTestId('approval-needed').getByRole('button', { name: 'Request approval' }).click();
    await sales.waitForURL(`${suite.base}/quotes/${quoteId}`);
    await expect.poll(() => badge(sales).textContent()).toBe('Awaiting approval');

    // ---------------------------------------------------------------- sales manager: approval
    const manager = await newPage();
    await manager.goto(`${suite.base}/quotes/${quoteId}`);
    await signIn(manager, PEOPLE.manager);
    await manager.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => badge(manager).textContent()).toBe('Approved');
    await manager.context().close();

    // ---------------------------------------------------------------- sales rep: send, portal link
    await sales.reload();
    await sales.getByRole('button', { name: 'Send to the customer' }).click();
    await expect.poll(() => badge(sales).textContent()).toBe('Sent');
    await sales.getByRole('button', { name: 'Create portal link' }).click();
    const quoteLink = await sales.getByLabel('Portal link for the customer').inputValue();
    expect(quoteLink).toMatch(new RegExp(`^${suite.base.replace(/[.]/g, '\\.')}/portal/quotes/`));
    await expectAccessible(sales, 'quote detail');
    await sales.context().close();

    // ---------------------------------------------------------------- customer: accepts on a phone
    const customer = await newPage({ phone: true, locale: 'sv-SE' });
    await customer.goto(quoteLink);
    expect(await customer.locator('html').getAttribute('lang')).toBe('sv');
    expect(plain(await customer.locator('body').textContent())).toContain('14 175,00');
    await customer.getByLabel('Ditt fullständiga namn').fill('Karin Fjäll');
    await customer.getByLabel(/^Jag godkänner offerten/).check();
    await expectAccessible(customer, 'portal quote');
    await customer.getByRole('button', { name: 'Acceptera offerten' }).click();
    await customer.getByText(/Tack! Offerten är accepterad\. Ordernummer: /).waitFor();
    const order = (await api(`/v1/orders?limit=100`)).data.find((o: any) => o.quote_id === quoteId);
    expect(order).toMatchObject({ status: 'unconfirmed', customer_id: customerId, gross_total: { amount: '14175.00', currency: 'SEK' } });
    const accepted = await (await customer.request.get(quoteLink, { headers: { accept: 'application/json' } })).json();
    expect(accepted.acceptance).toMatchObject({ order_number: order.number, signer_name: 'Karin Fjäll' });

    // ---------------------------------------------------------------- operations: confirm, deliver 8 of 12
    const ops = await newPage();
    await ops.goto(`${suite.base}/orders/${order.id}`);
    await signIn(ops, PEOPLE.operations);
    await ops.getByRole('heading', { name: `Order ${order.number}`, level: 1 }).waitFor();
    await ops.getByRole('button', { name: 'Confirm order' }).click();
    await expect.poll(() => badge(ops).textContent()).toBe('Confirmed');
    await ops.getByRole('link', { name: 'New delivery' }).click();
    await ops.getByLabel('Quantity to deliver of line 1, Kontorsstol Nova').fill('8');
    await expectAccessible(ops, 'new delivery');
    await ops.getByRole('button', { name: 'Create delivery' }).click();
    await ops.waitForURL(/\/deliveries\/dlv_[^/]+$/);
    const deliveryId = idFrom(ops, /^\/deliveries\/([^/]+)$/);
    await ops.getByRole('button', { name: 'Mark picked' }).click();
    await ops.getByRole('button', { name: 'Mark packed' }).click();
    await ops.getByRole('button', { name: 'Ship…' }).click();
    await ops.getByLabel('Carrier').fill('PostNord');
    await ops.getByLabel('Tracking number').fill('00370712345678901234');
    await ops.getByRole('button', { name: 'Mark shipped' }).click();
    await ops.getByRole('button', { name: 'Deliver…' }).click();
    await ops.getByRole('button', { name: 'Mark delivered' }).click();
    await expect.poll(async () => (await api(`/v1/deliveries/${deliveryId}`)).status).toBe('delivered');
    // the page shows it too: the track's current step is "Delivered"
    await expect.poll(() => ops.getByTestId('delivery-track').locator('[aria-current=step] .track-label').allTextContents()).toEqual(['Delivered']);
    await ops.getByRole('button', { name: 'Make a portal link' }).click();
    const deliveryLink = await ops.getByLabel('Portal link for the customer').inputValue();
    await expectAccessible(ops, 'delivery');
    const delivered = await api(`/v1/orders/${order.id}`);
    expect(delivered.lines.map((l: any) => [l.quantity, l.quantity_delivered])).toEqual([['12', '8']]);
    expect(delivered.fulfilment_status).toBe('partially_delivered');

    // ---------------------------------------------------------------- customer: one chair arrived damaged
    await customer.goto(deliveryLink);
    await customer.getByRole('heading', { name: 'Rapportera ett problem: Kontorsstol Nova' }).waitFor();
    const report = customer.locator('form', { has: customer.getByRole('button', { name: 'Skicka reklamation' }) }).first();
    await report.getByLabel('Orsak').selectOption({ label: 'Skadad' });
    await report.getByLabel('Antal').fill('1');
    await report.getByLabel('Beskriv problemet').fill('Ryggstödet är sprucket på en av stolarna.');
    await report.getByRole('button', { name: 'Skicka reklamation' }).click();
    await customer.getByText(/Tack! Vi har tagit emot din reklamation/).waitFor();
    await expectAccessible(customer, 'portal delivery');
    await customer.context().close();
    const claims = (await api(`/v1/claims?order_id=${order.id}`)).data;
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ status: 'open', reason: 'damaged', quantity: '1' });

    // ---------------------------------------------------------------- operations: replacement
    await ops.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Claims' }).click();
    await ops.getByRole('heading', { name: 'Claims', level: 1 }).waitFor();
    await ops.getByRole('link', { name: claims[0].number }).click();
    await ops.waitForURL(`${suite.base}/claims/${claims[0].id}`);
    await ops.getByRole('button', { name: 'Resolve by replacement' }).click();
    await ops.getByRole('button', { name: 'Ship replacement' }).click();
    await expect.poll(async () => (await api(`/v1/claims/${claims[0].id}`)).status).toBe('resolved');
    await expectAccessible(ops, 'claim');
    const resolved = await api(`/v1/claims/${claims[0].id}`);
    expect(resolved.resolutions.map((r: any) => r.kind)).toEqual(['replacement']);
    await ops.context().close();

    // ---------------------------------------------------------------- finance (Swedish): invoice
    const finance = await newPage({ locale: 'sv-SE' });
    await finance.goto(`${suite.base}/orders/${order.id}`);
    await signIn(finance, PEOPLE.finance);
    await finance.getByRole('heading', { name: `Order ${order.number}`, level: 1 }).waitFor();
    await finance.getByRole('button', { name: 'Skapa faktura' }).click();
    await finance.waitForURL(/\/invoices\/inv_[^/]+$/);
    const invoiceId = idFrom(finance, /^\/invoices\/([^/]+)$/);
    await finance.getByRole('button', { name: 'Utfärda fakturan' }).click();
    await expect.poll(async () => (await api(`/v1/invoices/${invoiceId}`)).status).toBe('issued');
    const invoice = await api(`/v1/invoices/${invoiceId}`);
    // the 8 delivered: 8 × 945,00 = 7 560,00 + 25 % = 9 450,00 kr (the replacement is not invoiced)
    expect(invoice.lines.map((l: any) => [l.description, l.quantity, l.net_amount.amount])).toEqual([['Kontorsstol Nova', '8', '7560.00']]);
    expect(invoice.gross_total.amount).toBe('9450.00');
    await finance.getByRole('heading', { name: `Faktura ${invoice.number}`, level: 1 }).waitFor();
    await expect.poll(() => finance.getByTestId('invoice-due').textContent().then(plain)).toBe('9 450,00 kr');
    expect(await finance.getByTestId('payment-reference').textContent()).toBe(invoice.payment_reference);
    await expectAccessible(finance, 'invoice');

    // ---------------------------------------------------------------- finance: the bank's camt.054
    const day = new Date().toISOString().slice(0, 10);
    const file = join(suite.tempDir, 'camt054.xml');
    writeFileSync(file, camt054({ amount: '9450.00', day, payer: CUSTOMER.toUpperCase(), text: 'Betalning stolar', ref: 'E2E0001' }));
    await finance.getByRole('navigation', { name: 'Avsnitt' }).getByRole('link', { name: 'Betalningar' }).click();
    await finance.getByRole('heading', { name: 'Betalningar', level: 1 }).waitFor();
    await finance.getByLabel('Bankfil').setInputFiles(file);
    await finance.getByRole('button', { name: 'Läs in' }).click();
    await finance.getByTestId('import-report').waitFor();
    expect(await finance.getByTestId('report-review').textContent()).toBe('1');
    expect(await finance.getByTestId('report-auto').textContent()).toBe('0');
    const queue = (await api('/v1/bank-transactions?status=unmatched')).data;
    expect(queue).toHaveLength(1);
    expect(queue[0].match.best).toMatchObject({ rule: 'amount_and_customer', allocations: [{ invoice_id: invoiceId }] });
    const bankLine = finance.getByTestId('workbench-line');
    await expect.poll(() => bankLine.count()).toBe(1);
    expect(plain(await bankLine.locator('h3').textContent())).toBe(`9 450,00 kr · ${CUSTOMER.toUpperCase()}`);
    const proposal = bankLine.getByTestId('proposal').first();
    expect(await proposal.locator('.reasons li').allTextContents()).toEqual(queue[0].match.best.reasons);
    await expectAccessible(finance, 'workbench');
    await proposal.getByRole('button', { name: 'Använd förslaget' }).click();
    await finance.getByText('Inga bankrader väntar på granskning.').waitFor();
    const paid = await api(`/v1/invoices/${invoiceId}`);
    expect([paid.amount_due.amount, paid.payment_status]).toEqual(['0.00', 'paid']);

    // ---------------------------------------------------------------- finance: balance 0,00 kr, ledger
    await finance.goto(`${suite.base}/customers/${customerId}`);
    await finance.getByRole('heading', { name: CUSTOMER, level: 1 }).waitFor();
    await expect.poll(() => finance.getByTestId('balance-base').textContent().then(plain)).toBe('0,00 kr');
    expect(await api(`/v1/customers/${customerId}/balance`)).toMatchObject({ balance_base: { amount: '0.00' }, ledger_receivable: { amount: '0.00' }, matches: true });

    await finance.getByRole('navigation', { name: 'Avsnitt' }).getByRole('link', { name: 'Bokföring' }).click();
    await finance.getByRole('heading', { name: 'Bokföring', level: 1 }).waitFor();
    const entries = (await api('/v1/ledger/entries?limit=100')).data;
    const payment = (await api('/v1/payments')).data[0];
    const bySource = (ids: string[]) => entries.filter((e: any) => ids.includes(e.source_id));
    const invoicePostings = bySource([invoiceId]);
    const paymentPostings = bySource([payment.id, ...payment.allocations.map((a: any) => a.id)]);
    expect(invoicePostings).toHaveLength(1);
    expect(paymentPostings.length).toBeGreaterThan(0);
    // the invoice: 1510 debit 9 450,00, sales credit 7 560,00, output VAT 25 % credit 1 890,00
    const lines = invoicePostings[0].lines.map((l: any) => [l.account, l.debit.amount, l.credit.amount]);
    expect(lines).toEqual(expect.arrayContaining([['1510', '9450.00', '0.00'], ['2611', '0.00', '1890.00']]));
    for (const e of [...invoicePostings, ...paymentPostings]) {
      const group = finance.locator(`[data-testid=journal] tbody[data-entry="${e.series}${e.number}"]`);
      await expect.poll(() => group.locator('tr[data-account]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-account')))).toEqual(e.lines.map((l: any) => l.account));
    }
    const trial = (account: string) => finance.locator(`[data-testid=trial-balance] tbody tr[data-account="${account}"] td`);
    await expect.poll(async () => (await trial('1930').allTextContents()).slice(1).map(plain)).toEqual(['0,00 kr', '9 450,00 kr', '0,00 kr', '9 450,00 kr']);
    expect(plain(await trial('1510').last().textContent())).toBe('0,00 kr');
    expect(await finance.getByTestId('balanced').allTextContents()).toEqual(['Balanserar']);
    await expectAccessible(finance, 'ledger');
    await finance.context().close();

    // ---------------------------------------------------------------- viewer: everything, no write action
    const viewer = await newPage();
    await viewer.goto(`${suite.base}/orders/${order.id}`);
    await signIn(viewer, PEOPLE.viewer);
    await viewer.getByRole('heading', { name: `Order ${order.number}`, level: 1 }).waitFor();
    for (const [url, heading] of [
      [`/orders/${order.id}`, `Order ${order.number}`],
      [`/deliveries/${deliveryId}`, null],
      [`/claims/${claims[0].id}`, null],
      [`/invoices/${invoiceId}`, `Invoice ${invoice.number}`],
      [`/customers/${customerId}`, CUSTOMER],
      [`/quotes/${quoteId}`, null],
    ] as const) {
      await viewer.goto(`${suite.base}${url}`);
      if (heading !== null) await viewer.getByRole('heading', { name: heading, level: 1 }).waitFor();
      else await viewer.locator('main h1').first().waitFor();
      await viewer.locator('main .card, main table').first().waitFor();
      expect([url, await viewer.locator('[data-write]').count()]).toEqual([url, 0]);
      expect([url, await viewer.getByRole('button', { name: /^(Confirm order|Mark picked|Resolve by replacement|Issue invoice|Send to the customer|Create invoice|New delivery)$/ }).count()]).toEqual([url, 0]);
    }
    await viewer.context().close();
    expect(problems).toEqual([]);
  }, 180_000);
});
