-- The seller's address and contact on the tenant, copied onto every invoice at issue
-- (EU VAT Directive art. 226(5): the supplier's full name and address).
ALTER TABLE tenants
  ADD COLUMN address_line1 text,
  ADD COLUMN address_line2 text,
  ADD COLUMN postal_code   text,
  ADD COLUMN city          text,
  ADD COLUMN email         text;
