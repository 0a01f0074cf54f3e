-- Prices entered including VAT (B2C) and the invoicing policy per quote line.
-- See docs/decisions/0009-prices-including-vat.md.
--
-- quotes / orders: prices_include_vat says the unit prices were entered including VAT; the stored line
-- amounts are always nets (derived exactly per VAT group, core/tax/gross.ts netsFromGross).
-- rounding_minor is the document's rounding amount (EN 16931 BT-114, "Öresavrundning"): what no net can
-- produce, so that net + VAT + rounding = the entered gross total. It is 0 on every net-priced document
-- and at most a few öre otherwise (one öre per VAT group at most).
ALTER TABLE quotes
  ADD COLUMN prices_include_vat boolean NOT NULL DEFAULT false,
  ADD COLUMN rounding_minor     bigint  NOT NULL DEFAULT 0,
  ADD CONSTRAINT quotes_rounding_only_gross CHECK (prices_include_vat OR rounding_minor = 0),
  ADD CONSTRAINT quotes_rounding_small CHECK (rounding_minor BETWEEN -100 AND 100);

ALTER TABLE orders
  ADD COLUMN prices_include_vat boolean NOT NULL DEFAULT false,
  ADD COLUMN rounding_minor     bigint  NOT NULL DEFAULT 0,
  ADD CONSTRAINT orders_rounding_only_gross CHECK (prices_include_vat OR rounding_minor = 0),
  ADD CONSTRAINT orders_rounding_small CHECK (rounding_minor BETWEEN -100 AND 100);

-- The invoicing policy chosen on the quote line, frozen with the version and copied to the order line.
ALTER TABLE quote_lines
  ADD COLUMN invoicing_policy text NOT NULL DEFAULT 'on_delivery' CHECK (invoicing_policy IN ('on_delivery', 'on_order'));
