-- Catalog and pricing (issue 3, parts 1–2). The product's own product_prices stay its list price per
-- currency (the general price list). Price lists add customer-group and date-specific prices and
-- quantity tiers on top; customer prices replace a list price when they are lower (the pricing
-- engine, src/core/pricing, decides). Quote lines keep the engine's figures and its explanation.

CREATE TABLE product_groups (
  tenant_id  text NOT NULL REFERENCES tenants(id),
  id         text NOT NULL,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, name)
);

-- unit_cost_minor: cost per unit in the tenant's base currency (margin only when the quote is in it).
ALTER TABLE products
  ADD COLUMN group_id        text,
  ADD COLUMN unit_cost_minor bigint CHECK (unit_cost_minor >= 0),
  ADD CONSTRAINT products_group_fk FOREIGN KEY (tenant_id, group_id) REFERENCES product_groups (tenant_id, id);

ALTER TABLE customers
  ADD COLUMN customer_group text CHECK (length(customer_group) BETWEEN 1 AND 64);

CREATE TABLE price_lists (
  tenant_id      text NOT NULL REFERENCES tenants(id),
  id             text NOT NULL,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  currency       char(3) NOT NULL,
  customer_group text CHECK (length(customer_group) BETWEEN 1 AND 64),
  valid_from     date,
  valid_to       date,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_to >= valid_from)
);

-- tiers: [{ "up_to": "10.0000" | null, "unit_price_minor": "10000" }], validated by core/pricing/tiers.
CREATE TABLE price_list_prices (
  tenant_id        text NOT NULL,
  price_list_id    text NOT NULL,
  product_id       text NOT NULL,
  unit_price_minor bigint CHECK (unit_price_minor >= 0),
  tier_mode        text CHECK (tier_mode IN ('graduated', 'volume')),
  tiers            jsonb CHECK (tiers IS NULL OR jsonb_typeof(tiers) = 'array'),
  PRIMARY KEY (tenant_id, price_list_id, product_id),
  FOREIGN KEY (tenant_id, price_list_id) REFERENCES price_lists (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  CHECK ((unit_price_minor IS NOT NULL) <> (tiers IS NOT NULL)),
  CHECK ((tiers IS NULL) = (tier_mode IS NULL))
);

CREATE TABLE customer_prices (
  tenant_id        text NOT NULL REFERENCES tenants(id),
  id               text NOT NULL,
  customer_id      text NOT NULL,
  product_id       text NOT NULL,
  currency         char(3) NOT NULL,
  unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
  valid_from       date,
  valid_to         date,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX customer_prices_customer ON customer_prices (tenant_id, customer_id, product_id);

-- Quote lines: the discount split (line discount + share of the quote discount), optional lines,
-- cost and the engine's explanation trail. line_discount_kind 'percent' uses discount_percent;
-- 'amount' means line_discount_minor is the amount given.
ALTER TABLE quote_lines
  ADD COLUMN line_discount_kind   text CHECK (line_discount_kind IN ('percent', 'amount')),
  ADD COLUMN line_discount_minor  bigint NOT NULL DEFAULT 0 CHECK (line_discount_minor >= 0),
  ADD COLUMN quote_discount_minor bigint NOT NULL DEFAULT 0 CHECK (quote_discount_minor >= 0),
  ADD COLUMN optional             boolean NOT NULL DEFAULT false,
  ADD COLUMN selected             boolean NOT NULL DEFAULT true,
  ADD COLUMN unit_cost_minor      bigint CHECK (unit_cost_minor >= 0),
  ADD COLUMN cost_minor           bigint CHECK (cost_minor >= 0),
  ADD COLUMN trail                jsonb NOT NULL DEFAULT '[]'::jsonb;

-- Existing lines: their whole discount was the line's percentage. Sent versions are immutable, so
-- the guard is lifted for this one statement (inside the migration's transaction).
ALTER TABLE quote_lines DISABLE TRIGGER quote_lines_immutable_when_sent;
UPDATE quote_lines
   SET line_discount_minor = discount_amount_minor,
       line_discount_kind = CASE WHEN discount_percent > 0 THEN 'percent' END;
ALTER TABLE quote_lines ENABLE TRIGGER quote_lines_immutable_when_sent;

ALTER TABLE quote_lines
  ADD CONSTRAINT quote_lines_discount_split CHECK (discount_amount_minor = line_discount_minor + quote_discount_minor),
  ADD CONSTRAINT quote_lines_selected_only_optional CHECK (optional OR selected),
  ADD CONSTRAINT quote_lines_percent_kind CHECK (line_discount_kind = 'percent' OR discount_percent = 0),
  ADD CONSTRAINT quote_lines_cost_known CHECK ((unit_cost_minor IS NULL) = (cost_minor IS NULL));

ALTER TABLE quotes
  ADD COLUMN quote_discount_kind         text CHECK (quote_discount_kind IN ('percent', 'amount')),
  ADD COLUMN quote_discount_percent      numeric(7,4) CHECK (quote_discount_percent >= 0 AND quote_discount_percent <= 100),
  ADD COLUMN quote_discount_amount_minor bigint CHECK (quote_discount_amount_minor >= 0),
  ADD COLUMN quote_discount_minor        bigint NOT NULL DEFAULT 0 CHECK (quote_discount_minor >= 0),
  ADD COLUMN cost_total_minor            bigint CHECK (cost_total_minor >= 0),
  ADD COLUMN margin_minor                bigint,
  ADD CONSTRAINT quotes_discount_kind CHECK (
    (quote_discount_kind IS NULL AND quote_discount_percent IS NULL AND quote_discount_amount_minor IS NULL)
    OR (quote_discount_kind = 'percent' AND quote_discount_percent IS NOT NULL AND quote_discount_amount_minor IS NULL)
    OR (quote_discount_kind = 'amount' AND quote_discount_amount_minor IS NOT NULL AND quote_discount_percent IS NULL)),
  ADD CONSTRAINT quotes_margin_with_cost CHECK ((cost_total_minor IS NULL) = (margin_minor IS NULL));

-- The immutability guard covers the new header columns too.
CREATE OR REPLACE FUNCTION q2c_quotes_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('draft', 'awaiting_approval', 'approved') THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP = 'DELETE' OR
     (NEW.number, NEW.version, NEW.root_id, NEW.customer_id, NEW.currency, NEW.quote_date, NEW.valid_until,
      NEW.payment_terms_days, NEW.notes, NEW.net_total_minor, NEW.vat_total_minor, NEW.gross_total_minor,
      NEW.quote_discount_kind, NEW.quote_discount_percent, NEW.quote_discount_amount_minor, NEW.quote_discount_minor,
      NEW.cost_total_minor, NEW.margin_minor)
     IS DISTINCT FROM
     (OLD.number, OLD.version, OLD.root_id, OLD.customer_id, OLD.currency, OLD.quote_date, OLD.valid_until,
      OLD.payment_terms_days, OLD.notes, OLD.net_total_minor, OLD.vat_total_minor, OLD.gross_total_minor,
      OLD.quote_discount_kind, OLD.quote_discount_percent, OLD.quote_discount_amount_minor, OLD.quote_discount_minor,
      OLD.cost_total_minor, OLD.margin_minor) THEN
    RAISE EXCEPTION 'q2c: % of a % quote version is not allowed: sent quote versions are immutable', TG_OP, OLD.status
      USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
