import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatRf, isRfValid, makeRfReference, normalizeRf } from './rf.js';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const base = (minLength: number, maxLength: number) => fc.string({ unit: fc.constantFrom(...ALNUM), minLength, maxLength });

describe('makeRfReference', () => {
  it('the widely published example: base 539007547034 → RF18539007547034', () => {
    // 539007547034 + 'RF00' → 539007547034 27 15 00; 5390075470342715 00 mod 97 = 80 → 98 − 80 = 18
    expect(makeRfReference('539007547034')).toBe('RF18539007547034');
  });

  it('letters in the base (ISO 11649 example RF45G72UUR)', () => {
    expect(makeRfReference('G72UUR')).toBe('RF45G72UUR');
    expect(makeRfReference('g72 uur')).toBe('RF45G72UUR');
  });

  it('hand-verified short and maximal bases', () => {
    // '1' + 'RF00' → 1271500 mod 97 = 24 → 74
    expect(makeRfReference('1')).toBe('RF741');
    expect(makeRfReference('A')).toBe('RF25A');
    expect(makeRfReference('ABCDEFGHIJKLMNOPQRSTU')).toBe('RF95ABCDEFGHIJKLMNOPQRSTU');
    expect(makeRfReference('ABCDEFGHIJKLMNOPQRSTU')).toHaveLength(25);
  });

  it('refuses an empty, too long or non-alphanumeric base', () => {
    expect(() => makeRfReference('')).toThrow(/1-21/);
    expect(() => makeRfReference('   ')).toThrow(/1-21/);
    expect(() => makeRfReference('A'.repeat(22))).toThrow(/1-21/);
    expect(() => makeRfReference('2026-00017')).toThrow(/1-21/);
    expect(() => makeRfReference('ÅÄÖ')).toThrow(/1-21/);
  });

  it('check digits are always 02-98 and the result validates (property)', () => {
    fc.assert(
      fc.property(base(1, 21), (b) => {
        const ref = makeRfReference(b);
        expect(ref.slice(4)).toBe(b);
        const check = Number(ref.slice(2, 4));
        expect(check).toBeGreaterThanOrEqual(2);
        expect(check).toBeLessThanOrEqual(98);
        expect(isRfValid(ref)).toBe(true);
      }),
    );
  });
});

describe('isRfValid', () => {
  it('accepts the published examples, in electronic and printed form, any case', () => {
    expect(isRfValid('RF18539007547034')).toBe(true);
    expect(isRfValid('RF18 5390 0754 7034')).toBe(true);
    expect(isRfValid('rf18 5390 0754 7034')).toBe(true);
    expect(isRfValid('RF45G72UUR')).toBe(true);
    // leading zeros in the base do not change the number, so the same check digits hold
    expect(isRfValid('RF18 0000 0000 0539 0075 4703 4')).toBe(true);
  });

  it('rejects one changed digit, swapped digits, wrong check digits', () => {
    expect(isRfValid('RF18539007547035')).toBe(false); // last digit changed
    expect(isRfValid('RF18539007547043')).toBe(false); // last two digits swapped
    expect(isRfValid('RF81539007547034')).toBe(false); // check digits swapped
    expect(isRfValid('RF19539007547034')).toBe(false);
    expect(isRfValid('RF1853900754703')).toBe(false); // digit dropped
    // the documented blind spot of mod 97 over letters: '1B' ↔ 'B1' (both 1 11 vs 11 1)
    const withB = makeRfReference('1B');
    expect(isRfValid(withB.slice(0, 4) + 'B1')).toBe(true);
    // computed: 'RF71 4300 0000 0000 0000 0000 0' has remainder 17, not 1 (the correct check digits are 55)
    expect(isRfValid('RF71 4300 0000 0000 0000 0000 0')).toBe(false);
    expect(isRfValid('RF55 4300 0000 0000 0000 0000 0')).toBe(true);
  });

  it('rejects malformed input', () => {
    for (const bad of ['', 'RF', 'RF18', 'RF1', 'XX18539007547034', 'RF1A539007547034', 'RF18-5390-0754-7034', '18539007547034']) {
      expect(isRfValid(bad)).toBe(false);
    }
    expect(isRfValid('RF95ABCDEFGHIJKLMNOPQRSTU')).toBe(true);
    expect(isRfValid('RF95ABCDEFGHIJKLMNOPQRSTUV')).toBe(false); // 26 characters
  });

  it('rejects check digits 00, 01 and 99 even when the remainder is 1', () => {
    // 99 ≡ 2 (mod 97): RF02… valid ⇒ RF99… has the same remainder but is not a legal check value.
    const ref = makeRfReference('2');
    const check = ref.slice(2, 4);
    if (check === '02') expect(isRfValid('RF99' + ref.slice(4))).toBe(false);
    fc.assert(
      fc.property(base(1, 21), (b) => {
        for (const c of ['00', '01', '99']) expect(isRfValid(`RF${c}${b}`)).toBe(false);
      }),
    );
  });

  it('catches every single changed character (property)', () => {
    fc.assert(
      fc.property(base(1, 21), fc.nat(), fc.integer({ min: 1, max: 35 }), (b, pos, delta) => {
        const ref = makeRfReference(b);
        const i = 2 + (pos % (ref.length - 2)); // any check digit or base character
        const ch = ref[i] ?? '0';
        // Substitution within the character's class (digit for digit, letter for letter) is always caught:
        // it changes the number by k·10^j with 0 < |k| < 97. A digit replaced by a letter lengthens the
        // number and is caught only with probability 96/97, so it is not part of the property.
        const alphabet = /[0-9]/.test(ch) ? '0123456789' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
        const replacement = alphabet[(alphabet.indexOf(ch) + (delta % alphabet.length || 1)) % alphabet.length] ?? '0';
        fc.pre(replacement !== ch);
        const changed = ref.slice(0, i) + replacement + ref.slice(i + 1);
        expect(isRfValid(changed)).toBe(false);
      }),
    );
  });

  it('catches swapped neighbours of the same kind in the base (property)', () => {
    // Two digits or two letters swapped change the number by a multiple of 9 resp. 99 (≢ 0 mod 97).
    // A digit swapped with a letter can go unnoticed: '1B' and 'B1' both read 111.
    fc.assert(
      fc.property(base(2, 21), fc.nat(), (b, pos) => {
        const ref = makeRfReference(b);
        const i = 4 + (pos % (b.length - 1));
        const x = ref[i] ?? '';
        const y = ref[i + 1] ?? '';
        fc.pre(x !== y && /[0-9]/.test(x) === /[0-9]/.test(y));
        expect(isRfValid(ref.slice(0, i) + y + x + ref.slice(i + 2))).toBe(false);
      }),
    );
  });
});

describe('formatRf / normalizeRf', () => {
  it('groups of four, last group shorter', () => {
    expect(formatRf('RF18539007547034')).toBe('RF18 5390 0754 7034');
    expect(formatRf('rf 18539007547034')).toBe('RF18 5390 0754 7034');
    expect(formatRf('RF45G72UUR')).toBe('RF45 G72U UR');
    expect(formatRf('RF741')).toBe('RF74 1');
    expect(formatRf('RF95ABCDEFGHIJKLMNOPQRSTU')).toBe('RF95 ABCD EFGH IJKL MNOP QRST U');
  });

  it('normalizeRf gives the electronic form', () => {
    expect(normalizeRf('rf18 5390 0754 7034')).toBe('RF18539007547034');
  });

  it('refuses to format or normalize an invalid reference', () => {
    expect(() => formatRf('RF18539007547035')).toThrow(/not a valid RF/);
    expect(() => normalizeRf('RF18539007547035')).toThrow(/not a valid RF/);
  });

  it('formatting round-trips (property)', () => {
    fc.assert(
      fc.property(base(1, 21), (b) => {
        const ref = makeRfReference(b);
        const printed = formatRf(ref);
        expect(printed.replace(/ /g, '')).toBe(ref);
        expect(printed.split(' ').every((g) => g.length >= 1 && g.length <= 4)).toBe(true);
        expect(isRfValid(printed)).toBe(true);
      }),
    );
  });
});
