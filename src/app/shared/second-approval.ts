/**
 * The second approval of large refunds and write-offs (issue 8): above a tenant threshold in the base
 * currency the action waits as a request; a finance principal other than the requester approves it
 * (the action is taken then) or rejects it with a reason. What the two kinds share lives here: the
 * pending state, who may decide, the audit rows and the threshold setting.
 */
import { DomainError, invalid } from '../../core/shared/errors.js';
import type { SecondApproval, Store } from '../ports.js';
import type { Env } from './env.js';
import { recordChange } from './record.js';
import { FINANCE_ROLES, requireRole } from './roles.js';

/** 'refund' or 'write_off': names the audit actions (`refund.approved`) and entity types (`refund_request`). */
export type ApprovalKind = 'refund' | 'write_off';

const noun = (kind: ApprovalKind) => (kind === 'refund' ? 'refund' : 'write-off');

/** A new request's decision fields: pending, asked for by the actor now. */
export const pendingApproval = (env: Env): SecondApproval => ({
  requestedBy: env.actor.actorId,
  requestedAt: env.clock.now(),
  status: 'pending',
  decidedBy: null,
  decidedAt: null,
  decisionNote: null,
});

/** Only finance decides; only a pending request; never its own requester's approval. */
export function assertDecidable(env: Env, kind: ApprovalKind, request: Pick<SecondApproval, 'status' | 'requestedBy'>, decision: 'approve' | 'reject'): void {
  requireRole(env, FINANCE_ROLES, `${decision} ${noun(kind)}s`);
  if (request.status !== 'pending') throw new DomainError('conflict', `The request was already ${request.status}`);
  if (decision === 'approve' && request.requestedBy === env.actor.actorId) {
    throw new DomainError('forbidden', `A second finance user must approve this ${noun(kind)}: the requester cannot approve it`);
  }
}

/** The reason a rejection must give, trimmed (400 naming `reason` when empty). */
export function rejectionReason(reason: string): string {
  const note = reason.trim();
  if (note === '') throw invalid('reason', 'give the reason for the rejection');
  return note;
}

/** The audit row and event of a new request (`refund.approval_requested`, `write_off.approval_requested`). */
export async function recordApprovalRequested(
  s: Store,
  env: Env,
  kind: ApprovalKind,
  request: { id: string; currency: string; amountMinor: bigint },
  subject: Record<string, string>,
  thresholdMinor: bigint,
): Promise<void> {
  const amount = { amount_minor: request.amountMinor.toString(), currency: request.currency };
  await recordChange(s, env, {
    action: `${kind}.approval_requested`,
    entityType: `${kind}_request`,
    entityId: request.id,
    data: { after: { ...subject, ...amount, threshold_minor: thresholdMinor.toString() } },
    event: { type: `${kind}.approval_requested`, payload: { id: request.id, ...subject, ...amount } },
  });
}

/** The audit row of a decision: approved (with what it produced) or rejected (with the reason). */
export async function recordDecision(s: Store, env: Env, kind: ApprovalKind, id: string, after: Record<string, string>): Promise<void> {
  const status = after['status'];
  await recordChange(s, env, {
    action: `${kind}.${status}`,
    entityType: `${kind}_request`,
    entityId: id,
    data: { before: { status: 'pending' }, after: status === 'approved' ? { ...after, approved_by: env.actor.actorId } : after },
  });
}

/** Sets a threshold (base-currency minor units; null = never wait for approval), audited with before and after. */
export async function setApprovalThreshold(
  s: Store,
  env: Env,
  kind: ApprovalKind,
  param: string,
  minor: bigint | null,
  repo: { threshold(): Promise<bigint | null>; setThreshold(minor: bigint | null): Promise<void> },
): Promise<void> {
  requireRole(env, FINANCE_ROLES, `change the ${noun(kind)} approval threshold`);
  if (minor !== null && minor < 0n) throw invalid(param, 'must not be negative');
  const before = await repo.threshold();
  await repo.setThreshold(minor);
  await recordChange(s, env, {
    action: `settings.${kind}_threshold_changed`,
    entityType: 'settings',
    entityId: s.tenantId,
    data: { before: before?.toString() ?? null, after: minor?.toString() ?? null },
  });
}
