import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertBalanced, mergePostings, reversePostings, validatePostings, type Posting } from './journal.js';

const dr = (account: string, amount: bigint, customerId: string | null = null, currency = 'SEK'): Posting => ({
  account,
  currency,
  debitMinor: amount,
  creditMinor: 0n,
  customerId,
});
const cr = (account: string, amount: bigint, customerId: string | null = null, currency = 'SEK'): Posting => ({
  account,
  currency,
  debitMinor: 0n,
  creditMinor: amount,
  customerId,
});

/** Balanced entries: pairs of equal debit and credit in random currencies, shuffled. */
const balancedEntry = fc
  .array(
    fc.record({
      debitAccount: fc.constantFrom('1510', '1930', '2420'),
      creditAccount: fc.constantFrom('3001', '2611', '1510', '2420'),
      currency: fc.constantFrom('SEK', 'EUR'),
      amount: fc.bigInt({ min: 1n, max: 10n ** 15n }),
      customerId: fc.constantFrom(null, 'cus_1', 'cus_2'),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .chain((pairs) =>
    fc.shuffledSubarray(
      pairs.flatMap((p) => [dr(p.debitAccount, p.amount, p.customerId, p.currency), cr(p.creditAccount, p.amount, p.customerId, p.currency)]),
      { minLength: pairs.length * 2 },
    ),
  );

describe('validatePostings', () => {
  it('accepts a balanced entry', () => {
    expect(validatePostings([dr('1510', 12_500n, 'cus_1'), cr('3001', 10_000n), cr('2611', 2_500n)])).toBeNull();
  });

  it('accepts an entry balanced separately in two currencies', () => {
    expect(
      validatePostings([dr('1510', 100n, 'cus_1', 'EUR'), cr('3001', 100n, null, 'EUR'), dr('1930', 5n), cr('2420', 5n)]),
    ).toBeNull();
  });

  it('needs at least two postings', () => {
    expect(validatePostings([])).toEqual({ index: -1, reason: expect.stringContaining('at least two') });
    expect(validatePostings([dr('1930', 1n)])).toMatchObject({ index: -1 });
  });

  it.each([
    ['account of 3 digits', { ...dr('151', 1n) }, /account must be 4 digits/],
    ['account with letters', { ...dr('15A0', 1n) }, /account must be 4 digits/],
    ['account of 5 digits', { ...dr('15100', 1n) }, /account must be 4 digits/],
    ['lower-case currency', { ...dr('1510', 1n), currency: 'sek' }, /currency/],
    ['negative debit', { ...dr('1510', 1n), debitMinor: -1n }, /negative/],
    ['negative credit with positive debit', { ...dr('1510', 1n), creditMinor: -1n }, /negative/],
    ['both sides zero', { ...dr('1510', 0n) }, /exactly one/],
    ['both sides positive', { ...dr('1510', 1n), creditMinor: 1n }, /exactly one/],
  ] as const)('names the failing posting: %s', (_name, bad, reason) => {
    const problem = validatePostings([cr('3001', 1n), bad, dr('1930', 1n)]);
    expect(problem?.index).toBe(1);
    expect(problem?.reason).toMatch(reason);
  });

  it('rejects a number where a bigint belongs', () => {
    const bad = { ...dr('1510', 1n), debitMinor: 1 as unknown as bigint };
    expect(validatePostings([bad, cr('3001', 1n)])).toMatchObject({ index: 0, reason: expect.stringContaining('bigint') });
  });

  it('reports an imbalance with the currency and both sums', () => {
    expect(validatePostings([dr('1510', 12_500n), cr('3001', 10_000n), cr('2611', 2_400n)])).toEqual({
      index: -1,
      reason: 'postings in SEK do not balance: debits 12500 ≠ credits 12400',
    });
  });

  it('does not let one currency balance another', () => {
    const problem = validatePostings([dr('1510', 100n, null, 'EUR'), cr('3001', 100n, null, 'SEK')]);
    expect(problem?.index).toBe(-1);
    expect(problem?.reason).toMatch(/EUR do not balance: debits 100 ≠ credits 0/);
  });

  it('accepts any balanced entry and rejects it when one amount changes (property)', () => {
    fc.assert(
      fc.property(balancedEntry, fc.nat(), fc.bigInt({ min: 1n, max: 1000n }), (entry, pos, delta) => {
        expect(validatePostings(entry)).toBeNull();
        const i = pos % entry.length;
        const changed = entry.map((p, j) =>
          j !== i ? p : p.debitMinor > 0n ? { ...p, debitMinor: p.debitMinor + delta } : { ...p, creditMinor: p.creditMinor + delta },
        );
        expect(validatePostings(changed)).toMatchObject({ index: -1, reason: expect.stringContaining(entry[i]?.currency ?? '?') });
      }),
    );
  });
});

describe('assertBalanced', () => {
  it('passes a balanced entry', () => {
    expect(() => assertBalanced([dr('1930', 1n), cr('2420', 1n)])).not.toThrow();
  });

  it('throws with the reason', () => {
    expect(() => assertBalanced([dr('1930', 2n), cr('2420', 1n)])).toThrow(
      'postings in SEK do not balance: debits 2 ≠ credits 1',
    );
    expect(() => assertBalanced([dr('1930', 1n), cr('x', 1n)])).toThrow(/posting 1: account must be 4 digits/);
  });
});

describe('reversePostings', () => {
  it('swaps debit and credit and keeps everything else', () => {
    const original = [dr('1510', 12_500n, 'cus_1'), cr('3001', 10_000n), cr('2611', 2_500n)];
    expect(reversePostings(original)).toEqual([cr('1510', 12_500n, 'cus_1'), dr('3001', 10_000n), dr('2611', 2_500n)]);
    expect(original[0]?.debitMinor).toBe(12_500n); // input untouched
  });

  it('yields a balanced entry that cancels the original per account (property)', () => {
    fc.assert(
      fc.property(balancedEntry, (entry) => {
        const reversed = reversePostings(entry);
        expect(validatePostings(reversed)).toBeNull();
        expect(reversePostings(reversed)).toEqual(entry);
        const net = new Map<string, bigint>();
        for (const p of [...entry, ...reversed]) {
          const key = `${p.account}/${p.currency}/${p.customerId}`;
          net.set(key, (net.get(key) ?? 0n) + p.debitMinor - p.creditMinor);
        }
        for (const v of net.values()) expect(v).toBe(0n);
      }),
    );
  });
});

describe('mergePostings', () => {
  it('combines same account, currency, customer and side, in first-appearance order', () => {
    const merged = mergePostings([
      dr('1510', 100n, 'cus_1'),
      cr('3001', 60n),
      cr('2611', 15n),
      cr('3001', 20n),
      cr('2611', 5n),
      dr('1510', 1n, 'cus_2'), // other customer: separate
      cr('1510', 1n, 'cus_2'), // other side: separate
      dr('1510', 1n, 'cus_1', 'EUR'), // other currency: separate
      cr('3001', 1n, null, 'EUR'),
    ]);
    expect(merged).toEqual([
      dr('1510', 100n, 'cus_1'),
      cr('3001', 80n),
      cr('2611', 20n),
      dr('1510', 1n, 'cus_2'),
      cr('1510', 1n, 'cus_2'),
      dr('1510', 1n, 'cus_1', 'EUR'),
      cr('3001', 1n, null, 'EUR'),
    ]);
  });

  it('does not mutate its input', () => {
    const input = [cr('3001', 1n), cr('3001', 2n)];
    mergePostings(input);
    expect(input).toEqual([cr('3001', 1n), cr('3001', 2n)]);
  });

  it('keeps balance and per-account totals, with one posting per key (property)', () => {
    fc.assert(
      fc.property(balancedEntry, (entry) => {
        const merged = mergePostings(entry);
        expect(validatePostings(merged)).toBeNull();
        const totals = (ps: Posting[]) => {
          const m = new Map<string, bigint>();
          for (const p of ps) {
            const key = `${p.account}/${p.currency}/${p.customerId}/${p.debitMinor > 0n ? 'D' : 'C'}`;
            m.set(key, (m.get(key) ?? 0n) + p.debitMinor + p.creditMinor);
          }
          return m;
        };
        expect(totals(merged)).toEqual(totals(entry));
        expect(merged.length).toBe(totals(entry).size);
      }),
    );
  });
});
