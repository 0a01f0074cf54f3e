/**
 * A digest of everything a database holds, in one round trip: a plpgsql function loops over every
 * table of the current schema (public on PGlite, the test's own schema on PostgreSQL) and returns
 * `table:md5;` per table, so a suite can prove that a refused call wrote nothing and, when it did,
 * name the tables it touched.
 *
 * Columns that authentication itself updates on every request are left out: a refused call is
 * still an authenticated call, and `api_keys.last_used_at` (and `sessions.last_seen_at`, once that
 * table exists) move with it by design.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';

/** table → columns left out of its digest (bookkeeping of authentication, not business data). */
export const VOLATILE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  api_keys: ['last_used_at'],
  sessions: ['last_seen_at'],
};

/** Creates (or replaces) q2c_test_digest() in the current schema; call once per database. */
export async function installDigest(kysely: Kysely<DB>): Promise<void> {
  const exclusions = Object.entries(VOLATILE_COLUMNS)
    .flatMap(([table, columns]) => columns.map((column) => `('${table}','${column}')`))
    .join(',');
  await sql
    .raw(
      `create or replace function q2c_test_digest() returns text language plpgsql as $fn$
declare
  tbl record;
  cols text;
  digest text;
  acc text := '';
begin
  for tbl in
    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p')
    order by c.relname
  loop
    select string_agg(quote_ident(a.attname), ', ' order by a.attnum) into cols
    from pg_attribute a
    where a.attrelid = (quote_ident(current_schema()) || '.' || quote_ident(tbl.relname))::regclass
      and a.attnum > 0 and not a.attisdropped
      and (tbl.relname, a.attname::text) not in (values ${exclusions});
    execute format('select md5(coalesce(string_agg(r::text, ''|'' order by r::text), '''')) from (select %s from %I) r', cols, tbl.relname)
      into digest;
    acc := acc || tbl.relname || ':' || digest || ';';
  end loop;
  return acc;
end
$fn$`,
    )
    .execute(kysely);
}

/** table → md5 of its rows, as of now. */
export async function databaseDigest(kysely: Kysely<DB>): Promise<Map<string, string>> {
  const { rows } = await sql<{ digest: string }>`select q2c_test_digest() as digest`.execute(kysely);
  const digest = new Map<string, string>();
  for (const part of rows[0]!.digest.split(';')) {
    if (part === '') continue;
    const [table, md5] = part.split(':');
    digest.set(table!, md5!);
  }
  return digest;
}

/** The tables whose rows differ between two digests (added or dropped tables included). */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const tables = new Set([...before.keys(), ...after.keys()]);
  return [...tables].filter((table) => before.get(table) !== after.get(table)).sort();
}
