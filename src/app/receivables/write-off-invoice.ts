/**
 * Bad-debt write-off (konstaterad kundförlust, issue 8 part 4): finance writes off part or all of what
 * is still open on an issued invoice. D 6351 with the net part and the output VAT accounts with the VAT
 * part, C 1510 (core bad-debt-rules: the split is proportional to the invoice's own net and VAT per
 * rate, largest remainder, so net + VAT = amount). The open item goes down by the amount and, in the
 * base currency, by its prorated base value (as a payment's write-off within tolerance: the invoice's
 * rate, so no exchange difference); the write-off is kept as a row beside its entry so the receivable
 * as of a past date leaves it out from its date on. An invoice with nothing left shows as written off.
 *
 * It corrects output VAT, so like an invoice or credit note it must be dated in an open period (a
 * closed period's VAT return is filed): a date in a closed period is a 409 period_locked naming
 * written_off_on, not moved.
 *
 * Worth more than the tenant's threshold (its base value, GET /v1/settings/approvals): nothing is
 * posted; a request waits until a second finance user — not the requester — approves it (the write-off
 * is then made, re-checked against what is open then) or rejects it, as refunds do. Keys without a
 * role (the CLI, older keys) count as admin.
 *
 * Lock order: the open item (as apply-payment and credit notes lock it, after their payment), then the
 * request when there is one; the guarded reduce and the open_minor >= 0 CHECK make writing off more
 * than is open impossible under concurrency.
 */
import { postBadDebtWriteOff, splitWriteOff, type InvoiceComposition } from '../../core/ledger/bad-debt-rules.js';
import { prorateBase } from '../../core/ledger/functional.js';
import type { Money } from '../../core/money/money.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import { compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { Id, InvoiceId } from '../../core/shared/ids.js';
import { baseCurrencyOf } from '../fx/rate-for.js';
import { accountsFor, assertOpenForIssue } from '../ledger/chart.js';
import { postEntry } from '../ledger/post-entry.js';
import type { InvoiceRecord, OpenItemRecord, Store, WriteOffRecord, WriteOffRequestRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { assertDecidable, pendingApproval, recordApprovalRequested, recordDecision, rejectionReason, setApprovalThreshold } from '../shared/second-approval.js';
import { FINANCE_ROLES, requireRole } from '../shared/roles.js';

export const MAX_WRITE_OFF_REASON_LENGTH = 500;

export interface WriteOffInput {
  /** Omitted: all that is open. In the invoice's currency. */
  amount?: Money | undefined;
  reason: string;
  /** Omitted: today (for a request: the day it is approved). */
  writtenOffOn?: LocalDate | undefined;
}

export type WriteOffOutcome =
  | { kind: 'written_off'; writeOff: WriteOffRecord; openItem: OpenItemRecord }
  | { kind: 'pending_approval'; request: WriteOffRequestRecord };

const requireFinance = (env: Env, what: string) => requireRole(env, FINANCE_ROLES, what);

function checkReason(reason: string): string {
  const r = reason.trim();
  if (r === '') throw invalid('reason', 'give the reason for the write-off');
  if (r.length > MAX_WRITE_OFF_REASON_LENGTH) throw invalid('reason', `must be at most ${MAX_WRITE_OFF_REASON_LENGTH} characters`);
  return r;
}

/** What a write-off must satisfy against its invoice and open item (also checked when it is only requested). */
async function checkWriteOff(
  s: Store,
  invoice: InvoiceRecord | undefined,
  id: InvoiceId,
  item: OpenItemRecord | undefined,
  input: WriteOffInput,
  today: LocalDate,
): Promise<{ invoice: InvoiceRecord; item: OpenItemRecord; amountMinor: bigint; reason: string; writtenOffOn: LocalDate | null }> {
  const reason = checkReason(input.reason);
  if (!invoice) throw notFound('invoice', id);
  if (invoice.status !== 'issued' || invoice.issueDate === null) throw new DomainError('invoice_not_issued', 'Only an issued invoice can be written off');
  if (!item || item.openMinor === 0n) throw new DomainError('conflict', 'Nothing is open on the invoice; there is nothing to write off');
  if (input.amount !== undefined) {
    if (input.amount.currency !== item.currency) {
      throw new DomainError('currency_mismatch', `The invoice is in ${item.currency}, the write-off in ${input.amount.currency}`, 'amount.currency');
    }
    if (input.amount.minor <= 0n) throw invalid('amount.amount', 'amount must be greater than zero');
    if (input.amount.minor > item.openMinor) {
      throw new DomainError('conflict', `Cannot write off more than is open on the invoice (${item.openMinor} minor units)`, 'amount.amount');
    }
  }
  const date = input.writtenOffOn ?? null;
  if (date !== null) {
    if (compareDates(date, invoice.issueDate) < 0) throw invalid('written_off_on', `must not be before the invoice was issued (${invoice.issueDate})`);
    if (compareDates(date, today) > 0) throw invalid('written_off_on', 'must not be in the future');
  }
  await assertOpenForIssue(s, date ?? today, 'written_off_on');
  return { invoice, item, amountMinor: input.amount?.minor ?? item.openMinor, reason, writtenOffOn: date };
}

/**
 * The invoice's composition as a write-off splits it: what it charged (gross + öre rounding − advances
 * deducted) and its output VAT per rate (standard-rated rows, less the VAT of the advances it deducted
 * at that rate, which the advance reported). Reverse charge, exports and exempt rows carry no VAT.
 */
export function compositionOf(invoice: InvoiceRecord): InvoiceComposition {
  const vat = new Map<string, bigint>();
  for (const b of invoice.vatBreakdown) {
    if (b.vatCategory !== 'S' || b.vatMinor === 0n) continue;
    const rate = formatDecimal4(b.vatRate);
    vat.set(rate, (vat.get(rate) ?? 0n) + b.vatMinor);
  }
  for (const d of invoice.advanceDeductions ?? []) {
    if (d.vatCategory !== 'S' || d.vatMinor === 0n) continue;
    const rate = formatDecimal4(d.vatRate);
    const left = (vat.get(rate) ?? 0n) - d.vatMinor;
    // a deduction at a rate this invoice does not charge (the rate changed in between) leaves it at zero
    vat.set(rate, left > 0n ? left : 0n);
  }
  const totalMinor = invoice.grossTotalMinor + (invoice.roundingMinor ?? 0n) - (invoice.prepaidMinor ?? 0n);
  return { totalMinor, vatByRate: [...vat].filter(([, v]) => v > 0n).map(([vatRatePercent, vatMinor]) => ({ vatRatePercent, vatMinor })) };
}

/** A write-off: posted at once up to the threshold, otherwise a request waiting for a second approval. */
export async function requestWriteOff(s: Store, env: Env, id: InvoiceId, input: WriteOffInput): Promise<WriteOffOutcome> {
  requireFinance(env, 'write off bad debts');
  const [item] = await s.openItems.getByInvoicesForUpdate([id]);
  const checked = await checkWriteOff(s, await s.invoices.get(id), id, item, input, env.clock.today());
  const threshold = await s.writeOffs.threshold();
  // its base value as it comes off the open item (the invoice's rate)
  const baseValue = prorateBase(checked.item.baseOpenMinor, checked.amountMinor, checked.item.openMinor);
  if (threshold === null || baseValue <= threshold) {
    return { kind: 'written_off', ...(await postWriteOff(s, env, checked, null)) };
  }
  const request: WriteOffRequestRecord = {
    id: env.ids.next('writeOffRequest'),
    invoiceId: id,
    currency: checked.item.currency,
    amountMinor: checked.amountMinor,
    writtenOffOn: checked.writtenOffOn,
    reason: checked.reason,
    writeOffId: null,
    ...pendingApproval(env),
  };
  await s.writeOffs.insertRequest(request);
  await recordApprovalRequested(s, env, 'write_off', request, { invoice_id: id }, threshold);
  return { kind: 'pending_approval', request };
}

/** Posts a checked write-off: reduces the open item, posts the entry, keeps the row, audits it. */
async function postWriteOff(
  s: Store,
  env: Env,
  c: { invoice: InvoiceRecord; item: OpenItemRecord; amountMinor: bigint; reason: string; writtenOffOn: LocalDate | null },
  requestId: Id<'writeOffRequest'> | null,
): Promise<{ writeOff: WriteOffRecord; openItem: OpenItemRecord }> {
  const accounts = await accountsFor(s, env);
  const base = await baseCurrencyOf(s);
  const writtenOffOn = c.writtenOffOn ?? env.clock.today();
  const baseAmountMinor = prorateBase(c.item.baseOpenMinor, c.amountMinor, c.item.openMinor);
  const split = splitWriteOff(c.amountMinor, compositionOf(c.invoice), c.item.currency);
  const vatMinor = split.vat.reduce((a, v) => a + v.vatMinor, 0n);
  const postings = postBadDebtWriteOff(
    { base, currency: c.item.currency, customerId: c.item.customerId, amountMinor: c.amountMinor, baseAmountMinor, split },
    accounts,
  );
  if (!(await s.openItems.writeOff(c.item.id, c.amountMinor, baseAmountMinor))) {
    throw new DomainError('conflict', 'The invoice changed while writing it off; retry');
  }
  const writeOffId = env.ids.next('writeOff');
  const number = c.invoice.number ?? c.invoice.id;
  // nothing to post only when a tiny foreign amount is worth nothing in base
  const entry = postings.length === 0 ? null : await postEntry(s, env, {
    date: writtenOffOn,
    description: `Bad debt written off, invoice ${number}`,
    sourceType: 'write_off',
    sourceId: writeOffId,
    postings,
    onLockedPeriod: 'refuse',
  });
  const writeOff: WriteOffRecord = {
    id: writeOffId,
    invoiceId: c.invoice.id,
    openItemId: c.item.id,
    customerId: c.item.customerId,
    currency: c.item.currency,
    amountMinor: c.amountMinor,
    netMinor: split.netMinor,
    vatMinor,
    baseAmountMinor,
    writtenOffOn,
    reason: c.reason,
    requestId,
    journalEntryId: entry?.id ?? null,
    createdBy: env.actor.actorId,
    createdAt: env.clock.now(),
  };
  await s.writeOffs.insert(writeOff);
  const openLeft = c.item.openMinor - c.amountMinor;
  await recordChange(s, env, {
    action: 'invoice.written_off',
    entityType: 'invoice',
    entityId: c.invoice.id,
    data: {
      writeOffId, amount: c.amountMinor.toString(), net: split.netMinor.toString(), vat: vatMinor.toString(), baseAmount: baseAmountMinor.toString(),
      currency: c.item.currency, reason: c.reason, requestId, journalEntryId: entry?.id ?? null,
    },
    event: {
      type: 'invoice.written_off',
      payload: {
        id: c.invoice.id, write_off_id: writeOffId, customer_id: c.item.customerId, amount_minor: c.amountMinor.toString(), currency: c.item.currency,
        written_off_on: writtenOffOn, open_minor: openLeft.toString(),
      },
    },
  });
  const [openItem] = await s.openItems.getByInvoicesForUpdate([c.invoice.id]);
  return { writeOff, openItem: openItem! };
}

export async function approveWriteOffRequest(s: Store, env: Env, id: Id<'writeOffRequest'>, note?: string) {
  requireFinance(env, 'approve write-offs');
  const peek = await s.writeOffs.getRequest(id);
  if (!peek) throw notFound('write-off request', id);
  // the open item first (the lock order of every writer of it), then the request
  const [item] = await s.openItems.getByInvoicesForUpdate([peek.invoiceId]);
  const request = await s.writeOffs.getRequestForUpdate(id);
  if (!request) throw notFound('write-off request', id);
  assertDecidable(env, 'write_off', request, 'approve');
  const amount = { minor: request.amountMinor, currency: request.currency } as Money;
  const checked = await checkWriteOff(
    s, await s.invoices.get(request.invoiceId), request.invoiceId, item,
    { amount, reason: request.reason, writtenOffOn: request.writtenOffOn ?? undefined }, env.clock.today(),
  );
  const done = await postWriteOff(s, env, checked, id);
  if (!(await s.writeOffs.decideRequest(id, { status: 'approved', decidedBy: env.actor.actorId, decidedAt: env.clock.now(), note: note?.trim() || null, writeOffId: done.writeOff.id }))) {
    throw new DomainError('conflict', 'The request was decided meanwhile; retry');
  }
  await recordDecision(s, env, 'write_off', id, { status: 'approved', write_off_id: done.writeOff.id });
  return { request: (await s.writeOffs.getRequest(id))!, ...done };
}

export async function rejectWriteOffRequest(s: Store, env: Env, id: Id<'writeOffRequest'>, reason: string) {
  const request = await s.writeOffs.getRequestForUpdate(id);
  if (!request) throw notFound('write-off request', id);
  assertDecidable(env, 'write_off', request, 'reject');
  const note = rejectionReason(reason);
  if (!(await s.writeOffs.decideRequest(id, { status: 'rejected', decidedBy: env.actor.actorId, decidedAt: env.clock.now(), note, writeOffId: null }))) {
    throw new DomainError('conflict', 'The request was decided meanwhile; retry');
  }
  await recordDecision(s, env, 'write_off', id, { status: 'rejected', reason: note });
  return (await s.writeOffs.getRequest(id))!;
}

/** Sets the tenant's threshold (base-currency minor units; null = write-offs never wait for approval). */
export const setWriteOffThreshold = (s: Store, env: Env, minor: bigint | null): Promise<void> =>
  setApprovalThreshold(s, env, 'write_off', 'write_off_approval_threshold', minor, s.writeOffs);
