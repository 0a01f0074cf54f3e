/** awaiting_approval → draft, with the approver's comment kept on the approval. */
import { nextQuoteVersionStatus } from '../../../core/quotes/quote-status.js';
import { DomainError, invalid } from '../../../core/shared/errors.js';
import type { QuoteId } from '../../../core/shared/ids.js';
import type { QuoteApprovalRecord, QuoteRecord, Store } from '../../ports.js';
import type { Env } from '../../shared/env.js';
import { recordChange } from '../../shared/record.js';
import { openApprovalFor } from './decide-approval.js';

export const MAX_APPROVAL_COMMENT_LENGTH = 2000;

export async function rejectApproval(
  s: Store,
  env: Env,
  id: QuoteId,
  comment: string,
): Promise<{ quote: QuoteRecord; approval: QuoteApprovalRecord }> {
  const text = comment.trim();
  if (text.length === 0) throw invalid('comment', 'must say why the approval is rejected');
  if (text.length > MAX_APPROVAL_COMMENT_LENGTH) throw invalid('comment', `must be at most ${MAX_APPROVAL_COMMENT_LENGTH} characters`);
  const { quote, approval } = await openApprovalFor(s, env, id, 'reject');
  const to = nextQuoteVersionStatus(quote.status, 'reject_approval');
  const now = env.clock.now();
  if (!(await s.quotes.transition(id, quote.status, to, now))) {
    throw new DomainError('quote_not_awaiting_approval', 'The quote changed while it was being rejected; reload it');
  }
  const decision = {
    status: 'rejected' as const, decidedBy: env.actor.actorId, decidedAt: now, comment: text,
    triggered: approval.triggered, snapshot: approval.snapshot,
  };
  if (!(await s.approvals.decide(approval.id, decision))) {
    throw new DomainError('quote_not_awaiting_approval', 'The approval request was decided meanwhile; reload it');
  }
  await recordChange(s, env, {
    action: 'quote.approval_rejected',
    entityType: 'quote',
    entityId: id,
    data: { version: quote.version, approval_id: approval.id, comment: text },
    event: { type: 'quote.approval_rejected', payload: { id, number: quote.number, version: quote.version, approval_id: approval.id } },
  });
  return { quote: { ...quote, status: to }, approval: { ...approval, ...decision } };
}
