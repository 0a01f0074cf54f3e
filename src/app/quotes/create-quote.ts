import { yearlyNumber } from '../../core/documents/numbers.js';
import { addDays, compareDates, yearOf, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { CustomerId } from '../../core/shared/ids.js';
import type { DiscountInput, QuoteRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { priceQuoteLines, type QuoteLineInput } from './price-lines.js';

export const DEFAULT_QUOTE_VALIDITY_DAYS = 30;

export interface CreateQuoteInput {
  customerId: CustomerId;
  currency?: string | undefined;
  quoteDate?: LocalDate | undefined;
  validUntil?: LocalDate | undefined;
  paymentTermsDays?: number | undefined;
  notes?: string | null | undefined;
  /** Quote-level discount, allocated over the included lines. */
  discount?: DiscountInput | null | undefined;
  /** Unit prices (and amount discounts) include VAT (B2C); default false. See price-lines.ts and ADR 0009. */
  pricesIncludeVat?: boolean | undefined;
  lines: QuoteLineInput[];
}

export async function createQuote(s: Store, env: Env, input: CreateQuoteInput): Promise<QuoteRecord> {
  const customer = await s.customers.get(input.customerId);
  if (!customer) throw notFound('customer', input.customerId, 'customer_id');
  if (input.lines.length === 0) throw invalid('lines', 'A quote needs at least one line');
  const currency = input.currency ?? customer.currency;
  if (currency !== customer.currency) {
    throw new DomainError('currency_mismatch', `The customer is billed in ${customer.currency}, not ${currency}`, 'currency');
  }
  const quoteDate = input.quoteDate ?? env.clock.today();
  const validUntil = input.validUntil ?? addDays(quoteDate, DEFAULT_QUOTE_VALIDITY_DAYS);
  if (compareDates(validUntil, quoteDate) < 0) throw invalid('valid_until', 'valid_until must not be before the quote date');
  const priced = await priceQuoteLines(
    s,
    { customerId: customer.id, currency, quoteDate, pricesIncludeVat: input.pricesIncludeVat === true },
    input.lines,
    input.discount ?? null,
  );
  const seq = await s.series.next(`Q-${yearOf(quoteDate)}`);
  const id = env.ids.next('quote');
  const quote: QuoteRecord = {
    id,
    number: yearlyNumber('Q', yearOf(quoteDate), seq),
    version: 1,
    rootId: id,
    previousVersionId: null,
    customerId: customer.id,
    currency,
    status: 'draft',
    quoteDate,
    validUntil,
    paymentTermsDays: input.paymentTermsDays ?? customer.paymentTermsDays,
    notes: input.notes ?? null,
    ...priced,
    sentAt: null,
    acceptedAt: null,
    declinedReason: null,
    declinedAt: null,
    expiredAt: null,
    supersededAt: null,
    createdAt: env.clock.now(),
  };
  await s.quotes.insert(quote);
  await recordChange(s, env, {
    action: 'quote.created',
    entityType: 'quote',
    entityId: quote.id,
    data: { number: quote.number, gross: quote.grossTotalMinor.toString() },
  });
  return quote;
}
