-- q2c foundation schema. PostgreSQL 15 dialect; runs unchanged on PGlite.
-- Every table carries tenant_id and it leads every primary key and unique index.
-- Money: bigint minor units with a currency column. Quantities: numeric(18,4).

CREATE TABLE tenants (
  id            text PRIMARY KEY,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  org_number    text,
  vat_number    text,
  base_currency char(3) NOT NULL DEFAULT 'SEK',
  country       char(2) NOT NULL DEFAULT 'SE',
  bankgiro      text,
  iban          text,
  bic           text,
  f_skatt       boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  tenant_id    text NOT NULL REFERENCES tenants(id),
  id           text NOT NULL,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  key_hash     text NOT NULL,
  key_prefix   text NOT NULL,
  role         text NOT NULL DEFAULT 'admin',
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, key_hash)
);
-- authentication looks a key up by its hash before the tenant is known
CREATE INDEX api_keys_key_hash ON api_keys (key_hash);

-- Gapless counters for document and journal numbering; locked by UPDATE ... RETURNING inside the issuing transaction.
CREATE TABLE number_series (
  tenant_id  text NOT NULL REFERENCES tenants(id),
  series_key text NOT NULL,
  next_value bigint NOT NULL DEFAULT 1 CHECK (next_value >= 1),
  PRIMARY KEY (tenant_id, series_key)
);

CREATE TABLE customers (
  tenant_id          text NOT NULL REFERENCES tenants(id),
  id                 text NOT NULL,
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  email              text,
  country            char(2) NOT NULL,
  currency           char(3) NOT NULL,
  org_number         text,
  vat_number         text,
  payment_terms_days integer NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
  address_line1      text,
  address_line2      text,
  postal_code        text,
  city               text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE products (
  tenant_id  text NOT NULL REFERENCES tenants(id),
  id         text NOT NULL,
  sku        text NOT NULL CHECK (length(sku) BETWEEN 1 AND 64),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  unit       text NOT NULL,
  tax_class  text NOT NULL CHECK (tax_class IN ('standard','reduced_12','food','reduced_6','zero','exempt')),
  active     boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, sku)
);

CREATE TABLE product_prices (
  tenant_id        text NOT NULL,
  product_id       text NOT NULL,
  currency         char(3) NOT NULL,
  unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, product_id, currency),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

CREATE TABLE quotes (
  tenant_id          text NOT NULL REFERENCES tenants(id),
  id                 text NOT NULL,
  number             text NOT NULL,
  version            integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  customer_id        text NOT NULL,
  currency           char(3) NOT NULL,
  status             text NOT NULL CHECK (status IN ('draft','sent','accepted','declined','expired')),
  quote_date         date NOT NULL,
  valid_until        date NOT NULL,
  payment_terms_days integer NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
  notes              text,
  net_total_minor    bigint NOT NULL DEFAULT 0,
  vat_total_minor    bigint NOT NULL DEFAULT 0 CHECK (vat_total_minor >= 0),
  gross_total_minor  bigint NOT NULL DEFAULT 0,
  sent_at            timestamptz,
  accepted_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  CHECK (valid_until >= quote_date),
  CHECK (gross_total_minor = net_total_minor + vat_total_minor)
);

CREATE TABLE quote_lines (
  tenant_id              text NOT NULL,
  quote_id               text NOT NULL,
  line_no                integer NOT NULL CHECK (line_no >= 1),
  product_id             text,
  description            text NOT NULL,
  quantity               numeric(18,4) NOT NULL CHECK (quantity > 0),
  unit                   text NOT NULL,
  unit_price_minor       bigint NOT NULL CHECK (unit_price_minor >= 0),
  discount_percent       numeric(7,4) NOT NULL DEFAULT 0 CHECK (discount_percent >= 0 AND discount_percent <= 100),
  gross_amount_minor     bigint NOT NULL CHECK (gross_amount_minor >= 0),
  discount_amount_minor  bigint NOT NULL CHECK (discount_amount_minor >= 0),
  net_amount_minor       bigint NOT NULL CHECK (net_amount_minor >= 0),
  tax_class              text NOT NULL,
  vat_rate               numeric(7,4) NOT NULL CHECK (vat_rate >= 0 AND vat_rate < 100),
  vat_category           text NOT NULL,
  PRIMARY KEY (tenant_id, quote_id, line_no),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  CHECK (net_amount_minor = gross_amount_minor - discount_amount_minor)
);

CREATE TABLE orders (
  tenant_id          text NOT NULL REFERENCES tenants(id),
  id                 text NOT NULL,
  number             text NOT NULL,
  quote_id           text NOT NULL,
  customer_id        text NOT NULL,
  currency           char(3) NOT NULL,
  status             text NOT NULL CHECK (status IN ('unconfirmed','confirmed','cancelled','closed')),
  order_date         date NOT NULL,
  payment_terms_days integer NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
  net_total_minor    bigint NOT NULL,
  vat_total_minor    bigint NOT NULL CHECK (vat_total_minor >= 0),
  gross_total_minor  bigint NOT NULL,
  confirmed_at       timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  UNIQUE (tenant_id, quote_id),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  CHECK (gross_total_minor = net_total_minor + vat_total_minor)
);

-- Frozen copy of the accepted quote line plus running quantities.
CREATE TABLE order_lines (
  tenant_id              text NOT NULL,
  order_id               text NOT NULL,
  line_no                integer NOT NULL CHECK (line_no >= 1),
  product_id             text,
  description            text NOT NULL,
  quantity               numeric(18,4) NOT NULL CHECK (quantity > 0),
  unit                   text NOT NULL,
  unit_price_minor       bigint NOT NULL CHECK (unit_price_minor >= 0),
  discount_percent       numeric(7,4) NOT NULL CHECK (discount_percent >= 0 AND discount_percent <= 100),
  gross_amount_minor     bigint NOT NULL CHECK (gross_amount_minor >= 0),
  discount_amount_minor  bigint NOT NULL CHECK (discount_amount_minor >= 0),
  net_amount_minor       bigint NOT NULL CHECK (net_amount_minor >= 0),
  tax_class              text NOT NULL,
  vat_rate               numeric(7,4) NOT NULL,
  vat_category           text NOT NULL,
  quantity_allocated     numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_allocated >= 0),
  quantity_shipped       numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_shipped >= 0),
  quantity_delivered     numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_delivered >= 0),
  quantity_invoiced      numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_invoiced >= 0),
  net_invoiced_minor     bigint NOT NULL DEFAULT 0 CHECK (net_invoiced_minor >= 0),
  PRIMARY KEY (tenant_id, order_id, line_no),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  CHECK (net_amount_minor = gross_amount_minor - discount_amount_minor),
  CHECK (quantity_allocated <= quantity),
  CHECK (quantity_shipped <= quantity_allocated),
  CHECK (quantity_delivered <= quantity_shipped),
  CHECK (quantity_invoiced <= quantity_delivered),
  CHECK (net_invoiced_minor <= net_amount_minor)
);

CREATE TABLE deliveries (
  tenant_id       text NOT NULL,
  id              text NOT NULL,
  number          text NOT NULL,
  order_id        text NOT NULL,
  status          text NOT NULL CHECK (status IN ('created','shipped','delivered')),
  carrier         text,
  tracking_number text,
  shipped_at      timestamptz,
  delivered_at    timestamptz,
  delivered_on    date,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE delivery_lines (
  tenant_id     text NOT NULL,
  delivery_id   text NOT NULL,
  line_no       integer NOT NULL CHECK (line_no >= 1),
  order_id      text NOT NULL,
  order_line_no integer NOT NULL,
  quantity      numeric(18,4) NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, delivery_id, line_no),
  FOREIGN KEY (tenant_id, delivery_id) REFERENCES deliveries (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id, order_line_no) REFERENCES order_lines (tenant_id, order_id, line_no)
);

CREATE TABLE invoices (
  tenant_id           text NOT NULL,
  id                  text NOT NULL,
  series              text NOT NULL,
  number              text,
  status              text NOT NULL CHECK (status IN ('draft','issued')),
  order_id            text NOT NULL,
  customer_id         text NOT NULL,
  currency            char(3) NOT NULL,
  issue_date          date,
  due_date            date,
  delivery_date       date,
  payment_terms_days  integer NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
  payment_reference   text,
  net_total_minor     bigint NOT NULL CHECK (net_total_minor >= 0),
  vat_total_minor     bigint NOT NULL CHECK (vat_total_minor >= 0),
  gross_total_minor   bigint NOT NULL CHECK (gross_total_minor >= 0),
  seller              jsonb,
  buyer               jsonb NOT NULL,
  issued_at           timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, series, number),
  UNIQUE (tenant_id, payment_reference),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  CHECK (gross_total_minor = net_total_minor + vat_total_minor),
  CHECK ((status = 'draft') = (number IS NULL)),
  CHECK (status = 'draft' OR (issue_date IS NOT NULL AND due_date IS NOT NULL AND payment_reference IS NOT NULL AND issued_at IS NOT NULL))
);

CREATE TABLE invoice_lines (
  tenant_id              text NOT NULL,
  invoice_id             text NOT NULL,
  line_no                integer NOT NULL CHECK (line_no >= 1),
  order_id               text NOT NULL,
  order_line_no          integer NOT NULL,
  product_id             text,
  description            text NOT NULL,
  quantity               numeric(18,4) NOT NULL CHECK (quantity > 0),
  unit                   text NOT NULL,
  unit_price_minor       bigint NOT NULL CHECK (unit_price_minor >= 0),
  discount_percent       numeric(7,4) NOT NULL,
  gross_amount_minor     bigint NOT NULL CHECK (gross_amount_minor >= 0),
  discount_amount_minor  bigint NOT NULL CHECK (discount_amount_minor >= 0),
  net_amount_minor       bigint NOT NULL CHECK (net_amount_minor >= 0),
  vat_rate               numeric(7,4) NOT NULL,
  vat_category           text NOT NULL,
  PRIMARY KEY (tenant_id, invoice_id, line_no),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id, order_line_no) REFERENCES order_lines (tenant_id, order_id, line_no),
  CHECK (net_amount_minor = gross_amount_minor - discount_amount_minor)
);

CREATE TABLE invoice_vat_breakdown (
  tenant_id     text NOT NULL,
  invoice_id    text NOT NULL,
  vat_category  text NOT NULL,
  vat_rate      numeric(7,4) NOT NULL,
  taxable_minor bigint NOT NULL CHECK (taxable_minor >= 0),
  vat_minor     bigint NOT NULL CHECK (vat_minor >= 0),
  PRIMARY KEY (tenant_id, invoice_id, vat_category, vat_rate),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);

-- Receivables subledger: one open item per issued invoice (credit notes later).
CREATE TABLE ar_open_items (
  tenant_id      text NOT NULL,
  id             text NOT NULL,
  customer_id    text NOT NULL,
  invoice_id     text NOT NULL,
  currency       char(3) NOT NULL,
  document_date  date NOT NULL,
  due_date       date NOT NULL,
  original_minor bigint NOT NULL CHECK (original_minor > 0),
  open_minor     bigint NOT NULL CHECK (open_minor >= 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, invoice_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id),
  CHECK (open_minor <= original_minor)
);
CREATE INDEX ar_open_items_open ON ar_open_items (tenant_id, customer_id) WHERE open_minor > 0;

CREATE TABLE payments (
  tenant_id          text NOT NULL REFERENCES tenants(id),
  id                 text NOT NULL,
  customer_id        text,
  currency           char(3) NOT NULL,
  amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
  unapplied_minor    bigint NOT NULL CHECK (unapplied_minor >= 0),
  received_on        date NOT NULL,
  payer_name         text,
  payer_account      text,
  reference_text     text,
  matched_invoice_id text,
  match_method       text CHECK (match_method IN ('ocr_reference','invoice_number')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, matched_invoice_id) REFERENCES invoices (tenant_id, id),
  CHECK (unapplied_minor <= amount_minor)
);
CREATE INDEX payments_unapplied ON payments (tenant_id, id) WHERE unapplied_minor > 0;

CREATE TABLE payment_allocations (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  payment_id   text NOT NULL,
  open_item_id text NOT NULL,
  invoice_id   text NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  applied_on   date NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
  FOREIGN KEY (tenant_id, open_item_id) REFERENCES ar_open_items (tenant_id, id)
);

CREATE TABLE journal_entries (
  tenant_id          text NOT NULL REFERENCES tenants(id),
  id                 text NOT NULL,
  series             text NOT NULL,
  fiscal_year        integer NOT NULL,
  number             integer NOT NULL CHECK (number >= 1),
  entry_date         date NOT NULL,
  description        text NOT NULL,
  source_type        text NOT NULL,
  source_id          text NOT NULL,
  reverses_entry_id  text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, series, fiscal_year, number)
);

CREATE TABLE journal_lines (
  tenant_id    text NOT NULL,
  entry_id     text NOT NULL,
  line_no      integer NOT NULL CHECK (line_no >= 1),
  account      text NOT NULL CHECK (account ~ '^[0-9]{4}$'),
  currency     char(3) NOT NULL,
  debit_minor  bigint NOT NULL CHECK (debit_minor >= 0),
  credit_minor bigint NOT NULL CHECK (credit_minor >= 0),
  customer_id  text,
  PRIMARY KEY (tenant_id, entry_id, line_no),
  FOREIGN KEY (tenant_id, entry_id) REFERENCES journal_entries (tenant_id, id),
  CHECK ((debit_minor = 0) <> (credit_minor = 0))
);
CREATE INDEX journal_lines_account ON journal_lines (tenant_id, account);

CREATE TABLE audit_log (
  tenant_id   text NOT NULL,
  id          text NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  entity_type text NOT NULL,
  entity_id   text NOT NULL,
  data        jsonb,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_log_entity ON audit_log (tenant_id, entity_type, entity_id);

CREATE TABLE outbox (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  event_type   text NOT NULL,
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE idempotency_keys (
  tenant_id       text NOT NULL,
  key             text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
  request_hash    text NOT NULL,
  status          text NOT NULL CHECK (status IN ('in_progress','completed')),
  response_status integer,
  response_body   jsonb,
  locked_at       timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz,
  PRIMARY KEY (tenant_id, key),
  CHECK ((status = 'completed') = (response_status IS NOT NULL))
);

-- Posted journal entries and issued invoices are immutable: corrections are new records.
CREATE FUNCTION q2c_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'q2c: % on % is not allowed: posted and issued records are immutable', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001';
END;
$$;
CREATE TRIGGER journal_entries_immutable BEFORE UPDATE OR DELETE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();
CREATE TRIGGER journal_lines_immutable BEFORE UPDATE OR DELETE ON journal_lines
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW WHEN (OLD.status = 'issued') EXECUTE FUNCTION q2c_reject_change();
CREATE TRIGGER invoice_lines_immutable BEFORE UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();
CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();

-- Every journal entry balances per currency, checked at commit (the rows of one entry arrive one by one).
CREATE FUNCTION q2c_check_entry_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT currency, sum(debit_minor) AS d, sum(credit_minor) AS c INTO bad
    FROM journal_lines
   WHERE tenant_id = NEW.tenant_id AND entry_id = NEW.entry_id
   GROUP BY currency
  HAVING sum(debit_minor) <> sum(credit_minor)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'q2c: journal entry % does not balance in %: debit % <> credit %', NEW.entry_id, bad.currency, bad.d, bad.c
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER journal_lines_balanced AFTER INSERT ON journal_lines
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION q2c_check_entry_balanced();
