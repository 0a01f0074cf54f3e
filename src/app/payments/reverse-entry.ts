/**
 * Reverses the journal entries of a source (an allocation, a payment's receipt): for each entry of the
 * source not yet reversed, a new entry with the same lines on the other side (core reverseFunctional),
 * dated `date` and posted through postEntry (numbered like every entry), with reverses_entry_id
 * pointing at the entry it reverses. Posted entries are never changed (decision 0008, ACCOUNTING.md).
 */
import { reverseFunctional } from '../../core/ledger/payment-rules.js';
import type { LocalDate } from '../../core/shared/dates.js';
import type { JournalEntryId } from '../../core/shared/ids.js';
import type { JournalEntryRecord, Store } from '../ports.js';
import { postEntry } from '../ledger/post-entry.js';
import { journalEntries } from '../ledger/journal-pages.js';
import type { Env } from '../shared/env.js';

export async function reverseEntriesOf(
  s: Store,
  env: Env,
  source: { sourceType: string; sourceId: string },
  date: LocalDate,
  description: string,
): Promise<JournalEntryRecord[]> {
  // the entries of the source, reversal entries included (a source has a handful)
  const entries: JournalEntryRecord[] = [];
  for await (const e of journalEntries(s, { sourceId: source.sourceId })) entries.push(e);
  const reversed = new Set(entries.map((e) => e.reversesEntryId).filter((x): x is JournalEntryId => x !== null));
  const originals = entries.filter((e) => e.sourceType === source.sourceType && e.reversesEntryId === null && !reversed.has(e.id));
  const out: JournalEntryRecord[] = [];
  for (const e of originals) {
    out.push(
      await postEntry(s, env, {
        date,
        description: `${description} (reverses ${e.series} ${e.fiscalYear}-${e.number})`,
        sourceType: `${source.sourceType}_reversal`,
        sourceId: source.sourceId,
        postings: reverseFunctional(e.lines),
        reversesEntryId: e.id,
      }),
    );
  }
  return out;
}
