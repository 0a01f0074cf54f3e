import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decimal4 } from '../../core/money/quantity.js';
import { makeOcrReference, ocrBaseFromInvoiceNumber } from '../../core/receivables/ocr.js';
import type { InvoiceDocument, InvoiceDocumentLine, InvoiceSeller } from './invoice-document.js';
import { checkInvoiceDocument, isValidRfReference, renderInvoicePdf } from './invoice-pdf.js';
import type { DocumentLanguage } from './order-document.js';

// ---------------------------------------------------------------------------------------------
// Fixtures
//
// Invoice 2026-00017: three lines, VAT rounded once per rate:
//   25 %: 14 062.50 + 4 800.00 = 18 862.50, VAT 4 715.63 (4 715.625 half up)
//    6 %:  1 000.00                        , VAT    60.00
//   net 19 862.50, VAT 4 775.63, total 24 638.13
// ---------------------------------------------------------------------------------------------

const SELLER: InvoiceSeller = {
  name: 'Björkström Mjukvara AB',
  orgNumber: '556677-8899',
  vatNumber: 'SE556677889901',
  addressLine1: 'Storgatan 12',
  addressLine2: null,
  postalCode: '411 38',
  city: 'Göteborg',
  country: 'SE',
  email: 'faktura@bjorkstrom.se',
  phone: '031-12 34 56',
  bankgiro: '123-4567',
  iban: 'SE45 5000 0000 0583 9825 7466',
  bic: 'ESSESESS',
  fSkatt: true,
  logoPng: null,
  registeredOffice: 'Göteborg',
};

const BUYER = {
  name: 'Åkesson & Söner Bygg AB',
  orgNumber: '559012-3456',
  vatNumber: 'SE559012345601',
  addressLine1: 'Industrivägen 4',
  addressLine2: 'Box 17',
  postalCode: '972 31',
  city: 'Luleå',
  country: 'SE',
  contactName: 'Örjan Ångström',
};

const GERMAN_BUYER = {
  name: 'Müller Maschinenbau GmbH',
  orgNumber: null,
  vatNumber: 'DE123456789',
  addressLine1: 'Hauptstraße 5',
  addressLine2: null,
  postalCode: '80331',
  city: 'München',
  country: 'DE',
};

const OCR = makeOcrReference(ocrBaseFromInvoiceNumber('2026-00017'));

function line(partial: Partial<InvoiceDocumentLine> & Pick<InvoiceDocumentLine, 'lineNo' | 'description'>): InvoiceDocumentLine {
  return {
    quantity: decimal4('1'),
    unit: 'C62',
    unitPriceMinor: 0n,
    discountPercent: null,
    discountAmountMinor: 0n,
    netAmountMinor: 0n,
    vatRate: decimal4('25'),
    vatCategory: 'S',
    ...partial,
  };
}

function invoice(language: DocumentLanguage, overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return {
    kind: 'invoice',
    language,
    draft: false,
    seller: SELLER,
    buyer: BUYER,
    number: '2026-00017',
    issueDate: '2026-04-30',
    dueDate: '2026-05-30',
    deliveryDate: '2026-04-28',
    currency: 'SEK',
    paymentTermsDays: 30,
    orderNumber: 'SO-2026-0042',
    customerOrderNumber: 'PO-7781',
    ourReference: 'Stina Björk',
    creditedInvoice: null,
    lines: [
      line({
        lineNo: 1,
        description: 'Systemutveckling, konsult',
        quantity: decimal4('12.5'),
        unit: 'HUR',
        unitPriceMinor: 125_000n,
        discountPercent: decimal4('10'),
        discountAmountMinor: 156_250n,
        netAmountMinor: 1_406_250n,
      }),
      line({ lineNo: 2, description: 'Licens Åkerö Pro, årsavgift', unitPriceMinor: 480_000n, netAmountMinor: 480_000n, articleNumber: 'LIC-PRO' }),
      line({
        lineNo: 3,
        description: 'Handböcker: Räkenskaper',
        quantity: decimal4('3'),
        unitPriceMinor: 34_900n,
        discountAmountMinor: 4_700n,
        netAmountMinor: 100_000n,
        vatRate: decimal4('6'),
      }),
    ],
    invoiceDiscountMinor: 0n,
    vatBreakdown: [
      { vatRate: decimal4('25'), vatCategory: 'S', taxableMinor: 1_886_250n, vatMinor: 471_563n, exemptionReason: null },
      { vatRate: decimal4('6'), vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 6_000n, exemptionReason: null },
    ],
    netTotalMinor: 1_986_250n,
    vatTotalMinor: 477_563n,
    grossTotalMinor: 2_463_813n,
    roundingMinor: 0n,
    prepaidMinor: 0n,
    amountDueMinor: 2_463_813n,
    paymentReference: { kind: 'ocr', value: OCR },
    lateInterest: null,
    notes: 'Tack för att ni handlar hos oss.',
    terms: null,
    ...overrides,
  };
}

/** A reverse-charge service invoice to a German business: 40 h × 1 000.00, no Swedish VAT. */
function reverseChargeInvoice(language: DocumentLanguage, overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  return invoice(language, {
    buyer: GERMAN_BUYER,
    currency: 'SEK',
    lines: [line({ lineNo: 1, description: 'Consulting services', quantity: decimal4('40'), unit: 'HUR', unitPriceMinor: 100_000n, netAmountMinor: 4_000_000n, vatRate: decimal4('0'), vatCategory: 'AE' })],
    vatBreakdown: [{ vatRate: decimal4('0'), vatCategory: 'AE', taxableMinor: 4_000_000n, vatMinor: 0n, exemptionReason: null }],
    netTotalMinor: 4_000_000n,
    vatTotalMinor: 0n,
    grossTotalMinor: 4_000_000n,
    amountDueMinor: 4_000_000n,
    notes: null,
    ...overrides,
  });
}

function creditNote(language: DocumentLanguage, overrides: Partial<InvoiceDocument> = {}): InvoiceDocument {
  // credits line 2 (the licence) of invoice 2026-00017: 4 800.00 + 25 % = 6 000.00
  return invoice(language, {
    kind: 'credit_note',
    number: '2026-00023',
    issueDate: '2026-05-10',
    dueDate: null,
    paymentTermsDays: null,
    creditedInvoice: { number: '2026-00017', issueDate: '2026-04-30' },
    creditReason: language === 'sv' ? 'Licensen sades upp' : 'Licence cancelled',
    lines: [line({ lineNo: 1, description: 'Licens Åkerö Pro, årsavgift', unitPriceMinor: 480_000n, netAmountMinor: 480_000n })],
    vatBreakdown: [{ vatRate: decimal4('25'), vatCategory: 'S', taxableMinor: 480_000n, vatMinor: 120_000n, exemptionReason: null }],
    netTotalMinor: 480_000n,
    vatTotalMinor: 120_000n,
    grossTotalMinor: 600_000n,
    amountDueMinor: 600_000n,
    paymentReference: null,
    notes: null,
    ...overrides,
  });
}

/** An invoice of `count` 100.00 SEK lines at 25 %. */
function longInvoice(count: number): InvoiceDocument {
  const net = 10_000n * BigInt(count);
  return invoice('sv', {
    lines: Array.from({ length: count }, (_, i) =>
      line({ lineNo: i + 1, description: `Rad ${String(i + 1).padStart(3, '0')} artikel`, unitPriceMinor: 10_000n, netAmountMinor: 10_000n }),
    ),
    vatBreakdown: [{ vatRate: decimal4('25'), vatCategory: 'S', taxableMinor: net, vatMinor: net / 4n, exemptionReason: null }],
    netTotalMinor: net,
    vatTotalMinor: net / 4n,
    grossTotalMinor: net + net / 4n,
    amountDueMinor: net + net / 4n,
  });
}

// ---------------------------------------------------------------------------------------------

let dir = '';
let fileNo = 0;

/** Text of the PDF as `pdftotext -layout` sees it, no-break spaces as spaces; pages split at form feeds. */
function extract(pdf: Buffer): { text: string; flat: string; pages: string[] } {
  const file = join(dir, `invoice-${++fileNo}.pdf`);
  writeFileSync(file, pdf);
  const result = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pdftotext failed (${result.status}): ${result.stderr}`);
  const text = result.stdout.replace(/\u00a0/g, ' ');
  const pages = text.split('\f').filter((p) => p.trim() !== '');
  return { text, flat: text.replace(/\s+/g, ' '), pages };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'q2c-invoice-pdf-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('invoice PDF', () => {
  it('prints every field the law requires, in Swedish', async () => {
    const { text, flat } = extract(await renderInvoicePdf(invoice('sv')));
    // heading, number, dates
    expect(text).toContain('Faktura');
    expect(text).toMatch(/Fakturanummer\s+2026-00017/);
    expect(text).toMatch(/Fakturadatum\s+2026-04-30/);
    expect(text).toMatch(/Förfallodatum\s+2026-05-30/);
    expect(text).toMatch(/Leveransdatum\s+2026-04-28/);
    expect(text).toMatch(/Betalningsvillkor\s+30 dagar netto/);
    expect(text).toMatch(/Ordernummer\s+SO-2026-0042/);
    expect(text).toMatch(/Ert ordernummer\s+PO-7781/);
    // seller: name, address, org.nr, VAT number, registered office, F-skatt
    expect(text).toContain('Björkström Mjukvara AB');
    expect(text).toContain('Storgatan 12');
    expect(text).toContain('411 38 Göteborg');
    expect(text).toContain('Org.nr 556677-8899');
    expect(text).toContain('Momsreg.nr SE556677889901');
    expect(text).toContain('Styrelsens säte: Göteborg');
    expect(text).toContain('Godkänd för F-skatt');
    // buyer: name, address, org.nr, VAT number
    expect(text).toContain('Åkesson & Söner Bygg AB');
    expect(text).toContain('Industrivägen 4');
    expect(text).toContain('972 31 Luleå');
    expect(text).toContain('Org.nr 559012-3456');
    expect(text).toContain('Momsreg.nr SE559012345601');
    // lines: quantity, nature, unit price excl. VAT, discount, VAT rate, amount
    expect(text).toMatch(/1\s+Systemutveckling, konsult\s+12,5 tim\s+1 250,00\s+10 %\s+25 %\s+14 062,50/);
    expect(text).toMatch(/2\s+Licens Åkerö Pro, årsavgift\s+1 st\s+4 800,00\s+25 %\s+4 800,00/);
    expect(text).toContain('Art.nr LIC-PRO');
    expect(text).toMatch(/3\s+Handböcker: Räkenskaper\s+3 st\s+349,00\s+47,00\s+6\s?%\s+1 000,00/);
    // VAT summary per rate
    expect(text).toContain('Momsspecifikation');
    expect(text).toMatch(/Moms 25 %\s+18 862,50 SEK\s+4 715,63 SEK/);
    expect(text).toMatch(/Moms 6 %\s+1 000,00 SEK\s+60,00 SEK/);
    // totals
    expect(text).toMatch(/Summa exkl\. moms\s+19 862,50 SEK/);
    expect(text).toMatch(/Moms\s+4 775,63 SEK/);
    expect(text).toMatch(/Att betala\s+24 638,13 SEK/);
    // payment box: amount, due date, OCR, bankgiro, IBAN, BIC; interest terms
    expect(text).toContain('BETALNINGSINFORMATION');
    expect(text).toMatch(/OCR-nummer/);
    expect(text).toContain(OCR);
    expect(flat).toMatch(/Bankgiro .*123-4567/);
    expect(text).toContain('SE45 5000 0000 0583 9825 7466');
    expect(text).toContain('ESSESESS');
    expect(flat.toLowerCase()).toContain('dröjsmålsränta enligt räntelagen');
    // no exemption section on a fully taxed invoice; no credit text
    expect(text).not.toContain('Momsupplysning');
    expect(text).not.toContain('Tillgodo');
    expect(text).toContain('Sida 1 av 1');
  });

  it('prints every field the law requires, in English', async () => {
    const { text, flat } = extract(await renderInvoicePdf(invoice('en', { lateInterest: { ratePercent: decimal4('10.5') } })));
    expect(text).toContain('Invoice');
    expect(text).toMatch(/Invoice number\s+2026-00017/);
    expect(text).toMatch(/Invoice date\s+2026-04-30/);
    expect(text).toMatch(/Due date\s+2026-05-30/);
    expect(text).toMatch(/Delivery date\s+2026-04-28/);
    expect(text).toContain('Reg. no. 556677-8899');
    expect(text).toContain('VAT no. SE556677889901');
    expect(text).toContain('VAT no. SE559012345601');
    expect(text).toContain('Registered office: Göteborg');
    expect(text).toContain('Approved for F-tax');
    expect(text).toMatch(/Systemutveckling, konsult\s+12.5 h\s+1,250.00\s+10 %\s+25 %\s+14,062.50/);
    expect(text).toMatch(/VAT 25 %\s+18,862.50 SEK\s+4,715.63 SEK/);
    expect(text).toMatch(/VAT 6 %\s+1,000.00 SEK\s+60.00 SEK/);
    expect(text).toMatch(/Total excl\. VAT\s+19,862.50 SEK/);
    expect(text).toMatch(/Amount due\s+24,638.13 SEK/);
    expect(text).toContain('PAYMENT DETAILS');
    expect(text).toContain('OCR reference');
    expect(text).toContain(OCR);
    expect(flat).toContain('Late payment interest of 10.5 % per annum');
    expect(text).not.toContain('Faktura');
    expect(text).toContain('Page 1 of 1');
  });

  it('prints rounding, a prepayment and an invoice discount in the totals', async () => {
    const doc = invoice('sv', {
      lines: invoice('sv').lines.map((l) => (l.lineNo === 2 ? { ...l, netAmountMinor: 500_000n } : l)),
      invoiceDiscountMinor: 20_000n,
      roundingMinor: -13n,
      prepaidMinor: 500_000n,
      amountDueMinor: 2_463_813n - 13n - 500_000n,
    });
    const { text } = extract(await renderInvoicePdf(doc));
    expect(text).toMatch(/Summa rader\s+20 062,50 SEK/);
    expect(text).toMatch(/Fakturarabatt\s+-200,00 SEK/);
    expect(text).toMatch(/Summa inkl\. moms\s+24 638,13 SEK/);
    expect(text).toMatch(/Öresavrundning\s+-0,13 SEK/);
    expect(text).toMatch(/Avgår förskott\s+-5 000,00 SEK/);
    expect(text).toMatch(/Att betala\s+19 638,00 SEK/);
  });

  it('prints the reverse-charge text and the buyer VAT number on an AE invoice, in both languages', async () => {
    const en = extract(await renderInvoicePdf(reverseChargeInvoice('en')));
    expect(en.text).toContain('VAT information');
    expect(en.text).toContain('Reverse charge (VAT no. DE123456789)');
    expect(en.text).toMatch(/VAT 0 % \(reverse charge\)\s+40,000.00 SEK\s+0.00 SEK/);
    expect(en.text).toContain('Germany');
    const sv = extract(await renderInvoicePdf(reverseChargeInvoice('sv')));
    expect(sv.text).toContain('Momsupplysning');
    expect(sv.text).toContain('Omvänd betalningsskyldighet (Momsreg.nr DE123456789)');
  });

  it('prints intra-Community supply, export, exemption texts, a given reason, and the VAT total in SEK', async () => {
    const rows = (category: string, reason: string | null = null) => ({
      lines: [line({ lineNo: 1, description: 'Maskin', unitPriceMinor: 1_000_000n, netAmountMinor: 1_000_000n, vatRate: decimal4('0'), vatCategory: category })],
      vatBreakdown: [{ vatRate: decimal4('0'), vatCategory: category, taxableMinor: 1_000_000n, vatMinor: 0n, exemptionReason: reason }],
      netTotalMinor: 1_000_000n,
      vatTotalMinor: 0n,
      grossTotalMinor: 1_000_000n,
      amountDueMinor: 1_000_000n,
    });
    const k = extract(await renderInvoicePdf(invoice('en', { buyer: GERMAN_BUYER, ...rows('K') }))).flat;
    expect(k).toContain('Intra-Community supply, exempt (Article 138 VAT Directive 2006/112/EC) (VAT no. DE123456789)');
    const kSv = extract(await renderInvoicePdf(invoice('sv', { buyer: GERMAN_BUYER, ...rows('K') }))).flat;
    expect(kSv).toContain('Unionsintern leverans, undantagen från skatteplikt enligt artikel 138 i mervärdesskattedirektivet');
    const g = extract(await renderInvoicePdf(invoice('en', { buyer: { ...GERMAN_BUYER, country: 'US', vatNumber: null }, ...rows('G') }))).flat;
    expect(g).toContain('Export, exempt (Article 146 VAT Directive 2006/112/EC)');
    const e = extract(await renderInvoicePdf(invoice('sv', rows('E', 'Undantagen från skatteplikt enligt 10 kap. 28 § mervärdesskattelagen (utbildning)')))).flat;
    expect(e).toContain('Undantagen från skatteplikt enligt 10 kap. 28 § mervärdesskattelagen (utbildning)');
    const o = extract(await renderInvoicePdf(invoice('en', rows('O')))).flat;
    expect(o).toContain('Outside the scope of VAT');

    const eur = invoice('en', { currency: 'EUR', vatTotalSekMinor: 5_343_210n });
    const text = extract(await renderInvoicePdf(eur)).text;
    expect(text).toMatch(/Amount due\s+24,638.13 EUR/);
    expect(text).toContain('VAT in SEK: 53,432.10 SEK');
  });

  it('prints an RF reference labelled as such', async () => {
    const { text } = extract(await renderInvoicePdf(invoice('en', { paymentReference: { kind: 'rf', value: 'RF18539007547034' } })));
    expect(text).toContain('Creditor reference (RF)');
    expect(text).toContain('RF18539007547034');
    expect(text).not.toContain('OCR reference');
  });

  it('renders a draft with a large marker, no number and no payment reference', async () => {
    const { text } = extract(await renderInvoicePdf(invoice('sv', { draft: true, number: null, dueDate: null, paymentReference: null })));
    expect(text).toContain('UTKAST');
    expect(text).toContain('Utkast – inte en giltig faktura');
    expect(text).not.toContain('2026-00017');
    expect(text).toContain('Anges när fakturan utfärdas');
    const en = extract(await renderInvoicePdf(invoice('en', { draft: true, number: null, dueDate: null, paymentReference: null }))).text;
    expect(en).toContain('DRAFT');
  });

  it('paginates a 150-line invoice with the header repeated and the payment box at the end', async () => {
    const { text, pages } = extract(await renderInvoicePdf(longInvoice(150)));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    pages.forEach((page, i) => {
      expect(page).toContain(`Sida ${i + 1} av ${pages.length}`);
      expect(page).toContain('Styrelsens säte: Göteborg');
      expect(page).toContain('Beskrivning');
      if (i > 0) expect(page).toContain('Faktura 2026-00017');
    });
    for (let n = 1; n <= 150; n++) expect(text).toContain(`Rad ${String(n).padStart(3, '0')} artikel`);
    const last = pages[pages.length - 1] ?? '';
    expect(last).toMatch(/Att betala\s+18 750,00 SEK/);
    expect(last).toContain('BETALNINGSINFORMATION');
  });

  it('gives the same bytes for the same document', async () => {
    const a = await renderInvoicePdf(invoice('sv'));
    const b = await renderInvoicePdf(invoice('sv'));
    expect(a.equals(b)).toBe(true);
  });
});

describe('credit note PDF', () => {
  it('is titled a credit note, names the credited invoice and prints a credit instead of a payment box (sv)', async () => {
    const { text, flat } = extract(await renderInvoicePdf(creditNote('sv')));
    expect(text).toContain('Kreditfaktura');
    expect(text).toContain('Avser faktura 2026-00017 (2026-04-30)');
    expect(text).toMatch(/Kreditfakturanr\s+2026-00023/);
    expect(text).toMatch(/Datum\s+2026-05-10/);
    expect(text).toMatch(/Orsak\s+Licensen sades upp/);
    expect(text).toMatch(/Licens Åkerö Pro, årsavgift\s+1 st\s+4 800,00\s+25 %\s+4 800,00/);
    expect(text).toMatch(/Moms 25 %\s+4 800,00 SEK\s+1 200,00 SEK/);
    expect(text).toMatch(/Att tillgodoräkna\s+6 000,00 SEK/);
    expect(text).toContain('TILLGODO');
    expect(flat).toContain('Beloppet 6 000,00 SEK står till er godo');
    expect(text).toContain('Org.nr 556677-8899');
    expect(text).toContain('Momsreg.nr SE559012345601');
    expect(text).not.toContain('BETALNINGSINFORMATION');
    expect(text).not.toContain('OCR-nummer');
    expect(text).not.toContain('Förfallodatum');
    expect(text).not.toContain('-4 800');
  });

  it('in English', async () => {
    const { text, flat } = extract(await renderInvoicePdf(creditNote('en')));
    expect(text).toContain('Credit note');
    expect(text).toContain('Credits invoice 2026-00017 of 2026-04-30');
    expect(text).toMatch(/Amount to be credited\s+6,000.00 SEK/);
    expect(text).toContain('CREDIT');
    expect(flat).toContain('Do not pay this credit note');
    expect(text).not.toContain('PAYMENT DETAILS');
  });
});

describe('checkInvoiceDocument', () => {
  it('accepts the fixtures', () => {
    expect(() => checkInvoiceDocument(invoice('sv'))).not.toThrow();
    expect(() => checkInvoiceDocument(creditNote('en'))).not.toThrow();
    expect(() => checkInvoiceDocument(reverseChargeInvoice('en'))).not.toThrow();
  });

  it.each<[string, () => InvoiceDocument, RegExp]>([
    ['a net total that is not the lines', () => invoice('sv', { netTotalMinor: 1_986_251n }), /net total/],
    ['a VAT total that is not the summary', () => invoice('sv', { vatTotalMinor: 477_564n, grossTotalMinor: 2_463_814n, amountDueMinor: 2_463_814n }), /VAT breakdown/],
    ['a gross total that is not net + VAT', () => invoice('sv', { grossTotalMinor: 2_463_800n, amountDueMinor: 2_463_800n }), /gross total/],
    ['an amount due that is not gross + rounding − prepaid', () => invoice('sv', { prepaidMinor: 100n }), /amount due/],
    ['a line whose rate has no summary row', () => invoice('sv', { lines: invoice('sv').lines.map((l) => ({ ...l, vatRate: decimal4('12') })) }), /no VAT summary row/],
    ['VAT charged on a reverse-charge row', () => reverseChargeInvoice('en', { vatBreakdown: [{ vatRate: decimal4('0'), vatCategory: 'AE', taxableMinor: 4_000_000n, vatMinor: 1n, exemptionReason: null }] }), /charges no VAT/],
    ['reverse charge without the buyer VAT number', () => reverseChargeInvoice('en', { buyer: { ...GERMAN_BUYER, vatNumber: null } }), /buyer's VAT number/],
    ['an issued invoice without the seller VAT number', () => invoice('sv', { seller: { ...SELLER, vatNumber: null } }), /seller's VAT number/],
    ['an issued invoice without a number', () => invoice('sv', { number: null }), /needs its number/],
    ['an issued invoice without a due date', () => invoice('sv', { dueDate: null }), /due date/],
    ['an issued invoice without a payment reference', () => invoice('sv', { paymentReference: null }), /payment reference/],
    ['a bad OCR reference', () => invoice('sv', { paymentReference: { kind: 'ocr', value: '1234567890' } }), /not a valid OCR/],
    ['a bad RF reference', () => invoice('sv', { paymentReference: { kind: 'rf', value: 'RF19539007547034' } }), /not a valid RF/],
    ['a due date before the issue date', () => invoice('sv', { dueDate: '2026-04-01' }), /before the issue date/],
    ['a malformed date', () => invoice('sv', { deliveryDate: '28/4/2026' }), /expected a date/],
    ['an unknown currency', () => invoice('sv', { currency: 'XXQ' }), /unknown currency/],
    ['an unknown VAT category', () => invoice('sv', { vatBreakdown: invoice('sv').vatBreakdown.map((r) => ({ ...r, vatCategory: 'Q' })) }), /unknown VAT category/],
    ['a negative line amount', () => invoice('sv', { lines: invoice('sv').lines.map((l) => (l.lineNo === 1 ? { ...l, unitPriceMinor: -1n } : l)) }), /negative amount/],
    ['a credit note without the credited invoice', () => creditNote('sv', { creditedInvoice: null }), /must name the invoice/],
    ['a credit note with a payment reference', () => creditNote('sv', { paymentReference: { kind: 'ocr', value: OCR } }), /no payment reference/],
    ['a credit note with negative amounts', () => creditNote('sv', { netTotalMinor: -480_000n }), /negative/],
    ['an invoice that credits an invoice', () => invoice('sv', { creditedInvoice: { number: '2026-00001', issueDate: '2026-01-01' } }), /credits no invoice/],
    ['a draft with a payment reference', () => invoice('sv', { draft: true, number: null }), /draft has no payment reference/],
  ])('refuses %s', async (_name, make, message) => {
    const doc = make();
    expect(() => checkInvoiceDocument(doc)).toThrow(message);
    await expect(renderInvoicePdf(doc)).rejects.toThrow(message);
  });

  it('validates RF references (ISO 11649)', () => {
    expect(isValidRfReference('RF18539007547034')).toBe(true);
    expect(isValidRfReference('RF18 5390 0754 7034')).toBe(true);
    expect(isValidRfReference('RF18539007547035')).toBe(false);
    expect(isValidRfReference('539007547034')).toBe(false);
  });
});
