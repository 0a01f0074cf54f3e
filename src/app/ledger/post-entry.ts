/**
 * Posts a balanced journal entry, numbered without gaps per series and fiscal year (verifikationsnummer),
 * in the tenant's functional (base) currency (docs/decisions/0008).
 *
 * Postings in a document currency are converted here, centrally: at `rate` when the caller gives the
 * rate the document uses (an invoice's issue-date rate, a payment's received-date rate), otherwise at
 * the rate in force on the entry date (rateFor). Each side's total is converted once and allocated over
 * its postings (core toFunctional), so the entry balances exactly in the base currency, and each line
 * keeps its document amount as amount_currency / amount_minor. Postings already in the base currency
 * (base-currency documents, or FunctionalPostings a use case built itself, e.g. an FX difference) are
 * posted as they are: a base-currency flow posts exactly what its rule produced, with no foreign amount.
 */
import { toFunctional, type FunctionalPosting } from '../../core/ledger/functional.js';
import { assertBalanced, type Posting } from '../../core/ledger/journal.js';
import type { ExchangeRate } from '../../core/money/fx.js';
import { fiscalYearOf, postingDate } from '../../core/ledger/fiscal-year.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError } from '../../core/shared/errors.js';
import type { JournalEntryId } from '../../core/shared/ids.js';
import { baseCurrencyOf, rateFor } from '../fx/rate-for.js';
import type { JournalEntryRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { booksSettingsOf } from './chart.js';

export const JOURNAL_SERIES = 'A';

const isFunctional = (p: Posting | FunctionalPosting): p is FunctionalPosting => 'amountCurrency' in p;

/** The postings in the base currency: converted at `rate` (or the entry date's rate) when they are in another currency. */
export async function functionalPostings(
  s: Store,
  postings: readonly (Posting | FunctionalPosting)[],
  date: LocalDate,
  rate?: ExchangeRate,
): Promise<FunctionalPosting[]> {
  const base = await baseCurrencyOf(s);
  if (rate !== undefined && rate.quote !== base) throw new Error(`postEntry: the rate converts to ${rate.quote}, the base currency is ${base}`);
  const currencies = new Set(postings.map((p) => p.currency));
  if (currencies.size === 1 && !currencies.has(base)) {
    const [currency] = [...currencies] as [string];
    if (postings.some(isFunctional)) throw new Error(`postEntry: functional postings must be in ${base}, got ${currency}`);
    const used = rate ?? (await rateFor(s, currency, date, 'date')).rate;
    if (used.base !== currency) throw new Error(`postEntry: postings in ${currency}, the rate converts ${used.base}`);
    return toFunctional(postings, used);
  }
  if (currencies.size > 1) throw new Error(`postEntry: an entry's postings are in one currency, got ${[...currencies].join(', ')}`);
  return postings.map((p) => (isFunctional(p) ? p : { ...p, amountCurrency: null, amountMinor: null }));
}

export async function postEntry(
  s: Store,
  env: Env,
  e: {
    date: LocalDate;
    description: string;
    sourceType: string;
    sourceId: string;
    postings: readonly (Posting | FunctionalPosting)[];
    /** The rate the document uses (document currency → base); default: the rate on `date`. */
    rate?: ExchangeRate | undefined;
    /** The entry this one reverses (a correction: the same lines on the other side). */
    reversesEntryId?: JournalEntryId | undefined;
    /**
     * When `date` is in a closed period: 'move' (a document; default) posts on the first open day and
     * keeps `date` as the document date; 'refuse' (a manual entry) is a 409 period_locked.
     */
    onLockedPeriod?: 'move' | 'refuse';
    /** The entry's id when the caller needs it beforehand (a manual entry is its own source). */
    id?: JournalEntryId | undefined;
  },
): Promise<JournalEntryRecord> {
  assertBalanced(e.postings);
  const books = await booksSettingsOf(s);
  const placed = postingDate(e.date, books.lockedThrough);
  if (placed.moved && e.onLockedPeriod === 'refuse') {
    throw new DomainError('period_locked', `The books are closed through ${books.lockedThrough}; an entry dated ${e.date} cannot be posted`, 'date');
  }
  // A foreign document converts at its own rate (or its own date's), wherever it lands.
  const postings = await functionalPostings(s, e.postings, e.date, e.rate);
  assertBalanced(postings);
  const fiscalYear = fiscalYearOf(placed.entryDate, books.fiscalYearStartMonth).label;
  const number = await s.series.next(`JE-${JOURNAL_SERIES}-${fiscalYear}`);
  const entry: JournalEntryRecord = {
    id: e.id ?? (env.ids.next('journalEntry') as JournalEntryId),
    series: JOURNAL_SERIES,
    fiscalYear,
    number: Number(number),
    entryDate: placed.entryDate,
    documentDate: placed.moved ? e.date : null,
    createdBy: env.actor.actorId,
    description: e.description,
    sourceType: e.sourceType,
    sourceId: e.sourceId,
    reversesEntryId: e.reversesEntryId ?? null,
    createdAt: env.clock.now(),
    lines: postings.map((p, i) => ({
      lineNo: i + 1,
      account: p.account,
      currency: p.currency,
      debitMinor: p.debitMinor,
      creditMinor: p.creditMinor,
      customerId: p.customerId as JournalEntryRecord['lines'][number]['customerId'],
      amountCurrency: p.amountCurrency,
      amountMinor: p.amountMinor,
    })),
  };
  await s.journal.insert(entry);
  return entry;
}
