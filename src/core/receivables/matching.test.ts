import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseMatch, extractReferenceTokens, type MatchCandidate } from './matching.js';
import { isLuhnValid, makeOcrReference, makeOcrReferenceFor, validateOcr } from './ocr.js';
import { formatRf, makeRfReference } from './rf.js';

// makeOcrReference('202600017') = '20260001712' (hand-computed in ocr.test.ts)
const OCR_17 = '20260001712';
const OCR_18 = makeOcrReference('202600018');

function candidate(over: Partial<MatchCandidate> & Pick<MatchCandidate, 'invoiceId' | 'invoiceNumber'>): MatchCandidate {
  return {
    customerId: 'cus_1',
    paymentReference: makeOcrReference(over.invoiceNumber.replace('-', '')),
    currency: 'SEK',
    openMinor: 125_000n,
    ...over,
  };
}

describe('extractReferenceTokens', () => {
  it('joins digit groups split by spaces into an OCR candidate', () => {
    expect(extractReferenceTokens('OCR 2026000171 2').ocrCandidates).toEqual([OCR_17]);
    expect(extractReferenceTokens('20260 00171 2').ocrCandidates).toEqual([OCR_17]);
    expect(extractReferenceTokens('OCR:20260001712').ocrCandidates).toEqual([OCR_17]);
  });

  it('keeps separate groups that are valid on their own, and stretches inside a longer run', () => {
    // '1234567897' and '18' are each Luhn-valid; so is the OCR reference followed by an amount
    const t = extractReferenceTokens('ref 1234567897 18');
    expect(t.ocrCandidates).toContain('1234567897');
    expect(t.ocrCandidates).toContain('18');
    const withAmount = extractReferenceTokens('20260 00171 2 1250 00');
    expect(withAmount.ocrCandidates).toContain(OCR_17);
  });

  it('returns only Luhn-valid candidates of 2-25 digits', () => {
    expect(extractReferenceTokens('OCR 20260001713').ocrCandidates).toEqual([]); // wrong check digit
    expect(extractReferenceTokens('0').ocrCandidates).toEqual([]); // one digit is too short
    const long = '1'.repeat(25);
    const ref26 = long + String([...Array(10).keys()].find((d) => isLuhnValid(long + String(d))));
    expect(isLuhnValid(ref26)).toBe(true);
    expect(extractReferenceTokens(ref26).ocrCandidates).not.toContain(ref26);
  });

  it('finds invoice numbers, deduplicated, in order', () => {
    expect(extractReferenceTokens('Faktura 2026-00017').invoiceNumberCandidates).toEqual(['2026-00017']);
    expect(extractReferenceTokens('inv 2026-00017, 2026-00018').invoiceNumberCandidates).toEqual([
      '2026-00017',
      '2026-00018',
    ]);
    expect(extractReferenceTokens('2026-00018 2026-00017 2026-00018').invoiceNumberCandidates).toEqual([
      '2026-00018',
      '2026-00017',
    ]);
    expect(extractReferenceTokens('fakt.nr:2026-17').invoiceNumberCandidates).toEqual(['2026-17']);
  });

  it('does not take dates or longer digit runs for invoice numbers', () => {
    expect(extractReferenceTokens('betald 2026-01-15').invoiceNumberCandidates).toEqual([]);
    expect(extractReferenceTokens('12026-00017').invoiceNumberCandidates).toEqual([]);
    expect(extractReferenceTokens('2026-12345678901').invoiceNumberCandidates).toEqual([]);
  });

  it('deduplicates OCR candidates', () => {
    expect(extractReferenceTokens(`${OCR_17} ; ${OCR_17}`).ocrCandidates).toEqual([OCR_17]);
  });

  it('finds any issued reference however the payer groups it (property)', () => {
    const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 23 });
    fc.assert(
      fc.property(
        digits,
        fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 6 }),
        fc.string({ maxLength: 10 }).map((s) => s.replace(/[\d\s]/g, '')),
        fc.string({ maxLength: 10 }).map((s) => s.replace(/[\d\s]/g, '')),
        (base, cuts, before, after) => {
          const ref = makeOcrReference(base);
          const groups: string[] = [];
          let rest = ref;
          for (const c of cuts) {
            if (rest.length <= c) break;
            groups.push(rest.slice(0, c));
            rest = rest.slice(c);
          }
          groups.push(rest);
          const text = `${before} ${groups.join(' ')} ${after}`;
          const { ocrCandidates } = extractReferenceTokens(text);
          expect(ocrCandidates).toContain(ref);
          for (const c of ocrCandidates) {
            expect(isLuhnValid(c)).toBe(true);
            expect(c.length).toBeGreaterThanOrEqual(2);
            expect(c.length).toBeLessThanOrEqual(25);
          }
          expect(new Set(ocrCandidates).size).toBe(ocrCandidates.length);
        },
      ),
    );
  });
});

describe('chooseMatch', () => {
  const inv17 = candidate({ invoiceId: 'inv_17', invoiceNumber: '2026-00017', paymentReference: OCR_17 });
  const inv18 = candidate({ invoiceId: 'inv_18', invoiceNumber: '2026-00018', paymentReference: OCR_18 });
  const pay = (referenceText: string | null, amountMinor = 125_000n, currency = 'SEK') => ({
    referenceText,
    currency,
    amountMinor,
  });

  it('matches by OCR reference and explains why', () => {
    const m = chooseMatch(pay('OCR 2026000171 2'), [inv18, inv17]);
    expect(m).toEqual({
      invoiceId: 'inv_17',
      customerId: 'cus_1',
      method: 'ocr_reference',
      reason: `OCR reference ${OCR_17} found in the payment reference; the open amount equals the payment amount`,
    });
  });

  it('lets an OCR reference win over an invoice number naming another invoice', () => {
    const m = chooseMatch(pay(`Faktura 2026-00018 OCR ${OCR_17}`), [inv18, inv17]);
    expect(m).toMatchObject({ invoiceId: 'inv_17', method: 'ocr_reference' });
  });

  it('falls back to the invoice number', () => {
    const m = chooseMatch(pay('Faktura 2026-00018', 99n), [inv17, inv18]);
    expect(m).toEqual({
      invoiceId: 'inv_18',
      customerId: 'cus_1',
      method: 'invoice_number',
      reason: 'Invoice number 2026-00018 found in the payment reference',
    });
  });

  it('skips candidates in another currency or with nothing open', () => {
    const eur17 = { ...inv17, currency: 'EUR' };
    expect(chooseMatch(pay(`OCR ${OCR_17}`), [eur17])).toBeNull();
    expect(chooseMatch(pay(`OCR ${OCR_17}`), [{ ...inv17, openMinor: 0n }])).toBeNull();
    // the OCR candidate is ineligible, so the invoice number decides
    const m = chooseMatch(pay(`OCR ${OCR_17} faktura 2026-00018`), [eur17, inv18]);
    expect(m).toMatchObject({ invoiceId: 'inv_18', method: 'invoice_number' });
    expect(chooseMatch(pay(`OCR ${OCR_17}`, 125_000n, 'EUR'), [eur17])).toMatchObject({ invoiceId: 'inv_17' });
  });

  it('prefers the invoice whose open amount equals the payment', () => {
    const a = { ...inv17, openMinor: 50_000n };
    const b = { ...inv18, openMinor: 80_000n };
    const m = chooseMatch(pay('inv 2026-00017, 2026-00018', 80_000n), [a, b]);
    expect(m).toMatchObject({ invoiceId: 'inv_18', method: 'invoice_number' });
    expect(m?.reason).toBe(
      'Invoice number 2026-00018 found in the payment reference; 2 open invoices matched, chose the one whose open amount equals the payment amount',
    );
  });

  it('otherwise takes the oldest invoice number', () => {
    const m = chooseMatch(pay('inv 2026-00018, 2026-00017', 1n), [inv18, inv17]);
    expect(m).toMatchObject({ invoiceId: 'inv_17' });
    expect(m?.reason).toContain('none with an open amount equal to the payment amount, chose the oldest invoice number');
    const sameAmount = chooseMatch(pay('inv 2026-00018, 2026-00017'), [inv18, inv17]);
    expect(sameAmount).toMatchObject({ invoiceId: 'inv_17' });
    expect(sameAmount?.reason).toContain('with the oldest invoice number');
  });

  it('orders invoice numbers lexically, not by the order given', () => {
    const y2025 = candidate({ invoiceId: 'inv_old', invoiceNumber: '2025-00900' });
    const y2026 = candidate({ invoiceId: 'inv_new', invoiceNumber: '2026-00001' });
    expect(chooseMatch(pay('2026-00001 2025-00900', 7n), [y2026, y2025])).toMatchObject({ invoiceId: 'inv_old' });
  });

  it('returns null without a reference or without a match', () => {
    expect(chooseMatch(pay(null), [inv17])).toBeNull();
    expect(chooseMatch(pay('   '), [inv17])).toBeNull();
    expect(chooseMatch(pay('Tack för senast!'), [inv17])).toBeNull();
    expect(chooseMatch(pay('Faktura 2026-00099'), [inv17, inv18])).toBeNull();
    expect(chooseMatch(pay(`OCR ${OCR_17}`), [])).toBeNull();
  });

  it('only ever returns an eligible candidate named in the text (property)', () => {
    const numbers = ['2026-00001', '2026-00002', '2026-00003', '2025-00010'];
    const arbCandidate = fc.record({
      invoiceId: fc.constantFrom('inv_a', 'inv_b', 'inv_c', 'inv_d'),
      customerId: fc.constantFrom('cus_1', 'cus_2'),
      invoiceNumber: fc.constantFrom(...numbers),
      currency: fc.constantFrom('SEK', 'EUR'),
      openMinor: fc.bigInt({ min: 0n, max: 5n }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(arbCandidate, { maxLength: 4, selector: (c) => c.invoiceId }), // an invoice is one candidate
        fc.subarray(numbers),
        fc.subarray(numbers),
        fc.bigInt({ min: 0n, max: 5n }),
        (raw, byOcr, byNumber, amount) => {
          const cands: MatchCandidate[] = raw.map((c) => ({
            ...c,
            paymentReference: makeOcrReference(c.invoiceNumber.replace('-', '')),
          }));
          const text = [...byOcr.map((n) => `OCR ${makeOcrReference(n.replace('-', ''))}`), ...byNumber].join(', ');
          const m = chooseMatch({ referenceText: text, currency: 'SEK', amountMinor: amount }, cands);
          const eligible = cands.filter((c) => c.currency === 'SEK' && c.openMinor > 0n);
          const ocrHits = eligible.filter((c) => byOcr.includes(c.invoiceNumber));
          const numberHits = eligible.filter((c) => byNumber.includes(c.invoiceNumber));
          if (ocrHits.length === 0 && numberHits.length === 0) {
            expect(m).toBeNull();
            return;
          }
          expect(m).not.toBeNull();
          const hits = ocrHits.length > 0 ? ocrHits : numberHits;
          expect(m?.method).toBe(ocrHits.length > 0 ? 'ocr_reference' : 'invoice_number');
          const chosen = hits.find((c) => c.invoiceId === m?.invoiceId && c.customerId === m.customerId);
          expect(chosen).toBeDefined();
          if (hits.some((c) => c.openMinor === amount)) expect(chosen?.openMinor).toBe(amount);
        },
      ),
    );
  });
});

describe('RF creditor references', () => {
  const RF_17 = makeRfReference('202600017');
  const rfCandidate = (over: Partial<MatchCandidate> = {}): MatchCandidate =>
    candidate({ invoiceId: 'inv_rf', invoiceNumber: '2026-00017', paymentReference: RF_17, ...over });

  it('extracts a valid RF reference in electronic form, with or without spaces, in any case', () => {
    expect(extractReferenceTokens(RF_17).ocrCandidates).toContain(RF_17);
    expect(extractReferenceTokens(`betalning ${formatRf(RF_17).toLowerCase()} tack`).ocrCandidates).toContain(RF_17);
    expect(extractReferenceTokens('RF18 5390 0754 7034').ocrCandidates).toContain('RF18539007547034');
    expect(extractReferenceTokens('ref: rf 18 5390 0754 7034, 1250 kr').ocrCandidates).toContain('RF18539007547034');
    expect(extractReferenceTokens('Rf18539007547034').ocrCandidates).toContain('RF18539007547034');
  });

  it('never lists an RF reference with wrong check digits, nor RF glued to a word', () => {
    const t = extractReferenceTokens('RF19 5390 0754 7034');
    expect(t.ocrCandidates.filter((c) => c.startsWith('RF'))).toEqual([]);
    expect(extractReferenceTokens('XRF18539007547034').ocrCandidates.filter((c) => c.startsWith('RF'))).toEqual([]);
  });

  it('matches an invoice by its RF reference typed in lower case with spaces', () => {
    const text = formatRf(RF_17).toLowerCase();
    const m = chooseMatch({ referenceText: text, currency: 'SEK', amountMinor: 125_000n }, [rfCandidate()]);
    expect(m).toMatchObject({ invoiceId: 'inv_rf', method: 'ocr_reference' });
    expect(m?.reason).toContain(`RF reference ${RF_17}`);
  });

  it('does not match an RF reference whose check digits are wrong', () => {
    const wrong = `RF${String((Number(RF_17.slice(2, 4)) % 97) + 1).padStart(2, '0')}${RF_17.slice(4)}`;
    expect(wrong).not.toBe(RF_17);
    // the candidate carries the mistyped reference, so only the check digits stand between them
    const m = chooseMatch({ referenceText: wrong, currency: 'SEK', amountMinor: 125_000n }, [rfCandidate({ paymentReference: wrong })]);
    expect(m).toBeNull();
  });

  it('prefers an RF reference over an invoice number naming another invoice', () => {
    const other = candidate({ invoiceId: 'inv_18', invoiceNumber: '2026-00018' });
    const m = chooseMatch({ referenceText: `${formatRf(RF_17)} 2026-00018`, currency: 'SEK', amountMinor: 1n }, [other, rfCandidate()]);
    expect(m?.invoiceId).toBe('inv_rf');
  });
});

describe('OCR references at every control level', () => {
  it('matches the references issued for soft, hard and variable-length control (the same, Luhn-valid)', () => {
    for (const level of ['soft', 'hard', 'hard_variable_length'] as const) {
      const ref = makeOcrReferenceFor('202600017', { level });
      expect(ref).toBe(OCR_17);
      const c = candidate({ invoiceId: `inv_${level}`, invoiceNumber: '2026-00017', paymentReference: ref });
      const m = chooseMatch({ referenceText: `OCR ${ref.slice(0, 5)} ${ref.slice(5)}`, currency: 'SEK', amountMinor: 125_000n }, [c]);
      expect(m).toMatchObject({ invoiceId: `inv_${level}`, method: 'ocr_reference' });
    }
  });

  it('does not match a mistyped reference that a soft-control bank would let through', () => {
    const typo = OCR_17.slice(0, -1) + String((Number(OCR_17.slice(-1)) + 1) % 10);
    expect(validateOcr(typo, { level: 'soft' }).valid).toBe(true);
    const c = candidate({ invoiceId: 'inv_17', invoiceNumber: '2026-00017', paymentReference: OCR_17 });
    expect(chooseMatch({ referenceText: typo, currency: 'SEK', amountMinor: 125_000n }, [c])).toBeNull();
  });

  it('matches a fixed-length reference (zero-padded, no length digit)', () => {
    const ref = makeOcrReferenceFor('202600017', { level: 'hard_fixed_length', lengths: [12] });
    expect(ref).toHaveLength(12);
    const c = candidate({ invoiceId: 'inv_fixed', invoiceNumber: '2026-00017', paymentReference: ref });
    expect(chooseMatch({ referenceText: ref, currency: 'SEK', amountMinor: 125_000n }, [c])?.invoiceId).toBe('inv_fixed');
  });
});
