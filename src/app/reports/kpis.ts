/**
 * Quote-to-cash KPIs for a period (core/reports/kpis.ts has the definitions): quote conversion, time
 * per stage, DSO and CEI. Days are calendar days in the business time zone.
 */
import { computeKpis, openingDate, type Kpis } from '../../core/reports/kpis.js';
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import { BUSINESS_TIME_ZONE } from '../shared/clock.js';
import type { Store } from '../ports.js';

export async function kpiReport(s: Store, period: { from: LocalDate; to: LocalDate }, timeZone: string = BUSINESS_TIME_ZONE): Promise<Kpis> {
  const { from, to } = period;
  if (compareDates(from, to) > 0) throw invalid('to', 'to must not be before from');
  const currency = await s.reports.baseCurrency();
  const opening = await s.reports.receivablesAsOf(openingDate(from));
  const closing = await s.reports.receivablesAsOf(to);
  const creditSalesMinor = await s.reports.creditSales(from, to);
  return computeKpis(
    { from, to, timeZone },
    {
      quotes: await s.reports.kpiQuotes(from, to),
      orders: await s.reports.kpiOrders(from, to),
      invoices: await s.reports.kpiInvoices(from, to),
      receivables: {
        currency,
        openingArMinor: opening.arMinor,
        closingArMinor: closing.arMinor,
        closingCurrentArMinor: closing.currentArMinor,
        creditSalesMinor,
      },
    },
  );
}
