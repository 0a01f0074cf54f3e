-- Quote versions (issue 3). A quote version is a row of its own: revising a sent version creates a
-- new draft row with the same number and the next version, linked to the first version (root_id) and
-- to the one it revises. Sent versions never change; sending a newer one supersedes the older.
ALTER TABLE quotes
  ADD COLUMN root_id             text,
  ADD COLUMN previous_version_id text,
  ADD COLUMN declined_reason     text,
  ADD COLUMN declined_at         timestamptz,
  ADD COLUMN expired_at          timestamptz,
  ADD COLUMN superseded_at       timestamptz;
UPDATE quotes SET root_id = id WHERE root_id IS NULL;
ALTER TABLE quotes ALTER COLUMN root_id SET NOT NULL;

ALTER TABLE quotes DROP CONSTRAINT quotes_status_check;
ALTER TABLE quotes ADD CONSTRAINT quotes_status_check
  CHECK (status IN ('draft','awaiting_approval','approved','sent','accepted','declined','expired','superseded'));
ALTER TABLE quotes ADD CONSTRAINT quotes_declined_has_reason
  CHECK (status <> 'declined' OR (declined_reason IS NOT NULL AND declined_at IS NOT NULL));

ALTER TABLE quotes DROP CONSTRAINT quotes_tenant_id_number_key;
ALTER TABLE quotes ADD CONSTRAINT quotes_number_version_key UNIQUE (tenant_id, number, version);
ALTER TABLE quotes ADD CONSTRAINT quotes_root_version_key UNIQUE (tenant_id, root_id, version);
ALTER TABLE quotes ADD CONSTRAINT quotes_root_fk FOREIGN KEY (tenant_id, root_id) REFERENCES quotes (tenant_id, id);
ALTER TABLE quotes ADD CONSTRAINT quotes_previous_fk FOREIGN KEY (tenant_id, previous_version_id) REFERENCES quotes (tenant_id, id);
-- at most one version of a quote is being worked on at a time
CREATE UNIQUE INDEX quotes_one_open_version ON quotes (tenant_id, root_id)
  WHERE status IN ('draft', 'awaiting_approval', 'approved');

-- Lines keep a stable key across versions, so versions can be compared line by line.
ALTER TABLE quote_lines ADD COLUMN line_key text;
UPDATE quote_lines SET line_key = quote_id || '-' || line_no WHERE line_key IS NULL;
ALTER TABLE quote_lines ALTER COLUMN line_key SET NOT NULL;
ALTER TABLE quote_lines ADD CONSTRAINT quote_lines_line_key UNIQUE (tenant_id, quote_id, line_key);

-- A sent version is immutable: its lines can never change (the header changes only by status).
CREATE FUNCTION q2c_quote_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  st text;
BEGIN
  SELECT status INTO st FROM quotes
   WHERE tenant_id = COALESCE(NEW.tenant_id, OLD.tenant_id) AND id = COALESCE(NEW.quote_id, OLD.quote_id);
  IF st IS NOT NULL AND st NOT IN ('draft', 'awaiting_approval', 'approved') THEN
    RAISE EXCEPTION 'q2c: % on quote_lines of a % quote is not allowed: sent quote versions are immutable', TG_OP, st
      USING ERRCODE = 'P0001';
  END IF;
  RETURN COALESCE(NEW, OLD);
END;
$$;
CREATE TRIGGER quote_lines_immutable_when_sent BEFORE INSERT OR UPDATE OR DELETE ON quote_lines
  FOR EACH ROW EXECUTE FUNCTION q2c_quote_lines_guard();

CREATE FUNCTION q2c_quotes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('draft', 'awaiting_approval', 'approved') THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP = 'DELETE' OR
     (NEW.number, NEW.version, NEW.root_id, NEW.customer_id, NEW.currency, NEW.quote_date, NEW.valid_until,
      NEW.payment_terms_days, NEW.notes, NEW.net_total_minor, NEW.vat_total_minor, NEW.gross_total_minor)
     IS DISTINCT FROM
     (OLD.number, OLD.version, OLD.root_id, OLD.customer_id, OLD.currency, OLD.quote_date, OLD.valid_until,
      OLD.payment_terms_days, OLD.notes, OLD.net_total_minor, OLD.vat_total_minor, OLD.gross_total_minor) THEN
    RAISE EXCEPTION 'q2c: % of a % quote version is not allowed: sent quote versions are immutable', TG_OP, OLD.status
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER quotes_immutable_when_sent BEFORE UPDATE OR DELETE ON quotes
  FOR EACH ROW EXECUTE FUNCTION q2c_quotes_guard();
