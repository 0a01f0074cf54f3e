/**
 * The books (issue 7): fiscal years and period close, the chart and account map, manual entries,
 * reversals and opening balances. Everything here is finance's work; postings go through postEntry, so
 * they are numbered without gaps per series and fiscal year and never land in a closed period.
 */
import { BAS_DEFAULTS, type AccountMap } from '../../core/ledger/accounts.js';
import { endOfMonth, fiscalYear, fiscalYearOf, isLocked, isResultAccount, periodsOf, type FiscalYear } from '../../core/ledger/fiscal-year.js';
import { reversePostings } from '../../core/ledger/journal.js';
import { manualEntryPostings, openingBalancePostings, subledgerControlled, type ManualLineInput, type OpeningBalanceInput } from '../../core/ledger/manual-entry.js';
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { JournalEntryId, ProductGroupId } from '../../core/shared/ids.js';
import { baseCurrencyOf } from '../fx/rate-for.js';
import type { BooksSettings, JournalEntryRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { FINANCE_ROLES, requireRole } from '../shared/roles.js';
import { accountsFor, booksSettingsOf, chartOfAccounts, forgetBooks, mergeAccountMap } from './chart.js';
import { postEntry } from './post-entry.js';

export const MANUAL_SOURCE = 'manual';
/** Who may change the books (period close, chart, account map, manual entries): finance and admin. */
const requireFinance = (env: Env, what: string) => requireRole(env, FINANCE_ROLES, what);
export const OPENING_BALANCE_SOURCE = 'opening_balance';
export const YEAR_END_SOURCE = 'year_end';
/** The year-end entry's accounts (BAS): the result closed out of the income statement into equity. */
export const YEAR_RESULT_ACCOUNT = '8999';
export const YEAR_RESULT_EQUITY_ACCOUNT = '2099';

// ---------------------------------------------------------------- fiscal years and period close

export interface FiscalYearView extends FiscalYear {
  /** closed: every period locked; partly_closed: some; open: none. */
  status: 'open' | 'partly_closed' | 'closed';
  periods: { month: string; start: LocalDate; end: LocalDate; locked: boolean }[];
}

/** The fiscal years from the first entry (or today's year) up to the one containing `today`. */
export async function fiscalYears(s: Store, today: LocalDate): Promise<{ settings: BooksSettings; years: FiscalYearView[] }> {
  const settings = await booksSettingsOf(s);
  const first = await s.journal.firstEntryDate();
  const startMonth = settings.fiscalYearStartMonth;
  const firstDate = first !== null && compareDates(first, today) < 0 ? first : today;
  const from = fiscalYearOf(firstDate, startMonth).label;
  const to = fiscalYearOf(today, startMonth).label;
  const years: FiscalYearView[] = [];
  for (let label = from; label <= to; label++) {
    const fy = fiscalYear(label, startMonth);
    const periods = periodsOf(fy).map((p) => ({ ...p, locked: isLocked(p.end, settings.lockedThrough) }));
    const locked = periods.filter((p) => p.locked).length;
    years.push({ ...fy, status: locked === 0 ? 'open' : locked === periods.length ? 'closed' : 'partly_closed', periods });
  }
  return { settings, years };
}

/**
 * Closes every period through `through` (the last day of a month that has ended). The lock only moves
 * forward; a closed period takes no postings, and late documents post in the first open period.
 */
export async function closePeriods(s: Store, env: Env, through: LocalDate): Promise<BooksSettings> {
  requireFinance(env, 'close periods');
  if (compareDates(endOfMonth(through), through) !== 0) throw invalid('through', `must be the last day of a month (e.g. ${endOfMonth(through)})`);
  if (compareDates(through, env.clock.today()) >= 0) throw invalid('through', 'a period can be closed only after it has ended');
  const before = await s.books.settingsForUpdate();
  if (before.lockedThrough !== null && compareDates(through, before.lockedThrough) <= 0) {
    throw new DomainError('period_locked', `The books are already closed through ${before.lockedThrough}; closed periods stay closed`, 'through');
  }
  await s.books.lockThrough(through);
  forgetBooks(s);
  await recordChange(s, env, {
    action: 'books.periods_closed',
    entityType: 'books',
    entityId: s.tenantId,
    data: { before: { locked_through: before.lockedThrough }, after: { locked_through: through } },
    event: { type: 'books.periods_closed', payload: { locked_through: through } },
  });
  return { ...before, lockedThrough: through };
}

/** Sets the month the fiscal year starts in; refused once anything is posted (the years would change). */
export async function setFiscalYearStart(s: Store, env: Env, month: number): Promise<BooksSettings> {
  requireFinance(env, 'change the fiscal year');
  if (!Number.isInteger(month) || month < 1 || month > 12) throw invalid('fiscal_year_start_month', 'must be a month number 1-12');
  const before = await s.books.settingsForUpdate();
  if (before.fiscalYearStartMonth === month) return before;
  if ((await s.journal.list({ limit: 1 }, {})).data.length > 0) {
    throw new DomainError('conflict', 'The fiscal year cannot change once entries are posted (a change needs a transitional year)', 'fiscal_year_start_month');
  }
  await s.books.setFiscalYearStartMonth(month);
  forgetBooks(s);
  await recordChange(s, env, {
    action: 'books.fiscal_year_changed',
    entityType: 'books',
    entityId: s.tenantId,
    data: { before: { fiscal_year_start_month: before.fiscalYearStartMonth }, after: { fiscal_year_start_month: month } },
  });
  return { ...before, fiscalYearStartMonth: month };
}

// ---------------------------------------------------------------- chart and account map

/** Adds an account to the tenant's chart, renames it or (de)activates it. */
export async function putAccount(s: Store, env: Env, a: { account: string; name: string; active: boolean }) {
  requireFinance(env, 'change the chart of accounts');
  if (!/^\d{4}$/.test(a.account)) throw invalid('account', 'must be a 4-digit account number');
  const accounts = await accountsFor(s, env);
  if (!a.active && accountsInMap(accounts).has(a.account)) {
    throw new DomainError('conflict', `${a.account} is used by the account map; map another account first`, 'active');
  }
  const before = (await chartOfAccounts(s)).get(a.account) ?? null;
  await s.books.upsertAccount(a);
  await recordChange(s, env, { action: 'books.account_saved', entityType: 'account', entityId: a.account, data: { before, after: a } });
  return (await chartOfAccounts(s)).get(a.account)!;
}

function accountsInMap(map: AccountMap): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.add(v);
    else if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) walk(x);
  };
  walk(map);
  return out;
}

const TREATMENTS = /^(\d{1,2}(\.\d+)?|Z|E|K|AE|G|O)$/;

/** product group id → VAT treatment ('25', 'AE', …) → account; every group must exist. */
async function checkRevenueByProductGroup(s: Store, value: unknown, checkAccount: (v: unknown, param: string) => void): Promise<void> {
  const param = 'account_map.revenueByProductGroup';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(param, 'must be an object of product group id → VAT treatment → account');
  for (const [groupId, treatments] of Object.entries(value)) {
    if (!/^pgr_/.test(groupId) || !(await s.productGroups.get(groupId as ProductGroupId))) throw invalid(`${param}.${groupId}`, 'is not a product group of this tenant');
    if (typeof treatments !== 'object' || treatments === null || Array.isArray(treatments)) throw invalid(`${param}.${groupId}`, 'must be an object of VAT treatment → account');
    for (const [treatment, account] of Object.entries(treatments)) {
      if (!TREATMENTS.test(treatment)) throw invalid(`${param}.${groupId}.${treatment}`, "a VAT treatment is a rate ('25', '12', '6') or a category (Z, E, K, AE, G, O)");
      checkAccount(account, `${param}.${groupId}.${treatment}`);
    }
  }
}

/**
 * Replaces the tenant's overrides of the account map. Each key must be a key of the map, each account an
 * active account of the chart; the result applies to postings made from now on (posted entries keep
 * their accounts).
 */
export async function setAccountMap(s: Store, env: Env, overrides: Record<string, unknown>): Promise<AccountMap> {
  requireFinance(env, 'change the account map');
  const chart = await chartOfAccounts(s);
  const checkAccount = (v: unknown, param: string) => {
    if (typeof v !== 'string' || !/^\d{4}$/.test(v)) throw invalid(param, 'must be a 4-digit account number');
    if (!chart.get(v)?.active) throw invalid(param, `${v} is not an active account of the chart`);
  };
  for (const [key, value] of Object.entries(overrides)) {
    if (key === 'revenueByProductGroup') {
      await checkRevenueByProductGroup(s, value, checkAccount);
      continue;
    }
    const d = (BAS_DEFAULTS as unknown as Record<string, unknown>)[key];
    if (d === undefined) throw invalid(`account_map.${key}`, `unknown mapping; known: ${[...Object.keys(BAS_DEFAULTS), 'revenueByProductGroup'].join(', ')}`);
    if (typeof d === 'object') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`account_map.${key}`, 'must be an object of VAT rate → account');
      for (const [rate, account] of Object.entries(value)) {
        if (!/^\d{1,2}(\.\d+)?$/.test(rate)) throw invalid(`account_map.${key}.${rate}`, 'must be keyed by a VAT rate such as "25"');
        checkAccount(account, `account_map.${key}.${rate}`);
      }
    } else {
      checkAccount(value, `account_map.${key}`);
    }
  }
  const before = await s.books.settingsForUpdate();
  await s.books.setAccountMap(overrides);
  forgetBooks(s);
  await recordChange(s, env, {
    action: 'books.account_map_changed',
    entityType: 'books',
    entityId: s.tenantId,
    data: { before: before.accountMap, after: overrides },
  });
  return mergeAccountMap(env.accounts, overrides);
}

// ---------------------------------------------------------------- manual entries, reversals, opening balances

async function chartCheck(s: Store, env: Env) {
  const chart = await chartOfAccounts(s);
  return { active: (a: string) => chart.get(a)?.active === true, controlled: subledgerControlled(await accountsFor(s, env)) };
}

/** A balanced entry by hand (finance), in the base currency; refused in a closed period. */
export async function postManualEntry(
  s: Store,
  env: Env,
  input: { date: LocalDate; description: string; lines: ManualLineInput[] },
): Promise<JournalEntryRecord> {
  requireFinance(env, 'post manual journal entries');
  const base = await baseCurrencyOf(s);
  const postings = manualEntryPostings(input.lines, base, await chartCheck(s, env));
  const id = env.ids.next('journalEntry');
  const entry = await postEntry(s, env, {
    id,
    date: input.date,
    description: input.description,
    sourceType: MANUAL_SOURCE,
    sourceId: id,
    postings,
    onLockedPeriod: 'refuse',
  });
  await recordChange(s, env, {
    action: 'journal.manual_entry_posted',
    entityType: 'journal_entry',
    entityId: entry.id,
    data: { after: { date: entry.entryDate, number: `${entry.series} ${entry.fiscalYear}-${entry.number}`, description: entry.description } },
    event: { type: 'journal_entry.posted', payload: { id: entry.id, source_type: MANUAL_SOURCE } },
  });
  return entry;
}

/**
 * Reverses a manual entry or an opening balance: a new entry with the same lines on the other side,
 * dated `date` (default today). Entries of documents are corrected through the documents (credit note,
 * unapply, return), so that the subledgers follow. An entry is reversed at most once.
 */
export async function reverseEntry(s: Store, env: Env, id: JournalEntryId, input: { date?: LocalDate | undefined; description?: string | undefined }) {
  requireFinance(env, 'reverse journal entries');
  const original = await s.journal.get(id);
  if (!original) throw notFound('journal entry', id);
  if (original.sourceType !== MANUAL_SOURCE && original.sourceType !== OPENING_BALANCE_SOURCE && original.sourceType !== YEAR_END_SOURCE) {
    throw new DomainError(
      'conflict',
      `Entry ${original.series} ${original.fiscalYear}-${original.number} was posted by a ${original.sourceType}; correct the document instead (credit note, unapply, return)`,
    );
  }
  if (original.reversesEntryId !== null) throw new DomainError('conflict', 'This entry is itself a reversal; post a new entry instead');
  const already = (await s.journal.list({ limit: 100 }, { sourceId: original.sourceId })).data.find((e) => e.reversesEntryId === original.id);
  if (already) throw new DomainError('conflict', `Entry ${original.series} ${original.fiscalYear}-${original.number} is already reversed by ${already.series} ${already.fiscalYear}-${already.number}`);
  const date = input.date ?? env.clock.today();
  if (compareDates(date, original.entryDate) < 0) throw invalid('date', `must not be before the entry it reverses (${original.entryDate})`);
  const postings = reversePostings(original.lines.map((l) => ({ account: l.account, currency: l.currency, debitMinor: l.debitMinor, creditMinor: l.creditMinor, customerId: l.customerId })));
  const entry = await postEntry(s, env, {
    date,
    description: input.description ?? `Reversal of ${original.series} ${original.fiscalYear}-${original.number}: ${original.description}`,
    sourceType: original.sourceType,
    sourceId: original.sourceId,
    postings,
    reversesEntryId: original.id,
    onLockedPeriod: 'refuse',
  });
  await recordChange(s, env, {
    action: 'journal.entry_reversed',
    entityType: 'journal_entry',
    entityId: original.id,
    data: { reversal: entry.id, number: `${entry.series} ${entry.fiscalYear}-${entry.number}` },
    event: { type: 'journal_entry.reversed', payload: { id: original.id, reversal_id: entry.id } },
  });
  return entry;
}

/**
 * Opening balances of a fiscal year (a company moving to q2c): one entry on the year's first day. Once
 * per year; a mistake is reversed and posted again.
 */
export async function postOpeningBalances(s: Store, env: Env, input: { fiscalYear: number; balances: OpeningBalanceInput[] }) {
  requireFinance(env, 'post opening balances');
  const settings = await booksSettingsOf(s);
  if (!Number.isInteger(input.fiscalYear) || input.fiscalYear < 1900 || input.fiscalYear > 9998) throw invalid('fiscal_year', 'must be a year such as 2026');
  const fy = fiscalYear(input.fiscalYear, settings.fiscalYearStartMonth);
  const base = await baseCurrencyOf(s);
  const postings = openingBalancePostings(input.balances, base, await chartCheck(s, env));
  const existing = (await s.journal.list({ limit: 100 }, { sourceType: OPENING_BALANCE_SOURCE })).data;
  const live = existing.filter((e) => e.entryDate === fy.start && e.reversesEntryId === null && !existing.some((r) => r.reversesEntryId === e.id));
  if (live.length > 0) {
    throw new DomainError('conflict', `Fiscal year ${fy.label} already has opening balances (${live[0]!.series} ${live[0]!.fiscalYear}-${live[0]!.number}); reverse them first`, 'fiscal_year');
  }
  const id = env.ids.next('journalEntry');
  const entry = await postEntry(s, env, {
    id,
    date: fy.start,
    description: `Opening balances ${fy.start} – ${fy.end}`,
    sourceType: OPENING_BALANCE_SOURCE,
    sourceId: id,
    postings,
    onLockedPeriod: 'refuse',
  });
  await recordChange(s, env, {
    action: 'journal.opening_balances_posted',
    entityType: 'journal_entry',
    entityId: entry.id,
    data: { fiscal_year: fy.label, accounts: postings.length },
  });
  return entry;
}

/**
 * The year-end entry (bokslut) of an ended fiscal year: the year's result — Σ of the result accounts
 * (classes 3-8) over the year — is booked 8999 Årets resultat / 2099 Årets resultat, so the income
 * statement sums to zero and the result sits in equity; the next year's balance-sheet accounts then
 * open summing to zero (SIE #IB). Dated the year's last day, which must still be open; once per year
 * (a reversal allows another).
 */
export async function closeFiscalYear(s: Store, env: Env, label: number) {
  requireFinance(env, 'close a fiscal year');
  const settings = await booksSettingsOf(s);
  if (!Number.isInteger(label) || label < 1900 || label > 9998) throw invalid('fiscal_year', 'must be a year such as 2026');
  const fy = fiscalYear(label, settings.fiscalYearStartMonth);
  if (compareDates(fy.end, env.clock.today()) >= 0) throw invalid('fiscal_year', `fiscal year ${label} ends ${fy.end}; it can be closed after that`);
  const existing = (await s.journal.list({ limit: 100 }, { sourceType: YEAR_END_SOURCE, from: fy.end, to: fy.end })).data;
  const reversed = new Set((await s.journal.list({ limit: 100 }, { sourceType: YEAR_END_SOURCE })).data.map((e) => e.reversesEntryId));
  const live = existing.find((e) => e.reversesEntryId === null && !reversed.has(e.id));
  if (live) throw new DomainError('conflict', `Fiscal year ${label} already has its year-end entry (${live.series} ${live.fiscalYear}-${live.number}); reverse it first`, 'fiscal_year');
  const base = await baseCurrencyOf(s);
  let result = 0n; // debit − credit of the result accounts: negative = a profit
  for (const r of await s.journal.trialBalance({ from: fy.start, to: fy.end })) {
    if (isResultAccount(r.account) && r.account !== YEAR_RESULT_ACCOUNT && r.currency === base) result += r.debitMinor - r.creditMinor;
  }
  if (result === 0n) throw new DomainError('conflict', `Fiscal year ${label} has no result to close`, 'fiscal_year');
  const profit = -result;
  const line = (account: string, signed: bigint) => ({
    account, currency: base, debitMinor: signed > 0n ? signed : 0n, creditMinor: signed < 0n ? -signed : 0n, customerId: null,
  });
  const id = env.ids.next('journalEntry');
  const entry = await postEntry(s, env, {
    id,
    date: fy.end,
    description: `Årets resultat ${fy.start} – ${fy.end}`,
    sourceType: YEAR_END_SOURCE,
    sourceId: id,
    postings: [line(YEAR_RESULT_ACCOUNT, profit), line(YEAR_RESULT_EQUITY_ACCOUNT, -profit)],
    onLockedPeriod: 'refuse',
  });
  await recordChange(s, env, {
    action: 'books.fiscal_year_closed',
    entityType: 'journal_entry',
    entityId: entry.id,
    data: { fiscal_year: label, result_minor: profit.toString() },
    event: { type: 'books.fiscal_year_closed', payload: { fiscal_year: label, entry_id: entry.id } },
  });
  return entry;
}
