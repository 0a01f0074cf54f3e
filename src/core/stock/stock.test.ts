import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { asId } from '../shared/ids.js';
import type { ProductId } from '../shared/ids.js';
import { decimal4, formatDecimal4 } from '../money/quantity.js';
import {
  DEFAULT_STOCK_POLICY,
  MOVEMENT_KINDS,
  MOVEMENT_REFERENCE_TYPES,
  applyMovement,
  availableOf,
  emptyLevel,
  levelsFromMovements,
  movementEffect,
  planMovement,
  reconcileLevels,
  reservedFor,
  validateMovement,
} from './stock.js';
import type { MovementKind, StockLevel, StockMovement, StockPolicy, StockReference } from './stock.js';

const W = 'W1';
const P = asId('product', 'prd_a');
const STRICT: StockPolicy = DEFAULT_STOCK_POLICY;
const LENIENT: StockPolicy = { allowNegativeStock: true };

const ol = (id: string): StockReference => ({ type: 'order_line', id });
const DEFAULT_REF: { [K in MovementKind]: StockReference } = {
  receipt: { type: 'receipt', id: 'rcp_1' },
  adjustment: { type: 'adjustment', id: 'adj_1' },
  reserve: ol('ol_1'),
  release: ol('ol_1'),
  ship: { type: 'delivery_line', id: 'dl_1' },
  return_restock: { type: 'return', id: 'ret_1' },
  return_scrap: { type: 'return', id: 'ret_1' },
  scrap: { type: 'adjustment', id: 'dmg_1' },
};

function mv(kind: MovementKind, quantity: string, extra: Partial<StockMovement> = {}): StockMovement {
  return {
    kind,
    warehouseId: W,
    productId: P,
    quantity: decimal4(quantity),
    reference: DEFAULT_REF[kind],
    ...(kind === 'adjustment' ? { reason: 'stock count' } : {}),
    ...extra,
  };
}

/** Level from a ledger, through the public API (strict policy). */
function levelAfter(...movements: StockMovement[]): StockLevel {
  return movements.reduce((level, m) => applyMovement(level, m, STRICT), emptyLevel(W, P));
}

function domainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError');
}

const figures = (l: StockLevel): { onHand: string; reserved: string; available: string } => ({
  onHand: formatDecimal4(l.onHand),
  reserved: formatDecimal4(l.reserved),
  available: formatDecimal4(availableOf(l)),
});

describe('validateMovement', () => {
  const raw = (overrides: Record<string, unknown>): Record<string, unknown> => ({
    kind: 'receipt',
    warehouseId: W,
    productId: 'prd_a',
    quantity: '2.5',
    reference: { type: 'receipt', id: 'rcp_1' },
    ...overrides,
  });

  it('accepts untrusted input and returns a frozen movement', () => {
    const m = validateMovement(raw({ reason: '  delivery from supplier  ' }));
    expect(m).toEqual({
      kind: 'receipt',
      warehouseId: W,
      productId: 'prd_a',
      quantity: { scaled: 25_000n },
      reference: { type: 'receipt', id: 'rcp_1' },
      reason: 'delivery from supplier',
    });
    expect(Object.isFrozen(m)).toBe(true);
    expect(Object.isFrozen(m.reference)).toBe(true);
    expect(validateMovement(raw({ quantity: 3 })).quantity).toEqual({ scaled: 30_000n });
    expect(validateMovement(raw({ quantity: { scaled: 7n } })).quantity).toEqual({ scaled: 7n });
  });

  it('accepts a signed adjustment with a reason', () => {
    const m = validateMovement(raw({ kind: 'adjustment', quantity: '-1.25', reference: { type: 'adjustment', id: 'cnt_9' }, reason: 'count' }));
    expect(m.quantity).toEqual({ scaled: -12_500n });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['zero quantity', { quantity: '0' }, 'quantity', /quantity must be greater than 0/],
    ['negative quantity', { quantity: '-1' }, 'quantity', /quantity must be greater than 0/],
    ['five decimals', { quantity: '1.00001' }, 'quantity', /quantity must have at most 4 decimals/],
    ['exponent number', { quantity: 1e21 }, 'quantity', /exponent/],
    ['quantity not a number', { quantity: true }, 'quantity', /quantity must be a decimal string/],
    ['malformed quantity', { quantity: '1,5' }, 'quantity', /^quantity must use '\.'/],
    ['too large', { quantity: '100000000000000' }, 'quantity', /at most 99999999999999/],
    ['unknown kind', { kind: 'teleport' }, 'kind', /kind must be one of/],
    ['bad warehouse', { warehouseId: '' }, 'warehouseId', /warehouseId must be/],
    ['bad product', { productId: 'cus_1' }, 'productId', /productId must be a product id starting with 'prd_'/],
    ['reference missing', { reference: undefined }, 'reference', /reference must be an object/],
    ['unknown reference type', { reference: { type: 'invoice', id: 'x' } }, 'reference.type', /reference.type must be one of/],
    ['reference type wrong for kind', { reference: { type: 'order_line', id: 'x' } }, 'reference.type', /must be 'receipt' for a 'receipt' movement/],
    ['bad reference id', { reference: { type: 'receipt', id: 'a b' } }, 'reference.id', /reference.id must be/],
    ['blank reason', { reason: '   ' }, 'reason', /reason must not be blank/],
    ['reason not a string', { reason: 5 }, 'reason', /reason must be a string/],
    ['reason too long', { reason: 'x'.repeat(501) }, 'reason', /at most 500 characters/],
    ['reservation on a receipt', { reservation: ol('ol_1') }, 'reservation', /only allowed on a 'ship' movement/],
    [
      'adjustment without reason',
      { kind: 'adjustment', reference: { type: 'adjustment', id: 'a' } },
      'reason',
      /reason is required for an adjustment/,
    ],
    ['adjustment of zero', { kind: 'adjustment', quantity: '0', reference: { type: 'adjustment', id: 'a' }, reason: 'x' }, 'quantity', /must not be 0/],
    [
      'ship reservation of the wrong type',
      { kind: 'ship', reference: { type: 'delivery_line', id: 'd' }, reservation: { type: 'return', id: 'r' } },
      'reservation.type',
      /reservation.type must be 'order_line'/,
    ],
  ])('refuses %s, naming the field', (_name, overrides, param, message) => {
    const e = domainError(() => validateMovement(raw(overrides)));
    expect(e.code).toBe('validation_failed');
    expect(e.param).toBe(param);
    expect(e.message).toMatch(message);
  });

  it('refuses a non-object', () => {
    expect(domainError(() => validateMovement('receipt')).code).toBe('validation_failed');
  });

  it('has reference types for every kind', () => {
    for (const kind of MOVEMENT_KINDS) expect(MOVEMENT_REFERENCE_TYPES[kind].length).toBeGreaterThan(0);
  });
});

describe('applyMovement: figures per kind', () => {
  // start: 10 on hand, 4 reserved for ol_1 → 6 available
  const start = levelAfter(mv('receipt', '10'), mv('reserve', '4'));

  it('starts from the expected level', () => {
    expect(figures(start)).toEqual({ onHand: '10', reserved: '4', available: '6' });
    expect(start.reservations).toEqual([{ reference: ol('ol_1'), quantity: decimal4('4') }]);
  });

  it.each<[string, StockMovement, { onHand: string; reserved: string; available: string }]>([
    ['receipt adds to onHand', mv('receipt', '2.5'), { onHand: '12.5', reserved: '4', available: '8.5' }],
    ['adjustment up', mv('adjustment', '1.5'), { onHand: '11.5', reserved: '4', available: '7.5' }],
    ['adjustment down', mv('adjustment', '-3'), { onHand: '7', reserved: '4', available: '3' }],
    ['reserve', mv('reserve', '2', { reference: ol('ol_2') }), { onHand: '10', reserved: '6', available: '4' }],
    ['release', mv('release', '1'), { onHand: '10', reserved: '3', available: '7' }],
    ['ship drawing on the reservation', mv('ship', '3', { reservation: ol('ol_1') }), { onHand: '7', reserved: '1', available: '6' }],
    ['ship without reservation', mv('ship', '3'), { onHand: '7', reserved: '4', available: '3' }],
    ['return_restock', mv('return_restock', '0.0001'), { onHand: '10.0001', reserved: '4', available: '6.0001' }],
    ['return_scrap changes nothing', mv('return_scrap', '5'), { onHand: '10', reserved: '4', available: '6' }],
    ['scrap', mv('scrap', '2'), { onHand: '8', reserved: '4', available: '4' }],
  ])('%s', (_name, movement, expected) => {
    const after = applyMovement(start, movement, STRICT);
    expect(figures(after)).toEqual(expected);
    expect(Object.isFrozen(after)).toBe(true);
    expect(figures(start)).toEqual({ onHand: '10', reserved: '4', available: '6' });
  });

  it('reports the effect and the validated movement in the plan', () => {
    const plan = planMovement(start, mv('ship', '6', { reservation: ol('ol_1') }), STRICT);
    expect(plan.effect).toEqual({ onHand: decimal4('-6'), reserved: decimal4('-4') });
    expect(figures(plan.level)).toEqual({ onHand: '4', reserved: '0', available: '4' });
    expect(plan.level.reservations).toEqual([]);
    expect(Object.isFrozen(plan.movement)).toBe(true);
    expect(movementEffect(start, mv('scrap', '1'))).toEqual({ onHand: decimal4('-1'), reserved: decimal4('0') });
  });

  it('refuses a movement for another warehouse or product', () => {
    const e = domainError(() => applyMovement(start, mv('receipt', '1', { warehouseId: 'W2' }), STRICT));
    expect(e.code).toBe('unprocessable');
    const f = domainError(() => applyMovement(start, mv('receipt', '1', { productId: asId('product', 'prd_b') }), STRICT));
    expect(f.code).toBe('unprocessable');
  });

  it('validates the movement it is given', () => {
    const e = domainError(() => applyMovement(start, mv('receipt', '0'), STRICT));
    expect(e.code).toBe('validation_failed');
    expect(e.param).toBe('quantity');
  });
});

describe('policy: negative stock', () => {
  const start = levelAfter(mv('receipt', '10'));

  it('refuses to ship beyond onHand', () => {
    const e = domainError(() => applyMovement(start, mv('ship', '10.5'), STRICT));
    expect(e.code).toBe('quantity_exceeds_open');
    expect(e.param).toBe('quantity');
    expect(e.message).toBe("Cannot ship 10.5 of product 'prd_a' in warehouse 'W1': only 10 on hand");
  });

  it('ships all that is on hand', () => {
    expect(figures(applyMovement(start, mv('ship', '10'), STRICT)).onHand).toBe('0');
  });

  it('ships beyond onHand with allowNegativeStock', () => {
    expect(figures(applyMovement(start, mv('ship', '12'), LENIENT))).toEqual({ onHand: '-2', reserved: '0', available: '-2' });
  });

  it('applies the same rule to scrap and downward adjustments', () => {
    expect(domainError(() => applyMovement(start, mv('scrap', '11'), STRICT)).message).toMatch(/Cannot scrap 11 .*only 10 on hand/);
    expect(domainError(() => applyMovement(start, mv('adjustment', '-11'), STRICT)).message).toMatch(
      /Cannot adjust down by 11 .*only 10 on hand/,
    );
    expect(figures(applyMovement(start, mv('scrap', '11'), LENIENT)).onHand).toBe('-1');
    expect(figures(applyMovement(start, mv('adjustment', '-11'), LENIENT)).onHand).toBe('-1');
  });

  it('accepts additions even while onHand is negative', () => {
    const negative = applyMovement(start, mv('ship', '15'), LENIENT);
    expect(figures(applyMovement(negative, mv('receipt', '2'), STRICT)).onHand).toBe('-3');
    expect(figures(applyMovement(negative, mv('adjustment', '5'), STRICT)).onHand).toBe('0');
    expect(() => applyMovement(negative, mv('ship', '1'), STRICT)).toThrow(/only -5 on hand/);
  });

  it('refuses to reserve beyond available, saying how much is', () => {
    const reserved = applyMovement(start, mv('reserve', '7', { reference: ol('ol_9') }), STRICT);
    const e = domainError(() => applyMovement(reserved, mv('reserve', '3.5'), STRICT));
    expect(e.code).toBe('quantity_exceeds_open');
    expect(e.message).toBe("Cannot reserve 3.5 of product 'prd_a' in warehouse 'W1': only 3 available (on hand 10, reserved 7)");
    expect(figures(applyMovement(reserved, mv('reserve', '3'), STRICT)).available).toBe('0');
  });

  it('reserves beyond available with allowNegativeStock (back order)', () => {
    expect(figures(applyMovement(start, mv('reserve', '12'), LENIENT))).toEqual({ onHand: '10', reserved: '12', available: '-2' });
  });
});

describe('reservations', () => {
  const start = levelAfter(mv('receipt', '10'), mv('reserve', '4', { reference: ol('ol_1') }), mv('reserve', '3', { reference: ol('ol_2') }));

  it('keeps one entry per order line, ordered', () => {
    const more = applyMovement(start, mv('reserve', '1', { reference: ol('ol_1') }), STRICT);
    expect(more.reservations).toEqual([
      { reference: ol('ol_1'), quantity: decimal4('5') },
      { reference: ol('ol_2'), quantity: decimal4('3') },
    ]);
    expect(formatDecimal4(more.reserved)).toBe('8');
  });

  it('reserve then ship consumes the reservation', () => {
    const shipped = applyMovement(start, mv('ship', '4', { reservation: ol('ol_1') }), STRICT);
    expect(figures(shipped)).toEqual({ onHand: '6', reserved: '3', available: '3' });
    expect(reservedFor(shipped, ol('ol_1'))).toEqual(decimal4('0'));
    expect(shipped.reservations).toEqual([{ reference: ol('ol_2'), quantity: decimal4('3') }]);
  });

  it('a partial shipment consumes part of the reservation', () => {
    const shipped = applyMovement(start, mv('ship', '1.5', { reservation: ol('ol_1') }), STRICT);
    expect(reservedFor(shipped, ol('ol_1'))).toEqual(decimal4('2.5'));
    expect(figures(shipped)).toEqual({ onHand: '8.5', reserved: '5.5', available: '3' });
  });

  it('shipping more than reserved consumes only what that line reserved', () => {
    const shipped = applyMovement(start, mv('ship', '6', { reservation: ol('ol_1') }), STRICT);
    expect(figures(shipped)).toEqual({ onHand: '4', reserved: '3', available: '1' });
    expect(reservedFor(shipped, ol('ol_2'))).toEqual(decimal4('3'));
  });

  it('shipping against an order line without reservation consumes nothing', () => {
    const shipped = applyMovement(start, mv('ship', '2', { reservation: ol('ol_7') }), STRICT);
    expect(figures(shipped)).toEqual({ onHand: '8', reserved: '7', available: '1' });
  });

  it('releases part or all of a reservation', () => {
    const partly = applyMovement(start, mv('release', '1', { reference: ol('ol_1') }), STRICT);
    expect(figures(partly)).toEqual({ onHand: '10', reserved: '6', available: '4' });
    const fully = applyMovement(partly, mv('release', '3', { reference: ol('ol_1') }), STRICT);
    expect(fully.reservations).toEqual([{ reference: ol('ol_2'), quantity: decimal4('3') }]);
    expect(figures(fully).reserved).toBe('3');
  });

  it('refuses to release more than the line reserved, under any policy', () => {
    for (const policy of [STRICT, LENIENT]) {
      const e = domainError(() => applyMovement(start, mv('release', '4.0001', { reference: ol('ol_1') }), policy));
      expect(e.code).toBe('quantity_exceeds_open');
      expect(e.message).toBe("Cannot release 4.0001 of product 'prd_a' in warehouse 'W1': only 4 reserved for order_line 'ol_1'");
      expect(domainError(() => applyMovement(start, mv('release', '1', { reference: ol('ol_3') }), policy)).message).toMatch(
        /only 0 reserved for order_line 'ol_3'/,
      );
    }
  });
});

describe('levelsFromMovements', () => {
  const Q = asId('product', 'prd_b');

  it('folds a ledger into sorted levels per (warehouse, product), zero levels included', () => {
    const ledger: StockMovement[] = [
      mv('receipt', '5', { warehouseId: 'W2' }),
      mv('receipt', '10'),
      mv('receipt', '1', { productId: Q }),
      mv('reserve', '4'),
      mv('scrap', '1', { productId: Q }),
      mv('ship', '3', { reservation: ol('ol_1') }),
    ];
    const levels = levelsFromMovements(ledger);
    expect(levels.map((l) => [l.warehouseId, l.productId, ...Object.values(figures(l))])).toEqual([
      ['W1', 'prd_a', '7', '1', '6'],
      ['W1', 'prd_b', '0', '0', '0'],
      ['W2', 'prd_a', '5', '0', '5'],
    ]);
    expect(levels[0]?.reservations).toEqual([{ reference: ol('ol_1'), quantity: decimal4('1') }]);
    expect(Object.isFrozen(levels)).toBe(true);
    expect(levelsFromMovements([])).toEqual([]);
  });

  it('replays movements accepted under allowNegativeStock without applying a policy', () => {
    expect(figures(levelsFromMovements([mv('ship', '2'), mv('reserve', '1')])[0] as StockLevel)).toEqual({
      onHand: '-2',
      reserved: '1',
      available: '-3',
    });
  });

  it('throws on a corrupt ledger', () => {
    expect(() => levelsFromMovements([mv('release', '1')])).toThrow(/entry 0 releases more than is reserved/);
    expect(() => levelsFromMovements([mv('receipt', '1'), mv('receipt', '0')])).toThrow(/entry 1 is malformed: quantity must be greater than 0/);
  });
});

describe('reconcileLevels', () => {
  const Q = asId('product', 'prd_b');
  const ledger = [mv('receipt', '10'), mv('reserve', '4')];
  const totals = (productId: ProductId, onHand: string, reserved: string, warehouseId = W) => ({
    warehouseId,
    productId,
    onHand: decimal4(onHand),
    reserved: decimal4(reserved),
  });

  it('finds nothing when stored levels equal the fold', () => {
    expect(reconcileLevels([totals(P, '10', '4'), totals(Q, '0', '0')], ledger)).toEqual([]);
    expect(reconcileLevels(levelsFromMovements(ledger), ledger)).toEqual([]);
  });

  it('reports differing and missing rows', () => {
    expect(reconcileLevels([totals(P, '10', '3'), totals(Q, '1', '0')], ledger)).toEqual([
      { warehouseId: W, productId: P, stored: { onHand: decimal4('10'), reserved: decimal4('3') }, fromLedger: { onHand: decimal4('10'), reserved: decimal4('4') } },
      { warehouseId: W, productId: Q, stored: { onHand: decimal4('1'), reserved: decimal4('0') }, fromLedger: { onHand: decimal4('0'), reserved: decimal4('0') } },
    ]);
    expect(reconcileLevels([], ledger)).toHaveLength(1);
  });

  it('throws on duplicate stored rows', () => {
    expect(() => reconcileLevels([totals(P, '10', '4'), totals(P, '10', '4')], ledger)).toThrow(/two stored stock levels/);
  });
});

describe('property: applying movements one by one', () => {
  const products = [P, asId('product', 'prd_b')];
  const orderLines = ['ol_1', 'ol_2', 'ol_3'];
  const qty = fc.integer({ min: 1, max: 200_000 }).map((n) => ({ scaled: BigInt(n) }));

  const movementArb: fc.Arbitrary<StockMovement> = fc
    .record({
      kind: fc.constantFrom(...MOVEMENT_KINDS),
      warehouseId: fc.constantFrom('W1', 'W2'),
      productId: fc.constantFrom(...products),
      quantity: qty,
      down: fc.boolean(),
      line: fc.constantFrom(...orderLines),
      withReservation: fc.boolean(),
    })
    .map(({ kind, warehouseId, productId, quantity, down, line, withReservation }): StockMovement => {
      const base = { kind, warehouseId, productId, quantity, reference: DEFAULT_REF[kind] };
      switch (kind) {
        case 'adjustment':
          return { ...base, quantity: down ? { scaled: -quantity.scaled } : quantity, reason: 'count' };
        case 'reserve':
        case 'release':
          return { ...base, reference: ol(line) };
        case 'ship':
          return withReservation ? { ...base, reservation: ol(line) } : base;
        default:
          return base;
      }
    });

  function run(policy: StockPolicy, movements: readonly StockMovement[]) {
    const levels = new Map<string, StockLevel>();
    const accepted: StockMovement[] = [];
    for (const m of movements) {
      const key = `${m.warehouseId}/${m.productId}`;
      const before = levels.get(key) ?? emptyLevel(m.warehouseId, m.productId);
      try {
        const after = applyMovement(before, m, policy);
        levels.set(key, after);
        accepted.push(m);
      } catch (e) {
        // a refusal is a domain refusal and leaves the level as it was
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe('quantity_exceeds_open');
        expect(levels.get(key) ?? emptyLevel(m.warehouseId, m.productId)).toEqual(before);
        continue;
      }
      const after = levels.get(key) as StockLevel;
      if (!policy.allowNegativeStock) expect(after.onHand.scaled).toBeGreaterThanOrEqual(0n);
      expect(after.reserved.scaled).toBeGreaterThanOrEqual(0n);
      expect(after.reservations.reduce((s, r) => s + r.quantity.scaled, 0n)).toBe(after.reserved.scaled);
      for (const r of after.reservations) expect(r.quantity.scaled).toBeGreaterThan(0n);
    }
    return { levels, accepted };
  }

  // only accepted movements create a level, so the map holds exactly the pairs the fold knows
  const sorted = (levels: Map<string, StockLevel>): StockLevel[] =>
    [...levels.values()].sort((a, b) => (a.warehouseId + a.productId < b.warehouseId + b.productId ? -1 : 1));

  it('keeps onHand ≥ 0 and reserved ≥ 0, and the levels equal the fold of the accepted movements', () => {
    fc.assert(
      fc.property(fc.array(movementArb, { maxLength: 60 }), (movements) => {
        const { levels, accepted } = run(STRICT, movements);
        expect(levelsFromMovements(accepted)).toEqual(sorted(levels));
        expect(reconcileLevels([...levels.values()], accepted)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('with allowNegativeStock: reserved ≥ 0 and the levels equal the fold', () => {
    fc.assert(
      fc.property(fc.array(movementArb, { maxLength: 60 }), (movements) => {
        const { levels, accepted } = run(LENIENT, movements);
        expect(levelsFromMovements(accepted)).toEqual(sorted(levels));
      }),
      { numRuns: 300 },
    );
  });
});
