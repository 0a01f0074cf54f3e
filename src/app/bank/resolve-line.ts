/**
 * Resolving a bank line from the review queue, by a person: apply it to chosen invoices, keep it as
 * customer credit of a chosen customer, or ignore it with a reason. The line is locked first and must
 * still be waiting (status 'unmatched'), so a line is never turned into two payments. The decision is
 * kept on the line beside the engine's proposals, with who made it.
 */
import { normaliseAccount } from '../../core/receivables/cash-matching.js';
import { money } from '../../core/money/money.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { CustomerId, Id, InvoiceId } from '../../core/shared/ids.js';
import type { BankTransactionRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { applyPayment } from '../payments/apply-payment.js';
import { receivePayment } from '../payments/receive-payment.js';
import { returnPayment } from '../payments/return-payment.js';

export type ResolveLineInput =
  | {
      action: 'apply';
      /** As POST /v1/payments/{id}/apply: write_off settles a short rest within tolerance (3740), bank_fee is what the bank withheld (6570). */
      allocations: { invoiceId: InvoiceId; amountMinor?: bigint | undefined; writeOff?: boolean | undefined; bankFeeMinor?: bigint | undefined }[];
    }
  | { action: 'credit'; customerId: CustomerId }
  | { action: 'ignore'; reason: string };

async function waitingLine(s: Store, id: Id<'bankTransaction'>): Promise<BankTransactionRecord> {
  const line = await s.bank.getForUpdate(id);
  if (!line) throw notFound('bank transaction', id);
  if (line.status !== 'unmatched') {
    throw new DomainError('conflict', `The bank transaction is already ${line.status}; nothing to resolve`);
  }
  return line;
}

const referenceTextOf = (line: BankTransactionRecord): string | null =>
  [...line.references.map((r) => r.value), line.text ?? ''].filter((x) => x !== '').join('\n') || null;

export async function resolveBankLine(s: Store, env: Env, id: Id<'bankTransaction'>, input: ResolveLineInput): Promise<BankTransactionRecord> {
  const line = await waitingLine(s, id);
  const previous = (line.match ?? {}) as Record<string, unknown>;
  const by = { actor: env.actor.actorId, at: env.clock.now().toISOString() };
  if (input.action === 'ignore') {
    if (input.reason.trim() === '') throw invalid('reason', 'say why the line is ignored');
    const match = { ...previous, resolution: { action: 'ignore', reason: input.reason, ...by } };
    await s.bank.settle(id, { status: 'ignored', paymentId: null, match, ignoredReason: input.reason });
    await recordChange(s, env, { action: 'bank_transaction.ignored', entityType: 'bank_transaction', entityId: id, data: { reason: input.reason } });
    return { ...line, status: 'ignored', match, ignoredReason: input.reason };
  }
  if (line.amountMinor <= 0n) throw new DomainError('unprocessable', 'An outgoing transaction cannot be applied to invoices or kept as customer credit', 'action');

  let customerId: CustomerId;
  if (input.action === 'credit') {
    const c = await s.customers.get(input.customerId);
    if (!c) throw notFound('customer', input.customerId, 'customer_id');
    customerId = input.customerId;
  } else {
    if (input.allocations.length === 0) throw invalid('allocations', 'name at least one invoice');
    const first = await s.invoices.get(input.allocations[0]!.invoiceId);
    if (!first || first.status !== 'issued') throw notFound('issued invoice', input.allocations[0]!.invoiceId, 'allocations.0.invoice_id');
    customerId = first.customerId;
  }
  const payment = await receivePayment(s, env, {
    amount: money(line.amountMinor, line.currency),
    receivedOn: line.bookingDate,
    payerName: line.payerName,
    payerAccount: line.payerAccount,
    referenceText: referenceTextOf(line),
    customerId,
    autoApply: false,
    matched: { invoiceId: input.action === 'apply' ? input.allocations[0]!.invoiceId : null, method: null },
  });
  if (input.action === 'apply') {
    await applyPayment(s, env, payment.id, { allocations: input.allocations, appliedOn: line.bookingDate });
  }
  if (line.payerAccount !== null && line.payerAccount.trim() !== '') {
    await s.bank.learnAccount(normaliseAccount(line.payerAccount), customerId, line.id);
  }
  const status = input.action === 'apply' ? 'applied' : 'credit';
  const match = {
    ...previous,
    resolution: {
      action: input.action,
      customer_id: customerId,
      ...(input.action === 'apply'
        ? {
            allocations: input.allocations.map((a) => ({
              invoice_id: a.invoiceId,
              amount_minor: a.amountMinor?.toString() ?? null,
              write_off: a.writeOff === true,
              bank_fee_minor: a.bankFeeMinor?.toString() ?? null,
            })),
          }
        : {}),
      ...by,
    },
  };
  await s.bank.settle(id, { status, paymentId: payment.id, match, ignoredReason: null });
  await recordChange(s, env, { action: `bank_transaction.${status}`, entityType: 'bank_transaction', entityId: id, data: { paymentId: payment.id } });
  return { ...line, status, paymentId: payment.id, match };
}

/**
 * Undoes how a bank line was settled (automatically or by a person): the payment it became is
 * reversed — every allocation unapplied with reversing entries, then the receipt — so the invoices
 * reopen and the cash leaves 2420 again; the line goes back to the review queue with its history
 * (the engine's decision, the resolution and the undo, with who and when). The reversed payment stays
 * on record (status 'returned', its reason saying it was undone); resolving the line again makes a
 * new payment.
 */
export async function undoBankLine(s: Store, env: Env, id: Id<'bankTransaction'>, input: { reason: string }): Promise<BankTransactionRecord> {
  const line = await s.bank.getForUpdate(id);
  if (!line) throw notFound('bank transaction', id);
  if (line.status !== 'applied' && line.status !== 'credit') {
    throw new DomainError('conflict', `The bank transaction is ${line.status}; only an applied line or one kept as customer credit can be undone`);
  }
  const reason = input.reason.trim();
  if (reason === '') throw invalid('reason', 'say why the match is undone');
  await returnPayment(s, env, line.paymentId!, { returnedOn: env.clock.today(), reason: `Bank match undone: ${reason}` });
  const previous = (line.match ?? {}) as Record<string, unknown>;
  const undone = [...((previous.undone as unknown[] | undefined) ?? []), { payment_id: line.paymentId, reason, actor: env.actor.actorId, at: env.clock.now().toISOString() }];
  const { resolution: _resolution, ...rest } = previous;
  const match = { ...rest, undone };
  await s.bank.settle(id, { status: 'unmatched', paymentId: null, match, ignoredReason: null });
  await recordChange(s, env, { action: 'bank_transaction.undone', entityType: 'bank_transaction', entityId: id, data: { paymentId: line.paymentId, reason } });
  return { ...line, status: 'unmatched', paymentId: null, match };
}
