/**
 * Prices entered including VAT (B2C): from gross amounts to the line nets q2c stores.
 *
 * q2c keeps nets on lines and computes VAT per (category, rate) group on the document
 * (documentTotals, VAT_ROUNDING). When a shop enters prices including VAT, the document must show the
 * gross the customer saw. This module chooses line nets so that, per group,
 *     taxable + round(taxable × rate / 100) = entered gross,
 * with the same rounding as documentTotals.
 *
 * That is not always possible: taxable ↦ taxable + VAT steps by 2 öre whenever the rounded VAT steps,
 * so at 25 % one gross total in five (e.g. 0.02, 99.02 SEK) is produced by no net at all, at 12 % about
 * one in nine, at 6 % about one in eighteen. For such a group the net is the one whose gross falls one
 * öre short, and the missing öre is returned as `rounding` — to be shown as the invoice's rounding
 * amount (EN 16931 BT-114, "Öresavrundning"), outside VAT — so that net + VAT + rounding equals the
 * entered gross total exactly, always.
 */
import { DomainError } from '../shared/errors.js';
import { divRound } from '../money/rounding.js';
import type { RoundingMode } from '../money/rounding.js';
import { money } from '../money/money.js';
import type { Money } from '../money/money.js';
import { HUNDRED_PERCENT } from '../money/quantity.js';
import type { Percent } from '../money/quantity.js';
import { VAT_ROUNDING } from '../documents/lines.js';
import type { VatCategory } from './vat.js';

/**
 * Gross-to-net rounding policy: the net of a gross amount is rounded half away from zero, once, from
 * the exact quotient gross × 100 / (100 + rate).
 */
export const GROSS_TO_NET_ROUNDING: RoundingMode = 'half_up';

const HUNDRED = HUNDRED_PERCENT.scaled;

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

function assertRate(rate: Percent): void {
  if (rate.scaled < 0n || rate.scaled > HUNDRED) throw new Error(`VAT rate out of range: scaled ${rate.scaled}`);
}

/**
 * The net contained in a gross amount at `rate`: round(gross × 100 / (100 + rate)) with
 * GROSS_TO_NET_ROUNDING. netFromGross(9900n, 25 %) = 7920n; netFromGross(4590n, 6 %) = 4330n
 * (4330.19). Works for negative amounts (credits) symmetrically.
 */
export function netFromGross(grossMinor: bigint, rate: Percent): bigint {
  assertRate(rate);
  return divRound(grossMinor * HUNDRED, HUNDRED + rate.scaled, GROSS_TO_NET_ROUNDING);
}

/** The VAT documentTotals computes on a group with this taxable amount. */
function groupVat(taxable: bigint, rate: Percent): bigint {
  return divRound(taxable * rate.scaled, HUNDRED, VAT_ROUNDING);
}

export interface GrossLine {
  /** the amount entered, VAT included */
  readonly gross: Money;
  readonly vatRate: Percent;
  readonly vatCategory: VatCategory;
}

export interface NetLine {
  readonly net: Money;
  readonly vatRate: Percent;
  readonly vatCategory: VatCategory;
}

export interface GrossGroup {
  readonly vatCategory: VatCategory;
  readonly vatRate: Percent;
  /** sum of the entered gross amounts */
  readonly gross: Money;
  /** sum of the line nets: documentTotals' taxable amount */
  readonly taxable: Money;
  /** round(taxable × rate / 100) with VAT_ROUNDING, as documentTotals computes it */
  readonly vat: Money;
  /** gross − taxable − vat: 0, or ±1 minor unit when no net reproduces the gross (see module comment) */
  readonly rounding: Money;
}

export interface NetsFromGross {
  /** one per input line, same order; pass them (as TaxedAmount) to documentTotals */
  readonly lines: NetLine[];
  /** one per (category, rate), in order of first appearance */
  readonly groups: GrossGroup[];
  /** sum of the groups' rounding: the document's rounding amount (BT-114), usually zero */
  readonly rounding: Money;
}

/**
 * The group taxable amount N for a group gross G: exactly N + vat(N) = G where such N exists,
 * otherwise the N with N + vat(N) one minor unit short of G (toward zero). N + vat(N) is monotone and
 * steps by 1 or 2, and the rounded quotient is within 1 of the answer, so a window of ±3 suffices.
 */
function groupTaxable(gross: bigint, rate: Percent): bigint {
  if (gross < 0n) return -groupTaxable(-gross, rate); // both roundings are symmetric about zero
  const start = netFromGross(gross, rate);
  let best: bigint | null = null;
  for (let n = start - 3n; n <= start + 3n; n++) {
    const g = n + groupVat(n, rate);
    if (g === gross) return n;
    if (g < gross && (best === null || n > best)) best = n;
  }
  if (best === null) throw new Error(`groupTaxable: no net found for gross ${gross}`); // unreachable
  return best;
}

/**
 * Line nets for lines entered including VAT. Policy, per (category, rate) group:
 * 1. the group's taxable amount is the net whose document VAT (documentTotals: rounded once per group)
 *    brings it back to the group's entered gross total (see groupTaxable for the rare one-öre case);
 * 2. each line's provisional net is netFromGross(line gross, rate);
 * 3. the difference between the group taxable and the sum of provisional nets (a few minor units at
 *    most, from per-line rounding) goes to the line with the largest absolute gross in the group, the
 *    first such line on a tie, so small lines keep their exact per-line net.
 * Lines of a category other than S must have rate 0, and their net is their gross.
 * All lines must be in `currency`.
 */
export function netsFromGross(currency: string, lines: readonly GrossLine[]): NetsFromGross {
  const groups = new Map<string, { vatCategory: VatCategory; vatRate: Percent; gross: bigint; members: number[] }>();
  lines.forEach((line, i) => {
    if (line.gross.currency !== currency) {
      throw new DomainError('currency_mismatch', `Cannot total a ${line.gross.currency} line on a ${currency} document`);
    }
    assertRate(line.vatRate);
    if (line.vatCategory === 'S' ? line.vatRate.scaled === 0n : line.vatRate.scaled !== 0n) {
      throw new Error(`VAT category ${line.vatCategory} does not allow a rate of scaled ${line.vatRate.scaled}`);
    }
    const key = `${line.vatCategory}|${line.vatRate.scaled}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { vatCategory: line.vatCategory, vatRate: line.vatRate, gross: line.gross.minor, members: [i] });
    } else {
      group.gross += line.gross.minor;
      group.members.push(i);
    }
  });

  const nets: bigint[] = lines.map((l) => netFromGross(l.gross.minor, l.vatRate));
  const resultGroups: GrossGroup[] = [];
  let rounding = 0n;
  for (const g of groups.values()) {
    const taxable = groupTaxable(g.gross, g.vatRate);
    let provisional = 0n;
    let largest = g.members[0] ?? 0;
    for (const i of g.members) {
      provisional += nets[i] ?? 0n;
      if (abs(lines[i]?.gross.minor ?? 0n) > abs(lines[largest]?.gross.minor ?? 0n)) largest = i;
    }
    nets[largest] = (nets[largest] ?? 0n) + (taxable - provisional);
    const vat = groupVat(taxable, g.vatRate);
    const groupRounding = g.gross - taxable - vat;
    rounding += groupRounding;
    resultGroups.push(
      Object.freeze({
        vatCategory: g.vatCategory,
        vatRate: g.vatRate,
        gross: money(g.gross, currency),
        taxable: money(taxable, currency),
        vat: money(vat, currency),
        rounding: money(groupRounding, currency),
      }),
    );
  }

  return Object.freeze({
    lines: lines.map((l, i) =>
      Object.freeze({ net: money(nets[i] ?? 0n, currency), vatRate: l.vatRate, vatCategory: l.vatCategory }),
    ),
    groups: resultGroups,
    rounding: money(rounding, currency),
  });
}

/**
 * Net-to-gross rounding policy, for list prices (which are net: price lists are kept for business
 * customers) shown on a quote whose prices include VAT: the consumer price of a net unit price is
 * round(net × (100 + rate) / 100), half away from zero, once per unit price. That rounded consumer
 * price is then treated exactly like a price entered including VAT.
 */
export const NET_TO_GROSS_ROUNDING: RoundingMode = 'half_up';

/** The price including VAT of a net price: round(net × (100 + rate) / 100) with NET_TO_GROSS_ROUNDING. */
export function grossFromNet(netMinor: bigint, rate: Percent): bigint {
  assertRate(rate);
  return divRound(netMinor * (HUNDRED + rate.scaled), HUNDRED, NET_TO_GROSS_ROUNDING);
}

/**
 * Net unit price rounding policy: the unit price stored and shown on a line priced including VAT is
 * the net line amount before discounts ÷ quantity, rounded half away from zero to the minor unit. It
 * is informative (EN 16931 BT-146 is net of VAT): the line's net amount is the exact figure, and the
 * UBL mapping states any difference between quantity × unit price and the net as a line allowance (or
 * the net as the price of the whole quantity), so PEPPOL-EN16931-R120 holds exactly, not just within
 * its 0.02 tolerance.
 */
export const NET_UNIT_PRICE_ROUNDING: RoundingMode = 'half_up';

/** A line priced in gross terms (every amount includes VAT), as the pricing engine priced it. */
export interface GrossPricedLine {
  /** quantity, Decimal4 scaled (10^4 = 1) */
  readonly quantityScaled: bigint;
  /** the unit price as priced, including VAT */
  readonly unitGross: bigint;
  /** quantity × unit price, before discounts */
  readonly baseGross: bigint;
  readonly lineDiscountGross: bigint;
  readonly quoteDiscountGross: bigint;
  readonly vatRate: Percent;
  readonly vatCategory: VatCategory;
  /** in the document's totals (an unselected optional line is not) */
  readonly included: boolean;
}

/** The same line in net terms: what q2c stores. base − lineDiscount − quoteDiscount = net. */
export interface NetPricedLine {
  readonly unitPrice: bigint;
  readonly base: bigint;
  readonly lineDiscount: bigint;
  readonly quoteDiscount: bigint;
  readonly net: bigint;
}

/**
 * A document priced including VAT, in net terms. Policy:
 * - the lines in the totals are converted together by netsFromGross (per VAT group: taxable + VAT =
 *   the group's gross to the minor unit, the rare unreachable öre returned as `rounding`, BT-114);
 *   a line not in the totals is converted on its own (netFromGross);
 * - the line and quote discounts are converted each by netFromGross, and the net amount before
 *   discounts is net + both discounts, so base − discounts = net holds exactly on every line;
 * - the unit price is base ÷ quantity with NET_UNIT_PRICE_ROUNDING (for a zero quantity:
 *   netFromGross of the gross unit price).
 */
export function pricedLinesFromGross(
  currency: string,
  lines: readonly GrossPricedLine[],
): { lines: NetPricedLine[]; groups: GrossGroup[]; rounding: Money } {
  const includedIdx = lines.flatMap((l, i) => (l.included ? [i] : []));
  const converted = netsFromGross(
    currency,
    includedIdx.map((i) => {
      const l = lines[i]!;
      return { gross: money(l.baseGross - l.lineDiscountGross - l.quoteDiscountGross, currency), vatRate: l.vatRate, vatCategory: l.vatCategory };
    }),
  );
  const nets = new Map<number, bigint>(includedIdx.map((i, k) => [i, converted.lines[k]!.net.minor]));
  const out = lines.map((l, i): NetPricedLine => {
    const net = nets.get(i) ?? netFromGross(l.baseGross - l.lineDiscountGross - l.quoteDiscountGross, l.vatRate);
    const lineDiscount = netFromGross(l.lineDiscountGross, l.vatRate);
    const quoteDiscount = netFromGross(l.quoteDiscountGross, l.vatRate);
    const base = net + lineDiscount + quoteDiscount;
    const unitPrice =
      l.quantityScaled === 0n ? netFromGross(l.unitGross, l.vatRate) : divRound(base * 10_000n, l.quantityScaled, NET_UNIT_PRICE_ROUNDING);
    return Object.freeze({ unitPrice, base, lineDiscount, quoteDiscount, net });
  });
  return { lines: out, groups: converted.groups, rounding: converted.rounding };
}
