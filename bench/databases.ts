/**
 * The databases the database benchmarks run on: PGlite in memory, and PostgreSQL in a throw-away
 * schema (dropped afterwards) when TEST_DATABASE_URL or DATABASE_URL is set; plus the bench tenant.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/app/ports.js';
import { asId, type TenantId } from '../src/core/shared/ids.js';
import { openDb } from '../src/db/connection.js';
import { createDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import type { DB } from '../src/db/schema.js';

export interface BenchDb {
  label: string;
  kysely: Kysely<DB>;
  db: Database;
  close(): Promise<void>;
}

export async function openPglite(): Promise<BenchDb> {
  const handle = await openDb({ kind: 'pglite' });
  await migrate(handle.kysely);
  return { label: 'PGlite (in memory)', kysely: handle.kysely, db: createDatabase(handle.kysely), close: () => handle.close() };
}

export async function openPostgres(url: string): Promise<BenchDb> {
  const schema = `bench_${process.pid}_${Date.now().toString(36)}`;
  const handle = await openDb({ kind: 'postgres', url, searchPath: schema, max: 4 });
  await sql`create schema ${sql.id(schema)}`.execute(handle.kysely);
  await migrate(handle.kysely);
  const where = new URL(url);
  return {
    label: `PostgreSQL (${where.host}, schema ${schema})`,
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

export async function seedTenant(db: Database): Promise<TenantId> {
  const tenantId = asId('tenant', 'ten_bench');
  await db.platform.createTenant({
    id: tenantId, name: 'Benchbolaget AB', orgNumber: '556677-8899', vatNumber: 'SE556677889901', baseCurrency: 'SEK',
    country: 'SE', bankgiro: '123-4567', iban: null, bic: null, fSkatt: true, addressLine1: 'Mätvägen 1', addressLine2: null,
    postalCode: '111 11', city: 'Stockholm', email: 'faktura@bench.example', phone: null, logoPng: null,
    creditHoldOverdueDays: null, allowNegativeStock: false, reviewWindowDays: 14,
    paymentReferenceKind: 'ocr', ocrControl: 'hard_variable_length', ocrLengths: null,
  });
  return tenantId;
}

/** The databases to run on: PGlite always, PostgreSQL when a URL is configured (says so when not). */
export function benchTargets(): (() => Promise<BenchDb>)[] {
  const url = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  const targets: (() => Promise<BenchDb>)[] = [openPglite];
  if (url) targets.push(() => openPostgres(url));
  else console.log('  (PostgreSQL skipped: set TEST_DATABASE_URL or DATABASE_URL to include it)');
  return targets;
}

/**
 * Runs a benchmark on every target database in turn (PGlite, then PostgreSQL when configured; `reverse`
 * for PostgreSQL first), closing each after. With `continueOnError` a failure is printed and the next
 * target still runs.
 */
export async function onEachTarget(bench: (b: BenchDb) => Promise<void>, options: { reverse?: boolean; continueOnError?: boolean } = {}): Promise<void> {
  const targets = benchTargets();
  for (const open of options.reverse ? [...targets].reverse() : targets) {
    const b = await open();
    try {
      await bench(b);
    } catch (e) {
      if (!options.continueOnError) throw e;
      console.log(`    FAILED on ${b.label}: ${(e as Error).message}`);
    } finally {
      await b.close();
    }
  }
}
