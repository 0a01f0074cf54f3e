/**
 * Row-level security (issue 8, migration 3000) on every configured database, PostgreSQL included:
 * inside a tenant transaction a query WITHOUT a tenant filter sees only that tenant's rows, a write of
 * another tenant's row is refused, and every table with a tenant_id column carries the policy (this
 * test fails when a migration adds such a table without calling q2c_enable_tenant_rls).
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { asId } from '../../src/core/shared/ids.js';
import { enterTenant } from '../../src/db/database.js';
import { seedTenant, TEST_DATABASES, useTestDb } from '../support/databases.js';

describe.each(TEST_DATABASES)('row-level security [%s]', (kind) => {
  const t = useTestDb(kind);

  it('covers every table with a tenant_id column, and tenants', async () => {
    const { kysely } = t();
    const tables = await sql<{ table_name: string; rls: boolean; policies: number }>`
      SELECT c.relname AS table_name, c.relrowsecurity AS rls,
             (SELECT count(*)::int FROM pg_policies p WHERE p.schemaname = current_schema() AND p.tablename = c.relname) AS policies
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'
        AND (c.relname = 'tenants' OR EXISTS (
          SELECT 1 FROM information_schema.columns col
          WHERE col.table_schema = current_schema() AND col.table_name = c.relname AND col.column_name = 'tenant_id'))
      ORDER BY 1`.execute(kysely);
    expect(tables.rows.length).toBeGreaterThan(50);
    expect(tables.rows.filter((r) => !r.rls || r.policies < 1).map((r) => r.table_name)).toEqual([]);
  });

  it('stops a cross-tenant read with no tenant filter, and a write of another tenant’s row', async () => {
    const { kysely, db } = t();
    const a = await seedTenant(db, 'ten_rls_a');
    const b = await seedTenant(db, 'ten_rls_b');
    for (const [tenant, name] of [[a, 'Kund A'], [b, 'Kund B']] as const) {
      await sql`INSERT INTO customers (tenant_id, id, name, country, currency, payment_terms_days) VALUES (${tenant}, ${`cus_${tenant}`}, ${name}, 'SE', 'SEK', 30)`.execute(kysely);
    }

    // the application's path: db.transaction enters the tenant; a query that forgot its filter
    const seen = await kysely.transaction().execute(async (trx) => {
      await enterTenant(trx, a);
      const customers = await sql<{ tenant_id: string; name: string }>`SELECT tenant_id, name FROM customers`.execute(trx);
      const tenants = await sql<{ id: string }>`SELECT id FROM tenants`.execute(trx);
      const byId = await sql<{ name: string }>`SELECT name FROM customers WHERE id = ${`cus_${b}`}`.execute(trx);
      return { customers: customers.rows, tenants: tenants.rows.map((r) => r.id), byId: byId.rows };
    });
    expect(seen.customers).toEqual([{ tenant_id: a, name: 'Kund A' }]);
    expect(seen.tenants).toEqual([a]);
    expect(seen.byId).toEqual([]); // another tenant's id, known to the attacker: nothing

    // writing a row of another tenant, or moving one there, is refused
    await expect(
      kysely.transaction().execute(async (trx) => {
        await enterTenant(trx, a);
        await sql`INSERT INTO customers (tenant_id, id, name, country, currency, payment_terms_days) VALUES (${b}, 'cus_smuggled', 'X', 'SE', 'SEK', 30)`.execute(trx);
      }),
    ).rejects.toThrow(/row-level security/);
    const moved = await kysely.transaction().execute(async (trx) => {
      await enterTenant(trx, a);
      return sql`UPDATE customers SET name = 'Ändrad' WHERE id = ${`cus_${b}`}`.execute(trx);
    });
    expect(Number(moved.numAffectedRows ?? 0n)).toBe(0);
    await expect(
      kysely.transaction().execute(async (trx) => {
        await enterTenant(trx, a);
        await sql`UPDATE customers SET tenant_id = ${b} WHERE id = ${`cus_${a}`}`.execute(trx);
      }),
    ).rejects.toThrow(/row-level security/);

    // through the Store too, and the platform (outside tenant transactions) still sees both
    expect((await db.transaction(b, (s) => s.customers.get(asId('customer', `cus_${a}`))))).toBeUndefined();
    const all = await sql<{ n: number }>`SELECT count(*)::int AS n FROM customers WHERE id IN (${`cus_${a}`}, ${`cus_${b}`})`.execute(kysely);
    expect(all.rows[0]!.n).toBe(2);
  });
});
