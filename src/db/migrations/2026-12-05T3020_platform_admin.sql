-- Platform administration (issue 8): a key or user flagged platform_admin may create and list
-- tenants through the API. Set only from the CLI (q2c api-keys/users create --platform-admin), never
-- through the API, so no tenant admin can grant it.
alter table api_keys add column platform_admin boolean not null default false;
