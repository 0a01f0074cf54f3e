/**
 * VAT treatment of a supply by a Swedish seller: which UNCL5305 category and rate apply, and which
 * exemption reason (EN 16931 BT-120 text, BT-121 VATEX code) the invoice must state.
 *
 * Deliberate simplifications (q2c is not a tax engine; a tenant with other needs overrides per line):
 * - Distance sales to EU consumers: Swedish VAT is charged. The EU-wide 10 000 EUR threshold for
 *   distance sales and the OSS scheme (VAT of the buyer's country) are not modelled.
 * - Services are treated by the general rules only (business: where the buyer is established;
 *   consumer: where the seller is). Special place-of-supply rules (real estate, passenger transport,
 *   events, restaurant services, electronic services to consumers in another country …) are not
 *   modelled: a service to a consumer outside the EU carries Swedish VAT here, although several kinds
 *   of service (consultancy, advertising, …) are outside the scope of Swedish VAT in that case.
 * - Exports (G) assume the goods are shown to leave the EU; intra-Community supplies (K) assume they
 *   are shown to be transported to the buyer's member state. Neither is checked here.
 * - The buyer's VAT number is checked for its shape only (country prefix and pattern), not against
 *   VIES. An EU buyer with no VAT number, or one whose shape does not fit their country, is treated as
 *   a consumer (Swedish VAT; basis 'eu_business_without_vat_number' says why), never as K/AE.
 * - Northern Ireland ('XI'): goods count as EU (Windsor Framework), services as outside the EU (the
 *   United Kingdom). Pass buyerCountry 'XI' for a buyer in Northern Ireland, 'GB' for the rest of the UK.
 * - Exempt tax class: always E with VATEX-EU-132 (exemptions for activities in the public interest,
 *   art. 132 of Directive 2006/112/EC: healthcare, education …), wherever the buyer is; an exempt
 *   supply carries no VAT and no reverse charge. Financial services and letting (art. 135) would be
 *   VATEX-EU-135; a tenant needing that must override the reason on the line.
 * - Zero tax class: Z domestically and to EU consumers; cross-border business and export cases use
 *   K / AE / G / O like any other class, since those are the more specific categories.
 */
import { decimal4 } from '../money/quantity.js';
import type { Percent } from '../money/quantity.js';
import { resolveSwedishVat } from './vat.js';
import type { TaxClass, VatCategory } from './vat.js';

/** The 27 EU member states, ISO 3166-1 alpha-2 (Greece is 'GR'; its VAT numbers start with 'EL'). */
export const EU_MEMBER_STATES = [
  'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU',
  'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
] as const;
export type EuMemberState = (typeof EU_MEMBER_STATES)[number];

/** Northern Ireland's VAT/EORI prefix; a country code for goods purposes only (see the module comment). */
export const NORTHERN_IRELAND = 'XI';

export function isEuMemberState(country: string): country is EuMemberState {
  return (EU_MEMBER_STATES as readonly string[]).includes(country);
}

/** Whether goods sent to `country` stay within the EU VAT area (member states and Northern Ireland). */
export function isEuForGoods(country: string): boolean {
  return isEuMemberState(country) || country === NORTHERN_IRELAND;
}

/** Whether services supplied to `country` are supplied within the EU (member states only). */
export function isEuForServices(country: string): boolean {
  return isEuMemberState(country);
}

/**
 * Shape of a VAT identification number per country, prefix included (after normalizeVatNumber).
 * From the formats the European Commission publishes for VIES; format only, no check digits.
 */
const VAT_NUMBER_SHAPES: Readonly<Record<EuMemberState | 'XI', RegExp>> = {
  AT: /^ATU[0-9]{8}$/,
  BE: /^BE[01][0-9]{9}$/,
  BG: /^BG[0-9]{9,10}$/,
  CY: /^CY[0-9]{8}[A-Z]$/,
  CZ: /^CZ[0-9]{8,10}$/,
  DE: /^DE[0-9]{9}$/,
  DK: /^DK[0-9]{8}$/,
  EE: /^EE[0-9]{9}$/,
  ES: /^ES[0-9A-Z][0-9]{7}[0-9A-Z]$/,
  FI: /^FI[0-9]{8}$/,
  FR: /^FR[0-9A-HJ-NP-Z]{2}[0-9]{9}$/,
  GR: /^EL[0-9]{9}$/,
  HR: /^HR[0-9]{11}$/,
  HU: /^HU[0-9]{8}$/,
  IE: /^IE([0-9]{7}[A-W][A-I]?|[0-9][A-Z+*][0-9]{5}[A-W])$/,
  IT: /^IT[0-9]{11}$/,
  LT: /^LT([0-9]{9}|[0-9]{12})$/,
  LU: /^LU[0-9]{8}$/,
  LV: /^LV[0-9]{11}$/,
  MT: /^MT[0-9]{8}$/,
  NL: /^NL[0-9]{9}B[0-9]{2}$/,
  PL: /^PL[0-9]{10}$/,
  PT: /^PT[0-9]{9}$/,
  RO: /^RO[0-9]{2,10}$/,
  SE: /^SE[0-9]{10}01$/,
  SI: /^SI[0-9]{8}$/,
  SK: /^SK[0-9]{10}$/,
  XI: /^XI([0-9]{9}|[0-9]{12}|GD[0-9]{3}|HA[0-9]{3})$/,
};

/** Upper case, without spaces, dots and hyphens: 'de 123.456.789' → 'DE123456789'. */
export function normalizeVatNumber(vatNumber: string): string {
  return vatNumber.replace(/[\s.-]+/g, '').toUpperCase();
}

/**
 * Whether `vatNumber` has the shape of a VAT number of `country` (ISO code, or 'XI'), prefix
 * included; Greek numbers carry the prefix 'EL'. Format only: it says nothing about whether the number
 * is registered (that needs VIES). False for countries outside the EU.
 */
export function isEuVatNumberShape(vatNumber: string, country: string): boolean {
  if (!isEuForGoods(country)) return false;
  const shape = VAT_NUMBER_SHAPES[country as EuMemberState | 'XI'];
  return shape.test(normalizeVatNumber(vatNumber));
}

export type SupplyKind = 'goods' | 'services';

export interface VatTreatmentInput {
  readonly sellerCountry: 'SE';
  /** ISO 3166-1 alpha-2, upper case; 'XI' for Northern Ireland */
  readonly buyerCountry: string;
  readonly buyerVatNumber: string | null;
  readonly buyerIsBusiness: boolean;
  readonly supply: SupplyKind;
  readonly taxClass: TaxClass;
  /** 'YYYY-MM-DD' */
  readonly taxPointDate: string;
}

export interface ExemptionText {
  readonly sv: string;
  readonly en: string;
}

/** Which rule decided the treatment, for display and audit. */
export type VatTreatmentBasis =
  | 'domestic'
  | 'exempt'
  | 'eu_consumer'
  | 'eu_business_without_vat_number'
  | 'intra_community_supply'
  | 'eu_reverse_charge'
  | 'export'
  | 'non_eu_business_service'
  | 'non_eu_consumer_service';

export interface VatTreatment {
  readonly category: VatCategory;
  readonly rate: Percent;
  /** VATEX code (EN 16931 BT-121), or null when the supply is taxed (S) or zero rated (Z) */
  readonly exemptionReasonCode: string | null;
  /** exemption reason text (BT-120) in Swedish and English, or null with the code */
  readonly exemptionReason: ExemptionText | null;
  readonly basis: VatTreatmentBasis;
}

export interface ExemptionReason {
  readonly code: string;
  readonly text: ExemptionText;
}

/** Exemption reasons per category that needs one (CEF VATEX code list). */
export const EXEMPTION_REASONS = Object.freeze({
  K: { code: 'VATEX-EU-IC', text: { sv: 'Unionsintern leverans', en: 'Intra-Community supply' } },
  AE: { code: 'VATEX-EU-AE', text: { sv: 'Omvänd betalningsskyldighet', en: 'Reverse charge' } },
  G: { code: 'VATEX-EU-G', text: { sv: 'Export', en: 'Export' } },
  O: {
    code: 'VATEX-EU-O',
    text: { sv: 'Tjänst utanför EU, ej föremål för svensk moms', en: 'Service outside the EU, not subject to Swedish VAT' },
  },
  E: { code: 'VATEX-EU-132', text: { sv: 'Momsfri', en: 'VAT exempt' } },
} satisfies Record<'K' | 'AE' | 'G' | 'O' | 'E', ExemptionReason>);

const ZERO_RATE: Percent = decimal4('0');
const COUNTRY = /^[A-Z]{2}$/;

function withoutVat(category: 'K' | 'AE' | 'G' | 'O' | 'E', basis: VatTreatmentBasis): VatTreatment {
  const reason = EXEMPTION_REASONS[category];
  return Object.freeze({
    category,
    rate: ZERO_RATE,
    exemptionReasonCode: reason.code,
    exemptionReason: reason.text,
    basis,
  });
}

/**
 * The VAT treatment of one supply by a Swedish seller (see the module comment for what is simplified):
 * - exempt tax class → E, VATEX-EU-132, "Momsfri" / "VAT exempt", wherever the buyer is;
 * - buyer in Sweden → the Swedish rate of the tax class on the tax point date (S, or Z for 'zero');
 * - buyer in the EU, business with a VAT number of the right shape for their country → goods K
 *   (VATEX-EU-IC), services AE (VATEX-EU-AE); Northern Ireland counts as EU for goods only;
 * - buyer in the EU, consumer or business without a usable VAT number → Swedish VAT as if domestic
 *   (a business buyer without a number is treated as a consumer; basis says so);
 * - buyer outside the EU → goods G (VATEX-EU-G); services to a business O (VATEX-EU-O); services to a
 *   consumer Swedish VAT.
 * The tax point date is always validated against the Swedish table, so a malformed date or one
 * before the table starts throws even for a supply that carries no Swedish VAT.
 */
export function determineVatTreatment(input: VatTreatmentInput): VatTreatment {
  if (input.sellerCountry !== 'SE') throw new Error(`determineVatTreatment: only Swedish sellers are supported, got '${String(input.sellerCountry)}'`);
  if (!COUNTRY.test(input.buyerCountry)) {
    throw new Error(`determineVatTreatment: buyerCountry must be an upper-case ISO 3166-1 alpha-2 code, got '${input.buyerCountry}'`);
  }
  const swedish = resolveSwedishVat(input.taxClass, input.taxPointDate);
  const domestic = (basis: VatTreatmentBasis): VatTreatment =>
    Object.freeze({ category: swedish.category, rate: swedish.rate, exemptionReasonCode: null, exemptionReason: null, basis });

  if (input.taxClass === 'exempt') return withoutVat('E', 'exempt');
  const country = input.buyerCountry;
  if (country === 'SE') return domestic('domestic');

  const inEu = input.supply === 'goods' ? isEuForGoods(country) : isEuForServices(country);
  if (inEu) {
    if (!input.buyerIsBusiness) return domestic('eu_consumer');
    if (input.buyerVatNumber === null || !isEuVatNumberShape(input.buyerVatNumber, country)) {
      return domestic('eu_business_without_vat_number');
    }
    return input.supply === 'goods' ? withoutVat('K', 'intra_community_supply') : withoutVat('AE', 'eu_reverse_charge');
  }

  if (input.supply === 'goods') return withoutVat('G', 'export');
  return input.buyerIsBusiness ? withoutVat('O', 'non_eu_business_service') : domestic('non_eu_consumer_service');
}
