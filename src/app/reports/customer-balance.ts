/**
 * A customer's balance: open invoices (the receivables subledger) minus nothing else; unapplied cash
 * and credits (2420) are shown beside it, never netted silently.
 *
 * The ledger is kept in the tenant's base currency (decision 0008), so the comparison with the ledger
 * is made there: Σ base_open_minor of the customer's open items against the customer's 1510 balance
 * (`matches`). Unapplied payments are shown with their base_unapplied_minor too. Per document
 * currency the open and unapplied amounts are shown as well, each with its base value, so a EUR
 * customer's 1 000,00 EUR open is shown beside the 11 000,00 SEK it stands for in the ledger.
 */
import { notFound } from '../../core/shared/errors.js';
import type { CustomerId } from '../../core/shared/ids.js';
import type { PaymentRecord, Store } from '../ports.js';
import { baseCurrencyOf } from '../fx/rate-for.js';

/** One document currency of the customer's open items and unapplied payments. */
export interface CustomerBalanceRow {
  currency: string;
  /** Σ open items, in the currency */
  receivableMinor: bigint;
  /** Σ unapplied payments (customer credit on 2420), in the currency */
  creditMinor: bigint;
  /** Their base values (Σ base_open_minor, Σ base_unapplied_minor), in the base currency */
  receivableBaseMinor: bigint;
  creditBaseMinor: bigint;
}

export interface CustomerBalance {
  customerId: CustomerId;
  /** The tenant's base (functional) currency: the ledger's and the totals' below. */
  baseCurrency: string;
  /** Per document currency, sorted; the customer's own currency always has a row. */
  currencies: CustomerBalanceRow[];
  /** Σ base_open_minor over all the customer's open items. */
  receivableBaseMinor: bigint;
  /** Σ base_unapplied_minor over the customer's payments. */
  creditBaseMinor: bigint;
  /** Debit − credit on the receivable control account (1510) for this customer, in the base currency. */
  ledgerReceivableMinor: bigint;
  /** Σ base of the open items = the ledger's 1510 for the customer, in the base currency. */
  matches: boolean;
}

const PAGE = 100;

async function unappliedPayments(s: Store, customerId: CustomerId): Promise<PaymentRecord[]> {
  const out: PaymentRecord[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const page = await s.payments.list({ limit: PAGE, startingAfter }, { unappliedOnly: true, customerId });
    out.push(...page.data);
    if (!page.hasMore || page.data.length === 0) return out;
    startingAfter = page.data[page.data.length - 1]!.id;
  }
}

/** Σ debit − credit in the base currency; lines in any other currency (none since decision 0008) are not comparable and refused. */
function baseBalance(rows: { currency: string; balanceMinor: bigint }[], base: string, account: string): bigint {
  let total = 0n;
  for (const r of rows) {
    if (r.currency !== base) throw new Error(`customer balance: account ${account} has a balance in ${r.currency}; the ledger is kept in ${base}`);
    total += r.balanceMinor;
  }
  return total;
}

export async function customerBalance(s: Store, receivableAccount: string, customerId: CustomerId): Promise<CustomerBalance> {
  const customer = await s.customers.get(customerId);
  if (!customer) throw notFound('customer', customerId);
  const baseCurrency = await baseCurrencyOf(s);
  const items = await s.openItems.listOpen({ customerId });
  const payments = await unappliedPayments(s, customerId);
  const ledgerReceivableMinor = baseBalance(await s.journal.accountBalance(receivableAccount, customerId), baseCurrency, receivableAccount);

  const rows = new Map<string, CustomerBalanceRow>();
  const row = (currency: string): CustomerBalanceRow => {
    let r = rows.get(currency);
    if (r === undefined) {
      r = { currency, receivableMinor: 0n, creditMinor: 0n, receivableBaseMinor: 0n, creditBaseMinor: 0n };
      rows.set(currency, r);
    }
    return r;
  };
  row(customer.currency);
  for (const o of items) {
    const r = row(o.currency);
    r.receivableMinor += o.openMinor;
    r.receivableBaseMinor += o.baseOpenMinor;
  }
  for (const p of payments) {
    const r = row(p.currency);
    r.creditMinor += p.unappliedMinor;
    r.creditBaseMinor += p.baseUnappliedMinor;
  }
  const currencies = [...rows.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  const receivableBaseMinor = currencies.reduce((a, r) => a + r.receivableBaseMinor, 0n);
  const creditBaseMinor = currencies.reduce((a, r) => a + r.creditBaseMinor, 0n);
  return {
    customerId,
    baseCurrency,
    currencies,
    receivableBaseMinor,
    creditBaseMinor,
    ledgerReceivableMinor,
    matches: receivableBaseMinor === ledgerReceivableMinor,
  };
}
