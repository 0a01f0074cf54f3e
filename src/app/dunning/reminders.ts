/** Reading reminders, and what the reminder PDF and e-mail need. */
import { notFound } from '../../core/shared/errors.js';
import type { CustomerId, Id, InvoiceId } from '../../core/shared/ids.js';
import type { DunningChargeKind, InvoiceRecord, Page, PageResult, ReminderRecord, Store, TenantRecord } from '../ports.js';

export async function getReminder(s: Store, id: Id<'reminder'>): Promise<ReminderRecord> {
  const r = await s.dunning.getReminder(id);
  if (!r) throw notFound('reminder', id);
  return r;
}

export const listReminders = (s: Store, page: Page, filter: { customerId?: CustomerId | undefined } = {}): Promise<PageResult<ReminderRecord>> =>
  s.dunning.listReminders(page, filter);

export interface ReminderDocumentData {
  reminder: ReminderRecord;
  tenant: TenantRecord;
  feeInvoice: InvoiceRecord | null;
  interestInvoice: InvoiceRecord | null;
  customerEmail: string | null;
}

export async function reminderDocumentData(s: Store, id: Id<'reminder'>): Promise<ReminderDocumentData> {
  const reminder = await getReminder(s, id);
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  const feeInvoice = reminder.feeInvoiceId === null ? null : ((await s.invoices.get(reminder.feeInvoiceId)) ?? null);
  const interestInvoice = reminder.interestInvoiceId === null ? null : ((await s.invoices.get(reminder.interestInvoiceId)) ?? null);
  const customer = await s.customers.get(reminder.customerId);
  return { reminder, tenant, feeInvoice, interestInvoice, customerEmail: customer?.email?.trim() || null };
}

/** A fee or interest invoice dunning issued, with what it charges (dunning_charges.details). */
export interface ChargeDocumentData {
  invoice: InvoiceRecord;
  tenant: TenantRecord;
  kind: DunningChargeKind;
  details: ChargeDetails;
}

/** dunning_charges.details as run-dunning writes it. */
export interface ChargeDetails {
  reminder_number?: string;
  invoices?: {
    invoice_id: string;
    number: string;
    open: { amount: string; currency: string };
    interest: { amount: string; currency: string };
    periods: { from: string; to: string; days: number; reference_rate: string; annual_rate: string }[];
  }[];
}

export async function chargeDocumentData(s: Store, invoiceId: InvoiceId): Promise<ChargeDocumentData> {
  const charge = await s.dunning.getCharge(invoiceId);
  const invoice = await s.invoices.get(invoiceId);
  if (!charge || !invoice) throw notFound('dunning charge invoice', invoiceId);
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  return { invoice, tenant, kind: charge.kind, details: (charge.details ?? {}) as ChargeDetails };
}
