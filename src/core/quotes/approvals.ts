/**
 * Approval rules for quotes, kept as tenant data ("a line discount above 15 % needs approval"), and
 * the pure functions that apply them to a priced quote version.
 *
 * Every comparison is exact: a discount percentage is the rational lineDiscount / base compared by
 * cross-multiplication in bigint, never a float and never a rounded value. Thresholds are strict:
 * a discount of exactly 15 % is not above 15 %, a margin of exactly 10 % is not below 10 %.
 *
 * Re-approval ("a revised version needs re-approval only if a line that triggered a rule changed")
 * compares what was approved with the current version through fingerprints: canonical strings of
 * what matters for approval, stored with the approval.
 */
import { formatAmount, money } from '../money/money.js';
import { DECIMAL4_SCALE, HUNDRED_PERCENT, compareD, formatDecimal4 } from '../money/quantity.js';
import type { Decimal4 } from '../money/quantity.js';
import type { QuoteDiscount } from './diff.js';

export type ApprovalRule =
  | { readonly id: string; readonly kind: 'line_discount_above'; readonly percent: Decimal4 }
  | { readonly id: string; readonly kind: 'quote_discount_above'; readonly percent: Decimal4 }
  | { readonly id: string; readonly kind: 'margin_below'; readonly percent: Decimal4 }
  | { readonly id: string; readonly kind: 'total_above'; readonly amountMinor: bigint; readonly currency: string };

export type ApprovalRuleKind = ApprovalRule['kind'];

export const APPROVAL_RULE_KINDS = [
  'line_discount_above',
  'quote_discount_above',
  'margin_below',
  'total_above',
] as const satisfies readonly ApprovalRuleKind[];

/** One line of a priced quote version, as far as approval cares. */
export interface ApprovalLine {
  readonly lineKey: string;
  /** For messages ("Line 3 discount …"). */
  readonly lineNo: number;
  /**
   * Optional lines are not in the totals, so their line discount is not part of the base of the
   * quote discount; line-level rules still apply to them (the customer may choose them).
   */
  readonly optional: boolean;
  /** quantity × unit price, before any discount */
  readonly baseAmountMinor: bigint;
  /** the line's own discount in minor units (from a percentage or an amount) */
  readonly lineDiscountMinor: bigint;
  /** null when the line has no cost (no product cost known) */
  readonly marginPercent: Decimal4 | null;
  /** lineFingerprint(...) of the line */
  readonly fingerprint: string;
}

/** A priced quote version summarised for approval. */
export interface ApprovalQuote {
  readonly currency: string;
  readonly grossTotalMinor: bigint;
  readonly netTotalMinor: bigint;
  readonly quoteDiscountMinor: bigint;
  /** Σ baseAmountMinor over the non-optional lines: the base before any discount. */
  readonly baseTotalMinor: bigint;
  /** null when no line has a cost */
  readonly marginPercent: Decimal4 | null;
  readonly lines: readonly ApprovalLine[];
}

export interface TriggeredRule {
  readonly ruleId: string;
  readonly kind: ApprovalRuleKind;
  /** English, e.g. "Line 3 discount 18 % is above 15 %"; several findings are joined with "; ". */
  readonly message: string;
  /** The lines that triggered the rule, in line order; empty when only the quote as a whole did. */
  readonly lineKeys: readonly string[];
  /**
   * True when the quote as a whole crossed the threshold (quote discount, total, quote margin).
   * margin_below can be both: lines below the margin and the quote margin below it too.
   */
  readonly quoteLevel: boolean;
}

/** 100 % in Decimal4 units (1 000 000). */
const HUNDRED = HUNDRED_PERCENT.scaled;

/** ⌈n / d⌉ for d > 0. */
function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n > 0n ? q + 1n : q;
}

/** `part / whole` as a percentage, exactly, compared with `threshold`: −1, 0 or 1. whole > 0. */
function compareRatio(part: bigint, whole: bigint, threshold: Decimal4): -1 | 0 | 1 {
  const left = part * HUNDRED;
  const right = threshold.scaled * whole;
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * `part / whole` as a percentage for a message, rounded UP to two decimals. Rounding up keeps the
 * message truthful: a value above the threshold never prints as equal to it (15.001 % → "15.01 %").
 */
function shownRatioAbove(part: bigint, whole: bigint): string {
  const hundredths = ceilDiv(part * 100n * 100n, whole);
  return `${formatDecimal4({ scaled: hundredths * (DECIMAL4_SCALE / 100n) })} %`;
}

const pct = (p: Decimal4): string => `${formatDecimal4(p)} %`;

function byLineNo(a: ApprovalLine, b: ApprovalLine): number {
  if (a.lineNo !== b.lineNo) return a.lineNo - b.lineNo;
  return a.lineKey < b.lineKey ? -1 : a.lineKey > b.lineKey ? 1 : 0;
}

function assertConsistent(rules: readonly ApprovalRule[], quote: ApprovalQuote): void {
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw new Error(`approval rules: duplicate rule id '${rule.id}'`);
    ids.add(rule.id);
  }
  const keys = new Set<string>();
  let base = 0n;
  for (const line of quote.lines) {
    if (keys.has(line.lineKey)) throw new Error(`approval: duplicate line key '${line.lineKey}'`);
    keys.add(line.lineKey);
    if (!line.optional) base += line.baseAmountMinor;
  }
  if (base !== quote.baseTotalMinor) {
    throw new Error(`approval: baseTotalMinor ${quote.baseTotalMinor} is not the sum of the non-optional line bases ${base}`);
  }
}

function evaluateRule(rule: ApprovalRule, quote: ApprovalQuote, lines: readonly ApprovalLine[]): TriggeredRule | null {
  const found = (findings: string[], lineKeys: string[], quoteLevel: boolean): TriggeredRule | null =>
    findings.length === 0 ? null : { ruleId: rule.id, kind: rule.kind, message: findings.join('; '), lineKeys, quoteLevel };

  switch (rule.kind) {
    case 'line_discount_above': {
      const findings: string[] = [];
      const keys: string[] = [];
      for (const line of lines) {
        // A percentage of a zero or negative base means nothing; such lines cannot trigger.
        if (line.baseAmountMinor <= 0n) continue;
        if (compareRatio(line.lineDiscountMinor, line.baseAmountMinor, rule.percent) > 0) {
          keys.push(line.lineKey);
          findings.push(
            `Line ${line.lineNo} discount ${shownRatioAbove(line.lineDiscountMinor, line.baseAmountMinor)} is above ${pct(rule.percent)}`,
          );
        }
      }
      return found(findings, keys, false);
    }
    case 'quote_discount_above': {
      let lineDiscounts = 0n;
      for (const line of lines) if (!line.optional) lineDiscounts += line.lineDiscountMinor;
      const base = quote.baseTotalMinor - lineDiscounts;
      if (base <= 0n) return null;
      if (compareRatio(quote.quoteDiscountMinor, base, rule.percent) <= 0) return null;
      return found(
        [`Quote discount ${shownRatioAbove(quote.quoteDiscountMinor, base)} is above ${pct(rule.percent)}`],
        [],
        true,
      );
    }
    case 'margin_below': {
      const findings: string[] = [];
      const keys: string[] = [];
      for (const line of lines) {
        if (line.marginPercent !== null && compareD(line.marginPercent, rule.percent) < 0) {
          keys.push(line.lineKey);
          findings.push(`Line ${line.lineNo} margin ${pct(line.marginPercent)} is below ${pct(rule.percent)}`);
        }
      }
      const quoteBelow = quote.marginPercent !== null && compareD(quote.marginPercent, rule.percent) < 0;
      if (quote.marginPercent !== null && quoteBelow) {
        findings.push(`Quote margin ${pct(quote.marginPercent)} is below ${pct(rule.percent)}`);
      }
      return found(findings, keys, quoteBelow);
    }
    case 'total_above': {
      // A limit in another currency says nothing about this quote: no conversion in core.
      if (rule.currency !== quote.currency) return null;
      if (quote.grossTotalMinor <= rule.amountMinor) return null;
      const shown = (minor: bigint) => `${formatAmount(money(minor, quote.currency))} ${quote.currency}`;
      return found([`Quote total ${shown(quote.grossTotalMinor)} is above ${shown(rule.amountMinor)}`], [], true);
    }
  }
}

/**
 * The rules the quote version triggers, in the order of `rules`. Throws Error on inconsistent input
 * (duplicate rule ids or line keys, baseTotalMinor not the sum of the non-optional line bases).
 */
export function evaluateApprovalRules(rules: readonly ApprovalRule[], quote: ApprovalQuote): TriggeredRule[] {
  assertConsistent(rules, quote);
  const lines = [...quote.lines].sort(byLineNo);
  const triggered: TriggeredRule[] = [];
  for (const rule of rules) {
    const t = evaluateRule(rule, quote, lines);
    if (t !== null) triggered.push(t);
  }
  return triggered;
}

export function needsApproval(triggered: readonly TriggeredRule[]): boolean {
  return triggered.length > 0;
}

// Fingerprints -------------------------------------------------------------------------------------

/** Bumped if the fingerprint format changes, so a stored fingerprint of the old format can be recognised. */
const LINE_FINGERPRINT_FORMAT = 'line/1';
const QUOTE_FINGERPRINT_FORMAT = 'quote/1';

function discountKey(d: QuoteDiscount | null): string | null {
  if (d === null) return null;
  if (d.kind === 'percent') return d.percent.scaled === 0n ? null : `percent:${d.percent.scaled}`;
  return d.amountMinor === 0n ? null : `amount:${d.amountMinor}`;
}

export interface FingerprintedLine {
  readonly productId: string | null;
  readonly description: string;
  readonly quantity: Decimal4;
  readonly unitPriceMinor: bigint;
  readonly discount: QuoteDiscount | null;
  readonly optional: boolean;
}

/**
 * Canonical string of what matters for approval on a line. Equal lines give equal strings and any
 * difference in these fields gives a different one (JSON quoting keeps the fields apart whatever
 * the description contains). A zero discount counts as no discount. The line number is not part of
 * it: moving a line is not a change.
 */
export function lineFingerprint(line: FingerprintedLine): string {
  return JSON.stringify([
    LINE_FINGERPRINT_FORMAT,
    line.productId,
    line.description,
    line.quantity.scaled.toString(),
    line.unitPriceMinor.toString(),
    discountKey(line.discount),
    line.optional,
  ]);
}

/** Canonical string of the quote-level facts quote-level rules depend on: currency, quote discount, totals, margin. */
export function quoteFingerprint(quote: Pick<ApprovalQuote, 'currency' | 'quoteDiscountMinor' | 'netTotalMinor' | 'grossTotalMinor' | 'marginPercent'>): string {
  return JSON.stringify([
    QUOTE_FINGERPRINT_FORMAT,
    quote.currency,
    quote.quoteDiscountMinor.toString(),
    quote.netTotalMinor.toString(),
    quote.grossTotalMinor.toString(),
    quote.marginPercent === null ? null : quote.marginPercent.scaled.toString(),
  ]);
}

// Re-approval --------------------------------------------------------------------------------------

/** What an approval covered (stored with it), or the same facts for the current version. */
export interface ApprovalSnapshot {
  readonly triggered: readonly TriggeredRule[];
  /** lineKey → lineFingerprint, for every line of the version */
  readonly lineFingerprints: Readonly<Record<string, string>>;
  readonly quoteFingerprint: string;
}

/** The snapshot of a quote version under `rules`: what to store when it is approved. */
export function approvalSnapshot(rules: readonly ApprovalRule[], quote: ApprovalQuote): ApprovalSnapshot {
  const lineFingerprints: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of quote.lines) lineFingerprints[line.lineKey] = line.fingerprint;
  return {
    triggered: evaluateApprovalRules(rules, quote),
    lineFingerprints,
    quoteFingerprint: quoteFingerprint(quote),
  };
}

/** Own-property lookup: a line key such as "constructor" must not find Object.prototype's. */
function fingerprintOf(fingerprints: Readonly<Record<string, string>>, lineKey: string): string | undefined {
  return Object.hasOwn(fingerprints, lineKey) ? fingerprints[lineKey] : undefined;
}

export interface ReapprovalDecision {
  readonly required: boolean;
  /** English, one per finding; empty when not required. */
  readonly reasons: readonly string[];
}

/**
 * Whether a revised version needs approval again after `previous` was approved. A revision needs
 * re-approval only if something that needed approval changed:
 *  (a) a rule triggers now that did not (by rule id) in the approved version;
 *  (b) a line that triggered a line-level rule, in either version, has a different fingerprint,
 *      or was added or removed;
 *  (c) a quote-level rule triggers now and the quote fingerprint (currency, quote discount,
 *      totals, margin) changed.
 * When nothing triggers now, no approval is needed at all and the answer is "not required".
 * A change to a line that triggered nothing (its quantity, say) is not a reason by itself; it
 * matters only through (c), when a quote-level rule triggers and the totals moved.
 *
 * Throws Error when a snapshot names a triggering line that has no fingerprint in that snapshot.
 */
export function needsReapproval(previous: ApprovalSnapshot, current: ApprovalSnapshot): ReapprovalDecision {
  if (!needsApproval(current.triggered)) return { required: false, reasons: [] };
  for (const snapshot of [previous, current]) {
    for (const t of snapshot.triggered) {
      for (const key of t.lineKeys) {
        if (fingerprintOf(snapshot.lineFingerprints, key) === undefined) {
          throw new Error(`approval snapshot: triggering line '${key}' has no fingerprint`);
        }
      }
    }
  }

  const reasons: string[] = [];
  const approvedRuleIds = new Set(previous.triggered.map((t) => t.ruleId));
  for (const t of current.triggered) {
    if (!approvedRuleIds.has(t.ruleId)) {
      reasons.push(`Rule '${t.ruleId}' (${t.kind}) applies and did not apply to the approved version: ${t.message}`);
    }
  }

  const triggeringKeys = new Set<string>();
  for (const t of [...current.triggered, ...previous.triggered]) for (const key of t.lineKeys) triggeringKeys.add(key);
  for (const key of triggeringKeys) {
    const before = fingerprintOf(previous.lineFingerprints, key);
    const now = fingerprintOf(current.lineFingerprints, key);
    if (before === now) continue;
    const what = before === undefined ? 'was added' : now === undefined ? 'was removed' : 'changed';
    reasons.push(`Line '${key}', which triggers an approval rule, ${what}`);
  }

  if (previous.quoteFingerprint !== current.quoteFingerprint) {
    for (const t of current.triggered) {
      if (t.quoteLevel) {
        reasons.push(`Rule '${t.ruleId}' (${t.kind}) applies to the whole quote, and its discount, currency or totals changed`);
      }
    }
  }
  return { required: reasons.length > 0, reasons };
}
