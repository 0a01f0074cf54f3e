-- Company settings the documents need: a phone number and a logo (PNG or JPEG, at most 256 KiB).
ALTER TABLE tenants
  ADD COLUMN phone    text,
  ADD COLUMN logo_png bytea CHECK (logo_png IS NULL OR octet_length(logo_png) <= 262144);
