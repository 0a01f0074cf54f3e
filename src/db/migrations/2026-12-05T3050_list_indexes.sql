-- Indexes for the sorted, filtered and keyset-paged lists (src/db/repositories/list-query.ts).
-- A sort orders by (column, id) within a tenant and a page starts at (column, id) > (value, id), so
-- each sort gets a (tenant_id, column, id) btree: one range scan answers a page in either direction
-- (PostgreSQL reads it backwards for a descending sort). Filters on status and customer get their own.
-- Text search is ILIKE '%…%', which no btree serves (pg_trgm is not in PGlite): it scans the
-- tenant's rows, narrowed first by any other filter.

CREATE INDEX IF NOT EXISTS list_customers_name ON customers (tenant_id, name, id);
CREATE INDEX IF NOT EXISTS list_customers_created ON customers (tenant_id, created_at, id);

CREATE INDEX IF NOT EXISTS list_quotes_number ON quotes (tenant_id, number, id);
CREATE INDEX IF NOT EXISTS list_quotes_date ON quotes (tenant_id, quote_date, id);
CREATE INDEX IF NOT EXISTS list_quotes_total ON quotes (tenant_id, gross_total_minor, id);
CREATE INDEX IF NOT EXISTS list_quotes_valid_until ON quotes (tenant_id, valid_until, id);
CREATE INDEX IF NOT EXISTS list_quotes_status ON quotes (tenant_id, status, id);
CREATE INDEX IF NOT EXISTS list_quotes_customer ON quotes (tenant_id, customer_id, id);

CREATE INDEX IF NOT EXISTS list_orders_number ON orders (tenant_id, number, id);
CREATE INDEX IF NOT EXISTS list_orders_date ON orders (tenant_id, order_date, id);
CREATE INDEX IF NOT EXISTS list_orders_total ON orders (tenant_id, gross_total_minor, id);
CREATE INDEX IF NOT EXISTS list_orders_status ON orders (tenant_id, status, id);
CREATE INDEX IF NOT EXISTS list_orders_customer ON orders (tenant_id, customer_id, id);

CREATE INDEX IF NOT EXISTS list_invoices_number ON invoices (tenant_id, number, id);
CREATE INDEX IF NOT EXISTS list_invoices_issue_date ON invoices (tenant_id, issue_date, id);
CREATE INDEX IF NOT EXISTS list_invoices_due_date ON invoices (tenant_id, due_date, id);
CREATE INDEX IF NOT EXISTS list_invoices_total ON invoices (tenant_id, gross_total_minor, id);
CREATE INDEX IF NOT EXISTS list_invoices_status ON invoices (tenant_id, status, id);
CREATE INDEX IF NOT EXISTS list_invoices_customer ON invoices (tenant_id, customer_id, id);

CREATE INDEX IF NOT EXISTS list_claims_number ON claims (tenant_id, number, id);
CREATE INDEX IF NOT EXISTS list_claims_reported ON claims (tenant_id, reported_at, id);
CREATE INDEX IF NOT EXISTS list_claims_status ON claims (tenant_id, status, id);

CREATE INDEX IF NOT EXISTS list_products_name ON products (tenant_id, name, id);
CREATE INDEX IF NOT EXISTS list_products_sku ON products (tenant_id, sku, id);
