/**
 * Putting a claim right (staff): resolutions are added to an open claim and carried out.
 *
 * - replacement: ship-replacement first adds the quantity to the order line's quantity_replacement
 *   (free of charge, never invoiced), then creates a replacement delivery for it (kind 'replacement',
 *   linked to the claim). The resolution is complete when that delivery is CREATED (linked by
 *   delivery id on the resolution): the delivery then goes through pick/ship/deliver on its own.
 * - return: gets an RMA number when added; receive-return records what came back (restocked or
 *   scrapped, booked through receiveReturnedStock for stock-tracked lines), adds it to the order
 *   line's quantity_returned, and requests a credit for exactly the received quantity at the frozen
 *   order price (creditForQuantity).
 * - credit and price_concession: the credit request is made as the resolution is added.
 *
 * The core model decides when the claim is resolved (every resolution complete); claim.resolved is
 * then recorded. Rejecting a claim records claim.rejected with the reason the customer sees (no
 * e-mail is sent yet; a handler of the outbox event can).
 */
import {
  addResolution, receiveReturn, rejectClaim, requestCredit, shipReplacement,
  type CreditRequest, type NewResolution, type ReturnDisposition,
} from '../../core/claims/claims.js';
import { money, formatAmount } from '../../core/money/money.js';
import { formatDecimal4, type Quantity } from '../../core/money/quantity.js';
import { DomainError, invalid } from '../../core/shared/errors.js';
import { createDelivery } from '../fulfilment/create-delivery.js';
import { receiveReturnedStock } from '../stock/reservations.js';
import type { ClaimRecord, CreditRequestRecord, DeliveryRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import {
  claimEventPayload, claimOrderLine, loadOpenClaim, loadOrder, mergeClaim, nextNumber, orderLineOf, saveClaim, type ClaimId,
} from './shared.js';

/** A new resolution as the API gives it: a quantity, or an amount in minor units of the order's currency. */
export type ResolutionInput =
  | { kind: 'replacement' | 'return' | 'credit'; quantity: Quantity }
  | { kind: 'price_concession'; amountMinor: bigint; currency: string };

/** Stores a core credit request as a credit request record. */
async function storeCreditRequest(s: Store, env: Env, r: CreditRequest): Promise<CreditRequestRecord> {
  const rec: CreditRequestRecord = {
    id: env.ids.next('creditRequest'),
    claimId: r.claimId as ClaimId,
    orderId: r.orderId,
    orderLineNo: r.orderLineNo,
    kind: r.kind,
    quantity: r.quantity,
    currency: r.currency,
    netMinor: r.netMinor,
    vatRate: r.vatRate,
    status: 'open',
    createdAt: env.clock.now(),
  };
  await s.claims.insertCreditRequest(rec);
  await recordChange(s, env, {
    action: 'credit_request.created',
    entityType: 'credit_request',
    entityId: rec.id,
    data: {
      claimId: rec.claimId,
      kind: rec.kind,
      quantity: rec.quantity === null ? null : formatDecimal4(rec.quantity),
      net: formatAmount(money(rec.netMinor, rec.currency)),
      currency: rec.currency,
    },
    event: {
      type: 'credit_request.created',
      payload: { id: rec.id, claim_id: rec.claimId, order_id: rec.orderId, order_line_no: rec.orderLineNo, kind: rec.kind },
    },
  });
  return rec;
}

/** Requests the credit of resolution `index` (credit, price concession, received return) and stores it. */
async function creditStep(
  s: Store,
  env: Env,
  order: OrderRecord,
  claim: ClaimRecord,
  index: number,
): Promise<{ claim: ClaimRecord; creditRequest: CreditRequestRecord | null }> {
  const line = orderLineOf(order, claim.orderLineNo);
  const credited = await s.claims.creditedOnLine(claim.orderId, claim.orderLineNo);
  const result = requestCredit(claim, index, claimOrderLine(order, line), {
    quantity: credited.quantity,
    net: money(credited.netMinor, order.currency),
  });
  const creditRequest = result.creditRequest === null ? null : await storeCreditRequest(s, env, result.creditRequest);
  return { claim: mergeClaim(env, claim, result.claim, { index, links: { creditRequestId: creditRequest?.id ?? null } }), creditRequest };
}

/**
 * Adds a resolution to an open claim. A return gets its RMA number; a credit or price concession is
 * requested at once (its credit request made), which may resolve the claim.
 */
export async function addClaimResolution(s: Store, env: Env, id: ClaimId, input: ResolutionInput): Promise<ClaimRecord> {
  const claim = await loadOpenClaim(s, id);
  const order = await loadOrder(s, claim);
  const line = orderLineOf(order, claim.orderLineNo);
  const proposed: NewResolution =
    input.kind === 'price_concession'
      ? { kind: 'price_concession', amount: money(input.amountMinor, input.currency) }
      : { kind: input.kind, quantity: input.quantity };
  const added = addResolution(claim, proposed, claimOrderLine(order, line));
  const index = added.resolutions.length - 1;
  const rmaNumber = input.kind === 'return' ? await nextNumber(s, env, 'RMA') : null;
  let next = mergeClaim(env, claim, added, { index, links: { rmaNumber } });
  let creditRequest: CreditRequestRecord | null = null;
  if (input.kind === 'credit' || input.kind === 'price_concession') {
    ({ claim: next, creditRequest } = await creditStep(s, env, order, next, index));
  }
  return saveClaim(s, env, claim, next, 'claim.resolution_added', {
    index,
    kind: input.kind,
    quantity: input.kind === 'price_concession' ? null : formatDecimal4(input.quantity),
    amount: input.kind === 'price_concession' ? formatAmount(money(input.amountMinor, input.currency)) : null,
    rmaNumber,
    creditRequestId: creditRequest?.id ?? null,
  });
}

/**
 * Ships replacement `index`: quantity_replacement += its quantity on the order line, then a
 * replacement delivery for it. The resolution is complete (status 'shipped') once the delivery is
 * created and linked.
 */
export async function shipClaimReplacement(s: Store, env: Env, id: ClaimId, index: number): Promise<{ claim: ClaimRecord; delivery: DeliveryRecord }> {
  const claim = await loadOpenClaim(s, id);
  const shipped = shipReplacement(claim, index);
  const r = claim.resolutions[index]!;
  if (r.kind !== 'replacement') throw new DomainError('conflict', `Resolution ${index} of claim ${claim.number} is a ${r.kind}`, 'resolution');
  await s.orders.applyLineDeltas(claim.orderId, [{ lineNo: claim.orderLineNo, replacement: r.quantity }]);
  const delivery = await createDelivery(s, env, claim.orderId, {
    lines: [{ orderLineNo: claim.orderLineNo, quantity: r.quantity }],
    kind: 'replacement',
    claimId: claim.id,
  });
  const next = mergeClaim(env, claim, shipped, { index, links: { deliveryId: delivery.id } });
  const saved = await saveClaim(s, env, claim, next, 'claim.replacement_shipped', {
    index,
    quantity: formatDecimal4(r.quantity),
    deliveryId: delivery.id,
  });
  return { claim: saved, delivery };
}

export interface ReceiveReturnInput {
  quantity: Quantity;
  disposition: ReturnDisposition;
  warehouseId: string | null;
}

/**
 * Receives the goods of return `index`: the received quantity (0 ≤ received ≤ expected) is added to
 * the order line's quantity_returned, booked back into stock or scrapped for a stock-tracked line,
 * and credited: a credit request for exactly that quantity at the frozen order price.
 */
export async function receiveClaimReturn(
  s: Store,
  env: Env,
  id: ClaimId,
  index: number,
  input: ReceiveReturnInput,
): Promise<{ claim: ClaimRecord; creditRequest: CreditRequestRecord | null }> {
  const claim = await loadOpenClaim(s, id);
  const received = mergeClaim(env, claim, receiveReturn(claim, index, { quantity: input.quantity, disposition: input.disposition }));
  const order = await loadOrder(s, claim);
  const line = orderLineOf(order, claim.orderLineNo);
  if (input.quantity.scaled > 0n) {
    await s.orders.applyLineDeltas(claim.orderId, [{ lineNo: claim.orderLineNo, returned: input.quantity }]);
    if (line.stockTracked && line.productId !== null) {
      await receiveReturnedStock(s, env, {
        productId: line.productId,
        quantity: input.quantity,
        warehouseId: input.warehouseId,
        disposition: input.disposition,
        referenceId: claim.id,
      });
    }
  } else if (input.warehouseId !== null) {
    throw invalid('warehouse_id', 'Nothing was received: leave warehouse_id out');
  }
  const { claim: next, creditRequest } = await creditStep(s, env, order, received, index);
  const saved = await saveClaim(s, env, claim, next, 'claim.return_received', {
    index,
    rmaNumber: claim.resolutions[index]?.rmaNumber ?? null,
    quantity: formatDecimal4(input.quantity),
    disposition: input.disposition,
    warehouseId: input.warehouseId,
    creditRequestId: creditRequest?.id ?? null,
  });
  return { claim: saved, creditRequest };
}

/** Rejects an open claim with the reason the customer sees; event claim.rejected. */
export async function rejectClaimWithReason(s: Store, env: Env, id: ClaimId, reason: string): Promise<ClaimRecord> {
  const claim = await loadOpenClaim(s, id);
  const next = mergeClaim(env, claim, rejectClaim(claim, reason));
  if (!(await s.claims.update(next))) {
    throw new DomainError('claim_not_open', `Claim ${claim.number} changed while it was being rejected; reload it`);
  }
  await recordChange(s, env, {
    action: 'claim.rejected',
    entityType: 'claim',
    entityId: next.id,
    data: { reason: next.rejectionReason },
    event: { type: 'claim.rejected', payload: { ...claimEventPayload(next), rejection_reason: next.rejectionReason } },
  });
  return next;
}
