/**
 * The customer accepts a sent quote: it becomes a sales order whose lines are frozen copies of the
 * quote lines (prices, discounts, VAT basis, terms). Later product price changes touch nothing here.
 */
import { nextQuoteVersionStatus } from '../../core/quotes/quote-status.js';
import { compareDates, yearOf } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import { ZERO_D } from '../../core/money/quantity.js';
import { isIncludedLine, type OrderRecord, type Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export async function acceptQuote(s: Store, env: Env, id: QuoteId): Promise<OrderRecord> {
  const quote = await s.quotes.getForUpdate(id);
  if (!quote) throw notFound('quote', id);
  const to = nextQuoteVersionStatus(quote.status, 'accept');
  const today = env.clock.today();
  if (compareDates(today, quote.validUntil) > 0) {
    throw new DomainError('quote_expired', `The quote was valid until ${quote.validUntil} and can no longer be accepted`);
  }
  const now = env.clock.now();
  if (!(await s.quotes.transition(id, 'sent', to, now))) {
    throw new DomainError('quote_not_sent', 'The quote changed while it was being accepted; reload it');
  }
  const seq = await s.series.next(`SO-${yearOf(today)}`);
  const order: OrderRecord = {
    id: env.ids.next('order'),
    number: `SO-${yearOf(today)}-${seq.toString().padStart(4, '0')}`,
    quoteId: quote.id,
    customerId: quote.customerId,
    currency: quote.currency,
    status: 'unconfirmed',
    orderDate: today,
    paymentTermsDays: quote.paymentTermsDays,
    netTotalMinor: quote.netTotalMinor,
    vatTotalMinor: quote.vatTotalMinor,
    grossTotalMinor: quote.grossTotalMinor,
    confirmedAt: null,
    createdAt: now,
    // Only the lines in the quote's totals (unselected optional lines stay on the quote), as frozen
    // priced lines: the quote's totals are exactly the sum of these.
    lines: quote.lines.filter(isIncludedLine).map((l, i) => ({
      lineNo: i + 1,
      productId: l.productId,
      description: l.description,
      quantity: l.quantity,
      unit: l.unit,
      unitPriceMinor: l.unitPriceMinor,
      discountPercent: l.discountPercent,
      grossAmountMinor: l.grossAmountMinor,
      discountAmountMinor: l.discountAmountMinor,
      netAmountMinor: l.netAmountMinor,
      vatRate: l.vatRate,
      vatCategory: l.vatCategory,
      taxClass: l.taxClass,
      quantityAllocated: ZERO_D,
      quantityShipped: ZERO_D,
      quantityDelivered: ZERO_D,
      quantityInvoiced: ZERO_D,
      netInvoicedMinor: 0n,
    })),
  };
  await s.orders.insert(order);
  await recordChange(s, env, {
    action: 'quote.accepted',
    entityType: 'quote',
    entityId: quote.id,
    data: { orderId: order.id, version: quote.version },
    event: { type: 'quote.accepted', payload: { id: quote.id, order_id: order.id } },
  });
  await recordChange(s, env, {
    action: 'order.created',
    entityType: 'order',
    entityId: order.id,
    data: { number: order.number, quoteId: quote.id },
    event: { type: 'order.created', payload: { id: order.id, quote_id: quote.id } },
  });
  return order;
}
