-- Exchange rates (issue 5 part 6): per tenant, per currency and date, the rate to the tenant's base
-- (functional) currency: 1 unit of `currency` = `rate` units of the base currency. Entered by hand or
-- imported from CSV; the invoice stores the rate it used, so a rate corrected later never changes an
-- issued document. numeric(28,10): exact, the same scale as core RATE_DIGITS.

CREATE TABLE exchange_rates (
  tenant_id   text NOT NULL REFERENCES tenants(id),
  currency    char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  rate_date   date NOT NULL,
  rate        numeric(28,10) NOT NULL CHECK (rate > 0),
  source      text NOT NULL CHECK (source IN ('manual', 'csv')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, currency, rate_date)
);
