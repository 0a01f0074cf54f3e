/**
 * The Database port over Kysely. A Store binds every repository to one executor (the caller's
 * transaction, or the autocommit instance) and one tenant, so a use case cannot forget the tenant
 * filter and cannot write outside its transaction.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, Store } from '../app/ports.js';
import type { TenantId } from '../core/shared/ids.js';
import { allocationRepo } from './repositories/allocations.js';
import { auditRepo } from './repositories/audit.js';
import { customerRepo } from './repositories/customers.js';
import { bankRepo } from './repositories/bank.js';
import { exchangeRateRepo } from './repositories/exchange-rates.js';
import { deliveryRepo } from './repositories/deliveries.js';
import { idempotencyRepo } from './repositories/idempotency.js';
import { invoiceRepo } from './repositories/invoices.js';
import { journalRepo } from './repositories/journal.js';
import { openItemRepo } from './repositories/open-items.js';
import { orderRepo } from './repositories/orders.js';
import { outboxRepo } from './repositories/outbox.js';
import { paymentRepo } from './repositories/payments.js';
import { platformRepo } from './repositories/platform.js';
import { portalRepo } from './repositories/portal.js';
import { productRepo } from './repositories/products.js';
import { productGroupRepo } from './repositories/product-groups.js';
import { priceListRepo } from './repositories/price-lists.js';
import { customerPriceRepo } from './repositories/customer-prices.js';
import { quoteRepo } from './repositories/quotes.js';
import { approvalRepo } from './repositories/approvals.js';
import { seriesRepo } from './repositories/series.js';
import { tenantRepo } from './repositories/tenants.js';
import { stockRepo } from './repositories/stock.js';
import { claimRepo } from './repositories/claims.js';
import { documentLinkRepo } from './repositories/document-links.js';
import { creditNoteRepo } from './repositories/credit-notes.js';
import { billingRunRepo } from './repositories/billing-runs.js';
import { booksRepo } from './repositories/books.js';
import { webhookRepo } from './repositories/webhooks.js';
import { apiKeyRepo } from './repositories/platform.js';
import { passwordResetRepo, sessionRepo, userRepo } from './repositories/users.js';
import { refundRequestRepo } from './repositories/refund-requests.js';
import { writeOffRepo } from './repositories/write-offs.js';
import { dunningRepo } from './repositories/dunning.js';
import { reportsRepo } from './repositories/reports.js';
import { statementRepo } from './repositories/statements.js';
import type { DB } from './schema.js';

export function createStore(db: Kysely<DB>, tenantId: TenantId): Store {
  return {
    tenantId,
    tenant: tenantRepo(db, tenantId),
    books: booksRepo(db, tenantId),
    webhooks: webhookRepo(db, tenantId),
    apiKeys: apiKeyRepo(db, tenantId),
    users: userRepo(db, tenantId),
    sessions: sessionRepo(db, tenantId),
    passwordResets: passwordResetRepo(db, tenantId),
    refundRequests: refundRequestRepo(db, tenantId),
    writeOffs: writeOffRepo(db, tenantId),
    dunning: dunningRepo(db, tenantId),
    reports: reportsRepo(db, tenantId),
    statements: statementRepo(db, tenantId),
    customers: customerRepo(db, tenantId),
    products: productRepo(db, tenantId),
    productGroups: productGroupRepo(db, tenantId),
    priceLists: priceListRepo(db, tenantId),
    customerPrices: customerPriceRepo(db, tenantId),
    quotes: quoteRepo(db, tenantId),
    approvals: approvalRepo(db, tenantId),
    orders: orderRepo(db, tenantId),
    deliveries: deliveryRepo(db, tenantId),
    invoices: invoiceRepo(db, tenantId),
    openItems: openItemRepo(db, tenantId),
    payments: paymentRepo(db, tenantId),
    allocations: allocationRepo(db, tenantId),
    journal: journalRepo(db, tenantId),
    series: seriesRepo(db, tenantId),
    audit: auditRepo(db, tenantId),
    outbox: outboxRepo(db, tenantId),
    idempotency: idempotencyRepo(db, tenantId),
    portal: portalRepo(db, tenantId),
    stock: stockRepo(db, tenantId),
    claims: claimRepo(db, tenantId),
    documentLinks: documentLinkRepo(db, tenantId),
    creditNotes: creditNoteRepo(db, tenantId),
    billingRuns: billingRunRepo(db, tenantId),
    exchangeRates: exchangeRateRepo(db, tenantId),
    bank: bankRepo(db, tenantId),
  };
}

/**
 * Makes the rest of a transaction the tenant's: role q2c_app, to which the row-level security policies
 * of migration 3000 apply, and q2c.tenant_id, which they compare with (both SET LOCAL: they end with
 * the transaction). A second wall behind the tenant filter every repository query carries.
 */
export async function enterTenant(trx: Kysely<DB>, tenantId: TenantId): Promise<void> {
  await sql`select set_config('role', 'q2c_app', true), set_config('q2c.tenant_id', ${tenantId}, true)`.execute(trx);
}

export function createDatabase(kysely: Kysely<DB>): Database {
  return {
    transaction: (tenantId, fn) =>
      kysely.transaction().execute(async (trx) => {
        await enterTenant(trx, tenantId);
        return fn(createStore(trx, tenantId));
      }),
    snapshot: (tenantId, fn) =>
      kysely.transaction().execute(async (trx) => {
        // first statement of the transaction, as PostgreSQL requires
        await sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`.execute(trx);
        await enterTenant(trx, tenantId);
        return fn(createStore(trx, tenantId));
      }),
    store: (tenantId) => createStore(kysely, tenantId),
    platform: platformRepo(kysely),
    async ping() {
      await sql`select 1`.execute(kysely);
    },
  };
}
