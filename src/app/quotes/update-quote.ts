/**
 * Editing a draft version: header fields and lines are replaced and re-priced. A version that has been
 * sent is immutable: any change is refused with 409 quote_not_draft (revise it instead).
 */
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import type { DiscountInput, QuoteRecord, Store } from '../ports.js';
import { isEditable } from '../../core/quotes/quote-status.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { lineInputOf, priceQuoteLines, type PricedQuote, type QuoteLineInput } from './price-lines.js';

export interface UpdateQuoteInput {
  validUntil?: LocalDate | undefined;
  paymentTermsDays?: number | undefined;
  notes?: string | null | undefined;
  /** The complete new set of lines; omitted = lines unchanged. Carry `line_key` to keep a line's identity. */
  lines?: QuoteLineInput[] | undefined;
  /** The quote-level discount; null removes it, omitted = unchanged. */
  discount?: DiscountInput | null | undefined;
  /**
   * Whether the unit prices include VAT; omitted = unchanged. A change re-prices the lines: manual
   * unit prices (and amount discounts) are read as entered, now including (or excluding) VAT.
   */
  pricesIncludeVat?: boolean | undefined;
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
  let priced: PricedQuote = {
    lines: quote.lines,
    netTotalMinor: quote.netTotalMinor,
    vatTotalMinor: quote.vatTotalMinor,
    grossTotalMinor: quote.grossTotalMinor,
    quoteDiscount: quote.quoteDiscount,
    quoteDiscountMinor: quote.quoteDiscountMinor,
    costTotalMinor: quote.costTotalMinor,
    marginMinor: quote.marginMinor,
    pricesIncludeVat: quote.pricesIncludeVat,
    roundingMinor: quote.roundingMinor,
  };
  const pricesIncludeVat = input.pricesIncludeVat ?? quote.pricesIncludeVat;
  if (input.lines !== undefined || input.discount !== undefined || pricesIncludeVat !== quote.pricesIncludeVat) {
    const versions = await s.quotes.listVersions(quote.rootId);
    const usedKeys = versions.flatMap((v) => v.lines.map((l) => l.lineKey));
    const lines = input.lines ?? quote.lines.map(lineInputOf);
    const discount = input.discount === undefined ? quote.quoteDiscount : input.discount;
    priced = await priceQuoteLines(
      s,
      { customerId: quote.customerId, currency: quote.currency, quoteDate: quote.quoteDate, pricesIncludeVat },
      lines,
      discount,
      usedKeys,
    );
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
