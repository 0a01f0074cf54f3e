-- Users, sessions and password resets (issue 8 part 2). A user signs in with e-mail and password
-- (and a TOTP code once enrolled) and gets a session: a random token in an HttpOnly cookie, of which
-- only the SHA-256 is stored. Passwords are scrypt hashes of a peppered HMAC (the pepper is never in
-- the database); TOTP secrets are stored encrypted with a key derived from the same pepper.
CREATE TABLE users (
  tenant_id           text NOT NULL REFERENCES tenants(id),
  id                  text NOT NULL,
  -- lower-cased by the application; the check keeps a second spelling of one address out
  email               text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role                text NOT NULL CHECK (role IN ('admin', 'sales_manager', 'sales', 'operations', 'finance', 'viewer')),
  -- NULL: invited, no password set yet (cannot sign in)
  password_hash       text CHECK (password_hash IS NULL OR password_hash LIKE 'scrypt$%'),
  platform_admin      boolean NOT NULL DEFAULT false,
  active              boolean NOT NULL DEFAULT true,
  -- AES-256-GCM ciphertext of the base32 secret; set on enrolment, effective once totp_enabled_at is set
  totp_secret_enc     text,
  totp_enabled_at     timestamptz,
  -- the last 30-second step a code was accepted for: a code is never accepted twice (replay)
  totp_last_step      integer,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL,
  password_changed_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, email),
  CHECK (totp_enabled_at IS NULL OR totp_secret_enc IS NOT NULL)
);
-- login and password reset look a user up by e-mail before the tenant is known
CREATE INDEX users_email ON users (email);

CREATE TABLE sessions (
  tenant_id    text NOT NULL,
  id           text NOT NULL,
  user_id      text NOT NULL,
  token_hash   text NOT NULL,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  ip           text,
  user_agent   text CHECK (user_agent IS NULL OR length(user_agent) <= 500),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  CHECK (expires_at > created_at)
);
-- a request's cookie finds its session by hash before the tenant is known
CREATE UNIQUE INDEX sessions_token_hash ON sessions (token_hash);
CREATE INDEX sessions_open_by_user ON sessions (tenant_id, user_id) WHERE revoked_at IS NULL;

-- A reset (or an invitation) link: the token is `<id>.<HMAC(pepper, id)>`, so only the id is stored.
CREATE TABLE password_resets (
  tenant_id  text NOT NULL,
  id         text NOT NULL,
  user_id    text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  CHECK (expires_at > created_at)
);
CREATE INDEX password_resets_id ON password_resets (id);

SELECT q2c_enable_tenant_rls('users');
SELECT q2c_enable_tenant_rls('sessions');
SELECT q2c_enable_tenant_rls('password_resets');
