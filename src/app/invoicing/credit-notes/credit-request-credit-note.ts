/**
 * Turns a claim's credit request into a draft credit note on the issued invoice that invoiced the
 * request's order line: a return or credit credits its quantity of that invoice line (pro rata of the
 * invoice line, as any line credit); a price concession credits its net at its VAT rate. The request
 * is marked 'credited' when the credit note is issued (issue-credit-note.ts).
 */
import { compareD, subD, ZERO_D, addD } from '../../../core/money/quantity.js';
import { DomainError, notFound } from '../../../core/shared/errors.js';
import type { Id } from '../../../core/shared/ids.js';
import type { CreditNoteRecord, InvoiceRecord, Store } from '../../ports.js';
import type { Env } from '../../shared/env.js';
import { createCreditNote } from './create-credit-note.js';

export async function creditNoteForCreditRequest(s: Store, env: Env, id: Id<'creditRequest'>): Promise<CreditNoteRecord> {
  const request = await s.creditNotes.getCreditRequestForUpdate(id);
  if (!request) throw notFound('credit request', id);
  if (request.status !== 'open') {
    throw new DomainError('conflict', `The credit request is ${request.status}; only an open credit request can be credited`);
  }
  const claim = await s.claims.get(request.claimId);
  const reason = `Claim ${claim?.number ?? request.claimId}: ${request.kind.replace('_', ' ')}`;

  // the issued invoices with a line for the order line, latest first
  const candidates: { invoice: InvoiceRecord; lineNo: number }[] = [];
  for (const invoice of (await s.invoices.listByOrder(request.orderId)).reverse()) {
    if (invoice.status !== 'issued' || invoice.currency !== request.currency) continue;
    // an invoice of several orders has lines of other orders with the same line numbers
    const line = invoice.lines.find((l) => l.orderId === request.orderId && l.orderLineNo === request.orderLineNo);
    if (line) candidates.push({ invoice, lineNo: line.lineNo });
  }
  if (candidates.length === 0) {
    throw new DomainError('invoice_not_issued', `Order line ${request.orderLineNo} is not on an issued invoice yet; issue the invoice first`);
  }

  if (request.quantity === null) {
    const { invoice } = candidates[0]!;
    return createCreditNote(s, env, invoice.id, {
      selection: { kind: 'amount', netMinor: request.netMinor, vatRate: request.vatRate, orderLineNo: request.orderLineNo, description: reason },
      reason,
      creditRequestId: id,
      orderId: request.orderId,
    });
  }
  // the latest invoice that still has the quantity left to credit on that line
  for (const { invoice, lineNo } of candidates) {
    const line = invoice.lines.find((l) => l.lineNo === lineNo)!;
    let taken = ZERO_D;
    for (const c of await s.creditNotes.listByInvoice(invoice.id)) {
      for (const l of c.lines) if (l.invoiceLineNo === lineNo && l.quantity) taken = addD(taken, l.quantity);
    }
    if (compareD(subD(line.quantity, taken), request.quantity) >= 0) {
      return createCreditNote(s, env, invoice.id, {
        selection: { kind: 'lines', lines: [{ invoiceLineNo: lineNo, quantity: request.quantity }] },
        reason,
        creditRequestId: id,
      });
    }
  }
  throw new DomainError('quantity_exceeds_open', 'No issued invoice has that quantity of the order line left to credit', 'quantity');
}
