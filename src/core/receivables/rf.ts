/**
 * RF creditor references (ISO 11649, "structured creditor reference"), the international payment
 * reference used with SEPA credit transfers and accepted by Swedish banks next to OCR references.
 *
 * A reference is 'RF', two check digits and a base of 1-21 characters A-Z / 0-9 (at most 25 in all).
 * The check digits are ISO 7064 MOD 97-10, computed as for an IBAN: move 'RF' + check digits to the
 * end, replace each letter by its number (A = 10 … Z = 35), read the result as one integer n; a valid
 * reference has n mod 97 = 1, and the check digits for a base are 98 − (n mod 97) computed with '00'
 * in their place. Check digits are therefore always 02-98.
 *
 * Input is read leniently, as people type it: spaces are ignored and letters may be lower case.
 * Output is always the electronic form (upper case, no spaces); formatRf gives the printed form.
 */

export const RF_PREFIX = 'RF';
export const RF_BASE_MAX_LENGTH = 21;
export const RF_MAX_LENGTH = 25;

const ALNUM = /^[0-9A-Z]+$/;
const ELECTRONIC = /^RF[0-9]{2}[0-9A-Z]{1,21}$/;

/** Upper case without spaces (any whitespace, including no-break space). */
function normalize(ref: string): string {
  return ref.replace(/\s+/g, '').toUpperCase();
}

/**
 * n mod 97 of the number formed by replacing every letter of `s` (0-9, A-Z) by 10-35, digit by digit,
 * so no big integers are needed: the running remainder stays below 97·100.
 */
function mod97(s: string): number {
  let r = 0;
  for (const ch of s) {
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) {
      r = (r * 10 + (code - 48)) % 97;
    } else {
      const value = code - 55; // 'A' (65) → 10 … 'Z' (90) → 35
      r = (r * 100 + value) % 97;
    }
  }
  return r;
}

/** The two check digits for `base` (normalized, 1-21 of A-Z / 0-9), as a two-character string. */
function rfCheckDigits(base: string): string {
  const check = 98 - mod97(base + RF_PREFIX + '00');
  return String(check).padStart(2, '0');
}

/**
 * 'RF' + check digits + base. The base is 1-21 letters or digits; spaces are dropped and letters
 * upper-cased first. makeRfReference('539007547034') = 'RF18539007547034'. Throws on anything else.
 */
export function makeRfReference(base: string): string {
  const b = normalize(base);
  if (b.length === 0 || b.length > RF_BASE_MAX_LENGTH || !ALNUM.test(b)) {
    throw new Error(`an RF reference base is 1-${RF_BASE_MAX_LENGTH} letters A-Z or digits 0-9, got '${base}'`);
  }
  return RF_PREFIX + rfCheckDigits(b) + b;
}

/**
 * Whether `ref` is a valid RF creditor reference: after dropping spaces and upper-casing, 'RF', two
 * check digits in 02-98, 1-21 letters or digits, and mod 97 of the rearranged number equal to 1.
 */
export function isRfValid(ref: string): boolean {
  const r = normalize(ref);
  if (!ELECTRONIC.test(r)) return false;
  const check = Number(r.slice(2, 4));
  if (check < 2 || check > 98) return false;
  return mod97(r.slice(4) + r.slice(0, 4)) === 1;
}

/**
 * The printed form: groups of four from the left, the last group possibly shorter:
 * formatRf('rf18539007547034') = 'RF18 5390 0754 7034'. Throws if `ref` is not a valid RF reference,
 * so an invalid reference is never printed on an invoice.
 */
export function formatRf(ref: string): string {
  if (!isRfValid(ref)) throw new Error(`not a valid RF creditor reference: '${ref}'`);
  const r = normalize(ref);
  const groups: string[] = [];
  for (let i = 0; i < r.length; i += 4) groups.push(r.slice(i, i + 4));
  return groups.join(' ');
}

/** The electronic form of a valid reference (upper case, no spaces); throws if invalid. */
export function normalizeRf(ref: string): string {
  if (!isRfValid(ref)) throw new Error(`not a valid RF creditor reference: '${ref}'`);
  return normalize(ref);
}
