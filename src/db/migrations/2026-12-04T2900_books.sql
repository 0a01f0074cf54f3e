-- Books (issue 7): fiscal years, period lock, late postings, manual entries, the tenant's chart of
-- accounts and account mapping.
--
-- A tenant's fiscal year starts on the first of fiscal_year_start_month (1 = calendar year) and its
-- label is the calendar year it starts in (journal_entries.fiscal_year, core/ledger/fiscal-year.ts).
-- books_locked_through closes every period up to and including that date: it only moves forward, and no
-- journal entry is dated on or before it. A document dated in a locked period posts on the first open
-- day; document_date keeps its own date.
ALTER TABLE tenants
  ADD COLUMN fiscal_year_start_month smallint NOT NULL DEFAULT 1 CHECK (fiscal_year_start_month BETWEEN 1 AND 12),
  ADD COLUMN books_locked_through date,
  -- Overrides of the default BAS account map (core/ledger/accounts.ts AccountMap), applied to postings
  -- made after the change.
  ADD COLUMN account_map jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(account_map) = 'object');

ALTER TABLE journal_entries
  -- The source document's own date when the entry was posted later than it (a locked period).
  ADD COLUMN document_date date,
  -- Who posted the entry (an API key, a user, 'cli' or 'system'); null for entries made before this column.
  ADD COLUMN created_by text;

-- The tenant's chart of accounts beyond (or renaming) the BAS defaults q2c knows.
CREATE TABLE accounts (
  tenant_id  text NOT NULL REFERENCES tenants(id),
  account    text NOT NULL CHECK (account ~ '^[0-9]{4}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  active     boolean NOT NULL DEFAULT true,
  PRIMARY KEY (tenant_id, account)
);

CREATE FUNCTION q2c_books_lock_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.books_locked_through IS NOT NULL
     AND (NEW.books_locked_through IS NULL OR NEW.books_locked_through < OLD.books_locked_through) THEN
    RAISE EXCEPTION 'q2c: closed periods stay closed (books locked through %)', OLD.books_locked_through USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tenants_books_lock_forward BEFORE UPDATE OF books_locked_through ON tenants
  FOR EACH ROW EXECUTE FUNCTION q2c_books_lock_forward();

CREATE FUNCTION q2c_journal_period_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  locked date;
BEGIN
  SELECT books_locked_through INTO locked FROM tenants WHERE id = NEW.tenant_id;
  IF locked IS NOT NULL AND NEW.entry_date <= locked THEN
    RAISE EXCEPTION 'q2c: period locked: entry dated % but the books are locked through %', NEW.entry_date, locked USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER journal_entries_period_open BEFORE INSERT ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION q2c_journal_period_open();
