-- Customer portal links to issued invoices (issue 9): the invoice, its PDF and how to pay it (bankgiro /
-- IBAN, the OCR or RF reference, amount and due date). They live with the order and delivery links in
-- document_portal_links (only the token's SHA-256 is stored, revocable, expiring; already under RLS),
-- so the subject_type CHECK gains 'invoice'.

ALTER TABLE document_portal_links DROP CONSTRAINT IF EXISTS document_portal_links_subject_type_check;
ALTER TABLE document_portal_links
  ADD CONSTRAINT document_portal_links_subject_type_check CHECK (subject_type IN ('order', 'delivery', 'invoice'));
