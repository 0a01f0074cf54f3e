import { beforeAll, describe, expect, it } from 'vitest';
import { countOf, pdfPages, requirePdftotext } from '../../../test/support/pdf.js';
import { decimal4 } from '../../core/money/quantity.js';
import { formatMinor, formatMoney, formatPercent, formatQuantity, unitLabel } from './i18n.js';
import { toWinAnsi } from './layout.js';
import type { DocumentLanguage, QuoteDocument, QuoteDocumentLine } from './quote-document.js';
import { renderQuotePdf } from './quote-pdf.js';

// ---------------------------------------------------------------------------------------------
// Fixture: five priced lines at 25 % and 6 %, one optional line chosen and one not, a quote discount
// of 812.50 spread over the two rates (largest remainder), VAT rounded once per rate.
//   25 %: 14 062.50 + 4 800.00 + 9 500.00 = 28 362.50, less 772.98 → 27 589.52, VAT 6 897.38
//    6 %:  1 000.00 +   450.00           =  1 450.00, less  39.52 →  1 410.48, VAT    84.63
//   net 29 000.00, VAT 6 982.01, total 35 982.01; the 18 000.00 optional line is not chosen.
// ---------------------------------------------------------------------------------------------

function line(partial: Partial<QuoteDocumentLine> & Pick<QuoteDocumentLine, 'lineNo' | 'description'>): QuoteDocumentLine {
  return {
    quantity: decimal4('1'),
    unit: 'C62',
    unitPriceMinor: 0n,
    discountPercent: null,
    discountAmountMinor: 0n,
    netAmountMinor: 0n,
    vatRate: decimal4('25'),
    optional: false,
    selected: false,
    ...partial,
  };
}

const DESCRIPTIONS = {
  consulting: 'Systemutveckling, konsult',
  licence: 'Licens Åkerö Pro, årsavgift',
  books: 'Handböcker: Räkenskaper',
  training: 'Utbildning på plats',
  support: 'Utökad support dygnet runt',
  coffee: 'Kaffe, mörkrost',
} as const;

function quote(language: DocumentLanguage, overrides: Partial<QuoteDocument> = {}): QuoteDocument {
  return {
    language,
    seller: {
      name: 'Björkström Mjukvara AB',
      orgNumber: '556677-8899',
      vatNumber: 'SE556677889901',
      addressLine1: 'Storgatan 12',
      addressLine2: null,
      postalCode: '411 38',
      city: 'Göteborg',
      country: 'SE',
      email: 'offert@bjorkstrom.se',
      phone: '031-12 34 56',
      bankgiro: '123-4567',
      fSkatt: true,
      logoPng: null,
    },
    buyer: {
      name: 'Åkesson & Söner Bygg AB',
      orgNumber: '559012-3456',
      vatNumber: 'SE559012345601',
      addressLine1: 'Industrivägen 4',
      addressLine2: 'Box 17',
      postalCode: '972 31',
      city: 'Luleå',
      country: 'SE',
      contactName: 'Örjan Ångström',
    },
    number: 'Q-2026-0001',
    version: 2,
    quoteDate: '2026-04-15',
    validUntil: '2026-05-15',
    currency: 'SEK',
    paymentTermsDays: 30,
    lines: [
      line({
        lineNo: 1,
        description: DESCRIPTIONS.consulting,
        quantity: decimal4('12.5'),
        unit: 'HUR',
        unitPriceMinor: 125_000n,
        discountPercent: decimal4('10'),
        discountAmountMinor: 156_250n,
        netAmountMinor: 1_406_250n,
      }),
      line({ lineNo: 2, description: DESCRIPTIONS.licence, unitPriceMinor: 480_000n, netAmountMinor: 480_000n }),
      line({
        lineNo: 3,
        description: DESCRIPTIONS.books,
        quantity: decimal4('3'),
        unitPriceMinor: 34_900n,
        discountAmountMinor: 4_700n,
        netAmountMinor: 100_000n,
        vatRate: decimal4('6'),
      }),
      line({
        lineNo: 4,
        description: DESCRIPTIONS.training,
        unit: 'DAY',
        unitPriceMinor: 950_000n,
        netAmountMinor: 950_000n,
        optional: true,
        selected: true,
      }),
      line({
        lineNo: 5,
        description: DESCRIPTIONS.support,
        quantity: decimal4('12'),
        unit: 'MON',
        unitPriceMinor: 150_000n,
        netAmountMinor: 1_800_000n,
        optional: true,
        selected: false,
      }),
      line({
        lineNo: 6,
        description: DESCRIPTIONS.coffee,
        quantity: decimal4('2.5'),
        unit: 'KGM',
        unitPriceMinor: 18_000n,
        netAmountMinor: 45_000n,
        vatRate: decimal4('6'),
      }),
    ],
    quoteDiscountMinor: 81_250n,
    vatBreakdown: [
      { vatRate: decimal4('25'), vatCategory: 'S', taxableMinor: 2_758_952n, vatMinor: 689_738n },
      { vatRate: decimal4('6'), vatCategory: 'S', taxableMinor: 141_048n, vatMinor: 8_463n },
    ],
    netTotalMinor: 2_900_000n,
    vatTotalMinor: 698_201n,
    grossTotalMinor: 3_598_201n,
    notes: 'Priserna gäller vid beställning före sista giltighetsdag. Leverans enligt överenskommelse.',
    terms: 'Allmänna villkor: ABK 09 gäller i tillämpliga delar.',
    ...overrides,
  };
}

/** A quote with `count` ordinary 100.00 SEK lines at 25 %. */
function longQuote(count: number): QuoteDocument {
  const lines = Array.from({ length: count }, (_, i) =>
    line({ lineNo: i + 1, description: `Rad ${String(i + 1).padStart(3, '0')} artikel`, unitPriceMinor: 10_000n, netAmountMinor: 10_000n }),
  );
  const net = 10_000n * BigInt(count);
  return quote('sv', {
    lines,
    quoteDiscountMinor: 0n,
    vatBreakdown: [{ vatRate: decimal4('25'), vatCategory: 'S', taxableMinor: net, vatMinor: net / 4n }],
    netTotalMinor: net,
    vatTotalMinor: net / 4n,
    grossTotalMinor: net + net / 4n,
  });
}

// A 1×1 PNG, enough to exercise the logo path.
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

// ---------------------------------------------------------------------------------------------

describe('renderQuotePdf', () => {
  beforeAll(requirePdftotext);

  it('renders a Swedish quote with Swedish labels, numbers and the figures given', async () => {
    const pdf = await renderQuotePdf(quote('sv'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { flat, pages } = pdfPages(pdf);

    expect(pages).toHaveLength(1);
    expect(flat).toContain('Offert');
    expect(flat).toContain('Q-2026-0001 v2');
    for (const description of Object.values(DESCRIPTIONS)) expect(flat).toContain(description);
    expect(flat).toContain('Björkström Mjukvara AB');
    expect(flat).toContain('Åkesson & Söner Bygg AB');
    expect(flat).toContain('Er referens Örjan Ångström');
    expect(flat).toContain('972 31 Luleå');
    expect(flat).not.toContain('Sverige'); // domestic: no country line

    expect(flat).toContain('Offertdatum 2026-04-15');
    expect(flat).toContain('Giltig till 2026-05-15');
    expect(flat).toContain('Betalningsvillkor 30 dagar netto');

    // line cells: quantity with unit, unit price, discount (percent or amount), VAT rate, net.
    // (pdftotext -layout sometimes drops the narrow no-break space before '%' in a tight column.)
    expect(flat).toMatch(/12,5 tim 1 250,00 10 ?% 25 ?% 14 062,50/);
    expect(flat).toMatch(/1 st 4 800,00 25 ?% 4 800,00/);
    expect(flat).toMatch(/3 st 349,00 47,00 6 ?% 1 000,00/);
    expect(flat).toMatch(/1 dag 9 500,00 25 ?% 9 500,00/);
    expect(flat).toMatch(/12 mån 1 500,00 25 ?% 18 000,00/);
    expect(flat).toMatch(/2,5 kg 180,00 6 ?% 450,00/);

    expect(countOf(flat, 'Tillval – valt')).toBe(1);
    expect(countOf(flat, 'Tillval – ej valt')).toBe(1);
    expect(flat).toContain('Tillval som inte är valda ingår inte i summorna.');

    expect(flat).toContain('Momsspecifikation');
    expect(flat).toMatch(/Moms 25 % 27 589,52 SEK 6 897,38 SEK/);
    expect(flat).toMatch(/Moms 6 % 1 410,48 SEK 84,63 SEK/);
    expect(flat).toContain('Summa rader 29 812,50 SEK');
    expect(flat).toContain('Offertrabatt -812,50 SEK');
    expect(flat).toContain('Summa exkl. moms 29 000,00 SEK');
    expect(flat).toContain('Moms 6 982,01 SEK');
    expect(flat).toContain('Att betala 35 982,01 SEK');

    expect(flat).toContain('Meddelande');
    expect(flat).toContain('Priserna gäller vid beställning');
    expect(flat).toContain('Villkor');
    expect(flat).toContain('ABK 09');

    expect(flat).toContain('Godkänd för F-skatt');
    expect(flat).toContain('Org.nr 556677-8899');
    expect(flat).toContain('Momsreg.nr SE556677889901');
    expect(flat).toContain('Bankgiro 123-4567');
    expect(flat).toContain('Sida 1 av 1');

    for (const english of ['Quote', 'Payment terms', 'VAT', 'Total', 'Page ', 'Optional', 'Approved for F-tax', 'Description', '29,000.00']) {
      expect(flat, english).not.toContain(english);
    }
  });

  it('renders an English quote with English labels and numbers', async () => {
    const { flat } = pdfPages(await renderQuotePdf(quote('en')));

    expect(flat).toContain('Quote');
    expect(flat).toContain('Q-2026-0001 v2');
    for (const description of Object.values(DESCRIPTIONS)) expect(flat).toContain(description);
    expect(flat).toContain('Åkesson & Söner Bygg AB');
    expect(flat).toContain('Your reference Örjan Ångström');
    expect(flat).toContain('Quote date 2026-04-15');
    expect(flat).toContain('Valid until 2026-05-15');
    expect(flat).toContain('Payment terms 30 days net');

    expect(flat).toMatch(/12\.5 h 1,250\.00 10 ?% 25 ?% 14,062\.50/);
    expect(flat).toMatch(/3 pcs 349\.00 47\.00 6 ?% 1,000\.00/);
    expect(flat).toMatch(/1 day 9,500\.00 25 ?% 9,500\.00/);
    expect(flat).toMatch(/2\.5 kg 180\.00 6 ?% 450\.00/);

    expect(countOf(flat, 'Optional – selected')).toBe(1);
    expect(countOf(flat, 'Optional – not selected')).toBe(1);

    expect(flat).toContain('VAT summary');
    expect(flat).toMatch(/VAT 25 % 27,589\.52 SEK 6,897\.38 SEK/);
    expect(flat).toMatch(/VAT 6 % 1,410\.48 SEK 84\.63 SEK/);
    expect(flat).toContain('Lines total 29,812.50 SEK');
    expect(flat).toContain('Quote discount -812.50 SEK');
    expect(flat).toContain('Total excl. VAT 29,000.00 SEK');
    expect(flat).toContain('VAT 6,982.01 SEK');
    expect(flat).toContain('Total 35,982.01 SEK');

    expect(flat).toContain('Approved for F-tax');
    expect(flat).toContain('Reg. no. 556677-8899');
    expect(flat).toContain('VAT no. SE556677889901');
    expect(flat).toContain('Page 1 of 1');

    for (const swedish of ['Offert', 'Moms', 'Att betala', 'Sida', 'Tillval', 'Godkänd', 'Betalningsvillkor', 'Beskrivning', '29 000,00']) {
      expect(flat, swedish).not.toContain(swedish);
    }
  });

  it('breaks a 120-line quote across pages, repeating the table header and the running header', async () => {
    const { flat, pages } = pdfPages(await renderQuotePdf(longQuote(120)));

    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(flat).toContain(`Sida 2 av ${pages.length}`);
    pages.forEach((page, i) => {
      expect(page, `page ${i + 1}`).toContain(`Sida ${i + 1} av ${pages.length}`);
      expect(page, `page ${i + 1}`).toContain('Godkänd för F-skatt');
    });
    // every page that holds lines starts them under a header row
    const withLines = pages.filter((p) => /Rad \d{3} artikel/.test(p));
    expect(withLines.length).toBeGreaterThanOrEqual(2);
    for (const page of withLines) expect(page).toMatch(/Nr +Beskrivning +Antal +À-pris +Rabatt +Moms +Belopp/);
    expect(pages[1]).toContain('Offert Q-2026-0001 v2');
    for (let i = 1; i <= 120; i++) expect(countOf(flat, `Rad ${String(i).padStart(3, '0')} artikel`), `line ${i}`).toBe(1);
    expect(flat).toContain('Att betala 15 000,00 SEK');
  });

  it('cuts a description longer than a page instead of overflowing, and carries on with the next line', async () => {
    const base = quote('sv');
    const doc = quote('sv', {
      lines: [
        line({ lineNo: 1, description: 'Orimligt lång text. '.repeat(450) }),
        line({ lineNo: 2, description: 'Nästa rad' }),
        ...base.lines.map((l) => ({ ...l, lineNo: l.lineNo + 2 })),
      ],
    });
    const { flat, pages } = pdfPages(await renderQuotePdf(doc));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(countOf(flat, 'Orimligt lång text.')).toBeLessThan(450);
    expect(flat).toContain('Nästa rad');
    expect(flat).toContain('Att betala 35 982,01 SEK');
  });

  it('gives the same bytes for the same quote, dated from the quote date', async () => {
    const a = await renderQuotePdf(quote('sv'));
    const b = await renderQuotePdf(quote('sv'));
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('(D:20260415000000Z)');
  });

  it('prints a logo, a foreign address with its country, a reverse-charge VAT row, and no F-skatt text when not approved', async () => {
    const doc = quote('en', {
      seller: { ...quote('en').seller, logoPng: PNG_1X1, fSkatt: false },
      buyer: { ...quote('en').buyer, name: 'Fjordline Åsane AS', country: 'NO', postalCode: '5116', city: 'Ulset' },
      lines: [line({ lineNo: 1, description: 'Consulting', unitPriceMinor: 100_000n, netAmountMinor: 100_000n, vatRate: decimal4('0') })],
      quoteDiscountMinor: 0n,
      vatBreakdown: [{ vatRate: decimal4('0'), vatCategory: 'AE', taxableMinor: 100_000n, vatMinor: 0n }],
      netTotalMinor: 100_000n,
      vatTotalMinor: 0n,
      grossTotalMinor: 100_000n,
      notes: null,
      terms: null,
    });
    const { flat } = pdfPages(await renderQuotePdf(doc));
    expect(flat).toContain('Fjordline Åsane AS');
    expect(flat).toContain('Norway');
    expect(flat).toContain('Sweden'); // the seller's country, in the footer, for a foreign customer
    expect(flat).toMatch(/VAT 0 % \(reverse charge\) 1,000\.00 SEK 0\.00 SEK/);
    expect(flat).not.toContain('F-tax');
    expect(flat).not.toContain('Notes');
    expect(flat).not.toContain('Optional');
  });

  it('refuses a quote whose totals do not add up', async () => {
    await expect(renderQuotePdf(quote('sv', { netTotalMinor: 2_900_001n }))).rejects.toThrow(/net total/);
    await expect(renderQuotePdf(quote('sv', { vatTotalMinor: 698_200n }))).rejects.toThrow(/VAT total/);
    await expect(renderQuotePdf(quote('sv', { grossTotalMinor: 3_598_200n }))).rejects.toThrow(/gross total/);
    await expect(renderQuotePdf(quote('sv', { quoteDate: '2026-02-30' }))).rejects.toThrow(/YYYY-MM-DD/);
    await expect(renderQuotePdf(quote('sv', { currency: 'XXX' }))).rejects.toThrow(/currency/);
  });
});

describe('document formatting', () => {
  it('formats amounts exactly, per language and currency exponent', () => {
    expect(formatMinor(125_000n, 'SEK', 'sv')).toBe('1\u00a0250,00');
    expect(formatMinor(125_000n, 'SEK', 'en')).toBe('1,250.00');
    expect(formatMinor(-123_456_789_012n, 'SEK', 'sv')).toBe('-1\u00a0234\u00a0567\u00a0890,12');
    expect(formatMinor(5n, 'SEK', 'en')).toBe('0.05');
    expect(formatMinor(1_234_567n, 'JPY', 'en')).toBe('1,234,567');
    expect(formatMinor(1_234_567n, 'KWD', 'sv')).toBe('1\u00a0234,567');
    expect(formatMoney(99_999n, 'EUR', 'sv')).toBe('999,99\u00a0EUR');
  });

  it('formats quantities, percentages and units', () => {
    expect(formatQuantity(decimal4('1234.5'), 'sv')).toBe('1\u00a0234,5');
    expect(formatQuantity(decimal4('1234.5'), 'en')).toBe('1,234.5');
    expect(formatQuantity(decimal4('0.0001'), 'sv')).toBe('0,0001');
    expect(formatPercent(decimal4('12.5'), 'sv')).toBe('12,5\u00a0%');
    expect(unitLabel('C62', 'sv')).toBe('st');
    expect(unitLabel('C62', 'en')).toBe('pcs');
    expect(unitLabel('HUR', 'sv')).toBe('tim');
    expect(unitLabel('HUR', 'en')).toBe('h');
    expect(unitLabel('DAY', 'sv')).toBe('dag');
    expect(unitLabel('KGM', 'en')).toBe('kg');
    expect(unitLabel('MTR', 'sv')).toBe('m');
    expect(unitLabel('XPP', 'sv')).toBe('XPP');
  });

  it('maps text to what the standard fonts can print', () => {
    expect(toWinAnsi('A\u030akesson')).toBe('Åkesson'); // decomposed å, as macOS writes it
    expect(toWinAnsi('5 \u2212 3 – “ok” €')).toBe('5 - 3 – “ok” €');
    expect(toWinAnsi('a\tb\r\nc\u0007')).toBe('a b\nc');
    expect(toWinAnsi('Łódź 😀')).toBe('?ód? ?');
  });
});
