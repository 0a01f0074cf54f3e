/**
 * Imports the rates of a CSV file (parsed and checked by core/money/fx-csv.ts) all or nothing, in the
 * caller's one transaction, source 'csv'. A rate for the tenant's base currency is refused with the
 * line it is on, like any other problem of the file, before anything is written. Each rate replaces
 * the rate of its (currency, date) if there is one; the result counts both kinds. Audited once per
 * import with every rate and the rate it replaced.
 */
import { csvProblemsError, MAX_CSV_PROBLEMS, type CsvProblem, type CsvRate } from '../../core/money/fx-csv.js';
import { formatRate } from '../../core/money/fx.js';
import { invalid } from '../../core/shared/errors.js';
import type { Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { baseCurrencyOf } from './rate-for.js';
import { rateAt } from './set-rate.js';
import { assertMayWriteRates, baseCurrencyRateMessage } from './shared.js';

export interface ImportRatesResult {
  /** Rates for a (currency, date) that had none. */
  inserted: number;
  /** Rates that replaced an earlier rate of the same (currency, date). */
  replaced: number;
  /** All rates of the file: inserted + replaced. */
  rates: number;
}

/** `param` names the input holding the file (`csv` in the API), for the error. */
export async function importRates(s: Store, env: Env, rates: readonly CsvRate[], param = 'csv'): Promise<ImportRatesResult> {
  assertMayWriteRates(env);
  if (rates.length === 0) throw invalid(param, 'has no rates');
  const base = await baseCurrencyOf(s);
  const problems: CsvProblem[] = rates
    .filter((r) => r.currency === base)
    .map((r) => ({ line: r.line, column: 'currency' as const, message: baseCurrencyRateMessage(base) }));
  if (problems.length > 0) {
    throw csvProblemsError(problems.slice(0, MAX_CSV_PROBLEMS), problems.length > MAX_CSV_PROBLEMS, param);
  }
  const now = env.clock.now();
  const changes: { currency: string; date: string; rate: string; previous: string | null }[] = [];
  let replaced = 0;
  for (const r of rates) {
    const previous = await rateAt(s, r.currency, r.date);
    if (previous) replaced += 1;
    await s.exchangeRates.upsert({ currency: r.currency, rateDate: r.date, rateScaled: r.rateScaled, source: 'csv', updatedAt: now });
    changes.push({ currency: r.currency, date: r.date, rate: formatRate(r.rateScaled), previous: previous ? formatRate(previous.rateScaled) : null });
  }
  const result: ImportRatesResult = { inserted: rates.length - replaced, replaced, rates: rates.length };
  await recordChange(s, env, {
    action: 'exchange_rates.imported',
    entityType: 'exchange_rates',
    entityId: s.tenantId,
    data: { ...result, source: 'csv', rates: changes },
  });
  return result;
}
