import { describe, expect, it } from 'vitest';
import { makeOcrReference, ocrBaseFromInvoiceNumber } from './ocr.js';
import { makeRfReference } from './rf.js';
import { matchBatch, nameSimilarity, normaliseName, OpenItemIndex, proposeForLine, type BankLineInput, type OpenInvoice } from './cash-matching.js';

const inv = (n: number, customerId: string, open: bigint, rf = false): OpenInvoice => {
  const number = `2026-${String(n).padStart(5, '0')}`;
  const base = ocrBaseFromInvoiceNumber(number);
  return { invoiceId: `i${n}`, customerId, invoiceNumber: number, paymentReference: rf ? makeRfReference(base) : makeOcrReference(base), currency: 'SEK', openMinor: open };
};
const line = (l: Partial<BankLineInput> & { amountMinor: bigint }): BankLineInput => ({
  id: 'l1',
  currency: 'SEK',
  payerName: null,
  payerAccount: null,
  structuredReferences: [],
  text: null,
  ...l,
});
const customers = [
  { id: 'kalle', name: 'Kalles Plåt AB' },
  { id: 'nordic', name: 'Nordic Trä Entreprenad AB' },
  { id: 'nordic2', name: 'Nordic Trä Entreprenad i Norden AB' },
  { id: 'berit', name: 'Berits Garn HB' },
];
const items = () => [inv(1, 'kalle', 125000n), inv(2, 'kalle', 40000n), inv(3, 'kalle', 60000n), inv(4, 'berit', 99900n, true), inv(5, 'nordic', 50000n), inv(6, 'nordic2', 50000n), inv(7, 'berit', 125000n)];
const index = () => new OpenItemIndex(items(), customers, new Map([['58410000100', 'kalle']]));
const ref1 = items()[0]!.paymentReference;

describe('names', () => {
  it('normalises case, diacritics, punctuation and company forms', () => {
    expect(normaliseName('KALLES PLÅT AB')).toBe('kalles plat');
    expect(normaliseName('Berits Garn, HB.')).toBe('berits garn');
    expect(nameSimilarity('KALLES PLÅT AB', 'Kalles Plåt Aktiebolag')).toBeGreaterThan(0.8);
    expect(nameSimilarity('Kalles Plåt AB', 'Berits Garn HB')).toBeLessThan(0.3);
  });
});

describe('proposals and decisions', () => {
  it('a valid OCR reference, structured or spaced in the text, is auto-applied with its reasons', () => {
    const d = proposeForLine(line({ amountMinor: 125000n, structuredReferences: [ref1] }), index());
    expect(d.decision).toBe('auto');
    expect(d.best).toMatchObject({ rule: 'payment_reference', score: 99, customerId: 'kalle', allocations: [{ invoiceId: 'i1', amountMinor: 125000n, writeOffMinor: 0n }], unallocatedMinor: 0n });
    expect(d.best!.reasons[0]).toBe(`OCR reference ${ref1} (structured reference, check digits valid) is invoice 2026-00001's`);
    const spaced = ref1.replace(/(\d{3})(?=\d)/g, '$1 ');
    expect(proposeForLine(line({ amountMinor: 125000n, text: `Betalning ${spaced}` }), index()).best?.allocations[0]?.invoiceId).toBe('i1');
  });

  it('an RF reference; an overpayment leaves customer credit; a short payment within tolerance is written off', () => {
    const rf = items()[3]!.paymentReference;
    const over = proposeForLine(line({ amountMinor: 100000n, text: `RF ${rf.slice(2)}`.replace('RF ', 'RF') }), index());
    expect(over.best).toMatchObject({ allocations: [{ invoiceId: 'i4', amountMinor: 99900n }], unallocatedMinor: 100n });
    const short = proposeForLine(line({ amountMinor: 124500n, structuredReferences: [ref1] }), index());
    expect(short.best!.allocations[0]).toMatchObject({ amountMinor: 124500n, writeOffMinor: 500n });
    const partial = proposeForLine(line({ amountMinor: 100000n, structuredReferences: [ref1] }), index());
    expect(partial).toMatchObject({ decision: 'auto', best: { allocations: [{ amountMinor: 100000n, writeOffMinor: 0n }] } });
  });

  it('a check-digit typo is suggested, never auto-applied, even when the payer account and amount agree', () => {
    const typo = ref1.slice(0, 3) + String((Number(ref1[3]) + 1) % 10) + ref1.slice(4);
    const d = proposeForLine(line({ amountMinor: 125000n, payerAccount: '5841-0000100', structuredReferences: [typo] }), index());
    expect(d.decision).toBe('review');
    expect(d.best).toMatchObject({ rule: 'amount_and_customer', allocations: [{ invoiceId: 'i1' }] });
    const t = d.proposals.find((p) => p.rule === 'reference_typo');
    expect(t).toMatchObject({ score: 85, allocations: [{ invoiceId: 'i1' }] });
    expect(t!.reasons[0]).toContain(`reference ${typo} fails its check digit`);
    // without the account, the typo leads the suggestions
    expect(proposeForLine(line({ amountMinor: 125000n, structuredReferences: [typo] }), index())).toMatchObject({ decision: 'review', best: { rule: 'reference_typo', score: 75 } });
  });

  it('invoice numbers in the text: one or several, equal to the amount → auto', () => {
    expect(proposeForLine(line({ amountMinor: 125000n, text: 'Faktura 2026-00001' }), index())).toMatchObject({ decision: 'auto', best: { rule: 'invoice_number', score: 92 } });
    const two = proposeForLine(line({ amountMinor: 100000n, text: 'fakt 2026-00002, 2026-00003' }), index());
    expect(two).toMatchObject({ decision: 'auto', best: { allocations: [{ invoiceId: 'i2', amountMinor: 40000n }, { invoiceId: 'i3', amountMinor: 60000n }] } });
    expect(proposeForLine(line({ amountMinor: 90000n, text: 'Faktura 2026-00001' }), index()).decision).toBe('review');
  });

  it('a learned payer account: exact amount → auto; a unique subset sum → review with the combination', () => {
    expect(proposeForLine(line({ amountMinor: 40000n, payerAccount: '5841-0000100' }), index())).toMatchObject({ decision: 'auto', best: { rule: 'amount_and_customer', score: 90 } });
    const sum = proposeForLine(line({ amountMinor: 225000n, payerAccount: '5841-0000100' }), index());
    expect(sum).toMatchObject({ decision: 'review', best: { rule: 'subset_sum', score: 86 } });
    expect(sum.best!.allocations.map((a) => a.invoiceId).sort()).toEqual(['i1', 'i2', 'i3']);
  });

  it('a name shared closely by two customers identifies neither; an unknown payer is at most a weak suggestion', () => {
    const d = proposeForLine(line({ amountMinor: 50000n, payerName: 'NORDIC TRÄ ENTREPRENAD AB' }), index());
    expect(d.payerCustomerId).toBeNull();
    expect(d.decision).not.toBe('auto');
    const unknown = proposeForLine(line({ amountMinor: 99900n, payerName: 'Anna Andersson' }), index());
    expect(unknown).toMatchObject({ decision: 'review', best: { rule: 'amount_only', score: 40 } });
    expect(proposeForLine(line({ amountMinor: 12345n, payerName: 'Anna Andersson' }), index()).decision).toBe('unmatched');
  });

  it('two proposals within the ambiguity margin are never auto-applied', () => {
    // Berit has two invoices of 1 250,00 in reach: the reference names i7 … but the text names i1 (another customer's)
    const d = proposeForLine(line({ amountMinor: 125000n, structuredReferences: [items()[6]!.paymentReference], text: 'Faktura 2026-00001' }), index());
    expect(d.decision).toBe('auto'); // the reference (99) beats the invoice number (92) by more than the margin
    const tie = proposeForLine(line({ amountMinor: 125000n, text: `${items()[6]!.paymentReference} ${ref1}` }), index());
    expect(tie).toMatchObject({ decision: 'review', best: { rule: 'payment_reference', score: 70 } });
  });

  it('in a batch, money auto-applied by one line is not offered to the next', () => {
    const idx = index();
    const [a, b] = matchBatch([line({ id: 'a', amountMinor: 125000n, structuredReferences: [ref1] }), line({ id: 'b', amountMinor: 125000n, structuredReferences: [ref1] })], idx);
    expect(a!.decision).toBe('auto');
    expect(b!.decision).not.toBe('auto');
    expect(b!.best?.allocations.map((x) => x.invoiceId) ?? []).not.toContain('i1');
    expect(idx.open('i1')).toBe(0n);
  });
});
