/**
 * The database layer underneath the repositories, on every configured database: transactions are
 * isolated from concurrent callers (the PGlite dialect's raison d'être), both drivers return the same
 * JS types, scripts of many statements run, and migrations are idempotent.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDb, parseTimestamp } from '../../src/db/connection.js';
import { listMigrations, migrate } from '../../src/db/migrate.js';
import {
  createTestDb,
  postgresUrl,
  randomSchemaName,
  seedTenant,
  TEST_DATABASES,
  useTestDb,
  type TestDbKind,
} from '../support/databases.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class Boom extends Error {}

describe.each(TEST_DATABASES)('driver and transactions [%s]', (kind) => {
  const t = useTestDb(kind);

  const customerIds = async (): Promise<string[]> =>
    (await t().kysely.selectFrom('customers').select('id').orderBy('id').execute()).map((r) => r.id);

  const insertCustomer = (db: ReturnType<typeof t>['kysely'], id: string) =>
    db
      .insertInto('customers')
      .values({
        tenant_id: 'ten_test',
        id,
        name: id,
        email: null,
        country: 'SE',
        currency: 'SEK',
        org_number: null,
        vat_number: null,
        payment_terms_days: 30,
        address_line1: null,
        address_line2: null,
        postal_code: null,
        city: null,
      })
      .execute();

  it('keeps a concurrent caller out of an open transaction that rolls back', async () => {
    await seedTenant(t().db);
    const { kysely } = t();
    let concurrent: Promise<unknown> | undefined;
    await expect(
      kysely.transaction().execute(async (trx) => {
        await insertCustomer(trx, 'cus_inside1');
        // another caller, not part of this transaction, while it is open
        concurrent = insertCustomer(kysely, 'cus_outside');
        await sleep(50);
        await insertCustomer(trx, 'cus_inside2');
        const seen = (await trx.selectFrom('customers').select('id').orderBy('id').execute()).map((r) => r.id);
        // PGlite: the outsider queues until this transaction ends. PostgreSQL: it ran on another
        // connection and committed at once, so READ COMMITTED sees it — but it is not part of us.
        expect(seen).toEqual(kind === 'pglite' ? ['cus_inside1', 'cus_inside2'] : ['cus_inside1', 'cus_inside2', 'cus_outside']);
        throw new Boom('roll back');
      }),
    ).rejects.toBeInstanceOf(Boom);
    await concurrent;
    expect(await customerIds()).toEqual(['cus_outside']);
  });

  it('commits a transaction and is usable after a failed statement', async () => {
    const { kysely } = t();
    await kysely.transaction().execute(async (trx) => {
      await insertCustomer(trx, 'cus_committed');
    });
    // a failing statement (duplicate key) aborts its transaction; the connection recovers
    await expect(
      kysely.transaction().execute(async (trx) => {
        await insertCustomer(trx, 'cus_doomed');
        await insertCustomer(trx, 'cus_committed');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await customerIds()).toEqual(['cus_committed', 'cus_outside']);
  });

  it('runs many concurrent transactions one after another without interleaving', async () => {
    const { kysely } = t();
    await sql`create table counter (n integer not null)`.execute(kysely);
    await sql`insert into counter values (0)`.execute(kysely);
    // read-modify-write without locks: only correct if the transactions do not interleave (PGlite)
    // or if the row lock serialises them (PostgreSQL, via FOR UPDATE)
    await Promise.all(
      Array.from({ length: 10 }, () =>
        kysely.transaction().execute(async (trx) => {
          const { rows } = await sql<{ n: number }>`select n from counter for update`.execute(trx);
          await sleep(2);
          await sql`update counter set n = ${rows[0]!.n + 1}`.execute(trx);
        }),
      ),
    );
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(kysely);
    expect(rows[0]!.n).toBe(10);
  });

  it('surfaces a failure at COMMIT (deferred constraint) and rolls the transaction back', async () => {
    const { kysely } = t();
    await sql`create table deferred_parent (id integer primary key)`.execute(kysely);
    await sql`create table deferred_child (parent integer references deferred_parent deferrable initially deferred)`.execute(
      kysely,
    );
    await expect(
      kysely.transaction().execute(async (trx) => {
        await sql`insert into deferred_child values (1)`.execute(trx); // accepted until COMMIT
      }),
    ).rejects.toMatchObject({ code: '23503' });
    const { rows } = await sql<{ c: bigint }>`select count(*) as c from deferred_child`.execute(kysely);
    expect(rows[0]!.c).toBe(0n);
    // and the database is still usable
    await kysely.transaction().execute(async (trx) => {
      await sql`insert into deferred_parent values (1); insert into deferred_child values (1)`.execute(trx);
    });
  });

  it('runs a parameterless multi-statement script with a $$ function body, in and out of a transaction', async () => {
    const { kysely } = t();
    const script = `
      create table script_t (x integer);
      create function script_f() returns integer language plpgsql as $$ begin return 41 + 1; end; $$;
      insert into script_t values (script_f());`;
    await kysely.transaction().execute(async (trx) => {
      await sql.raw(script).execute(trx);
    });
    await sql.raw('insert into script_t values (1); insert into script_t values (2)').execute(kysely);
    const { rows } = await sql<{ x: number }>`select x from script_t order by x`.execute(kysely);
    expect(rows.map((r) => r.x)).toEqual([1, 2, 42]);
  });

  it('supports savepoints in controlled transactions', async () => {
    const { kysely } = t();
    const trx = await kysely.startTransaction().execute();
    await insertCustomer(trx, 'cus_sp_kept');
    const sp = await trx.savepoint('sp1').execute();
    await insertCustomer(sp, 'cus_sp_dropped');
    await sp.rollbackToSavepoint('sp1').execute();
    await trx.commit().execute();
    const ids = await customerIds();
    expect(ids).toContain('cus_sp_kept');
    expect(ids).not.toContain('cus_sp_dropped');
  });

  it('reports affected rows for insert/update/delete', async () => {
    const { kysely } = t();
    const upd = await kysely.updateTable('customers').set({ city: 'Lund' }).where('tenant_id', '=', 'ten_test').executeTakeFirst();
    expect(upd.numUpdatedRows).toBe(BigInt((await customerIds()).length));
    const del = await kysely.deleteFrom('customers').where('id', '=', 'cus_nonexistent').executeTakeFirst();
    expect(del.numDeletedRows).toBe(0n);
  });
});

// ------------------------------------------------------------------------------------ type parity

const PARITY_QUERY = sql<Record<string, unknown>>`select
  9007199254740993::int8 as big,
  (-5)::int8 as small_big,
  '2026-02-28'::date as day,
  '1234.5000'::numeric(18,4) as qty,
  '0.1'::numeric as unconstrained,
  '2026-12-04 16:05:00.123456+01'::timestamptz as at,
  '{"a": 1, "b": [true, null, "x"]}'::jsonb as doc,
  42::integer as int4,
  true as flag,
  'SEK'::char(3) as cur,
  null::int8 as nothing`;

const EXPECTED = {
  big: 9007199254740993n,
  small_big: -5n,
  day: '2026-02-28',
  qty: '1234.5000',
  unconstrained: '0.1',
  at: new Date('2026-12-04T15:05:00.123Z'),
  doc: { a: 1, b: [true, null, 'x'] },
  int4: 42,
  flag: true,
  cur: 'SEK',
  nothing: null,
};

const readParity = async (kind: TestDbKind): Promise<Record<string, unknown>> => {
  const t = await createTestDb(kind);
  try {
    const { rows } = await PARITY_QUERY.execute(t.kysely);
    // parameters round-trip too: bigint beyond 2^53 and a Date
    const { rows: params } = await sql<{ p: bigint; d: Date }>`select ${9007199254740993n}::int8 + 1 as p, ${EXPECTED.at}::timestamptz as d`.execute(
      t.kysely,
    );
    return { ...rows[0], param_big: params[0]?.p, param_at: params[0]?.d };
  } finally {
    await t.close();
  }
};

describe('type parsers', () => {
  it.each(TEST_DATABASES)('%s returns the agreed JS types', async (kind) => {
    const row = await readParity(kind);
    expect(row).toEqual({ ...EXPECTED, param_big: 9007199254740994n, param_at: EXPECTED.at });
    expect(typeof row.big).toBe('bigint');
    expect(row.at).toBeInstanceOf(Date);
  });

  it.runIf(TEST_DATABASES.includes('postgres'))('PGlite and PostgreSQL return identical values', async () => {
    const [a, b] = await Promise.all([readParity('pglite'), readParity('postgres')]);
    expect(a).toStrictEqual(b);
  });

  it('parses PostgreSQL timestamp text with any offset', () => {
    expect(parseTimestamp('2026-12-04 16:05:00.5+05:30').toISOString()).toBe('2026-12-04T10:35:00.500Z');
    expect(parseTimestamp('2026-12-04 16:05:00-03').toISOString()).toBe('2026-12-04T19:05:00.000Z');
    expect(parseTimestamp('0099-01-01 00:00:00').toISOString()).toBe('0099-01-01T00:00:00.000Z');
    expect(() => parseTimestamp('infinity')).toThrow(/unsupported timestamp/);
  });
});

// ------------------------------------------------------------------------------------ migrations

describe.each(TEST_DATABASES)('migrations [%s]', (kind) => {
  const t = useTestDb(kind);

  it('records every file and applies nothing the second time', async () => {
    const files = await listMigrations();
    expect(files.length).toBeGreaterThan(0);
    const recorded = await t().kysely.selectFrom('schema_migrations').select('name').orderBy('name').execute();
    expect(recorded.map((r) => r.name)).toEqual(files);
    expect(await migrate(t().kysely)).toEqual({ applied: [] });
    expect(await migrate(t().kysely)).toEqual({ applied: [] });
  });
});

describe.runIf(TEST_DATABASES.includes('postgres'))('migrations on PostgreSQL', () => {
  it('two processes migrating at once apply each file exactly once', async () => {
    const schema = randomSchemaName();
    const a = await openDb({ kind: 'postgres', url: postgresUrl(), searchPath: schema, max: 2 });
    const b = await openDb({ kind: 'postgres', url: postgresUrl(), searchPath: schema, max: 2 });
    try {
      await sql`create schema ${sql.id(schema)}`.execute(a.kysely);
      const [ra, rb] = await Promise.all([migrate(a.kysely), migrate(b.kysely)]);
      const files = await listMigrations();
      expect([...ra.applied, ...rb.applied].sort()).toEqual(files);
      const { rows } = await sql<{ c: bigint }>`select count(*) as c from schema_migrations`.execute(b.kysely);
      expect(rows[0]!.c).toBe(BigInt(files.length));
    } finally {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(a.kysely);
      await a.close();
      await b.close();
    }
  });
});

describe('migrations on a fresh PGlite', () => {
  it('applies every file once, then nothing', async () => {
    const h = await openDb({ kind: 'pglite' });
    try {
      const files = await listMigrations();
      expect(await migrate(h.kysely)).toEqual({ applied: files });
      expect(await migrate(h.kysely)).toEqual({ applied: [] });
    } finally {
      await h.close();
    }
  });
});
