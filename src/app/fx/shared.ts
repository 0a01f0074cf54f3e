/** What the exchange-rate use cases share: who may change rates, and the base-currency refusal. */
import { DomainError, invalid } from '../../core/shared/errors.js';
import type { Env } from '../shared/env.js';

/** Roles whose keys may set or import rates (a CLI actor has no role and may). */
export const FX_WRITER_ROLES: readonly string[] = ['finance', 'admin'];

export function assertMayWriteRates(env: Env): void {
  const role = env.actor.role;
  if (role !== undefined && !FX_WRITER_ROLES.includes(role)) {
    throw new DomainError('forbidden', `Only a key with the role ${FX_WRITER_ROLES.join(' or ')} may change exchange rates; this key is '${role}'`);
  }
}

export const baseCurrencyRateMessage = (base: string): string =>
  `${base} is the base currency: it converts to itself at 1 and takes no rate`;

export function refuseBaseCurrency(currency: string, base: string, param: string): void {
  if (currency === base) throw invalid(param, baseCurrencyRateMessage(base));
}
