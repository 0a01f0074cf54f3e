/**
 * Opens the database: PGlite (in-process, in memory or on disk) or PostgreSQL (a pg pool).
 *
 * Both drivers get ONE set of type parsers, so the same column comes back as the same JS type
 * whichever database runs underneath:
 *   int8 → bigint · numeric → string (exact; core parses it) · date → 'YYYY-MM-DD' string ·
 *   timestamptz/timestamp → Date (timestamp without zone read as UTC) · json/jsonb → parsed value.
 * pg gets them through a per-pool `types` object (pg's global parsers are left alone); PGlite gets
 * them with every query. Parameters: bigint serializes with toString on both; jsonb parameters are
 * passed as JSON text by the repositories (see repositories/shared.ts) so bigint inside JSON is safe.
 */
import { PGlite, type PGliteInterface } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

export type DbConfig =
  | { kind: 'pglite'; dataDir?: string | undefined /* undefined = in-memory */ }
  /** An instance you own: close() destroys Kysely but leaves the instance open. */
  | { kind: 'pglite-instance'; pglite: PGlite | PGliteInterface }
  | { kind: 'postgres'; url: string; searchPath?: string | undefined; max?: number | undefined };

export interface DbHandle {
  kysely: Kysely<DB>;
  close(): Promise<void>;
  kind: 'pglite' | 'postgres';
}

/** PostgreSQL type oids we parse ourselves. */
export const OID = {
  int8: 20,
  json: 114,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  jsonb: 3802,
} as const;

const TIMESTAMP =
  /^(\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?|Z)?$/;

/** PostgreSQL timestamp text ("2026-12-04 16:05:00.123456+01") → Date; no zone means UTC. Microseconds are truncated. */
export function parseTimestamp(text: string): Date {
  const m = TIMESTAMP.exec(text);
  if (!m) throw new Error(`unsupported timestamp from database: '${text.slice(0, 40)}'`);
  const n = (i: number): number => Number(m[i] ?? '0');
  const date = new Date(0);
  date.setUTCFullYear(n(1), n(2) - 1, n(3));
  date.setUTCHours(n(4), n(5), n(6), Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)));
  const offsetSeconds = (n(9) * 3600 + n(10) * 60 + n(11)) * (m[8] === '-' ? -1 : 1);
  return new Date(date.getTime() - offsetSeconds * 1000);
}

/** The one parser table, keyed by type oid, used by both drivers. */
export const TYPE_PARSERS: Readonly<Record<number, (text: string) => unknown>> = Object.freeze({
  [OID.int8]: (text: string) => BigInt(text),
  [OID.numeric]: (text: string) => text,
  [OID.date]: (text: string) => text,
  [OID.timestamp]: parseTimestamp,
  [OID.timestamptz]: parseTimestamp,
  [OID.json]: (text: string): unknown => JSON.parse(text),
  [OID.jsonb]: (text: string): unknown => JSON.parse(text),
});

/** Per-pool type configuration for node-postgres: ours first, pg's defaults for everything else. */
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const ours = format === 'binary' ? undefined : TYPE_PARSERS[oid];
    return ours ?? pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** A value inside the libpq `options` startup parameter: whitespace and backslashes are backslash-escaped. */
const escapeOption = (value: string): string => value.replace(/[\\\s]/g, (c) => `\\${c}`);

export async function openDb(config: DbConfig): Promise<DbHandle> {
  switch (config.kind) {
    case 'pglite': {
      const pglite = new PGlite(config.dataDir, { parsers: TYPE_PARSERS });
      await pglite.waitReady;
      const kysely = new Kysely<DB>({
        dialect: new PGliteDialect({ pglite, queryOptions: { parsers: TYPE_PARSERS }, closeOnDestroy: true }),
      });
      return { kysely, kind: 'pglite', close: () => kysely.destroy() };
    }
    case 'pglite-instance': {
      const kysely = new Kysely<DB>({
        dialect: new PGliteDialect({ pglite: config.pglite, queryOptions: { parsers: TYPE_PARSERS } }),
      });
      return { kysely, kind: 'pglite', close: () => kysely.destroy() };
    }
    case 'postgres': {
      const pool = new pg.Pool({
        connectionString: config.url,
        max: config.max ?? 10,
        types: pgTypes,
        ...(config.searchPath !== undefined ? { options: `-c search_path=${escapeOption(config.searchPath)}` } : {}),
      });
      // An idle client that loses its server connection emits 'error' on the pool; without a
      // listener that would crash the process. The next checkout gets a fresh connection.
      pool.on('error', () => {});
      const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
      return { kysely, kind: 'postgres', close: () => kysely.destroy() };
    }
  }
}
