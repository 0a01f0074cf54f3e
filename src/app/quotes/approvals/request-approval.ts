/** draft → awaiting_approval: records who asked, for which version, and which rules the version triggers. */
import { needsApproval } from '../../../core/quotes/approvals.js';
import { nextQuoteVersionStatus } from '../../../core/quotes/quote-status.js';
import { DomainError, notFound } from '../../../core/shared/errors.js';
import type { QuoteId } from '../../../core/shared/ids.js';
import type { QuoteApprovalRecord, QuoteRecord, Store } from '../../ports.js';
import type { Env } from '../../shared/env.js';
import { recordChange } from '../../shared/record.js';
import { evaluateQuoteApproval } from './approval-quote.js';

export async function requestApproval(
  s: Store,
  env: Env,
  id: QuoteId,
): Promise<{ quote: QuoteRecord; approval: QuoteApprovalRecord }> {
  const quote = await s.quotes.getForUpdate(id);
  if (!quote) throw notFound('quote', id);
  const to = nextQuoteVersionStatus(quote.status, 'request_approval');
  if (quote.lines.length === 0) throw new DomainError('quote_has_no_lines', 'A quote without lines cannot be submitted for approval');
  const { triggered, snapshot } = await evaluateQuoteApproval(s, quote);
  if (!needsApproval(triggered)) {
    throw new DomainError('unprocessable', 'No approval rule applies to this version: send it directly');
  }
  const now = env.clock.now();
  if (!(await s.quotes.transition(id, quote.status, to, now))) {
    throw new DomainError('quote_not_draft', 'The quote changed while approval was being requested; reload it');
  }
  const approval: QuoteApprovalRecord = {
    id: env.ids.next('quoteApproval'),
    quoteId: id,
    version: quote.version,
    status: 'requested',
    requestedBy: env.actor.actorId,
    requestedAt: now,
    decidedBy: null,
    decidedAt: null,
    comment: null,
    triggered,
    snapshot,
  };
  await s.approvals.insert(approval);
  await recordChange(s, env, {
    action: 'quote.approval_requested',
    entityType: 'quote',
    entityId: id,
    data: { version: quote.version, approval_id: approval.id, triggered: triggered.map((t) => t.message) },
    event: { type: 'quote.approval_requested', payload: { id, number: quote.number, version: quote.version, approval_id: approval.id } },
  });
  return { quote: { ...quote, status: to }, approval };
}
