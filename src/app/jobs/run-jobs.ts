/**
 * Scheduled work, run for every tenant, each tenant in its own transaction per job: the quote
 * expiry (sent and open versions past their validity date become expired) and the deemed acceptance
 * of deliveries (delivered deliveries still awaiting the customer's review after the tenant's review
 * window become deemed_accepted). The server runs this at
 * start and every hour; `q2c jobs run` runs it once. Every job is idempotent, so overlapping runs
 * (two servers, a manual run) do no harm.
 */
import { envFor, type AppDeps } from '../shared/env.js';
import { expireQuotes } from '../quotes/expire-quotes.js';
import { deemAcceptedDeliveries } from '../claims/review.js';

export interface JobReport {
  tenantId: string;
  expiredQuotes: { id: string; number: string; version: number }[];
  /** Deliveries whose review window passed without a review. */
  deemedAcceptedDeliveries: { id: string; number: string }[];
}

export async function runScheduledJobs(deps: AppDeps): Promise<JobReport[]> {
  const reports: JobReport[] = [];
  for (const tenant of await deps.db.platform.listTenants()) {
    const env = envFor(deps, { tenantId: tenant.id, actorId: 'system:scheduler' });
    const expiredQuotes = await deps.db.transaction(tenant.id, (s) => expireQuotes(s, env));
    const deemedAcceptedDeliveries = await deps.db.transaction(tenant.id, (s) => deemAcceptedDeliveries(s, env));
    reports.push({ tenantId: tenant.id, expiredQuotes, deemedAcceptedDeliveries });
  }
  return reports;
}
