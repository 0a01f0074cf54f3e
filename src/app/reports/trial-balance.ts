import { BAS_ACCOUNT_NAMES } from '../../core/ledger/accounts.js';
import type { LocalDate } from '../../core/shared/dates.js';
import type { Store } from '../ports.js';

export interface TrialBalance {
  rows: { account: string; name: string | null; currency: string; debitMinor: bigint; creditMinor: bigint; balanceMinor: bigint }[];
  totals: { currency: string; debitMinor: bigint; creditMinor: bigint; balanced: boolean }[];
}

export async function trialBalance(s: Store, filter: { from?: LocalDate | undefined; to?: LocalDate | undefined }): Promise<TrialBalance> {
  const f: { from?: LocalDate; to?: LocalDate } = {};
  if (filter.from !== undefined) f.from = filter.from;
  if (filter.to !== undefined) f.to = filter.to;
  const rows = await s.journal.trialBalance(f);
  const totals = new Map<string, { debitMinor: bigint; creditMinor: bigint }>();
  for (const r of rows) {
    const t = totals.get(r.currency) ?? { debitMinor: 0n, creditMinor: 0n };
    t.debitMinor += r.debitMinor;
    t.creditMinor += r.creditMinor;
    totals.set(r.currency, t);
  }
  return {
    rows: rows.map((r) => ({ ...r, name: BAS_ACCOUNT_NAMES[r.account] ?? null, balanceMinor: r.debitMinor - r.creditMinor })),
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, ...t, balanced: t.debitMinor === t.creditMinor })),
  };
}
