-- Bank transactions (issue 6): every line read from a bank file (BgMax, camt.053/054, MT940, CSV) is
-- kept once per tenant, bank account and natural key, so importing the same file again, or an
-- overlapping statement, adds nothing. A line carries its matching outcome: auto-applied (with the
-- payment it became), waiting for review (with the engine's proposals and reasons), customer credit,
-- or ignored (with why). Imports are recorded with what they did.

CREATE TABLE bank_imports (
  tenant_id     text NOT NULL REFERENCES tenants(id),
  id            text NOT NULL,
  format        text NOT NULL CHECK (format IN ('bgmax', 'camt053', 'camt054', 'mt940', 'csv')),
  file_name     text,
  file_sha256   char(64) NOT NULL,
  file_id       text,
  report        jsonb NOT NULL,
  actor         text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX bank_imports_sha ON bank_imports (tenant_id, file_sha256);

CREATE TABLE bank_transactions (
  tenant_id         text NOT NULL REFERENCES tenants(id),
  id                text NOT NULL,
  import_id         text NOT NULL,
  natural_key       text NOT NULL,
  account           text NOT NULL,
  booking_date      date NOT NULL,
  value_date        date,
  currency          char(3) NOT NULL,
  amount_minor      bigint NOT NULL CHECK (amount_minor <> 0),
  payer_name        text,
  payer_account     text,
  payer_org_number  text,
  payer_address     text,
  refs              jsonb NOT NULL,
  text              text,
  bank_reference    text,
  source            text NOT NULL,
  status            text NOT NULL CHECK (status IN ('unmatched', 'applied', 'credit', 'ignored', 'outgoing')),
  payment_id        text,
  match             jsonb,
  ignored_reason    text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, account, natural_key),
  FOREIGN KEY (tenant_id, import_id) REFERENCES bank_imports (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
  CHECK ((status IN ('applied', 'credit')) = (payment_id IS NOT NULL)),
  CHECK ((status = 'ignored') = (ignored_reason IS NOT NULL))
);
CREATE INDEX bank_transactions_status ON bank_transactions (tenant_id, status, id);

-- Payer accounts learned from confirmed matches: the next payment from the account is the customer's.
CREATE TABLE payer_accounts (
  tenant_id     text NOT NULL REFERENCES tenants(id),
  account       text NOT NULL,
  customer_id   text NOT NULL,
  learned_from  text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, account),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);

-- Matching settings per tenant (DEFAULT_MATCH_POLICY in core): auto-apply threshold and the
-- short-payment tolerance written off on apply.
ALTER TABLE tenants
  ADD COLUMN match_auto_threshold integer NOT NULL DEFAULT 90 CHECK (match_auto_threshold BETWEEN 50 AND 100),
  ADD COLUMN match_tolerance_minor bigint NOT NULL DEFAULT 1000 CHECK (match_tolerance_minor >= 0),
  ADD COLUMN match_tolerance_bp integer NOT NULL DEFAULT 0 CHECK (match_tolerance_bp BETWEEN 0 AND 1000);

-- Saved column mappings for CSV exports, one per bank account (the account the export is of).
CREATE TABLE bank_csv_mappings (
  tenant_id   text NOT NULL REFERENCES tenants(id),
  account     text NOT NULL,
  mapping     jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, account)
);
