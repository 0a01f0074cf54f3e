/**
 * A customer's balance: open invoices (the receivables subledger) minus nothing else, per currency;
 * unapplied cash and credits (2420) are shown beside it, never netted silently. The ledger's 1510 for
 * the customer is returned too, so any drift between subledger and ledger is visible.
 */
import { notFound } from '../../core/shared/errors.js';
import type { CustomerId } from '../../core/shared/ids.js';
import type { Store } from '../ports.js';

export interface CustomerBalance {
  customerId: CustomerId;
  currency: string;
  /** Σ open items */
  receivableMinor: bigint;
  /** Σ unapplied payments (customer credit on 2420) */
  creditMinor: bigint;
  /** Debit − credit on the receivable control account for this customer. */
  ledgerReceivableMinor: bigint;
}

export async function customerBalance(s: Store, receivableAccount: string, customerId: CustomerId): Promise<CustomerBalance[]> {
  const customer = await s.customers.get(customerId);
  if (!customer) throw notFound('customer', customerId);
  const [open, credit, ledger] = [
    await s.openItems.openTotals(customerId),
    await s.payments.unappliedTotals(customerId),
    await s.journal.accountBalance(receivableAccount, customerId),
  ];
  const currencies = new Set([customer.currency, ...open.map((o) => o.currency), ...credit.map((c) => c.currency), ...ledger.map((l) => l.currency)]);
  return [...currencies].sort().map((currency) => ({
    customerId,
    currency,
    receivableMinor: open.find((o) => o.currency === currency)?.openMinor ?? 0n,
    creditMinor: credit.find((c) => c.currency === currency)?.unappliedMinor ?? 0n,
    ledgerReceivableMinor: ledger.find((l) => l.currency === currency)?.balanceMinor ?? 0n,
  }));
}
