-- Payment adjustments (issue 6): write-offs within tolerance, bank fees, unapply, refunds of customer
-- credit and returned payments.
--
-- An allocation may settle more of the open item than the cash it takes off the payment: a short rest
-- within the tenant's tolerance written off (3740 / 1510) and a fee the bank withheld (6570 / 1510).
-- Both are kept on the allocation, in the transaction currency and at the base value taken off the open
-- item, so an unapply reverses them exactly. The open item goes down by amount + write-off + bank fee.
--
-- Allocations are never deleted: an unapply (or a returned payment) marks them reversed (when, on which
-- date, by whom) and posts reversing journal entries. A trigger keeps the rest of the row unchanged and
-- lets the reversal be set once.
ALTER TABLE payment_allocations
  ADD COLUMN write_off_minor      bigint NOT NULL DEFAULT 0 CHECK (write_off_minor >= 0),
  ADD COLUMN write_off_base_minor bigint NOT NULL DEFAULT 0 CHECK (write_off_base_minor >= 0),
  ADD COLUMN bank_fee_minor       bigint NOT NULL DEFAULT 0 CHECK (bank_fee_minor >= 0),
  ADD COLUMN bank_fee_base_minor  bigint NOT NULL DEFAULT 0 CHECK (bank_fee_base_minor >= 0),
  ADD COLUMN reversed_at          timestamptz,
  ADD COLUMN reversed_on          date,
  ADD COLUMN reversed_by          text,
  ADD CONSTRAINT payment_allocations_reversed CHECK (
    (reversed_at IS NULL) = (reversed_on IS NULL) AND (reversed_at IS NULL) = (reversed_by IS NULL)
  );
CREATE INDEX payment_allocations_invoice ON payment_allocations (tenant_id, invoice_id);
CREATE INDEX payment_allocations_payment ON payment_allocations (tenant_id, payment_id);

CREATE FUNCTION q2c_allocation_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'q2c: allocations are never deleted; unapply reverses them' USING ERRCODE = 'P0001';
  END IF;
  IF OLD.reversed_at IS NOT NULL
     OR (NEW.tenant_id, NEW.id, NEW.payment_id, NEW.open_item_id, NEW.invoice_id, NEW.amount_minor, NEW.applied_on,
         NEW.created_at, NEW.base_amount_minor, NEW.base_open_minor, NEW.fx_difference_minor, NEW.write_off_minor,
         NEW.write_off_base_minor, NEW.bank_fee_minor, NEW.bank_fee_base_minor)
        IS DISTINCT FROM
        (OLD.tenant_id, OLD.id, OLD.payment_id, OLD.open_item_id, OLD.invoice_id, OLD.amount_minor, OLD.applied_on,
         OLD.created_at, OLD.base_amount_minor, OLD.base_open_minor, OLD.fx_difference_minor, OLD.write_off_minor,
         OLD.write_off_base_minor, OLD.bank_fee_minor, OLD.bank_fee_base_minor) THEN
    RAISE EXCEPTION 'q2c: an allocation can only be reversed, once' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER payment_allocations_guard BEFORE UPDATE OR DELETE ON payment_allocations
  FOR EACH ROW EXECUTE FUNCTION q2c_allocation_guard();

-- A payment the bank returned (bounced): its allocations reversed, its receipt reversed, nothing left.
ALTER TABLE payments
  ADD COLUMN status        text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'returned')),
  ADD COLUMN returned_on   date,
  ADD COLUMN return_reason text,
  ADD CONSTRAINT payments_returned CHECK (
    (status = 'returned') = (returned_on IS NOT NULL) AND (returned_on IS NULL) = (return_reason IS NULL)
    AND (status = 'received' OR (unapplied_minor = 0 AND base_unapplied_minor = 0))
  );

-- Refunds of customer credit: cash paid back out of a payment's unapplied amount. 2420 is debited with
-- the base value taken off the payment (base_amount_minor, at the payment's rate), the bank credited with
-- the value on the refund date (bank_base_minor); the difference is a realised FX difference (3960 / 7960).
CREATE TABLE payment_refunds (
  tenant_id           text NOT NULL,
  id                  text NOT NULL,
  payment_id          text NOT NULL,
  currency            char(3) NOT NULL,
  amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
  base_amount_minor   bigint NOT NULL CHECK (base_amount_minor >= 0),
  bank_base_minor     bigint NOT NULL CHECK (bank_base_minor >= 0),
  fx_difference_minor bigint NOT NULL,
  refunded_on         date NOT NULL,
  reference           text NOT NULL CHECK (length(btrim(reference)) BETWEEN 1 AND 200),
  created_by          text NOT NULL,
  created_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
  CHECK (fx_difference_minor = base_amount_minor - bank_base_minor)
);
CREATE INDEX payment_refunds_payment ON payment_refunds (tenant_id, payment_id);
CREATE TRIGGER payment_refunds_immutable BEFORE UPDATE OR DELETE ON payment_refunds
  FOR EACH ROW EXECUTE FUNCTION q2c_reject_change();
