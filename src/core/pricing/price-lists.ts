/**
 * Price sources as data: price list entries (flat or tiered, optionally for one customer group) and
 * customer-specific prices, each valid over a range of dates. The resolvers pick the one entry that
 * applies to a product, currency and date; they never invent a price (no entry → undefined).
 */
import { MAX_MINOR } from '../money/money.js';
import { DomainError, invalid } from '../shared/errors.js';
import { isLocalDate } from '../shared/dates.js';
import type { LocalDate } from '../shared/dates.js';
import { TIER_MODES, validateTiers } from './tiers.js';
import type { PriceTier, TierMode } from './tiers.js';

export interface TieredPrice {
  readonly mode: TierMode;
  readonly tiers: readonly PriceTier[];
}

/** Validity of a price: both bounds inclusive; null = open on that side. */
export interface Validity {
  readonly validFrom: LocalDate | null;
  readonly validTo: LocalDate | null;
}

/** One product's price on one price list. Exactly one of unitPriceMinor and tiers is set. */
export interface PriceListPrice extends Validity {
  readonly priceListId: string;
  readonly productId: string;
  readonly currency: string;
  /** The customer group the price is for; null = every customer (the general price list). */
  readonly customerGroup: string | null;
  /** Flat price per unit, minor units. */
  readonly unitPriceMinor?: bigint;
  readonly tiers?: TieredPrice;
}

/** A price agreed with one customer for one product (flat, per unit). */
export interface CustomerPrice extends Validity {
  /** Shown as the source in the trail when given. */
  readonly customerPriceId?: string;
  readonly customerId: string;
  readonly productId: string;
  readonly currency: string;
  readonly unitPriceMinor: bigint;
}

/** True when `date` lies within the validity (bounds inclusive, null = open). */
export function isValidOn(v: Validity, date: LocalDate): boolean {
  return (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || date <= v.validTo);
}

function validateValidity(v: Validity, param: string): void {
  if (v.validFrom !== null && !isLocalDate(v.validFrom)) throw invalid(`${param}.valid_from`, 'must be a date YYYY-MM-DD');
  if (v.validTo !== null && !isLocalDate(v.validTo)) throw invalid(`${param}.valid_to`, 'must be a date YYYY-MM-DD');
  if (v.validFrom !== null && v.validTo !== null && v.validTo < v.validFrom) {
    throw invalid(`${param}.valid_to`, `must not be before valid_from (${v.validFrom})`);
  }
}

function validatePrice(minor: bigint, param: string): void {
  if (typeof minor !== 'bigint') throw invalid(param, 'must be a bigint');
  if (minor < 0n) throw invalid(param, 'must not be negative');
  if (minor > MAX_MINOR) throw invalid(param, 'is too large');
}

/** Checks one price list entry: dates, exactly one of a flat price and tiers, the tier table. */
export function validatePriceListPrice(p: PriceListPrice, param = 'price'): void {
  validateValidity(p, param);
  const flat = p.unitPriceMinor !== undefined;
  const tiered = p.tiers !== undefined;
  if (flat === tiered) throw invalid(param, 'must have either unit_price_minor or tiers, not both and not neither');
  if (p.unitPriceMinor !== undefined) validatePrice(p.unitPriceMinor, `${param}.unit_price_minor`);
  if (p.tiers !== undefined) {
    if (!(TIER_MODES as readonly string[]).includes(p.tiers.mode)) {
      throw invalid(`${param}.tiers.mode`, `must be one of ${TIER_MODES.join(', ')}`);
    }
    validateTiers(p.tiers.tiers, `${param}.tiers.tiers`);
  }
}

export function validateCustomerPrice(p: CustomerPrice, param = 'price'): void {
  validateValidity(p, param);
  validatePrice(p.unitPriceMinor, `${param}.unit_price_minor`);
}

/** Picks the best of `candidates` by `rank` (higher wins); two equally good ones are an error. */
function best<T>(candidates: readonly T[], rank: (c: T) => string, ambiguous: (a: T, b: T) => DomainError): T | undefined {
  let winner: T | undefined;
  let winnerRank = '';
  let tied: T | undefined;
  for (const c of candidates) {
    const r = rank(c);
    if (winner === undefined || r > winnerRank) {
      winner = c;
      winnerRank = r;
      tied = undefined;
    } else if (r === winnerRank) {
      tied = c;
    }
  }
  if (winner !== undefined && tied !== undefined) throw ambiguous(winner, tied);
  return winner;
}

/** Sort key for "starts most recently": an open start sorts before every date. */
const startKey = (v: Validity): string => v.validFrom ?? '';

export interface ListPriceQuery {
  readonly productId: string;
  readonly currency: string;
  readonly date: LocalDate;
  /** The customer's group, or null when the customer has none. */
  readonly customerGroup: string | null;
  readonly prices: readonly PriceListPrice[];
  /** Names the field in errors (e.g. `lines.3.unit_price`). */
  readonly param?: string;
}

/**
 * The list price for (product, currency, date): among the entries valid on the date, one for the
 * customer's group beats a general one (customerGroup null); among equals, the one whose validity
 * starts most recently wins. Undefined when no entry applies. Two entries that tie on both counts
 * are a data conflict: DomainError('unprocessable') rather than an arbitrary pick.
 * The winning entry is validated (validatePriceListPrice).
 */
export function resolveListPrice(query: ListPriceQuery): PriceListPrice | undefined {
  const { productId, currency, date, customerGroup } = query;
  const param = query.param ?? 'unit_price';
  if (!isLocalDate(date)) throw new Error(`resolveListPrice: not a date '${String(date)}'`);
  const candidates = query.prices.filter(
    (p) =>
      p.productId === productId &&
      p.currency === currency &&
      (p.customerGroup === null || (customerGroup !== null && p.customerGroup === customerGroup)) &&
      isValidOn(p, date),
  );
  const winner = best(
    candidates,
    (p) => `${p.customerGroup === null ? '0' : '1'}|${startKey(p)}`,
    (a, b) =>
      new DomainError(
        'unprocessable',
        `Ambiguous list price for product ${productId} in ${currency} on ${date}: price lists ${a.priceListId} and ${b.priceListId} both apply with equal priority`,
        param,
      ),
  );
  if (winner !== undefined) validatePriceListPrice(winner, `price_lists.${winner.priceListId}`);
  return winner;
}

export interface CustomerPriceQuery {
  readonly customerId: string;
  readonly productId: string;
  readonly currency: string;
  readonly date: LocalDate;
  readonly prices: readonly CustomerPrice[];
  readonly param?: string;
}

/**
 * The customer's own price for (product, currency, date): the valid entry whose validity starts most
 * recently. Undefined when none applies; a tie is DomainError('unprocessable').
 */
export function resolveCustomerPrice(query: CustomerPriceQuery): CustomerPrice | undefined {
  const { customerId, productId, currency, date } = query;
  const param = query.param ?? 'unit_price';
  if (!isLocalDate(date)) throw new Error(`resolveCustomerPrice: not a date '${String(date)}'`);
  const candidates = query.prices.filter(
    (p) => p.customerId === customerId && p.productId === productId && p.currency === currency && isValidOn(p, date),
  );
  const winner = best(candidates, startKey, (a, b) => {
    const ids = a.customerPriceId !== undefined && b.customerPriceId !== undefined ? ` (${a.customerPriceId}, ${b.customerPriceId})` : '';
    return new DomainError(
      'unprocessable',
      `Ambiguous customer price for customer ${customerId}, product ${productId} in ${currency} on ${date}: two prices${ids} start on the same day`,
      param,
    );
  });
  if (winner !== undefined) validateCustomerPrice(winner, `customer_prices.${winner.customerPriceId ?? productId}`);
  return winner;
}
