/**
 * What a quote PDF shows: plain data, already computed by the domain, not yet formatted.
 *
 * Amounts are integer minor units of `currency`; quantities and rates are Decimal4; dates are
 * 'YYYY-MM-DD'. The renderer formats everything for `language` and checks that the totals add up
 * (`checkQuoteDocument` in quote-pdf.ts), so a quote whose figures disagree is refused rather than printed.
 */
import type { Decimal4, Percent, Quantity } from '../../core/money/quantity.js';

export type DocumentLanguage = 'sv' | 'en';

export interface PartyAddress {
  name: string;
  orgNumber: string | null;
  vatNumber: string | null;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2 code ("SE"); printed as a country name only when it differs from the seller's. */
  country: string;
}

export interface QuoteSeller extends PartyAddress {
  email: string | null;
  phone?: string | null;
  bankgiro?: string | null;
  /** Approved for F-tax (godkänd för F-skatt): printed in the footer when true. */
  fSkatt: boolean;
  /** PNG (or JPEG) image shown top left, scaled to fit 160 × 56 pt. */
  logoPng?: Buffer | null;
}

export interface QuoteBuyer extends PartyAddress {
  /** Printed as "Er referens" / "Your reference". */
  contactName?: string | null;
}

export interface QuoteDocumentLine {
  lineNo: number;
  description: string;
  quantity: Quantity;
  /** UN/ECE Recommendation 20 code (C62, HUR, DAY, KGM, MTR …); unknown codes are printed as given. */
  unit: string;
  unitPriceMinor: bigint;
  /** The discount as the seller gave it in percent, or null when it was an amount (or none). */
  discountPercent: Percent | null;
  /** The line discount in minor units (0 when none); printed when no percentage is given. */
  discountAmountMinor: bigint;
  /** Line amount after the line discount, before any quote-level discount. */
  netAmountMinor: bigint;
  vatRate: Decimal4;
  /** An optional item (tillval): the customer may choose it. */
  optional: boolean;
  /** For optional lines: chosen, so included in the totals. Ignored (treated as true) for other lines. */
  selected: boolean;
  /** A bundle shown expanded: its components, printed under the line without prices. */
  components?: QuoteDocumentComponent[] | undefined;
}

export interface QuoteDocumentComponent {
  description: string;
  /** For the whole line: line quantity × quantity per bundle. */
  quantity: Quantity;
  unit: string;
}

export interface QuoteVatBreakdownRow {
  vatRate: Decimal4;
  /** UNCL5305 category: S, Z, E, AE, K, G, O */
  vatCategory: string;
  taxableMinor: bigint;
  vatMinor: bigint;
}

export interface QuoteDocument {
  language: DocumentLanguage;
  seller: QuoteSeller;
  buyer: QuoteBuyer;
  /** e.g. "Q-2026-0001" */
  number: string;
  /** 1, 2, …: printed as "Q-2026-0001 v2" */
  version: number;
  quoteDate: string;
  validUntil: string;
  currency: string;
  paymentTermsDays: number;
  lines: QuoteDocumentLine[];
  /** Discount on the whole quote in minor units (positive reduces the total; 0 when none). */
  quoteDiscountMinor: bigint;
  vatBreakdown: QuoteVatBreakdownRow[];
  /** Σ net of included lines − quote discount = Σ taxable of the VAT breakdown. */
  netTotalMinor: bigint;
  /** Σ VAT of the breakdown. */
  vatTotalMinor: bigint;
  /** net + VAT */
  grossTotalMinor: bigint;
  /** Öresavrundning (BT-114) of a quote priced including VAT: the total printed is gross + rounding; absent or 0 when none. */
  roundingMinor?: bigint;
  notes: string | null;
  terms: string | null;
}

/** Most lines one quote PDF renders (about 300 pages); more is a caller bug, not a quote. */
export const MAX_QUOTE_PDF_LINES = 10_000;

/** Longest line description printed (a longer one is refused; one taller than a page is cut with an ellipsis). */
export const MAX_DESCRIPTION_LENGTH = 10_000;
/** Longest notes or terms text printed. */
export const MAX_FREE_TEXT_LENGTH = 20_000;

/** Whether a line counts in the totals: every ordinary line, and optional lines the customer chose. */
export function isLineIncluded(line: QuoteDocumentLine): boolean {
  return !line.optional || line.selected;
}
