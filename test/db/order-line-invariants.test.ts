/**
 * The database keeps an order line's quantities consistent even when the core model is bypassed:
 * random sequences of raw quantity deltas (allocate, reserve, ship, deliver, cancel, return,
 * replace, invoice, credit, and their reversals) go straight to the repository, and the database
 * accepts exactly the states the core model calls valid (core/orders/quantities checkInvariants for
 * an 'on_delivery' line, plus the rules on quantity in deliveries, which only the database knows).
 * A refused delta changes nothing.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { checkInvariants, type OrderLineQuantities } from '../../src/core/orders/quantities.js';
import type { OrderLineDelta } from '../../src/app/ports.js';
import { asId } from '../../src/core/shared/ids.js';
import { DomainError } from '../../src/core/shared/errors.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

/** The order line's figures, in ten-thousandths (Decimal4 scaled). */
interface Line {
  ordered: bigint;
  allocated: bigint;
  reserved: bigint;
  shipped: bigint;
  delivered: bigint;
  cancelled: bigint;
  returned: bigint;
  replacement: bigint;
  invoiced: bigint;
  credited: bigint;
}

type Field = Exclude<keyof Line, 'ordered'>;
const FIELDS: readonly Field[] = ['allocated', 'reserved', 'shipped', 'delivered', 'cancelled', 'returned', 'replacement', 'invoiced', 'credited'];

const q = (scaled: bigint) => ({ scaled });

/** What the core model and the delivery rules allow. */
function valid(l: Line): boolean {
  const core: OrderLineQuantities = {
    ordered: q(l.ordered),
    cancelled: q(l.cancelled),
    reserved: q(l.reserved),
    shipped: q(l.shipped),
    delivered: q(l.delivered),
    returned: q(l.returned),
    replacement: q(l.replacement),
    invoiced: q(l.invoiced),
    credited: q(l.credited),
  };
  const deliverable = l.ordered - l.cancelled + l.replacement;
  return checkInvariants(core, 'on_delivery').length === 0 && l.allocated >= 0n && l.allocated <= deliverable && l.shipped <= l.allocated;
}

describe.each(TEST_DATABASES)('order line quantity invariants in the database [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  it('accepts exactly the states the core model allows, whatever sequence of raw deltas arrives', async () => {
    const customer = await ok('POST', '/v1/customers', { name: 'Invariantkund AB', country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id,
      lines: [{ description: 'Vara', quantity: '10', unit_price: '100.00', tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const order = await ok('POST', `/v1/quotes/${quote.id}/accept`);
    const orderId = asId('order', order.id);
    const ORDERED = 10n * 10_000n;

    const reset = () =>
      t.kysely
        .updateTable('order_lines')
        .set({
          quantity_allocated: '0', quantity_reserved: '0', quantity_shipped: '0', quantity_delivered: '0', quantity_cancelled: '0',
          quantity_returned: '0', quantity_replacement: '0', quantity_invoiced: '0', quantity_credited: '0', net_invoiced_minor: sql`0`,
        })
        .where('tenant_id', '=', t.tenantId)
        .where('order_id', '=', orderId)
        .execute();

    const read = async (): Promise<Line> => {
      const o = await t.db.store(t.tenantId).orders.get(orderId);
      const l = o!.lines[0]!;
      return {
        ordered: l.quantity.scaled,
        allocated: l.quantityAllocated.scaled,
        reserved: l.quantityReserved.scaled,
        shipped: l.quantityShipped.scaled,
        delivered: l.quantityDelivered.scaled,
        cancelled: l.quantityCancelled.scaled,
        returned: l.quantityReturned.scaled,
        replacement: l.quantityReplacement.scaled,
        invoiced: l.quantityInvoiced.scaled,
        credited: l.quantityCredited.scaled,
      };
    };

    // Deltas in whole units and halves, mostly positive, some reversals.
    const delta = fc.record({
      field: fc.constantFrom(...FIELDS),
      amount: fc.integer({ min: -4, max: 12 }).map((n) => BigInt(n) * 5_000n),
    });
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(delta, { minLength: 1, maxLength: 14 }), async (steps) => {
        await reset();
        let line = await read();
        expect(line.ordered).toBe(ORDERED);
        for (const step of steps) {
          if (step.amount === 0n) continue;
          const next: Line = { ...line, [step.field]: line[step.field] + step.amount };
          const d: OrderLineDelta = { lineNo: 1, [step.field]: q(step.amount) };
          let ok = true;
          try {
            await t.db.transaction(t.tenantId, (s) => s.orders.applyLineDeltas(orderId, [d]));
          } catch (e) {
            ok = false;
            expect(e).toBeInstanceOf(DomainError);
            expect((e as DomainError).code).toBe('quantity_exceeds_open');
          }
          // A negative figure is refused by the column CHECKs too, which `valid` covers through the core model.
          expect(ok, `${step.field} ${step.amount} on ${JSON.stringify(line, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`).toBe(valid(next));
          const after = await read();
          expect(after).toEqual(ok ? next : line);
          line = after;
          if (ok) accepted++;
          else refused++;
        }
      }),
      { numRuns: 40 },
    );
    // The generator reaches both sides of the rules.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });
});
