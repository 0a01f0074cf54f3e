import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildStatement, statementKind, type StatementMovement } from './statement.js';

const mv = (over: Partial<StatementMovement>): StatementMovement => ({
  entryId: 'je_1', date: '2026-11-05', sourceType: 'invoice', sourceId: 'inv_1', reversal: false, reference: null, description: '',
  currency: 'SEK', receivableMinor: 0n, creditMinor: 0n, receivableBaseMinor: 0n, creditBaseMinor: 0n, ...over,
});

describe('buildStatement', () => {
  it('runs the balance per currency from the opening balance and splits the closing into receivable and credit', () => {
    const st = buildStatement({
      from: '2026-11-01',
      to: '2026-11-30',
      baseCurrency: 'SEK',
      opening: [{ currency: 'SEK', receivableMinor: 25_000n, creditMinor: 0n, receivableBaseMinor: 25_000n, creditBaseMinor: 0n }],
      movements: [
        mv({ receivableMinor: 125_000n, receivableBaseMinor: 125_000n }),
        mv({ date: '2026-11-15', sourceType: 'payment', creditMinor: -150_000n, creditBaseMinor: -150_000n }),
        mv({ date: '2026-11-15', sourceType: 'allocation', receivableMinor: -150_000n, creditMinor: 150_000n, receivableBaseMinor: -150_000n, creditBaseMinor: 150_000n }),
        mv({ date: '2026-11-16', sourceType: 'allocation', reversal: true, receivableMinor: 150_000n, creditMinor: -150_000n, receivableBaseMinor: 150_000n, creditBaseMinor: -150_000n }),
        mv({ date: '2026-11-20', sourceType: 'payment', currency: 'EUR', creditMinor: -1_000n, creditBaseMinor: -11_000n }),
      ],
    });
    expect(st.sections.map((s) => s.currency)).toEqual(['EUR', 'SEK']);
    const sek = st.sections[1]!;
    expect(sek.lines.map((l) => [l.kind, l.amountMinor, l.balanceMinor])).toEqual([
      ['invoice', 125_000n, 150_000n],
      ['payment', -150_000n, 0n],
      ['payment_applied', 0n, 0n],
      ['payment_unapplied', 0n, 0n],
    ]);
    expect(sek.lines[1]!.creditChangeMinor).toBe(150_000n);
    expect(sek.closingMinor).toBe(0n);
    expect(sek.closingReceivableMinor).toBe(150_000n);
    expect(sek.closingCreditMinor).toBe(150_000n);
    expect(sek.chargesMinor).toBe(125_000n);
    expect(sek.creditsMinor).toBe(-150_000n);
    expect(st.sections[0]!.closingMinor).toBe(-1_000n);
    expect(st.openingBaseMinor).toBe(25_000n);
    expect(st.closingBaseMinor).toBe(-11_000n);
    expect(st.receivableBaseMinor).toBe(150_000n);
    expect(st.creditBaseMinor).toBe(161_000n);
  });

  it('refuses movements outside the period or out of order, and a backwards period', () => {
    const base = { from: '2026-11-01', to: '2026-11-30', baseCurrency: 'SEK', opening: [] };
    expect(() => buildStatement({ ...base, movements: [mv({ date: '2026-10-31' })] })).toThrow(/outside/);
    expect(() => buildStatement({ ...base, movements: [mv({ date: '2026-11-05' }), mv({ date: '2026-11-04' })] })).toThrow(/date order/);
    expect(() => buildStatement({ ...base, from: '2026-12-01', movements: [] })).toThrow(/ends before/);
    expect(buildStatement({ ...base, movements: [] }).sections).toEqual([]);
  });

  it('names the kinds', () => {
    expect(['invoice', 'credit_note', 'refund', 'manual'].map((t) => statementKind(t, false))).toEqual(['invoice', 'credit_note', 'refund', 'adjustment']);
    expect(statementKind('payment', true)).toBe('payment_returned');
  });

  it('closing = opening + Σ amounts, and base closing = receivable − credit (property)', () => {
    const amount = fc.bigInt({ min: -1_000_000n, max: 1_000_000n });
    const movement = fc.record({ currency: fc.constantFrom('SEK', 'EUR'), r: amount, c: amount, rb: amount, cb: amount, day: fc.integer({ min: 1, max: 30 }) });
    fc.assert(
      fc.property(fc.array(movement, { maxLength: 30 }), amount, amount, (ms, o1, o2) => {
        const movements = [...ms]
          .sort((a, b) => a.day - b.day)
          .map((m) => mv({ date: `2026-11-${String(m.day).padStart(2, '0')}`, currency: m.currency, receivableMinor: m.r, creditMinor: m.c, receivableBaseMinor: m.rb, creditBaseMinor: m.cb }));
        const st = buildStatement({
          from: '2026-11-01', to: '2026-11-30', baseCurrency: 'SEK',
          opening: [{ currency: 'SEK', receivableMinor: o1, creditMinor: o2, receivableBaseMinor: o1, creditBaseMinor: o2 }],
          movements,
        });
        for (const s of st.sections) {
          expect(s.closingMinor).toBe(s.openingMinor + s.lines.reduce((a, l) => a + l.amountMinor, 0n));
          expect(s.closingMinor).toBe(s.closingReceivableMinor - s.closingCreditMinor);
          expect(s.lines.at(-1)?.balanceMinor ?? s.openingMinor).toBe(s.closingMinor);
        }
        expect(st.closingBaseMinor).toBe(st.receivableBaseMinor - st.creditBaseMinor);
      }),
    );
  });
});
