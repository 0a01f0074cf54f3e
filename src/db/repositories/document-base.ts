/**
 * The exchange rate and base-currency totals an issued invoice or credit note stores (migration 2810,
 * decision 0008): NULL on drafts, set by the issue UPDATE, immutable afterwards.
 */
import type { DocumentBaseAmounts } from '../../app/ports.js';
import { formatRate, parseRate } from '../../core/money/fx.js';
import type { DateText, Int8, Numeric } from '../schema.js';

// a type alias, not an interface: withTables wants an index-compatible record type
export type DocumentBaseColumns = {
  exchange_rate: Numeric | null;
  exchange_rate_date: DateText | null;
  base_currency: string | null;
  vat_total_base_minor: Int8 | null;
  gross_total_base_minor: Int8 | null;
};

export function baseAmountsFromRow(r: {
  exchange_rate: Numeric | null;
  exchange_rate_date: DateText | null;
  base_currency: string | null;
  vat_total_base_minor: bigint | null;
  gross_total_base_minor: bigint | null;
}) {
  // a draft (or a document issued before decision 0008) has none: the fields are left out
  if (r.exchange_rate === null) return {};
  return {
    exchangeRate: parseRate(String(r.exchange_rate), 'exchange_rate'),
    exchangeRateDate: r.exchange_rate_date,
    baseCurrency: r.base_currency === null ? null : r.base_currency.trim(),
    vatTotalBaseMinor: r.vat_total_base_minor,
    grossTotalBaseMinor: r.gross_total_base_minor,
  };
}

/** The columns the issue UPDATE sets; none when the issue carries no base amounts. */
export function baseAmountsToRow(base: DocumentBaseAmounts | undefined): Partial<{
  exchange_rate: string;
  exchange_rate_date: DateText;
  base_currency: string;
  vat_total_base_minor: bigint;
  gross_total_base_minor: bigint;
}> {
  if (base === undefined) return {};
  return {
    exchange_rate: formatRate(base.exchangeRate),
    exchange_rate_date: base.exchangeRateDate,
    base_currency: base.baseCurrency,
    vat_total_base_minor: base.vatTotalBaseMinor,
    gross_total_base_minor: base.grossTotalBaseMinor,
  };
}
