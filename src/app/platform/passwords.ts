/**
 * Password hashing and policy. A password is first keyed with the server's pepper (HMAC-SHA256), then
 * stretched with scrypt (memory-hard): a stolen database alone is not enough to test guesses, and with
 * the pepper every guess still costs a full scrypt. Stored as `scrypt$N$r$p$salt$hash` (base64), so
 * the cost can be raised later without breaking existing hashes.
 */
import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../core/shared/errors.js';
import type { Id } from '../../core/shared/ids.js';
import type { Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and tens of milliseconds per hash). */
const SCRYPT_N = 2 ** 15;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** What a stored hash may ask for: bounds, so a corrupt row cannot make a login burn a gigabyte. */
const MAX_N = 2 ** 20;

function stretch(input: Buffer, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(input, salt, KEY_LENGTH, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const peppered = (pepper: string, password: string): Buffer => createHmac('sha256', pepper).update(password, 'utf8').digest();

export async function hashPassword(pepper: string, password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await stretch(peppered(pepper, password), salt, SCRYPT_N, SCRYPT_R, SCRYPT_P);
  return `scrypt$${SCRYPT_N}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** A hash of a random password, verified against when there is no account, so the work (and time) is the same. */
let dummyHash: Promise<string> | undefined;
const dummy = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(32).toString('base64'), randomBytes(32).toString('base64')));

/**
 * True when the password matches the stored hash. With no stored hash (an unknown e-mail, an invited
 * user) a dummy hash is checked instead and the answer is false, so timing does not tell them apart.
 */
export async function verifyPassword(pepper: string, password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? (await dummy())).split('$');
  const [scheme, n, r, p, salt, hash] = parts;
  const N = Number(n);
  const R = Number(r);
  const P = Number(p);
  if (parts.length !== 6 || scheme !== 'scrypt' || !Number.isInteger(N) || N < 2 || N > MAX_N || (N & (N - 1)) !== 0 || !(R >= 1 && R <= 32) || !(P >= 1 && P <= 16)) {
    throw new Error('unreadable password hash');
  }
  const expected = Buffer.from(hash ?? '', 'base64');
  const actual = await stretch(peppered(pepper, password), Buffer.from(salt ?? '', 'base64'), N, R, P);
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  return stored !== null && same;
}

/** 12–256 characters and not the e-mail address (a password manager's output passes; "password" does not). */
export function checkPasswordPolicy(password: string, email: string, field: string): void {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new DomainError('validation_failed', `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long`, field);
  }
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    throw new DomainError('validation_failed', 'must not be the e-mail address', field);
  }
}

/** A strong random password (24 characters, about 143 bits), for the CLI and the demo. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * A signed-in user changes their own password: the current one must match. Every other session of
 * the user ends (whoever else holds one is signed out); the session making the change stays.
 */
export async function changeOwnPassword(
  s: Store,
  env: Env,
  pepper: string,
  input: { userId: Id<'user'>; currentPassword: string; newPassword: string; keepSession?: Id<'session'> | undefined },
): Promise<{ sessionsRevoked: number }> {
  const user = await s.users.getForUpdate(input.userId);
  if (!user || !user.active) throw new DomainError('unauthenticated', 'Sign in again');
  if (!(await verifyPassword(pepper, input.currentPassword, user.passwordHash))) {
    throw new DomainError('validation_failed', 'is not correct', 'current_password');
  }
  checkPasswordPolicy(input.newPassword, user.email, 'new_password');
  const at = env.clock.now();
  await s.users.setPassword(user.id, await hashPassword(pepper, input.newPassword), at);
  const revoked = await s.sessions.revokeAllOf(user.id, at, input.keepSession);
  await recordChange(s, env, { action: 'user.password_changed', entityType: 'user', entityId: user.id, data: { sessions_revoked: revoked } });
  return { sessionsRevoked: revoked };
}
