-- The customer portal for quotes (issue 3 parts 7–8).
--   quote_portal_links     a link to one sent quote version; only the SHA-256 of its token is stored
--                          (the token itself is shown once, when the link is made). The token is
--                          looked up before the tenant is known, hence the plain index on token_hash.
--   quote_acceptances      who accepted a version through the portal, when, from where, and a hash of
--                          what they saw; one per quote version
--   quote_change_requests  the customer's requests for changes, for staff to act on
CREATE TABLE quote_portal_links (
  tenant_id       text NOT NULL,
  id              text NOT NULL,
  quote_id        text NOT NULL,
  token_hash      text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  expires_on      date NOT NULL,
  revoked_at      timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_viewed_at  timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, token_hash),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, id)
);
CREATE INDEX quote_portal_links_token_hash_idx ON quote_portal_links (token_hash);
CREATE INDEX quote_portal_links_quote_idx ON quote_portal_links (tenant_id, quote_id);

CREATE TABLE quote_acceptances (
  tenant_id                   text NOT NULL,
  id                          text NOT NULL,
  quote_id                    text NOT NULL,
  order_id                    text NOT NULL,
  signer_name                 text NOT NULL CHECK (length(btrim(signer_name)) > 0),
  consent                     boolean NOT NULL CHECK (consent),
  ip                          text,
  user_agent                  text,
  content_hash                text NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
  selected_optional_line_keys jsonb NOT NULL DEFAULT '[]'::jsonb,
  accepted_at                 timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, quote_id),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE quote_change_requests (
  tenant_id   text NOT NULL,
  id          text NOT NULL,
  quote_id    text NOT NULL,
  comment     text NOT NULL CHECK (length(btrim(comment)) > 0),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, quote_id) REFERENCES quotes (tenant_id, id)
);
CREATE INDEX quote_change_requests_quote_idx ON quote_change_requests (tenant_id, quote_id);
