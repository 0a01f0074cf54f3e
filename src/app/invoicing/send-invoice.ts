/**
 * Sending an issued invoice or credit note to the customer: the use case only records the wish, as an
 * outbox event ('invoice.sent' / 'credit_note.sent') in the same transaction, with an audit row. The
 * outbox worker does the sending after the commit (integrations/email/invoice-email.ts): the e-mail
 * with the PDF and the UBL e-invoice, and the hand-over to the e-invoice transmitter when one is
 * configured. Sending again records another event (a resend). Drafts are refused: 409 invoice_not_issued.
 *
 * Also the loaders the document endpoints and the e-mail handler share: the record with what its
 * documents need (tenant, customer, order, and for a credit note the credited invoice).
 */
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { Id, InvoiceId } from '../../core/shared/ids.js';
import type { CreditNoteRecord, CustomerRecord, InvoiceRecord, OrderRecord, Store, TenantRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export interface InvoiceDocumentData {
  invoice: InvoiceRecord;
  tenant: TenantRecord;
  customer: CustomerRecord;
  order: OrderRecord | null;
  /** An invoice of several orders (order null): the order numbers of its lines, by order id. */
  orderNumbers?: Map<string, string> | null;
}

/** The order numbers of an invoice's lines by order id (for an invoice of several orders), else null. */
export async function lineOrderNumbersOf(s: Store, invoice: InvoiceRecord): Promise<Map<string, string> | null> {
  if (invoice.orderId !== null) return null;
  const out = new Map<string, string>();
  for (const id of new Set(invoice.lines.map((l) => l.orderId))) {
    const o = await s.orders.get(id);
    if (o) out.set(id, o.number);
  }
  return out;
}

export interface CreditNoteDocumentData {
  note: CreditNoteRecord;
  /** The invoice the credit note corrects. */
  invoice: InvoiceRecord;
  tenant: TenantRecord;
  customer: CustomerRecord;
  order: OrderRecord | null;
}

async function tenantOf(s: Store): Promise<TenantRecord> {
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  return tenant;
}

async function customerOf(s: Store, id: CustomerRecord['id'], of: string): Promise<CustomerRecord> {
  const customer = await s.customers.get(id);
  if (!customer) throw new Error(`customer ${id} of ${of} is missing`);
  return customer;
}

export async function invoiceDocumentData(s: Store, id: InvoiceId): Promise<InvoiceDocumentData> {
  const invoice = await s.invoices.get(id);
  if (!invoice) throw notFound('invoice', id);
  const tenant = await tenantOf(s);
  const customer = await customerOf(s, invoice.customerId, `invoice ${id}`);
  // null for an invoice of several orders: its lines name their orders
  const order = invoice.orderId === null ? null : ((await s.orders.get(invoice.orderId)) ?? null);
  return { invoice, tenant, customer, order, orderNumbers: await lineOrderNumbersOf(s, invoice) };
}

export async function creditNoteDocumentData(s: Store, id: Id<'creditNote'>): Promise<CreditNoteDocumentData> {
  const note = await s.creditNotes.get(id);
  if (!note) throw notFound('credit note', id);
  const invoice = await s.invoices.get(note.invoiceId);
  if (!invoice) throw new Error(`invoice ${note.invoiceId} of credit note ${id} is missing`);
  const tenant = await tenantOf(s);
  const customer = await customerOf(s, note.customerId, `credit note ${id}`);
  const order = (await s.orders.get(note.orderId)) ?? null;
  return { note, invoice, tenant, customer, order };
}

/** Records 'invoice.sent' for an issued invoice; the worker e-mails (and transmits) it. */
export async function sendInvoice(s: Store, env: Env, id: InvoiceId): Promise<InvoiceRecord> {
  const invoice = await s.invoices.get(id);
  if (!invoice) throw notFound('invoice', id);
  if (invoice.status !== 'issued' || invoice.number === null) {
    throw new DomainError('invoice_not_issued', `Only an issued invoice can be sent; this one is '${invoice.status}'`);
  }
  if (await s.dunning.getCharge(id)) {
    throw new DomainError('conflict', 'A reminder fee or interest invoice goes out with its reminder; its PDF is at GET /v1/invoices/{id}/pdf');
  }
  await recordChange(s, env, {
    action: 'invoice.sent',
    entityType: 'invoice',
    entityId: id,
    data: { number: invoice.number },
    event: { type: 'invoice.sent', payload: { id, number: invoice.number, customer_id: invoice.customerId } },
  });
  return invoice;
}

/** Records 'credit_note.sent' for an issued credit note; the worker e-mails (and transmits) it. */
export async function sendCreditNote(s: Store, env: Env, id: Id<'creditNote'>): Promise<CreditNoteRecord> {
  const note = await s.creditNotes.get(id);
  if (!note) throw notFound('credit note', id);
  if (note.status !== 'issued' || note.number === null) {
    throw new DomainError('invoice_not_issued', `Only an issued credit note can be sent; this one is '${note.status}'`);
  }
  await recordChange(s, env, {
    action: 'credit_note.sent',
    entityType: 'credit_note',
    entityId: id,
    data: { number: note.number, invoiceId: note.invoiceId },
    event: { type: 'credit_note.sent', payload: { id, number: note.number, invoice_id: note.invoiceId, customer_id: note.customerId } },
  });
  return note;
}
