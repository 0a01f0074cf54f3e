/**
 * From the quote domain to the quote document: pure mapping. The VAT summary is computed with the
 * same core function the totals came from, so the document always agrees with the quote.
 */
import { documentTotals } from '../../core/documents/lines.js';
import { money } from '../../core/money/money.js';
import type { QuoteDocumentData } from '../../app/quotes/quote-document.js';
import { isIncludedLine } from '../../app/ports.js';
import type { DocumentLanguage, QuoteDocument } from './quote-document.js';
import { buyerParty, sellerParty } from './party-mapping.js';

/** The customer's language: Swedish for Swedish customers, English for everyone else. */
export const languageFor = (country: string): DocumentLanguage => (country === 'SE' ? 'sv' : 'en');

export function toQuoteDocument(data: QuoteDocumentData, language: DocumentLanguage): QuoteDocument {
  const { quote, seller, buyer } = data;
  const cur = quote.currency;
  const included = quote.lines.filter(isIncludedLine);
  const totals = documentTotals(
    cur,
    included.map((l) => ({ net: money(l.netAmountMinor, cur), vatRate: l.vatRate, vatCategory: l.vatCategory })),
  );
  return {
    language,
    seller: sellerParty(seller),
    buyer: buyerParty(buyer),
    number: quote.number,
    version: quote.version,
    quoteDate: quote.quoteDate,
    validUntil: quote.validUntil,
    currency: cur,
    paymentTermsDays: quote.paymentTermsDays,
    lines: quote.lines.map((l) => ({
      lineNo: l.lineNo,
      description: l.description,
      quantity: l.quantity,
      unit: l.unit,
      unitPriceMinor: l.unitPriceMinor,
      discountPercent: l.lineDiscount?.kind === 'percent' ? l.lineDiscount.percent : null,
      discountAmountMinor: l.lineDiscountMinor,
      // the document shows lines before the quote-level discount, which it prints once below them
      netAmountMinor: l.netAmountMinor + l.quoteDiscountMinor,
      vatRate: l.vatRate,
      optional: l.optional,
      selected: l.selected,
      ...(l.bundle?.display === 'expanded'
        ? { components: l.bundle.components.map((c) => ({ description: c.description, quantity: c.quantity, unit: c.unit })) }
        : {}),
    })),
    quoteDiscountMinor: quote.quoteDiscountMinor,
    vatBreakdown: totals.breakdown.map((b) => ({
      vatRate: b.vatRate,
      vatCategory: b.vatCategory,
      taxableMinor: b.taxable.minor,
      vatMinor: b.vat.minor,
    })),
    netTotalMinor: quote.netTotalMinor,
    vatTotalMinor: quote.vatTotalMinor,
    grossTotalMinor: quote.grossTotalMinor,
    roundingMinor: quote.roundingMinor,
    notes: quote.notes,
    terms: null,
  };
}
