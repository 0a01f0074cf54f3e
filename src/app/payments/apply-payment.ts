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
 *
 * Differences (core payment-rules): an allocation may also carry a fee the bank withheld (bank_fee:
 * 6570 / 1510) and, with write_off, settle the invoice by writing off the short rest when it is within
 * the tenant's tolerance (3740 / 1510; beyond it a 422 naming allocations.N.write_off). Both reduce the
 * open item (and its base, at the invoice's value) and are kept on the allocation, posted in the same
 * entry, so an unapply reverses them. An invoice whose open item reaches 0 emits invoice.paid.
 *
 * Lock order: the payment row, then the open items in id order (as credit notes, unapply and returns
 * do), so concurrent applications queue on the open item and never deadlock; the guarded reduce and
 * the open_minor >= 0 CHECK make over-application impossible.
 */
import { postAllocationFunctional, prorateBase } from '../../core/ledger/functional.js';
import { postPaymentAdjustments, settle, splitBase } from '../../core/ledger/payment-rules.js';
import { baseCurrencyOf } from '../fx/rate-for.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { CustomerId, InvoiceId, PaymentId } from '../../core/shared/ids.js';
import type { AllocationRecord, PaymentRecord, Store } from '../ports.js';
import { postEntry } from '../ledger/post-entry.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { accountsFor } from '../ledger/chart.js';

export interface ApplyPaymentInput {
  /** amountMinor omitted = as much as both sides allow. */
  allocations?:
    | {
        invoiceId: InvoiceId;
        amountMinor?: bigint | undefined;
        /** Settle the invoice: write off the short rest if it is within the tenant's tolerance. */
        writeOff?: boolean | undefined;
        /** An amount the bank withheld (6570), in the payment's currency. */
        bankFeeMinor?: bigint | undefined;
      }[]
    | undefined;
  appliedOn?: LocalDate | undefined;
}

export async function applyPayment(
  s: Store,
  env: Env,
  id: PaymentId,
  input: ApplyPaymentInput,
): Promise<{ payment: PaymentRecord; allocations: AllocationRecord[] }> {
  const accounts = await accountsFor(s, env);
  const payment = await s.payments.getForUpdate(id);
  if (!payment) throw notFound('payment', id);
  if ((payment.status ?? 'received') === 'returned') throw new DomainError('conflict', 'The payment was returned by the bank; it cannot be applied');
  const requested = input.allocations ?? (payment.matchedInvoiceId ? [{ invoiceId: payment.matchedInvoiceId }] : []);
  if (requested.length === 0) {
    throw new DomainError('payment_not_matched', 'The payment is not matched to an invoice; say which invoices to apply it to', 'allocations');
  }
  if (payment.unappliedMinor === 0n) throw new DomainError('payment_nothing_to_apply', 'The payment is already fully applied');
  const items = await s.openItems.getByInvoicesForUpdate(requested.map((r) => r.invoiceId));
  const byInvoice = new Map(items.map((o) => [o.invoiceId as string, o]));
  // validate everything first, then write
  let remaining = payment.unappliedMinor;
  const plan: {
    openItemId: AllocationRecord['openItemId'];
    invoiceId: InvoiceId;
    customerId: CustomerId;
    amountMinor: bigint;
    writeOffMinor: bigint;
    bankFeeMinor: bigint;
  }[] = [];
  const needsTolerance = requested.some((r) => r.writeOff === true);
  const tolerance = needsTolerance ? await s.bank.matchSettings() : undefined;
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
    const alreadyPlanned = plan.filter((p) => p.invoiceId === r.invoiceId).reduce((a, p) => a + p.amountMinor + p.writeOffMinor + p.bankFeeMinor, 0n);
    const open = item.openMinor - alreadyPlanned;
    const fee = r.bankFeeMinor ?? 0n;
    if (fee < 0n) throw invalid(`${param}.bank_fee`, 'bank_fee must not be negative');
    if (fee > 0n && fee >= open) {
      throw new DomainError('unprocessable', `The bank fee must be less than the invoice's open amount (${open} minor units)`, `${param}.bank_fee`);
    }
    const payable = open - fee;
    const amount = r.amountMinor ?? (payable < remaining ? payable : remaining);
    if (r.amountMinor !== undefined && amount <= 0n) throw invalid(`${param}.amount`, 'amount must be greater than zero');
    if (amount > payable) {
      throw new DomainError('unprocessable', `Cannot apply more than the invoice's open amount`, `${param}.amount`);
    }
    if (amount > remaining) {
      throw new DomainError('unprocessable', `Cannot apply more than the payment's unapplied amount`, `${param}.amount`);
    }
    if (amount === 0n) continue;
    const settled = settle({ openMinor: open, amountMinor: amount, bankFeeMinor: fee, writeOff: r.writeOff === true }, tolerance ?? { toleranceMinor: 0n, toleranceBasisPoints: 0n });
    if (!settled.ok) {
      throw new DomainError(
        'unprocessable',
        `The short rest ${settled.restMinor} is beyond the write-off tolerance ${settled.toleranceMinor} (minor units); apply it without write_off or collect the rest`,
        `${param}.write_off`,
      );
    }
    remaining -= amount;
    plan.push({ openItemId: item.id, invoiceId: r.invoiceId, customerId: item.customerId, amountMinor: amount, writeOffMinor: settled.writeOffMinor, bankFeeMinor: fee });
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
    // cash first, then the bank fee, then the write-off: all of the base when the item closes
    const [openItemBase, bankFeeBase, writeOffBase] = splitBase(left.baseOpen, left.open, [p.amountMinor, p.bankFeeMinor, p.writeOffMinor]) as [bigint, bigint, bigint];
    const settledMinor = p.amountMinor + p.bankFeeMinor + p.writeOffMinor;
    const settledBase = openItemBase + bankFeeBase + writeOffBase;
    cash.open -= p.amountMinor;
    cash.baseOpen -= paymentBase;
    left.open -= settledMinor;
    left.baseOpen -= settledBase;
    if (!(await s.openItems.reduce(p.openItemId, settledMinor, settledBase))) throw new DomainError('conflict', 'The invoice changed while applying; retry');
    if (!(await s.payments.reduceUnapplied(id, p.amountMinor, p.customerId, paymentBase))) throw new DomainError('conflict', 'The payment changed while applying; retry');
    const { postings, fxDifferenceMinor } = postAllocationFunctional(
      { base, currency: payment.currency, customerId: p.customerId, amountMinor: p.amountMinor, paymentBaseMinor: paymentBase, openItemBaseMinor: openItemBase },
      accounts,
    );
    postings.push(
      ...postPaymentAdjustments(
        {
          base, currency: payment.currency, customerId: p.customerId,
          writeOffMinor: p.writeOffMinor, writeOffBaseMinor: writeOffBase, bankFeeMinor: p.bankFeeMinor, bankFeeBaseMinor: bankFeeBase,
        },
        accounts,
      ),
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
      writeOffMinor: p.writeOffMinor,
      writeOffBaseMinor: writeOffBase,
      bankFeeMinor: p.bankFeeMinor,
      bankFeeBaseMinor: bankFeeBase,
      reversedAt: null,
      reversedOn: null,
      reversedBy: null,
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
      data: {
        allocationId: allocation.id, invoiceId: p.invoiceId, amount: p.amountMinor.toString(), fxDifference: fxDifferenceMinor.toString(),
        writeOff: p.writeOffMinor.toString(), bankFee: p.bankFeeMinor.toString(),
      },
      event: {
        type: 'payment.applied',
        payload: {
          id, allocation_id: allocation.id, invoice_id: p.invoiceId, amount_minor: p.amountMinor.toString(),
          write_off_minor: p.writeOffMinor.toString(), bank_fee_minor: p.bankFeeMinor.toString(),
        },
      },
    });
    if (left.open === 0n) {
      await recordChange(s, env, {
        action: 'invoice.paid',
        entityType: 'invoice',
        entityId: p.invoiceId,
        data: { paymentId: id, allocationId: allocation.id },
        event: { type: 'invoice.paid', payload: { id: p.invoiceId, customer_id: p.customerId, payment_id: id, paid_on: appliedOn } },
      });
    }
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
