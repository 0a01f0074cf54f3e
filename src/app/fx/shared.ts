/** What the exchange-rate use cases share: who may change rates, and the base-currency refusal. */
import { invalid } from '../../core/shared/errors.js';
import type { Env } from '../shared/env.js';
import { authorize } from '../shared/permissions.js';

/** Who may set or import rates: the books' writers (a CLI actor has no role and may). */
export function assertMayWriteRates(env: Env): void {
  authorize(env.actor, 'books.write', 'change exchange rates');
}

export const baseCurrencyRateMessage = (base: string): string =>
  `${base} is the base currency: it converts to itself at 1 and takes no rate`;

export function refuseBaseCurrency(currency: string, base: string, param: string): void {
  if (currency === base) throw invalid(param, baseCurrencyRateMessage(base));
}
