/**
 * Drafts an invoice for an order's invoiceable quantities (invoiceNow below). Line amounts are the
 * order line's frozen amounts pro rata, by the "running total" policy (core partialLineNet), so the
 * invoices of an order line always add up to it exactly, however it was priced. The quantities are reserved on the order line at once,
 * so two drafts can never invoice the same delivery.
 *
 * Tax point: a line of the standard category (S) is invoiced at the Swedish rate of its tax class on
 * its tax point, not the quote's: the latest delivered_on of the deliveries that carry the line
 * (replacement deliveries for a claim left out, as they are never invoiced) for a line invoiced on
 * delivery, the invoice date (today, when the draft is made) for a line invoiced on order or one with
 * no delivery date. The net is the order's, unchanged; only the rate, and so the VAT per rate group,
 * can differ (a food line quoted at 12 % before 2026-04-01 and delivered on or after it is invoiced
 * at 6 %). Lines of the other categories (Z, E and the cross-border K, AE, G, O) keep the order's
 * treatment: their rate is 0 whatever the date.
 *
 * Advances (decision 0010): the invoice deducts what is left of the order's issued deposit and
 * milestone invoices, oldest first, up to its own gross (core deductAdvances). It keeps its full
 * lines and VAT breakdown (the VAT of the whole supply); prepaid = Σ deducted gross, and what the
 * customer owes on it is gross + rounding − prepaid.
 *
 * Öre rounding (decision 0009): the invoice after which every line of a prices-including-VAT order is
 * invoiced carries the order's whole rounding (BT-114, invoiceRoundingOf); every other invoice none.
 */
import { documentTotals, partialLineNet } from '../../core/documents/lines.js';
import { deductAdvances, deductedGross } from '../../core/documents/advances.js';
import { money } from '../../core/money/money.js';
import { isZeroD, minD, subD, ZERO_D, type Quantity } from '../../core/money/quantity.js';
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { resolveSwedishVat } from '../../core/tax/vat.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { OrderId } from '../../core/shared/ids.js';
import type { DeliveryRecord, InvoiceLineRecord, InvoiceRecord, OrderLineRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { draftInvoice } from './draft-invoice.js';
import { advanceBalances } from './advance-invoice.js';
import { invoiceRoundingOf } from '../orders/totals.js';

/**
 * What to invoice of a line now. On delivery: what was delivered, but never more than was ordered
 * (less cancellations): replacements sent free of charge for a claim are delivered on top of the
 * order and are not invoiced. Returned goods are invoiced as delivered and credited through the
 * claim's credit request (a credit note), so a return is never both left off the invoice and
 * credited. On order: what was ordered. Less what is already on invoices: a quantity once invoiced
 * and then credited is not invoiced again (a correction is a new invoice made on purpose, not a
 * side effect of the next billing).
 */
function invoiceNow(l: OrderLineRecord): Quantity {
  const netOrdered = subD(l.quantity, l.quantityCancelled);
  const chargeable = l.invoicingPolicy === 'on_order' ? netOrdered : minD(l.quantityDelivered, netOrdered);
  const open = subD(chargeable, l.quantityInvoiced);
  return open.scaled > 0n ? open : ZERO_D;
}

/** The latest delivered_on per order line, over the order's delivered deliveries (replacements left out). */
function lastDeliveredOnByLine(deliveries: readonly DeliveryRecord[]): Map<number, LocalDate> {
  const byLine = new Map<number, LocalDate>();
  for (const d of deliveries) {
    if (d.deliveredOn === null || d.claimId !== null) continue;
    for (const dl of d.lines) {
      if (dl.quantity.scaled <= 0n) continue;
      const seen = byLine.get(dl.orderLineNo);
      if (seen === undefined || compareDates(d.deliveredOn, seen) > 0) byLine.set(dl.orderLineNo, d.deliveredOn);
    }
  }
  return byLine;
}

/** The line's VAT at its tax point (module comment): S lines re-resolved by tax class, the others as ordered. */
function vatAtTaxPoint(l: OrderLineRecord, delivered: Map<number, LocalDate>, invoiceDate: LocalDate): Pick<InvoiceLineRecord, 'vatRate' | 'vatCategory'> {
  if (l.vatCategory !== 'S') return { vatRate: l.vatRate, vatCategory: l.vatCategory };
  const taxPoint = l.invoicingPolicy === 'on_order' ? invoiceDate : (delivered.get(l.lineNo) ?? invoiceDate);
  const vat = resolveSwedishVat(l.taxClass, taxPoint);
  return { vatRate: vat.rate, vatCategory: vat.category };
}

/**
 * The per-order part of an invoice: the lines of what the order has to invoice now (invoiceNow), their
 * amounts (running total) and VAT at their tax point, numbered from 1, and the invoice's delivery date
 * (the latest delivered_on of the order's deliveries). Used by createInvoice and, per order, by
 * createInvoiceForOrders (an invoice of several orders, create-customer-invoice.ts). Reads only.
 */
export async function orderInvoicePart(
  s: Store,
  order: OrderRecord,
  invoiceDate: LocalDate,
): Promise<{ lines: InvoiceLineRecord[]; deliveryDate: LocalDate | null }> {
  const cur = order.currency;
  const deliveries = await s.deliveries.listByOrder(order.id);
  const delivered = lastDeliveredOnByLine(deliveries);
  const lines: InvoiceLineRecord[] = [];
  for (const l of order.lines) {
    const quantity = invoiceNow(l);
    if (isZeroD(quantity)) continue;
    const a = partialLineNet({
      ordered: l.quantity,
      orderedGross: money(l.grossAmountMinor, cur),
      orderedNet: money(l.netAmountMinor, cur),
      alreadyInvoiced: l.quantityInvoiced,
      alreadyInvoicedNet: money(l.netInvoicedMinor, cur),
      quantity,
    });
    lines.push({
      lineNo: lines.length + 1,
      orderId: order.id,
      orderLineNo: l.lineNo,
      productId: l.productId,
      description: l.description,
      quantity,
      unit: l.unit,
      unitPriceMinor: l.unitPriceMinor,
      discountPercent: l.discountPercent,
      grossAmountMinor: a.gross.minor,
      discountAmountMinor: a.discount.minor,
      netAmountMinor: a.net.minor,
      ...vatAtTaxPoint(l, delivered, invoiceDate),
    });
  }
  let deliveryDate: LocalDate | null = null;
  for (const d of deliveries) {
    if (d.deliveredOn && (deliveryDate === null || compareDates(d.deliveredOn, deliveryDate) > 0)) deliveryDate = d.deliveredOn;
  }
  return { lines, deliveryDate };
}

export async function createInvoice(s: Store, env: Env, input: { orderId: OrderId }): Promise<InvoiceRecord> {
  const order = await s.orders.getForUpdate(input.orderId);
  if (!order) throw notFound('order', input.orderId, 'order_id');
  if (order.status !== 'confirmed' && order.status !== 'closed') {
    throw new DomainError('order_not_confirmed', `The order is ${order.status}; only a confirmed order can be invoiced`, 'order_id');
  }
  const customer = await s.customers.get(order.customerId);
  if (!customer) throw notFound('customer', order.customerId);
  const cur = order.currency;
  const { lines, deliveryDate } = await orderInvoicePart(s, order, env.clock.today());
  if (lines.length === 0) {
    throw new DomainError('nothing_to_invoice', 'The order has no delivered quantities that are not yet invoiced', 'order_id');
  }
  const totals = documentTotals(
    cur,
    lines.map((l) => ({ net: money(l.netAmountMinor, cur), vatRate: l.vatRate, vatCategory: l.vatCategory })),
  );
  // decision 0009: the order's öre rounding (BT-114) goes on the invoice that completes it; the
  // advances deducted never exceed what it charges (gross + rounding, and never more than gross)
  const roundingMinor = invoiceRoundingOf(order, lines);
  const deductions = deductAdvances(
    (await advanceBalances(s, order.id)).filter((b) => b.issued),
    roundingMinor < 0n ? totals.gross.minor + roundingMinor : totals.gross.minor,
  ).map((d, i) => ({ ...d, lineNo: i + 1, advanceInvoiceId: d.advanceId as InvoiceRecord['id'] }));
  const prepaidMinor = deductedGross(deductions);
  const invoice = draftInvoice(env, {
    orderId: order.id,
    customer,
    currency: cur,
    deliveryDate,
    paymentTermsDays: order.paymentTermsDays,
    lines,
    totals,
    kind: 'standard',
    advanceLabel: null,
    prepaidMinor,
    roundingMinor,
    advanceDeductions: deductions.map((d) => ({
      lineNo: d.lineNo,
      advanceInvoiceId: d.advanceInvoiceId,
      vatCategory: d.vatCategory,
      vatRate: d.vatRate,
      netMinor: d.netMinor,
      vatMinor: d.vatMinor,
    })),
  });
  await s.invoices.insert(invoice);
  await s.orders.applyLineDeltas(
    order.id,
    lines.map((l) => ({ lineNo: l.orderLineNo, invoiced: l.quantity, netInvoicedMinor: l.netAmountMinor })),
  );
  await recordChange(s, env, {
    action: 'invoice.created',
    entityType: 'invoice',
    entityId: invoice.id,
    data: { orderId: order.id, gross: invoice.grossTotalMinor.toString(), prepaid: prepaidMinor.toString(), rounding: roundingMinor.toString() },
  });
  // reloaded when it deducts advances, for their numbers and dates
  return deductions.length > 0 ? ((await s.invoices.get(invoice.id)) ?? invoice) : invoice;
}
