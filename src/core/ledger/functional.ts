/**
 * The ledger in the tenant's functional (base) currency (docs/decisions/0008).
 *
 * A posting rule (rules.ts) produces a balanced entry in the document currency. `toFunctional` turns
 * it into the entry that is posted: every line in the base currency, the document amount kept beside
 * it (amountCurrency / amountMinor). Each side's total is converted once and allocated over that
 * side's postings (convertParts), so the converted entry balances exactly: debits and credits are
 * equal in the document currency, hence their converted totals are the same number.
 *
 * When a payment in a foreign currency is applied, the cash side (2420) carries the payment's rate
 * and the receivable side (1510) the invoice's rate: `postAllocationFunctional` posts both base
 * values and the realised exchange difference between them to 3960 (gain) or 7960 (loss).
 *
 * `prorateBase` is the base value of part of a foreign amount: the rounding policy BASE_PRORATE_ROUNDING,
 * and exactly the rest when the foreign amount is taken in full, so nothing is left over in base.
 */
import type { AccountMap } from './accounts.js';
import { assertBalanced, type Posting } from './journal.js';
import { convert, convertParts, type ExchangeRate } from '../money/fx.js';
import { money } from '../money/money.js';
import { divRound, type RoundingMode } from '../money/rounding.js';

/** A posting in the base currency, with the transaction-currency amount it came from (null when it is the base). */
export interface FunctionalPosting extends Posting {
  /** The transaction currency, or null when the line is in the base currency (or has no foreign amount, e.g. an FX difference). */
  amountCurrency: string | null;
  /** The transaction-currency amount, ≥ 0, on the same side as the line's debit/credit; null with amountCurrency. */
  amountMinor: bigint | null;
}

/** Rounding of a prorated base amount (part of an open item or of a payment's unapplied cash). */
export const BASE_PRORATE_ROUNDING: RoundingMode = 'half_up';

/**
 * The base value of `taken` out of `open` (foreign amounts) when `baseOpen` is the base value of
 * `open`: round(baseOpen × taken / open) by BASE_PRORATE_ROUNDING, and exactly baseOpen when the whole
 * of `open` is taken.
 */
export function prorateBase(baseOpen: bigint, taken: bigint, open: bigint): bigint {
  if (taken < 0n || open < 0n || baseOpen < 0n) throw new Error(`prorateBase: negative amount (${baseOpen}, ${taken}, ${open})`);
  if (taken > open) throw new Error(`prorateBase: taking ${taken} of ${open}`);
  if (taken === open) return baseOpen;
  if (taken === 0n) return 0n;
  const base = divRound(baseOpen * taken, open, BASE_PRORATE_ROUNDING);
  return base > baseOpen ? baseOpen : base;
}

/** Postings already in the base currency (no foreign amount). */
export const inBase = (postings: readonly Posting[]): FunctionalPosting[] =>
  postings.map((p) => ({ ...p, amountCurrency: null, amountMinor: null }));

/**
 * Converts a balanced entry from its document currency to `rate.quote` (the base currency) so that it
 * still balances exactly. Postings whose converted amount is zero are dropped (a line cannot post
 * zero); an entry worth nothing at all in the base currency comes back empty. With the identity rate (a base-currency document) the postings come back unchanged, with no
 * foreign amount.
 */
export function toFunctional(postings: readonly Posting[], rate: ExchangeRate): FunctionalPosting[] {
  assertBalanced(postings);
  for (const p of postings) {
    if (p.currency !== rate.base) throw new Error(`toFunctional: a posting in ${p.currency}, the rate converts ${rate.base}`);
  }
  const base = rate.quote;
  const foreign = rate.base !== base;
  const debits = postings.filter((p) => p.debitMinor > 0n);
  const credits = postings.filter((p) => p.creditMinor > 0n);
  const side = (list: readonly Posting[], amount: (p: Posting) => bigint): bigint[] => {
    const parts = list.map((p) => money(amount(p), rate.base));
    const whole = money(parts.reduce((a, p) => a + p.minor, 0n), rate.base);
    return convertParts(whole, parts, rate).parts.map((m) => m.minor);
  };
  const debitBase = side(debits, (p) => p.debitMinor);
  const creditBase = side(credits, (p) => p.creditMinor);
  const converted = new Map<Posting, FunctionalPosting>();
  debits.forEach((p, i) => converted.set(p, {
    ...p, currency: base, debitMinor: debitBase[i]!, creditMinor: 0n,
    amountCurrency: foreign ? p.currency : null, amountMinor: foreign ? p.debitMinor : null,
  }));
  credits.forEach((p, i) => converted.set(p, {
    ...p, currency: base, debitMinor: 0n, creditMinor: creditBase[i]!,
    amountCurrency: foreign ? p.currency : null, amountMinor: foreign ? p.creditMinor : null,
  }));
  const out = postings.map((p) => converted.get(p)!).filter((p) => p.debitMinor > 0n || p.creditMinor > 0n);
  // both sides convert to the same total: either nothing is left (an entry worth nothing in base) or
  // at least one posting on each side
  if (out.length > 0) assertBalanced(out);
  return out;
}

/** The realised exchange difference line: gain (> 0) credits fxGain, loss (< 0) debits fxLoss; none when zero. */
export function fxDifferencePosting(differenceMinor: bigint, base: string, accounts: Pick<AccountMap, 'fxGain' | 'fxLoss'>): FunctionalPosting[] {
  if (differenceMinor === 0n) return [];
  return [differenceMinor > 0n
    ? { account: accounts.fxGain, currency: base, debitMinor: 0n, creditMinor: differenceMinor, customerId: null, amountCurrency: null, amountMinor: null }
    : { account: accounts.fxLoss, currency: base, debitMinor: -differenceMinor, creditMinor: 0n, customerId: null, amountCurrency: null, amountMinor: null }];
}

export interface AllocationFxEvent {
  /** The base (functional) currency. */
  base: string;
  /** The transaction currency of the payment and the invoice. */
  currency: string;
  customerId: string;
  /** The foreign amount applied. */
  amountMinor: bigint;
  /** Base value taken off the payment's unapplied cash (at the payment's rate). */
  paymentBaseMinor: bigint;
  /** Base value taken off the open item (at the invoice's rate). */
  openItemBaseMinor: bigint;
}

/**
 * A payment applied to an invoice, in the base currency: debit customer credit (2420) with the
 * payment-side base value, credit receivable (1510) with the open-item-side base value, both carrying
 * the foreign amount; the difference is the realised FX difference, a gain (credit 3960) when the
 * payment was worth more in base than the receivable it settles, a loss (debit 7960) otherwise.
 */
export function postAllocationFunctional(
  e: AllocationFxEvent,
  accounts: Pick<AccountMap, 'customerCredit' | 'receivable' | 'fxGain' | 'fxLoss'>,
): { postings: FunctionalPosting[]; fxDifferenceMinor: bigint } {
  if (e.amountMinor <= 0n) throw new Error(`amountMinor must be positive, got ${e.amountMinor}`);
  if (e.paymentBaseMinor < 0n || e.openItemBaseMinor < 0n) throw new Error('base amounts must not be negative');
  const foreign = e.currency !== e.base;
  const fxDifferenceMinor = e.paymentBaseMinor - e.openItemBaseMinor;
  const postings: FunctionalPosting[] = [];
  if (e.paymentBaseMinor > 0n) {
    postings.push({
      account: accounts.customerCredit, currency: e.base, debitMinor: e.paymentBaseMinor, creditMinor: 0n, customerId: e.customerId,
      amountCurrency: foreign ? e.currency : null, amountMinor: foreign ? e.amountMinor : null,
    });
  }
  if (e.openItemBaseMinor > 0n) {
    postings.push({
      account: accounts.receivable, currency: e.base, debitMinor: 0n, creditMinor: e.openItemBaseMinor, customerId: e.customerId,
      amountCurrency: foreign ? e.currency : null, amountMinor: foreign ? e.amountMinor : null,
    });
  }
  postings.push(...fxDifferencePosting(fxDifferenceMinor, e.base, accounts));
  if (postings.length > 0) assertBalanced(postings);
  return { postings, fxDifferenceMinor };
}

export interface CreditNoteBaseSplit {
  /** Base value taken off the invoice's open item (credit receivable). */
  receivableBaseMinor: bigint;
  /** Base value handed back to the payments as customer credit (credit customer credit). */
  customerCreditBaseMinor: bigint;
}

/**
 * A credit note in the base currency. Its document postings (postCreditNoteIssued: debits to revenue
 * and VAT, credits to receivable and customer credit) are converted at the credited invoice's rate on
 * the debit side (convertParts, as toFunctional), so a full credit note reverses the invoice exactly.
 * The credits carry the base values the subledgers give up: what the open item's base goes down by
 * (receivable) and what the payments' base unapplied goes up by (customer credit, at the payments'
 * rates). The difference between the two sides is an exchange difference (3960 gain / 7960 loss).
 * A credit on roundingDifference (reversing an invoice's negative öre rounding) is converted at the
 * invoice's rate.
 */
export function creditNoteToFunctional(
  postings: readonly Posting[],
  rate: ExchangeRate,
  split: CreditNoteBaseSplit,
  accounts: Pick<AccountMap, 'customerCredit' | 'receivable' | 'fxGain' | 'fxLoss'> & Partial<Pick<AccountMap, 'roundingDifference'>>,
): FunctionalPosting[] {
  assertBalanced(postings);
  const base = rate.quote;
  const foreign = rate.base !== base;
  const debits = postings.filter((p) => p.debitMinor > 0n);
  const credits = postings.filter((p) => p.creditMinor > 0n);
  const parts = debits.map((p) => money(p.debitMinor, rate.base));
  const whole = money(parts.reduce((a, p) => a + p.minor, 0n), rate.base);
  const debitBase = convertParts(whole, parts, rate).parts.map((m) => m.minor);
  const out: FunctionalPosting[] = [];
  debits.forEach((p, i) => out.push({
    ...p, currency: base, debitMinor: debitBase[i]!, creditMinor: 0n,
    amountCurrency: foreign ? p.currency : null, amountMinor: foreign ? p.debitMinor : null,
  }));
  const seen = new Set<string>();
  for (const p of credits) {
    let baseMinor: bigint;
    if (p.account === accounts.receivable) baseMinor = split.receivableBaseMinor;
    else if (p.account === accounts.customerCredit) baseMinor = split.customerCreditBaseMinor;
    // the reversal of a negative öre rounding (decision 0009): at the invoice's rate like the debits
    else if (accounts.roundingDifference !== undefined && p.account === accounts.roundingDifference) baseMinor = baseValue(p.creditMinor, rate);
    else throw new Error(`creditNoteToFunctional: unexpected credit on ${p.account}`);
    if (seen.has(p.account)) throw new Error(`creditNoteToFunctional: two credits on ${p.account}`);
    seen.add(p.account);
    out.push({
      ...p, currency: base, debitMinor: 0n, creditMinor: baseMinor,
      amountCurrency: foreign ? p.currency : null, amountMinor: foreign ? p.creditMinor : null,
    });
  }
  if (!seen.has(accounts.receivable) && split.receivableBaseMinor !== 0n) throw new Error('creditNoteToFunctional: receivable base without a receivable credit');
  if (!seen.has(accounts.customerCredit) && split.customerCreditBaseMinor !== 0n) throw new Error('creditNoteToFunctional: customer credit base without a customer credit');
  const debitSum = out.reduce((a, p) => a + p.debitMinor, 0n);
  const creditSum = out.reduce((a, p) => a + p.creditMinor, 0n);
  const result = [...out.filter((p) => p.debitMinor > 0n || p.creditMinor > 0n), ...fxDifferencePosting(debitSum - creditSum, base, accounts)];
  assertBalanced(result);
  return result;
}

/** Convenience: the base value of a foreign amount at a rate (convert, FX_ROUNDING). */
export const baseValue = (amountMinor: bigint, rate: ExchangeRate): bigint => convert(money(amountMinor, rate.base), rate).minor;

/**
 * What an issued document's converted entry says in the base currency: the receivable (Σ debits on
 * the receivable account: the open item's base value) and the VAT (Σ credits − debits on the output
 * VAT accounts: EN 16931 BT-111, "VAT in the accounting currency", is exactly the VAT posted).
 */
export function baseTotalsOf(
  postings: readonly FunctionalPosting[],
  accounts: Pick<AccountMap, 'receivable' | 'outputVatByVatRate'>,
): { receivableBaseMinor: bigint; vatBaseMinor: bigint } {
  const vatAccounts = new Set(Object.values(accounts.outputVatByVatRate));
  let receivableBaseMinor = 0n;
  let vatBaseMinor = 0n;
  for (const p of postings) {
    if (p.account === accounts.receivable) receivableBaseMinor += p.debitMinor;
    if (vatAccounts.has(p.account)) vatBaseMinor += p.creditMinor - p.debitMinor;
  }
  return { receivableBaseMinor, vatBaseMinor };
}

/** Postings in a document currency converted at their own rate (e.g. an advance deducted at the advance's rate). */
export interface PostingsAtRate {
  postings: readonly Posting[];
  rate: ExchangeRate;
}

/**
 * An invoice that deducts advances, in the base currency (decisions 0008, 0010). The deduction
 * postings of each advance (debit advancesInvoiced with its net, debit output VAT with its VAT) are
 * converted at that advance's stored rate, so 2429 and the VAT reported on the advance go back to
 * exactly zero in the base currency. Everything else in the invoice's entry (the receivable, gross +
 * rounding − prepaid; revenue, output VAT, the öre rounding) is converted at the invoice's own rate,
 * each side's total once and allocated (convertParts, as toFunctional). The entry is balanced in the
 * document currency; in base the two rates leave a difference, posted as an exchange difference
 * (fxDifferencePosting: a credit to fxGain when the debits are worth more, a debit to fxLoss when less).
 *
 * `postings` is the whole entry (postInvoiceIssued); each deduction posting must be covered by a debit
 * on the same account in it, which is taken out and converted at the deduction's rate instead. With one
 * rate for all, the amounts are toFunctional's up to an öre of allocation (an FX line then takes it).
 */
export function invoiceToFunctional(
  postings: readonly Posting[],
  rate: ExchangeRate,
  deductions: readonly PostingsAtRate[],
  accounts: Pick<AccountMap, 'fxGain' | 'fxLoss'>,
): FunctionalPosting[] {
  assertBalanced(postings);
  const base = rate.quote;
  const rest = postings.map((p) => ({ ...p }));
  for (const d of deductions) {
    if (d.rate.quote !== base) throw new Error(`invoiceToFunctional: a deduction converts to ${d.rate.quote}, not ${base}`);
    for (const q of d.postings) {
      if (q.currency !== rate.base || q.currency !== d.rate.base) throw new Error(`invoiceToFunctional: a deduction posting in ${q.currency}`);
      if (q.creditMinor !== 0n || q.debitMinor <= 0n) throw new Error('invoiceToFunctional: a deduction posting is a debit');
      const from = rest.find((p) => p.account === q.account && p.debitMinor >= q.debitMinor && p.customerId === q.customerId);
      if (from === undefined) throw new Error(`invoiceToFunctional: no debit on ${q.account} covers the deduction ${q.debitMinor}`);
      from.debitMinor -= q.debitMinor;
    }
  }
  const foreign = rate.base !== base;
  const out: FunctionalPosting[] = [];
  const side = (list: readonly Posting[], r: ExchangeRate, debit: boolean): void => {
    const amount = (p: Posting): bigint => (debit ? p.debitMinor : p.creditMinor);
    const parts = list.filter((p) => amount(p) > 0n).map((p) => ({ p, m: money(amount(p), r.base) }));
    if (parts.length === 0) return;
    const whole = money(parts.reduce((a, x) => a + x.m.minor, 0n), r.base);
    const converted = convertParts(whole, parts.map((x) => x.m), r).parts;
    parts.forEach(({ p }, i) => {
      const v = converted[i]!.minor;
      if (v === 0n) return;
      out.push({
        ...p, currency: base, debitMinor: debit ? v : 0n, creditMinor: debit ? 0n : v,
        amountCurrency: foreign ? p.currency : null, amountMinor: foreign ? amount(p) : null,
      });
    });
  };
  side(rest, rate, true);
  for (const d of deductions) side(d.postings, d.rate, true);
  side(rest, rate, false);
  const debitSum = out.reduce((a, p) => a + p.debitMinor, 0n);
  const creditSum = out.reduce((a, p) => a + p.creditMinor, 0n);
  const result = [...out, ...fxDifferencePosting(debitSum - creditSum, base, accounts)];
  if (result.length > 0) assertBalanced(result);
  return result;
}
