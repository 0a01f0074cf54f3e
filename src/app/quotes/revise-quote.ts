/**
 * Revising a quote: the latest version, once sent (or declined or expired), is copied into a new
 * draft version with the same number and the next version number. The sent version is never touched;
 * the new draft is edited and sent in its turn, which supersedes the older sent version.
 */
import { addDays, compareDates } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import type { QuoteRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { DEFAULT_QUOTE_VALIDITY_DAYS } from './create-quote.js';

const REVISABLE = new Set(['sent', 'declined', 'expired']);

export async function reviseQuote(s: Store, env: Env, id: QuoteId): Promise<QuoteRecord> {
  const given = await s.quotes.getForUpdate(id);
  if (!given) throw notFound('quote', id);
  const versions = await s.quotes.listVersions(given.rootId);
  const latest = versions[versions.length - 1]!;
  if (latest.id !== given.id) {
    throw new DomainError('conflict', `Version ${given.version} is not the latest; revise version ${latest.version} (${latest.id})`);
  }
  if (!REVISABLE.has(latest.status)) {
    if (latest.status === 'accepted') {
      throw new DomainError('conflict', 'The quote is accepted and has become an order; it cannot be revised');
    }
    throw new DomainError('quote_not_sent', `Version ${latest.version} is ${latest.status}: edit it instead of revising it`);
  }
  const today = env.clock.today();
  const newId = env.ids.next('quote');
  const validUntil =
    compareDates(latest.validUntil, today) >= 0 ? latest.validUntil : addDays(today, DEFAULT_QUOTE_VALIDITY_DAYS);
  const draft: QuoteRecord = {
    ...latest,
    id: newId,
    version: latest.version + 1,
    previousVersionId: latest.id,
    status: 'draft',
    quoteDate: today,
    validUntil,
    sentAt: null,
    acceptedAt: null,
    declinedReason: null,
    declinedAt: null,
    expiredAt: null,
    supersededAt: null,
    createdAt: env.clock.now(),
    lines: latest.lines.map((l) => ({ ...l })),
  };
  await s.quotes.insert(draft);
  await recordChange(s, env, {
    action: 'quote.revised',
    entityType: 'quote',
    entityId: newId,
    data: { number: draft.number, version: draft.version, from: latest.id },
    event: { type: 'quote.revised', payload: { id: newId, root_id: draft.rootId, version: draft.version } },
  });
  return draft;
}

export async function listQuoteVersions(s: Store, id: QuoteId): Promise<QuoteRecord[]> {
  const q = await s.quotes.get(id);
  if (!q) throw notFound('quote', id);
  return s.quotes.listVersions(q.rootId);
}
