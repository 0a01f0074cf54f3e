/** Composition root: picks the database, migrates it, and wires the app dependencies. */
import type { Kysely } from 'kysely';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BAS_DEFAULTS } from '../core/ledger/accounts.js';
import type { AppDeps } from '../app/shared/env.js';
import { systemClock } from '../app/shared/clock.js';
import { createIdGenerator } from '../app/shared/ids.js';
import { openDb } from '../db/connection.js';
import { migrate } from '../db/migrate.js';
import { createDatabase } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { EInvoiceTransmitter } from '../app/invoicing/transmission.js';
import { FileDropTransmitter } from '../integrations/peppol/file-drop.js';
import type { Config } from './config.js';
import { lockDataDir } from './data-dir-lock.js';
import { loadSecrets } from './secrets.js';

export interface Wired {
  deps: AppDeps;
  /** The raw database, for adapters that work across tenants (the outbox worker). */
  kysely: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** True when the embedded database directory did not exist before this start. */
  freshEmbedded: boolean;
  migrations: string[];
  /** Where sent e-invoices go (Q2C_PEPPOL_DROP_DIR), for the outbox worker; undefined = nowhere. */
  transmitter: EInvoiceTransmitter | undefined;
  close(): Promise<void>;
}

export async function wire(config: Config): Promise<Wired> {
  // before the database is opened: a missing pepper stops the start with a clear message
  const secrets = loadSecrets(config);
  let freshEmbedded = false;
  let conn;
  if (config.databaseUrl) {
    conn = await openDb({ kind: 'postgres', url: config.databaseUrl });
  } else {
    const dir = join(config.dataDir, 'pglite');
    freshEmbedded = !existsSync(dir) || readdirSync(dir).length === 0;
    mkdirSync(dir, { recursive: true });
    const unlock = lockDataDir(config.dataDir);
    try {
      const pglite = await openDb({ kind: 'pglite', dataDir: dir });
      const close = async () => {
        try {
          await pglite.close();
        } finally {
          unlock();
        }
      };
      conn = { ...pglite, close };
    } catch (error) {
      unlock();
      throw error;
    }
  }
  const { applied } = await migrate(conn.kysely);
  const deps: AppDeps = {
    db: createDatabase(conn.kysely),
    clock: systemClock(config.timeZone),
    ids: createIdGenerator(),
    accounts: BAS_DEFAULTS,
    secrets,
  };
  return {
    deps, kysely: conn.kysely, kind: conn.kind, freshEmbedded, migrations: applied, transmitter: eInvoiceTransmitter(config), close: () => conn.close(),
  };
}

/** The e-invoice transmitter the configuration asks for: a FileDropTransmitter on Q2C_PEPPOL_DROP_DIR, or none. */
export function eInvoiceTransmitter(config: Pick<Config, 'peppolDropDir'>): EInvoiceTransmitter | undefined {
  return config.peppolDropDir ? new FileDropTransmitter(config.peppolDropDir) : undefined;
}
