/**
 * Manual journal entries and opening balances (issue 7): what finance may post by hand, checked before
 * anything is written.
 *
 * - A manual entry is in the base currency, has at least two lines, each on an active account of the
 *   chart with exactly one side > 0, and balances. The receivables control accounts (1510 and the
 *   customer-credit and invoiced-advance accounts) are refused: they move only through invoices, credit
 *   notes and payments, so that customer balances = the AR subledger = the control account always.
 * - Opening balances are one signed balance per balance-sheet account (classes 1 and 2), summing to zero,
 *   posted on the first day of a fiscal year; the same control accounts are refused (open invoices from
 *   an earlier system come in as invoices, not as a balance).
 */
import { formatAmount, money } from '../money/money.js';
import { invalid } from '../shared/errors.js';
import type { AccountMap } from './accounts.js';
import type { Posting } from './journal.js';

export interface ManualLineInput {
  account: string;
  debitMinor: bigint;
  creditMinor: bigint;
}

/** The accounts only documents move (the AR subledger's control accounts). */
export function subledgerControlled(accounts: Pick<AccountMap, 'receivable' | 'customerCredit' | 'advancesInvoiced'>): Set<string> {
  return new Set([accounts.receivable, accounts.customerCredit, accounts.advancesInvoiced]);
}

interface ChartCheck {
  /** Active accounts of the chart. */
  active: (account: string) => boolean;
  controlled: Set<string>;
}

function checkAccount(account: string, param: string, chart: ChartCheck): void {
  if (!/^\d{4}$/.test(account)) throw invalid(param, 'must be a 4-digit account number');
  if (chart.controlled.has(account)) {
    throw invalid(param, `${account} is a receivables control account: it moves only through invoices, credit notes and payments`);
  }
  if (!chart.active(account)) throw invalid(param, `${account} is not an active account of the chart (add it with PUT /v1/ledger/accounts/${account})`);
}

/** Checks a manual entry's lines and returns its postings (base currency), or throws naming the field. */
export function manualEntryPostings(lines: readonly ManualLineInput[], currency: string, chart: ChartCheck): Posting[] {
  if (lines.length < 2) throw invalid('lines', `a journal entry needs at least two lines, got ${lines.length}`);
  let debit = 0n;
  let credit = 0n;
  lines.forEach((l, i) => {
    checkAccount(l.account, `lines.${i}.account`, chart);
    if (l.debitMinor < 0n || l.creditMinor < 0n) throw invalid(`lines.${i}`, 'debit and credit must not be negative');
    if ((l.debitMinor === 0n) === (l.creditMinor === 0n)) throw invalid(`lines.${i}`, 'exactly one of debit and credit must be greater than zero');
    debit += l.debitMinor;
    credit += l.creditMinor;
  });
  if (debit !== credit) {
    throw invalid(
      'lines',
      `the entry does not balance: debits ${formatAmount(money(debit, currency))} ≠ credits ${formatAmount(money(credit, currency))} ${currency}`,
    );
  }
  return lines.map((l) => ({ account: l.account, currency, debitMinor: l.debitMinor, creditMinor: l.creditMinor, customerId: null }));
}

export interface OpeningBalanceInput {
  account: string;
  /** Debit balance positive, credit balance negative. */
  balanceMinor: bigint;
}

/** Checks opening balances (balance-sheet accounts, sum zero) and returns the entry's postings. */
export function openingBalancePostings(balances: readonly OpeningBalanceInput[], currency: string, chart: ChartCheck): Posting[] {
  const seen = new Set<string>();
  let sum = 0n;
  const postings: Posting[] = [];
  balances.forEach((b, i) => {
    checkAccount(b.account, `balances.${i}.account`, chart);
    if (!/^[12]/.test(b.account)) throw invalid(`balances.${i}.account`, `${b.account} is not a balance-sheet account (classes 1 and 2); results start from zero each year`);
    if (seen.has(b.account)) throw invalid(`balances.${i}.account`, `${b.account} appears twice`);
    seen.add(b.account);
    sum += b.balanceMinor;
    if (b.balanceMinor !== 0n) {
      postings.push({
        account: b.account,
        currency,
        debitMinor: b.balanceMinor > 0n ? b.balanceMinor : 0n,
        creditMinor: b.balanceMinor < 0n ? -b.balanceMinor : 0n,
        customerId: null,
      });
    }
  });
  if (sum !== 0n) throw invalid('balances', `opening balances must sum to zero (assets = equity + liabilities), they sum to ${formatAmount(money(sum, currency))} ${currency}`);
  if (postings.length < 2) throw invalid('balances', 'give at least two non-zero balances');
  return postings;
}
