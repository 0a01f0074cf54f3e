import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  OCR_CONTROL_LEVELS,
  isLuhnValid,
  isValidOcrReference,
  luhnCheckDigit,
  makeOcrReference,
  makeOcrReferenceFor,
  ocrBaseFromInvoiceNumber,
  ocrControl,
  validateOcr,
} from './ocr.js';
import type { OcrControl } from './ocr.js';

const digitString = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

describe('luhnCheckDigit', () => {
  it.each([
    ['7992739871', 3], // the textbook example
    ['123456789', 7],
    ['411111111111111', 1], // test card 4111 1111 1111 1111
    ['2026000171', 2], // hand-computed, see makeOcrReference below
    ['0', 0],
    ['1', 8],
    ['5', 9], // 5·2 = 10 → 1 + 0 = 1 → 9
    ['9', 1], // 9·2 = 18 → 1 + 8 = 9 → 1
  ] as const)('%s → %d', (payload, check) => {
    expect(luhnCheckDigit(payload)).toBe(check);
  });

  it('refuses empty or non-digit input', () => {
    expect(() => luhnCheckDigit('')).toThrow();
    expect(() => luhnCheckDigit('12 34')).toThrow();
    expect(() => luhnCheckDigit('12a')).toThrow();
  });
});

describe('isLuhnValid', () => {
  it('accepts valid numbers and rejects a wrong check digit', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('1234567897')).toBe(true);
    expect(isLuhnValid('4111111111111111')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
    expect(isLuhnValid('1234567890')).toBe(false);
  });

  it('rejects too short or non-digit input', () => {
    expect(isLuhnValid('0')).toBe(false);
    expect(isLuhnValid('')).toBe(false);
    expect(isLuhnValid('7992 7398 713')).toBe(false);
    expect(isLuhnValid('-79927398713')).toBe(false);
  });

  it('catches every single-digit error (property)', () => {
    fc.assert(
      fc.property(digitString(1, 24), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, pos, delta) => {
        const ref = payload + String(luhnCheckDigit(payload));
        expect(isLuhnValid(ref)).toBe(true);
        const i = pos % ref.length;
        const changed = ref.slice(0, i) + String((Number(ref[i]) + delta) % 10) + ref.slice(i + 1);
        expect(isLuhnValid(changed)).toBe(false);
      }),
    );
  });

  it('catches swapped neighbours other than 0/9 (property)', () => {
    fc.assert(
      fc.property(digitString(2, 24), fc.nat(), (payload, pos) => {
        const ref = payload + String(luhnCheckDigit(payload));
        const i = pos % (ref.length - 1);
        const a = ref[i] ?? '';
        const b = ref[i + 1] ?? '';
        fc.pre(a !== b && !(a + b === '09' || a + b === '90'));
        const swapped = ref.slice(0, i) + b + a + ref.slice(i + 2);
        expect(isLuhnValid(swapped)).toBe(false);
      }),
    );
  });
});

describe('makeOcrReference', () => {
  it('appends length digit and check digit (hand-computed example)', () => {
    // base 202600017 (9 digits) → total 11 → length digit 1 → payload 2026000171
    // Luhn from the right: 1·2 + 7 + 1·2 + 0 + 0·2 + 0 + 6·2→3 + 2 + 0·2 + 2 = 18 → check 2
    expect(makeOcrReference('202600017')).toBe('20260001712');
  });

  it('uses the total length mod 10 as length digit', () => {
    // 8-digit base → total 10 → length digit 0; Luhn over 123456780 from the right:
    // 0·2 + 8 + 7·2→5 + 6 + 5·2→1 + 4 + 3·2 + 2 + 1·2 = 34 → check 6
    expect(makeOcrReference('12345678')).toBe('1234567806');
    // one-digit base → 3 digits, length digit 3
    expect(makeOcrReference('5').slice(0, 2)).toBe('53');
  });

  it('accepts 1..23 base digits and refuses longer, empty or non-digit bases', () => {
    expect(makeOcrReference('1'.repeat(23))).toHaveLength(25);
    expect(() => makeOcrReference('1'.repeat(24))).toThrow(/2-25/);
    expect(() => makeOcrReference('')).toThrow();
    expect(() => makeOcrReference('2026-00017')).toThrow();
  });

  it('always produces a valid reference with length digit (property)', () => {
    fc.assert(
      fc.property(digitString(1, 23), (base) => {
        const ref = makeOcrReference(base);
        expect(ref.startsWith(base)).toBe(true);
        expect(ref).toHaveLength(base.length + 2);
        expect(isValidOcrReference(ref, { lengthDigit: true })).toBe(true);
      }),
    );
  });
});

describe('isValidOcrReference', () => {
  it('checks the length digit only when asked', () => {
    expect(isValidOcrReference('20260001712', { lengthDigit: true })).toBe(true);
    // Luhn-valid, but the second-last digit 8 ≠ 10 mod 10
    expect(isValidOcrReference('1234567897', { lengthDigit: false })).toBe(true);
    expect(isValidOcrReference('1234567897', { lengthDigit: true })).toBe(false);
  });

  it('rejects a reference with a dropped digit even if the length digit was right before', () => {
    expect(isValidOcrReference('2026001712', { lengthDigit: true })).toBe(false);
  });

  it('enforces 2..25 digits, digits only', () => {
    expect(isValidOcrReference('18', { lengthDigit: false })).toBe(true); // luhnCheckDigit('1') = 8
    expect(isValidOcrReference('0', { lengthDigit: false })).toBe(false);
    const long = '1'.repeat(25);
    const valid26 = long + String(luhnCheckDigit(long));
    expect(isLuhnValid(valid26)).toBe(true);
    expect(isValidOcrReference(valid26, { lengthDigit: false })).toBe(false);
    expect(isValidOcrReference('2026 0001712', { lengthDigit: false })).toBe(false);
    expect(isValidOcrReference('', { lengthDigit: false })).toBe(false);
  });
});

describe('ocrBaseFromInvoiceNumber', () => {
  it('keeps the digits in order', () => {
    expect(ocrBaseFromInvoiceNumber('2026-00017')).toBe('202600017');
    expect(ocrBaseFromInvoiceNumber('INV 2026/0042')).toBe('20260042');
  });

  it('refuses an invoice number without digits', () => {
    expect(() => ocrBaseFromInvoiceNumber('DRAFT')).toThrow(/no digits/);
  });

  it('composes with makeOcrReference', () => {
    expect(makeOcrReference(ocrBaseFromInvoiceNumber('2026-00017'))).toBe('20260001712');
  });
});

describe('OCR control levels', () => {
  const soft: OcrControl = { level: 'soft' };
  const hard: OcrControl = { level: 'hard' };
  const variable: OcrControl = { level: 'hard_variable_length' };
  const fixed10: OcrControl = { level: 'hard_fixed_length', lengths: [10] };
  const fixed10or12: OcrControl = { level: 'hard_fixed_length', lengths: [10, 12] };

  it('validateOcr: soft accepts any 2-25 digits, check digit not verified', () => {
    expect(validateOcr('20260001712', soft)).toEqual({ valid: true });
    expect(validateOcr('20260001713', soft)).toEqual({ valid: true }); // wrong check digit
    expect(validateOcr('12', soft)).toEqual({ valid: true });
    expect(validateOcr('1', soft).valid).toBe(false);
    expect(validateOcr('1'.repeat(26), soft).valid).toBe(false);
    expect(validateOcr('2026 0001712', soft)).toEqual({ valid: false, reason: 'an OCR reference consists of digits 0-9 only' });
    expect(validateOcr('', soft).valid).toBe(false);
  });

  it('validateOcr: hard verifies the Luhn digit only', () => {
    expect(validateOcr('20260001712', hard)).toEqual({ valid: true });
    expect(validateOcr('79927398713', hard)).toEqual({ valid: true });
    expect(validateOcr('1234567897', hard)).toEqual({ valid: true }); // no length digit needed
    expect(validateOcr('20260001713', hard)).toEqual({ valid: false, reason: 'the check digit is wrong' });
    expect(validateOcr('79927398710', hard).valid).toBe(false);
  });

  it('validateOcr: hard_variable_length adds the length digit', () => {
    expect(validateOcr('20260001712', variable)).toEqual({ valid: true });
    expect(validateOcr('1234567806', variable)).toEqual({ valid: true });
    expect(validateOcr('1234567897', variable)).toEqual({
      valid: false,
      reason: 'the length digit is wrong: 10 digits need length digit 0',
    });
    expect(validateOcr('20260001713', variable)).toEqual({ valid: false, reason: 'the check digit is wrong' });
    // a dropped digit: Luhn fails here; the length digit would catch it otherwise
    expect(validateOcr('2026001712', variable).valid).toBe(false);
  });

  it('validateOcr: hard_fixed_length checks length then Luhn', () => {
    expect(validateOcr('1234567897', fixed10)).toEqual({ valid: true });
    expect(validateOcr('0000000174', fixed10)).toEqual({ valid: true });
    expect(validateOcr('20260001712', fixed10)).toEqual({ valid: false, reason: 'the reference must be 10 digits, got 11' });
    expect(validateOcr('1234567890', fixed10)).toEqual({ valid: false, reason: 'the check digit is wrong' });
    expect(validateOcr('002026000170', fixed10or12)).toEqual({ valid: true });
    expect(validateOcr('20260001712', fixed10or12)).toEqual({
      valid: false,
      reason: 'the reference must be 10 or 12 digits, got 11',
    });
  });

  it('validateOcr refuses malformed fixed lengths', () => {
    expect(() => validateOcr('1234567897', { level: 'hard_fixed_length', lengths: [1] })).toThrow(/2-25/);
    expect(() => validateOcr('1234567897', { level: 'hard_fixed_length', lengths: [26] })).toThrow(/2-25/);
    expect(() => validateOcr('1234567897', { level: 'hard_fixed_length', lengths: [10.5] })).toThrow(/2-25/);
  });

  it('makeOcrReferenceFor: soft, hard and variable length issue what makeOcrReference issues', () => {
    for (const control of [soft, hard, variable]) {
      expect(makeOcrReferenceFor('202600017', control)).toBe('20260001712');
      expect(makeOcrReferenceFor('12345678', control)).toBe('1234567806');
    }
    expect(() => makeOcrReferenceFor('1'.repeat(24), hard)).toThrow(/2-25/);
    expect(() => makeOcrReferenceFor('2026-00017', hard)).toThrow(/digits/);
  });

  it('makeOcrReferenceFor: fixed length pads with leading zeros and appends the Luhn digit', () => {
    // payload 000000017: 7·2→5 + 1 = 6 → check 4
    expect(makeOcrReferenceFor('17', fixed10)).toBe('0000000174');
    // payload 202600017: 7·2→5 + 1 + 0 + 0 + 0 + 6 + 2·2 + 0 + 2·2 = 20 → check 0
    expect(makeOcrReferenceFor('202600017', fixed10)).toBe('2026000170');
    // the shortest allowed length that fits
    expect(makeOcrReferenceFor('202600017', { level: 'hard_fixed_length', lengths: [15, 10] })).toBe('2026000170');
    // payload 020260001: 1·2 + 0 + 0 + 0 + 6·2→3 + 2 + 0 + 2 + 0 = 9 → check 1
    expect(makeOcrReferenceFor('20260001', { level: 'hard_fixed_length', lengths: [12, 10] })).toBe('0202600011');
    expect(makeOcrReferenceFor('2026000171', fixed10or12)).toBe('020260001712');
    expect(makeOcrReferenceFor('123456789', fixed10)).toBe('1234567897');
    expect(() => makeOcrReferenceFor('1234567890', fixed10)).toThrow(/does not fit/);
    expect(() => makeOcrReferenceFor('', fixed10)).toThrow(/digits/);
  });

  it('ocrControl builds and checks a control from settings', () => {
    expect(ocrControl('soft')).toEqual({ level: 'soft' });
    expect(ocrControl('hard', [])).toEqual({ level: 'hard' });
    expect(ocrControl('hard_fixed_length', [10])).toEqual({ level: 'hard_fixed_length', lengths: [10] });
    expect(ocrControl('hard_fixed_length', [10, 12])).toEqual({ level: 'hard_fixed_length', lengths: [10, 12] });
    expect(() => ocrControl('hard_fixed_length')).toThrow(/one or two/);
    expect(() => ocrControl('hard_fixed_length', [10, 12, 14])).toThrow(/one or two/);
    expect(() => ocrControl('hard', [10])).toThrow(/no lengths/);
    expect(() => ocrControl('strict')).toThrow(/soft, hard, hard_variable_length, hard_fixed_length/);
    expect(OCR_CONTROL_LEVELS).toEqual(['soft', 'hard', 'hard_variable_length', 'hard_fixed_length']);
  });

  const controlArb: fc.Arbitrary<OcrControl> = fc.oneof(
    fc.constant<OcrControl>(soft),
    fc.constant<OcrControl>(hard),
    fc.constant<OcrControl>(variable),
    fc.integer({ min: 2, max: 25 }).map((n): OcrControl => ({ level: 'hard_fixed_length', lengths: [n] })),
    fc
      .tuple(fc.integer({ min: 2, max: 25 }), fc.integer({ min: 2, max: 25 }))
      .map(([a, b]): OcrControl => ({ level: 'hard_fixed_length', lengths: [a, b] })),
  );
  const maxBase = (c: OcrControl): number => (c.level === 'hard_fixed_length' ? Math.max(...c.lengths) - 1 : 23);

  it('every made reference passes its own level, and a changed digit fails every hard level (property)', () => {
    fc.assert(
      fc.property(controlArb, digitString(1, 24), fc.nat(), fc.integer({ min: 1, max: 9 }), (control, rawBase, pos, delta) => {
        const base = rawBase.slice(0, maxBase(control));
        fc.pre(base.length > 0);
        const ref = makeOcrReferenceFor(base, control);
        expect(validateOcr(ref, control)).toEqual({ valid: true });
        expect(BigInt(ref.slice(0, -1 - (control.level === 'hard_fixed_length' ? 0 : 1)))).toBe(BigInt(base));
        const i = pos % ref.length;
        const changed = ref.slice(0, i) + String((Number(ref[i]) + delta) % 10) + ref.slice(i + 1);
        expect(validateOcr(changed, soft).valid).toBe(true);
        if (control.level !== 'soft') expect(validateOcr(changed, control).valid).toBe(false);
        for (const level of [hard, variable]) expect(validateOcr(changed, level).valid).toBe(false);
      }),
    );
  });

  it('fixed-length references have exactly an allowed length (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 25 }), digitString(1, 24), (n, rawBase) => {
        const base = rawBase.slice(0, n - 1);
        const ref = makeOcrReferenceFor(base, { level: 'hard_fixed_length', lengths: [n] });
        expect(ref).toHaveLength(n);
        expect(isLuhnValid(ref)).toBe(true);
      }),
    );
  });
});
