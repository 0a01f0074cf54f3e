/**
 * AR aging as of a date: open items bucketed by days past due, per customer and currency (in the
 * document currency and in the base currency), per customer and in total in the base currency.
 *
 * Streamed: the open items are read a keyset page at a time (OpenItemRepo.agingPage, by id) and fed to
 * the accumulator, which keeps only per-customer-and-currency bucket sums; no page is held after it is
 * added, so memory is bounded by customers × currencies × buckets, not by items (bench/aging.bench.ts
 * ages 1,000,000 items). The open amount of an item as of the date follows the rule written down at
 * OpenItemRepo.agingPage (src/db/repositories/open-items.ts).
 */
import { BAS_DEFAULTS } from '../../core/ledger/accounts.js';
import { formatAmount, money } from '../../core/money/money.js';
import { AgingAccumulator, agingScheme, DEFAULT_AGING_SCHEME, type AgingBucketDef, type AgingReport } from '../../core/receivables/aging.js';
import type { LocalDate } from '../../core/shared/dates.js';
import type { CustomerId, OpenItemId } from '../../core/shared/ids.js';
import type { Store } from '../ports.js';
import { baseCurrencyOf } from '../fx/rate-for.js';

/** Rows per keyset page: big enough to amortise a round trip, small enough to bound memory. */
export const AGING_PAGE_SIZE = 5_000;

export interface AgingOptions {
  customerId?: CustomerId | undefined;
  /** Bucket limits in days past due (e.g. [30, 60, 90]); absent = the default scheme (DEFAULT_AGING_SCHEME). */
  limits?: readonly number[] | undefined;
  /** The receivable (AR control) account credit notes reduce; default BAS 1510. */
  receivableAccount?: string | undefined;
  pageSize?: number | undefined;
  /** Called after each page with the number of items read so far (benchmarks sample memory here). */
  onPage?: ((itemsRead: number) => void) | undefined;
}

export interface AgingReportResult extends AgingReport {
  asOf: LocalDate;
  /** The tenant's base (functional) currency: the one of every base amount. */
  baseCurrency: string;
  scheme: readonly AgingBucketDef[];
  /** The name of every customer in the report (read once, after the items). */
  customerNames: ReadonlyMap<string, string>;
}

export async function agingReport(s: Store, asOf: LocalDate, customerIdOrOptions?: CustomerId | AgingOptions): Promise<AgingReportResult> {
  const o: AgingOptions = typeof customerIdOrOptions === 'string' ? { customerId: customerIdOrOptions } : (customerIdOrOptions ?? {});
  const scheme = o.limits === undefined ? DEFAULT_AGING_SCHEME : agingScheme(o.limits);
  const acc = new AgingAccumulator(asOf, scheme);
  const baseCurrency = await baseCurrencyOf(s);
  const pageSize = o.pageSize ?? AGING_PAGE_SIZE;
  const filter: { asOf: LocalDate; customerId?: CustomerId; receivableAccount: string } = {
    asOf, receivableAccount: o.receivableAccount ?? BAS_DEFAULTS.receivable,
  };
  if (o.customerId !== undefined) filter.customerId = o.customerId;
  let after: OpenItemId | null = null;
  let read = 0;
  for (;;) {
    const page = await s.openItems.agingPage(filter, after, pageSize);
    for (const item of page) acc.add(item);
    read += page.length;
    o.onPage?.(read);
    if (page.length < pageSize) break;
    after = page[page.length - 1]!.id;
  }
  const result = acc.result();
  // in parts, as the items are read: a statement's parameters are bounded whatever the number of customers
  const customerNames = new Map<string, string>();
  const ids = result.customers.map((c) => c.customerId as CustomerId);
  for (let i = 0; i < ids.length; i += pageSize) {
    for (const [id, name] of await s.customers.namesOf(ids.slice(i, i + pageSize))) customerNames.set(id, name);
  }
  return { asOf, baseCurrency, scheme, customerNames, ...result };
}

/** One CSV record (RFC 4180): fields quoted when they hold a comma, quote or line break. */
export function csvRecord(fields: readonly string[]): string {
  return fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',') + '\r\n';
}

const amount = (minor: bigint, currency: string): string => formatAmount(money(minor, currency));

/**
 * The report as CSV: a header, one record per customer and currency (kind `customer`), one per
 * currency (kind `total`) and one for everything in the base currency (kind `base_total`, currency =
 * the base currency, the document columns left empty). Amounts are decimal strings with a point.
 */
export function agingCsv(r: AgingReportResult): string {
  const keys = r.bucketKeys;
  let out = csvRecord(['kind', 'as_of', 'customer_id', 'customer_name', 'currency', ...keys, 'total', 'base_currency', ...keys.map((k) => `base_${k}`), 'base_total']);
  const bucketCells = (b: Record<string, bigint>, currency: string) => keys.map((k) => amount(b[k] ?? 0n, currency));
  for (const row of r.rows) {
    out += csvRecord([
      'customer', r.asOf, row.customerId, r.customerNames.get(row.customerId) ?? '', row.currency, ...bucketCells(row.buckets, row.currency), amount(row.totalMinor, row.currency),
      r.baseCurrency, ...bucketCells(row.baseBuckets, r.baseCurrency), amount(row.baseTotalMinor, r.baseCurrency),
    ]);
  }
  for (const t of r.totals) {
    out += csvRecord([
      'total', r.asOf, '', '', t.currency, ...bucketCells(t.buckets, t.currency), amount(t.totalMinor, t.currency),
      r.baseCurrency, ...bucketCells(t.baseBuckets, r.baseCurrency), amount(t.baseTotalMinor, r.baseCurrency),
    ]);
  }
  out += csvRecord([
    'base_total', r.asOf, '', '', r.baseCurrency, ...keys.map(() => ''), '',
    r.baseCurrency, ...bucketCells(r.baseTotal.buckets, r.baseCurrency), amount(r.baseTotal.totalMinor, r.baseCurrency),
  ]);
  return out;
}
