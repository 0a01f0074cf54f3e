/**
 * A second factor by TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step either side for clock
 * drift). Enrolment hands out a secret that stays pending until a code from it is confirmed. The secret
 * is stored encrypted (AES-256-GCM with a key derived from the pepper by HKDF), so the database alone
 * cannot mint codes. Each accepted code's step is recorded and a code is never accepted twice.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { DomainError } from '../../core/shared/errors.js';
import type { Id } from '../../core/shared/ids.js';
import type { Store, UserRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { verifyPassword } from './passwords.js';

export const TOTP_ISSUER = 'q2c';
const PERIOD_S = 30;
const DIGITS = 6;
/** Steps accepted either side of now. */
const WINDOW = 1;

function secretKey(pepper: string): Buffer {
  return Buffer.from(hkdfSync('sha256', pepper, 'q2c', 'totp-secret-v1', 32));
}

/** `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptTotpSecret(pepper: string, base32: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secretKey(pepper), iv);
  const ct = Buffer.concat([cipher.update(base32, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decryptTotpSecret(pepper: string, stored: string): string {
  const [v, iv, tag, ct] = stored.split('.');
  if (v !== 'v1' || iv === undefined || tag === undefined || ct === undefined) throw new Error('unreadable TOTP secret');
  const decipher = createDecipheriv('aes-256-gcm', secretKey(pepper), Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

const totpOf = (base32: string, label: string): TOTP =>
  new TOTP({ issuer: TOTP_ISSUER, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_S, secret: Secret.fromBase32(base32) });

/** The step a code is valid for at `now` (±1 step), or null. */
export function totpStepOf(base32: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpOf(base32, 'x').validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD_S) + delta;
}

/**
 * Checks a code of a user with TOTP enabled and uses up its step. Wrong or already used (replay)
 * → 401 naming `field`.
 */
export async function useTotpCode(s: Store, env: Env, pepper: string, user: UserRecord, code: string, field: string): Promise<void> {
  if (user.totpSecretEnc === null) throw new Error('the user has no TOTP secret');
  const step = totpStepOf(decryptTotpSecret(pepper, user.totpSecretEnc), code, env.clock.now());
  if (step === null) throw new DomainError('unauthenticated', 'The authenticator code is not correct', field);
  if (!(await s.users.useTotpStep(user.id, step))) throw new DomainError('unauthenticated', 'This authenticator code was already used; wait for the next one', field);
}

/** Starts enrolment: a new pending secret (replacing an earlier pending one) and its otpauth:// URI for a QR code. */
export async function startTotpEnrolment(s: Store, env: Env, pepper: string, userId: Id<'user'>): Promise<{ secret: string; otpauthUri: string }> {
  const user = await s.users.getForUpdate(userId);
  if (!user) throw new DomainError('not_found', 'No such user');
  if (user.totpEnabledAt !== null) throw new DomainError('conflict', 'Two-factor sign-in is already on; turn it off first to enrol a new device');
  const secret = new Secret({ size: 20 }).base32;
  await s.users.setTotp(user.id, encryptTotpSecret(pepper, secret), null, env.clock.now());
  return { secret, otpauthUri: totpOf(secret, user.email).toString() };
}

/** Confirms enrolment with a code from the pending secret; from then on sign-in needs a code. */
export async function confirmTotpEnrolment(s: Store, env: Env, pepper: string, userId: Id<'user'>, code: string): Promise<UserRecord> {
  const user = await s.users.getForUpdate(userId);
  if (!user) throw new DomainError('not_found', 'No such user');
  if (user.totpEnabledAt !== null) throw new DomainError('conflict', 'Two-factor sign-in is already on');
  if (user.totpSecretEnc === null) throw new DomainError('conflict', 'Start the enrolment first (POST /v1/me/totp)');
  const step = totpStepOf(decryptTotpSecret(pepper, user.totpSecretEnc), code, env.clock.now());
  if (step === null || !(await s.users.useTotpStep(user.id, step))) throw new DomainError('validation_failed', 'is not correct (or was already used); enter the current code', 'code');
  const at = env.clock.now();
  await s.users.setTotp(user.id, user.totpSecretEnc, at, at);
  await recordChange(s, env, { action: 'user.totp_enabled', entityType: 'user', entityId: user.id });
  return { ...user, totpEnabledAt: at, totpLastStep: step };
}

/** Turns the second factor off; the password must be given again. */
export async function disableTotp(s: Store, env: Env, pepper: string, userId: Id<'user'>, password: string): Promise<void> {
  const user = await s.users.getForUpdate(userId);
  if (!user) throw new DomainError('not_found', 'No such user');
  if (!(await verifyPassword(pepper, password, user.passwordHash))) throw new DomainError('validation_failed', 'is not correct', 'password');
  if (user.totpSecretEnc === null) throw new DomainError('conflict', 'Two-factor sign-in is not on');
  await s.users.setTotp(user.id, null, null, env.clock.now());
  await recordChange(s, env, { action: 'user.totp_disabled', entityType: 'user', entityId: user.id });
}
