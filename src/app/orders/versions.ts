/** An order's versions: the lines and totals as the customer confirms them, and what an amendment changed. */
import { subD } from '../../core/money/quantity.js';
import type { OrderLineChange, OrderRecord, OrderVersionRecord } from '../ports.js';
import { effectiveLineAmounts } from './totals.js';

/** The order as it stands now, as version `order.version` (lines with their quantity net of cancellations). */
export function orderVersionOf(order: OrderRecord, changes: OrderLineChange[], reason: string | null, at: Date): OrderVersionRecord {
  return {
    orderId: order.id,
    version: order.version,
    lines: order.lines
      .filter((l) => subD(l.quantity, l.quantityCancelled).scaled > 0n)
      .map((l) => ({
        lineNo: l.lineNo,
        productId: l.productId,
        description: l.description,
        quantity: subD(l.quantity, l.quantityCancelled),
        unit: l.unit,
        unitPriceMinor: l.unitPriceMinor,
        netAmountMinor: effectiveLineAmounts(l, order.currency).netMinor,
        vatRate: l.vatRate,
      })),
    netTotalMinor: order.netTotalMinor,
    vatTotalMinor: order.vatTotalMinor,
    grossTotalMinor: order.grossTotalMinor,
    changes,
    reason,
    createdAt: at,
    confirmedAt: null,
    confirmedBy: null,
  };
}
