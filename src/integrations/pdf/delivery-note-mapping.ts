/**
 * The delivery note (följesedel) document from the delivery note data (app/fulfilment/delivery-note.ts):
 * used by GET /v1/deliveries/{id}/pdf and the delivery e-mail.
 */
import type { DeliveryNoteData } from '../../app/fulfilment/delivery-note.js';
import { ZERO_D, type Quantity } from '../../core/money/quantity.js';
import type { DeliveryNoteDocument, DeliveryNoteLine, DocumentLanguage } from './order-document.js';
import { buyerParty, sellerParty } from './party-mapping.js';

/** A Decimal4 quantity times a per-unit quantity, truncated to 4 decimals. */
const times = (a: Quantity, b: Quantity): Quantity => ({ scaled: (a.scaled * b.scaled) / 10_000n });

/**
 * The delivery note: per order line the ordered quantity (ordered − cancelled; for a replacement
 * delivery the replacement owed), what earlier deliveries took, this delivery and what is still to
 * come. A standard delivery also lists the order's other goods lines that are still backordered.
 */
export function toDeliveryNoteDocument(data: DeliveryNoteData, language: DocumentLanguage): DeliveryNoteDocument {
  const { delivery, order, seller, buyer, skus } = data;
  const now = new Map<number, bigint>();
  for (const l of delivery.lines) now.set(l.orderLineNo, (now.get(l.orderLineNo) ?? 0n) + l.quantity.scaled);
  const lines: DeliveryNoteLine[] = [];
  for (const ol of order.lines) {
    const inThis = now.get(ol.lineNo);
    if (inThis === undefined && (delivery.kind !== 'standard' || ol.fulfilmentKind !== 'goods')) continue;
    const total = delivery.kind === 'replacement' ? ol.quantityReplacement.scaled : ol.quantity.scaled - ol.quantityCancelled.scaled;
    const current = inThis ?? 0n;
    const prev = (data.previouslyDelivered.get(ol.lineNo) ?? ZERO_D).scaled;
    const ordered = prev + current > total ? prev + current : total;
    const backordered = ordered - prev - current;
    if (inThis === undefined && backordered <= 0n) continue;
    lines.push({
      orderLineNo: ol.lineNo,
      articleNumber: ol.productId === null ? null : (skus.get(ol.productId) ?? null),
      description: ol.description,
      unit: ol.unit,
      orderedQuantity: { scaled: ordered },
      previouslyDeliveredQuantity: { scaled: prev },
      deliveredQuantity: { scaled: current },
      backorderedQuantity: { scaled: backordered },
      ...(ol.bundle?.display === 'expanded'
        ? {
            components: ol.bundle.components.map((c) => ({
              description: c.description,
              quantity: times(c.quantityPerUnit, { scaled: current }),
              unit: c.unit,
              articleNumber: c.sku,
            })),
          }
        : {}),
    });
  }
  return {
    language,
    seller: sellerParty(seller),
    buyer: buyerParty(buyer),
    deliveryAddress: null,
    number: delivery.number,
    orderNumber: order.number,
    shipDate: data.shipDate,
    carrier: delivery.carrier,
    trackingNumber: delivery.trackingNumber,
    lines,
    notes: null,
  };
}
