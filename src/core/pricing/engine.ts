/**
 * The pricing engine: prices the lines of a quote and explains every figure.
 *
 * Per line, in order:
 *   1. base price: an explicit unit price on the line ('manual_price'), otherwise the list price for
 *      the product on the quote date ('list_price', flat or tiered with one 'tier' step per tier
 *      part), then the customer's own price ('customer_price'), which replaces the list price when
 *      it makes the line cheaper and is otherwise ignored (the trail says which). A bundle priced as
 *      the sum of its components ('bundle_component' steps) takes, for each component, its own list
 *      and customer price at the line quantity × the component's quantity per bundle, and costs the
 *      sum of those amounts, rounded once; a fixed-price bundle is priced like any product;
 *   2. line discount, a percentage or an amount ('line_discount');
 *   3. a share of the quote-level discount ('quote_discount'), allocated over the included lines in
 *      proportion to their net after line discount, without losing or inventing a minor unit;
 *   4. VAT ('vat'), by documentTotals over the included lines (rounded per rate group, not per line).
 * Then cost and margin where the caller knows the product's cost.
 *
 * Optional lines the customer has not selected are priced in full (so the quote can show them) but
 * are left out of the totals, the VAT and the quote discount allocation.
 *
 * Pure: the input is never modified; every object returned is frozen.
 */
import { LINE_ROUNDING, documentTotals } from '../documents/lines.js';
import type { VatBreakdownRow } from '../documents/lines.js';
import { MAX_MINOR, allocate, formatAmount, money } from '../money/money.js';
import type { Money } from '../money/money.js';
import { DECIMAL4_SCALE, HUNDRED_PERCENT, MAX_QUANTITY, formatDecimal4 } from '../money/quantity.js';
import type { Percent, Quantity } from '../money/quantity.js';
import { divRound } from '../money/rounding.js';
import type { RoundingMode } from '../money/rounding.js';
import { isKnownCurrency } from '../money/currency.js';
import { DomainError, assertUnreachable, invalid } from '../shared/errors.js';
import { isLocalDate } from '../shared/dates.js';
import type { LocalDate } from '../shared/dates.js';
import type { TaxClass, VatCategory } from '../tax/vat.js';
import { resolveCustomerPrice, resolveListPrice } from './price-lists.js';
import type { CustomerPrice, PriceListPrice } from './price-lists.js';
import { describeTierPart, tieredAmount } from './tiers.js';

/**
 * Quote discount rounding policy: a percentage quote discount is computed once on the sum of the
 * included lines' nets (after line discounts) and rounded half away from zero; that amount is then
 * allocated over the lines with `allocate` (largest remainder), which never loses a minor unit.
 */
export const QUOTE_DISCOUNT_ROUNDING: RoundingMode = 'half_up';

/** Cost rounding policy: a line's cost is round(quantity × unit cost), half away from zero, once. */
export const COST_ROUNDING: RoundingMode = 'half_up';

/** Margin percent rounding policy: margin ÷ net × 100 to four decimals (Decimal4), half away from zero. */
export const MARGIN_PERCENT_ROUNDING: RoundingMode = 'half_up';

/**
 * Bundle component allocation policy: the base amount of a bundle priced as the sum of its
 * components is rounded once (LINE_ROUNDING) from the exact sum; the printed component amounts are
 * that base allocated in proportion to the components' exact amounts (`allocate`, largest
 * remainder), so they always add up to the line.
 */
export const BUNDLE_COMPONENT_ALLOCATION = 'largest_remainder' as const;

/** Most components one bundle may have. */
export const MAX_BUNDLE_COMPONENTS = 100;

/** Most lines one quote may have: a bound on work per request. */
export const MAX_PRICED_LINES = 10_000;

const HUNDRED = HUNDRED_PERCENT.scaled;

export type Discount =
  | { readonly kind: 'percent'; readonly percent: Percent }
  | { readonly kind: 'amount'; readonly amountMinor: bigint };

export type QuoteDiscount = Discount | null;

/** How a bundle is priced: 'sum' of its components' prices, or a 'fixed' price of its own. */
export type BundlePricing = 'sum' | 'fixed';

export interface BundleComponentInput {
  readonly productId: string;
  readonly description: string;
  readonly unit: string;
  /** Quantity of the component in one unit of the bundle, > 0. */
  readonly quantityPerUnit: Quantity;
  /** The component's cost per unit; null or absent when unknown (used by `bundleUnitCost`). */
  readonly unitCostMinor?: bigint | null;
}

export interface BundleInput {
  readonly pricing: BundlePricing;
  /** At least one component; each product once. */
  readonly components: readonly BundleComponentInput[];
}

/**
 * One component of a priced bundle line. `amountMinor`: for a bundle priced as the sum of its
 * components (and not overridden by a manual price), the component's part of the line's base
 * amount (the parts add up to it exactly: BUNDLE_COMPONENT_ALLOCATION); otherwise null.
 */
export interface PricedComponent {
  readonly productId: string;
  readonly description: string;
  readonly unit: string;
  readonly quantityPerUnit: Quantity;
  /** line quantity × quantityPerUnit */
  readonly quantity: Quantity;
  readonly amountMinor: bigint | null;
}

export interface PricingLineInput {
  /** Stable key of the line within the quote (unique). */
  readonly lineKey: string;
  /** The product whose list and customer prices apply; null for a free-text line (needs unitPriceMinor). */
  readonly productId: string | null;
  readonly description: string;
  /** > 0 */
  readonly quantity: Quantity;
  readonly unit: string;
  readonly taxClass: TaxClass;
  /** The VAT rate and category the caller resolved for the tax class on the quote date. */
  readonly vatRate: Percent;
  readonly vatCategory: VatCategory;
  /** Explicit price per unit (minor units, ≥ 0): overrides list and customer prices. */
  readonly unitPriceMinor?: bigint;
  readonly discount?: Discount;
  /** An optional line is offered; the customer may select it. */
  readonly optional?: boolean;
  /** For optional lines: whether the customer selected it (default: not selected). */
  readonly selected?: boolean;
  /**
   * The product's cost per unit (minor units, ≥ 0); null or absent when unknown. For a bundle with
   * no cost of its own, `bundleUnitCost` of its components.
   */
  readonly unitCostMinor?: bigint | null;
  /** The line's product is a bundle of these components. */
  readonly bundle?: BundleInput;
}

export interface PricingContext {
  readonly currency: string;
  /** The date prices are looked up on (the quote date). */
  readonly date: LocalDate;
  readonly customerId: string;
  readonly customerGroup: string | null;
  readonly listPrices: readonly PriceListPrice[];
  readonly customerPrices: readonly CustomerPrice[];
}

export type TrailStepKind =
  | 'manual_price'
  | 'bundle_component'
  | 'list_price'
  | 'tier'
  | 'customer_price'
  | 'line_discount'
  | 'quote_discount'
  | 'vat';

/**
 * One step of a line's explanation. `amountMinor`: for price steps the amount the step arrives at
 * (list price × quantity, a tier part); for discount steps the discount, as a positive amount that
 * is subtracted.
 */
export interface TrailStep {
  readonly step: TrailStepKind;
  /** English, for people: "Tier 11–50 at 90.00 SEK (volume): 40 × 90.00 = 3600.00 SEK" */
  readonly message: string;
  readonly amountMinor?: bigint;
  readonly unitPriceMinor?: bigint;
  readonly quantity?: Quantity;
  /** Where the figure comes from: a price list id, a customer price id. */
  readonly source?: string;
  /** For the steps that price a component of a bundle: the component's product. */
  readonly componentProductId?: string;
}

/** 'components': a bundle priced as the sum of its components' prices. */
export type PriceSource = 'manual' | 'list' | 'customer' | 'components';

export interface PricedLine {
  readonly lineKey: string;
  readonly priceSource: PriceSource;
  /**
   * The price per unit the customer sees. Flat prices (manual, list, customer, volume tier): that
   * price, exact. Graduated tiers: the exact tiered amount ÷ quantity rounded with LINE_ROUNDING,
   * for display only: baseAmountMinor, not this × quantity, is what the line costs.
   */
  readonly unitPriceMinor: bigint;
  readonly quantity: Quantity;
  /** Quantity × price (or the tiered amount), rounded once with LINE_ROUNDING. */
  readonly baseAmountMinor: bigint;
  readonly lineDiscountMinor: bigint;
  /** This line's share of the quote discount; 0 for lines not included. */
  readonly quoteDiscountMinor: bigint;
  /** baseAmountMinor − lineDiscountMinor − quoteDiscountMinor, ≥ 0 */
  readonly netAmountMinor: bigint;
  readonly vatRate: Percent;
  readonly vatCategory: VatCategory;
  readonly optional: boolean;
  /** In the totals: every non-optional line, and optional lines the customer selected. */
  readonly included: boolean;
  /** round(quantity × unit cost) with COST_ROUNDING; null when the cost is unknown. */
  readonly costMinor: bigint | null;
  /** net − cost; null when the cost is unknown. */
  readonly marginMinor: bigint | null;
  /** margin ÷ net × 100, MARGIN_PERCENT_ROUNDING; null when the cost is unknown or the net is 0. */
  readonly marginPercent: Percent | null;
  readonly trail: readonly TrailStep[];
  /** The bundle's components, for documents and fulfilment; null for a line that is not a bundle. */
  readonly components: readonly PricedComponent[] | null;
}

export interface PricedQuoteTotals {
  /** Σ base amounts of the included lines. */
  readonly base: Money;
  readonly lineDiscountTotal: Money;
  /** Exactly the quote discount: the allocated shares add up to it. */
  readonly quoteDiscountTotal: Money;
  /** base − lineDiscountTotal − quoteDiscountTotal */
  readonly net: Money;
  readonly vat: Money;
  readonly gross: Money;
  readonly breakdown: readonly VatBreakdownRow[];
  /** Σ cost of the included lines that have a cost; null when none has. */
  readonly cost: Money | null;
  /** Σ (net − cost) over the included lines that have a cost; null when none has. */
  readonly margin: Money | null;
  /** margin ÷ (Σ net of those lines) × 100; null when none has a cost or their net is 0. */
  readonly marginPercent: Percent | null;
}

export interface PricedQuote {
  readonly currency: string;
  readonly lines: readonly PricedLine[];
  readonly totals: PricedQuoteTotals;
}

/** A line while it is being priced. */
interface Work {
  readonly index: number;
  readonly input: PricingLineInput;
  readonly included: boolean;
  readonly priceSource: PriceSource;
  readonly unitPriceMinor: bigint;
  readonly baseMinor: bigint;
  readonly lineDiscountMinor: bigint;
  /** after the line discount */
  readonly netBeforeQuoteMinor: bigint;
  readonly trail: TrailStep[];
  /** Per component: the exact amount (minor × 10^4) of a sum-priced bundle, else null. */
  readonly componentExact: readonly bigint[] | null;
}

/** A frozen copy, so nothing returned shares an object with the input. */
function frozenD(d: Quantity): Quantity {
  return Object.freeze({ scaled: d.scaled });
}

function step(s: TrailStep): TrailStep {
  return Object.freeze(s);
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = m.get(k);
    if (list === undefined) m.set(k, [item]);
    else list.push(item);
  }
  return m;
}

function validateContext(ctx: PricingContext): void {
  if (!isKnownCurrency(ctx.currency)) throw invalid('currency', `unsupported currency "${ctx.currency}"`);
  if (!isLocalDate(ctx.date)) throw invalid('date', 'must be a calendar date formatted YYYY-MM-DD');
}

function validatePercent(p: Percent, param: string): void {
  if (p.scaled < 0n || p.scaled > HUNDRED) throw invalid(param, 'must be between 0 and 100');
}

function validateMinor(value: bigint, param: string): void {
  if (typeof value !== 'bigint') throw invalid(param, 'must be a bigint amount in minor units');
  if (value < 0n) throw invalid(param, 'must not be negative');
  if (value > MAX_MINOR) throw invalid(param, 'is too large');
}

function validateLine(line: PricingLineInput, param: string): void {
  if (line.lineKey.length === 0) throw invalid(`${param}.line_key`, 'must not be empty');
  if (line.quantity.scaled <= 0n) throw invalid(`${param}.quantity`, 'must be greater than 0');
  if (line.quantity.scaled > MAX_QUANTITY.scaled) throw invalid(`${param}.quantity`, `must be at most ${formatDecimal4(MAX_QUANTITY)}`);
  if (line.unitPriceMinor !== undefined) validateMinor(line.unitPriceMinor, `${param}.unit_price`);
  if (line.unitCostMinor !== undefined && line.unitCostMinor !== null) validateMinor(line.unitCostMinor, `${param}.unit_cost`);
  validatePercent(line.vatRate, `${param}.vat_rate`);
  if (line.vatCategory === 'S' ? line.vatRate.scaled === 0n : line.vatRate.scaled !== 0n) {
    throw invalid(`${param}.vat_rate`, `VAT category ${line.vatCategory} does not allow a rate of ${formatDecimal4(line.vatRate)} %`);
  }
  if (line.optional !== true && line.selected === false) {
    throw invalid(`${param}.selected`, 'only an optional line can be left unselected');
  }
  if (line.bundle !== undefined) validateBundle(line, param);
  const d = line.discount;
  if (d !== undefined) {
    switch (d.kind) {
      case 'percent':
        validatePercent(d.percent, `${param}.discount.percent`);
        break;
      case 'amount':
        validateMinor(d.amountMinor, `${param}.discount.amount`);
        break;
      default:
        assertUnreachable(d);
    }
  }
}

function validateBundle(line: PricingLineInput, param: string): void {
  const b = line.bundle;
  if (b === undefined) return;
  if (line.productId === null) throw invalid(`${param}.product_id`, 'a bundle line needs its bundle product');
  if (b.pricing !== 'sum' && b.pricing !== 'fixed') throw invalid(`${param}.bundle.pricing`, "must be 'sum' or 'fixed'");
  if (b.components.length === 0) throw invalid(`${param}.bundle.components`, 'a bundle needs at least one component');
  if (b.components.length > MAX_BUNDLE_COMPONENTS) {
    throw invalid(`${param}.bundle.components`, `a bundle has at most ${MAX_BUNDLE_COMPONENTS} components`);
  }
  const seen = new Set<string>();
  for (const [k, c] of b.components.entries()) {
    const cp = `${param}.bundle.components.${k}`;
    if (c.productId === line.productId) throw invalid(`${cp}.product_id`, 'a bundle cannot contain itself');
    if (seen.has(c.productId)) throw invalid(`${cp}.product_id`, `product ${c.productId} appears twice in the bundle`);
    seen.add(c.productId);
    if (c.quantityPerUnit.scaled <= 0n) throw invalid(`${cp}.quantity`, 'must be greater than 0');
    if (c.unitCostMinor !== undefined && c.unitCostMinor !== null) validateMinor(c.unitCostMinor, `${cp}.unit_cost`);
  }
}

interface Formatter {
  amount(minor: bigint): string;
  price(minor: bigint): string;
}

function formatterFor(currency: string): Formatter {
  // formatAmount only reads the two fields; the currency was checked once in validateContext.
  return {
    amount: (minor) => `${formatAmount({ minor, currency })} ${currency}`,
    price: (minor) => formatAmount({ minor, currency }),
  };
}

/** A line amount from its exact value (minor × 10^4): LINE_ROUNDING, once. */
function roundAmount(exactScaled: bigint): bigint {
  return divRound(exactScaled, DECIMAL4_SCALE, LINE_ROUNDING);
}

/** Step 1: the base price of one line, with its trail. */
function basePrice(
  line: PricingLineInput,
  index: number,
  ctx: PricingContext,
  listByProduct: Map<string, PriceListPrice[]>,
  customerByProduct: Map<string, CustomerPrice[]>,
  fmt: Formatter,
): BasePrice {
  const q = frozenD(line.quantity);
  const qText = `${formatDecimal4(q)} ${line.unit}`.trimEnd();
  const param = `lines.${index}.unit_price`;

  if (line.unitPriceMinor !== undefined) {
    const exact = line.unitPriceMinor * q.scaled;
    return {
      priceSource: 'manual',
      unitPriceMinor: line.unitPriceMinor,
      exactScaled: exact,
      trail: [
        step({
          step: 'manual_price',
          message: `Manual price ${fmt.amount(line.unitPriceMinor)} per unit: ${qText} × ${fmt.price(line.unitPriceMinor)} = ${fmt.amount(roundAmount(exact))}`,
          unitPriceMinor: line.unitPriceMinor,
          quantity: q,
          amountMinor: roundAmount(exact),
        }),
      ],
      componentExact: null,
    };
  }
  if (line.productId === null) {
    throw new DomainError('unprocessable', `Line ${line.lineKey} has no product and no unit price`, param);
  }
  if (line.bundle?.pricing === 'sum') {
    return bundleSumPrice(line, line.bundle, index, ctx, listByProduct, customerByProduct, fmt);
  }
  const priced = productPrice(line.productId, q, qText, `line ${line.lineKey}`, param, ctx, listByProduct, customerByProduct, fmt);
  return { ...priced, componentExact: null };
}

/**
 * A bundle priced as the sum of its components: each component at the line quantity × its quantity
 * per bundle, through its own list, tier and customer prices; the exact amounts are added and the
 * line's base is rounded once from the sum. The displayed unit price is that sum ÷ the quantity,
 * rounded with LINE_ROUNDING (for display, like a graduated tier).
 */
function bundleSumPrice(
  line: PricingLineInput,
  bundle: BundleInput,
  index: number,
  ctx: PricingContext,
  listByProduct: Map<string, PriceListPrice[]>,
  customerByProduct: Map<string, CustomerPrice[]>,
  fmt: Formatter,
): BasePrice {
  const q = line.quantity;
  const trail: TrailStep[] = [];
  const componentExact: bigint[] = [];
  let exact = 0n;
  for (const [k, c] of bundle.components.entries()) {
    const cq = componentQuantity(q, c.quantityPerUnit, `lines.${index}.quantity`);
    const cqText = `${formatDecimal4(cq)} ${c.unit}`.trimEnd();
    const priced = productPrice(
      c.productId,
      cq,
      cqText,
      `component ${c.description} of line ${line.lineKey}`,
      `lines.${index}.unit_price`,
      ctx,
      listByProduct,
      customerByProduct,
      fmt,
    );
    trail.push(
      step({
        step: 'bundle_component',
        message: `Component ${k + 1}, ${c.description}: ${formatDecimal4(q)} × ${formatDecimal4(c.quantityPerUnit)} = ${cqText} at ${fmt.amount(roundAmount(priced.exactScaled))}`,
        amountMinor: roundAmount(priced.exactScaled),
        quantity: cq,
        componentProductId: c.productId,
      }),
    );
    for (const t of priced.trail) trail.push(step({ ...t, message: `${c.description}: ${t.message}`, componentProductId: c.productId }));
    componentExact.push(priced.exactScaled);
    exact += priced.exactScaled;
  }
  const unitPriceMinor = divRound(exact, q.scaled, LINE_ROUNDING);
  return { priceSource: 'components', unitPriceMinor, exactScaled: exact, trail, componentExact };
}

/** line quantity × quantity per bundle; refused when that needs more than four decimals. */
function componentQuantity(q: Quantity, perUnit: Quantity, param: string): Quantity {
  const product = q.scaled * perUnit.scaled;
  if (product % DECIMAL4_SCALE !== 0n) {
    throw invalid(param, `${formatDecimal4(q)} × ${formatDecimal4(perUnit)} per bundle needs more than four decimals`);
  }
  const scaled = product / DECIMAL4_SCALE;
  if (scaled > MAX_QUANTITY.scaled) throw invalid(param, `${formatDecimal4(q)} × ${formatDecimal4(perUnit)} per bundle is too large`);
  return Object.freeze({ scaled });
}

interface ProductPrice {
  priceSource: PriceSource;
  unitPriceMinor: bigint;
  exactScaled: bigint;
  trail: TrailStep[];
}

interface BasePrice extends ProductPrice {
  componentExact: bigint[] | null;
}

/** The list price (flat or tiered), then the customer price when it is lower, of `productId` for quantity `q`. */
function productPrice(
  productId: string,
  q: Quantity,
  qText: string,
  what: string,
  param: string,
  ctx: PricingContext,
  listByProduct: Map<string, PriceListPrice[]>,
  customerByProduct: Map<string, CustomerPrice[]>,
  fmt: Formatter,
): ProductPrice {
  const trail: TrailStep[] = [];
  let chosen: { priceSource: PriceSource; unitPriceMinor: bigint; exactScaled: bigint } | undefined;

  const list = resolveListPrice({
    productId,
    currency: ctx.currency,
    date: ctx.date,
    customerGroup: ctx.customerGroup,
    prices: listByProduct.get(productId) ?? [],
    param,
  });
  if (list !== undefined) {
    const group = list.customerGroup === null ? '' : `, customer group ${list.customerGroup}`;
    if (list.tiers !== undefined) {
      const t = tieredAmount(q, list.tiers.tiers, list.tiers.mode, ctx.currency);
      chosen = { priceSource: 'list', unitPriceMinor: t.effectiveUnitPriceMinor, exactScaled: t.exactAmountScaled };
      trail.push(
        step({
          step: 'list_price',
          message: `Tiered list price (${t.mode}) from price list ${list.priceListId}${group}: ${qText} = ${fmt.amount(t.baseAmount.minor)}`,
          amountMinor: t.baseAmount.minor,
          unitPriceMinor: t.effectiveUnitPriceMinor,
          quantity: q,
          source: list.priceListId,
        }),
      );
      for (const part of t.parts) {
        trail.push(
          step({
            step: 'tier',
            message: `${describeTierPart(part, t.mode)}: ${formatDecimal4(part.quantity)} × ${fmt.price(part.unitPriceMinor)} = ${fmt.amount(part.amount.minor)}`,
            amountMinor: part.amount.minor,
            unitPriceMinor: part.unitPriceMinor,
            quantity: part.quantity,
            source: list.priceListId,
          }),
        );
      }
    } else if (list.unitPriceMinor !== undefined) {
      const exact = list.unitPriceMinor * q.scaled;
      chosen = { priceSource: 'list', unitPriceMinor: list.unitPriceMinor, exactScaled: exact };
      trail.push(
        step({
          step: 'list_price',
          message: `List price ${fmt.amount(list.unitPriceMinor)} per unit from price list ${list.priceListId}${group}: ${qText} × ${fmt.price(list.unitPriceMinor)} = ${fmt.amount(roundAmount(exact))}`,
          amountMinor: roundAmount(exact),
          unitPriceMinor: list.unitPriceMinor,
          quantity: q,
          source: list.priceListId,
        }),
      );
    } else {
      // validatePriceListPrice (inside resolveListPrice) rules this out.
      throw new Error(`price list entry ${list.priceListId} has neither a price nor tiers`);
    }
  }

  const cust = resolveCustomerPrice({
    customerId: ctx.customerId,
    productId,
    currency: ctx.currency,
    date: ctx.date,
    prices: customerByProduct.get(productId) ?? [],
    param,
  });
  if (cust !== undefined) {
    const exact = cust.unitPriceMinor * q.scaled;
    const source = cust.customerPriceId ?? `customer ${ctx.customerId}`;
    const base = {
      step: 'customer_price' as const,
      unitPriceMinor: cust.unitPriceMinor,
      quantity: q,
      source,
    };
    if (chosen === undefined) {
      chosen = { priceSource: 'customer', unitPriceMinor: cust.unitPriceMinor, exactScaled: exact };
      trail.push(
        step({
          ...base,
          message: `Customer price ${fmt.amount(cust.unitPriceMinor)} per unit (no list price): ${qText} × ${fmt.price(cust.unitPriceMinor)} = ${fmt.amount(roundAmount(exact))}`,
          amountMinor: roundAmount(exact),
        }),
      );
    } else if (exact < chosen.exactScaled) {
      const listAmount = roundAmount(chosen.exactScaled);
      chosen = { priceSource: 'customer', unitPriceMinor: cust.unitPriceMinor, exactScaled: exact };
      trail.push(
        step({
          ...base,
          message: `Customer price ${fmt.amount(cust.unitPriceMinor)} per unit is lower than the list price and replaces it: ${qText} × ${fmt.price(cust.unitPriceMinor)} = ${fmt.amount(roundAmount(exact))} instead of ${fmt.amount(listAmount)}`,
          amountMinor: roundAmount(exact),
        }),
      );
    } else {
      trail.push(
        step({
          ...base,
          message: `Customer price ${fmt.amount(cust.unitPriceMinor)} per unit (${fmt.amount(roundAmount(exact))}) is not lower than the list price (${fmt.amount(roundAmount(chosen.exactScaled))}); ignored, the list price stands`,
        }),
      );
    }
  }

  if (chosen === undefined) {
    throw new DomainError(
      'unprocessable',
      `No price for ${what}: product ${productId} has no list price or customer price in ${ctx.currency} on ${ctx.date}; give a unit price on the line`,
      param,
    );
  }
  return { ...chosen, trail };
}

/** Step 2: the line discount. Percent: net rounded once from the exact amount; amount: at most the base. */
function applyLineDiscount(
  line: PricingLineInput,
  index: number,
  exactScaled: bigint,
  baseMinor: bigint,
  fmt: Formatter,
): { lineDiscountMinor: bigint; step: TrailStep | undefined } {
  const d = line.discount;
  if (d === undefined) return { lineDiscountMinor: 0n, step: undefined };
  switch (d.kind) {
    case 'percent': {
      // exact net = exact × (100 − p) / 100, rounded once: the same figure lineAmounts gives.
      const net = divRound(exactScaled * (HUNDRED - d.percent.scaled), DECIMAL4_SCALE * HUNDRED, LINE_ROUNDING);
      const discount = baseMinor - net;
      return {
        lineDiscountMinor: discount,
        step: step({
          step: 'line_discount',
          message: `Line discount ${formatDecimal4(d.percent)} %: −${fmt.amount(discount)}, net ${fmt.amount(net)}`,
          amountMinor: discount,
        }),
      };
    }
    case 'amount': {
      if (d.amountMinor > baseMinor) {
        throw new DomainError(
          'unprocessable',
          `The discount of ${fmt.amount(d.amountMinor)} on line ${line.lineKey} exceeds the line amount ${fmt.amount(baseMinor)}`,
          `lines.${index}.discount.amount`,
        );
      }
      return {
        lineDiscountMinor: d.amountMinor,
        step: step({
          step: 'line_discount',
          message: `Line discount of ${fmt.amount(d.amountMinor)}: net ${fmt.amount(baseMinor - d.amountMinor)}`,
          amountMinor: d.amountMinor,
        }),
      };
    }
    default:
      return assertUnreachable(d);
  }
}

function validateQuoteDiscount(d: QuoteDiscount): void {
  if (d === null) return;
  switch (d.kind) {
    case 'percent':
      validatePercent(d.percent, 'discount.percent');
      return;
    case 'amount':
      validateMinor(d.amountMinor, 'discount.amount');
      return;
    default:
      assertUnreachable(d);
  }
}

/** A line's cost: round(quantity × unit cost) with COST_ROUNDING, once; null when the cost is unknown. */
function lineCost(line: PricingLineInput): bigint | null {
  if (line.unitCostMinor === undefined || line.unitCostMinor === null) return null;
  return divRound(line.unitCostMinor * line.quantity.scaled, DECIMAL4_SCALE, COST_ROUNDING);
}

/**
 * The cost of one unit of a bundle from its components: Σ quantity per bundle × component cost,
 * rounded once with COST_ROUNDING; null when any component's cost is unknown. For a bundle product
 * that has no cost of its own.
 */
export function bundleUnitCost(components: readonly Pick<BundleComponentInput, 'quantityPerUnit' | 'unitCostMinor'>[]): bigint | null {
  if (components.length === 0) return null;
  let exact = 0n;
  for (const c of components) {
    if (c.unitCostMinor === undefined || c.unitCostMinor === null) return null;
    exact += c.unitCostMinor * c.quantityPerUnit.scaled;
  }
  return divRound(exact, DECIMAL4_SCALE, COST_ROUNDING);
}

/** The components of a bundle line with their quantities and, for a sum-priced bundle, their part of the base. */
function pricedComponents(line: PricingLineInput, w: Work, currency: string): readonly PricedComponent[] | null {
  const b = line.bundle;
  if (b === undefined) return null;
  let amounts: (bigint | null)[] = b.components.map(() => null);
  if (w.componentExact !== null) {
    const weights = w.componentExact;
    amounts = weights.some((x) => x > 0n) ? allocate(money(w.baseMinor, currency), [...weights]).map((m) => m.minor) : weights.map(() => 0n);
  }
  return Object.freeze(
    b.components.map((c, k) =>
      Object.freeze({
        productId: c.productId,
        description: c.description,
        unit: c.unit,
        quantityPerUnit: frozenD(c.quantityPerUnit),
        quantity: componentQuantity(line.quantity, c.quantityPerUnit, `lines.${w.index}.quantity`),
        amountMinor: amounts[k] ?? null,
      }),
    ),
  );
}

/** margin ÷ net × 100 as a Decimal4; null when net is 0. */
function marginPercentOf(marginMinor: bigint, netMinor: bigint): Percent | null {
  if (netMinor === 0n) return null;
  return Object.freeze({ scaled: divRound(marginMinor * HUNDRED, netMinor, MARGIN_PERCENT_ROUNDING) });
}

/**
 * Prices a quote. Throws DomainError: validation_failed for malformed input (param names the field,
 * `lines.3.quantity`), unprocessable for a line without any price (`lines.3.unit_price`), an amount
 * discount larger than its line (`lines.3.discount.amount`) or than the quote (`discount.amount`),
 * and for ambiguous price data.
 */
export function priceQuote(ctx: PricingContext, lines: readonly PricingLineInput[], quoteDiscount: QuoteDiscount = null): PricedQuote {
  validateContext(ctx);
  validateQuoteDiscount(quoteDiscount);
  if (lines.length > MAX_PRICED_LINES) throw invalid('lines', `must have at most ${MAX_PRICED_LINES} lines, got ${lines.length}`);
  const seen = new Set<string>();
  for (const [i, line] of lines.entries()) {
    validateLine(line, `lines.${i}`);
    if (seen.has(line.lineKey)) throw invalid(`lines.${i}.line_key`, `duplicate line key '${line.lineKey}'`);
    seen.add(line.lineKey);
  }

  const currency = ctx.currency;
  const fmt = formatterFor(currency);
  const listByProduct = groupBy(ctx.listPrices, (p) => p.productId);
  const customerByProduct = groupBy(
    ctx.customerPrices.filter((p) => p.customerId === ctx.customerId),
    (p) => p.productId,
  );

  // Steps 1 and 2.
  const work: Work[] = lines.map((line, index) => {
    const b = basePrice(line, index, ctx, listByProduct, customerByProduct, fmt);
    const baseMinor = roundAmount(b.exactScaled);
    if (baseMinor > MAX_MINOR) {
      throw new DomainError('unprocessable', `Line ${line.lineKey} comes to more than the largest amount q2c stores`, `lines.${index}.quantity`);
    }
    const ld = applyLineDiscount(line, index, b.exactScaled, baseMinor, fmt);
    const trail = b.trail;
    if (ld.step !== undefined) trail.push(ld.step);
    return {
      index,
      input: line,
      included: line.optional !== true || line.selected === true,
      priceSource: b.priceSource,
      unitPriceMinor: b.unitPriceMinor,
      baseMinor,
      lineDiscountMinor: ld.lineDiscountMinor,
      netBeforeQuoteMinor: baseMinor - ld.lineDiscountMinor,
      trail,
      componentExact: b.componentExact,
    };
  });

  // Step 3: the quote discount over the included lines.
  const included = work.filter((w) => w.included);
  const netBeforeQuote = included.reduce((acc, w) => acc + w.netBeforeQuoteMinor, 0n);
  let quoteDiscountMinor = 0n;
  let quoteDiscountText = '';
  if (quoteDiscount !== null) {
    switch (quoteDiscount.kind) {
      case 'percent':
        quoteDiscountMinor = divRound(netBeforeQuote * quoteDiscount.percent.scaled, HUNDRED, QUOTE_DISCOUNT_ROUNDING);
        quoteDiscountText = `${formatDecimal4(quoteDiscount.percent)} % of ${fmt.amount(netBeforeQuote)}, ${fmt.amount(quoteDiscountMinor)}`;
        break;
      case 'amount':
        if (quoteDiscount.amountMinor > netBeforeQuote) {
          throw new DomainError(
            'unprocessable',
            `The quote discount of ${fmt.amount(quoteDiscount.amountMinor)} exceeds the quote's net ${fmt.amount(netBeforeQuote)} after line discounts`,
            'discount.amount',
          );
        }
        quoteDiscountMinor = quoteDiscount.amountMinor;
        quoteDiscountText = fmt.amount(quoteDiscountMinor);
        break;
      default:
        assertUnreachable(quoteDiscount);
    }
  }
  const shares = new Map<number, bigint>();
  if (quoteDiscountMinor > 0n) {
    // quoteDiscountMinor > 0 implies netBeforeQuote > 0, so some weight is positive.
    const allocated = allocate(
      money(quoteDiscountMinor, currency),
      included.map((w) => w.netBeforeQuoteMinor),
    );
    for (const [k, w] of included.entries()) shares.set(w.index, allocated[k]?.minor ?? 0n);
  }

  // Step 4 and margins: assemble the lines.
  const priced: PricedLine[] = work.map((w) => {
    const line = w.input;
    const share = shares.get(w.index) ?? 0n;
    const trail = w.trail;
    if (quoteDiscount !== null && w.included) {
      trail.push(
        step({
          step: 'quote_discount',
          message: `Share of the quote discount (${quoteDiscountText}) in proportion to the line's net ${fmt.amount(w.netBeforeQuoteMinor)}: −${fmt.amount(share)}`,
          amountMinor: share,
        }),
      );
    }
    trail.push(
      step({
        step: 'vat',
        message: w.included
          ? `VAT ${formatDecimal4(line.vatRate)} % (category ${line.vatCategory}); VAT is calculated on the quote's total per rate, not per line`
          : `Optional line not selected: priced, but left out of the totals and VAT (VAT ${formatDecimal4(line.vatRate)} %, category ${line.vatCategory}, if selected)`,
      }),
    );
    const net = w.netBeforeQuoteMinor - share;
    const costMinor = lineCost(line);
    const marginMinor = costMinor === null ? null : net - costMinor;
    return Object.freeze({
      lineKey: line.lineKey,
      priceSource: w.priceSource,
      unitPriceMinor: w.unitPriceMinor,
      quantity: frozenD(line.quantity),
      baseAmountMinor: w.baseMinor,
      lineDiscountMinor: w.lineDiscountMinor,
      quoteDiscountMinor: share,
      netAmountMinor: net,
      vatRate: frozenD(line.vatRate),
      vatCategory: line.vatCategory,
      optional: line.optional === true,
      included: w.included,
      costMinor,
      marginMinor,
      marginPercent: marginMinor === null ? null : marginPercentOf(marginMinor, net),
      trail: Object.freeze(trail),
      components: pricedComponents(line, w, currency),
    });
  });

  // Totals over the included lines.
  const inTotals = priced.filter((l) => l.included);
  const doc = documentTotals(
    currency,
    inTotals.map((l) => ({ net: money(l.netAmountMinor, currency), vatRate: l.vatRate, vatCategory: l.vatCategory })),
  );
  if (doc.gross.minor > MAX_MINOR) throw new DomainError('unprocessable', 'The quote comes to more than the largest amount q2c stores', 'lines');
  let base = 0n;
  let lineDiscountTotal = 0n;
  let quoteDiscountTotal = 0n;
  let cost = 0n;
  let costedNet = 0n;
  let costed = 0;
  for (const l of inTotals) {
    base += l.baseAmountMinor;
    lineDiscountTotal += l.lineDiscountMinor;
    quoteDiscountTotal += l.quoteDiscountMinor;
    if (l.costMinor !== null) {
      cost += l.costMinor;
      costedNet += l.netAmountMinor;
      costed += 1;
    }
  }
  const margin = costedNet - cost;
  return Object.freeze({
    currency,
    lines: Object.freeze(priced),
    totals: Object.freeze({
      base: money(base, currency),
      lineDiscountTotal: money(lineDiscountTotal, currency),
      quoteDiscountTotal: money(quoteDiscountTotal, currency),
      net: doc.net,
      vat: doc.vat,
      gross: doc.gross,
      breakdown: Object.freeze([...doc.breakdown]),
      cost: costed === 0 ? null : money(cost, currency),
      margin: costed === 0 ? null : money(margin, currency),
      marginPercent: costed === 0 ? null : marginPercentOf(margin, costedNet),
    }),
  });
}
