/**
 * The accounts the posting rules use, as data: a tenant may replace any of them. Defaults follow the
 * Swedish BAS 2024 chart (see docs ACCOUNTING.md); verify against BAS before relying on a number.
 */

export interface AccountMap {
  /** Kundfordringar: what customers owe (AR control account, per customer). */
  receivable: string;
  /** The bank account payments arrive on. */
  bank: string;
  /** Customer credit: cash received but not yet applied to an invoice, per customer. */
  customerCredit: string;
  /** Revenue by canonical VAT rate string ('25', '12', '6'), standard-rated domestic sales. */
  revenueByVatRate: Record<string, string>;
  /** Output VAT by canonical VAT rate string. */
  outputVatByVatRate: Record<string, string>;
  /** Domestic revenue at 0 % VAT (category Z). */
  revenueZeroRated: string;
  /** Domestic revenue exempt from VAT (category E). */
  revenueExempt: string;
  /** Goods to a business in another EU member state, intra-Community supply (category K), no VAT. */
  revenueEuGoods: string;
  /** Services to a business in another EU member state, reverse charge (category AE), no VAT. */
  revenueEuServices: string;
  /** Goods exported outside the EU (category G), no VAT. */
  revenueExportGoods: string;
  /** Services to a business outside the EU, outside the scope of Swedish VAT (category O). */
  revenueServicesOutsideEu: string;
  /**
   * Advances invoiced to customers (deposit and milestone invoices, decision 0010): a liability until a
   * later invoice of the order deducts them. A sub-account of the 242x group, apart from customerCredit
   * (2420, unapplied cash).
   */
  advancesInvoiced: string;
  /**
   * Öres- och kronutjämning: the BT-114 öre rounding of an invoice of a prices-including-VAT order
   * (decision 0009), credited when the customer is charged more than net + VAT, debited when less.
   */
  roundingDifference: string;
  /** Realised exchange-rate gain on receivables (a foreign invoice paid at a better rate). */
  fxGain: string;
  /** Realised exchange-rate loss on receivables. */
  fxLoss: string;
  /** Bank fees withheld from a payment (a short payment's write-off within tolerance uses roundingDifference, 3740). */
  bankFees: string;
  /**
   * Reminder fees (påminnelseavgifter) invoiced by dunning, outside the scope of VAT. BAS 2024 has no
   * account of its own for them; 3990 Övriga ersättningar och intäkter (other operating income) is the
   * usual choice, e.g. accozen.se/kunskapsbank/bokfora-paminnelseavgift (1510 / 3990, "momsfri intäkt");
   * bokforamoms.se notes that a dedicated 3930 is not a BAS account. A tenant may map it elsewhere.
   */
  reminderFees: string;
  /** Late-payment interest invoiced by dunning: 8313 Ränteintäkter från kortfristiga fordringar (ACCOUNTING.md). */
  interestIncome: string;
  /**
   * Bad debts written off (konstaterade förluster på kundfordringar, ACCOUNTING.md): 6351, debited with
   * the net part of a receivable that will not be paid; its VAT part goes back to output VAT.
   */
  badDebts: string;
  /**
   * Revenue per product group and VAT treatment, overriding the accounts above for the lines of the
   * products in a group: product group id → treatment ('25', '12', '6' for standard-rated sales by
   * rate; 'Z', 'E', 'K', 'AE', 'G', 'O' for the others) → account. Absent: one account per treatment.
   */
  revenueByProductGroup?: Record<string, Record<string, string>>;
}

export const BAS_DEFAULTS: AccountMap = Object.freeze({
  receivable: '1510',
  bank: '1930',
  customerCredit: '2420',
  revenueByVatRate: Object.freeze({ '25': '3001', '12': '3002', '6': '3003' }),
  outputVatByVatRate: Object.freeze({ '25': '2611', '12': '2621', '6': '2631' }),
  revenueZeroRated: '3004',
  revenueExempt: '3004',
  revenueEuGoods: '3108',
  revenueEuServices: '3308',
  revenueExportGoods: '3105',
  revenueServicesOutsideEu: '3305',
  advancesInvoiced: '2429',
  roundingDifference: '3740',
  fxGain: '3960',
  fxLoss: '7960',
  bankFees: '6570',
  reminderFees: '3990',
  interestIncome: '8313',
  badDebts: '6351',
});

/** Swedish names of the BAS 2024 accounts q2c uses by default or refers to in ACCOUNTING.md. */
export const BAS_ACCOUNT_NAMES: Readonly<Record<string, string>> = Object.freeze({
  '1510': 'Kundfordringar',
  '1930': 'Företagskonto/checkkonto/affärskonto',
  '2099': 'Årets resultat',
  '2420': 'Förskott från kunder',
  '2429': 'Fakturerade förskott från kunder',
  '2611': 'Utgående moms på försäljning inom Sverige, 25 %',
  '2621': 'Utgående moms på försäljning inom Sverige, 12 %',
  '2631': 'Utgående moms på försäljning inom Sverige, 6 %',
  '3001': 'Försäljning inom Sverige, 25 % moms',
  '3002': 'Försäljning inom Sverige, 12 % moms',
  '3003': 'Försäljning inom Sverige, 6 % moms',
  '3004': 'Försäljning inom Sverige, momsfri',
  '3105': 'Försäljning varor till land utanför EU',
  '3108': 'Försäljning varor till annat EU-land, momsfri',
  '3305': 'Försäljning tjänster till land utanför EU',
  '3308': 'Försäljning tjänster till annat EU-land',
  '3731': 'Lämnade kassarabatter',
  '3740': 'Öres- och kronutjämning',
  '3960': 'Valutakursvinster på fordringar och skulder av rörelsekaraktär',
  '3990': 'Övriga ersättningar och intäkter',
  '6351': 'Konstaterade förluster på kundfordringar',
  '6570': 'Bankkostnader',
  '7960': 'Valutakursförluster på fordringar och skulder av rörelsekaraktär',
  '8313': 'Ränteintäkter från kortfristiga fordringar',
  '8999': 'Årets resultat',
});
