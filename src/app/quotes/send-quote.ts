/**
 * Sends a quote version: it becomes immutable and visible to the customer, and any older sent version
 * of the same quote is superseded (it can no longer be accepted).
 */
import { nextQuoteVersionStatus } from '../../core/quotes/quote-status.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import type { QuoteRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export async function sendQuote(s: Store, env: Env, id: QuoteId): Promise<QuoteRecord> {
  const quote = await s.quotes.getForUpdate(id);
  if (!quote) throw notFound('quote', id);
  // Approval rules are not configured yet (issue 3, approvals): no version needs approval until they are.
  const to = nextQuoteVersionStatus(quote.status, 'send', { approvalRequired: false });
  if (quote.lines.length === 0) throw new DomainError('quote_has_no_lines', 'A quote without lines cannot be sent');
  const now = env.clock.now();
  if (!(await s.quotes.transition(id, quote.status, to, now))) {
    throw new DomainError('quote_not_draft', 'The quote changed while it was being sent; reload it');
  }
  const superseded = await s.quotes.supersedeOthers(quote.rootId, id, now);
  for (const old of superseded) {
    await recordChange(s, env, {
      action: 'quote.superseded',
      entityType: 'quote',
      entityId: old,
      data: { by: id, version: quote.version },
      event: { type: 'quote.superseded', payload: { id: old, superseded_by: id } },
    });
  }
  await recordChange(s, env, {
    action: 'quote.sent',
    entityType: 'quote',
    entityId: id,
    data: { version: quote.version },
    event: { type: 'quote.sent', payload: { id, number: quote.number, version: quote.version } },
  });
  return { ...quote, status: to, sentAt: now };
}

export async function getQuote(s: Store, id: QuoteId): Promise<QuoteRecord> {
  const q = await s.quotes.get(id);
  if (!q) throw notFound('quote', id);
  return q;
}
