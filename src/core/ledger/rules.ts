/**
 * Posting rules: what each business event posts (ACCOUNTING.md), as pure functions from the event's
 * amounts and the tenant's AccountMap to postings that balance. They throw a plain Error on input that
 * cannot be posted: such input is a bug upstream (the document totals are computed by core), not a
 * user mistake.
 */
import { allocate, money } from '../money/money.js';
import type { AccountMap } from './accounts.js';
import { assertBalanced, mergePostings, type Posting } from './journal.js';

export interface InvoiceVatBreakdownRow {
  /** Canonical rate string: '25', '12', '6', '0'. */
  vatRatePercent: string;
  /** VAT category code (S, Z, E, AE, K, G, O). */
  vatCategory: string;
  taxableMinor: bigint;
  vatMinor: bigint;
}

/** What an invoice deducts of one VAT group of an earlier advance invoice (decision 0010). */
export interface AdvanceDeductionRow {
  /** The advance's rate (canonical string) and category: its VAT is reversed on that rate's account. */
  vatRatePercent: string;
  vatCategory: string;
  netMinor: bigint;
  vatMinor: bigint;
}

export interface InvoiceIssuedEvent {
  currency: string;
  customerId: string;
  grossMinor: bigint;
  breakdown: readonly InvoiceVatBreakdownRow[];
  /**
   * An advance invoice (deposit or milestone): its nets are credited to advancesInvoiced (2429), not
   * to revenue. Absent = an ordinary invoice.
   */
  advance?: boolean;
  /** The advances this (ordinary) invoice deducts; the receivable is the gross less their Σ gross. */
  deductions?: readonly AdvanceDeductionRow[];
  /**
   * BT-114 öre rounding (decision 0009): added to the receivable and posted to roundingDifference
   * (3740): credited when positive, debited when negative. Never VAT. Absent = 0.
   */
  roundingMinor?: bigint;
  /**
   * The invoice's lines with their product group, for a tenant that maps revenue per product group
   * (AccountMap.revenueByProductGroup): each VAT row's taxable amount is then split over the groups'
   * revenue accounts in proportion to the lines' nets. Absent = one revenue account per VAT row.
   */
  revenueLines?: readonly RevenueLine[];
}

/** An invoice line as revenue sees it: its VAT row, its product group and its net. */
export interface RevenueLine {
  vatCategory: string;
  vatRatePercent: string;
  productGroupId: string | null;
  netMinor: bigint;
}

/** The bound of an öre rounding (as the invoices.rounding_minor CHECK): it rounds to the krona at most. */
export const MAX_ROUNDING_MINOR = 99n;

function requireNonNegative(amount: bigint, what: string): void {
  if (typeof amount !== 'bigint') throw new Error(`${what} must be a bigint, got ${typeof amount}`);
  if (amount < 0n) throw new Error(`${what} must not be negative, got ${amount}`);
}

function requirePositive(amount: bigint, what: string): void {
  if (typeof amount !== 'bigint') throw new Error(`${what} must be a bigint, got ${typeof amount}`);
  if (amount <= 0n) throw new Error(`${what} must be positive, got ${amount}`);
}

/** Categories that carry no VAT: every rate but 0 is refused for them. */
const NO_VAT_CATEGORIES: ReadonlySet<string> = new Set(['Z', 'E', 'K', 'AE', 'G', 'O']);

/**
 * Revenue account of a breakdown row, by VAT category (defaults: BAS 2024, ACCOUNTING.md):
 * - S (standard, by rate) → revenueByVatRate: 25 % 3001, 12 % 3002, 6 % 3003, each with its output VAT;
 * - Z (zero rated) → revenueZeroRated 3004, E (exempt) → revenueExempt 3004;
 * - K (goods to an EU business, intra-Community supply) → revenueEuGoods 3108;
 * - AE (services to an EU business, reverse charge) → revenueEuServices 3308;
 * - G (goods exported outside the EU) → revenueExportGoods 3105;
 * - O (services to a business outside the EU) → revenueServicesOutsideEu 3305 (standard BAS 2024
 *   account; ACCOUNTING.md lists no account for it).
 * Every category but S posts no output VAT. An unknown category is refused.
 */
function revenueAccount(row: InvoiceVatBreakdownRow, accounts: AccountMap): string {
  switch (row.vatCategory) {
    case 'Z': return accounts.revenueZeroRated;
    case 'E': return accounts.revenueExempt;
    case 'K': return accounts.revenueEuGoods;
    case 'AE': return accounts.revenueEuServices;
    case 'G': return accounts.revenueExportGoods;
    case 'O': return accounts.revenueServicesOutsideEu;
    case 'S': break;
    default: throw new Error(`unknown VAT category '${row.vatCategory}'`);
  }
  const account = Object.hasOwn(accounts.revenueByVatRate, row.vatRatePercent)
    ? accounts.revenueByVatRate[row.vatRatePercent]
    : undefined;
  if (account === undefined) {
    throw new Error(
      `no revenue account for VAT rate '${row.vatRatePercent}' (category ${row.vatCategory}); configure revenueByVatRate`,
    );
  }
  return account;
}

/** The key of a VAT treatment in revenueByProductGroup: the rate for S ('25'), the category otherwise ('AE'). */
export const vatTreatmentKey = (row: { vatCategory: string; vatRatePercent: string }): string => (row.vatCategory === 'S' ? row.vatRatePercent : row.vatCategory);

/**
 * The revenue of one VAT row by account: the default account of the row, or (with revenueByProductGroup
 * and the invoice's lines) the row's taxable amount split over the accounts its lines' product groups
 * map to, in proportion to their nets (largest remainder, so the parts sum to the taxable amount). A
 * line whose group maps nothing for this VAT treatment uses the default account.
 */
function revenueSplit(row: InvoiceVatBreakdownRow, lines: readonly RevenueLine[] | undefined, accounts: AccountMap, currency: string): [string, bigint][] {
  const fallback = revenueAccount(row, accounts);
  const byGroup = accounts.revenueByProductGroup;
  if (lines === undefined || byGroup === undefined || Object.keys(byGroup).length === 0) return [[fallback, row.taxableMinor]];
  const key = vatTreatmentKey(row);
  const weights = new Map<string, bigint>();
  for (const l of lines) {
    if (l.vatCategory !== row.vatCategory || l.vatRatePercent !== row.vatRatePercent) continue;
    const mapped = l.productGroupId !== null && Object.hasOwn(byGroup, l.productGroupId) ? byGroup[l.productGroupId]![key] : undefined;
    const account = mapped ?? fallback;
    weights.set(account, (weights.get(account) ?? 0n) + l.netMinor);
  }
  const ws = [...weights.values()];
  if (weights.size <= 1 || ws.some((w) => w < 0n) || ws.every((w) => w === 0n)) return [[weights.size === 1 ? [...weights.keys()][0]! : fallback, row.taxableMinor]];
  const parts = allocate(money(row.taxableMinor, currency), ws);
  return [...weights.keys()].map((account, i) => [account, parts[i]!.minor]);
}

function outputVatAccount(row: InvoiceVatBreakdownRow, accounts: AccountMap): string {
  const account = Object.hasOwn(accounts.outputVatByVatRate, row.vatRatePercent)
    ? accounts.outputVatByVatRate[row.vatRatePercent]
    : undefined;
  if (account === undefined) {
    throw new Error(
      `no output VAT account for VAT rate '${row.vatRatePercent}' (category ${row.vatCategory}); configure outputVatByVatRate`,
    );
  }
  return account;
}

/**
 * Invoice issued: debit receivable with the gross (on the customer); per VAT breakdown row credit
 * revenue with the taxable amount (S by rate; Z, E, K, AE, G, O to their own accounts, see
 * revenueAccount) and output VAT with the VAT (S only: the other categories carry none). Zero amounts are left out and postings to the same account are combined. An invoice
 * that totals zero posts nothing (returns []).
 *
 * Advance invoices (decision 0010): an advance (`advance`) credits advancesInvoiced (2429) with its
 * nets instead of revenue; its VAT is output VAT as usual (VAT is due on an advance when it is
 * invoiced). An ordinary invoice that deducts advances (`deductions`) debits the receivable only with
 * gross − Σ deducted gross, debits advancesInvoiced with Σ deducted net and output VAT at each
 * advance's rate with its deducted VAT (reversing the VAT already reported on the advance), and
 * credits revenue and output VAT for the whole invoice as usual. After an advance and the invoices
 * that deduct all of it: 1510 = the full gross, revenue = the full net, VAT = the full VAT, 2429 = 0.
 * A debit and a credit on the same VAT account stay two postings.
 *
 * Öre rounding (decision 0009, `roundingMinor`, BT-114): the receivable is gross + rounding − prepaid,
 * and the rounding goes to roundingDifference (3740 Öres- och kronutjämning): a credit when positive
 * (the customer pays an öre more than net + VAT), a debit when negative. It is never VAT or revenue.
 */
export function postInvoiceIssued(p: InvoiceIssuedEvent, accounts: AccountMap): Posting[] {
  requireNonNegative(p.grossMinor, 'grossMinor');
  const deductions = p.deductions ?? [];
  if (p.advance === true && deductions.length > 0) throw new Error('an advance invoice deducts no advances');
  let prepaid = 0n;
  for (const [i, d] of deductions.entries()) {
    requireNonNegative(d.netMinor, `deductions[${i}].netMinor`);
    requireNonNegative(d.vatMinor, `deductions[${i}].vatMinor`);
    if (NO_VAT_CATEGORIES.has(d.vatCategory) && d.vatMinor > 0n) {
      throw new Error(`deductions[${i}]: category ${d.vatCategory} carries no VAT, got vatMinor ${d.vatMinor}`);
    }
    prepaid += d.netMinor + d.vatMinor;
  }
  if (prepaid > p.grossMinor) throw new Error(`deductions ${prepaid} exceed the invoice gross ${p.grossMinor} (${p.currency})`);
  const rounding = p.roundingMinor ?? 0n;
  if (typeof rounding !== 'bigint') throw new Error(`roundingMinor must be a bigint, got ${typeof rounding}`);
  if (rounding > MAX_ROUNDING_MINOR || rounding < -MAX_ROUNDING_MINOR) throw new Error(`roundingMinor ${rounding} is not an öre rounding`);
  if (p.grossMinor + rounding - prepaid < 0n) {
    throw new Error(`gross ${p.grossMinor} + rounding ${rounding} − prepaid ${prepaid} is negative (${p.currency})`);
  }
  const postings: Posting[] = [];
  const posting = (account: string, debitMinor: bigint, creditMinor: bigint, customerId: string | null): void => {
    if (debitMinor > 0n || creditMinor > 0n) {
      postings.push({ account, currency: p.currency, debitMinor, creditMinor, customerId });
    }
  };

  posting(accounts.receivable, p.grossMinor + rounding - prepaid, 0n, p.customerId);
  if (rounding < 0n) posting(accounts.roundingDifference, -rounding, 0n, null);
  postings.push(...advanceDeductionPostings(p.currency, deductions, accounts));
  let credited = 0n;
  for (const [i, row] of p.breakdown.entries()) {
    requireNonNegative(row.taxableMinor, `breakdown[${i}].taxableMinor`);
    requireNonNegative(row.vatMinor, `breakdown[${i}].vatMinor`);
    if (NO_VAT_CATEGORIES.has(row.vatCategory) && (row.vatMinor > 0n || row.vatRatePercent !== '0')) {
      throw new Error(
        `breakdown[${i}]: category ${row.vatCategory} carries no VAT, got rate '${row.vatRatePercent}' and vatMinor ${row.vatMinor}`,
      );
    }
    if (p.advance === true) posting(accounts.advancesInvoiced, 0n, row.taxableMinor, null);
    else for (const [account, amount] of revenueSplit(row, p.revenueLines, accounts, p.currency)) posting(account, 0n, amount, null);
    if (row.vatMinor > 0n) posting(outputVatAccount(row, accounts), 0n, row.vatMinor, null);
    credited += row.taxableMinor + row.vatMinor;
  }
  if (rounding > 0n) posting(accounts.roundingDifference, 0n, rounding, null);
  if (credited !== p.grossMinor) {
    throw new Error(
      `invoice does not balance: gross ${p.grossMinor} ≠ taxable + VAT ${credited} (${p.currency})`,
    );
  }
  if (postings.length === 0) return [];
  const merged = mergePostings(postings);
  assertBalanced(merged);
  return merged;
}

/**
 * The debits of deducted advances (decision 0010): advancesInvoiced (2429) with the net and output VAT
 * at each advance's rate with its VAT, per row, not merged. Part of postInvoiceIssued; issue-invoice
 * also uses it per advance to convert those debits at the advance's own rate (functional.ts
 * invoiceToFunctional).
 */
export function advanceDeductionPostings(currency: string, deductions: readonly AdvanceDeductionRow[], accounts: AccountMap): Posting[] {
  const out: Posting[] = [];
  for (const d of deductions) {
    if (d.netMinor > 0n) out.push({ account: accounts.advancesInvoiced, currency, debitMinor: d.netMinor, creditMinor: 0n, customerId: null });
    if (d.vatMinor > 0n) {
      const account = outputVatAccount({ vatRatePercent: d.vatRatePercent, vatCategory: d.vatCategory, taxableMinor: d.netMinor, vatMinor: d.vatMinor }, accounts);
      out.push({ account, currency, debitMinor: d.vatMinor, creditMinor: 0n, customerId: null });
    }
  }
  return out;
}

/**
 * Payment received, not (yet) applied: debit bank, credit customer credit. Cash waits on the customer
 * credit account (2420) until it is applied to invoices; an unidentified payer has customerId null.
 */
export function postPaymentReceived(
  p: { currency: string; amountMinor: bigint; customerId: string | null },
  accounts: AccountMap,
): Posting[] {
  requirePositive(p.amountMinor, 'amountMinor');
  const postings: Posting[] = [
    { account: accounts.bank, currency: p.currency, debitMinor: p.amountMinor, creditMinor: 0n, customerId: null },
    { account: accounts.customerCredit, currency: p.currency, debitMinor: 0n, creditMinor: p.amountMinor, customerId: p.customerId },
  ];
  assertBalanced(postings);
  return postings;
}

/** Customer credit applied to an invoice: debit customer credit, credit receivable, both on the customer. */
export function postPaymentApplied(
  p: { currency: string; amountMinor: bigint; customerId: string },
  accounts: AccountMap,
): Posting[] {
  requirePositive(p.amountMinor, 'amountMinor');
  const postings: Posting[] = [
    { account: accounts.customerCredit, currency: p.currency, debitMinor: p.amountMinor, creditMinor: 0n, customerId: p.customerId },
    { account: accounts.receivable, currency: p.currency, debitMinor: 0n, creditMinor: p.amountMinor, customerId: p.customerId },
  ];
  assertBalanced(postings);
  return postings;
}

export interface CreditNoteIssuedEvent extends Omit<InvoiceIssuedEvent, 'deductions'> {
  /** The part that reduces what the customer still owes on the invoice (credit 1510). */
  receivableMinor: bigint;
  /** The part beyond what was open (the invoice was already paid): customer credit (credit 2420). */
  customerCreditMinor: bigint;
}

/**
 * Credit note issued: the reverse of the invoice lines it corrects. Per VAT breakdown row debit
 * revenue (as the invoice rule: S by rate, Z/E/K/AE/G/O to their own accounts) with the taxable amount and output VAT with the VAT;
 * credit receivable (1510) with what was still open on the invoice and customer credit (2420) with
 * the rest, both on the customer, so the AR control account keeps equalling the open items and the
 * excess of a credit on a paid invoice is owed back to the customer, never netted silently.
 * A credit note on an advance invoice (`advance`) debits advancesInvoiced (2429) instead of revenue.
 * `roundingMinor`: the credited invoice's öre rounding, reversed by the credit note that completes its
 * credit (debit 3740 when it was positive, credit when negative); receivable + customer credit then
 * equal gross + rounding.
 */
export function postCreditNoteIssued(p: CreditNoteIssuedEvent, accounts: AccountMap): Posting[] {
  requireNonNegative(p.receivableMinor, 'receivableMinor');
  requireNonNegative(p.customerCreditMinor, 'customerCreditMinor');
  // a credit note that completes the credit of an invoice with an öre rounding also reverses that
  // rounding (roundingMinor, as on the invoice): the split then covers gross + rounding
  const total = p.grossMinor + (p.roundingMinor ?? 0n);
  if (p.receivableMinor + p.customerCreditMinor !== total) {
    throw new Error(
      `credit note split ${p.receivableMinor} + ${p.customerCreditMinor} does not equal its gross ${p.grossMinor} + rounding ${p.roundingMinor ?? 0n} (${p.currency})`,
    );
  }
  // the invoice rule validates the breakdown against the gross; mirror its postings
  const asInvoice = postInvoiceIssued(p, accounts);
  const postings: Posting[] = [];
  for (const q of asInvoice) {
    if (q.account === accounts.receivable && q.customerId === p.customerId && q.debitMinor > 0n) continue;
    postings.push({ ...q, debitMinor: q.creditMinor, creditMinor: q.debitMinor });
  }
  const push = (account: string, creditMinor: bigint): void => {
    if (creditMinor > 0n) postings.push({ account, currency: p.currency, debitMinor: 0n, creditMinor, customerId: p.customerId });
  };
  push(accounts.receivable, p.receivableMinor);
  push(accounts.customerCredit, p.customerCreditMinor);
  if (postings.length === 0) return [];
  const merged = mergePostings(postings);
  assertBalanced(merged);
  return merged;
}
