/**
 * Receives a payment: records it, matches it to an open invoice by OCR reference or invoice number
 * found in its reference text, and posts the cash (1930 / 2420: unapplied cash sits on customer
 * advances until it is applied). With autoApply the matched invoice is settled in the same transaction.
 *
 * A payment in a foreign currency is converted at the rate on its received date (rateFor; none is a
 * 422 naming received_on): bank and 2420 are posted in the base currency with the foreign amount
 * beside them, and the payment keeps its rate, base amount and base unapplied cash (decision 0008).
 */
import { postPaymentReceived } from '../../core/ledger/rules.js';
import { baseValue } from '../../core/ledger/functional.js';
import { rateFor } from '../fx/rate-for.js';
import { chooseMatch, extractReferenceTokens, type MatchCandidate } from '../../core/receivables/matching.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { CustomerId, InvoiceId } from '../../core/shared/ids.js';
import type { Money } from '../../core/money/money.js';
import type { MatchMethod, PaymentRecord, Store } from '../ports.js';
import { postEntry } from '../ledger/post-entry.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { applyPayment } from './apply-payment.js';
import { accountsFor } from '../ledger/chart.js';

export interface ReceivePaymentInput {
  amount: Money;
  receivedOn?: LocalDate | undefined;
  payerName?: string | null | undefined;
  payerAccount?: string | null | undefined;
  referenceText?: string | null | undefined;
  /** Known payer; otherwise the matched invoice's customer. */
  customerId?: CustomerId | undefined;
  autoApply?: boolean | undefined;
  /**
   * The match already decided by the caller (the bank import's engine, a person resolving a bank
   * line): recorded as is, and the reference text is not searched again.
   */
  matched?: { invoiceId: InvoiceId | null; method: MatchMethod | null } | undefined;
}

export async function findMatch(s: Store, p: { referenceText: string | null; currency: string; amountMinor: bigint; customerId: CustomerId | null }) {
  if (!p.referenceText) return null;
  const tokens = extractReferenceTokens(p.referenceText);
  if (tokens.ocrCandidates.length === 0 && tokens.invoiceNumberCandidates.length === 0) return null;
  const invoices = await s.invoices.findIssuedByReferences(tokens.ocrCandidates, tokens.invoiceNumberCandidates);
  const items = await s.openItems.getByInvoicesForUpdate(invoices.map((i) => i.id));
  const open = new Map(items.map((o) => [o.invoiceId as string, o.openMinor]));
  const candidates: MatchCandidate[] = invoices
    .filter((i) => p.customerId === null || i.customerId === p.customerId)
    .map((i) => ({
      invoiceId: i.id,
      customerId: i.customerId,
      invoiceNumber: i.number ?? '',
      paymentReference: i.paymentReference ?? '',
      currency: i.currency,
      openMinor: open.get(i.id) ?? 0n,
    }));
  return chooseMatch({ referenceText: p.referenceText, currency: p.currency, amountMinor: p.amountMinor }, candidates);
}

export async function receivePayment(s: Store, env: Env, input: ReceivePaymentInput): Promise<PaymentRecord> {
  const accounts = await accountsFor(s, env);
  if (input.amount.minor <= 0n) throw new DomainError('validation_failed', 'amount must be greater than zero', 'amount');
  let customerId: CustomerId | null = input.customerId ?? null;
  if (customerId !== null) {
    const customer = await s.customers.get(customerId);
    if (!customer) throw notFound('customer', customerId, 'customer_id');
  }
  const receivedOn = input.receivedOn ?? env.clock.today();
  const { rate } = await rateFor(s, input.amount.currency, receivedOn, 'received_on');
  const baseAmountMinor = baseValue(input.amount.minor, rate);
  if (baseAmountMinor <= 0n) {
    throw new DomainError('validation_failed', `amount is worth nothing in ${rate.quote} at the rate on ${receivedOn}`, 'amount');
  }
  const referenceText = input.referenceText ?? null;
  const match =
    input.matched !== undefined
      ? input.matched.invoiceId === null
        ? null
        : { invoiceId: input.matched.invoiceId, method: input.matched.method, customerId }
      : await findMatch(s, { referenceText, currency: input.amount.currency, amountMinor: input.amount.minor, customerId });
  if (match && match.customerId !== null) customerId = match.customerId as CustomerId;
  const payment: PaymentRecord = {
    id: env.ids.next('payment'),
    customerId,
    currency: input.amount.currency,
    amountMinor: input.amount.minor,
    unappliedMinor: input.amount.minor,
    receivedOn,
    payerName: input.payerName ?? null,
    payerAccount: input.payerAccount ?? null,
    referenceText,
    matchedInvoiceId: (match?.invoiceId ?? null) as PaymentRecord['matchedInvoiceId'],
    matchMethod: match?.method ?? null,
    createdAt: env.clock.now(),
    exchangeRate: rate.scaled,
    baseCurrency: rate.quote,
    baseAmountMinor,
    baseUnappliedMinor: baseAmountMinor,
  };
  await s.payments.insert(payment);
  await postEntry(s, env, {
    date: receivedOn,
    description: `Payment received${payment.payerName ? ` from ${payment.payerName}` : ''}`,
    sourceType: 'payment',
    sourceId: payment.id,
    postings: postPaymentReceived({ currency: payment.currency, amountMinor: payment.amountMinor, customerId }, accounts),
    rate,
  });
  await recordChange(s, env, {
    action: 'payment.received',
    entityType: 'payment',
    entityId: payment.id,
    data: { amount: payment.amountMinor.toString(), currency: payment.currency, match },
    event: { type: 'payment.received', payload: { id: payment.id, matched_invoice_id: payment.matchedInvoiceId } },
  });
  if (input.autoApply && match) {
    return (await applyPayment(s, env, payment.id, {})).payment;
  }
  return payment;
}
