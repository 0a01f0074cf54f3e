import { beforeAll, describe, expect, it } from 'vitest';
import { countOf, pdfPages, requirePdftotext } from '../../../test/support/pdf.js';
import { decimal4 } from '../../core/money/quantity.js';
import { checkDeliveryNoteDocument, renderDeliveryNotePdf } from './delivery-note-pdf.js';
import { checkOrderConfirmationDocument, renderOrderConfirmationPdf } from './order-confirmation-pdf.js';
import type {
  DeliveryNoteDocument,
  DeliveryNoteLine,
  DocumentLanguage,
  DocumentSeller,
  OrderConfirmationDocument,
  OrderConfirmationLine,
} from './order-document.js';

// ---------------------------------------------------------------------------------------------
// Fixtures
//
// Order confirmation: four lines, one of them a bundle with three components, an order discount
// of 500.00 on the 25 % lines, VAT rounded once per rate:
//   25 %: 14 062.50 + 4 800.00 + 6 000.00 = 24 862.50, less 500.00 → 24 362.50, VAT 6 090.63
//    6 %:  1 000.00                                                →  1 000.00, VAT    60.00
//   net 25 362.50, VAT 6 150.63, total 31 513.13
//
// Delivery note: desks partly delivered (3 of 10 now, 4 before, 3 backordered), one of two office
// kits (a bundle) delivered with its parts, coffee delivered in full.
// ---------------------------------------------------------------------------------------------

const SELLER: DocumentSeller = {
  name: 'Björkström Mjukvara AB',
  orgNumber: '556677-8899',
  vatNumber: 'SE556677889901',
  addressLine1: 'Storgatan 12',
  addressLine2: null,
  postalCode: '411 38',
  city: 'Göteborg',
  country: 'SE',
  email: 'order@bjorkstrom.se',
  phone: '031-12 34 56',
  bankgiro: '123-4567',
  fSkatt: true,
  logoPng: null,
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

function orderLine(partial: Partial<OrderConfirmationLine> & Pick<OrderConfirmationLine, 'lineNo' | 'description'>): OrderConfirmationLine {
  return {
    quantity: decimal4('1'),
    unit: 'C62',
    unitPriceMinor: 0n,
    discountPercent: null,
    discountAmountMinor: 0n,
    netAmountMinor: 0n,
    vatRate: decimal4('25'),
    ...partial,
  };
}

function order(language: DocumentLanguage, overrides: Partial<OrderConfirmationDocument> = {}): OrderConfirmationDocument {
  return {
    language,
    seller: SELLER,
    buyer: BUYER,
    number: 'SO-2026-0042',
    version: 2,
    orderDate: '2026-04-20',
    quote: { number: 'Q-2026-0001', version: 2 },
    customerOrderNumber: 'PO-7781',
    ourReference: 'Stina Björk',
    requestedDeliveryDate: '2026-05-04',
    expectedDeliveryDate: '2026-05-11',
    currency: 'SEK',
    paymentTermsDays: 30,
    lines: [
      orderLine({
        lineNo: 1,
        description: 'Systemutveckling, konsult',
        quantity: decimal4('12.5'),
        unit: 'HUR',
        unitPriceMinor: 125_000n,
        discountPercent: decimal4('10'),
        discountAmountMinor: 156_250n,
        netAmountMinor: 1_406_250n,
      }),
      orderLine({ lineNo: 2, description: 'Licens Åkerö Pro, årsavgift', unitPriceMinor: 480_000n, netAmountMinor: 480_000n, components: [] }),
      orderLine({
        lineNo: 3,
        description: 'Startpaket kontor',
        quantity: decimal4('2'),
        unit: 'SET',
        unitPriceMinor: 300_000n,
        netAmountMinor: 600_000n,
        components: [
          { description: 'Skrivbord Ek 160 cm', quantity: decimal4('2'), unit: 'C62' },
          { description: 'Kontorsstol Ergo', quantity: decimal4('2'), unit: 'C62' },
          { description: 'Monitorarm dubbel', quantity: decimal4('4'), unit: 'C62' },
        ],
      }),
      orderLine({
        lineNo: 4,
        description: 'Handböcker: Räkenskaper',
        quantity: decimal4('3'),
        unitPriceMinor: 34_900n,
        discountAmountMinor: 4_700n,
        netAmountMinor: 100_000n,
        vatRate: decimal4('6'),
      }),
    ],
    orderDiscountMinor: 50_000n,
    vatBreakdown: [
      { vatRate: decimal4('25'), vatCategory: 'S', taxableMinor: 2_436_250n, vatMinor: 609_063n },
      { vatRate: decimal4('6'), vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 6_000n },
    ],
    netTotalMinor: 2_536_250n,
    vatTotalMinor: 615_063n,
    grossTotalMinor: 3_151_313n,
    notes: 'Leverans sker till lastkaj B. Ring gärna en timme innan.',
    terms: 'Allmänna villkor: ABK 09 gäller i tillämpliga delar.',
    ...overrides,
  };
}

/** An order with `count` 100.00 SEK lines at 25 %, every tenth a bundle with two components. */
function longOrder(count: number): OrderConfirmationDocument {
  const lines = Array.from({ length: count }, (_, i) =>
    orderLine({
      lineNo: i + 1,
      description: `Rad ${String(i + 1).padStart(3, '0')} artikel`,
      unitPriceMinor: 10_000n,
      netAmountMinor: 10_000n,
      components:
        (i + 1) % 10 === 0
          ? [
              { description: `Del A till rad ${i + 1}`, quantity: decimal4('1'), unit: 'C62' },
              { description: `Del B till rad ${i + 1}`, quantity: decimal4('2'), unit: 'C62' },
            ]
          : null,
    }),
  );
  const net = 10_000n * BigInt(count);
  return order('en', {
    lines,
    orderDiscountMinor: 0n,
    vatBreakdown: [{ vatRate: decimal4('25'), vatCategory: 'S', taxableMinor: net, vatMinor: net / 4n }],
    netTotalMinor: net,
    vatTotalMinor: net / 4n,
    grossTotalMinor: net + net / 4n,
  });
}

function deliveryLine(
  partial: Partial<DeliveryNoteLine> & Pick<DeliveryNoteLine, 'orderLineNo' | 'description'>,
): DeliveryNoteLine {
  return {
    unit: 'C62',
    orderedQuantity: decimal4('1'),
    previouslyDeliveredQuantity: decimal4('0'),
    deliveredQuantity: decimal4('1'),
    backorderedQuantity: decimal4('0'),
    ...partial,
  };
}

function delivery(language: DocumentLanguage, overrides: Partial<DeliveryNoteDocument> = {}): DeliveryNoteDocument {
  return {
    language,
    seller: SELLER,
    buyer: BUYER,
    deliveryAddress: null,
    number: 'D-2026-0107',
    orderNumber: 'SO-2026-0042',
    customerOrderNumber: 'PO-7781',
    shipDate: '2026-05-06',
    carrier: 'PostNord',
    trackingNumber: '00370712345678901234',
    lines: [
      deliveryLine({
        orderLineNo: 1,
        articleNumber: 'SKR-EK-160',
        description: 'Skrivbord Ek 160 cm',
        orderedQuantity: decimal4('10'),
        previouslyDeliveredQuantity: decimal4('4'),
        deliveredQuantity: decimal4('3'),
        backorderedQuantity: decimal4('3'),
      }),
      deliveryLine({
        orderLineNo: 3,
        articleNumber: 'KIT-START',
        description: 'Startpaket kontor',
        unit: 'SET',
        orderedQuantity: decimal4('2'),
        deliveredQuantity: decimal4('1'),
        backorderedQuantity: decimal4('1'),
        components: [
          { description: 'Skrivbord Ek 160 cm', quantity: decimal4('1'), unit: 'C62', articleNumber: 'SKR-EK-160' },
          { description: 'Kontorsstol Ergo', quantity: decimal4('1'), unit: 'C62', articleNumber: 'STOL-ERGO' },
          { description: 'Monitorarm dubbel', quantity: decimal4('2'), unit: 'C62' },
        ],
      }),
      deliveryLine({
        orderLineNo: 5,
        articleNumber: null,
        description: 'Kaffe, mörkrost',
        unit: 'KGM',
        orderedQuantity: decimal4('7.5'),
        previouslyDeliveredQuantity: decimal4('2.5'),
        deliveredQuantity: decimal4('5'),
        backorderedQuantity: decimal4('0'),
      }),
    ],
    notes: 'Kolli 1 av 2. Kontrollera godset vid mottagandet.',
    ...overrides,
  };
}

/** A delivery of `count` lines, each 2 ordered, 1 delivered, 1 backordered. */
function longDelivery(count: number): DeliveryNoteDocument {
  return delivery('en', {
    lines: Array.from({ length: count }, (_, i) =>
      deliveryLine({
        orderLineNo: i + 1,
        articleNumber: `ART-${String(i + 1).padStart(3, '0')}`,
        description: `Rad ${String(i + 1).padStart(3, '0')} artikel`,
        orderedQuantity: decimal4('2'),
        deliveredQuantity: decimal4('1'),
        backorderedQuantity: decimal4('1'),
      }),
    ),
  });
}

// A 1×1 PNG, enough to exercise the logo path.
const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

// ---------------------------------------------------------------------------------------------

beforeAll(requirePdftotext);

describe('renderOrderConfirmationPdf', () => {
  it('renders a Swedish order confirmation with its lines, components, VAT summary and totals', async () => {
    const pdf = await renderOrderConfirmationPdf(order('sv'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { flat, pages } = pdfPages(pdf);

    expect(pages).toHaveLength(1);
    expect(flat).toContain('Orderbekräftelse');
    expect(flat).toContain('SO-2026-0042');
    expect(flat).toContain('Version 2');
    expect(flat).toContain('Enligt offert Q-2026-0001 v2');
    expect(flat).toContain('ersätter tidigare versioner');
    expect(flat).toContain('Ordernummer SO-2026-0042');
    expect(flat).toContain('Orderdatum 2026-04-20');
    expect(flat).toContain('Önskad leverans 2026-05-04');
    expect(flat).toContain('Beräknad leverans 2026-05-11');
    expect(flat).toContain('Betalningsvillkor 30 dagar netto');
    expect(flat).toContain('Valuta SEK');
    expect(flat).toContain('Er referens Örjan Ångström');
    expect(flat).toContain('Ert ordernummer PO-7781');
    expect(flat).toContain('Vår referens Stina Björk');
    expect(flat).toContain('Åkesson & Söner Bygg AB');
    expect(flat).toContain('972 31 Luleå');
    expect(flat).toContain('Björkström Mjukvara AB');

    expect(flat).toMatch(/Nr +Beskrivning +Antal +À-pris +Rabatt +Moms +Belopp/);
    expect(flat).toMatch(/1 Systemutveckling, konsult 12,5 tim 1 250,00 10 ?% 25 ?% 14 062,50/);
    expect(flat).toMatch(/2 Licens Åkerö Pro, årsavgift 1 st 4 800,00 25 ?% 4 800,00/);
    expect(flat).toMatch(/3 Startpaket kontor 2 set 3 000,00 25 ?% 6 000,00/);
    expect(flat).toMatch(/4 Handböcker: Räkenskaper 3 st 349,00 47,00 6 ?% 1 000,00/);

    // the bundle's components, after "Ingår:", with their quantities; only the bundle has them
    expect(countOf(flat, 'Ingår:')).toBe(1);
    expect(flat).toMatch(/Ingår:\s+Skrivbord Ek 160 cm 2 st\s+Kontorsstol Ergo 2 st\s+Monitorarm dubbel 4 st/);

    expect(flat).toContain('Momsspecifikation');
    expect(flat).toMatch(/Moms 25 % 24 362,50 SEK 6 090,63 SEK/);
    expect(flat).toMatch(/Moms 6 % 1 000,00 SEK 60,00 SEK/);
    expect(flat).toContain('Summa rader 25 862,50 SEK');
    expect(flat).toContain('Orderrabatt -500,00 SEK');
    expect(flat).toContain('Summa exkl. moms 25 362,50 SEK');
    expect(flat).toContain('Moms 6 150,63 SEK');
    expect(flat).toContain('Totalt inkl. moms 31 513,13 SEK');

    expect(flat).toContain('Meddelande');
    expect(flat).toContain('Leverans sker till lastkaj B.');
    expect(flat).toContain('Villkor');
    expect(flat).toContain('ABK 09');

    expect(flat).toContain('Godkänd för F-skatt');
    expect(flat).toContain('Org.nr 556677-8899');
    expect(flat).toContain('Momsreg.nr SE556677889901');
    expect(flat).toContain('Bankgiro 123-4567');
    expect(flat).toContain('Sida 1 av 1');

    for (const english of ['Order confirmation', 'Based on quote', 'Includes:', 'VAT', 'Total incl', 'Page ', 'Description', '25,362.50']) {
      expect(flat, english).not.toContain(english);
    }
  });

  it('renders an English order confirmation with English labels and numbers', async () => {
    const { flat } = pdfPages(await renderOrderConfirmationPdf(order('en')));

    expect(flat).toContain('Order confirmation');
    expect(flat).toContain('SO-2026-0042');
    expect(flat).toContain('Version 2');
    expect(flat).toContain('Based on quote Q-2026-0001 v2');
    expect(flat).toContain('Order date 2026-04-20');
    expect(flat).toContain('Requested delivery 2026-05-04');
    expect(flat).toContain('Expected delivery 2026-05-11');
    expect(flat).toContain('Payment terms 30 days net');
    expect(flat).toContain('Your reference Örjan Ångström');
    expect(flat).toContain('Your order no. PO-7781');

    expect(flat).toMatch(/No\. +Description +Quantity +Unit price +Discount +VAT +Amount/);
    expect(flat).toMatch(/Systemutveckling, konsult 12\.5 h 1,250\.00 10 ?% 25 ?% 14,062\.50/);
    expect(flat).toMatch(/Startpaket kontor 2 set 3,000\.00 25 ?% 6,000\.00/);
    expect(flat).toMatch(/Handböcker: Räkenskaper 3 pcs 349\.00 47\.00 6 ?% 1,000\.00/);
    expect(countOf(flat, 'Includes:')).toBe(1);
    expect(flat).toMatch(/Includes:\s+Skrivbord Ek 160 cm 2 pcs\s+Kontorsstol Ergo 2 pcs\s+Monitorarm dubbel 4 pcs/);

    expect(flat).toContain('VAT summary');
    expect(flat).toMatch(/VAT 25 % 24,362\.50 SEK 6,090\.63 SEK/);
    expect(flat).toMatch(/VAT 6 % 1,000\.00 SEK 60\.00 SEK/);
    expect(flat).toContain('Lines total 25,862.50 SEK');
    expect(flat).toContain('Order discount -500.00 SEK');
    expect(flat).toContain('Total excl. VAT 25,362.50 SEK');
    expect(flat).toContain('VAT 6,150.63 SEK');
    expect(flat).toContain('Total incl. VAT 31,513.13 SEK');
    expect(flat).toContain('Approved for F-tax');
    expect(flat).toContain('Page 1 of 1');

    for (const swedish of ['Orderbekräftelse', 'Enligt offert', 'Ingår:', 'Moms', 'Sida', 'Godkänd', 'Beskrivning', '25 362,50']) {
      expect(flat, swedish).not.toContain(swedish);
    }
  });

  it('leaves out what is not given: version 1, no quote, no delivery dates, no discount, no notes', async () => {
    const base = order('sv');
    const { flat } = pdfPages(
      await renderOrderConfirmationPdf(
        order('sv', {
          version: 1,
          quote: null,
          requestedDeliveryDate: null,
          expectedDeliveryDate: undefined,
          customerOrderNumber: null,
          ourReference: null,
          lines: base.lines.map((l) => ({ ...l, components: null })),
          orderDiscountMinor: 0n,
          vatBreakdown: [
            { vatRate: decimal4('25'), vatCategory: 'S', taxableMinor: 2_486_250n, vatMinor: 621_563n },
            { vatRate: decimal4('6'), vatCategory: 'S', taxableMinor: 100_000n, vatMinor: 6_000n },
          ],
          netTotalMinor: 2_586_250n,
          vatTotalMinor: 627_563n,
          grossTotalMinor: 3_213_813n,
          notes: null,
          terms: '  ',
        }),
      ),
    );
    expect(flat).toContain('SO-2026-0042');
    expect(flat).toContain('Totalt inkl. moms 32 138,13 SEK');
    for (const absent of ['Version', 'Enligt offert', 'leverans 2026', 'Orderrabatt', 'Summa rader', 'Ingår:', 'Meddelande', 'Villkor', 'Ert ordernummer']) {
      expect(flat, absent).not.toContain(absent);
    }
  });

  it('breaks a 150-line order across pages, with the table header, running header and page numbers on each', async () => {
    const { flat, pages } = pdfPages(await renderOrderConfirmationPdf(longOrder(150)));

    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(flat).toContain(`Page 2 of ${pages.length}`);
    pages.forEach((page, i) => {
      expect(page, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`);
      expect(page, `page ${i + 1}`).toContain('Approved for F-tax');
    });
    const withLines = pages.filter((p) => /Rad \d{3} artikel/.test(p));
    expect(withLines.length).toBeGreaterThanOrEqual(2);
    for (const page of withLines) expect(page).toMatch(/No\. +Description +Quantity +Unit price +Discount +VAT +Amount/);
    expect(pages[1]).toContain('Order confirmation SO-2026-0042 – Version 2');
    for (let i = 1; i <= 150; i++) expect(countOf(flat, `Rad ${String(i).padStart(3, '0')} artikel`), `line ${i}`).toBe(1);
    expect(countOf(flat, 'Includes:')).toBe(15);
    expect(flat).toContain('Del B till rad 150 2 pcs');
    expect(flat).toContain('Total incl. VAT 18,750.00 SEK');
  });

  it('continues a bundle with 100 components on the next page, every component printed once', async () => {
    const components = Array.from({ length: 100 }, (_, i) => ({
      description: `Komponent ${String(i + 1).padStart(3, '0')}`,
      quantity: decimal4(String(i + 1)),
      unit: 'C62',
    }));
    const doc = longOrder(1);
    const { flat, pages } = pdfPages(await renderOrderConfirmationPdf({ ...doc, lines: doc.lines.map((l) => ({ ...l, components })) }));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(flat).toContain(`Page 2 of ${pages.length}`);
    expect(countOf(flat, 'Includes:')).toBe(1);
    for (let i = 1; i <= 100; i++) expect(countOf(flat, `Komponent ${String(i).padStart(3, '0')} ${i} pcs`), `component ${i}`).toBe(1);
    expect(pages[1]).toMatch(/No\. +Description +Quantity/);
  });

  it('prints a logo, a foreign customer with the country and a reverse-charge VAT row', async () => {
    const doc = order('en', {
      seller: { ...SELLER, logoPng: PNG_1X1 },
      buyer: { ...BUYER, name: 'Fjordline Åsane AS', country: 'NO', postalCode: '5116', city: 'Ulset', vatNumber: null },
      lines: [orderLine({ lineNo: 1, description: 'Consulting', unitPriceMinor: 100_000n, netAmountMinor: 100_000n, vatRate: decimal4('0') })],
      orderDiscountMinor: 0n,
      vatBreakdown: [{ vatRate: decimal4('0'), vatCategory: 'AE', taxableMinor: 100_000n, vatMinor: 0n }],
      netTotalMinor: 100_000n,
      vatTotalMinor: 0n,
      grossTotalMinor: 100_000n,
    });
    const { flat } = pdfPages(await renderOrderConfirmationPdf(doc));
    expect(flat).toContain('Fjordline Åsane AS');
    expect(flat).toContain('Norway');
    expect(flat).toContain('Sweden');
    expect(flat).toMatch(/VAT 0 % \(reverse charge\) 1,000\.00 SEK 0\.00 SEK/);
  });

  it('gives the same bytes for the same order, dated from the order date', async () => {
    const a = await renderOrderConfirmationPdf(order('sv'));
    const b = await renderOrderConfirmationPdf(order('sv'));
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('(D:20260420000000Z)');
  });

  it('refuses an order whose totals do not add up, or with malformed facts', async () => {
    expect(() => checkOrderConfirmationDocument(order('sv'))).not.toThrow();
    await expect(renderOrderConfirmationPdf(order('sv', { netTotalMinor: 2_536_251n }))).rejects.toThrow(/net total/);
    await expect(renderOrderConfirmationPdf(order('sv', { orderDiscountMinor: 0n }))).rejects.toThrow(/order discount .* net total/);
    await expect(renderOrderConfirmationPdf(order('sv', { vatTotalMinor: 615_062n }))).rejects.toThrow(/VAT total/);
    await expect(renderOrderConfirmationPdf(order('sv', { grossTotalMinor: 3_151_312n }))).rejects.toThrow(/gross total/);
    const base = order('sv');
    const changedLine = base.lines.map((l) => (l.lineNo === 2 ? { ...l, netAmountMinor: 480_001n } : l));
    await expect(renderOrderConfirmationPdf(order('sv', { lines: changedLine }))).rejects.toThrow(/net total/);
    await expect(renderOrderConfirmationPdf(order('sv', { orderDate: '2026-02-30' }))).rejects.toThrow(/YYYY-MM-DD/);
    await expect(renderOrderConfirmationPdf(order('sv', { expectedDeliveryDate: '2026-04-19' }))).rejects.toThrow(/before the order date/);
    await expect(renderOrderConfirmationPdf(order('sv', { currency: 'XXX' }))).rejects.toThrow(/currency/);
    await expect(renderOrderConfirmationPdf(order('sv', { version: 0 }))).rejects.toThrow(/version/);
    await expect(renderOrderConfirmationPdf(order('sv', { quote: { number: 'Q-1', version: 0 } }))).rejects.toThrow(/quote version/);
  });
});

describe('renderDeliveryNotePdf', () => {
  it('renders a Swedish delivery note with delivered, ordered, previously delivered and backordered quantities and no prices', async () => {
    const pdf = await renderDeliveryNotePdf(delivery('sv'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { flat, pages } = pdfPages(pdf);

    expect(pages).toHaveLength(1);
    expect(flat).toContain('Följesedel');
    expect(flat).toContain('Följesedelsnr D-2026-0107');
    expect(flat).toContain('Ordernummer SO-2026-0042');
    expect(flat).toContain('Utleveransdatum 2026-05-06');
    expect(flat).toContain('Er referens Örjan Ångström');
    expect(flat).toContain('Ert ordernummer PO-7781');
    expect(flat).toContain('Transportör PostNord');
    expect(flat).toContain('Sändningsnummer 00370712345678901234');
    expect(flat).toContain('LEVERANSADRESS');
    expect(flat).toContain('Åkesson & Söner Bygg AB');
    expect(flat).toContain('Industrivägen 4');
    expect(flat).toContain('972 31 Luleå');

    expect(flat).toMatch(/Rad +Artikelnr +Beskrivning +Enhet +Beställt +Tidigare lev\. +Levererat +Restnoterat/);
    // line, article, description, unit, ordered, previously delivered, delivered now, backordered
    expect(flat).toMatch(/1 SKR-EK-160 Skrivbord Ek 160 cm st 10 4 3 3/);
    expect(flat).toMatch(/3 KIT-START Startpaket kontor set 2 0 1 1/);
    expect(flat).toMatch(/5 Kaffe, mörkrost kg 7,5 2,5 5 0/);
    expect(countOf(flat, 'Ingår:')).toBe(1);
    expect(flat).toMatch(/Ingår:\s+SKR-EK-160 Skrivbord Ek 160 cm st 1\s+STOL-ERGO Kontorsstol Ergo st 1\s+Monitorarm dubbel st 2/);
    expect(flat).toContain('Restnoterade kvantiteter levereras senare.');

    expect(flat).toContain('Meddelande');
    expect(flat).toContain('Kolli 1 av 2.');
    expect(flat).toContain('Kvittens: godset mottaget');
    expect(flat).toMatch(/Mottaget av +Namnförtydligande +Datum/);

    expect(flat).toContain('Godkänd för F-skatt');
    expect(flat).toContain('Org.nr 556677-8899');
    expect(flat).toContain('Sida 1 av 1');

    // no prices, no payment details
    for (const absent of ['SEK', 'À-pris', 'Belopp', 'Bankgiro', 'Betalningsvillkor', 'Delivery', 'Received by']) {
      expect(flat, absent).not.toContain(absent);
    }
  });

  it('renders an English delivery note to a separate delivery address abroad', async () => {
    const doc = delivery('en', {
      seller: { ...SELLER, logoPng: PNG_1X1 },
      deliveryAddress: {
        name: 'Åkesson Lager Norge',
        addressLine1: 'Havnegata 9',
        addressLine2: null,
        postalCode: '5116',
        city: 'Ulset',
        country: 'NO',
        attention: 'Kari Nordmann',
      },
    });
    const { flat } = pdfPages(await renderDeliveryNotePdf(doc));

    expect(flat).toContain('Delivery note');
    expect(flat).toContain('Delivery number D-2026-0107');
    expect(flat).toContain('Order number SO-2026-0042');
    expect(flat).toContain('Ship date 2026-05-06');
    expect(flat).toContain('Customer Åkesson & Söner Bygg AB');
    expect(flat).toContain('Carrier PostNord');
    expect(flat).toContain('Tracking number 00370712345678901234');
    expect(flat).toContain('DELIVERY ADDRESS');
    expect(flat).toContain('Åkesson Lager Norge');
    expect(flat).toContain('Havnegata 9');
    expect(flat).toContain('5116 Ulset');
    expect(flat).toContain('Norway');
    expect(flat).toContain('Attn. Kari Nordmann');
    expect(flat).not.toContain('Industrivägen');

    expect(flat).toMatch(/Line +Item no\. +Description +Unit +Ordered +Prev\. delivered +Delivered +Backordered/);
    expect(flat).toMatch(/1 SKR-EK-160 Skrivbord Ek 160 cm pcs 10 4 3 3/);
    expect(flat).toMatch(/3 KIT-START Startpaket kontor set 2 0 1 1/);
    expect(flat).toMatch(/5 Kaffe, mörkrost kg 7\.5 2\.5 5 0/);
    expect(countOf(flat, 'Includes:')).toBe(1);
    expect(flat).toMatch(/Includes:\s+SKR-EK-160 Skrivbord Ek 160 cm pcs 1\s+STOL-ERGO Kontorsstol Ergo pcs 1\s+Monitorarm dubbel pcs 2/);
    expect(flat).toContain('Backordered quantities will follow in a later delivery.');
    expect(flat).toMatch(/Received by +Name in capitals +Date/);
    expect(flat).toContain('Page 1 of 1');

    for (const swedish of ['Följesedel', 'Restnoterat', 'Mottaget av', 'Ingår:', 'Sida', 'SEK', '7,5']) {
      expect(flat, swedish).not.toContain(swedish);
    }
  });

  it('drops the article column when no line has one, and the backorder note when nothing is backordered', async () => {
    const doc = delivery('sv', {
      lines: [deliveryLine({ orderLineNo: 2, description: 'Kontorsstol Ergo', orderedQuantity: decimal4('4'), deliveredQuantity: decimal4('4') })],
      carrier: null,
      trackingNumber: undefined,
      notes: null,
    });
    const { flat } = pdfPages(await renderDeliveryNotePdf(doc));
    expect(flat).toMatch(/Rad +Beskrivning +Enhet +Beställt/);
    expect(flat).toMatch(/2 Kontorsstol Ergo st 4 0 4 0/);
    for (const absent of ['Artikelnr', 'Restnoterade kvantiteter', 'Transportör', 'Sändningsnummer', 'Meddelande', 'Ingår:']) {
      expect(flat, absent).not.toContain(absent);
    }
    expect(flat).toContain('Mottaget av');
  });

  it('breaks a 150-line delivery across pages, every page numbered, the receipt box once at the end', async () => {
    const { flat, pages } = pdfPages(await renderDeliveryNotePdf(longDelivery(150)));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(flat).toContain(`Page 2 of ${pages.length}`);
    pages.forEach((page, i) => expect(page, `page ${i + 1}`).toContain(`Page ${i + 1} of ${pages.length}`));
    const withLines = pages.filter((p) => /Rad \d{3} artikel/.test(p));
    expect(withLines.length).toBeGreaterThanOrEqual(2);
    for (const page of withLines) expect(page).toMatch(/Line +Item no\. +Description +Unit +Ordered/);
    expect(pages[1]).toContain('Delivery note D-2026-0107');
    for (let i = 1; i <= 150; i++) expect(countOf(flat, `Rad ${String(i).padStart(3, '0')} artikel`), `line ${i}`).toBe(1);
    expect(countOf(flat, 'Received by')).toBe(1);
    expect(pages[pages.length - 1]).toContain('Received by');
  });

  it('gives the same bytes for the same delivery, dated from the ship date', async () => {
    const a = await renderDeliveryNotePdf(delivery('en'));
    const b = await renderDeliveryNotePdf(delivery('en'));
    expect(a.equals(b)).toBe(true);
    expect(a.toString('latin1')).toContain('(D:20260506000000Z)');
  });

  it('refuses a delivery whose quantities do not add up, or with malformed facts', async () => {
    expect(() => checkDeliveryNoteDocument(delivery('sv'))).not.toThrow();
    const base = delivery('sv');
    const withLine = (patch: Partial<DeliveryNoteLine>): DeliveryNoteDocument =>
      delivery('sv', { lines: base.lines.map((l, i) => (i === 0 ? { ...l, ...patch } : l)) });
    await expect(renderDeliveryNotePdf(withLine({ backorderedQuantity: decimal4('2') }))).rejects.toThrow(/is not the ordered 10/);
    await expect(renderDeliveryNotePdf(withLine({ deliveredQuantity: decimal4('4') }))).rejects.toThrow(/is not the ordered/);
    await expect(
      renderDeliveryNotePdf(withLine({ deliveredQuantity: decimal4('-1'), backorderedQuantity: decimal4('7') })),
    ).rejects.toThrow(/negative/);
    await expect(renderDeliveryNotePdf(delivery('sv', { shipDate: '2026-13-01' }))).rejects.toThrow(/YYYY-MM-DD/);
    await expect(renderDeliveryNotePdf(delivery('sv', { orderNumber: ' ' }))).rejects.toThrow(/order number/);
  });
});
