-- Öre rounding on invoices (docs/decisions/0009, EN 16931 BT-114 "Öresavrundning"): an invoice of an
-- order priced including VAT carries the order's rounding when it is the invoice that completes the
-- order (app/orders/totals.ts invoiceRoundingOf), so net + VAT + rounding = the gross the customer
-- entered. What the customer owes is gross + rounding − prepaid: never negative. The rounding is a few
-- öre at most, hence the small bound. gross_total_minor stays net + VAT (BT-112) and the existing CHECK
-- 0 <= prepaid <= gross is kept. The invoices_immutable trigger of 1600 fires for any UPDATE of an
-- issued invoice, so this column is frozen at issue like the others.
ALTER TABLE invoices
  ADD COLUMN rounding_minor bigint NOT NULL DEFAULT 0 CHECK (rounding_minor BETWEEN -99 AND 99),
  ADD CONSTRAINT invoices_amount_due_not_negative CHECK (gross_total_minor + rounding_minor - prepaid_minor >= 0);
