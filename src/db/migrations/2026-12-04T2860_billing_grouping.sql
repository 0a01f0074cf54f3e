-- Billing runs grouped per customer (issue 5 part 1, follow-up).
--
-- tenants.billing_grouping: what a billing run makes by default: 'per_order' (one invoice per order,
-- as before) or 'per_customer' (one invoice per customer, currency and payment terms, taking in the
-- invoiceable lines of all the customer's confirmed orders). A run may override it (group_by).
--
-- invoices.order_id becomes nullable: an invoice of several orders has none (NULL); each of its lines
-- still names its order and order line (invoice_lines.order_id, order_line_no, NOT NULL, with the FK to
-- order_lines). An advance invoice (deposit, milestone) always belongs to exactly one order.
ALTER TABLE tenants
  ADD COLUMN billing_grouping text NOT NULL DEFAULT 'per_order'
    CHECK (billing_grouping IN ('per_order', 'per_customer'));

ALTER TABLE invoices
  ALTER COLUMN order_id DROP NOT NULL,
  ADD CONSTRAINT invoices_advance_has_order CHECK (kind = 'standard' OR order_id IS NOT NULL);
