/**
 * Unapplies allocations of a payment (all of its allocations in force, or those named): each is
 * reversed with a reversing journal entry (reverses_entry_id; its write-off, bank fee and FX
 * difference with it, since they were posted in the allocation's entry), its open item gets back what
 * the allocation took (cash + bank fee + write-off, and the same base values), and the payment gets
 * back its unapplied cash (and its base). The allocation row is kept and marked reversed (when, on
 * which date, by whom); an audit row and a payment.unapplied event record each one.
 *
 * An allocation on an invoice from which a credit note already released cash back to this payment is
 * refused (409): the release and the allocation would have to be unwound together.
 *
 * Lock order as applyPayment: the payment, then the open items in id order.
 */
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { AllocationId, PaymentId } from '../../core/shared/ids.js';
import type { AllocationRecord, PaymentRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { reverseEntriesOf } from './reverse-entry.js';

export interface UnapplyPaymentInput {
  /** Omitted: every allocation of the payment still in force. */
  allocationIds?: AllocationId[] | undefined;
  unappliedOn?: LocalDate | undefined;
}

/** The allocations to reverse, checked (none reversed, all of this payment, no credit-note release). */
async function chooseAllocations(s: Store, payment: PaymentRecord, ids: AllocationId[] | undefined): Promise<AllocationRecord[]> {
  const all = await s.allocations.listByPayment(payment.id);
  let chosen: AllocationRecord[];
  if (ids === undefined) {
    chosen = all.filter((a) => !a.reversedAt);
    if (chosen.length === 0) throw new DomainError('conflict', 'The payment has no allocations to unapply');
  } else {
    if (ids.length === 0) throw invalid('allocation_ids', 'name at least one allocation');
    const byId = new Map(all.map((a) => [a.id as string, a]));
    chosen = ids.map((id, i) => {
      if (ids.indexOf(id) !== i) throw invalid(`allocation_ids.${i}`, `allocation ${id} is named twice`);
      const a = byId.get(id);
      if (!a) throw notFound('allocation of this payment', id, `allocation_ids.${i}`);
      if (a.reversedAt) throw new DomainError('conflict', `Allocation ${id} was already unapplied`, `allocation_ids.${i}`);
      return a;
    });
  }
  for (const a of chosen) {
    const released = await s.creditNotes.releasedByPayment(a.invoiceId);
    if ((released.get(payment.id) ?? 0n) > 0n) {
      const i = ids?.indexOf(a.id);
      throw new DomainError(
        'conflict',
        `A credit note on invoice ${a.invoiceId} released cash back to this payment; allocation ${a.id} cannot be unapplied`,
        i === undefined ? 'allocation_ids' : `allocation_ids.${i}`,
      );
    }
  }
  return [...chosen].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Reverses the given allocations of a locked payment; shared by unapply and return. */
export async function reverseAllocations(
  s: Store,
  env: Env,
  payment: PaymentRecord,
  allocations: AllocationRecord[],
  date: LocalDate,
  why: 'unapplied' | 'returned',
  dateParam: string,
): Promise<void> {
  for (const a of allocations) {
    if (compareDates(date, a.appliedOn) < 0) throw invalid(dateParam, `must not be before the allocation's date ${a.appliedOn} (allocation ${a.id})`);
  }
  // lock the open items in id order, as applyPayment does
  await s.openItems.getByInvoicesForUpdate([...new Set(allocations.map((a) => a.invoiceId))]);
  for (const a of allocations) {
    const writeOff = a.writeOffMinor ?? 0n;
    const fee = a.bankFeeMinor ?? 0n;
    const restoreMinor = a.amountMinor + writeOff + fee;
    const restoreBase = a.baseOpenMinor + (a.writeOffBaseMinor ?? 0n) + (a.bankFeeBaseMinor ?? 0n);
    if (!(await s.openItems.restore(a.openItemId, restoreMinor, restoreBase))) {
      throw new DomainError('conflict', `The invoice of allocation ${a.id} changed (a credit note?); it cannot be unapplied`);
    }
    if (!(await s.payments.increaseUnapplied(payment.id, a.amountMinor, a.baseAmountMinor))) {
      throw new DomainError('conflict', 'The payment changed while unapplying; retry');
    }
    if (!(await s.allocations.markReversed(a.id, { at: env.clock.now(), on: date, by: env.actor.actorId }))) {
      throw new DomainError('conflict', `Allocation ${a.id} was already unapplied`);
    }
    const entries = await reverseEntriesOf(s, env, { sourceType: 'allocation', sourceId: a.id }, date, `Payment ${why}: allocation reversed`);
    await recordChange(s, env, {
      action: 'payment.unapplied',
      entityType: 'payment',
      entityId: payment.id,
      data: {
        allocationId: a.id, invoiceId: a.invoiceId, amount: a.amountMinor.toString(), writeOff: writeOff.toString(), bankFee: fee.toString(),
        fxDifference: a.fxDifferenceMinor.toString(), reason: why, reversingEntryIds: entries.map((e) => e.id),
      },
      event: {
        type: 'payment.unapplied',
        payload: { id: payment.id, allocation_id: a.id, invoice_id: a.invoiceId, amount_minor: a.amountMinor.toString(), unapplied_on: date },
      },
    });
  }
}

export async function unapplyPayment(s: Store, env: Env, id: PaymentId, input: UnapplyPaymentInput): Promise<PaymentRecord> {
  const payment = await s.payments.getForUpdate(id);
  if (!payment) throw notFound('payment', id);
  if ((payment.status ?? 'received') === 'returned') throw new DomainError('conflict', 'The payment was returned by the bank; nothing to unapply');
  const allocations = await chooseAllocations(s, payment, input.allocationIds);
  await reverseAllocations(s, env, payment, allocations, input.unappliedOn ?? env.clock.today(), 'unapplied', 'unapplied_on');
  const updated = await s.payments.get(id);
  if (!updated) throw notFound('payment', id);
  return updated;
}

/** For returnPayment: every allocation in force, checked like an unapply of all of them. */
export async function allocationsInForce(s: Store, payment: PaymentRecord): Promise<AllocationRecord[]> {
  const active = (await s.allocations.listByPayment(payment.id)).filter((a) => !a.reversedAt);
  return active.length === 0 ? [] : chooseAllocations(s, payment, undefined);
}
