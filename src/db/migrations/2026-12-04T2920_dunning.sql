-- Dunning (issue 7 item 6): reminder levels, reference rates, runs, reminders, per-invoice dunning
-- state and the fee / interest invoices a run issues. Pure rules in src/core/receivables/dunning.ts.

-- The tenant's schedule; no row = the defaults (core DEFAULT_SCHEDULE: 7 and 21 days, 60 SEK cap,
-- reference rate + 8 pp, interest invoiced above 100.00).
CREATE TABLE dunning_settings (
  tenant_id              text PRIMARY KEY REFERENCES tenants(id),
  enabled                boolean NOT NULL,
  fee_cap_minor          bigint NOT NULL CHECK (fee_cap_minor >= 0),
  interest_enabled       boolean NOT NULL,
  interest_margin        numeric(9,4) NOT NULL CHECK (interest_margin >= 0 AND interest_margin <= 100),
  interest_minimum_minor bigint NOT NULL CHECK (interest_minimum_minor >= 0),
  updated_at             timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dunning_levels (
  tenant_id       text NOT NULL REFERENCES dunning_settings(tenant_id),
  level           integer NOT NULL CHECK (level BETWEEN 1 AND 10),
  days_after_due  integer NOT NULL CHECK (days_after_due >= 1),
  fee_minor       bigint NOT NULL CHECK (fee_minor >= 0),
  PRIMARY KEY (tenant_id, level)
);

-- The Riksbank reference rate (percent per year, may be negative) in force from rate_date on.
CREATE TABLE reference_rates (
  tenant_id   text NOT NULL REFERENCES tenants(id),
  rate_date   date NOT NULL,
  rate        numeric(9,4) NOT NULL CHECK (rate BETWEEN -100 AND 100),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, rate_date)
);

-- One run per tenant and date: the unique key makes a second run of the same day send nothing.
CREATE TABLE dunning_runs (
  tenant_id   text NOT NULL REFERENCES tenants(id),
  id          text NOT NULL,
  run_date    date NOT NULL,
  report      jsonb,
  actor       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, run_date)
);

-- One reminder per customer and currency per run; what it lists is a snapshot (reminder_items).
CREATE TABLE reminders (
  tenant_id            text NOT NULL,
  id                   text NOT NULL,
  number               text NOT NULL,
  run_id               text NOT NULL,
  customer_id          text NOT NULL,
  currency             char(3) NOT NULL,
  reminder_date        date NOT NULL,
  language             text NOT NULL CHECK (language IN ('sv', 'en')),
  level                integer NOT NULL CHECK (level >= 1),
  open_total_minor     bigint NOT NULL CHECK (open_total_minor >= 0),
  fee_minor            bigint NOT NULL CHECK (fee_minor >= 0),
  fee_invoice_id       text,
  interest_minor       bigint NOT NULL CHECK (interest_minor >= 0),
  interest_invoice_id  text,
  buyer                jsonb NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  UNIQUE (tenant_id, run_id, customer_id, currency),
  FOREIGN KEY (tenant_id, run_id) REFERENCES dunning_runs (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, fee_invoice_id) REFERENCES invoices (tenant_id, id),
  FOREIGN KEY (tenant_id, interest_invoice_id) REFERENCES invoices (tenant_id, id)
);
CREATE INDEX reminders_customer_idx ON reminders (tenant_id, customer_id);

CREATE TABLE reminder_items (
  tenant_id       text NOT NULL,
  reminder_id     text NOT NULL,
  line_no         integer NOT NULL CHECK (line_no >= 1),
  invoice_id      text NOT NULL,
  invoice_number  text NOT NULL,
  issue_date      date NOT NULL,
  due_date        date NOT NULL,
  days_overdue    integer NOT NULL CHECK (days_overdue >= 1),
  original_minor  bigint NOT NULL,
  open_minor      bigint NOT NULL CHECK (open_minor > 0),
  level           integer NOT NULL CHECK (level >= 0),
  -- true when this reminder raised the invoice to `level` (false: listed at the level it already had)
  escalated       boolean NOT NULL,
  interest_minor  bigint NOT NULL DEFAULT 0 CHECK (interest_minor >= 0),
  PRIMARY KEY (tenant_id, reminder_id, line_no),
  FOREIGN KEY (tenant_id, reminder_id) REFERENCES reminders (tenant_id, id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);
-- A reminder never goes out twice for the same level of an invoice.
CREATE UNIQUE INDEX reminder_items_level_once ON reminder_items (tenant_id, invoice_id, level) WHERE escalated;

-- Per invoice: when it was first reported overdue (invoice.overdue once), the last level reminded,
-- and the date through which interest has been invoiced.
CREATE TABLE invoice_dunning (
  tenant_id           text NOT NULL,
  invoice_id          text NOT NULL,
  overdue_reported_on date,
  last_level          integer NOT NULL DEFAULT 0 CHECK (last_level >= 0),
  interest_through    date,
  PRIMARY KEY (tenant_id, invoice_id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);

-- The invoices dunning issued itself (a reminder fee, late-payment interest): never reminded or
-- charged interest in their turn (no interest on interest).
CREATE TABLE dunning_charges (
  tenant_id    text NOT NULL,
  invoice_id   text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('reminder_fee', 'interest')),
  reminder_id  text,
  details      jsonb NOT NULL,
  PRIMARY KEY (tenant_id, invoice_id),
  FOREIGN KEY (tenant_id, invoice_id) REFERENCES invoices (tenant_id, id)
);

