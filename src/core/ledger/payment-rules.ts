/**
 * Posting rules for what happens to a payment after it is received (ACCOUNTING.md, decision 0008), in
 * the base currency, as pure functions:
 *
 * - a short rest written off within tolerance: debit 3740 (roundingDifference, öres- och
 *   kronutjämning), credit 1510 on the customer;
 * - a fee the bank withheld: debit 6570 (bankFees), credit 1510 on the customer;
 * - a refund of customer credit: debit 2420 (at the payment's value), credit 1930 (at the value on the
 *   refund date), the difference a realised exchange difference (3960 gain / 7960 loss);
 * - the reversal of an entry (unapply, returned payment): the same lines on the other side.
 *
 * The tolerance for a write-off is the tenant's: max(toleranceMinor, open × basis points / 10 000),
 * the percentage part rounded down (WRITE_OFF_TOLERANCE_ROUNDING) as the matching engine does, in the
 * currency of the open item. Write-offs and bank fees are valued at the base value they take off the
 * open item (the invoice's rate, prorated by prorateBase), so they realise no exchange difference.
 */
import type { AccountMap } from './accounts.js';
import { fxDifferencePosting, prorateBase, type FunctionalPosting } from './functional.js';
import { assertBalanced } from './journal.js';
import { divRound, type RoundingMode } from '../money/rounding.js';

/** Rounding of the percentage part of the write-off tolerance: down, never more than the percentage allows. */
export const WRITE_OFF_TOLERANCE_ROUNDING: RoundingMode = 'down';

export interface ToleranceSettings {
  /** An absolute tolerance in minor units of the open item's currency. */
  toleranceMinor: bigint;
  /** A tolerance in basis points (1/100 %) of the open amount. */
  toleranceBasisPoints: bigint;
}

/** The largest short rest that may be written off on an item with `openMinor` open. */
export function writeOffTolerance(openMinor: bigint, t: ToleranceSettings): bigint {
  if (openMinor < 0n || t.toleranceMinor < 0n || t.toleranceBasisPoints < 0n) throw new Error('writeOffTolerance: negative input');
  const pct = divRound(openMinor * t.toleranceBasisPoints, 10_000n, WRITE_OFF_TOLERANCE_ROUNDING);
  return pct > t.toleranceMinor ? pct : t.toleranceMinor;
}

export type SettlementResult =
  | { ok: true; writeOffMinor: bigint }
  | { ok: false; reason: 'exceeds_open' | 'beyond_tolerance'; restMinor: bigint; toleranceMinor: bigint };

/**
 * What an allocation of `amountMinor` cash plus `bankFeeMinor` withheld does to an item with
 * `openMinor` open. With `writeOff` the item is settled: the short rest is written off when it is
 * within tolerance, refused beyond it. Without, nothing is written off.
 */
export function settle(
  p: { openMinor: bigint; amountMinor: bigint; bankFeeMinor: bigint; writeOff: boolean },
  t: ToleranceSettings,
): SettlementResult {
  if (p.amountMinor < 0n || p.bankFeeMinor < 0n) throw new Error('settle: negative amount');
  const toleranceMinor = writeOffTolerance(p.openMinor, t);
  const rest = p.openMinor - p.amountMinor - p.bankFeeMinor;
  if (rest < 0n) return { ok: false, reason: 'exceeds_open', restMinor: rest, toleranceMinor };
  if (!p.writeOff || rest === 0n) return { ok: true, writeOffMinor: 0n };
  if (rest > toleranceMinor) return { ok: false, reason: 'beyond_tolerance', restMinor: rest, toleranceMinor };
  return { ok: true, writeOffMinor: rest };
}

/**
 * The base values of consecutive parts taken off an item (`open` foreign, `baseOpen` its base value),
 * each prorated from what the earlier parts left (prorateBase): when the parts take all of `open`,
 * they take all of `baseOpen`, so nothing is left over in base.
 */
export function splitBase(baseOpen: bigint, open: bigint, parts: readonly bigint[]): bigint[] {
  const out: bigint[] = [];
  let leftOpen = open;
  let leftBase = baseOpen;
  for (const part of parts) {
    const b = prorateBase(leftBase, part, leftOpen);
    out.push(b);
    leftOpen -= part;
    leftBase -= b;
  }
  return out;
}

export interface AdjustmentEvent {
  base: string;
  /** The open item's currency. */
  currency: string;
  customerId: string;
  writeOffMinor: bigint;
  writeOffBaseMinor: bigint;
  bankFeeMinor: bigint;
  bankFeeBaseMinor: bigint;
}

/** Write-off (D 3740 / C 1510) and bank fee (D 6570 / C 1510), in base with the foreign amount beside; none for zeros. */
export function postPaymentAdjustments(e: AdjustmentEvent, accounts: Pick<AccountMap, 'receivable' | 'roundingDifference' | 'bankFees'>): FunctionalPosting[] {
  if (e.writeOffMinor < 0n || e.writeOffBaseMinor < 0n || e.bankFeeMinor < 0n || e.bankFeeBaseMinor < 0n) {
    throw new Error('postPaymentAdjustments: negative amount');
  }
  const foreign = e.currency !== e.base;
  const out: FunctionalPosting[] = [];
  const pair = (account: string, minor: bigint, baseMinor: bigint) => {
    if (baseMinor === 0n) return; // a foreign amount worth nothing in base posts nothing
    const amountCurrency = foreign ? e.currency : null;
    const amountMinor = foreign ? minor : null;
    out.push(
      { account, currency: e.base, debitMinor: baseMinor, creditMinor: 0n, customerId: null, amountCurrency, amountMinor },
      { account: accounts.receivable, currency: e.base, debitMinor: 0n, creditMinor: baseMinor, customerId: e.customerId, amountCurrency, amountMinor },
    );
  };
  pair(accounts.roundingDifference, e.writeOffMinor, e.writeOffBaseMinor);
  pair(accounts.bankFees, e.bankFeeMinor, e.bankFeeBaseMinor);
  if (out.length > 0) assertBalanced(out);
  return out;
}

export interface RefundEvent {
  base: string;
  /** The payment's currency. */
  currency: string;
  customerId: string | null;
  amountMinor: bigint;
  /** Base value taken off the payment's unapplied cash (its rate). */
  baseAmountMinor: bigint;
  /** Base value of the cash paid out on the refund date. */
  bankBaseMinor: bigint;
}

/**
 * A refund of customer credit: D 2420 (payment side) / C 1930 (bank side), both with the foreign
 * amount beside them; the difference baseAmount − bankBase is an FX gain (> 0, 3960) or loss (7960).
 */
export function postRefund(
  e: RefundEvent,
  accounts: Pick<AccountMap, 'customerCredit' | 'bank' | 'fxGain' | 'fxLoss'>,
): { postings: FunctionalPosting[]; fxDifferenceMinor: bigint } {
  if (e.amountMinor <= 0n) throw new Error(`postRefund: amountMinor must be positive, got ${e.amountMinor}`);
  if (e.baseAmountMinor < 0n || e.bankBaseMinor < 0n) throw new Error('postRefund: base amounts must not be negative');
  const foreign = e.currency !== e.base;
  const amountCurrency = foreign ? e.currency : null;
  const amountMinor = foreign ? e.amountMinor : null;
  const fxDifferenceMinor = e.baseAmountMinor - e.bankBaseMinor;
  const postings: FunctionalPosting[] = [];
  if (e.baseAmountMinor > 0n) {
    postings.push({ account: accounts.customerCredit, currency: e.base, debitMinor: e.baseAmountMinor, creditMinor: 0n, customerId: e.customerId, amountCurrency, amountMinor });
  }
  if (e.bankBaseMinor > 0n) {
    postings.push({ account: accounts.bank, currency: e.base, debitMinor: 0n, creditMinor: e.bankBaseMinor, customerId: null, amountCurrency, amountMinor });
  }
  postings.push(...fxDifferencePosting(fxDifferenceMinor, e.base, accounts));
  if (postings.length > 0) assertBalanced(postings);
  return { postings, fxDifferenceMinor };
}

/** The reversal of posted lines: each on the other side, with the same foreign amount and customer. */
export function reverseFunctional<P extends FunctionalPosting>(lines: readonly P[]): P[] {
  const out = lines.map((l) => ({ ...l, debitMinor: l.creditMinor, creditMinor: l.debitMinor }));
  if (out.length > 0) assertBalanced(out);
  return out;
}
