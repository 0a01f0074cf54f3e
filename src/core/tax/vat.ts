/**
 * VAT categories (UNCL5305, as used by EN 16931), q2c's tax classes, and the Swedish rate table.
 *
 * A product carries a tax class, not a rate: the rate for a line is looked up by class and the
 * document's tax point date, because rates change over time (the temporary food VAT cut
 * 2026-04-01 – 2027-12-31). The table is data; a new rate change is a new row, never an edit of
 * history. Cross-border cases (reverse charge AE, intra-EU K, export G, out of scope O) are decided
 * from the customer and the supply by determineVatTreatment (treatment.ts); this table covers
 * domestic Swedish supplies. Prices entered including VAT are turned into nets by gross.ts.
 */
import { invalid } from '../shared/errors.js';
import { decimal4 } from '../money/quantity.js';
import type { Percent } from '../money/quantity.js';

/**
 * UNCL5305 duty/tax category codes used by EN 16931:
 * S standard rate (any positive rate), Z zero rated, E exempt, AE reverse charge,
 * K intra-community supply, G export outside the EU, O outside the scope of VAT.
 */
export const VAT_CATEGORIES = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O'] as const;
export type VatCategory = (typeof VAT_CATEGORIES)[number];

export const TAX_CLASSES = ['standard', 'reduced_12', 'food', 'reduced_6', 'zero', 'exempt'] as const;
export type TaxClass = (typeof TAX_CLASSES)[number];

export function isTaxClass(value: unknown): value is TaxClass {
  return typeof value === 'string' && (TAX_CLASSES as readonly string[]).includes(value);
}

export function parseTaxClass(value: unknown, param: string): TaxClass {
  if (!isTaxClass(value)) throw invalid(param, `must be one of ${TAX_CLASSES.join(', ')}`);
  return value;
}

export interface VatRateRow {
  readonly taxClass: TaxClass;
  readonly rate: Percent;
  readonly category: VatCategory;
  /** first day the row applies, 'YYYY-MM-DD', inclusive */
  readonly validFrom: string;
  /** last day the row applies, 'YYYY-MM-DD', inclusive; null = until further notice */
  readonly validTo: string | null;
}

/**
 * Where q2c's Swedish table starts. Rates before this date are not modelled (restaurant services,
 * for example, moved from 25 % to 12 % on 2012-01-01); a lookup before it throws rather than guess.
 */
export const SWEDISH_VAT_TABLE_START = '2012-01-01';

/** Swedish VAT (mervärdesskattelagen 2023:200, 9 kap.) by tax class. Rows of a class must not overlap. */
export const SWEDISH_VAT_RATES: readonly VatRateRow[] = Object.freeze([
  // 25 %: everything not listed elsewhere.
  { taxClass: 'standard', rate: decimal4('25'), category: 'S', validFrom: SWEDISH_VAT_TABLE_START, validTo: null },
  // 12 %: hotel accommodation, restaurant and catering services.
  { taxClass: 'reduced_12', rate: decimal4('12'), category: 'S', validFrom: SWEDISH_VAT_TABLE_START, validTo: null },
  // Foodstuffs: 12 %, temporarily 6 % from 2026-04-01 to 2027-12-31, then 12 % again.
  { taxClass: 'food', rate: decimal4('12'), category: 'S', validFrom: SWEDISH_VAT_TABLE_START, validTo: '2026-03-31' },
  { taxClass: 'food', rate: decimal4('6'), category: 'S', validFrom: '2026-04-01', validTo: '2027-12-31' },
  { taxClass: 'food', rate: decimal4('12'), category: 'S', validFrom: '2028-01-01', validTo: null },
  // 6 %: books, newspapers, passenger transport, cultural events.
  { taxClass: 'reduced_6', rate: decimal4('6'), category: 'S', validFrom: SWEDISH_VAT_TABLE_START, validTo: null },
  // Taxable at 0 % (e.g. certain supplies with right of deduction).
  { taxClass: 'zero', rate: decimal4('0'), category: 'Z', validFrom: SWEDISH_VAT_TABLE_START, validTo: null },
  // Exempt from VAT (healthcare, education, financial services, letting of premises …).
  { taxClass: 'exempt', rate: decimal4('0'), category: 'E', validFrom: SWEDISH_VAT_TABLE_START, validTo: null },
] satisfies VatRateRow[]);

const ISO_DATE = /^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/;

/** Looks up the rate row covering `date` in `table`; throws if none or more than one covers it. */
export function resolveVat(
  table: readonly VatRateRow[],
  taxClass: TaxClass,
  date: string,
): { rate: Percent; category: VatCategory } {
  // Lexical comparison is only correct for well-formed ISO dates, so insist on them.
  if (!ISO_DATE.test(date)) throw new Error(`resolveVat: date must be 'YYYY-MM-DD', got '${date}'`);
  const rows = table.filter(
    (row) => row.taxClass === taxClass && row.validFrom <= date && (row.validTo === null || date <= row.validTo),
  );
  const [row, ...others] = rows;
  if (row === undefined) throw new Error(`no VAT rate for tax class '${taxClass}' on ${date}`);
  if (others.length > 0) throw new Error(`overlapping VAT rates for tax class '${taxClass}' on ${date}`);
  return { rate: row.rate, category: row.category };
}

/** Swedish VAT rate and category for a tax class on a tax point date ('YYYY-MM-DD'). */
export function resolveSwedishVat(taxClass: TaxClass, date: string): { rate: Percent; category: VatCategory } {
  return resolveVat(SWEDISH_VAT_RATES, taxClass, date);
}
