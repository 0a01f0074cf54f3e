/**
 * The VAT return (momsdeklaration, sales boxes) for a period: the issued invoices and credit notes
 * dated in it, in the tenant's base currency (core/reports/vat-return.ts has the box definitions and
 * the rounding policy).
 */
import { computeVatReturn, type VatReturn } from '../../core/reports/vat-return.js';
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import type { Store } from '../ports.js';

export async function vatReport(s: Store, period: { from: LocalDate; to: LocalDate }): Promise<VatReturn> {
  if (compareDates(period.from, period.to) > 0) throw invalid('to', 'to must not be before from');
  const base = await s.reports.baseCurrency();
  const docs = await s.reports.vatDocuments(period.from, period.to);
  return computeVatReturn(period.from, period.to, base, docs);
}
