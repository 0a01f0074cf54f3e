/**
 * Customer portal links to an order (to confirm it or ask for changes), a delivery (to confirm
 * receipt or report a problem) or an issued invoice (to see it, its PDF and how to pay it). As for quotes (tokens.ts): 256-bit tokens in the URL path, only
 * their SHA-256 stored, revocable, expiring; a wrong or revoked token is 404, an expired one 410.
 */
import { addDays, compareDates, type LocalDate } from '../../core/shared/dates.js';
import { notFound } from '../../core/shared/errors.js';
import type { Id, TenantId } from '../../core/shared/ids.js';
import type { DocumentLinkRecord, DocumentLinkSubject, Store } from '../ports.js';
import type { Actor, Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { PortalLinkExpired, portalLinkNotFound } from './resolve-portal-link.js';
import { hashPortalToken, isPortalTokenShaped, newPortalToken } from './tokens.js';

/** How long an order, delivery or invoice link works when the caller gives no date. */
export const DOCUMENT_LINK_DAYS = 90;

const PORTAL_SEGMENTS: Record<DocumentLinkSubject, string> = { order: 'orders', delivery: 'deliveries', invoice: 'invoices' };

/** The URL path of the portal page: /portal/orders/<token>, /portal/deliveries/<token> or /portal/invoices/<token>. */
export const documentPortalPath = (subject: DocumentLinkSubject, token: string): string => `/portal/${PORTAL_SEGMENTS[subject]}/${token}`;

/**
 * Makes a link; the token is returned once, here. The caller checks that the subject exists. A caller
 * may hand in the token (one derived from a server secret, tokens.ts derivedPortalToken); else a
 * random one is made.
 */
export async function createDocumentLink(
  s: Store,
  env: Env,
  subjectType: DocumentLinkSubject,
  subjectId: string,
  expiresOn?: LocalDate,
  givenToken?: string,
): Promise<{ link: DocumentLinkRecord; token: string; path: string }> {
  const token = givenToken ?? newPortalToken();
  const link: DocumentLinkRecord = {
    id: env.ids.next('documentPortalLink'),
    subjectType,
    subjectId,
    tokenHash: hashPortalToken(token),
    expiresOn: expiresOn ?? addDays(env.clock.today(), DOCUMENT_LINK_DAYS),
    revokedAt: null,
    createdAt: env.clock.now(),
    lastViewedAt: null,
  };
  await s.documentLinks.insert(link);
  // Never the token (nor its hash) in the audit row.
  await recordChange(s, env, {
    action: `${subjectType}.portal_link_created`,
    entityType: subjectType,
    entityId: subjectId,
    data: { linkId: link.id, expiresOn: link.expiresOn },
  });
  return { link, token, path: documentPortalPath(subjectType, token) };
}

/**
 * Inside the tenant's transaction (the tenant found with portalTenantOf): the live link of this
 * subject type for the token. Throws not_found for a wrong, revoked or other-type token and
 * PortalLinkExpired after its last day.
 */
export async function openDocumentLink(s: Store, env: Pick<Env, 'clock'>, subjectType: DocumentLinkSubject, token: string): Promise<DocumentLinkRecord> {
  if (!isPortalTokenShaped(token)) throw portalLinkNotFound();
  const link = await s.documentLinks.getByTokenHash(hashPortalToken(token));
  if (!link || link.revokedAt !== null || link.subjectType !== subjectType) throw portalLinkNotFound();
  if (compareDates(env.clock.today(), link.expiresOn) > 0) throw new PortalLinkExpired(link.expiresOn);
  return link;
}

/** Whoever acts through a link is recorded as that link. */
export const documentLinkActor = (tenantId: TenantId, link: Pick<DocumentLinkRecord, 'id'>): Actor => ({ tenantId, actorId: `portal:${link.id}` });

/**
 * Revokes a portal link of this subject (404 if it is another subject's); revoking twice changes
 * nothing. Its token then answers 404, like one that never existed.
 */
export async function revokeDocumentLink(
  s: Store,
  env: Env,
  subjectType: DocumentLinkSubject,
  subjectId: string,
  linkId: Id<'documentPortalLink'>,
): Promise<DocumentLinkRecord> {
  const link = await s.documentLinks.get(linkId);
  if (!link || link.subjectType !== subjectType || link.subjectId !== subjectId) throw notFound('portal link', linkId);
  if (link.revokedAt !== null) return link;
  const at = env.clock.now();
  if (await s.documentLinks.revoke(linkId, at)) {
    await recordChange(s, env, { action: `${subjectType}.portal_link_revoked`, entityType: subjectType, entityId: subjectId, data: { linkId } });
    return { ...link, revokedAt: at };
  }
  return (await s.documentLinks.get(linkId)) ?? link;
}
