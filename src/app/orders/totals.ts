/**
 * An order's amounts as they stand: every line counts for its quantity net of cancellations, at its
 * frozen prices. A partly cancelled line takes its pro-rata share of the frozen amounts by the
 * running-total policy of invoicing (core/documents/lines partialLineNet), so the order total is
 * exactly what invoicing the rest would charge; VAT is computed once per rate (documentTotals).
 */
import { documentTotals, partialLineNet, type DocumentTotals } from '../../core/documents/lines.js';
import { money } from '../../core/money/money.js';
import { compareD, subD, ZERO_D, type Quantity } from '../../core/money/quantity.js';
import type { OrderLineRecord, OrderRecord } from '../ports.js';

/** ordered − cancelled */
export const netQuantityOf = (l: Pick<OrderLineRecord, 'quantity' | 'quantityCancelled'>): Quantity => subD(l.quantity, l.quantityCancelled);

/** The line's gross, discount and net for its quantity net of cancellations (0 when all is cancelled). */
export function effectiveLineAmounts(l: OrderLineRecord, currency: string): { grossMinor: bigint; discountMinor: bigint; netMinor: bigint } {
  const q = netQuantityOf(l);
  if (q.scaled <= 0n) return { grossMinor: 0n, discountMinor: 0n, netMinor: 0n };
  if (compareD(q, l.quantity) === 0) {
    return { grossMinor: l.grossAmountMinor, discountMinor: l.discountAmountMinor, netMinor: l.netAmountMinor };
  }
  const a = partialLineNet({
    ordered: l.quantity,
    orderedGross: money(l.grossAmountMinor, currency),
    orderedNet: money(l.netAmountMinor, currency),
    alreadyInvoiced: ZERO_D,
    alreadyInvoicedNet: money(0n, currency),
    quantity: q,
  });
  return { grossMinor: a.gross.minor, discountMinor: a.discount.minor, netMinor: a.net.minor };
}

export function orderTotalsOf(currency: string, lines: readonly OrderLineRecord[]): DocumentTotals {
  return documentTotals(
    currency,
    lines
      .filter((l) => netQuantityOf(l).scaled > 0n)
      .map((l) => ({ net: money(effectiveLineAmounts(l, currency).netMinor, currency), vatRate: l.vatRate, vatCategory: l.vatCategory })),
  );
}

/** The order with its totals recomputed from its lines. */
export function withTotals(order: OrderRecord): OrderRecord {
  const t = orderTotalsOf(order.currency, order.lines);
  return { ...order, netTotalMinor: t.net.minor, vatTotalMinor: t.vat.minor, grossTotalMinor: t.gross.minor };
}

/** What can still be cancelled on a line: not in a delivery, not shipped, not billed (never negative). */
export function cancellableQuantity(l: OrderLineRecord): Quantity {
  const net = netQuantityOf(l).scaled;
  const billed = l.quantityInvoiced.scaled - l.quantityCredited.scaled;
  const taken = [l.quantityAllocated.scaled, l.quantityShipped.scaled, billed].reduce((a, b) => (a > b ? a : b), 0n);
  const open = net - taken;
  return { scaled: open > 0n ? open : 0n };
}

/**
 * The rounding amount (EN 16931 BT-114, "Öresavrundning") an invoice of this order should carry
 * (docs/decisions/0009-prices-including-vat.md). Rule: the order's whole rounding goes on the invoice
 * that completes the order — the one after which every line's quantity net of cancellations is
 * invoiced — and every other invoice carries none. A rounding cannot be split pro rata (it is an
 * öre or two, and each partial invoice computes its own VAT per rate anyway), and putting it on the
 * completing invoice means an order invoiced at once charges exactly the gross the customer entered.
 * `invoicing`: the quantity per order line the invoice takes.
 */
export function invoiceRoundingOf(
  order: Pick<OrderRecord, 'roundingMinor' | 'lines'>,
  invoicing: readonly { orderLineNo: number; quantity: Quantity }[],
): bigint {
  if (order.roundingMinor === 0n) return 0n;
  const now = new Map<number, bigint>();
  for (const i of invoicing) now.set(i.orderLineNo, (now.get(i.orderLineNo) ?? 0n) + i.quantity.scaled);
  const completes = order.lines.every((l) => l.quantityInvoiced.scaled + (now.get(l.lineNo) ?? 0n) >= netQuantityOf(l).scaled);
  const alreadyComplete = order.lines.every((l) => l.quantityInvoiced.scaled >= netQuantityOf(l).scaled);
  return completes && !alreadyComplete && invoicing.length > 0 ? order.roundingMinor : 0n;
}
