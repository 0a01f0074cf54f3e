/**
 * Bad-debt write-off (konstaterad kundförlust, ACCOUNTING.md): part or all of what is still open on an
 * issued invoice will not be paid. Debit badDebts (6351) with its net part and each output VAT account
 * (2611 / 2621 / 2631) with the VAT it contained, credit the receivable (1510) on the customer with the
 * whole amount. The VAT part is a correction of output VAT already reported (mervärdesskattelagen: a
 * confirmed bad debt reduces the tax base), so it is reversed on the account it was credited to.
 *
 * How much of the amount is VAT (WRITE_OFF_VAT_SPLIT): the written-off amount is split in proportion to
 * the invoice's own composition — its net and its VAT per rate, as they make up what the invoice
 * charged — by the largest-remainder method (core allocate: floor each share, the units left over one
 * each to the largest remainders, ties to the earlier part, the net first). So net + Σ VAT = amount
 * exactly, and writing off an unpaid invoice in full reverses exactly the VAT it posted. An invoice
 * without Swedish VAT (reverse charge, exports, exempt: no VAT rows) posts everything to 6351.
 *
 * In the base currency (decision 0008): the credit on 1510 is the base value taken off the open item
 * (the invoice's rate, prorated as a payment's write-off is), so no exchange difference arises; the
 * debits split that base value over the same parts in proportion to their document amounts (allocate
 * again), each keeping its document amount beside it.
 */
import { allocate, money } from '../money/money.js';
import type { AccountMap } from './accounts.js';
import type { FunctionalPosting } from './functional.js';
import { assertBalanced } from './journal.js';

/** The rounding of the VAT part of a write-off: largest remainder over [net, VAT per rate] (core allocate). */
export const WRITE_OFF_VAT_SPLIT = 'largest_remainder' as const;

/** What an invoice charged, as the write-off splits it: its VAT per rate and the total the VAT is part of. */
export interface InvoiceComposition {
  /** What the invoice charged in total (gross + öre rounding − advances deducted), > 0. */
  totalMinor: bigint;
  /** The output VAT it charged per canonical rate ('25', '12', '6'), ≥ 0 each, Σ ≤ totalMinor. */
  vatByRate: readonly { vatRatePercent: string; vatMinor: bigint }[];
}

export interface WriteOffSplit {
  netMinor: bigint;
  /** Per rate of the composition, in its order (zeros kept). */
  vat: { vatRatePercent: string; vatMinor: bigint }[];
}

/** Splits `amountMinor` into its net and VAT parts in proportion to the invoice (WRITE_OFF_VAT_SPLIT). */
export function splitWriteOff(amountMinor: bigint, c: InvoiceComposition, currency: string): WriteOffSplit {
  if (amountMinor <= 0n) throw new Error(`splitWriteOff: amount must be positive, got ${amountMinor}`);
  if (c.totalMinor <= 0n) throw new Error(`splitWriteOff: the invoice total must be positive, got ${c.totalMinor}`);
  let vatTotal = 0n;
  for (const v of c.vatByRate) {
    if (v.vatMinor < 0n) throw new Error(`splitWriteOff: negative VAT at ${v.vatRatePercent} %`);
    vatTotal += v.vatMinor;
  }
  if (vatTotal > c.totalMinor) throw new Error(`splitWriteOff: VAT ${vatTotal} exceeds the invoice total ${c.totalMinor}`);
  const weights = [c.totalMinor - vatTotal, ...c.vatByRate.map((v) => v.vatMinor)];
  const parts = allocate(money(amountMinor, currency), weights).map((m) => m.minor);
  return { netMinor: parts[0]!, vat: c.vatByRate.map((v, i) => ({ vatRatePercent: v.vatRatePercent, vatMinor: parts[i + 1]! })) };
}

export interface BadDebtWriteOffEvent {
  /** The base (functional) currency. */
  base: string;
  /** The invoice's currency. */
  currency: string;
  customerId: string;
  amountMinor: bigint;
  /** The base value taken off the open item. */
  baseAmountMinor: bigint;
  split: WriteOffSplit;
}

/**
 * The entry of a write-off, in base with the document amounts beside (none when the invoice is in the
 * base currency). Lines worth nothing in base are left out; an amount worth nothing at all posts nothing.
 */
export function postBadDebtWriteOff(e: BadDebtWriteOffEvent, accounts: Pick<AccountMap, 'receivable' | 'badDebts' | 'outputVatByVatRate'>): FunctionalPosting[] {
  if (e.amountMinor <= 0n) throw new Error(`postBadDebtWriteOff: amount must be positive, got ${e.amountMinor}`);
  if (e.baseAmountMinor < 0n) throw new Error('postBadDebtWriteOff: negative base amount');
  const parts: { account: string; minor: bigint }[] = [{ account: accounts.badDebts, minor: e.split.netMinor }];
  for (const v of e.split.vat) {
    const account = Object.hasOwn(accounts.outputVatByVatRate, v.vatRatePercent) ? accounts.outputVatByVatRate[v.vatRatePercent] : undefined;
    if (account === undefined) throw new Error(`no output VAT account for VAT rate '${v.vatRatePercent}'; configure outputVatByVatRate`);
    parts.push({ account, minor: v.vatMinor });
  }
  const sum = parts.reduce((a, p) => a + p.minor, 0n);
  if (sum !== e.amountMinor) throw new Error(`postBadDebtWriteOff: the split ${sum} is not the amount ${e.amountMinor}`);
  if (e.baseAmountMinor === 0n) return [];
  const foreign = e.currency !== e.base;
  const bases = foreign
    ? allocate(money(e.baseAmountMinor, e.base), parts.map((p) => p.minor)).map((m) => m.minor)
    : parts.map((p) => p.minor);
  if (!foreign && e.baseAmountMinor !== e.amountMinor) throw new Error('postBadDebtWriteOff: a base-currency amount has itself as base value');
  const out: FunctionalPosting[] = [];
  parts.forEach((p, i) => {
    const baseMinor = bases[i]!;
    if (baseMinor === 0n) return;
    out.push({
      account: p.account, currency: e.base, debitMinor: baseMinor, creditMinor: 0n, customerId: null,
      amountCurrency: foreign ? e.currency : null, amountMinor: foreign ? p.minor : null,
    });
  });
  out.push({
    account: accounts.receivable, currency: e.base, debitMinor: 0n, creditMinor: e.baseAmountMinor, customerId: e.customerId,
    amountCurrency: foreign ? e.currency : null, amountMinor: foreign ? e.amountMinor : null,
  });
  assertBalanced(out);
  return out;
}
