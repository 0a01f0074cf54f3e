/**
 * Mapping of the priced line shared by quote, order and invoice lines (frozen copies of each other).
 */
import type { BundleDisplay, LineBundle, PricedLine } from '../../app/ports.js';
import type { BundlePricing } from '../../core/pricing/engine.js';
import { asId } from '../../core/shared/ids.js';
import type { VatCategory } from '../../core/tax/vat.js';
import { dec, decText, toJson } from './shared.js';

export interface PricedLineRow {
  line_no: number;
  product_id: string | null;
  description: string;
  quantity: string;
  unit: string;
  unit_price_minor: bigint;
  discount_percent: string;
  gross_amount_minor: bigint;
  discount_amount_minor: bigint;
  net_amount_minor: bigint;
  vat_rate: string;
  vat_category: string;
}

export function pricedLineFromRow(r: PricedLineRow): PricedLine {
  return {
    lineNo: r.line_no,
    productId: r.product_id === null ? null : asId('product', r.product_id),
    description: r.description,
    quantity: dec(r.quantity),
    unit: r.unit,
    unitPriceMinor: r.unit_price_minor,
    discountPercent: dec(r.discount_percent),
    grossAmountMinor: r.gross_amount_minor,
    discountAmountMinor: r.discount_amount_minor,
    netAmountMinor: r.net_amount_minor,
    vatRate: dec(r.vat_rate),
    vatCategory: r.vat_category as VatCategory,
  };
}

export function pricedLineToRow(l: PricedLine): PricedLineRow {
  return {
    line_no: l.lineNo,
    product_id: l.productId,
    description: l.description,
    quantity: decText(l.quantity),
    unit: l.unit,
    unit_price_minor: l.unitPriceMinor,
    discount_percent: decText(l.discountPercent),
    gross_amount_minor: l.grossAmountMinor,
    discount_amount_minor: l.discountAmountMinor,
    net_amount_minor: l.netAmountMinor,
    vat_rate: decText(l.vatRate),
    vat_category: l.vatCategory,
  };
}

interface LineBundleJson {
  pricing: BundlePricing;
  display: BundleDisplay;
  components: {
    product_id: string;
    sku: string;
    description: string;
    unit: string;
    quantity_per_unit: string;
    quantity: string;
    amount_minor: string | null;
  }[];
}

/** The `bundle` jsonb of quote and order lines: quantities as decimal text, amounts as integer text. */
export function lineBundleToJson(b: LineBundle | null): string | null {
  if (b === null) return null;
  const json: LineBundleJson = {
    pricing: b.pricing,
    display: b.display,
    components: b.components.map((c) => ({
      product_id: c.productId,
      sku: c.sku,
      description: c.description,
      unit: c.unit,
      quantity_per_unit: decText(c.quantityPerUnit),
      quantity: decText(c.quantity),
      amount_minor: c.amountMinor === null ? null : c.amountMinor.toString(),
    })),
  };
  return toJson(json);
}

export function lineBundleFromJson(value: unknown): LineBundle | null {
  if (value === null || value === undefined) return null;
  const j = value as LineBundleJson;
  return {
    pricing: j.pricing,
    display: j.display,
    components: j.components.map((c) => ({
      productId: asId('product', c.product_id),
      sku: c.sku,
      description: c.description,
      unit: c.unit,
      quantityPerUnit: dec(c.quantity_per_unit),
      quantity: dec(c.quantity),
      amountMinor: c.amount_minor === null ? null : BigInt(c.amount_minor),
    })),
  };
}
