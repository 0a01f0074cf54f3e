/**
 * The journal, a page at a time: exports walk it with this instead of loading it, so memory stays at
 * one page (100 entries with their lines) however large the ledger is.
 */
import type { LocalDate } from '../../core/shared/dates.js';
import type { JournalEntryRecord, Store } from '../ports.js';

export const JOURNAL_PAGE_SIZE = 100;

export interface JournalFilter {
  from?: LocalDate | undefined;
  to?: LocalDate | undefined;
  sourceType?: string | undefined;
  sourceId?: string | undefined;
}

/** Every entry matching the filter, in id (posting) order, read page by page. */
export async function* journalEntries(s: Store, filter: JournalFilter): AsyncGenerator<JournalEntryRecord> {
  const f: { from?: LocalDate; to?: LocalDate; sourceType?: string; sourceId?: string } = {};
  if (filter.from !== undefined) f.from = filter.from;
  if (filter.to !== undefined) f.to = filter.to;
  if (filter.sourceType !== undefined) f.sourceType = filter.sourceType;
  if (filter.sourceId !== undefined) f.sourceId = filter.sourceId;
  let startingAfter: string | undefined;
  for (;;) {
    const page = await s.journal.list({ limit: JOURNAL_PAGE_SIZE, startingAfter }, f);
    for (const e of page.data) yield e;
    const last = page.data.at(-1);
    if (!page.hasMore || last === undefined) return;
    startingAfter = last.id;
  }
}
