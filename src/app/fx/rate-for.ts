/**
 * The exchange rate that converts `currency` into the tenant's base (functional) currency on `date`:
 * the identity for the base currency itself, otherwise the latest rate dated on or before `date`
 * from the tenant's exchange-rate table. No rate is an error naming `param`, never a silent 1.
 */
import { identityRate, type ExchangeRate } from '../../core/money/fx.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError } from '../../core/shared/errors.js';
import type { Store } from '../ports.js';

export interface RateUsed {
  rate: ExchangeRate;
  /** The date of the rate used (≤ the date asked for); the date asked for when it is the identity. */
  rateDate: LocalDate;
}

/**
 * The tenant's base currency, read once per Store (one transaction): it never changes (the company
 * settings cannot patch it), and every posting asks for it, several times per payment.
 */
const baseCurrencies = new WeakMap<Store, string>();

export async function baseCurrencyOf(s: Store): Promise<string> {
  const known = baseCurrencies.get(s);
  if (known !== undefined) return known;
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  baseCurrencies.set(s, tenant.baseCurrency);
  return tenant.baseCurrency;
}

export async function rateFor(s: Store, currency: string, date: LocalDate, param?: string): Promise<RateUsed> {
  const base = await baseCurrencyOf(s);
  if (currency === base) return { rate: identityRate(base), rateDate: date };
  const r = await s.exchangeRates.rateOn(currency, date);
  if (!r) {
    throw new DomainError(
      'exchange_rate_missing',
      `No ${currency} exchange rate on or before ${date}; add one with PUT /v1/exchange-rates/${currency}/${date}`,
      param,
    );
  }
  return { rate: { base: currency, quote: base, scaled: r.rateScaled }, rateDate: r.rateDate };
}
