/**
 * The billing run (issue 5 part 1): invoice everything that is invoiceable, up to a date, in one go.
 *
 * For every confirmed order (of one customer, when asked) it drafts one invoice with createInvoice
 * and, when asked, issues it with issueInvoice. Each order runs in its own transaction, so one
 * order's failure is reported and the others still go through; an order with nothing to invoice
 * (createInvoice's nothing_to_invoice) is reported as skipped.
 *
 * `upTo`: on-delivery lines are invoiced only for what was delivered on or before it (by the
 * deliveries' delivered_on). createInvoice has no cut-off date (it invoices every delivered, not yet
 * invoiced quantity), so an order whose invoice would take in quantities delivered after `upTo` is
 * skipped ('delivered_after_up_to') rather than invoiced in part; the next run with a later date picks
 * it up. On-order lines are invoiceable from confirmation and do not depend on `upTo`.
 *
 * Known gap: one invoice per order. Invoices belong to exactly one order today (invoices.order_id),
 * so grouping a customer's orders on one invoice is not supported; a customer with three orders gets
 * three invoices.
 *
 * The report is stored in billing_runs in a last transaction of its own (`onStored` runs in it too,
 * so the API can complete its idempotency key atomically with the report). A crash between orders
 * leaves the invoices made so far without a stored report; running again is safe because what was
 * invoiced is not invoiced again.
 */
import { formatAmount, money } from '../../core/money/money.js';
import { addD, isZeroD, minD, subD, ZERO_D, type Quantity } from '../../core/money/quantity.js';
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { CustomerId, OrderId } from '../../core/shared/ids.js';
import type { BillingRunReport, Database, OrderLineRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { createInvoice } from './create-invoice.js';
import { issueInvoice } from './issue-invoice.js';

export interface BillingRunInput {
  upTo: LocalDate;
  issue: boolean;
  customerId?: CustomerId | undefined;
}

export interface BillingRunOptions {
  /** Runs inside the transaction that stores the report (e.g. completing an idempotency key). */
  onStored?: (s: Store, report: BillingRunReport) => Promise<void>;
}

const PAGE = 200;

/** The quantity createInvoice would take of a line now (its own rule, see create-invoice.ts). */
function openToInvoice(l: OrderLineRecord, delivered: Quantity): Quantity {
  const netOrdered = subD(l.quantity, l.quantityCancelled);
  const chargeable = l.invoicingPolicy === 'on_order' ? netOrdered : minD(delivered, netOrdered);
  const open = subD(chargeable, l.quantityInvoiced);
  return open.scaled > 0n ? open : ZERO_D;
}

/** True when invoicing the order now would take in on-delivery quantities delivered after `upTo`. */
async function takesLaterDeliveries(s: Store, order: OrderRecord, upTo: LocalDate): Promise<boolean> {
  const later = new Map<number, Quantity>();
  for (const d of await s.deliveries.listByOrder(order.id)) {
    if (d.deliveredOn === null || compareDates(d.deliveredOn, upTo) <= 0) continue;
    for (const dl of d.lines) later.set(dl.orderLineNo, addD(later.get(dl.orderLineNo) ?? ZERO_D, dl.quantity));
  }
  if (later.size === 0) return false;
  return order.lines.some((l) => {
    if (l.invoicingPolicy === 'on_order') return false;
    const now = openToInvoice(l, l.quantityDelivered);
    if (isZeroD(now)) return false;
    const upToDelivered = subD(l.quantityDelivered, later.get(l.lineNo) ?? ZERO_D);
    return openToInvoice(l, upToDelivered.scaled > 0n ? upToDelivered : ZERO_D).scaled < now.scaled;
  });
}

/**
 * Open orders (not cancelled or closed), oldest first, optionally of one customer: the confirmed ones
 * are billed, the others are reported as skipped so the report says why they were not.
 */
async function candidateOrders(db: Database, env: Env, customerId: CustomerId | undefined): Promise<OrderRecord[]> {
  const out: OrderRecord[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await db.transaction(env.actor.tenantId, (s) => s.orders.list({ limit: PAGE, startingAfter }));
    for (const o of page.data) {
      if (o.status !== 'cancelled' && o.status !== 'closed' && (customerId === undefined || o.customerId === customerId)) out.push(o);
    }
    if (!page.hasMore || page.data.length === 0) return out;
    startingAfter = page.data[page.data.length - 1]!.id;
  }
}

type Outcome =
  | { kind: 'created'; orderNumber: string; invoiceId: string; invoiceNumber: string | null; gross: { amount: string; currency: string } }
  | { kind: 'skipped'; reason: string };

async function billOrder(s: Store, env: Env, orderId: OrderId, input: BillingRunInput): Promise<Outcome> {
  const order = await s.orders.getForUpdate(orderId);
  if (!order) throw notFound('order', orderId);
  // re-checked under the lock: the order may have changed since it was listed
  if (order.status !== 'confirmed') return { kind: 'skipped', reason: 'order_not_confirmed' };
  if (await takesLaterDeliveries(s, order, input.upTo)) return { kind: 'skipped', reason: 'delivered_after_up_to' };
  let invoice;
  try {
    invoice = await createInvoice(s, env, { orderId });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'nothing_to_invoice') return { kind: 'skipped', reason: 'nothing_to_invoice' };
    throw e;
  }
  if (input.issue) invoice = await issueInvoice(s, env, invoice.id);
  return {
    kind: 'created',
    orderNumber: order.number,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    gross: { amount: formatAmount(money(invoice.grossTotalMinor, invoice.currency)), currency: invoice.currency },
  };
}

/**
 * Runs the billing run for the env's tenant. Only an unexpected failure outside the per-order work
 * (listing the orders, storing the report) is thrown; per-order failures are in the report.
 */
export async function runBilling(
  db: Database,
  env: Env,
  input: BillingRunInput,
  opts: BillingRunOptions = {},
): Promise<BillingRunReport> {
  const tenantId = env.actor.tenantId;
  if (input.customerId !== undefined) {
    const id = input.customerId;
    const customer = await db.transaction(tenantId, (s) => s.customers.get(id));
    if (!customer) throw notFound('customer', id, 'customer_id');
  }
  const runId = env.ids.next('billingRun');
  const report: BillingRunReport = {
    runId,
    upTo: input.upTo,
    issue: input.issue,
    customerId: input.customerId ?? null,
    created: [],
    skipped: [],
    failed: [],
  };
  for (const candidate of await candidateOrders(db, env, input.customerId)) {
    if (candidate.status !== 'confirmed') {
      report.skipped.push({ orderId: candidate.id, reason: 'order_not_confirmed' });
      continue;
    }
    try {
      const outcome = await db.transaction(tenantId, (s) => billOrder(s, env, candidate.id, input));
      if (outcome.kind === 'skipped') report.skipped.push({ orderId: candidate.id, reason: outcome.reason });
      else {
        const { kind: _kind, ...created } = outcome;
        report.created.push({ orderId: candidate.id, ...created });
      }
    } catch (e) {
      // the order's transaction rolled back (no draft is left behind when issuing fails)
      if (e instanceof DomainError) report.failed.push({ orderId: candidate.id, code: e.code, message: e.message });
      // not a domain error: a bug or the database; its text is not for the report (it may show internals)
      else report.failed.push({ orderId: candidate.id, code: 'internal_error', message: 'An unexpected error stopped this order; nothing was invoiced for it' });
    }
  }
  await db.transaction(tenantId, async (s) => {
    await s.billingRuns.insert({
      id: runId,
      upTo: input.upTo,
      issue: input.issue,
      customerId: input.customerId ?? null,
      report,
      actor: env.actor.actorId,
      createdAt: env.clock.now(),
    });
    await recordChange(s, env, {
      action: 'billing_run.completed',
      entityType: 'billing_run',
      entityId: runId,
      data: { upTo: input.upTo, issue: input.issue, created: report.created.length, skipped: report.skipped.length, failed: report.failed.length },
    });
    await opts.onStored?.(s, report);
  });
  return report;
}
