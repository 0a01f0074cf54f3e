import { describe, expect, it } from 'vitest';
import { baseRowsOf, boxesFor, computeVatReturn, declaredKronor, vatReturnCsv, type VatReturnDocument } from './vat-return.js';

const R25 = 250_000n;
const R12 = 120_000n;
const R6 = 60_000n;
const R0 = 0n;

const sekDoc = (p: Partial<VatReturnDocument> & Pick<VatReturnDocument, 'rows'>): VatReturnDocument => ({
  kind: 'invoice', id: 'inv_1', number: 'F-1', documentDate: '2026-11-16', currency: 'SEK', baseCurrency: 'SEK',
  netBaseMinor: p.rows.reduce((a, r) => a + r.taxableMinor, 0n), vatBaseMinor: p.rows.reduce((a, r) => a + r.vatMinor, 0n),
  deductions: [], ...p,
});

const boxes = (r: ReturnType<typeof computeVatReturn>) => Object.fromEntries(r.boxes.map((b) => [b.box, [b.exactMinor, b.declaredKronor]]));

describe('declaredKronor', () => {
  it('drops the öre toward zero', () => {
    expect(declaredKronor(44955n)).toBe(449n);
    expect(declaredKronor(99n)).toBe(0n);
    expect(declaredKronor(100n)).toBe(1n);
    expect(declaredKronor(-1050n)).toBe(-10n);
    expect(declaredKronor(0n)).toBe(0n);
  });
});

describe('boxesFor', () => {
  it('maps every q2c VAT category to its momsdeklaration box', () => {
    expect(boxesFor('S', R25)).toEqual({ sales: '05', vat: '10' });
    expect(boxesFor('S', R12)).toEqual({ sales: '05', vat: '11' });
    expect(boxesFor('S', R6)).toEqual({ sales: '05', vat: '12' });
    expect(boxesFor('K', R0)).toEqual({ sales: '35', vat: null });
    expect(boxesFor('G', R0)).toEqual({ sales: '36', vat: null });
    expect(boxesFor('AE', R0)).toEqual({ sales: '39', vat: null });
    expect(boxesFor('O', R0)).toEqual({ sales: '40', vat: null });
    expect(boxesFor('E', R0)).toEqual({ sales: '42', vat: null });
    expect(boxesFor('Z', R0)).toEqual({ sales: '42', vat: null });
    expect(() => boxesFor('S', 200_000n)).toThrow(/no output VAT box/);
  });
});

describe('computeVatReturn', () => {
  it('sums invoices, subtracts credit notes, and computes 49 from the declared boxes', () => {
    const inv = sekDoc({ rows: [
      { vatCategory: 'S', vatRateScaled: R25, taxableMinor: 269730n, vatMinor: 67433n },
      { vatCategory: 'S', vatRateScaled: R12, taxableMinor: 250100n, vatMinor: 30012n },
      { vatCategory: 'S', vatRateScaled: R6, taxableMinor: 30000n, vatMinor: 1800n },
      { vatCategory: 'E', vatRateScaled: R0, taxableMinor: 500000n, vatMinor: 0n },
    ] });
    const cn = sekDoc({ kind: 'credit_note', id: 'crn_1', number: 'KF-1', rows: [{ vatCategory: 'S', vatRateScaled: R25, taxableMinor: 89910n, vatMinor: 22478n }] });
    const r = computeVatReturn('2026-11-01', '2026-11-30', 'SEK', [inv, cn]);
    const b = boxes(r);
    expect(b['05']).toEqual([459920n, 4599n]);
    expect(b['10']).toEqual([44955n, 449n]);
    expect(b['11']).toEqual([30012n, 300n]);
    expect(b['12']).toEqual([1800n, 18n]);
    expect(b['42']).toEqual([500000n, 5000n]);
    expect(b['06']).toEqual([0n, 0n]);
    expect(b['48']).toEqual([0n, 0n]);
    expect(b['49']).toEqual([76767n, 767n]);
    expect(r.documents).toEqual({ invoices: 1, creditNotes: 1 });
    expect(r.outputVatByRate).toEqual([
      { ratePercent: '25', taxableMinor: 179820n, vatMinor: 44955n },
      { ratePercent: '12', taxableMinor: 250100n, vatMinor: 30012n },
      { ratePercent: '6', taxableMinor: 30000n, vatMinor: 1800n },
    ]);
  });

  it('takes an advance deduction off the final invoice so the advance is reported once', () => {
    // advance 1 000.00 + 250.00; final invoice 4 000.00 + 1 000.00 deducting the advance
    const advance = sekDoc({ id: 'inv_a', number: 'F-1', rows: [{ vatCategory: 'S', vatRateScaled: R25, taxableMinor: 100000n, vatMinor: 25000n }] });
    const final = sekDoc({
      id: 'inv_f', number: 'F-2',
      rows: [{ vatCategory: 'S', vatRateScaled: R25, taxableMinor: 400000n, vatMinor: 100000n }],
      deductions: [{ vatCategory: 'S', vatRateScaled: R25, netMinor: 100000n, vatMinor: 25000n, advanceRateScaled: null }],
    });
    const b = boxes(computeVatReturn('2026-11-01', '2026-11-30', 'SEK', [advance, final]));
    expect(b['05']).toEqual([400000n, 4000n]);
    expect(b['10']).toEqual([100000n, 1000n]);
  });

  it('allocates the SEK totals of a foreign document over its rows exactly', () => {
    // 99.99 EUR @ 25 % (VAT 25.00) and 77.77 EUR @ 12 % (VAT 9.33); issued at 2 424.72 SEK of which VAT 392.47
    const doc = sekDoc({
      currency: 'EUR', netBaseMinor: 242472n - 39247n, vatBaseMinor: 39247n,
      rows: [
        { vatCategory: 'S', vatRateScaled: R25, taxableMinor: 9999n, vatMinor: 2500n },
        { vatCategory: 'S', vatRateScaled: R12, taxableMinor: 7777n, vatMinor: 933n },
      ],
    });
    expect(baseRowsOf(doc).map((r) => [r.taxableMinor, r.vatMinor])).toEqual([[114314n, 28581n], [88911n, 10666n]]);
    const b = boxes(computeVatReturn('2026-11-01', '2026-11-30', 'SEK', [doc]));
    expect(b['05']).toEqual([203225n, 2032n]);
    expect(b['49']).toEqual([39247n, 391n]);
  });

  it('converts a foreign deduction at the advance rate', () => {
    const doc = sekDoc({
      currency: 'EUR', netBaseMinor: 1_143_250n, vatBaseMinor: 285_813n,
      rows: [{ vatCategory: 'S', vatRateScaled: R25, taxableMinor: 100000n, vatMinor: 25000n }],
      deductions: [{ vatCategory: 'S', vatRateScaled: R25, netMinor: 10000n, vatMinor: 2500n, advanceRateScaled: 110_000_000_000n }],
    });
    const b = boxes(computeVatReturn('2026-11-01', '2026-11-30', 'SEK', [doc]));
    expect(b['05']).toEqual([1_143_250n - 110_000n, 10332n]);
    expect(b['10']).toEqual([285_813n - 27_500n, 2583n]);
  });

  it('refuses documents outside the period, in another base, and VAT on a category without it', () => {
    expect(() => computeVatReturn('2026-12-01', '2026-12-31', 'SEK', [sekDoc({ rows: [] })])).toThrow(/outside/);
    expect(() => computeVatReturn('2026-11-01', '2026-11-30', 'EUR', [sekDoc({ rows: [] })])).toThrow(/base SEK/);
    expect(() => computeVatReturn('2026-11-01', '2026-11-30', 'SEK', [sekDoc({ rows: [{ vatCategory: 'AE', vatRateScaled: R0, taxableMinor: 100n, vatMinor: 1n }] })])).toThrow(/carries VAT/);
    expect(() => computeVatReturn('2026-11-30', '2026-11-01', 'SEK', [])).toThrow(/after/);
  });

  it('an empty period has every box at zero', () => {
    const r = computeVatReturn('2026-11-01', '2026-11-30', 'SEK', []);
    expect(r.boxes).toHaveLength(14);
    expect(r.boxes.every((b) => b.exactMinor === 0n && b.declaredKronor === 0n)).toBe(true);
  });
});

describe('vatReturnCsv', () => {
  it('writes one line per box with the exact and the declared amount, negatives signed', () => {
    const cn = sekDoc({ kind: 'credit_note', rows: [{ vatCategory: 'S', vatRateScaled: R25, taxableMinor: 1050n, vatMinor: 263n }] });
    const csv = vatReturnCsv(computeVatReturn('2026-11-01', '2026-11-30', 'SEK', [cn]));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('box;label;amount_sek;declared_kronor');
    expect(lines).toContain('05;Momspliktig försäljning som inte ingår i ruta 06, 07 eller 08;-10.50;-10');
    expect(lines).toContain('10;Utgående moms 25 %;-2.63;-2');
    expect(lines).toContain('49;Moms att betala eller få tillbaka;-2.63;-2');
  });
});
