/** Posts a balanced journal entry, numbered without gaps per series and fiscal year (verifikationsnummer). */
import { assertBalanced, type Posting } from '../../core/ledger/journal.js';
import { yearOf, type LocalDate } from '../../core/shared/dates.js';
import type { JournalEntryId } from '../../core/shared/ids.js';
import type { JournalEntryRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';

export const JOURNAL_SERIES = 'A';

export async function postEntry(
  s: Store,
  env: Env,
  e: { date: LocalDate; description: string; sourceType: string; sourceId: string; postings: Posting[] },
): Promise<JournalEntryRecord> {
  assertBalanced(e.postings);
  const fiscalYear = yearOf(e.date);
  const number = await s.series.next(`JE-${JOURNAL_SERIES}-${fiscalYear}`);
  const entry: JournalEntryRecord = {
    id: env.ids.next('journalEntry') as JournalEntryId,
    series: JOURNAL_SERIES,
    fiscalYear,
    number: Number(number),
    entryDate: e.date,
    description: e.description,
    sourceType: e.sourceType,
    sourceId: e.sourceId,
    reversesEntryId: null,
    createdAt: env.clock.now(),
    lines: e.postings.map((p, i) => ({
      lineNo: i + 1,
      account: p.account,
      currency: p.currency,
      debitMinor: p.debitMinor,
      creditMinor: p.creditMinor,
      customerId: p.customerId as JournalEntryRecord['lines'][number]['customerId'],
    })),
  };
  await s.journal.insert(entry);
  return entry;
}
