/**
 * Applies src/db/migrations/*.sql in filename order (the names start with a sortable timestamp).
 * Each file runs as one multi-statement script in its own transaction, together with its row in
 * schema_migrations, so a file is applied entirely or not at all. Every transaction first takes a
 * transaction-scoped advisory lock (keyed by the current schema), so two processes migrating the
 * same database queue instead of racing; the second then finds the file recorded and skips it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './schema.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

async function lock(trx: Transaction<DB>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('q2c.migrate:' || coalesce(current_schema(), '')))`.execute(trx);
}

export async function listMigrations(dir: string = MIGRATIONS_DIR): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
}

export async function migrate(kysely: Kysely<DB>, dir: string = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  await kysely.transaction().execute(async (trx) => {
    await lock(trx);
    await sql`create table if not exists schema_migrations (
      name text primary key,
      applied_at timestamptz not null default now()
    )`.execute(trx);
  });

  const applied: string[] = [];
  for (const name of await listMigrations(dir)) {
    const text = await readFile(`${dir}/${name}`, 'utf8');
    const ran = await kysely.transaction().execute(async (trx) => {
      await lock(trx);
      const done = await trx.selectFrom('schema_migrations').select('name').where('name', '=', name).executeTakeFirst();
      if (done) return false;
      // No parameters: pg sends it over the simple protocol, the PGlite dialect through exec();
      // both run every statement of the script.
      await sql.raw(text).execute(trx);
      await trx.insertInto('schema_migrations').values({ name }).execute();
      return true;
    });
    if (ran) applied.push(name);
  }
  return { applied };
}
