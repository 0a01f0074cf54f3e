/**
 * The lines of an invoice or credit note as the revenue rule sees them (core/ledger/rules.ts
 * RevenueLine), for a tenant that maps revenue per product group; undefined otherwise, so nothing is
 * read. The product's group is read when the document is issued.
 */
import type { AccountMap } from '../../core/ledger/accounts.js';
import type { RevenueLine } from '../../core/ledger/rules.js';
import { formatDecimal4, type Percent } from '../../core/money/quantity.js';
import type { ProductId } from '../../core/shared/ids.js';
import type { Store } from '../ports.js';

export async function revenueLinesFor(
  s: Store,
  accounts: AccountMap,
  lines: readonly { productId: ProductId | null; vatCategory: string; vatRate: Percent; netAmountMinor: bigint }[],
): Promise<RevenueLine[] | undefined> {
  if (accounts.revenueByProductGroup === undefined || Object.keys(accounts.revenueByProductGroup).length === 0) return undefined;
  const ids = [...new Set(lines.map((l) => l.productId).filter((x): x is ProductId => x !== null))];
  const groups = new Map((await s.products.getMany(ids)).map((p) => [p.id, p.groupId]));
  return lines.map((l) => ({
    vatCategory: l.vatCategory,
    vatRatePercent: formatDecimal4(l.vatRate),
    productGroupId: l.productId === null ? null : (groups.get(l.productId) ?? null),
    netMinor: l.netAmountMinor,
  }));
}
