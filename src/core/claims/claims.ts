/**
 * The customer's review of a delivery and the claims that come out of it, as pure functions.
 *
 * - Delivery review: a delivered delivery awaits the customer's review; the customer accepts it or
 *   reports problems (disputes it), and without either within the tenant's review window it is deemed
 *   accepted.
 * - Problem report: per delivery line, a reason, a quantity (at most what was delivered on the line and
 *   not yet claimed) and a description. Each report line becomes one claim.
 * - Claim: linked to an order line and a delivery line; open until it is resolved (every resolution
 *   complete) or rejected (with a reason for the customer). Resolutions are replacements, returns
 *   (RMA), credits for a quantity, and price concessions (an amount).
 * - Credit requests: the amounts to credit, at the order line's frozen price (pro rata of its frozen
 *   net, with the invoicing running-total policy), as data for the credit note.
 * - Dunning pauses while a claim on the invoice's order lines is open.
 *
 * State changes are guarded by transition tables in the style of documents/lifecycle.ts. Every
 * function returns a new frozen value; nothing here reads a clock (the caller passes `today`).
 */
import { DomainError, invalid } from '../shared/errors.js';
import { addDays, compareDates, type LocalDate } from '../shared/dates.js';
import type { DeliveryId, OrderId } from '../shared/ids.js';
import { divRound } from '../money/rounding.js';
import { formatAmount, money, type Money } from '../money/money.js';
import { HUNDRED_PERCENT, ZERO_D, addD, compareD, formatDecimal4, subD, type Percent, type Quantity } from '../money/quantity.js';
import { LINE_ROUNDING, VAT_ROUNDING, partialLineNet } from '../documents/lines.js';
import type { Transition, TransitionTable } from '../documents/lifecycle.js';

/** 100 % in Decimal4 units (1 000 000). */
const HUNDRED = HUNDRED_PERCENT.scaled;

/**
 * Applies an action to a status through a transition table: the target status, or a DomainError with
 * the table's code naming the current status (same wording as documents/lifecycle.ts).
 */
function next<S extends string, A extends string>(subject: string, table: TransitionTable<S, A>, from: S, action: A): S {
  const t: Transition<S> | undefined = Object.hasOwn(table, action) ? table[action] : undefined;
  if (t === undefined) throw new DomainError('validation_failed', `Unknown ${subject} action '${action}'`, 'action');
  if (!t.from.includes(from)) {
    const allowed = t.from.map((s) => `'${s}'`).join(' or ');
    const article = /^[aeiou]/.test(subject) ? 'an' : 'a';
    throw new DomainError(t.error, `Cannot ${action} ${subject}: it is '${from}'; only ${article} ${subject} that is ${allowed} can be ${t.to}`);
  }
  return t.to;
}

/** Code points, so that a description of 2000 emoji is 2000 characters as PostgreSQL counts them. */
const charCount = (s: string): number => [...s].length;

/** Longest problem description or rejection reason, in characters after trimming. */
export const MAX_TEXT_LENGTH = 2000;

function requiredText(value: unknown, param: string): string {
  if (typeof value !== 'string') throw invalid(param, `${param} must be a text`);
  const text = value.trim();
  if (text.length === 0) throw invalid(param, `${param} is required`);
  if (charCount(text) > MAX_TEXT_LENGTH) throw invalid(param, `${param} must be at most ${MAX_TEXT_LENGTH} characters`);
  return text;
}

// Delivery review --------------------------------------------------------------------------------

/** Days the customer has to report problems when the tenant has not set its own window. */
export const DEFAULT_REVIEW_WINDOW_DAYS = 14;

/** Longest review window a tenant may set, in days. */
export const MAX_REVIEW_WINDOW_DAYS = 365;

/** Where a delivered delivery stands in the customer's review. */
export const REVIEW_STATUSES = ['awaiting_review', 'accepted', 'disputed', 'deemed_accepted'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** accept: the customer confirmed receipt; dispute: the customer reported problems; deem_accepted: the window passed. */
export const REVIEW_ACTIONS = ['accept', 'dispute', 'deem_accepted'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/**
 * Review transitions. `dispute` also starts from 'disputed': a customer who finds more damage within
 * the window files another report on the same delivery. There is no dedicated error code yet, so a
 * refused review action is a generic state conflict.
 */
export const REVIEW_TRANSITIONS: TransitionTable<ReviewStatus, ReviewAction> = Object.freeze({
  accept: { from: ['awaiting_review'], to: 'accepted', error: 'conflict' },
  dispute: { from: ['awaiting_review', 'disputed'], to: 'disputed', error: 'conflict' },
  deem_accepted: { from: ['awaiting_review'], to: 'deemed_accepted', error: 'conflict' },
});

/** The review status after `action`, from the table alone (no dates); see `reviewTransition` for the window. */
export const nextReviewStatus = (from: ReviewStatus, action: ReviewAction): ReviewStatus =>
  next('delivery review', REVIEW_TRANSITIONS, from, action);

function assertWindowDays(windowDays: number): void {
  if (!Number.isSafeInteger(windowDays) || windowDays < 0 || windowDays > MAX_REVIEW_WINDOW_DAYS) {
    throw invalid('review_window_days', `review_window_days must be a whole number of days from 0 to ${MAX_REVIEW_WINDOW_DAYS}`);
  }
}

/**
 * The last day on which the customer may still report a problem: `deliveredOn` + `windowDays`.
 * The delivery day is day 0, so with the default 14 days a delivery on 2026-03-01 can be disputed up to
 * and including 2026-03-15 (day 14).
 */
export function reviewDeadline(deliveredOn: LocalDate, windowDays: number): LocalDate {
  assertWindowDays(windowDays);
  return addDays(deliveredOn, windowDays);
}

/**
 * True when `today` is after the review deadline (day windowDays + 1 or later): the window has closed
 * and a delivery still awaiting review is deemed accepted. On the deadline itself it is not overdue.
 */
export function isReviewOverdue(deliveredOn: LocalDate, windowDays: number, today: LocalDate): boolean {
  return compareDates(today, reviewDeadline(deliveredOn, windowDays)) > 0;
}

/** The dates a review action is judged against. */
export interface ReviewClock {
  readonly deliveredOn: LocalDate;
  readonly windowDays: number;
  readonly today: LocalDate;
}

/**
 * The review status after `action` on `today`, enforcing the window as well as the table: a dispute
 * is refused once the window has closed (unprocessable), and deeming acceptance is refused before it
 * has (conflict). The customer may accept at any time while the delivery awaits review.
 */
export function reviewTransition(from: ReviewStatus, action: ReviewAction, clock: ReviewClock): ReviewStatus {
  const to = nextReviewStatus(from, action);
  const overdue = isReviewOverdue(clock.deliveredOn, clock.windowDays, clock.today);
  const deadline = reviewDeadline(clock.deliveredOn, clock.windowDays);
  if (action === 'dispute' && overdue) {
    throw new DomainError('unprocessable', `The review window closed on ${deadline}; problems can no longer be reported`);
  }
  if (action === 'deem_accepted' && !overdue) {
    throw new DomainError('conflict', `The review window is open until ${deadline}; the delivery cannot be deemed accepted yet`);
  }
  return to;
}

// Problem reports --------------------------------------------------------------------------------

/** Why a delivery line is reported. */
export const PROBLEM_REASONS = ['damaged', 'missing', 'wrong_item', 'not_as_described', 'other'] as const;
export type ProblemReason = (typeof PROBLEM_REASONS)[number];

/** True for one of PROBLEM_REASONS. */
export function isProblemReason(value: unknown): value is ProblemReason {
  return typeof value === 'string' && (PROBLEM_REASONS as readonly string[]).includes(value);
}

/** A line of the delivery under review, as stored. */
export interface ReviewedDeliveryLine {
  readonly lineNo: number;
  /** the order line the delivery line ships */
  readonly orderLineNo: number;
  /** quantity delivered on this delivery line */
  readonly delivered: Quantity;
  /** quantity on claims against this delivery line that are not rejected (see `claimedQuantity`) */
  readonly alreadyClaimed: Quantity;
}

/** One reported problem as the customer sent it (quantity already parsed with parseQuantity). */
export interface ProblemReportLineInput {
  readonly deliveryLineNo: number;
  readonly reason: string;
  readonly quantity: Quantity;
  readonly description: string;
}

/** A problem report as the customer sent it. */
export interface ProblemReportInput {
  readonly lines: readonly ProblemReportLineInput[];
}

/** A validated report line: one claim to open. */
export interface ProblemReportLine {
  readonly deliveryLineNo: number;
  readonly orderLineNo: number;
  readonly reason: ProblemReason;
  readonly quantity: Quantity;
  /** trimmed, 1–2000 characters */
  readonly description: string;
}

/** A validated problem report. */
export interface ProblemReport {
  readonly lines: readonly ProblemReportLine[];
}

/**
 * Validates a problem report against the delivery's lines. At least one line; each names a line of
 * the delivery, a reason from PROBLEM_REASONS, a quantity > 0 and a description (trimmed, 1–2000
 * characters). Several report lines may name the same delivery line (2 damaged, 1 missing); together
 * they may not exceed what was delivered on it minus what is already claimed (quantity_exceeds_open).
 * Errors name the field: `lines.0.quantity`, `lines.1.delivery_line_no`, `lines.2.description`.
 */
export function validateProblemReport(input: ProblemReportInput, deliveryLines: readonly ReviewedDeliveryLine[]): ProblemReport {
  if (input.lines.length === 0) throw invalid('lines', 'A problem report needs at least one line');
  const byNo = new Map(deliveryLines.map((l) => [l.lineNo, l]));
  const reported = new Map<number, Quantity>();
  const lines = input.lines.map((line, i): ProblemReportLine => {
    const param = `lines.${i}`;
    const deliveryLine = byNo.get(line.deliveryLineNo);
    if (deliveryLine === undefined) {
      throw invalid(`${param}.delivery_line_no`, `The delivery has no line ${String(line.deliveryLineNo)}`);
    }
    if (!isProblemReason(line.reason)) {
      throw invalid(`${param}.reason`, `${param}.reason must be one of ${PROBLEM_REASONS.join(', ')}`);
    }
    if (line.quantity.scaled <= 0n) throw invalid(`${param}.quantity`, `${param}.quantity must be greater than 0`);
    const open = subD(deliveryLine.delivered, deliveryLine.alreadyClaimed);
    const total = addD(reported.get(line.deliveryLineNo) ?? ZERO_D, line.quantity);
    if (compareD(total, open) > 0) {
      throw new DomainError(
        'quantity_exceeds_open',
        `Delivery line ${line.deliveryLineNo}: cannot claim ${formatDecimal4(total)}, only ${formatDecimal4(open)} is delivered and not yet claimed`,
        `${param}.quantity`,
      );
    }
    reported.set(line.deliveryLineNo, total);
    const description = requiredText(line.description, `${param}.description`);
    return Object.freeze({
      deliveryLineNo: line.deliveryLineNo,
      orderLineNo: deliveryLine.orderLineNo,
      reason: line.reason,
      quantity: line.quantity,
      description,
    });
  });
  return Object.freeze({ lines: Object.freeze(lines) });
}

// Claims -----------------------------------------------------------------------------------------

/** open → resolved (every resolution complete) | rejected (with a reason for the customer). */
export const CLAIM_STATUSES = ['open', 'resolved', 'rejected'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const CLAIM_ACTIONS = ['resolve', 'reject'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

/** Claim transitions; no dedicated error code yet, so a refused action is a generic state conflict. */
export const CLAIM_TRANSITIONS: TransitionTable<ClaimStatus, ClaimAction> = Object.freeze({
  resolve: { from: ['open'], to: 'resolved', error: 'conflict' },
  reject: { from: ['open'], to: 'rejected', error: 'conflict' },
});

/** The claim status after `action`, from the table alone (resolveClaim and rejectClaim add their guards). */
export const nextClaimStatus = (from: ClaimStatus, action: ClaimAction): ClaimStatus =>
  next('claim', CLAIM_TRANSITIONS, from, action);

/** What becomes of returned goods. */
export const RETURN_DISPOSITIONS = ['restock', 'scrap'] as const;
export type ReturnDisposition = (typeof RETURN_DISPOSITIONS)[number];

export const RESOLUTION_KINDS = ['replacement', 'return', 'credit', 'price_concession'] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];

/** replacement: pending → shipped (free of charge). */
export const REPLACEMENT_STATUSES = ['pending', 'shipped'] as const;
export type ReplacementStatus = (typeof REPLACEMENT_STATUSES)[number];
/** return (RMA): expected → received (quantity, disposition) → credited. */
export const RETURN_STATUSES = ['expected', 'received', 'credited'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
/** credit and price_concession: pending → requested (the credit request has been made). */
export const CREDIT_STATUSES = ['pending', 'requested'] as const;
export type CreditStatus = (typeof CREDIT_STATUSES)[number];

/** Actions on a resolution. */
export const RESOLUTION_ACTIONS = ['ship', 'receive', 'request_credit'] as const;
export type ResolutionAction = (typeof RESOLUTION_ACTIONS)[number];

/** Replacement transitions. */
export const REPLACEMENT_TRANSITIONS: TransitionTable<ReplacementStatus, 'ship'> = Object.freeze({
  ship: { from: ['pending'], to: 'shipped', error: 'conflict' },
});
/** Return transitions: only received goods are credited. */
export const RETURN_TRANSITIONS: TransitionTable<ReturnStatus, 'receive' | 'request_credit'> = Object.freeze({
  receive: { from: ['expected'], to: 'received', error: 'conflict' },
  request_credit: { from: ['received'], to: 'credited', error: 'conflict' },
});
/** Credit and price concession transitions. */
export const CREDIT_TRANSITIONS: TransitionTable<CreditStatus, 'request_credit'> = Object.freeze({
  request_credit: { from: ['pending'], to: 'requested', error: 'conflict' },
});

/** Goods received back on a return. */
export interface ReturnReceipt {
  /** 0 ≤ received ≤ expected; 0 when nothing came back (nothing is credited) */
  readonly quantity: Quantity;
  readonly disposition: ReturnDisposition;
}

/** One way of settling (part of) a claim. */
export type Resolution =
  | { readonly kind: 'replacement'; readonly quantity: Quantity; readonly status: ReplacementStatus }
  | {
      readonly kind: 'return';
      /** quantity expected back */
      readonly quantity: Quantity;
      readonly status: ReturnStatus;
      readonly received: ReturnReceipt | null;
    }
  | { readonly kind: 'credit'; readonly quantity: Quantity; readonly status: CreditStatus }
  | { readonly kind: 'price_concession'; readonly amount: Money; readonly status: CreditStatus };

/** A resolution as proposed, before any progress. */
export type NewResolution =
  | { readonly kind: 'replacement' | 'return' | 'credit'; readonly quantity: Quantity }
  | { readonly kind: 'price_concession'; readonly amount: Money };

/** A claim on (part of) one delivery line, and through it one order line. */
export interface Claim {
  readonly id: string;
  readonly orderId: OrderId;
  readonly orderLineNo: number;
  readonly deliveryId: DeliveryId;
  readonly deliveryLineNo: number;
  readonly reason: ProblemReason;
  readonly description: string;
  /** the claimed quantity */
  readonly quantity: Quantity;
  readonly status: ClaimStatus;
  /** why the claim was rejected, sent to the customer; null unless rejected */
  readonly rejectionReason: string | null;
  readonly resolutions: readonly Resolution[];
}

/** The order line's figures as frozen on the order, which every credit and bound is priced from. */
export interface ClaimOrderLine {
  /** quantity on the order line */
  readonly ordered: Quantity;
  /** the order line's amount before discounts */
  readonly orderedGross: Money;
  /** the order line's net after every discount (line and quote level) */
  readonly orderedNet: Money;
  /** the order line's VAT rate */
  readonly vatRate: Percent;
}

function freezeClaim(claim: Claim): Claim {
  return Object.freeze({ ...claim, resolutions: Object.freeze([...claim.resolutions]) });
}

/** Opens a claim for one validated report line. `id` comes from outside core. */
export function openClaim(id: string, link: { readonly orderId: OrderId; readonly deliveryId: DeliveryId }, line: ProblemReportLine): Claim {
  return freezeClaim({
    id,
    orderId: link.orderId,
    orderLineNo: line.orderLineNo,
    deliveryId: link.deliveryId,
    deliveryLineNo: line.deliveryLineNo,
    reason: line.reason,
    description: line.description,
    quantity: line.quantity,
    status: 'open',
    rejectionReason: null,
    resolutions: [],
  });
}

/**
 * Quantity already claimed on a delivery line: the sum over its open and resolved claims. A rejected
 * claim releases its quantity, so the customer may report it again (within the review window).
 */
export function claimedQuantity(claims: readonly Claim[], deliveryId: DeliveryId, deliveryLineNo: number): Quantity {
  let total = ZERO_D;
  for (const c of claims) {
    if (c.deliveryId === deliveryId && c.deliveryLineNo === deliveryLineNo && c.status !== 'rejected') total = addD(total, c.quantity);
  }
  return total;
}

/** True when the resolution needs nothing more: replacement shipped, return credited, credit requested. */
export function isResolutionComplete(r: Resolution): boolean {
  switch (r.kind) {
    case 'replacement':
      return r.status === 'shipped';
    case 'return':
      return r.status === 'credited';
    case 'credit':
    case 'price_concession':
      return r.status === 'requested';
  }
}

/**
 * Quantity of the claim a resolution takes up: a replacement or a credit its quantity; a return what is
 * expected back until it is received, then what was received (only that is credited, so the rest of
 * the claim is free for another resolution). A price concession takes up no quantity.
 */
function allottedQuantity(r: Resolution): Quantity {
  switch (r.kind) {
    case 'replacement':
    case 'credit':
      return r.quantity;
    case 'return':
      return r.received === null ? r.quantity : r.received.quantity;
    case 'price_concession':
      return ZERO_D;
  }
}

/**
 * Net at the order price of `quantity` units of the line: orderedNet × quantity ÷ ordered rounded with
 * LINE_ROUNDING (exactly orderedNet for the whole line), as partialLineNet prices a first part.
 */
function netAtOrderPrice(line: ClaimOrderLine, quantity: Quantity): bigint {
  if (quantity.scaled <= 0n) return 0n;
  if (compareD(quantity, line.ordered) === 0) return line.orderedNet.minor;
  return divRound(line.orderedNet.minor * quantity.scaled, line.ordered.scaled, LINE_ROUNDING);
}

/**
 * The most that price concessions on the claim may credit in total: the net at the order price of the
 * claimed quantity not taken up by replacements, returns and credits (all of it when there are none),
 * so that a unit is never both replaced or credited and conceded on.
 */
export function concessionCap(claim: Claim, line: ClaimOrderLine): Money {
  const allotted = claim.resolutions.reduce((t, r) => addD(t, allottedQuantity(r)), ZERO_D);
  const free = subD(claim.quantity, allotted);
  return money(netAtOrderPrice(line, free), line.orderedNet.currency);
}

/** Checks the claim's resolutions against its quantity and value. */
function assertWithinClaim(claim: Claim, line: ClaimOrderLine, param: string): void {
  const allotted = claim.resolutions.reduce((t, r) => addD(t, allottedQuantity(r)), ZERO_D);
  if (compareD(allotted, claim.quantity) > 0) {
    throw new DomainError(
      'quantity_exceeds_open',
      `Claim ${claim.id}: resolutions would cover ${formatDecimal4(allotted)}, only ${formatDecimal4(claim.quantity)} is claimed`,
      `${param}.quantity`,
    );
  }
  const conceded = claim.resolutions.reduce((t, r) => (r.kind === 'price_concession' ? t + r.amount.minor : t), 0n);
  const cap = concessionCap(claim, line);
  if (conceded > cap.minor) {
    throw new DomainError(
      'unprocessable',
      `Claim ${claim.id}: price concessions of ${formatAmount(money(conceded, cap.currency))} would exceed ` +
        `${formatAmount(cap)} ${cap.currency}, the order value of the claimed quantity not otherwise resolved`,
      `${param}.amount`,
    );
  }
}

function assertOpen(claim: Claim, doing: string): void {
  if (claim.status !== 'open') {
    throw new DomainError('conflict', `Cannot ${doing} claim ${claim.id}: it is '${claim.status}'; only an open claim can be changed`);
  }
}

/**
 * Adds a resolution to an open claim. A quantity must be > 0 and all quantity resolutions together at
 * most the claimed quantity (quantity_exceeds_open); a price concession must be a positive amount in
 * the order's currency and all concessions together at most `concessionCap` (unprocessable).
 * Errors name `resolution.quantity` / `resolution.amount`.
 */
export function addResolution(claim: Claim, resolution: NewResolution, line: ClaimOrderLine): Claim {
  assertOpen(claim, 'add a resolution to');
  let added: Resolution;
  if (resolution.kind === 'price_concession') {
    if (resolution.amount.currency !== line.orderedNet.currency) {
      throw new DomainError(
        'currency_mismatch',
        `A price concession on a ${line.orderedNet.currency} order must be in ${line.orderedNet.currency}, not ${resolution.amount.currency}`,
        'resolution.amount',
      );
    }
    if (resolution.amount.minor <= 0n) throw invalid('resolution.amount', 'resolution.amount must be greater than 0');
    added = { kind: 'price_concession', amount: resolution.amount, status: 'pending' };
  } else {
    if (resolution.quantity.scaled <= 0n) throw invalid('resolution.quantity', 'resolution.quantity must be greater than 0');
    added =
      resolution.kind === 'return'
        ? { kind: 'return', quantity: resolution.quantity, status: 'expected', received: null }
        : { kind: resolution.kind, quantity: resolution.quantity, status: 'pending' };
  }
  const updated = freezeClaim({ ...claim, resolutions: [...claim.resolutions, Object.freeze(added)] });
  assertWithinClaim(updated, line, 'resolution');
  return updated;
}

function resolutionAt(claim: Claim, index: number): Resolution {
  const r = Number.isSafeInteger(index) ? claim.resolutions[index] : undefined;
  if (r === undefined) throw invalid('resolution', `Claim ${claim.id} has no resolution ${String(index)}`);
  return r;
}

/** The claim with resolution `index` replaced; resolved when that completes every resolution. */
function withResolution(claim: Claim, index: number, r: Resolution): Claim {
  const resolutions = claim.resolutions.map((old, i) => (i === index ? Object.freeze(r) : old));
  const updated = freezeClaim({ ...claim, resolutions });
  return resolutions.every(isResolutionComplete) ? resolveClaim(updated) : updated;
}

function kindError(claim: Claim, index: number, r: Resolution, action: ResolutionAction): DomainError {
  return new DomainError('conflict', `Cannot ${action} resolution ${index} of claim ${claim.id}: it is a ${r.kind}`, 'resolution');
}

/**
 * Records that replacement `index` has shipped (free of charge). When that completes every
 * resolution, the claim is resolved.
 */
export function shipReplacement(claim: Claim, index: number): Claim {
  assertOpen(claim, 'ship a replacement for');
  const r = resolutionAt(claim, index);
  if (r.kind !== 'replacement') throw kindError(claim, index, r, 'ship');
  return withResolution(claim, index, { ...r, status: next('replacement', REPLACEMENT_TRANSITIONS, r.status, 'ship') });
}

/**
 * Records the goods received back on return `index`: 0 ≤ quantity ≤ expected (quantity_exceeds_open
 * naming `quantity`), and whether they are restocked or scrapped. Only this quantity will be credited.
 */
export function receiveReturn(claim: Claim, index: number, receipt: ReturnReceipt): Claim {
  assertOpen(claim, 'receive a return for');
  const r = resolutionAt(claim, index);
  if (r.kind !== 'return') throw kindError(claim, index, r, 'receive');
  const status = next('return', RETURN_TRANSITIONS, r.status, 'receive');
  if (receipt.quantity.scaled < 0n) throw invalid('quantity', 'quantity must not be negative');
  if (compareD(receipt.quantity, r.quantity) > 0) {
    throw new DomainError(
      'quantity_exceeds_open',
      `Return ${index} of claim ${claim.id}: received ${formatDecimal4(receipt.quantity)}, only ${formatDecimal4(r.quantity)} was expected`,
      'quantity',
    );
  }
  if (!(RETURN_DISPOSITIONS as readonly string[]).includes(receipt.disposition)) {
    throw invalid('disposition', `disposition must be one of ${RETURN_DISPOSITIONS.join(', ')}`);
  }
  const received = Object.freeze({ quantity: receipt.quantity, disposition: receipt.disposition });
  return withResolution(claim, index, { ...r, status, received });
}

/** What has been credited so far on the order line through credit requests for a quantity. */
export interface CreditedSoFar {
  /** quantity credited on the order line by earlier requests (returns and credits, every claim) */
  readonly quantity: Quantity;
  /** net of those requests */
  readonly net: Money;
}

/** A credit to put on a credit note: data, positive amounts (the credit note carries the sign). */
export interface CreditRequest {
  readonly claimId: string;
  readonly orderId: OrderId;
  readonly orderLineNo: number;
  /** which resolution asked for it */
  readonly kind: 'return' | 'credit' | 'price_concession';
  /** the credited quantity; null for a price concession (an amount) */
  readonly quantity: Quantity | null;
  readonly netMinor: bigint;
  readonly currency: string;
  /** the order line's VAT rate */
  readonly vatRate: Percent;
  /** the claim's reason */
  readonly reason: ProblemReason;
}

/**
 * Requests the credit for resolution `index`: a credit for its quantity, a received return for the
 * quantity received, a price concession for its amount. Quantities are priced with
 * `creditForQuantity` from the frozen order line and what the line has had credited so far (`credited`,
 * quantity credits only; concessions are not part of the running total). Returns the updated claim
 * (resolved when that completes every resolution) and the credit request, which is null for a return
 * of which nothing came back.
 */
export function requestCredit(
  claim: Claim,
  index: number,
  line: ClaimOrderLine,
  credited: CreditedSoFar,
): { readonly claim: Claim; readonly creditRequest: CreditRequest | null } {
  assertOpen(claim, 'request a credit for');
  const r = resolutionAt(claim, index);
  const request = (kind: CreditRequest['kind'], quantity: Quantity | null, netMinor: bigint): CreditRequest =>
    Object.freeze({
      claimId: claim.id,
      orderId: claim.orderId,
      orderLineNo: claim.orderLineNo,
      kind,
      quantity,
      netMinor,
      currency: line.orderedNet.currency,
      vatRate: line.vatRate,
      reason: claim.reason,
    });
  const priced = (quantity: Quantity): bigint =>
    creditForQuantity({
      ordered: line.ordered,
      orderedGross: line.orderedGross,
      orderedNet: line.orderedNet,
      alreadyCredited: credited.quantity,
      alreadyCreditedNet: credited.net,
      quantity,
      vatRate: line.vatRate,
    }).net.minor;
  switch (r.kind) {
    case 'replacement':
      throw kindError(claim, index, r, 'request_credit');
    case 'return': {
      const status = next('return', RETURN_TRANSITIONS, r.status, 'request_credit');
      const quantity = r.received?.quantity ?? ZERO_D;
      const creditRequest = quantity.scaled === 0n ? null : request('return', quantity, priced(quantity));
      return Object.freeze({ claim: withResolution(claim, index, { ...r, status }), creditRequest });
    }
    case 'credit': {
      const status = next('credit', CREDIT_TRANSITIONS, r.status, 'request_credit');
      const creditRequest = request('credit', r.quantity, priced(r.quantity));
      return Object.freeze({ claim: withResolution(claim, index, { ...r, status }), creditRequest });
    }
    case 'price_concession': {
      const status = next('price concession', CREDIT_TRANSITIONS, r.status, 'request_credit');
      const creditRequest = request('price_concession', null, r.amount.minor);
      return Object.freeze({ claim: withResolution(claim, index, { ...r, status }), creditRequest });
    }
  }
}

/**
 * Resolves an open claim whose resolutions are all complete (at least one). The progress functions
 * call this themselves when they complete the last resolution; a use case rarely needs it directly.
 */
export function resolveClaim(claim: Claim): Claim {
  const status = nextClaimStatus(claim.status, 'resolve');
  if (claim.resolutions.length === 0) {
    throw new DomainError('conflict', `Cannot resolve claim ${claim.id}: it has no resolution`);
  }
  const pending = claim.resolutions.findIndex((r) => !isResolutionComplete(r));
  if (pending >= 0) {
    throw new DomainError('conflict', `Cannot resolve claim ${claim.id}: resolution ${pending} is not complete`);
  }
  return freezeClaim({ ...claim, status });
}

/**
 * Rejects an open claim with a reason for the customer (required, trimmed, 1–2000 characters, param
 * `reason`). A claim on which something has already happened (a replacement shipped, a return
 * received, a credit requested) cannot be rejected.
 */
export function rejectClaim(claim: Claim, reason: string): Claim {
  const status = nextClaimStatus(claim.status, 'reject');
  const text = requiredText(reason, 'reason');
  const started = claim.resolutions.findIndex((r) => r.status !== 'pending' && r.status !== 'expected');
  if (started >= 0) {
    throw new DomainError('conflict', `Cannot reject claim ${claim.id}: resolution ${started} is already under way`);
  }
  return freezeClaim({ ...claim, status, rejectionReason: text });
}

// Credit amounts ---------------------------------------------------------------------------------

/** The order line's frozen figures, what it has had credited, and the quantity to credit now. */
export interface CreditForQuantityInput<C extends string = string> {
  readonly ordered: Quantity;
  readonly orderedGross: Money<C>;
  readonly orderedNet: Money<C>;
  /** quantity of the line credited by earlier requests */
  readonly alreadyCredited: Quantity;
  /** net of those requests */
  readonly alreadyCreditedNet: Money<C>;
  readonly quantity: Quantity;
  readonly vatRate: Percent;
}

/** Amounts to credit for a quantity; all positive. */
export interface CreditAmounts<C extends string = string> {
  readonly gross: Money<C>;
  readonly discount: Money<C>;
  readonly net: Money<C>;
  readonly vatRate: Percent;
  /**
   * net × rate ÷ 100 rounded with VAT_ROUNDING: the VAT of this credit alone. On a credit note VAT is
   * computed per (category, rate) group by documentTotals, which is what the note must show.
   */
  readonly vat: Money<C>;
}

/**
 * Amounts to credit for `quantity` units of an order line at its frozen price: partialLineNet with the
 * credited figures in place of the invoiced ones, so the policy is the same "running total": credits so
 * far including this one total round(orderedNet × credited ÷ ordered) with LINE_ROUNDING, and the credit
 * that completes the line takes exactly what is left of orderedNet. Repeated partial credits therefore
 * never exceed and finally equal the line's net. More than the ordered quantity in total is refused
 * (quantity_exceeds_open naming `quantity`).
 */
export function creditForQuantity<C extends string>(p: CreditForQuantityInput<C>): CreditAmounts<C> {
  if (p.quantity.scaled <= 0n) throw invalid('quantity', 'quantity must be greater than 0');
  if (p.vatRate.scaled < 0n || p.vatRate.scaled > HUNDRED) throw new Error(`VAT rate out of range: scaled ${p.vatRate.scaled}`);
  const after = addD(p.alreadyCredited, p.quantity);
  if (compareD(after, p.ordered) > 0) {
    throw new DomainError(
      'quantity_exceeds_open',
      `Cannot credit ${formatDecimal4(p.quantity)}: ${formatDecimal4(p.alreadyCredited)} of ${formatDecimal4(p.ordered)} is already credited`,
      'quantity',
    );
  }
  const amounts = partialLineNet({
    ordered: p.ordered,
    orderedGross: p.orderedGross,
    orderedNet: p.orderedNet,
    alreadyInvoiced: p.alreadyCredited,
    alreadyInvoicedNet: p.alreadyCreditedNet,
    quantity: p.quantity,
  });
  const vat = divRound(amounts.net.minor * p.vatRate.scaled, HUNDRED, VAT_ROUNDING);
  return Object.freeze({ ...amounts, vatRate: p.vatRate, vat: money(vat, amounts.net.currency) });
}

// Dunning ----------------------------------------------------------------------------------------

/** An order line, as an invoice line refers to it. */
export interface OrderLineRef {
  readonly orderId: OrderId;
  readonly orderLineNo: number;
}

/** The claims linked to any of `orderLines` (the order lines an invoice bills). */
export function claimsForOrderLines<T extends OrderLineRef>(claims: readonly T[], orderLines: readonly OrderLineRef[]): T[] {
  const keys = new Set(orderLines.map((l) => `${l.orderId}#${l.orderLineNo}`));
  return claims.filter((c) => keys.has(`${c.orderId}#${c.orderLineNo}`));
}

/**
 * True while dunning of an invoice is paused: any of `claims` (those linked to the invoice's order
 * lines, see claimsForOrderLines) is open.
 */
export function dunningPaused(claims: readonly { readonly status: ClaimStatus }[]): boolean {
  return claims.some((c) => c.status === 'open');
}

