/**
 * Swedish OCR payment references ("OCR-nummer", Bankgirot).
 *
 * An OCR reference is 2-25 digits whose last digit is a Luhn (mod 10) check digit. Payees may also
 * require a length digit just before the check digit: the total length of the reference (length digit
 * and check digit included) mod 10. With it a payer who drops or adds a digit is caught even when the
 * Luhn sum happens to survive. We issue references with a length digit, except for a payee whose bank
 * agreement fixes the reference length (see OcrControl and makeOcrReferenceFor below).
 */

import { assertUnreachable } from '../shared/errors.js';

const DIGITS = /^\d+$/;
export const OCR_MIN_LENGTH = 2;
export const OCR_MAX_LENGTH = 25;

/**
 * The Luhn check digit for `digits` (the payload without a check digit): from the rightmost payload
 * digit leftwards, multiply by 2, 1, 2, 1, …; sum the digits of the products; the check digit brings
 * the sum up to a multiple of 10. luhnCheckDigit('7992739871') = 3.
 */
export function luhnCheckDigit(digits: string): number {
  if (!DIGITS.test(digits)) throw new Error(`luhnCheckDigit needs one or more digits 0-9, got '${digits}'`);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    const product = i % 2 === 0 ? digit * 2 : digit;
    sum += product > 9 ? product - 9 : product; // digit sum of a product ≤ 18
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `ref` is at least two digits and its last digit is the Luhn check digit of the rest. */
export function isLuhnValid(ref: string): boolean {
  if (ref.length < 2 || !DIGITS.test(ref)) return false;
  return luhnCheckDigit(ref.slice(0, -1)) === ref.charCodeAt(ref.length - 1) - 48;
}

/**
 * An OCR reference with length digit and check digit: base + (total length mod 10) + Luhn digit over
 * base and length digit. makeOcrReference('202600017') = '20260001712' (11 digits → length digit 1,
 * Luhn over '2026000171' → 2). The base must be 1-23 digits, so the reference is 3-25 digits.
 */
export function makeOcrReference(base: string): string {
  if (!DIGITS.test(base)) throw new Error(`an OCR reference base must be digits 0-9, got '${base}'`);
  const total = base.length + 2;
  if (total < OCR_MIN_LENGTH || total > OCR_MAX_LENGTH) {
    throw new Error(`an OCR reference is ${OCR_MIN_LENGTH}-${OCR_MAX_LENGTH} digits; base '${base}' would make ${total}`);
  }
  const payload = base + String(total % 10);
  return payload + String(luhnCheckDigit(payload));
}

/**
 * Whether `ref` is acceptable as an OCR reference: digits only, 2-25 long, Luhn valid, and with
 * `lengthDigit` the second-last digit equals the total length mod 10.
 */
export function isValidOcrReference(ref: string, opts: { lengthDigit: boolean }): boolean {
  if (ref.length < OCR_MIN_LENGTH || ref.length > OCR_MAX_LENGTH) return false;
  if (!isLuhnValid(ref)) return false;
  if (opts.lengthDigit && ref.charCodeAt(ref.length - 2) - 48 !== ref.length % 10) return false;
  return true;
}

/** The digits of an invoice number, in order, as an OCR base: '2026-00017' → '202600017'. */
export function ocrBaseFromInvoiceNumber(invoiceNumber: string): string {
  const digits = invoiceNumber.replace(/[^0-9]/g, '');
  if (digits.length === 0) throw new Error(`invoice number '${invoiceNumber}' has no digits to build an OCR reference from`);
  return digits;
}

/**
 * Bankgirot's OCR control levels, chosen per payee (tenant) in the bankgiro agreement:
 * - 'soft': the bank accepts any digit string as reference and verifies nothing;
 * - 'hard': the Luhn check digit is verified;
 * - 'hard_variable_length': Luhn check digit and length digit (second-last digit = total length mod 10);
 * - 'hard_fixed_length': Luhn check digit and one or two fixed total lengths agreed with the bank.
 * A payment whose reference fails a hard control is refused by the payer's bank, so an invoice must
 * never carry a reference that fails its tenant's level.
 */
export const OCR_CONTROL_LEVELS = ['soft', 'hard', 'hard_variable_length', 'hard_fixed_length'] as const;
export type OcrControlLevel = (typeof OCR_CONTROL_LEVELS)[number];

export type OcrControl =
  | { readonly level: 'soft' }
  | { readonly level: 'hard' }
  | { readonly level: 'hard_variable_length' }
  | {
      readonly level: 'hard_fixed_length';
      /** the allowed total lengths (check digit included), one or two values, each 2-25 */
      readonly lengths: readonly [number] | readonly [number, number];
    };

export interface OcrValidation {
  readonly valid: boolean;
  /** why not, in English; absent when valid */
  readonly reason?: string;
}

function assertFixedLengths(lengths: readonly number[]): void {
  if (lengths.length < 1 || lengths.length > 2) {
    throw new Error(`hard_fixed_length takes one or two lengths, got ${lengths.length}`);
  }
  for (const n of lengths) {
    if (!Number.isInteger(n) || n < OCR_MIN_LENGTH || n > OCR_MAX_LENGTH) {
      throw new Error(`a fixed OCR length must be an integer ${OCR_MIN_LENGTH}-${OCR_MAX_LENGTH}, got ${n}`);
    }
  }
}

/**
 * Whether `ref` passes the payee's control level. Every level requires what Bankgirot's OCR field
 * holds: 2-25 digits 0-9, nothing else (no spaces; strip them before calling). 'soft' requires no more
 * than that; the hard levels add the checks listed at OCR_CONTROL_LEVELS, in this order: length
 * (fixed), Luhn check digit, length digit (variable) — the reason names the first check that fails.
 */
export function validateOcr(ref: string, control: OcrControl): OcrValidation {
  if (!DIGITS.test(ref)) return { valid: false, reason: 'an OCR reference consists of digits 0-9 only' };
  if (ref.length < OCR_MIN_LENGTH || ref.length > OCR_MAX_LENGTH) {
    return { valid: false, reason: `an OCR reference is ${OCR_MIN_LENGTH}-${OCR_MAX_LENGTH} digits, got ${ref.length}` };
  }
  switch (control.level) {
    case 'soft':
      return { valid: true };
    case 'hard':
      return isLuhnValid(ref) ? { valid: true } : { valid: false, reason: 'the check digit is wrong' };
    case 'hard_variable_length':
      if (!isLuhnValid(ref)) return { valid: false, reason: 'the check digit is wrong' };
      if (ref.charCodeAt(ref.length - 2) - 48 !== ref.length % 10) {
        return { valid: false, reason: `the length digit is wrong: ${ref.length} digits need length digit ${ref.length % 10}` };
      }
      return { valid: true };
    case 'hard_fixed_length': {
      assertFixedLengths(control.lengths);
      if (!control.lengths.includes(ref.length)) {
        return { valid: false, reason: `the reference must be ${control.lengths.join(' or ')} digits, got ${ref.length}` };
      }
      return isLuhnValid(ref) ? { valid: true } : { valid: false, reason: 'the check digit is wrong' };
    }
    default:
      return assertUnreachable(control);
  }
}

/**
 * An OCR reference for `base` that passes the payee's control level.
 * - 'soft', 'hard', 'hard_variable_length': makeOcrReference(base), i.e. length digit and Luhn check
 *   digit (base 1-23 digits). The same reference for all three, so a tenant can move between these
 *   levels without reissuing anything, and the Luhn digit keeps payment matching reliable
 *   (extractReferenceTokens only picks Luhn-valid digit strings) even when the bank checks nothing.
 * - 'hard_fixed_length': the base padded with leading zeros to (length − 1) digits, then the Luhn
 *   check digit, no length digit; the shortest allowed length that fits the base is used.
 *   makeOcrReferenceFor('17', { level: 'hard_fixed_length', lengths: [10] }) = '0000000174'.
 *   Throws if the base is longer than the longest allowed length − 1.
 */
export function makeOcrReferenceFor(base: string, control: OcrControl): string {
  if (!DIGITS.test(base)) throw new Error(`an OCR reference base must be digits 0-9, got '${base}'`);
  switch (control.level) {
    case 'soft':
    case 'hard':
    case 'hard_variable_length':
      return makeOcrReference(base);
    case 'hard_fixed_length': {
      assertFixedLengths(control.lengths);
      const length = [...control.lengths].sort((a, b) => a - b).find((n) => base.length + 1 <= n);
      if (length === undefined) {
        throw new Error(
          `base '${base}' (${base.length} digits) does not fit a fixed OCR length of ${control.lengths.join(' or ')} digits`,
        );
      }
      const payload = base.padStart(length - 1, '0');
      return payload + String(luhnCheckDigit(payload));
    }
    default:
      return assertUnreachable(control);
  }
}

/**
 * An OcrControl from stored or submitted settings: a level from OCR_CONTROL_LEVELS and, for
 * 'hard_fixed_length' only, one or two lengths 2-25. Throws Error on anything else.
 */
export function ocrControl(level: string, lengths?: readonly number[]): OcrControl {
  switch (level) {
    case 'soft':
    case 'hard':
    case 'hard_variable_length':
      if (lengths !== undefined && lengths.length > 0) throw new Error(`OCR control level '${level}' takes no lengths`);
      return { level };
    case 'hard_fixed_length': {
      const ls = lengths ?? [];
      assertFixedLengths(ls);
      const [a, b] = ls as [number, number | undefined];
      return { level, lengths: b === undefined ? [a] : [a, b] };
    }
    default:
      throw new Error(`OCR control level must be one of ${OCR_CONTROL_LEVELS.join(', ')}, got '${level}'`);
  }
}
