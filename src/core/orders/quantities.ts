/**
 * The quantities of one order line through fulfilment, returns, replacement claims and billing, as
 * pure functions over an immutable record. Every figure is an exact Decimal4 quantity (never a float)
 * and every figure is cumulative: it only ever grows, except `reserved`, which is a current balance.
 *
 * Figures (all ≥ 0):
 * - ordered      quantity on the order line (> 0)
 * - cancelled    ordered quantity cancelled before it shipped
 * - reserved     stock reserved for the line and not yet shipped (current balance)
 * - shipped      shipped so far, replacements included
 * - delivered    delivered so far, replacements included
 * - returned     received back from the customer
 * - replacement  owed free of charge to replace damaged goods; shipped and delivered like any other
 *                quantity, never invoiced
 * - invoiced     invoiced so far (gross: credit notes do not lower it)
 * - credited     credited so far
 *
 * Named derived figures used below:
 * - netOrdered  = ordered − cancelled                  what the customer still buys and pays for
 * - deliverable = netOrdered + replacement             what the line must deliver in all
 * - netInvoiced = invoiced − credited                  what the customer is billed for now
 * - unreplacedReturns = max(0, returned − replacement) returns no replacement answers: refund returns
 *
 * Allocation convention ("order first"). The cumulative figures do not say which shipped or delivered
 * units were replacements, so shipments and deliveries count against the ordered quantity first and
 * only what exceeds netOrdered counts as replacement goods. Consequences: goods of the order still to
 * ship = max(0, netOrdered − shipped) (the most a cancellation can take), and goods of the order
 * delivered = min(delivered, netOrdered) (the most that can be invoiced on delivery). A replacement
 * shipped while a backorder is still open therefore counts as backorder goods, and the replacement
 * stays owed; the totals come out right once the line is complete.
 *
 * Invoicing policies (per line, see InvoicingPolicy): the quantity the customer is to pay for now is
 *   on_delivery: chargeable = min(delivered, netOrdered) − unreplacedReturns
 *   on_order:    chargeable = netOrdered − unreplacedReturns
 * invoice() accepts up to chargeable − netInvoiced; when returns push netInvoiced above chargeable,
 * creditDue() says how much to credit. A return answered by a replacement keeps the customer paying
 * for the goods (they end up with what they paid for); a return without one is treated as a refund.
 *
 * The rules every stored line satisfies are checkInvariants(); ORDER_LINE_QUANTITY_CHECKS states the
 * same rules as PostgreSQL CHECK constraints.
 */
import { DomainError } from '../shared/errors.js';
import { formatDecimal4 } from '../money/quantity.js';
import type { Quantity } from '../money/quantity.js';

// State -------------------------------------------------------------------------------------------

/** The quantities of one order line. Immutable; every operation returns a new frozen record. */
export interface OrderLineQuantities {
  readonly ordered: Quantity;
  readonly cancelled: Quantity;
  readonly reserved: Quantity;
  readonly shipped: Quantity;
  readonly delivered: Quantity;
  readonly returned: Quantity;
  readonly replacement: Quantity;
  readonly invoiced: Quantity;
  readonly credited: Quantity;
}

export type QuantityField = keyof OrderLineQuantities;

/** Every field of OrderLineQuantities, in a fixed order. */
export const QUANTITY_FIELDS = Object.freeze([
  'ordered',
  'cancelled',
  'reserved',
  'shipped',
  'delivered',
  'returned',
  'replacement',
  'invoiced',
  'credited',
] as const satisfies readonly QuantityField[]);

/** The order_lines column holding each field (numeric(18,4)). */
export const ORDER_LINE_QUANTITY_COLUMNS = Object.freeze({
  ordered: 'quantity',
  cancelled: 'quantity_cancelled',
  reserved: 'quantity_reserved',
  shipped: 'quantity_shipped',
  delivered: 'quantity_delivered',
  returned: 'quantity_returned',
  replacement: 'quantity_replacement',
  invoiced: 'quantity_invoiced',
  credited: 'quantity_credited',
} as const satisfies Record<QuantityField, string>);

export type QuantityColumn = (typeof ORDER_LINE_QUANTITY_COLUMNS)[QuantityField];

/**
 * When a line may be invoiced:
 * - 'on_delivery': goods; only what has been delivered (of the ordered quantity) can be invoiced.
 * - 'on_order': services and prepayment; the whole net ordered quantity can be invoiced up front.
 * Either way, replacements are never invoiced and returns without a replacement are not charged.
 */
export type InvoicingPolicy = 'on_delivery' | 'on_order';
export const INVOICING_POLICIES = Object.freeze(['on_delivery', 'on_order'] as const satisfies readonly InvoicingPolicy[]);

const ZERO = 0n;
const qty = (scaled: bigint): Quantity => Object.freeze({ scaled });
const fmt = (scaled: bigint): string => formatDecimal4(qty(scaled));
const max0 = (x: bigint): bigint => (x > ZERO ? x : ZERO);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** A frozen copy of the line's quantities (and nothing else), with the given fields replaced. */
function withChanges(line: OrderLineQuantities, changes: Partial<Record<QuantityField, bigint>>): OrderLineQuantities {
  const next = {} as Record<QuantityField, Quantity>;
  for (const field of QUANTITY_FIELDS) next[field] = qty(changes[field] ?? line[field].scaled);
  return Object.freeze(next);
}

/** A new order line: `ordered` (> 0) and every other figure zero. */
export function newOrderLine(ordered: Quantity): OrderLineQuantities {
  if (ordered.scaled <= ZERO) {
    throw new DomainError('validation_failed', `The ordered quantity must be greater than 0, got ${fmt(ordered.scaled)}`, 'quantity');
  }
  const zero = qty(ZERO);
  return withChanges(
    { ordered, cancelled: zero, reserved: zero, shipped: zero, delivered: zero, returned: zero, replacement: zero, invoiced: zero, credited: zero },
    {},
  );
}

/**
 * A line from stored or supplied figures, checked: throws DomainError('unprocessable') when they break
 * a rule of checkInvariants (with the policy's rule too when a policy is given).
 */
export function orderLineQuantities(values: OrderLineQuantities, policy?: InvoicingPolicy): OrderLineQuantities {
  const line = withChanges(values, {});
  assertInvariants(line, policy);
  return line;
}

// Derived figures ---------------------------------------------------------------------------------
// Meaningful for lines that satisfy checkInvariants; every "open" figure is clamped at zero.

/** ordered − cancelled: what the customer still buys. */
export const netOrdered = (l: OrderLineQuantities): Quantity => qty(l.ordered.scaled - l.cancelled.scaled);

/** ordered − cancelled + replacement: what the line must deliver in all. */
export const deliverable = (l: OrderLineQuantities): Quantity => qty(l.ordered.scaled - l.cancelled.scaled + l.replacement.scaled);

/** deliverable − shipped: the most ship() accepts. */
export const openToShip = (l: OrderLineQuantities): Quantity => qty(max0(deliverable(l).scaled - l.shipped.scaled));

/** deliverable − shipped − reserved: the most reserve() accepts. */
export const openToReserve = (l: OrderLineQuantities): Quantity =>
  qty(max0(deliverable(l).scaled - l.shipped.scaled - l.reserved.scaled));

/** shipped − delivered (in transit): the most deliver() accepts. */
export const openToDeliver = (l: OrderLineQuantities): Quantity => qty(max0(l.shipped.scaled - l.delivered.scaled));

/** deliverable − delivered: what has yet to reach the customer, shipped or not. */
export const undelivered = (l: OrderLineQuantities): Quantity => qty(max0(deliverable(l).scaled - l.delivered.scaled));

/** invoiced − credited. */
export const netInvoiced = (l: OrderLineQuantities): Quantity => qty(l.invoiced.scaled - l.credited.scaled);

/**
 * The most cancel() accepts: min(netOrdered − shipped, netOrdered − netInvoiced), at least 0. Only
 * goods of the order not yet shipped can be cancelled (order-first allocation), and never below what
 * the customer is billed for: credit first, then cancel.
 */
export const cancellable = (l: OrderLineQuantities): Quantity => {
  const net = netOrdered(l).scaled;
  return qty(max0(min(net - l.shipped.scaled, net - netInvoiced(l).scaled)));
};

/** delivered − replacement: the most addReplacement() accepts (only delivered goods are replaced). */
export const replaceable = (l: OrderLineQuantities): Quantity => qty(max0(l.delivered.scaled - l.replacement.scaled));

/** delivered − returned: the most receiveReturn() accepts. */
export const returnable = (l: OrderLineQuantities): Quantity => qty(max0(l.delivered.scaled - l.returned.scaled));

/** max(0, returned − replacement): returns not answered by a replacement, i.e. refund returns. */
export const unreplacedReturns = (l: OrderLineQuantities): Quantity => qty(max0(l.returned.scaled - l.replacement.scaled));

/**
 * What the customer is to pay for now under the policy (see the module comment):
 * on_delivery: min(delivered, netOrdered) − unreplacedReturns; on_order: netOrdered − unreplacedReturns.
 */
export function chargeable(l: OrderLineQuantities, policy: InvoicingPolicy): Quantity {
  const net = netOrdered(l).scaled;
  const base = policy === 'on_order' ? net : min(l.delivered.scaled, net);
  return qty(max0(base - unreplacedReturns(l).scaled));
}

/** chargeable − netInvoiced, at least 0: the most invoice() accepts. */
export const invoiceable = (l: OrderLineQuantities, policy: InvoicingPolicy): Quantity =>
  qty(max0(chargeable(l, policy).scaled - netInvoiced(l).scaled));

/** invoiced − credited: the most credit() accepts. */
export const creditable = (l: OrderLineQuantities): Quantity => qty(max0(netInvoiced(l).scaled));

/** netInvoiced − chargeable, at least 0: billed for more than the customer keeps (after refund returns). */
export const creditDue = (l: OrderLineQuantities, policy: InvoicingPolicy): Quantity =>
  qty(max0(netInvoiced(l).scaled - chargeable(l, policy).scaled));

// Invariants --------------------------------------------------------------------------------------

/** Rules stored lines obey, enforced by the database too (ORDER_LINE_QUANTITY_CHECKS). */
export type StoredQuantityRule =
  | 'ordered_positive'
  | 'cancelled_nonnegative'
  | 'reserved_nonnegative'
  | 'shipped_nonnegative'
  | 'delivered_nonnegative'
  | 'returned_nonnegative'
  | 'replacement_nonnegative'
  | 'invoiced_nonnegative'
  | 'credited_nonnegative'
  | 'cancelled_within_ordered'
  | 'reserved_and_shipped_within_deliverable'
  | 'delivered_within_shipped'
  | 'returned_within_delivered'
  | 'replacement_within_delivered'
  | 'credited_within_invoiced'
  | 'net_invoiced_within_net_ordered';

/** The stored rules plus the one rule of the 'on_delivery' policy, which only core enforces. */
export type QuantityRule = StoredQuantityRule | 'net_invoiced_within_delivered';

export interface InvariantViolation {
  readonly rule: QuantityRule;
  readonly message: string;
}

/**
 * The rules the line breaks; empty when it is sound. Without a policy these are exactly the rules of
 * ORDER_LINE_QUANTITY_CHECKS (a property test holds the two to it, on valid and invalid lines):
 *
 *   ordered > 0; every other figure ≥ 0
 *   cancelled ≤ ordered
 *   reserved + shipped ≤ ordered − cancelled + replacement
 *   delivered ≤ shipped
 *   returned ≤ delivered
 *   replacement ≤ delivered
 *   credited ≤ invoiced
 *   invoiced − credited ≤ ordered − cancelled
 *
 * With policy 'on_delivery' one more rule applies, which the database cannot check because it does
 * not know the policy: invoiced − credited ≤ delivered. (For 'on_order' lines netInvoiced may exceed
 * delivered: they are billed before delivery.)
 */
export function checkInvariants(l: OrderLineQuantities, policy?: InvoicingPolicy): readonly InvariantViolation[] {
  const out: InvariantViolation[] = [];
  const fail = (rule: QuantityRule, message: string): void => {
    out.push(Object.freeze({ rule, message }));
  };
  const [o, c, r, s, d, ret, rep, inv, cr] = QUANTITY_FIELDS.map((f) => l[f].scaled) as [
    bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint,
  ];

  if (o <= ZERO) fail('ordered_positive', `ordered must be greater than 0, is ${fmt(o)}`);
  for (const field of QUANTITY_FIELDS) {
    if (field === 'ordered') continue;
    const v = l[field].scaled;
    if (v < ZERO) fail(`${field}_nonnegative`, `${field} must not be negative, is ${fmt(v)}`);
  }
  if (c > o) fail('cancelled_within_ordered', `cancelled ${fmt(c)} exceeds ordered ${fmt(o)}`);
  if (r + s > o - c + rep) {
    fail(
      'reserved_and_shipped_within_deliverable',
      `reserved ${fmt(r)} + shipped ${fmt(s)} exceeds ordered ${fmt(o)} − cancelled ${fmt(c)} + replacement ${fmt(rep)} = ${fmt(o - c + rep)}`,
    );
  }
  if (d > s) fail('delivered_within_shipped', `delivered ${fmt(d)} exceeds shipped ${fmt(s)}`);
  if (ret > d) fail('returned_within_delivered', `returned ${fmt(ret)} exceeds delivered ${fmt(d)}`);
  if (rep > d) fail('replacement_within_delivered', `replacement ${fmt(rep)} exceeds delivered ${fmt(d)}`);
  if (cr > inv) fail('credited_within_invoiced', `credited ${fmt(cr)} exceeds invoiced ${fmt(inv)}`);
  if (inv - cr > o - c) {
    fail(
      'net_invoiced_within_net_ordered',
      `invoiced ${fmt(inv)} − credited ${fmt(cr)} exceeds ordered ${fmt(o)} − cancelled ${fmt(c)} = ${fmt(o - c)}`,
    );
  }
  if (policy === 'on_delivery' && inv - cr > d) {
    fail(
      'net_invoiced_within_delivered',
      `invoiced ${fmt(inv)} − credited ${fmt(cr)} exceeds delivered ${fmt(d)} on a line invoiced on delivery`,
    );
  }
  return Object.freeze(out);
}

/** Throws DomainError('unprocessable') naming every broken rule; see checkInvariants. */
export function assertInvariants(l: OrderLineQuantities, policy?: InvoicingPolicy): void {
  const violations = checkInvariants(l, policy);
  if (violations.length > 0) {
    throw new DomainError('unprocessable', `Order line quantities are inconsistent: ${violations.map((v) => v.message).join('; ')}`);
  }
}

// Database checks ---------------------------------------------------------------------------------

/** A sum of columns: the plus columns added, the minus columns subtracted (an empty sum is 0). */
export interface ColumnSum {
  readonly plus: readonly QuantityColumn[];
  readonly minus: readonly QuantityColumn[];
}

export type CheckOperator = '<=' | '>=' | '>';

/** One CHECK constraint as data (`lhs op rhs`) and as the SQL rendered from that data. */
export interface QuantityCheck {
  readonly rule: StoredQuantityRule;
  /** constraint name: `order_lines_<rule>` */
  readonly name: string;
  readonly lhs: ColumnSum;
  readonly op: CheckOperator;
  readonly rhs: ColumnSum;
  /** the CHECK expression, e.g. `quantity_delivered <= quantity_shipped` */
  readonly sql: string;
}

function renderSum(sum: ColumnSum): string {
  const head = sum.plus.length === 0 ? '0' : sum.plus.join(' + ');
  return [head, ...sum.minus].join(' - ');
}

function check(rule: StoredQuantityRule, lhs: Partial<ColumnSum>, op: CheckOperator, rhs: Partial<ColumnSum>): QuantityCheck {
  const l: ColumnSum = Object.freeze({ plus: Object.freeze([...(lhs.plus ?? [])]), minus: Object.freeze([...(lhs.minus ?? [])]) });
  const r: ColumnSum = Object.freeze({ plus: Object.freeze([...(rhs.plus ?? [])]), minus: Object.freeze([...(rhs.minus ?? [])]) });
  return Object.freeze({ rule, name: `order_lines_${rule}`, lhs: l, op, rhs: r, sql: `${renderSum(l)} ${op} ${renderSum(r)}` });
}

const col = ORDER_LINE_QUANTITY_COLUMNS;

/**
 * The PostgreSQL CHECK constraints for order_lines, exactly equivalent to checkInvariants(line) without
 * a policy: a row passes every check if and only if checkInvariants reports nothing for it, and each
 * failing check is the violation of the same rule (quantities.test.ts proves it by property). numeric
 * arithmetic in PostgreSQL is exact, so the sums behave as the bigint sums here.
 *
 * The bound on invoicing is the policy-free one (invoiced − credited ≤ quantity − quantity_cancelled):
 * 'on_order' lines are invoiced before delivery, so core enforces the 'on_delivery' bound itself.
 */
export const ORDER_LINE_QUANTITY_CHECKS: readonly QuantityCheck[] = Object.freeze([
  check('ordered_positive', { plus: [col.ordered] }, '>', {}),
  check('cancelled_nonnegative', { plus: [col.cancelled] }, '>=', {}),
  check('reserved_nonnegative', { plus: [col.reserved] }, '>=', {}),
  check('shipped_nonnegative', { plus: [col.shipped] }, '>=', {}),
  check('delivered_nonnegative', { plus: [col.delivered] }, '>=', {}),
  check('returned_nonnegative', { plus: [col.returned] }, '>=', {}),
  check('replacement_nonnegative', { plus: [col.replacement] }, '>=', {}),
  check('invoiced_nonnegative', { plus: [col.invoiced] }, '>=', {}),
  check('credited_nonnegative', { plus: [col.credited] }, '>=', {}),
  check('cancelled_within_ordered', { plus: [col.cancelled] }, '<=', { plus: [col.ordered] }),
  check('reserved_and_shipped_within_deliverable', { plus: [col.reserved, col.shipped] }, '<=', {
    plus: [col.ordered, col.replacement],
    minus: [col.cancelled],
  }),
  check('delivered_within_shipped', { plus: [col.delivered] }, '<=', { plus: [col.shipped] }),
  check('returned_within_delivered', { plus: [col.returned] }, '<=', { plus: [col.delivered] }),
  check('replacement_within_delivered', { plus: [col.replacement] }, '<=', { plus: [col.delivered] }),
  check('credited_within_invoiced', { plus: [col.credited] }, '<=', { plus: [col.invoiced] }),
  check('net_invoiced_within_net_ordered', { plus: [col.invoiced], minus: [col.credited] }, '<=', {
    plus: [col.ordered],
    minus: [col.cancelled],
  }),
]);

// Operations --------------------------------------------------------------------------------------
// Each takes a sound line and a quantity > 0, and returns a new frozen line or throws a DomainError:
// 'validation_failed' (param 'quantity') for a quantity ≤ 0, 'unprocessable' for a line that breaks
// checkInvariants, 'quantity_exceeds_open' when the quantity is above the operation's limit (the
// message names both and how the limit is made up). The limit of each operation is the derived
// figure of the same name above, so a caller can show it beforehand.

function start(l: OrderLineQuantities, q: Quantity, action: string, policy?: InvoicingPolicy): void {
  if (q.scaled <= ZERO) {
    throw new DomainError('validation_failed', `The quantity to ${action} must be greater than 0, got ${fmt(q.scaled)}`, 'quantity');
  }
  assertInvariants(l, policy);
}

function exceeds(action: string, q: Quantity, limit: bigint, what: string, workings: string): DomainError {
  return new DomainError(
    'quantity_exceeds_open',
    `Cannot ${action} ${fmt(q.scaled)} on this order line: only ${fmt(limit)} ${what} (${workings})`,
    'quantity',
  );
}

const deliverableWorkings = (l: OrderLineQuantities): string =>
  `ordered ${fmt(l.ordered.scaled)} − cancelled ${fmt(l.cancelled.scaled)} + replacement ${fmt(l.replacement.scaled)}`;

/** Reserves stock for the line: reserved + shipped must stay ≤ deliverable. Limit: openToReserve. */
export function reserve(l: OrderLineQuantities, q: Quantity): OrderLineQuantities {
  start(l, q, 'reserve');
  const limit = openToReserve(l).scaled;
  if (q.scaled > limit) {
    throw exceeds('reserve', q, limit, 'is left to reserve', `${deliverableWorkings(l)} − shipped ${fmt(l.shipped.scaled)} − reserved ${fmt(l.reserved.scaled)}`);
  }
  return withChanges(l, { reserved: l.reserved.scaled + q.scaled });
}

/** Releases reserved stock. Limit: reserved. */
export function release(l: OrderLineQuantities, q: Quantity): OrderLineQuantities {
  start(l, q, 'release');
  if (q.scaled > l.reserved.scaled) throw exceeds('release', q, l.reserved.scaled, 'is reserved', 'reserved and not shipped');
  return withChanges(l, { reserved: l.reserved.scaled - q.scaled });
}

export interface ShipResult {
  readonly line: OrderLineQuantities;
  /** the part of the shipment taken from the line's reservation: min(reserved, q); the rest is unreserved stock */
  readonly fromReservation: Quantity;
}

/**
 * Ships q (replacements included): consumes the reservation first, min(reserved, q), and keeps
 * shipped ≤ deliverable. Limit: openToShip.
 */
export function ship(l: OrderLineQuantities, q: Quantity): ShipResult {
  start(l, q, 'ship');
  const limit = openToShip(l).scaled;
  if (q.scaled > limit) throw exceeds('ship', q, limit, 'is left to ship', `${deliverableWorkings(l)} − shipped ${fmt(l.shipped.scaled)}`);
  const fromReservation = min(l.reserved.scaled, q.scaled);
  const line = withChanges(l, { shipped: l.shipped.scaled + q.scaled, reserved: l.reserved.scaled - fromReservation });
  return Object.freeze({ line, fromReservation: qty(fromReservation) });
}

/** Records delivery of shipped goods: delivered ≤ shipped. Limit: openToDeliver. */
export function deliver(l: OrderLineQuantities, q: Quantity): OrderLineQuantities {
  start(l, q, 'deliver');
  const limit = openToDeliver(l).scaled;
  if (q.scaled > limit) {
    throw exceeds('deliver', q, limit, 'is shipped and not yet delivered', `shipped ${fmt(l.shipped.scaled)} − delivered ${fmt(l.delivered.scaled)}`);
  }
  return withChanges(l, { delivered: l.delivered.scaled + q.scaled });
}

export interface CancelResult {
  readonly line: OrderLineQuantities;
  /** reservation released because it exceeded what is left to ship; release that much stock too */
  readonly released: Quantity;
}

/**
 * Cancels q of the ordered quantity that has not shipped (q ≤ netOrdered − shipped; shipped goods
 * come back as returns instead). Refuses with 'conflict' when the customer is billed for more than
 * would remain (q > netOrdered − netInvoiced): credit first. Any reservation beyond what is left to
 * ship afterwards is released: released = max(0, reserved + shipped − (deliverable − q)).
 * Limit: cancellable.
 */
export function cancel(l: OrderLineQuantities, q: Quantity): CancelResult {
  start(l, q, 'cancel');
  const net = netOrdered(l).scaled;
  const unshipped = max0(net - l.shipped.scaled);
  if (q.scaled > unshipped) {
    throw exceeds(
      'cancel',
      q,
      unshipped,
      'of the ordered quantity is unshipped; shipped goods cannot be cancelled, only returned',
      `ordered ${fmt(l.ordered.scaled)} − cancelled ${fmt(l.cancelled.scaled)} − shipped ${fmt(l.shipped.scaled)}`,
    );
  }
  const billed = netInvoiced(l).scaled;
  if (q.scaled > net - billed) {
    throw new DomainError(
      'conflict',
      `Cannot cancel ${fmt(q.scaled)} on this order line: ${fmt(billed)} is invoiced and not credited, so only ` +
        `${fmt(max0(net - billed))} can be cancelled (ordered ${fmt(l.ordered.scaled)} − cancelled ${fmt(l.cancelled.scaled)} ` +
        `− invoiced ${fmt(l.invoiced.scaled)} + credited ${fmt(l.credited.scaled)}); credit the invoiced quantity first`,
      'quantity',
    );
  }
  const leftToShip = deliverable(l).scaled - q.scaled - l.shipped.scaled;
  const released = max0(l.reserved.scaled - leftToShip);
  const line = withChanges(l, { cancelled: l.cancelled.scaled + q.scaled, reserved: l.reserved.scaled - released });
  return Object.freeze({ line, released: qty(released) });
}

/**
 * Owes q more free of charge to replace damaged goods; it then ships and delivers like any other
 * quantity but is never invoiced. Only delivered goods can be replaced: replacement ≤ delivered.
 * Limit: replaceable.
 */
export function addReplacement(l: OrderLineQuantities, q: Quantity): OrderLineQuantities {
  start(l, q, 'replace');
  const limit = replaceable(l).scaled;
  if (q.scaled > limit) {
    throw exceeds('replace', q, limit, 'of the delivered goods is not already being replaced', `delivered ${fmt(l.delivered.scaled)} − replacement ${fmt(l.replacement.scaled)}`);
  }
  return withChanges(l, { replacement: l.replacement.scaled + q.scaled });
}

/** Records goods received back from the customer: returned ≤ delivered. Limit: returnable. */
export function receiveReturn(l: OrderLineQuantities, q: Quantity): OrderLineQuantities {
  start(l, q, 'return');
  const limit = returnable(l).scaled;
  if (q.scaled > limit) {
    throw exceeds('return', q, limit, 'is delivered and not yet returned', `delivered ${fmt(l.delivered.scaled)} − returned ${fmt(l.returned.scaled)}`);
  }
  return withChanges(l, { returned: l.returned.scaled + q.scaled });
}

/**
 * Invoices q under the line's policy: netInvoiced + q ≤ chargeable(policy). Limit: invoiceable.
 * Throws 'nothing_to_invoice' when nothing is invoiceable, 'quantity_exceeds_open' when q is more.
 */
export function invoice(l: OrderLineQuantities, q: Quantity, policy: InvoicingPolicy): OrderLineQuantities {
  start(l, q, 'invoice', policy);
  const limit = invoiceable(l, policy).scaled;
  if (q.scaled > limit) {
    const base =
      policy === 'on_order'
        ? `ordered ${fmt(l.ordered.scaled)} − cancelled ${fmt(l.cancelled.scaled)}`
        : `min(delivered ${fmt(l.delivered.scaled)}, ordered ${fmt(l.ordered.scaled)} − cancelled ${fmt(l.cancelled.scaled)})`;
    const workings =
      `invoiced ${policy.replace('_', ' ')}: ${base} − unreplaced returns ${fmt(unreplacedReturns(l).scaled)} ` +
      `− invoiced ${fmt(l.invoiced.scaled)} + credited ${fmt(l.credited.scaled)}; replacements are never invoiced`;
    if (limit === ZERO) {
      throw new DomainError('nothing_to_invoice', `Cannot invoice ${fmt(q.scaled)} on this order line: nothing is invoiceable (${workings})`, 'quantity');
    }
    throw exceeds('invoice', q, limit, 'is invoiceable', workings);
  }
  return withChanges(l, { invoiced: l.invoiced.scaled + q.scaled });
}

/** Credits q of the invoiced quantity: credited ≤ invoiced. Limit: creditable. */
export function credit(l: OrderLineQuantities, q: Quantity): OrderLineQuantities {
  start(l, q, 'credit');
  const limit = creditable(l).scaled;
  if (q.scaled > limit) {
    throw exceeds('credit', q, limit, 'is invoiced and not yet credited', `invoiced ${fmt(l.invoiced.scaled)} − credited ${fmt(l.credited.scaled)}`);
  }
  return withChanges(l, { credited: l.credited.scaled + q.scaled });
}

// Status ------------------------------------------------------------------------------------------

/**
 * Delivery progress of one line, against deliverable = ordered − cancelled + replacement:
 * - 'cancelled': nothing to deliver (deliverable = 0: all cancelled before shipping)
 * - 'open': nothing delivered yet
 * - 'partially_delivered': 0 < delivered < deliverable (a backorder or an owed replacement)
 * - 'delivered': delivered = deliverable; cancelling the backorder also completes a line
 * Adding a replacement moves a delivered line back to 'partially_delivered' until it is delivered.
 */
export type LineFulfilment = 'open' | 'partially_delivered' | 'delivered' | 'cancelled';

export function lineFulfilment(l: OrderLineQuantities): LineFulfilment {
  const total = deliverable(l).scaled;
  if (total <= ZERO) return 'cancelled';
  if (l.delivered.scaled >= total) return 'delivered';
  return l.delivered.scaled > ZERO ? 'partially_delivered' : 'open';
}

/** Fulfilment of a confirmed order that still has something to deliver (see OrderProgress). */
export type OrderFulfilment = 'confirmed' | 'in_fulfilment' | 'partially_delivered' | 'delivered';

/** Invoicing of an order (see OrderProgress). */
export type OrderInvoicing = 'not_invoiced' | 'partially_invoiced' | 'invoiced';

/**
 * Progress of a confirmed order, from its lines, on two independent axes (an 'on_order' line can be
 * invoiced before anything ships), discriminated by `fulfilment`:
 *
 * - `{ fulfilment: 'cancelled' }` when every line is cancelled: nothing to deliver or invoice.
 * - otherwise `{ fulfilment, invoicing }` where, over the lines not cancelled,
 *   fulfilment is
 *     'delivered'           every line is delivered (lineFulfilment),
 *     'partially_delivered' else, something has been delivered,
 *     'in_fulfilment'       else, something is reserved or shipped,
 *     'confirmed'           else: nothing reserved, shipped or delivered;
 *   and invoicing, comparing each line's netInvoiced with what it will finally be charged,
 *   final = ordered − cancelled − unreplacedReturns (policy-independent: on delivery it is reached
 *   once the line is delivered), is
 *     'invoiced'            every line has netInvoiced ≥ final (a line with nothing to charge counts),
 *     'partially_invoiced'  else, some line has netInvoiced > 0,
 *     'not_invoiced'        else.
 *   A line billed beyond its final figure (a refund return not yet credited) counts as invoiced;
 *   creditDue() finds those.
 */
export type OrderProgress =
  | { readonly fulfilment: 'cancelled' }
  | { readonly fulfilment: OrderFulfilment; readonly invoicing: OrderInvoicing };

/** The progress of an order from its lines (at least one); see OrderProgress. */
export function orderFulfilmentStatus(lines: readonly OrderLineQuantities[]): OrderProgress {
  if (lines.length === 0) throw new DomainError('unprocessable', 'An order without lines has no fulfilment status');
  const active = lines.filter((l) => lineFulfilment(l) !== 'cancelled');
  if (active.length === 0) return Object.freeze({ fulfilment: 'cancelled' });

  let fulfilment: OrderFulfilment;
  if (active.every((l) => lineFulfilment(l) === 'delivered')) fulfilment = 'delivered';
  else if (active.some((l) => l.delivered.scaled > ZERO)) fulfilment = 'partially_delivered';
  else if (active.some((l) => l.reserved.scaled > ZERO || l.shipped.scaled > ZERO)) fulfilment = 'in_fulfilment';
  else fulfilment = 'confirmed';

  let invoicing: OrderInvoicing;
  if (lines.every((l) => netInvoiced(l).scaled >= chargeable(l, 'on_order').scaled)) invoicing = 'invoiced';
  else if (lines.some((l) => netInvoiced(l).scaled > ZERO)) invoicing = 'partially_invoiced';
  else invoicing = 'not_invoiced';

  return Object.freeze({ fulfilment, invoicing });
}
