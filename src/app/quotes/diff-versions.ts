/** Compares two versions of a quote (by version number): lines added, removed and changed, header and totals. */
import { diffQuoteVersions, type QuoteVersionDiff, type QuoteVersionSnapshot } from '../../core/quotes/diff.js';
import { invalid, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import type { QuoteRecord, Store } from '../ports.js';

export function versionSnapshot(q: QuoteRecord): QuoteVersionSnapshot {
  return {
    version: q.version,
    currency: q.currency,
    validUntil: q.validUntil,
    paymentTermsDays: q.paymentTermsDays,
    notes: q.notes,
    quoteDiscount: q.quoteDiscount,
    netTotalMinor: q.netTotalMinor,
    grossTotalMinor: q.grossTotalMinor,
    lines: q.lines.map((l) => ({
      lineKey: l.lineKey,
      lineNo: l.lineNo,
      productId: l.productId,
      description: l.description,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      discount: l.lineDiscount,
      optional: l.optional,
      // before the quote-level discount, so a change of that discount shows in the header, not on every line
      netAmountMinor: l.netAmountMinor + l.quoteDiscountMinor,
    })),
  };
}

/**
 * Without version numbers: the given version against the one before it (version 1 against itself
 * gives an empty diff).
 */
export async function diffVersions(
  s: Store,
  id: QuoteId,
  opts: { from?: number | undefined; to?: number | undefined },
): Promise<{ quote: QuoteRecord; diff: QuoteVersionDiff }> {
  const quote = await s.quotes.get(id);
  if (!quote) throw notFound('quote', id);
  const versions = await s.quotes.listVersions(quote.rootId);
  const toNo = opts.to ?? quote.version;
  const fromNo = opts.from ?? Math.max(1, toNo - 1);
  const find = (n: number, param: string) => {
    const v = versions.find((x) => x.version === n);
    if (!v) throw invalid(param, `${param} must be a version of this quote (1 to ${versions.length})`);
    return v;
  };
  const from = find(fromNo, 'from');
  const to = find(toNo, 'to');
  return { quote, diff: diffQuoteVersions(versionSnapshot(from), versionSnapshot(to)) };
}
