import { z } from 'zod';
import { parseCurrency } from '../../core/money/currency.js';
import { parseMoney } from '../../core/money/money.js';
import { notFound } from '../../core/shared/errors.js';
import { parseId, type AllocationId, type CustomerId, type PaymentId } from '../../core/shared/ids.js';
import { applyPayment, getPayment, type ApplyPaymentInput } from '../../app/payments/apply-payment.js';
import { receivePayment, type ReceivePaymentInput } from '../../app/payments/receive-payment.js';
import { unapplyPayment } from '../../app/payments/unapply-payment.js';
import { approveRefundRequest, rejectRefundRequest, requestRefund, setRefundThreshold } from '../../app/payments/refund-approval.js';
import { setWriteOffThreshold } from '../../app/receivables/write-off-invoice.js';
import { baseCurrencyOf } from '../../app/fx/rate-for.js';
import { returnPayment } from '../../app/payments/return-payment.js';
import type { PaymentRecord, RefundRequestRecord, Store } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { secondApprovalJson, secondApprovalJsonShape, secondApprovalRoutes } from '../second-approval-routes.js';
import {
  type Api, DateInput, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, MoneyInput, optionalText,
  pathId, QueryBoolean, listQueryShape, pageOfList,
} from '../http.js';
import { listJson, listSchema, MoneyJson, moneyJson, PaymentJson, paymentJson, RefundJson, refundJson } from '../serialize.js';

const RefundRequestJson = z
  .object({
    object: z.literal('refund_request'),
    id: z.string(),
    payment_id: z.string(),
    amount: MoneyJson,
    refunded_on: z.string().nullable().describe('null: the approval date'),
    reference: z.string(),
    ...secondApprovalJsonShape,
    refund_id: z.string().nullable(),
  })
  .meta({ id: 'RefundRequest' });

const refundRequestJson = (r: RefundRequestRecord): z.output<typeof RefundRequestJson> => ({
  object: 'refund_request',
  id: r.id,
  payment_id: r.paymentId,
  amount: moneyJson(r.amountMinor, r.currency),
  refunded_on: r.refundedOn,
  reference: r.reference,
  ...secondApprovalJson(r),
  refund_id: r.refundId,
});

const ApprovalSettingsJson = z
  .object({
    object: z.literal('approval_settings'),
    refund_threshold: MoneyJson.nullable().describe('Refunds worth more need a second approval; null: none do'),
    write_off_approval_threshold: MoneyJson.nullable().describe('Bad-debt write-offs worth more (base value) need a second approval; null: none do'),
  })
  .meta({ id: 'ApprovalSettings' });

const approvalSettingsJson = (base: string, minor: bigint | null, writeOffMinor: bigint | null): z.output<typeof ApprovalSettingsJson> => ({
  object: 'approval_settings',
  refund_threshold: minor === null ? null : moneyJson(minor, base),
  write_off_approval_threshold: writeOffMinor === null ? null : moneyJson(writeOffMinor, base),
});

const approvalSettingsOf = async (s: Store) => approvalSettingsJson(await baseCurrencyOf(s), await s.refundRequests.threshold(), await s.writeOffs.threshold());

const MAX_ALLOCATIONS = 100;

export const ReceivePaymentBody = z.strictObject({
  amount: MoneyInput.describe('Greater than zero'),
  received_on: DateInput.optional().describe('Defaults to today'),
  payer_name: optionalText(200),
  payer_account: optionalText(100),
  reference_text: optionalText(500).describe('Matched against open invoices by OCR reference or invoice number'),
  customer_id: z.string().max(100).optional().describe('The payer, when known; otherwise taken from the matched invoice'),
  auto_apply: z.boolean().optional().describe('Apply the payment to the matched invoice at once'),
});

export const ApplyPaymentBody = z
  .strictObject({
    allocations: z
      .array(
        z.strictObject({
          invoice_id: z.string().max(100),
          amount: DecimalInput.optional().describe("In the payment's currency; omitted = as much as both sides allow"),
          write_off: z
            .boolean()
            .optional()
            .describe("Settle the invoice: the short rest is written off (3740) if within the tenant's tolerance, max(match_tolerance_minor, open × match_tolerance_bp / 10 000); beyond it a 422"),
          bank_fee: DecimalInput.optional().describe("A fee the bank withheld (6570), in the payment's currency; settles that much more of the invoice"),
        }),
      )
      .min(1)
      .max(MAX_ALLOCATIONS)
      .optional()
      .describe('Omit to settle the matched invoice'),
    applied_on: DateInput.optional().describe('Defaults to today'),
  })
  .nullish();

export const UnapplyPaymentBody = z
  .strictObject({
    allocation_ids: z.array(z.string().max(100)).min(1).max(MAX_ALLOCATIONS).optional().describe('Omit to unapply every allocation in force'),
    unapplied_on: DateInput.optional().describe('The date of the reversing entries; defaults to today'),
  })
  .nullish();

export const RefundBody = z.strictObject({
  amount: MoneyInput.describe("In the payment's currency; at most its unapplied amount"),
  refunded_on: DateInput.optional().describe('Defaults to today'),
  reference: z.string().min(1).max(200).describe('The payout reference (bank transfer, etc.)'),
});

export const ReturnPaymentBody = z.strictObject({
  returned_on: DateInput.optional().describe('Defaults to today'),
  reason: z.string().min(1).max(500).describe('Why the bank returned it'),
});

const PaymentListQuery = z.strictObject({
  ...listQueryShape(['date', 'amount']),
  unapplied: QueryBoolean.optional().describe('true: only payments with cash not yet applied'),
  customer_id: z.string().max(100).optional(),
});

async function paymentWithAllocations(s: Store, payment: PaymentRecord) {
  return paymentJson(payment, await s.allocations.listByPayment(payment.id), await s.payments.listRefunds(payment.id));
}

function toReceivePaymentInput(b: z.output<typeof ReceivePaymentBody>): ReceivePaymentInput {
  const currency = parseCurrency(b.amount.currency, 'amount.currency');
  return {
    amount: parseMoney(b.amount.amount, currency, 'amount.amount'),
    receivedOn: b.received_on,
    payerName: b.payer_name ?? null,
    payerAccount: b.payer_account ?? null,
    referenceText: b.reference_text ?? null,
    customerId: b.customer_id === undefined ? undefined : parseId('customer', b.customer_id, 'customer_id'),
    autoApply: b.auto_apply,
  };
}

/** Allocation amounts are in the payment's currency, so they are parsed once the payment is read. */
async function toApplyPaymentInput(s: Store, id: PaymentId, b: z.output<typeof ApplyPaymentBody>): Promise<ApplyPaymentInput> {
  const input: ApplyPaymentInput = { appliedOn: b?.applied_on };
  if (b?.allocations === undefined) return input;
  const invoiceIds = b.allocations.map((a, i) => parseId('invoice', a.invoice_id, `allocations.${i}.invoice_id`));
  let currency: string | undefined;
  if (b.allocations.some((a) => a.amount !== undefined || a.bank_fee !== undefined)) {
    const payment = await s.payments.get(id);
    if (!payment) throw notFound('payment', id);
    currency = payment.currency;
  }
  input.allocations = b.allocations.map((a, i) => ({
    invoiceId: invoiceIds[i]!,
    amountMinor: a.amount === undefined || currency === undefined ? undefined : parseMoney(a.amount, currency, `allocations.${i}.amount`).minor,
    writeOff: a.write_off,
    bankFeeMinor: a.bank_fee === undefined || currency === undefined ? undefined : parseMoney(a.bank_fee, currency, `allocations.${i}.bank_fee`).minor,
  }));
  return input;
}

export function paymentRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'Receive a payment; it is matched to an open invoice by its reference and, with auto_apply, settles it',
        headers: IdempotencyHeaders,
        body: ReceivePaymentBody,
        response: { 201: PaymentJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const input = toReceivePaymentInput(req.body);
      const res = await command(req, deps, 201, async (s, env) => paymentWithAllocations(s, await receivePayment(s, env, input)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/payments',
    {
      schema: {
        tags: ['payments'],
        summary: 'List payments (oldest first)',
        querystring: PaymentListQuery,
        response: { 200: listSchema(PaymentJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('payment', req.query);
      const filter: { unappliedOnly?: boolean; customerId?: CustomerId } = {};
      if (req.query.unapplied !== undefined) filter.unappliedOnly = req.query.unapplied;
      if (req.query.customer_id !== undefined) filter.customerId = parseId('customer', req.query.customer_id, 'customer_id');
      return read(req, deps, async (s) => listJson(await s.payments.list(page, filter), (p) => paymentWithAllocations(s, p)));
    },
  );

  app.get(
    '/v1/payments/:id',
    { schema: { tags: ['payments'], summary: 'Get a payment with its allocations', params: IdParams, response: { 200: PaymentJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('payment', req.params.id, 'payment');
      return read(req, deps, async (s) => {
        const { payment, allocations } = await getPayment(s, id);
        return paymentJson(payment, allocations, await s.payments.listRefunds(id));
      });
    },
  );

  app.post(
    '/v1/payments/:id/apply',
    {
      schema: {
        tags: ['payments'],
        summary: "Apply a payment's unapplied cash to open invoices; what is left stays as customer credit",
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ApplyPaymentBody,
        response: { 200: PaymentJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('payment', req.params.id, 'payment');
      const res = await command(req, deps, 200, async (s, env) => {
        const { payment } = await applyPayment(s, env, id, await toApplyPaymentInput(s, id, req.body));
        return paymentWithAllocations(s, payment);
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/payments/:id/unapply',
    {
      schema: {
        tags: ['payments'],
        summary: 'Unapply allocations: reversing entries (with their write-off, bank fee and FX difference), the invoices reopen, the cash is unapplied again',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: UnapplyPaymentBody,
        response: { 200: PaymentJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('payment', req.params.id, 'payment');
      const allocationIds = req.body?.allocation_ids?.map((a, i) => parseId('allocation', a, `allocation_ids.${i}`) as AllocationId);
      const res = await command(req, deps, 200, async (s, env) =>
        paymentWithAllocations(s, await unapplyPayment(s, env, id, { allocationIds, unappliedOn: req.body?.unapplied_on })),
      );
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/payments/:id/refunds',
    {
      schema: {
        tags: ['payments'],
        summary: "Refund customer credit: pays back part or all of the payment's unapplied amount (2420 / 1930)",
        headers: IdempotencyHeaders,
        params: IdParams,
        body: RefundBody,
        description:
          "A refund worth more than the tenant's approval threshold (GET /v1/settings/approvals) is not paid out: the answer is " +
          '202 with a refund request, which a second finance user approves (POST /v1/refund-requests/{id}/approve).',
        response: { 201: RefundJson, 202: RefundRequestJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('payment', req.params.id, 'payment');
      const currency = parseCurrency(req.body.amount.currency, 'amount.currency');
      const amount = parseMoney(req.body.amount.amount, currency, 'amount.amount');
      const res = await command(
        req,
        deps,
        (body) => ((body as { object?: string }).object === 'refund_request' ? 202 : 201),
        async (s, env) => {
          const outcome = await requestRefund(s, env, id, { amount, refundedOn: req.body.refunded_on, reference: req.body.reference });
          return outcome.kind === 'refunded' ? refundJson(outcome.refund, outcome.payment.baseCurrency) : refundRequestJson(outcome.request);
        },
      );
      return sendStored(reply, res);
    },
  );

  secondApprovalRoutes(app, deps, {
    path: '/v1/refund-requests',
    tag: 'payments',
    noun: 'refund',
    idKind: 'refundRequest',
    requestJson: RefundRequestJson,
    toJson: refundRequestJson,
    resultJson: RefundJson,
    list: (s, page, filter) => s.refundRequests.list(page, filter),
    approve: async (s, env, id, note) => {
      const { payment, refund } = await approveRefundRequest(s, env, id, note);
      return refundJson(refund, payment.baseCurrency);
    },
    reject: rejectRefundRequest,
    approveSummary: 'Approve a large refund (a finance user other than the requester): the refund is made now',
  });

  app.get(
    '/v1/settings/approvals',
    {
      schema: {
        tags: ['payments'],
        summary: "The second-approval thresholds for refunds and bad-debt write-offs, in the base currency (null: none needed)",
        response: { 200: ApprovalSettingsJson, ...errorResponses },
      },
    },
    async (req) => read(req, deps, approvalSettingsOf),
  );

  app.put(
    '/v1/settings/approvals',
    {
      schema: {
        tags: ['payments'],
        summary: 'Set the second-approval thresholds for refunds and bad-debt write-offs (a field left out is not changed)',
        headers: IdempotencyHeaders,
        body: z.strictObject({
          refund_threshold: z.string().max(64).nullable().optional().describe('Decimal in the base currency, e.g. "50000.00"; null: no second approval'),
          write_off_approval_threshold: z.string().max(64).nullable().optional().describe('Decimal in the base currency, e.g. "5000.00"; null: no second approval'),
        }),
        response: { 200: ApprovalSettingsJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const res = await command(req, deps, 200, async (s, env) => {
        const base = await baseCurrencyOf(s);
        const parse = (value: string | null, field: string) => (value === null ? null : parseMoney(value, base, field).minor);
        // both parsed before either is stored: a bad second field writes nothing
        const refund = req.body.refund_threshold === undefined ? undefined : parse(req.body.refund_threshold, 'refund_threshold');
        const writeOff = req.body.write_off_approval_threshold === undefined
          ? undefined
          : parse(req.body.write_off_approval_threshold, 'write_off_approval_threshold');
        if (refund !== undefined) await setRefundThreshold(s, env, refund);
        if (writeOff !== undefined) await setWriteOffThreshold(s, env, writeOff);
        return approvalSettingsOf(s);
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/payments/:id/return',
    {
      schema: {
        tags: ['payments'],
        summary: 'The bank returned the payment: its allocations are unapplied (the invoices reopen) and its receipt is reversed',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ReturnPaymentBody,
        response: { 200: PaymentJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('payment', req.params.id, 'payment');
      const res = await command(req, deps, 200, async (s, env) =>
        paymentWithAllocations(s, await returnPayment(s, env, id, { returnedOn: req.body.returned_on, reason: req.body.reason })),
      );
      return sendStored(reply, res);
    },
  );
}
