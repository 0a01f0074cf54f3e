/**
 * From an issued invoice record to the Peppol BIS 3 e-invoice (document.ts EInvoice): pure mapping.
 *
 * The stored invoice is the truth: every amount (line nets, VAT breakdown, totals) is the invoice's
 * own, never recomputed. Where a line's quantity × unit price less its stored discount does not give
 * the stored net exactly (partial invoices take the order line's amounts pro rata, so the split
 * discount and the rounded gross need not match quantity × price), the difference is put into the
 * line allowance: allowance = round(quantity × price) − stored net. Should that ever be negative (a
 * pro-rata net above quantity × price), the line is stated with the net as the price of the whole
 * quantity (price = net, base quantity = quantity), which reproduces the net exactly without a
 * negative allowance. `toUbl` then checks that everything adds up (BR-CO-10 etc.).
 *
 * The seller is the snapshot taken at issue (as the PDF does); phone comes from the tenant. Its
 * electronic address is its Swedish organisation number (EAS 0007). The buyer's electronic address is
 * its Swedish organisation number (0007) when it is a Swedish company, else its VAT number under the
 * Peppol EAS scheme for VAT numbers of its country (9930 DE, 9957 FR …; a Swedish VAT number gives
 * the org.nr inside it); without one of these the invoice cannot be sent electronically.
 */
import type { CreditNoteRecord, CustomerRecord, InvoiceRecord, OrderRecord, PartySnapshot, TenantRecord } from '../../app/ports.js';
import { sellerSnapshotOf } from '../../app/invoicing/seller-snapshot.js';
import { money } from '../../core/money/money.js';
import type { Money } from '../../core/money/money.js';
import { isLuhnValid } from '../../core/receivables/ocr.js';
import { DomainError } from '../../core/shared/errors.js';
import { EXEMPTION_REASONS, normalizeVatNumber } from '../../core/tax/treatment.js';
import type { Quantity } from '../../core/money/quantity.js';
import type { VatCategory } from '../../core/tax/vat.js';
import { lineGross } from './document.js';
import type { EInvoice, EInvoiceCreditNote, EInvoiceLine, EndpointId, EParty, PaymentMeans, PostalAddress, VatBreakdownRow } from './document.js';
import { F_SKATT_TEXT } from './ubl.js';

/** The customer as the mapping needs it; `reference` (BT-10, "Er referens") is used when the record has one. */
export type EInvoiceCustomer = Pick<CustomerRecord, 'id' | 'name'> & { readonly reference?: string | null };

/**
 * Peppol EAS codes for VAT numbers, by the VAT number's two-letter prefix (Greece: 'EL'). Only codes
 * on the Peppol BIS 3 EAS list (PEPPOL-EN16931-CL008): 9955 (SE VAT) and 0213 (FI VAT) are not.
 */
export const VAT_EAS_BY_PREFIX: Readonly<Record<string, string>> = Object.freeze({
  AD: '9922', AL: '9923', AT: '9914', BA: '9924', BE: '9925', BG: '9926', CH: '9927', CY: '9928',
  CZ: '9929', DE: '9930', DK: '0198', EE: '9931', EL: '9933', ES: '9920', FR: '9957', GB: '9932',
  HR: '9934', HU: '9910', IE: '9935', IT: '0211', LI: '9936', LT: '9937', LU: '9938', LV: '9939',
  MC: '9940', ME: '9941', MK: '9942', MT: '9943', NL: '9944', PL: '9945', PT: '9946', RO: '9947',
  RS: '9948', SI: '9949', SK: '9950', SM: '9951', TR: '9952', VA: '9953',
});

/** Unit spellings that are not UN/ECE Recommendation 20 codes (matched case-insensitively), and the code they mean. */
const UNIT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  ST: 'C62', STK: 'C62', PCS: 'C62', PC: 'C62', H: 'HUR', TIM: 'HUR', KG: 'KGM', M: 'MTR', DAG: 'DAY', L: 'LTR',
});

const NO_ADDRESS = 'the buyer has no electronic address (org.nr or VAT number) for an e-invoice';

const digitsOf = (s: string): string => s.replace(/[^0-9]/g, '');

/** A Swedish organisation number as 10 digits ('556036-0793' → '5560360793'; a '16' century prefix dropped), or null. */
export function swedishOrgNumber(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let d = digitsOf(value);
  if (d.length === 12 && d.startsWith('16')) d = d.slice(2);
  return d.length === 10 && isLuhnValid(d) ? d : null;
}

/** The buyer's electronic address (BT-49): Swedish org.nr (0007), else its VAT number's EAS scheme; null when none fits. */
export function buyerEndpoint(buyer: Pick<PartySnapshot, 'country' | 'orgNumber' | 'vatNumber'>): EndpointId | null {
  if (buyer.country === 'SE') {
    const org = swedishOrgNumber(buyer.orgNumber);
    if (org !== null) return { scheme: '0007', id: org };
  }
  if (buyer.vatNumber === null || buyer.vatNumber.trim() === '') return null;
  const vat = normalizeVatNumber(buyer.vatNumber);
  const se = /^SE([0-9]{10})01$/.exec(vat);
  if (se?.[1] !== undefined) {
    const org = swedishOrgNumber(se[1]);
    return org === null ? null : { scheme: '0007', id: org };
  }
  const scheme = VAT_EAS_BY_PREFIX[vat.slice(0, 2)];
  if (scheme === undefined || !/^[A-Z]{2}[A-Z0-9+*]{2,}$/.test(vat)) return null;
  return { scheme, id: vat };
}

/** The line's unit as a UN/ECE Rec 20 code ('C62', 'HUR' …): an upper-case code as stored; common spellings ('st', 'h', 'kg') translated. */
export function unitCodeOf(unit: string, field: string): string {
  const u = unit.trim();
  if (/^[A-Z0-9]{2,3}$/.test(u)) return u;
  const alias = UNIT_ALIASES[u.toUpperCase()];
  if (alias !== undefined) return alias;
  throw new DomainError('unprocessable', `the unit '${unit}' is not a UN/ECE Recommendation 20 unit code`, field);
}

const present = (s: string | null | undefined): string | undefined =>
  s === null || s === undefined || s.trim() === '' ? undefined : s.trim();

function addressOf(p: PartySnapshot): PostalAddress {
  const street = present(p.addressLine1);
  const additionalStreet = present(p.addressLine2);
  const city = present(p.city);
  const postalZone = present(p.postalCode);
  return {
    ...(street !== undefined ? { street } : {}),
    ...(additionalStreet !== undefined ? { additionalStreet } : {}),
    ...(city !== undefined ? { city } : {}),
    ...(postalZone !== undefined ? { postalZone } : {}),
    country: p.country,
  };
}

function sellerSnapshot(invoice: Pick<InvoiceRecord, 'seller'>, tenant: TenantRecord): PartySnapshot {
  return invoice.seller ?? sellerSnapshotOf(tenant);
}

function paymentMeansOf(s: PartySnapshot, paymentId: string | undefined): PaymentMeans[] {
  const means: PaymentMeans[] = [];
  const withId = paymentId !== undefined ? { paymentId } : {};
  const bankgiro = present(s.bankgiro);
  if (bankgiro !== undefined) means.push({ account: { type: 'bankgiro', number: digitsOf(bankgiro) }, ...withId });
  const iban = present(s.iban);
  if (iban !== undefined) {
    const bic = present(s.bic)?.replace(/\s+/g, '').toUpperCase();
    means.push({
      account: { type: 'iban', iban: iban.replace(/\s+/g, '').toUpperCase(), ...(bic !== undefined ? { bic } : {}) },
      accountName: s.name,
      ...withId,
    });
  }
  return means;
}

/** The line allowance reason, in the buyer's language (Swedish for Swedish buyers, as the PDF). */
const discountText = (sv: boolean): string => (sv ? 'Rabatt' : 'Discount');

function lineOf(
  l: Pick<InvoiceRecord['lines'][number], 'lineNo' | 'quantity' | 'unit' | 'unitPriceMinor' | 'netAmountMinor' | 'description' | 'vatCategory' | 'vatRate'>,
  currency: string, sv: boolean, index: number): EInvoiceLine {
  const net = money(l.netAmountMinor, currency);
  const price = money(l.unitPriceMinor, currency);
  const base = {
    id: String(l.lineNo),
    quantity: l.quantity,
    unitCode: unitCodeOf(l.unit, `lines.${index}.unit`),
    netAmount: net,
    itemName: l.description,
    vat: { category: l.vatCategory, rate: l.vatRate },
  };
  const allowance = lineGross(l.quantity, price).minor - l.netAmountMinor;
  if (allowance === 0n) return { ...base, price };
  if (allowance > 0n) {
    return { ...base, price, allowance: { amount: money(allowance, currency), reason: discountText(sv), reasonCode: '95' } };
  }
  // net above quantity × price: state the net as the price of the whole quantity (exact, no negative allowance)
  return { ...base, price: net, baseQuantity: l.quantity };
}

function exemptionOf(category: VatCategory, sv: boolean): Pick<VatBreakdownRow, 'exemptionReasonCode' | 'exemptionReason'> {
  if (category === 'S' || category === 'Z') return {};
  const reason = EXEMPTION_REASONS[category];
  return { exemptionReasonCode: reason.code, exemptionReason: sv ? reason.text.sv : reason.text.en };
}

/** Seller and buyer as Peppol parties (electronic addresses, legal ids, VAT numbers); throws when either has no address. */
function partiesOf(s: PartySnapshot, b: PartySnapshot, tenant: TenantRecord, outsideScope: boolean): { seller: EParty; buyer: EParty; s: PartySnapshot } {
  // --- seller
  const sellerOrg = swedishOrgNumber(s.orgNumber);
  if (sellerOrg === null) {
    throw new DomainError('unprocessable', 'the seller has no valid Swedish organisation number for an e-invoice (company settings)');
  }
  const sellerVat = present(s.vatNumber);
  const sellerEmail = present(s.email);
  const sellerPhone = present(tenant.phone);
  const seller: EParty = {
    name: s.name,
    endpoint: { scheme: '0007', id: sellerOrg },
    legalId: { id: sellerOrg },
    ...(sellerVat !== undefined && !outsideScope ? { vatNumber: normalizeVatNumber(sellerVat) } : {}),
    ...(s.fSkatt === true ? { taxRegistration: F_SKATT_TEXT } : {}),
    address: addressOf(s),
    ...(sellerEmail !== undefined || sellerPhone !== undefined
      ? { contact: { ...(sellerEmail !== undefined ? { email: sellerEmail } : {}), ...(sellerPhone !== undefined ? { phone: sellerPhone } : {}) } }
      : {}),
  };

  // --- buyer
  const endpoint = buyerEndpoint(b);
  if (endpoint === null) throw new DomainError('unprocessable', NO_ADDRESS);
  const buyerOrg = b.country === 'SE' ? swedishOrgNumber(b.orgNumber) : null;
  const buyerVat = present(b.vatNumber);
  const buyerEmail = present(b.email);
  const buyer: EParty = {
    name: b.name,
    endpoint,
    ...(buyerOrg !== null ? { legalId: { id: buyerOrg, scheme: '0007' } } : {}),
    ...(buyerVat !== undefined && !outsideScope ? { vatNumber: normalizeVatNumber(buyerVat) } : {}),
    address: addressOf(b),
    ...(buyerEmail !== undefined ? { contact: { email: buyerEmail } } : {}),
  };

  return { seller, buyer, s };
}

/**
 * The issued invoice as a Peppol BIS 3 invoice (type 380). Throws DomainError 'invoice_not_issued'
 * for a draft and 'unprocessable' when the buyer has no electronic address, the seller no
 * organisation number, or a line a unit that is no UN/ECE code. `toUbl` checks the result.
 */
/**
 * BT-6 / BT-111 (decision 0008): a document in another currency than the tenant's base currency also
 * states its VAT in the base currency: the VAT the ledger posted, stored at issue.
 */
function taxCurrencyOf(currency: string, d: { baseCurrency?: string | null; vatTotalBaseMinor?: bigint | null }) {
  if (d.baseCurrency == null || d.vatTotalBaseMinor == null || d.baseCurrency === currency) return {};
  return { taxCurrency: { currency: d.baseCurrency, vatTotal: money(d.vatTotalBaseMinor, d.baseCurrency) } };
}

export function toEInvoice(
  invoice: InvoiceRecord,
  tenant: TenantRecord,
  customer: EInvoiceCustomer,
  order?: Pick<OrderRecord, 'number'> | null,
  lineOrderNumbers?: ReadonlyMap<string, string> | null,
): EInvoice {
  if (invoice.status !== 'issued' || invoice.number === null || invoice.issueDate === null) {
    throw new DomainError('invoice_not_issued', 'Only an issued invoice can be sent as an e-invoice; this one is a draft');
  }
  const cur = invoice.currency;
  const m = (minor: bigint): Money => money(minor, cur);
  const sv = invoice.buyer.country === 'SE';
  const categories = new Set(invoice.vatBreakdown.map((b) => b.vatCategory));
  /** Outside the scope of VAT (O): neither party states a VAT number (BR-O-02). */
  const outsideScope = categories.size > 0 && [...categories].every((c) => c === 'O');

  const { seller, buyer, s } = partiesOf(sellerSnapshot(invoice, tenant), invoice.buyer, tenant, outsideScope);

  // --- references
  const orderNumber = present(order?.number);
  const buyerReference = present(customer.reference) ?? orderNumber ?? invoice.number;
  // An invoice of several orders (order_id null): OrderReference (BT-13) is one order at most, so it is
  // left out; the order numbers go in the invoice note (BT-22). The generator has no order line
  // reference (BT-132), which Peppol meant for the buyer's purchase order lines anyway.
  const orders = invoice.orderId === null && lineOrderNumbers ? [...new Set(invoice.lines.map((l) => lineOrderNumbers.get(l.orderId)))] : [];
  const ordersNote =
    orders.length > 0 && orders.every((n) => n !== undefined) ? `${sv ? 'Ordrar' : 'Orders'}: ${orders.join(', ')}` : undefined;

  // --- lines, VAT, totals: the invoice's own figures
  const lines = invoice.lines.map((l, i) => lineOf(l, cur, sv, i));
  const vatBreakdown: VatBreakdownRow[] = invoice.vatBreakdown.map((r) => ({
    category: r.vatCategory,
    rate: r.vatRate,
    taxable: m(r.taxableMinor),
    vat: m(r.vatMinor),
    ...exemptionOf(r.vatCategory, sv),
  }));
  const lineExtension = invoice.lines.reduce((acc, l) => acc + l.netAmountMinor, 0n);

  const paymentReference = present(invoice.paymentReference);
  const deliveryDate = invoice.deliveryDate ?? undefined;
  const needsDeliverTo = categories.has('K');
  const days = invoice.paymentTermsDays;
  const paymentTerms = sv ? `${days} dagar netto` : `${days} days net`;

  // Decision 0010: an advance is a prepayment invoice (386); an invoice deducting advances states them
  // as PrepaidAmount (BT-113) and refers to each advance invoice (BT-25 / BT-26)
  const advance = (invoice.kind ?? 'standard') !== 'standard';
  const prepaidMinor = invoice.prepaidMinor ?? 0n;
  // Decision 0009: the öre rounding of a prices-including-VAT order (BT-114, PayableRoundingAmount)
  const roundingMinor = invoice.roundingMinor ?? 0n;
  const advanceRefs: { number: string; issueDate?: string }[] = [];
  for (const d of invoice.advanceDeductions ?? []) {
    if (d.advanceNumber === null || d.advanceNumber === undefined || advanceRefs.some((r) => r.number === d.advanceNumber)) continue;
    advanceRefs.push({ number: d.advanceNumber, ...(d.advanceIssueDate ? { issueDate: d.advanceIssueDate } : {}) });
  }
  const [firstRef, ...moreRefs] = advanceRefs;

  return {
    kind: 'invoice',
    typeCode: advance ? '386' : '380',
    number: invoice.number,
    issueDate: invoice.issueDate,
    ...(invoice.dueDate !== null ? { dueDate: invoice.dueDate } : {}),
    ...(ordersNote !== undefined ? { note: ordersNote } : {}),
    currency: cur,
    ...taxCurrencyOf(cur, invoice),
    buyerReference,
    ...(orderNumber !== undefined ? { orderReference: orderNumber } : {}),
    ...(firstRef !== undefined ? { billingReference: firstRef } : {}),
    ...(moreRefs.length > 0 ? { additionalBillingReferences: moreRefs } : {}),
    seller,
    buyer,
    ...(deliveryDate !== undefined || needsDeliverTo
      ? {
          delivery: {
            ...(deliveryDate !== undefined ? { date: deliveryDate } : {}),
            ...(needsDeliverTo ? { address: addressOf(invoice.buyer) } : {}),
          },
        }
      : {}),
    paymentMeans: paymentMeansOf(s, paymentReference),
    paymentTerms,
    allowances: [],
    charges: [],
    lines,
    vatBreakdown,
    totals: {
      lineExtension: m(lineExtension),
      taxExclusive: m(invoice.netTotalMinor),
      vatTotal: m(invoice.vatTotalMinor),
      taxInclusive: m(invoice.grossTotalMinor),
      ...(prepaidMinor > 0n ? { prepaid: m(prepaidMinor) } : {}),
      ...(roundingMinor !== 0n ? { payableRounding: m(roundingMinor) } : {}),
      payable: m(invoice.grossTotalMinor - prepaidMinor + roundingMinor),
    },
  };
}

const ONE: Quantity = Object.freeze({ scaled: 10_000n });

/** A credit note line: as an invoice line when it credits a quantity; a credit of an amount is 1 piece (C62) at its net. */
function creditLineOf(l: CreditNoteRecord['lines'][number], currency: string, sv: boolean, index: number): EInvoiceLine {
  if (l.quantity === null || l.unitPriceMinor === null) {
    const net = money(l.netAmountMinor, currency);
    return {
      id: String(l.lineNo),
      quantity: ONE,
      unitCode: 'C62',
      netAmount: net,
      itemName: l.description,
      price: net,
      vat: { category: l.vatCategory, rate: l.vatRate },
    };
  }
  return lineOf(
    { lineNo: l.lineNo, quantity: l.quantity, unit: l.unit ?? 'C62', unitPriceMinor: l.unitPriceMinor, netAmountMinor: l.netAmountMinor, description: l.description, vatCategory: l.vatCategory, vatRate: l.vatRate },
    currency,
    sv,
    index,
  );
}

/**
 * The issued credit note as a Peppol BIS 3 credit note (type 381) with a billing reference to the
 * invoice it corrects (number and issue date). Every amount is the credit note's own, positive. The
 * seller is its snapshot at issue; the buyer's electronic address as for the invoice. No payment
 * means or due date: nothing is to be paid; the terms say it is credited against the invoice (BR-CO-25). Throws DomainError 'invoice_not_issued' for a
 * draft and 'unprocessable' when an electronic address is missing, as toEInvoice does.
 */
export function toECreditNote(
  note: CreditNoteRecord,
  invoice: Pick<InvoiceRecord, 'number' | 'issueDate' | 'deliveryDate' | 'seller'>,
  tenant: TenantRecord,
  customer: EInvoiceCustomer,
  order?: Pick<OrderRecord, 'number'> | null,
): EInvoiceCreditNote {
  if (note.status !== 'issued' || note.number === null || note.issueDate === null) {
    throw new DomainError('invoice_not_issued', 'Only an issued credit note can be sent as an e-invoice; this one is a draft');
  }
  if (invoice.number === null || invoice.issueDate === null) throw new Error(`credit note ${note.id}: the credited invoice is not issued`);
  const cur = note.currency;
  const m = (minor: bigint): Money => money(minor, cur);
  const sv = note.buyer.country === 'SE';
  const categories = new Set(note.vatBreakdown.map((b) => b.vatCategory));
  const outsideScope = categories.size > 0 && [...categories].every((c) => c === 'O');
  const { seller, buyer } = partiesOf(note.seller ?? sellerSnapshot(invoice, tenant), note.buyer, tenant, outsideScope);

  const orderNumber = present(order?.number);
  const buyerReference = present(customer.reference) ?? orderNumber ?? invoice.number;
  const lines = note.lines.map((l, i) => creditLineOf(l, cur, sv, i));
  const vatBreakdown: VatBreakdownRow[] = note.vatBreakdown.map((r) => ({
    category: r.vatCategory,
    rate: r.vatRate,
    taxable: m(r.taxableMinor),
    vat: m(r.vatMinor),
    ...exemptionOf(r.vatCategory, sv),
  }));
  const lineExtension = note.lines.reduce((acc, l) => acc + l.netAmountMinor, 0n);
  const deliveryDate = invoice.deliveryDate ?? undefined;
  const needsDeliverTo = categories.has('K');
  const reason = present(note.reason);

  return {
    kind: 'credit_note',
    typeCode: '381',
    number: note.number,
    issueDate: note.issueDate,
    ...(reason !== undefined ? { note: reason } : {}),
    currency: cur,
    ...taxCurrencyOf(cur, note),
    buyerReference,
    ...(orderNumber !== undefined ? { orderReference: orderNumber } : {}),
    billingReference: { number: invoice.number, issueDate: invoice.issueDate },
    seller,
    buyer,
    ...(deliveryDate !== undefined || needsDeliverTo
      ? {
          delivery: {
            ...(deliveryDate !== undefined ? { date: deliveryDate } : {}),
            ...(needsDeliverTo ? { address: addressOf(note.buyer) } : {}),
          },
        }
      : {}),
    paymentMeans: [],
    // BR-CO-25: a positive amount needs a due date or payment terms; a credit is settled against the invoice
    paymentTerms: sv ? `Tillgodoräknas mot faktura ${invoice.number}` : `To be credited against invoice ${invoice.number}`,
    allowances: [],
    charges: [],
    lines,
    vatBreakdown,
    totals: {
      lineExtension: m(lineExtension),
      taxExclusive: m(note.netTotalMinor),
      vatTotal: m(note.vatTotalMinor),
      taxInclusive: m(note.grossTotalMinor),
      payable: m(note.grossTotalMinor),
    },
  };
}
