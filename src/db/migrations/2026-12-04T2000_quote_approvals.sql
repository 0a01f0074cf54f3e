-- Quote approvals (issue 3 part 3). A tenant keeps a set of approval rules ("a line discount above
-- 15 % needs approval"); a quote version that triggers one must be approved before it is sent.
-- Every request and its decision is a row of quote_approvals: who asked, who decided, when, for
-- which version, which rules triggered and the snapshot (fingerprints) the approval covered, so a
-- revised version can be compared with what was approved.
CREATE TABLE approval_rules (
  tenant_id    text NOT NULL REFERENCES tenants(id),
  id           text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('line_discount_above','quote_discount_above','margin_below','total_above')),
  percent      numeric(7,4),
  amount_minor bigint,
  currency     char(3),
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CONSTRAINT approval_rules_percent_kind CHECK (
    kind = 'total_above'
    OR (percent IS NOT NULL AND percent >= 0 AND percent <= 100 AND amount_minor IS NULL AND currency IS NULL)),
  CONSTRAINT approval_rules_amount_kind CHECK (
    kind <> 'total_above'
    OR (percent IS NULL AND amount_minor IS NOT NULL AND amount_minor >= 0 AND currency IS NOT NULL))
);

CREATE TABLE quote_approvals (
  tenant_id    text NOT NULL REFERENCES tenants(id),
  id           text NOT NULL,
  quote_id     text NOT NULL,
  version      integer NOT NULL CHECK (version >= 1),
  status       text NOT NULL CHECK (status IN ('requested','approved','rejected')),
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL,
  decided_by   text,
  decided_at   timestamptz,
  comment      text,
  triggered    jsonb NOT NULL,
  snapshot     jsonb NOT NULL,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, id),
  CONSTRAINT quote_approvals_decided CHECK (
    (status = 'requested' AND decided_by IS NULL AND decided_at IS NULL)
    OR (status <> 'requested' AND decided_by IS NOT NULL AND decided_at IS NOT NULL)),
  CONSTRAINT quote_approvals_rejected_has_comment CHECK (status <> 'rejected' OR comment IS NOT NULL)
);
CREATE INDEX quote_approvals_quote_idx ON quote_approvals (tenant_id, quote_id, requested_at);
-- at most one open request per quote version
CREATE UNIQUE INDEX quote_approvals_one_open ON quote_approvals (tenant_id, quote_id) WHERE status = 'requested';
