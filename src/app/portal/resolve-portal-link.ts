/**
 * Resolving a portal token. First, outside any tenant, the token's hash finds the tenant (like an
 * API key); everything else then runs in that tenant's transaction: the link must exist and not be
 * revoked (else 404, as for a wrong token: nothing tells the two apart) and must not be past its
 * last valid day (PortalLinkExpired → 410 Gone).
 */
import { compareDates } from '../../core/shared/dates.js';
import { notFound } from '../../core/shared/errors.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { Database, PortalLinkRecord, QuoteRecord, Store } from '../ports.js';
import type { Actor, Env } from '../shared/env.js';
import { hashPortalToken, isPortalTokenShaped } from './tokens.js';

/** The link's validity has ended (after the quote's valid_until). */
export class PortalLinkExpired extends Error {
  override readonly name = 'PortalLinkExpired';
  constructor(readonly expiresOn: string) {
    super(`This link was valid until ${expiresOn}`);
  }
}

/** Never echoes the token: the error names no id. */
export const portalLinkNotFound = () => notFound('portal link', '…');

/** The tenant that holds the token, or undefined. */
export async function portalTenantOf(db: Database, token: string): Promise<TenantId | undefined> {
  if (!isPortalTokenShaped(token)) return undefined;
  const tenants = await db.platform.findPortalLinkTenants(hashPortalToken(token));
  // Two tenants with one 256-bit token's hash cannot happen by chance; refuse rather than guess.
  return tenants.length === 1 ? tenants[0] : undefined;
}

/** Whoever acts through a link is recorded as that link. */
export const portalActor = (tenantId: TenantId, link: Pick<PortalLinkRecord, 'id'>): Actor => ({ tenantId, actorId: `portal:${link.id}` });

export interface OpenedPortalLink {
  link: PortalLinkRecord;
  quote: QuoteRecord;
}

/** Inside the tenant's transaction: the live link for the token and its quote version. */
export async function openPortalLink(s: Store, env: Pick<Env, 'clock'>, token: string): Promise<OpenedPortalLink> {
  if (!isPortalTokenShaped(token)) throw portalLinkNotFound();
  const link = await s.portal.getLinkByTokenHash(hashPortalToken(token));
  if (!link || link.revokedAt !== null) throw portalLinkNotFound();
  if (compareDates(env.clock.today(), link.expiresOn) > 0) throw new PortalLinkExpired(link.expiresOn);
  const quote = await s.quotes.get(link.quoteId);
  if (!quote) throw portalLinkNotFound();
  return { link, quote };
}
