import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decimal4 } from '../money/quantity.js';
import {
  approvalSnapshot,
  evaluateApprovalRules,
  lineFingerprint,
  needsApproval,
  needsReapproval,
  quoteFingerprint,
} from './approvals.js';
import type { ApprovalLine, ApprovalQuote, ApprovalRule, ApprovalSnapshot, FingerprintedLine, TriggeredRule } from './approvals.js';

const lineDiscountRule: ApprovalRule = { id: 'r_line15', kind: 'line_discount_above', percent: decimal4('15') };
const quoteDiscountRule: ApprovalRule = { id: 'r_quote10', kind: 'quote_discount_above', percent: decimal4('10') };
const marginRule: ApprovalRule = { id: 'r_margin20', kind: 'margin_below', percent: decimal4('20') };
const totalRule: ApprovalRule = { id: 'r_total', kind: 'total_above', amountMinor: 10_000_000n, currency: 'SEK' };

const baseItem: FingerprintedLine = {
  productId: 'prd_1',
  description: 'Widget',
  quantity: decimal4('1'),
  unitPriceMinor: 10_000n,
  discount: null,
  optional: false,
};

/** An approval line; base 100.00, no discount, margin 40 %, unless overridden. */
function aLine(over: Partial<ApprovalLine> & Pick<ApprovalLine, 'lineKey' | 'lineNo'>): ApprovalLine {
  return {
    optional: false,
    baseAmountMinor: 10_000n,
    lineDiscountMinor: 0n,
    marginPercent: decimal4('40'),
    fingerprint: lineFingerprint({ ...baseItem, description: over.lineKey }),
    ...over,
  };
}

/** A quote over `lines` whose base total is consistent with them. */
function aQuote(lines: ApprovalLine[], over: Partial<Omit<ApprovalQuote, 'lines' | 'baseTotalMinor'>> = {}): ApprovalQuote {
  const base = lines.filter((l) => !l.optional).reduce((s, l) => s + l.baseAmountMinor, 0n);
  const lineDiscounts = lines.filter((l) => !l.optional).reduce((s, l) => s + l.lineDiscountMinor, 0n);
  const quoteDiscountMinor = over.quoteDiscountMinor ?? 0n;
  const net = base - lineDiscounts - quoteDiscountMinor;
  return {
    currency: 'SEK',
    netTotalMinor: net,
    grossTotalMinor: (net * 125n) / 100n,
    quoteDiscountMinor,
    marginPercent: decimal4('40'),
    ...over,
    baseTotalMinor: base,
    lines,
  };
}

describe('line_discount_above', () => {
  it('does not trigger at exactly the threshold and triggers one minor unit above it', () => {
    const at = aQuote([aLine({ lineKey: 'a', lineNo: 1, lineDiscountMinor: 1_500n })]);
    expect(evaluateApprovalRules([lineDiscountRule], at)).toEqual([]);
    const above = aQuote([aLine({ lineKey: 'a', lineNo: 1, lineDiscountMinor: 1_501n })]);
    expect(evaluateApprovalRules([lineDiscountRule], above)).toEqual([
      { ruleId: 'r_line15', kind: 'line_discount_above', message: 'Line 1 discount 15.01 % is above 15 %', lineKeys: ['a'], quoteLevel: false },
    ]);
  });

  it('compares the exact ratio, not a rounded one, and never prints an above value as the threshold', () => {
    // 15.000001 %: 150 000 01 / 1 000 000 00
    const q = aQuote([aLine({ lineKey: 'a', lineNo: 3, baseAmountMinor: 100_000_000n, lineDiscountMinor: 15_000_001n })]);
    const [t] = evaluateApprovalRules([lineDiscountRule], q);
    expect(t?.message).toBe('Line 3 discount 15.01 % is above 15 %');
    // 1/6 = 16.666… %
    const sixth = aQuote([aLine({ lineKey: 'a', lineNo: 3, baseAmountMinor: 600n, lineDiscountMinor: 100n })]);
    expect(evaluateApprovalRules([lineDiscountRule], sixth)[0]?.message).toBe('Line 3 discount 16.67 % is above 15 %');
  });

  it('names the example from the issue and lists every triggering line in line order', () => {
    const q = aQuote([
      aLine({ lineKey: 'x', lineNo: 4, lineDiscountMinor: 2_000n }),
      aLine({ lineKey: 'y', lineNo: 3, lineDiscountMinor: 1_800n }),
      aLine({ lineKey: 'z', lineNo: 1, lineDiscountMinor: 500n }),
      aLine({ lineKey: 'o', lineNo: 5, lineDiscountMinor: 9_000n, optional: true }),
    ]);
    expect(evaluateApprovalRules([lineDiscountRule], q)).toEqual([
      {
        ruleId: 'r_line15',
        kind: 'line_discount_above',
        message: 'Line 3 discount 18 % is above 15 %; Line 4 discount 20 % is above 15 %; Line 5 discount 90 % is above 15 %',
        lineKeys: ['y', 'x', 'o'],
        quoteLevel: false,
      },
    ]);
  });

  it('ignores lines with a zero base', () => {
    const q = aQuote([aLine({ lineKey: 'free', lineNo: 1, baseAmountMinor: 0n, lineDiscountMinor: 0n })]);
    expect(evaluateApprovalRules([lineDiscountRule], q)).toEqual([]);
  });
});

describe('quote_discount_above', () => {
  // base 300.00, line discounts 50.00 (and 20.00 on an optional line that is not in the totals) → 250.00
  const lines = (): ApprovalLine[] => [
    aLine({ lineKey: 'a', lineNo: 1, baseAmountMinor: 20_000n, lineDiscountMinor: 5_000n }),
    aLine({ lineKey: 'b', lineNo: 2 }),
    aLine({ lineKey: 'o', lineNo: 3, optional: true, lineDiscountMinor: 2_000n }),
  ];

  it('measures the quote discount against the base less the line discounts, strictly above', () => {
    expect(evaluateApprovalRules([quoteDiscountRule], aQuote(lines(), { quoteDiscountMinor: 2_500n }))).toEqual([]);
    expect(evaluateApprovalRules([quoteDiscountRule], aQuote(lines(), { quoteDiscountMinor: 2_501n }))).toEqual([
      { ruleId: 'r_quote10', kind: 'quote_discount_above', message: 'Quote discount 10.01 % is above 10 %', lineKeys: [], quoteLevel: true },
    ]);
  });

  it('is not triggered by line discounts alone', () => {
    expect(evaluateApprovalRules([quoteDiscountRule], aQuote(lines()))).toEqual([]);
  });
});

describe('margin_below', () => {
  it('triggers per line with a margin below the threshold, not at it, and skips lines without a margin', () => {
    const q = aQuote([
      aLine({ lineKey: 'a', lineNo: 1, marginPercent: decimal4('20') }),
      aLine({ lineKey: 'b', lineNo: 2, marginPercent: decimal4('19.9999') }),
      aLine({ lineKey: 'c', lineNo: 3, marginPercent: null }),
      aLine({ lineKey: 'd', lineNo: 4, marginPercent: decimal4('-5') }),
    ]);
    expect(evaluateApprovalRules([marginRule], q)).toEqual([
      {
        ruleId: 'r_margin20',
        kind: 'margin_below',
        message: 'Line 2 margin 19.9999 % is below 20 %; Line 4 margin -5 % is below 20 %',
        lineKeys: ['b', 'd'],
        quoteLevel: false,
      },
    ]);
  });

  it('checks the quote margin too', () => {
    const lines = [aLine({ lineKey: 'a', lineNo: 1 })];
    expect(evaluateApprovalRules([marginRule], aQuote(lines, { marginPercent: decimal4('20') }))).toEqual([]);
    expect(evaluateApprovalRules([marginRule], aQuote(lines, { marginPercent: null }))).toEqual([]);
    expect(evaluateApprovalRules([marginRule], aQuote(lines, { marginPercent: decimal4('12.5') }))).toEqual([
      { ruleId: 'r_margin20', kind: 'margin_below', message: 'Quote margin 12.5 % is below 20 %', lineKeys: [], quoteLevel: true },
    ]);
  });
});

describe('total_above', () => {
  it('compares the gross total strictly, in the rule currency only', () => {
    const lines = [aLine({ lineKey: 'a', lineNo: 1 })];
    expect(evaluateApprovalRules([totalRule], aQuote(lines, { grossTotalMinor: 10_000_000n }))).toEqual([]);
    expect(evaluateApprovalRules([totalRule], aQuote(lines, { grossTotalMinor: 10_000_001n }))).toEqual([
      { ruleId: 'r_total', kind: 'total_above', message: 'Quote total 100000.01 SEK is above 100000.00 SEK', lineKeys: [], quoteLevel: true },
    ]);
    // the same digits in EUR are not compared with a SEK limit
    expect(evaluateApprovalRules([totalRule], aQuote(lines, { currency: 'EUR', grossTotalMinor: 99_000_000n }))).toEqual([]);
    const eurRule: ApprovalRule = { id: 'r_eur', kind: 'total_above', amountMinor: 1_000_000n, currency: 'EUR' };
    const eurQuote = aQuote(lines, { currency: 'EUR', grossTotalMinor: 99_000_000n });
    expect(evaluateApprovalRules([totalRule, eurRule], eurQuote).map((t) => t.ruleId)).toEqual(['r_eur']);
  });
});

describe('evaluateApprovalRules', () => {
  it('reports triggered rules in rule order and says approval is needed only when one triggers', () => {
    const q = aQuote([aLine({ lineKey: 'a', lineNo: 1, lineDiscountMinor: 3_000n, marginPercent: decimal4('5') })], {
      grossTotalMinor: 20_000_000n,
    });
    const triggered = evaluateApprovalRules([totalRule, quoteDiscountRule, marginRule, lineDiscountRule], q);
    expect(triggered.map((t) => t.ruleId)).toEqual(['r_total', 'r_margin20', 'r_line15']);
    expect(needsApproval(triggered)).toBe(true);
    expect(needsApproval(evaluateApprovalRules([], q))).toBe(false);
  });

  it('refuses inconsistent input', () => {
    const q = aQuote([aLine({ lineKey: 'a', lineNo: 1 })]);
    expect(() => evaluateApprovalRules([lineDiscountRule, { ...marginRule, id: 'r_line15' }], q)).toThrow(/duplicate rule id/);
    expect(() => evaluateApprovalRules([], { ...q, baseTotalMinor: 1n })).toThrow(/baseTotalMinor/);
    expect(() => evaluateApprovalRules([], aQuote([aLine({ lineKey: 'a', lineNo: 1 }), aLine({ lineKey: 'a', lineNo: 2 })]))).toThrow(
      /duplicate line key/,
    );
  });

  it('never triggers a line discount rule at or below the threshold (property, exact against a reference)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (base, discount, threshold) => {
          const q = aQuote([aLine({ lineKey: 'a', lineNo: 1, baseAmountMinor: base, lineDiscountMinor: discount })]);
          const rule: ApprovalRule = { id: 'r', kind: 'line_discount_above', percent: { scaled: BigInt(threshold) } };
          // discount / base > threshold / 10^6  ⇔  discount · 10^6 > threshold · base
          expect(evaluateApprovalRules([rule], q).length).toBe(discount * 1_000_000n > BigInt(threshold) * base ? 1 : 0);
        },
      ),
    );
  });
});

describe('fingerprints', () => {
  it('are equal for equal lines and differ when anything that matters differs', () => {
    const fp = lineFingerprint(baseItem);
    expect(lineFingerprint({ ...baseItem, quantity: decimal4('1.0000') })).toBe(fp);
    expect(lineFingerprint({ ...baseItem, discount: { kind: 'percent', percent: decimal4('0') } })).toBe(fp);
    expect(lineFingerprint({ ...baseItem, discount: { kind: 'amount', amountMinor: 0n } })).toBe(fp);
    const variants: FingerprintedLine[] = [
      { ...baseItem, productId: null },
      { ...baseItem, productId: 'prd_2' },
      { ...baseItem, description: 'Widget ' },
      { ...baseItem, quantity: decimal4('1.0001') },
      { ...baseItem, unitPriceMinor: 10_001n },
      { ...baseItem, discount: { kind: 'percent', percent: decimal4('10') } },
      { ...baseItem, discount: { kind: 'amount', amountMinor: 100_000n } },
      { ...baseItem, optional: true },
    ];
    const all = [fp, ...variants.map(lineFingerprint)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('cannot be confused by separators inside a description', () => {
    const a = lineFingerprint({ ...baseItem, productId: 'prd_1', description: '","x' });
    const b = lineFingerprint({ ...baseItem, productId: 'prd_1","', description: 'x' });
    expect(a).not.toBe(b);
  });

  it('covers the quote currency, discount and totals', () => {
    const q = aQuote([aLine({ lineKey: 'a', lineNo: 1 })]);
    const fp = quoteFingerprint(q);
    expect(quoteFingerprint({ ...q })).toBe(fp);
    for (const changed of [
      { ...q, currency: 'EUR' },
      { ...q, quoteDiscountMinor: 1n },
      { ...q, netTotalMinor: q.netTotalMinor + 1n },
      { ...q, grossTotalMinor: q.grossTotalMinor + 1n },
      { ...q, marginPercent: null },
    ]) {
      expect(quoteFingerprint(changed)).not.toBe(fp);
    }
  });
});

describe('needsReapproval', () => {
  const rules = [lineDiscountRule, quoteDiscountRule, marginRule, totalRule];
  const fpOf = (description: string, unitPriceMinor = 10_000n, quantity = '1') =>
    lineFingerprint({ ...baseItem, description, unitPriceMinor, quantity: decimal4(quantity) });

  /** Approved version: line "disc" has an 18 % discount (triggers), line "plain" triggers nothing. */
  const approvedQuote = aQuote([
    aLine({ lineKey: 'disc', lineNo: 1, lineDiscountMinor: 1_800n, fingerprint: fpOf('disc') }),
    aLine({ lineKey: 'plain', lineNo: 2, fingerprint: fpOf('plain') }),
  ]);
  const approved = approvalSnapshot(rules, approvedQuote);

  it('sees that the approved version needed approval', () => {
    expect(approved.triggered.map((t) => t.ruleId)).toEqual(['r_line15']);
  });

  it('is not required when the revision is identical', () => {
    expect(needsReapproval(approved, approvalSnapshot(rules, approvedQuote))).toEqual({ required: false, reasons: [] });
  });

  it('is not required when only a line that triggered nothing changed', () => {
    const revised = aQuote([
      approvedQuote.lines[0]!,
      aLine({ lineKey: 'plain', lineNo: 2, baseAmountMinor: 30_000n, fingerprint: fpOf('plain', 10_000n, '3') }),
      aLine({ lineKey: 'new', lineNo: 3, fingerprint: fpOf('new') }),
    ]);
    const current = approvalSnapshot(rules, revised);
    expect(current.quoteFingerprint).not.toBe(approved.quoteFingerprint);
    expect(needsReapproval(approved, current)).toEqual({ required: false, reasons: [] });
  });

  it('is not required when the triggering line only moved', () => {
    const revised = aQuote([{ ...approvedQuote.lines[1]!, lineNo: 1 }, { ...approvedQuote.lines[0]!, lineNo: 2 }]);
    expect(needsReapproval(approved, approvalSnapshot(rules, revised)).required).toBe(false);
  });

  it('is required when the price of a triggering line changed', () => {
    const revised = aQuote([
      aLine({ lineKey: 'disc', lineNo: 1, baseAmountMinor: 12_000n, lineDiscountMinor: 2_160n, fingerprint: fpOf('disc', 12_000n) }),
      approvedQuote.lines[1]!,
    ]);
    expect(needsReapproval(approved, approvalSnapshot(rules, revised))).toEqual({
      required: true,
      reasons: ["Line 'disc', which triggers an approval rule, changed"],
    });
  });

  it('is required when a rule triggers that did not before', () => {
    const revised = aQuote(approvedQuote.lines.slice(), { marginPercent: decimal4('15') });
    const decision = needsReapproval(approved, approvalSnapshot(rules, revised));
    expect(decision.required).toBe(true);
    expect(decision.reasons[0]).toBe(
      "Rule 'r_margin20' (margin_below) applies and did not apply to the approved version: Quote margin 15 % is below 20 %",
    );
  });

  it('is required when another line starts triggering an already-approved rule', () => {
    const revised = aQuote([
      approvedQuote.lines[0]!,
      aLine({ lineKey: 'plain', lineNo: 2, lineDiscountMinor: 5_000n, fingerprint: fpOf('plain, now at half price') }),
    ]);
    expect(needsReapproval(approved, approvalSnapshot(rules, revised))).toEqual({
      required: true,
      reasons: ["Line 'plain', which triggers an approval rule, changed"],
    });
  });

  it('is required when a triggering line was removed while a rule still triggers', () => {
    const twoDiscounts = aQuote([
      aLine({ lineKey: 'disc', lineNo: 1, lineDiscountMinor: 1_800n, fingerprint: fpOf('disc') }),
      aLine({ lineKey: 'disc2', lineNo: 2, lineDiscountMinor: 1_900n, fingerprint: fpOf('disc2') }),
    ]);
    const before = approvalSnapshot(rules, twoDiscounts);
    const after = approvalSnapshot(rules, aQuote([twoDiscounts.lines[0]!]));
    expect(needsReapproval(before, after)).toEqual({ required: true, reasons: ["Line 'disc2', which triggers an approval rule, was removed"] });
    expect(needsReapproval(after, before)).toEqual({ required: true, reasons: ["Line 'disc2', which triggers an approval rule, was added"] });
  });

  it('is not required when nothing triggers any more', () => {
    const revised = aQuote([aLine({ lineKey: 'disc', lineNo: 1, lineDiscountMinor: 1_000n, fingerprint: fpOf('disc, 10 %') })]);
    expect(needsReapproval(approved, approvalSnapshot(rules, revised))).toEqual({ required: false, reasons: [] });
  });

  it('is required when a quote-level rule triggers and the totals changed, not when they did not', () => {
    const big = aQuote([aLine({ lineKey: 'a', lineNo: 1, baseAmountMinor: 10_000_000n, fingerprint: fpOf('a', 10_000_000n) })]);
    const bigApproved = approvalSnapshot(rules, big);
    expect(bigApproved.triggered.map((t) => t.ruleId)).toEqual(['r_total']);
    // an unrelated description change: same totals, no reason
    const renamed = aQuote([{ ...big.lines[0]!, fingerprint: fpOf('a renamed', 10_000_000n) }]);
    expect(needsReapproval(bigApproved, approvalSnapshot(rules, renamed)).required).toBe(false);
    // one more line: the gross total moves
    const bigger = aQuote([big.lines[0]!, aLine({ lineKey: 'b', lineNo: 2, fingerprint: fpOf('b') })]);
    expect(needsReapproval(bigApproved, approvalSnapshot(rules, bigger))).toEqual({
      required: true,
      reasons: ["Rule 'r_total' (total_above) applies to the whole quote, and its discount, currency or totals changed"],
    });
  });

  it('looks up line keys as own properties only', () => {
    const t: TriggeredRule = { ruleId: 'r_line15', kind: 'line_discount_above', message: 'm', lineKeys: ['constructor'], quoteLevel: false };
    const previous: ApprovalSnapshot = { triggered: [t], lineFingerprints: { constructor: 'x' }, quoteFingerprint: 'q' };
    const current: ApprovalSnapshot = { triggered: [{ ...t, lineKeys: [] }], lineFingerprints: {}, quoteFingerprint: 'q' };
    expect(needsReapproval(previous, current).reasons).toEqual(["Line 'constructor', which triggers an approval rule, was removed"]);
    const broken: ApprovalSnapshot = { triggered: [t], lineFingerprints: {}, quoteFingerprint: 'q' };
    expect(() => needsReapproval(previous, broken)).toThrow(/no fingerprint/);
  });
});
