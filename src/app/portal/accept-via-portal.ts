/**
 * The customer accepts the linked version in the portal, with their typed name, consent and choice of
 * optional lines. Idempotent: once the version is accepted (through any link or the staff API),
 * accepting again makes no second order but returns the existing one.
 */
import type { OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { acceptQuote } from '../quotes/accept-quote.js';
import { openPortalLink, portalLinkNotFound } from './resolve-portal-link.js';

export interface PortalAcceptInput {
  signerName: string;
  consent: boolean;
  /** The chosen optional lines; undefined = the version's own selection. */
  selectedOptionalLineKeys: readonly string[] | undefined;
  ip: string | null;
  userAgent: string | null;
}

export async function acceptViaPortal(
  s: Store,
  env: Env,
  token: string,
  input: PortalAcceptInput,
): Promise<{ order: OrderRecord; alreadyAccepted: boolean }> {
  const { quote } = await openPortalLink(s, env, token);
  // Lock first, so of two concurrent accepts the second sees the first's result.
  const locked = await s.quotes.getForUpdate(quote.id);
  if (!locked) throw portalLinkNotFound();
  if (locked.status === 'accepted') {
    const orderId = await s.portal.orderIdForQuote(locked.id);
    const order = orderId === undefined ? undefined : await s.orders.get(orderId);
    if (order) return { order, alreadyAccepted: true };
  }
  const order = await acceptQuote(s, env, locked.id, {
    selectedOptionalLineKeys: input.selectedOptionalLineKeys,
    acceptance: { signerName: input.signerName, consent: input.consent, ip: input.ip, userAgent: input.userAgent },
  });
  return { order, alreadyAccepted: false };
}
