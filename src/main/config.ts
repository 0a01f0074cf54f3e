/** Configuration from the environment, validated once at start-up. */
import { resolve } from 'node:path';

export interface Config {
  /** PostgreSQL connection string; unset = embedded PGlite under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  logLevel: string;
  timeZone: string;
  /** Q2C_PEPPOL_DROP_DIR: where sent invoices and credit notes are dropped as UBL files for an access point; unset = none. */
  peppolDropDir: string | undefined;
  /** Q2C_PASSWORD_PEPPER: keys password hashes, CSRF, reset tokens and TOTP secrets; unset = generated into <dataDir>/secret (embedded database only). */
  passwordPepper: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got '${env.PORT}'`);
  return {
    databaseUrl: env.DATABASE_URL && env.DATABASE_URL.trim() !== '' ? env.DATABASE_URL : undefined,
    dataDir: resolve(env.Q2C_DATA_DIR ?? './.q2c'),
    port,
    host: env.HOST ?? '127.0.0.1',
    logLevel: env.LOG_LEVEL ?? 'info',
    timeZone: env.Q2C_TIME_ZONE ?? 'Europe/Stockholm',
    passwordPepper: env.Q2C_PASSWORD_PEPPER && env.Q2C_PASSWORD_PEPPER.trim() !== '' ? env.Q2C_PASSWORD_PEPPER.trim() : undefined,
    peppolDropDir: env.Q2C_PEPPOL_DROP_DIR && env.Q2C_PEPPOL_DROP_DIR.trim() !== '' ? resolve(env.Q2C_PEPPOL_DROP_DIR.trim()) : undefined,
  };
}
