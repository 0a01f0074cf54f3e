/**
 * Advance invoices (deposit and milestone invoices) and their deduction on the later invoices of an
 * order (docs/decisions/0010-advance-invoices.md). Pure arithmetic on bigint minor units.
 *
 * Split: an advance is spread over the order's VAT groups (category + rate) so that each group is
 * prepaid in proportion to its net, and the advance invoice carries VAT exactly as the supply will.
 * - percent p: the advance's net total is round(order net × p / 100) by ADVANCE_ROUNDING, allocated
 *   over the groups by their nets with the largest-remainder method (money.ts `allocate`), so each
 *   group gets round(group net × p / 100) give or take one minor unit and the parts sum to the total;
 * - amount a: a itself, allocated over the groups by their nets the same way.
 *
 * Deduction: a later ordinary invoice of the order deducts what is left of the advances, oldest
 * first, never more than its own gross (the amount due never goes negative). Of one advance group
 * with net n and VAT v left, taking the gross x ≤ n + v: net part = round(n × x / (n + v)) by
 * DEDUCTION_ROUNDING, VAT part = x − net part; the whole group (n, v) exactly when x = n + v. The
 * parts never exceed what is left (0 ≤ net ≤ n, 0 ≤ VAT ≤ v, shown in advances.test.ts).
 */
import { allocate, money } from '../money/money.js';
import { HUNDRED_PERCENT, type Percent } from '../money/quantity.js';
import { divRound, type RoundingMode } from '../money/rounding.js';
import { DomainError, invalid } from '../shared/errors.js';
import type { VatCategory } from '../tax/vat.js';

/** The net total of a percentage advance: round(order net × p / 100), half away from zero, once. */
export const ADVANCE_ROUNDING: RoundingMode = 'half_up';

/** The net part of a partial deduction: round(n × x / (n + v)), half away from zero; VAT takes the rest. */
export const DEDUCTION_ROUNDING: RoundingMode = 'half_up';

export interface AdvanceGroup {
  readonly vatCategory: VatCategory;
  readonly vatRate: Percent;
  /** The order's net in this group (what the advance is spread by). */
  readonly netMinor: bigint;
}

export type AdvanceSpec = { readonly kind: 'percent'; readonly percent: Percent } | { readonly kind: 'amount'; readonly amountMinor: bigint };

/**
 * The advance's net per group (same order as `groups`), summing to the advance's net total.
 * Refuses (DomainError naming `percent` / `amount`) a percent outside (0, 100], an amount that is
 * not positive, an order with no net to spread over, and an advance above `room` (what the order's net
 * total leaves after earlier advances, less what was credited on them).
 */
export function splitAdvance(groups: readonly AdvanceGroup[], spec: AdvanceSpec, room: bigint, currency: string): bigint[] {
  const param = spec.kind;
  if (spec.kind === 'percent' && (spec.percent.scaled <= 0n || spec.percent.scaled > HUNDRED_PERCENT.scaled)) {
    throw invalid('percent', 'The percentage must be greater than 0 and at most 100');
  }
  if (spec.kind === 'amount' && spec.amountMinor <= 0n) throw invalid('amount', 'The amount must be greater than zero');
  const orderNet = groups.reduce((a, g) => a + g.netMinor, 0n);
  if (groups.length === 0 || orderNet <= 0n || groups.some((g) => g.netMinor < 0n)) {
    throw new DomainError('nothing_to_invoice', 'The order has no net amount to invoice in advance', param);
  }
  const total = spec.kind === 'percent' ? divRound(orderNet * spec.percent.scaled, HUNDRED_PERCENT.scaled, ADVANCE_ROUNDING) : spec.amountMinor;
  if (total > room) {
    throw new DomainError(
      'quantity_exceeds_open',
      `The advances of the order would exceed its net total: ${room < 0n ? 0n : room} minor units (excluding VAT) are left to invoice in advance`,
      param,
    );
  }
  if (total <= 0n) throw invalid(param, 'The advance rounds to zero');
  return allocate(money(total, currency), groups.map((g) => g.netMinor)).map((m) => m.minor);
}

/** What is left to deduct of one VAT group of one advance invoice (net and VAT, both ≥ 0). */
export interface AdvanceLeft {
  readonly advanceId: string;
  readonly vatCategory: VatCategory;
  readonly vatRate: Percent;
  readonly netMinor: bigint;
  readonly vatMinor: bigint;
}

export interface Deduction {
  readonly advanceId: string;
  readonly vatCategory: VatCategory;
  readonly vatRate: Percent;
  readonly netMinor: bigint;
  readonly vatMinor: bigint;
}

/**
 * The deductions of an invoice of gross `invoiceGrossMinor` from what is left of the advances, in
 * the order given (the caller passes them oldest first). Groups with nothing left are skipped.
 */
export function deductAdvances(left: readonly AdvanceLeft[], invoiceGrossMinor: bigint): Deduction[] {
  if (invoiceGrossMinor < 0n) throw new Error(`deductAdvances: negative invoice gross ${invoiceGrossMinor}`);
  let room = invoiceGrossMinor;
  const out: Deduction[] = [];
  for (const g of left) {
    if (g.netMinor < 0n || g.vatMinor < 0n) throw new Error(`deductAdvances: negative amount left on advance ${g.advanceId}`);
    if (room === 0n) break;
    const whole = g.netMinor + g.vatMinor;
    if (whole === 0n) continue;
    const x = room < whole ? room : whole;
    const netMinor = x === whole ? g.netMinor : divRound(g.netMinor * x, whole, DEDUCTION_ROUNDING);
    const vatMinor = x - netMinor;
    out.push({ advanceId: g.advanceId, vatCategory: g.vatCategory, vatRate: g.vatRate, netMinor, vatMinor });
    room -= x;
  }
  return out;
}

/** Σ gross of deductions. */
export const deductedGross = (ds: readonly Pick<Deduction, 'netMinor' | 'vatMinor'>[]): bigint =>
  ds.reduce((a, d) => a + d.netMinor + d.vatMinor, 0n);
