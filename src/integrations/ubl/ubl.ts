/**
 * Peppol BIS Billing 3.0 (UBL 2.1) writer for q2c invoices and credit notes.
 *
 * `checkEInvoice` refuses a document whose figures do not add up or that a Peppol/EN 16931 rule
 * would reject, naming the field; `toUbl` calls it first and then writes exactly the figures given.
 * Nothing is recomputed or "fixed" on the way out, so what the ledger holds is what the buyer gets.
 *
 * Decisions forced by the rules (see also document.ts):
 * - Swedish bankgiro/plusgiro: PaymentMeansCode 30 with PayeeFinancialAccount/ID the number (digits
 *   only) and FinancialInstitutionBranch/ID 'SE:BANKGIRO' / 'SE:PLUSGIRO' (Peppol SE-R-008…011).
 * - "Godkänd för F-skatt" is the seller's tax registration (BT-32): PartyTaxScheme CompanyID with
 *   TaxScheme ID 'TAX' (SE-R-005 accepts no other text for a Swedish seller).
 * - Credit notes carry positive amounts with type 381 and CreditedQuantity; the due date, which the
 *   UBL CreditNote has no header element for, goes into PaymentMeans/PaymentDueDate.
 * - Category O: no VAT identifiers of seller or buyer, no rate on lines, allowances, charges or the
 *   breakdown, and no other category on the document (BR-O-02…14).
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { DomainError } from '../../core/shared/errors.js';
import { formatAmount } from '../../core/money/money.js';
import type { Money } from '../../core/money/money.js';
import { currencyExponent, isKnownCurrency } from '../../core/money/currency.js';
import { formatDecimal4, HUNDRED_PERCENT } from '../../core/money/quantity.js';
import { isLuhnValid } from '../../core/receivables/ocr.js';
import { VAT_CATEGORIES } from '../../core/tax/vat.js';
import { VATEX_CATEGORY, expectedBreakdown, expectedLineNet, vatKey } from './document.js';
import type { AllowanceCharge, EInvoice, EParty, PaymentMeans, PostalAddress, VatClass } from './document.js';

export const PEPPOL_CUSTOMIZATION_ID = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
export const PEPPOL_PROFILE_ID = 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0';

const NS_INVOICE = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2';
const NS_CREDIT_NOTE = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2';
const CAC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2';
const CBC = 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2';

export const F_SKATT_TEXT = 'Godkänd för F-skatt';

/** UNCL5189 allowance reason codes Peppol accepts (PEPPOL-EN16931-CL002). */
const ALLOWANCE_REASON_CODES = new Set([
  '41', '42', '60', '62', '63', '64', '65', '66', '67', '68', '70', '71', '88', '95', '100', '102', '103', '104', '105',
]);

export interface EInvoiceProblem {
  /** the field at fault, as a dotted path: `lines.2.netAmount`, `totals.payable`, `vatBreakdown.0.vat` */
  readonly field: string;
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** ISO 7064 mod 97-10 over an alphanumeric string whose letters count A=10 … Z=35. */
function mod97(s: string): bigint {
  const digits = [...s].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  return BigInt(digits) % 97n;
}

function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1n;
}

/** ISO 11649 creditor reference: 'RF' + 2 check digits + up to 21 alphanumerics. */
function isValidRf(ref: string): boolean {
  if (!/^RF[0-9]{2}[A-Z0-9]{1,21}$/.test(ref)) return false;
  return mod97(ref.slice(4) + ref.slice(0, 4)) === 1n;
}

function isValidGln(gln: string): boolean {
  if (!/^[0-9]{13}$/.test(gln)) return false;
  let total = 0;
  for (let i = 0; i < 12; i++) total += Number(gln[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (total % 10)) % 10 === Number(gln[12]);
}

function isSwedishOrgNumber(s: string): boolean {
  return /^[0-9]{10}$/.test(s) && isLuhnValid(s);
}

class Checker {
  readonly problems: EInvoiceProblem[] = [];
  constructor(readonly currency: string) {}

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** An optional text, if given, must not be blank (Peppol R008: no empty elements). */
  text(field: string, value: string | undefined, required = false): void {
    if (value === undefined) {
      if (required) this.add(field, 'is required');
      return;
    }
    if (value.trim() === '') this.add(field, 'must not be blank');
  }

  date(field: string, value: string | undefined): void {
    if (value !== undefined && !isIsoDate(value)) this.add(field, `must be a date 'YYYY-MM-DD', got '${value}'`);
  }

  amount(field: string, m: Money | undefined): void {
    if (m === undefined) return;
    if (m.currency !== this.currency) this.add(field, `is in ${m.currency}, the document currency is ${this.currency}`);
  }

  equal(field: string, actual: Money | undefined, expected: bigint, what: string): void {
    const got = actual?.minor ?? 0n;
    if (got !== expected) {
      const fmt = (minor: bigint): string => formatAmount({ minor, currency: this.currency });
      this.add(field, `is ${fmt(got)} but ${what} is ${fmt(expected)}`);
    }
  }
}

function checkAddress(c: Checker, field: string, a: PostalAddress): void {
  c.text(`${field}.street`, a.street);
  c.text(`${field}.additionalStreet`, a.additionalStreet);
  c.text(`${field}.city`, a.city);
  c.text(`${field}.postalZone`, a.postalZone);
  c.text(`${field}.countrySubentity`, a.countrySubentity);
  if (!/^[A-Z]{2}$/.test(a.country)) c.add(`${field}.country`, `must be an ISO 3166-1 alpha-2 code, got '${a.country}'`);
}

function checkParty(c: Checker, field: string, p: EParty, role: 'seller' | 'buyer'): void {
  c.text(`${field}.name`, p.name, true);
  c.text(`${field}.tradingName`, p.tradingName);
  c.text(`${field}.vatNumber`, p.vatNumber);
  if (!/^[0-9]{4}$/.test(p.endpoint.scheme)) {
    c.add(`${field}.endpoint.scheme`, `must be a four-digit EAS code such as 0007, got '${p.endpoint.scheme}'`);
  }
  c.text(`${field}.endpoint.id`, p.endpoint.id, true);
  if (p.endpoint.scheme === '0007' && !isSwedishOrgNumber(p.endpoint.id)) {
    c.add(`${field}.endpoint.id`, 'must be a Swedish organisation number: 10 digits, valid check digit (PEPPOL-COMMON-R049)');
  }
  if (p.endpoint.scheme === '0088' && !isValidGln(p.endpoint.id)) {
    c.add(`${field}.endpoint.id`, 'must be a GLN: 13 digits with a valid check digit (PEPPOL-COMMON-R040)');
  }
  if (p.legalId !== undefined) {
    c.text(`${field}.legalId.id`, p.legalId.id, true);
    c.text(`${field}.legalId.scheme`, p.legalId.scheme);
    const swedishSeller = role === 'seller' && p.address.country === 'SE';
    if ((swedishSeller || p.legalId.scheme === '0007') && !isSwedishOrgNumber(p.legalId.id)) {
      c.add(`${field}.legalId.id`, 'must be a Swedish organisation number: 10 digits, valid check digit (SE-R-003/004/013)');
    }
  }
  if (p.vatNumber !== undefined && !/^[A-Z]{2}[A-Za-z0-9+*.]{2,}$/.test(p.vatNumber)) {
    c.add(`${field}.vatNumber`, `must start with a two-letter country prefix, got '${p.vatNumber}'`);
  }
  if (role === 'seller' && p.address.country === 'SE' && p.vatNumber?.startsWith('SE') === true) {
    if (!/^SE[0-9]{12}$/.test(p.vatNumber)) c.add(`${field}.vatNumber`, "a Swedish VAT number is 'SE' and 12 digits (SE-R-001/002)");
  }
  if (p.taxRegistration !== undefined) {
    if (role === 'buyer') c.add(`${field}.taxRegistration`, 'only the seller has a tax registration text (BT-32)');
    c.text(`${field}.taxRegistration`, p.taxRegistration);
    if (
      role === 'seller' &&
      p.address.country === 'SE' &&
      p.taxRegistration.trim().toUpperCase() !== F_SKATT_TEXT.toUpperCase()
    ) {
      c.add(`${field}.taxRegistration`, `a Swedish seller may only state '${F_SKATT_TEXT}' here (SE-R-005)`);
    }
  }
  if (role === 'seller' && p.legalId === undefined && p.vatNumber === undefined) {
    c.add(`${field}.legalId`, 'the seller needs a legal registration identifier or a VAT number (BR-CO-26)');
  }
  checkAddress(c, `${field}.address`, p.address);
  if (p.contact !== undefined) {
    c.text(`${field}.contact.name`, p.contact.name);
    c.text(`${field}.contact.phone`, p.contact.phone);
    c.text(`${field}.contact.email`, p.contact.email);
  }
}

function checkVatClass(c: Checker, field: string, v: VatClass, swedishSeller: boolean): void {
  if (!(VAT_CATEGORIES as readonly string[]).includes(v.category)) {
    c.add(`${field}.category`, `must be one of ${VAT_CATEGORIES.join(', ')}`);
    return;
  }
  const rate = v.rate.scaled;
  if (v.category === 'S') {
    if (rate <= 0n || rate > HUNDRED_PERCENT.scaled) c.add(`${field}.rate`, 'must be above 0 and at most 100 for category S');
    else if (swedishSeller && ![25n, 12n, 6n].some((r) => r * 10_000n === rate)) {
      c.add(`${field}.rate`, `a Swedish seller uses 25, 12 or 6 percent, got ${formatDecimal4(v.rate)} (SE-R-006)`);
    }
  } else if (rate !== 0n) {
    c.add(`${field}.rate`, `must be 0 for category ${v.category}`);
  }
}

function checkAllowanceCharge(c: Checker, field: string, a: AllowanceCharge, charge: boolean, swedishSeller: boolean): void {
  c.amount(`${field}.amount`, a.amount);
  c.text(`${field}.reason`, a.reason);
  c.text(`${field}.reasonCode`, a.reasonCode);
  if (a.reason === undefined && a.reasonCode === undefined) {
    c.add(`${field}.reason`, `a document level ${charge ? 'charge' : 'allowance'} needs a reason or a reason code (${charge ? 'BR-38' : 'BR-33'})`);
  }
  if (!charge && a.reasonCode !== undefined && !ALLOWANCE_REASON_CODES.has(a.reasonCode)) {
    c.add(`${field}.reasonCode`, `is not an allowance reason code Peppol accepts (UNCL5189 subset): '${a.reasonCode}'`);
  }
  checkVatClass(c, `${field}.vat`, a.vat, swedishSeller);
}

function checkPaymentMeans(c: Checker, field: string, p: PaymentMeans): void {
  c.text(`${field}.accountName`, p.accountName);
  c.text(`${field}.paymentId`, p.paymentId);
  const acc = p.account;
  if (acc.type === 'iban') {
    if (!isValidIban(acc.iban)) c.add(`${field}.account.iban`, 'must be an IBAN without spaces, with valid check digits');
    if (acc.bic !== undefined && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(acc.bic)) {
      c.add(`${field}.account.bic`, 'must be a BIC of 8 or 11 characters');
    }
  } else {
    if (p.code === '58') c.add(`${field}.code`, 'SEPA credit transfer (58) needs an IBAN');
    if (acc.type === 'bankgiro' && !/^[0-9]{7,8}$/.test(acc.number)) {
      c.add(`${field}.account.number`, 'a bankgiro number is 7 or 8 digits, no hyphen (SE-R-008/009)');
    }
    if (acc.type === 'plusgiro' && !/^[0-9]{2,8}$/.test(acc.number)) {
      c.add(`${field}.account.number`, 'a plusgiro number is 2 to 8 digits, no hyphen (SE-R-007/010)');
    }
  }
  const id = p.paymentId;
  if (id !== undefined) {
    if (id.startsWith('RF')) {
      if (!isValidRf(id)) c.add(`${field}.paymentId`, 'an RF creditor reference must have valid ISO 11649 check digits');
    } else if (/^[0-9]+$/.test(id) && !isLuhnValid(id)) {
      c.add(`${field}.paymentId`, 'an OCR reference must end in a valid check digit');
    }
  }
}

/** Everything wrong with the document, in document order; empty when it may be sent. */
export function findEInvoiceProblems(doc: EInvoice): EInvoiceProblem[] {
  const c = new Checker(doc.currency);
  // --- header
  if (doc.kind === 'invoice' ? doc.typeCode !== '380' && doc.typeCode !== '386' : doc.typeCode !== '381') {
    c.add('typeCode', `type code ${String(doc.typeCode)} does not fit a ${doc.kind}`);
  }
  c.text('number', doc.number, true);
  c.date('issueDate', doc.issueDate);
  c.date('dueDate', doc.dueDate);
  c.text('note', doc.note);
  if (!isKnownCurrency(doc.currency)) {
    c.add('currency', `unsupported currency '${doc.currency}'`);
    return c.problems;
  }
  if (currencyExponent(doc.currency) > 2) {
    c.add('currency', `${doc.currency} has ${currencyExponent(doc.currency)} decimals; EN 16931 amounts have at most 2 (BR-DEC)`);
    return c.problems;
  }
  c.text('buyerReference', doc.buyerReference);
  c.text('orderReference', doc.orderReference);
  if (doc.buyerReference === undefined && doc.orderReference === undefined) {
    c.add('buyerReference', 'a buyer reference or a purchase order reference is required (PEPPOL-EN16931-R003)');
  }
  (doc.additionalBillingReferences ?? []).forEach((r, i) => {
    c.text(`additionalBillingReferences.${i}.number`, r.number, true);
    c.date(`additionalBillingReferences.${i}.issueDate`, r.issueDate);
  });
  if (doc.billingReference !== undefined) {
    c.text('billingReference.number', doc.billingReference.number, true);
    c.date('billingReference.issueDate', doc.billingReference.issueDate);
  } else if (doc.kind === 'credit_note') {
    c.add('billingReference', 'a credit note must name the invoice it credits');
  }
  c.text('paymentTerms', doc.paymentTerms);

  // --- parties
  checkParty(c, 'seller', doc.seller, 'seller');
  checkParty(c, 'buyer', doc.buyer, 'buyer');
  const swedishSeller = doc.seller.address.country === 'SE' && doc.seller.vatNumber?.startsWith('SE') === true;

  // --- delivery, payment
  if (doc.delivery !== undefined) {
    c.date('delivery.date', doc.delivery.date);
    if (doc.delivery.address !== undefined) checkAddress(c, 'delivery.address', doc.delivery.address);
  }
  doc.paymentMeans.forEach((p, i) => checkPaymentMeans(c, `paymentMeans.${i}`, p));
  // several accounts are fine, but with one means code and one payment reference (UBL-SR-44/47)
  doc.paymentMeans.forEach((p, i) => {
    const first = doc.paymentMeans[0];
    if (i === 0 || first === undefined) return;
    if ((p.code ?? '30') !== (first.code ?? '30')) c.add(`paymentMeans.${i}.code`, 'all payment means must share one code (UBL-SR-47)');
    if (p.paymentId !== undefined && first.paymentId !== undefined && p.paymentId !== first.paymentId) {
      c.add(`paymentMeans.${i}.paymentId`, 'all payment means must carry the same payment reference (UBL-SR-44)');
    }
  });
  if (doc.kind === 'credit_note' && doc.dueDate !== undefined && doc.paymentMeans.length === 0) {
    c.add('dueDate', 'a credit note states its due date in the payment means; give one or drop the due date');
  }

  // --- lines
  if (doc.lines.length === 0) c.add('lines', 'a document needs at least one line (BR-16)');
  const ids = new Set<string>();
  doc.lines.forEach((l, i) => {
    const f = `lines.${i}`;
    c.text(`${f}.id`, l.id, true);
    if (ids.has(l.id)) c.add(`${f}.id`, `duplicate line id '${l.id}'`);
    ids.add(l.id);
    if (!/^[A-Z0-9]{2,3}$/.test(l.unitCode)) c.add(`${f}.unitCode`, `must be a UN/ECE Rec 20 unit code, got '${l.unitCode}'`);
    c.text(`${f}.itemName`, l.itemName, true);
    c.text(`${f}.description`, l.description);
    c.text(`${f}.sellerItemId`, l.sellerItemId);
    c.amount(`${f}.netAmount`, l.netAmount);
    c.amount(`${f}.price`, l.price);
    if (l.price.minor < 0n) c.add(`${f}.price`, 'the item net price must not be negative (BR-27)');
    if (l.baseQuantity !== undefined && l.baseQuantity.scaled <= 0n) {
      c.add(`${f}.baseQuantity`, 'must be positive (PEPPOL-EN16931-R121)');
    }
    if (l.allowance !== undefined) {
      c.amount(`${f}.allowance.amount`, l.allowance.amount);
      c.text(`${f}.allowance.reason`, l.allowance.reason);
      c.text(`${f}.allowance.reasonCode`, l.allowance.reasonCode);
      if (l.allowance.reason === undefined && l.allowance.reasonCode === undefined) {
        c.add(`${f}.allowance.reason`, 'a line allowance needs a reason or a reason code (BR-41/BR-42)');
      }
      if (l.allowance.reasonCode !== undefined && !ALLOWANCE_REASON_CODES.has(l.allowance.reasonCode)) {
        c.add(`${f}.allowance.reasonCode`, `is not an allowance reason code Peppol accepts: '${l.allowance.reasonCode}'`);
      }
    }
    checkVatClass(c, `${f}.vat`, l.vat, swedishSeller);
    if (l.baseQuantity === undefined || l.baseQuantity.scaled > 0n) {
      c.equal(`${f}.netAmount`, l.netAmount, expectedLineNet(l).minor, 'round(quantity × price ÷ base quantity) − allowance');
    }
  });
  doc.allowances.forEach((a, i) => checkAllowanceCharge(c, `allowances.${i}`, a, false, swedishSeller));
  doc.charges.forEach((a, i) => checkAllowanceCharge(c, `charges.${i}`, a, true, swedishSeller));
  if (c.problems.some((p) => p.field.endsWith('.currency') || p.message.includes('the document currency'))) {
    return c.problems; // sums over mixed currencies would only add noise
  }

  // --- VAT breakdown
  const expected = expectedBreakdown(doc.currency, doc.lines, doc.allowances, doc.charges);
  const expectedByKey = new Map(expected.map((g) => [vatKey(g), g]));
  const seen = new Set<string>();
  doc.vatBreakdown.forEach((row, i) => {
    const f = `vatBreakdown.${i}`;
    const key = vatKey(row);
    c.amount(`${f}.taxable`, row.taxable);
    c.amount(`${f}.vat`, row.vat);
    if (seen.has(key)) c.add(f, `a second row for category ${row.category} at ${formatDecimal4(row.rate)} %`);
    seen.add(key);
    const g = expectedByKey.get(key);
    if (g === undefined) {
      c.add(f, `no line, allowance or charge has category ${row.category} at ${formatDecimal4(row.rate)} %`);
    } else {
      c.equal(`${f}.taxable`, row.taxable, g.taxable.minor, 'Σ line nets − allowances + charges of the group');
      c.equal(`${f}.vat`, row.vat, g.vat.minor, 'taxable × rate ÷ 100 rounded half away from zero');
    }
    c.text(`${f}.exemptionReasonCode`, row.exemptionReasonCode);
    c.text(`${f}.exemptionReason`, row.exemptionReason);
    const hasReason = row.exemptionReasonCode !== undefined || row.exemptionReason !== undefined;
    if (row.category === 'S' || row.category === 'Z') {
      if (hasReason) c.add(`${f}.exemptionReason`, `category ${row.category} takes no exemption reason (BR-${row.category}-10)`);
    } else if (!hasReason) {
      c.add(`${f}.exemptionReason`, `category ${row.category} needs an exemption reason code or text`);
    }
    if (row.exemptionReasonCode !== undefined) {
      const pinned = VATEX_CATEGORY[row.exemptionReasonCode];
      if (pinned !== undefined && pinned !== row.category) {
        c.add(`${f}.exemptionReasonCode`, `${row.exemptionReasonCode} belongs to category ${pinned}, not ${row.category}`);
      }
      if (!/^VATEX-[A-Z0-9-]+$/i.test(row.exemptionReasonCode)) {
        c.add(`${f}.exemptionReasonCode`, `must be a VATEX code, got '${row.exemptionReasonCode}'`);
      }
    }
  });
  for (const g of expected) {
    if (!seen.has(vatKey(g))) {
      c.add('vatBreakdown', `missing the row for category ${g.category} at ${formatDecimal4(g.rate)} %`);
    }
  }

  // --- category-specific party requirements
  const categories = new Set(expected.map((g) => g.category));
  const needsSellerVat = ['S', 'Z', 'E', 'AE', 'K', 'G'].filter((k) => categories.has(k as never));
  if (needsSellerVat.length > 0 && doc.seller.vatNumber === undefined) {
    c.add('seller.vatNumber', `category ${needsSellerVat.join(', ')} requires the seller's VAT number`);
  }
  if (categories.has('AE') && doc.buyer.vatNumber === undefined) {
    c.add('buyer.vatNumber', "reverse charge (AE) requires the buyer's VAT number");
  }
  if (categories.has('K')) {
    if (doc.buyer.vatNumber === undefined) c.add('buyer.vatNumber', "intra-EU supply (K) requires the buyer's VAT number (BR-IC-02)");
    if (doc.delivery?.date === undefined) c.add('delivery.date', 'intra-EU supply (K) requires the delivery date (BR-IC-11)');
    if (doc.delivery?.address === undefined) {
      c.add('delivery.address', 'intra-EU supply (K) requires the deliver-to country (BR-IC-12)');
    }
  }
  if (categories.has('O')) {
    if (categories.size > 1) c.add('vatBreakdown', 'category O (outside the scope of VAT) cannot be mixed with other categories (BR-O-11…14)');
    if (doc.seller.vatNumber !== undefined) c.add('seller.vatNumber', 'must be absent on a document outside the scope of VAT (BR-O-02)');
    if (doc.buyer.vatNumber !== undefined) c.add('buyer.vatNumber', 'must be absent on a document outside the scope of VAT (BR-O-02)');
  }

  // --- totals
  const t = doc.totals;
  const sumOf = (xs: readonly { minor: bigint }[]): bigint => xs.reduce((acc, x) => acc + x.minor, 0n);
  for (const [name, m] of Object.entries(t) as [string, Money | undefined][]) c.amount(`totals.${name}`, m);
  c.equal('totals.lineExtension', t.lineExtension, sumOf(doc.lines.map((l) => l.netAmount)), 'Σ line net amounts (BR-CO-10)');
  if (doc.allowances.length > 0 || t.allowanceTotal !== undefined) {
    c.equal('totals.allowanceTotal', t.allowanceTotal, sumOf(doc.allowances.map((a) => a.amount)), 'Σ allowances (BR-CO-11)');
  }
  if (doc.charges.length > 0 || t.chargeTotal !== undefined) {
    c.equal('totals.chargeTotal', t.chargeTotal, sumOf(doc.charges.map((a) => a.amount)), 'Σ charges (BR-CO-12)');
  }
  const taxExclusive = t.lineExtension.minor - (t.allowanceTotal?.minor ?? 0n) + (t.chargeTotal?.minor ?? 0n);
  c.equal('totals.taxExclusive', t.taxExclusive, taxExclusive, 'line extension − allowances + charges (BR-CO-13)');
  c.equal('totals.vatTotal', t.vatTotal, sumOf(doc.vatBreakdown.map((r) => r.vat)), 'Σ VAT of the breakdown (BR-CO-14)');
  c.equal('totals.taxInclusive', t.taxInclusive, t.taxExclusive.minor + t.vatTotal.minor, 'tax exclusive + VAT (BR-CO-15)');
  const payable = t.taxInclusive.minor - (t.prepaid?.minor ?? 0n) + (t.payableRounding?.minor ?? 0n);
  c.equal('totals.payable', t.payable, payable, 'tax inclusive − prepaid + rounding (BR-CO-16)');
  if (t.payable.minor > 0n && doc.dueDate === undefined && doc.paymentTerms === undefined) {
    c.add('dueDate', 'a positive amount due needs a due date or payment terms (BR-CO-25)');
  }

  // --- VAT accounting currency
  if (doc.taxCurrency !== undefined) {
    const tc = doc.taxCurrency;
    if (!isKnownCurrency(tc.currency)) c.add('taxCurrency.currency', `unsupported currency '${tc.currency}'`);
    else if (currencyExponent(tc.currency) > 2) c.add('taxCurrency.currency', `${tc.currency} has more than 2 decimals`);
    if (tc.currency === doc.currency) {
      c.add('taxCurrency.currency', 'must differ from the document currency (PEPPOL-EN16931-R005)');
    }
    if (tc.vatTotal.currency !== tc.currency) {
      c.add('taxCurrency.vatTotal', `is in ${tc.vatTotal.currency}, the VAT accounting currency is ${tc.currency}`);
    }
    const a = t.vatTotal.minor;
    const b = tc.vatTotal.minor;
    if ((a > 0n && b < 0n) || (a < 0n && b > 0n) || (a === 0n) !== (b === 0n)) {
      c.add('taxCurrency.vatTotal', 'must have the same sign as the VAT total (PEPPOL-EN16931-R055)');
    }
  }
  return c.problems;
}

/** Throws DomainError('unprocessable', …, field) naming the first problem; the message lists them all. */
export function checkEInvoice(doc: EInvoice): void {
  const problems = findEInvoiceProblems(doc);
  const first = problems[0];
  if (first === undefined) return;
  const list = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
  throw new DomainError('unprocessable', `e-invoice ${doc.number} cannot be sent: ${list}`, first.field);
}

// ---------------------------------------------------------------------------------------------
// XML
// ---------------------------------------------------------------------------------------------

function cbc(parent: XMLBuilder, name: string, value: string, attrs?: Record<string, string>): XMLBuilder {
  return parent.ele(CBC, `cbc:${name}`, attrs).txt(value).up();
}

function cac(parent: XMLBuilder, name: string): XMLBuilder {
  return parent.ele(CAC, `cac:${name}`);
}

function amountEl(parent: XMLBuilder, name: string, m: Money): void {
  cbc(parent, name, formatAmount(m), { currencyID: m.currency });
}

function opt(parent: XMLBuilder, name: string, value: string | undefined): void {
  if (value !== undefined) cbc(parent, name, value);
}

function vatScheme(parent: XMLBuilder): void {
  cbc(cac(parent, 'TaxScheme'), 'ID', 'VAT');
}

/** TaxCategory / ClassifiedTaxCategory: no Percent for category O (BR-O-05/06/07). */
function taxCategory(parent: XMLBuilder, name: string, v: VatClass, exemption?: { code?: string; text?: string }): void {
  const el = cac(parent, name);
  cbc(el, 'ID', v.category);
  if (v.category !== 'O') cbc(el, 'Percent', formatDecimal4(v.rate));
  opt(el, 'TaxExemptionReasonCode', exemption?.code);
  opt(el, 'TaxExemptionReason', exemption?.text);
  vatScheme(el);
}

function address(parent: XMLBuilder, name: string, a: PostalAddress): void {
  const el = cac(parent, name);
  opt(el, 'StreetName', a.street);
  opt(el, 'AdditionalStreetName', a.additionalStreet);
  opt(el, 'CityName', a.city);
  opt(el, 'PostalZone', a.postalZone);
  opt(el, 'CountrySubentity', a.countrySubentity);
  cbc(cac(el, 'Country'), 'IdentificationCode', a.country);
}

function party(parent: XMLBuilder, wrapper: string, p: EParty): void {
  const el = cac(cac(parent, wrapper), 'Party');
  cbc(el, 'EndpointID', p.endpoint.id, { schemeID: p.endpoint.scheme });
  if (p.tradingName !== undefined) cbc(cac(el, 'PartyName'), 'Name', p.tradingName);
  address(el, 'PostalAddress', p.address);
  if (p.vatNumber !== undefined) {
    const ts = cac(el, 'PartyTaxScheme');
    cbc(ts, 'CompanyID', p.vatNumber);
    vatScheme(ts);
  }
  if (p.taxRegistration !== undefined) {
    const ts = cac(el, 'PartyTaxScheme');
    cbc(ts, 'CompanyID', p.taxRegistration);
    cbc(cac(ts, 'TaxScheme'), 'ID', 'TAX');
  }
  const le = cac(el, 'PartyLegalEntity');
  cbc(le, 'RegistrationName', p.name);
  if (p.legalId !== undefined) {
    cbc(le, 'CompanyID', p.legalId.id, p.legalId.scheme !== undefined ? { schemeID: p.legalId.scheme } : undefined);
  }
  if (p.contact !== undefined && (p.contact.name ?? p.contact.phone ?? p.contact.email) !== undefined) {
    const ct = cac(el, 'Contact');
    opt(ct, 'Name', p.contact.name);
    opt(ct, 'Telephone', p.contact.phone);
    opt(ct, 'ElectronicMail', p.contact.email);
  }
}

/** The payment means text (the code's name) only on the first: UBL-SR-46 allows it once. */
function paymentMeans(parent: XMLBuilder, p: PaymentMeans, first: boolean, dueDate: string | undefined): void {
  const el = cac(parent, 'PaymentMeans');
  const code = p.code ?? '30';
  cbc(el, 'PaymentMeansCode', code, first ? { name: code === '58' ? 'SEPA credit transfer' : 'Credit transfer' } : undefined);
  opt(el, 'PaymentDueDate', dueDate);
  opt(el, 'PaymentID', p.paymentId);
  const acc = cac(el, 'PayeeFinancialAccount');
  const a = p.account;
  cbc(acc, 'ID', a.type === 'iban' ? a.iban : a.number);
  opt(acc, 'Name', p.accountName);
  const branch = a.type === 'iban' ? a.bic : a.type === 'bankgiro' ? 'SE:BANKGIRO' : 'SE:PLUSGIRO';
  if (branch !== undefined) cbc(cac(acc, 'FinancialInstitutionBranch'), 'ID', branch);
}

function allowanceCharge(parent: XMLBuilder, a: AllowanceCharge, charge: boolean): void {
  const el = cac(parent, 'AllowanceCharge');
  cbc(el, 'ChargeIndicator', charge ? 'true' : 'false');
  opt(el, 'AllowanceChargeReasonCode', a.reasonCode);
  opt(el, 'AllowanceChargeReason', a.reason);
  amountEl(el, 'Amount', a.amount);
  taxCategory(el, 'TaxCategory', a.vat);
}

/**
 * The document as Peppol BIS Billing 3.0 UBL 2.1 XML (Invoice or CreditNote root).
 * Throws DomainError('unprocessable') naming the field when `checkEInvoice` refuses the document.
 */
export function toUbl(doc: EInvoice): string {
  checkEInvoice(doc);
  const credit = doc.kind === 'credit_note';
  const xml = create({ version: '1.0', encoding: 'UTF-8' });
  const root = xml.ele(credit ? NS_CREDIT_NOTE : NS_INVOICE, credit ? 'CreditNote' : 'Invoice', {
    'xmlns:cac': CAC,
    'xmlns:cbc': CBC,
  });
  cbc(root, 'CustomizationID', PEPPOL_CUSTOMIZATION_ID);
  cbc(root, 'ProfileID', PEPPOL_PROFILE_ID);
  cbc(root, 'ID', doc.number);
  cbc(root, 'IssueDate', doc.issueDate);
  if (!credit) opt(root, 'DueDate', doc.dueDate);
  cbc(root, credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode', doc.typeCode);
  opt(root, 'Note', doc.note);
  cbc(root, 'DocumentCurrencyCode', doc.currency);
  if (doc.taxCurrency !== undefined) cbc(root, 'TaxCurrencyCode', doc.taxCurrency.currency);
  opt(root, 'BuyerReference', doc.buyerReference);
  if (doc.orderReference !== undefined) cbc(cac(root, 'OrderReference'), 'ID', doc.orderReference);
  for (const r of [...(doc.billingReference !== undefined ? [doc.billingReference] : []), ...(doc.additionalBillingReferences ?? [])]) {
    const ref = cac(cac(root, 'BillingReference'), 'InvoiceDocumentReference');
    cbc(ref, 'ID', r.number);
    opt(ref, 'IssueDate', r.issueDate);
  }
  party(root, 'AccountingSupplierParty', doc.seller);
  party(root, 'AccountingCustomerParty', doc.buyer);
  if (doc.delivery !== undefined && (doc.delivery.date ?? doc.delivery.address) !== undefined) {
    const d = cac(root, 'Delivery');
    opt(d, 'ActualDeliveryDate', doc.delivery.date);
    if (doc.delivery.address !== undefined) address(cac(d, 'DeliveryLocation'), 'Address', doc.delivery.address);
  }
  doc.paymentMeans.forEach((p, i) => paymentMeans(root, p, i === 0, credit && i === 0 ? doc.dueDate : undefined));
  if (doc.paymentTerms !== undefined) cbc(cac(root, 'PaymentTerms'), 'Note', doc.paymentTerms);
  for (const a of doc.allowances) allowanceCharge(root, a, false);
  for (const a of doc.charges) allowanceCharge(root, a, true);

  const taxTotal = cac(root, 'TaxTotal');
  amountEl(taxTotal, 'TaxAmount', doc.totals.vatTotal);
  for (const row of doc.vatBreakdown) {
    const sub = cac(taxTotal, 'TaxSubtotal');
    amountEl(sub, 'TaxableAmount', row.taxable);
    amountEl(sub, 'TaxAmount', row.vat);
    const exemption = {
      ...(row.exemptionReasonCode !== undefined ? { code: row.exemptionReasonCode } : {}),
      ...(row.exemptionReason !== undefined ? { text: row.exemptionReason } : {}),
    };
    taxCategory(sub, 'TaxCategory', row, exemption);
  }
  if (doc.taxCurrency !== undefined) amountEl(cac(root, 'TaxTotal'), 'TaxAmount', doc.taxCurrency.vatTotal);

  const t = doc.totals;
  const lmt = cac(root, 'LegalMonetaryTotal');
  amountEl(lmt, 'LineExtensionAmount', t.lineExtension);
  amountEl(lmt, 'TaxExclusiveAmount', t.taxExclusive);
  amountEl(lmt, 'TaxInclusiveAmount', t.taxInclusive);
  if (t.allowanceTotal !== undefined) amountEl(lmt, 'AllowanceTotalAmount', t.allowanceTotal);
  if (t.chargeTotal !== undefined) amountEl(lmt, 'ChargeTotalAmount', t.chargeTotal);
  if (t.prepaid !== undefined) amountEl(lmt, 'PrepaidAmount', t.prepaid);
  if (t.payableRounding !== undefined) amountEl(lmt, 'PayableRoundingAmount', t.payableRounding);
  amountEl(lmt, 'PayableAmount', t.payable);

  for (const l of doc.lines) {
    const el = cac(root, credit ? 'CreditNoteLine' : 'InvoiceLine');
    cbc(el, 'ID', l.id);
    cbc(el, credit ? 'CreditedQuantity' : 'InvoicedQuantity', formatDecimal4(l.quantity), { unitCode: l.unitCode });
    amountEl(el, 'LineExtensionAmount', l.netAmount);
    if (l.allowance !== undefined) {
      const ac = cac(el, 'AllowanceCharge');
      cbc(ac, 'ChargeIndicator', 'false');
      opt(ac, 'AllowanceChargeReasonCode', l.allowance.reasonCode);
      opt(ac, 'AllowanceChargeReason', l.allowance.reason);
      amountEl(ac, 'Amount', l.allowance.amount);
    }
    const item = cac(el, 'Item');
    opt(item, 'Description', l.description);
    cbc(item, 'Name', l.itemName);
    if (l.sellerItemId !== undefined) cbc(cac(item, 'SellersItemIdentification'), 'ID', l.sellerItemId);
    taxCategory(item, 'ClassifiedTaxCategory', l.vat);
    const price = cac(el, 'Price');
    amountEl(price, 'PriceAmount', l.price);
    if (l.baseQuantity !== undefined) cbc(price, 'BaseQuantity', formatDecimal4(l.baseQuantity), { unitCode: l.unitCode });
  }
  return xml.end({ prettyPrint: true });
}
