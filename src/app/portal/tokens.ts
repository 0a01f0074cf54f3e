/**
 * Portal tokens: 32 random bytes (256 bits) as base64url (43 characters), carried in the URL path.
 * The token is the customer's credential; only its SHA-256 (hex) is stored, so the database alone
 * cannot open a portal page.
 */
import { createHash, randomBytes } from 'node:crypto';

export const PORTAL_TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const newPortalToken = (): string => randomBytes(PORTAL_TOKEN_BYTES).toString('base64url');

export const hashPortalToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Only strings shaped like a token are looked up at all. */
export const isPortalTokenShaped = (token: string): boolean => TOKEN_PATTERN.test(token);

/** The URL path of the portal page for a token (the token in the path, never in a query string). */
export const portalPath = (token: string): string => `/portal/quotes/${token}`;
