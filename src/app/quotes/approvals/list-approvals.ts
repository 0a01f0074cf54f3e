/** Every approval request of a quote (all its versions), oldest first. */
import { notFound } from '../../../core/shared/errors.js';
import type { QuoteId } from '../../../core/shared/ids.js';
import type { QuoteApprovalRecord, Store } from '../../ports.js';

export async function listQuoteApprovals(s: Store, id: QuoteId): Promise<QuoteApprovalRecord[]> {
  const q = await s.quotes.get(id);
  if (!q) throw notFound('quote', id);
  return s.approvals.listForRoot(q.rootId);
}
