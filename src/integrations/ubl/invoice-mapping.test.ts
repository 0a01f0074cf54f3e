import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CustomerRecord, InvoiceLineRecord, InvoiceRecord, PartySnapshot, TenantRecord } from '../../app/ports.js';
import { decimal4 } from '../../core/money/quantity.js';
import { makeOcrReference } from '../../core/receivables/ocr.js';
import { DomainError } from '../../core/shared/errors.js';
import { asId } from '../../core/shared/ids.js';
import type { VatCategory } from '../../core/tax/vat.js';
import { expectedLineNet } from './document.js';
import { buyerEndpoint, swedishOrgNumber, toEInvoice, unitCodeOf } from './invoice-mapping.js';
import { F_SKATT_TEXT, findEInvoiceProblems, toUbl } from './ubl.js';

const VALIDATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/conformance/validate-ubl.sh');

const tenant: TenantRecord = {
  id: asId('tenant', 'ten_test'),
  name: 'Testbolaget AB',
  orgNumber: '556677-8899',
  vatNumber: 'SE556677889901',
  baseCurrency: 'SEK',
  country: 'SE',
  bankgiro: '123-4567',
  iban: null,
  bic: null,
  fSkatt: true,
  addressLine1: 'Testvägen 1',
  addressLine2: null,
  postalCode: '111 11',
  city: 'Stockholm',
  email: 'faktura@testbolaget.example',
  phone: '08-123 45 67',
  logoPng: null,
  creditHoldOverdueDays: null,
  allowNegativeStock: false,
  reviewWindowDays: 14,
  paymentReferenceKind: 'ocr',
  ocrControl: 'hard_variable_length',
  ocrLengths: null,
};

const sellerSnapshot: PartySnapshot = {
  name: 'Testbolaget AB',
  orgNumber: '556677-8899',
  vatNumber: 'SE556677889901',
  country: 'SE',
  addressLine1: 'Testvägen 1',
  addressLine2: null,
  postalCode: '111 11',
  city: 'Stockholm',
  email: 'faktura@testbolaget.example',
  bankgiro: '123-4567',
  iban: 'SE45 5000 0000 0583 9825 7466',
  bic: 'ESSESESS',
  fSkatt: true,
};

const buyerSe: PartySnapshot = {
  name: 'Åkessons Järnhandel AB',
  orgNumber: '556036-0793',
  vatNumber: 'SE556036079301',
  country: 'SE',
  addressLine1: 'Storgatan 3',
  addressLine2: null,
  postalCode: '722 11',
  city: 'Västerås',
  email: 'ekonomi@akessons.example',
};

const customer: Pick<CustomerRecord, 'id' | 'name'> = { id: asId('customer', 'cus_1'), name: buyerSe.name };
const order = { number: 'SO-1001' };

function line(
  lineNo: number,
  p: { qty: string; price: bigint; gross: bigint; discount: bigint; net: bigint; rate?: string; cat?: VatCategory; unit?: string; pct?: string },
): InvoiceLineRecord {
  return {
    lineNo,
    orderId: asId('order', 'ord_1'),
    orderLineNo: lineNo,
    productId: null,
    description: `Artikel ${lineNo}`,
    quantity: decimal4(p.qty),
    unit: p.unit ?? 'C62',
    unitPriceMinor: p.price,
    discountPercent: decimal4(p.pct ?? '0'),
    grossAmountMinor: p.gross,
    discountAmountMinor: p.discount,
    netAmountMinor: p.net,
    vatRate: decimal4(p.rate ?? '25'),
    vatCategory: p.cat ?? 'S',
  };
}

function invoiceOf(lines: InvoiceLineRecord[], over: Partial<InvoiceRecord> = {}): InvoiceRecord {
  // breakdown and totals as create-invoice stores them: one row per (category, rate), VAT rounded once
  const groups = new Map<string, { cat: VatCategory; rate: bigint; taxable: bigint }>();
  for (const l of lines) {
    const key = `${l.vatCategory}|${l.vatRate.scaled}`;
    const g = groups.get(key) ?? { cat: l.vatCategory, rate: l.vatRate.scaled, taxable: 0n };
    g.taxable += l.netAmountMinor;
    groups.set(key, g);
  }
  const half = (n: bigint, d: bigint): bigint => (n >= 0n ? (2n * n + d) / (2n * d) : -((2n * -n + d) / (2n * d)));
  const vatBreakdown = [...groups.values()]
    .sort((a, b) => (a.rate === b.rate ? 0 : a.rate > b.rate ? -1 : 1))
    .map((g) => ({ vatCategory: g.cat, vatRate: { scaled: g.rate }, taxableMinor: g.taxable, vatMinor: half(g.taxable * g.rate, 1_000_000n) }));
  const net = lines.reduce((a, l) => a + l.netAmountMinor, 0n);
  const vat = vatBreakdown.reduce((a, r) => a + r.vatMinor, 0n);
  return {
    id: asId('invoice', 'inv_1'),
    series: 'INV',
    number: 'INV-1001',
    status: 'issued',
    orderId: asId('order', 'ord_1'),
    customerId: asId('customer', 'cus_1'),
    currency: 'SEK',
    issueDate: '2026-12-04',
    dueDate: '2027-01-03',
    deliveryDate: '2026-12-02',
    paymentTermsDays: 30,
    paymentReference: makeOcrReference('1001'),
    netTotalMinor: net,
    vatTotalMinor: vat,
    grossTotalMinor: net + vat,
    seller: sellerSnapshot,
    buyer: buyerSe,
    issuedAt: new Date('2026-12-04T10:00:00Z'),
    createdAt: new Date('2026-12-04T09:00:00Z'),
    lines,
    vatBreakdown,
    ...over,
  };
}

/** 3 × 1495.00 less 10 % at 25 %, 2 × 300.00 at 6 %: 4636.50 + 1045.13 = 5681.63 (as the PDF test). */
const domestic = invoiceOf([
  line(1, { qty: '3', price: 149_500n, gross: 448_500n, discount: 44_850n, net: 403_650n, pct: '10' }),
  line(2, { qty: '2', price: 30_000n, gross: 60_000n, discount: 0n, net: 60_000n, rate: '6' }),
]);

const dir = mkdtempSync(join(tmpdir(), 'q2c-ubl-map-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const written: string[] = [];
function keep(name: string, xml: string): void {
  const file = join(dir, `${name}.xml`);
  writeFileSync(file, xml);
  written.push(file);
}

describe('toEInvoice', () => {
  it('maps an issued domestic invoice with known figures', () => {
    const doc = toEInvoice(domestic, tenant, customer, order);
    expect(findEInvoiceProblems(doc)).toEqual([]);
    expect(doc).toMatchObject({
      kind: 'invoice',
      typeCode: '380',
      number: 'INV-1001',
      issueDate: '2026-12-04',
      dueDate: '2027-01-03',
      currency: 'SEK',
      orderReference: 'SO-1001',
      buyerReference: 'SO-1001',
      delivery: { date: '2026-12-02' },
      paymentTerms: '30 dagar netto',
    });
    expect(doc.seller).toMatchObject({
      name: 'Testbolaget AB',
      endpoint: { scheme: '0007', id: '5566778899' },
      legalId: { id: '5566778899' },
      vatNumber: 'SE556677889901',
      taxRegistration: F_SKATT_TEXT,
      address: { street: 'Testvägen 1', city: 'Stockholm', postalZone: '111 11', country: 'SE' },
      contact: { email: 'faktura@testbolaget.example', phone: '08-123 45 67' },
    });
    expect(doc.buyer).toMatchObject({
      endpoint: { scheme: '0007', id: '5560360793' },
      legalId: { id: '5560360793', scheme: '0007' },
      vatNumber: 'SE556036079301',
    });
    const ocr = makeOcrReference('1001');
    expect(doc.paymentMeans).toEqual([
      { account: { type: 'bankgiro', number: '1234567' }, paymentId: ocr },
      { account: { type: 'iban', iban: 'SE4550000000058398257466', bic: 'ESSESESS' }, accountName: 'Testbolaget AB', paymentId: ocr },
    ]);
    expect(doc.lines[0]).toMatchObject({
      id: '1',
      quantity: { scaled: 30_000n },
      unitCode: 'C62',
      price: { minor: 149_500n },
      allowance: { amount: { minor: 44_850n }, reason: 'Rabatt', reasonCode: '95' },
      netAmount: { minor: 403_650n },
    });
    expect(doc.lines[1]?.allowance).toBeUndefined();
    expect(doc.vatBreakdown.map((r) => [r.category, r.rate.scaled, r.taxable.minor, r.vat.minor])).toEqual([
      ['S', 250_000n, 403_650n, 100_913n],
      ['S', 60_000n, 60_000n, 3_600n],
    ]);
    expect(doc.totals).toMatchObject({
      lineExtension: { minor: 463_650n },
      taxExclusive: { minor: 463_650n },
      vatTotal: { minor: 104_513n },
      taxInclusive: { minor: 568_163n },
      payable: { minor: 568_163n },
    });
    const xml = toUbl(doc);
    expect(xml).toContain('<cbc:EndpointID schemeID="0007">5560360793</cbc:EndpointID>');
    expect(xml).toContain('<cbc:PayableAmount currencyID="SEK">5681.63</cbc:PayableAmount>');
    keep('domestic', xml);
  });

  it("prefers the customer's own reference as buyer reference; without an order it falls back to the invoice number", () => {
    expect(toEInvoice(domestic, tenant, { ...customer, reference: 'Anna Ek' }, order)).toMatchObject({
      buyerReference: 'Anna Ek',
      orderReference: 'SO-1001',
    });
    const noOrder = toEInvoice(domestic, tenant, customer);
    expect(noOrder.buyerReference).toBe('INV-1001');
    expect(noOrder.orderReference).toBeUndefined();
  });

  it("reproduces a partial invoice's stored net exactly, putting the pro-rata difference in the line allowance", () => {
    // pro rata: the stored gross (666.67) and discount (66.68) do not fit 2 × 333.33 = 666.66; the net 599.99 is the truth
    const partial = invoiceOf([line(1, { qty: '2', price: 33_333n, gross: 66_667n, discount: 6_668n, net: 59_999n })], {
      number: 'INV-1002',
      paymentReference: makeOcrReference('1002'),
    });
    const doc = toEInvoice(partial, tenant, customer, order);
    const l = doc.lines[0];
    expect(l?.netAmount.minor).toBe(59_999n);
    expect(l?.price.minor).toBe(33_333n);
    expect(l?.allowance?.amount.minor).toBe(6_667n);
    expect(l && expectedLineNet(l).minor).toBe(59_999n);
    expect(findEInvoiceProblems(doc)).toEqual([]);
    keep('partial', toUbl(doc));

    // a pro-rata net above quantity × price: no negative allowance, the net is the price of the whole quantity
    const above = invoiceOf([line(1, { qty: '0.3333', price: 10_000n, gross: 3_334n, discount: 0n, net: 3_334n })], {
      number: 'INV-1003',
      paymentReference: makeOcrReference('1003'),
    });
    const doc2 = toEInvoice(above, tenant, customer, order);
    expect(doc2.lines[0]).toMatchObject({ price: { minor: 3_334n }, baseQuantity: { scaled: 3_333n }, netAmount: { minor: 3_334n } });
    expect(doc2.lines[0]?.allowance).toBeUndefined();
    expect(findEInvoiceProblems(doc2)).toEqual([]);
    keep('above', toUbl(doc2));
  });

  it('addresses a foreign buyer by the Peppol scheme of its VAT number (intra-EU supply K)', () => {
    const buyerDe: PartySnapshot = {
      name: 'Kunde GmbH', orgNumber: null, vatNumber: 'DE 123 456 789', country: 'DE',
      addressLine1: 'Hauptstraße 3', addressLine2: null, postalCode: '10115', city: 'Berlin', email: null,
    };
    const inv = invoiceOf([line(1, { qty: '4', price: 25_000n, gross: 100_000n, discount: 0n, net: 100_000n, rate: '0', cat: 'K' })], {
      number: 'INV-1004',
      paymentReference: makeOcrReference('1004'),
      currency: 'EUR',
      buyer: buyerDe,
    });
    const doc = toEInvoice(inv, tenant, customer, order);
    expect(doc.buyer).toMatchObject({ endpoint: { scheme: '9930', id: 'DE123456789' }, vatNumber: 'DE123456789' });
    expect(doc.buyer.legalId).toBeUndefined();
    expect(doc.vatBreakdown[0]).toMatchObject({ category: 'K', exemptionReasonCode: 'VATEX-EU-IC', exemptionReason: 'Intra-Community supply' });
    expect(doc.delivery).toMatchObject({ date: '2026-12-02', address: { country: 'DE', city: 'Berlin' } });
    expect(doc.paymentTerms).toBe('30 days net');
    expect(findEInvoiceProblems(doc)).toEqual([]);
    keep('foreign-de-k', toUbl(doc));

    expect(buyerEndpoint({ country: 'FR', orgNumber: null, vatNumber: 'FR12345678901' })).toEqual({ scheme: '9957', id: 'FR12345678901' });
    expect(buyerEndpoint({ country: 'GR', orgNumber: null, vatNumber: 'EL123456789' })).toEqual({ scheme: '9933', id: 'EL123456789' });
    expect(buyerEndpoint({ country: 'DK', orgNumber: null, vatNumber: 'DK12345678' })).toEqual({ scheme: '0198', id: 'DK12345678' });
    // a Swedish VAT number carries the org.nr
    expect(buyerEndpoint({ country: 'SE', orgNumber: null, vatNumber: 'SE556036079301' })).toEqual({ scheme: '0007', id: '5560360793' });
    // a foreign registration number is not a Swedish org.nr, and Finnish VAT has no Peppol VAT scheme
    expect(buyerEndpoint({ country: 'NO', orgNumber: '5560360793', vatNumber: null })).toBeNull();
    expect(buyerEndpoint({ country: 'FI', orgNumber: null, vatNumber: 'FI12345678' })).toBeNull();
  });

  it('refuses a buyer without an electronic address, and a draft', () => {
    const noAddress = invoiceOf(domestic.lines, { buyer: { ...buyerSe, orgNumber: null, vatNumber: null } });
    const err = (() => {
      try {
        toEInvoice(noAddress, tenant, customer, order);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'unprocessable', message: expect.stringContaining('the buyer has no electronic address (org.nr or VAT number)') });
    // an org.nr with a wrong check digit is no address either
    expect(() => toEInvoice(invoiceOf(domestic.lines, { buyer: { ...buyerSe, orgNumber: '556036-0794', vatNumber: null } }), tenant, customer))
      .toThrow(/no electronic address/);
    expect(() => toEInvoice({ ...domestic, status: 'draft', number: null, issueDate: null }, tenant, customer)).toThrow(
      expect.objectContaining({ code: 'invoice_not_issued' }),
    );
  });

  it('states exemption reasons for non-S categories and no VAT numbers outside the scope of VAT (O)', () => {
    const exempt = toEInvoice(
      invoiceOf([line(1, { qty: '1', price: 120_000n, gross: 120_000n, discount: 0n, net: 120_000n, rate: '0', cat: 'E', unit: 'HUR' })]),
      tenant,
      customer,
      order,
    );
    expect(exempt.vatBreakdown[0]).toMatchObject({ category: 'E', exemptionReasonCode: 'VATEX-EU-132', exemptionReason: 'Momsfri' });
    expect(findEInvoiceProblems(exempt)).toEqual([]);
    const buyerUs: PartySnapshot = {
      name: 'Client Inc', orgNumber: null, vatNumber: 'GB123456789', country: 'GB',
      addressLine1: '1 Main St', addressLine2: null, postalCode: 'SW1A 1AA', city: 'London',
    };
    const o = toEInvoice(
      invoiceOf([line(1, { qty: '10', price: 95_000n, gross: 950_000n, discount: 0n, net: 950_000n, rate: '0', cat: 'O', unit: 'h' })], {
        buyer: buyerUs,
      }),
      tenant,
      customer,
      order,
    );
    expect(o.seller.vatNumber).toBeUndefined();
    expect(o.buyer.vatNumber).toBeUndefined();
    expect(o.buyer.endpoint).toEqual({ scheme: '9932', id: 'GB123456789' });
    expect(o.lines[0]?.unitCode).toBe('HUR');
    expect(o.vatBreakdown[0]).toMatchObject({ category: 'O', exemptionReasonCode: 'VATEX-EU-O' });
    expect(findEInvoiceProblems(o)).toEqual([]);
    keep('exempt-e', toUbl(exempt));
    keep('outside-scope-o', toUbl(o));
  });

  it('normalises org.nr and unit codes', () => {
    expect(swedishOrgNumber('556036-0793')).toBe('5560360793');
    expect(swedishOrgNumber('16556036-0793')).toBe('5560360793');
    expect(swedishOrgNumber('556036-0794')).toBeNull();
    expect(unitCodeOf('KGM', 'u')).toBe('KGM');
    expect(unitCodeOf('st', 'u')).toBe('C62');
    expect(() => unitCodeOf('X', 'lines.0.unit')).toThrow(expect.objectContaining({ code: 'unprocessable', param: 'lines.0.unit' }));
  });

  it('every mapped document passes the UBL XSD, EN 16931 and Peppol BIS 3 rules', () => {
    expect(existsSync(VALIDATOR)).toBe(true);
    expect(written.length).toBe(6);
    const r = spawnSync('bash', [VALIDATOR, '--quiet', ...written], { encoding: 'utf8', timeout: 120_000 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    expect(r.status, output).toBe(0);
    expect(output).not.toMatch(/\bfatal\b/i);
  }, 180_000);
});
