/**
 * Scheduled work, run for every tenant, each tenant in its own transaction per job: the quote
 * expiry (sent and open versions past their validity date become expired) and the deemed acceptance
 * of deliveries (delivered deliveries still awaiting the customer's review after the tenant's review
 * window become deemed_accepted). The server runs this at
 * start and every hour; `q2c jobs run` runs it once. Every job is idempotent, so overlapping runs
 * (two servers, a manual run) do no harm.
 *
 * Dunning (app/dunning/run-dunning.ts) runs for today with the other jobs; it is idempotent per tenant
 * and date, so the hourly schedule sends each day's reminders once.
 *
 * The billing run (invoicing every confirmed order with something invoiceable) runs only when asked
 * for (`q2c jobs run --billing [--issue] [--up-to DATE] [--group-by order|customer]`), never from the server's hourly schedule:
 * invoicing is a deliberate act (the customer receives a document, issuing posts to the ledger and
 * takes a number for good), so it is not something a timer should do on its own.
 */
import { envFor, type AppDeps } from '../shared/env.js';
import { expireQuotes } from '../quotes/expire-quotes.js';
import { deemAcceptedDeliveries } from '../claims/review.js';
import { runBilling } from '../invoicing/billing-run.js';
import type { BillingGrouping, BillingRunReport } from '../ports.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { runDunning, type DunningRunReport } from '../dunning/run-dunning.js';

export interface JobReport {
  tenantId: string;
  expiredQuotes: { id: string; number: string; version: number }[];
  /** Deliveries whose review window passed without a review. */
  deemedAcceptedDeliveries: { id: string; number: string }[];
  /** Present only when the billing run was asked for. */
  billingRun?: BillingRunReport;
  /** The day's dunning run (reminders, fees, interest); idempotent per tenant and date, so hourly runs send once a day. Absent when dunning: false. */
  dunningRun?: DunningRunReport;
}

export interface JobOptions {
  /** Run billing too (explicitly only; upTo defaults to today). */
  billing?: { issue: boolean; upTo?: LocalDate | undefined; groupBy?: BillingGrouping | undefined };
  /** Run dunning for today (default true). */
  dunning?: boolean;
}

export async function runScheduledJobs(deps: AppDeps, options: JobOptions = {}): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (const tenant of await deps.db.platform.listTenants()) {
    const env = envFor(deps, { tenantId: tenant.id, actorId: 'system:scheduler' });
    const expiredQuotes = await deps.db.transaction(tenant.id, (s) => expireQuotes(s, env));
    const deemedAcceptedDeliveries = await deps.db.transaction(tenant.id, (s) => deemAcceptedDeliveries(s, env));
    const report: JobReport = { tenantId: tenant.id, expiredQuotes, deemedAcceptedDeliveries };
    if (options.dunning ?? true) report.dunningRun = await runDunning(deps.db, env);
    if (options.billing) {
      const { issue, upTo, groupBy } = options.billing;
      report.billingRun = await runBilling(deps.db, env, { issue, upTo: upTo ?? env.clock.today(), groupBy });
    }
    reports.push(report);
  }
  return reports;
}
