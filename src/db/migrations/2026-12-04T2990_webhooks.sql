-- Webhooks (issue 8, part 5): endpoints per tenant subscribing to event types, and one delivery row per
-- (endpoint, outbox event), created when the outbox dispatcher fans the event out.
--
-- A delivery is retried with exponential backoff and jitter until it succeeds or is given up on; an
-- endpoint whose deliveries keep failing is disabled (disabled_reason says why) and re-enabled by hand.
-- The signing secret is kept to sign deliveries (HMAC-SHA256); the API shows it once, at creation.
CREATE TABLE webhook_endpoints (
  tenant_id            text NOT NULL REFERENCES tenants(id),
  id                   text NOT NULL,
  url                  text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
  description          text,
  event_types          text[] NOT NULL CHECK (cardinality(event_types) >= 1),
  secret               text NOT NULL,
  enabled              boolean NOT NULL DEFAULT true,
  disabled_reason      text,
  consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);

CREATE TABLE webhook_deliveries (
  tenant_id        text NOT NULL,
  id               text NOT NULL,
  endpoint_id      text NOT NULL,
  event_id         text NOT NULL,
  event_type       text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, endpoint_id, event_id),
  FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints (tenant_id, id),
  FOREIGN KEY (tenant_id, event_id) REFERENCES outbox (tenant_id, id),
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (tenant_id, endpoint_id, created_at);
