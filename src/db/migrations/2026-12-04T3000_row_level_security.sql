-- Row-level security as a second wall between tenants (issue 8, decision 0015).
--
-- Every table with a tenant_id column (and tenants itself, by id) gets a policy that shows and accepts
-- only rows of the tenant named by the transaction setting q2c.tenant_id. Tenant transactions run as
-- the role q2c_app (SET LOCAL ROLE, with the tenant, at the start of db.transaction), so even a query
-- that forgot its tenant filter sees nothing of another tenant. The tables are not FORCEd: their
-- owner (the role q2c connects as) bypasses the policies, which is what the platform's own cross-tenant
-- work needs (finding an API key or portal token by its hash, the outbox and webhook workers, the
-- scheduled jobs, migrations). A superuser bypasses them too; the application never acts as one
-- inside a tenant transaction because it switches to q2c_app.
--
-- q2c_app is a cluster-wide role (created once, NOLOGIN); the role q2c connects as must be a member
-- (granted here; a non-superuser needs CREATEROLE for this migration, or an administrator runs
-- `CREATE ROLE q2c_app NOLOGIN; GRANT q2c_app TO <q2c user>;` first).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'q2c_app') THEN
    CREATE ROLE q2c_app NOLOGIN;
  END IF;
  IF NOT pg_has_role(current_user, 'q2c_app', 'MEMBER') THEN
    EXECUTE format('GRANT q2c_app TO %I', current_user);
  END IF;
END $$;

-- Enables the tenant policy on one table (later migrations call it for their new tables; a test fails
-- while a table with tenant_id lacks it).
CREATE FUNCTION q2c_enable_tenant_rls(tbl regclass, tenant_column text DEFAULT 'tenant_id') RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (%I = current_setting(''q2c.tenant_id'', true)) WITH CHECK (%I = current_setting(''q2c.tenant_id'', true))',
    tbl, tenant_column, tenant_column);
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO q2c_app', tbl);
END $$;

DO $$
DECLARE
  t record;
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO q2c_app', current_schema());
  FOR t IN
    SELECT c.table_name
    FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id'
  LOOP
    PERFORM q2c_enable_tenant_rls(format('%I.%I', current_schema(), t.table_name)::regclass);
  END LOOP;
  PERFORM q2c_enable_tenant_rls(format('%I.tenants', current_schema())::regclass, 'id');
  -- tables without tenants of their own (schema_migrations) stay out of reach of q2c_app
  EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO q2c_app', current_schema());
END $$;
