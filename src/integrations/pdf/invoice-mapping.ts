/**
 * From an invoice record to the invoice document: pure mapping.
 *
 * The seller is the snapshot taken when the invoice was issued (so a later change of address or bank
 * account does not alter an issued invoice); what the snapshot does not hold (phone, logo) and, for
 * a draft, the whole seller come from the tenant as it is now. The registered office (säte) is not a
 * tenant setting yet: it is taken to be the seller's city, which it is for most companies.
 *
 * A draft maps to a document with `draft: true`, no number and no payment reference, dated
 * `draftDate` (today): it renders with an "UTKAST" / "DRAFT" marker and is never a valid invoice.
 * The lines, VAT breakdown and totals are the invoice's own, so the document always agrees with it.
 */
import type { CreditNoteRecord, InvoiceRecord, PartySnapshot, TenantRecord } from '../../app/ports.js';
import type { Decimal4 } from '../../core/money/quantity.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { formatRf, RF_PREFIX } from '../../core/receivables/rf.js';
import { sellerSnapshotOf } from '../../app/invoicing/seller-snapshot.js';
import { invoiceLabels } from './i18n.js';
import { formatRate } from '../../core/money/fx.js';
import type { DocumentLanguage, InvoiceDocument, InvoiceSeller, PaymentReference } from './invoice-document.js';

/** The customer's language: Swedish for Swedish customers, English for everyone else (as the quote PDF). */
export const invoiceLanguageFor = (country: string): DocumentLanguage => (country === 'SE' ? 'sv' : 'en');

export interface InvoiceDocumentExtras {
  /** The seller's order number the invoice bills. */
  orderNumber?: string | null;
  /**
   * The order numbers by order id of an invoice of several orders (a per-customer billing run): each
   * line then prints its order's number before its description.
   */
  lineOrderNumbers?: ReadonlyMap<string, string> | null;
  /** The date a draft is printed with (today). Ignored for an issued invoice. */
  draftDate: LocalDate;
}

function sellerOf(snapshot: PartySnapshot | null, tenant: TenantRecord): InvoiceSeller {
  const s = snapshot ?? sellerSnapshotOf(tenant);
  return {
    name: s.name,
    orgNumber: s.orgNumber,
    vatNumber: s.vatNumber,
    addressLine1: s.addressLine1,
    addressLine2: s.addressLine2,
    postalCode: s.postalCode,
    city: s.city,
    country: s.country,
    email: s.email ?? null,
    phone: tenant.phone,
    bankgiro: s.bankgiro ?? null,
    iban: s.iban ?? null,
    bic: s.bic ?? null,
    fSkatt: s.fSkatt ?? false,
    logoPng: tenant.logoPng,
    registeredOffice: s.city,
  };
}

/** A line's description; on an invoice of several orders led by its order's number ("SO-2026-00012: …"). */
function lineDescription(
  invoice: InvoiceRecord,
  l: InvoiceRecord['lines'][number],
  numbers: ReadonlyMap<string, string> | null | undefined,
): string {
  if (invoice.orderId !== null || !numbers) return l.description;
  const n = numbers.get(l.orderId);
  return n === undefined ? l.description : `${n}: ${l.description}`;
}

/** The buyer as the document prints it, from the snapshot taken when the invoice (or credit note) was made. */
function buyerOf(b: InvoiceRecord['buyer']): InvoiceDocument['buyer'] {
  return {
    name: b.name,
    orgNumber: b.orgNumber,
    vatNumber: b.vatNumber,
    addressLine1: b.addressLine1,
    addressLine2: b.addressLine2,
    postalCode: b.postalCode,
    city: b.city,
    country: b.country,
  };
}

export function toInvoiceDocument(
  invoice: InvoiceRecord,
  tenant: TenantRecord,
  language: DocumentLanguage,
  extras: InvoiceDocumentExtras,
): InvoiceDocument {
  const draft = invoice.status === 'draft';
  const labels = invoiceLabels(language);
  const buyer = invoice.buyer;
  return {
    kind: 'invoice',
    language,
    draft,
    seller: sellerOf(draft ? null : invoice.seller, tenant),
    buyer: buyerOf(buyer),
    number: draft ? null : invoice.number,
    issueDate: draft ? extras.draftDate : (invoice.issueDate ?? extras.draftDate),
    dueDate: draft ? null : invoice.dueDate,
    deliveryDate: invoice.deliveryDate,
    currency: invoice.currency,
    paymentTermsDays: invoice.paymentTermsDays,
    orderNumber: extras.orderNumber ?? null,
    creditedInvoice: null,
    lines: invoice.lines.map((l) => ({
      lineNo: l.lineNo,
      description: lineDescription(invoice, l, extras.lineOrderNumbers),
      quantity: l.quantity,
      unit: l.unit,
      unitPriceMinor: l.unitPriceMinor,
      discountPercent: l.discountPercent.scaled > 0n ? l.discountPercent : null,
      discountAmountMinor: l.discountAmountMinor,
      netAmountMinor: l.netAmountMinor,
      vatRate: l.vatRate,
      vatCategory: l.vatCategory,
    })),
    invoiceDiscountMinor: 0n,
    vatBreakdown: invoice.vatBreakdown.map((b) => ({
      vatRate: b.vatRate,
      vatCategory: b.vatCategory,
      taxableMinor: b.taxableMinor,
      vatMinor: b.vatMinor,
      exemptionReason: labels.exemptionReason(b.vatCategory),
    })),
    netTotalMinor: invoice.netTotalMinor,
    vatTotalMinor: invoice.vatTotalMinor,
    grossTotalMinor: invoice.grossTotalMinor,
    ...vatInSekOf(invoice),
    // decision 0009: the öre rounding (BT-114), printed as "Öresavrundning" in the totals
    roundingMinor: invoice.roundingMinor ?? 0n,
    // decision 0010: advances deducted, one row per advance invoice; what is due is gross + rounding − prepaid
    prepaidMinor: invoice.prepaidMinor ?? 0n,
    prepayments: prepaymentsOf(invoice),
    advanceKind: invoice.kind === 'deposit' || invoice.kind === 'milestone' ? invoice.kind : null,
    amountDueMinor: invoice.grossTotalMinor + (invoice.roundingMinor ?? 0n) - (invoice.prepaidMinor ?? 0n),
    paymentReference: !draft && invoice.paymentReference !== null ? printedPaymentReference(invoice.paymentReference) : null,
    lateInterest: null,
    notes: null,
    terms: null,
  };
}

/**
 * Decision 0008: a document in another currency, issued by a SEK tenant, prints its VAT in SEK (BT-111,
 * stored at issue: the VAT the ledger posted) with the rate used and the rate's date.
 */
function vatInSekOf(d: Pick<InvoiceRecord, 'currency' | 'baseCurrency' | 'vatTotalBaseMinor' | 'exchangeRate' | 'exchangeRateDate'>) {
  if (d.baseCurrency !== 'SEK' || d.currency === 'SEK' || d.vatTotalBaseMinor == null) return {};
  return {
    vatTotalSekMinor: d.vatTotalBaseMinor,
    vatTotalSekRate: d.exchangeRate != null && d.exchangeRateDate != null ? { rate: formatRate(d.exchangeRate), date: d.exchangeRateDate } : null,
  };
}

/** The deducted advances per advance invoice (its VAT groups summed), in deduction order. */
function prepaymentsOf(invoice: InvoiceRecord): { invoiceNumber: string; netMinor: bigint; vatMinor: bigint }[] {
  const rows: { id: string; invoiceNumber: string; netMinor: bigint; vatMinor: bigint }[] = [];
  for (const d of invoice.advanceDeductions ?? []) {
    const row = rows.find((r) => r.id === d.advanceInvoiceId);
    if (row) {
      row.netMinor += d.netMinor;
      row.vatMinor += d.vatMinor;
    } else {
      rows.push({ id: d.advanceInvoiceId, invoiceNumber: d.advanceNumber ?? d.advanceInvoiceId, netMinor: d.netMinor, vatMinor: d.vatMinor });
    }
  }
  return rows.map(({ invoiceNumber, netMinor, vatMinor }) => ({ invoiceNumber, netMinor, vatMinor }));
}

/**
 * How the stored payment reference is printed: an RF creditor reference (stored compact, 'RF' prefix)
 * in groups of four, labelled RF; anything else is an OCR number, printed as stored.
 */
export function printedPaymentReference(stored: string): PaymentReference {
  const compact = stored.replace(/\s+/g, '').toUpperCase();
  if (compact.startsWith(RF_PREFIX)) return { kind: 'rf', value: formatRf(compact) };
  return { kind: 'ocr', value: stored };
}

/** A credit of an amount (no quantity) prints as one piece at its net amount. */
const ONE: Decimal4 = Object.freeze({ scaled: 10_000n });
const PIECE = 'C62';

/**
 * A credit note as a document of kind 'credit_note': its own lines, VAT breakdown and totals (all
 * positive, as stored), the credited invoice's number and date, the reason, no due date and no payment
 * reference. A line that credits an amount rather than a quantity prints as 1 × its net amount.
 * The seller is the snapshot taken at issue (the tenant as it is now for a draft), as for invoices.
 */
export function toCreditNoteDocument(
  note: CreditNoteRecord,
  invoice: Pick<InvoiceRecord, 'number' | 'issueDate' | 'deliveryDate'>,
  tenant: TenantRecord,
  language: DocumentLanguage,
  extras: InvoiceDocumentExtras,
): InvoiceDocument {
  const draft = note.status === 'draft';
  if (invoice.number === null || invoice.issueDate === null) throw new Error(`credit note ${note.id}: the credited invoice is not issued`);
  const labels = invoiceLabels(language);
  const buyer = note.buyer;
  return {
    kind: 'credit_note',
    language,
    draft,
    seller: sellerOf(draft ? null : note.seller, tenant),
    buyer: buyerOf(buyer),
    number: draft ? null : note.number,
    issueDate: draft ? extras.draftDate : (note.issueDate ?? extras.draftDate),
    dueDate: null,
    deliveryDate: invoice.deliveryDate,
    currency: note.currency,
    paymentTermsDays: null,
    orderNumber: extras.orderNumber ?? null,
    creditedInvoice: { number: invoice.number, issueDate: invoice.issueDate },
    creditReason: note.reason,
    lines: note.lines.map((l) => ({
      lineNo: l.lineNo,
      description: l.description,
      quantity: l.quantity ?? ONE,
      unit: l.unit ?? PIECE,
      unitPriceMinor: l.unitPriceMinor ?? l.netAmountMinor,
      discountPercent: null,
      discountAmountMinor: l.discountAmountMinor,
      netAmountMinor: l.netAmountMinor,
      vatRate: l.vatRate,
      vatCategory: l.vatCategory,
    })),
    invoiceDiscountMinor: 0n,
    vatBreakdown: note.vatBreakdown.map((b) => ({
      vatRate: b.vatRate,
      vatCategory: b.vatCategory,
      taxableMinor: b.taxableMinor,
      vatMinor: b.vatMinor,
      exemptionReason: labels.exemptionReason(b.vatCategory),
    })),
    netTotalMinor: note.netTotalMinor,
    vatTotalMinor: note.vatTotalMinor,
    grossTotalMinor: note.grossTotalMinor,
    ...vatInSekOf(note),
    roundingMinor: 0n,
    prepaidMinor: 0n,
    amountDueMinor: note.grossTotalMinor,
    paymentReference: null,
    lateInterest: null,
    notes: null,
    terms: null,
  };
}
