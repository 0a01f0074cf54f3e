/**
 * Accounts receivable aging as of a date: open amounts by how many days past due they are.
 *
 * Built to stream: the caller feeds open items one at a time (e.g. from a database cursor or keyset
 * pages) and memory grows with customers × currencies × buckets, not with items. Amounts in different
 * document currencies are never added; their base (functional currency) values are, per customer and in
 * total.
 *
 * Buckets are configurable: the limits `30,60,90` (days past due, ascending) make `current` (not past
 * due: due today or later), `days_1_30`, `days_31_60`, `days_61_90` and `days_over_90`. Without limits the
 * original scheme applies (AGING_BUCKETS: `not_due` before the due date, `days_0_30` from the due date on),
 * which the API keeps as its default for compatibility.
 */
import { daysBetween, isLocalDate, type LocalDate } from '../shared/dates.js';

export const AGING_BUCKETS = ['not_due', 'days_0_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

/** One bucket: items `minDaysPastDue ≤ days past due ≤ maxDaysPastDue` (null = open-ended). */
export interface AgingBucketDef {
  key: string;
  minDaysPastDue: number | null;
  maxDaysPastDue: number | null;
}

/** The original scheme (the API's default): due today already counts as 0–30 days past due. */
export const DEFAULT_AGING_SCHEME: readonly AgingBucketDef[] = [
  { key: 'not_due', minDaysPastDue: null, maxDaysPastDue: -1 },
  { key: 'days_0_30', minDaysPastDue: 0, maxDaysPastDue: 30 },
  { key: 'days_31_60', minDaysPastDue: 31, maxDaysPastDue: 60 },
  { key: 'days_61_90', minDaysPastDue: 61, maxDaysPastDue: 90 },
  { key: 'days_over_90', minDaysPastDue: 91, maxDaysPastDue: null },
];

/** At most this many limits (so at most MAX_AGING_LIMITS + 2 buckets), each at most MAX_AGING_DAYS. */
export const MAX_AGING_LIMITS = 12;
export const MAX_AGING_DAYS = 3650;

/**
 * The scheme of the given limits (strictly ascending whole days, 1..3650): `current` (days past due ≤ 0),
 * then `days_<prev+1>_<limit>` per limit, then `days_over_<last>`. Throws a message for a bad list.
 */
export function agingScheme(limits: readonly number[]): AgingBucketDef[] {
  if (limits.length === 0) throw new Error('at least one bucket limit is needed');
  if (limits.length > MAX_AGING_LIMITS) throw new Error(`at most ${MAX_AGING_LIMITS} bucket limits`);
  let prev = 0;
  const out: AgingBucketDef[] = [{ key: 'current', minDaysPastDue: null, maxDaysPastDue: 0 }];
  for (const l of limits) {
    if (!Number.isSafeInteger(l) || l < 1 || l > MAX_AGING_DAYS) throw new Error(`bucket limits are whole days from 1 to ${MAX_AGING_DAYS}, got ${l}`);
    if (l <= prev) throw new Error('bucket limits must be strictly ascending');
    out.push({ key: `days_${prev + 1}_${l}`, minDaysPastDue: prev + 1, maxDaysPastDue: l });
    prev = l;
  }
  out.push({ key: `days_over_${prev}`, minDaysPastDue: prev + 1, maxDaysPastDue: null });
  return out;
}

/** Parses "30,60,90" (spaces allowed) into limits; throws a message for anything else. */
export function parseAgingLimits(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  return parts.map((p) => {
    if (!/^\d{1,4}$/.test(p)) throw new Error(`'${p}' is not a whole number of days`);
    return Number(p);
  });
}

/** The index in `scheme` of an item `daysPastDue` days past due (schemes cover every integer). */
export function bucketIndex(scheme: readonly AgingBucketDef[], daysPastDue: number): number {
  for (let i = 0; i < scheme.length; i++) {
    const b = scheme[i]!;
    if ((b.minDaysPastDue === null || daysPastDue >= b.minDaysPastDue) && (b.maxDaysPastDue === null || daysPastDue <= b.maxDaysPastDue)) return i;
  }
  throw new Error(`aging scheme has no bucket for ${daysPastDue} days past due`);
}

/**
 * The bucket of an item due on `dueDate`, seen on `asOf`, in the default scheme. Days past due = asOf −
 * dueDate: below 0 not_due; 0-30 days_0_30 (an item due today is in it); 31-60; 61-90; above 90 days_over_90.
 */
export function bucketFor(dueDate: LocalDate, asOf: LocalDate): AgingBucket {
  return DEFAULT_AGING_SCHEME[bucketIndex(DEFAULT_AGING_SCHEME, daysBetween(dueDate, asOf))]!.key as AgingBucket;
}

export interface AgingItem {
  customerId: string;
  currency: string;
  /** Open amount in minor units; a negative amount (an unapplied credit item) reduces its bucket. */
  openMinor: bigint;
  /** The same open amount in the base (functional) currency; 0 when not given. */
  baseOpenMinor?: bigint;
  dueDate: LocalDate;
}

export interface AgingRow {
  customerId: string;
  currency: string;
  buckets: Record<string, bigint>;
  totalMinor: bigint;
  /** The same in the base currency. */
  baseBuckets: Record<string, bigint>;
  baseTotalMinor: bigint;
}

export interface AgingTotal {
  currency: string;
  buckets: Record<string, bigint>;
  totalMinor: bigint;
  baseBuckets: Record<string, bigint>;
  baseTotalMinor: bigint;
}

/** A customer's (or everybody's) open amounts over all currencies, in the base currency. */
export interface AgingBaseTotal {
  buckets: Record<string, bigint>;
  totalMinor: bigint;
}

export interface AgingReport {
  /** The bucket keys in age order. */
  bucketKeys: string[];
  /** One row per customer and currency with anything added, sorted by customerId then currency. */
  rows: AgingRow[];
  /** One total per currency, sorted by currency; each equals the sum of that currency's rows. */
  totals: AgingTotal[];
  /** Per customer (sorted), over all currencies, in the base currency: the sum of its rows' base values. */
  customers: (AgingBaseTotal & { customerId: string })[];
  /** Everything, in the base currency: the sum of `totals`' base values. */
  baseTotal: AgingBaseTotal;
  /** How many items were added (settled ones included). */
  itemCount: number;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Sums {
  doc: bigint[];
  base: bigint[];
}

/** Sums open items into aging rows as they arrive. `result()` may be called any time and returns copies. */
export class AgingAccumulator {
  readonly asOf: LocalDate;
  readonly scheme: readonly AgingBucketDef[];
  /** customerId → currency → running sums (one slot per bucket). */
  private readonly rows = new Map<string, Map<string, Sums>>();
  private readonly totals = new Map<string, Sums>();
  private itemCount = 0;
  /** days past due → bucket index, for the few distinct due dates a large batch has. */
  private readonly dueIndex = new Map<string, number>();

  constructor(asOf: LocalDate, scheme: readonly AgingBucketDef[] = DEFAULT_AGING_SCHEME) {
    if (!isLocalDate(asOf)) throw new Error(`aging needs an as-of date YYYY-MM-DD, got '${String(asOf)}'`);
    if (scheme.length === 0) throw new Error('aging needs at least one bucket');
    this.asOf = asOf;
    this.scheme = scheme;
  }

  private bucketOf(dueDate: LocalDate): number {
    let i = this.dueIndex.get(dueDate);
    if (i === undefined) {
      if (!isLocalDate(dueDate)) throw new Error(`aging item has no valid due date: '${String(dueDate)}'`);
      i = bucketIndex(this.scheme, daysBetween(dueDate, this.asOf));
      if (this.dueIndex.size < 100_000) this.dueIndex.set(dueDate, i); // bounded: at most ~274 years of dates
    }
    return i;
  }

  private sums(): Sums {
    return { doc: this.scheme.map(() => 0n), base: this.scheme.map(() => 0n) };
  }

  add(item: AgingItem): void {
    if (typeof item.openMinor !== 'bigint') throw new Error('aging item openMinor must be a bigint');
    const baseOpen = item.baseOpenMinor ?? 0n;
    if (typeof baseOpen !== 'bigint') throw new Error('aging item baseOpenMinor must be a bigint');
    const bucket = this.bucketOf(item.dueDate);
    this.itemCount++;
    if (item.openMinor === 0n && baseOpen === 0n) return; // settled items take no room in the report

    let byCurrency = this.rows.get(item.customerId);
    if (byCurrency === undefined) {
      byCurrency = new Map();
      this.rows.set(item.customerId, byCurrency);
    }
    let row = byCurrency.get(item.currency);
    if (row === undefined) {
      row = this.sums();
      byCurrency.set(item.currency, row);
    }
    row.doc[bucket]! += item.openMinor;
    row.base[bucket]! += baseOpen;

    let total = this.totals.get(item.currency);
    if (total === undefined) {
      total = this.sums();
      this.totals.set(item.currency, total);
    }
    total.doc[bucket]! += item.openMinor;
    total.base[bucket]! += baseOpen;
  }

  private record(values: bigint[]): Record<string, bigint> {
    return Object.fromEntries(this.scheme.map((b, i) => [b.key, values[i]!]));
  }

  result(): AgingReport {
    const sum = (xs: bigint[]) => xs.reduce((a, b) => a + b, 0n);
    const rows: AgingRow[] = [];
    const customers: AgingReport['customers'] = [];
    for (const customerId of [...this.rows.keys()].sort(byCodeUnits)) {
      const byCurrency = this.rows.get(customerId)!;
      const customerBase = this.scheme.map(() => 0n);
      for (const currency of [...byCurrency.keys()].sort(byCodeUnits)) {
        const s = byCurrency.get(currency)!;
        s.base.forEach((v, i) => (customerBase[i]! += v));
        rows.push({
          customerId, currency,
          buckets: this.record(s.doc), totalMinor: sum(s.doc),
          baseBuckets: this.record(s.base), baseTotalMinor: sum(s.base),
        });
      }
      customers.push({ customerId, buckets: this.record(customerBase), totalMinor: sum(customerBase) });
    }
    const grand = this.scheme.map(() => 0n);
    const totals = [...this.totals.keys()].sort(byCodeUnits).map((currency) => {
      const t = this.totals.get(currency)!;
      t.base.forEach((v, i) => (grand[i]! += v));
      return { currency, buckets: this.record(t.doc), totalMinor: sum(t.doc), baseBuckets: this.record(t.base), baseTotalMinor: sum(t.base) };
    });
    return {
      bucketKeys: this.scheme.map((b) => b.key),
      rows,
      totals,
      customers,
      baseTotal: { buckets: this.record(grand), totalMinor: sum(grand) },
      itemCount: this.itemCount,
    };
  }
}

/** Ages a whole collection at once (any iterable, so a generator streams). */
export function ageItems(items: Iterable<AgingItem>, asOf: LocalDate, scheme?: readonly AgingBucketDef[]): AgingReport {
  const acc = new AgingAccumulator(asOf, scheme);
  for (const item of items) acc.add(item);
  return acc.result();
}
