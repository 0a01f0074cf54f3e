/**
 * Drafts a credit note on an issued invoice: the whole invoice, chosen lines and quantities, or an
 * amount at one VAT rate (see amounts.ts for how much and the limits). Nothing is posted or numbered
 * until it is issued (issue-credit-note.ts).
 *
 * An advance invoice (deposit, milestone; decision 0010) can be credited only as far as later invoices
 * of the order have not deducted it, per VAT group; its credit lines carry no order line (an advance
 * invoiced no quantity of one), and issuing it debits 2429 instead of revenue. An invoice that deducted
 * advances can be credited up to what was owed on it (gross − prepaid): the deductions are not reversed.
 *
 * An invoice of several orders (a per-customer billing run; order_id null): a credit note belongs to
 * one order (issuing it credits that order's lines), so it credits the lines of one order at a time
 * (the order of the lines chosen; crediting lines of two orders in one note is refused, naming `lines`).
 * An amount credit names its order through `orderId` (a credit request's order); without it, it is
 * booked on the order of the invoice's first line.
 */
import { DomainError, invalid, notFound } from '../../../core/shared/errors.js';
import type { Id, InvoiceId, OrderId } from '../../../core/shared/ids.js';
import type { CreditNoteLineRecord, CreditNoteRecord, InvoiceRecord, Store } from '../../ports.js';
import type { Env } from '../../shared/env.js';
import { recordChange } from '../../shared/record.js';
import { creditAmounts, type CreditSelection } from './amounts.js';
import { advanceBalances } from '../advance-invoice.js';
import { formatDecimal4 } from '../../../core/money/quantity.js';

export const CREDIT_NOTE_SERIES = 'KF';
export const MAX_REASON_LENGTH = 1000;

/** The order a credit note of the invoice belongs to (module comment). */
function creditNoteOrder(invoice: InvoiceRecord, lines: readonly CreditNoteLineRecord[], orderId: OrderId | undefined): OrderId {
  if (invoice.orderId !== null) return invoice.orderId;
  const orders = new Set<OrderId>();
  for (const l of lines) {
    const il = l.invoiceLineNo === null ? undefined : invoice.lines.find((x) => x.lineNo === l.invoiceLineNo);
    if (il) orders.add(il.orderId);
  }
  if (orders.size > 1) {
    throw invalid('lines', `Invoice ${invoice.number ?? invoice.id} covers several orders: credit the lines of one order per credit note`);
  }
  const only = [...orders][0];
  if (only !== undefined) return only;
  if (orderId !== undefined && invoice.lines.some((l) => l.orderId === orderId)) return orderId;
  const first = invoice.lines[0];
  if (!first) throw new Error(`invoice ${invoice.id} has no order and no lines`);
  return first.orderId;
}

export async function createCreditNote(
  s: Store,
  env: Env,
  invoiceId: InvoiceId,
  input: { selection: CreditSelection; reason: string; creditRequestId?: Id<'creditRequest'> | null; orderId?: OrderId },
): Promise<CreditNoteRecord> {
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    throw invalid('reason', `Say why the invoice is credited (1–${MAX_REASON_LENGTH} characters)`);
  }
  // an advance: the order first (as createInvoice, which deducts advances, locks it), then the invoice
  const unlocked = await s.invoices.get(invoiceId);
  const advance = unlocked !== undefined && (unlocked.kind ?? 'standard') !== 'standard';
  // (an advance always has its order)
  if (unlocked !== undefined && advance && unlocked.orderId !== null) await s.orders.getForUpdate(unlocked.orderId);
  // locking the invoice row queues concurrent drafts on the same invoice, so their limits see each other
  const invoice = await s.invoices.getForUpdate(invoiceId);
  if (!invoice) throw notFound('invoice', invoiceId);
  if (invoice.status !== 'issued') {
    throw new DomainError('invoice_not_issued', 'Only an issued invoice can be credited; a draft invoice can simply be left unissued');
  }
  const earlier = await s.creditNotes.listByInvoice(invoiceId);
  const amounts = creditAmounts(invoice, earlier, input.selection);
  if (advance) {
    const left = (invoice.orderId === null ? [] : await advanceBalances(s, invoice.orderId)).filter((b) => b.advanceId === invoice.id);
    for (const v of amounts.vatBreakdown) {
      const l = left.find((b) => b.vatCategory === v.vatCategory && b.vatRate.scaled === v.vatRate.scaled);
      if (l === undefined || v.taxableMinor > l.netMinor || v.vatMinor > l.vatMinor) {
        throw new DomainError(
          'quantity_exceeds_open',
          `Advance invoice ${invoice.number ?? invoice.id} has ${l?.netMinor ?? 0n} minor units of net (and ${l?.vatMinor ?? 0n} of VAT) left at ` +
            `${formatDecimal4(v.vatRate)} % that later invoices have not deducted; only that can be credited`,
          input.selection.kind === 'amount' ? 'amount.net_amount' : 'lines',
        );
      }
    }
    amounts.lines = amounts.lines.map((l) => ({ ...l, orderLineNo: null }));
  }
  // An invoice that deducted advances was owed only gross − prepaid: that much can be credited back
  // through its receivable and its payments; the prepaid part is not reversed (decision 0010).
  const prepaid = invoice.prepaidMinor ?? 0n;
  if (prepaid > 0n) {
    const room = invoice.grossTotalMinor - prepaid - earlier.reduce((a, c) => a + c.grossTotalMinor, 0n);
    if (amounts.grossTotalMinor > room) {
      throw new DomainError(
        'quantity_exceeds_open',
        `Invoice ${invoice.number ?? invoice.id} deducted ${prepaid} minor units of advances, which a credit note does not reverse: ` +
          `at most ${room < 0n ? 0n : room} minor units (incl. VAT) can be credited`,
        input.selection.kind === 'amount' ? 'amount.net_amount' : 'lines',
      );
    }
  }
  const note: CreditNoteRecord = {
    id: env.ids.next('creditNote'),
    series: CREDIT_NOTE_SERIES,
    number: null,
    status: 'draft',
    invoiceId,
    orderId: creditNoteOrder(invoice, amounts.lines, input.orderId),
    customerId: invoice.customerId,
    currency: invoice.currency,
    reason,
    creditRequestId: input.creditRequestId ?? null,
    issueDate: null,
    netTotalMinor: amounts.netTotalMinor,
    vatTotalMinor: amounts.vatTotalMinor,
    grossTotalMinor: amounts.grossTotalMinor,
    receivableMinor: null,
    customerCreditMinor: null,
    seller: null,
    buyer: invoice.buyer,
    issuedAt: null,
    createdAt: env.clock.now(),
    lines: amounts.lines,
    vatBreakdown: amounts.vatBreakdown,
  };
  await s.creditNotes.insert(note);
  await recordChange(s, env, {
    action: 'credit_note.created',
    entityType: 'credit_note',
    entityId: note.id,
    data: { invoiceId, gross: note.grossTotalMinor.toString(), creditRequestId: note.creditRequestId },
  });
  return note;
}

export async function getCreditNote(s: Store, id: Id<'creditNote'>): Promise<CreditNoteRecord> {
  const c = await s.creditNotes.get(id);
  if (!c) throw notFound('credit note', id);
  return c;
}
