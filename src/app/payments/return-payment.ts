/**
 * A payment the bank returned (bounced): every allocation in force is unapplied as an unapply does
 * (reversing entries; the invoices reopen: their open items come back and they are no longer paid),
 * then the receipt itself is reversed (the 1930 / 2420 entry, with reverses_entry_id), and the payment
 * becomes 'returned' with nothing unapplied. A payment with refunds, or whose cash a credit note
 * released, is refused (409): what was paid out cannot be returned by the bank as well.
 */
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { PaymentId } from '../../core/shared/ids.js';
import type { PaymentRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { reverseEntriesOf } from './reverse-entry.js';
import { allocationsInForce, reverseAllocations } from './unapply-payment.js';

export interface ReturnPaymentInput {
  returnedOn?: LocalDate | undefined;
  reason: string;
}

export async function returnPayment(s: Store, env: Env, id: PaymentId, input: ReturnPaymentInput): Promise<PaymentRecord> {
  const payment = await s.payments.getForUpdate(id);
  if (!payment) throw notFound('payment', id);
  if ((payment.status ?? 'received') === 'returned') throw new DomainError('conflict', 'The payment was already returned');
  const reason = input.reason.trim();
  if (reason === '') throw invalid('reason', 'reason must not be blank');
  const returnedOn = input.returnedOn ?? env.clock.today();
  if (compareDates(returnedOn, payment.receivedOn) < 0) throw invalid('returned_on', `must not be before the payment was received (${payment.receivedOn})`);
  if ((await s.payments.listRefunds(id)).length > 0) {
    throw new DomainError('conflict', 'Customer credit of this payment was refunded; a refunded payment cannot be returned');
  }
  const allocations = await allocationsInForce(s, payment);
  await reverseAllocations(s, env, payment, allocations, returnedOn, 'returned', 'returned_on');
  const entries = await reverseEntriesOf(s, env, { sourceType: 'payment', sourceId: id }, returnedOn, `Payment returned: ${reason}`);
  if (!(await s.payments.markReturned(id, returnedOn, reason))) {
    throw new DomainError('conflict', 'The payment still has cash that went elsewhere (a credit note?); it cannot be returned');
  }
  await recordChange(s, env, {
    action: 'payment.returned',
    entityType: 'payment',
    entityId: id,
    data: { reason, returnedOn, allocationIds: allocations.map((a) => a.id), reversingEntryIds: entries.map((e) => e.id) },
    event: {
      type: 'payment.returned',
      payload: { id, customer_id: payment.customerId, returned_on: returnedOn, reason, invoice_ids: [...new Set(allocations.map((a) => a.invoiceId))] },
    },
  });
  const updated = await s.payments.get(id);
  if (!updated) throw notFound('payment', id);
  return updated;
}
