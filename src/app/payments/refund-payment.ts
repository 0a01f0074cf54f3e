/**
 * Refunds customer credit: pays back part or all of a payment's unapplied cash. A refund record, and
 * the entry D 2420 / C 1930 (core postRefund): 2420 with the base value taken off the payment (its
 * received-date rate, prorated by prorateBase: all of the base when the payment's cash is used up),
 * the bank with the value of the cash on the refund date (rateFor, no rate = 422 naming refunded_on);
 * their difference is a realised exchange difference, 3960 / 7960 (decision 0008). In the base
 * currency both are the amount and nothing else is posted. Never more than the unapplied amount.
 */
import { baseValue, prorateBase } from '../../core/ledger/functional.js';
import { postRefund } from '../../core/ledger/payment-rules.js';
import type { Money } from '../../core/money/money.js';
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { PaymentId } from '../../core/shared/ids.js';
import { baseCurrencyOf, rateFor } from '../fx/rate-for.js';
import { postEntry } from '../ledger/post-entry.js';
import type { PaymentRecord, RefundRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { accountsFor } from '../ledger/chart.js';

export interface RefundPaymentInput {
  amount: Money;
  refundedOn?: LocalDate | undefined;
  reference: string;
}

/** What a refund must satisfy against its payment (also checked when a large refund is only requested). */
export function checkRefund(payment: PaymentRecord, input: RefundPaymentInput, today: LocalDate): { reference: string; refundedOn: LocalDate } {
  if ((payment.status ?? 'received') === 'returned') throw new DomainError('conflict', 'The payment was returned by the bank; there is nothing to refund');
  if (input.amount.currency !== payment.currency) {
    throw new DomainError('currency_mismatch', `The payment is in ${payment.currency}, the refund in ${input.amount.currency}`, 'amount.currency');
  }
  if (input.amount.minor <= 0n) throw invalid('amount.amount', 'amount must be greater than zero');
  if (input.amount.minor > payment.unappliedMinor) {
    throw new DomainError('unprocessable', `Cannot refund more than the payment's unapplied amount (${payment.unappliedMinor} minor units)`, 'amount.amount');
  }
  const reference = input.reference.trim();
  if (reference === '') throw invalid('reference', 'reference must not be blank');
  const refundedOn = input.refundedOn ?? today;
  if (compareDates(refundedOn, payment.receivedOn) < 0) throw invalid('refunded_on', `must not be before the payment was received (${payment.receivedOn})`);
  return { reference, refundedOn };
}

export async function refundPayment(s: Store, env: Env, id: PaymentId, input: RefundPaymentInput): Promise<{ payment: PaymentRecord; refund: RefundRecord }> {
  const accounts = await accountsFor(s, env);
  const payment = await s.payments.getForUpdate(id);
  if (!payment) throw notFound('payment', id);
  const { reference, refundedOn } = checkRefund(payment, input, env.clock.today());
  const base = await baseCurrencyOf(s);
  const { rate } = await rateFor(s, payment.currency, refundedOn, 'refunded_on');
  const baseAmountMinor = prorateBase(payment.baseUnappliedMinor, input.amount.minor, payment.unappliedMinor);
  const bankBaseMinor = baseValue(input.amount.minor, rate);
  const { postings, fxDifferenceMinor } = postRefund(
    { base, currency: payment.currency, customerId: payment.customerId, amountMinor: input.amount.minor, baseAmountMinor, bankBaseMinor },
    accounts,
  );
  const refund: RefundRecord = {
    id: env.ids.next('refund'),
    paymentId: id,
    currency: payment.currency,
    amountMinor: input.amount.minor,
    baseAmountMinor,
    bankBaseMinor,
    fxDifferenceMinor,
    refundedOn,
    reference,
    createdBy: env.actor.actorId,
    createdAt: env.clock.now(),
  };
  if (!(await s.payments.reduceUnapplied(id, refund.amountMinor, null, baseAmountMinor))) {
    throw new DomainError('conflict', 'The payment changed while refunding; retry');
  }
  await s.payments.insertRefund(refund);
  const entry = postings.length === 0 ? null : await postEntry(s, env, {
    date: refundedOn,
    description: `Refund of customer credit (${reference})`,
    sourceType: 'refund',
    sourceId: refund.id,
    postings,
  });
  await recordChange(s, env, {
    action: 'refund.created',
    entityType: 'payment',
    entityId: id,
    data: { refundId: refund.id, amount: refund.amountMinor.toString(), currency: refund.currency, fxDifference: fxDifferenceMinor.toString(), journalEntryId: entry?.id ?? null },
    event: {
      type: 'refund.created',
      payload: { id: refund.id, payment_id: id, customer_id: payment.customerId, amount_minor: refund.amountMinor.toString(), currency: refund.currency, refunded_on: refundedOn },
    },
  });
  const updated = await s.payments.get(id);
  if (!updated) throw notFound('payment', id);
  return { payment: updated, refund };
}
