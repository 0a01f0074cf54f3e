import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  isLuhnValid,
  isValidOcrReference,
  luhnCheckDigit,
  makeOcrReference,
  ocrBaseFromInvoiceNumber,
} from './ocr.js';

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
