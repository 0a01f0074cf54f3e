/** Reading the exchange-rate table: a filtered list, and the rate in force on a date. */
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid } from '../../core/shared/errors.js';
import type { ExchangeRateRecord, Store } from '../ports.js';
import { baseCurrencyOf } from './rate-for.js';
import { baseCurrencyRateMessage } from './shared.js';

export const DEFAULT_RATE_LIST_LIMIT = 100;
export const MAX_RATE_LIST_LIMIT = 1000;

export interface ListRatesQuery {
  currency?: string | undefined;
  from?: LocalDate | undefined;
  to?: LocalDate | undefined;
  limit?: number | undefined;
}

/** By currency, newest first within a currency; `hasMore` when the limit cut the list. */
export async function listRates(s: Store, q: ListRatesQuery): Promise<{ data: ExchangeRateRecord[]; hasMore: boolean }> {
  const limit = q.limit ?? DEFAULT_RATE_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RATE_LIST_LIMIT) throw invalid('limit', `must be a whole number from 1 to ${MAX_RATE_LIST_LIMIT}`);
  if (q.from !== undefined && q.to !== undefined && q.from > q.to) throw invalid('to', `must not be before from (${q.from})`);
  const rows = await s.exchangeRates.list({ currency: q.currency, from: q.from, to: q.to, limit: limit + 1 });
  return { data: rows.slice(0, limit), hasMore: rows.length > limit };
}

/** The rate in force on `date`: the latest dated on or before it; not_found when there is none. */
export async function rateInForce(s: Store, currency: string, date: LocalDate): Promise<ExchangeRateRecord> {
  const r = await s.exchangeRates.rateOn(currency, date);
  if (r) return r;
  const base = await baseCurrencyOf(s);
  throw new DomainError(
    'not_found',
    currency === base ? `No exchange rate for ${currency}: ${baseCurrencyRateMessage(base)}` : `No ${currency} exchange rate on or before ${date}`,
  );
}
