/**
 * Cancelling an order or part of it. Only what is neither in a delivery, shipped nor billed can be
 * cancelled (ordered − cancelled − allocated, see totals.cancellableQuantity). Without lines the whole
 * order is cancelled, which requires that nothing of it is in a delivery; with lines only those
 * quantities are, and the order stays open unless nothing is left on it. Reservations beyond what is
 * still to ship are released; the totals are recomputed for what the customer still buys.
 */
import { nextOrderStatus } from '../../core/documents/lifecycle.js';
import { addD, formatDecimal4, type Quantity } from '../../core/money/quantity.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { OrderLineDelta, OrderLineRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { releaseOrderStock } from '../stock/reservations.js';
import { cancellableQuantity, netQuantityOf, withTotals } from './totals.js';

export const MAX_CANCEL_REASON_LENGTH = 2000;

export interface CancelOrderInput {
  /** Quantities to cancel per line; absent or empty = the whole order. */
  lines?: { lineNo: number; quantity: Quantity }[] | undefined;
  reason?: string | null | undefined;
}

export function lineOf(order: OrderRecord, lineNo: number, param: string): OrderLineRecord {
  const line = order.lines.find((l) => l.lineNo === lineNo);
  if (!line) throw notFound('order line', `${order.id}#${lineNo}`, param);
  return line;
}

/** The order with the cancellations applied to its lines (in memory) and its totals recomputed. */
export function withCancellations(order: OrderRecord, cancels: ReadonlyMap<number, Quantity>): OrderRecord {
  return withTotals({
    ...order,
    lines: order.lines.map((l) => {
      const c = cancels.get(l.lineNo);
      return c === undefined ? l : { ...l, quantityCancelled: addD(l.quantityCancelled, c) };
    }),
  });
}

/**
 * Applies cancellations: first releases the reservations the cancelled quantities no longer need
 * (with the order as it will be), then records the cancelled quantities and the new totals.
 */
export async function applyCancellations(s: Store, env: Env, order: OrderRecord, cancels: ReadonlyMap<number, Quantity>): Promise<OrderRecord> {
  const after = withCancellations(order, cancels);
  if (cancels.size === 0) return after;
  await releaseOrderStock(s, env, after, [...cancels.keys()]);
  const deltas: OrderLineDelta[] = [...cancels].map(([lineNo, quantity]) => ({ lineNo, cancelled: quantity }));
  await s.orders.applyLineDeltas(order.id, deltas);
  await s.orders.updateHeader(order.id, { netTotalMinor: after.netTotalMinor, vatTotalMinor: after.vatTotalMinor, grossTotalMinor: after.grossTotalMinor });
  return after;
}

export async function cancelOrder(s: Store, env: Env, id: OrderId, input: CancelOrderInput = {}): Promise<OrderRecord> {
  const reason = input.reason?.trim() || null;
  if (reason !== null && reason.length > MAX_CANCEL_REASON_LENGTH) throw invalid('reason', `reason must be at most ${MAX_CANCEL_REASON_LENGTH} characters`);
  const order = await s.orders.getForUpdate(id);
  if (!order) throw notFound('order', id);
  // Refuses a cancelled or closed order.
  nextOrderStatus(order.status, 'cancel');

  const cancels = new Map<number, Quantity>();
  const whole = input.lines === undefined || input.lines.length === 0;
  if (whole) {
    for (const l of order.lines) {
      const net = netQuantityOf(l);
      if (net.scaled <= 0n) continue;
      const open = cancellableQuantity(l);
      if (open.scaled < net.scaled) {
        throw new DomainError(
          'quantity_exceeds_open',
          `Line ${l.lineNo}: ${formatDecimal4(net)} ordered but only ${formatDecimal4(open)} can be cancelled (the rest is in deliveries, ` +
            'shipped or invoiced); cancel lines by quantity instead of the whole order',
          'lines',
        );
      }
      cancels.set(l.lineNo, net);
    }
  } else {
    for (const [i, c] of (input.lines ?? []).entries()) {
      const param = `lines.${i}.quantity`;
      const line = lineOf(order, c.lineNo, `lines.${i}.line_no`);
      if (cancels.has(c.lineNo)) throw invalid(`lines.${i}.line_no`, `line ${c.lineNo} is given twice`);
      if (c.quantity.scaled <= 0n) throw invalid(param, `${param} must be greater than 0`);
      const open = cancellableQuantity(line);
      if (c.quantity.scaled > open.scaled) {
        throw new DomainError(
          'quantity_exceeds_open',
          `Line ${line.lineNo}: cannot cancel ${formatDecimal4(c.quantity)}, only ${formatDecimal4(open)} is neither in a delivery, shipped nor invoiced`,
          param,
        );
      }
      cancels.set(c.lineNo, c.quantity);
    }
  }

  const after = await applyCancellations(s, env, order, cancels);
  const nothingLeft = after.lines.every((l) => netQuantityOf(l).scaled === 0n);
  const now = env.clock.now();
  const cancelled = whole || nothingLeft;
  if (cancelled) {
    const to = nextOrderStatus(order.status, 'cancel');
    if (!(await s.orders.transition(id, order.status, to, now))) {
      throw new DomainError('conflict', 'The order changed while it was being cancelled; reload it');
    }
  }
  const lines = [...cancels].map(([lineNo, q]) => ({ lineNo, quantity: formatDecimal4(q) }));
  await recordChange(s, env, {
    action: cancelled ? 'order.cancelled' : 'order.lines_cancelled',
    entityType: 'order',
    entityId: id,
    data: { reason, lines },
    event: {
      type: cancelled ? 'order.cancelled' : 'order.lines_cancelled',
      payload: { id, number: order.number, lines: lines.map((l) => ({ line_no: l.lineNo, quantity: l.quantity })) },
    },
  });
  const o = await s.orders.get(id);
  if (!o) throw notFound('order', id);
  return o;
}
