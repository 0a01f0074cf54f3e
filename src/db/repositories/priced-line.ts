/**
 * Mapping of the priced line shared by quote, order and invoice lines (frozen copies of each other).
 */
import type { PricedLine } from '../../app/ports.js';
import { asId } from '../../core/shared/ids.js';
import type { VatCategory } from '../../core/tax/vat.js';
import { dec, decText } from './shared.js';

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
