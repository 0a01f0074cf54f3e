-- Reports (issue 7, item 3): the VAT return and the KPIs (src/db/repositories/reports.ts). Indexes only.
-- The VAT return selects issued invoices and credit notes by document (issue) date.
CREATE INDEX reports_invoices_issue_date ON invoices (tenant_id, issue_date) WHERE status = 'issued';
CREATE INDEX reports_credit_notes_issue_date ON credit_notes (tenant_id, issue_date) WHERE status = 'issued';
-- KPIs: receivables issued in a period, allocations per open item (as-of balances, paid dates), an
-- order's deliveries and invoices.
CREATE INDEX reports_ar_open_items_document_date ON ar_open_items (tenant_id, document_date);
CREATE INDEX reports_payment_allocations_open_item ON payment_allocations (tenant_id, open_item_id);
CREATE INDEX reports_deliveries_order ON deliveries (tenant_id, order_id);
CREATE INDEX reports_invoices_order ON invoices (tenant_id, order_id);
