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
 * Grouping (`groupBy`, else the tenant's billing_grouping, else 'per_order'):
 * - 'per_order': one invoice per order (createInvoice), each order in its own transaction;
 * - 'per_customer': one invoice per (customer, currency, payment terms) with the invoiceable lines of
 *   all that customer's confirmed orders (createInvoiceForOrders), each group in its own transaction.
 *   The `upTo` rule is applied per order (an order that would take in later deliveries is skipped and
 *   the rest of its group is invoiced); an order of the group with nothing to invoice is reported as
 *   skipped; a failure fails the whole group (every order of it is reported under failed) and nothing
 *   of it is invoiced. A group that ends up with a single order gets that order's ordinary invoice.
 * Each created entry of the report lists the orders its invoice covers (`orders`); orderId and
 * orderNumber are its first order's.
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
import type { BillingGrouping, BillingRunReport, Database, InvoiceRecord, OrderLineRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { createInvoiceForOrders } from './create-customer-invoice.js';
import { createInvoice } from './create-invoice.js';
import { issueInvoice } from './issue-invoice.js';

export interface BillingRunInput {
  upTo: LocalDate;
  issue: boolean;
  customerId?: CustomerId | undefined;
  /** Overrides the tenant's billing_grouping for this run. */
  groupBy?: BillingGrouping | undefined;
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

type Created = {
  orderNumber: string;
  invoiceId: string;
  invoiceNumber: string | null;
  gross: { amount: string; currency: string };
  orders: { orderId: string; orderNumber: string }[];
};

type Outcome = ({ kind: 'created' } & Created) | { kind: 'skipped'; reason: string };

function createdOf(invoice: InvoiceRecord, orders: readonly OrderRecord[]): Created {
  return {
    orderNumber: orders[0]!.number,
    invoiceId: invoice.id,
    invoiceNumber: invoice.number,
    gross: { amount: formatAmount(money(invoice.grossTotalMinor, invoice.currency)), currency: invoice.currency },
    orders: orders.map((o) => ({ orderId: o.id, orderNumber: o.number })),
  };
}

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
  return { kind: 'created', ...createdOf(invoice, [order]) };
}

interface GroupOutcome {
  created: (Created & { orderId: string }) | null;
  skipped: { orderId: string; reason: string }[];
}

/** One customer group (same customer, currency, payment terms) in one transaction: one invoice. */
async function billGroup(s: Store, env: Env, orderIds: readonly OrderId[], input: BillingRunInput): Promise<GroupOutcome> {
  const skipped: GroupOutcome['skipped'] = [];
  const eligible: OrderRecord[] = [];
  // locked in ascending id, as createInvoiceForOrders locks them
  for (const id of [...orderIds].sort()) {
    const order = await s.orders.getForUpdate(id);
    if (!order) throw notFound('order', id);
    // re-checked under the lock: the order may have changed since it was listed
    if (order.status !== 'confirmed') skipped.push({ orderId: id, reason: 'order_not_confirmed' });
    else if (await takesLaterDeliveries(s, order, input.upTo)) skipped.push({ orderId: id, reason: 'delivered_after_up_to' });
    else eligible.push(order);
  }
  const ordered = orderIds.flatMap((id) => eligible.filter((o) => o.id === id));
  if (ordered.length === 0) return { created: null, skipped };
  let invoice;
  try {
    invoice = await createInvoiceForOrders(s, env, { orderIds: ordered.map((o) => o.id) });
  } catch (e) {
    if (e instanceof DomainError && e.code === 'nothing_to_invoice') {
      return { created: null, skipped: [...skipped, ...ordered.map((o) => ({ orderId: o.id, reason: 'nothing_to_invoice' }))] };
    }
    throw e;
  }
  if (input.issue) invoice = await issueInvoice(s, env, invoice.id);
  const covered = new Set<string>(invoice.lines.map((l) => l.orderId));
  const on = ordered.filter((o) => covered.has(o.id));
  for (const o of ordered) if (!covered.has(o.id)) skipped.push({ orderId: o.id, reason: 'nothing_to_invoice' });
  return { created: { orderId: on[0]!.id, ...createdOf(invoice, on) }, skipped };
}

/** The confirmed orders grouped by (customer, currency, payment terms), groups in the order of their oldest order. */
function customerGroups(orders: readonly OrderRecord[]): OrderId[][] {
  const groups = new Map<string, OrderId[]>();
  for (const o of orders) {
    const key = JSON.stringify([o.customerId, o.currency, o.paymentTermsDays]);
    const g = groups.get(key);
    if (g) g.push(o.id);
    else groups.set(key, [o.id]);
  }
  return [...groups.values()];
}

/** What the report says of a failure: a domain error as it is, anything else without its internals. */
function failureOf(e: unknown, orderId: string, what: string): BillingRunReport['failed'][number] {
  if (e instanceof DomainError) return { orderId, code: e.code, message: e.message };
  // not a domain error: a bug or the database; its text is not for the report (it may show internals)
  return { orderId, code: 'internal_error', message: `An unexpected error stopped this ${what}; nothing was invoiced for it` };
}

/**
 * Runs the billing run for the env's tenant. Only an unexpected failure outside the per-order (per
 * group) work (listing the orders, storing the report) is thrown; the other failures are in the report.
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
  const groupBy: BillingGrouping =
    input.groupBy ?? (await db.transaction(tenantId, async (s) => (await s.tenant.get())?.billingGrouping)) ?? 'per_order';
  const runId = env.ids.next('billingRun');
  const report: BillingRunReport = {
    runId,
    upTo: input.upTo,
    issue: input.issue,
    customerId: input.customerId ?? null,
    groupBy,
    created: [],
    skipped: [],
    failed: [],
  };
  const candidates = await candidateOrders(db, env, input.customerId);
  if (groupBy === 'per_customer') {
    const confirmed: OrderRecord[] = [];
    for (const candidate of candidates) {
      if (candidate.status !== 'confirmed') report.skipped.push({ orderId: candidate.id, reason: 'order_not_confirmed' });
      else confirmed.push(candidate);
    }
    for (const group of customerGroups(confirmed)) {
      try {
        const outcome = await db.transaction(tenantId, (s) => billGroup(s, env, group, input));
        if (outcome.created) report.created.push(outcome.created);
        report.skipped.push(...outcome.skipped);
      } catch (e) {
        // the group's transaction rolled back: none of its orders was invoiced
        for (const orderId of group) report.failed.push(failureOf(e, orderId, "customer's group of orders"));
      }
    }
  } else {
    for (const candidate of candidates) {
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
        report.failed.push(failureOf(e, candidate.id, 'order'));
      }
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
      data: {
        upTo: input.upTo,
        issue: input.issue,
        groupBy,
        created: report.created.length,
        skipped: report.skipped.length,
        failed: report.failed.length,
      },
    });
    await opts.onStored?.(s, report);
  });
  return report;
}
