-- Second approval of large refunds (issue 8, part 4): a refund of customer credit worth more than the
-- tenant's threshold (in the base currency) is not paid out at once; it waits as a request until a
-- second finance user (not the requester) approves it, and is then refunded as usual. NULL threshold =
-- every refund is paid out at once. The default, 50 000.00 in the base currency, applies to existing
-- tenants too.
ALTER TABLE tenants ADD COLUMN refund_approval_threshold_minor bigint DEFAULT 5000000 CHECK (refund_approval_threshold_minor >= 0);

CREATE TABLE refund_requests (
  tenant_id      text NOT NULL REFERENCES tenants(id),
  id             text NOT NULL,
  payment_id     text NOT NULL,
  currency       char(3) NOT NULL,
  amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
  refunded_on    date,
  reference      text NOT NULL,
  requested_by   text NOT NULL,
  requested_at   timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by     text,
  decided_at     timestamptz,
  decision_note  text,
  refund_id      text,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK ((status = 'approved') = (refund_id IS NOT NULL)),
  CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX refund_requests_pending ON refund_requests (tenant_id, requested_at) WHERE status = 'pending';
SELECT q2c_enable_tenant_rls('refund_requests');
