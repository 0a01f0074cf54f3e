/**
 * A stored quote version as the approval rules see it (core/quotes/approvals ApprovalQuote), and
 * the evaluation shared by requesting, approving and sending.
 *
 * Base of a line = its gross amount (quantity × unit price, before any discount); the line discount
 * is the line's own discount; optional lines that are not selected are outside the totals, so they
 * count as "optional" for the quote-level rules. Margins are floored to four decimals: with
 * thresholds of at most four decimals, "below" then compares exactly as the unrounded ratio would.
 */
import {
  approvalSnapshot, evaluateApprovalRules, lineFingerprint, type ApprovalQuote, type ApprovalRule, type ApprovalSnapshot, type TriggeredRule,
} from '../../../core/quotes/approvals.js';
import { HUNDRED_PERCENT, type Decimal4 } from '../../../core/money/quantity.js';
import { isIncludedLine, type QuoteRecord, type Store } from '../../ports.js';

/** ⌊n / d⌋ for d > 0. */
function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** (net − cost) ÷ net as a percentage, floored to four decimals; null without a cost or a positive net. */
function marginPercent(marginMinor: bigint, netMinor: bigint): Decimal4 | null {
  if (netMinor <= 0n) return null;
  return { scaled: floorDiv(marginMinor * HUNDRED_PERCENT.scaled, netMinor) };
}

export function approvalQuoteOf(q: QuoteRecord): ApprovalQuote {
  let baseTotal = 0n;
  let costedNet = 0n;
  let costedMargin = 0n;
  let costed = false;
  const lines = q.lines.map((l) => {
    const included = isIncludedLine(l);
    if (included) baseTotal += l.grossAmountMinor;
    if (included && l.costMinor !== null) {
      costed = true;
      costedNet += l.netAmountMinor;
      costedMargin += l.netAmountMinor - l.costMinor;
    }
    return {
      lineKey: l.lineKey,
      lineNo: l.lineNo,
      optional: !included,
      baseAmountMinor: l.grossAmountMinor,
      lineDiscountMinor: l.lineDiscountMinor,
      marginPercent: l.costMinor === null ? null : marginPercent(l.netAmountMinor - l.costMinor, l.netAmountMinor),
      fingerprint: lineFingerprint({
        productId: l.productId,
        description: l.description,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        discount: l.lineDiscount,
        optional: l.optional,
      }),
    };
  });
  return {
    currency: q.currency,
    grossTotalMinor: q.grossTotalMinor,
    netTotalMinor: q.netTotalMinor,
    quoteDiscountMinor: q.quoteDiscountMinor,
    baseTotalMinor: baseTotal,
    marginPercent: costed ? marginPercent(costedMargin, costedNet) : null,
    lines,
  };
}

export interface ApprovalEvaluation {
  rules: ApprovalRule[];
  triggered: TriggeredRule[];
  snapshot: ApprovalSnapshot;
}

/** The tenant's active rules applied to the version. */
export async function evaluateQuoteApproval(s: Store, q: QuoteRecord): Promise<ApprovalEvaluation> {
  const rules = await s.approvals.listRules();
  const quote = approvalQuoteOf(q);
  const triggered = evaluateApprovalRules(rules, quote);
  return { rules, triggered, snapshot: approvalSnapshot(rules, quote) };
}

/** Roles whose API keys may approve or reject quote versions. */
export const APPROVER_ROLES: readonly string[] = ['admin', 'sales_manager'];
