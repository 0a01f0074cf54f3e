/** The customer declines the linked version in the portal, with a reason (declineQuote). */
import type { QuoteRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { declineQuote } from '../quotes/decline-quote.js';
import { openPortalLink } from './resolve-portal-link.js';

export async function declineViaPortal(s: Store, env: Env, token: string, input: { reason: string }): Promise<QuoteRecord> {
  const { quote } = await openPortalLink(s, env, token);
  return declineQuote(s, env, quote.id, input);
}
