/**
 * Mapping of a VAT breakdown row, shared by invoices and credit notes (invoice_vat_breakdown and
 * credit_note_vat_breakdown have the same columns besides the document key).
 */
import type { VatBreakdownRecord } from '../../app/ports.js';
import type { VatCategory } from '../../core/tax/vat.js';
import { dec, decText } from './shared.js';

export interface VatBreakdownRow {
  vat_category: string;
  vat_rate: string;
  taxable_minor: bigint;
  vat_minor: bigint;
}

export function vatBreakdownFromRow(r: VatBreakdownRow): VatBreakdownRecord {
  return {
    vatCategory: r.vat_category as VatCategory,
    vatRate: dec(r.vat_rate),
    taxableMinor: r.taxable_minor,
    vatMinor: r.vat_minor,
  };
}

export function vatBreakdownToRow(v: VatBreakdownRecord): VatBreakdownRow {
  return {
    vat_category: v.vatCategory,
    vat_rate: decText(v.vatRate),
    taxable_minor: v.taxableMinor,
    vat_minor: v.vatMinor,
  };
}
