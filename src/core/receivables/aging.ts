/**
 * Accounts receivable aging as of a date: open amounts by how many days past due they are.
 *
 * Built to stream: the caller feeds open items one at a time (e.g. from a database cursor) and memory
 * grows with customers × currencies, not with items. Amounts in different currencies are never added.
 */
import { daysBetween, isLocalDate, type LocalDate } from '../shared/dates.js';

export const AGING_BUCKETS = ['not_due', 'days_0_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/**
 * The bucket of an item due on `dueDate`, seen on `asOf`. Days past due = asOf − dueDate:
 * below 0 not_due; 0-30 days_0_30 (an item due today is in it); 31-60; 61-90; above 90 days_over_90.
 */
export function bucketFor(dueDate: LocalDate, asOf: LocalDate): AgingBucket {
  const daysPastDue = daysBetween(dueDate, asOf);
  if (daysPastDue < 0) return 'not_due';
  if (daysPastDue <= 30) return 'days_0_30';
  if (daysPastDue <= 60) return 'days_31_60';
  if (daysPastDue <= 90) return 'days_61_90';
  return 'days_over_90';
}

export interface AgingItem {
  customerId: string;
  currency: string;
  /** Open amount in minor units; a negative amount (an unapplied credit item) reduces its bucket. */
  openMinor: bigint;
  dueDate: LocalDate;
}

export interface AgingRow {
  customerId: string;
  currency: string;
  buckets: Record<AgingBucket, bigint>;
  totalMinor: bigint;
}

export interface AgingTotal {
  currency: string;
  buckets: Record<AgingBucket, bigint>;
  totalMinor: bigint;
}

export interface AgingReport {
  /** One row per customer and currency with anything added, sorted by customerId then currency. */
  rows: AgingRow[];
  /** One total per currency, sorted by currency; each equals the sum of that currency's rows. */
  totals: AgingTotal[];
}

function emptyBuckets(): Record<AgingBucket, bigint> {
  return { not_due: 0n, days_0_30: 0n, days_31_60: 0n, days_61_90: 0n, days_over_90: 0n };
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sums open items into aging rows as they arrive. `result()` may be called any time and returns copies. */
export class AgingAccumulator {
  readonly asOf: LocalDate;
  /** customerId → currency → running row. */
  private readonly rows = new Map<string, Map<string, AgingRow>>();
  private readonly totals = new Map<string, AgingTotal>();

  constructor(asOf: LocalDate) {
    if (!isLocalDate(asOf)) throw new Error(`aging needs an as-of date YYYY-MM-DD, got '${String(asOf)}'`);
    this.asOf = asOf;
  }

  add(item: AgingItem): void {
    if (!isLocalDate(item.dueDate)) {
      throw new Error(`aging item of customer ${item.customerId} has no valid due date: '${String(item.dueDate)}'`);
    }
    if (typeof item.openMinor !== 'bigint') throw new Error('aging item openMinor must be a bigint');
    if (item.openMinor === 0n) return; // settled items take no room in the report
    const bucket = bucketFor(item.dueDate, this.asOf);

    let byCurrency = this.rows.get(item.customerId);
    if (byCurrency === undefined) {
      byCurrency = new Map();
      this.rows.set(item.customerId, byCurrency);
    }
    let row = byCurrency.get(item.currency);
    if (row === undefined) {
      row = { customerId: item.customerId, currency: item.currency, buckets: emptyBuckets(), totalMinor: 0n };
      byCurrency.set(item.currency, row);
    }
    row.buckets[bucket] += item.openMinor;
    row.totalMinor += item.openMinor;

    let total = this.totals.get(item.currency);
    if (total === undefined) {
      total = { currency: item.currency, buckets: emptyBuckets(), totalMinor: 0n };
      this.totals.set(item.currency, total);
    }
    total.buckets[bucket] += item.openMinor;
    total.totalMinor += item.openMinor;
  }

  result(): AgingReport {
    const rows: AgingRow[] = [];
    for (const customerId of [...this.rows.keys()].sort(byCodeUnits)) {
      const byCurrency = this.rows.get(customerId);
      if (byCurrency === undefined) continue;
      for (const currency of [...byCurrency.keys()].sort(byCodeUnits)) {
        const row = byCurrency.get(currency);
        if (row !== undefined) rows.push({ ...row, buckets: { ...row.buckets } });
      }
    }
    const totals = [...this.totals.keys()].sort(byCodeUnits).flatMap((currency) => {
      const t = this.totals.get(currency);
      return t === undefined ? [] : [{ ...t, buckets: { ...t.buckets } }];
    });
    return { rows, totals };
  }
}

/** Ages a whole collection at once (any iterable, so a generator streams). */
export function ageItems(items: Iterable<AgingItem>, asOf: LocalDate): AgingReport {
  const acc = new AgingAccumulator(asOf);
  for (const item of items) acc.add(item);
  return acc.result();
}
