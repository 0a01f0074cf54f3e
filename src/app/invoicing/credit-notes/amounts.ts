/**
 * What a credit note credits, computed from the invoice it corrects and the credit notes already on
 * that invoice (drafts included, so two drafts can never credit the same thing twice). Pure.
 *
 * - Lines: a quantity of an invoice line, pro rata of the invoice line's own amounts by the same
 *   "running total" policy as partial invoicing (core partialLineNet), with the invoice line as the
 *   whole and earlier credits as the parts already taken: the credits of a line add up to exactly the
 *   invoice line, and never to more.
 * - Amount: a net amount at one of the invoice's VAT rates, at most what is left of that rate.
 * - VAT per (category, rate), also by running total: the VAT credited so far for a rate group is
 *   round(rate × taxable credited so far) and, once the whole group is credited, exactly the
 *   invoice's VAT for it; so credits never carry more VAT than the invoice did.
 */
import { partialLineNet, VAT_ROUNDING } from '../../../core/documents/lines.js';
import { money } from '../../../core/money/money.js';
import { addD, compareD, formatDecimal4, isZeroD, subD, ZERO_D, type Percent, type Quantity } from '../../../core/money/quantity.js';
import { divRound } from '../../../core/money/rounding.js';
import { DomainError, invalid } from '../../../core/shared/errors.js';
import type { VatCategory } from '../../../core/tax/vat.js';
import type { CreditNoteLineRecord, CreditNoteRecord, InvoiceRecord, VatBreakdownRecord } from '../../ports.js';

export type CreditSelection =
  | { kind: 'whole' }
  | { kind: 'lines'; lines: { invoiceLineNo: number; quantity: Quantity }[] }
  | { kind: 'amount'; netMinor: bigint; vatRate: Percent; currency?: string; orderLineNo?: number | null; description?: string };

export interface CreditAmounts {
  lines: CreditNoteLineRecord[];
  vatBreakdown: VatBreakdownRecord[];
  netTotalMinor: bigint;
  vatTotalMinor: bigint;
  grossTotalMinor: bigint;
}

const groupKey = (category: VatCategory, rate: Percent): string => `${category}|${rate.scaled}`;
const PERCENT_SCALE = 100n * 10_000n;

const exceeds = (message: string, param?: string): DomainError => new DomainError('quantity_exceeds_open', message, param);

export function creditAmounts(invoice: InvoiceRecord, earlier: readonly CreditNoteRecord[], selection: CreditSelection): CreditAmounts {
  const cur = invoice.currency;
  // what earlier credit notes took, per invoice line and per VAT group
  const lineTaken = new Map<number, { quantity: Quantity; netMinor: bigint; grossMinor: bigint }>();
  const groupTaken = new Map<string, { taxableMinor: bigint; vatMinor: bigint }>();
  for (const c of earlier) {
    for (const l of c.lines) {
      if (l.invoiceLineNo === null || l.quantity === null) continue;
      const t = lineTaken.get(l.invoiceLineNo) ?? { quantity: ZERO_D, netMinor: 0n, grossMinor: 0n };
      lineTaken.set(l.invoiceLineNo, {
        quantity: addD(t.quantity, l.quantity), netMinor: t.netMinor + l.netAmountMinor, grossMinor: t.grossMinor + l.grossAmountMinor,
      });
    }
    for (const v of c.vatBreakdown) {
      const k = groupKey(v.vatCategory, v.vatRate);
      const t = groupTaken.get(k) ?? { taxableMinor: 0n, vatMinor: 0n };
      groupTaken.set(k, { taxableMinor: t.taxableMinor + v.taxableMinor, vatMinor: t.vatMinor + v.vatMinor });
    }
  }

  const lines: CreditNoteLineRecord[] = [];
  const creditLine = (invoiceLineNo: number, quantity: Quantity, param: string): void => {
    const il = invoice.lines.find((l) => l.lineNo === invoiceLineNo);
    if (!il) throw invalid(`${param}.invoice_line_no`, `The invoice has no line ${invoiceLineNo}`);
    if (quantity.scaled <= 0n) throw invalid(`${param}.quantity`, 'quantity must be greater than zero');
    const taken = lineTaken.get(invoiceLineNo) ?? { quantity: ZERO_D, netMinor: 0n, grossMinor: 0n };
    const left = subD(il.quantity, taken.quantity);
    if (compareD(quantity, left) > 0) {
      throw exceeds(
        `Cannot credit ${formatDecimal4(quantity)} of invoice line ${invoiceLineNo}: ${formatDecimal4(left)} of ${formatDecimal4(il.quantity)} is left to credit`,
        `${param}.quantity`,
      );
    }
    const a = partialLineNet({
      ordered: il.quantity,
      orderedGross: money(il.grossAmountMinor, cur),
      orderedNet: money(il.netAmountMinor, cur),
      alreadyInvoiced: taken.quantity,
      alreadyInvoicedNet: money(taken.netMinor, cur),
      quantity,
    });
    lineTaken.set(invoiceLineNo, {
      quantity: addD(taken.quantity, quantity), netMinor: taken.netMinor + a.net.minor, grossMinor: taken.grossMinor + a.gross.minor,
    });
    lines.push({
      lineNo: lines.length + 1,
      invoiceLineNo,
      orderLineNo: il.orderLineNo,
      description: il.description,
      quantity,
      unit: il.unit,
      unitPriceMinor: il.unitPriceMinor,
      grossAmountMinor: a.gross.minor,
      discountAmountMinor: a.discount.minor,
      netAmountMinor: a.net.minor,
      vatRate: il.vatRate,
      vatCategory: il.vatCategory,
    });
  };

  switch (selection.kind) {
    case 'whole':
      for (const il of invoice.lines) {
        const left = subD(il.quantity, lineTaken.get(il.lineNo)?.quantity ?? ZERO_D);
        if (!isZeroD(left) && left.scaled > 0n) creditLine(il.lineNo, left, `lines.${il.lineNo}`);
      }
      if (lines.length === 0) throw exceeds('Everything on the invoice is already credited');
      break;
    case 'lines':
      if (selection.lines.length === 0) throw invalid('lines', 'Give at least one line, or leave lines out to credit the whole invoice');
      for (const [i, l] of selection.lines.entries()) creditLine(l.invoiceLineNo, l.quantity, `lines.${i}`);
      break;
    case 'amount': {
      if (selection.netMinor <= 0n) throw invalid('amount.net_amount', 'The amount must be greater than zero');
      if (selection.currency !== undefined && selection.currency !== cur) {
        throw new DomainError('currency_mismatch', `The invoice is in ${cur}, the amount in ${selection.currency}`, 'amount.net_amount.currency');
      }
      const row = invoice.vatBreakdown.find((b) => compareD(b.vatRate, selection.vatRate) === 0);
      if (!row) {
        throw new DomainError('unprocessable', `The invoice has no lines at VAT rate ${formatDecimal4(selection.vatRate)} %`, 'amount.vat_rate');
      }
      lines.push({
        lineNo: 1,
        invoiceLineNo: null,
        orderLineNo: selection.orderLineNo ?? null,
        description: selection.description ?? 'Credit',
        quantity: null,
        unit: null,
        unitPriceMinor: null,
        grossAmountMinor: selection.netMinor,
        discountAmountMinor: 0n,
        netAmountMinor: selection.netMinor,
        vatRate: row.vatRate,
        vatCategory: row.vatCategory,
      });
      break;
    }
  }

  // VAT per group by running total, capped by the invoice's own group
  const groups = new Map<string, { vatCategory: VatCategory; vatRate: Percent; taxableMinor: bigint }>();
  for (const l of lines) {
    const k = groupKey(l.vatCategory, l.vatRate);
    const g = groups.get(k);
    if (g) g.taxableMinor += l.netAmountMinor;
    else groups.set(k, { vatCategory: l.vatCategory, vatRate: l.vatRate, taxableMinor: l.netAmountMinor });
  }
  const vatBreakdown: VatBreakdownRecord[] = [];
  for (const [k, g] of groups) {
    const inv = invoice.vatBreakdown.find((b) => groupKey(b.vatCategory, b.vatRate) === k);
    if (!inv) throw new Error(`credit line at ${k} has no VAT group on invoice ${invoice.id}`);
    const before = groupTaken.get(k) ?? { taxableMinor: 0n, vatMinor: 0n };
    const after = before.taxableMinor + g.taxableMinor;
    if (after > inv.taxableMinor) {
      throw exceeds(
        `Cannot credit more than was invoiced at ${formatDecimal4(g.vatRate)} %: ${inv.taxableMinor - before.taxableMinor} minor units of net are left`,
        selection.kind === 'amount' ? 'amount.net_amount' : 'lines',
      );
    }
    const vatAfter = after === inv.taxableMinor ? inv.vatMinor : divRound(after * g.vatRate.scaled, PERCENT_SCALE, VAT_ROUNDING);
    const vatMinor = vatAfter - before.vatMinor;
    if (vatMinor < 0n || vatAfter > inv.vatMinor) throw exceeds(`Cannot credit more VAT than the invoice carries at ${formatDecimal4(g.vatRate)} %`);
    vatBreakdown.push({ vatCategory: g.vatCategory, vatRate: g.vatRate, taxableMinor: g.taxableMinor, vatMinor });
  }
  vatBreakdown.sort((a, b) => compareD(b.vatRate, a.vatRate) || a.vatCategory.localeCompare(b.vatCategory));
  const netTotalMinor = vatBreakdown.reduce((a, v) => a + v.taxableMinor, 0n);
  const vatTotalMinor = vatBreakdown.reduce((a, v) => a + v.vatMinor, 0n);
  const grossTotalMinor = netTotalMinor + vatTotalMinor;
  const creditedBefore = earlier.reduce((a, c) => a + c.grossTotalMinor, 0n);
  if (creditedBefore + grossTotalMinor > invoice.grossTotalMinor) {
    throw exceeds(`Cannot credit more than was invoiced: ${invoice.grossTotalMinor - creditedBefore} minor units are left to credit`);
  }
  if (grossTotalMinor <= 0n) throw exceeds('The credit note would credit nothing');
  return { lines, vatBreakdown, netTotalMinor, vatTotalMinor, grossTotalMinor };
}
