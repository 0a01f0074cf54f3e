/**
 * A customer statement for a period (core/receivables/statement.ts): opening balance as of the day
 * before `from`, every movement on the customer's receivable and customer credit up to `to` (invoices,
 * credit notes, payments received and returned, payments applied and unapplied with their write-offs,
 * bank fees and FX differences, refunds), running and closing balance per currency, and the closing
 * balance in the base currency, which ties to the ledger: 1510 − 2420 for the customer as of `to`.
 *
 * The movements are read from the journal (repositories/statements.ts) on the tenant's receivable and
 * customer-credit accounts as mapped now; dates are the entries' dates, as the ledger has them.
 */
import { buildStatement, type Statement } from '../../core/receivables/statement.js';
import { addDays, compareDates, type LocalDate } from '../../core/shared/dates.js';
import { invalid, notFound } from '../../core/shared/errors.js';
import type { CustomerId } from '../../core/shared/ids.js';
import { formatAmount, money } from '../../core/money/money.js';
import type { CustomerRecord, Store, TenantRecord } from '../ports.js';
import { baseCurrencyOf } from '../fx/rate-for.js';
import { csvRecord } from './aging.js';

/** The longest period one statement covers (ten years), so one request stays bounded. */
export const MAX_STATEMENT_DAYS = 3_660;

export interface CustomerStatement extends Statement {
  customer: CustomerRecord;
  tenant: TenantRecord;
}

export async function customerStatement(
  s: Store,
  accounts: { receivable: string; customerCredit: string },
  customerId: CustomerId,
  period: { from: LocalDate; to: LocalDate },
): Promise<CustomerStatement> {
  const { from, to } = period;
  if (compareDates(from, to) > 0) throw invalid('to', 'to must not be before from');
  if (compareDates(addDays(from, MAX_STATEMENT_DAYS), to) < 0) throw invalid('to', `a statement covers at most ${MAX_STATEMENT_DAYS} days`);
  const customer = await s.customers.get(customerId);
  if (!customer) throw notFound('customer', customerId);
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  const baseCurrency = await baseCurrencyOf(s);
  const opening = await s.statements.balancesBefore(customerId, accounts, from);
  const rows = await s.statements.rowsBetween(customerId, accounts, from, to);
  const statement = buildStatement({
    from,
    to,
    baseCurrency,
    opening,
    movements: rows.map((r) => ({ ...r, date: r.entryDate })),
  });
  return { ...statement, customer, tenant };
}

const amount = (minor: bigint, currency: string): string => formatAmount(money(minor, currency));

/**
 * The statement as CSV: per currency an `opening` record, one `line` per movement (amount, its
 * receivable and credit parts, base amount, running balance) and a `closing` record; last a
 * `base_closing` record (the closing balance in the base currency: 1510 − 2420 as of `to`).
 */
export function statementCsv(st: CustomerStatement): string {
  const base = st.baseCurrency;
  let out = csvRecord([
    'record', 'date', 'kind', 'reference', 'description', 'currency', 'amount', 'receivable_change', 'credit_change', 'balance',
    'base_currency', 'base_amount', 'base_balance',
  ]);
  for (const sec of st.sections) {
    const c = sec.currency;
    out += csvRecord(['opening', addDays(st.from, -1), '', '', '', c, '', '', '', amount(sec.openingMinor, c), base, '', amount(sec.openingBaseMinor, base)]);
    for (const l of sec.lines) {
      out += csvRecord([
        'line', l.date, l.kind, l.reference ?? '', l.description, c, amount(l.amountMinor, c), amount(l.receivableChangeMinor, c),
        amount(l.creditChangeMinor, c), amount(l.balanceMinor, c), base, amount(l.baseAmountMinor, base), amount(l.baseBalanceMinor, base),
      ]);
    }
    out += csvRecord(['closing', st.to, '', '', '', c, '', '', '', amount(sec.closingMinor, c), base, '', amount(sec.closingBaseMinor, base)]);
  }
  out += csvRecord(['base_closing', st.to, '', '', '', base, '', '', '', amount(st.closingBaseMinor, base), base, '', amount(st.closingBaseMinor, base)]);
  return out;
}
