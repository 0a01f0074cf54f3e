/** The customer declines a sent version, with a reason that is kept. */
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import type { QuoteRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export const MAX_REASON_LENGTH = 2000;

export async function declineQuote(s: Store, env: Env, id: QuoteId, input: { reason: string }): Promise<QuoteRecord> {
  const reason = input.reason.trim();
  if (reason === '') throw invalid('reason', 'reason is required when declining a quote');
  if (reason.length > MAX_REASON_LENGTH) throw invalid('reason', `reason must be at most ${MAX_REASON_LENGTH} characters`);
  const quote = await s.quotes.getForUpdate(id);
  if (!quote) throw notFound('quote', id);
  if (quote.status !== 'sent') {
    throw new DomainError('quote_not_sent', `Version ${quote.version} is ${quote.status}; only a sent version can be declined`);
  }
  const at = env.clock.now();
  if (!(await s.quotes.decline(id, reason, at))) {
    throw new DomainError('quote_not_sent', 'The quote changed while it was being declined; reload it');
  }
  await recordChange(s, env, {
    action: 'quote.declined',
    entityType: 'quote',
    entityId: id,
    data: { version: quote.version, reason },
    event: { type: 'quote.declined', payload: { id, number: quote.number, version: quote.version, reason } },
  });
  return { ...quote, status: 'declined', declinedReason: reason, declinedAt: at };
}
