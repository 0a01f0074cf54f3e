/**
 * Quote-to-cash KPIs for a period [from, to] (dates inclusive), from plain rows. Pure.
 *
 * Definitions (each named in the output):
 * - Quote conversion, cohort by sending: the quotes (a quote = all versions of one number, by root)
 *   first sent in the period. Their outcome is taken as it stood at the end of `to`: accepted (any
 *   version accepted by then), declined or expired (the last sent version declined / expired by then),
 *   otherwise open. Two rates:
 *     win_rate_of_decided = accepted / (accepted + declined + expired)
 *     conversion_rate_of_sent = accepted / sent
 *   as percentages with 2 decimals, rounded half up; null when the denominator is 0.
 * - Time per stage, in whole calendar days between the two events' dates in the business time zone
 *   (timestamps become dates in `timeZone`; payments and invoices carry dates already). An instance
 *   counts in the period when its stage ENDS in the period:
 *     sent_to_accepted       first sending of the quote → its acceptance
 *     accepted_to_delivered  acceptance of the quote → the first delivery of its order delivered
 *     delivered_to_invoiced  that first delivery → the order's first issued standard invoice (not an advance)
 *     issued_to_paid         an invoice's issue date → the date it was paid in full (the last applied
 *                            payment, when its open item is 0; an invoice settled only by credit notes is not paid)
 *   For each: count, average (exact mean rounded half up to 2 decimals), median (of integers: an
 *   integer or a half, exact), min and max; null figures when there is no instance.
 * - DSO, standard (period-end) method: DSO = closing AR / credit sales × days in the period, where
 *   closing AR = receivables open at the end of `to` (base currency, incl. VAT), credit sales = what
 *   was invoiced to receivables in the period less what credit notes took off receivables in it
 *   (incl. VAT), days = to − from + 1. 2 decimals, half up; null when credit sales ≤ 0.
 * - CEI (collection effectiveness index) = (opening AR + credit sales − closing AR) /
 *   (opening AR + credit sales − closing current AR) × 100, where opening AR = open at the end of the
 *   day before `from`, closing current AR = the part of closing AR not yet due (due date after `to`, as
 *   in the aging report's not_due bucket). 2 decimals, half up; null when the denominator ≤ 0.
 */
import { addDays, daysBetween, localDateInZone, type LocalDate } from '../shared/dates.js';
import { divRound } from '../money/rounding.js';

export interface KpiQuoteRow {
  rootId: string;
  firstSentAt: Date | null;
  acceptedAt: Date | null;
  /** of the last sent version */
  declinedAt: Date | null;
  /** of the last sent version */
  expiredAt: Date | null;
}

export interface KpiOrderRow {
  orderId: string;
  /** the quote's first sending (for sent → accepted) */
  quoteFirstSentAt: Date | null;
  /** the quote's acceptance */
  acceptedAt: Date | null;
  firstDeliveredAt: Date | null;
  /** issue date of the order's first issued standard invoice */
  firstInvoicedOn: LocalDate | null;
}

export interface KpiInvoiceRow {
  invoiceId: string;
  issueDate: LocalDate;
  /** the date it was paid in full, null while open (or settled otherwise) */
  paidOn: LocalDate | null;
}

/** Receivables figures in the base currency (minor units). */
export interface KpiReceivables {
  currency: string;
  openingArMinor: bigint;
  closingArMinor: bigint;
  closingCurrentArMinor: bigint;
  creditSalesMinor: bigint;
}

export interface StageStats {
  count: number;
  averageDays: string | null;
  medianDays: string | null;
  minDays: number | null;
  maxDays: number | null;
}

export interface Kpis {
  from: LocalDate;
  to: LocalDate;
  timeZone: string;
  quotes: {
    sent: number;
    accepted: number;
    declined: number;
    expired: number;
    open: number;
    winRateOfDecidedPercent: string | null;
    conversionRateOfSentPercent: string | null;
  };
  stages: {
    sentToAccepted: StageStats;
    acceptedToDelivered: StageStats;
    deliveredToInvoiced: StageStats;
    issuedToPaid: StageStats;
  };
  receivables: KpiReceivables & { days: number; dsoDays: string | null; ceiPercent: string | null };
}

/** num / den rounded half up to `decimals`, as a decimal string; negative values keep their sign. */
export function ratio(num: bigint, den: bigint, decimals = 2): string {
  if (den === 0n) throw new Error('ratio: zero denominator');
  const scale = 10n ** BigInt(decimals);
  const q = divRound(num * scale, den, 'half_up');
  const neg = q < 0n;
  const m = neg ? -q : q;
  const int = m / scale;
  const frac = (m % scale).toString().padStart(decimals, '0');
  return `${neg ? '-' : ''}${int}${decimals > 0 ? `.${frac}` : ''}`;
}

/** Count, mean (2 decimals half up), median (exact: integer or .5), min and max of whole days. */
export function stageStats(days: readonly number[]): StageStats {
  if (days.length === 0) return { count: 0, averageDays: null, medianDays: null, minDays: null, maxDays: null };
  for (const d of days) if (!Number.isInteger(d)) throw new Error(`stageStats: ${d} is not a whole number of days`);
  const sorted = [...days].sort((a, b) => a - b);
  const n = sorted.length;
  const sum = sorted.reduce((a, d) => a + BigInt(d), 0n);
  const mid = Math.floor(n / 2);
  const twiceMedian = n % 2 === 1 ? 2n * BigInt(sorted[mid]!) : BigInt(sorted[mid - 1]!) + BigInt(sorted[mid]!);
  const median = twiceMedian % 2n === 0n ? `${twiceMedian / 2n}` : ratio(twiceMedian, 2n, 1);
  return { count: n, averageDays: ratio(sum, BigInt(n)), medianDays: median, minDays: sorted[0]!, maxDays: sorted[n - 1]! };
}

export function computeKpis(
  period: { from: LocalDate; to: LocalDate; timeZone: string },
  rows: { quotes: readonly KpiQuoteRow[]; orders: readonly KpiOrderRow[]; invoices: readonly KpiInvoiceRow[]; receivables: KpiReceivables },
): Kpis {
  const { from, to, timeZone } = period;
  if (from > to) throw new Error(`KPIs: from ${from} is after to ${to}`);
  const day = (d: Date | null): LocalDate | null => (d === null ? null : localDateInZone(d, timeZone));
  const inPeriod = (d: LocalDate | null): d is LocalDate => d !== null && d >= from && d <= to;
  const byEnd = (d: LocalDate | null): d is LocalDate => d !== null && d <= to;

  let sent = 0, accepted = 0, declined = 0, expired = 0;
  for (const q of rows.quotes) {
    if (!inPeriod(day(q.firstSentAt))) continue;
    sent++;
    if (byEnd(day(q.acceptedAt))) accepted++;
    else if (byEnd(day(q.declinedAt))) declined++;
    else if (byEnd(day(q.expiredAt))) expired++;
  }
  const decided = accepted + declined + expired;

  const sentToAccepted: number[] = [];
  const acceptedToDelivered: number[] = [];
  const deliveredToInvoiced: number[] = [];
  for (const o of rows.orders) {
    const sentOn = day(o.quoteFirstSentAt);
    const acceptedOn = day(o.acceptedAt);
    const deliveredOn = day(o.firstDeliveredAt);
    if (sentOn !== null && inPeriod(acceptedOn)) sentToAccepted.push(daysBetween(sentOn, acceptedOn));
    if (acceptedOn !== null && inPeriod(deliveredOn)) acceptedToDelivered.push(daysBetween(acceptedOn, deliveredOn));
    if (deliveredOn !== null && inPeriod(o.firstInvoicedOn)) deliveredToInvoiced.push(daysBetween(deliveredOn, o.firstInvoicedOn));
  }
  const issuedToPaid: number[] = [];
  for (const i of rows.invoices) if (inPeriod(i.paidOn)) issuedToPaid.push(daysBetween(i.issueDate, i.paidOn));

  const r = rows.receivables;
  const days = daysBetween(from, to) + 1;
  const collected = r.openingArMinor + r.creditSalesMinor - r.closingArMinor;
  const ceiDen = r.openingArMinor + r.creditSalesMinor - r.closingCurrentArMinor;
  return {
    from,
    to,
    timeZone,
    quotes: {
      sent,
      accepted,
      declined,
      expired,
      open: sent - decided,
      winRateOfDecidedPercent: decided === 0 ? null : ratio(BigInt(accepted) * 100n, BigInt(decided)),
      conversionRateOfSentPercent: sent === 0 ? null : ratio(BigInt(accepted) * 100n, BigInt(sent)),
    },
    stages: {
      sentToAccepted: stageStats(sentToAccepted),
      acceptedToDelivered: stageStats(acceptedToDelivered),
      deliveredToInvoiced: stageStats(deliveredToInvoiced),
      issuedToPaid: stageStats(issuedToPaid),
    },
    receivables: {
      ...r,
      days,
      dsoDays: r.creditSalesMinor <= 0n ? null : ratio(r.closingArMinor * BigInt(days), r.creditSalesMinor),
      ceiPercent: ceiDen <= 0n ? null : ratio(collected * 100n, ceiDen),
    },
  };
}

/** The day before `from`: opening balances are the balances at its end. */
export const openingDate = (from: LocalDate): LocalDate => addDays(from, -1);
