/**
 * What the authorisation matrix (test/api/authorization-matrix.test.ts) calls its routes with:
 * read-only records shared by every read (one customer, one quote, one issued invoice …), built once
 * through the API as the seeded admin key, and builders for the fresh records a write consumes (a
 * new draft quote for each send, a new delivered order for each claim …). Everything goes through
 * the HTTP API, so the fixtures are what a client would have.
 */
import { client } from '../api/helpers.js';
import type { TestApp } from './app.js';
import { dispatchOutbox } from '../../src/app/outbox/dispatch.js';
import { fanOutWebhooks } from '../../src/app/webhooks/dispatch.js';
import { outboxDispatchDb } from '../../src/db/repositories/outbox-dispatch.js';
import { webhookDispatchStore } from '../../src/db/repositories/webhooks.js';

/** 8 × 125.00 = 1 000.00 + 25 % VAT, free text (no stock). */
export const HOURS = [{ description: 'Konsulttimme', quantity: '8', unit_price: '125.00', tax_class: 'standard' }];
/** A line big enough to be credited, paid and written against one unit at a time all through the suite. */
const MANY = [{ description: 'Licens', quantity: '1000', unit_price: '100.00', tax_class: 'standard' }];
/** Above the approval rule the fixtures set (line discount above 15 %). */
const DISCOUNTED = [{ description: 'Rabatterad tjänst', quantity: '1', unit_price: '1000.00', discount_percent: '20', tax_class: 'standard' }];

export const CSV_ACCOUNT = '5841-0000100';
export const CSV_MAPPING = {
  currency: 'SEK', decimal: ',', date_format: 'YYYY-MM-DD', skip_lines: 1,
  columns: { booking_date: 'Bokföringsdag', text: 'Text', amount: 'Belopp', bank_reference: 'Referens' },
};
export const APPROVAL_RULES = { rules: [{ kind: 'line_discount_above', percent: '15' }] };
export const DUNNING_SETTINGS = { levels: [{ days_after_due: 7, fee: { amount: '60.00', currency: 'SEK' } }] };
const sek = (amount: string) => ({ amount, currency: 'SEK' });

export type MatrixFixtures = Awaited<ReturnType<typeof buildMatrixFixtures>>;

/** Builds the shared records and returns them with the builders; `t.apiKey` (an admin key) does the work. */
export async function buildMatrixFixtures(t: TestApp) {
  const { ok } = client(t);
  let n = 0;
  /** A number unique within the run, for names, SKUs and bank lines. */
  const next = () => ++n;

  const customer = async (extra: Record<string, unknown> = {}) =>
    ok('POST', '/v1/customers', { name: `Kund ${next()} AB`, country: 'SE', currency: 'SEK', email: 'ekonomi@kund.example', org_number: '556677-8899', ...extra });

  // shared, read-only
  const c = await customer();
  const product = await ok('POST', '/v1/products', { sku: 'MX-1', name: 'Skrivbord', tax_class: 'standard', unit_prices: [sek('100.00')] });
  const stocked = await ok('POST', '/v1/products', { sku: 'MX-S', name: 'Lagervara', tax_class: 'standard', unit_prices: [sek('100.00')], stock_tracked: true });
  const service = await ok('POST', '/v1/products', { sku: 'MX-T', name: 'Timme', unit: 'HUR', tax_class: 'standard', unit_prices: [sek('950.00')], kind: 'service' });
  const group = await ok('POST', '/v1/product-groups', { name: 'Möbler' });
  const priceList = await ok('POST', '/v1/price-lists', { name: 'Partner', currency: 'SEK', prices: [{ product_id: product.id, unit_price: '90.00' }] });
  const warehouse = await ok('POST', '/v1/warehouses', { code: 'MX', name: 'Matrislagret' });
  await ok('PUT', '/v1/settings/approval-rules', APPROVAL_RULES);
  await ok('PUT', '/v1/ledger/accounts/2081', { name: 'Aktiekapital' });
  await ok('PUT', '/v1/ledger/accounts/2099', { name: 'Årets resultat' });
  await ok('PUT', '/v1/exchange-rates/EUR/2026-01-02', { rate: '11.4325' });
  await ok('PUT', '/v1/reference-rates/2026-07-01', { rate: '2.00' });
  await ok('PUT', '/v1/bank-csv-mappings/' + CSV_ACCOUNT, CSV_MAPPING);

  const draftQuote = async (lines: unknown[] = HOURS, customerId: string = c.id) => ok('POST', '/v1/quotes', { customer_id: customerId, lines });
  const sentQuote = async (lines?: unknown[], customerId?: string) => {
    const q = await draftQuote(lines, customerId);
    await ok('POST', `/v1/quotes/${q.id}/send`);
    return q;
  };
  /** An order made from an accepted quote, not yet confirmed. */
  const acceptedOrder = async (lines?: unknown[], customerId?: string) => ok('POST', `/v1/quotes/${(await sentQuote(lines, customerId)).id}/accept`);
  const confirmedOrder = async (lines?: unknown[], customerId?: string) => {
    const o = await acceptedOrder(lines, customerId);
    return ok('POST', `/v1/orders/${o.id}/confirm`);
  };
  /** A confirmed order and its delivery of everything, created (not yet picked or shipped). */
  const newDelivery = async (lines?: unknown[], customerId?: string) => {
    const order = await confirmedOrder(lines, customerId);
    return { order, delivery: await ok('POST', `/v1/orders/${order.id}/deliveries`, {}) };
  };
  const shippedDelivery = async (lines?: unknown[], customerId?: string) => {
    const d = await newDelivery(lines, customerId);
    return { ...d, delivery: await ok('POST', `/v1/deliveries/${d.delivery.id}/ship`, {}) };
  };
  const deliveredDelivery = async (lines?: unknown[], customerId?: string) => {
    const d = await shippedDelivery(lines, customerId);
    return { ...d, delivery: await ok('POST', `/v1/deliveries/${d.delivery.id}/deliver`, {}) };
  };
  const draftInvoice = async (lines?: unknown[], customerId?: string) => {
    const d = await deliveredDelivery(lines, customerId);
    return { ...d, invoice: await ok('POST', '/v1/invoices', { order_id: d.order.id }) };
  };
  const issuedInvoice = async (lines?: unknown[], customerId?: string, issue: Record<string, unknown> = {}) => {
    const d = await draftInvoice(lines, customerId);
    return { ...d, invoice: await ok('POST', `/v1/invoices/${d.invoice.id}/issue`, issue) };
  };
  /** A claim of one damaged unit of a delivered order (its delivery and order too). */
  const claim = async () => {
    const d = await deliveredDelivery();
    const { claims } = await ok('POST', `/v1/deliveries/${d.delivery.id}/claims`, {
      lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Skadad vid leverans' }],
    });
    return { ...d, claim: claims[0] };
  };
  const payment = async (amount = '100.00', customerId: string = c.id) => ok('POST', '/v1/payments', { amount: sek(amount), customer_id: customerId });
  /** A bank line nobody can match (an incoming amount with a text naming nothing), imported from a CSV of its own. */
  const bankLine = async () => {
    const i = next();
    const csv = `Kontoutdrag ${CSV_ACCOUNT}\nBokföringsdag;Text;Belopp;Referens\n2026-12-04;Okänd insättning ${i};${i},00;MX-${i}\n`;
    const report = await ok('POST', '/v1/bank-files', { file_name: `matris-${i}.csv`, content_base64: Buffer.from(csv, 'utf8').toString('base64'), csv_account: CSV_ACCOUNT });
    const lines = await ok('GET', `/v1/bank-transactions?import_id=${report.import_id}`);
    return { importId: report.import_id as string, transaction: lines.data[0] };
  };
  const bankFileBody = () => {
    const i = next();
    const csv = `Kontoutdrag ${CSV_ACCOUNT}\nBokföringsdag;Text;Belopp;Referens\n2026-12-04;Insättning ${i};${i},00;MXF-${i}\n`;
    return { file_name: `fil-${i}.csv`, content_base64: Buffer.from(csv, 'utf8').toString('base64'), csv_account: CSV_ACCOUNT };
  };
  const journalEntry = async (date = '2026-12-01') =>
    ok('POST', '/v1/ledger/entries', { date, description: `Omföring ${next()}`, lines: [{ account: '1930', debit: '10.00' }, { account: '2081', credit: '10.00' }] });
  /** A quote version awaiting approval (asked for by the seeded admin key, so any other approver may decide). */
  const awaitingApproval = async () => {
    const q = await draftQuote(DISCOUNTED);
    await ok('POST', `/v1/quotes/${q.id}/request-approval`);
    return q;
  };

  // shared documents
  const quote = await sentQuote();
  await ok('POST', `/v1/quotes/${quote.id}/revise`, {});
  const quoteLink = await ok('POST', `/v1/quotes/${quote.id}/portal-links`);
  const approvalQuote = await awaitingApproval();
  const invoiced = await issuedInvoice();
  const big = await issuedInvoice(MANY);
  const creditNote = await ok('POST', `/v1/credit-notes/${(await ok('POST', `/v1/invoices/${invoiced.invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'Fel antal' })).id}/issue`, {});
  const claimed = await claim();
  await ok('POST', `/v1/claims/${claimed.claim.id}/resolutions`, { kind: 'credit', quantity: '1' });
  const pay = await payment();
  const bank = await bankLine();
  const billingRun = await ok('POST', '/v1/billing-runs', { customer_id: (await customer()).id });

  // a reminder with a fee: an invoice issued 2026-10-01 (30 days), dunned on 2026-11-10 (level 1, 60 SEK)
  await ok('PUT', '/v1/dunning/settings', DUNNING_SETTINGS);
  const late = await customer();
  await issuedInvoice(HOURS, late.id, { issue_date: '2026-10-01' });
  await ok('POST', '/v1/dunning/runs', { date: '2026-11-10' });
  const reminder = (await ok('GET', `/v1/reminders?customer_id=${late.id}`)).data[0];
  if (!reminder?.fee_invoice_id) throw new Error(`the dunning fixture made no reminder with a fee: ${JSON.stringify(reminder)}`);

  // a webhook endpoint and one (pending) delivery to it: the outbox fanned out, nothing sent
  const endpoint = await ok('POST', '/v1/webhook-endpoints', { url: 'https://hooks.example.com/q2c', event_types: ['customer.created'] });
  await customer();
  const store = webhookDispatchStore(t.kysely);
  await dispatchOutbox({ ...outboxDispatchDb(t.kysely), clock: t.deps.clock, handlers: [], fanOut: async (e) => void (await fanOutWebhooks(store, t.deps.clock, e)) }, 1000);
  const webhookDelivery = (await ok('GET', `/v1/webhook-endpoints/${endpoint.id}/deliveries`)).data[0];
  if (!webhookDelivery) throw new Error('the webhook fixture made no delivery');
  const event = (await ok('GET', '/v1/events')).data[0];
  const newUser = async () => ok('POST', '/v1/users', { email: `anvandare${next()}@bolaget.example`, name: 'Anna Användare', role: 'viewer', password: 'ett långt lösenord 123' });
  const user = await newUser();

  return {
    ok, next,
    customer, draftQuote, sentQuote, acceptedOrder, confirmedOrder, newDelivery, shippedDelivery, deliveredDelivery,
    draftInvoice, issuedInvoice, claim, newUser, user, payment, bankLine, bankFileBody, journalEntry, awaitingApproval,
    c, product, stocked, service, group, priceList, warehouse, quote, quoteLink, approvalQuote,
    order: invoiced.order, delivery: invoiced.delivery, invoice: invoiced.invoice, bigInvoice: big.invoice, creditNote,
    claimed, payment0: pay, bank, billingRun, reminder, endpoint, webhookDelivery, event,
    DISCOUNTED, MANY,
  };
}
