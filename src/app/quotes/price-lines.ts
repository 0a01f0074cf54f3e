/** Prices quote lines: product list price (or an explicit unit price) → line discount → VAT by tax class at the quote date. */
import { lineAmounts, documentTotals } from '../../core/documents/lines.js';
import { money } from '../../core/money/money.js';
import { ZERO_D, type Percent, type Quantity } from '../../core/money/quantity.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { ProductId } from '../../core/shared/ids.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { resolveSwedishVat, type TaxClass } from '../../core/tax/vat.js';
import type { QuoteLineRecord, Store } from '../ports.js';

export interface QuoteLineInput {
  /** Kept when a line is carried into a new version; new lines get the next free key. */
  lineKey?: string | undefined;
  productId?: ProductId | undefined;
  description?: string | undefined;
  quantity: Quantity;
  unit?: string | undefined;
  /** Overrides the product's list price; required for lines without a product. */
  unitPriceMinor?: bigint | undefined;
  discountPercent?: Percent | undefined;
  /** Overrides the product's tax class; required for lines without a product. */
  taxClass?: TaxClass | undefined;
}

export interface PricedQuote {
  lines: QuoteLineRecord[];
  netTotalMinor: bigint;
  vatTotalMinor: bigint;
  grossTotalMinor: bigint;
}

/** Line keys are `L1`, `L2`, … in the order lines first appear in any version of the quote. */
export function nextLineKeys(usedKeys: Iterable<string>): () => string {
  let max = 0;
  for (const k of usedKeys) {
    const m = /^L(\d+)$/.exec(k);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return () => `L${++max}`;
}

export async function priceQuoteLines(
  s: Store,
  currency: string,
  quoteDate: LocalDate,
  inputs: readonly QuoteLineInput[],
  usedKeys: Iterable<string> = [],
): Promise<PricedQuote> {
  const lines: QuoteLineRecord[] = [];
  const given = inputs.flatMap((l) => (l.lineKey === undefined ? [] : [l.lineKey]));
  if (new Set(given).size !== given.length) throw invalid('lines', 'Each line_key may appear once');
  const newKey = nextLineKeys([...usedKeys, ...given]);
  for (const [i, input] of inputs.entries()) {
    const param = `lines.${i}`;
    let description = input.description;
    let unit = input.unit;
    let unitPriceMinor = input.unitPriceMinor;
    let taxClass = input.taxClass;
    if (input.productId !== undefined) {
      const product = await s.products.get(input.productId);
      if (!product) throw notFound('product', input.productId, `${param}.product_id`);
      if (!product.active) {
        throw new DomainError('unprocessable', `Product ${product.sku} is archived and cannot be quoted`, `${param}.product_id`);
      }
      description ??= product.name;
      unit ??= product.unit;
      taxClass ??= product.taxClass;
      if (unitPriceMinor === undefined) {
        const listPrice = product.unitPrices[currency];
        if (listPrice === undefined) {
          throw new DomainError(
            'unprocessable',
            `Product ${product.sku} has no price in ${currency}; give unit_price on the line or add a ${currency} price`,
            `${param}.unit_price`,
          );
        }
        unitPriceMinor = listPrice;
      }
    }
    if (description === undefined || description.trim() === '') throw invalid(`${param}.description`, `${param}.description is required for a line without a product`);
    if (unitPriceMinor === undefined) throw invalid(`${param}.unit_price`, `${param}.unit_price is required for a line without a product`);
    if (taxClass === undefined) throw invalid(`${param}.tax_class`, `${param}.tax_class is required for a line without a product`);
    const discount = input.discountPercent ?? ZERO_D;
    const amounts = lineAmounts(input.quantity, money(unitPriceMinor, currency), discount);
    const vat = resolveSwedishVat(taxClass, quoteDate);
    lines.push({
      lineKey: input.lineKey ?? newKey(),
      lineNo: i + 1,
      productId: input.productId ?? null,
      description,
      quantity: input.quantity,
      unit: unit ?? 'C62',
      unitPriceMinor,
      discountPercent: discount,
      grossAmountMinor: amounts.gross.minor,
      discountAmountMinor: amounts.discount.minor,
      netAmountMinor: amounts.net.minor,
      taxClass,
      vatRate: vat.rate,
      vatCategory: vat.category,
    });
  }
  const totals = documentTotals(
    currency,
    lines.map((l) => ({ net: money(l.netAmountMinor, currency), vatRate: l.vatRate, vatCategory: l.vatCategory })),
  );
  return { lines, netTotalMinor: totals.net.minor, vatTotalMinor: totals.vat.minor, grossTotalMinor: totals.gross.minor };
}
