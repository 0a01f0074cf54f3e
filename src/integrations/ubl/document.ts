/**
 * EInvoice: the plain data of one Peppol BIS Billing 3.0 invoice or credit note, as q2c states it.
 *
 * Every figure is given, never derived by the generator: amounts are Money (bigint minor units of a
 * currency), quantities, rates and base quantities Decimal4. `checkEInvoice` (ubl.ts) refuses a
 * document whose figures do not add up; `toUbl` writes exactly what is here. `eInvoiceTotals` below
 * computes the VAT breakdown and document totals with q2c's documented rounding, for callers that
 * assemble a document (and for tests); it is never applied behind the caller's back.
 *
 * Business terms (BT-n) refer to EN 16931-1; "Peppol" rules to Peppol BIS Billing 3.0.
 */
import { divRound } from '../../core/money/rounding.js';
import { money } from '../../core/money/money.js';
import type { Money } from '../../core/money/money.js';
import { DECIMAL4_SCALE, HUNDRED_PERCENT, compareD } from '../../core/money/quantity.js';
import type { Decimal4, Percent, Quantity } from '../../core/money/quantity.js';
import { LINE_ROUNDING, VAT_ROUNDING } from '../../core/documents/lines.js';
import type { VatCategory } from '../../core/tax/vat.js';

export type EInvoiceKind = 'invoice' | 'credit_note';

/** UNCL1001 document type codes q2c emits: 380 commercial invoice, 386 prepayment invoice, 381 credit note. */
export type InvoiceTypeCode = '380' | '386';
export type CreditNoteTypeCode = '381';

/** Electronic address (BT-34 / BT-49): identifier and its EAS scheme ('0007' Swedish org.nr, '0088' GLN, '9930' DE VAT …). */
export interface EndpointId {
  readonly scheme: string;
  readonly id: string;
}

export interface PostalAddress {
  readonly street?: string;
  readonly additionalStreet?: string;
  readonly city?: string;
  readonly postalZone?: string;
  readonly countrySubentity?: string;
  /** ISO 3166-1 alpha-2 */
  readonly country: string;
}

export interface Contact {
  readonly name?: string;
  readonly phone?: string;
  readonly email?: string;
}

export interface EParty {
  /** legal registration name (BT-27 / BT-44) */
  readonly name: string;
  /** trading name (BT-28 / BT-45), when it differs */
  readonly tradingName?: string;
  readonly endpoint: EndpointId;
  /** legal registration identifier (BT-30 / BT-47), e.g. a Swedish org.nr '5560360793'; scheme optional ('0007') */
  readonly legalId?: { readonly id: string; readonly scheme?: string };
  /** VAT identifier with country prefix (BT-31 / BT-48), e.g. 'SE556036079301' */
  readonly vatNumber?: string;
  /**
   * Seller only: tax registration text (BT-32), written as PartyTaxScheme CompanyID with TaxScheme
   * 'TAX'. A Swedish seller states 'Godkänd för F-skatt' (Peppol SE-R-005 allows nothing else).
   */
  readonly taxRegistration?: string;
  readonly address: PostalAddress;
  readonly contact?: Contact;
}

/** Where the money goes. Every variant is PaymentMeansCode 30 (credit transfer) unless `code` says 58 (SEPA). */
export type PayeeAccount =
  | { readonly type: 'iban'; readonly iban: string; readonly bic?: string }
  /** Swedish bankgiro: 7–8 digits, no hyphen; FinancialInstitutionBranch ID 'SE:BANKGIRO' (SE-R-008/009/011) */
  | { readonly type: 'bankgiro'; readonly number: string }
  /** Swedish plusgiro: 2–8 digits, no hyphen; FinancialInstitutionBranch ID 'SE:PLUSGIRO' */
  | { readonly type: 'plusgiro'; readonly number: string };

export interface PaymentMeans {
  /** UNCL4461: '30' credit transfer (default), '58' SEPA credit transfer (IBAN only) */
  readonly code?: '30' | '58';
  readonly account: PayeeAccount;
  readonly accountName?: string;
  /** remittance information (BT-83): the OCR number or RF creditor reference */
  readonly paymentId?: string;
}

/** VAT category and rate as it appears on a line, an allowance or a charge. Rate 0 for every category but S. */
export interface VatClass {
  readonly category: VatCategory;
  readonly rate: Percent;
}

/** A document-level allowance (BG-20, chargeIndicator false) or charge (BG-21, true). */
export interface AllowanceCharge {
  readonly amount: Money;
  /** text reason (BT-97 / BT-104) */
  readonly reason?: string;
  /** UNCL5189 allowance code (e.g. '95' discount) or UNCL7161 charge code (e.g. 'FC' freight) */
  readonly reasonCode?: string;
  readonly vat: VatClass;
}

/** A line allowance (BG-27), typically the line discount. */
export interface LineAllowance {
  readonly amount: Money;
  readonly reason?: string;
  readonly reasonCode?: string;
}

export interface EInvoiceLine {
  /** line identifier (BT-126), unique in the document */
  readonly id: string;
  /** invoiced (credited) quantity (BT-129) */
  readonly quantity: Quantity;
  /** UN/ECE Recommendation 20/21 unit code (BT-130): 'C62', 'EA', 'HUR', 'KGM', 'DAY', 'MTR' … */
  readonly unitCode: string;
  /** line net amount (BT-131) = round(quantity × price ÷ baseQuantity) − allowance */
  readonly netAmount: Money;
  readonly itemName: string;
  readonly description?: string;
  readonly sellerItemId?: string;
  /** item net price (BT-146), never negative */
  readonly price: Money;
  /** price base quantity (BT-149), e.g. 100 for "12.50 per 100 pieces"; absent = 1 */
  readonly baseQuantity?: Quantity;
  readonly allowance?: LineAllowance;
  readonly vat: VatClass;
}

/** One VAT breakdown row (BG-23) per (category, rate). */
export interface VatBreakdownRow {
  readonly category: VatCategory;
  readonly rate: Percent;
  /** BT-116: Σ line nets − allowances + charges in the group */
  readonly taxable: Money;
  /** BT-117: taxable × rate ÷ 100, rounded half away from zero to the minor unit */
  readonly vat: Money;
  /** BT-121 VATEX code, e.g. 'VATEX-EU-AE', 'VATEX-EU-IC', 'VATEX-EU-G', 'VATEX-EU-O' */
  readonly exemptionReasonCode?: string;
  /** BT-120 text, e.g. 'Omvänd betalningsskyldighet' */
  readonly exemptionReason?: string;
}

export interface DocumentTotalsE {
  /** BT-106 Σ line net amounts */
  readonly lineExtension: Money;
  /** BT-107 Σ document allowances; present when there are allowances */
  readonly allowanceTotal?: Money;
  /** BT-108 Σ document charges; present when there are charges */
  readonly chargeTotal?: Money;
  /** BT-109 */
  readonly taxExclusive: Money;
  /** BT-110 Σ VAT of the breakdown */
  readonly vatTotal: Money;
  /** BT-112 */
  readonly taxInclusive: Money;
  /** BT-113 paid in advance (a deposit deducted) */
  readonly prepaid?: Money;
  /** BT-114 rounding to make the payable amount round (e.g. öresavrundning) */
  readonly payableRounding?: Money;
  /** BT-115 = taxInclusive − prepaid + payableRounding */
  readonly payable: Money;
}

interface EInvoiceCommon {
  /** BT-1 */
  readonly number: string;
  /** BT-2, 'YYYY-MM-DD' */
  readonly issueDate: string;
  /** BT-9, 'YYYY-MM-DD' (on a credit note written as PaymentMeans/PaymentDueDate) */
  readonly dueDate?: string;
  /** BT-22, at most one (Peppol R002) */
  readonly note?: string;
  /** BT-5 */
  readonly currency: string;
  /**
   * BT-6 and BT-111: VAT accounting currency (Sweden: 'SEK') and the invoice VAT total in it, when the
   * document currency differs. The amount is as converted by the seller; it is not checked against a rate.
   */
  readonly taxCurrency?: { readonly currency: string; readonly vatTotal: Money };
  /** BT-10; Peppol requires this or orderReference */
  readonly buyerReference?: string;
  /** BT-13 purchase order reference */
  readonly orderReference?: string;
  /** BT-25 / BT-26: the invoice corrected (required on credit notes) */
  readonly billingReference?: { readonly number: string; readonly issueDate?: string };
  /** Further BT-25 / BT-26 references: the advance (prepayment) invoices an invoice deducts (decision 0010). */
  readonly additionalBillingReferences?: readonly { readonly number: string; readonly issueDate?: string }[];
  readonly seller: EParty;
  readonly buyer: EParty;
  readonly delivery?: {
    /** BT-72 */
    readonly date?: string;
    /** BG-15 deliver-to address (country BT-80 required for intra-EU supply K) */
    readonly address?: PostalAddress;
  };
  readonly paymentMeans: readonly PaymentMeans[];
  /** BT-20 */
  readonly paymentTerms?: string;
  readonly allowances: readonly AllowanceCharge[];
  readonly charges: readonly AllowanceCharge[];
  readonly lines: readonly EInvoiceLine[];
  readonly vatBreakdown: readonly VatBreakdownRow[];
  readonly totals: DocumentTotalsE;
}

export interface EInvoiceInvoice extends EInvoiceCommon {
  readonly kind: 'invoice';
  readonly typeCode: InvoiceTypeCode;
}

export interface EInvoiceCreditNote extends EInvoiceCommon {
  readonly kind: 'credit_note';
  readonly typeCode: CreditNoteTypeCode;
}

export type EInvoice = EInvoiceInvoice | EInvoiceCreditNote;

/** Reason codes that pin a VAT category (Peppol P0104–P0111). */
export const VATEX_CATEGORY: Readonly<Record<string, VatCategory>> = Object.freeze({
  'VATEX-EU-G': 'G',
  'VATEX-EU-O': 'O',
  'VATEX-EU-IC': 'K',
  'VATEX-EU-AE': 'AE',
  'VATEX-EU-D': 'E',
  'VATEX-EU-F': 'E',
  'VATEX-EU-I': 'E',
  'VATEX-EU-J': 'E',
});

const ONE: Decimal4 = Object.freeze({ scaled: DECIMAL4_SCALE });

/** round(quantity × price ÷ baseQuantity) with LINE_ROUNDING, in the price's minor units. */
export function lineGross(quantity: Quantity, price: Money, baseQuantity: Quantity = ONE): Money {
  if (baseQuantity.scaled <= 0n) throw new Error('lineGross: base quantity must be positive');
  return money(divRound(price.minor * quantity.scaled, baseQuantity.scaled, LINE_ROUNDING), price.currency);
}

/** The line net amount the rules expect: round(quantity × price ÷ base) − allowance. */
export function expectedLineNet(line: Pick<EInvoiceLine, 'quantity' | 'price' | 'baseQuantity' | 'allowance'>): Money {
  const gross = lineGross(line.quantity, line.price, line.baseQuantity);
  return money(gross.minor - (line.allowance?.amount.minor ?? 0n), gross.currency);
}

/** VAT of one breakdown group: taxable × rate ÷ 100, rounded once with VAT_ROUNDING (half away from zero). */
export function groupVat(taxable: Money, rate: Percent): Money {
  return money(divRound(taxable.minor * rate.scaled, HUNDRED_PERCENT.scaled, VAT_ROUNDING), taxable.currency);
}

export function vatKey(v: VatClass): string {
  return `${v.category}|${v.rate.scaled}`;
}

export interface ExpectedGroup {
  readonly category: VatCategory;
  readonly rate: Percent;
  readonly taxable: Money;
  readonly vat: Money;
}

/** Breakdown groups implied by lines, allowances and charges: by rate descending, then category. */
export function expectedBreakdown(
  currency: string,
  lines: readonly Pick<EInvoiceLine, 'netAmount' | 'vat'>[],
  allowances: readonly AllowanceCharge[],
  charges: readonly AllowanceCharge[],
): ExpectedGroup[] {
  const groups = new Map<string, { category: VatCategory; rate: Percent; taxable: bigint }>();
  const addTo = (vat: VatClass, minor: bigint): void => {
    const key = vatKey(vat);
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { category: vat.category, rate: vat.rate, taxable: minor });
    else g.taxable += minor;
  };
  for (const l of lines) addTo(l.vat, l.netAmount.minor);
  for (const a of allowances) addTo(a.vat, -a.amount.minor);
  for (const c of charges) addTo(c.vat, c.amount.minor);
  return [...groups.values()]
    .sort((a, b) => {
      const byRate = compareD(b.rate, a.rate);
      if (byRate !== 0) return byRate;
      return a.category < b.category ? -1 : a.category > b.category ? 1 : 0;
    })
    .map((g) => {
      const taxable = money(g.taxable, currency);
      return { category: g.category, rate: g.rate, taxable, vat: groupVat(taxable, g.rate) };
    });
}

/**
 * Breakdown rows and totals for a document assembled from lines, allowances and charges, with q2c's
 * rounding (lines.ts LINE_ROUNDING / VAT_ROUNDING). `exemptions` supplies the reason per category
 * for E, AE, K, G and O. For callers assembling a document; `toUbl` never calls it.
 */
export function eInvoiceTotals(
  currency: string,
  parts: {
    readonly lines: readonly Pick<EInvoiceLine, 'netAmount' | 'vat'>[];
    readonly allowances?: readonly AllowanceCharge[];
    readonly charges?: readonly AllowanceCharge[];
    readonly prepaid?: Money;
    readonly payableRounding?: Money;
    readonly exemptions?: Partial<Record<VatCategory, { readonly code?: string; readonly text?: string }>>;
  },
): { vatBreakdown: VatBreakdownRow[]; totals: DocumentTotalsE } {
  const allowances = parts.allowances ?? [];
  const charges = parts.charges ?? [];
  const groups = expectedBreakdown(currency, parts.lines, allowances, charges);
  const vatBreakdown: VatBreakdownRow[] = groups.map((g) => {
    const ex = parts.exemptions?.[g.category];
    return {
      ...g,
      ...(ex?.code !== undefined ? { exemptionReasonCode: ex.code } : {}),
      ...(ex?.text !== undefined ? { exemptionReason: ex.text } : {}),
    };
  });
  const sumMinor = (xs: readonly { minor: bigint }[]): bigint => xs.reduce((acc, x) => acc + x.minor, 0n);
  const lineExtension = sumMinor(parts.lines.map((l) => l.netAmount));
  const allowanceTotal = sumMinor(allowances.map((a) => a.amount));
  const chargeTotal = sumMinor(charges.map((c) => c.amount));
  const taxExclusive = lineExtension - allowanceTotal + chargeTotal;
  const vatTotal = sumMinor(groups.map((g) => g.vat));
  const taxInclusive = taxExclusive + vatTotal;
  const payable = taxInclusive - (parts.prepaid?.minor ?? 0n) + (parts.payableRounding?.minor ?? 0n);
  const m = (minor: bigint): Money => money(minor, currency);
  return {
    vatBreakdown,
    totals: {
      lineExtension: m(lineExtension),
      ...(allowances.length > 0 ? { allowanceTotal: m(allowanceTotal) } : {}),
      ...(charges.length > 0 ? { chargeTotal: m(chargeTotal) } : {}),
      taxExclusive: m(taxExclusive),
      vatTotal: m(vatTotal),
      taxInclusive: m(taxInclusive),
      ...(parts.prepaid !== undefined ? { prepaid: parts.prepaid } : {}),
      ...(parts.payableRounding !== undefined ? { payableRounding: parts.payableRounding } : {}),
      payable: m(payable),
    },
  };
}
