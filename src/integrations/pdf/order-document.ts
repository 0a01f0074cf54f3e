/**
 * What the order confirmation and the delivery note PDFs show: plain data, already computed by the
 * domain, not yet formatted (the same conventions as quote-document.ts).
 *
 * Amounts are integer minor units of `currency`; quantities and rates are Decimal4; dates are
 * 'YYYY-MM-DD'. The renderers format everything for `language` and refuse a document whose figures
 * disagree (`checkOrderConfirmationDocument`, `checkDeliveryNoteDocument`).
 */
import type { Decimal4, Percent, Quantity } from '../../core/money/quantity.js';
import type { DocumentLanguage, PartyAddress, QuoteBuyer, QuoteSeller, QuoteVatBreakdownRow } from './quote-document.js';

export type { DocumentLanguage, PartyAddress };

/** The seller as every document prints it: name, registration, address, contact, logo, F-skatt. */
export type DocumentSeller = QuoteSeller;
/** The customer; `contactName` is printed as "Er referens" / "Your reference". */
export type DocumentBuyer = QuoteBuyer;
/** One row of the VAT summary: rate, UNCL5305 category, taxable amount and VAT. */
export type VatBreakdownRow = QuoteVatBreakdownRow;

/** One part of a bundle, printed as an indented sub-row under the bundle's line after "Ingår:" / "Includes:". */
export interface DocumentComponent {
  description: string;
  /**
   * How many of this component the line holds: on an order confirmation for the whole line quantity,
   * on a delivery note in this delivery (the per-bundle quantity × the bundles delivered). Computed
   * by the caller; printed as given.
   */
  quantity: Quantity;
  /** UN/ECE Recommendation 20 code, as on lines. */
  unit: string;
  /** Article number (SKU): printed on the delivery note when given. */
  articleNumber?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Order confirmation
// ---------------------------------------------------------------------------------------------

export interface OrderConfirmationLine {
  lineNo: number;
  description: string;
  quantity: Quantity;
  unit: string;
  unitPriceMinor: bigint;
  /** The discount as the seller gave it in percent, or null when it was an amount (or none). */
  discountPercent: Percent | null;
  /** The line discount in minor units (0 when none); printed when no percentage is given. */
  discountAmountMinor: bigint;
  /** Line amount after the line discount, before any order-level discount. */
  netAmountMinor: bigint;
  vatRate: Decimal4;
  /** A bundle's parts; absent or empty for an ordinary line. */
  components?: DocumentComponent[] | null;
}

export interface OrderConfirmationDocument {
  language: DocumentLanguage;
  seller: DocumentSeller;
  buyer: DocumentBuyer;
  /** e.g. "SO-2026-0042" */
  number: string;
  /** 1 for the first confirmation, 2, … for amended orders: printed as "Version 2" from 2 on. */
  version: number;
  orderDate: string;
  /** The quote the order came from: printed as "Enligt offert Q-2026-0001 v2"; null when none. */
  quote: { number: string; version: number } | null;
  /** The customer's own order number (purchase order), if they gave one. */
  customerOrderNumber?: string | null;
  /** The seller's contact for this order. */
  ourReference?: string | null;
  requestedDeliveryDate?: string | null;
  expectedDeliveryDate?: string | null;
  currency: string;
  paymentTermsDays: number;
  lines: OrderConfirmationLine[];
  /** Discount on the whole order in minor units (positive reduces the total; 0 when none). */
  orderDiscountMinor: bigint;
  vatBreakdown: VatBreakdownRow[];
  /** Σ line net − order discount = Σ taxable of the VAT breakdown. */
  netTotalMinor: bigint;
  /** Σ VAT of the breakdown. */
  vatTotalMinor: bigint;
  /** net + VAT */
  grossTotalMinor: bigint;
  /** Öresavrundning (BT-114) of an order priced including VAT: the total printed is gross + rounding; absent or 0 when none. */
  roundingMinor?: bigint;
  notes: string | null;
  terms: string | null;
}

// ---------------------------------------------------------------------------------------------
// Delivery note
// ---------------------------------------------------------------------------------------------

/** Where the goods go, when not to the buyer's own address. */
export interface DeliveryAddress {
  name: string;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  /** ISO 3166-1 alpha-2 code; printed as a country name when it differs from the seller's. */
  country: string;
  /** Person to deliver to: printed as "Att. …" / "Attn. …". */
  attention?: string | null;
}

export interface DeliveryNoteLine {
  /** The order line this delivery line ships. */
  orderLineNo: number;
  articleNumber?: string | null;
  description: string;
  unit: string;
  /** Ordered quantity of the order line. */
  orderedQuantity: Quantity;
  /** Delivered before this delivery. */
  previouslyDeliveredQuantity: Quantity;
  /** In this delivery (may be 0 for a line printed only as backordered). */
  deliveredQuantity: Quantity;
  /**
   * Still to come (restnoterat): ordered = previously delivered + delivered + backordered. A remainder
   * that will not be delivered at all is not backordered: the order line's quantity is reduced instead.
   */
  backorderedQuantity: Quantity;
  /** A bundle's parts in this delivery; absent or empty for an ordinary line. */
  components?: DocumentComponent[] | null;
}

export interface DeliveryNoteDocument {
  language: DocumentLanguage;
  seller: DocumentSeller;
  /** The customer; `contactName` is printed as their reference. */
  buyer: DocumentBuyer;
  /** Null: deliver to the buyer's address. */
  deliveryAddress: DeliveryAddress | null;
  /** e.g. "D-2026-0107" */
  number: string;
  orderNumber: string;
  customerOrderNumber?: string | null;
  /** The date the goods leave (or are planned to); also the PDF's date. */
  shipDate: string;
  carrier?: string | null;
  trackingNumber?: string | null;
  lines: DeliveryNoteLine[];
  notes: string | null;
}

/** Most rows (lines and their components) one order PDF renders; more is a caller bug. */
export const MAX_ORDER_PDF_ROWS = 10_000;
/** Most components printed under one line (as core/pricing allows per bundle). */
export const MAX_COMPONENTS_PER_LINE = 100;

/**
 * Checks what both order documents share: language, a number, the line and component counts and
 * text lengths. `fail` throws with the document's name in front.
 */
export function checkCommon(
  doc: { language: DocumentLanguage; number: string; lines: readonly { description: string; components?: DocumentComponent[] | null }[] },
  lineName: (index: number) => string,
  fail: (message: string) => never,
  limits: { maxDescription: number },
): void {
  if (doc.language !== 'sv' && doc.language !== 'en') fail(`unsupported language '${String(doc.language)}'`);
  if (doc.number.trim() === '' || doc.number.length > 100) fail('number must be 1-100 characters');
  let rows = 0;
  doc.lines.forEach((line, i) => {
    if (line.description.length > limits.maxDescription) fail(`${lineName(i)}: description longer than ${limits.maxDescription} characters`);
    const components = line.components ?? [];
    if (components.length > MAX_COMPONENTS_PER_LINE) fail(`${lineName(i)}: ${components.length} components, at most ${MAX_COMPONENTS_PER_LINE}`);
    for (const c of components) {
      if (c.description.length > limits.maxDescription) fail(`${lineName(i)}: component description longer than ${limits.maxDescription} characters`);
      if (c.quantity.scaled < 0n) fail(`${lineName(i)}: component '${c.description.slice(0, 40)}' has a negative quantity`);
    }
    rows += 1 + components.length;
  });
  if (rows > MAX_ORDER_PDF_ROWS) fail(`${rows} lines and components, at most ${MAX_ORDER_PDF_ROWS} can be printed`);
}
