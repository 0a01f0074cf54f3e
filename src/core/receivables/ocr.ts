/**
 * Swedish OCR payment references ("OCR-nummer", Bankgirot).
 *
 * An OCR reference is 2-25 digits whose last digit is a Luhn (mod 10) check digit. Payees may also
 * require a length digit just before the check digit: the total length of the reference (length digit
 * and check digit included) mod 10. With it a payer who drops or adds a digit is caught even when the
 * Luhn sum happens to survive. We always issue references with a length digit.
 */

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
