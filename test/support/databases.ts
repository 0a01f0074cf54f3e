/**
 * The test harness every integration suite uses: one suite, every database (like Kysely's own
 * test-setup). PGlite always; PostgreSQL too when TEST_DATABASE_URL is set.
 *
 *   describe.each(TEST_DATABASES)('invoices [%s]', (kind) => {
 *     const t = useTestDb(kind);            // beforeAll: isolated migrated db; afterAll: close
 *     it('…', async () => { const tenantId = await seedTenant(t().db); … });
 *   });
 *
 * Each createTestDb() call returns its own isolated, migrated database:
 * - PGlite: one migrated template per test file/worker (a module-level promise), then `clone()` per
 *   call (about 1 s instead of 4 s for a fresh start and migration).
 * - PostgreSQL: a fresh schema `t_<random>` per call, migrated with search_path set to it, dropped
 *   (CASCADE) on close.
 */
import { randomBytes } from 'node:crypto';
import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/app/ports.js';
import { asId, type TenantId } from '../../src/core/shared/ids.js';
import { openDb, TYPE_PARSERS } from '../../src/db/connection.js';
import { createDatabase } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import type { DB } from '../../src/db/schema.js';

export type TestDbKind = 'pglite' | 'postgres';

const POSTGRES_URL = process.env.TEST_DATABASE_URL;

export const TEST_DATABASES: TestDbKind[] = POSTGRES_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface TestDb {
  kysely: Kysely<DB>;
  db: Database;
  close(): Promise<void>;
  kind: TestDbKind;
}

export interface TestDbOptions {
  /** PostgreSQL pool size (default 10); raise it for tests that hold many transactions open at once. */
  max?: number;
}

let template: Promise<PGliteInterface> | undefined;

/** The migrated PGlite template of this worker; never used directly, only cloned. */
function pgliteTemplate(): Promise<PGliteInterface> {
  template ??= (async () => {
    const pglite = new PGlite({ parsers: TYPE_PARSERS });
    const handle = await openDb({ kind: 'pglite-instance', pglite });
    await migrate(handle.kysely);
    await handle.close(); // Kysely only; the instance stays open for cloning
    return pglite;
  })();
  return template;
}

export function postgresUrl(): string {
  if (!POSTGRES_URL) throw new Error('TEST_DATABASE_URL is not set');
  return POSTGRES_URL;
}

/** A fresh, empty schema name for PostgreSQL tests (lowercase, safe to interpolate). */
export const randomSchemaName = (): string => `t_${randomBytes(6).toString('hex')}`;

export async function createTestDb(kind: TestDbKind, options: TestDbOptions = {}): Promise<TestDb> {
  if (kind === 'pglite') {
    const pglite = await (await pgliteTemplate()).clone();
    const handle = await openDb({ kind: 'pglite-instance', pglite });
    return {
      kind,
      kysely: handle.kysely,
      db: createDatabase(handle.kysely),
      async close() {
        await handle.close();
        await pglite.close();
      },
    };
  }

  const schema = randomSchemaName();
  const handle = await openDb({ kind: 'postgres', url: postgresUrl(), searchPath: schema, max: options.max });
  try {
    await sql`create schema ${sql.id(schema)}`.execute(handle.kysely);
    await migrate(handle.kysely);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return {
    kind,
    kysely: handle.kysely,
    db: createDatabase(handle.kysely),
    async close() {
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(handle.kysely);
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * Registers beforeAll/afterAll for one isolated database per describe block and returns an accessor
 * (call it inside tests and hooks, not at collection time).
 */
export function useTestDb(kind: TestDbKind, options: TestDbOptions = {}): () => TestDb {
  let current: TestDb | undefined;
  beforeAll(async () => {
    current = await createTestDb(kind, options);
  });
  afterAll(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('test database is not open (use it inside a test or hook)');
    return current;
  };
}

/** Creates the standard test tenant and returns its id. */
export async function seedTenant(db: Database, id = 'ten_test'): Promise<TenantId> {
  const tenantId = asId('tenant', id);
  await db.platform.createTenant({
    id: tenantId,
    name: 'Testbolaget AB',
    orgNumber: '556677-8899',
    vatNumber: 'SE556677889901',
    baseCurrency: 'SEK',
    country: 'SE',
    bankgiro: '123-4567',
    iban: null,
    bic: null,
    fSkatt: true,
    addressLine1: 'Testvägen 1',
    addressLine2: null,
    postalCode: '111 11',
    city: 'Stockholm',
    email: 'faktura@testbolaget.example',
    phone: null,
    logoPng: null,
    creditHoldOverdueDays: null,
    allowNegativeStock: false,
    reviewWindowDays: 14,
    paymentReferenceKind: 'ocr',
    ocrControl: 'hard_variable_length',
    ocrLengths: null,
  });
  return tenantId;
}
