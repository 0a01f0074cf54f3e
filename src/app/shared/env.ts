import type { AccountMap } from '../../core/ledger/accounts.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { Clock, Database } from '../ports.js';
import type { IdGenerator } from './ids.js';

/** Who is acting: an API key id, a user, or 'cli' / 'system'. Written to every audit row. */
export interface Actor {
  tenantId: TenantId;
  actorId: string;
  /** The API key's role ('admin', 'sales_manager', 'sales', …) when known; decides who may approve. */
  role?: string;
}

/** What every use case gets besides its transaction: time, ids, the acting party and the chart mapping. */
export interface Env {
  clock: Clock;
  ids: IdGenerator;
  actor: Actor;
  accounts: AccountMap;
}

/** The application's wiring: the database plus the environment factory. */
export interface AppDeps {
  db: Database;
  clock: Clock;
  ids: IdGenerator;
  accounts: AccountMap;
  /** Server-side secrets: the pepper keys password hashes, session CSRF tokens, reset tokens and TOTP secrets. */
  secrets: Secrets;
}

export interface Secrets {
  /** Never stored in the database (Q2C_PASSWORD_PEPPER, or <dataDir>/secret for the embedded database). */
  pepper: string;
}

export const envFor = (deps: AppDeps, actor: Actor): Env => ({
  clock: deps.clock,
  ids: deps.ids,
  actor,
  accounts: deps.accounts,
});
