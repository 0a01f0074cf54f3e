-- Bundles: a product made of components, priced as the sum of the components' prices or at a fixed
-- price of its own, shown on documents expanded (the components listed under the line) or
-- collapsed. One level: a component is never itself a bundle (checked by the use cases, which also
-- keep every component at the bundle's VAT tax class).
ALTER TABLE products
  ADD COLUMN bundle_pricing text CHECK (bundle_pricing IN ('sum', 'fixed')),
  ADD COLUMN bundle_display text CHECK (bundle_display IN ('expanded', 'collapsed')),
  ADD CONSTRAINT products_bundle_both CHECK ((bundle_pricing IS NULL) = (bundle_display IS NULL));

CREATE TABLE product_components (
  tenant_id    text NOT NULL,
  bundle_id    text NOT NULL,
  position     integer NOT NULL CHECK (position >= 1),
  component_id text NOT NULL,
  quantity     numeric(18,4) NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (tenant_id, bundle_id, position),
  UNIQUE (tenant_id, bundle_id, component_id),
  FOREIGN KEY (tenant_id, bundle_id) REFERENCES products (tenant_id, id),
  FOREIGN KEY (tenant_id, component_id) REFERENCES products (tenant_id, id),
  CHECK (component_id <> bundle_id)
);
CREATE INDEX product_components_component ON product_components (tenant_id, component_id);

-- The bundle as it was quoted and ordered: {pricing, display, components: [{product_id, sku,
-- description, unit, quantity_per_unit, quantity, amount_minor}]}, frozen with the line.
ALTER TABLE quote_lines ADD COLUMN bundle jsonb;
ALTER TABLE order_lines ADD COLUMN bundle jsonb;
