/**
 * Second approval of large refunds (issue 8, part 4). Refunding customer credit worth more than the
 * tenant's threshold (its base-currency value at the payment's rate) does not pay out: it records a
 * request, and a second finance user — not the one who asked — approves it (the refund is then made as
 * refundPayment makes any refund, re-checked against the payment as it is then) or rejects it. Keys
 * without a role (the CLI, older keys) count as admin. Bad-debt write-offs have the same second
 * approval (receivables/write-off-invoice.ts); the shared rules are in shared/second-approval.ts.
 */
import { prorateBase } from '../../core/ledger/functional.js';
import type { Money } from '../../core/money/money.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { notFound } from '../../core/shared/errors.js';
import type { Id, PaymentId } from '../../core/shared/ids.js';
import type { PaymentRecord, RefundRecord, RefundRequestRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { FINANCE_ROLES, requireRole } from '../shared/roles.js';
import { assertDecidable, pendingApproval, recordApprovalRequested, recordDecision, rejectionReason, setApprovalThreshold } from '../shared/second-approval.js';
import { checkRefund, refundPayment, type RefundPaymentInput } from './refund-payment.js';


export type RefundOutcome = { kind: 'refunded'; payment: PaymentRecord; refund: RefundRecord } | { kind: 'pending_approval'; request: RefundRequestRecord };

const requireFinance = (env: Env, what: string) => requireRole(env, FINANCE_ROLES, what);

/** A refund: paid out at once up to the threshold, otherwise a request waiting for a second approval. */
export async function requestRefund(s: Store, env: Env, id: PaymentId, input: RefundPaymentInput): Promise<RefundOutcome> {
  requireFinance(env, 'refund customer credit');
  const threshold = await s.refundRequests.threshold();
  const payment = await s.payments.get(id);
  if (!payment) throw notFound('payment', id);
  const { reference } = checkRefund(payment, input, env.clock.today());
  // its base value as it comes off the payment (the payment's rate)
  const baseValue = prorateBase(payment.baseUnappliedMinor, input.amount.minor, payment.unappliedMinor);
  if (threshold === null || baseValue <= threshold) {
    return { kind: 'refunded', ...(await refundPayment(s, env, id, input)) };
  }
  const request: RefundRequestRecord = {
    id: env.ids.next('refundRequest'),
    paymentId: id,
    currency: input.amount.currency,
    amountMinor: input.amount.minor,
    refundedOn: input.refundedOn ?? null,
    reference,
    refundId: null,
    ...pendingApproval(env),
  };
  await s.refundRequests.insert(request);
  await recordApprovalRequested(s, env, 'refund', request, { payment_id: id }, threshold);
  return { kind: 'pending_approval', request };
}

export async function approveRefundRequest(s: Store, env: Env, id: Id<'refundRequest'>, note?: string) {
  const request = await s.refundRequests.getForUpdate(id);
  if (!request) throw notFound('refund request', id);
  assertDecidable(env, 'refund', request, 'approve');
  const money: Money = { minor: request.amountMinor, currency: request.currency } as Money;
  const refundedOn: LocalDate | undefined = request.refundedOn ?? undefined;
  const { payment, refund } = await refundPayment(s, env, request.paymentId, { amount: money, refundedOn, reference: request.reference });
  await s.refundRequests.decide(id, { status: 'approved', decidedBy: env.actor.actorId, decidedAt: env.clock.now(), note: note ?? null, refundId: refund.id });
  await recordDecision(s, env, 'refund', id, { status: 'approved', refund_id: refund.id });
  return { request: (await s.refundRequests.get(id))!, payment, refund };
}

export async function rejectRefundRequest(s: Store, env: Env, id: Id<'refundRequest'>, reason: string) {
  const request = await s.refundRequests.getForUpdate(id);
  if (!request) throw notFound('refund request', id);
  assertDecidable(env, 'refund', request, 'reject');
  const note = rejectionReason(reason);
  await s.refundRequests.decide(id, { status: 'rejected', decidedBy: env.actor.actorId, decidedAt: env.clock.now(), note, refundId: null });
  await recordDecision(s, env, 'refund', id, { status: 'rejected', reason: note });
  return (await s.refundRequests.get(id))!;
}

/** Sets the tenant's threshold (base-currency minor units; null = refunds never wait for approval). */
export const setRefundThreshold = (s: Store, env: Env, minor: bigint | null): Promise<void> =>
  setApprovalThreshold(s, env, 'refund', 'refund_threshold', minor, s.refundRequests);
