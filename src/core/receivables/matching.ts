/**
 * Matching an incoming payment to one open invoice, from the free text the payer typed.
 *
 * Pure and bounded: the caller loads the open candidates (normally one customer's, or those whose
 * reference or number appears in the text), this module decides. A payment reference (an OCR number
 * or an RF creditor reference) carries check digits and is unique per invoice, so it beats an invoice
 * number typed by hand.
 */
import { OCR_MAX_LENGTH, OCR_MIN_LENGTH, isLuhnValid } from './ocr.js';
import { RF_MAX_LENGTH, isRfValid } from './rf.js';

export interface ReferenceTokens {
  /**
   * Payment reference candidates, as stored on invoices, in order of appearance, without duplicates:
   * Luhn-valid digit strings of 2-25 digits (OCR), then valid RF creditor references in their
   * electronic form (upper case, no spaces). An RF reference with wrong check digits is never listed.
   */
  ocrCandidates: string[];
  /** Tokens shaped like an invoice number `YYYY-N…` (4 digits, hyphen, 1-10 digits), in order, without duplicates. */
  invoiceNumberCandidates: string[];
}

/** Digit groups separated only by spaces or tabs (also no-break space) form one run: "20260 00171 2". */
const DIGIT_RUN = /\d+(?:[ \t\u00a0]+\d+)*/g;
const GROUP_SEPARATOR = /[ \t\u00a0]+/;
/**
 * 4 digits, hyphen, 1-10 digits; not glued to further digits on either side, so neither '12026-00017'
 * nor a date such as '2026-01-15' yields an invoice number.
 */
const INVOICE_NUMBER = /(?<!\d-?)\d{4}-\d{1,10}(?!-?\d)/g;
/**
 * 'RF' (any case) at the start of a word, then groups of letters and digits separated by spaces or
 * tabs: "RF18 5390 0754 7034", "rf18539007547034", "RF 18 5390 0754 7034 tack".
 */
const RF_RUN = /(?<![0-9A-Za-z])[Rr][Ff][0-9A-Za-z]*(?:[ \t\u00a0]+[0-9A-Za-z]+)*/g;

/**
 * Valid RF references in `text`, electronic form. Within a run every stretch of groups from its start
 * is tried joined (the payer's words may follow the reference), longest first, up to 25 characters.
 */
function rfReferences(text: string): string[] {
  const found: string[] = [];
  for (const run of text.matchAll(RF_RUN)) {
    const groups = run[0].split(GROUP_SEPARATOR).filter((g) => g !== '');
    const stretches: string[] = [];
    let joined = '';
    for (const g of groups) {
      joined += g.toUpperCase();
      if (joined.length > RF_MAX_LENGTH) break;
      stretches.push(joined);
    }
    for (let k = stretches.length - 1; k >= 0; k--) {
      const s = stretches[k] ?? '';
      if (isRfValid(s)) found.push(s);
    }
  }
  return found;
}

/**
 * Finds what may be payment references in free text such as "OCR 2026000171 2" or
 * "inv 2026-00017, 2026-00018".
 *
 * Payers and banks split long references into groups ("20260 00171 2"), so within a run of digit
 * groups every contiguous stretch of groups is tried joined ('20260001712') as well as each group on
 * its own; those that pass the Luhn check with 2-25 digits are kept. Order: by where the stretch
 * starts, longer stretches first.
 */
export function extractReferenceTokens(text: string): ReferenceTokens {
  const ocr = new Set<string>();
  for (const run of text.matchAll(DIGIT_RUN)) {
    const groups = run[0].split(GROUP_SEPARATOR);
    for (let start = 0; start < groups.length; start++) {
      // Joined stretches starting here, shortest first, until they exceed the longest OCR reference;
      // at most OCR_MAX_LENGTH stretches, as every group has at least one digit.
      const stretches: string[] = [];
      let joined = '';
      for (let end = start; end < groups.length; end++) {
        joined += groups[end] ?? '';
        if (joined.length > OCR_MAX_LENGTH) break;
        stretches.push(joined);
      }
      for (let k = stretches.length - 1; k >= 0; k--) {
        const s = stretches[k] ?? '';
        if (s.length >= OCR_MIN_LENGTH && isLuhnValid(s)) ocr.add(s);
      }
    }
  }
  for (const rf of rfReferences(text)) ocr.add(rf);
  const invoiceNumbers = new Set<string>();
  for (const m of text.matchAll(INVOICE_NUMBER)) invoiceNumbers.add(m[0]);
  return { ocrCandidates: [...ocr], invoiceNumberCandidates: [...invoiceNumbers] };
}

export interface MatchCandidate {
  invoiceId: string;
  customerId: string;
  invoiceNumber: string;
  /** The invoice's payment reference as issued: OCR digits or an RF reference in electronic form. */
  paymentReference: string;
  currency: string;
  /** What is still open on the invoice, in minor units. */
  openMinor: bigint;
}

export interface MatchResult {
  invoiceId: string;
  customerId: string;
  method: 'ocr_reference' | 'invoice_number';
  /** Why this invoice, in English, for the person reviewing the match. */
  reason: string;
}

export interface IncomingPayment {
  referenceText: string | null;
  currency: string;
  amountMinor: bigint;
}

const byAgeThenId = (a: MatchCandidate, b: MatchCandidate): number =>
  a.invoiceNumber < b.invoiceNumber ? -1 : a.invoiceNumber > b.invoiceNumber ? 1 : a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0;

function pick(
  matched: readonly MatchCandidate[],
  amountMinor: bigint,
  method: MatchResult['method'],
  what: (c: MatchCandidate) => string,
): MatchResult | null {
  if (matched.length === 0) return null;
  const exact = matched.filter((c) => c.openMinor === amountMinor);
  const pool = exact.length > 0 ? exact : matched;
  const chosen = [...pool].sort(byAgeThenId)[0];
  if (chosen === undefined) return null;
  let reason = `${what(chosen)} found in the payment reference`;
  if (matched.length === 1) {
    if (exact.length === 1) reason += '; the open amount equals the payment amount';
  } else if (exact.length > 0) {
    reason +=
      `; ${matched.length} open invoices matched, chose the one whose open amount equals the payment amount` +
      (exact.length > 1 ? ' with the oldest invoice number' : '');
  } else {
    reason += `; ${matched.length} open invoices matched, none with an open amount equal to the payment amount, chose the oldest invoice number`;
  }
  return { invoiceId: chosen.invoiceId, customerId: chosen.customerId, method, reason };
}

/**
 * The open invoice a payment is for, or null when the reference text names none.
 *
 * Only candidates in the payment's currency with something open (openMinor > 0) are considered. An
 * OCR reference found in the text wins over an invoice number; among several candidates matched the
 * same way, the one whose open amount equals the payment amount wins, then the oldest invoice number
 * (lexically smallest; our numbers are fixed-width `YYYY-NNNNN`), then the smallest invoice id.
 */
export function chooseMatch(payment: IncomingPayment, candidates: readonly MatchCandidate[]): MatchResult | null {
  if (payment.referenceText === null || payment.referenceText.trim() === '') return null;
  const tokens = extractReferenceTokens(payment.referenceText);
  const eligible = candidates.filter((c) => c.currency === payment.currency && c.openMinor > 0n);

  const ocr = new Set(tokens.ocrCandidates);
  const byOcr = eligible.filter((c) => {
    const ref = c.paymentReference.replace(/\s+/g, '').toUpperCase();
    return ref !== '' && ocr.has(ref);
  });
  // method 'ocr_reference' stands for "by payment reference", RF included
  const ocrMatch = pick(byOcr, payment.amountMinor, 'ocr_reference', (c) =>
    /^RF/i.test(c.paymentReference) ? `RF reference ${c.paymentReference}` : `OCR reference ${c.paymentReference}`,
  );
  if (ocrMatch) return ocrMatch;

  const numbers = new Set(tokens.invoiceNumberCandidates);
  const byNumber = eligible.filter((c) => numbers.has(c.invoiceNumber));
  return pick(byNumber, payment.amountMinor, 'invoice_number', (c) => `Invoice number ${c.invoiceNumber}`);
}
