/**
 * Stock: how much of a product a warehouse holds and how much of that is promised to orders.
 *
 * A stock level exists per (warehouse, product): `onHand` (physically there), `reserved` (promised to
 * order lines, broken down per reservation) and the derived `available = onHand − reserved`.
 *
 * Levels are never edited directly. Every change is a stock movement appended to a ledger of its own
 * (append-only, like the journal), and a level is by definition the fold of its movements:
 * `levelsFromMovements(ledger)`. The stored levels must always equal that fold; the database side
 * checks it (`reconcileLevels`). The fold is policy-free: it replays what was accepted, whatever the
 * policy was at the time. Policies are enforced once, when a movement is accepted (`planMovement` /
 * `applyMovement`).
 *
 * Effect of each movement kind (q = the movement's quantity; r = the reservation concerned):
 *
 * | kind             | onHand | reserved                      | refused when (without allowNegativeStock) |
 * |------------------|--------|-------------------------------|-------------------------------------------|
 * | `receipt`        | +q     | 0                             | never                                     |
 * | `adjustment`     | +q (q signed, ≠ 0) | 0                 | q < 0 and onHand + q < 0                  |
 * | `reserve`        | 0      | +q (on r = reference)         | q > available                             |
 * | `release`        | 0      | −q (on r = reference)         | q > reserved on r (always, any policy)    |
 * | `ship`           | −q     | −min(reserved on r, q)        | onHand − q < 0                            |
 * | `return_restock` | +q     | 0                             | never                                     |
 * | `return_scrap`   | 0      | 0 (recorded for traceability) | never                                     |
 * | `scrap`          | −q     | 0                             | onHand − q < 0                            |
 *
 * Quantities are exact Decimal4 values (numeric(18,4)); no floats anywhere.
 */
import { DomainError, assert, invalid } from '../shared/errors.js';
import { isId, ID_PREFIXES } from '../shared/ids.js';
import type { ProductId } from '../shared/ids.js';
import { DECIMAL4_DIGITS, MAX_QUANTITY, ZERO_D, addD, formatDecimal4, minD, splitDecimal, subD } from '../money/quantity.js';
import type { Decimal4, Quantity } from '../money/quantity.js';

// Vocabulary --------------------------------------------------------------------------------------

export const MOVEMENT_KINDS = [
  'receipt',
  'adjustment',
  'reserve',
  'release',
  'ship',
  'return_restock',
  'return_scrap',
  'scrap',
] as const;
/** What a stock movement does; see the table in the module comment for each kind's effect. */
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const STOCK_REFERENCE_TYPES = ['order_line', 'delivery_line', 'return', 'adjustment', 'receipt'] as const;
export type StockReferenceType = (typeof STOCK_REFERENCE_TYPES)[number];

/** The business record a movement comes from (an order line, a delivery line, a return, …). */
export interface StockReference {
  readonly type: StockReferenceType;
  readonly id: string;
}

/**
 * Which reference types each kind accepts. Reservations are held by order lines; a shipment is
 * recorded against its delivery line and names the order line whose reservation it draws on in
 * `reservation`; returns reference the return; receipts a goods receipt; count corrections and
 * scrapping an adjustment record (count sheet, damage report).
 */
export const MOVEMENT_REFERENCE_TYPES: { readonly [K in MovementKind]: readonly StockReferenceType[] } = Object.freeze({
  receipt: ['receipt'],
  adjustment: ['adjustment'],
  reserve: ['order_line'],
  release: ['order_line'],
  ship: ['delivery_line'],
  return_restock: ['return'],
  return_scrap: ['return'],
  scrap: ['adjustment'],
});

/** Reference types a shipment's `reservation` may name. */
export const RESERVATION_REFERENCE_TYPES: readonly StockReferenceType[] = Object.freeze(['order_line']);

/** Longest reason text accepted. */
export const MAX_REASON_LENGTH = 500;
/** Warehouse ids and reference ids: 1-64 characters of [0-9A-Za-z_-]. */
const CODE = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * One entry of the stock ledger. Append-only: a mistake is corrected by a further movement, never by
 * editing one.
 */
export interface StockMovement {
  readonly kind: MovementKind;
  readonly warehouseId: string;
  readonly productId: ProductId;
  /**
   * Magnitude of the movement, > 0, at most 4 decimals — except for `adjustment`, where it is the
   * signed correction of onHand (−2 when two fewer were counted than recorded), never 0. The signed
   * effect on onHand and on reserved is fixed per kind (module comment).
   */
  readonly quantity: Quantity;
  readonly reference: StockReference;
  /** Why; required for `adjustment`, optional otherwise. Trimmed, 1-500 characters. */
  readonly reason?: string;
  /**
   * `ship` only: the reservation (order line) this shipment draws on. Absent means the shipment
   * consumes no reservation.
   */
  readonly reservation?: StockReference;
}

/** Stock policy of a tenant. */
export interface StockPolicy {
  /**
   * false (the default): a movement that would take onHand below zero (ship, scrap, a downward
   * adjustment) is refused, and so is a reservation of more than is available.
   * true: both are accepted; onHand may go negative (goods shipped before their receipt is booked)
   * and reservations may exceed what is available (back orders).
   * Movements that only add stock are accepted under either policy, and a release of more than is
   * reserved is refused under either policy: reserved never goes below zero.
   */
  readonly allowNegativeStock: boolean;
}

export const DEFAULT_STOCK_POLICY: StockPolicy = Object.freeze({ allowNegativeStock: false });

/** Quantity reserved for one reference (always > 0; a reservation released in full disappears). */
export interface Reservation {
  readonly reference: StockReference;
  readonly quantity: Quantity;
}

/** The two figures stored per (warehouse, product). */
export interface StockTotals {
  readonly warehouseId: string;
  readonly productId: ProductId;
  /** Physically in the warehouse; negative only if accepted under allowNegativeStock. */
  readonly onHand: Quantity;
  /** Promised to order lines; never negative; equals the sum of `reservations`. */
  readonly reserved: Quantity;
}

/** A stock level with its reservations, ordered by reference (type, then id). */
export interface StockLevel extends StockTotals {
  readonly reservations: readonly Reservation[];
}

/** Signed change a movement makes to a level. */
export interface MovementEffect {
  readonly onHand: Decimal4;
  readonly reserved: Decimal4;
}

// Levels ------------------------------------------------------------------------------------------

/** The level of a (warehouse, product) that has no movements yet: everything zero. */
export function emptyLevel(warehouseId: string, productId: ProductId): StockLevel {
  return Object.freeze({ warehouseId, productId, onHand: ZERO_D, reserved: ZERO_D, reservations: Object.freeze([]) });
}

/** available = onHand − reserved. Negative when more is promised than is there (see StockPolicy). */
export function availableOf(level: StockTotals): Decimal4 {
  return subD(level.onHand, level.reserved);
}

/** Quantity reserved for one reference on this level (0 when none). */
export function reservedFor(level: StockLevel, reference: StockReference): Quantity {
  return level.reservations.find((r) => sameReference(r.reference, reference))?.quantity ?? ZERO_D;
}

const sameReference = (a: StockReference, b: StockReference): boolean => a.type === b.type && a.id === b.id;

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const compareReferences = (a: StockReference, b: StockReference): number =>
  compareStrings(a.type, b.type) || compareStrings(a.id, b.id);

const describeReference = (r: StockReference): string => `${r.type} '${r.id}'`;

// Validation --------------------------------------------------------------------------------------

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isDecimal4 = (value: unknown): value is Decimal4 => isRecord(value) && typeof value['scaled'] === 'bigint';

function field(input: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(input, name) ? input[name] : undefined;
}

/** A Decimal4 from a Decimal4 object, a decimal string or a plain JSON number. */
function parseDecimal(value: unknown, param: string): Decimal4 {
  if (isDecimal4(value)) return Object.freeze({ scaled: value.scaled });
  let text: string;
  if (typeof value === 'string') {
    text = value;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(param, `${param} must be a finite number`);
    text = String(value);
    if (/[eE]/.test(text)) throw invalid(param, `${param} must be given as a decimal string (the number ${text} is in exponent notation)`);
  } else {
    throw invalid(param, `${param} must be a decimal string such as "2.5", not ${describe(value)}`);
  }
  const parts = splitDecimal(text);
  if ('error' in parts) throw invalid(param, `${param} ${parts.error}`);
  if (parts.fraction.length > DECIMAL4_DIGITS) throw invalid(param, `${param} must have at most ${DECIMAL4_DIGITS} decimals`);
  const magnitude = BigInt(parts.integer + parts.fraction.padEnd(DECIMAL4_DIGITS, '0'));
  return Object.freeze({ scaled: parts.negative ? -magnitude : magnitude });
}

function parseReference(value: unknown, param: string, allowed: readonly StockReferenceType[], kind: MovementKind): StockReference {
  if (!isRecord(value)) throw invalid(param, `${param} must be an object { type, id }, not ${describe(value)}`);
  const type = field(value, 'type');
  if (typeof type !== 'string' || !(STOCK_REFERENCE_TYPES as readonly string[]).includes(type)) {
    throw invalid(`${param}.type`, `${param}.type must be one of ${STOCK_REFERENCE_TYPES.map((t) => `'${t}'`).join(', ')}`);
  }
  if (!(allowed as readonly string[]).includes(type)) {
    throw invalid(
      `${param}.type`,
      `${param}.type must be ${allowed.map((t) => `'${t}'`).join(' or ')} for a '${kind}' movement, not '${type}'`,
    );
  }
  const id = field(value, 'id');
  if (typeof id !== 'string' || !CODE.test(id)) {
    throw invalid(`${param}.id`, `${param}.id must be 1-64 characters of letters, digits, '_' and '-'`);
  }
  return Object.freeze({ type: type as StockReferenceType, id });
}

/**
 * Checks a movement — typed, or untrusted input with the quantity as a decimal string or JSON
 * number — and returns it as a frozen StockMovement. Throws validation_failed naming the field:
 * `kind`, `warehouseId`, `productId`, `quantity` (> 0, or ≠ 0 for an adjustment; at most 4 decimals;
 * at most 99999999999999), `reference.type` (allowed for the kind, MOVEMENT_REFERENCE_TYPES),
 * `reference.id`, `reason` (required for an adjustment) and `reservation` (ship only).
 */
export function validateMovement(input: unknown): StockMovement {
  if (!isRecord(input)) throw new DomainError('validation_failed', `A stock movement must be an object, not ${describe(input)}`);
  const kind = field(input, 'kind');
  if (typeof kind !== 'string' || !(MOVEMENT_KINDS as readonly string[]).includes(kind)) {
    throw invalid('kind', `kind must be one of ${MOVEMENT_KINDS.map((k) => `'${k}'`).join(', ')}`);
  }
  const k = kind as MovementKind;

  const warehouseId = field(input, 'warehouseId');
  if (typeof warehouseId !== 'string' || !CODE.test(warehouseId)) {
    throw invalid('warehouseId', `warehouseId must be 1-64 characters of letters, digits, '_' and '-'`);
  }
  const productId = field(input, 'productId');
  if (!isId('product', productId)) {
    throw invalid('productId', `productId must be a product id starting with '${ID_PREFIXES.product}_'`);
  }

  const quantity = parseDecimal(field(input, 'quantity'), 'quantity');
  const magnitude = quantity.scaled < 0n ? -quantity.scaled : quantity.scaled;
  if (k === 'adjustment') {
    if (quantity.scaled === 0n) throw invalid('quantity', 'quantity of an adjustment must not be 0 (negative to reduce onHand, positive to increase it)');
  } else if (quantity.scaled <= 0n) {
    throw invalid('quantity', `quantity must be greater than 0 (the direction follows from the kind '${k}')`);
  }
  if (magnitude > MAX_QUANTITY.scaled) throw invalid('quantity', `quantity must be at most ${formatDecimal4(MAX_QUANTITY)} in magnitude`);

  const reference = parseReference(field(input, 'reference'), 'reference', MOVEMENT_REFERENCE_TYPES[k], k);

  const rawReason = field(input, 'reason');
  let reason: string | undefined;
  if (rawReason !== undefined && rawReason !== null) {
    if (typeof rawReason !== 'string') throw invalid('reason', `reason must be a string, not ${describe(rawReason)}`);
    reason = rawReason.trim();
    if (reason === '') throw invalid('reason', 'reason must not be blank');
    if (reason.length > MAX_REASON_LENGTH) throw invalid('reason', `reason must be at most ${MAX_REASON_LENGTH} characters`);
  }
  if (k === 'adjustment' && reason === undefined) {
    throw invalid('reason', 'reason is required for an adjustment (why the count differs)');
  }

  const rawReservation = field(input, 'reservation');
  let reservation: StockReference | undefined;
  if (rawReservation !== undefined && rawReservation !== null) {
    if (k !== 'ship') throw invalid('reservation', `reservation is only allowed on a 'ship' movement, not on '${k}'`);
    reservation = parseReference(rawReservation, 'reservation', RESERVATION_REFERENCE_TYPES, k);
  }

  return Object.freeze({
    kind: k,
    warehouseId,
    productId,
    quantity,
    reference,
    ...(reason === undefined ? {} : { reason }),
    ...(reservation === undefined ? {} : { reservation }),
  });
}

// Effects -----------------------------------------------------------------------------------------

const negate = (d: Decimal4): Decimal4 => Object.freeze({ scaled: -d.scaled });

/** The reservation a movement changes: its reference for reserve/release, `reservation` for ship. */
function reservationOf(m: StockMovement): StockReference | undefined {
  switch (m.kind) {
    case 'reserve':
    case 'release':
      return m.reference;
    case 'ship':
      return m.reservation;
    default:
      return undefined;
  }
}

/**
 * The signed effect of a (valid) movement on a level, with no policy applied. The only part that
 * depends on the level is the reservation a shipment consumes: min(reserved for its reservation, q).
 * The database may store these two deltas on the movement row so the fold can be checked in SQL.
 */
export function movementEffect(level: StockLevel, m: StockMovement): MovementEffect {
  const q = m.quantity;
  let onHand: Decimal4 = ZERO_D;
  let reserved: Decimal4 = ZERO_D;
  switch (m.kind) {
    case 'receipt':
    case 'adjustment':
    case 'return_restock':
      onHand = q;
      break;
    case 'reserve':
      reserved = q;
      break;
    case 'release':
      reserved = negate(q);
      break;
    case 'ship':
      onHand = negate(q);
      reserved = m.reservation === undefined ? ZERO_D : negate(minD(reservedFor(level, m.reservation), q));
      break;
    case 'return_scrap':
      break;
    case 'scrap':
      onHand = negate(q);
      break;
  }
  return Object.freeze({ onHand, reserved });
}

/** Applies an effect with no checks except the structural ones (right level, reserved ≥ 0 per reservation). */
function applyEffect(level: StockLevel, m: StockMovement, effect: MovementEffect): StockLevel {
  assert(
    m.warehouseId === level.warehouseId && m.productId === level.productId,
    `movement for ${m.warehouseId}/${m.productId} applied to level ${level.warehouseId}/${level.productId}`,
  );
  let reservations = level.reservations;
  const target = reservationOf(m);
  if (target !== undefined && effect.reserved.scaled !== 0n) {
    const next = addD(reservedFor(level, target), effect.reserved);
    assert(next.scaled >= 0n, `reservation for ${describeReference(target)} would go negative`);
    const others = level.reservations.filter((r) => !sameReference(r.reference, target));
    const kept = next.scaled === 0n ? others : [...others, Object.freeze({ reference: target, quantity: next })];
    reservations = Object.freeze(kept.sort((a, b) => compareReferences(a.reference, b.reference)));
  }
  return Object.freeze({
    warehouseId: level.warehouseId,
    productId: level.productId,
    onHand: addD(level.onHand, effect.onHand),
    reserved: addD(level.reserved, effect.reserved),
    reservations,
  });
}

// Accepting movements -----------------------------------------------------------------------------

export interface MovementPlan {
  /** The movement as validated (frozen, reason trimmed): what to append to the ledger. */
  readonly movement: StockMovement;
  /** Its signed effect on onHand and reserved. */
  readonly effect: MovementEffect;
  /** The level after the movement: what to store. */
  readonly level: StockLevel;
}

function refuse(verb: string, quantity: Decimal4, m: StockMovement, message: string): DomainError {
  return new DomainError(
    'quantity_exceeds_open',
    `Cannot ${verb} ${formatDecimal4(quantity)} of product '${m.productId}' in warehouse '${m.warehouseId}': ${message}`,
    'quantity',
  );
}

/**
 * Validates a movement against a level and the tenant's stock policy and works out its effect.
 * Throws validation_failed for a malformed movement (validateMovement) and quantity_exceeds_open
 * (param `quantity`) when the stock does not allow it:
 * - reserve: q > available ("only X available"), unless allowNegativeStock;
 * - release: q > reserved for that order line, under any policy;
 * - ship, scrap, downward adjustment: onHand − q < 0 ("only X on hand"), unless allowNegativeStock.
 * A refusal changes nothing: the caller keeps the level it had.
 */
export function planMovement(level: StockLevel, movement: StockMovement, policy: StockPolicy): MovementPlan {
  const m = validateMovement(movement);
  if (m.warehouseId !== level.warehouseId || m.productId !== level.productId) {
    throw new DomainError(
      'unprocessable',
      `The movement is for product '${m.productId}' in warehouse '${m.warehouseId}', not for the level of product '${level.productId}' in warehouse '${level.warehouseId}'`,
    );
  }
  const effect = movementEffect(level, m);
  const q = m.quantity;
  const strict = !policy.allowNegativeStock;
  switch (m.kind) {
    case 'reserve': {
      const available = availableOf(level);
      if (strict && q.scaled > available.scaled) {
        throw refuse('reserve', q, m, `only ${formatDecimal4(available)} available (on hand ${formatDecimal4(level.onHand)}, reserved ${formatDecimal4(level.reserved)})`);
      }
      break;
    }
    case 'release': {
      const held = reservedFor(level, m.reference);
      if (q.scaled > held.scaled) {
        throw refuse('release', q, m, `only ${formatDecimal4(held)} reserved for ${describeReference(m.reference)}`);
      }
      break;
    }
    case 'ship':
    case 'scrap':
    case 'adjustment': {
      if (strict && effect.onHand.scaled < 0n && level.onHand.scaled + effect.onHand.scaled < 0n) {
        const verb = m.kind === 'adjustment' ? 'adjust down by' : m.kind;
        throw refuse(verb, m.kind === 'adjustment' ? negate(q) : q, m, `only ${formatDecimal4(level.onHand)} on hand`);
      }
      break;
    }
    case 'receipt':
    case 'return_restock':
    case 'return_scrap':
      break;
  }
  return Object.freeze({ movement: m, effect, level: applyEffect(level, m, effect) });
}

/**
 * The level after a movement, or throws (see planMovement for the refusals and the policy). Pure:
 * the given level is not touched.
 */
export function applyMovement(level: StockLevel, movement: StockMovement, policy: StockPolicy): StockLevel {
  return planMovement(level, movement, policy).level;
}

// The ledger --------------------------------------------------------------------------------------

/** Key of a (warehouse, product) pair, for maps. */
export const stockKey = (warehouseId: string, productId: string): string => `${warehouseId}\u0000${productId}`;

type Located = { readonly warehouseId: string; readonly productId: string };
const compareLevels = (a: Located, b: Located): number =>
  compareStrings(a.warehouseId, b.warehouseId) || compareStrings(a.productId, b.productId);

/**
 * Folds a ledger (in the order it was appended) into one level per (warehouse, product) that appears
 * in it — zero levels included — sorted by warehouse id, then product id. No policy is applied: a
 * movement in the ledger was accepted under the policy of its time. This is the definition of the
 * stock levels; stored levels must equal it.
 *
 * Throws Error (not a DomainError: the ledger is corrupt) if a movement is malformed or a release
 * takes a reservation below zero, which accepted movements never do.
 */
export function levelsFromMovements(movements: readonly StockMovement[]): readonly StockLevel[] {
  const levels = new Map<string, StockLevel>();
  movements.forEach((movement, index) => {
    let m: StockMovement;
    try {
      m = validateMovement(movement);
    } catch (e) {
      throw new Error(`stock ledger entry ${index} is malformed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const key = stockKey(m.warehouseId, m.productId);
    const level = levels.get(key) ?? emptyLevel(m.warehouseId, m.productId);
    if (m.kind === 'release' && m.quantity.scaled > reservedFor(level, m.reference).scaled) {
      throw new Error(`stock ledger entry ${index} releases more than is reserved for ${describeReference(m.reference)}`);
    }
    levels.set(key, applyEffect(level, m, movementEffect(level, m)));
  });
  return Object.freeze([...levels.values()].sort(compareLevels));
}

/** A (warehouse, product) whose stored figures differ from the fold of the ledger. */
export interface LevelMismatch {
  readonly warehouseId: string;
  readonly productId: ProductId;
  readonly stored: { readonly onHand: Quantity; readonly reserved: Quantity };
  readonly fromLedger: { readonly onHand: Quantity; readonly reserved: Quantity };
}

/**
 * The invariant check: compares stored totals with levelsFromMovements(ledger). A pair missing on
 * either side counts as zero, so a stored all-zero row without movements is fine and a ledger pair
 * without a stored row must fold to zero. Returns the mismatches, sorted; empty means consistent.
 * Throws Error on two stored rows for the same pair.
 */
export function reconcileLevels(stored: readonly StockTotals[], movements: readonly StockMovement[]): readonly LevelMismatch[] {
  const byKey = new Map<string, StockTotals>();
  for (const s of stored) {
    const key = stockKey(s.warehouseId, s.productId);
    assert(!byKey.has(key), `two stored stock levels for product '${s.productId}' in warehouse '${s.warehouseId}'`);
    byKey.set(key, s);
  }
  const folded = new Map<string, StockTotals>(levelsFromMovements(movements).map((l) => [stockKey(l.warehouseId, l.productId), l]));
  const mismatches: LevelMismatch[] = [];
  for (const key of new Set([...byKey.keys(), ...folded.keys()])) {
    const s = byKey.get(key);
    const f = folded.get(key);
    const any = s ?? f;
    assert(any !== undefined, 'key from one of the maps');
    const storedFigures = { onHand: s?.onHand ?? ZERO_D, reserved: s?.reserved ?? ZERO_D };
    const ledgerFigures = { onHand: f?.onHand ?? ZERO_D, reserved: f?.reserved ?? ZERO_D };
    if (storedFigures.onHand.scaled !== ledgerFigures.onHand.scaled || storedFigures.reserved.scaled !== ledgerFigures.reserved.scaled) {
      mismatches.push(
        Object.freeze({
          warehouseId: any.warehouseId,
          productId: any.productId,
          stored: Object.freeze(storedFigures),
          fromLedger: Object.freeze(ledgerFigures),
        }),
      );
    }
  }
  return Object.freeze(mismatches.sort(compareLevels));
}
