/**
 * Amending an order: a new version the customer must confirm again. Frozen lines are never
 * rewritten: lowering a line's quantity cancels the difference (never below what is in deliveries,
 * shipped or invoiced), raising it adds a line for the extra quantity at the same frozen prices and
 * discounts, removing a line cancels what is left of it, and new lines are priced with the quote
 * pricing engine for the order's customer and currency as of today. The totals are recomputed
 * (totals.ts), the version is stored with what changed, and the order goes back to unconfirmed.
 * A new line's invoicing policy is the caller's choice, 'on_delivery' by default (as on quote lines).
 * On an order whose prices include VAT (ADR 0009) the new lines' unit prices include VAT too: they are
 * converted to nets among themselves, and the order's rounding (BT-114) is adjusted so that they add
 * exactly their entered gross to the order's payable total; cancelling leaves the rounding as it is.
 */
import { nextOrderStatus } from '../../core/documents/lifecycle.js';
import { formatDecimal4, subD, type Percent, type Quantity } from '../../core/money/quantity.js';
import { divRound } from '../../core/money/rounding.js';
import { LINE_ROUNDING } from '../../core/documents/lines.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { OrderId, ProductId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { InvoicingPolicy, LineBundle, OrderLineChange, OrderLineRecord, OrderRecord, ProductRecord, QuoteLineRecord, Store } from '../ports.js';
import { priceQuoteLines } from '../quotes/price-lines.js';
import type { Env } from '../shared/env.js';
import { PRICING_ROLES, requireFieldRole } from '../shared/permissions.js';
import { recordChange } from '../shared/record.js';
import { applyCancellations, lineOf, MAX_CANCEL_REASON_LENGTH, withCancellations } from './cancel-order.js';
import { zeroRunningQuantities } from './new-line.js';
import { cancellableQuantity, effectiveLineAmounts, netQuantityOf, withTotals } from './totals.js';
import { orderVersionOf } from './versions.js';

export interface AmendLineInput {
  productId?: ProductId | undefined;
  description?: string | undefined;
  unitPriceMinor?: bigint | undefined;
  taxClass?: TaxClass | undefined;
  unit?: string | undefined;
  quantity: Quantity;
  discountPercent?: Percent | undefined;
  /** Default 'on_delivery', as on quote lines (quotes/price-lines.ts). */
  invoicingPolicy?: InvoicingPolicy | undefined;
}

export interface AmendOrderInput {
  reason?: string | null | undefined;
  /** New total quantity (net of cancellations) of existing lines. */
  lines?: { lineNo: number; quantity: Quantity }[] | undefined;
  add?: AmendLineInput[] | undefined;
  /** Lines to drop: what is left of them is cancelled. */
  remove?: number[] | undefined;
}

const scaleMinor = (amount: bigint, part: Quantity, whole: Quantity): bigint =>
  part.scaled === whole.scaled ? amount : divRound(amount * part.scaled, whole.scaled, LINE_ROUNDING);

const scaleBundle = (b: LineBundle | null, quantity: Quantity, whole: Quantity): LineBundle | null =>
  b === null
    ? null
    : {
        ...b,
        components: b.components.map((c) => ({
          ...c,
          quantity: { scaled: divRound(quantity.scaled * c.quantityPerUnit.scaled, 10_000n, 'half_up') },
          amountMinor: c.amountMinor === null ? null : scaleMinor(c.amountMinor, quantity, whole),
        })),
      };

const newLineBase = (lineNo: number, version: number) => ({
  lineNo,
  ...zeroRunningQuantities(),
  addedInVersion: version,
});

/** A line for `extra` more of a frozen line, at the same unit price and discounts (pro rata of its amounts). */
function extraLineOf(l: OrderLineRecord, extra: Quantity, lineNo: number, version: number): OrderLineRecord {
  const gross = scaleMinor(l.grossAmountMinor, extra, l.quantity);
  const net = scaleMinor(l.netAmountMinor, extra, l.quantity);
  return {
    ...l,
    ...newLineBase(lineNo, version),
    quantity: extra,
    grossAmountMinor: gross,
    discountAmountMinor: gross - net,
    netAmountMinor: net,
    bundle: scaleBundle(l.bundle, extra, l.quantity),
  };
}

function pricedOrderLine(q: QuoteLineRecord, product: ProductRecord | undefined, lineNo: number, version: number): OrderLineRecord {
  return {
    ...newLineBase(lineNo, version),
    productId: q.productId,
    description: q.description,
    quantity: q.quantity,
    unit: q.unit,
    unitPriceMinor: q.unitPriceMinor,
    discountPercent: q.discountPercent,
    grossAmountMinor: q.grossAmountMinor,
    discountAmountMinor: q.discountAmountMinor,
    netAmountMinor: q.netAmountMinor,
    vatRate: q.vatRate,
    vatCategory: q.vatCategory,
    taxClass: q.taxClass,
    invoicingPolicy: q.invoicingPolicy,
    fulfilmentKind: product?.kind ?? (q.unit === 'HUR' ? 'service' : 'goods'),
    stockTracked: product?.stockTracked ?? false,
    bundle: q.bundle,
  };
}

export async function amendOrder(s: Store, env: Env, id: OrderId, input: AmendOrderInput): Promise<OrderRecord> {
  const reason = input.reason?.trim() || null;
  if (reason !== null && reason.length > MAX_CANCEL_REASON_LENGTH) throw invalid('reason', `reason must be at most ${MAX_CANCEL_REASON_LENGTH} characters`);
  const changesIn = input.lines ?? [];
  const adds = input.add ?? [];
  const removes = input.remove ?? [];
  if (changesIn.length + adds.length + removes.length === 0) {
    throw invalid('lines', 'an amendment needs at least one change: lines, add or remove');
  }
  // Prices and discounts are sales' (issue 8): operations may change quantities and add lines priced by
  // the price list, but not set a price or a discount. Existing lines keep their frozen prices, so
  // only added lines carry them.
  adds.forEach((a, i) => {
    if (a.unitPriceMinor !== undefined) requireFieldRole(env.actor, PRICING_ROLES, `add.${i}.unit_price`, 'set prices');
    if (a.discountPercent !== undefined) requireFieldRole(env.actor, PRICING_ROLES, `add.${i}.discount_percent`, 'set discounts');
  });

  const order = await s.orders.getForUpdate(id);
  if (!order) throw notFound('order', id);
  const to = nextOrderStatus(order.status, 'amend');
  const version = order.version + 1;
  const cur = order.currency;
  const now = env.clock.now();

  const touched = new Set<number>();
  const cancels = new Map<number, Quantity>();
  const extras: { source: OrderLineRecord; extra: Quantity }[] = [];
  const changes: OrderLineChange[] = [];

  for (const [i, c] of changesIn.entries()) {
    const param = `lines.${i}.quantity`;
    const line = lineOf(order, c.lineNo, `lines.${i}.line_no`);
    if (touched.has(c.lineNo)) throw invalid(`lines.${i}.line_no`, `line ${c.lineNo} is changed twice`);
    touched.add(c.lineNo);
    if (c.quantity.scaled < 0n) throw invalid(param, `${param} must not be negative`);
    const net = netQuantityOf(line);
    if (c.quantity.scaled < net.scaled) {
      const cut = subD(net, c.quantity);
      const open = cancellableQuantity(line);
      if (cut.scaled > open.scaled) {
        throw new DomainError(
          'quantity_exceeds_open',
          `Line ${line.lineNo}: the quantity cannot go below ${formatDecimal4(subD(net, open))}, which is in deliveries, shipped or invoiced`,
          param,
        );
      }
      cancels.set(line.lineNo, cut);
    } else if (c.quantity.scaled > net.scaled) {
      extras.push({ source: line, extra: subD(c.quantity, net) });
    }
  }
  for (const [i, lineNo] of removes.entries()) {
    const param = `remove.${i}`;
    const line = lineOf(order, lineNo, param);
    if (touched.has(lineNo)) throw invalid(param, `line ${lineNo} is changed twice`);
    touched.add(lineNo);
    const net = netQuantityOf(line);
    if (net.scaled === 0n) throw invalid(param, `line ${lineNo} has nothing left to remove`);
    const open = cancellableQuantity(line);
    if (open.scaled < net.scaled) {
      throw new DomainError(
        'quantity_exceeds_open',
        `Line ${lineNo} cannot be removed: ${formatDecimal4(subD(net, open))} of it is in deliveries, shipped or invoiced`,
        param,
      );
    }
    cancels.set(lineNo, net);
  }

  // The new lines: extra quantities at frozen prices, then newly priced lines.
  let nextNo = order.lines.reduce((m, l) => Math.max(m, l.lineNo), 0);
  const added: OrderLineRecord[] = [];
  for (const e of extras) added.push(extraLineOf(e.source, e.extra, ++nextNo, version));
  const extraLines = [...added];
  let addedEntered = 0n;
  if (adds.length > 0) {
    const priced = await priceQuoteLines(
      s,
      { customerId: order.customerId, currency: cur, quoteDate: env.clock.today(), pricesIncludeVat: order.pricesIncludeVat },
      adds.map((a) => ({
        productId: a.productId,
        description: a.description,
        unitPriceMinor: a.unitPriceMinor,
        taxClass: a.taxClass,
        unit: a.unit,
        quantity: a.quantity,
        discountPercent: a.discountPercent,
        invoicingPolicy: a.invoicingPolicy,
      })),
    );
    // On an order priced including VAT the new lines' unit prices include VAT too: their nets are
    // derived among themselves, and what they add to the order is their entered gross (ADR 0009).
    addedEntered = priced.grossTotalMinor + priced.roundingMinor;
    const productIds = [...new Set(priced.lines.flatMap((l) => (l.productId === null ? [] : [l.productId])))];
    const products = new Map((await s.products.getMany(productIds)).map((p) => [p.id as string, p]));
    for (const [i, q] of priced.lines.entries()) {
      if (q.quantity.scaled <= 0n) throw invalid(`add.${i}.quantity`, `add.${i}.quantity must be greater than 0`);
      added.push(pricedOrderLine(q, q.productId === null ? undefined : products.get(q.productId), ++nextNo, version));
    }
  }

  // What changed, line by line, with the change in net.
  const before = order;
  const cancelled = withCancellations(order, cancels);
  for (const c of changesIn) {
    const old = lineOf(before, c.lineNo, 'lines');
    const oldNet = effectiveLineAmounts(old, cur).netMinor;
    const newLine = lineOf(cancelled, c.lineNo, 'lines');
    const extraNet = extraLines.filter((_l, k) => extras[k]?.source.lineNo === c.lineNo).reduce((a, l) => a + l.netAmountMinor, 0n);
    const netChange = effectiveLineAmounts(newLine, cur).netMinor - oldNet + extraNet;
    if (netQuantityOf(old).scaled === c.quantity.scaled) continue;
    changes.push({
      lineNo: c.lineNo,
      kind: 'quantity_changed',
      description: old.description,
      quantityBefore: formatDecimal4(netQuantityOf(old)),
      quantityAfter: formatDecimal4(c.quantity),
      netChangeMinor: netChange.toString(),
    });
  }
  for (const lineNo of removes) {
    const old = lineOf(before, lineNo, 'remove');
    changes.push({
      lineNo,
      kind: 'removed',
      description: old.description,
      quantityBefore: formatDecimal4(netQuantityOf(old)),
      quantityAfter: null,
      netChangeMinor: (-effectiveLineAmounts(old, cur).netMinor).toString(),
    });
  }
  for (const l of added.slice(extraLines.length)) {
    changes.push({
      lineNo: l.lineNo,
      kind: 'added',
      description: l.description,
      quantityBefore: null,
      quantityAfter: formatDecimal4(l.quantity),
      netChangeMinor: l.netAmountMinor.toString(),
    });
  }
  if (changes.length === 0) throw invalid('lines', 'the amendment changes nothing');

  // Write: cancellations (and released reservations), new lines, header, status, version.
  await applyCancellations(s, env, order, cancels);
  await s.orders.addLines(id, added);
  const amended = withTotals({ ...cancelled, lines: [...cancelled.lines, ...added], version, customerConfirmedAt: null, status: to });
  if (order.pricesIncludeVat) {
    // The rounding makes the newly priced lines add exactly their entered gross to what is payable:
    // VAT is computed per rate over the whole order, so their share of the order's gross can differ
    // from their own net + VAT by an öre or two. Cancellations and extra quantities of frozen lines
    // change the order at its frozen nets and leave the rounding as it is.
    const withoutNew = withTotals({ ...cancelled, lines: [...cancelled.lines, ...extraLines] });
    amended.roundingMinor = order.roundingMinor + addedEntered - (amended.grossTotalMinor - withoutNew.grossTotalMinor);
  }
  await s.orders.updateHeader(id, {
    version,
    roundingMinor: amended.roundingMinor,
    netTotalMinor: amended.netTotalMinor,
    vatTotalMinor: amended.vatTotalMinor,
    grossTotalMinor: amended.grossTotalMinor,
    customerConfirmedAt: null,
  });
  if (order.status !== to && !(await s.orders.transition(id, order.status, to, now))) {
    throw new DomainError('order_not_amendable', 'The order changed while it was being amended; reload it');
  }
  await s.orders.insertVersion(orderVersionOf(amended, changes, reason, now));
  const effect = {
    net: (amended.netTotalMinor - order.netTotalMinor).toString(),
    vat: (amended.vatTotalMinor - order.vatTotalMinor).toString(),
    gross: (amended.grossTotalMinor - order.grossTotalMinor).toString(),
  };
  await recordChange(s, env, {
    action: 'order.amended',
    entityType: 'order',
    entityId: id,
    data: { version, reason, changes, priceEffectMinor: effect },
    event: { type: 'order.amended', payload: { id, number: order.number, version } },
  });
  const o = await s.orders.get(id);
  if (!o) throw notFound('order', id);
  return o;
}
