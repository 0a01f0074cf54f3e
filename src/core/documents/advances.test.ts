import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decimal4 } from '../money/quantity.js';
import { DomainError } from '../shared/errors.js';
import { ADVANCE_ROUNDING, DEDUCTION_ROUNDING, deductAdvances, deductedGross, splitAdvance, type AdvanceGroup, type AdvanceLeft } from './advances.js';

const g = (netMinor: bigint, rate: string): AdvanceGroup => ({ vatCategory: 'S', vatRate: decimal4(rate), netMinor });
const left = (advanceId: string, netMinor: bigint, vatMinor: bigint, rate = '25'): AdvanceLeft => ({
  advanceId, vatCategory: 'S', vatRate: decimal4(rate), netMinor, vatMinor,
});
const BIG = 10n ** 15n;

describe('rounding policies', () => {
  it('are commercial rounding (half away from zero)', () => {
    expect(ADVANCE_ROUNDING).toBe('half_up');
    expect(DEDUCTION_ROUNDING).toBe('half_up');
  });
});

describe('splitAdvance', () => {
  it('30 % of 25 % 10 000,00 + 12 % 2 000,00: 3 000,00 + 600,00', () => {
    // order net 12 000,00 → round(12 000,00 × 0,30) = 3 600,00; by the nets 10 000 : 2 000 → 3 000,00 and 600,00
    expect(splitAdvance([g(1_000_000n, '25'), g(200_000n, '12')], { kind: 'percent', percent: decimal4('30') }, BIG, 'SEK')).toEqual([300_000n, 60_000n]);
  });

  it('rounds the total once and allocates it by largest remainder', () => {
    // nets 0,01 + 0,01 + 0,01 = 0,03; 50 % = 0,015 → 0,02 (half up); 2 units over 3 equal weights → 1, 1, 0
    expect(splitAdvance([g(1n, '25'), g(1n, '12'), g(1n, '6')], { kind: 'percent', percent: decimal4('50') }, BIG, 'SEK')).toEqual([1n, 1n, 0n]);
  });

  it('an amount is allocated by the group nets', () => {
    // 1 000,00 over 3 : 1 → 750,00 and 250,00
    expect(splitAdvance([g(300n, '25'), g(100n, '12')], { kind: 'amount', amountMinor: 100_000n }, BIG, 'SEK')).toEqual([75_000n, 25_000n]);
  });

  it('refuses a percent outside (0, 100], naming percent', () => {
    for (const p of ['0', '100.0001', '-5']) {
      const run = () => splitAdvance([g(100n, '25')], { kind: 'percent', percent: decimal4(p) }, BIG, 'SEK');
      expect(run).toThrow(DomainError);
      try { run(); } catch (e) { expect((e as DomainError).param).toBe('percent'); }
    }
    expect(splitAdvance([g(100n, '25')], { kind: 'percent', percent: decimal4('100') }, BIG, 'SEK')).toEqual([100n]);
  });

  it('refuses more than the room left, naming the field', () => {
    try {
      splitAdvance([g(1_000n, '25')], { kind: 'amount', amountMinor: 601n }, 600n, 'SEK');
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).code).toBe('quantity_exceeds_open');
      expect((e as DomainError).param).toBe('amount');
    }
    expect(splitAdvance([g(1_000n, '25')], { kind: 'amount', amountMinor: 600n }, 600n, 'SEK')).toEqual([600n]);
  });

  it('property: the parts sum to the total, never negative, each within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 10n }), { minLength: 1, maxLength: 5 }).filter((ns) => ns.some((n) => n > 0n)),
        fc.integer({ min: 1, max: 1_000_000 }),
        (nets, scaled) => {
          const groups = nets.map((n) => g(n, '25'));
          const orderNet = nets.reduce((a, n) => a + n, 0n);
          const total = (orderNet * BigInt(scaled) * 2n + 1_000_000n) / 2_000_000n; // half up, all positive
          if (total === 0n) return;
          const parts = splitAdvance(groups, { kind: 'percent', percent: { scaled: BigInt(scaled) } }, BIG, 'SEK');
          expect(parts.reduce((a, p) => a + p, 0n)).toBe(total);
          parts.forEach((p, i) => {
            expect(p >= 0n).toBe(true);
            const exact2 = (nets[i]! * total * 2n) / orderNet; // 2 × exact share, floored
            expect(p * 2n >= exact2 - 2n && p * 2n <= exact2 + 2n).toBe(true);
          });
        },
      ),
    );
  });
});

describe('deductAdvances', () => {
  it('deducts a whole advance when the invoice covers it', () => {
    // left 3 000,00 + 750,00; invoice gross 10 000,00 → all of it
    expect(deductAdvances([left('a', 300_000n, 75_000n)], 1_000_000n)).toEqual([
      { advanceId: 'a', vatCategory: 'S', vatRate: decimal4('25'), netMinor: 300_000n, vatMinor: 75_000n },
    ]);
  });

  it('deducts only up to the invoice gross, oldest first, net by the advance ratio', () => {
    // a: 1 000,00 + 250,00 (all taken: 1 250,00), then b: 800,00 + 200,00 of which 500,00 gross:
    // net = round(800,00 × 500/1 000) = 400,00, VAT 100,00; the invoice gross 1 750,00 is used up
    const ds = deductAdvances([left('a', 100_000n, 25_000n), left('b', 80_000n, 20_000n), left('c', 1n, 0n)], 175_000n);
    expect(ds.map((d) => [d.advanceId, d.netMinor, d.vatMinor])).toEqual([
      ['a', 100_000n, 25_000n],
      ['b', 40_000n, 10_000n],
    ]);
    expect(deductedGross(ds)).toBe(175_000n);
  });

  it('a zero-gross invoice deducts nothing', () => {
    expect(deductAdvances([left('a', 100n, 25n)], 0n)).toEqual([]);
  });

  const leftArb = fc.array(
    fc.record({ netMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }), rate: fc.constantFrom('25', '12', '6', '0') }),
    { maxLength: 6 },
  ).map((rs) => rs.map((r, i) => left(`adv${i}`, r.netMinor, (r.netMinor * BigInt(r.rate)) / 100n, r.rate)));

  it('property: never more than left, never more than the gross, net + VAT = gross taken', () => {
    fc.assert(
      fc.property(leftArb, fc.bigInt({ min: 0n, max: 10n ** 10n }), (ls, gross) => {
        const ds = deductAdvances(ls, gross);
        const total = deductedGross(ds);
        expect(total <= gross).toBe(true);
        const available = ls.reduce((a, l) => a + l.netMinor + l.vatMinor, 0n);
        expect(total).toBe(available < gross ? available : gross);
        for (const d of ds) {
          const l = ls.find((x) => x.advanceId === d.advanceId)!;
          expect(d.netMinor >= 0n && d.netMinor <= l.netMinor).toBe(true);
          expect(d.vatMinor >= 0n && d.vatMinor <= l.vatMinor).toBe(true);
        }
      }),
    );
  });

  it('property: a sequence of invoices deducts everything once their gross covers the advances', () => {
    fc.assert(
      fc.property(leftArb, fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 6 }), (ls, grosses) => {
        let current = ls.map((l) => ({ ...l }));
        let invoiced = 0n;
        const available = ls.reduce((a, l) => a + l.netMinor + l.vatMinor, 0n);
        // the final invoice of the order: whatever the others invoiced, it brings the total up to at least the advances
        const all = [...grosses];
        const sumGross = all.reduce((a, x) => a + x, 0n);
        if (sumGross < available) all.push(available - sumGross);
        for (const gross of all) {
          const ds = deductAdvances(current, gross);
          invoiced += gross;
          current = current.map((l) => {
            const taken = ds.filter((d) => d.advanceId === l.advanceId);
            return { ...l, netMinor: l.netMinor - taken.reduce((a, d) => a + d.netMinor, 0n), vatMinor: l.vatMinor - taken.reduce((a, d) => a + d.vatMinor, 0n) };
          });
          for (const l of current) expect(l.netMinor >= 0n && l.vatMinor >= 0n).toBe(true);
        }
        expect(invoiced >= available).toBe(true);
        for (const l of current) expect([l.netMinor, l.vatMinor]).toEqual([0n, 0n]);
      }),
    );
  });
});
