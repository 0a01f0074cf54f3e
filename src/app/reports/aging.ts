/** AR aging as of a date: open items bucketed by days past due, per customer and currency, with totals. */
import { AgingAccumulator } from '../../core/receivables/aging.js';
import type { LocalDate } from '../../core/shared/dates.js';
import type { CustomerId } from '../../core/shared/ids.js';
import type { Store } from '../ports.js';

export async function agingReport(s: Store, asOf: LocalDate, customerId?: CustomerId) {
  const acc = new AgingAccumulator(asOf);
  const filter: { asOf: LocalDate; customerId?: CustomerId } = { asOf };
  if (customerId !== undefined) filter.customerId = customerId;
  for (const item of await s.openItems.listOpen(filter)) {
    acc.add({ customerId: item.customerId, currency: item.currency, openMinor: item.openMinor, dueDate: item.dueDate });
  }
  return { asOf, ...acc.result() };
}
