/**
 * From the order domain to the order confirmation document: pure mapping. The lines are the current
 * version's (quantities net of cancellations, amounts pro rata as the order totals count them), so
 * the document always agrees with the order's totals; the VAT summary comes from the same function.
 */
import type { OrderDocumentData } from '../../app/orders/order-document.js';
import { effectiveLineAmounts, netQuantityOf, orderTotalsOf } from '../../app/orders/totals.js';
import { divRound } from '../../core/money/rounding.js';
import type { DocumentLanguage, OrderConfirmationDocument } from './order-document.js';
import { buyerParty, sellerParty } from './party-mapping.js';

export function toOrderConfirmationDocument(data: OrderDocumentData, language: DocumentLanguage): OrderConfirmationDocument {
  const { order, seller, buyer } = data;
  const cur = order.currency;
  const lines = order.lines.filter((l) => netQuantityOf(l).scaled > 0n);
  const totals = orderTotalsOf(cur, lines);
  return {
    language,
    seller: sellerParty(seller),
    buyer: buyerParty(buyer),
    number: order.number,
    version: order.version,
    orderDate: order.orderDate,
    quote: data.quote,
    currency: cur,
    paymentTermsDays: order.paymentTermsDays,
    lines: lines.map((l) => {
      const q = netQuantityOf(l);
      const a = effectiveLineAmounts(l, cur);
      return {
        lineNo: l.lineNo,
        description: l.description,
        quantity: q,
        unit: l.unit,
        unitPriceMinor: l.unitPriceMinor,
        discountPercent: l.discountPercent.scaled > 0n ? l.discountPercent : null,
        discountAmountMinor: a.discountMinor,
        netAmountMinor: a.netMinor,
        vatRate: l.vatRate,
        ...(l.bundle?.display === 'expanded'
          ? {
              components: l.bundle.components.map((c) => ({
                description: c.description,
                quantity: { scaled: divRound(q.scaled * c.quantityPerUnit.scaled, 10_000n, 'half_up') },
                unit: c.unit,
                articleNumber: c.sku,
              })),
            }
          : {}),
      };
    }),
    orderDiscountMinor: 0n,
    vatBreakdown: totals.breakdown.map((b) => ({ vatRate: b.vatRate, vatCategory: b.vatCategory, taxableMinor: b.taxable.minor, vatMinor: b.vat.minor })),
    netTotalMinor: totals.net.minor,
    vatTotalMinor: totals.vat.minor,
    grossTotalMinor: totals.gross.minor,
    roundingMinor: order.roundingMinor,
    notes: null,
    terms: null,
  };
}
