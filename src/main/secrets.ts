/**
 * The password pepper: from Q2C_PASSWORD_PEPPER, or, for the embedded database only, generated once
 * into <dataDir>/secret (mode 0600) so it survives restarts. With an external PostgreSQL the pepper
 * must be configured: several servers share that database and must share the pepper, and losing it
 * would make every password and TOTP secret unusable.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Secrets } from '../app/shared/env.js';
import type { Config } from './config.js';

export const MIN_PEPPER_LENGTH = 32;

export function loadSecrets(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'passwordPepper'>): Secrets {
  if (config.passwordPepper !== undefined) {
    if (config.passwordPepper.length < MIN_PEPPER_LENGTH) throw new Error(`Q2C_PASSWORD_PEPPER must be at least ${MIN_PEPPER_LENGTH} characters (e.g. \`openssl rand -base64 48\`)`);
    return { pepper: config.passwordPepper };
  }
  if (config.databaseUrl !== undefined) {
    throw new Error(
      'Q2C_PASSWORD_PEPPER is not set. With DATABASE_URL it must be: every server of this database needs the same pepper ' +
        '(generate one with `openssl rand -base64 48` and keep it safe; without it no password works).',
    );
  }
  const file = join(config.dataDir, 'secret');
  mkdirSync(config.dataDir, { recursive: true });
  try {
    // 'wx': create only if absent, so two processes starting at once cannot both write one
    writeFileSync(file, randomBytes(48).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  chmodSync(file, 0o600);
  const pepper = readFileSync(file, 'utf8').trim();
  if (pepper.length < MIN_PEPPER_LENGTH) throw new Error(`${file} holds no usable pepper (at least ${MIN_PEPPER_LENGTH} characters); remove it to have a new one made`);
  return { pepper };
}
