/**
 * Editing a draft version: header fields and lines are replaced and re-priced. A version that has been
 * sent is immutable: any change is refused with 409 quote_not_draft (revise it instead).
 */
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import type { QuoteRecord, Store } from '../ports.js';
import { isEditable } from '../../core/quotes/quote-status.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { priceQuoteLines, type QuoteLineInput } from './price-lines.js';

export interface UpdateQuoteInput {
  validUntil?: LocalDate | undefined;
  paymentTermsDays?: number | undefined;
  notes?: string | null | undefined;
  /** The complete new set of lines; omitted = lines unchanged. Carry `line_key` to keep a line's identity. */
  lines?: QuoteLineInput[] | undefined;
}

export async function updateQuote(s: Store, env: Env, id: QuoteId, input: UpdateQuoteInput): Promise<QuoteRecord> {
  const quote = await s.quotes.getForUpdate(id);
  if (!quote) throw notFound('quote', id);
  if (!isEditable(quote.status)) {
    throw new DomainError(
      'quote_not_draft',
      `Version ${quote.version} is ${quote.status} and cannot be changed; revise it to make a new version`,
    );
  }
  const validUntil = input.validUntil ?? quote.validUntil;
  if (compareDates(validUntil, quote.quoteDate) < 0) throw invalid('valid_until', 'valid_until must not be before the quote date');
  if (input.lines !== undefined && input.lines.length === 0) throw invalid('lines', 'A quote needs at least one line');
  let priced = { lines: quote.lines, netTotalMinor: quote.netTotalMinor, vatTotalMinor: quote.vatTotalMinor, grossTotalMinor: quote.grossTotalMinor };
  if (input.lines !== undefined) {
    const versions = await s.quotes.listVersions(quote.rootId);
    const usedKeys = versions.flatMap((v) => v.lines.map((l) => l.lineKey));
    priced = await priceQuoteLines(s, quote.currency, quote.quoteDate, input.lines, usedKeys);
  }
  const updated: QuoteRecord = {
    ...quote,
    validUntil,
    paymentTermsDays: input.paymentTermsDays ?? quote.paymentTermsDays,
    notes: input.notes === undefined ? quote.notes : input.notes,
    ...priced,
  };
  if (!(await s.quotes.replaceDraft(id, updated))) {
    throw new DomainError('quote_not_draft', 'The quote version changed while it was being edited; reload it');
  }
  await recordChange(s, env, {
    action: 'quote.updated',
    entityType: 'quote',
    entityId: id,
    data: { version: quote.version, lines: updated.lines.length, gross: updated.grossTotalMinor.toString() },
  });
  return updated;
}
