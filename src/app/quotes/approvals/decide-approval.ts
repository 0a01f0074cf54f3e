/**
 * The shared part of approving and rejecting: the version must be awaiting approval, the actor must
 * hold an approver role and must not be the one who asked.
 */
import { DomainError, notFound } from '../../../core/shared/errors.js';
import type { QuoteId } from '../../../core/shared/ids.js';
import type { QuoteApprovalRecord, QuoteRecord, Store } from '../../ports.js';
import type { Env } from '../../shared/env.js';
import { APPROVER_ROLES } from './approval-quote.js';

export async function openApprovalFor(
  s: Store,
  env: Env,
  id: QuoteId,
  verb: 'approve' | 'reject',
): Promise<{ quote: QuoteRecord; approval: QuoteApprovalRecord }> {
  const quote = await s.quotes.getForUpdate(id);
  if (!quote) throw notFound('quote', id);
  if (quote.status !== 'awaiting_approval') {
    throw new DomainError('quote_not_awaiting_approval', `Cannot ${verb} quote: it is '${quote.status}', not 'awaiting_approval'`);
  }
  const role = env.actor.role;
  if (role === undefined || !APPROVER_ROLES.includes(role)) {
    throw new DomainError('forbidden', `Only ${APPROVER_ROLES.join(' or ')} keys may ${verb} quotes${role === undefined ? '' : `; this key is '${role}'`}`);
  }
  const approval = await s.approvals.getOpenForUpdate(id);
  if (!approval) throw new DomainError('quote_not_awaiting_approval', `Quote ${id} has no open approval request`);
  if (approval.requestedBy === env.actor.actorId) {
    throw new DomainError('forbidden', `The requester cannot ${verb} their own approval request; another approver must`);
  }
  return { quote, approval };
}
