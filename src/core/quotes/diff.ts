/**
 * What changed between two versions of a quote, for the approver and the customer ("what is new in
 * version 3"). Pure: both versions come in as data, the diff goes out as data with display strings.
 *
 * Lines are matched across versions by `lineKey`, which a revision keeps; line numbers may change
 * (a line moved up is not a change). A line present only in the newer version is added, only in
 * the older one removed, and in both it is changed when any compared field or its net differs.
 *
 * "Older" and "newer" are simply the first and second argument: diffing (v3, v2) is legitimate and
 * yields the mirror image of (v2, v3) — what was added one way is removed the other way.
 */
import { DomainError } from '../shared/errors.js';
import { formatAmount, money } from '../money/money.js';
import { formatDecimal4 } from '../money/quantity.js';
import type { Decimal4 } from '../money/quantity.js';

/** A discount on a line or on the whole quote: a percentage or a fixed amount in minor units. */
export type QuoteDiscount =
  | { readonly kind: 'percent'; readonly percent: Decimal4 }
  | { readonly kind: 'amount'; readonly amountMinor: bigint };

export interface QuoteVersionLine {
  /** Stable across versions: a revision keeps the key of every line it carries over. */
  readonly lineKey: string;
  readonly lineNo: number;
  readonly productId: string | null;
  readonly description: string;
  readonly quantity: Decimal4;
  readonly unitPriceMinor: bigint;
  readonly discount: QuoteDiscount | null;
  readonly optional: boolean;
  readonly netAmountMinor: bigint;
}

export interface QuoteVersionSnapshot {
  readonly version: number;
  readonly currency: string;
  /** LocalDate 'YYYY-MM-DD' */
  readonly validUntil: string;
  readonly paymentTermsDays: number;
  readonly notes: string | null;
  readonly quoteDiscount: QuoteDiscount | null;
  readonly netTotalMinor: bigint;
  readonly grossTotalMinor: bigint;
  readonly lines: readonly QuoteVersionLine[];
}

export const LINE_DIFF_FIELDS = ['product', 'description', 'quantity', 'unit_price', 'discount', 'optional'] as const;
export type LineDiffField = (typeof LINE_DIFF_FIELDS)[number];

export const HEADER_DIFF_FIELDS = ['valid_until', 'payment_terms_days', 'notes', 'quote_discount'] as const;
export type HeaderDiffField = (typeof HEADER_DIFF_FIELDS)[number];

export interface LineFieldChange {
  readonly field: LineDiffField;
  readonly from: string;
  readonly to: string;
}

export interface ChangedLine {
  readonly lineKey: string;
  /** The description in the newer version. */
  readonly description: string;
  /** In the order of LINE_DIFF_FIELDS. May be empty when only the line's net moved. */
  readonly changes: readonly LineFieldChange[];
  /** net in the newer version − net in the older one */
  readonly netChangeMinor: bigint;
}

export interface HeaderChange {
  readonly field: HeaderDiffField;
  /** null where the value is absent (no notes, no quote discount) */
  readonly from: string | null;
  readonly to: string | null;
}

export interface QuoteVersionDiff {
  readonly from: number;
  readonly to: number;
  /** In the newer version's line order. */
  readonly added: readonly QuoteVersionLine[];
  /** In the older version's line order. */
  readonly removed: readonly QuoteVersionLine[];
  /** In the newer version's line order; unchanged lines are absent. */
  readonly changed: readonly ChangedLine[];
  /** In the order of HEADER_DIFF_FIELDS; unchanged fields are absent. */
  readonly header: readonly HeaderChange[];
  readonly totals: {
    readonly netFromMinor: bigint;
    readonly netToMinor: bigint;
    readonly grossFromMinor: bigint;
    readonly grossToMinor: bigint;
  };
}

/** Display text for a line's product and a missing discount. */
const NO_PRODUCT = 'none';
const NO_DISCOUNT = 'none';

/** "10 %", "12.5 %". */
export function formatPercent(p: Decimal4): string {
  return `${formatDecimal4(p)} %`;
}

/** "10 %" for a percentage, "1250.00" (in the currency's decimals) for an amount. */
export function formatDiscount(discount: QuoteDiscount, currency: string): string {
  return discount.kind === 'percent' ? formatPercent(discount.percent) : formatAmount(money(discount.amountMinor, currency));
}

function byLineNo(a: QuoteVersionLine, b: QuoteVersionLine): number {
  if (a.lineNo !== b.lineNo) return a.lineNo - b.lineNo;
  // Equal line numbers should not happen; the key keeps the order deterministic if they do.
  return a.lineKey < b.lineKey ? -1 : a.lineKey > b.lineKey ? 1 : 0;
}

function indexByKey(v: QuoteVersionSnapshot): Map<string, QuoteVersionLine> {
  const byKey = new Map<string, QuoteVersionLine>();
  for (const line of v.lines) {
    if (byKey.has(line.lineKey)) {
      throw new Error(`quote version ${v.version} has two lines with key '${line.lineKey}'`);
    }
    byKey.set(line.lineKey, line);
  }
  return byKey;
}

function lineChanges(a: QuoteVersionLine, b: QuoteVersionLine, currency: string): LineFieldChange[] {
  const amount = (minor: bigint) => formatAmount(money(minor, currency));
  const discount = (d: QuoteDiscount | null) => (d === null ? NO_DISCOUNT : formatDiscount(d, currency));
  const shown: Record<LineDiffField, (l: QuoteVersionLine) => string> = {
    product: (l) => l.productId ?? NO_PRODUCT,
    description: (l) => l.description,
    quantity: (l) => formatDecimal4(l.quantity),
    unit_price: (l) => amount(l.unitPriceMinor),
    discount: (l) => discount(l.discount),
    optional: (l) => (l.optional ? 'yes' : 'no'),
  };
  const changes: LineFieldChange[] = [];
  for (const field of LINE_DIFF_FIELDS) {
    // Display strings are canonical (formatDecimal4 trims, formatAmount fixes the decimals), so
    // comparing them compares the values; a percentage and an amount never print alike.
    const from = shown[field](a);
    const to = shown[field](b);
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

function headerChanges(a: QuoteVersionSnapshot, b: QuoteVersionSnapshot): HeaderChange[] {
  const currency = b.currency;
  const shown: Record<HeaderDiffField, (v: QuoteVersionSnapshot) => string | null> = {
    valid_until: (v) => v.validUntil,
    payment_terms_days: (v) => String(v.paymentTermsDays),
    notes: (v) => v.notes,
    quote_discount: (v) => (v.quoteDiscount === null ? null : formatDiscount(v.quoteDiscount, currency)),
  };
  const changes: HeaderChange[] = [];
  for (const field of HEADER_DIFF_FIELDS) {
    const from = shown[field](a);
    const to = shown[field](b);
    if (from !== to) changes.push({ field, from, to });
  }
  return changes;
}

/**
 * The changes from `older` to `newer`. Both versions must be in the same currency (a quote keeps its
 * currency across versions); amounts are shown in that currency's decimals.
 *
 * Throws DomainError('currency_mismatch') when the currencies differ, and Error when a version has
 * two lines with the same key (a broken invariant of the caller's data).
 */
export function diffQuoteVersions(older: QuoteVersionSnapshot, newer: QuoteVersionSnapshot): QuoteVersionDiff {
  if (older.currency !== newer.currency) {
    throw new DomainError(
      'currency_mismatch',
      `Cannot compare quote version ${older.version} in ${older.currency} with version ${newer.version} in ${newer.currency}`,
    );
  }
  const currency = newer.currency;
  const olderByKey = indexByKey(older);
  const newerByKey = indexByKey(newer);

  const added: QuoteVersionLine[] = [];
  const changed: { line: QuoteVersionLine; change: ChangedLine }[] = [];
  for (const line of newer.lines) {
    const before = olderByKey.get(line.lineKey);
    if (before === undefined) {
      added.push(line);
      continue;
    }
    const changes = lineChanges(before, line, currency);
    const netChangeMinor = line.netAmountMinor - before.netAmountMinor;
    if (changes.length > 0 || netChangeMinor !== 0n) {
      changed.push({ line, change: { lineKey: line.lineKey, description: line.description, changes, netChangeMinor } });
    }
  }
  const removed = older.lines.filter((line) => !newerByKey.has(line.lineKey));

  added.sort(byLineNo);
  removed.sort(byLineNo);
  changed.sort((x, y) => byLineNo(x.line, y.line));

  return {
    from: older.version,
    to: newer.version,
    added,
    removed,
    changed: changed.map((c) => c.change),
    header: headerChanges(older, newer),
    totals: {
      netFromMinor: older.netTotalMinor,
      netToMinor: newer.netTotalMinor,
      grossFromMinor: older.grossTotalMinor,
      grossToMinor: newer.grossTotalMinor,
    },
  };
}

/** True when nothing changed: no line added, removed or changed, no header change, equal totals. */
export function isEmptyDiff(d: QuoteVersionDiff): boolean {
  return (
    d.added.length === 0 &&
    d.removed.length === 0 &&
    d.changed.length === 0 &&
    d.header.length === 0 &&
    d.totals.netFromMinor === d.totals.netToMinor &&
    d.totals.grossFromMinor === d.totals.grossToMinor
  );
}
