/**
 * The fingerprint of what a customer accepted: SHA-256 over canonical JSON (keys sorted, amounts as
 * decimal strings of minor units) of the version's number, version, currency, the accepted lines
 * (key, quantity, unit price, net), the totals (with the rounding of a quote priced including VAT) and the chosen optional lines. Stored with the
 * acceptance, so the accepted content can later be proven unchanged.
 */
import { createHash } from 'node:crypto';
import { formatDecimal4 } from '../../core/money/quantity.js';
import type { OrderRecord, QuoteRecord } from '../ports.js';

function canonical(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** `lines` are the accepted (order) lines with the quote line keys they came from. */
export function acceptanceContentHash(
  quote: QuoteRecord,
  order: Pick<OrderRecord, 'netTotalMinor' | 'vatTotalMinor' | 'grossTotalMinor'>,
  lines: readonly { lineKey: string; quantity: { scaled: bigint }; unitPriceMinor: bigint; netAmountMinor: bigint }[],
  selectedOptionalLineKeys: readonly string[],
): string {
  const content = {
    number: quote.number,
    version: quote.version,
    currency: quote.currency,
    lines: lines.map((l) => ({
      key: l.lineKey,
      quantity: formatDecimal4(l.quantity),
      unit_price_minor: l.unitPriceMinor,
      net_minor: l.netAmountMinor,
    })),
    totals: { net_minor: order.netTotalMinor, vat_minor: order.vatTotalMinor, gross_minor: order.grossTotalMinor },
    selected_optional_line_keys: [...selectedOptionalLineKeys].sort(),
    // prices including VAT (ADR 0009): the flag and the rounding are part of what was accepted; left
    // out otherwise, so the fingerprints of net-priced quotes are what they always were
    ...(quote.pricesIncludeVat ? { prices_include_vat: true, rounding_minor: quote.roundingMinor } : {}),
  };
  return createHash('sha256').update(canonical(content), 'utf8').digest('hex');
}
