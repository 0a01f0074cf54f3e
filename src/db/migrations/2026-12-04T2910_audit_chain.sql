-- Tamper-evident audit trail (issue 7 item 7): the audit log hash-chained per tenant, and posted journal
-- entries and issued invoices / credit notes sealed into that chain by a content digest.
--
-- Canonical form. A list of fields (text or NULL) is serialised as netstrings: a NULL field is `~,`, any
-- other field is `<UTF-8 byte length>:<text>,` (q2c_canonical). Every value is first turned into text by
-- PostgreSQL in a fixed format, so the database and the TypeScript verifier (src/core/audit/chain.ts),
-- which reads the same columns back as text, serialise identically: timestamps as
-- to_char(x AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') (q2c_ts), dates as YYYY-MM-DD,
-- jsonb as jsonb::text (deterministic: jsonb is stored normalised), numeric / bigint as ::text.
-- Hashes are lowercase hex SHA-256 (built-in sha256(bytea), PostgreSQL >= 11 and PGlite) over the
-- UTF-8 bytes of the canonical text.
--
-- The chain. Each audit row gets seq (1, 2, … per tenant, no gaps), prev_hash (the hash of row seq - 1;
-- 64 zeros for seq 1) and hash = SHA-256 of canonical('q2c.audit.v1', tenant_id, seq, id, occurred_at,
-- actor, action, entity_type, entity_id, data, prev_hash). audit_chain_heads holds each tenant's last
-- (seq, hash), so dropping rows from the end of the chain is noticed too.
--
-- When. The row is sealed at COMMIT by a deferred constraint trigger (q2c_audit_seal), not when it is
-- inserted: the tenant's head row is locked only from the seal until the commit, a few statements. A
-- lock taken at the insert would be held through the rest of the use case and would invert the lock
-- order with the invoice / number-series locks taken after an audit row (a billing run that issues
-- many invoices in one transaction would deadlock with a single issue). Concurrent commits of one tenant
-- queue on its head row for those few statements only. The app cannot bypass it: the trigger fires for
-- every INSERT, the audit_log guard refuses rows inserted with seq / hash set (except by the database's
-- own triggers, below) and every UPDATE or DELETE except the seal itself. A transaction that inserted
-- audit rows with triggers disabled leaves them unsealed (seq NULL), which `q2c verify` reports.
--
-- Journal entries and documents. At COMMIT of the transaction that posted a journal entry (or issued an
-- invoice / credit note), a deferred trigger appends an audit row `journal.posted` (`invoice.sealed`,
-- `credit_note.sealed`) whose data holds a digest of the whole record: the entry with all its lines (the
-- invoice with its lines, VAT breakdown and advance deductions; the credit note with its lines, VAT
-- breakdown and releases), in the field order of q2c_*_digest below. That row is appended already sealed
-- (q2c_audit_append: it is written at commit anyway, so it needs no second step) and chained like any other,
-- so a later change of a posted amount or an issued total, even one made with the immutability triggers
-- disabled, no longer matches its sealed digest; `q2c verify` recomputes every digest in TypeScript
-- (src/db/repositories/audit.ts reads the same fields in the same order) and names the record. Posting
-- costs no extra round trip: the triggers run inside the COMMIT.
--
-- Existing rows are backfilled: seal rows for entries and issued documents made before this migration
-- (dated when they were posted / issued), then the whole log chained per tenant in (occurred_at, id) order.
--
-- Limits: anyone who can rewrite the database can also recompute the whole chain. `q2c verify` prints the
-- head (seq and hash); noting it elsewhere (a ticket, an e-mail, the SIE export) anchors everything before it.

-- ---------------------------------------------------------------- columns and heads
DROP TRIGGER audit_log_immutable ON audit_log;

ALTER TABLE audit_log
  ADD COLUMN seq bigint CHECK (seq >= 1),
  ADD COLUMN prev_hash text CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  ADD COLUMN hash text CHECK (hash ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT audit_log_sealed CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL));
CREATE UNIQUE INDEX audit_log_seq ON audit_log (tenant_id, seq);

CREATE TABLE audit_chain_heads (
  tenant_id text PRIMARY KEY,
  seq       bigint NOT NULL CHECK (seq >= 1),
  prev_hash text NOT NULL,
  hash      text NOT NULL
);

-- ---------------------------------------------------------------- canonical form and hashes
-- PL/pgSQL rather than SQL functions: PostgreSQL < 18 plans a non-inlined SQL function on every call,
-- and these run for every audit row at commit; PL/pgSQL keeps its plans for the session.
CREATE FUNCTION q2c_canonical(fields text[]) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  out text := '';
  f text;
BEGIN
  IF fields IS NULL THEN
    RETURN '';
  END IF;
  FOREACH f IN ARRAY fields LOOP
    IF f IS NULL THEN
      out := out || '~,';
    ELSE
      out := out || octet_length(convert_to(f, 'UTF8'))::text || ':' || f || ',';
    END IF;
  END LOOP;
  RETURN out;
END $$;

CREATE FUNCTION q2c_sha256_hex(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN encode(sha256(convert_to(t, 'UTF8')), 'hex');
END $$;

CREATE FUNCTION q2c_ts(t timestamptz) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
END $$;

CREATE FUNCTION q2c_audit_hash(a audit_log, p_seq bigint, p_prev text) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN q2c_sha256_hex(q2c_canonical(ARRAY[
    'q2c.audit.v1', a.tenant_id, p_seq::text, a.id, q2c_ts(a.occurred_at), a.actor, a.action, a.entity_type, a.entity_id,
    a.data::text, p_prev]));
END $$;

-- aud_ + 26 lowercase hex characters (12 of millisecond time, 14 random), the shape of the app's audit ids
CREATE FUNCTION q2c_audit_id() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN 'aud_' || lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')
         || substr(replace(gen_random_uuid()::text, '-', ''), 1, 14);
END $$;

-- ---------------------------------------------------------------- record digests (field order = src/db/repositories/audit.ts)
CREATE FUNCTION q2c_journal_entry_digest(p_tenant text, p_id text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  body text;
BEGIN
  SELECT q2c_canonical(ARRAY[
           'journal_entry', e.tenant_id, e.id, e.series, e.fiscal_year::text, e.number::text, to_char(e.entry_date, 'YYYY-MM-DD'),
           e.description, e.source_type, e.source_id, e.reverses_entry_id, q2c_ts(e.created_at),
           to_jsonb(e) ->> 'document_date', to_jsonb(e) ->> 'created_by'])
    INTO body
    FROM journal_entries e WHERE e.tenant_id = p_tenant AND e.id = p_id;
  body := body || coalesce((SELECT string_agg(q2c_canonical(ARRAY[
           'line', l.line_no::text, l.account, l.currency::text, l.debit_minor::text, l.credit_minor::text, l.customer_id,
           l.amount_currency::text, l.amount_minor::text]), '' ORDER BY l.line_no)
    FROM journal_lines l WHERE l.tenant_id = p_tenant AND l.entry_id = p_id), '');
  RETURN q2c_sha256_hex(body);
END $$;

CREATE FUNCTION q2c_invoice_digest(p_tenant text, p_id text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  body text;
BEGIN
  SELECT q2c_canonical(ARRAY[
           'invoice', i.tenant_id, i.id, i.series, i.number, i.status, i.order_id, i.customer_id, i.currency::text,
           to_char(i.issue_date, 'YYYY-MM-DD'), to_char(i.due_date, 'YYYY-MM-DD'), to_char(i.delivery_date, 'YYYY-MM-DD'),
           i.payment_terms_days::text, i.payment_reference, i.net_total_minor::text, i.vat_total_minor::text, i.gross_total_minor::text,
           i.seller::text, i.buyer::text, q2c_ts(i.issued_at), q2c_ts(i.created_at), i.exchange_rate::text,
           to_char(i.exchange_rate_date, 'YYYY-MM-DD'), i.base_currency::text, i.vat_total_base_minor::text, i.gross_total_base_minor::text,
           i.kind, i.advance_label, i.prepaid_minor::text, i.rounding_minor::text])
    INTO body
    FROM invoices i WHERE i.tenant_id = p_tenant AND i.id = p_id;
  body := body
    || coalesce((SELECT string_agg(q2c_canonical(ARRAY[
         'line', l.line_no::text, l.order_id, l.order_line_no::text, l.product_id, l.description, l.quantity::text, l.unit,
         l.unit_price_minor::text, l.discount_percent::text, l.gross_amount_minor::text, l.discount_amount_minor::text,
         l.net_amount_minor::text, l.vat_rate::text, l.vat_category]), '' ORDER BY l.line_no)
         FROM invoice_lines l WHERE l.tenant_id = p_tenant AND l.invoice_id = p_id), '')
    || coalesce((SELECT string_agg(q2c_canonical(ARRAY[
         'vat', v.vat_category, v.vat_rate::text, v.taxable_minor::text, v.vat_minor::text]), '' ORDER BY v.vat_category COLLATE "C", v.vat_rate)
         FROM invoice_vat_breakdown v WHERE v.tenant_id = p_tenant AND v.invoice_id = p_id), '')
    || coalesce((SELECT string_agg(q2c_canonical(ARRAY[
         'deduction', d.line_no::text, d.advance_invoice_id, d.vat_category, d.vat_rate::text, d.net_minor::text, d.vat_minor::text]), '' ORDER BY d.line_no)
         FROM invoice_advance_deductions d WHERE d.tenant_id = p_tenant AND d.invoice_id = p_id), '');
  RETURN q2c_sha256_hex(body);
END $$;

CREATE FUNCTION q2c_credit_note_digest(p_tenant text, p_id text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  body text;
BEGIN
  SELECT q2c_canonical(ARRAY[
           'credit_note', c.tenant_id, c.id, c.series, c.number, c.status, c.invoice_id, c.order_id, c.customer_id, c.currency::text,
           c.reason, c.credit_request_id, to_char(c.issue_date, 'YYYY-MM-DD'), c.net_total_minor::text, c.vat_total_minor::text,
           c.gross_total_minor::text, c.receivable_minor::text, c.customer_credit_minor::text, c.seller::text, c.buyer::text,
           q2c_ts(c.issued_at), q2c_ts(c.created_at), c.exchange_rate::text, to_char(c.exchange_rate_date, 'YYYY-MM-DD'),
           c.base_currency::text, c.vat_total_base_minor::text, c.gross_total_base_minor::text])
    INTO body
    FROM credit_notes c WHERE c.tenant_id = p_tenant AND c.id = p_id;
  body := body
    || coalesce((SELECT string_agg(q2c_canonical(ARRAY[
         'line', l.line_no::text, l.invoice_line_no::text, l.order_line_no::text, l.description, l.quantity::text, l.unit,
         l.unit_price_minor::text, l.gross_amount_minor::text, l.discount_amount_minor::text, l.net_amount_minor::text,
         l.vat_rate::text, l.vat_category]), '' ORDER BY l.line_no)
         FROM credit_note_lines l WHERE l.tenant_id = p_tenant AND l.credit_note_id = p_id), '')
    || coalesce((SELECT string_agg(q2c_canonical(ARRAY[
         'vat', v.vat_category, v.vat_rate::text, v.taxable_minor::text, v.vat_minor::text]), '' ORDER BY v.vat_category COLLATE "C", v.vat_rate)
         FROM credit_note_vat_breakdown v WHERE v.tenant_id = p_tenant AND v.credit_note_id = p_id), '')
    || coalesce((SELECT string_agg(q2c_canonical(ARRAY[
         'release', r.payment_id, r.invoice_id, r.amount_minor::text]), '' ORDER BY r.payment_id COLLATE "C")
         FROM credit_note_releases r WHERE r.tenant_id = p_tenant AND r.credit_note_id = p_id), '');
  RETURN q2c_sha256_hex(body);
END $$;

-- ---------------------------------------------------------------- backfill: seal rows for what exists, then the chain
INSERT INTO audit_log (tenant_id, id, occurred_at, actor, action, entity_type, entity_id, data)
SELECT e.tenant_id, q2c_audit_id(), e.created_at, coalesce(to_jsonb(e) ->> 'created_by', 'q2c'), 'journal.posted', 'journal_entry', e.id,
       jsonb_build_object('series', e.series, 'fiscal_year', e.fiscal_year, 'number', e.number, 'entry_date', e.entry_date,
                          'digest', q2c_journal_entry_digest(e.tenant_id, e.id))
  FROM journal_entries e;

INSERT INTO audit_log (tenant_id, id, occurred_at, actor, action, entity_type, entity_id, data)
SELECT i.tenant_id, q2c_audit_id(), i.issued_at, 'q2c', 'invoice.sealed', 'invoice', i.id,
       jsonb_build_object('series', i.series, 'number', i.number, 'gross_total_minor', i.gross_total_minor::text,
                          'digest', q2c_invoice_digest(i.tenant_id, i.id))
  FROM invoices i WHERE i.status = 'issued';

INSERT INTO audit_log (tenant_id, id, occurred_at, actor, action, entity_type, entity_id, data)
SELECT c.tenant_id, q2c_audit_id(), c.issued_at, 'q2c', 'credit_note.sealed', 'credit_note', c.id,
       jsonb_build_object('series', c.series, 'number', c.number, 'gross_total_minor', c.gross_total_minor::text,
                          'digest', q2c_credit_note_digest(c.tenant_id, c.id))
  FROM credit_notes c WHERE c.status = 'issued';

DO $$
DECLARE
  r audit_log%ROWTYPE;
  cur text := NULL;
  n bigint := 0;
  prev text;
  last_prev text;
  h text;
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY tenant_id COLLATE "C", occurred_at, id COLLATE "C" LOOP
    IF cur IS DISTINCT FROM r.tenant_id THEN
      IF cur IS NOT NULL THEN
        INSERT INTO audit_chain_heads (tenant_id, seq, prev_hash, hash) VALUES (cur, n, last_prev, prev);
      END IF;
      cur := r.tenant_id;
      n := 0;
      prev := repeat('0', 64);
    END IF;
    n := n + 1;
    h := q2c_audit_hash(r, n, prev);
    UPDATE audit_log SET seq = n, prev_hash = prev, hash = h WHERE tenant_id = r.tenant_id AND id = r.id;
    last_prev := prev;
    prev := h;
  END LOOP;
  IF cur IS NOT NULL THEN
    INSERT INTO audit_chain_heads (tenant_id, seq, prev_hash, hash) VALUES (cur, n, last_prev, prev);
  END IF;
END $$;

-- ---------------------------------------------------------------- sealing at commit
CREATE FUNCTION q2c_audit_seal() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  h record;
  genesis constant text := repeat('0', 64);
BEGIN
  UPDATE audit_chain_heads AS c SET seq = c.seq + 1, prev_hash = c.hash, hash = q2c_audit_hash(NEW, c.seq + 1, c.hash)
   WHERE c.tenant_id = NEW.tenant_id
  RETURNING c.seq, c.prev_hash, c.hash INTO h;
  IF NOT FOUND THEN -- the tenant's first row (or a concurrent first row: then the conflict arm takes the next seq)
    INSERT INTO audit_chain_heads AS c (tenant_id, seq, prev_hash, hash)
    VALUES (NEW.tenant_id, 1, genesis, q2c_audit_hash(NEW, 1, genesis))
    ON CONFLICT (tenant_id) DO UPDATE
       SET seq = c.seq + 1, prev_hash = c.hash, hash = q2c_audit_hash(NEW, c.seq + 1, c.hash)
    RETURNING c.seq, c.prev_hash, c.hash INTO h;
  END IF;
  UPDATE audit_log SET seq = h.seq, prev_hash = h.prev_hash, hash = h.hash
   WHERE tenant_id = NEW.tenant_id AND id = NEW.id AND seq IS NULL;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'q2c: audit row % could not be sealed', NEW.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END $$;

-- Append-only: rows arrive unsealed; the only change allowed is the seal (from q2c_audit_seal, a nested
-- trigger level) filling seq / prev_hash / hash and nothing else.
CREATE FUNCTION q2c_audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF (NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL) AND pg_trigger_depth() < 2 THEN
      RAISE EXCEPTION 'q2c: audit rows are sealed by the database, not inserted sealed' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND pg_trigger_depth() > 1
     AND (NEW.tenant_id, NEW.id, NEW.occurred_at, NEW.actor, NEW.action, NEW.entity_type, NEW.entity_id, NEW.data)
         IS NOT DISTINCT FROM (OLD.tenant_id, OLD.id, OLD.occurred_at, OLD.actor, OLD.action, OLD.entity_type, OLD.entity_id, OLD.data) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'q2c: % on % is not allowed: posted and issued records are immutable', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001';
END $$;

CREATE TRIGGER audit_log_immutable BEFORE INSERT OR UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION q2c_audit_log_guard();
CREATE CONSTRAINT TRIGGER audit_log_chained AFTER INSERT ON audit_log
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.seq IS NULL) EXECUTE FUNCTION q2c_audit_seal();

-- Seal rows of the database's own (journal.posted, invoice.sealed, credit_note.sealed) are written at
-- commit already, so they are appended sealed in one INSERT instead of inserted and sealed after.
CREATE FUNCTION q2c_audit_append(p_tenant text, p_actor text, p_action text, p_entity_type text, p_entity_id text, p_data jsonb)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  r audit_log%ROWTYPE;
  h record;
  genesis constant text := repeat('0', 64);
BEGIN
  r.tenant_id := p_tenant;
  r.id := q2c_audit_id();
  r.occurred_at := now();
  r.actor := p_actor;
  r.action := p_action;
  r.entity_type := p_entity_type;
  r.entity_id := p_entity_id;
  r.data := p_data;
  UPDATE audit_chain_heads AS c SET seq = c.seq + 1, prev_hash = c.hash, hash = q2c_audit_hash(r, c.seq + 1, c.hash)
   WHERE c.tenant_id = p_tenant
  RETURNING c.seq, c.prev_hash, c.hash INTO h;
  IF NOT FOUND THEN
    INSERT INTO audit_chain_heads AS c (tenant_id, seq, prev_hash, hash)
    VALUES (p_tenant, 1, genesis, q2c_audit_hash(r, 1, genesis))
    ON CONFLICT (tenant_id) DO UPDATE
       SET seq = c.seq + 1, prev_hash = c.hash, hash = q2c_audit_hash(r, c.seq + 1, c.hash)
    RETURNING c.seq, c.prev_hash, c.hash INTO h;
  END IF;
  r.seq := h.seq;
  r.prev_hash := h.prev_hash;
  r.hash := h.hash;
  INSERT INTO audit_log SELECT r.*;
END $$;

CREATE FUNCTION q2c_seal_journal_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM q2c_audit_append(NEW.tenant_id, coalesce(to_jsonb(NEW) ->> 'created_by', 'q2c'), 'journal.posted', 'journal_entry', NEW.id,
          jsonb_build_object('series', NEW.series, 'fiscal_year', NEW.fiscal_year, 'number', NEW.number, 'entry_date', NEW.entry_date,
                             'digest', q2c_journal_entry_digest(NEW.tenant_id, NEW.id)));
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER journal_entries_sealed AFTER INSERT ON journal_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION q2c_seal_journal_entry();

CREATE FUNCTION q2c_seal_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM q2c_audit_append(NEW.tenant_id, 'q2c', 'invoice.sealed', 'invoice', NEW.id,
          jsonb_build_object('series', NEW.series, 'number', NEW.number, 'gross_total_minor', NEW.gross_total_minor::text,
                             'digest', q2c_invoice_digest(NEW.tenant_id, NEW.id)));
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER invoices_sealed_at_issue AFTER UPDATE ON invoices
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status <> 'issued' AND NEW.status = 'issued')
  EXECUTE FUNCTION q2c_seal_invoice();
CREATE CONSTRAINT TRIGGER invoices_sealed_at_insert AFTER INSERT ON invoices
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'issued')
  EXECUTE FUNCTION q2c_seal_invoice();

CREATE FUNCTION q2c_seal_credit_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM q2c_audit_append(NEW.tenant_id, 'q2c', 'credit_note.sealed', 'credit_note', NEW.id,
          jsonb_build_object('series', NEW.series, 'number', NEW.number, 'gross_total_minor', NEW.gross_total_minor::text,
                             'digest', q2c_credit_note_digest(NEW.tenant_id, NEW.id)));
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER credit_notes_sealed_at_issue AFTER UPDATE ON credit_notes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status <> 'issued' AND NEW.status = 'issued')
  EXECUTE FUNCTION q2c_seal_credit_note();
CREATE CONSTRAINT TRIGGER credit_notes_sealed_at_insert AFTER INSERT ON credit_notes
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'issued')
  EXECUTE FUNCTION q2c_seal_credit_note();
