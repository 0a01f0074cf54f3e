/**
 * Confirming an order, with the credit check. The order is confirmed (released for fulfilment, stock
 * reserved) unless the customer's open receivables plus this order's gross exceed their credit limit,
 * or they have an issued invoice overdue by more than the tenant's credit_hold_overdue_days: then it
 * goes on hold with a reason naming the figures, until finance (or an admin) releases it.
 */
import { nextOrderStatus } from '../../core/documents/lifecycle.js';
import { formatAmount, money } from '../../core/money/money.js';
import { addDays, compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { reserveOrderStock } from '../stock/reservations.js';
import { FINANCE_ROLES, requireRole } from '../shared/roles.js';

/** Who may release an order from a credit hold. */
export const HOLD_RELEASE_ROLES: readonly string[] = FINANCE_ROLES;

const fmt = (minor: bigint, currency: string): string => `${formatAmount(money(minor, currency))} ${currency}`;

/** Why the order must go on hold, or null when the credit check passes. */
export async function creditHoldReason(s: Store, order: OrderRecord, today: LocalDate): Promise<string | null> {
  const customer = await s.customers.get(order.customerId);
  if (!customer) throw notFound('customer', order.customerId);
  const tenant = await s.tenant.get();
  const open = await s.openItems.listOpen({ customerId: order.customerId });
  const reasons: string[] = [];

  if (customer.creditLimitMinor !== null) {
    const cur = customer.currency;
    const openMinor = open.filter((o) => o.currency === cur).reduce((acc, o) => acc + o.openMinor, 0n);
    const orderMinor = order.currency === cur ? order.grossTotalMinor : 0n;
    const exposure = openMinor + orderMinor;
    if (exposure > customer.creditLimitMinor) {
      reasons.push(
        `Credit limit exceeded: open balance ${fmt(openMinor, cur)} + this order ${fmt(orderMinor, cur)} = ${fmt(exposure, cur)}, ` +
          `above the credit limit of ${fmt(customer.creditLimitMinor, cur)}`,
      );
    }
  }

  const days = tenant?.creditHoldOverdueDays ?? null;
  if (days !== null) {
    const overdue = open.filter((o) => o.openMinor > 0n && compareDates(addDays(o.dueDate, days), today) < 0);
    for (const o of overdue) {
      const invoice = await s.invoices.get(o.invoiceId);
      reasons.push(
        `Overdue invoice ${invoice?.number ?? o.invoiceId}: ${fmt(o.openMinor, o.currency)} open, due ${o.dueDate}, ` +
          `more than ${days} days overdue`,
      );
    }
  }
  return reasons.length === 0 ? null : reasons.join('; ');
}

async function reload(s: Store, id: OrderId): Promise<OrderRecord> {
  const o = await s.orders.get(id);
  if (!o) throw notFound('order', id);
  return o;
}

/**
 * Confirms an unconfirmed order (staff, or the customer through the portal): marks the current
 * version confirmed by them, runs the credit check and moves the order to confirmed (stock reserved,
 * event order.confirmed) or on_hold (event order.on_hold).
 */
export async function confirmOrder(s: Store, env: Env, id: OrderId, by: 'staff' | 'customer' = 'staff'): Promise<OrderRecord> {
  const order = await s.orders.getForUpdate(id);
  if (!order) throw notFound('order', id);
  nextOrderStatus(order.status, 'confirm');
  const now = env.clock.now();
  await s.orders.confirmVersion(id, order.version, now, by);

  const reason = await creditHoldReason(s, order, env.clock.today());
  if (reason !== null) {
    const to = nextOrderStatus(order.status, 'hold');
    // the reason first: an order on hold must say why (CHECK orders_hold_reason)
    await s.orders.updateHeader(id, { holdReason: reason, releasedAt: null, releasedBy: null });
    if (!(await s.orders.transition(id, order.status, to, now))) {
      throw new DomainError('order_not_confirmable', 'The order changed while it was being confirmed; reload it');
    }
    await recordChange(s, env, {
      action: 'order.on_hold',
      entityType: 'order',
      entityId: id,
      data: { reason, version: order.version, confirmedBy: by },
      event: { type: 'order.on_hold', payload: { id, number: order.number, version: order.version, reason } },
    });
    return reload(s, id);
  }

  const to = nextOrderStatus(order.status, 'confirm');
  if (!(await s.orders.transition(id, order.status, to, now))) {
    throw new DomainError('order_not_confirmable', 'The order changed while it was being confirmed; reload it');
  }
  await recordChange(s, env, {
    action: 'order.confirmed',
    entityType: 'order',
    entityId: id,
    data: { version: order.version, confirmedBy: by },
    event: { type: 'order.confirmed', payload: { id, number: order.number, version: order.version } },
  });
  const confirmed = await reload(s, id);
  await reserveOrderStock(s, env, confirmed);
  return reload(s, id);
}

/** Finance (or an admin) lifts a credit hold: the order is confirmed and its stock reserved. */
export async function releaseHold(s: Store, env: Env, id: OrderId): Promise<OrderRecord> {
  requireRole(env, HOLD_RELEASE_ROLES, 'release a credit hold');
  const order = await s.orders.getForUpdate(id);
  if (!order) throw notFound('order', id);
  const to = nextOrderStatus(order.status, 'release');
  const now = env.clock.now();
  if (!(await s.orders.transition(id, order.status, to, now))) {
    throw new DomainError('order_not_on_hold', 'The order changed while it was being released; reload it');
  }
  await s.orders.updateHeader(id, { releasedAt: now, releasedBy: env.actor.actorId });
  await recordChange(s, env, {
    action: 'order.hold_released',
    entityType: 'order',
    entityId: id,
    data: { holdReason: order.holdReason, version: order.version },
    event: { type: 'order.confirmed', payload: { id, number: order.number, version: order.version, released_from_hold: true } },
  });
  const confirmed = await reload(s, id);
  await reserveOrderStock(s, env, confirmed);
  return reload(s, id);
}

export async function getOrder(s: Store, id: OrderId): Promise<OrderRecord> {
  return reload(s, id);
}
