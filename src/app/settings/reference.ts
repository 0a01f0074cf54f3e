/**
 * Reference data the settings pages show and nobody edits there: the number series with the number
 * each gives next, and the VAT classes and rates the system applies (src/core/tax/vat.ts).
 *
 * Number series are read only on purpose: invoices, credit notes and vouchers must be numbered
 * without gaps (mervärdesskattelagen 17 kap., bokföringslagen 5 kap. 6 §), so a counter is only ever
 * moved by taking its next number inside the transaction that uses it (db/repositories/series.ts).
 */
import { SWEDISH_VAT_RATES, TAX_CLASSES, VAT_CATEGORIES, type TaxClass, type VatCategory } from '../../core/tax/vat.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import { yearlyNumber } from '../../core/documents/numbers.js';
import { formatReminderNumber, REMINDER_SERIES } from '../dunning/run-dunning.js';
import { formatCreditNoteNumber } from '../invoicing/credit-notes/issue-credit-note.js';
import { formatInvoiceNumber } from '../invoicing/issue-invoice.js';
import type { Store } from '../ports.js';

export const SERIES_DOCUMENTS = ['invoice', 'credit_note', 'journal_entry', 'quote', 'order', 'delivery_note', 'reminder', 'claim', 'return', 'other'] as const;
export type SeriesDocument = (typeof SERIES_DOCUMENTS)[number];

export interface NumberSeriesView {
  key: string;
  prefix: string;
  year: number | null;
  document: SeriesDocument;
  /** The law requires these without gaps (invoices, credit notes, vouchers). */
  gapless: boolean;
  nextValue: bigint;
  /** The number the next document of the series gets, formatted as the documents print it. */
  nextNumber: string;
}

/** Per series prefix: what it numbers, whether it must be gapless, and how its numbers look. */
const KNOWN: Record<string, { document: SeriesDocument; gapless: boolean; format: (year: number, seq: bigint) => string }> = {
  INV: { document: 'invoice', gapless: true, format: formatInvoiceNumber },
  KF: { document: 'credit_note', gapless: true, format: (y, n) => formatCreditNoteNumber('KF', y, n) },
  'JE-A': { document: 'journal_entry', gapless: true, format: (y, n) => `A ${y}-${n}` },
  Q: { document: 'quote', gapless: false, format: (y, n) => yearlyNumber('Q', y, n) },
  SO: { document: 'order', gapless: false, format: (y, n) => yearlyNumber('SO', y, n) },
  DN: { document: 'delivery_note', gapless: false, format: (y, n) => yearlyNumber('DN', y, n) },
  [REMINDER_SERIES]: { document: 'reminder', gapless: false, format: formatReminderNumber },
  CLM: { document: 'claim', gapless: false, format: (y, n) => yearlyNumber('CLM', y, n) },
  RMA: { document: 'return', gapless: false, format: (y, n) => yearlyNumber('RMA', y, n) },
};

/** "INV-2026" → INV, 2026; "JE-A-2026" → JE-A, 2026; a key without a year suffix → the key, null. */
export function describeSeries(key: string, nextValue: bigint): NumberSeriesView {
  const m = /^(.+)-(\d{4})$/.exec(key);
  const prefix = m?.[1] ?? key;
  const year = m?.[2] === undefined ? null : Number(m[2]);
  const known = KNOWN[prefix];
  return {
    key,
    prefix,
    year,
    document: known?.document ?? 'other',
    gapless: known?.gapless ?? false,
    nextValue,
    nextNumber: known !== undefined && year !== null ? known.format(year, nextValue) : `${key}-${nextValue}`,
  };
}

/** The tenant's number series, newest year first, then by key. */
export async function listNumberSeries(s: Store): Promise<NumberSeriesView[]> {
  const rows = await s.series.list();
  return rows
    .map((r) => describeSeries(r.seriesKey, r.nextValue))
    .sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || a.key.localeCompare(b.key));
}

export interface VatRateView {
  taxClass: TaxClass;
  rate: string;
  category: VatCategory;
  validFrom: string;
  validTo: string | null;
}

/** The Swedish VAT table by tax class, in the order of TAX_CLASSES, and the categories used. */
export function vatReference(): { rates: VatRateView[]; categories: readonly VatCategory[] } {
  const order = (c: TaxClass) => TAX_CLASSES.indexOf(c);
  const rates = [...SWEDISH_VAT_RATES]
    .sort((a, b) => order(a.taxClass) - order(b.taxClass) || a.validFrom.localeCompare(b.validFrom))
    .map((r) => ({ taxClass: r.taxClass, rate: formatDecimal4(r.rate), category: r.category, validFrom: r.validFrom, validTo: r.validTo }));
  return { rates, categories: VAT_CATEGORIES };
}
