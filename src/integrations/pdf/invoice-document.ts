/**
 * What an invoice or credit note PDF shows: plain data, already computed by the domain, not yet
 * formatted (the same conventions as quote-document.ts and order-document.ts).
 *
 * Amounts are integer minor units of `currency`; quantities and rates are Decimal4; dates are
 * 'YYYY-MM-DD'. The renderer formats everything for `language` and refuses a document whose figures
 * disagree or that lacks what the law requires (`checkInvoiceDocument` in invoice-pdf.ts).
 *
 * The fields cover what the Swedish VAT Act (mervärdesskattelagen 2023:200, 17 kap. 24 §), the
 * Companies Act (aktiebolagslagen 28 kap. 1 §: registered office) and article 226 of the EU VAT
 * Directive require on an invoice: issue date, a unique sequential number, the seller's name,
 * address, VAT number and registered office, the buyer's name, address and (for reverse charge and
 * intra-Community supplies) VAT number, quantity and nature of what was supplied, the delivery date,
 * the unit price excluding VAT and any discount, VAT rate, taxable amount and VAT per rate, and the
 * reason for any exemption or reverse charge.
 *
 * Credit notes: every amount is given, checked and printed POSITIVE (the magnitude credited); the
 * title "Kreditfaktura" / "Credit note", the reference to the credited invoice and the grand total
 * labelled "Att tillgodoräkna" / "Amount to be credited" say that they are credits. A credit note
 * has no payment box; it prints a "Tillgodo" / "Credit" note instead.
 */
import type { Decimal4, Percent, Quantity } from '../../core/money/quantity.js';
import type { DocumentBuyer, DocumentLanguage, DocumentSeller, PartyAddress } from './order-document.js';

export type { DocumentLanguage, PartyAddress };

export type InvoiceKind = 'invoice' | 'credit_note';

export interface InvoiceSeller extends DocumentSeller {
  /**
   * The registered office (säte) — the municipality where the company has its seat: printed as
   * "Styrelsens säte: Göteborg" / "Registered office: Göteborg". Required on an aktiebolag's invoices.
   */
  registeredOffice: string | null;
  iban?: string | null;
  bic?: string | null;
}

export type InvoiceBuyer = DocumentBuyer;

export interface InvoiceDocumentLine {
  lineNo: number;
  description: string;
  /** Article number (SKU): printed under the description when given. */
  articleNumber?: string | null;
  quantity: Quantity;
  /** UN/ECE Recommendation 20 code. */
  unit: string;
  /** Unit price excluding VAT. */
  unitPriceMinor: bigint;
  /** The discount as a percentage, or null when it was an amount (or none). */
  discountPercent: Percent | null;
  /** The line discount in minor units (0 when none); printed when no percentage is given. */
  discountAmountMinor: bigint;
  /** Line amount excluding VAT, after the line discount, before any invoice-level discount. */
  netAmountMinor: bigint;
  vatRate: Decimal4;
  /** UNCL5305 category: S, Z, E, AE, K, G, O. */
  vatCategory: string;
  /** When this line was delivered (or its period), if it differs from the invoice's delivery date. */
  deliveryDate?: string | null;
  deliveryPeriod?: DeliveryPeriod | null;
}

export interface DeliveryPeriod {
  from: string;
  to: string;
}

export interface InvoiceVatRow {
  vatRate: Decimal4;
  /** UNCL5305 category: S, Z, E, AE, K, G, O. */
  vatCategory: string;
  taxableMinor: bigint;
  vatMinor: bigint;
  /**
   * Why no Swedish VAT is charged on this row (exemption, reverse charge, intra-Community supply,
   * export, outside scope): printed under the VAT summary. Null: the default text of the category in
   * the document language (i18n.ts `invoiceLabels(lang).exemptionReason`); ignored for S and Z.
   */
  exemptionReason: string | null;
}

/** The payment reference the payer must quote: a Swedish OCR number or an ISO 11649 RF reference. */
export interface PaymentReference {
  kind: 'ocr' | 'rf';
  value: string;
}

/**
 * Late payment interest: null prints the statutory default ("Dröjsmålsränta enligt räntelagen"),
 * a rate prints that yearly rate, a text is printed as given.
 */
export type LateInterest = { ratePercent: Decimal4 } | { text: string } | null;

export interface InvoiceDocument {
  kind: InvoiceKind;
  language: DocumentLanguage;
  /**
   * A draft: printed with a large "UTKAST" / "DRAFT" marker on every page, without a number (it gets
   * one when issued) and without a payment reference. Everything else is checked as for an issued one.
   */
  draft: boolean;
  seller: InvoiceSeller;
  buyer: InvoiceBuyer;
  /** e.g. "2026-00017"; null only on a draft. */
  number: string | null;
  /** On a draft: the date it would be issued (today); printed under the draft marker. */
  issueDate: string;
  /** Required on an issued invoice; null on a credit note. */
  dueDate: string | null;
  /** The date of supply (leveransdatum); or the period below. At least one of them on an issued invoice. */
  deliveryDate: string | null;
  deliveryPeriod?: DeliveryPeriod | null;
  currency: string;
  /** Printed as "30 dagar netto"; null: not printed (credit notes). */
  paymentTermsDays: number | null;
  /** The seller's order number, the customer's purchase order number, the seller's contact. */
  orderNumber?: string | null;
  customerOrderNumber?: string | null;
  ourReference?: string | null;
  /** Credit notes: the invoice credited (number and issue date). Null on an invoice. */
  creditedInvoice: { number: string; issueDate: string } | null;
  /** Credit notes: why, e.g. "Returnerade varor". */
  creditReason?: string | null;
  lines: InvoiceDocumentLine[];
  /** Discount on the whole invoice, in minor units (positive reduces the total; 0 when none). */
  invoiceDiscountMinor: bigint;
  vatBreakdown: InvoiceVatRow[];
  /** Σ line net − invoice discount = Σ taxable of the VAT breakdown. */
  netTotalMinor: bigint;
  /** Σ VAT of the breakdown. */
  vatTotalMinor: bigint;
  /** net + VAT */
  grossTotalMinor: bigint;
  /** Öresavrundning: added to the gross total (may be negative; 0 when none). */
  roundingMinor: bigint;
  /** Already paid (deposit, prepayment): deducted from the amount to pay (0 when none). */
  prepaidMinor: bigint;
  /**
   * Decision 0010: the advance invoices deducted (their Σ net + VAT = prepaidMinor when given), each
   * printed after the totals as "Avgår förskott enligt faktura …: net + moms VAT = gross".
   */
  prepayments?: { invoiceNumber: string; netMinor: bigint; vatMinor: bigint }[] | null;
  /** Decision 0010: an advance invoice, titled "Förskottsfaktura" / "Delfaktura" instead of "Faktura". */
  advanceKind?: 'deposit' | 'milestone' | null;
  /** gross + rounding − prepaid: the amount to pay (invoice) or to be credited (credit note). */
  amountDueMinor: bigint;
  /** For an invoice in another currency than SEK: the VAT total in SEK (EN 16931 BT-111). */
  vatTotalSekMinor?: bigint | null;
  /** Decision 0008: the rate the VAT in SEK was converted at (a plain decimal, SEK per unit of `currency`) and its date. */
  vatTotalSekRate?: { rate: string; date: string } | null;
  /** Required on an issued invoice with something to pay; null on drafts and credit notes. */
  paymentReference: PaymentReference | null;
  lateInterest: LateInterest;
  notes: string | null;
  terms: string | null;
}

/** Most lines one invoice PDF renders; more is a caller bug. */
export const MAX_INVOICE_PDF_LINES = 10_000;
