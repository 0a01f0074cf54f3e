-- Billing runs (issue 5 part 1): one row per run of "invoice everything invoiceable", with the
-- parameters it ran with and the report it returned (created / skipped / failed per order), so a run
-- can be looked up afterwards. The invoices themselves are ordinary invoices; this is the run's record.

CREATE TABLE billing_runs (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  up_to        date NOT NULL,
  issue        boolean NOT NULL,
  customer_id  text,
  report       jsonb NOT NULL,
  actor        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
