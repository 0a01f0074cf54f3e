/**
 * Quantity tiers of a list price: "1–10 at 100.00, 11–50 at 90.00, 51+ at 80.00".
 *
 * Two ways to read the same table:
 * - graduated: each slice of the quantity is priced at its own tier (the first 10 at 100.00, the
 *   next 40 at 90.00, the rest at 80.00);
 * - volume: the tier the whole quantity reaches prices every unit (60 units all at 80.00).
 *
 * Tiers apply to the quantity of one line; two lines of the same product are not added together.
 *
 * Quantities are Decimal4 (ten-thousandths), so every slice is priced exactly in ten-thousandths of
 * a minor unit, the slices are summed exactly, and the sum is rounded once with LINE_ROUNDING.
 */
import { LINE_ROUNDING } from '../documents/lines.js';
import { MAX_MINOR, formatAmount, money } from '../money/money.js';
import type { Money } from '../money/money.js';
import { divRound } from '../money/rounding.js';
import { DECIMAL4_SCALE, MAX_QUANTITY, ZERO_D, formatDecimal4 } from '../money/quantity.js';
import type { Quantity } from '../money/quantity.js';
import { assertUnreachable, invalid } from '../shared/errors.js';

export interface PriceTier {
  /** Inclusive upper bound of the tier; null = no limit, allowed (and required) only on the last tier. */
  readonly upTo: Quantity | null;
  /** Price per unit in this tier, minor units of the price's currency, ≥ 0. */
  readonly unitPriceMinor: bigint;
}

export const TIER_MODES = ['graduated', 'volume'] as const;
export type TierMode = (typeof TIER_MODES)[number];

/** Most tiers one price may have: a bound on work and on the length of a trail. */
export const MAX_TIERS = 100;

/**
 * Checks a tier table: 1 to MAX_TIERS tiers, bounds > 0 and strictly ascending, only the last
 * unbounded (and the last must be), prices between 0 and MAX_MINOR. Throws validation_failed
 * naming the offending tier (`tiers.2.up_to`).
 */
export function validateTiers(tiers: readonly PriceTier[], param = 'tiers'): void {
  if (tiers.length === 0) throw invalid(param, 'must have at least one tier');
  if (tiers.length > MAX_TIERS) throw invalid(param, `must have at most ${MAX_TIERS} tiers, got ${tiers.length}`);
  let previous = 0n;
  for (const [i, tier] of tiers.entries()) {
    const last = i === tiers.length - 1;
    if (typeof tier.unitPriceMinor !== 'bigint') throw invalid(`${param}.${i}.unit_price_minor`, 'must be a bigint');
    if (tier.unitPriceMinor < 0n) throw invalid(`${param}.${i}.unit_price_minor`, 'must not be negative');
    if (tier.unitPriceMinor > MAX_MINOR) throw invalid(`${param}.${i}.unit_price_minor`, 'is too large');
    if (tier.upTo === null) {
      if (!last) throw invalid(`${param}.${i}.up_to`, 'only the last tier may be unbounded');
      continue;
    }
    if (last) throw invalid(`${param}.${i}.up_to`, 'the last tier must be unbounded (up_to null)');
    if (tier.upTo.scaled <= previous) {
      throw invalid(
        `${param}.${i}.up_to`,
        i === 0 ? 'must be greater than 0' : `must be greater than the previous tier's bound ${formatDecimal4({ scaled: previous })}`,
      );
    }
    if (tier.upTo.scaled > MAX_QUANTITY.scaled) throw invalid(`${param}.${i}.up_to`, 'is too large');
    previous = tier.upTo.scaled;
  }
}

export interface TierPart<C extends string = string> {
  /** Index of the tier in the table. */
  readonly tierIndex: number;
  /** Exclusive lower bound of the tier (0 for the first). */
  readonly from: Quantity;
  /** Inclusive upper bound of the tier; null = no limit. */
  readonly to: Quantity | null;
  /** Units priced at this tier's price: the slice (graduated) or the whole quantity (volume). */
  readonly quantity: Quantity;
  readonly unitPriceMinor: bigint;
  /**
   * This part's share of baseAmount. Graduated parts use running-total rounding: part i is
   * round(exact sum of parts 0..i) − round(exact sum of parts 0..i−1), so the parts add up to
   * baseAmount exactly and each is within one minor unit of its exact value.
   */
  readonly amount: Money<C>;
  /** "1–10", "11–50", "51+" */
  readonly label: string;
}

export interface TieredAmount<C extends string = string> {
  /** The whole quantity priced, rounded once with LINE_ROUNDING from the exact sum of the parts. */
  readonly baseAmount: Money<C>;
  /** The exact amount before rounding, in ten-thousandths of a minor unit (minor × 10^4). */
  readonly exactAmountScaled: bigint;
  /**
   * Price per unit a customer sees. Volume: the reached tier's price, exact. Graduated: the exact
   * amount ÷ quantity (the quantity-weighted average of the tier prices), rounded with LINE_ROUNDING;
   * it is informative only: the line amount is baseAmount, which need not equal this × quantity.
   */
  readonly effectiveUnitPriceMinor: bigint;
  readonly mode: TierMode;
  /** Graduated: one part per tier the quantity touches. Volume: one part, the tier reached. */
  readonly parts: readonly TierPart<C>[];
}

function isWhole(d: Quantity): boolean {
  return d.scaled % DECIMAL4_SCALE === 0n;
}

/**
 * How a tier reads to a person: "1–10", "11–50", "51+" for whole bounds; "above 2.5 up to 5",
 * "above 5", "up to 0.5" where a bound is fractional and "n+1" would mislead.
 */
export function tierLabel(from: Quantity, to: Quantity | null): string {
  if (isWhole(from)) {
    const lower = { scaled: from.scaled + DECIMAL4_SCALE };
    if (to === null) return `${formatDecimal4(lower)}+`;
    if (to.scaled === lower.scaled) return formatDecimal4(to);
    if (to.scaled > lower.scaled) return `${formatDecimal4(lower)}–${formatDecimal4(to)}`;
  }
  if (to === null) return `above ${formatDecimal4(from)}`;
  if (from.scaled === 0n) return `up to ${formatDecimal4(to)}`;
  return `above ${formatDecimal4(from)} up to ${formatDecimal4(to)}`;
}

/** "Tier 11–50 at 90.00 SEK (volume)" */
export function describeTierPart(part: TierPart, mode: TierMode): string {
  const price = formatAmount(money(part.unitPriceMinor, part.amount.currency));
  return `Tier ${part.label} at ${price} ${part.amount.currency} (${mode})`;
}

/**
 * Prices `quantity` (> 0) against a tier table. The table is validated first (validateTiers).
 * All arithmetic is exact; the one rounding is LINE_ROUNDING on the total.
 */
export function tieredAmount<C extends string>(
  quantity: Quantity,
  tiers: readonly PriceTier[],
  mode: TierMode,
  currency: C,
): TieredAmount<C> {
  validateTiers(tiers);
  if (quantity.scaled <= 0n) throw invalid('quantity', 'must be greater than 0');
  const q = quantity.scaled;
  const parts: TierPart<C>[] = [];
  let exact = 0n;

  switch (mode) {
    case 'graduated': {
      let previous = 0n;
      let roundedSoFar = 0n;
      for (const [i, tier] of tiers.entries()) {
        if (q <= previous) break;
        const upper = tier.upTo === null || tier.upTo.scaled > q ? q : tier.upTo.scaled;
        const slice = upper - previous;
        exact += slice * tier.unitPriceMinor;
        const rounded = divRound(exact, DECIMAL4_SCALE, LINE_ROUNDING);
        const from = Object.freeze({ scaled: previous });
        parts.push(
          Object.freeze({
            tierIndex: i,
            from,
            to: tier.upTo === null ? null : Object.freeze({ scaled: tier.upTo.scaled }),
            quantity: Object.freeze({ scaled: slice }),
            unitPriceMinor: tier.unitPriceMinor,
            amount: money(rounded - roundedSoFar, currency),
            label: tierLabel(from, tier.upTo),
          }),
        );
        roundedSoFar = rounded;
        if (tier.upTo === null) break;
        previous = tier.upTo.scaled;
      }
      break;
    }
    case 'volume': {
      let previous = 0n;
      for (const [i, tier] of tiers.entries()) {
        if (tier.upTo === null || q <= tier.upTo.scaled) {
          exact = q * tier.unitPriceMinor;
          const from = previous === 0n ? ZERO_D : Object.freeze({ scaled: previous });
          parts.push(
            Object.freeze({
              tierIndex: i,
              from,
              to: tier.upTo === null ? null : Object.freeze({ scaled: tier.upTo.scaled }),
              quantity: Object.freeze({ scaled: q }),
              unitPriceMinor: tier.unitPriceMinor,
              amount: money(divRound(exact, DECIMAL4_SCALE, LINE_ROUNDING), currency),
              label: tierLabel(from, tier.upTo),
            }),
          );
          break;
        }
        previous = tier.upTo.scaled;
      }
      break;
    }
    default:
      return assertUnreachable(mode);
  }

  const last = parts[parts.length - 1];
  // validateTiers guarantees an unbounded last tier, so some tier always takes the quantity.
  if (last === undefined) throw new Error('tieredAmount: no tier took the quantity');
  const effectiveUnitPriceMinor = mode === 'volume' ? last.unitPriceMinor : divRound(exact, q, LINE_ROUNDING);
  return Object.freeze({
    baseAmount: money(divRound(exact, DECIMAL4_SCALE, LINE_ROUNDING), currency),
    exactAmountScaled: exact,
    effectiveUnitPriceMinor,
    mode,
    parts: Object.freeze(parts),
  });
}
