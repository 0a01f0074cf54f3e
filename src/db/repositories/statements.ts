/**
 * Customer statements: the customer's journal lines on the receivable and customer-credit accounts,
 * grouped per journal entry and transaction currency, so a statement built from them ties to the
 * ledger by construction (1510 − 2420 for the customer, in the base currency, as of any date).
 *
 * A line's transaction currency and amount: amount_currency / amount_minor when the line was converted
 * from a foreign document (decision 0008; amount_minor is on the line's side), else its own currency
 * and debit − credit.
 */
import { sql, type RawBuilder } from 'kysely';
import type { StatementLedgerRow, StatementRepo } from '../../app/ports.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { Executor } from './shared.js';

interface Row {
  entry_id: string;
  entry_date: string;
  source_type: string;
  source_id: string;
  description: string;
  reversal: boolean;
  reference: string | null;
  currency: string;
  receivable_minor: string;
  credit_minor: string;
  receivable_base_minor: string;
  credit_base_minor: string;
}

const fromRow = (r: Row): StatementLedgerRow => ({
  entryId: r.entry_id,
  entryDate: r.entry_date,
  sourceType: r.source_type,
  sourceId: r.source_id,
  description: r.description,
  reversal: r.reversal,
  reference: r.reference,
  currency: r.currency,
  receivableMinor: BigInt(r.receivable_minor),
  creditMinor: BigInt(r.credit_minor),
  receivableBaseMinor: BigInt(r.receivable_base_minor),
  creditBaseMinor: BigInt(r.credit_base_minor),
});

export function statementRepo(executor: Executor, tenantId: TenantId): StatementRepo {
  const db = executor;
  const sums = (accounts: { receivable: string; customerCredit: string }): RawBuilder<unknown> => {
    const doc = sql`(case when jl.amount_currency is null then jl.debit_minor - jl.credit_minor
                          when jl.debit_minor > 0 then jl.amount_minor else -jl.amount_minor end)`;
    return sql`
      coalesce(jl.amount_currency, jl.currency) as currency,
      coalesce(sum(case when jl.account = ${accounts.receivable} then ${doc} end), 0)::text as receivable_minor,
      coalesce(sum(case when jl.account = ${accounts.customerCredit} then ${doc} end), 0)::text as credit_minor,
      coalesce(sum(case when jl.account = ${accounts.receivable} then jl.debit_minor - jl.credit_minor end), 0)::text as receivable_base_minor,
      coalesce(sum(case when jl.account = ${accounts.customerCredit} then jl.debit_minor - jl.credit_minor end), 0)::text as credit_base_minor`;
  };
  return {
    async balancesBefore(customerId, accounts, date) {
      const r = await sql<Row>`
        select '' as entry_id, ${date}::date as entry_date, '' as source_type, '' as source_id, '' as description, false as reversal,
               null as reference, ${sums(accounts)}
          from journal_lines jl
          join journal_entries je on je.tenant_id = jl.tenant_id and je.id = jl.entry_id
         where jl.tenant_id = ${tenantId} and jl.customer_id = ${customerId}
           and jl.account in (${accounts.receivable}, ${accounts.customerCredit})
           and je.entry_date < ${date}::date
         group by coalesce(jl.amount_currency, jl.currency)
         order by 1`.execute(db);
      return r.rows.map(fromRow);
    },

    async rowsBetween(customerId, accounts, from, to) {
      const r = await sql<Row>`
        select je.id as entry_id, je.entry_date, je.source_type, je.source_id, je.description,
               (je.reverses_entry_id is not null) as reversal,
               case je.source_type
                 when 'invoice' then (select i.number from invoices i where i.tenant_id = je.tenant_id and i.id = je.source_id)
                 when 'credit_note' then (select c.number from credit_notes c where c.tenant_id = je.tenant_id and c.id = je.source_id)
                 when 'allocation' then (select i.number from payment_allocations pa
                                           join invoices i on i.tenant_id = pa.tenant_id and i.id = pa.invoice_id
                                          where pa.tenant_id = je.tenant_id and pa.id = je.source_id)
                 when 'payment' then (select coalesce(p.reference_text, p.id) from payments p where p.tenant_id = je.tenant_id and p.id = je.source_id)
                 when 'refund' then (select f.reference from payment_refunds f where f.tenant_id = je.tenant_id and f.id = je.source_id)
                 when 'write_off' then (select i.number from bad_debt_write_offs w
                                          join invoices i on i.tenant_id = w.tenant_id and i.id = w.invoice_id
                                         where w.tenant_id = je.tenant_id and w.id = je.source_id)
               end as reference,
               ${sums(accounts)}
          from journal_lines jl
          join journal_entries je on je.tenant_id = jl.tenant_id and je.id = jl.entry_id
         where jl.tenant_id = ${tenantId} and jl.customer_id = ${customerId}
           and jl.account in (${accounts.receivable}, ${accounts.customerCredit})
           and je.entry_date between ${from}::date and ${to}::date
         group by je.tenant_id, je.id, je.entry_date, je.created_at, je.fiscal_year, je.series, je.number, je.source_type, je.source_id, je.description, je.reverses_entry_id,
                  coalesce(jl.amount_currency, jl.currency)
         order by je.entry_date, je.created_at, je.fiscal_year, je.series, je.number, currency`.execute(db);
      return r.rows.map(fromRow);
    },
  };
}
