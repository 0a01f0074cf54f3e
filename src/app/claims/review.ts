/**
 * The customer's review of a delivered delivery: confirming receipt (accepted), reporting problems
 * (disputed, one claim per reported line), or letting the review window pass (deemed accepted, by
 * the scheduled job). The window is the tenant's review_window_days from the delivery day; a report
 * after it is refused with review_window_closed.
 *
 * Delivering sets review_status 'awaiting_review'; a delivered delivery whose review status is still
 * null (delivered before that was set) is treated as awaiting review and given that status first.
 */
import {
  claimedQuantity, isReviewOverdue, openClaim, reviewDeadline, reviewTransition, validateProblemReport,
  type ProblemReportInput, type ReviewStatus,
} from '../../core/claims/claims.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import { addDays } from '../../core/shared/dates.js';
import { DomainError } from '../../core/shared/errors.js';
import type { DeliveryId } from '../../core/shared/ids.js';
import type { ClaimRecord, DeliveryRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { claimEventPayload, loadDelivery, nextNumber, tenantOf } from './shared.js';

/** Largest page of claims read for one delivery (a delivery has at most 500 lines). */
const ALL = { limit: 1000 } as const;

/** The delivery, locked, and its review status; conflict unless it has been delivered. */
async function deliveredForReview(s: Store, id: DeliveryId): Promise<{ delivery: DeliveryRecord; status: ReviewStatus }> {
  let d = await loadDelivery(s, id, true);
  if (d.status !== 'delivered' || d.deliveredOn === null) {
    throw new DomainError('conflict', `Delivery ${d.number} is ${d.status}; only a delivered delivery can be reviewed`);
  }
  if (d.reviewStatus === null) {
    await s.claims.startPendingReviews(d.id);
    d = { ...d, reviewStatus: 'awaiting_review' };
  }
  return { delivery: d, status: d.reviewStatus ?? 'awaiting_review' };
}

/** The last day the customer may report a problem on the delivery. */
export async function reviewDeadlineOf(s: Store, d: Pick<DeliveryRecord, 'deliveredOn'>): Promise<string | null> {
  if (d.deliveredOn === null) return null;
  return reviewDeadline(d.deliveredOn, (await tenantOf(s)).reviewWindowDays);
}

/**
 * The customer confirms receipt (through the portal, or staff on the customer's behalf): awaiting
 * review → accepted. Confirming an accepted delivery again changes nothing.
 */
export async function confirmReceipt(s: Store, env: Env, id: DeliveryId): Promise<DeliveryRecord> {
  const { delivery, status } = await deliveredForReview(s, id);
  if (status === 'accepted') return delivery;
  const tenant = await tenantOf(s);
  const to = reviewTransition(status, 'accept', { deliveredOn: delivery.deliveredOn!, windowDays: tenant.reviewWindowDays, today: env.clock.today() });
  const now = env.clock.now();
  if (!(await s.deliveries.setReview(id, [status], to, now))) {
    throw new DomainError('conflict', `Delivery ${delivery.number} changed while it was being reviewed; reload it`);
  }
  await recordChange(s, env, {
    action: 'delivery.receipt_confirmed',
    entityType: 'delivery',
    entityId: id,
    data: { from: status, to },
    event: { type: 'delivery.accepted', payload: { id, number: delivery.number, order_id: delivery.orderId } },
  });
  return { ...delivery, reviewStatus: to, reviewedAt: now };
}

/**
 * Problems reported on a delivery (by the customer in the portal, or by staff on the customer's
 * behalf): validated against what was delivered and not yet claimed per line, one open claim per
 * report line (event claim.reported each), and the delivery's review becomes 'disputed'.
 */
export async function reportProblems(
  s: Store,
  env: Env,
  id: DeliveryId,
  input: ProblemReportInput,
  reportedBy: 'customer' | 'staff',
): Promise<{ delivery: DeliveryRecord; claims: ClaimRecord[] }> {
  const { delivery, status } = await deliveredForReview(s, id);
  const tenant = await tenantOf(s);
  const clock = { deliveredOn: delivery.deliveredOn!, windowDays: tenant.reviewWindowDays, today: env.clock.today() };
  if (isReviewOverdue(clock.deliveredOn, clock.windowDays, clock.today)) {
    throw new DomainError(
      'review_window_closed',
      `The review window of delivery ${delivery.number} closed on ${reviewDeadline(clock.deliveredOn, clock.windowDays)}; problems can no longer be reported`,
    );
  }
  const to = reviewTransition(status, 'dispute', clock);
  const existing = (await s.claims.list({ deliveryId: id }, ALL)).data;
  const report = validateProblemReport(
    input,
    delivery.lines.map((l) => ({
      lineNo: l.lineNo,
      orderLineNo: l.orderLineNo,
      delivered: l.quantity,
      alreadyClaimed: claimedQuantity(existing, id, l.lineNo),
    })),
  );
  const now = env.clock.now();
  const claims: ClaimRecord[] = [];
  for (const line of report.lines) {
    const claimId = env.ids.next('claim');
    const core = openClaim(claimId, { orderId: delivery.orderId, deliveryId: id }, line);
    const claim: ClaimRecord = {
      ...core,
      id: claimId,
      number: await nextNumber(s, env, 'CLM'),
      resolutions: [],
      reportedBy,
      reportedAt: now,
      closedAt: null,
    };
    await s.claims.insert(claim);
    await recordChange(s, env, {
      action: 'claim.reported',
      entityType: 'claim',
      entityId: claim.id,
      data: { deliveryId: id, deliveryLineNo: claim.deliveryLineNo, reason: claim.reason, quantity: formatDecimal4(claim.quantity), reportedBy },
      event: { type: 'claim.reported', payload: { ...claimEventPayload(claim), description: claim.description, reported_by: reportedBy } },
    });
    claims.push(claim);
  }
  if (status !== to) {
    if (!(await s.deliveries.setReview(id, [status], to, now))) {
      throw new DomainError('conflict', `Delivery ${delivery.number} changed while it was being reviewed; reload it`);
    }
    await recordChange(s, env, {
      action: 'delivery.disputed',
      entityType: 'delivery',
      entityId: id,
      data: { from: status, to, claims: claims.map((c) => c.id) },
      event: { type: 'delivery.disputed', payload: { id, number: delivery.number, order_id: delivery.orderId } },
    });
  }
  return { delivery: { ...delivery, reviewStatus: to, reviewedAt: status !== to ? now : delivery.reviewedAt }, claims };
}

/**
 * The scheduled job's step for one tenant: every delivery still awaiting review whose window has
 * passed becomes 'deemed_accepted'. Idempotent (guarded updates).
 */
export async function deemAcceptedDeliveries(s: Store, env: Env): Promise<{ id: string; number: string }[]> {
  await s.claims.startPendingReviews();
  const tenant = await tenantOf(s);
  const today = env.clock.today();
  // Overdue means today > delivered_on + window, i.e. delivered_on <= today − window − 1.
  const ids = await s.deliveries.listAwaitingReview(addDays(today, -(tenant.reviewWindowDays + 1)));
  const done: { id: string; number: string }[] = [];
  const now = env.clock.now();
  for (const id of ids) {
    const d = await s.deliveries.getForUpdate(id);
    if (!d || d.deliveredOn === null || d.reviewStatus !== 'awaiting_review') continue;
    if (!isReviewOverdue(d.deliveredOn, tenant.reviewWindowDays, today)) continue;
    if (!(await s.deliveries.setReview(id, ['awaiting_review'], 'deemed_accepted', now))) continue;
    await recordChange(s, env, {
      action: 'delivery.deemed_accepted',
      entityType: 'delivery',
      entityId: id,
      data: { deliveredOn: d.deliveredOn, reviewWindowDays: tenant.reviewWindowDays },
      event: { type: 'delivery.deemed_accepted', payload: { id, number: d.number, order_id: d.orderId } },
    });
    done.push({ id, number: d.number });
  }
  return done;
}
