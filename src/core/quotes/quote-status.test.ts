import { describe, expect, it } from 'vitest';
import { DomainError, DOMAIN_ERROR_CODES } from '../shared/errors.js';
import {
  FINAL_QUOTE_VERSION_STATUSES,
  QUOTE_VERSION_ACTIONS,
  QUOTE_VERSION_STATUSES,
  QUOTE_VERSION_TRANSITIONS,
  isEditable,
  isFinal,
  nextQuoteVersionStatus,
} from './quote-status.js';
import type { QuoteVersionAction, QuoteVersionStatus } from './quote-status.js';

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
 * The machine written out by hand, independently of the table: every allowed (status, action) pair
 * with its target. 'draft send' is listed separately because it depends on approvalRequired.
 */
const ALLOWED: Record<string, QuoteVersionStatus> = {
  'draft request_approval': 'awaiting_approval',
  'awaiting_approval approve': 'approved',
  'awaiting_approval reject_approval': 'draft',
  'approved send': 'sent',
  'sent accept': 'accepted',
  'sent decline': 'declined',
  'sent supersede': 'superseded',
  'draft expire': 'expired',
  'awaiting_approval expire': 'expired',
  'approved expire': 'expired',
  'sent expire': 'expired',
};

const REFUSED_WITH: Record<QuoteVersionAction, string> = {
  request_approval: 'quote_not_draft',
  approve: 'conflict',
  reject_approval: 'conflict',
  send: 'quote_not_draft',
  accept: 'quote_not_sent',
  decline: 'quote_not_sent',
  expire: 'conflict',
  supersede: 'quote_not_sent',
};

describe('quote version lifecycle', () => {
  it('decides every (status, action) pair, with and without approval required', () => {
    let cases = 0;
    for (const from of QUOTE_VERSION_STATUSES) {
      for (const action of QUOTE_VERSION_ACTIONS) {
        for (const approvalRequired of [false, true]) {
          cases++;
          const key = `${from} ${action}`;
          const label = `${key} (approvalRequired ${approvalRequired})`;
          const run = () => nextQuoteVersionStatus(from, action, { approvalRequired });
          if (key === 'draft send') {
            if (approvalRequired) {
              const err = domainErrorOf(run);
              expect(err.code, label).toBe('conflict');
              expect(err.message, label).toContain('needs approval');
            } else {
              expect(run(), label).toBe('sent');
            }
            continue;
          }
          const target = ALLOWED[key];
          if (target !== undefined) {
            expect(run(), label).toBe(target);
            // options do not matter outside 'draft send'
            expect(nextQuoteVersionStatus(from, action), label).toBe(target);
          } else {
            const err = domainErrorOf(run);
            expect(err.code, label).toBe(REFUSED_WITH[action]);
            expect(err.message, label).toContain(`it is '${from}'`);
          }
        }
      }
    }
    expect(cases).toBe(8 * 8 * 2);
  });

  it('uses only existing error codes', () => {
    for (const t of Object.values(QUOTE_VERSION_TRANSITIONS)) expect(DOMAIN_ERROR_CODES).toContain(t.error);
  });

  it('says what the quote is and what it would have to be', () => {
    expect(domainErrorOf(() => nextQuoteVersionStatus('accepted', 'send', { approvalRequired: false })).message).toBe(
      "Cannot send quote: it is 'accepted'; only a quote that is 'draft' or 'approved' can be sent",
    );
    expect(domainErrorOf(() => nextQuoteVersionStatus('declined', 'expire')).message).toBe(
      "Cannot expire quote: it is 'declined'; only a quote that is 'draft', 'awaiting_approval', 'approved' or 'sent' can be expired",
    );
    expect(domainErrorOf(() => nextQuoteVersionStatus('draft', 'reject_approval')).message).toBe(
      "Cannot reject approval of quote: it is 'draft'; only a quote that is 'awaiting_approval' can be rejected",
    );
    expect(domainErrorOf(() => nextQuoteVersionStatus('sent', 'request_approval')).message).toBe(
      "Cannot request approval for quote: it is 'sent'; only a quote that is 'draft' can be submitted for approval",
    );
  });

  it('refuses to guess whether a draft needs approval', () => {
    expect(() => nextQuoteVersionStatus('draft', 'send')).toThrow(/approvalRequired/);
    expect(() => nextQuoteVersionStatus('draft', 'send')).not.toThrow(DomainError);
  });

  it('refuses an unknown action from untrusted input', () => {
    for (const action of ['toString', 'constructor', 'issue', '']) {
      const err = domainErrorOf(() => nextQuoteVersionStatus('draft', action as QuoteVersionAction));
      expect(err).toMatchObject({ code: 'validation_failed', param: 'action' });
    }
  });

  it('has final statuses with no way out, and every other status has one', () => {
    for (const status of QUOTE_VERSION_STATUSES) {
      const exits = QUOTE_VERSION_ACTIONS.filter((action) => {
        try {
          nextQuoteVersionStatus(status, action, { approvalRequired: false });
          return true;
        } catch {
          return false;
        }
      });
      expect(isFinal(status), status).toBe(exits.length === 0);
    }
    expect([...FINAL_QUOTE_VERSION_STATUSES].sort()).toEqual(['accepted', 'declined', 'expired', 'superseded']);
  });

  it('lets only a draft be edited', () => {
    expect(QUOTE_VERSION_STATUSES.filter(isEditable)).toEqual(['draft']);
  });

  it('is a frozen table whose statuses exist', () => {
    expect(Object.isFrozen(QUOTE_VERSION_TRANSITIONS)).toBe(true);
    expect(Object.keys(QUOTE_VERSION_TRANSITIONS).sort()).toEqual([...QUOTE_VERSION_ACTIONS].sort());
    for (const t of Object.values(QUOTE_VERSION_TRANSITIONS)) {
      expect(QUOTE_VERSION_STATUSES).toContain(t.to);
      for (const f of t.from) expect(QUOTE_VERSION_STATUSES).toContain(f);
    }
  });
});
