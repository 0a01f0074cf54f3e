-- GET /v1/deliveries (issue 9): the list's sorts and filters, as 3050 does for the other lists. A sort
-- orders by (column, id) within a tenant and a page starts after (value, id), so each sort gets a
-- (tenant_id, column, id) btree; the number sort has UNIQUE (tenant_id, number) already, and the
-- order filter reports_deliveries_order (2930). The web app lists newest first (sort=-created).

CREATE INDEX IF NOT EXISTS list_deliveries_created ON deliveries (tenant_id, created_at, id);
CREATE INDEX IF NOT EXISTS list_deliveries_status ON deliveries (tenant_id, status, id);
CREATE INDEX IF NOT EXISTS list_deliveries_shipped ON deliveries (tenant_id, shipped_at, id);
CREATE INDEX IF NOT EXISTS list_deliveries_delivered ON deliveries (tenant_id, delivered_on, id);
