/**
 * The tenant's dunning schedule (levels, reminder fee cap, late-payment interest) and the dated
 * reference-rate table. Without stored settings the defaults of core DEFAULT_SCHEDULE apply
 * (levels at 7 and 21 days, fee cap 60 SEK, reference rate + 8 pp, interest invoiced above 100.00).
 * Changes need a key with the role finance or admin (a CLI actor has no role and may).
 */
import { DEFAULT_SCHEDULE, validateSchedule, type DunningSchedule } from '../../core/receivables/dunning.js';
import { formatDecimal4, type Percent } from '../../core/money/quantity.js';
import { isLocalDate, type LocalDate } from '../../core/shared/dates.js';
import { invalid } from '../../core/shared/errors.js';
import type { DunningSettingsRecord, ReferenceRateRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { FINANCE_ROLES, requireRole } from '../shared/roles.js';

/** Finance and admin change the dunning settings and reference rates (shared/roles.ts). */
export function assertMayChangeDunning(env: Env): void {
  requireRole(env, FINANCE_ROLES, 'change dunning settings');
}

/** The schedule in force: the stored one, or the defaults (updatedAt null). */
export async function dunningSettings(s: Store): Promise<DunningSettingsRecord> {
  return (await s.dunning.settings()) ?? { ...DEFAULT_SCHEDULE, levels: DEFAULT_SCHEDULE.levels.map((l) => ({ ...l })), updatedAt: null };
}

export async function setDunningSettings(s: Store, env: Env, schedule: DunningSchedule): Promise<DunningSettingsRecord> {
  assertMayChangeDunning(env);
  validateSchedule(schedule);
  const before = await s.dunning.settings();
  await s.dunning.saveSettings(schedule, env.clock.now());
  await recordChange(s, env, {
    action: 'dunning_settings.updated',
    entityType: 'dunning_settings',
    entityId: s.tenantId,
    data: { before: before ?? null, after: schedule },
  });
  const stored = await s.dunning.settings();
  if (!stored) throw new Error('dunning settings were not stored');
  return stored;
}

/** Sets the reference rate in force from `date` (replacing that date's rate, if any). */
export async function setReferenceRate(s: Store, env: Env, input: { date: LocalDate; rate: Percent }): Promise<ReferenceRateRecord> {
  assertMayChangeDunning(env);
  if (!isLocalDate(input.date)) throw invalid('date', 'must be a calendar date formatted YYYY-MM-DD');
  if (input.rate.scaled < -1_000_000n || input.rate.scaled > 1_000_000n) throw invalid('rate', 'must be from -100 to 100 percent');
  const record: ReferenceRateRecord = { date: input.date, rate: input.rate, updatedAt: env.clock.now() };
  await s.dunning.upsertReferenceRate(record);
  await recordChange(s, env, {
    action: 'reference_rate.set',
    entityType: 'reference_rate',
    entityId: input.date,
    data: { date: input.date, rate: formatDecimal4(input.rate) },
  });
  return record;
}

export const listReferenceRates = (s: Store): Promise<ReferenceRateRecord[]> => s.dunning.referenceRates({});
