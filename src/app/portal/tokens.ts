/**
 * Portal tokens: 32 random bytes (256 bits) as base64url (43 characters), carried in the URL path.
 * The token is the customer's credential; only its SHA-256 (hex) is stored, so the database alone
 * cannot open a portal page.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

export const PORTAL_TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const newPortalToken = (): string => randomBytes(PORTAL_TOKEN_BYTES).toString('base64url');

/**
 * A token derived from a server secret and the request that asks for it (e.g. tenant, invoice and
 * Idempotency-Key): a retry of that request gets the same token, so the link can be returned again
 * without the token ever being stored. 256 bits of HMAC-SHA256, shaped like a random token; without
 * the secret it cannot be told from one nor recomputed.
 */
export const derivedPortalToken = (secret: string, ...parts: string[]): string =>
  createHmac('sha256', secret).update(['q2c-portal-token', ...parts].map((p) => `${p.length}:${p}`).join('|'), 'utf8').digest('base64url');

export const hashPortalToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Only strings shaped like a token are looked up at all. */
export const isPortalTokenShaped = (token: string): boolean => TOKEN_PATTERN.test(token);

/** The URL path of the portal page for a token (the token in the path, never in a query string). */
export const portalPath = (token: string): string => `/portal/quotes/${token}`;
