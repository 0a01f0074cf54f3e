/**
 * The customer accepts a sent quote: it becomes a sales order whose lines are frozen copies of the
 * quote lines (prices, discounts, VAT basis, terms). Later product price changes touch nothing here.
 *
 * Optionally (the customer portal): the customer's choice of optional lines, which replaces the
 * version's own selection (the quote discount is re-allocated over the lines then included, by
 * core/pricing/selection, so the order's totals are the sum of its lines), and the evidence of the
 * acceptance (signer, consent, IP, user agent, a hash of the accepted content), stored with it.
 */
import { yearlyNumber } from '../../core/documents/numbers.js';
import { nextQuoteVersionStatus } from '../../core/quotes/quote-status.js';
import { applySelection } from '../../core/pricing/selection.js';
import { compareDates, yearOf } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import { zeroRunningQuantities } from '../orders/new-line.js';
import { isIncludedLine, type OrderLineRecord, type OrderRecord, type ProductRecord, type QuoteLineRecord, type Store } from '../ports.js';
import { orderVersionOf } from '../orders/versions.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { acceptanceContentHash } from './acceptance-content.js';

export const MAX_SIGNER_NAME_LENGTH = 200;
export const MAX_USER_AGENT_LENGTH = 500;

export interface AcceptanceEvidence {
  /** The signer's typed full name. */
  signerName: string;
  /** The "I accept" checkbox: must be true. */
  consent: boolean;
  ip: string | null;
  userAgent: string | null;
}

export interface AcceptQuoteInput {
  /** The optional lines the customer chose (by line key); absent = the version's own selection. */
  selectedOptionalLineKeys?: readonly string[] | undefined;
  acceptance?: AcceptanceEvidence | undefined;
}

function validateEvidence(a: AcceptanceEvidence): AcceptanceEvidence {
  const signerName = a.signerName.trim();
  if (signerName === '') throw invalid('signer_name', 'signer_name is required: type your full name to accept');
  if (signerName.length > MAX_SIGNER_NAME_LENGTH) throw invalid('signer_name', `signer_name must be at most ${MAX_SIGNER_NAME_LENGTH} characters`);
  if (a.consent !== true) throw invalid('consent', 'consent must be given to accept the quote');
  return { ...a, signerName, userAgent: a.userAgent === null ? null : a.userAgent.slice(0, MAX_USER_AGENT_LENGTH) };
}

/**
 * An order line from a quote line: its frozen prices, and how it is fulfilled from the product
 * (goods or a service, stock-tracked or not). A line without a product is a service when counted
 * in hours, goods otherwise.
 */
const orderLine = (
  l: QuoteLineRecord,
  lineNo: number,
  amounts: Pick<OrderLineRecord, 'grossAmountMinor' | 'discountAmountMinor' | 'netAmountMinor'>,
  product: ProductRecord | undefined,
): OrderLineRecord => ({
  lineNo,
  productId: l.productId,
  description: l.description,
  quantity: l.quantity,
  unit: l.unit,
  unitPriceMinor: l.unitPriceMinor,
  discountPercent: l.discountPercent,
  ...amounts,
  vatRate: l.vatRate,
  vatCategory: l.vatCategory,
  taxClass: l.taxClass,
  ...zeroRunningQuantities(),
  invoicingPolicy: l.invoicingPolicy,
  fulfilmentKind: product?.kind ?? (l.unit === 'HUR' ? 'service' : 'goods'),
  stockTracked: product?.stockTracked ?? false,
  addedInVersion: 1,
  bundle: l.bundle,
});

export async function acceptQuote(s: Store, env: Env, id: QuoteId, input: AcceptQuoteInput = {}): Promise<OrderRecord> {
  const evidence = input.acceptance === undefined ? undefined : validateEvidence(input.acceptance);
  const quote = await s.quotes.getForUpdate(id);
  if (!quote) throw notFound('quote', id);
  const to = nextQuoteVersionStatus(quote.status, 'accept');
  const today = env.clock.today();
  if (compareDates(today, quote.validUntil) > 0) {
    throw new DomainError('quote_expired', `The quote was valid until ${quote.validUntil} and can no longer be accepted`);
  }

  const products = new Map(
    (await s.products.getMany([...new Set(quote.lines.flatMap((l) => (l.productId === null ? [] : [l.productId])))])).map((p) => [p.id as string, p]),
  );
  const productOf = (l: QuoteLineRecord): ProductRecord | undefined => (l.productId === null ? undefined : products.get(l.productId));

  // The lines and totals of the order: the version's own selection, or the customer's.
  let lines: { source: QuoteLineRecord; line: OrderLineRecord }[];
  let totals: { netTotalMinor: bigint; vatTotalMinor: bigint; grossTotalMinor: bigint };
  let selected: string[];
  const ownSelection = quote.lines.filter((l) => l.optional && l.selected).map((l) => l.lineKey);
  const sameSelection = (keys: readonly string[]): boolean => {
    const given = new Set(keys);
    return given.size === ownSelection.length && ownSelection.every((k) => given.has(k));
  };
  if (quote.pricesIncludeVat && input.selectedOptionalLineKeys !== undefined && !sameSelection(input.selectedOptionalLineKeys)) {
    // The nets of a quote priced including VAT are derived per VAT group from the lines in its totals
    // (ADR 0009), so another selection needs a new version priced with it; re-allocating in net terms
    // would lose the entered gross amounts.
    throw new DomainError(
      'unprocessable',
      'The prices of this quote include VAT: another choice of optional lines needs a revised quote version',
      'selected_optional_line_keys',
    );
  }
  if (input.selectedOptionalLineKeys === undefined || quote.pricesIncludeVat) {
    // Only the lines in the quote's totals (unselected optional lines stay on the quote), as frozen
    // priced lines: the quote's totals are exactly the sum of these.
    lines = quote.lines.filter(isIncludedLine).map((l, i) => ({
      source: l,
      line: orderLine(l, i + 1, { grossAmountMinor: l.grossAmountMinor, discountAmountMinor: l.discountAmountMinor, netAmountMinor: l.netAmountMinor }, productOf(l)),
    }));
    totals = { netTotalMinor: quote.netTotalMinor, vatTotalMinor: quote.vatTotalMinor, grossTotalMinor: quote.grossTotalMinor };
    selected = quote.lines.filter((l) => l.optional && l.selected).map((l) => l.lineKey);
  } else {
    selected = [...new Set(input.selectedOptionalLineKeys)];
    const applied = applySelection(
      quote.currency,
      quote.lines.map((l) => ({
        lineKey: l.lineKey,
        optional: l.optional,
        baseAmountMinor: l.grossAmountMinor,
        lineDiscountMinor: l.lineDiscountMinor,
        vatRate: l.vatRate,
        vatCategory: l.vatCategory,
      })),
      quote.quoteDiscount,
      selected,
    );
    lines = [];
    for (const [i, a] of applied.lines.entries()) {
      const source = quote.lines[i];
      if (!a.included || source === undefined) continue;
      lines.push({
        source,
        line: orderLine(
          source,
          lines.length + 1,
          { grossAmountMinor: a.baseAmountMinor, discountAmountMinor: a.discountAmountMinor, netAmountMinor: a.netAmountMinor },
          productOf(source),
        ),
      });
    }
    totals = { netTotalMinor: applied.totals.netMinor, vatTotalMinor: applied.totals.vatMinor, grossTotalMinor: applied.totals.grossMinor };
  }

  const now = env.clock.now();
  if (!(await s.quotes.transition(id, 'sent', to, now))) {
    throw new DomainError('quote_not_sent', 'The quote changed while it was being accepted; reload it');
  }
  const seq = await s.series.next(`SO-${yearOf(today)}`);
  const order: OrderRecord = {
    id: env.ids.next('order'),
    number: yearlyNumber('SO', yearOf(today), seq),
    quoteId: quote.id,
    customerId: quote.customerId,
    currency: quote.currency,
    status: 'unconfirmed',
    orderDate: today,
    paymentTermsDays: quote.paymentTermsDays,
    ...totals,
    pricesIncludeVat: quote.pricesIncludeVat,
    roundingMinor: quote.roundingMinor,
    confirmedAt: null,
    createdAt: now,
    version: 1,
    holdReason: null,
    heldAt: null,
    releasedAt: null,
    releasedBy: null,
    customerConfirmedAt: null,
    cancelledAt: null,
    closedAt: null,
    lines: lines.map((l) => l.line),
  };
  await s.orders.insert(order);
  await s.orders.insertVersion(orderVersionOf(order, [], null, now));

  let acceptance: { id: string; signerName: string; contentHash: string; selectedOptionalLineKeys: string[] } | undefined;
  if (evidence !== undefined) {
    const contentHash = acceptanceContentHash(
      quote,
      order,
      lines.map((l) => ({ lineKey: l.source.lineKey, quantity: l.line.quantity, unitPriceMinor: l.line.unitPriceMinor, netAmountMinor: l.line.netAmountMinor })),
      selected,
    );
    const record = {
      id: env.ids.next('quoteAcceptance'),
      quoteId: quote.id,
      orderId: order.id,
      signerName: evidence.signerName,
      consent: true as const,
      ip: evidence.ip,
      userAgent: evidence.userAgent,
      contentHash,
      selectedOptionalLineKeys: selected,
      acceptedAt: now,
    };
    await s.portal.insertAcceptance(record);
    acceptance = { id: record.id, signerName: record.signerName, contentHash, selectedOptionalLineKeys: selected };
  }

  await recordChange(s, env, {
    action: 'quote.accepted',
    entityType: 'quote',
    entityId: quote.id,
    data: { orderId: order.id, version: quote.version, ...(acceptance ? { acceptance } : {}) },
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
