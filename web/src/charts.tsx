/**
 * The app's one chart: horizontal bars whose widths are proportions of the largest value (for the eye
 * only: every amount is printed exactly beside its bar), and the words of an aging bucket.
 */
import type { Schemas } from './api/client';
import type { useI18n } from './i18n/i18n';

export interface Bar {
  key: string;
  label: string;
  /** The value in minor units (a proportion is taken of it, never a float of the money). */
  minor: bigint;
  /** The value as it is shown. */
  value: string;
  warn?: boolean;
}

export function Bars({ label, rows, testId }: { label: string; rows: readonly Bar[]; testId?: string }) {
  const max = rows.reduce((m, r) => (r.minor > m ? r.minor : m), 0n);
  return (
    <ul className="bars" aria-label={label} {...(testId !== undefined ? { 'data-testid': testId } : {})}>
      {rows.map((r) => {
        const pct = max > 0n && r.minor > 0n ? Math.max(1, Number((r.minor * 1000n) / max) / 10) : 0;
        return (
          <li key={r.key}>
            <span className="bar-label">{r.label}</span>
            <span className="bar-track" aria-hidden="true">
              <span className={`bar ${r.warn === true ? 'bar-overdue' : ''}`} style={{ width: `${pct}%` }} />
            </span>
            <span className="bar-value">{r.value}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** "Not yet due", "Not overdue", "1–30 days", "Over 90 days", from a bucket's limits (the keys are the API's, not words). */
export function agingBucketLabel(b: Schemas['AgingReportAsOf']['bucket_definitions'][number], t: ReturnType<typeof useI18n>['t']): string {
  const min = b.min_days_past_due;
  const max = b.max_days_past_due;
  if (min === null && max !== null && max < 0) return t('reports.aging.notDue');
  if (min === null) return t('reports.aging.current');
  if (max === null) return t('reports.aging.over', { days: min - 1 });
  return t('reports.aging.range', { from: min, to: max });
}

/** Whether a bucket holds what is past due (drawn in the warning colour). */
export const agingOverdue = (b: Schemas['AgingReportAsOf']['bucket_definitions'][number]): boolean => (b.min_days_past_due ?? 0) >= 1;
