-- Credit notes (issue 5 part 7): documents of their own that correct an issued invoice
-- (docs/decisions/0007-credit-notes.md). A credit note is drafted against one issued invoice, gets
-- its number from its own series (KF-<year>-<seq>) when it is issued, and is immutable from then on.

CREATE TABLE credit_notes (
  tenant_id              text NOT NULL,
  id                     text NOT NULL,
  series                 text NOT NULL,
  number                 text,
  status                 text NOT NULL CHECK (status IN ('draft', 'issued')),
  invoice_id             text NOT NULL,
  order_id               text NOT NULL,
  customer_id            text NOT NULL,
  currency               char(3) NOT NULL,
  reason                 text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
  credit_request_id      text,
  issue_date             date,
  net_total_minor        bigint NOT NULL CHECK (net_total_minor >= 0),
  vat_total_minor        bigint NOT NULL CHECK (vat_total_minor >= 0),
  gross_total_minor      bigint NOT NULL CHECK (gross_total_minor > 0),
  -- at issue: the part that reduced the invoice's open item (1510) and the excess that became customer credit (2420)
  receivable_minor       bigint CHECK (receivable_minor >= 0),
  customer_credit_minor  bigint CHECK (customer_credit_minor >= 0),
  seller                 jsonb,
  buyer                  jsonb NOT NULL,
  issued_at              timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, series, number),
  UNIQUE (tenant_id, credit_request_id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, credit_request_id) REFERENCES credit_requests (tenant_id, id),
  CHECK (gross_total_minor = net_total_minor + vat_total_minor),
  CHECK ((status = 'draft') = (number IS NULL)),
  CHECK (status = 'draft' OR (issue_date IS NOT NULL AND issued_at IS NOT NULL AND receivable_minor IS NOT NULL
                              AND customer_credit_minor IS NOT NULL AND seller IS NOT NULL)),
  CHECK (status = 'draft' OR receivable_minor + customer_credit_minor = gross_total_minor)
);
CREATE INDEX credit_notes_invoice_idx ON credit_notes (tenant_id, invoice_id);

-- invoice_line_no / order_line_no are null for a credit of an amount (no line of the invoice).
CREATE TABLE credit_note_lines (
  tenant_id              text NOT NULL,
  credit_note_id         text NOT NULL,
  line_no                integer NOT NULL CHECK (line_no >= 1),
  invoice_line_no        integer,
  order_line_no          integer,
  description            text NOT NULL,
  quantity               numeric(18,4) CHECK (quantity > 0),
  unit                   text,
  unit_price_minor       bigint CHECK (unit_price_minor >= 0),
  gross_amount_minor     bigint NOT NULL CHECK (gross_amount_minor >= 0),
  discount_amount_minor  bigint NOT NULL CHECK (discount_amount_minor >= 0),
  net_amount_minor       bigint NOT NULL CHECK (net_amount_minor >= 0),
  vat_rate               numeric(7,4) NOT NULL,
  vat_category           text NOT NULL,
  PRIMARY KEY (tenant_id, credit_note_id, line_no),
  FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_notes (tenant_id, id),
  CHECK (net_amount_minor = gross_amount_minor - discount_amount_minor),
  CHECK ((invoice_line_no IS NULL) = (quantity IS NULL))
);

CREATE TABLE credit_note_vat_breakdown (
  tenant_id       text NOT NULL,
  credit_note_id  text NOT NULL,
  vat_category    text NOT NULL,
  vat_rate        numeric(7,4) NOT NULL,
  taxable_minor   bigint NOT NULL CHECK (taxable_minor >= 0),
  vat_minor       bigint NOT NULL CHECK (vat_minor >= 0),
  PRIMARY KEY (tenant_id, credit_note_id, vat_category, vat_rate),
  FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_notes (tenant_id, id)
);

-- A credit note on an invoice that is already (partly) paid: what exceeded the open amount went back
-- to the payments that paid the invoice as unapplied cash (customer credit on 2420).
CREATE TABLE credit_note_releases (
  tenant_id       text NOT NULL,
  credit_note_id  text NOT NULL,
  payment_id      text NOT NULL,
  invoice_id      text NOT NULL,
  amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
  PRIMARY KEY (tenant_id, credit_note_id, payment_id),
  FOREIGN KEY (tenant_id, credit_note_id) REFERENCES credit_notes (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX credit_note_releases_invoice_idx ON credit_note_releases (tenant_id, invoice_id);

-- Order lines need no new column: a line credit raises quantity_credited and lowers net_invoiced_minor
-- by the net it credits, so net_invoiced_minor stays the net billed for quantity_invoiced - quantity_credited.

-- Issued credit notes are immutable; lines, VAT rows and releases are never changed once written.
CREATE TRIGGER credit_notes_immutable BEFORE UPDATE OR DELETE ON credit_notes
  FOR EACH ROW WHEN (OLD.status = 'issued') EXECUTE FUNCTION q2c_reject_change();
CREATE TRIGGER credit_note_lines_immutable BEFORE UPDATE OR DELETE ON credit_note_lines
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();
CREATE TRIGGER credit_note_vat_breakdown_immutable BEFORE UPDATE OR DELETE ON credit_note_vat_breakdown
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();
CREATE TRIGGER credit_note_releases_immutable BEFORE UPDATE OR DELETE ON credit_note_releases
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();
