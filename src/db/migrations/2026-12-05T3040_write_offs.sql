-- Bad-debt write-offs (konstaterade kundförluster, issue 8 part 4): finance writes off what is still
-- open on an issued invoice (D 6351 + the output VAT it no longer owes, C 1510). Each write-off is a row
-- here, kept beside the journal entry it posted, so the receivable as of a past date (aging, statements)
-- can leave it out from its date on; the open item keeps the running total it took off
-- (written_off_minor) so an invoice shows as written off, not paid, when nothing is left.
--
-- Write-offs worth more than the tenant's threshold (base currency) wait as a request until a second
-- finance user (not the requester) approves them, as refunds do (migration 3010). NULL threshold = every
-- write-off is posted at once. The default, 5 000.00 in the base currency, applies to existing tenants.
ALTER TABLE tenants ADD COLUMN write_off_approval_threshold_minor bigint DEFAULT 500000 CHECK (write_off_approval_threshold_minor >= 0);

ALTER TABLE ar_open_items ADD COLUMN written_off_minor bigint NOT NULL DEFAULT 0;
ALTER TABLE ar_open_items ADD CONSTRAINT ar_open_items_written_off CHECK (written_off_minor >= 0 AND written_off_minor <= original_minor);

CREATE TABLE bad_debt_write_offs (
  tenant_id         text NOT NULL REFERENCES tenants(id),
  id                text NOT NULL,
  invoice_id        text NOT NULL,
  open_item_id      text NOT NULL,
  customer_id       text NOT NULL,
  currency          char(3) NOT NULL,
  -- in the invoice's currency: amount = net (6351) + vat (output VAT reversed)
  amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
  net_minor         bigint NOT NULL CHECK (net_minor >= 0),
  vat_minor         bigint NOT NULL CHECK (vat_minor >= 0),
  -- the base value taken off the open item (the invoice's rate, prorated)
  base_amount_minor bigint NOT NULL CHECK (base_amount_minor >= 0),
  written_off_on    date NOT NULL,
  reason            text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  request_id        text,
  journal_entry_id  text,
  created_by        text NOT NULL,
  created_at        timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
  FOREIGN KEY (tenant_id, open_item_id) REFERENCES ar_open_items (tenant_id, id),
  CHECK (net_minor + vat_minor = amount_minor)
);
CREATE INDEX bad_debt_write_offs_item ON bad_debt_write_offs (tenant_id, open_item_id, written_off_on);
SELECT q2c_enable_tenant_rls('bad_debt_write_offs');

CREATE TABLE write_off_requests (
  tenant_id       text NOT NULL REFERENCES tenants(id),
  id              text NOT NULL,
  invoice_id      text NOT NULL,
  currency        char(3) NOT NULL,
  amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
  written_off_on  date,
  reason          text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  requested_by    text NOT NULL,
  requested_at    timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by      text,
  decided_at      timestamptz,
  decision_note   text,
  write_off_id    text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK ((status = 'approved') = (write_off_id IS NOT NULL)),
  CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX write_off_requests_pending ON write_off_requests (tenant_id, requested_at) WHERE status = 'pending';
SELECT q2c_enable_tenant_rls('write_off_requests');
