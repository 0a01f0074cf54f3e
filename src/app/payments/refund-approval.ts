/**
 * Second approval of large refunds (issue 8, part 4). Refunding customer credit worth more than the
 * tenant's threshold (its base-currency value at the payment's rate) does not pay out: it records a
 * request, and a second finance user — not the one who asked — approves it (the refund is then made as
 * refundPayment makes any refund, re-checked against the payment as it is then) or rejects it. Keys
 * without a role (the CLI, older keys) count as admin. Write-offs need no approval: they are bounded by
 * the payment tolerance (decision 0012).
 */
import { prorateBase } from '../../core/ledger/functional.js';
import type { Money } from '../../core/money/money.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { Id, PaymentId } from '../../core/shared/ids.js';
import type { PaymentRecord, RefundRecord, RefundRequestRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { FINANCE_ROLES, requireRole } from '../shared/roles.js';
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
    requestedBy: env.actor.actorId,
    requestedAt: env.clock.now(),
    status: 'pending',
    decidedBy: null,
    decidedAt: null,
    decisionNote: null,
    refundId: null,
  };
  await s.refundRequests.insert(request);
  await recordChange(s, env, {
    action: 'refund.approval_requested',
    entityType: 'refund_request',
    entityId: request.id,
    data: { after: { payment_id: id, amount_minor: request.amountMinor.toString(), currency: request.currency, threshold_minor: threshold.toString() } },
    event: { type: 'refund.approval_requested', payload: { id: request.id, payment_id: id, amount_minor: request.amountMinor.toString(), currency: request.currency } },
  });
  return { kind: 'pending_approval', request };
}

export async function approveRefundRequest(s: Store, env: Env, id: Id<'refundRequest'>, note?: string) {
  requireFinance(env, 'approve refunds');
  const request = await s.refundRequests.getForUpdate(id);
  if (!request) throw notFound('refund request', id);
  if (request.status !== 'pending') throw new DomainError('conflict', `The request was already ${request.status}`);
  if (request.requestedBy === env.actor.actorId) {
    throw new DomainError('forbidden', 'A second finance user must approve this refund: the requester cannot approve it');
  }
  const money: Money = { minor: request.amountMinor, currency: request.currency } as Money;
  const refundedOn: LocalDate | undefined = request.refundedOn ?? undefined;
  const { payment, refund } = await refundPayment(s, env, request.paymentId, { amount: money, refundedOn, reference: request.reference });
  const decidedAt = env.clock.now();
  await s.refundRequests.decide(id, { status: 'approved', decidedBy: env.actor.actorId, decidedAt, note: note ?? null, refundId: refund.id });
  await recordChange(s, env, {
    action: 'refund.approved',
    entityType: 'refund_request',
    entityId: id,
    data: { before: { status: 'pending' }, after: { status: 'approved', refund_id: refund.id, approved_by: env.actor.actorId } },
  });
  return { request: (await s.refundRequests.get(id))!, payment, refund };
}

export async function rejectRefundRequest(s: Store, env: Env, id: Id<'refundRequest'>, note: string) {
  requireFinance(env, 'reject refunds');
  const request = await s.refundRequests.getForUpdate(id);
  if (!request) throw notFound('refund request', id);
  if (request.status !== 'pending') throw new DomainError('conflict', `The request was already ${request.status}`);
  if (note.trim() === '') throw invalid('reason', 'give the reason for the rejection');
  await s.refundRequests.decide(id, { status: 'rejected', decidedBy: env.actor.actorId, decidedAt: env.clock.now(), note: note.trim(), refundId: null });
  await recordChange(s, env, { action: 'refund.rejected', entityType: 'refund_request', entityId: id, data: { before: { status: 'pending' }, after: { status: 'rejected', reason: note.trim() } } });
  return (await s.refundRequests.get(id))!;
}

/** Sets the tenant's threshold (base-currency minor units; null = refunds never wait for approval). */
export async function setRefundThreshold(s: Store, env: Env, minor: bigint | null): Promise<void> {
  requireFinance(env, 'change the refund approval threshold');
  if (minor !== null && minor < 0n) throw invalid('refund_threshold', 'must not be negative');
  const before = await s.refundRequests.threshold();
  await s.refundRequests.setThreshold(minor);
  await recordChange(s, env, {
    action: 'settings.refund_threshold_changed',
    entityType: 'settings',
    entityId: s.tenantId,
    data: { before: before?.toString() ?? null, after: minor?.toString() ?? null },
  });
}
