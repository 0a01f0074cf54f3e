/**
 * Journal entries as values: a list of postings that balances per currency.
 *
 * Each posting keeps two non-negative amounts (debit, credit) with exactly one of them positive, instead
 * of one signed amount: the side is explicit, and a sign error cannot silently turn a debit into a credit.
 * Posted entries are never edited; a correction is a new entry, e.g. `reversePostings` of the original.
 */

export interface Posting {
  /** Account number in the chart, 4 digits (BAS: '1510'). */
  account: string;
  /** ISO 4217 code; an entry balances separately in every currency it touches. */
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  /** Subledger dimension for customer accounts (1510, 2420); null elsewhere. */
  customerId: string | null;
}

export interface PostingProblem {
  /** Index of the offending posting, or -1 when the entry as a whole is at fault (too few postings, unbalanced). */
  index: number;
  reason: string;
}

const ACCOUNT = /^\d{4}$/;
const CURRENCY = /^[A-Z]{3}$/;

/**
 * The first problem with an entry's postings, or null when it may be posted: at least two postings; each
 * with a 4-digit account, an ISO currency code, amounts ≥ 0 and exactly one side > 0; and per currency
 * Σ debit = Σ credit.
 */
export function validatePostings(postings: readonly Posting[]): PostingProblem | null {
  if (postings.length < 2) {
    return { index: -1, reason: `a journal entry needs at least two postings, got ${postings.length}` };
  }
  const sums = new Map<string, { debit: bigint; credit: bigint }>();
  for (const [index, p] of postings.entries()) {
    if (typeof p.account !== 'string' || !ACCOUNT.test(p.account)) {
      return { index, reason: `account must be 4 digits, got '${String(p.account)}'` };
    }
    if (typeof p.currency !== 'string' || !CURRENCY.test(p.currency)) {
      return { index, reason: `currency must be a 3-letter ISO 4217 code, got '${String(p.currency)}'` };
    }
    if (typeof p.debitMinor !== 'bigint' || typeof p.creditMinor !== 'bigint') {
      return { index, reason: 'debitMinor and creditMinor must be bigint minor units' };
    }
    if (p.debitMinor < 0n || p.creditMinor < 0n) {
      return { index, reason: `amounts must not be negative (debit ${p.debitMinor}, credit ${p.creditMinor})` };
    }
    if ((p.debitMinor > 0n) === (p.creditMinor > 0n)) {
      return {
        index,
        reason: `exactly one of debit and credit must be positive (debit ${p.debitMinor}, credit ${p.creditMinor})`,
      };
    }
    const s = sums.get(p.currency) ?? { debit: 0n, credit: 0n };
    s.debit += p.debitMinor;
    s.credit += p.creditMinor;
    sums.set(p.currency, s);
  }
  for (const [currency, s] of sums) {
    if (s.debit !== s.credit) {
      return {
        index: -1,
        reason: `postings in ${currency} do not balance: debits ${s.debit} ≠ credits ${s.credit}`,
      };
    }
  }
  return null;
}

/** Throws Error with the reason (and index) from `validatePostings` unless the postings may be posted. */
export function assertBalanced(postings: readonly Posting[]): void {
  const problem = validatePostings(postings);
  if (problem) {
    throw new Error(problem.index >= 0 ? `posting ${problem.index}: ${problem.reason}` : problem.reason);
  }
}

/** The postings of a reversal entry: same accounts, currencies and customers, debit and credit swapped. */
export function reversePostings(postings: readonly Posting[]): Posting[] {
  return postings.map((p) => ({ ...p, debitMinor: p.creditMinor, creditMinor: p.debitMinor }));
}

/**
 * Combines postings with the same account, currency, customer and side into one, in order of first
 * appearance. A debit and a credit on the same account stay separate (the entry shows both movements).
 */
export function mergePostings(postings: readonly Posting[]): Posting[] {
  const merged = new Map<string, Posting>();
  for (const p of postings) {
    const side = p.debitMinor > 0n ? 'D' : 'C';
    const key = JSON.stringify([p.account, p.currency, p.customerId, side]);
    const existing = merged.get(key);
    if (existing === undefined) {
      merged.set(key, { ...p });
    } else {
      existing.debitMinor += p.debitMinor;
      existing.creditMinor += p.creditMinor;
    }
  }
  return [...merged.values()];
}
