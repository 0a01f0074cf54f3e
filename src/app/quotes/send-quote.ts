/**
 * Sends a quote version: it becomes immutable and visible to the customer, and any older sent version
 * of the same quote is superseded (it can no longer be accepted).
 */
import { nextQuoteVersionStatus } from '../../core/quotes/quote-status.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import { needsApproval, needsReapproval } from '../../core/quotes/approvals.js';
import type { QuoteApprovalRecord, QuoteRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { evaluateQuoteApproval } from './approvals/approval-quote.js';

export async function sendQuote(s: Store, env: Env, id: QuoteId): Promise<QuoteRecord> {
  const quote = await s.quotes.getForUpdate(id);
  if (!quote) throw notFound('quote', id);
  // Refuses every status that cannot be sent; whether a draft needs approval is decided below.
  const to = nextQuoteVersionStatus(quote.status, 'send', { approvalRequired: false });
  if (quote.lines.length === 0) throw new DomainError('quote_has_no_lines', 'A quote without lines cannot be sent');
  const carriedOver = quote.status === 'draft' ? await approvalCheck(s, quote) : null;
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
    data: {
      version: quote.version,
      ...(carriedOver === null
        ? {}
        : { approval_carried_over: { approval_id: carriedOver.id, approved_version: carriedOver.version, approved_by: carriedOver.decidedBy } }),
    },
    event: { type: 'quote.sent', payload: { id, number: quote.number, version: quote.version } },
  });
  return { ...quote, status: to, sentAt: now };
}

/**
 * A draft that triggers approval rules cannot be sent, unless an earlier version of the quote was
 * approved and nothing that needed approval changed since (needsReapproval): then that approval
 * carries over, and is returned so the audit can say so. Null when no approval is needed at all.
 */
async function approvalCheck(s: Store, quote: QuoteRecord): Promise<QuoteApprovalRecord | null> {
  const { triggered, snapshot } = await evaluateQuoteApproval(s, quote);
  if (!needsApproval(triggered)) return null;
  const earlier = await s.approvals.latestApprovedForRoot(quote.rootId);
  let reasons: readonly string[] = [];
  if (earlier !== undefined && earlier.version < quote.version) {
    const decision = needsReapproval(earlier.snapshot, snapshot);
    if (!decision.required) return earlier;
    reasons = decision.reasons;
  }
  const why = [...triggered.map((t) => t.message), ...reasons].join('; ');
  throw new DomainError('quote_approval_required', `This version needs approval before it can be sent (${why}); request approval first`);
}

export async function getQuote(s: Store, id: QuoteId): Promise<QuoteRecord> {
  const q = await s.quotes.get(id);
  if (!q) throw notFound('quote', id);
  return q;
}
