/**
 * The customer asks for changes to the linked version. The comment is stored and a
 * `quote.changes_requested` event tells staff (the e-mail handler writes to the seller's address).
 * The version itself does not change: staff revise it and send a new version.
 */
import { DomainError } from '../../core/shared/errors.js';
import type { QuoteChangeRequestRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { openPortalLink } from './resolve-portal-link.js';
import { changeRequestComment } from './change-request-comment.js';

export const MAX_COMMENT_LENGTH = 5000;

export async function requestQuoteChanges(s: Store, env: Env, token: string, input: { comment: string }): Promise<QuoteChangeRequestRecord> {
  const comment = changeRequestComment(input, MAX_COMMENT_LENGTH);
  const { quote } = await openPortalLink(s, env, token);
  if (quote.status !== 'sent') {
    throw new DomainError('quote_not_sent', `Version ${quote.version} is ${quote.status}; changes can only be requested on a sent version`);
  }
  const request: QuoteChangeRequestRecord = { id: env.ids.next('changeRequest'), quoteId: quote.id, comment, createdAt: env.clock.now() };
  await s.portal.insertChangeRequest(request);
  await recordChange(s, env, {
    action: 'quote.changes_requested',
    entityType: 'quote',
    entityId: quote.id,
    data: { changeRequestId: request.id, version: quote.version, comment },
    event: {
      type: 'quote.changes_requested',
      payload: { id: quote.id, number: quote.number, version: quote.version, change_request_id: request.id, comment },
    },
  });
  return request;
}
