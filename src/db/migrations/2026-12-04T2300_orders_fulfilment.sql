-- Orders, fulfilment and the customer's review (issue 4).
--
-- Order lines track every quantity the order goes through; the CHECKs below mirror the core model
-- (src/core/orders/quantities.ts) so a write that bypasses it is still refused:
--   quantity            ordered (never changes; amendments cancel or add lines)
--   quantity_cancelled  cancelled before delivery (cancellations and amendments that lower a line)
--   quantity_allocated  in deliveries (created, picked, packed, shipped or delivered), replacements included
--   quantity_reserved   stock reserved for the line and not yet shipped
--   quantity_shipped    shipped (replacements included)
--   quantity_delivered  delivered (replacements included)
--   quantity_returned   received back from the customer
--   quantity_replacement  owed or sent free of charge to replace faulty goods (never invoiced)
--   quantity_invoiced, quantity_credited  on invoices and credit notes
ALTER TABLE order_lines
  ADD COLUMN quantity_cancelled   numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_cancelled >= 0),
  ADD COLUMN quantity_reserved    numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_reserved >= 0),
  ADD COLUMN quantity_returned    numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_returned >= 0),
  ADD COLUMN quantity_replacement numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_replacement >= 0),
  ADD COLUMN quantity_credited    numeric(18,4) NOT NULL DEFAULT 0 CHECK (quantity_credited >= 0),
  ADD COLUMN invoicing_policy     text NOT NULL DEFAULT 'on_delivery' CHECK (invoicing_policy IN ('on_delivery', 'on_order')),
  ADD COLUMN fulfilment_kind      text NOT NULL DEFAULT 'goods' CHECK (fulfilment_kind IN ('goods', 'service')),
  ADD COLUMN stock_tracked        boolean NOT NULL DEFAULT false,
  ADD COLUMN added_in_version     integer NOT NULL DEFAULT 1 CHECK (added_in_version >= 1),
  DROP CONSTRAINT order_lines_check1,
  DROP CONSTRAINT order_lines_check4,
  ADD CONSTRAINT order_lines_cancelled_le_ordered CHECK (quantity_cancelled <= quantity),
  ADD CONSTRAINT order_lines_allocated_le_deliverable CHECK (quantity_allocated <= quantity - quantity_cancelled + quantity_replacement),
  ADD CONSTRAINT order_lines_reserved_shipped_le_deliverable CHECK (quantity_reserved + quantity_shipped <= quantity - quantity_cancelled + quantity_replacement),
  ADD CONSTRAINT order_lines_returned_le_delivered CHECK (quantity_returned <= quantity_delivered),
  ADD CONSTRAINT order_lines_replacement_le_delivered CHECK (quantity_replacement <= quantity_delivered),
  ADD CONSTRAINT order_lines_credited_le_invoiced CHECK (quantity_credited <= quantity_invoiced),
  ADD CONSTRAINT order_lines_net_invoiced_le_ordered CHECK (quantity_invoiced - quantity_credited <= quantity - quantity_cancelled),
  ADD CONSTRAINT order_lines_on_delivery_invoiced_le_delivered
    CHECK (invoicing_policy = 'on_order' OR quantity_invoiced - quantity_credited <= quantity_delivered),
  ADD CONSTRAINT order_lines_stock_only_goods CHECK (NOT stock_tracked OR fulfilment_kind = 'goods');

-- Orders: a credit hold, versions (amendments) and the customer's confirmation.
ALTER TABLE orders
  DROP CONSTRAINT orders_status_check,
  ADD CONSTRAINT orders_status_check CHECK (status IN ('unconfirmed', 'on_hold', 'confirmed', 'cancelled', 'closed')),
  ADD COLUMN version                integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  ADD COLUMN hold_reason            text,
  ADD COLUMN held_at                timestamptz,
  ADD COLUMN released_at            timestamptz,
  ADD COLUMN released_by            text,
  ADD COLUMN customer_confirmed_at  timestamptz,
  ADD COLUMN cancelled_at           timestamptz,
  ADD COLUMN closed_at              timestamptz,
  ADD CONSTRAINT orders_hold_reason CHECK (status <> 'on_hold' OR hold_reason IS NOT NULL);

-- Every version of an order as it was confirmed or amended: the lines, totals and what changed.
CREATE TABLE order_versions (
  tenant_id          text NOT NULL,
  order_id           text NOT NULL,
  version            integer NOT NULL CHECK (version >= 1),
  lines              jsonb NOT NULL,
  net_total_minor    bigint NOT NULL,
  vat_total_minor    bigint NOT NULL,
  gross_total_minor  bigint NOT NULL,
  changes            jsonb NOT NULL DEFAULT '[]'::jsonb,
  reason             text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  confirmed_at       timestamptz,
  confirmed_by       text CHECK (confirmed_by IN ('customer', 'staff')),
  PRIMARY KEY (tenant_id, order_id, version),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  CHECK (gross_total_minor = net_total_minor + vat_total_minor)
);

CREATE TABLE order_change_requests (
  tenant_id   text NOT NULL,
  id          text NOT NULL,
  order_id    text NOT NULL,
  version     integer NOT NULL,
  comment     text NOT NULL CHECK (length(btrim(comment)) > 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_change_requests_order_idx ON order_change_requests (tenant_id, order_id);

-- Credit limits and the tenant's fulfilment settings.
ALTER TABLE customers
  ADD COLUMN credit_limit_minor bigint CHECK (credit_limit_minor >= 0);

ALTER TABLE tenants
  ADD COLUMN credit_hold_overdue_days integer CHECK (credit_hold_overdue_days BETWEEN 0 AND 3650),
  ADD COLUMN allow_negative_stock     boolean NOT NULL DEFAULT false,
  ADD COLUMN review_window_days       integer NOT NULL DEFAULT 14 CHECK (review_window_days BETWEEN 0 AND 365);

-- Products: goods or services; goods may be stock-tracked.
ALTER TABLE products
  ADD COLUMN kind          text NOT NULL DEFAULT 'goods' CHECK (kind IN ('goods', 'service')),
  ADD COLUMN stock_tracked boolean NOT NULL DEFAULT false,
  ADD CONSTRAINT products_stock_only_goods CHECK (NOT stock_tracked OR kind = 'goods');

-- Stock: warehouses, levels per warehouse and product, reservations per order line, and the
-- movements as a ledger of their own (append-only); the levels always equal the sum of the movements.
CREATE TABLE warehouses (
  tenant_id   text NOT NULL REFERENCES tenants(id),
  id          text NOT NULL,
  code        text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,32}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
CREATE UNIQUE INDEX warehouses_one_default ON warehouses (tenant_id) WHERE is_default;

CREATE TABLE stock_levels (
  tenant_id     text NOT NULL,
  warehouse_id  text NOT NULL,
  product_id    text NOT NULL,
  on_hand       numeric(18,4) NOT NULL DEFAULT 0,
  reserved      numeric(18,4) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, warehouse_id, product_id),
  FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);

CREATE TABLE stock_reservations (
  tenant_id      text NOT NULL,
  warehouse_id   text NOT NULL,
  product_id     text NOT NULL,
  order_id       text NOT NULL,
  order_line_no  integer NOT NULL,
  quantity       numeric(18,4) NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, order_id, order_line_no, warehouse_id),
  FOREIGN KEY (tenant_id, warehouse_id, product_id) REFERENCES stock_levels (tenant_id, warehouse_id, product_id),
  FOREIGN KEY (tenant_id, order_id, order_line_no) REFERENCES order_lines (tenant_id, order_id, line_no)
);

CREATE TABLE stock_movements (
  tenant_id       text NOT NULL,
  id              text NOT NULL,
  warehouse_id    text NOT NULL,
  product_id      text NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('receipt', 'adjustment', 'reserve', 'release', 'ship', 'return_restock', 'return_scrap', 'scrap')),
  quantity        numeric(18,4) NOT NULL CHECK (quantity <> 0),
  on_hand_delta   numeric(18,4) NOT NULL,
  reserved_delta  numeric(18,4) NOT NULL,
  reference_type  text NOT NULL,
  reference_id    text NOT NULL,
  reason          text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, warehouse_id, product_id) REFERENCES stock_levels (tenant_id, warehouse_id, product_id)
);
CREATE INDEX stock_movements_product_idx ON stock_movements (tenant_id, product_id, warehouse_id, id);

CREATE FUNCTION q2c_stock_movements_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'q2c: % on stock_movements is not allowed: stock movements are an append-only ledger', TG_OP
    USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements
  FOR EACH ROW EXECUTE FUNCTION q2c_stock_movements_guard();

-- Deliveries: pick → pack → ship → delivered; replacement and service deliveries; the customer's review.
ALTER TABLE deliveries
  DROP CONSTRAINT deliveries_status_check,
  ADD CONSTRAINT deliveries_status_check CHECK (status IN ('created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled')),
  ADD COLUMN kind             text NOT NULL DEFAULT 'standard' CHECK (kind IN ('standard', 'replacement', 'service')),
  ADD COLUMN warehouse_id     text,
  ADD COLUMN claim_id         text,
  ADD COLUMN picked_at        timestamptz,
  ADD COLUMN packed_at        timestamptz,
  ADD COLUMN cancelled_at     timestamptz,
  ADD COLUMN proof            text CHECK (length(proof) <= 2000),
  ADD COLUMN review_status    text CHECK (review_status IN ('awaiting_review', 'accepted', 'disputed', 'deemed_accepted')),
  ADD COLUMN reviewed_at      timestamptz,
  ADD CONSTRAINT deliveries_warehouse_fk FOREIGN KEY (tenant_id, warehouse_id) REFERENCES warehouses (tenant_id, id),
  ADD CONSTRAINT deliveries_review_only_delivered CHECK (review_status IS NULL OR status = 'delivered');

ALTER TABLE delivery_lines
  ADD COLUMN hours numeric(18,4) CHECK (hours >= 0);

-- Claims: a problem the customer reported on a delivery line, and how it was put right. The
-- resolutions (replacement, return, credit, price concession) are kept with the claim as the core
-- model has them (src/core/claims/claims.ts); credits become credit requests for invoicing.
CREATE TABLE claims (
  tenant_id         text NOT NULL,
  id                text NOT NULL,
  number            text NOT NULL,
  order_id          text NOT NULL,
  order_line_no     integer NOT NULL,
  delivery_id       text NOT NULL,
  delivery_line_no  integer NOT NULL,
  reason            text NOT NULL CHECK (reason IN ('damaged', 'missing', 'wrong_item', 'not_as_described', 'other')),
  quantity          numeric(18,4) NOT NULL CHECK (quantity > 0),
  description       text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 2000),
  status            text NOT NULL CHECK (status IN ('open', 'resolved', 'rejected')),
  resolutions       jsonb NOT NULL DEFAULT '[]'::jsonb,
  rejection_reason  text,
  reported_by       text NOT NULL CHECK (reported_by IN ('customer', 'staff')),
  reported_at       timestamptz NOT NULL,
  closed_at         timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, number),
  FOREIGN KEY (tenant_id, order_id, order_line_no) REFERENCES order_lines (tenant_id, order_id, line_no),
  FOREIGN KEY (tenant_id, delivery_id, delivery_line_no) REFERENCES delivery_lines (tenant_id, delivery_id, line_no),
  CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL)
);
CREATE INDEX claims_order_idx ON claims (tenant_id, order_id);
CREATE INDEX claims_delivery_idx ON claims (tenant_id, delivery_id);

ALTER TABLE deliveries
  ADD CONSTRAINT deliveries_claim_fk FOREIGN KEY (tenant_id, claim_id) REFERENCES claims (tenant_id, id);

CREATE TABLE claim_photos (
  tenant_id     text NOT NULL,
  id            text NOT NULL,
  claim_id      text NOT NULL,
  content_type  text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
  bytes         bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 1 AND 5242880),
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, claim_id) REFERENCES claims (tenant_id, id)
);

-- Credits a claim asks for: invoicing turns them into credit notes (issue 5).
CREATE TABLE credit_requests (
  tenant_id      text NOT NULL,
  id             text NOT NULL,
  claim_id       text NOT NULL,
  order_id       text NOT NULL,
  order_line_no  integer NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('return', 'credit', 'price_concession')),
  quantity       numeric(18,4) CHECK (quantity > 0),
  currency       char(3) NOT NULL,
  net_minor      bigint NOT NULL CHECK (net_minor > 0),
  vat_rate       numeric(7,4) NOT NULL,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'credited', 'cancelled')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, claim_id) REFERENCES claims (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id, order_line_no) REFERENCES order_lines (tenant_id, order_id, line_no),
  CHECK ((kind = 'price_concession') = (quantity IS NULL))
);
CREATE INDEX credit_requests_order_idx ON credit_requests (tenant_id, order_id);

-- Portal links for orders (confirm or ask for changes) and deliveries (confirm receipt or report a
-- problem); as for quotes, only the SHA-256 of the token is stored.
CREATE TABLE document_portal_links (
  tenant_id       text NOT NULL,
  id              text NOT NULL,
  subject_type    text NOT NULL CHECK (subject_type IN ('order', 'delivery')),
  subject_id      text NOT NULL,
  token_hash      text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  expires_on      date NOT NULL,
  revoked_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_viewed_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, token_hash)
);
CREATE INDEX document_portal_links_token_hash_idx ON document_portal_links (token_hash);
CREATE INDEX document_portal_links_subject_idx ON document_portal_links (tenant_id, subject_type, subject_id);
