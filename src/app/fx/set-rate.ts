/**
 * Sets one exchange rate by hand (source 'manual'): 1 unit of `currency` = rate units of the tenant's
 * base currency from `date` on, replacing the rate of that date if there is one. Audited with the
 * rate it replaced. Invoices keep the rate they used, so a change never alters an issued document.
 */
import { isKnownCurrency } from '../../core/money/currency.js';
import { formatRate } from '../../core/money/fx.js';
import { isLocalDate, type LocalDate } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import type { ExchangeRateRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { baseCurrencyOf } from './rate-for.js';
import { assertMayWriteRates, refuseBaseCurrency } from './shared.js';

export interface SetRateInput {
  currency: string;
  date: LocalDate;
  /** × RATE_SCALE, > 0 (parseRate). */
  rateScaled: bigint;
}

/** The rate stored for exactly (currency, date), if any. */
export async function rateAt(s: Store, currency: string, date: LocalDate): Promise<ExchangeRateRecord | undefined> {
  const r = await s.exchangeRates.rateOn(currency, date);
  return r?.rateDate === date ? r : undefined;
}

export async function setRate(s: Store, env: Env, input: SetRateInput): Promise<{ rate: ExchangeRateRecord; replaced: boolean }> {
  assertMayWriteRates(env);
  if (!isKnownCurrency(input.currency)) throw invalid('currency', `unsupported currency "${input.currency}"`);
  if (!isLocalDate(input.date)) throw invalid('date', 'must be a calendar date formatted YYYY-MM-DD');
  if (input.rateScaled <= 0n) throw invalid('rate', 'must be greater than zero');
  refuseBaseCurrency(input.currency, await baseCurrencyOf(s), 'currency');
  const previous = await rateAt(s, input.currency, input.date);
  const record: ExchangeRateRecord = {
    currency: input.currency,
    rateDate: input.date,
    rateScaled: input.rateScaled,
    source: 'manual',
    updatedAt: env.clock.now(),
  };
  await s.exchangeRates.upsert(record);
  await recordChange(s, env, {
    action: 'exchange_rate.set',
    entityType: 'exchange_rate',
    entityId: `${input.currency}/${input.date}`,
    data: {
      currency: input.currency,
      date: input.date,
      rate: formatRate(input.rateScaled),
      source: 'manual',
      previous: previous ? { rate: formatRate(previous.rateScaled), source: previous.source } : null,
    },
  });
  const stored = await rateAt(s, input.currency, input.date);
  if (!stored) throw new Error(`exchange rate ${input.currency} ${input.date} was not stored`);
  return { rate: stored, replaced: previous !== undefined };
}
