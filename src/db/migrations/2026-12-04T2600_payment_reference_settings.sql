-- Payment reference settings per tenant (issue 5 part 4): which reference an invoice gets at issue
-- (a Swedish OCR number or an ISO 11649 RF creditor reference) and the tenant's Bankgirot OCR control
-- level. 'hard_variable_length' (length digit + Luhn) is what q2c has always issued. 'hard_fixed_length'
-- needs one or two agreed total lengths of 2-25 digits; the other levels take none.
ALTER TABLE tenants
  ADD COLUMN payment_reference_kind text NOT NULL DEFAULT 'ocr'
    CHECK (payment_reference_kind IN ('ocr', 'rf')),
  ADD COLUMN ocr_control text NOT NULL DEFAULT 'hard_variable_length'
    CHECK (ocr_control IN ('soft', 'hard', 'hard_variable_length', 'hard_fixed_length')),
  ADD COLUMN ocr_lengths integer[]
    CHECK (
      ocr_lengths IS NULL
      OR (cardinality(ocr_lengths) BETWEEN 1 AND 2 AND 2 <= ALL (ocr_lengths) AND 25 >= ALL (ocr_lengths)
          AND array_position(ocr_lengths, NULL) IS NULL)
    ),
  ADD CONSTRAINT tenants_ocr_lengths_for_fixed_length
    CHECK ((ocr_control = 'hard_fixed_length') = (ocr_lengths IS NOT NULL));
