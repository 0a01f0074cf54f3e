/**
 * Applies (allocates) a payment's unapplied cash to open invoices: 2420 / 1510 per allocation.
 * Without explicit allocations it settles the matched invoice with min(unapplied, open). Whatever is
 * not applied stays on the payment as customer credit (2420): an overpayment is never lost or netted.
 *
 * In the base currency (decision 0008): each allocation takes a base value off the payment (its
 * received-date rate) and a base value off the open item (the invoice's issue-date rate), each prorated
 * by core prorateBase (all of what is left when the foreign amount reaches zero). It debits 2420 and
 * credits 1510 with those, and posts their difference as the realised exchange difference: 3960
 * (gain) or 7960 (loss). In the base currency both are the same and no FX line is posted.
 */
import { postAllocationFunctional, prorateBase } from '../../core/ledger/functional.js';
import { baseCurrencyOf } from '../fx/rate-for.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { CustomerId, InvoiceId, PaymentId } from '../../core/shared/ids.js';
import type { AllocationRecord, PaymentRecord, Store } from '../ports.js';
import { postEntry } from '../ledger/post-entry.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export interface ApplyPaymentInput {
  /** amountMinor omitted = as much as both sides allow. */
  allocations?: { invoiceId: InvoiceId; amountMinor?: bigint | undefined }[] | undefined;
  appliedOn?: LocalDate | undefined;
}

export async function applyPayment(
  s: Store,
  env: Env,
  id: PaymentId,
  input: ApplyPaymentInput,
): Promise<{ payment: PaymentRecord; allocations: AllocationRecord[] }> {
  const payment = await s.payments.getForUpdate(id);
  if (!payment) throw notFound('payment', id);
  const requested = input.allocations ?? (payment.matchedInvoiceId ? [{ invoiceId: payment.matchedInvoiceId }] : []);
  if (requested.length === 0) {
    throw new DomainError('payment_not_matched', 'The payment is not matched to an invoice; say which invoices to apply it to', 'allocations');
  }
  if (payment.unappliedMinor === 0n) throw new DomainError('payment_nothing_to_apply', 'The payment is already fully applied');
  const items = await s.openItems.getByInvoicesForUpdate(requested.map((r) => r.invoiceId));
  const byInvoice = new Map(items.map((o) => [o.invoiceId as string, o]));
  // validate everything first, then write
  let remaining = payment.unappliedMinor;
  const plan: { openItemId: AllocationRecord['openItemId']; invoiceId: InvoiceId; customerId: CustomerId; amountMinor: bigint }[] = [];
  for (const [i, r] of requested.entries()) {
    const param = `allocations.${i}`;
    const item = byInvoice.get(r.invoiceId);
    if (!item) throw notFound('issued invoice', r.invoiceId, `${param}.invoice_id`);
    if (item.currency !== payment.currency) {
      throw new DomainError('currency_mismatch', `Invoice is in ${item.currency}, the payment in ${payment.currency}`, `${param}.invoice_id`);
    }
    if (payment.customerId !== null && item.customerId !== payment.customerId) {
      throw new DomainError('unprocessable', 'The invoice belongs to another customer than the payment', `${param}.invoice_id`);
    }
    const alreadyPlanned = plan.filter((p) => p.invoiceId === r.invoiceId).reduce((a, p) => a + p.amountMinor, 0n);
    const open = item.openMinor - alreadyPlanned;
    const amount = r.amountMinor ?? (open < remaining ? open : remaining);
    if (r.amountMinor !== undefined && amount <= 0n) throw invalid(`${param}.amount`, 'amount must be greater than zero');
    if (amount > open) {
      throw new DomainError('unprocessable', `Cannot apply more than the invoice's open amount`, `${param}.amount`);
    }
    if (amount > remaining) {
      throw new DomainError('unprocessable', `Cannot apply more than the payment's unapplied amount`, `${param}.amount`);
    }
    if (amount === 0n) continue;
    remaining -= amount;
    plan.push({ openItemId: item.id, invoiceId: r.invoiceId, customerId: item.customerId, amountMinor: amount });
  }
  if (plan.length === 0) throw new DomainError('payment_nothing_to_apply', 'The invoices are already paid; nothing to apply', 'allocations');
  const appliedOn = input.appliedOn ?? env.clock.today();
  const base = await baseCurrencyOf(s);
  const allocations: AllocationRecord[] = [];
  // what is left on the payment and the open items, in the transaction and the base currency
  const cash = { open: payment.unappliedMinor, baseOpen: payment.baseUnappliedMinor };
  const itemLeft = new Map(items.map((o) => [o.id as string, { open: o.openMinor, baseOpen: o.baseOpenMinor }]));
  for (const p of plan) {
    const left = itemLeft.get(p.openItemId)!;
    const paymentBase = prorateBase(cash.baseOpen, p.amountMinor, cash.open);
    const openItemBase = prorateBase(left.baseOpen, p.amountMinor, left.open);
    cash.open -= p.amountMinor;
    cash.baseOpen -= paymentBase;
    left.open -= p.amountMinor;
    left.baseOpen -= openItemBase;
    if (!(await s.openItems.reduce(p.openItemId, p.amountMinor, openItemBase))) throw new DomainError('conflict', 'The invoice changed while applying; retry');
    if (!(await s.payments.reduceUnapplied(id, p.amountMinor, p.customerId, paymentBase))) throw new DomainError('conflict', 'The payment changed while applying; retry');
    const { postings, fxDifferenceMinor } = postAllocationFunctional(
      { base, currency: payment.currency, customerId: p.customerId, amountMinor: p.amountMinor, paymentBaseMinor: paymentBase, openItemBaseMinor: openItemBase },
      env.accounts,
    );
    const allocation: AllocationRecord = {
      id: env.ids.next('allocation'),
      paymentId: id,
      openItemId: p.openItemId,
      invoiceId: p.invoiceId,
      amountMinor: p.amountMinor,
      appliedOn,
      createdAt: env.clock.now(),
      baseAmountMinor: paymentBase,
      baseOpenMinor: openItemBase,
      fxDifferenceMinor,
    };
    await s.allocations.insert(allocation);
    allocations.push(allocation);
    // nothing to post only when a tiny foreign amount is worth nothing in base on both sides
    if (postings.length > 0) await postEntry(s, env, {
      date: appliedOn,
      description: `Payment applied to invoice`,
      sourceType: 'allocation',
      sourceId: allocation.id,
      postings,
    });
    await recordChange(s, env, {
      action: 'payment.applied',
      entityType: 'payment',
      entityId: id,
      data: { invoiceId: p.invoiceId, amount: p.amountMinor.toString(), fxDifference: fxDifferenceMinor.toString() },
      event: { type: 'payment.applied', payload: { id, invoice_id: p.invoiceId, amount_minor: p.amountMinor.toString() } },
    });
  }
  const updated = await s.payments.get(id);
  if (!updated) throw notFound('payment', id);
  return { payment: updated, allocations };
}

export async function getPayment(s: Store, id: PaymentId): Promise<{ payment: PaymentRecord; allocations: AllocationRecord[] }> {
  const payment = await s.payments.get(id);
  if (!payment) throw notFound('payment', id);
  return { payment, allocations: await s.allocations.listByPayment(id) };
}
