-- The VAT breakdown of an invoice is part of the issued document: immutable like its lines.
CREATE TRIGGER invoice_vat_breakdown_immutable BEFORE UPDATE OR DELETE ON invoice_vat_breakdown
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();
