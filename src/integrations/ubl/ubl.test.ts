import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { money, parseMoney } from '../../core/money/money.js';
import type { Money } from '../../core/money/money.js';
import { divRound } from '../../core/money/rounding.js';
import { DECIMAL4_SCALE, decimal4 } from '../../core/money/quantity.js';
import { luhnCheckDigit, makeOcrReference } from '../../core/receivables/ocr.js';
import type { VatCategory } from '../../core/tax/vat.js';
import { DomainError } from '../../core/shared/errors.js';
import { eInvoiceTotals, expectedLineNet } from './document.js';
import type { AllowanceCharge, EInvoice, EInvoiceLine, EParty, PaymentMeans } from './document.js';
import { F_SKATT_TEXT, PEPPOL_CUSTOMIZATION_ID, checkEInvoice, findEInvoiceProblems, toUbl } from './ubl.js';

const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/conformance/validate-ubl.sh');

// ------------------------------------------------------------------------------------------------
// Corpus builders
// ------------------------------------------------------------------------------------------------

const withLuhn = (base: string): string => `${base}${luhnCheckDigit(base)}`;
/** ISO 11649 RF reference for a base. */
function rf(base: string): string {
  const digits = [...`${base}RF00`].map((ch) => (/[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch)).join('');
  const check = 98n - (BigInt(digits) % 97n);
  return `RF${check.toString().padStart(2, '0')}${base}`;
}

const SELLER_ORG = withLuhn('556677889');
const BUYER_ORG = withLuhn('559123456');

const seller: EParty = {
  name: 'Exempelbolaget i Norden AB',
  tradingName: 'Exempelbolaget',
  endpoint: { scheme: '0007', id: SELLER_ORG },
  legalId: { id: SELLER_ORG },
  vatNumber: `SE${SELLER_ORG}01`,
  taxRegistration: F_SKATT_TEXT,
  address: { street: 'Storgatan 1', city: 'Stockholm', postalZone: '111 22', country: 'SE' },
  contact: { name: 'Anna Andersson', phone: '+46 8 123 456', email: 'faktura@exempel.se' },
};
/** O documents: the seller states no VAT number (BR-O-02). */
const sellerNoVat: EParty = { ...seller, vatNumber: undefined } as EParty;
delete (sellerNoVat as { vatNumber?: string }).vatNumber;

const buyerSe: EParty = {
  name: 'Kundbolaget Sverige AB',
  endpoint: { scheme: '0007', id: BUYER_ORG },
  legalId: { id: BUYER_ORG, scheme: '0007' },
  vatNumber: `SE${BUYER_ORG}01`,
  address: { street: 'Kungsgatan 5', additionalStreet: 'Box 17', city: 'Göteborg', postalZone: '411 19', country: 'SE' },
};
const buyerSeNoVat: EParty = {
  name: 'Föreningen Kultur',
  endpoint: { scheme: '0007', id: BUYER_ORG },
  address: { city: 'Uppsala', postalZone: '753 20', country: 'SE' },
};
const buyerDe: EParty = {
  name: 'Kunde GmbH',
  endpoint: { scheme: '9930', id: 'DE123456789' },
  vatNumber: 'DE123456789',
  address: { street: 'Hauptstraße 3', city: 'Berlin', postalZone: '10115', country: 'DE' },
  contact: { email: 'rechnung@kunde.de' },
};
const buyerFi: EParty = {
  name: 'Asiakas Oy',
  endpoint: { scheme: '0088', id: '7300010000001' },
  vatNumber: 'FI12345678',
  address: { street: 'Mannerheimintie 1', city: 'Helsinki', postalZone: '00100', country: 'FI' },
};
const buyerNo: EParty = {
  name: 'Kunde Norge AS',
  endpoint: { scheme: '0088', id: '7300010000001' },
  address: { street: 'Karl Johans gate 2', city: 'Oslo', postalZone: '0154', country: 'NO' },
};

const bankgiro = (paymentId: string): PaymentMeans => ({ account: { type: 'bankgiro', number: '56781234' }, paymentId });
const iban = (paymentId: string): PaymentMeans => ({
  account: { type: 'iban', iban: 'SE4550000000058398257466', bic: 'ESSESESS' },
  accountName: 'Exempelbolaget i Norden AB',
  paymentId,
});
const plusgiro = (paymentId: string): PaymentMeans => ({ account: { type: 'plusgiro', number: '4711234' }, paymentId });

interface LineSpec {
  qty: string;
  unit?: string;
  price: string;
  base?: string;
  discount?: string;
  cat?: VatCategory;
  rate?: string;
  name?: string;
}

const EXEMPTIONS = {
  E: { code: 'VATEX-EU-132-1C', text: 'Undantag från skatteplikt, 10 kap. 12 § mervärdesskattelagen' },
  AE: { code: 'VATEX-EU-AE', text: 'Omvänd betalningsskyldighet' },
  K: { code: 'VATEX-EU-IC', text: 'Gemenskapsintern leverans' },
  G: { code: 'VATEX-EU-G', text: 'Export' },
  O: { code: 'VATEX-EU-O', text: 'Utanför tillämpningsområdet för mervärdesskatt' },
} as const;

interface DocSpec {
  name: string;
  kind?: 'invoice' | 'credit_note';
  typeCode?: '380' | '386';
  currency?: string;
  /** SEK per unit of the document currency, 4 decimals; adds TaxCurrencyCode SEK and BT-111 */
  sekRate?: string;
  seller?: EParty;
  buyer?: EParty;
  lines: LineSpec[];
  allowances?: { amount: string; reason?: string; code?: string; cat?: VatCategory; rate?: string }[];
  charges?: { amount: string; reason?: string; code?: string; cat?: VatCategory; rate?: string }[];
  prepaid?: string;
  rounding?: string;
  payment?: PaymentMeans[];
  orderRefOnly?: boolean;
  delivery?: EInvoice['delivery'];
  note?: string;
}

let serial = 1000;

function build(spec: DocSpec): EInvoice {
  const currency = spec.currency ?? 'SEK';
  const m = (s: string): Money => parseMoney(s, currency, 'test');
  const lines: EInvoiceLine[] = spec.lines.map((l, i) => {
    const cat = l.cat ?? 'S';
    const base = {
      id: String(i + 1),
      quantity: decimal4(l.qty),
      unitCode: l.unit ?? 'C62',
      price: m(l.price),
      ...(l.base !== undefined ? { baseQuantity: decimal4(l.base) } : {}),
      ...(l.discount !== undefined ? { allowance: { amount: m(l.discount), reason: 'Rabatt', reasonCode: '95' } } : {}),
      itemName: l.name ?? `Artikel ${i + 1}`,
      sellerItemId: `ART-${100 + i}`,
      vat: { category: cat, rate: decimal4(l.rate ?? (cat === 'S' ? '25' : '0')) },
    };
    return { ...base, netAmount: expectedLineNet(base) };
  });
  const ac = (a: NonNullable<DocSpec['allowances']>[number]): AllowanceCharge => {
    const cat = a.cat ?? 'S';
    return {
      amount: m(a.amount),
      ...(a.reason !== undefined ? { reason: a.reason } : {}),
      ...(a.code !== undefined ? { reasonCode: a.code } : {}),
      vat: { category: cat, rate: decimal4(a.rate ?? (cat === 'S' ? '25' : '0')) },
    };
  };
  const allowances = (spec.allowances ?? []).map(ac);
  const charges = (spec.charges ?? []).map(ac);
  const { vatBreakdown, totals } = eInvoiceTotals(currency, {
    lines,
    allowances,
    charges,
    ...(spec.prepaid !== undefined ? { prepaid: m(spec.prepaid) } : {}),
    ...(spec.rounding !== undefined ? { payableRounding: m(spec.rounding) } : {}),
    exemptions: EXEMPTIONS,
  });
  serial += 1;
  const number = `F${serial}`;
  const ocr = makeOcrReference(String(serial));
  const common = {
    number,
    issueDate: '2026-05-04',
    dueDate: '2026-06-03',
    currency,
    ...(spec.sekRate !== undefined
      ? {
          taxCurrency: {
            currency: 'SEK',
            vatTotal: money(divRound(totals.vatTotal.minor * decimal4(spec.sekRate).scaled, DECIMAL4_SCALE, 'half_up'), 'SEK'),
          },
        }
      : {}),
    ...(spec.orderRefOnly === true ? { orderReference: 'PO-7781' } : { buyerReference: 'Ref Lisa Berg', orderReference: 'PO-4711' }),
    seller: spec.seller ?? seller,
    buyer: spec.buyer ?? buyerSe,
    delivery: spec.delivery ?? { date: '2026-04-28' },
    paymentMeans: spec.payment ?? [bankgiro(ocr)],
    paymentTerms: '30 dagar netto. Dröjsmålsränta 8 %.',
    ...(spec.note !== undefined ? { note: spec.note } : {}),
    allowances,
    charges,
    lines,
    vatBreakdown,
    totals,
  };
  return spec.kind === 'credit_note'
    ? { ...common, kind: 'credit_note', typeCode: '381', billingReference: { number: 'F0999', issueDate: '2026-04-01' } }
    : { ...common, kind: 'invoice', typeCode: spec.typeCode ?? '380' };
}

const deliverToDe = { date: '2026-04-28', address: { street: 'Lagerweg 9', city: 'Hamburg', postalZone: '20095', country: 'DE' } };

const manyLines: LineSpec[] = Array.from({ length: 24 }, (_, i) => ({
  qty: `${(i % 7) + 1}.${(i * 3) % 10}`,
  unit: ['C62', 'HUR', 'KGM', 'LTR', 'MTR', 'DAY', 'EA', 'MON'][i % 8] ?? 'C62',
  price: `${(i * 137) % 900 + 10}.${String((i * 29) % 100).padStart(2, '0')}`,
  ...(i % 5 === 0 ? { discount: `${i + 1}.50` } : {}),
  rate: ['25', '12', '6'][i % 3] ?? '25',
}));

const SPECS: DocSpec[] = [
  { name: 'inv-s25-single', lines: [{ qty: '10', price: '199.00' }] },
  { name: 'inv-s25-two-lines', lines: [{ qty: '3', price: '1250.00' }, { qty: '1', unit: 'EA', price: '89.90' }] },
  {
    name: 'inv-mixed-25-12-6',
    lines: [
      { qty: '2', price: '500.00', rate: '25' },
      { qty: '4', unit: 'KGM', price: '39.95', rate: '12' },
      { qty: '3', price: '249.00', rate: '6', name: 'Bok' },
    ],
  },
  {
    name: 'inv-mixed-rounding-per-group',
    lines: [
      { qty: '1', price: '0.03', rate: '25' },
      { qty: '1', price: '0.03', rate: '25' },
      { qty: '7', price: '13.37', rate: '12' },
      { qty: '0.333', unit: 'KGM', price: '19.99', rate: '6' },
    ],
  },
  { name: 'inv-zero-rated-z', lines: [{ qty: '5', price: '300.00', cat: 'Z' }] },
  { name: 'inv-z-and-s', lines: [{ qty: '5', price: '300.00', cat: 'Z' }, { qty: '1', price: '100.00' }] },
  { name: 'inv-exempt-e', lines: [{ qty: '1.5', unit: 'HUR', price: '1200.00', cat: 'E' }] },
  { name: 'inv-e-and-s25', lines: [{ qty: '2', unit: 'HUR', price: '900.00', cat: 'E' }, { qty: '1', price: '450.00' }] },
  { name: 'inv-reverse-charge-ae', buyer: buyerDe, currency: 'EUR', lines: [{ qty: '12', unit: 'HUR', price: '95.00', cat: 'AE' }], payment: [iban(rf('4711'))] },
  { name: 'inv-reverse-charge-ae-sek', lines: [{ qty: '40', unit: 'HUR', price: '850.00', cat: 'AE' }] },
  { name: 'inv-intra-eu-k', buyer: buyerDe, currency: 'EUR', delivery: deliverToDe, lines: [{ qty: '250', unit: 'KGM', price: '4.20', cat: 'K' }], payment: [iban(rf('K250'))] },
  { name: 'inv-export-g', buyer: buyerNo, lines: [{ qty: '3', unit: 'EA', price: '12500.00', cat: 'G' }] },
  { name: 'inv-outside-scope-o', seller: sellerNoVat, buyer: buyerSeNoVat, lines: [{ qty: '1', price: '5000.00', cat: 'O', name: 'Skadestånd' }] },
  { name: 'inv-doc-allowance', lines: [{ qty: '10', price: '100.00' }], allowances: [{ amount: '50.00', reason: 'Rabatt', code: '95' }] },
  { name: 'inv-doc-charge', lines: [{ qty: '10', price: '100.00' }], charges: [{ amount: '149.00', reason: 'Frakt', code: 'FC' }] },
  {
    name: 'inv-allowances-charges-mixed-rates',
    lines: [{ qty: '10', price: '100.00' }, { qty: '6', unit: 'KGM', price: '45.50', rate: '12' }],
    allowances: [{ amount: '25.00', reason: 'Kampanjrabatt', rate: '12' }, { amount: '10.00', code: '95' }],
    charges: [{ amount: '99.00', reason: 'Frakt' }, { amount: '12.00', reason: 'Emballage', code: 'ABL', rate: '12' }],
  },
  { name: 'inv-line-discount', lines: [{ qty: '4', price: '2500.00', discount: '1000.00' }] },
  {
    name: 'inv-line-discounts-mixed',
    lines: [
      { qty: '3', price: '399.00', discount: '119.70' },
      { qty: '2.5', unit: 'KGM', price: '88.00', discount: '11.00', rate: '12' },
      { qty: '1', price: '79.00' },
    ],
  },
  { name: 'inv-eur-tax-currency-sek', currency: 'EUR', sekRate: '11.4567', lines: [{ qty: '8', unit: 'HUR', price: '120.00' }], payment: [iban(rf('EUR8'))] },
  {
    name: 'inv-eur-sek-mixed-rates',
    currency: 'EUR',
    sekRate: '11.0123',
    lines: [{ qty: '2', price: '45.10' }, { qty: '3', unit: 'KGM', price: '7.35', rate: '12' }, { qty: '1', price: '19.90', rate: '6' }],
    payment: [iban(rf('MIX01'))],
  },
  { name: 'inv-deposit-deduction', lines: [{ qty: '1', price: '40000.00' }], prepaid: '10000.00' },
  { name: 'inv-deposit-with-rounding', lines: [{ qty: '3', price: '333.33' }], prepaid: '500.00', rounding: '0.01' },
  { name: 'inv-prepayment-386', typeCode: '386', lines: [{ qty: '1', price: '10000.00', name: 'Förskott enligt order 4711' }] },
  { name: 'inv-payable-rounding', lines: [{ qty: '1', price: '99.99' }], rounding: '0.01' },
  {
    name: 'inv-decimal-quantities-units',
    lines: [
      { qty: '2.5', unit: 'HUR', price: '950.00' },
      { qty: '0.75', unit: 'KGM', price: '312.40', rate: '12' },
      { qty: '1.25', unit: 'LTR', price: '64.00' },
      { qty: '3', unit: 'MTR', price: '17.50' },
      { qty: '2', unit: 'DAY', price: '4500.00' },
      { qty: '1', unit: 'MON', price: '1990.00' },
    ],
  },
  { name: 'inv-base-quantity', lines: [{ qty: '250', price: '12.50', base: '100', name: 'Skruv M6, pris per 100 st' }] },
  { name: 'inv-gln-buyer-fi', buyer: buyerFi, currency: 'EUR', lines: [{ qty: '5', price: '18.00', cat: 'K' }], delivery: { date: '2026-04-20', address: { city: 'Espoo', country: 'FI' } }, payment: [iban(rf('FI5'))] },
  { name: 'inv-order-reference-only', orderRefOnly: true, lines: [{ qty: '1', price: '700.00' }] },
  { name: 'inv-iban-ocr', lines: [{ qty: '2', price: '350.00' }], payment: [iban(makeOcrReference('880011'))] },
  { name: 'inv-bankgiro-rf', lines: [{ qty: '2', price: '350.00' }], payment: [bankgiro(rf('BG2026'))] },
  { name: 'inv-plusgiro-and-bankgiro', lines: [{ qty: '2', price: '350.00' }], payment: [bankgiro(makeOcrReference('4455')), plusgiro(makeOcrReference('4455'))] },
  { name: 'inv-negative-return-line', lines: [{ qty: '5', price: '200.00' }, { qty: '-1', price: '200.00', name: 'Retur' }] },
  { name: 'inv-many-lines', lines: manyLines, note: 'Leverans enligt avtal 2026-17.' },
  { name: 'inv-jpy-exponent-0', currency: 'JPY', sekRate: '0.0712', lines: [{ qty: '3', price: '15000' }], payment: [iban(rf('JPY3'))] },
  { name: 'cn-s25', kind: 'credit_note', lines: [{ qty: '2', price: '199.00' }] },
  {
    name: 'cn-mixed-with-allowance',
    kind: 'credit_note',
    lines: [{ qty: '1', price: '1000.00' }, { qty: '2', unit: 'KGM', price: '55.00', rate: '12' }],
    allowances: [{ amount: '100.00', reason: 'Rabatt' }],
    charges: [{ amount: '49.00', reason: 'Frakt' }],
  },
  { name: 'cn-reverse-charge-ae', kind: 'credit_note', buyer: buyerDe, currency: 'EUR', lines: [{ qty: '2', unit: 'HUR', price: '95.00', cat: 'AE' }], payment: [iban(rf('CN1'))] },
  { name: 'cn-eur-tax-currency-sek', kind: 'credit_note', currency: 'EUR', sekRate: '11.4567', lines: [{ qty: '1.5', unit: 'HUR', price: '120.00' }], payment: [iban(rf('CN2'))] },
  { name: 'cn-decimal-line-discount', kind: 'credit_note', lines: [{ qty: '0.75', unit: 'KGM', price: '312.40', discount: '23.43', rate: '12' }] },
  { name: 'cn-exempt-e', kind: 'credit_note', lines: [{ qty: '1', unit: 'HUR', price: '1200.00', cat: 'E' }] },
  { name: 'cn-export-g', kind: 'credit_note', buyer: buyerNo, lines: [{ qty: '1', unit: 'EA', price: '12500.00', cat: 'G' }] },
];

// ------------------------------------------------------------------------------------------------
// Conformance: the whole corpus through the official validators in one call
// ------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'q2c-ubl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validate(files: string[]): { status: number | null; output: string } {
  if (!existsSync(VALIDATOR)) throw new Error(`validator script not found at ${VALIDATOR}`);
  const r = spawnSync('bash', [VALIDATOR, '--quiet', ...files], { encoding: 'utf8', timeout: 120_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error !== undefined) throw new Error(`validate-ubl.sh could not run: ${r.error.message}\n${output}`);
  if (r.status === 3) {
    throw new Error(`validate-ubl.sh: the validator tools are missing (xmllint / java / Saxon-HE); install them:\n${output}`);
  }
  return { status: r.status, output };
}

describe('toUbl corpus against UBL 2.1 XSD, EN 16931 and Peppol BIS 3 rules', () => {
  it('has at least 30 documents, invoices and credit notes', () => {
    expect(SPECS.length).toBeGreaterThanOrEqual(30);
    expect(SPECS.some((s) => s.kind === 'credit_note')).toBe(true);
    expect(new Set(SPECS.map((s) => s.name)).size).toBe(SPECS.length);
  });

  it('every generated document passes, and a broken line sum is reported as BR-CO-10', () => {
    const files: string[] = [];
    for (const spec of SPECS) {
      const doc = build(spec);
      expect(findEInvoiceProblems(doc), spec.name).toEqual([]);
      const file = join(dir, `${spec.name}.xml`);
      writeFileSync(file, toUbl(doc));
      files.push(file);
    }
    // the deliberately wrong document: one line amount changed after generation
    const good = toUbl(build({ name: 'broken', lines: [{ qty: '7', price: '400.00' }, { qty: '1', price: '100.00' }] }));
    const broken = good.replace(
      /(<cbc:LineExtensionAmount currencyID="SEK">)2800\.00(<\/cbc:LineExtensionAmount>)/,
      '$12900.00$2',
    );
    expect(broken).not.toBe(good);
    const brokenFile = join(dir, 'zz-broken-line-amount.xml');
    writeFileSync(brokenFile, broken);

    const all = validate(files);
    if (all.status !== 0) console.error(all.output);
    expect(all.status, all.output).toBe(0);
    expect(all.output).not.toMatch(/\bfatal\b/i);

    const bad = validate([brokenFile]);
    expect(bad.status, bad.output).toBe(1);
    expect(bad.output).toContain('BR-CO-10');
  }, 180_000);
});

// ------------------------------------------------------------------------------------------------
// Generated XML details
// ------------------------------------------------------------------------------------------------

describe('toUbl output', () => {
  it('writes the Peppol identifiers, bankgiro and F-skatt as the Swedish rules expect', () => {
    const xml = toUbl(build(SPECS[0] as DocSpec));
    expect(xml).toContain(`<cbc:CustomizationID>${PEPPOL_CUSTOMIZATION_ID}</cbc:CustomizationID>`);
    expect(xml).toContain('<cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>');
    expect(xml).toContain('<cbc:ID>SE:BANKGIRO</cbc:ID>');
    expect(xml).toMatch(/<cbc:CompanyID>Godkänd för F-skatt<\/cbc:CompanyID>\s*<cac:TaxScheme>\s*<cbc:ID>TAX<\/cbc:ID>/);
    expect(xml).toContain(`<cbc:EndpointID schemeID="0007">${SELLER_ORG}</cbc:EndpointID>`);
  });

  it('writes decimal quantities exactly and amounts with the currency exponent', () => {
    const xml = toUbl(build(SPECS.find((s) => s.name === 'inv-decimal-quantities-units') as DocSpec));
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="HUR">2.5</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:InvoicedQuantity unitCode="KGM">0.75</cbc:InvoicedQuantity>');
    expect(xml).toContain('<cbc:LineExtensionAmount currencyID="SEK">2375.00</cbc:LineExtensionAmount>');
    const jpy = toUbl(build(SPECS.find((s) => s.name === 'inv-jpy-exponent-0') as DocSpec));
    expect(jpy).toContain('<cbc:PriceAmount currencyID="JPY">15000</cbc:PriceAmount>');
  });

  it('writes a credit note with CreditedQuantity, billing reference and the tax currency total', () => {
    const xml = toUbl(build(SPECS.find((s) => s.name === 'cn-eur-tax-currency-sek') as DocSpec));
    expect(xml).toContain('<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"');
    expect(xml).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(xml).toContain('<cbc:CreditedQuantity unitCode="HUR">1.5</cbc:CreditedQuantity>');
    expect(xml).toMatch(/<cac:BillingReference>\s*<cac:InvoiceDocumentReference>\s*<cbc:ID>F0999<\/cbc:ID>/);
    expect(xml).toContain('<cbc:TaxCurrencyCode>SEK</cbc:TaxCurrencyCode>');
    // 1.5 × 120.00 = 180.00 EUR, VAT 45.00 EUR × 11.4567 = 515.55 SEK
    expect(xml).toContain('<cbc:TaxAmount currencyID="SEK">515.55</cbc:TaxAmount>');
  });

  it('omits the rate for category O and writes exemption reasons', () => {
    const xml = toUbl(build(SPECS.find((s) => s.name === 'inv-outside-scope-o') as DocSpec));
    expect(xml).not.toMatch(/<cbc:ID>O<\/cbc:ID>\s*<cbc:Percent>/);
    expect(xml).toContain('<cbc:TaxExemptionReasonCode>VATEX-EU-O</cbc:TaxExemptionReasonCode>');
  });
});

// ------------------------------------------------------------------------------------------------
// checkEInvoice refusals
// ------------------------------------------------------------------------------------------------

function refusal(doc: EInvoice): DomainError {
  try {
    checkEInvoice(doc);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('checkEInvoice accepted the document');
}

const base = (): EInvoice => build({ name: 'base', lines: [{ qty: '7', price: '400.00' }, { qty: '2.5', unit: 'HUR', price: '100.00', rate: '12' }] });
const sek = (s: string): Money => parseMoney(s, 'SEK', 'test');

describe('checkEInvoice refuses documents that do not add up', () => {
  it('accepts the base document', () => {
    expect(() => checkEInvoice(base())).not.toThrow();
  });

  it.each<[string, (d: EInvoice) => EInvoice, string]>([
    ['a line amount that is not quantity × price', (d) => ({ ...d, lines: d.lines.map((l, i) => (i === 0 ? { ...l, netAmount: sek('2900.00') } : l)) }), 'lines.0.netAmount'],
    ['a wrong line sum', (d) => ({ ...d, totals: { ...d.totals, lineExtension: sek('1.00') } }), 'totals.lineExtension'],
    ['a wrong group VAT', (d) => ({ ...d, vatBreakdown: d.vatBreakdown.map((r, i) => (i === 0 ? { ...r, vat: sek('700.01') } : r)) }), 'vatBreakdown.0.vat'],
    ['a wrong group taxable amount', (d) => ({ ...d, vatBreakdown: d.vatBreakdown.map((r, i) => (i === 1 ? { ...r, taxable: sek('251.00') } : r)) }), 'vatBreakdown.1.taxable'],
    ['a missing breakdown row', (d) => ({ ...d, vatBreakdown: d.vatBreakdown.slice(0, 1) }), 'vatBreakdown'],
    ['a wrong VAT total', (d) => ({ ...d, totals: { ...d.totals, vatTotal: sek('1.00') } }), 'totals.vatTotal'],
    ['a wrong tax exclusive total', (d) => ({ ...d, totals: { ...d.totals, taxExclusive: sek('1.00') } }), 'totals.taxExclusive'],
    ['a wrong tax inclusive total', (d) => ({ ...d, totals: { ...d.totals, taxInclusive: sek('1.00') } }), 'totals.taxInclusive'],
    ['a wrong payable amount', (d) => ({ ...d, totals: { ...d.totals, payable: sek('1.00') } }), 'totals.payable'],
    ['a prepaid amount not deducted', (d) => ({ ...d, totals: { ...d.totals, prepaid: sek('100.00') } }), 'totals.payable'],
    ['an allowance missing from the totals', (d) => ({ ...d, allowances: [{ amount: sek('10.00'), reason: 'Rabatt', vat: { category: 'S', rate: decimal4('25') } }] }), 'vatBreakdown.0.taxable'],
    ['no buyer or order reference', (d) => ({ ...d, buyerReference: undefined, orderReference: undefined }) as EInvoice, 'buyerReference'],
    ['an amount in another currency', (d) => ({ ...d, lines: d.lines.map((l, i) => (i === 0 ? { ...l, netAmount: money(280000n, 'EUR') } : l)) }), 'lines.0.netAmount'],
    ['a rate Sweden does not have', (d) => ({ ...d, lines: d.lines.map((l, i) => (i === 0 ? { ...l, vat: { category: 'S', rate: decimal4('19') } } : l)) }), 'lines.0.vat.rate'],
    ['a bad seller org number', (d) => ({ ...d, seller: { ...d.seller, legalId: { id: '5566778890' } } }), 'seller.legalId.id'],
    ['a malformed bankgiro number', (d) => ({ ...d, paymentMeans: [{ account: { type: 'bankgiro', number: '5678-1234' } }] }), 'paymentMeans.0.account.number'],
    ['an OCR reference with a wrong check digit', (d) => ({ ...d, paymentMeans: [bankgiro('12345')] }), 'paymentMeans.0.paymentId'],
    ['an RF reference with wrong check digits', (d) => ({ ...d, paymentMeans: [bankgiro('RF00BG2026')] }), 'paymentMeans.0.paymentId'],
    ['an invalid IBAN', (d) => ({ ...d, paymentMeans: [{ account: { type: 'iban', iban: 'SE4550000000058398257467' } }] }), 'paymentMeans.0.account.iban'],
    ['two payment means with different references', (d) => ({ ...d, paymentMeans: [bankgiro(makeOcrReference('11')), plusgiro(makeOcrReference('22'))] }), 'paymentMeans.1.paymentId'],
    ['a credit note without billing reference', (d) => ({ ...d, kind: 'credit_note', typeCode: '381' }) as EInvoice, 'billingReference'],
    ['a type code that does not fit the kind', (d) => ({ ...d, typeCode: '381' }) as unknown as EInvoice, 'typeCode'],
    ['a blank item name', (d) => ({ ...d, lines: d.lines.map((l, i) => (i === 1 ? { ...l, itemName: ' ' } : l)) }), 'lines.1.itemName'],
    ['a malformed date', (d) => ({ ...d, dueDate: '2026-02-30' }), 'dueDate'],
  ])('refuses %s', (_what, mutate, field) => {
    const e = refusal(mutate(base()));
    expect(e.code).toBe('unprocessable');
    expect(findEInvoiceProblems(mutate(base())).map((p) => p.field)).toContain(field);
  });

  it('names the field of the first problem as the error param', () => {
    const d = base();
    const e = refusal({ ...d, totals: { ...d.totals, payable: sek('1.00') } });
    expect(e.param).toBe('totals.payable');
    expect(e.message).toContain('BR-CO-16');
  });

  it('does not fix figures: toUbl throws rather than write a wrong total', () => {
    const d = base();
    expect(() => toUbl({ ...d, totals: { ...d.totals, vatTotal: sek('0.00') } })).toThrow(/totals\.vatTotal/);
  });

  it('requires the VAT numbers and exemption reasons the categories need', () => {
    const ae = build({ name: 'ae', buyer: buyerSeNoVat, lines: [{ qty: '1', price: '100.00', cat: 'AE' }] });
    expect(findEInvoiceProblems(ae).map((p) => p.field)).toContain('buyer.vatNumber');
    const e = build({ name: 'e', lines: [{ qty: '1', price: '100.00', cat: 'E' }] });
    const noReason = { ...e, vatBreakdown: e.vatBreakdown.map((r) => ({ category: r.category, rate: r.rate, taxable: r.taxable, vat: r.vat })) };
    expect(findEInvoiceProblems(noReason).map((p) => p.field)).toContain('vatBreakdown.0.exemptionReason');
    const o = build({ name: 'o', lines: [{ qty: '1', price: '100.00', cat: 'O' }] });
    expect(findEInvoiceProblems(o).map((p) => p.field)).toEqual(expect.arrayContaining(['seller.vatNumber', 'buyer.vatNumber']));
    const k = build({ name: 'k', buyer: buyerDe, lines: [{ qty: '1', price: '100.00', cat: 'K' }] });
    expect(findEInvoiceProblems(k).map((p) => p.field)).toContain('delivery.address');
    const wrongCode = { ...e, vatBreakdown: e.vatBreakdown.map((r) => ({ ...r, exemptionReasonCode: 'VATEX-EU-AE' })) };
    expect(findEInvoiceProblems(wrongCode).map((p) => p.field)).toContain('vatBreakdown.0.exemptionReasonCode');
  });
});
