/**
 * The sales side of the Swedish VAT return (momsdeklaration, Skatteverket form SKV 4700) for a period,
 * computed from the issued invoices and credit notes whose document date (= their tax point in q2c:
 * the issue date) falls in the period, in the tenant's functional currency (SEK). Pure: plain rows in,
 * box amounts out.
 *
 * Box definitions (Skatteverket, "Fylla i momsdeklarationen", skatteverket.se/foretag/moms/deklareramoms):
 * - 05 Momspliktig försäljning som inte ingår i ruta 06, 07 eller 08: taxable sales within Sweden,
 *      excluding VAT (also to EU buyers without a valid VAT number). A price reduction (credit note)
 *      reduces it in the same box. Advances are reported when invoiced/received ("Du ska därför redovisa
 *      ett förskott i den period du får betalningen"): q2c reports an advance invoice when it is issued
 *      (its VAT is posted then) and the final invoice deducts what the advance already reported.
 *      Source in q2c: category S rows (any of 25/12/6 %).
 * - 06 Momspliktiga uttag (self-supply), 07 vinstmarginalbeskattning (margin scheme, taxable amount),
 *      08 hyresinkomster vid frivillig skattskyldighet (voluntary VAT on letting of premises): q2c has no
 *      such supplies, so these are always 0 (present so the return is complete).
 * - 10 / 11 / 12 Utgående moms 25 % / 12 % / 6 % on the sales in 05-08: the VAT of the S rows by rate.
 * - 35 Försäljning av varor till ett annat EU-land (intra-Community supply of goods to a business with
 *      a VAT number): category K.
 * - 36 Försäljning av varor utanför EU (export of goods): category G.
 * - 39 Försäljning av tjänster till näringsidkare i annat EU-land enligt huvudregeln (services to an EU
 *      business, reverse charge by the buyer, ML 6 kap. main rule): category AE (q2c uses AE only for
 *      that case, core/tax/treatment.ts 'eu_reverse_charge'; domestic reverse charge, box 41, does not occur).
 * - 40 Övrig försäljning av tjänster omsatta utomlands (other services supplied abroad, e.g. to a
 *      business outside the EU): category O.
 * - 42 Övrig försäljning m.m. (other sales: exempt supplies, and supplies taxed at 0 % such as those
 *      exempt with a right of refund): categories E and Z.
 * - 48 Ingående moms att dra av (input VAT): q2c keeps no purchases, so 0.
 * - 49 Moms att betala eller få tillbaka = 10 + 11 + 12 + 30 + 31 + 32 + 60 + 61 + 62 − 48. q2c has
 *      no reverse-charge purchases (30-32) or imports (60-62), so 49 = 10 + 11 + 12 − 48 = 10 + 11 + 12.
 *
 * Whole kronor (DECLARATION_ROUNDING): the return takes whole kronor only. q2c declares each box as its
 * exact öre amount with the öre dropped (truncated toward zero: 1 234,99 → 1 234; −10,50 → −10), the
 * usual practice of Swedish bookkeeping software; the öre left over is a rounding difference of the VAT
 * settlement (3740), not of the documents. Skatteverket's rättsliga vägledning ("Avrundning", 2021.1)
 * says only that skatteförfarandelagen rules how amounts are rounded in the return; the exact rule was
 * not confirmed from the statute here, so the policy sits in one place (declaredKronor) to change. Box 49 is computed from the declared boxes (as the form
 * does), so it is always 10 + 11 + 12 − 48 of the declared figures. Both the exact öre figures and the
 * declared kronor are returned.
 *
 * Functional currency: a document in SEK contributes its rows exactly. A document in another currency
 * contributes its SEK totals as issued (migration 2810: net = gross_total_base − vat_total_base, VAT =
 * vat_total_base), allocated over its rows by their document-currency amounts (largest remainder), so
 * Σ rows = the SEK totals exactly. The ledger (core/ledger/functional.ts toFunctional) allocates the
 * same totals over its postings, so per rate the two can differ by an öre only on a foreign document
 * with several VAT rates. Advance deductions of a foreign invoice are converted at the advance's rate.
 */
import { allocate, money } from '../money/money.js';
import { convert } from '../money/fx.js';
import type { LocalDate } from '../shared/dates.js';
import type { VatCategory } from '../tax/vat.js';

/** One VAT group (category, rate) of a document, in the document currency, as printed (≥ 0). */
export interface VatReturnRow {
  vatCategory: VatCategory;
  /** rate × 10 000 (Decimal4 scaled): 250 000 = 25 % */
  vatRateScaled: bigint;
  taxableMinor: bigint;
  vatMinor: bigint;
}

/** What a final invoice deducts of one VAT group of an advance invoice (document currency, ≥ 0). */
export interface VatReturnDeduction {
  vatCategory: VatCategory;
  vatRateScaled: bigint;
  netMinor: bigint;
  vatMinor: bigint;
  /** The advance invoice's rate (base per 1 unit × 10^10), null when the document is in the base currency. */
  advanceRateScaled: bigint | null;
}

export interface VatReturnDocument {
  kind: 'invoice' | 'credit_note';
  id: string;
  number: string;
  /** The document date (tax point), 'YYYY-MM-DD'. */
  documentDate: LocalDate;
  currency: string;
  baseCurrency: string;
  /** Σ taxable in the base currency as issued (gross_total_base − vat_total_base). */
  netBaseMinor: bigint;
  /** VAT in the base currency as issued (vat_total_base). */
  vatBaseMinor: bigint;
  rows: VatReturnRow[];
  /** Advance deductions (invoices only). */
  deductions: VatReturnDeduction[];
  /**
   * How many documents this row stands for (default 1). Documents in the base currency contribute
   * their rows exactly, so the repository may sum them into one row per kind (bounded memory).
   */
  documentCount?: number;
}

export const VAT_RETURN_BOXES = ['05', '06', '07', '08', '10', '11', '12', '35', '36', '39', '40', '42', '48', '49'] as const;
export type VatReturnBox = (typeof VAT_RETURN_BOXES)[number];

export const VAT_RETURN_BOX_LABELS: Readonly<Record<VatReturnBox, string>> = Object.freeze({
  '05': 'Momspliktig försäljning som inte ingår i ruta 06, 07 eller 08',
  '06': 'Momspliktiga uttag',
  '07': 'Beskattningsunderlag vid vinstmarginalbeskattning',
  '08': 'Hyresinkomster vid frivillig skattskyldighet',
  '10': 'Utgående moms 25 %',
  '11': 'Utgående moms 12 %',
  '12': 'Utgående moms 6 %',
  '35': 'Försäljning av varor till ett annat EU-land',
  '36': 'Försäljning av varor utanför EU',
  '39': 'Försäljning av tjänster till näringsidkare i annat EU-land enligt huvudregeln',
  '40': 'Övrig försäljning av tjänster omsatta utomlands',
  '42': 'Övrig försäljning m.m.',
  '48': 'Ingående moms att dra av',
  '49': 'Moms att betala eller få tillbaka',
});

/** How an exact öre amount becomes the declared whole-krona amount: öre dropped, toward zero. */
export const DECLARATION_ROUNDING = 'truncate_toward_zero' as const;

/** Öre → whole kronor, öre dropped (toward zero). */
export function declaredKronor(minor: bigint): bigint {
  return minor / 100n; // bigint division truncates toward zero
}

export interface VatReturnBoxAmount {
  box: VatReturnBox;
  label: string;
  /** exact, in öre of the base currency */
  exactMinor: bigint;
  /** as declared: whole kronor */
  declaredKronor: bigint;
}

export interface VatReturn {
  from: LocalDate;
  to: LocalDate;
  currency: string;
  boxes: VatReturnBoxAmount[];
  /** Output VAT per rate (exact öre), for the cross-check with 2611 / 2621 / 2631. */
  outputVatByRate: { ratePercent: '25' | '12' | '6'; taxableMinor: bigint; vatMinor: bigint }[];
  documents: { invoices: number; creditNotes: number };
}

const RATE_25 = 250_000n;
const RATE_12 = 120_000n;
const RATE_6 = 60_000n;

/** The sales box of a VAT group, and the output VAT box for S rows. */
export function boxesFor(category: VatCategory, vatRateScaled: bigint): { sales: VatReturnBox; vat: VatReturnBox | null } {
  switch (category) {
    case 'S':
      if (vatRateScaled === RATE_25) return { sales: '05', vat: '10' };
      if (vatRateScaled === RATE_12) return { sales: '05', vat: '11' };
      if (vatRateScaled === RATE_6) return { sales: '05', vat: '12' };
      throw new Error(`VAT return: no output VAT box for category S at ${Number(vatRateScaled) / 10_000} %`);
    case 'K': return { sales: '35', vat: null };
    case 'G': return { sales: '36', vat: null };
    case 'AE': return { sales: '39', vat: null };
    case 'O': return { sales: '40', vat: null };
    case 'E':
    case 'Z': return { sales: '42', vat: null };
    default: throw new Error(`VAT return: unknown VAT category '${String(category)}'`);
  }
}

/** Allocates `total` over `weights` (all ≥ 0); all zero → all zero parts (then `total` must be 0). */
function spread(total: bigint, weights: bigint[], currency: string): bigint[] {
  if (weights.length === 0) {
    if (total !== 0n) throw new Error(`VAT return: ${total} ${currency} to allocate over no rows`);
    return [];
  }
  if (weights.every((w) => w === 0n)) {
    if (total !== 0n) throw new Error(`VAT return: ${total} ${currency} to allocate over rows of zero`);
    return weights.map(() => 0n);
  }
  return allocate(money(total, currency), weights).map((m) => m.minor);
}

/** The document's rows in the base currency (taxable and VAT), see the module comment. */
export function baseRowsOf(doc: VatReturnDocument): { vatCategory: VatCategory; vatRateScaled: bigint; taxableMinor: bigint; vatMinor: bigint }[] {
  if (doc.currency === doc.baseCurrency) return doc.rows.map((r) => ({ ...r }));
  const taxable = spread(doc.netBaseMinor, doc.rows.map((r) => r.taxableMinor), doc.baseCurrency);
  const vat = spread(doc.vatBaseMinor, doc.rows.map((r) => r.vatMinor), doc.baseCurrency);
  return doc.rows.map((r, i) => ({ vatCategory: r.vatCategory, vatRateScaled: r.vatRateScaled, taxableMinor: taxable[i]!, vatMinor: vat[i]! }));
}

function deductionBase(amount: bigint, doc: VatReturnDocument, rateScaled: bigint | null): bigint {
  if (doc.currency === doc.baseCurrency) return amount;
  if (rateScaled === null) throw new Error(`VAT return: deduction on ${doc.number} in ${doc.currency} without the advance's rate`);
  return convert(money(amount, doc.currency), { base: doc.currency, quote: doc.baseCurrency, scaled: rateScaled }).minor;
}

export function computeVatReturn(from: LocalDate, to: LocalDate, baseCurrency: string, docs: readonly VatReturnDocument[]): VatReturn {
  if (from > to) throw new Error(`VAT return: from ${from} is after to ${to}`);
  const exact = new Map<VatReturnBox, bigint>(VAT_RETURN_BOXES.map((b) => [b, 0n]));
  const add = (box: VatReturnBox, minor: bigint) => exact.set(box, exact.get(box)! + minor);
  const byRate = new Map<'25' | '12' | '6', { taxableMinor: bigint; vatMinor: bigint }>([
    ['25', { taxableMinor: 0n, vatMinor: 0n }],
    ['12', { taxableMinor: 0n, vatMinor: 0n }],
    ['6', { taxableMinor: 0n, vatMinor: 0n }],
  ]);
  const rateKey = (box: VatReturnBox | null) => (box === '10' ? '25' : box === '11' ? '12' : box === '12' ? '6' : null);
  const book = (category: VatCategory, rate: bigint, taxable: bigint, vat: bigint) => {
    const { sales, vat: vatBox } = boxesFor(category, rate);
    add(sales, taxable);
    if (vatBox !== null) add(vatBox, vat);
    else if (vat !== 0n) throw new Error(`VAT return: category ${category} carries VAT ${vat}`);
    const k = rateKey(vatBox);
    if (k !== null) {
      const r = byRate.get(k)!;
      r.taxableMinor += taxable;
      r.vatMinor += vat;
    }
  };
  let invoices = 0;
  let creditNotes = 0;
  for (const doc of docs) {
    if (doc.baseCurrency !== baseCurrency) throw new Error(`VAT return: ${doc.number} was issued with base ${doc.baseCurrency}, the report is in ${baseCurrency}`);
    if (doc.documentDate < from || doc.documentDate > to) throw new Error(`VAT return: ${doc.number} dated ${doc.documentDate} is outside ${from}–${to}`);
    const sign = doc.kind === 'credit_note' ? -1n : 1n;
    const count = doc.documentCount ?? 1;
    if (doc.kind === 'credit_note') creditNotes += count;
    else invoices += count;
    for (const r of baseRowsOf(doc)) book(r.vatCategory, r.vatRateScaled, sign * r.taxableMinor, sign * r.vatMinor);
    for (const d of doc.deductions) {
      book(d.vatCategory, d.vatRateScaled, -sign * deductionBase(d.netMinor, doc, d.advanceRateScaled), -sign * deductionBase(d.vatMinor, doc, d.advanceRateScaled));
    }
  }
  const declared = new Map<VatReturnBox, bigint>([...exact].map(([b, v]) => [b, declaredKronor(v)]));
  exact.set('49', exact.get('10')! + exact.get('11')! + exact.get('12')! - exact.get('48')!);
  declared.set('49', declared.get('10')! + declared.get('11')! + declared.get('12')! - declared.get('48')!);
  return {
    from,
    to,
    currency: baseCurrency,
    boxes: VAT_RETURN_BOXES.map((box) => ({ box, label: VAT_RETURN_BOX_LABELS[box], exactMinor: exact.get(box)!, declaredKronor: declared.get(box)! })),
    outputVatByRate: [...byRate].map(([ratePercent, v]) => ({ ratePercent, ...v })),
    documents: { invoices, creditNotes },
  };
}

/** The return as CSV (`;`-separated, as Swedish spreadsheets expect): box;label;exact;declared. */
export function vatReturnCsv(r: VatReturn): string {
  const amount = (minor: bigint) => {
    const neg = minor < 0n;
    const m = neg ? -minor : minor;
    return `${neg ? '-' : ''}${m / 100n}.${(m % 100n).toString().padStart(2, '0')}`;
  };
  const lines = [`box;label;amount_${r.currency.toLowerCase()};declared_kronor`];
  for (const b of r.boxes) lines.push(`${b.box};${b.label};${amount(b.exactMinor)};${b.declaredKronor}`);
  return `${lines.join('\r\n')}\r\n`;
}
