/**
 * An invoice that is tied to no order: a reminder fee or late-payment interest, issued by dunning.
 *
 * It is a real invoice of the INV series (numbered without gaps from the same locked counter as every
 * other invoice, with a payment reference, an open item in the receivables subledger and its journal
 * entry), but it has no invoice lines: invoice_lines rows must name an order line, and these charges
 * have none. What it charges (the reminder, the invoices and periods the interest is for) is kept in
 * dunning_charges.details. Its VAT breakdown is one row of category O (outside the scope of VAT, rate
 * 0): a reminder fee and interest are compensation, not consideration for a supply (no VAT).
 *
 * Posting: 1510 (receivable, per customer) / the fee or interest account of the tenant's account map
 * (reminderFees, default 3990; interestIncome, default 8313), converted to the base currency at the
 * issue date's rate like any invoice. dunning_charges marks the invoice so dunning never reminds it
 * or charges interest on it in turn.
 */
import { toFunctional } from '../../core/ledger/functional.js';
import type { Posting } from '../../core/ledger/journal.js';
import { money, zero } from '../../core/money/money.js';
import { ZERO_D } from '../../core/money/quantity.js';
import { addDays, yearOf, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { CustomerId, Id } from '../../core/shared/ids.js';
import { accountsFor } from '../ledger/chart.js';
import { postEntry } from '../ledger/post-entry.js';
import { rateFor } from '../fx/rate-for.js';
import { draftInvoice } from '../invoicing/draft-invoice.js';
import { formatInvoiceNumber, paymentReferenceFor } from '../invoicing/issue-invoice.js';
import { sellerSnapshotOf } from '../invoicing/seller-snapshot.js';
import type { DunningChargeKind, InvoiceRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export interface ChargeInvoiceInput {
  kind: DunningChargeKind;
  customerId: CustomerId;
  currency: string;
  amountMinor: bigint;
  issueDate: LocalDate;
  reminderId: Id<'reminder'> | null;
  details: unknown;
}

export async function issueChargeInvoice(s: Store, env: Env, input: ChargeInvoiceInput): Promise<InvoiceRecord> {
  if (input.amountMinor <= 0n) throw new Error(`issueChargeInvoice: the amount must be positive, got ${input.amountMinor}`);
  const customer = await s.customers.get(input.customerId);
  if (!customer) throw notFound('customer', input.customerId);
  const tenant = await s.tenant.get();
  if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
  const accounts = await accountsFor(s, env);
  const amount = money(input.amountMinor, input.currency);
  const draft = draftInvoice(env, {
    orderId: null,
    customer,
    currency: input.currency,
    deliveryDate: null,
    paymentTermsDays: customer.paymentTermsDays,
    lines: [],
    totals: {
      net: amount,
      vat: zero(input.currency),
      gross: amount,
      breakdown: [{ vatCategory: 'O', vatRate: ZERO_D, taxable: amount, vat: zero(input.currency) }],
    },
    kind: 'standard',
    advanceLabel: null,
    prepaidMinor: 0n,
    advanceDeductions: [],
  });
  await s.invoices.insert(draft);
  await s.dunning.insertCharge({ invoiceId: draft.id, kind: input.kind, reminderId: input.reminderId, details: input.details });

  const issueDate = input.issueDate;
  const fx = await rateFor(s, input.currency, issueDate, 'issue_date');
  const dueDate = addDays(issueDate, draft.paymentTermsDays);
  const fiscalYear = yearOf(issueDate);
  const seq = await s.series.next(`${draft.series}-${fiscalYear}`);
  const number = formatInvoiceNumber(fiscalYear, seq);
  const paymentReference = paymentReferenceFor(tenant, number);
  const seller = sellerSnapshotOf(tenant);
  const issuedAt = env.clock.now();
  const revenue = input.kind === 'interest' ? accounts.interestIncome : accounts.reminderFees;
  const postings: Posting[] = [
    { account: accounts.receivable, currency: input.currency, debitMinor: input.amountMinor, creditMinor: 0n, customerId: input.customerId },
    { account: revenue, currency: input.currency, debitMinor: 0n, creditMinor: input.amountMinor, customerId: null },
  ];
  const basePostings = toFunctional(postings, fx.rate);
  const receivableBase = basePostings.filter((p) => p.account === accounts.receivable).reduce((a, p) => a + p.debitMinor, 0n);
  const base = {
    exchangeRate: fx.rate.scaled,
    exchangeRateDate: fx.rateDate,
    baseCurrency: fx.rate.quote,
    vatTotalBaseMinor: 0n,
    grossTotalBaseMinor: receivableBase,
  };
  if (!(await s.invoices.issue(draft.id, { series: draft.series, number, issueDate, dueDate, paymentReference, seller, issuedAt, base }))) {
    throw new DomainError('invoice_not_draft', 'The charge invoice changed while it was being issued');
  }
  await s.openItems.insert({
    id: env.ids.next('openItem'),
    customerId: input.customerId,
    invoiceId: draft.id,
    currency: input.currency,
    documentDate: issueDate,
    dueDate,
    originalMinor: input.amountMinor,
    openMinor: input.amountMinor,
    baseOriginalMinor: receivableBase,
    baseOpenMinor: receivableBase,
  });
  const what = input.kind === 'interest' ? 'Interest invoice' : 'Reminder fee invoice';
  const entry = await postEntry(s, env, { date: issueDate, description: `${what} ${number}`, sourceType: 'invoice', sourceId: draft.id, postings: basePostings });
  await recordChange(s, env, {
    action: 'invoice.issued',
    entityType: 'invoice',
    entityId: draft.id,
    data: { number, kind: input.kind, amount: input.amountMinor.toString(), journalEntryId: entry.id },
    event: { type: 'invoice.issued', payload: { id: draft.id, number, customer_id: input.customerId } },
  });
  return { ...draft, status: 'issued', number, issueDate, dueDate, paymentReference, seller, issuedAt, ...base };
}
