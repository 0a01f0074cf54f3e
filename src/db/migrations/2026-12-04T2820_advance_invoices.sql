-- Advance invoices (docs/decisions/0010-advance-invoices.md): deposit and milestone invoices of an
-- order, and their deduction on the order's later ordinary invoices.
--
-- invoices.kind: 'standard' (an invoice of delivered / ordered quantities), 'deposit' or 'milestone'
-- (an advance: one line per VAT group of the order, quantity 1). advance_label: the milestone's label
-- (or null). prepaid_minor: on a standard invoice, the gross of the advances it deducts (EN 16931
-- BT-113); what the customer owes on it is gross − prepaid. An advance deducts nothing.
-- The invoices_immutable trigger of 1600 fires for any UPDATE of an issued invoice, so these columns
-- are frozen at issue like the others.
ALTER TABLE invoices
  ADD COLUMN kind text NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard', 'deposit', 'milestone')),
  ADD COLUMN advance_label text CHECK (advance_label IS NULL OR length(advance_label) BETWEEN 1 AND 200),
  ADD COLUMN prepaid_minor bigint NOT NULL DEFAULT 0 CHECK (0 <= prepaid_minor AND prepaid_minor <= gross_total_minor),
  ADD CONSTRAINT invoices_advance_deducts_nothing CHECK (kind = 'standard' OR prepaid_minor = 0);

-- What an invoice deducts of one VAT group of one advance invoice: the net and the VAT (at the
-- advance's rate). Σ (net + vat) over an invoice's rows = its prepaid_minor.
CREATE TABLE invoice_advance_deductions (
  tenant_id          text NOT NULL,
  invoice_id         text NOT NULL,
  line_no            integer NOT NULL CHECK (line_no >= 1),
  advance_invoice_id text NOT NULL,
  vat_category       text NOT NULL,
  vat_rate           numeric(7,4) NOT NULL,
  net_minor          bigint NOT NULL CHECK (net_minor >= 0),
  vat_minor          bigint NOT NULL CHECK (vat_minor >= 0),
  PRIMARY KEY (tenant_id, invoice_id, line_no),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
  FOREIGN KEY (tenant_id, advance_invoice_id) REFERENCES invoices (tenant_id, id),
  CHECK (advance_invoice_id <> invoice_id),
  CHECK (net_minor + vat_minor > 0)
);
CREATE INDEX invoice_advance_deductions_advance ON invoice_advance_deductions (tenant_id, advance_invoice_id);

-- Part of the invoice: never updated or deleted (as invoice_lines, 1600 / 2500), and nothing is added
-- to an invoice once it is issued.
CREATE FUNCTION q2c_invoice_advance_deductions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  st text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT status INTO st FROM invoices WHERE tenant_id = NEW.tenant_id AND id = NEW.invoice_id;
    IF st = 'issued' THEN
      RAISE EXCEPTION 'q2c: INSERT on invoice_advance_deductions of an issued invoice is not allowed: issued records are immutable'
        USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'q2c: % on % is not allowed: posted and issued records are immutable', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001';
END;
$$;
CREATE TRIGGER invoice_advance_deductions_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_advance_deductions
  FOR EACH ROW EXECUTE FUNCTION q2c_invoice_advance_deductions_guard();
