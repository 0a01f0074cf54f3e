/**
 * Advance invoices (docs/decisions/0010-advance-invoices.md): a deposit or milestone invoice made
 * from a confirmed order, a percentage of the order's net or an amount excluding VAT, spread over the
 * order's VAT groups (core/documents/advances.ts splitAdvance), one line per group (quantity 1, unit
 * C62) with VAT as on any invoice. A standard-rated group (S) is invoiced at the Swedish rate of its
 * tax class on the invoice date (the date VAT on an advance becomes due); the other categories keep
 * the order's treatment. The group's line refers to the group's first order line (invoice_lines needs
 * one) but invoices no quantity of it: order lines are invoiced by the ordinary invoices, which then
 * deduct the advances (create-invoice.ts).
 *
 * `advanceBalances` is what is left to deduct of each advance of an order, per VAT group: the
 * advance's VAT breakdown less what invoices deducted (drafts included, so two drafts never deduct the
 * same advance) and less what credit notes credited (drafts included, as credit limits count them).
 */
import { documentTotals } from '../../core/documents/lines.js';
import { splitAdvance, type AdvanceGroup, type AdvanceLeft, type AdvanceSpec } from '../../core/documents/advances.js';
import { money } from '../../core/money/money.js';
import { decimal4, formatDecimal4, subD, ZERO_D, type Percent } from '../../core/money/quantity.js';
import { compareDates } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { InvoiceId, OrderId } from '../../core/shared/ids.js';
import { resolveSwedishVat, type VatCategory } from '../../core/tax/vat.js';
import type { InvoiceLineRecord, InvoiceRecord, OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { draftInvoice } from './draft-invoice.js';
import { issueInvoice } from './issue-invoice.js';

export type AdvanceKind = 'deposit' | 'milestone';
export const MAX_ADVANCE_LABEL_LENGTH = 200;

const groupKey = (category: string, rate: Percent): string => `${category}|${rate.scaled}`;
const isAdvance = (i: Pick<InvoiceRecord, 'kind'>): boolean => (i.kind ?? 'standard') !== 'standard';

export interface AdvanceBalance extends AdvanceLeft {
  readonly advanceId: InvoiceId;
  readonly number: string | null;
  readonly issued: boolean;
  /** The advance's own amounts in this group, and what credit notes took of them. */
  readonly invoicedNetMinor: bigint;
  readonly creditedNetMinor: bigint;
}

/**
 * Per advance invoice of the order (issued ones oldest first by issue date and number, then drafts),
 * per VAT group: what is left to deduct.
 */
export async function advanceBalances(s: Store, orderId: OrderId, invoices?: InvoiceRecord[]): Promise<AdvanceBalance[]> {
  const all = invoices ?? (await s.invoices.listByOrder(orderId));
  const advances = all.filter(isAdvance).sort((a, b) => {
    if (a.status !== b.status) return a.status === 'issued' ? -1 : 1;
    const byDate = compareDates(a.issueDate ?? '9999-12-31', b.issueDate ?? '9999-12-31');
    if (byDate !== 0) return byDate;
    return (a.number ?? a.id).localeCompare(b.number ?? b.id);
  });
  const deducted = new Map<string, { net: bigint; vat: bigint }>();
  for (const i of all) {
    for (const d of i.advanceDeductions ?? []) {
      const k = `${d.advanceInvoiceId}|${groupKey(d.vatCategory, d.vatRate)}`;
      const t = deducted.get(k) ?? { net: 0n, vat: 0n };
      deducted.set(k, { net: t.net + d.netMinor, vat: t.vat + d.vatMinor });
    }
  }
  const out: AdvanceBalance[] = [];
  for (const a of advances) {
    const credited = new Map<string, { net: bigint; vat: bigint }>();
    for (const c of a.status === 'issued' ? await s.creditNotes.listByInvoice(a.id) : []) {
      for (const v of c.vatBreakdown) {
        const k = groupKey(v.vatCategory, v.vatRate);
        const t = credited.get(k) ?? { net: 0n, vat: 0n };
        credited.set(k, { net: t.net + v.taxableMinor, vat: t.vat + v.vatMinor });
      }
    }
    for (const row of a.vatBreakdown) {
      const k = groupKey(row.vatCategory, row.vatRate);
      const d = deducted.get(`${a.id}|${k}`) ?? { net: 0n, vat: 0n };
      const c = credited.get(k) ?? { net: 0n, vat: 0n };
      const netMinor = row.taxableMinor - d.net - c.net;
      const vatMinor = row.vatMinor - d.vat - c.vat;
      if (netMinor < 0n || vatMinor < 0n) throw new Error(`advance ${a.id}: more deducted and credited than invoiced at ${k}`);
      out.push({
        advanceId: a.id,
        number: a.number,
        issued: a.status === 'issued',
        vatCategory: row.vatCategory,
        vatRate: row.vatRate,
        netMinor,
        vatMinor,
        invoicedNetMinor: row.taxableMinor,
        creditedNetMinor: c.net,
      });
    }
  }
  return out;
}

/** The order's VAT groups on `date`: S lines at their tax class's rate that day, the others as ordered. */
function orderGroups(order: OrderRecord, date: string): (AdvanceGroup & { firstLineNo: number })[] {
  const groups = new Map<string, AdvanceGroup & { firstLineNo: number }>();
  for (const l of order.lines) {
    const vat: { rate: Percent; category: VatCategory } =
      l.vatCategory === 'S' ? resolveSwedishVat(l.taxClass, date) : { rate: l.vatRate, category: l.vatCategory };
    const k = groupKey(vat.category, vat.rate);
    const g = groups.get(k);
    if (g) groups.set(k, { ...g, netMinor: g.netMinor + l.netAmountMinor });
    else groups.set(k, { vatCategory: vat.category, vatRate: vat.rate, netMinor: l.netAmountMinor, firstLineNo: l.lineNo });
  }
  return [...groups.values()];
}

/** "30" → "30", "12.5" → "12,5" in Swedish. */
const percentText = (p: Percent, sv: boolean): string => (sv ? formatDecimal4(p).replace('.', ',') : formatDecimal4(p));

function descriptionOf(kind: AdvanceKind, spec: AdvanceSpec, label: string | null, orderNumber: string, sv: boolean): string {
  if (label !== null) return label;
  const pct = spec.kind === 'percent' ? ` ${percentText(spec.percent, sv)} %` : '';
  if (kind === 'milestone') return sv ? `Delfaktura${pct} enligt order ${orderNumber}` : `Milestone invoice${pct} as per order ${orderNumber}`;
  return sv ? `Förskott${pct} enligt order ${orderNumber}` : `Advance payment${pct} as per order ${orderNumber}`;
}

export interface AdvanceInvoiceInput {
  orderId: OrderId;
  kind: AdvanceKind;
  spec: AdvanceSpec;
  label?: string | null | undefined;
  issue?: boolean | undefined;
}

export async function createAdvanceInvoice(s: Store, env: Env, input: AdvanceInvoiceInput): Promise<InvoiceRecord> {
  const label = input.label === undefined || input.label === null ? null : input.label.trim();
  if (label !== null && (label.length === 0 || label.length > MAX_ADVANCE_LABEL_LENGTH)) {
    throw invalid('label', `The label must be 1–${MAX_ADVANCE_LABEL_LENGTH} characters`);
  }
  const order = await s.orders.getForUpdate(input.orderId);
  if (!order) throw notFound('order', input.orderId, 'order_id');
  if (order.status !== 'confirmed') {
    throw new DomainError('order_not_confirmed', `The order is ${order.status}; only a confirmed order can be invoiced in advance`, 'order_id');
  }
  const param = input.spec.kind;
  const nothingLeft = order.lines.every((l) => subD(subD(l.quantity, l.quantityCancelled), l.quantityInvoiced).scaled <= ZERO_D.scaled);
  if (nothingLeft) throw new DomainError('nothing_to_invoice', `Order ${order.number} has nothing left to invoice`, param);
  const customer = await s.customers.get(order.customerId);
  if (!customer) throw notFound('customer', order.customerId);
  const cur = order.currency;
  const invoiceDate = env.clock.today();

  // room: the order's net less the advances already made, plus what was credited on them
  const balances = await advanceBalances(s, order.id);
  const advanced = balances.reduce((a, b) => a + b.invoicedNetMinor - b.creditedNetMinor, 0n);
  const groups = orderGroups(order, invoiceDate);
  const parts = splitAdvance(groups, input.spec, order.netTotalMinor - advanced, cur);

  const sv = customer.country === 'SE';
  const description = descriptionOf(input.kind, input.spec, label, order.number, sv);
  const lines: InvoiceLineRecord[] = [];
  groups.forEach((g, i) => {
    const net = parts[i] ?? 0n;
    if (net === 0n) return;
    lines.push({
      lineNo: lines.length + 1,
      orderId: order.id,
      orderLineNo: g.firstLineNo,
      productId: null,
      description,
      quantity: decimal4('1'),
      unit: 'C62',
      unitPriceMinor: net,
      discountPercent: ZERO_D,
      grossAmountMinor: net,
      discountAmountMinor: 0n,
      netAmountMinor: net,
      vatRate: g.vatRate,
      vatCategory: g.vatCategory,
    });
  });
  const totals = documentTotals(cur, lines.map((l) => ({ net: money(l.netAmountMinor, cur), vatRate: l.vatRate, vatCategory: l.vatCategory })));
  const invoice = draftInvoice(env, {
    orderId: order.id,
    customer,
    currency: cur,
    deliveryDate: null,
    paymentTermsDays: order.paymentTermsDays,
    lines,
    totals,
    kind: input.kind,
    advanceLabel: label,
    prepaidMinor: 0n,
    advanceDeductions: [],
  });
  await s.invoices.insert(invoice);
  await recordChange(s, env, {
    action: 'invoice.created',
    entityType: 'invoice',
    entityId: invoice.id,
    data: {
      orderId: order.id,
      kind: input.kind,
      ...(input.spec.kind === 'percent' ? { percent: formatDecimal4(input.spec.percent) } : { amount: input.spec.amountMinor.toString() }),
      gross: invoice.grossTotalMinor.toString(),
    },
  });
  if (input.issue === true) return issueInvoice(s, env, invoice.id);
  return invoice;
}

/**
 * Why the order's advances keep it open (an issued advance not yet fully deducted nor credited), or
 * null. A draft advance was never billed and does not hold the order.
 */
export async function advancesOpenOn(s: Store, orderId: OrderId): Promise<string | null> {
  const left = (await advanceBalances(s, orderId)).filter((b) => b.issued && b.netMinor + b.vatMinor > 0n);
  const first = left[0];
  if (first === undefined) return null;
  const gross = left.filter((b) => b.advanceId === first.advanceId).reduce((a, b) => a + b.netMinor + b.vatMinor, 0n);
  return `advance invoice ${first.number ?? first.advanceId} is not fully deducted (${gross} minor units incl. VAT left); invoice the rest of the order or credit the advance`;
}
