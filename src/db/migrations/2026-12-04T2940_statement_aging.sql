-- AR aging as of a date and customer statements (issue 7, item 3): indexes only.
--
-- Aging reads open items a page at a time by primary key (keyset) and, per item, the allocations
-- (payment_allocations_invoice, migration 2870) and credit notes (credit_notes_invoice_idx, 2400) of
-- its invoice, and a credit note's receivable line in the journal: found by the entry's source.
CREATE INDEX aging_journal_entries_source ON journal_entries (tenant_id, source_id);

-- A customer statement reads the customer's lines on the receivable and customer-credit accounts.
CREATE INDEX statement_journal_lines_customer ON journal_lines (tenant_id, customer_id, account) WHERE customer_id IS NOT NULL;

-- Aging of one customer (customer_id = … and id > … order by id): settled items too, so not the partial
-- ar_open_items_open index of 1600.
CREATE INDEX aging_open_items_customer ON ar_open_items (tenant_id, customer_id, id);
