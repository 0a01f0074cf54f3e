/**
 * Labels and number formatting for printed documents, Swedish and English.
 *
 * Numbers are formatted from exact values (bigint minor units, Decimal4), never through a float:
 * Swedish "1 250,00" (grouping with a no-break space, so an amount never wraps), English "1,250.00".
 * Dates stay ISO 8601 ('YYYY-MM-DD') in both languages: unambiguous, and the Swedish standard anyway.
 */
import { formatAmount, money } from '../../core/money/money.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import type { Decimal4 } from '../../core/money/quantity.js';
import { isLocalDate } from '../../core/shared/dates.js';
import type { DocumentLanguage } from './quote-document.js';

/** U+00A0: in WinAnsi (so printable with the standard fonts) and not a line-break opportunity. */
export const NBSP = '\u00a0';

interface NumberStyle {
  readonly group: string;
  readonly decimal: string;
}

const NUMBER_STYLE: Readonly<Record<DocumentLanguage, NumberStyle>> = {
  sv: { group: NBSP, decimal: ',' },
  en: { group: ',', decimal: '.' },
};

/** Re-styles a plain decimal ("-1250.5") with the language's grouping and decimal mark. */
function styleDecimal(plain: string, lang: DocumentLanguage): string {
  const style = NUMBER_STYLE[lang];
  const negative = plain.startsWith('-');
  const unsigned = negative ? plain.slice(1) : plain;
  const point = unsigned.indexOf('.');
  const integer = point === -1 ? unsigned : unsigned.slice(0, point);
  const fraction = point === -1 ? '' : unsigned.slice(point + 1);
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, style.group);
  return `${negative ? '-' : ''}${grouped}${fraction === '' ? '' : style.decimal + fraction}`;
}

/** An amount with the currency's decimals, no currency code: "1 250,00" / "1,250.00". Throws for an unknown currency. */
export function formatMinor(minor: bigint, currency: string, lang: DocumentLanguage): string {
  return styleDecimal(formatAmount(money(minor, currency)), lang);
}

/** An amount followed by the currency code: "1 250,00 SEK" / "1,250.00 SEK". */
export function formatMoney(minor: bigint, currency: string, lang: DocumentLanguage): string {
  return `${formatMinor(minor, currency, lang)}${NBSP}${currency}`;
}

/** A quantity without trailing zeros: "2,5" / "2.5", "1 000" / "1,000". */
export function formatQuantity(q: Decimal4, lang: DocumentLanguage): string {
  return styleDecimal(formatDecimal4(q), lang);
}

/** A percentage: "25 %", "12,5 %" / "12.5 %" (space before the sign, as ISO 80000 and Swedish usage have it). */
export function formatPercent(p: Decimal4, lang: DocumentLanguage): string {
  return `${formatQuantity(p, lang)}${NBSP}%`;
}

/** A calendar date, printed as given ('YYYY-MM-DD'); anything else is refused. */
export function formatDate(date: string): string {
  if (!isLocalDate(date)) throw new Error(`expected a date 'YYYY-MM-DD', got '${String(date).slice(0, 40)}'`);
  return date;
}

/** UN/ECE Rec. 20 unit codes with a printed name; other codes are printed as they are. */
const UNIT_LABELS: Readonly<Record<string, Readonly<Record<DocumentLanguage, string>>>> = {
  C62: { sv: 'st', en: 'pcs' },
  H87: { sv: 'st', en: 'pcs' },
  EA: { sv: 'st', en: 'pcs' },
  HUR: { sv: 'tim', en: 'h' },
  MIN: { sv: 'min', en: 'min' },
  DAY: { sv: 'dag', en: 'day' },
  WEE: { sv: 'v', en: 'wk' },
  MON: { sv: 'mån', en: 'mo' },
  ANN: { sv: 'år', en: 'yr' },
  KGM: { sv: 'kg', en: 'kg' },
  GRM: { sv: 'g', en: 'g' },
  TNE: { sv: 'ton', en: 't' },
  MTR: { sv: 'm', en: 'm' },
  KMT: { sv: 'km', en: 'km' },
  MTK: { sv: 'm²', en: 'm²' },
  MTQ: { sv: 'm³', en: 'm³' },
  LTR: { sv: 'l', en: 'l' },
  KWH: { sv: 'kWh', en: 'kWh' },
  SET: { sv: 'set', en: 'set' },
  PK: { sv: 'fp', en: 'pk' },
};

export function unitLabel(code: string, lang: DocumentLanguage): string {
  return UNIT_LABELS[code]?.[lang] ?? code;
}

/** Country name for an ISO 3166-1 alpha-2 code in the document language; other text is returned as is. */
export function countryName(code: string, lang: DocumentLanguage): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return code;
  try {
    return new Intl.DisplayNames([lang], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export interface QuoteLabels {
  readonly title: string;
  readonly customer: string;
  readonly quoteDate: string;
  readonly validUntil: string;
  readonly paymentTerms: string;
  readonly currency: string;
  readonly yourReference: string;
  readonly orgNumber: string;
  readonly vatNumber: string;
  readonly email: string;
  readonly phone: string;
  readonly bankgiro: string;
  readonly fSkatt: string;
  readonly colNo: string;
  readonly colDescription: string;
  readonly colQuantity: string;
  readonly colUnitPrice: string;
  readonly colDiscount: string;
  readonly colVat: string;
  readonly colAmount: string;
  readonly optionalSelected: string;
  readonly optionalNotSelected: string;
  readonly optionalNotIncluded: string;
  /** Printed before the components of a bundle shown expanded: "Ingår:" / "Includes:" */
  readonly bundleIncludes: string;
  readonly vatSummary: string;
  readonly taxableAmount: string;
  readonly vatAmount: string;
  readonly subtotal: string;
  readonly quoteDiscount: string;
  readonly netTotal: string;
  readonly vatTotal: string;
  readonly grossTotal: string;
  /** BT-114 rounding of a quote priced including VAT (ADR 0009) */
  readonly rounding: string;
  readonly notes: string;
  readonly terms: string;
  /** "Moms 25 %" / "VAT 25 %" */
  vatRate(rate: string): string;
  /** Words printed after the VAT rate for categories other than S (standard rated). */
  vatCategoryNote(category: string): string | null;
  /** "30 dagar netto" / "30 days net" */
  paymentTermsValue(days: number): string;
  /** "Sida 1 av 2" / "Page 1 of 2" */
  pageOf(page: number, pages: number): string;
}

const SV: QuoteLabels = {
  title: 'Offert',
  customer: 'Kund',
  quoteDate: 'Offertdatum',
  validUntil: 'Giltig till',
  paymentTerms: 'Betalningsvillkor',
  currency: 'Valuta',
  yourReference: 'Er referens',
  orgNumber: 'Org.nr',
  vatNumber: 'Momsreg.nr',
  email: 'E-post',
  phone: 'Telefon',
  bankgiro: 'Bankgiro',
  fSkatt: 'Godkänd för F-skatt',
  colNo: 'Nr',
  colDescription: 'Beskrivning',
  colQuantity: 'Antal',
  colUnitPrice: 'À-pris',
  colDiscount: 'Rabatt',
  colVat: 'Moms',
  colAmount: 'Belopp',
  optionalSelected: 'Tillval – valt',
  optionalNotSelected: 'Tillval – ej valt',
  optionalNotIncluded: 'Tillval som inte är valda ingår inte i summorna.',
  bundleIncludes: 'Ingår:',
  vatSummary: 'Momsspecifikation',
  taxableAmount: 'Underlag',
  vatAmount: 'Moms',
  subtotal: 'Summa rader',
  quoteDiscount: 'Offertrabatt',
  netTotal: 'Summa exkl. moms',
  vatTotal: 'Moms',
  grossTotal: 'Att betala',
  rounding: 'Öresavrundning',
  notes: 'Meddelande',
  terms: 'Villkor',
  vatRate: (rate) => `Moms ${rate}`,
  vatCategoryNote: (category) => {
    switch (category) {
      case 'S':
      case 'Z':
        return null;
      case 'E':
        return 'momsfritt';
      case 'AE':
        return 'omvänd betalningsskyldighet';
      case 'K':
        return 'unionsintern leverans';
      case 'G':
        return 'export';
      case 'O':
        return 'utanför momsens tillämpningsområde';
      default:
        return category;
    }
  },
  paymentTermsValue: (days) => (days === 0 ? 'Netto kontant' : `${days} ${days === 1 ? 'dag' : 'dagar'} netto`),
  pageOf: (page, pages) => `Sida ${page} av ${pages}`,
};

const EN: QuoteLabels = {
  title: 'Quote',
  customer: 'Customer',
  quoteDate: 'Quote date',
  validUntil: 'Valid until',
  paymentTerms: 'Payment terms',
  currency: 'Currency',
  yourReference: 'Your reference',
  orgNumber: 'Reg. no.',
  vatNumber: 'VAT no.',
  email: 'Email',
  phone: 'Phone',
  bankgiro: 'Bankgiro',
  fSkatt: 'Approved for F-tax',
  colNo: 'No.',
  colDescription: 'Description',
  colQuantity: 'Quantity',
  colUnitPrice: 'Unit price',
  colDiscount: 'Discount',
  colVat: 'VAT',
  colAmount: 'Amount',
  optionalSelected: 'Optional – selected',
  optionalNotSelected: 'Optional – not selected',
  optionalNotIncluded: 'Optional items not selected are not included in the totals.',
  bundleIncludes: 'Includes:',
  vatSummary: 'VAT summary',
  taxableAmount: 'Taxable amount',
  vatAmount: 'VAT',
  subtotal: 'Lines total',
  quoteDiscount: 'Quote discount',
  netTotal: 'Total excl. VAT',
  vatTotal: 'VAT',
  grossTotal: 'Total',
  rounding: 'Rounding',
  notes: 'Notes',
  terms: 'Terms and conditions',
  vatRate: (rate) => `VAT ${rate}`,
  vatCategoryNote: (category) => {
    switch (category) {
      case 'S':
      case 'Z':
        return null;
      case 'E':
        return 'exempt';
      case 'AE':
        return 'reverse charge';
      case 'K':
        return 'intra-community supply';
      case 'G':
        return 'export';
      case 'O':
        return 'outside the scope of VAT';
      default:
        return category;
    }
  },
  paymentTermsValue: (days) => (days === 0 ? 'Due on receipt' : `${days} ${days === 1 ? 'day' : 'days'} net`),
  pageOf: (page, pages) => `Page ${page} of ${pages}`,
};

export function quoteLabels(lang: DocumentLanguage): QuoteLabels {
  return lang === 'sv' ? SV : EN;
}

// ---------------------------------------------------------------------------------------------
// Order confirmation and delivery note
// ---------------------------------------------------------------------------------------------

/** Labels every printed document shares (seller and buyer details, footer, common columns). */
export type CommonDocumentLabels = Pick<
  QuoteLabels,
  | 'customer'
  | 'paymentTerms'
  | 'currency'
  | 'yourReference'
  | 'orgNumber'
  | 'vatNumber'
  | 'email'
  | 'phone'
  | 'bankgiro'
  | 'fSkatt'
  | 'colNo'
  | 'colDescription'
  | 'colQuantity'
  | 'bundleIncludes'
  | 'paymentTermsValue'
  | 'pageOf'
>;

function commonLabels(q: QuoteLabels): CommonDocumentLabels {
  return {
    customer: q.customer,
    paymentTerms: q.paymentTerms,
    currency: q.currency,
    yourReference: q.yourReference,
    orgNumber: q.orgNumber,
    vatNumber: q.vatNumber,
    email: q.email,
    phone: q.phone,
    bankgiro: q.bankgiro,
    fSkatt: q.fSkatt,
    colNo: q.colNo,
    colDescription: q.colDescription,
    colQuantity: q.colQuantity,
    bundleIncludes: q.bundleIncludes,
    paymentTermsValue: q.paymentTermsValue,
    pageOf: q.pageOf,
  };
}

export interface OrderConfirmationLabels extends CommonDocumentLabels {
  readonly title: string;
  readonly orderNumber: string;
  readonly orderDate: string;
  readonly requestedDeliveryDate: string;
  readonly expectedDeliveryDate: string;
  /** The customer's own order number (purchase order). */
  readonly customerOrderNumber: string;
  readonly ourReference: string;
  readonly colUnitPrice: string;
  readonly colDiscount: string;
  readonly colVat: string;
  readonly colAmount: string;
  /** One sentence under the heading. */
  readonly intro: string;
  readonly vatSummary: string;
  readonly taxableAmount: string;
  readonly vatAmount: string;
  readonly subtotal: string;
  readonly orderDiscount: string;
  readonly netTotal: string;
  readonly vatTotal: string;
  readonly grossTotal: string;
  /** BT-114 rounding of an order priced including VAT (ADR 0009) */
  readonly rounding: string;
  readonly notes: string;
  readonly terms: string;
  /** "Enligt offert Q-2026-0001 v2" / "Based on quote Q-2026-0001 v2" */
  basedOnQuote(reference: string): string;
  /** "Version 2" */
  version(version: number): string;
  /** Printed after the intro on an amended order (version 2 and later). */
  amended(version: number): string;
  /** "Moms 25 %" / "VAT 25 %" */
  vatRate(rate: string): string;
  vatCategoryNote(category: string): string | null;
}

const ORDER_SV: OrderConfirmationLabels = {
  ...commonLabels(SV),
  title: 'Orderbekräftelse',
  orderNumber: 'Ordernummer',
  orderDate: 'Orderdatum',
  requestedDeliveryDate: 'Önskad leverans',
  expectedDeliveryDate: 'Beräknad leverans',
  customerOrderNumber: 'Ert ordernummer',
  ourReference: 'Vår referens',
  colUnitPrice: SV.colUnitPrice,
  colDiscount: SV.colDiscount,
  colVat: SV.colVat,
  colAmount: SV.colAmount,
  intro: 'Tack för er beställning. Vi bekräftar härmed ordern enligt nedan.',
  vatSummary: SV.vatSummary,
  taxableAmount: SV.taxableAmount,
  vatAmount: SV.vatAmount,
  subtotal: SV.subtotal,
  orderDiscount: 'Orderrabatt',
  netTotal: SV.netTotal,
  vatTotal: SV.vatTotal,
  grossTotal: 'Totalt inkl. moms',
  rounding: SV.rounding,
  notes: SV.notes,
  terms: SV.terms,
  basedOnQuote: (reference) => `Enligt offert ${reference}`,
  version: (version) => `Version ${version}`,
  amended: (version) => `Denna version ${version} av orderbekräftelsen ersätter tidigare versioner.`,
  vatRate: SV.vatRate,
  vatCategoryNote: SV.vatCategoryNote,
};

const ORDER_EN: OrderConfirmationLabels = {
  ...commonLabels(EN),
  title: 'Order confirmation',
  orderNumber: 'Order number',
  orderDate: 'Order date',
  requestedDeliveryDate: 'Requested delivery',
  expectedDeliveryDate: 'Expected delivery',
  customerOrderNumber: 'Your order no.',
  ourReference: 'Our reference',
  colUnitPrice: EN.colUnitPrice,
  colDiscount: EN.colDiscount,
  colVat: EN.colVat,
  colAmount: EN.colAmount,
  intro: 'Thank you for your order. We hereby confirm it as set out below.',
  vatSummary: EN.vatSummary,
  taxableAmount: EN.taxableAmount,
  vatAmount: EN.vatAmount,
  subtotal: EN.subtotal,
  orderDiscount: 'Order discount',
  netTotal: EN.netTotal,
  vatTotal: EN.vatTotal,
  grossTotal: 'Total incl. VAT',
  rounding: EN.rounding,
  notes: EN.notes,
  terms: EN.terms,
  basedOnQuote: (reference) => `Based on quote ${reference}`,
  version: (version) => `Version ${version}`,
  amended: (version) => `This version ${version} of the order confirmation supersedes earlier versions.`,
  vatRate: EN.vatRate,
  vatCategoryNote: EN.vatCategoryNote,
};

export function orderConfirmationLabels(lang: DocumentLanguage): OrderConfirmationLabels {
  return lang === 'sv' ? ORDER_SV : ORDER_EN;
}

export interface DeliveryNoteLabels extends CommonDocumentLabels {
  readonly title: string;
  readonly deliveryAddress: string;
  readonly deliveryNumber: string;
  readonly orderNumber: string;
  readonly customerOrderNumber: string;
  readonly shipDate: string;
  readonly carrier: string;
  readonly trackingNumber: string;
  readonly attention: string;
  readonly colOrderLine: string;
  readonly colArticle: string;
  readonly colUnit: string;
  readonly colOrdered: string;
  readonly colPreviouslyDelivered: string;
  readonly colDelivered: string;
  readonly colBackordered: string;
  /** Printed under the lines when anything is backordered. */
  readonly backorderNote: string;
  readonly notes: string;
  readonly receipt: string;
  readonly receivedBy: string;
  readonly nameInCapitals: string;
  readonly date: string;
}

const DELIVERY_SV: DeliveryNoteLabels = {
  ...commonLabels(SV),
  title: 'Följesedel',
  deliveryAddress: 'Leveransadress',
  deliveryNumber: 'Följesedelsnr',
  orderNumber: 'Ordernummer',
  customerOrderNumber: 'Ert ordernummer',
  shipDate: 'Utleveransdatum',
  carrier: 'Transportör',
  trackingNumber: 'Sändningsnummer',
  attention: 'Att.',
  colOrderLine: 'Rad',
  colArticle: 'Artikelnr',
  colUnit: 'Enhet',
  colOrdered: 'Beställt',
  colPreviouslyDelivered: 'Tidigare lev.',
  colDelivered: 'Levererat',
  colBackordered: 'Restnoterat',
  backorderNote: 'Restnoterade kvantiteter levereras senare.',
  notes: SV.notes,
  receipt: 'Kvittens: godset mottaget',
  receivedBy: 'Mottaget av',
  nameInCapitals: 'Namnförtydligande',
  date: 'Datum',
};

const DELIVERY_EN: DeliveryNoteLabels = {
  ...commonLabels(EN),
  title: 'Delivery note',
  deliveryAddress: 'Delivery address',
  deliveryNumber: 'Delivery number',
  orderNumber: 'Order number',
  customerOrderNumber: 'Your order no.',
  shipDate: 'Ship date',
  carrier: 'Carrier',
  trackingNumber: 'Tracking number',
  attention: 'Attn.',
  colOrderLine: 'Line',
  colArticle: 'Item no.',
  colUnit: 'Unit',
  colOrdered: 'Ordered',
  colPreviouslyDelivered: 'Prev. delivered',
  colDelivered: 'Delivered',
  colBackordered: 'Backordered',
  backorderNote: 'Backordered quantities will follow in a later delivery.',
  notes: EN.notes,
  receipt: 'Receipt: goods received',
  receivedBy: 'Received by',
  nameInCapitals: 'Name in capitals',
  date: 'Date',
};

export function deliveryNoteLabels(lang: DocumentLanguage): DeliveryNoteLabels {
  return lang === 'sv' ? DELIVERY_SV : DELIVERY_EN;
}

// ---------------------------------------------------------------------------------------------
// Invoice and credit note
// ---------------------------------------------------------------------------------------------

export interface InvoiceLabels extends CommonDocumentLabels {
  readonly invoiceTitle: string;
  readonly creditNoteTitle: string;
  /** Decision 0010: the titles of a deposit and of a milestone invoice. */
  readonly depositInvoiceTitle: string;
  readonly milestoneInvoiceTitle: string;
  /** One deducted advance invoice, printed after the totals. */
  prepaymentRow(number: string, net: string, vat: string, gross: string): string;
  readonly invoiceNumber: string;
  readonly creditNoteNumber: string;
  readonly invoiceDate: string;
  readonly creditNoteDate: string;
  readonly dueDate: string;
  readonly deliveryDate: string;
  readonly deliveryPeriod: string;
  readonly orderNumber: string;
  readonly customerOrderNumber: string;
  readonly ourReference: string;
  readonly creditReason: string;
  /** "Styrelsens säte" / "Registered office" */
  readonly registeredOffice: string;
  readonly iban: string;
  readonly bic: string;
  readonly colUnitPrice: string;
  readonly colDiscount: string;
  readonly colVat: string;
  readonly colAmount: string;
  readonly articleNumber: string;
  readonly vatSummary: string;
  readonly taxableAmount: string;
  readonly vatAmount: string;
  /** Heading of the exemption / reverse-charge texts under the VAT summary. */
  readonly vatInformation: string;
  readonly subtotal: string;
  readonly invoiceDiscount: string;
  readonly netTotal: string;
  readonly vatTotal: string;
  readonly grossTotal: string;
  readonly rounding: string;
  readonly prepaid: string;
  readonly amountDue: string;
  /** The grand total of a credit note. */
  readonly amountCredited: string;
  /** The payment box. */
  readonly paymentHeading: string;
  readonly ocrReference: string;
  readonly rfReference: string;
  /** Printed in the payment box of a draft instead of a reference. */
  readonly referenceOnIssue: string;
  /** "Tillgodo" / "Credit": heading of the credit note's note in place of a payment box. */
  readonly creditHeading: string;
  /** Large marker on every page of a draft. */
  readonly draftMarker: string;
  readonly draftNotice: string;
  readonly notes: string;
  readonly terms: string;
  /** "Moms i SEK" / "VAT in SEK" (BT-111). */
  vatInCurrency(currency: string): string;
  /** "Moms i SEK: 2 345,67 (kurs 11,4325 den 2026-12-04)" (BT-111 with the rate used; `rate` a plain decimal). */
  vatInCurrencyAtRate(currency: string, amount: string, rate: string, date: string): string;
  /** "Avser faktura 2026-00017 (2026-04-30)" / "Credits invoice 2026-00017 of 2026-04-30" */
  creditsInvoice(number: string, date: string): string;
  /** The credit note's text: the amount is in the buyer's favour. */
  creditText(amount: string): string;
  /** Late payment interest: the statutory default, or a rate ("8 %") per year. */
  lateInterestDefault: string;
  lateInterestRate(rate: string): string;
  /** "Moms 25 %" / "VAT 25 %" */
  vatRate(rate: string): string;
  vatCategoryNote(category: string): string | null;
  /** The default exemption / reverse-charge text of a VAT category; null for S and Z. */
  exemptionReason(category: string): string | null;
}

/**
 * Default reasons for charging no Swedish VAT. The intra-Community and export texts refer to the
 * VAT Directive's article, which mervärdesskattelagen (2023:200) 17 kap. 24 § allows in place of a
 * reference to the Swedish Act, and which stays right whatever the Act's numbering.
 */
const EXEMPTION_SV: Readonly<Record<string, string>> = {
  AE: 'Omvänd betalningsskyldighet',
  K: 'Unionsintern leverans, undantagen från skatteplikt enligt artikel 138 i mervärdesskattedirektivet (2006/112/EG)',
  G: 'Export, undantagen från skatteplikt enligt artikel 146 i mervärdesskattedirektivet (2006/112/EG)',
  E: 'Undantagen från skatteplikt enligt mervärdesskattelagen',
  O: 'Utanför mervärdesskattelagens tillämpningsområde',
};

const EXEMPTION_EN: Readonly<Record<string, string>> = {
  AE: 'Reverse charge',
  K: 'Intra-Community supply, exempt (Article 138 VAT Directive 2006/112/EC)',
  G: 'Export, exempt (Article 146 VAT Directive 2006/112/EC)',
  E: 'Exempt from VAT',
  O: 'Outside the scope of VAT',
};

const INVOICE_SV: InvoiceLabels = {
  ...commonLabels(SV),
  invoiceTitle: 'Faktura',
  creditNoteTitle: 'Kreditfaktura',
  depositInvoiceTitle: 'Förskottsfaktura',
  milestoneInvoiceTitle: 'Delfaktura',
  prepaymentRow: (number, net, vat, gross) => `Avgår förskott enligt faktura ${number}: ${net} + moms ${vat} = ${gross}`,
  invoiceNumber: 'Fakturanummer',
  creditNoteNumber: 'Kreditfakturanr',
  invoiceDate: 'Fakturadatum',
  creditNoteDate: 'Datum',
  dueDate: 'Förfallodatum',
  deliveryDate: 'Leveransdatum',
  deliveryPeriod: 'Leveransperiod',
  orderNumber: 'Ordernummer',
  customerOrderNumber: 'Ert ordernummer',
  ourReference: 'Vår referens',
  creditReason: 'Orsak',
  registeredOffice: 'Styrelsens säte',
  iban: 'IBAN',
  bic: 'BIC',
  colUnitPrice: SV.colUnitPrice,
  colDiscount: SV.colDiscount,
  colVat: SV.colVat,
  colAmount: SV.colAmount,
  articleNumber: 'Art.nr',
  vatSummary: SV.vatSummary,
  taxableAmount: SV.taxableAmount,
  vatAmount: SV.vatAmount,
  vatInformation: 'Momsupplysning',
  subtotal: SV.subtotal,
  invoiceDiscount: 'Fakturarabatt',
  netTotal: SV.netTotal,
  vatTotal: SV.vatTotal,
  grossTotal: 'Summa inkl. moms',
  rounding: 'Öresavrundning',
  prepaid: 'Avgår förskott',
  amountDue: 'Att betala',
  amountCredited: 'Att tillgodoräkna',
  paymentHeading: 'Betalningsinformation',
  ocrReference: 'OCR-nummer',
  rfReference: 'Referens (RF)',
  referenceOnIssue: 'Anges när fakturan utfärdas',
  creditHeading: 'Tillgodo',
  draftMarker: 'UTKAST',
  draftNotice: 'Utkast – inte en giltig faktura',
  notes: SV.notes,
  terms: SV.terms,
  vatInCurrency: (currency) => `Moms i ${currency}`,
  vatInCurrencyAtRate: (currency, amount, rate, date) => `Moms i ${currency}: ${amount} (kurs ${styleDecimal(rate, 'sv')} den ${date})`,
  creditsInvoice: (number, date) => `Avser faktura ${number} (${date})`,
  creditText: (amount) =>
    `Beloppet ${amount} står till er godo. Det dras av från er nästa betalning till oss eller betalas tillbaka på begäran. Betala inte denna kreditfaktura.`,
  lateInterestDefault: 'Vid betalning efter förfallodagen debiteras dröjsmålsränta enligt räntelagen.',
  lateInterestRate: (rate) => `Vid betalning efter förfallodagen debiteras dröjsmålsränta med ${rate} per år.`,
  vatRate: SV.vatRate,
  vatCategoryNote: SV.vatCategoryNote,
  exemptionReason: (category) => (category === 'S' || category === 'Z' ? null : (EXEMPTION_SV[category] ?? null)),
};

const INVOICE_EN: InvoiceLabels = {
  ...commonLabels(EN),
  invoiceTitle: 'Invoice',
  creditNoteTitle: 'Credit note',
  depositInvoiceTitle: 'Prepayment invoice',
  milestoneInvoiceTitle: 'Milestone invoice',
  prepaymentRow: (number, net, vat, gross) => `Less prepayment, invoice ${number}: ${net} + VAT ${vat} = ${gross}`,
  invoiceNumber: 'Invoice number',
  creditNoteNumber: 'Credit note no.',
  invoiceDate: 'Invoice date',
  creditNoteDate: 'Date',
  dueDate: 'Due date',
  deliveryDate: 'Delivery date',
  deliveryPeriod: 'Delivery period',
  orderNumber: 'Order number',
  customerOrderNumber: 'Your order no.',
  ourReference: 'Our reference',
  creditReason: 'Reason',
  registeredOffice: 'Registered office',
  iban: 'IBAN',
  bic: 'BIC',
  colUnitPrice: EN.colUnitPrice,
  colDiscount: EN.colDiscount,
  colVat: EN.colVat,
  colAmount: EN.colAmount,
  articleNumber: 'Item no.',
  vatSummary: EN.vatSummary,
  taxableAmount: EN.taxableAmount,
  vatAmount: EN.vatAmount,
  vatInformation: 'VAT information',
  subtotal: EN.subtotal,
  invoiceDiscount: 'Invoice discount',
  netTotal: EN.netTotal,
  vatTotal: EN.vatTotal,
  grossTotal: 'Total incl. VAT',
  rounding: 'Rounding',
  prepaid: 'Less prepayment',
  amountDue: 'Amount due',
  amountCredited: 'Amount to be credited',
  paymentHeading: 'Payment details',
  ocrReference: 'OCR reference',
  rfReference: 'Creditor reference (RF)',
  referenceOnIssue: 'Given when the invoice is issued',
  creditHeading: 'Credit',
  draftMarker: 'DRAFT',
  draftNotice: 'Draft – not a valid invoice',
  notes: EN.notes,
  terms: EN.terms,
  vatInCurrency: (currency) => `VAT in ${currency}`,
  vatInCurrencyAtRate: (currency, amount, rate, date) => `VAT in ${currency}: ${amount} (rate ${styleDecimal(rate, 'en')} on ${date})`,
  creditsInvoice: (number, date) => `Credits invoice ${number} of ${date}`,
  creditText: (amount) =>
    `The amount of ${amount} is credited to your account. It will be set off against your next payment to us, or refunded on request. Do not pay this credit note.`,
  lateInterestDefault: 'Late payment interest is charged according to the Swedish Interest Act (räntelagen).',
  lateInterestRate: (rate) => `Late payment interest of ${rate} per annum is charged on payments after the due date.`,
  vatRate: EN.vatRate,
  vatCategoryNote: EN.vatCategoryNote,
  exemptionReason: (category) => (category === 'S' || category === 'Z' ? null : (EXEMPTION_EN[category] ?? null)),
};

export function invoiceLabels(lang: DocumentLanguage): InvoiceLabels {
  return lang === 'sv' ? INVOICE_SV : INVOICE_EN;
}
