/** awaiting_approval → approved: records who approved, when, the version and the snapshot approved. */
import { nextQuoteVersionStatus } from '../../../core/quotes/quote-status.js';
import { DomainError } from '../../../core/shared/errors.js';
import type { QuoteId } from '../../../core/shared/ids.js';
import type { QuoteApprovalRecord, QuoteRecord, Store } from '../../ports.js';
import type { Env } from '../../shared/env.js';
import { recordChange } from '../../shared/record.js';
import { evaluateQuoteApproval } from './approval-quote.js';
import { openApprovalFor } from './decide-approval.js';

export async function approveQuote(
  s: Store,
  env: Env,
  id: QuoteId,
  comment: string | null,
): Promise<{ quote: QuoteRecord; approval: QuoteApprovalRecord }> {
  const { quote, approval } = await openApprovalFor(s, env, id, 'approve');
  const to = nextQuoteVersionStatus(quote.status, 'approve');
  const { triggered, snapshot } = await evaluateQuoteApproval(s, quote);
  const now = env.clock.now();
  if (!(await s.quotes.transition(id, quote.status, to, now))) {
    throw new DomainError('quote_not_awaiting_approval', 'The quote changed while it was being approved; reload it');
  }
  const decision = { status: 'approved' as const, decidedBy: env.actor.actorId, decidedAt: now, comment, triggered, snapshot };
  if (!(await s.approvals.decide(approval.id, decision))) {
    throw new DomainError('quote_not_awaiting_approval', 'The approval request was decided meanwhile; reload it');
  }
  await recordChange(s, env, {
    action: 'quote.approved',
    entityType: 'quote',
    entityId: id,
    data: { version: quote.version, approval_id: approval.id, requested_by: approval.requestedBy, comment },
    event: { type: 'quote.approved', payload: { id, number: quote.number, version: quote.version, approval_id: approval.id } },
  });
  return { quote: { ...quote, status: to }, approval: { ...approval, ...decision } };
}
