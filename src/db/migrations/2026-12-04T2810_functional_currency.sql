-- The ledger in the tenant's functional (base) currency (docs/decisions/0008): from now on every new
-- journal line's `currency` is the tenant's base currency and entries balance in it (the deferred
-- balance trigger of 1600 keeps checking per currency). A line converted from a foreign document keeps
-- the transaction-currency amount beside it: amount_currency and amount_minor (>= 0, on the same side
-- as the line's debit/credit); both NULL on a line in the base currency.
ALTER TABLE journal_lines
  ADD COLUMN amount_currency char(3),
  ADD COLUMN amount_minor bigint,
  ADD CONSTRAINT journal_lines_amount_currency CHECK (
    (amount_currency IS NULL AND amount_minor IS NULL)
    OR (amount_currency IS NOT NULL AND amount_currency ~ '^[A-Z]{3}$' AND amount_currency <> currency
        AND amount_minor IS NOT NULL AND amount_minor >= 0)
  );

-- The rate an issued document used (units of base_currency per 1 unit of the document currency) and its
-- totals in the base currency. Set by the issue UPDATE (status draft -> issued, which the immutability
-- triggers of 1600 / 2400 allow: they fire only WHEN OLD.status = 'issued'), NULL on drafts, refused afterwards.
ALTER TABLE invoices
  ADD COLUMN exchange_rate numeric(28,10) CHECK (exchange_rate > 0),
  ADD COLUMN exchange_rate_date date,
  ADD COLUMN base_currency char(3),
  ADD COLUMN vat_total_base_minor bigint CHECK (vat_total_base_minor >= 0),
  ADD COLUMN gross_total_base_minor bigint CHECK (gross_total_base_minor >= 0),
  ADD CONSTRAINT invoices_base_amounts CHECK (
    (exchange_rate IS NULL) = (exchange_rate_date IS NULL)
    AND (exchange_rate IS NULL) = (base_currency IS NULL)
    AND (exchange_rate IS NULL) = (vat_total_base_minor IS NULL)
    AND (exchange_rate IS NULL) = (gross_total_base_minor IS NULL)
  );

ALTER TABLE credit_notes
  ADD COLUMN exchange_rate numeric(28,10) CHECK (exchange_rate > 0),
  ADD COLUMN exchange_rate_date date,
  ADD COLUMN base_currency char(3),
  ADD COLUMN vat_total_base_minor bigint CHECK (vat_total_base_minor >= 0),
  ADD COLUMN gross_total_base_minor bigint CHECK (gross_total_base_minor >= 0),
  ADD CONSTRAINT credit_notes_base_amounts CHECK (
    (exchange_rate IS NULL) = (exchange_rate_date IS NULL)
    AND (exchange_rate IS NULL) = (base_currency IS NULL)
    AND (exchange_rate IS NULL) = (vat_total_base_minor IS NULL)
    AND (exchange_rate IS NULL) = (gross_total_base_minor IS NULL)
  );

-- Open items in the base currency: 1510 (base) = Σ base_open_minor. Existing rows were posted in their
-- document currency, so their base amounts are their document amounts.
ALTER TABLE ar_open_items
  ADD COLUMN base_original_minor bigint,
  ADD COLUMN base_open_minor bigint;
UPDATE ar_open_items SET base_original_minor = original_minor, base_open_minor = open_minor;
ALTER TABLE ar_open_items
  ALTER COLUMN base_original_minor SET NOT NULL,
  ALTER COLUMN base_open_minor SET NOT NULL,
  ADD CONSTRAINT ar_open_items_base_open CHECK (base_open_minor >= 0 AND base_open_minor <= base_original_minor),
  -- nothing is left over in base once an item is settled
  ADD CONSTRAINT ar_open_items_base_settled CHECK (open_minor > 0 OR base_open_minor = 0);

-- Payments: the rate on the received date, the amount and the unapplied cash in the base currency
-- (2420 (base) = Σ base_unapplied_minor).
ALTER TABLE payments
  ADD COLUMN exchange_rate numeric(28,10),
  ADD COLUMN base_currency char(3),
  ADD COLUMN base_amount_minor bigint,
  ADD COLUMN base_unapplied_minor bigint;
UPDATE payments p
   SET exchange_rate = 1, base_currency = t.base_currency, base_amount_minor = p.amount_minor, base_unapplied_minor = p.unapplied_minor
  FROM tenants t
 WHERE t.id = p.tenant_id;
ALTER TABLE payments
  ALTER COLUMN exchange_rate SET NOT NULL,
  ALTER COLUMN base_currency SET NOT NULL,
  ALTER COLUMN base_amount_minor SET NOT NULL,
  ALTER COLUMN base_unapplied_minor SET NOT NULL,
  ADD CONSTRAINT payments_exchange_rate CHECK (exchange_rate > 0),
  ADD CONSTRAINT payments_base_unapplied CHECK (base_unapplied_minor >= 0 AND base_unapplied_minor <= base_amount_minor);

-- Allocations: the base value taken off the payment (debit 2420), the base value taken off the open
-- item (credit 1510), and their difference, the realised FX difference (gain > 0: 3960, loss < 0: 7960).
ALTER TABLE payment_allocations
  ADD COLUMN base_amount_minor bigint,
  ADD COLUMN base_open_minor bigint,
  ADD COLUMN fx_difference_minor bigint;
UPDATE payment_allocations SET base_amount_minor = amount_minor, base_open_minor = amount_minor, fx_difference_minor = 0;
ALTER TABLE payment_allocations
  ALTER COLUMN base_amount_minor SET NOT NULL,
  ALTER COLUMN base_open_minor SET NOT NULL,
  ALTER COLUMN fx_difference_minor SET NOT NULL,
  ADD CONSTRAINT payment_allocations_base CHECK (
    base_amount_minor >= 0 AND base_open_minor >= 0 AND fx_difference_minor = base_amount_minor - base_open_minor
  );
