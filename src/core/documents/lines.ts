/**
 * Pricing arithmetic shared by quotes, orders and invoices: line amounts, partial invoicing of a
 * line, and document totals with the VAT breakdown.
 *
 * Every amount is exact bigint arithmetic; rounding happens only where a policy below names it.
 */
import { DomainError } from '../shared/errors.js';
import { divRound } from '../money/rounding.js';
import type { RoundingMode } from '../money/rounding.js';
import { money, sum } from '../money/money.js';
import type { Money } from '../money/money.js';
import { DECIMAL4_SCALE, HUNDRED_PERCENT, addD, compareD } from '../money/quantity.js';
import type { Percent, Quantity } from '../money/quantity.js';
import type { VatCategory } from '../tax/vat.js';

/**
 * Line rounding policy: a line amount (quantity × unit price, less the discount) is rounded to the
 * currency's minor unit half away from zero (commercial rounding), once, from the exact product.
 * Gross and net are each rounded from their exact values; the discount is their difference, so
 * gross − discount = net holds exactly on every line.
 */
export const LINE_ROUNDING: RoundingMode = 'half_up';

/**
 * VAT rounding policy: VAT is computed per (category, rate) group on the document, from the sum of
 * the line nets in that group, and rounded half away from zero once per group. Lines carry no
 * rounded VAT of their own. This is document-level rounding as EN 16931 requires (BR-CO-17: VAT
 * category tax amount = taxable amount × rate / 100, rounded to two decimals), and it keeps the
 * invoice VAT equal to what the breakdown shows.
 */
export const VAT_ROUNDING: RoundingMode = 'half_up';

/** 100 % in Decimal4 units (1 000 000). */
const HUNDRED = HUNDRED_PERCENT.scaled;

export interface LineAmounts<C extends string = string> {
  /** quantity × unit price, rounded */
  readonly gross: Money<C>;
  /** gross − net */
  readonly discount: Money<C>;
  /** quantity × unit price × (100 − discount %) / 100, rounded once */
  readonly net: Money<C>;
}

function assertDiscount(discount: Percent): void {
  if (discount.scaled < 0n || discount.scaled > HUNDRED) {
    throw new Error(`discount must be between 0 and 100 percent, got scaled ${discount.scaled}`);
  }
}

/** Amounts of one line: quantity × unit price (in minor units) less a percentage discount. */
export function lineAmounts<C extends string>(quantity: Quantity, unitPrice: Money<C>, discount: Percent): LineAmounts<C> {
  assertDiscount(discount);
  // exact gross = minor × q.scaled / 10^4; exact net = that × (10^6 − d.scaled) / 10^6
  const exactGross = unitPrice.minor * quantity.scaled;
  const gross = divRound(exactGross, DECIMAL4_SCALE, LINE_ROUNDING);
  const net = divRound(exactGross * (HUNDRED - discount.scaled), DECIMAL4_SCALE * HUNDRED, LINE_ROUNDING);
  return Object.freeze({
    gross: money(gross, unitPrice.currency),
    discount: money(gross - net, unitPrice.currency),
    net: money(net, unitPrice.currency),
  });
}

export interface PartialLineInput<C extends string = string> {
  /** quantity on the order line */
  readonly ordered: Quantity;
  /** the order line's amount before discounts, as frozen on the order */
  readonly orderedGross: Money<C>;
  /** the order line's net after every discount (line and quote level, tiers included), as frozen */
  readonly orderedNet: Money<C>;
  /** quantity of this line on earlier invoices */
  readonly alreadyInvoiced: Quantity;
  /** net of this line on earlier invoices */
  readonly alreadyInvoicedNet: Money<C>;
  /** quantity to invoice now */
  readonly quantity: Quantity;
}

/**
 * Amounts for invoicing part of an order line, pro rata of the order line's frozen amounts, so that
 * whatever priced the line (flat or tiered prices, percent or amount discounts, a share of a
 * quote-level discount) the invoices charge exactly what was agreed. Policy "running total": the net
 * of everything invoiced so far including this part is round(orderedNet × invoiced ÷ ordered) with
 * LINE_ROUNDING, and a part takes that minus what earlier parts took; the part that completes the line
 * takes exactly orderedNet − alreadyInvoicedNet. Rounding is monotone, so no part is ever negative and
 * the parts always add up to the order line. Gross is the same running difference of orderedGross;
 * discount = gross − net, and should rounding make that negative, gross is set to net and the
 * discount to zero.
 */
export function partialLineNet<C extends string>(p: PartialLineInput<C>): LineAmounts<C> {
  if (p.quantity.scaled <= 0n) throw new Error('partialLineNet: quantity must be positive');
  if (p.alreadyInvoiced.scaled < 0n) throw new Error('partialLineNet: alreadyInvoiced must not be negative');
  if (p.ordered.scaled <= 0n) throw new Error('partialLineNet: the ordered quantity must be positive');
  const after = addD(p.alreadyInvoiced, p.quantity);
  if (compareD(after, p.ordered) > 0) throw new Error('partialLineNet: invoiced quantity would exceed the ordered quantity');
  const currency = p.orderedNet.currency;
  if (p.orderedGross.currency !== currency || p.alreadyInvoicedNet.currency !== currency) {
    throw new DomainError('currency_mismatch', `Cannot invoice a ${currency} order line in ${p.alreadyInvoicedNet.currency}`);
  }
  const upTo = (total: bigint, q: Quantity): bigint =>
    compareD(q, p.ordered) === 0 ? total : divRound(total * q.scaled, p.ordered.scaled, LINE_ROUNDING);
  const net = upTo(p.orderedNet.minor, after) - p.alreadyInvoicedNet.minor;
  if (net < 0n) throw new Error('partialLineNet: earlier parts took more than the running total allows');
  const gross = upTo(p.orderedGross.minor, after) - upTo(p.orderedGross.minor, p.alreadyInvoiced);
  const discount = gross - net;
  if (discount < 0n) {
    return Object.freeze({ gross: money(net, currency), discount: money(0n, currency), net: money(net, currency) });
  }
  return Object.freeze({ gross: money(gross, currency), discount: money(discount, currency), net: money(net, currency) });
}

export interface TaxedAmount {
  readonly net: Money;
  readonly vatRate: Percent;
  readonly vatCategory: VatCategory;
}

export interface VatBreakdownRow {
  readonly vatCategory: VatCategory;
  readonly vatRate: Percent;
  /** sum of the line nets in this group */
  readonly taxable: Money;
  /** taxable × rate / 100, rounded once with VAT_ROUNDING */
  readonly vat: Money;
}

export interface DocumentTotals {
  readonly net: Money;
  readonly vat: Money;
  readonly gross: Money;
  /** one row per (category, rate), by rate descending then category code */
  readonly breakdown: VatBreakdownRow[];
}

/** EN 16931: standard rate (S) is positive; every other category carries no VAT (rate 0). */
function assertRateFitsCategory(line: TaxedAmount): void {
  const rate = line.vatRate.scaled;
  if (rate < 0n || rate > HUNDRED) throw new Error(`VAT rate out of range: scaled ${rate}`);
  if (line.vatCategory === 'S' ? rate === 0n : rate !== 0n) {
    throw new Error(`VAT category ${line.vatCategory} does not allow a rate of scaled ${rate}`);
  }
}

/** Document totals: net, VAT per (category, rate) with document-level rounding, gross. */
export function documentTotals(currency: string, lines: readonly TaxedAmount[]): DocumentTotals {
  const groups = new Map<string, { vatCategory: VatCategory; vatRate: Percent; taxable: bigint }>();
  for (const line of lines) {
    if (line.net.currency !== currency) {
      throw new DomainError('currency_mismatch', `Cannot total a ${line.net.currency} line on a ${currency} document`);
    }
    assertRateFitsCategory(line);
    const key = `${line.vatCategory}|${line.vatRate.scaled}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, { vatCategory: line.vatCategory, vatRate: line.vatRate, taxable: line.net.minor });
    } else {
      group.taxable += line.net.minor;
    }
  }

  const breakdown: VatBreakdownRow[] = [...groups.values()]
    .sort((a, b) => {
      const byRate = compareD(b.vatRate, a.vatRate);
      if (byRate !== 0) return byRate;
      return a.vatCategory < b.vatCategory ? -1 : a.vatCategory > b.vatCategory ? 1 : 0;
    })
    .map((g) =>
      Object.freeze({
        vatCategory: g.vatCategory,
        vatRate: g.vatRate,
        taxable: money(g.taxable, currency),
        vat: money(divRound(g.taxable * g.vatRate.scaled, HUNDRED, VAT_ROUNDING), currency),
      }),
    );

  const net = sum(currency, lines.map((l) => l.net));
  const vat = sum(currency, breakdown.map((b) => b.vat));
  return Object.freeze({ net, vat, gross: money(net.minor + vat.minor, currency), breakdown });
}
