/**
 * Drafts one invoice for several orders of one customer (a per-customer billing run): the invoiceable
 * lines of each order, built exactly as createInvoice builds an order's lines (orderInvoicePart in
 * create-invoice.ts: quantities, running-total amounts, VAT at each line's tax point), one after the
 * other in the order given. Every line keeps its order and order line (invoice_lines.order_id,
 * order_line_no), so the quantities are reserved on each order as createInvoice reserves them.
 *
 * The orders must share the customer, the currency and the payment terms (the invoice has one of
 * each); the invoice takes the customer's buyer snapshot, the group's payment terms and as delivery
 * date the latest of the orders' delivery dates. Its order_id is the order when it covers one, and
 * null when it covers several (its lines name them).
 *
 * Per order, as on the order's own invoice:
 * - öre rounding (decision 0009, invoiceRoundingOf): an order's rounding goes on the invoice that
 *   completes it; the invoice carries the sum of the roundings of the orders it completes (refused,
 *   unprocessable, when that sum exceeds the ±99 öre an invoice's rounding may be: invoice per order);
 * - advances (decision 0010): what is left of each order's issued deposit and milestone invoices is
 *   deducted, oldest first, up to that order's part of the invoice (its lines' gross, less a negative
 *   rounding), and never beyond what is left of the whole invoice. An order's advances are never
 *   deducted from another order's lines.
 *
 * The VAT is computed once over the whole invoice per rate group (documentTotals), as on any invoice:
 * it can differ by an öre from the sum of the VAT of separate per-order invoices when rounding per
 * group falls differently; the nets are the same.
 *
 * An order with nothing to invoice is left off (it is not an error); nothing_to_invoice when no order
 * of the group has anything.
 */
import { deductAdvances, deductedGross } from '../../core/documents/advances.js';
import { documentTotals } from '../../core/documents/lines.js';
import { money } from '../../core/money/money.js';
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { AdvanceDeductionRecord, InvoiceLineRecord, InvoiceRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { draftInvoice } from './draft-invoice.js';
import { invoiceRoundingOf } from '../orders/totals.js';
import { advanceBalances } from './advance-invoice.js';
import { orderInvoicePart } from './create-invoice.js';

export const MAX_ORDERS_PER_INVOICE = 500;

/** invoices.rounding_minor is bounded to ±99 (migration 2850): the sum of several orders' roundings may not fit. */
const MAX_INVOICE_ROUNDING_MINOR = 99n;

export interface CustomerInvoiceInput {
  orderIds: readonly OrderId[];
}

interface Part {
  order: OrderRecord;
  lines: InvoiceLineRecord[];
  deliveryDate: LocalDate | null;
  roundingMinor: bigint;
}

/** Locks and checks the orders (ascending id, so two runs never wait on each other crosswise). */
async function lockOrders(s: Store, orderIds: readonly OrderId[]): Promise<OrderRecord[]> {
  const byId = new Map<OrderId, OrderRecord>();
  const at = new Map<OrderId, number>(orderIds.map((id, i) => [id, i]));
  for (const id of [...orderIds].sort()) {
    const order = await s.orders.getForUpdate(id);
    if (!order) throw notFound('order', id, `order_ids.${at.get(id)}`);
    if (order.status !== 'confirmed' && order.status !== 'closed') {
      throw new DomainError('order_not_confirmed', `Order ${order.number} is ${order.status}; only a confirmed order can be invoiced`, `order_ids.${at.get(id)}`);
    }
    byId.set(id, order);
  }
  return orderIds.map((id) => byId.get(id)!);
}

export async function createInvoiceForOrders(s: Store, env: Env, input: CustomerInvoiceInput): Promise<InvoiceRecord> {
  if (input.orderIds.length === 0) throw invalid('order_ids', 'Give at least one order');
  if (input.orderIds.length > MAX_ORDERS_PER_INVOICE) throw invalid('order_ids', `At most ${MAX_ORDERS_PER_INVOICE} orders fit on one invoice`);
  if (new Set(input.orderIds).size !== input.orderIds.length) throw invalid('order_ids', 'An order is given twice');
  const orders = await lockOrders(s, input.orderIds);
  const first = orders[0]!;
  for (const [i, o] of orders.entries()) {
    if (o.customerId !== first.customerId) throw invalid(`order_ids.${i}`, `Order ${o.number} is of another customer than order ${first.number}`);
    if (o.currency !== first.currency) throw invalid(`order_ids.${i}`, `Order ${o.number} is in ${o.currency}, order ${first.number} in ${first.currency}`);
    if (o.paymentTermsDays !== first.paymentTermsDays) {
      throw invalid(`order_ids.${i}`, `Order ${o.number} has ${o.paymentTermsDays} days' payment terms, order ${first.number} ${first.paymentTermsDays}`);
    }
  }
  const customer = await s.customers.get(first.customerId);
  if (!customer) throw notFound('customer', first.customerId);
  const cur = first.currency;
  const invoiceDate = env.clock.today();

  const parts: Part[] = [];
  for (const order of orders) {
    const part = await orderInvoicePart(s, order, invoiceDate);
    if (part.lines.length === 0) continue;
    parts.push({ order, lines: part.lines, deliveryDate: part.deliveryDate, roundingMinor: invoiceRoundingOf(order, part.lines) });
  }
  if (parts.length === 0) {
    throw new DomainError('nothing_to_invoice', 'None of the orders has delivered quantities that are not yet invoiced', 'order_ids');
  }

  const lines: InvoiceLineRecord[] = parts.flatMap((p) => p.lines).map((l, i) => ({ ...l, lineNo: i + 1 }));
  const totals = documentTotals(
    cur,
    lines.map((l) => ({ net: money(l.netAmountMinor, cur), vatRate: l.vatRate, vatCategory: l.vatCategory })),
  );
  const roundingMinor = parts.reduce((a, p) => a + p.roundingMinor, 0n);
  if (roundingMinor > MAX_INVOICE_ROUNDING_MINOR || roundingMinor < -MAX_INVOICE_ROUNDING_MINOR) {
    throw new DomainError(
      'unprocessable',
      `The öre roundings of these orders add up to ${roundingMinor} minor units, more than one invoice carries ` +
        `(±${MAX_INVOICE_ROUNDING_MINOR}); invoice them per order`,
      'order_ids',
    );
  }

  // advances per order, up to its own part, within what is left of the whole invoice (module comment)
  let room = roundingMinor < 0n ? totals.gross.minor + roundingMinor : totals.gross.minor;
  const deductions: AdvanceDeductionRecord[] = [];
  for (const p of parts) {
    if (room <= 0n) break;
    const left = (await advanceBalances(s, p.order.id)).filter((b) => b.issued);
    if (left.length === 0) continue;
    const partTotals = documentTotals(
      cur,
      p.lines.map((l) => ({ net: money(l.netAmountMinor, cur), vatRate: l.vatRate, vatCategory: l.vatCategory })),
    );
    const partCap = p.roundingMinor < 0n ? partTotals.gross.minor + p.roundingMinor : partTotals.gross.minor;
    const cap = partCap < room ? partCap : room;
    if (cap <= 0n) continue;
    const ds = deductAdvances(left, cap);
    for (const d of ds) {
      deductions.push({
        lineNo: deductions.length + 1,
        advanceInvoiceId: d.advanceId as InvoiceRecord['id'],
        vatCategory: d.vatCategory,
        vatRate: d.vatRate,
        netMinor: d.netMinor,
        vatMinor: d.vatMinor,
      });
    }
    room -= deductedGross(ds);
  }
  const prepaidMinor = deductedGross(deductions);

  let deliveryDate: LocalDate | null = null;
  for (const p of parts) {
    if (p.deliveryDate !== null && (deliveryDate === null || compareDates(p.deliveryDate, deliveryDate) > 0)) deliveryDate = p.deliveryDate;
  }
  const invoice = draftInvoice(env, {
    orderId: parts.length === 1 ? parts[0]!.order.id : null,
    customer,
    currency: cur,
    deliveryDate,
    paymentTermsDays: first.paymentTermsDays,
    lines,
    totals,
    kind: 'standard',
    advanceLabel: null,
    prepaidMinor,
    roundingMinor,
    advanceDeductions: deductions,
  });
  await s.invoices.insert(invoice);
  for (const p of parts) {
    await s.orders.applyLineDeltas(
      p.order.id,
      p.lines.map((l) => ({ lineNo: l.orderLineNo, invoiced: l.quantity, netInvoicedMinor: l.netAmountMinor })),
    );
  }
  await recordChange(s, env, {
    action: 'invoice.created',
    entityType: 'invoice',
    entityId: invoice.id,
    data: {
      orderId: invoice.orderId,
      orderIds: parts.map((p) => p.order.id),
      gross: invoice.grossTotalMinor.toString(),
      prepaid: prepaidMinor.toString(),
      rounding: roundingMinor.toString(),
    },
  });
  // reloaded when it deducts advances, for their numbers and dates
  return deductions.length > 0 ? ((await s.invoices.get(invoice.id)) ?? invoice) : invoice;
}
