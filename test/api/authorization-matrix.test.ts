/**
 * The authorisation matrix (issue 8, "Must show"): every route of the OpenAPI document called as each
 * of the six roles and as the admin of another tenant holding this tenant's ids. The expectations are
 * this file's own table, written from the policy (who may call what), NOT read from
 * src/api/route-permissions.ts, so the server's table is checked against an independent statement.
 *
 * Per route: the refused roles get 403 `forbidden` (writes sent with an Idempotency-Key, so a
 * claimed key would show) and the admin of another tenant gets 404 for this tenant's ids, with a
 * digest of the whole database equal before and after each of the two; then each allowed role calls
 * it with fresh records of its own (`setup`, run as the seeded admin key) and succeeds. Routes that
 * act on the signed-in user itself (/v1/me/…, logout) are called as a signed-in user of each role.
 * A route missing from the table, or an entry whose route is gone, fails the completeness test.
 * Portal routes and /health are PUBLIC: in the table, not called.
 */
import { Secret, TOTP } from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { useTestApp } from '../support/app.js';
import { seedTenant, TEST_DATABASES } from '../support/databases.js';
import { changedTables, databaseDigest, installDigest } from '../support/db-digest.js';
import { APPROVAL_RULES, CSV_ACCOUNT, CSV_MAPPING, DUNNING_SETTINGS, HOURS, buildMatrixFixtures, type MatrixFixtures } from '../support/matrix-fixtures.js';

type Role = 'admin' | 'sales_manager' | 'sales' | 'operations' | 'finance' | 'viewer';
const ROLES: readonly Role[] = ['admin', 'sales_manager', 'sales', 'operations', 'finance', 'viewer'];

// the groups of the policy of issue 8 (who may call each route)
const ALL = ROLES;
const SALES: readonly Role[] = ['admin', 'sales_manager', 'sales'];
const SALES_MGR: readonly Role[] = ['admin', 'sales_manager'];
const CUSTOMERS: readonly Role[] = ['admin', 'sales_manager', 'sales', 'finance'];
const ORDERS: readonly Role[] = ['admin', 'sales_manager', 'sales', 'operations'];
const OPS: readonly Role[] = ['admin', 'operations'];
const FINANCE: readonly Role[] = ['admin', 'finance'];
const BOOKS_READ: readonly Role[] = ['admin', 'finance', 'viewer'];
const ADMIN: readonly Role[] = ['admin'];
/** A principal flagged platform_admin, whatever its role; every plain role is refused. */
const PLATFORM = 'PLATFORM';
/** Any authenticated principal. */
const SELF = ROLES;
/** No credential (the portal's token is in its URL; /health): not called here. */
const PUBLIC = 'PUBLIC';

type Allowed = readonly Role[] | typeof PLATFORM | typeof PUBLIC;

interface Call {
  /** Path parameters by their OpenAPI name. */
  params?: Record<string, string | number>;
  body?: unknown;
  /** Without the '?'. */
  query?: string;
}

/** A signed-in user (session cookie and CSRF token) and a way to act as it in a setup. */
interface Session {
  role: Role;
  email: string;
  password: string;
  cookie: string;
  csrf: string;
  as(method: string, url: string, body?: unknown): Promise<any>;
}

interface Entry {
  allowed: Allowed;
  /**
   * Fresh (for writes) or shared (for reads) records for one call, made as the seeded admin key;
   * for a `signedIn` entry also given the session the call will be made with.
   */
  setup?: (fx: MatrixFixtures, session: Session) => Promise<Call> | Call;
  /**
   * The route acts on the signed-in user itself (its session, password, second factor): each role is
   * a user of that role with a session of its own, not an API key.
   */
  signedIn?: true;
  /**
   * Why an allowed call cannot be made to succeed here: the allowed roles then only have to be let
   * through (not 401/403/404, not 5xx). Keep these few.
   */
  authorisedOnly?: string;
  /** Why the path parameters are not records of the tenant (the other-tenant check is skipped). */
  notTenantRecord?: string;
}

const ACCOUNT_NUMBER = 'an account number of the chart, not a record of the tenant';
const CURRENCY_DATE = 'a currency and a date, not records of the tenant';
const RATE_DATE = 'a date, not a record of the tenant';
const YEAR = 'a fiscal year, not a record of the tenant';
const BANK_ACCOUNT = 'a bank account number, not a record of the tenant';

const NOW = new Date('2026-12-04T10:00:00Z');
/** Years and month-ends that each call of a once-only route (closes, opening balances) uses up; reset per database. */
const seq = { year: 2000, closeMonth: 0, openingYear: 2040 };
const MONTH_ENDS = ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30'];

/** One entry per `METHOD /openapi/path`. */
const TABLE: Record<string, Entry> = {
  'GET /health': { allowed: PUBLIC },
  'GET /portal/quotes/{token}': { allowed: PUBLIC },
  'GET /portal/quotes/{token}/pdf': { allowed: PUBLIC },
  'POST /portal/quotes/{token}/accept': { allowed: PUBLIC },
  'POST /portal/quotes/{token}/decline': { allowed: PUBLIC },
  'POST /portal/quotes/{token}/request-changes': { allowed: PUBLIC },
  'GET /portal/invoices/{token}': { allowed: PUBLIC },
  'GET /portal/invoices/{token}/pdf': { allowed: PUBLIC },
  'GET /portal/orders/{token}': { allowed: PUBLIC },
  'GET /portal/orders/{token}/pdf': { allowed: PUBLIC },
  'POST /portal/orders/{token}/confirm': { allowed: PUBLIC },
  'POST /portal/orders/{token}/request-changes': { allowed: PUBLIC },
  'GET /portal/assets/claim-photos.js': { allowed: PUBLIC },
  'GET /portal/deliveries/{token}': { allowed: PUBLIC },
  'POST /portal/deliveries/{token}/confirm': { allowed: PUBLIC },
  'POST /portal/deliveries/{token}/report': { allowed: PUBLIC },
  'POST /portal/deliveries/{token}/claims/{claimId}/photos': { allowed: PUBLIC },

  // API keys
  'GET /v1/api-keys': { allowed: ADMIN },
  'POST /v1/api-keys': { allowed: ADMIN, setup: (fx) => ({ body: { name: `Nyckel ${fx.next()}`, role: 'viewer' } }) },
  'POST /v1/api-keys/{id}/revoke': {
    allowed: ADMIN,
    setup: async (fx) => ({ params: { id: (await fx.ok('POST', '/v1/api-keys', { name: `Återkallas ${fx.next()}`, role: 'viewer' })).id } }),
  },

  // bank
  'GET /v1/bank-csv-mappings': { allowed: BOOKS_READ },
  'PUT /v1/bank-csv-mappings/{account}': { allowed: FINANCE, notTenantRecord: BANK_ACCOUNT, setup: () => ({ params: { account: CSV_ACCOUNT }, body: CSV_MAPPING }) },
  'POST /v1/bank-files': { allowed: FINANCE, setup: (fx) => ({ body: fx.bankFileBody() }) },
  'GET /v1/bank-imports/{id}': { allowed: BOOKS_READ, setup: (fx) => ({ params: { id: fx.bank.importId } }) },
  'GET /v1/bank-transactions': { allowed: BOOKS_READ },
  'GET /v1/bank-transactions/{id}': { allowed: BOOKS_READ, setup: (fx) => ({ params: { id: fx.bank.transaction.id } }) },
  'POST /v1/bank-transactions/{id}/apply': {
    allowed: FINANCE,
    setup: async (fx) => ({ params: { id: (await fx.bankLine()).transaction.id }, body: { action: 'ignore', reason: 'Ränteinsättning' } }),
  },
  'POST /v1/bank-transactions/{id}/undo': {
    allowed: FINANCE,
    setup: async (fx) => {
      const { transaction } = await fx.bankLine();
      await fx.ok('POST', `/v1/bank-transactions/${transaction.id}/apply`, { action: 'credit', customer_id: fx.c.id });
      return { params: { id: transaction.id }, body: { reason: 'Fel kund' } };
    },
  },

  // billing runs
  'GET /v1/billing-runs': { allowed: BOOKS_READ },
  'POST /v1/billing-runs': { allowed: FINANCE, setup: async (fx) => ({ body: { customer_id: (await fx.customer()).id } }) },
  'GET /v1/billing-runs/{id}': { allowed: BOOKS_READ, setup: (fx) => ({ params: { id: fx.billingRun.id } }) },

  // claims
  'GET /v1/claims': { allowed: ALL },
  'GET /v1/claims/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.claimed.claim.id } }) },
  'POST /v1/claims/{id}/reject': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.claim()).claim.id }, body: { reason: 'Skadan uppstod efter leverans' } }) },
  'POST /v1/claims/{id}/resolutions': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.claim()).claim.id }, body: { kind: 'credit', quantity: '1' } }) },
  'POST /v1/claims/{id}/resolutions/{n}/receive-return': {
    allowed: OPS,
    setup: async (fx) => {
      const { claim } = await fx.claim();
      await fx.ok('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'return', quantity: '1' });
      return { params: { id: claim.id, n: 0 }, body: { quantity: '1', disposition: 'scrap' } };
    },
  },
  'POST /v1/claims/{id}/resolutions/{n}/ship-replacement': {
    allowed: OPS,
    setup: async (fx) => {
      const { claim } = await fx.claim();
      await fx.ok('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'replacement', quantity: '1' });
      return { params: { id: claim.id, n: 0 } };
    },
  },

  // credit notes and credit requests
  'GET /v1/credit-notes': { allowed: ALL },
  'GET /v1/credit-notes/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.creditNote.id } }) },
  'GET /v1/credit-notes/{id}/pdf': { allowed: ALL, setup: (fx) => ({ params: { id: fx.creditNote.id } }) },
  'GET /v1/credit-notes/{id}/ubl': { allowed: ALL, setup: (fx) => ({ params: { id: fx.creditNote.id } }) },
  'POST /v1/credit-notes/{id}/issue': { allowed: FINANCE, setup: async (fx) => ({ params: { id: (await draftCreditNote(fx)).id }, body: {} }) },
  'POST /v1/credit-notes/{id}/send': {
    allowed: FINANCE,
    setup: async (fx) => ({ params: { id: (await fx.ok('POST', `/v1/credit-notes/${(await draftCreditNote(fx)).id}/issue`, {})).id } }),
  },
  'GET /v1/credit-requests': { allowed: ALL },
  'POST /v1/credit-requests/{id}/credit-note': {
    allowed: FINANCE,
    setup: async (fx) => {
      const { claim, order } = await fx.claim();
      await fx.ok('POST', `/v1/claims/${claim.id}/resolutions`, { kind: 'credit', quantity: '1' });
      await fx.ok('POST', `/v1/invoices/${(await fx.ok('POST', '/v1/invoices', { order_id: order.id })).id}/issue`, {});
      const [request] = (await fx.ok('GET', `/v1/credit-requests?order_id=${order.id}`)).data;
      return { params: { id: request.id } };
    },
  },

  // customers
  'GET /v1/customers': { allowed: ALL },
  'POST /v1/customers': { allowed: CUSTOMERS, setup: (fx) => ({ body: { name: `Ny kund ${fx.next()} AB`, country: 'SE', currency: 'SEK' } }) },
  'GET /v1/customers/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.c.id } }) },
  'PATCH /v1/customers/{id}': { allowed: CUSTOMERS, setup: async (fx) => ({ params: { id: (await fx.customer()).id }, body: { payment_terms_days: 20 } }) },
  'GET /v1/customers/{id}/balance': { allowed: ALL, setup: (fx) => ({ params: { id: fx.c.id } }) },
  'GET /v1/customers/{id}/prices': { allowed: ALL, setup: (fx) => ({ params: { id: fx.c.id } }) },
  'POST /v1/customers/{id}/prices': {
    allowed: SALES,
    setup: async (fx) => ({ params: { id: (await fx.customer()).id }, body: { product_id: fx.product.id, unit_price: '95.00' } }),
  },
  'GET /v1/customers/{id}/statement': { allowed: ALL, setup: (fx) => ({ params: { id: fx.c.id }, query: 'from=2026-01-01' }) },
  'GET /v1/customers/{id}/statement.pdf': { allowed: ALL, setup: (fx) => ({ params: { id: fx.c.id }, query: 'from=2026-01-01' }) },

  // deliveries
  'GET /v1/deliveries': { allowed: ALL },
  'GET /v1/deliveries/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.delivery.id } }) },
  'GET /v1/deliveries/{id}/pdf': { allowed: ALL, setup: (fx) => ({ params: { id: fx.delivery.id } }) },
  'POST /v1/deliveries/{id}/cancel': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.newDelivery()).delivery.id }, body: {} }) },
  'POST /v1/deliveries/{id}/claims': {
    allowed: OPS,
    setup: async (fx) => ({
      params: { id: (await fx.deliveredDelivery()).delivery.id },
      body: { lines: [{ delivery_line_no: 1, reason: 'damaged', quantity: '1', description: 'Trasig' }] },
    }),
  },
  'POST /v1/deliveries/{id}/confirm-receipt': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.deliveredDelivery()).delivery.id } }) },
  'POST /v1/deliveries/{id}/deliver': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.shippedDelivery()).delivery.id }, body: {} }) },
  'POST /v1/deliveries/{id}/pick': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.newDelivery()).delivery.id }, body: {} }) },
  'POST /v1/deliveries/{id}/pack': {
    allowed: OPS,
    setup: async (fx) => {
      const { delivery } = await fx.newDelivery();
      await fx.ok('POST', `/v1/deliveries/${delivery.id}/pick`, {});
      return { params: { id: delivery.id }, body: {} };
    },
  },
  'POST /v1/deliveries/{id}/ship': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.newDelivery()).delivery.id }, body: { carrier: 'PostNord' } }) },
  'POST /v1/deliveries/{id}/portal-links': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.deliveredDelivery()).delivery.id }, body: {} }) },
  'POST /v1/deliveries/{id}/portal-links/{linkId}/revoke': {
    allowed: OPS,
    setup: async (fx) => {
      const { delivery } = await fx.deliveredDelivery();
      const link = await fx.ok('POST', `/v1/deliveries/${delivery.id}/portal-links`, {});
      return { params: { id: delivery.id, linkId: link.id } };
    },
  },

  // dunning
  'GET /v1/dunning/charges/{id}/pdf': { allowed: ALL, setup: (fx) => ({ params: { id: fx.reminder.fee_invoice_id } }) },
  'POST /v1/dunning/runs': { allowed: FINANCE, setup: () => ({ body: { date: '2026-12-04' } }) },
  'GET /v1/dunning/settings': { allowed: BOOKS_READ },
  'PUT /v1/dunning/settings': { allowed: FINANCE, setup: () => ({ body: DUNNING_SETTINGS }) },
  'GET /v1/reminders': { allowed: ALL },
  'GET /v1/reminders/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.reminder.id } }) },
  'GET /v1/reminders/{id}/pdf': { allowed: ALL, setup: (fx) => ({ params: { id: fx.reminder.id } }) },
  'GET /v1/reference-rates': { allowed: BOOKS_READ },
  'PUT /v1/reference-rates/{date}': { allowed: FINANCE, notTenantRecord: RATE_DATE, setup: () => ({ params: { date: '2026-07-01' }, body: { rate: '2.00' } }) },

  // events and webhooks
  'GET /v1/events': { allowed: ADMIN },
  'GET /v1/events/{id}': { allowed: ADMIN, setup: (fx) => ({ params: { id: fx.event.id } }) },
  'POST /v1/webhook-deliveries/{id}/redeliver': { allowed: ADMIN, setup: (fx) => ({ params: { id: fx.webhookDelivery.id } }) },
  'GET /v1/webhook-endpoints': { allowed: ADMIN },
  'POST /v1/webhook-endpoints': { allowed: ADMIN, setup: () => ({ body: { url: 'https://hooks.example.com/ny', event_types: ['invoice.issued'] } }) },
  'GET /v1/webhook-endpoints/{id}': { allowed: ADMIN, setup: (fx) => ({ params: { id: fx.endpoint.id } }) },
  'PATCH /v1/webhook-endpoints/{id}': { allowed: ADMIN, setup: (fx) => ({ params: { id: fx.endpoint.id }, body: { description: `Ändrad ${fx.next()}` } }) },
  'GET /v1/webhook-endpoints/{id}/deliveries': { allowed: ADMIN, setup: (fx) => ({ params: { id: fx.endpoint.id } }) },

  // exchange rates
  'GET /v1/exchange-rates': { allowed: ALL },
  'GET /v1/exchange-rates/{currency}/on/{date}': { allowed: ALL, notTenantRecord: CURRENCY_DATE, setup: () => ({ params: { currency: 'EUR', date: '2026-01-02' } }) },
  'POST /v1/exchange-rates/import': { allowed: FINANCE, setup: () => ({ body: { csv: 'date,currency,rate\n2026-03-02,NOK,0.98\n' } }) },
  'PUT /v1/exchange-rates/{currency}/{date}': { allowed: FINANCE, notTenantRecord: CURRENCY_DATE, setup: () => ({ params: { currency: 'EUR', date: '2026-01-05' }, body: { rate: '11.40' } }) },

  // exports and reports
  'GET /v1/exports/hledger': { allowed: BOOKS_READ },
  'GET /v1/exports/sie': { allowed: BOOKS_READ, setup: () => ({ query: 'fiscal_year=2026' }) },
  'GET /v1/reports/aging': { allowed: BOOKS_READ },
  'GET /v1/reports/vat': { allowed: BOOKS_READ, setup: () => ({ query: 'from=2026-11-01&to=2026-11-30' }) },
  'GET /v1/reports/dashboard': { allowed: ALL },
  'GET /v1/reports/kpis': { allowed: ALL, setup: () => ({ query: 'from=2026-11-01&to=2026-11-30' }) },

  // invoices
  'GET /v1/invoices': { allowed: ALL },
  'POST /v1/invoices': { allowed: FINANCE, setup: async (fx) => ({ body: { order_id: (await fx.deliveredDelivery()).order.id } }) },
  'GET /v1/invoices/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.invoice.id } }) },
  'GET /v1/invoices/{id}/pdf': { allowed: ALL, setup: (fx) => ({ params: { id: fx.invoice.id } }) },
  'GET /v1/invoices/{id}/ubl': { allowed: ALL, setup: (fx) => ({ params: { id: fx.invoice.id } }) },
  'POST /v1/invoices/{id}/credit-notes': {
    allowed: FINANCE,
    setup: (fx) => ({ params: { id: fx.bigInvoice.id }, body: { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'En licens för mycket' } }),
  },
  'POST /v1/invoices/{id}/issue': { allowed: FINANCE, setup: async (fx) => ({ params: { id: (await fx.draftInvoice()).invoice.id }, body: {} }) },
  'POST /v1/invoices/{id}/send': { allowed: FINANCE, setup: async (fx) => ({ params: { id: (await fx.issuedInvoice()).invoice.id } }) },
  'POST /v1/invoices/{id}/portal-links': { allowed: FINANCE, setup: async (fx) => ({ params: { id: (await fx.issuedInvoice()).invoice.id } }) },
  'POST /v1/invoices/{id}/portal-links/{linkId}/revoke': {
    allowed: FINANCE,
    setup: async (fx) => {
      const { invoice } = await fx.issuedInvoice();
      const link = await fx.ok('POST', `/v1/invoices/${invoice.id}/portal-links`);
      return { params: { id: invoice.id, linkId: link.id } };
    },
  },
  'POST /v1/invoices/{id}/write-offs': {
    allowed: FINANCE,
    setup: async (fx) => ({ params: { id: (await fx.issuedInvoice()).invoice.id }, body: { reason: 'Konstaterad kundförlust', amount: { amount: '100.00', currency: 'SEK' } } }),
  },
  'GET /v1/write-off-requests': { allowed: BOOKS_READ },
  'POST /v1/write-off-requests/{id}/approve': {
    allowed: FINANCE,
    setup: async (fx) => ({ params: { id: await writeOffRequest(fx) }, body: {} }),
  },
  'POST /v1/write-off-requests/{id}/reject': {
    allowed: FINANCE,
    setup: async (fx) => ({ params: { id: await writeOffRequest(fx) }, body: { reason: 'Kunden betalar enligt plan' } }),
  },

  // ledger
  'GET /v1/ledger/accounts': { allowed: BOOKS_READ },
  'GET /v1/ledger/accounts/{account}/ledger': { allowed: BOOKS_READ, notTenantRecord: ACCOUNT_NUMBER, setup: () => ({ params: { account: '1930' } }) },
  'GET /v1/ledger/entries': { allowed: BOOKS_READ },
  'GET /v1/ledger/fiscal-years': { allowed: BOOKS_READ },
  'GET /v1/ledger/settings': { allowed: BOOKS_READ },
  'GET /v1/ledger/trial-balance': { allowed: BOOKS_READ },
  'GET /v1/ledger/verify': { allowed: BOOKS_READ },
  'PUT /v1/ledger/account-map': { allowed: FINANCE, setup: () => ({ body: { account_map: { bank: '1930' } } }) },
  'PUT /v1/ledger/accounts/{account}': { allowed: FINANCE, notTenantRecord: ACCOUNT_NUMBER, setup: () => ({ params: { account: '5010' }, body: { name: 'Lokalhyra' } }) },
  'POST /v1/ledger/entries': {
    allowed: FINANCE,
    setup: (fx) => ({ body: { date: '2026-12-02', description: `Omföring ${fx.next()}`, lines: [{ account: '1930', debit: '5.00' }, { account: '2081', credit: '5.00' }] } }),
  },
  'POST /v1/ledger/entries/{id}/reverse': { allowed: FINANCE, setup: async (fx) => ({ params: { id: (await fx.journalEntry()).id }, body: {} }) },
  'POST /v1/ledger/fiscal-years/{year}/close': {
    allowed: FINANCE,
    notTenantRecord: YEAR,
    setup: async (fx) => {
      const year = ++seq.year;
      // a year with a result to close: 10.00 of revenue
      await fx.ok('POST', '/v1/ledger/entries', { date: `${year}-06-01`, description: 'Försäljning', lines: [{ account: '1930', debit: '10.00' }, { account: '3001', credit: '10.00' }] });
      return { params: { year } };
    },
  },
  'POST /v1/ledger/opening-balances': {
    allowed: FINANCE,
    setup: () => ({ body: { fiscal_year: ++seq.openingYear, balances: [{ account: '1930', balance: '100.00' }, { account: '2081', balance: '-100.00' }] } }),
  },
  'PATCH /v1/ledger/settings': { allowed: FINANCE, setup: () => ({ body: { fiscal_year_start_month: 1 } }) },

  // orders
  'GET /v1/orders': { allowed: ALL },
  'GET /v1/orders/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.order.id } }) },
  'GET /v1/orders/{id}/deliveries': { allowed: ALL, setup: (fx) => ({ params: { id: fx.order.id } }) },
  'GET /v1/orders/{id}/pdf': { allowed: ALL, setup: (fx) => ({ params: { id: fx.order.id } }) },
  'GET /v1/orders/{id}/versions': { allowed: ALL, setup: (fx) => ({ params: { id: fx.order.id } }) },
  'POST /v1/orders/{id}/amend': { allowed: ORDERS, setup: async (fx) => ({ params: { id: (await fx.confirmedOrder()).id }, body: { lines: [{ line_no: 1, quantity: '7' }] } }) },
  'POST /v1/orders/{id}/cancel': { allowed: ORDERS, setup: async (fx) => ({ params: { id: (await fx.confirmedOrder()).id }, body: { reason: 'Fel order' } }) },
  'POST /v1/orders/{id}/close': { allowed: ORDERS, setup: async (fx) => ({ params: { id: (await fx.issuedInvoice()).order.id }, body: {} }) },
  'POST /v1/orders/{id}/confirm': { allowed: ORDERS, setup: async (fx) => ({ params: { id: (await fx.acceptedOrder()).id }, body: {} }) },
  'POST /v1/orders/{id}/portal-links': { allowed: ORDERS, setup: async (fx) => ({ params: { id: (await fx.confirmedOrder()).id } }) },
  'POST /v1/orders/{id}/portal-links/{linkId}/revoke': {
    allowed: ORDERS,
    setup: async (fx) => {
      const order = await fx.confirmedOrder();
      const link = await fx.ok('POST', `/v1/orders/${order.id}/portal-links`);
      return { params: { id: order.id, linkId: link.id } };
    },
  },
  'POST /v1/orders/{id}/send-confirmation': { allowed: ORDERS, setup: async (fx) => ({ params: { id: (await fx.confirmedOrder()).id }, body: {} }) },
  'POST /v1/orders/{id}/deliveries': { allowed: OPS, setup: async (fx) => ({ params: { id: (await fx.confirmedOrder()).id }, body: {} }) },
  'POST /v1/orders/{id}/lines/{lineNo}/complete': {
    allowed: OPS,
    setup: async (fx) => ({ params: { id: (await fx.confirmedOrder([{ product_id: fx.service.id, quantity: '4' }])).id, lineNo: 1 }, body: { quantity: '2', hours: '2' } }),
  },
  'POST /v1/orders/{id}/advance-invoices': { allowed: FINANCE, setup: async (fx) => ({ params: { id: (await fx.confirmedOrder()).id }, body: { kind: 'deposit', percent: '10' } }) },
  'POST /v1/orders/{id}/release-hold': {
    allowed: FINANCE,
    setup: async (fx) => {
      const held = await fx.confirmedOrder(HOURS, (await fx.customer({ credit_limit: '1.00' })).id);
      if (held.status !== 'on_hold') throw new Error(`expected an order on hold, got ${held.status}`);
      return { params: { id: held.id }, body: {} };
    },
  },

  // payments and refunds
  'GET /v1/payments': { allowed: ALL },
  'POST /v1/payments': { allowed: FINANCE, setup: (fx) => ({ body: { amount: { amount: '50.00', currency: 'SEK' }, customer_id: fx.c.id } }) },
  'GET /v1/payments/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.payment0.id } }) },
  'POST /v1/payments/{id}/apply': {
    allowed: FINANCE,
    setup: async (fx) => ({ params: { id: (await fx.payment('1.00')).id }, body: { allocations: [{ invoice_id: fx.bigInvoice.id, amount: '1.00' }] } }),
  },
  'POST /v1/payments/{id}/unapply': {
    allowed: FINANCE,
    setup: async (fx) => {
      const p = await fx.payment('1.00');
      await fx.ok('POST', `/v1/payments/${p.id}/apply`, { allocations: [{ invoice_id: fx.bigInvoice.id, amount: '1.00' }] });
      return { params: { id: p.id }, body: {} };
    },
  },
  'POST /v1/payments/{id}/refunds': {
    allowed: FINANCE,
    setup: async (fx) => ({ params: { id: (await fx.payment('20.00')).id }, body: { amount: { amount: '10.00', currency: 'SEK' }, reference: 'Återbetalning' } }),
  },
  'POST /v1/payments/{id}/return': { allowed: FINANCE, setup: async (fx) => ({ params: { id: (await fx.payment('20.00')).id }, body: { reason: 'Konto saknas' } }) },
  'GET /v1/refund-requests': { allowed: BOOKS_READ },
  'POST /v1/refund-requests/{id}/approve': { allowed: FINANCE, setup: async (fx) => ({ params: { id: await refundRequest(fx) }, body: {} }) },
  'POST /v1/refund-requests/{id}/reject': { allowed: FINANCE, setup: async (fx) => ({ params: { id: await refundRequest(fx) }, body: { reason: 'Öppen reklamation' } }) },

  // catalog
  'GET /v1/price-lists': { allowed: ALL },
  'POST /v1/price-lists': {
    allowed: SALES_MGR,
    setup: (fx) => ({ body: { name: `Lista ${fx.next()}`, currency: 'SEK', prices: [{ product_id: fx.product.id, unit_price: '85.00' }] } }),
  },
  'GET /v1/price-lists/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.priceList.id } }) },
  'PATCH /v1/price-lists/{id}': { allowed: SALES_MGR, setup: (fx) => ({ params: { id: fx.priceList.id }, body: { prices: [{ product_id: fx.product.id, unit_price: '90.00' }] } }) },
  'GET /v1/product-groups': { allowed: ALL },
  'POST /v1/product-groups': { allowed: SALES_MGR, setup: (fx) => ({ body: { name: `Grupp ${fx.next()}` } }) },
  'GET /v1/products': { allowed: ALL },
  'POST /v1/products': {
    allowed: SALES_MGR,
    setup: (fx) => ({ body: { sku: `MX-N${fx.next()}`, name: 'Stol', tax_class: 'standard', unit_prices: [{ amount: '50.00', currency: 'SEK' }] } }),
  },
  'GET /v1/products/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.product.id } }) },
  'PATCH /v1/products/{id}': { allowed: SALES_MGR, setup: (fx) => ({ params: { id: fx.product.id }, body: { name: 'Skrivbord' } }) },

  // quotes
  'GET /v1/quotes': { allowed: ALL },
  'POST /v1/quotes': { allowed: SALES, setup: (fx) => ({ body: { customer_id: fx.c.id, lines: HOURS } }) },
  'GET /v1/quotes/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.quote.id } }) },
  'PATCH /v1/quotes/{id}': { allowed: SALES, setup: async (fx) => ({ params: { id: (await fx.draftQuote()).id }, body: { notes: 'Andra utkastet' } }) },
  'GET /v1/quotes/{id}/approvals': { allowed: ALL, setup: (fx) => ({ params: { id: fx.approvalQuote.id } }) },
  'GET /v1/quotes/{id}/diff': { allowed: ALL, setup: (fx) => ({ params: { id: fx.quote.id }, query: 'from=1&to=2' }) },
  'GET /v1/quotes/{id}/pdf': { allowed: ALL, setup: (fx) => ({ params: { id: fx.quote.id } }) },
  'GET /v1/quotes/{id}/versions': { allowed: ALL, setup: (fx) => ({ params: { id: fx.quote.id } }) },
  'POST /v1/quotes/{id}/accept': { allowed: SALES, setup: async (fx) => ({ params: { id: (await fx.sentQuote()).id }, body: {} }) },
  'POST /v1/quotes/{id}/decline': { allowed: SALES, setup: async (fx) => ({ params: { id: (await fx.sentQuote()).id }, body: { reason: 'För dyrt' } }) },
  'POST /v1/quotes/{id}/portal-links': { allowed: SALES, setup: async (fx) => ({ params: { id: (await fx.sentQuote()).id } }) },
  'POST /v1/quotes/{id}/portal-links/{linkId}/revoke': {
    allowed: SALES,
    setup: async (fx) => {
      const q = await fx.sentQuote();
      const link = await fx.ok('POST', `/v1/quotes/${q.id}/portal-links`);
      return { params: { id: q.id, linkId: link.id } };
    },
  },
  'POST /v1/quotes/{id}/request-approval': { allowed: SALES, setup: async (fx) => ({ params: { id: (await fx.draftQuote(fx.DISCOUNTED)).id }, body: {} }) },
  'POST /v1/quotes/{id}/revise': { allowed: SALES, setup: async (fx) => ({ params: { id: (await fx.sentQuote()).id }, body: {} }) },
  'POST /v1/quotes/{id}/send': { allowed: SALES, setup: async (fx) => ({ params: { id: (await fx.draftQuote()).id }, body: {} }) },
  'POST /v1/quotes/{id}/approve': { allowed: SALES_MGR, setup: async (fx) => ({ params: { id: (await fx.awaitingApproval()).id }, body: { comment: 'OK' } }) },
  'POST /v1/quotes/{id}/reject-approval': { allowed: SALES_MGR, setup: async (fx) => ({ params: { id: (await fx.awaitingApproval()).id }, body: { comment: 'För hög rabatt' } }) },

  // settings
  'GET /v1/settings/approval-rules': { allowed: ALL },
  'PUT /v1/settings/approval-rules': { allowed: ADMIN, setup: () => ({ body: APPROVAL_RULES }) },
  'GET /v1/settings/approvals': { allowed: BOOKS_READ },
  'PUT /v1/settings/approvals': { allowed: ADMIN, setup: () => ({ body: { refund_threshold: '50000.00' } }) },
  'GET /v1/settings/company': { allowed: ALL },
  'GET /v1/settings/number-series': { allowed: BOOKS_READ },
  'GET /v1/settings/vat-rates': { allowed: ALL },
  'PATCH /v1/settings/company': { allowed: ADMIN, setup: () => ({ body: { review_window_days: 14 } }) },

  // stock
  'GET /v1/stock': { allowed: ALL },
  'GET /v1/stock/movements': { allowed: ALL },
  'POST /v1/stock/adjustments': { allowed: OPS, setup: (fx) => ({ body: { product_id: fx.stocked.id, quantity: '1', reason: 'Inventering' } }) },
  'POST /v1/stock/receipts': { allowed: OPS, setup: (fx) => ({ body: { product_id: fx.stocked.id, quantity: '5' } }) },
  'GET /v1/warehouses': { allowed: ALL },
  'POST /v1/warehouses': { allowed: OPS, setup: (fx) => ({ body: { code: `W${fx.next()}`, name: 'Nytt lager' } }) },
  'GET /v1/warehouses/{id}': { allowed: ALL, setup: (fx) => ({ params: { id: fx.warehouse.id } }) },

  // tenants (platform)
  'GET /v1/tenants': { allowed: PLATFORM },
  'POST /v1/tenants': {
    allowed: PLATFORM,
    setup: (fx) => ({ body: { name: `Nytt Bolag ${fx.next()} AB` } }),
  },

  // users and sessions
  'GET /v1/users': { allowed: ADMIN },
  'POST /v1/users': { allowed: ADMIN, setup: (fx) => ({ body: { email: `person${fx.next()}@bolaget.example`, name: 'Ny Person', role: 'viewer', password: 'ett långt lösenord 123' } }) },
  'GET /v1/users/{id}': { allowed: ADMIN, setup: (fx) => ({ params: { id: fx.user.id } }) },
  'PATCH /v1/users/{id}': { allowed: ADMIN, setup: async (fx) => ({ params: { id: (await fx.newUser()).id }, body: { name: 'Bytt Namn' } }) },
  'POST /v1/users/{id}/revoke-sessions': { allowed: ADMIN, setup: async (fx) => ({ params: { id: (await fx.newUser()).id } }) },
  'POST /v1/auth/login': { allowed: PUBLIC },
  'POST /v1/auth/password-reset': { allowed: PUBLIC },
  'POST /v1/auth/password-reset/confirm': { allowed: PUBLIC },
  'GET /v1/auth/session': { allowed: SELF },
  'POST /v1/auth/logout': { allowed: SELF, signedIn: true },
  'POST /v1/me/password': { allowed: SELF, signedIn: true, setup: (_, me) => ({ body: { current_password: me.password, new_password: 'ett annat långt lösenord 456' } }) },
  'POST /v1/me/totp': { allowed: SELF, signedIn: true },
  'POST /v1/me/totp/confirm': { allowed: SELF, signedIn: true, setup: async (_, me) => ({ body: { code: totpCode((await me.as('POST', '/v1/me/totp')).secret) } }) },
  'POST /v1/me/totp/disable': {
    allowed: SELF,
    signedIn: true,
    setup: async (_, me) => {
      await me.as('POST', '/v1/me/totp/confirm', { code: totpCode((await me.as('POST', '/v1/me/totp')).secret) });
      return { body: { password: me.password } };
    },
  },

  // last: a closed period refuses postings dated in it, so nothing may post into January–June 2026 after this
  'POST /v1/ledger/close': { allowed: FINANCE, setup: () => ({ body: { through: MONTH_ENDS[seq.closeMonth++] } }) },
};

/** The current TOTP code of a secret, at the suite's pinned clock. */
const totpCode = (secret: string): string =>
  new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: NOW.getTime() });

async function draftCreditNote(fx: MatrixFixtures) {
  return fx.ok('POST', `/v1/invoices/${fx.bigInvoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'Retur' });
}

/** A refund above the default threshold (50 000.00 SEK): a pending request, asked for by the seeded admin key. */
async function refundRequest(fx: MatrixFixtures): Promise<string> {
  const p = await fx.payment('60000.00');
  const request = await fx.ok('POST', `/v1/payments/${p.id}/refunds`, { amount: { amount: '55000.00', currency: 'SEK' }, reference: 'Stor återbetalning' });
  if (request.object !== 'refund_request') throw new Error(`expected a refund request, got ${JSON.stringify(request)}`);
  return request.id;
}

/** A write-off above the default threshold (5 000.00 SEK): a pending request, asked for by the seeded admin key. */
async function writeOffRequest(fx: MatrixFixtures): Promise<string> {
  const { invoice } = await fx.issuedInvoice([{ description: 'Projekt', quantity: '1', unit_price: '8000.00', tax_class: 'standard' }]);
  const request = await fx.ok('POST', `/v1/invoices/${invoice.id}/write-offs`, { reason: 'Konkurs' });
  if (request.object !== 'write_off_request') throw new Error(`expected a write-off request, got ${JSON.stringify(request)}`);
  return request.id;
}

const operationsOf = (doc: { paths: Record<string, Record<string, unknown>> }): string[] =>
  Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`));

const fillPath = (path: string, params: Record<string, string | number> = {}): string =>
  path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: the setup gave no '${name}'`);
    return encodeURIComponent(String(value));
  });

describe.each(TEST_DATABASES)('authorisation matrix [%s]', (kind) => {
  const t = useTestApp(kind, { now: NOW });
  let fx: MatrixFixtures;
  let operations: string[];
  const keys = {} as Record<Role | 'platform' | 'other', string>;

  beforeAll(async () => {
    Object.assign(seq, { year: 2000, closeMonth: 0, openingYear: 2040 });
    await installDigest(t.kysely);
    for (const role of ROLES) keys[role] = (await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name: `matris ${role}`, role })).key;
    keys.platform = (await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name: 'matris plattform', role: 'viewer', platformAdmin: true })).key;
    const other = await seedTenant(t.db, 'ten_other');
    keys.other = (await createApiKey(t.db, t.deps, { tenantId: other, name: 'annan hyresgäst', role: 'admin' })).key;
    fx = await buildMatrixFixtures(t);
    operations = operationsOf((await t.server.inject({ url: '/openapi.json' })).json());
  }, 120_000);

  /** Calls as an API key (a string) or as a signed-in user (a session: cookie and CSRF token). */
  const call = async (who: string | Session, method: string, path: string, c: Call, idempotencyKey?: string) => {
    const url = fillPath(path, c.params) + (c.query ? `?${c.query}` : '');
    const credentials = typeof who === 'string' ? { authorization: `Bearer ${who}` } : { cookie: `q2c_session=${who.cookie}`, 'x-csrf-token': who.csrf };
    const res = await t.server.inject({
      method: method as 'GET',
      url,
      headers: { ...credentials, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
      ...(c.body === undefined ? {} : { payload: c.body as Record<string, unknown> }),
    });
    let body: any;
    try { body = res.body === '' ? undefined : res.json(); } catch { body = undefined; }
    return { status: res.statusCode, code: body?.error?.code as string | undefined, raw: res.body.slice(0, 300), url, body };
  };

  /** A new user of the role (made by the seeded admin key), signed in. */
  const signIn = async (role: Role): Promise<Session> => {
    const email = `inloggad${fx.next()}@bolaget.example`;
    const password = 'ett långt lösenord 123';
    await fx.ok('POST', '/v1/users', { email, name: `Inloggad ${role}`, role, password });
    const res = await t.server.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });
    const cookie = res.cookies.find((k) => k.name === 'q2c_session')?.value;
    if (res.statusCode !== 200 || cookie === undefined) throw new Error(`login as ${role}: ${res.statusCode} ${res.body}`);
    const session: Session = {
      role, email, password, cookie, csrf: res.json().csrf_token,
      async as(method, url, body) {
        const r = await call(session, method, url, body === undefined ? {} : { body });
        if (r.status >= 300) throw new Error(`${method} ${url} as ${role} → ${r.status} ${r.raw}`);
        return r.body;
      },
    };
    return session;
  };

  it('has an entry for every operation of the OpenAPI document, and none for a route that is gone', () => {
    const missing = operations.filter((op) => !(op in TABLE));
    const stale = Object.keys(TABLE).filter((op) => !operations.includes(op));
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
  });

  it('has a digest that sees a write, and not the bookkeeping of authentication', async () => {
    const before = await databaseDigest(t.kysely);
    expect(before.get('customers')).toMatch(/^[0-9a-f]{32}$/);
    // a read as each role moves api_keys.last_used_at only, which the digest leaves out
    for (const role of ROLES) expect((await call(keys[role], 'GET', '/v1/settings/company', {})).status).toBe(200);
    expect(changedTables(before, await databaseDigest(t.kysely))).toEqual([]);
    expect((await call(keys.admin, 'POST', '/v1/product-groups', { body: { name: `Digestkontroll ${fx.next()}` } })).status).toBe(201);
    expect(changedTables(before, await databaseDigest(t.kysely))).toEqual(expect.arrayContaining(['audit_log', 'product_groups']));
  });

  const checked = Object.entries(TABLE).filter(([, e]) => e.allowed !== PUBLIC);
  it.each(checked.map(([op]) => [op]))('%s', async (op) => {
    if (!operations.includes(op)) return; // reported by the completeness test
    const entry = TABLE[op]!;
    const [method, path] = op.split(' ') as [string, string];
    const allowed: readonly (Role | 'platform')[] = entry.allowed === PLATFORM ? ['platform'] : (entry.allowed as readonly Role[]);
    const refused = ROLES.filter((r) => !allowed.includes(r));
    const hasRecord = /\{[^}]+\}/.test(path) && !path.startsWith('/portal/') && entry.notTenantRecord === undefined;
    const setup = async (session?: Session) => (entry.setup ? await entry.setup(fx, session!) : {});
    const problems: string[] = [];
    const write = method !== 'GET';
    const idem = write ? `matrix-${kind}-${op}` : undefined;

    if (entry.signedIn) {
      // every role may: each is a user of that role acting on itself, with a session of its own
      for (const role of allowed as readonly Role[]) {
        const me = await signIn(role);
        const r = await call(me, method, path, await setup(me));
        if (r.status < 200 || r.status >= 300) problems.push(`${role} (signed in): expected 2xx, got ${r.status} ${r.code ?? ''} ${r.raw}`);
      }
      if (problems.length > 0) expect.fail(`${op}\n${problems.join('\n')}`);
      return;
    }

    const first = await setup();
    const before = await databaseDigest(t.kysely);
    for (const role of refused) {
      const r = await call(keys[role], method, path, first, idem);
      if (r.status !== 403 || r.code !== 'forbidden') problems.push(`${role}: expected 403 forbidden, got ${r.status} ${r.code ?? ''} ${r.raw}`);
    }
    const afterRefused = await databaseDigest(t.kysely);
    const written = changedTables(before, afterRefused);
    if (written.length > 0) problems.push(`calls refused for their role wrote to: ${written.join(', ')}`);
    if (hasRecord) {
      // Without an Idempotency-Key: with one, the other tenant's 404 is stored as that tenant's
      // replayable response (command.ts keeps domain errors), which is its own bookkeeping, not ours.
      const r = await call(keys.other, method, path, first);
      if (r.status !== 404) problems.push(`other tenant: expected 404, got ${r.status} ${r.code ?? ''} ${r.raw}`);
      const leaked = changedTables(afterRefused, await databaseDigest(t.kysely));
      if (leaked.length > 0) problems.push(`the other tenant's call wrote to: ${leaked.join(', ')}`);
    }

    for (const [i, role] of allowed.entries()) {
      const c = i === 0 ? first : await setup();
      const r = await call(keys[role], method, path, c, i === 0 ? idem : undefined);
      if (entry.authorisedOnly !== undefined) {
        if ([401, 403, 404].includes(r.status) || r.status >= 500) problems.push(`${role}: expected to be let through, got ${r.status} ${r.code ?? ''} ${r.raw}`);
      } else if (r.status < 200 || r.status >= 300) {
        problems.push(`${role}: expected 2xx, got ${r.status} ${r.code ?? ''} ${r.raw}`);
      }
    }
    if (problems.length > 0) expect.fail(`${op}\n${problems.join('\n')}`);
  }, 60_000);
});
