import { describe, expect, it } from 'vitest';
import { DomainError } from '../shared/errors.js';
import {
  DELIVERY_ACTIONS,
  DELIVERY_STATUSES,
  DELIVERY_TRANSITIONS,
  INVOICE_ACTIONS,
  INVOICE_STATUSES,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  ORDER_TRANSITIONS,
  QUOTE_ACTIONS,
  QUOTE_STATUSES,
  QUOTE_TRANSITIONS,
  nextDeliveryStatus,
  nextInvoiceStatus,
  nextOrderStatus,
  nextQuoteStatus,
  type QuoteAction,
  type QuoteStatus,
} from './lifecycle.js';

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
 * Every (status, action) pair of a machine against the allowed transitions, written out by hand here:
 * allowed pairs return the target, all others throw the expected code and name the current status.
 */
function checkMachine<S extends string, A extends string>(
  statuses: readonly S[],
  actions: readonly A[],
  nextStatus: (from: S, action: A) => S,
  allowed: Record<string, S>,
  errorFor: Record<A, string>,
): void {
  let allowedSeen = 0;
  for (const from of statuses) {
    for (const action of actions) {
      const key = `${from} ${action}`;
      const target = allowed[key];
      if (target !== undefined) {
        allowedSeen++;
        expect(nextStatus(from, action), key).toBe(target);
      } else {
        const err = domainErrorOf(() => nextStatus(from, action));
        expect(err.code, key).toBe(errorFor[action]);
        expect(err.message, key).toContain(`'${from}'`);
      }
    }
  }
  expect(allowedSeen).toBe(Object.keys(allowed).length);
}

describe('quote lifecycle', () => {
  it('allows exactly send, accept, decline, expire from their statuses', () => {
    checkMachine(
      QUOTE_STATUSES,
      QUOTE_ACTIONS,
      nextQuoteStatus,
      { 'draft send': 'sent', 'sent accept': 'accepted', 'sent decline': 'declined', 'sent expire': 'expired' },
      { send: 'quote_not_draft', accept: 'quote_not_sent', decline: 'quote_not_sent', expire: 'quote_not_sent' },
    );
  });

  it('says what the quote is', () => {
    const err = domainErrorOf(() => nextQuoteStatus('accepted', 'send'));
    expect(err).toMatchObject({ code: 'quote_not_draft', param: undefined });
    expect(err.message).toBe("Cannot send quote: it is 'accepted'; only a quote that is 'draft' can be sent");
  });

  it('refuses an unknown action from untrusted input', () => {
    const err = domainErrorOf(() => nextQuoteStatus('draft', 'toString' as QuoteAction));
    expect(err).toMatchObject({ code: 'validation_failed', param: 'action' });
    expect(domainErrorOf(() => nextQuoteStatus('draft', 'approve' as QuoteAction)).code).toBe('validation_failed');
  });

  it('has terminal statuses with no way out', () => {
    for (const terminal of ['accepted', 'declined', 'expired'] as QuoteStatus[]) {
      for (const action of QUOTE_ACTIONS) expect(() => nextQuoteStatus(terminal, action)).toThrow(DomainError);
    }
  });
});

describe('order lifecycle', () => {
  it('allows confirm, hold, release, amend, cancel and close from their statuses', () => {
    checkMachine(
      ORDER_STATUSES,
      ORDER_ACTIONS,
      nextOrderStatus,
      {
        'unconfirmed confirm': 'confirmed',
        'unconfirmed hold': 'on_hold',
        'on_hold release': 'confirmed',
        'unconfirmed amend': 'unconfirmed',
        'on_hold amend': 'unconfirmed',
        'confirmed amend': 'unconfirmed',
        'unconfirmed cancel': 'cancelled',
        'on_hold cancel': 'cancelled',
        'confirmed cancel': 'cancelled',
        'confirmed close': 'closed',
      },
      {
        confirm: 'order_not_confirmable',
        hold: 'order_not_confirmable',
        release: 'order_not_on_hold',
        amend: 'order_not_amendable',
        cancel: 'conflict',
        close: 'order_not_confirmed',
      },
    );
  });

  it('names the allowed statuses when cancel is refused', () => {
    expect(domainErrorOf(() => nextOrderStatus('closed', 'cancel')).message).toBe(
      "Cannot cancel order: it is 'closed'; only an order that is 'unconfirmed' or 'on_hold' or 'confirmed' can be cancelled",
    );
  });
});

describe('delivery lifecycle', () => {
  it('picks, packs (either may be skipped), ships, delivers; cancels before shipping', () => {
    checkMachine(
      DELIVERY_STATUSES,
      DELIVERY_ACTIONS,
      nextDeliveryStatus,
      {
        'created pick': 'picked',
        'created pack': 'packed',
        'picked pack': 'packed',
        'created ship': 'shipped',
        'picked ship': 'shipped',
        'packed ship': 'shipped',
        'shipped deliver': 'delivered',
        'created cancel': 'cancelled',
        'picked cancel': 'cancelled',
        'packed cancel': 'cancelled',
      },
      { pick: 'delivery_not_shippable', pack: 'delivery_not_shippable', ship: 'delivery_not_shippable', deliver: 'delivery_not_deliverable', cancel: 'delivery_not_shippable' },
    );
  });
});

describe('invoice lifecycle', () => {
  it('issues a draft only', () => {
    checkMachine(INVOICE_STATUSES, INVOICE_ACTIONS, nextInvoiceStatus, { 'draft issue': 'issued' }, { issue: 'invoice_not_draft' });
    expect(domainErrorOf(() => nextInvoiceStatus('issued', 'issue')).message).toBe(
      "Cannot issue invoice: it is 'issued'; only an invoice that is 'draft' can be issued",
    );
  });
});

describe('transition tables', () => {
  it('are frozen data whose statuses exist', () => {
    const machines = [
      [QUOTE_TRANSITIONS, QUOTE_STATUSES],
      [ORDER_TRANSITIONS, ORDER_STATUSES],
      [DELIVERY_TRANSITIONS, DELIVERY_STATUSES],
    ] as const;
    for (const [table, statuses] of machines) {
      expect(Object.isFrozen(table)).toBe(true);
      for (const t of Object.values(table)) {
        expect(statuses).toContain(t.to);
        for (const f of t.from) expect(statuses).toContain(f);
      }
    }
  });
});
