-- Delivery bookkeeping for the transactional outbox (issue 3 part 6): a worker claims unpublished,
-- due events, runs their handlers and marks them published, or failed with a retry time.
--   attempts        failed deliveries so far (a claim alone does not count)
--   last_error      the last failure, kept when the worker gives up
--   next_attempt_at NULL on a fresh event (due at once) and on one the worker gave up on
--                   (attempts > 0); otherwise the earliest time it is due again (a claim sets it
--                   to the end of a short lease, so a crashed worker's events come back)
ALTER TABLE outbox
  ADD COLUMN attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ADD COLUMN last_error      text,
  ADD COLUMN next_attempt_at timestamptz;

CREATE INDEX outbox_unpublished_idx ON outbox (tenant_id, created_at) WHERE published_at IS NULL;
