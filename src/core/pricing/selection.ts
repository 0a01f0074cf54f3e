/**
 * The customer's choice of optional lines, applied to a priced (frozen) quote version.
 *
 * When the customer accepts with a different selection of optional lines than the version was
 * priced with, the quote-level discount must be spread over the lines now included, and the VAT
 * recomputed, so that the order's totals are exactly the sum of its lines. Unit prices, base
 * amounts and line discounts do not depend on the selection and are taken as frozen; only the
 * quote-discount shares, nets and totals are recomputed, by the same rules as the engine's steps 3
 * and 4 (engine.ts): a percentage is taken once of the included lines' net after line discounts
 * (QUOTE_DISCOUNT_ROUNDING), an amount stays as given, and `allocate` spreads it in proportion to
 * those nets without losing a minor unit; VAT by documentTotals.
 *
 * Pure: the input is never modified.
 */
import { documentTotals, type VatBreakdownRow } from '../documents/lines.js';
import { allocate, money } from '../money/money.js';
import { HUNDRED_PERCENT, type Percent } from '../money/quantity.js';
import { divRound } from '../money/rounding.js';
import { DomainError, assertUnreachable, invalid } from '../shared/errors.js';
import type { VatCategory } from '../tax/vat.js';
import { QUOTE_DISCOUNT_ROUNDING, type QuoteDiscount } from './engine.js';

export interface FrozenLine {
  readonly lineKey: string;
  readonly optional: boolean;
  /** quantity × price as priced (the engine's baseAmountMinor, a line's grossAmountMinor) */
  readonly baseAmountMinor: bigint;
  readonly lineDiscountMinor: bigint;
  readonly vatRate: Percent;
  readonly vatCategory: VatCategory;
}

export interface SelectedLine {
  readonly lineKey: string;
  readonly included: boolean;
  readonly baseAmountMinor: bigint;
  readonly lineDiscountMinor: bigint;
  /** 0 for lines not included */
  readonly quoteDiscountMinor: bigint;
  /** lineDiscountMinor + quoteDiscountMinor */
  readonly discountAmountMinor: bigint;
  /** base − line discount − quote discount share */
  readonly netAmountMinor: bigint;
}

export interface SelectionTotals {
  readonly quoteDiscountMinor: bigint;
  readonly netMinor: bigint;
  readonly vatMinor: bigint;
  readonly grossMinor: bigint;
  readonly breakdown: readonly VatBreakdownRow[];
}

export interface AppliedSelection {
  readonly lines: readonly SelectedLine[];
  readonly totals: SelectionTotals;
}

/**
 * Includes every non-optional line and exactly the optional lines named in `selectedOptionalKeys`.
 * Throws validation_failed (param `selected_optional_line_keys`) for a key that is not an optional
 * line of the version, and unprocessable when an amount quote discount exceeds the selection's net.
 */
export function applySelection(
  currency: string,
  lines: readonly FrozenLine[],
  quoteDiscount: QuoteDiscount,
  selectedOptionalKeys: readonly string[],
): AppliedSelection {
  const optionalKeys = new Set(lines.filter((l) => l.optional).map((l) => l.lineKey));
  for (const k of selectedOptionalKeys) {
    if (!optionalKeys.has(k)) throw invalid('selected_optional_line_keys', `'${k}' is not an optional line of this quote version`);
  }
  const chosen = new Set(selectedOptionalKeys);
  const work = lines.map((l) => ({
    line: l,
    included: !l.optional || chosen.has(l.lineKey),
    netBeforeQuote: l.baseAmountMinor - l.lineDiscountMinor,
  }));
  const included = work.filter((w) => w.included);
  const netBeforeQuote = included.reduce((acc, w) => acc + w.netBeforeQuote, 0n);

  let quoteDiscountMinor = 0n;
  if (quoteDiscount !== null) {
    switch (quoteDiscount.kind) {
      case 'percent':
        quoteDiscountMinor = divRound(netBeforeQuote * quoteDiscount.percent.scaled, HUNDRED_PERCENT.scaled, QUOTE_DISCOUNT_ROUNDING);
        break;
      case 'amount':
        if (quoteDiscount.amountMinor > netBeforeQuote) {
          throw new DomainError('unprocessable', 'The quote discount exceeds the net of the chosen lines', 'selected_optional_line_keys');
        }
        quoteDiscountMinor = quoteDiscount.amountMinor;
        break;
      default:
        assertUnreachable(quoteDiscount);
    }
  }
  const shares = new Map<string, bigint>();
  if (quoteDiscountMinor > 0n) {
    const allocated = allocate(money(quoteDiscountMinor, currency), included.map((w) => w.netBeforeQuote));
    for (const [i, w] of included.entries()) shares.set(w.line.lineKey, allocated[i]?.minor ?? 0n);
  }

  const out: SelectedLine[] = work.map((w) => {
    const share = w.included ? (shares.get(w.line.lineKey) ?? 0n) : 0n;
    return Object.freeze({
      lineKey: w.line.lineKey,
      included: w.included,
      baseAmountMinor: w.line.baseAmountMinor,
      lineDiscountMinor: w.line.lineDiscountMinor,
      quoteDiscountMinor: share,
      discountAmountMinor: w.line.lineDiscountMinor + share,
      netAmountMinor: w.netBeforeQuote - share,
    });
  });
  const doc = documentTotals(
    currency,
    work.flatMap((w, i) =>
      w.included ? [{ net: money(out[i]?.netAmountMinor ?? 0n, currency), vatRate: w.line.vatRate, vatCategory: w.line.vatCategory }] : [],
    ),
  );
  return Object.freeze({
    lines: Object.freeze(out),
    totals: Object.freeze({
      quoteDiscountMinor,
      netMinor: doc.net.minor,
      vatMinor: doc.vat.minor,
      grossMinor: doc.gross.minor,
      breakdown: doc.breakdown,
    }),
  });
}
