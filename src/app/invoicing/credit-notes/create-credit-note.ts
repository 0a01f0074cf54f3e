/**
 * Drafts a credit note on an issued invoice: the whole invoice, chosen lines and quantities, or an
 * amount at one VAT rate (see amounts.ts for how much and the limits). Nothing is posted or numbered
 * until it is issued (issue-credit-note.ts).
 */
import { DomainError, invalid, notFound } from '../../../core/shared/errors.js';
import type { Id, InvoiceId } from '../../../core/shared/ids.js';
import type { CreditNoteRecord, Store } from '../../ports.js';
import type { Env } from '../../shared/env.js';
import { recordChange } from '../../shared/record.js';
import { creditAmounts, type CreditSelection } from './amounts.js';

export const CREDIT_NOTE_SERIES = 'KF';
export const MAX_REASON_LENGTH = 1000;

export async function createCreditNote(
  s: Store,
  env: Env,
  invoiceId: InvoiceId,
  input: { selection: CreditSelection; reason: string; creditRequestId?: Id<'creditRequest'> | null },
): Promise<CreditNoteRecord> {
  const reason = input.reason.trim();
  if (reason.length === 0 || reason.length > MAX_REASON_LENGTH) {
    throw invalid('reason', `Say why the invoice is credited (1–${MAX_REASON_LENGTH} characters)`);
  }
  // locking the invoice row queues concurrent drafts on the same invoice, so their limits see each other
  const invoice = await s.invoices.getForUpdate(invoiceId);
  if (!invoice) throw notFound('invoice', invoiceId);
  if (invoice.status !== 'issued') {
    throw new DomainError('invoice_not_issued', 'Only an issued invoice can be credited; a draft invoice can simply be left unissued');
  }
  const earlier = await s.creditNotes.listByInvoice(invoiceId);
  const amounts = creditAmounts(invoice, earlier, input.selection);
  const note: CreditNoteRecord = {
    id: env.ids.next('creditNote'),
    series: CREDIT_NOTE_SERIES,
    number: null,
    status: 'draft',
    invoiceId,
    orderId: invoice.orderId,
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
