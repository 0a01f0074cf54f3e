import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import type { DomainErrorCode } from '../shared/errors.js';
import { decimal4, formatDecimal4 } from '../money/quantity.js';
import type { Quantity } from '../money/quantity.js';
import {
  ORDER_LINE_QUANTITY_CHECKS,
  ORDER_LINE_QUANTITY_COLUMNS,
  QUANTITY_FIELDS,
  addReplacement,
  assertInvariants,
  cancel,
  cancellable,
  chargeable,
  checkInvariants,
  credit,
  creditDue,
  creditable,
  deliver,
  deliverable,
  invoice,
  invoiceable,
  lineFulfilment,
  netInvoiced,
  newOrderLine,
  openToDeliver,
  openToReserve,
  openToShip,
  orderFulfilmentStatus,
  orderLineQuantities,
  receiveReturn,
  release,
  replaceable,
  reserve,
  returnable,
  ship,
  undelivered,
} from './quantities.js';
import type {
  ColumnSum,
  InvoicingPolicy,
  OrderLineQuantities,
  QuantityCheck,
  QuantityColumn,
  QuantityField,
  QuantityRule,
} from './quantities.js';

const q = decimal4;

/** The non-zero figures of a line, e.g. "ordered 10, shipped 6, delivered 6". */
const figures = (l: OrderLineQuantities): string =>
  QUANTITY_FIELDS.filter((f) => l[f].scaled !== 0n)
    .map((f) => `${f} ${formatDecimal4(l[f])}`)
    .join(', ');

const fmt = (d: Quantity): string => formatDecimal4(d);

/** A line with the given figures (others zero), checked. */
const line = (values: Partial<Record<QuantityField, string>>, policy?: InvoicingPolicy): OrderLineQuantities => {
  const all = Object.fromEntries(QUANTITY_FIELDS.map((f) => [f, q(values[f] ?? '0')])) as Record<QuantityField, Quantity>;
  return orderLineQuantities(all, policy);
};

/** The DomainError a call throws (fails the test if it returns or throws something else). */
function refusal(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}

const shipped = (l: OrderLineQuantities, n: string): OrderLineQuantities => ship(l, q(n)).line;

describe('newOrderLine', () => {
  it('starts with the ordered quantity and zeros, frozen', () => {
    const l = newOrderLine(q('10'));
    expect(figures(l)).toBe('ordered 10');
    expect(Object.isFrozen(l)).toBe(true);
    expect(Object.isFrozen(l.shipped)).toBe(true);
    expect(checkInvariants(l, 'on_delivery')).toEqual([]);
  });

  it('refuses an ordered quantity of zero or less', () => {
    expect(refusal(() => newOrderLine(q('0'))).code).toBe('validation_failed');
    expect(refusal(() => newOrderLine(q('-1'))).param).toBe('quantity');
  });

  it('orderLineQuantities keeps only the quantity fields and checks them', () => {
    const withExtra = { ...newOrderLine(q('2')), lineNo: 3 } as OrderLineQuantities;
    expect(Object.keys(orderLineQuantities(withExtra))).toEqual([...QUANTITY_FIELDS]);
    const e = refusal(() => line({ ordered: '2', shipped: '3' }));
    expect(e.code).toBe('unprocessable');
    expect(e.message).toContain('reserved 0 + shipped 3 exceeds ordered 2 − cancelled 0 + replacement 0 = 2');
  });
});

describe('operations refuse non-positive quantities and broken lines', () => {
  const l = line({ ordered: '10', shipped: '5', delivered: '5', invoiced: '5', reserved: '1' });
  const calls: [string, (x: Quantity) => unknown][] = [
    ['reserve', (x) => reserve(l, x)],
    ['release', (x) => release(l, x)],
    ['ship', (x) => ship(l, x)],
    ['deliver', (x) => deliver(l, x)],
    ['cancel', (x) => cancel(l, x)],
    ['replace', (x) => addReplacement(l, x)],
    ['return', (x) => receiveReturn(l, x)],
    ['invoice', (x) => invoice(l, x, 'on_order')],
    ['credit', (x) => credit(l, x)],
  ];
  it.each(calls)('%s: 0 and negative quantities are validation errors on param "quantity"', (action, call) => {
    for (const bad of ['0', '-0.0001']) {
      const e = refusal(() => call(q(bad)));
      expect([e.code, e.param]).toEqual(['validation_failed', 'quantity']);
      expect(e.message).toBe(`The quantity to ${action} must be greater than 0, got ${bad}`);
    }
  });

  it('a line that breaks a rule is refused as unprocessable', () => {
    const broken = { ...newOrderLine(q('1')), delivered: q('1') };
    expect(refusal(() => reserve(broken, q('1'))).code).toBe('unprocessable');
    // the on_delivery rule is checked when invoicing on delivery
    const billedAhead = line({ ordered: '5', invoiced: '2' });
    expect(refusal(() => invoice(billedAhead, q('1'), 'on_delivery')).code).toBe('unprocessable');
    expect(figures(invoice(billedAhead, q('1'), 'on_order'))).toBe('ordered 5, invoiced 3');
  });
});

describe('reserve and release', () => {
  it('reserves up to what is left to ship, releases what is reserved', () => {
    let l = reserve(newOrderLine(q('10')), q('4'));
    l = reserve(l, q('6'));
    expect(figures(l)).toBe('ordered 10, reserved 10');
    expect(fmt(openToReserve(l))).toBe('0');
    const e = refusal(() => reserve(l, q('0.0001')));
    expect(e.code).toBe('quantity_exceeds_open');
    expect(e.message).toBe(
      'Cannot reserve 0.0001 on this order line: only 0 is left to reserve (ordered 10 − cancelled 0 + replacement 0 − shipped 0 − reserved 10)',
    );
    l = release(l, q('2.5'));
    expect(figures(l)).toBe('ordered 10, reserved 7.5');
    expect(refusal(() => release(l, q('7.5001'))).message).toBe(
      'Cannot release 7.5001 on this order line: only 7.5 is reserved (reserved and not shipped)',
    );
  });

  it('counts shipped quantity against the reservation limit', () => {
    const l = shipped(newOrderLine(q('10')), '7');
    expect(fmt(openToReserve(l))).toBe('3');
    expect(figures(reserve(l, q('3')))).toBe('ordered 10, reserved 3, shipped 7');
    expect(refusal(() => reserve(l, q('3.0001'))).code).toBe('quantity_exceeds_open');
  });
});

describe('ship and deliver', () => {
  it('partial delivery, then the backorder', () => {
    let l = reserve(newOrderLine(q('10')), q('6'));
    const first = ship(l, q('6'));
    expect(fmt(first.fromReservation)).toBe('6');
    l = deliver(first.line, q('6'));
    expect(figures(l)).toBe('ordered 10, shipped 6, delivered 6');
    expect(lineFulfilment(l)).toBe('partially_delivered');
    expect([fmt(openToShip(l)), fmt(undelivered(l)), fmt(openToDeliver(l))]).toEqual(['4', '4', '0']);
    expect(fmt(invoiceable(l, 'on_delivery'))).toBe('6');
    expect(fmt(invoiceable(l, 'on_order'))).toBe('10');
    l = invoice(l, q('6'), 'on_delivery');

    // the backorder: 4 more, none of it reserved
    const second = ship(l, q('4'));
    expect(fmt(second.fromReservation)).toBe('0');
    l = second.line;
    expect(lineFulfilment(l)).toBe('partially_delivered');
    expect(fmt(openToDeliver(l))).toBe('4');
    l = deliver(l, q('4'));
    expect(lineFulfilment(l)).toBe('delivered');
    expect(fmt(invoiceable(l, 'on_delivery'))).toBe('4');
    l = invoice(l, q('4'), 'on_delivery');
    expect(figures(l)).toBe('ordered 10, shipped 10, delivered 10, invoiced 10');
    expect(checkInvariants(l, 'on_delivery')).toEqual([]);
  });

  it('shipping consumes the reservation first', () => {
    const l = reserve(newOrderLine(q('10')), q('5'));
    const small = ship(l, q('2'));
    expect([fmt(small.fromReservation), figures(small.line)]).toEqual(['2', 'ordered 10, reserved 3, shipped 2']);
    const big = ship(l, q('7.5'));
    expect([fmt(big.fromReservation), figures(big.line)]).toEqual(['5', 'ordered 10, shipped 7.5']);
    expect(Object.isFrozen(big)).toBe(true);
  });

  it('refuses shipping more than is left to ship', () => {
    const l = shipped(newOrderLine(q('10')), '4');
    const e = refusal(() => ship(l, q('6.0001')));
    expect([e.code, e.param]).toEqual(['quantity_exceeds_open', 'quantity']);
    expect(e.message).toBe(
      'Cannot ship 6.0001 on this order line: only 6 is left to ship (ordered 10 − cancelled 0 + replacement 0 − shipped 4)',
    );
  });

  it('refuses over-delivery: delivered never exceeds shipped', () => {
    let l = shipped(newOrderLine(q('10')), '5');
    l = deliver(l, q('3'));
    const e = refusal(() => deliver(l, q('2.0001')));
    expect(e.code).toBe('quantity_exceeds_open');
    expect(e.message).toBe(
      'Cannot deliver 2.0001 on this order line: only 2 is shipped and not yet delivered (shipped 5 − delivered 3)',
    );
    expect(figures(deliver(l, q('2')))).toBe('ordered 10, shipped 5, delivered 5');
  });
});

describe('cancel', () => {
  it('cancels only unshipped quantity and releases reservation beyond what is left to ship', () => {
    let l = reserve(newOrderLine(q('10')), q('8'));
    l = shipped(l, '5'); // reserved 3, 5 left to ship
    expect(fmt(cancellable(l))).toBe('5');
    const r = cancel(l, q('4')); // 1 left to ship, 3 reserved: release 2
    expect(fmt(r.released)).toBe('2');
    expect(figures(r.line)).toBe('ordered 10, cancelled 4, reserved 1, shipped 5');
    expect(Object.isFrozen(r)).toBe(true);

    const e = refusal(() => cancel(r.line, q('1.0001')));
    expect(e.code).toBe('quantity_exceeds_open');
    expect(e.message).toBe(
      'Cannot cancel 1.0001 on this order line: only 1 of the ordered quantity is unshipped; shipped goods cannot be cancelled, only returned (ordered 10 − cancelled 4 − shipped 5)',
    );
    const rest = cancel(r.line, q('1'));
    expect(fmt(rest.released)).toBe('1');
    l = deliver(rest.line, q('5'));
    expect(figures(l)).toBe('ordered 10, cancelled 5, shipped 5, delivered 5');
    expect(lineFulfilment(l)).toBe('delivered'); // the backorder was cancelled
  });

  it('keeps a reservation that still fits', () => {
    const l = reserve(newOrderLine(q('10')), q('3'));
    const r = cancel(l, q('7'));
    expect([fmt(r.released), figures(r.line)]).toEqual(['0', 'ordered 10, cancelled 7, reserved 3']);
  });

  it('cancelling everything makes the line cancelled', () => {
    const r = cancel(reserve(newOrderLine(q('2.5')), q('1')), q('2.5'));
    expect(fmt(r.released)).toBe('1');
    expect(lineFulfilment(r.line)).toBe('cancelled');
    expect(fmt(openToShip(r.line))).toBe('0');
  });

  it('does not cancel below what the customer is billed for: credit first', () => {
    let l = invoice(newOrderLine(q('10')), q('10'), 'on_order');
    expect(fmt(cancellable(l))).toBe('0');
    const e = refusal(() => cancel(l, q('3')));
    expect(e.code).toBe('conflict');
    expect(e.message).toBe(
      'Cannot cancel 3 on this order line: 10 is invoiced and not credited, so only 0 can be cancelled (ordered 10 − cancelled 0 − invoiced 10 + credited 0); credit the invoiced quantity first',
    );
    l = credit(l, q('3'));
    expect(fmt(cancellable(l))).toBe('3');
    expect(figures(cancel(l, q('3')).line)).toBe('ordered 10, cancelled 3, invoiced 10, credited 3');
  });
});

describe('returns and credits', () => {
  it('return then credit', () => {
    let l = deliver(shipped(newOrderLine(q('10')), '10'), q('10'));
    l = invoice(l, q('10'), 'on_delivery');
    l = receiveReturn(l, q('2'));
    // a return with no replacement is a refund return: the customer keeps and pays for 8
    expect([fmt(chargeable(l, 'on_delivery')), fmt(creditDue(l, 'on_delivery')), fmt(invoiceable(l, 'on_delivery'))]).toEqual([
      '8',
      '2',
      '0',
    ]);
    expect(fmt(returnable(l))).toBe('8');
    expect(refusal(() => receiveReturn(l, q('8.0001'))).message).toBe(
      'Cannot return 8.0001 on this order line: only 8 is delivered and not yet returned (delivered 10 − returned 2)',
    );
    l = credit(l, q('2'));
    expect(figures(l)).toBe('ordered 10, shipped 10, delivered 10, returned 2, invoiced 10, credited 2');
    expect([fmt(netInvoiced(l)), fmt(creditDue(l, 'on_delivery')), fmt(creditable(l))]).toEqual(['8', '0', '8']);
    const e = refusal(() => credit(l, q('8.0001')));
    expect(e.code).toBe('quantity_exceeds_open');
    expect(e.message).toBe(
      'Cannot credit 8.0001 on this order line: only 8 is invoiced and not yet credited (invoiced 10 − credited 2)',
    );
    expect(orderFulfilmentStatus([l])).toEqual({ fulfilment: 'delivered', invoicing: 'invoiced' });
  });

  it('a return before invoicing lowers what can be invoiced', () => {
    let l = deliver(shipped(newOrderLine(q('5')), '5'), q('5'));
    l = receiveReturn(l, q('1.5'));
    expect(fmt(invoiceable(l, 'on_delivery'))).toBe('3.5');
    const e = refusal(() => invoice(l, q('3.5001'), 'on_delivery'));
    expect(e.code).toBe('quantity_exceeds_open');
    expect(e.message).toBe(
      'Cannot invoice 3.5001 on this order line: only 3.5 is invoiceable (invoiced on delivery: min(delivered 5, ordered 5 − cancelled 0) − unreplaced returns 1.5 − invoiced 0 + credited 0; replacements are never invoiced)',
    );
  });

  it('a credited quantity can be invoiced again (e.g. after a wrong invoice)', () => {
    let l = deliver(shipped(newOrderLine(q('4')), '4'), q('4'));
    l = credit(invoice(l, q('4'), 'on_delivery'), q('4'));
    expect(fmt(invoiceable(l, 'on_delivery'))).toBe('4');
    l = invoice(l, q('4'), 'on_delivery');
    expect(figures(l)).toBe('ordered 4, shipped 4, delivered 4, invoiced 8, credited 4');
    expect(checkInvariants(l, 'on_delivery')).toEqual([]);
  });
});

describe('replacements', () => {
  it('are shipped and delivered but never invoiced', () => {
    let l = deliver(shipped(newOrderLine(q('10')), '10'), q('10'));
    l = invoice(l, q('10'), 'on_delivery');
    l = receiveReturn(l, q('2')); // two damaged units come back…
    l = addReplacement(l, q('2')); // …and are replaced
    expect([fmt(creditDue(l, 'on_delivery')), fmt(openToShip(l)), lineFulfilment(l)]).toEqual(['0', '2', 'partially_delivered']);
    expect(orderFulfilmentStatus([l])).toEqual({ fulfilment: 'partially_delivered', invoicing: 'invoiced' });
    l = deliver(shipped(l, '2'), q('2'));
    expect(figures(l)).toBe('ordered 10, shipped 12, delivered 12, returned 2, replacement 2, invoiced 10');
    expect(lineFulfilment(l)).toBe('delivered');
    expect(fmt(invoiceable(l, 'on_delivery'))).toBe('0');
    expect(fmt(invoiceable(l, 'on_order'))).toBe('0');
    const e = refusal(() => invoice(l, q('0.0001'), 'on_delivery'));
    expect(e.code).toBe('nothing_to_invoice');
    expect(checkInvariants(l, 'on_delivery')).toEqual([]);
  });

  it('can replace damaged goods that are not returned', () => {
    let l = deliver(shipped(newOrderLine(q('3')), '3'), q('3'));
    l = addReplacement(l, q('1'));
    l = deliver(shipped(l, '1'), q('1'));
    expect([fmt(chargeable(l, 'on_delivery')), fmt(invoiceable(l, 'on_delivery'))]).toEqual(['3', '3']);
  });

  it('only delivered goods can be replaced', () => {
    const l = addReplacement(deliver(shipped(newOrderLine(q('10')), '4'), q('3')), q('1'));
    expect(fmt(replaceable(l))).toBe('2');
    const e = refusal(() => addReplacement(l, q('2.0001')));
    expect(e.code).toBe('quantity_exceeds_open');
    expect(e.message).toBe(
      'Cannot replace 2.0001 on this order line: only 2 of the delivered goods is not already being replaced (delivered 3 − replacement 1)',
    );
  });

  it('order-first allocation: a replacement shipped during a backorder counts as backorder goods', () => {
    let l = deliver(shipped(newOrderLine(q('10')), '6'), q('6'));
    l = addReplacement(l, q('1'));
    l = deliver(shipped(l, '1'), q('1'));
    expect(fmt(invoiceable(l, 'on_delivery'))).toBe('7');
    expect(fmt(cancellable(l))).toBe('3');
    l = cancel(l, q('3')).line;
    expect([fmt(openToShip(l)), fmt(deliverable(l)), lineFulfilment(l)]).toEqual(['1', '8', 'partially_delivered']);
  });
});

describe('invoicing policies', () => {
  it('on_delivery: nothing is invoiceable before delivery', () => {
    const l = shipped(newOrderLine(q('3')), '3');
    const e = refusal(() => invoice(l, q('1'), 'on_delivery'));
    expect(e.code).toBe('nothing_to_invoice');
    expect(e.message).toBe(
      'Cannot invoice 1 on this order line: nothing is invoiceable (invoiced on delivery: min(delivered 0, ordered 3 − cancelled 0) − unreplaced returns 0 − invoiced 0 + credited 0; replacements are never invoiced)',
    );
  });

  it('on_order: the net ordered quantity is invoiceable up front, not more', () => {
    let l = cancel(newOrderLine(q('12')), q('2')).line;
    expect(fmt(invoiceable(l, 'on_order'))).toBe('10');
    expect(refusal(() => invoice(l, q('10.0001'), 'on_order')).code).toBe('quantity_exceeds_open');
    l = invoice(l, q('10'), 'on_order');
    expect(checkInvariants(l)).toEqual([]);
    expect(checkInvariants(l, 'on_order')).toEqual([]);
    expect(checkInvariants(l, 'on_delivery').map((v) => v.rule)).toEqual(['net_invoiced_within_delivered']);
    expect(orderFulfilmentStatus([l])).toEqual({ fulfilment: 'confirmed', invoicing: 'invoiced' });
  });
});

describe('checkInvariants', () => {
  it('names every broken rule', () => {
    const bad: OrderLineQuantities = {
      ordered: q('0'),
      cancelled: q('1'),
      reserved: q('-1'),
      shipped: q('2'),
      delivered: q('3'),
      returned: q('4'),
      replacement: q('0'),
      invoiced: q('1'),
      credited: q('2'),
    };
    expect(checkInvariants(bad, 'on_delivery').map((v) => v.rule)).toEqual([
      'ordered_positive',
      'reserved_nonnegative',
      'cancelled_within_ordered',
      'reserved_and_shipped_within_deliverable', // -1 + 2 > 0 - 1 + 0
      'delivered_within_shipped',
      'returned_within_delivered',
      'credited_within_invoiced',
    ]);
    expect(() => assertInvariants(bad)).toThrow(/ordered must be greater than 0, is 0; reserved must not be negative, is -1/);
    expect(() => assertInvariants(newOrderLine(q('1')))).not.toThrow();
  });
});

// Database checks ---------------------------------------------------------------------------------

type Row = Record<QuantityColumn, bigint>;
const toRow = (l: OrderLineQuantities): Row =>
  Object.fromEntries(QUANTITY_FIELDS.map((f) => [ORDER_LINE_QUANTITY_COLUMNS[f], l[f].scaled])) as Row;

const compare = (a: bigint, op: string, b: bigint): boolean => {
  if (op === '<=') return a <= b;
  if (op === '>=') return a >= b;
  if (op === '>') return a > b;
  throw new Error(`unknown operator ${op}`);
};

/** Evaluates the data form of a check. */
const sumOf = (s: ColumnSum, row: Row): bigint =>
  s.plus.reduce((a, c) => a + row[c], 0n) - s.minus.reduce((a, c) => a + row[c], 0n);
const holdsData = (c: QuantityCheck, row: Row): boolean => compare(sumOf(c.lhs, row), c.op, sumOf(c.rhs, row));

/** Evaluates the SQL text of a check: `term (+|- term)* op term (+|- term)*`, terms being columns or 0. */
function holdsSql(sql: string, row: Row): boolean {
  const tokens = sql.split(' ');
  const at = tokens.findIndex((t) => t === '<=' || t === '>=' || t === '>');
  if (at < 0) throw new Error(`no comparison in ${sql}`);
  const side = (ts: string[]): bigint => {
    const term = (t: string | undefined): bigint => {
      if (t === '0') return 0n;
      if (t !== undefined && Object.hasOwn(row, t)) return row[t as QuantityColumn];
      throw new Error(`unexpected term ${t} in ${sql}`);
    };
    let total = term(ts[0]);
    for (let i = 1; i < ts.length; i += 2) {
      if (ts[i] === '+') total += term(ts[i + 1]);
      else if (ts[i] === '-') total -= term(ts[i + 1]);
      else throw new Error(`unexpected operator ${ts[i]} in ${sql}`);
    }
    return total;
  };
  return compare(side(tokens.slice(0, at)), tokens[at]!, side(tokens.slice(at + 1)));
}

describe('ORDER_LINE_QUANTITY_CHECKS', () => {
  it('renders these CHECK expressions', () => {
    expect(ORDER_LINE_QUANTITY_CHECKS.map((c) => `${c.name}: ${c.sql}`)).toEqual([
      'order_lines_ordered_positive: quantity > 0',
      'order_lines_cancelled_nonnegative: quantity_cancelled >= 0',
      'order_lines_reserved_nonnegative: quantity_reserved >= 0',
      'order_lines_shipped_nonnegative: quantity_shipped >= 0',
      'order_lines_delivered_nonnegative: quantity_delivered >= 0',
      'order_lines_returned_nonnegative: quantity_returned >= 0',
      'order_lines_replacement_nonnegative: quantity_replacement >= 0',
      'order_lines_invoiced_nonnegative: quantity_invoiced >= 0',
      'order_lines_credited_nonnegative: quantity_credited >= 0',
      'order_lines_cancelled_within_ordered: quantity_cancelled <= quantity',
      'order_lines_reserved_and_shipped_within_deliverable: quantity_reserved + quantity_shipped <= quantity + quantity_replacement - quantity_cancelled',
      'order_lines_delivered_within_shipped: quantity_delivered <= quantity_shipped',
      'order_lines_returned_within_delivered: quantity_returned <= quantity_delivered',
      'order_lines_replacement_within_delivered: quantity_replacement <= quantity_delivered',
      'order_lines_credited_within_invoiced: quantity_credited <= quantity_invoiced',
      'order_lines_net_invoiced_within_net_ordered: quantity_invoiced - quantity_credited <= quantity - quantity_cancelled',
    ]);
    for (const c of ORDER_LINE_QUANTITY_CHECKS) {
      expect(c.name).toBe(`order_lines_${c.rule}`);
      expect(c.name.length).toBeLessThanOrEqual(63); // PostgreSQL identifier limit
      expect(Object.isFrozen(c) && Object.isFrozen(c.lhs.plus) && Object.isFrozen(c.rhs.minus)).toBe(true);
    }
    expect(Object.isFrozen(ORDER_LINE_QUANTITY_CHECKS)).toBe(true);
  });

  const figure = fc.oneof(
    { weight: 1, arbitrary: fc.bigInt(-2n, -1n) },
    { weight: 8, arbitrary: fc.bigInt(0n, 5n) },
    { weight: 1, arbitrary: fc.bigInt(0n, 100_000n) },
  );
  const anyLine = fc
    .tuple(...QUANTITY_FIELDS.map(() => figure))
    .map((values) => Object.fromEntries(QUANTITY_FIELDS.map((f, i) => [f, { scaled: values[i]! }])) as unknown as OrderLineQuantities);

  it('property: on any line, a check fails exactly when checkInvariants (no policy) reports its rule', () => {
    let valid = 0;
    fc.assert(
      fc.property(anyLine, (l) => {
        const row = toRow(l);
        const reported = checkInvariants(l).map((v) => v.rule);
        const failingData = ORDER_LINE_QUANTITY_CHECKS.filter((c) => !holdsData(c, row)).map((c) => c.rule);
        const failingSql = ORDER_LINE_QUANTITY_CHECKS.filter((c) => !holdsSql(c.sql, row)).map((c) => c.rule);
        expect(failingData).toEqual(reported);
        expect(failingSql).toEqual(reported);
        // the on_delivery policy adds exactly one rule
        const withPolicy = checkInvariants(l, 'on_delivery').map((v) => v.rule);
        const extra: QuantityRule[] = l.invoiced.scaled - l.credited.scaled > l.delivered.scaled ? ['net_invoiced_within_delivered'] : [];
        expect(withPolicy).toEqual([...reported, ...extra]);
        expect(checkInvariants(l, 'on_order').map((v) => v.rule)).toEqual(reported);
        if (reported.length === 0) valid += 1;
      }),
      { numRuns: 2000 },
    );
    expect(valid).toBeGreaterThan(0); // the generator reaches sound lines too
  });
});

// Order status ------------------------------------------------------------------------------------

describe('lineFulfilment and orderFulfilmentStatus', () => {
  const ten = newOrderLine(q('10'));
  const five = newOrderLine(q('5'));

  it('confirmed → in_fulfilment → partially_delivered → delivered', () => {
    expect(lineFulfilment(ten)).toBe('open');
    expect(orderFulfilmentStatus([ten, five])).toEqual({ fulfilment: 'confirmed', invoicing: 'not_invoiced' });
    expect(orderFulfilmentStatus([reserve(ten, q('1')), five])).toEqual({ fulfilment: 'in_fulfilment', invoicing: 'not_invoiced' });
    const a = shipped(ten, '10');
    expect(orderFulfilmentStatus([a, five]).fulfilment).toBe('in_fulfilment');
    const b = deliver(a, q('10'));
    expect(orderFulfilmentStatus([b, five]).fulfilment).toBe('partially_delivered');
    const c = deliver(shipped(five, '5'), q('5'));
    expect(orderFulfilmentStatus([b, c])).toEqual({ fulfilment: 'delivered', invoicing: 'not_invoiced' });
    const billed = invoice(b, q('10'), 'on_delivery');
    expect(orderFulfilmentStatus([billed, c])).toEqual({ fulfilment: 'delivered', invoicing: 'partially_invoiced' });
    expect(orderFulfilmentStatus([billed, invoice(c, q('5'), 'on_delivery')])).toEqual({ fulfilment: 'delivered', invoicing: 'invoiced' });
  });

  it('cancelled lines do not hold an order back; all cancelled is cancelled', () => {
    const done = deliver(shipped(ten, '10'), q('10'));
    const gone = cancel(five, q('5')).line;
    expect(lineFulfilment(gone)).toBe('cancelled');
    expect(orderFulfilmentStatus([done, gone])).toEqual({ fulfilment: 'delivered', invoicing: 'not_invoiced' });
    expect(orderFulfilmentStatus([gone, cancel(ten, q('10')).line])).toEqual({ fulfilment: 'cancelled' });
  });

  it('a partly delivered line with the backorder cancelled is delivered', () => {
    const l = cancel(deliver(shipped(ten, '6'), q('6')), q('4')).line;
    expect(orderFulfilmentStatus([l])).toEqual({ fulfilment: 'delivered', invoicing: 'not_invoiced' });
  });

  it('an order without lines has no status', () => {
    expect(refusal(() => orderFulfilmentStatus([])).code).toBe('unprocessable');
  });
});

// Random sequences --------------------------------------------------------------------------------

const OP_NAMES = ['reserve', 'release', 'ship', 'deliver', 'cancel', 'addReplacement', 'receiveReturn', 'invoice', 'credit'] as const;
type OpName = (typeof OP_NAMES)[number];

interface Applied {
  readonly line: OrderLineQuantities;
  /** the expected change of each figure */
  readonly delta: Partial<Record<QuantityField, bigint>>;
}

/** Each operation with its limit (the derived figure) and the change a success must make. */
const OPS: Record<
  OpName,
  { limit: (l: OrderLineQuantities, p: InvoicingPolicy) => Quantity; apply: (l: OrderLineQuantities, x: Quantity, p: InvoicingPolicy) => Applied }
> = {
  reserve: { limit: openToReserve, apply: (l, x) => ({ line: reserve(l, x), delta: { reserved: x.scaled } }) },
  release: { limit: (l) => l.reserved, apply: (l, x) => ({ line: release(l, x), delta: { reserved: -x.scaled } }) },
  ship: {
    limit: openToShip,
    apply: (l, x) => {
      const r = ship(l, x);
      const fromReservation = l.reserved.scaled < x.scaled ? l.reserved.scaled : x.scaled;
      expect(r.fromReservation.scaled).toBe(fromReservation);
      return { line: r.line, delta: { shipped: x.scaled, reserved: -fromReservation } };
    },
  },
  deliver: { limit: openToDeliver, apply: (l, x) => ({ line: deliver(l, x), delta: { delivered: x.scaled } }) },
  cancel: {
    limit: cancellable,
    apply: (l, x) => {
      const r = cancel(l, x);
      const excess = l.reserved.scaled + l.shipped.scaled - (deliverable(l).scaled - x.scaled);
      expect(r.released.scaled).toBe(excess > 0n ? excess : 0n);
      return { line: r.line, delta: { cancelled: x.scaled, reserved: -r.released.scaled } };
    },
  },
  addReplacement: { limit: replaceable, apply: (l, x) => ({ line: addReplacement(l, x), delta: { replacement: x.scaled } }) },
  receiveReturn: { limit: returnable, apply: (l, x) => ({ line: receiveReturn(l, x), delta: { returned: x.scaled } }) },
  invoice: { limit: invoiceable, apply: (l, x, p) => ({ line: invoice(l, x, p), delta: { invoiced: x.scaled } }) },
  credit: { limit: creditable, apply: (l, x) => ({ line: credit(l, x), delta: { credited: x.scaled } }) },
};

/** A quantity for a step: fixed, a share of the operation's limit, exactly the limit, or just above it. */
type Amount =
  | { readonly kind: 'fixed'; readonly scaled: bigint }
  | { readonly kind: 'share'; readonly sevenths: bigint }
  | { readonly kind: 'at_limit' }
  | { readonly kind: 'above_limit' };

const amount: fc.Arbitrary<Amount> = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 12 }).map((n): Amount => ({ kind: 'fixed', scaled: BigInt(n) * 10_000n })) },
  { weight: 2, arbitrary: fc.integer({ min: -1, max: 120_000 }).map((n): Amount => ({ kind: 'fixed', scaled: BigInt(n) })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 6 }).map((n): Amount => ({ kind: 'share', sevenths: BigInt(n) })) },
  { weight: 3, arbitrary: fc.constant<Amount>({ kind: 'at_limit' }) },
  { weight: 1, arbitrary: fc.constant<Amount>({ kind: 'above_limit' }) },
);

const quantityFor = (a: Amount, limit: bigint): bigint => {
  switch (a.kind) {
    case 'fixed':
      return a.scaled;
    case 'share':
      return (limit * a.sevenths) / 7n;
    case 'at_limit':
      return limit;
    case 'above_limit':
      return limit + 1n;
  }
};

const orderLines = fc.array(
  fc.record({
    ordered: fc.oneof(
      fc.integer({ min: 1, max: 20 }).map((n) => BigInt(n) * 10_000n),
      fc.integer({ min: 1, max: 200_000 }).map((n) => BigInt(n)),
    ),
    policy: fc.constantFrom<InvoicingPolicy>('on_delivery', 'on_order'),
  }),
  { minLength: 1, maxLength: 5 },
);

// cancelling is drawn less often, so that sequences get deep into deliveries, returns and credits
const opName: fc.Arbitrary<OpName> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<OpName>('cancel') },
  { weight: 8, arbitrary: fc.constantFrom(...OP_NAMES.filter((o) => o !== 'cancel')) },
);
const steps = fc.array(fc.record({ line: fc.nat({ max: 4 }), op: opName, amount }), {
  maxLength: 60,
  size: 'max',
});

const REFUSAL_CODES: readonly DomainErrorCode[] = ['quantity_exceeds_open', 'nothing_to_invoice', 'conflict'];

describe('property: random orders and operation sequences', () => {
  it('keep every invariant and database check, and each limit is exactly what its operation accepts', () => {
    const seen = { applied: 0, refused: 0, appliedOps: new Set<OpName>() };
    fc.assert(
      fc.property(orderLines, steps, (specs, ops) => {
        const lines = specs.map((s) => newOrderLine({ scaled: s.ordered }));
        for (const step of ops) {
          const i = step.line % lines.length;
          const policy = specs[i]!.policy;
          const before = lines[i]!;
          const snapshot = { ...before };
          const op = OPS[step.op];
          const limit = op.limit(before, policy).scaled;
          expect(limit >= 0n).toBe(true);
          const x = quantityFor(step.amount, limit);

          let applied: Applied | undefined;
          try {
            applied = op.apply(before, { scaled: x }, policy);
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
            // refused: the right kind of refusal, for the right reason, and the line is untouched
            if (x <= 0n) expect(e.code).toBe('validation_failed');
            else expect(REFUSAL_CODES).toContain(e.code);
            expect(x <= 0n || x > limit).toBe(true);
            expect(lines[i]).toBe(before);
            expect(before).toEqual(snapshot);
            seen.refused += 1;
          }
          if (applied !== undefined) {
            expect(x > 0n && x <= limit).toBe(true);
            const expected = Object.fromEntries(
              QUANTITY_FIELDS.map((f) => [f, { scaled: before[f].scaled + (applied.delta[f] ?? 0n) }]),
            );
            expect(applied.line).toEqual(expected);
            expect(Object.isFrozen(applied.line)).toBe(true);
            expect(before).toEqual(snapshot);
            lines[i] = applied.line;
            seen.applied += 1;
            seen.appliedOps.add(step.op);
          }

          // after every step: invariants (with each line's policy) and every database check hold
          lines.forEach((l, j) => {
            expect(checkInvariants(l, specs[j]!.policy)).toEqual([]);
            const row = toRow(l);
            expect(ORDER_LINE_QUANTITY_CHECKS.filter((c) => !holdsData(c, row) || !holdsSql(c.sql, row))).toEqual([]);
            expect(creditDue(l, specs[j]!.policy).scaled === 0n || invoiceable(l, specs[j]!.policy).scaled === 0n).toBe(true);
          });

          // the order status agrees with its lines
          const status = orderFulfilmentStatus(lines);
          const active = lines.filter((l) => lineFulfilment(l) !== 'cancelled');
          if (status.fulfilment === 'cancelled') {
            expect(active).toEqual([]);
          } else {
            if (status.fulfilment === 'delivered') expect(active.every((l) => lineFulfilment(l) === 'delivered')).toBe(true);
            if (status.fulfilment === 'confirmed' || status.fulfilment === 'in_fulfilment') {
              expect(lines.every((l) => l.delivered.scaled === 0n)).toBe(true);
            }
            if (status.fulfilment === 'confirmed') expect(lines.every((l) => l.reserved.scaled === 0n && l.shipped.scaled === 0n)).toBe(true);
            if (status.invoicing === 'not_invoiced') expect(lines.every((l) => netInvoiced(l).scaled === 0n)).toBe(true);
            if (status.invoicing === 'invoiced') {
              expect(lines.every((l) => invoiceable(l, 'on_order').scaled === 0n)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
    // the sequences do get somewhere (not just refusals)
    expect(seen.applied).toBeGreaterThan(2000);
    expect(seen.refused).toBeGreaterThan(2000);
    expect([...seen.appliedOps].sort()).toEqual([...OP_NAMES].sort());
  });

  it('an order can always be completed: deliver everything, invoice everything, and it is delivered and invoiced', () => {
    fc.assert(
      fc.property(orderLines, steps, (specs, ops) => {
        let lines = specs.map((s) => newOrderLine({ scaled: s.ordered }));
        for (const step of ops) {
          const i = step.line % lines.length;
          const x = quantityFor(step.amount, OPS[step.op].limit(lines[i]!, specs[i]!.policy).scaled);
          try {
            lines[i] = OPS[step.op].apply(lines[i]!, { scaled: x }, specs[i]!.policy).line;
          } catch (e) {
            if (!(e instanceof DomainError)) throw e;
          }
        }
        lines = lines.map((l, j) => {
          const policy = specs[j]!.policy;
          let done = l;
          if (openToShip(done).scaled > 0n) done = ship(done, openToShip(done)).line;
          if (openToDeliver(done).scaled > 0n) done = deliver(done, openToDeliver(done));
          if (creditDue(done, policy).scaled > 0n) done = credit(done, creditDue(done, policy));
          if (invoiceable(done, policy).scaled > 0n) done = invoice(done, invoiceable(done, policy), policy);
          expect(checkInvariants(done, policy)).toEqual([]);
          expect(['delivered', 'cancelled']).toContain(lineFulfilment(done));
          expect([invoiceable(done, policy).scaled, creditDue(done, policy).scaled, done.reserved.scaled]).toEqual([0n, 0n, 0n]);
          return done;
        });
        const status = orderFulfilmentStatus(lines);
        if (status.fulfilment !== 'cancelled') expect(status).toEqual({ fulfilment: 'delivered', invoicing: 'invoiced' });
      }),
      { numRuns: 200 },
    );
  });
});
