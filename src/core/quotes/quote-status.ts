/**
 * The lifecycle of a quote version (issue 3), as data plus pure guards. It replaces the simpler
 * quote machine in documents/lifecycle.ts once the use cases move over.
 *
 *   draft ──request_approval──▶ awaiting_approval ──approve──▶ approved ──send──▶ sent
 *     ▲                              │                                            │
 *     └────────reject_approval───────┘          draft ──send (no approval needed)─┘
 *
 *   sent ──accept──▶ accepted · sent ──decline──▶ declined · sent ──supersede──▶ superseded
 *   draft | awaiting_approval | approved | sent ──expire──▶ expired
 *
 * A use case asks `nextQuoteVersionStatus(current, action)` before it writes, and repeats the guard
 * in the UPDATE (`where status = …`) so that a concurrent change cannot slip in between.
 */
import { DomainError, type DomainErrorCode } from '../shared/errors.js';

export const QUOTE_VERSION_STATUSES = [
  'draft',
  'awaiting_approval',
  'approved',
  'sent',
  'accepted',
  'declined',
  'expired',
  'superseded',
] as const;
export type QuoteVersionStatus = (typeof QUOTE_VERSION_STATUSES)[number];

export const QUOTE_VERSION_ACTIONS = [
  'request_approval',
  'approve',
  'reject_approval',
  'send',
  'accept',
  'decline',
  'expire',
  'supersede',
] as const;
export type QuoteVersionAction = (typeof QUOTE_VERSION_ACTIONS)[number];

/** Statuses with no way out. */
export const FINAL_QUOTE_VERSION_STATUSES = ['accepted', 'declined', 'expired', 'superseded'] as const satisfies readonly QuoteVersionStatus[];

export interface QuoteVersionTransition {
  readonly from: readonly QuoteVersionStatus[];
  readonly to: QuoteVersionStatus;
  /** The error when the version is in a status the action does not start from. */
  readonly error: DomainErrorCode;
  /** For messages: "Cannot {verb} quote …; only a quote that is 'draft' can be {done}". */
  readonly verb: string;
  readonly done: string;
}

/*
 * Error codes: the closed union has no code for "not awaiting approval", "needs approval first" or
 * "already final", so those use the generic state conflict 'conflict' (409).
 */
export const QUOTE_VERSION_TRANSITIONS: { readonly [A in QuoteVersionAction]: QuoteVersionTransition } = Object.freeze({
  request_approval: { from: ['draft'], to: 'awaiting_approval', error: 'quote_not_draft', verb: 'request approval for', done: 'submitted for approval' },
  approve: { from: ['awaiting_approval'], to: 'approved', error: 'conflict', verb: 'approve', done: 'approved' },
  reject_approval: { from: ['awaiting_approval'], to: 'draft', error: 'conflict', verb: 'reject approval of', done: 'rejected' },
  // from 'draft' only when no approval is needed: checked in nextQuoteVersionStatus
  send: { from: ['draft', 'approved'], to: 'sent', error: 'quote_not_draft', verb: 'send', done: 'sent' },
  accept: { from: ['sent'], to: 'accepted', error: 'quote_not_sent', verb: 'accept', done: 'accepted' },
  decline: { from: ['sent'], to: 'declined', error: 'quote_not_sent', verb: 'decline', done: 'declined' },
  expire: { from: ['draft', 'awaiting_approval', 'approved', 'sent'], to: 'expired', error: 'conflict', verb: 'expire', done: 'expired' },
  supersede: { from: ['sent'], to: 'superseded', error: 'quote_not_sent', verb: 'supersede', done: 'superseded' },
});

export interface QuoteVersionActionOptions {
  /** Whether the version triggers approval rules (approvals.ts `needsApproval`). Required to send a draft. */
  readonly approvalRequired: boolean;
}

/**
 * The status after `action`, or a DomainError saying why the action is refused:
 * - an action the table does not know (untrusted input): 'validation_failed' with param 'action';
 * - a status the action does not start from: the transition's code (see the table);
 * - `send` on a draft that needs approval: 'conflict' — it must be approved first.
 * Sending a draft needs `opts.approvalRequired`; leaving it out is a programming error (Error),
 * never a silent "no approval needed".
 */
export function nextQuoteVersionStatus(
  from: QuoteVersionStatus,
  action: QuoteVersionAction,
  opts?: QuoteVersionActionOptions,
): QuoteVersionStatus {
  const t = Object.hasOwn(QUOTE_VERSION_TRANSITIONS, action) ? QUOTE_VERSION_TRANSITIONS[action] : undefined;
  if (t === undefined) throw new DomainError('validation_failed', `Unknown quote action '${String(action)}'`, 'action');
  if (!t.from.includes(from)) {
    const quoted = t.from.map((s) => `'${s}'`);
    const allowed = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted.join('');
    throw new DomainError(t.error, `Cannot ${t.verb} quote: it is '${from}'; only a quote that is ${allowed} can be ${t.done}`);
  }
  if (action === 'send' && from === 'draft') {
    if (opts === undefined) throw new Error("nextQuoteVersionStatus: sending a draft needs { approvalRequired }");
    if (opts.approvalRequired) {
      throw new DomainError('conflict', "Cannot send quote: it is 'draft' and needs approval; request approval and send it once approved");
    }
  }
  return t.to;
}

/** Only a draft can be edited; every other status is immutable (a revision creates a new version). */
export function isEditable(status: QuoteVersionStatus): boolean {
  return status === 'draft';
}

/** accepted, declined, expired and superseded: no action leads out of them. */
export function isFinal(status: QuoteVersionStatus): boolean {
  return (FINAL_QUOTE_VERSION_STATUSES as readonly QuoteVersionStatus[]).includes(status);
}
