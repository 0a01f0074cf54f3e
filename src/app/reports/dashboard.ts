/**
 * The dashboard in one read: the quote pipeline by status (open quotes, and those decided in the last
 * `windowDays`), cash received per ISO week for the last `weeks` weeks, and the work queues. Cash and
 * bank lines are the books' figures: for a role without `books.read` they are left out (null), not
 * refused, so every role gets a dashboard.
 */
import { cashByWeek, orderPipeline, weekStarts, type CashWeekSum, type PipelineSum } from '../../core/reports/dashboard.js';
import { addDays, type LocalDate } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import type { DashboardQueues, Store } from '../ports.js';
import { BUSINESS_TIME_ZONE } from '../shared/clock.js';

export const DASHBOARD_MAX_WEEKS = 104;

export interface Dashboard {
  asOf: LocalDate;
  baseCurrency: string;
  windowDays: number;
  pipeline: PipelineSum[];
  /** null: the caller may not read the books. */
  cashReceived: CashWeekSum[] | null;
  queues: Omit<DashboardQueues, 'bankLinesToReview'> & { bankLinesToReview: number | null };
}

export async function dashboard(
  s: Store,
  o: { asOf: LocalDate; weeks: number; windowDays: number; books: boolean; timeZone?: string },
): Promise<Dashboard> {
  if (!Number.isSafeInteger(o.weeks) || o.weeks < 1 || o.weeks > DASHBOARD_MAX_WEEKS) throw invalid('weeks', `weeks must be 1–${DASHBOARD_MAX_WEEKS}`);
  if (!Number.isSafeInteger(o.windowDays) || o.windowDays < 1 || o.windowDays > 3660) throw invalid('window_days', 'window_days must be 1–3660');
  const baseCurrency = await s.reports.baseCurrency();
  const pipeline = orderPipeline(await s.reports.dashboardPipeline(addDays(o.asOf, -(o.windowDays - 1)), o.timeZone ?? BUSINESS_TIME_ZONE));
  const cashReceived = o.books
    ? cashByWeek(await s.reports.cashReceivedByWeek(weekStarts(o.asOf, o.weeks)[0]!, o.asOf), o.asOf, o.weeks, baseCurrency)
    : null;
  const queues = await s.reports.dashboardQueues(o.asOf);
  return {
    asOf: o.asOf,
    baseCurrency,
    windowDays: o.windowDays,
    pipeline,
    cashReceived,
    queues: { ...queues, bankLinesToReview: o.books ? queues.bankLinesToReview : null, overdueInvoices: queues.overdueInvoices },
  };
}
