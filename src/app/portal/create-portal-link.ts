/**
 * Makes a customer portal link for a sent quote version. The token is returned once, here, and only
 * its hash is stored; the link expires when the version's validity ends.
 */
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { QuoteId } from '../../core/shared/ids.js';
import type { PortalLinkRecord, QuoteRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { hashPortalToken, newPortalToken } from './tokens.js';

export async function createPortalLink(
  s: Store,
  env: Env,
  quoteId: QuoteId,
): Promise<{ link: PortalLinkRecord; token: string; quote: QuoteRecord }> {
  const quote = await s.quotes.get(quoteId);
  if (!quote) throw notFound('quote', quoteId);
  if (quote.status !== 'sent') {
    throw new DomainError('quote_not_sent', `Version ${quote.version} is ${quote.status}; a portal link can only be made for a sent version`);
  }
  const token = newPortalToken();
  const link: PortalLinkRecord = {
    id: env.ids.next('portalLink'),
    quoteId,
    tokenHash: hashPortalToken(token),
    expiresOn: quote.validUntil,
    revokedAt: null,
    createdAt: env.clock.now(),
    lastViewedAt: null,
  };
  await s.portal.insertLink(link);
  // Never the token (nor its hash) in the audit row or the event.
  await recordChange(s, env, {
    action: 'quote.portal_link_created',
    entityType: 'quote',
    entityId: quoteId,
    data: { linkId: link.id, version: quote.version, expiresOn: link.expiresOn },
  });
  return { link, token, quote };
}
