import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { asId } from '../shared/ids.js';
import { money } from '../money/money.js';
import type { Money } from '../money/money.js';
import { decimal4, formatDecimal4 } from '../money/quantity.js';
import type { Quantity } from '../money/quantity.js';
import { lineAmounts } from '../documents/lines.js';
import {
  CLAIM_ACTIONS,
  CLAIM_STATUSES,
  CLAIM_TRANSITIONS,
  CREDIT_TRANSITIONS,
  DEFAULT_REVIEW_WINDOW_DAYS,
  MAX_TEXT_LENGTH,
  PROBLEM_REASONS,
  REPLACEMENT_TRANSITIONS,
  RETURN_TRANSITIONS,
  REVIEW_ACTIONS,
  REVIEW_STATUSES,
  REVIEW_TRANSITIONS,
  addResolution,
  claimedQuantity,
  claimsForOrderLines,
  concessionCap,
  creditForQuantity,
  dunningPaused,
  isReviewOverdue,
  nextClaimStatus,
  nextReviewStatus,
  openClaim,
  receiveReturn,
  rejectClaim,
  requestCredit,
  resolveClaim,
  reviewDeadline,
  reviewTransition,
  shipReplacement,
  validateProblemReport,
} from './claims.js';
import type { Claim, ClaimOrderLine, CreditedSoFar, CreditRequest, ProblemReportLineInput, ReviewedDeliveryLine } from './claims.js';

const sek = (minor: bigint): Money<'SEK'> => money(minor, 'SEK');
const q = decimal4;
const pct = decimal4;
const orderId = asId('order', 'ord_1');
const deliveryId = asId('delivery', 'dlv_1');

/** Runs `fn` and returns the DomainError it throws, or fails. */
function domainErrorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

/**
 * The order line of the examples: 3 × 999.00 SEK with a 10 % line discount (2 997.00 − 299.70 =
 * 2 697.30) and a 100.00 share of a quote-level discount: frozen net 2 597.30, VAT 25 %.
 */
const LINE_AMOUNTS = lineAmounts(q('3'), sek(99_900n), pct('10'));
const ORDER_LINE: ClaimOrderLine = {
  ordered: q('3'),
  orderedGross: LINE_AMOUNTS.gross,
  orderedNet: sek(LINE_AMOUNTS.net.minor - 10_000n),
  vatRate: pct('25'),
};
const NOTHING_CREDITED: CreditedSoFar = { quantity: q('0'), net: sek(0n) };

const deliveryLines: ReviewedDeliveryLine[] = [
  { lineNo: 1, orderLineNo: 1, delivered: q('3'), alreadyClaimed: q('0') },
  { lineNo: 2, orderLineNo: 4, delivered: q('2.5'), alreadyClaimed: q('1') },
];

function claimOf(quantity: string, reason: ProblemReportLineInput['reason'] = 'damaged', id = 'clm_1'): Claim {
  const report = validateProblemReport(
    { lines: [{ deliveryLineNo: 1, reason, quantity: q(quantity), description: 'Box crushed' }] },
    deliveryLines,
  );
  return openClaim(id, { orderId, deliveryId }, report.lines[0]!);
}

describe('delivery review', () => {
  it('has a 14-day default window; the deadline is day 14, counting the delivery day as day 0', () => {
    expect(DEFAULT_REVIEW_WINDOW_DAYS).toBe(14);
    expect(reviewDeadline('2026-03-01', DEFAULT_REVIEW_WINDOW_DAYS)).toBe('2026-03-15');
    expect(reviewDeadline('2026-02-20', 14)).toBe('2026-03-06'); // across February
    expect(reviewDeadline('2026-03-01', 0)).toBe('2026-03-01');
  });

  it('is overdue from day 15: day 14 is the last day to report', () => {
    const delivered = '2026-03-01';
    expect(isReviewOverdue(delivered, 14, '2026-03-01')).toBe(false); // day 0
    expect(isReviewOverdue(delivered, 14, '2026-03-15')).toBe(false); // day 14
    expect(isReviewOverdue(delivered, 14, '2026-03-16')).toBe(true); // day 15
    expect(isReviewOverdue(delivered, 30, '2026-03-16')).toBe(false);
  });

  it('refuses a window that is not a whole number of days from 0 to 365', () => {
    for (const bad of [-1, 1.5, 366, Number.NaN]) {
      expect(domainErrorOf(() => reviewDeadline('2026-03-01', bad))).toMatchObject({
        code: 'validation_failed',
        param: 'review_window_days',
      });
    }
  });

  it('allows exactly accept, dispute and deem_accepted from their statuses', () => {
    const allowed: Record<string, string> = {
      'awaiting_review accept': 'accepted',
      'awaiting_review dispute': 'disputed',
      'disputed dispute': 'disputed',
      'awaiting_review deem_accepted': 'deemed_accepted',
    };
    let seen = 0;
    for (const from of REVIEW_STATUSES) {
      for (const action of REVIEW_ACTIONS) {
        const target = allowed[`${from} ${action}`];
        if (target !== undefined) {
          seen++;
          expect(nextReviewStatus(from, action)).toBe(target);
        } else {
          const err = domainErrorOf(() => nextReviewStatus(from, action));
          expect(err.code).toBe('conflict');
          expect(err.message).toContain(`'${from}'`);
        }
      }
    }
    expect(seen).toBe(Object.keys(allowed).length);
    expect(domainErrorOf(() => nextReviewStatus('accepted', 'dispute')).message).toBe(
      "Cannot dispute delivery review: it is 'accepted'; only a delivery review that is 'awaiting_review' or 'disputed' can be disputed",
    );
  });

  it('deems acceptance only after the window and takes disputes only within it', () => {
    const day = (today: string) => ({ deliveredOn: '2026-03-01', windowDays: 14, today });
    expect(reviewTransition('awaiting_review', 'dispute', day('2026-03-15'))).toBe('disputed');
    expect(domainErrorOf(() => reviewTransition('awaiting_review', 'dispute', day('2026-03-16')))).toMatchObject({
      code: 'unprocessable',
      message: 'The review window closed on 2026-03-15; problems can no longer be reported',
    });
    expect(domainErrorOf(() => reviewTransition('awaiting_review', 'deem_accepted', day('2026-03-15'))).code).toBe('conflict');
    expect(reviewTransition('awaiting_review', 'deem_accepted', day('2026-03-16'))).toBe('deemed_accepted');
    // the customer may still confirm receipt late; a disputed delivery is never deemed accepted
    expect(reviewTransition('awaiting_review', 'accept', day('2026-04-30'))).toBe('accepted');
    expect(domainErrorOf(() => reviewTransition('disputed', 'deem_accepted', day('2026-04-30'))).code).toBe('conflict');
  });

  it('refuses an unknown action from untrusted input', () => {
    expect(domainErrorOf(() => nextReviewStatus('awaiting_review', 'toString' as never))).toMatchObject({
      code: 'validation_failed',
      param: 'action',
    });
  });
});

describe('validateProblemReport', () => {
  const line = (over: Partial<ProblemReportLineInput> = {}): ProblemReportLineInput => ({
    deliveryLineNo: 1,
    reason: 'damaged',
    quantity: q('1'),
    description: 'Dented corner',
    ...over,
  });
  const errorOf = (lines: ProblemReportLineInput[]) => domainErrorOf(() => validateProblemReport({ lines }, deliveryLines));

  it('returns frozen lines with the order line, the reason and the trimmed description', () => {
    const report = validateProblemReport(
      { lines: [line({ description: '  Dented corner \n' }), line({ deliveryLineNo: 2, reason: 'missing', quantity: q('1.5') })] },
      deliveryLines,
    );
    expect(report.lines).toEqual([
      { deliveryLineNo: 1, orderLineNo: 1, reason: 'damaged', quantity: q('1'), description: 'Dented corner' },
      { deliveryLineNo: 2, orderLineNo: 4, reason: 'missing', quantity: q('1.5'), description: 'Dented corner' },
    ]);
    expect(Object.isFrozen(report)).toBe(true);
    expect(Object.isFrozen(report.lines)).toBe(true);
    expect(Object.isFrozen(report.lines[0])).toBe(true);
    expect(PROBLEM_REASONS).toEqual(['damaged', 'missing', 'wrong_item', 'not_as_described', 'other']);
  });

  it('bounds the quantity by what was delivered minus what is already claimed', () => {
    // line 2: 2.5 delivered, 1 claimed → 1.5 open
    expect(validateProblemReport({ lines: [line({ deliveryLineNo: 2, quantity: q('1.5') })] }, deliveryLines).lines).toHaveLength(1);
    const over = errorOf([line({ deliveryLineNo: 2, quantity: q('1.5001') })]);
    expect(over).toMatchObject({ code: 'quantity_exceeds_open', param: 'lines.0.quantity' });
    expect(over.message).toBe('Delivery line 2: cannot claim 1.5001, only 1.5 is delivered and not yet claimed');
    expect(errorOf([line({ quantity: q('0') })])).toMatchObject({ code: 'validation_failed', param: 'lines.0.quantity' });
    expect(errorOf([line({ quantity: q('-1') })])).toMatchObject({ code: 'validation_failed', param: 'lines.0.quantity' });
  });

  it('adds up several report lines on the same delivery line', () => {
    const ok = [line({ quantity: q('2') }), line({ reason: 'missing', quantity: q('1') })];
    expect(validateProblemReport({ lines: ok }, deliveryLines).lines).toHaveLength(2);
    const err = errorOf([...ok, line({ reason: 'other', quantity: q('0.0001') })]);
    expect(err).toMatchObject({ code: 'quantity_exceeds_open', param: 'lines.2.quantity' });
  });

  it('names the field at fault', () => {
    expect(errorOf([])).toMatchObject({ code: 'validation_failed', param: 'lines' });
    expect(errorOf([line(), line({ deliveryLineNo: 9 })])).toMatchObject({ param: 'lines.1.delivery_line_no' });
    expect(errorOf([line({ reason: 'late' })])).toMatchObject({ code: 'validation_failed', param: 'lines.0.reason' });
    expect(errorOf([line({ description: '   ' })])).toMatchObject({ code: 'validation_failed', param: 'lines.0.description' });
    expect(errorOf([line({ description: 'x'.repeat(MAX_TEXT_LENGTH + 1) })])).toMatchObject({ param: 'lines.0.description' });
  });

  it('accepts 2000 characters after trimming, counting code points', () => {
    const report = validateProblemReport({ lines: [line({ description: ` ${'📦'.repeat(2000)} ` })] }, deliveryLines);
    expect([...report.lines[0]!.description]).toHaveLength(2000);
  });
});

describe('claim lifecycle', () => {
  it('has open → resolved | rejected', () => {
    for (const from of CLAIM_STATUSES) {
      for (const action of CLAIM_ACTIONS) {
        if (from === 'open') expect(nextClaimStatus(from, action)).toBe(action === 'resolve' ? 'resolved' : 'rejected');
        else expect(domainErrorOf(() => nextClaimStatus(from, action)).code).toBe('conflict');
      }
    }
  });

  it('opens a claim linked to the order line and the delivery line', () => {
    const claim = claimOf('2');
    expect(claim).toMatchObject({
      id: 'clm_1',
      orderId,
      orderLineNo: 1,
      deliveryId,
      deliveryLineNo: 1,
      reason: 'damaged',
      quantity: q('2'),
      status: 'open',
      rejectionReason: null,
      resolutions: [],
    });
    expect(Object.isFrozen(claim)).toBe(true);
  });

  it('damaged goods: resolved once the free replacement has shipped', () => {
    const open = addResolution(claimOf('1'), { kind: 'replacement', quantity: q('1') }, ORDER_LINE);
    expect(open.status).toBe('open');
    expect(open.resolutions[0]).toEqual({ kind: 'replacement', quantity: q('1'), status: 'pending' });
    expect(dunningPaused([open])).toBe(true);
    const shipped = shipReplacement(open, 0);
    expect(shipped.status).toBe('resolved');
    expect(shipped.resolutions[0]?.status).toBe('shipped');
    expect(dunningPaused([shipped])).toBe(false);
    expect(open.status).toBe('open'); // the input is untouched
    expect(domainErrorOf(() => shipReplacement(shipped, 0)).code).toBe('conflict');
    expect(domainErrorOf(() => requestCredit(open, 0, ORDER_LINE, NOTHING_CREDITED))).toMatchObject({ code: 'conflict', param: 'resolution' });
  });

  it('wrong item: two returns (1 then 2) credit exactly the order line net at the frozen price', () => {
    let claim = claimOf('3', 'wrong_item');
    claim = addResolution(claim, { kind: 'return', quantity: q('1') }, ORDER_LINE);
    claim = addResolution(claim, { kind: 'return', quantity: q('2') }, ORDER_LINE);
    expect(domainErrorOf(() => requestCredit(claim, 0, ORDER_LINE, NOTHING_CREDITED)).code).toBe('conflict'); // not received yet

    claim = receiveReturn(claim, 0, { quantity: q('1'), disposition: 'restock' });
    const first = requestCredit(claim, 0, ORDER_LINE, NOTHING_CREDITED);
    // 2 597.30 × 1/3 = 865.7667 → 865.77
    expect(first.creditRequest).toEqual({
      claimId: 'clm_1',
      orderId,
      orderLineNo: 1,
      kind: 'return',
      quantity: q('1'),
      netMinor: 86_577n,
      currency: 'SEK',
      vatRate: pct('25'),
      reason: 'wrong_item',
    });
    expect(first.claim.status).toBe('open');

    claim = receiveReturn(first.claim, 1, { quantity: q('2'), disposition: 'scrap' });
    const second = requestCredit(claim, 1, ORDER_LINE, { quantity: q('1'), net: sek(86_577n) });
    expect(second.creditRequest?.netMinor).toBe(173_153n); // 2 597.30 − 865.77
    expect(86_577n + 173_153n).toBe(ORDER_LINE.orderedNet.minor);
    expect(second.claim.status).toBe('resolved');
    expect(second.claim.resolutions.map((r) => r.status)).toEqual(['credited', 'credited']);
  });

  it('a return credits only what was received', () => {
    let claim = addResolution(claimOf('3', 'wrong_item'), { kind: 'return', quantity: q('3') }, ORDER_LINE);
    const err = domainErrorOf(() => receiveReturn(claim, 0, { quantity: q('3.0001'), disposition: 'restock' }));
    expect(err).toMatchObject({ code: 'quantity_exceeds_open', param: 'quantity' });
    claim = receiveReturn(claim, 0, { quantity: q('2'), disposition: 'restock' });
    expect(claim.resolutions[0]).toEqual({
      kind: 'return',
      quantity: q('3'),
      status: 'received',
      received: { quantity: q('2'), disposition: 'restock' },
    });
    const { creditRequest } = requestCredit(claim, 0, ORDER_LINE, NOTHING_CREDITED);
    expect(creditRequest?.quantity).toEqual(q('2'));
    expect(creditRequest?.netMinor).toBe(173_153n); // round(2 597.30 × 2/3)
  });

  it('a return of which nothing came back completes without a credit request', () => {
    let claim = addResolution(claimOf('1', 'wrong_item'), { kind: 'return', quantity: q('1') }, ORDER_LINE);
    claim = receiveReturn(claim, 0, { quantity: q('0'), disposition: 'scrap' });
    const result = requestCredit(claim, 0, ORDER_LINE, NOTHING_CREDITED);
    expect(result.creditRequest).toBeNull();
    expect(result.claim.status).toBe('resolved');
  });

  it('a credit resolution requests the credit for its quantity', () => {
    const claim = addResolution(claimOf('1', 'not_as_described'), { kind: 'credit', quantity: q('1') }, ORDER_LINE);
    const result = requestCredit(claim, 0, ORDER_LINE, { quantity: q('2'), net: sek(173_153n) });
    expect(result.creditRequest).toMatchObject({ kind: 'credit', quantity: q('1'), netMinor: 86_577n });
    expect(result.claim.status).toBe('resolved');
  });

  it('several resolutions together cover at most the claimed quantity', () => {
    let claim = addResolution(claimOf('2'), { kind: 'replacement', quantity: q('1') }, ORDER_LINE);
    claim = addResolution(claim, { kind: 'return', quantity: q('1') }, ORDER_LINE);
    const err = domainErrorOf(() => addResolution(claim, { kind: 'credit', quantity: q('0.0001') }, ORDER_LINE));
    expect(err).toMatchObject({ code: 'quantity_exceeds_open', param: 'resolution.quantity' });
    expect(domainErrorOf(() => addResolution(claim, { kind: 'credit', quantity: q('0') }, ORDER_LINE)).param).toBe('resolution.quantity');
    // a return received short frees the rest of its quantity for another resolution
    claim = receiveReturn(claim, 1, { quantity: q('0.5'), disposition: 'restock' });
    claim = addResolution(claim, { kind: 'credit', quantity: q('0.5') }, ORDER_LINE);
    expect(claim.resolutions).toHaveLength(3);
    // resolved only when every resolution is complete, in any order
    claim = requestCredit(claim, 2, ORDER_LINE, NOTHING_CREDITED).claim;
    claim = requestCredit(claim, 1, ORDER_LINE, { quantity: q('0.5'), net: sek(43_288n) }).claim;
    expect(claim.status).toBe('open');
    expect(domainErrorOf(() => resolveClaim(claim)).message).toBe('Cannot resolve claim clm_1: resolution 0 is not complete');
    claim = shipReplacement(claim, 0);
    expect(claim.status).toBe('resolved');
    expect(domainErrorOf(() => addResolution(claim, { kind: 'credit', quantity: q('0.1') }, ORDER_LINE)).code).toBe('conflict');
  });

  it('a claim without resolutions cannot be resolved', () => {
    expect(domainErrorOf(() => resolveClaim(claimOf('1'))).code).toBe('conflict');
  });
});

describe('price concessions', () => {
  it('are bounded by the net of the claimed quantity at the order price', () => {
    const claim = claimOf('1');
    expect(concessionCap(claim, ORDER_LINE)).toEqual(sek(86_577n));
    const err = domainErrorOf(() => addResolution(claim, { kind: 'price_concession', amount: sek(86_578n) }, ORDER_LINE));
    expect(err).toMatchObject({ code: 'unprocessable', param: 'resolution.amount' });
    expect(err.message).toBe(
      'Claim clm_1: price concessions of 865.78 would exceed 865.77 SEK, the order value of the claimed quantity not otherwise resolved',
    );
    const ok = addResolution(claim, { kind: 'price_concession', amount: sek(50_000n) }, ORDER_LINE);
    expect(domainErrorOf(() => addResolution(ok, { kind: 'price_concession', amount: sek(36_578n) }, ORDER_LINE)).code).toBe('unprocessable');
    const both = addResolution(ok, { kind: 'price_concession', amount: sek(36_577n) }, ORDER_LINE);
    const first = requestCredit(both, 0, ORDER_LINE, NOTHING_CREDITED);
    expect(first.creditRequest).toMatchObject({ kind: 'price_concession', quantity: null, netMinor: 50_000n, reason: 'damaged' });
    expect(requestCredit(first.claim, 1, ORDER_LINE, NOTHING_CREDITED).claim.status).toBe('resolved');
  });

  it('the whole claimed line is capped at exactly the frozen line net', () => {
    expect(concessionCap(claimOf('3'), ORDER_LINE)).toEqual(ORDER_LINE.orderedNet);
  });

  it('cover only the claimed quantity that no other resolution takes up, whichever comes first', () => {
    const withCredit = addResolution(claimOf('2'), { kind: 'credit', quantity: q('1') }, ORDER_LINE);
    expect(concessionCap(withCredit, ORDER_LINE)).toEqual(sek(86_577n));
    expect(domainErrorOf(() => addResolution(withCredit, { kind: 'price_concession', amount: sek(86_578n) }, ORDER_LINE)).code).toBe(
      'unprocessable',
    );
    const withConcession = addResolution(claimOf('2'), { kind: 'price_concession', amount: sek(100_000n) }, ORDER_LINE);
    expect(domainErrorOf(() => addResolution(withConcession, { kind: 'replacement', quantity: q('1') }, ORDER_LINE)).code).toBe(
      'unprocessable',
    );
  });

  it('must be positive and in the order currency', () => {
    expect(domainErrorOf(() => addResolution(claimOf('1'), { kind: 'price_concession', amount: sek(0n) }, ORDER_LINE))).toMatchObject({
      code: 'validation_failed',
      param: 'resolution.amount',
    });
    expect(
      domainErrorOf(() => addResolution(claimOf('1'), { kind: 'price_concession', amount: money(100n, 'EUR') }, ORDER_LINE)).code,
    ).toBe('currency_mismatch');
  });
});

describe('rejection', () => {
  it('needs a reason for the customer', () => {
    for (const reason of ['', '   ', 'x'.repeat(2001)]) {
      expect(domainErrorOf(() => rejectClaim(claimOf('1'), reason))).toMatchObject({ code: 'validation_failed', param: 'reason' });
    }
    const rejected = rejectClaim(claimOf('1'), '  The damage is not covered: the goods were opened and used. ');
    expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'The damage is not covered: the goods were opened and used.' });
    expect(dunningPaused([rejected])).toBe(false);
    expect(domainErrorOf(() => rejectClaim(rejected, 'again')).code).toBe('conflict');
    expect(domainErrorOf(() => addResolution(rejected, { kind: 'credit', quantity: q('1') }, ORDER_LINE)).code).toBe('conflict');
  });

  it('is possible with proposed resolutions, not once one is under way', () => {
    const proposed = addResolution(claimOf('1'), { kind: 'return', quantity: q('1') }, ORDER_LINE);
    expect(rejectClaim(proposed, 'Not a defect').status).toBe('rejected');
    const received = receiveReturn(proposed, 0, { quantity: q('1'), disposition: 'scrap' });
    expect(domainErrorOf(() => rejectClaim(received, 'Not a defect')).message).toBe(
      'Cannot reject claim clm_1: resolution 0 is already under way',
    );
  });

  it('releases the claimed quantity', () => {
    const claims = [claimOf('1', 'damaged', 'clm_1'), rejectClaim(claimOf('1', 'damaged', 'clm_2'), 'No'), claimOf('0.5', 'other', 'clm_3')];
    expect(formatDecimal4(claimedQuantity(claims, deliveryId, 1))).toBe('1.5');
    expect(formatDecimal4(claimedQuantity(claims, deliveryId, 2))).toBe('0');
  });
});

describe('creditForQuantity', () => {
  const input = (quantity: string, alreadyCredited = '0', alreadyCreditedNet = 0n) => ({
    ordered: ORDER_LINE.ordered,
    orderedGross: sek(ORDER_LINE.orderedGross.minor),
    orderedNet: sek(ORDER_LINE.orderedNet.minor),
    alreadyCredited: q(alreadyCredited),
    alreadyCreditedNet: sek(alreadyCreditedNet),
    quantity: q(quantity),
    vatRate: pct('25'),
  });

  it('credits 1 then 2 of 3 × 999.00 (10 % off, 100.00 quote discount share): exactly the line in total', () => {
    expect(ORDER_LINE.orderedGross.minor).toBe(299_700n);
    expect(ORDER_LINE.orderedNet.minor).toBe(259_730n);
    const one = creditForQuantity(input('1'));
    expect([one.gross.minor, one.discount.minor, one.net.minor, one.vat.minor]).toEqual([99_900n, 13_323n, 86_577n, 21_644n]);
    const two = creditForQuantity(input('2', '1', one.net.minor));
    expect([two.gross.minor, two.discount.minor, two.net.minor, two.vat.minor]).toEqual([199_800n, 26_647n, 173_153n, 43_288n]);
    expect(one.net.minor + two.net.minor).toBe(ORDER_LINE.orderedNet.minor);
    expect(one.gross.minor + two.gross.minor).toBe(ORDER_LINE.orderedGross.minor);
    expect(Object.isFrozen(two)).toBe(true);
  });

  it('refuses more than the ordered quantity in total', () => {
    const err = domainErrorOf(() => creditForQuantity(input('2.0001', '1', 86_577n)));
    expect(err).toMatchObject({ code: 'quantity_exceeds_open', param: 'quantity' });
    expect(err.message).toBe('Cannot credit 2.0001: 1 of 3 is already credited');
    expect(domainErrorOf(() => creditForQuantity(input('0'))).code).toBe('validation_failed');
  });

  it('rounds VAT with VAT_ROUNDING (half away from zero)', () => {
    // 0.5 units: net round(259 730 / 6) = 43 288 (43 288.33); VAT 10 822 exactly; at 12 %: 5 194.56 → 5 195
    expect(creditForQuantity(input('0.5')).vat.minor).toBe(10_822n);
    expect(creditForQuantity({ ...input('0.5'), vatRate: pct('12') }).vat.minor).toBe(5_195n);
    expect(creditForQuantity({ ...input('0.5'), vatRate: pct('0') }).vat.minor).toBe(0n);
  });

  it('property: random partial credits of a line never exceed and finally equal its frozen net', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 8n }), // ordered, scaled
        fc.bigInt({ min: 0n, max: 10n ** 12n }), // orderedNet
        fc.bigInt({ min: 0n, max: 10n ** 10n }), // orderedGross − orderedNet
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 8n }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('25', '12', '6', '0'),
        (orderedScaled, net, discount, parts, rate) => {
          const ordered: Quantity = { scaled: orderedScaled };
          let creditedQty = 0n;
          let creditedNet = 0n;
          for (const [i, part] of parts.entries()) {
            const remaining = orderedScaled - creditedQty;
            const last = i === parts.length - 1;
            const quantity = last || part >= remaining ? remaining : part;
            const c = creditForQuantity({
              ordered,
              orderedGross: sek(net + discount),
              orderedNet: sek(net),
              alreadyCredited: { scaled: creditedQty },
              alreadyCreditedNet: sek(creditedNet),
              quantity: { scaled: quantity },
              vatRate: pct(rate),
            });
            expect(c.net.minor >= 0n).toBe(true);
            expect(c.discount.minor >= 0n).toBe(true);
            expect(c.gross.minor - c.discount.minor).toBe(c.net.minor);
            creditedQty += quantity;
            creditedNet += c.net.minor;
            expect(creditedNet <= net).toBe(true);
            if (creditedQty === orderedScaled) break;
          }
          expect(creditedQty).toBe(orderedScaled);
          expect(creditedNet).toBe(net);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('dunning', () => {
  it('pauses while a claim on the invoice order lines is open', () => {
    const onLine1 = claimOf('1');
    const otherOrder: Claim = { ...claimOf('1', 'damaged', 'clm_2'), orderId: asId('order', 'ord_2') };
    const invoiceLines = [{ orderId, orderLineNo: 1 }];
    expect(claimsForOrderLines([onLine1, otherOrder], invoiceLines)).toEqual([onLine1]);
    expect(dunningPaused(claimsForOrderLines([otherOrder], invoiceLines))).toBe(false);
    expect(dunningPaused(claimsForOrderLines([onLine1, otherOrder], invoiceLines))).toBe(true);
    expect(dunningPaused([])).toBe(false);
    expect(dunningPaused([{ status: 'resolved' }, { status: 'rejected' }, { status: 'open' }])).toBe(true);
  });
});

describe('transition tables', () => {
  it('are frozen data', () => {
    for (const table of [REVIEW_TRANSITIONS, CLAIM_TRANSITIONS, REPLACEMENT_TRANSITIONS, RETURN_TRANSITIONS, CREDIT_TRANSITIONS]) {
      expect(Object.isFrozen(table)).toBe(true);
    }
  });

  it('credit requests are plain data', () => {
    const claim = addResolution(claimOf('1'), { kind: 'credit', quantity: q('1') }, ORDER_LINE);
    const request: CreditRequest | null = requestCredit(claim, 0, ORDER_LINE, NOTHING_CREDITED).creditRequest;
    expect(Object.isFrozen(request)).toBe(true);
    expect(domainErrorOf(() => requestCredit(claim, 5, ORDER_LINE, NOTHING_CREDITED))).toMatchObject({ param: 'resolution' });
  });
});
