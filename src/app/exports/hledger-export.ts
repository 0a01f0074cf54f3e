/**
 * The data of an hledger journal export (integrations/hledger formats it): every journal entry dated
 * from `from` to `to` (both optional) as a transaction — date, code = series + fiscal year + number,
 * the entry's description — with one posting per line (debit − credit in the base currency), read a
 * page at a time. Opening-balance entries are ordinary transactions here. The accounts declared are
 * those the period's trial balance shows, named from the chart.
 */
import { currencyExponent } from '../../core/money/currency.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { chartOfAccounts } from '../ledger/chart.js';
import type { Store } from '../ports.js';
import { journalEntries } from '../ledger/journal-pages.js';

export interface HledgerExportData {
  commodity: string;
  exponent: number;
  accounts: { account: string; name: string }[];
  /** Read from the journal while iterated: consume it inside the same transaction. */
  transactions: AsyncIterable<{ date: LocalDate; code: string; description: string; postings: { account: string; amountMinor: bigint }[] }>;
  comment: string;
}

export async function hledgerExport(s: Store, filter: { from?: LocalDate | undefined; to?: LocalDate | undefined }, generatedAt: Date): Promise<HledgerExportData> {
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  const base = tenant.baseCurrency;
  const f: { from?: LocalDate; to?: LocalDate } = {};
  if (filter.from !== undefined) f.from = filter.from;
  if (filter.to !== undefined) f.to = filter.to;
  const tb = await s.journal.trialBalance(f);
  const chart = await chartOfAccounts(s);
  const accounts = [...new Set(tb.map((r) => r.account))].sort().map((account) => ({ account, name: chart.get(account)?.name ?? '' }));
  async function* transactions() {
    for await (const e of journalEntries(s, f)) {
      yield {
        date: e.entryDate,
        code: `${e.series}${e.fiscalYear}-${e.number}`,
        description: e.description,
        postings: [...e.lines]
          .sort((a, b) => a.lineNo - b.lineNo)
          .map((l) => {
            if (l.currency !== base) throw new Error(`hledger export: entry ${e.series} ${e.fiscalYear}-${e.number} has a line in ${l.currency}, not the base currency ${base}`);
            return { account: l.account, amountMinor: l.debitMinor - l.creditMinor };
          }),
      };
    }
  }
  const period = `${filter.from ?? 'start'} to ${filter.to ?? 'end'}`;
  return {
    commodity: base,
    exponent: currencyExponent(base),
    accounts,
    transactions: transactions(),
    comment: `q2c journal of ${tenant.name} (${s.tenantId}), ${period}, exported ${generatedAt.toISOString()}`,
  };
}
