/** Revokes a portal link: its token then answers 404, like one that never existed. */
import { notFound } from '../../core/shared/errors.js';
import type { Id, QuoteId } from '../../core/shared/ids.js';
import type { PortalLinkRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export async function revokePortalLink(s: Store, env: Env, quoteId: QuoteId, linkId: Id<'portalLink'>): Promise<PortalLinkRecord> {
  const link = await s.portal.getLink(linkId);
  if (!link || link.quoteId !== quoteId) throw notFound('portal link', linkId);
  if (link.revokedAt !== null) return link; // revoking twice changes nothing
  const at = env.clock.now();
  if (await s.portal.revokeLink(linkId, at)) {
    await recordChange(s, env, { action: 'quote.portal_link_revoked', entityType: 'quote', entityId: quoteId, data: { linkId } });
    return { ...link, revokedAt: at };
  }
  return (await s.portal.getLink(linkId)) ?? link;
}
