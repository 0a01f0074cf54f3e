/**
 * Bad-debt write-offs over HTTP (issue 8 part 4): write off what is open on an issued invoice, and the
 * requests above the tenant's threshold that wait for a second finance user. The threshold itself is
 * set with the refund threshold on /v1/settings/approvals (payments.ts).
 */
import { z } from 'zod';
import { parseCurrency } from '../../core/money/currency.js';
import { parseMoney } from '../../core/money/money.js';
import {
  approveWriteOffRequest, MAX_WRITE_OFF_REASON_LENGTH, rejectWriteOffRequest, requestWriteOff,
} from '../../app/receivables/write-off-invoice.js';
import type { WriteOffRecord, WriteOffRequestRecord } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, sendStored } from '../command.js';
import { secondApprovalJson, secondApprovalJsonShape, secondApprovalRoutes } from '../second-approval-routes.js';
import { type Api, DateInput, errorResponses, IdempotencyHeaders, IdParams, MoneyInput, pathId } from '../http.js';
import { DateJson, Instant, MoneyJson, moneyJson } from '../serialize.js';

const WriteOffJson = z
  .object({
    object: z.literal('write_off'),
    id: z.string(),
    invoice_id: z.string(),
    customer_id: z.string(),
    amount: MoneyJson,
    net_amount: MoneyJson.describe('Debited to bad debts (6351)'),
    vat_amount: MoneyJson.describe('Output VAT reversed (2611 / 2621 / 2631), in proportion to the invoice'),
    base_amount: MoneyJson.describe('Taken off the receivable (1510) in the base currency, at the invoice\'s rate'),
    written_off_on: DateJson,
    reason: z.string(),
    request_id: z.string().nullable().describe('The approved request, when it needed a second approval'),
    journal_entry_id: z.string().nullable(),
    open_amount: MoneyJson.describe('What is still open on the invoice after it'),
    created_by: z.string(),
    created_at: Instant,
  })
  .meta({ id: 'WriteOff' });

const writeOffJson = (w: WriteOffRecord, base: string, openMinor: bigint): z.output<typeof WriteOffJson> => ({
  object: 'write_off',
  id: w.id,
  invoice_id: w.invoiceId,
  customer_id: w.customerId,
  amount: moneyJson(w.amountMinor, w.currency),
  net_amount: moneyJson(w.netMinor, w.currency),
  vat_amount: moneyJson(w.vatMinor, w.currency),
  base_amount: moneyJson(w.baseAmountMinor, base),
  written_off_on: w.writtenOffOn,
  reason: w.reason,
  request_id: w.requestId,
  journal_entry_id: w.journalEntryId,
  open_amount: moneyJson(openMinor, w.currency),
  created_by: w.createdBy,
  created_at: w.createdAt.toISOString(),
});

const WriteOffRequestJson = z
  .object({
    object: z.literal('write_off_request'),
    id: z.string(),
    invoice_id: z.string(),
    amount: MoneyJson,
    written_off_on: z.string().nullable().describe('null: the approval date'),
    reason: z.string(),
    ...secondApprovalJsonShape,
    write_off_id: z.string().nullable(),
  })
  .meta({ id: 'WriteOffRequest' });

const writeOffRequestJson = (r: WriteOffRequestRecord): z.output<typeof WriteOffRequestJson> => ({
  object: 'write_off_request',
  id: r.id,
  invoice_id: r.invoiceId,
  amount: moneyJson(r.amountMinor, r.currency),
  written_off_on: r.writtenOffOn,
  reason: r.reason,
  ...secondApprovalJson(r),
  write_off_id: r.writeOffId,
});

export const WriteOffBody = z.strictObject({
  amount: MoneyInput.optional().describe("In the invoice's currency; omitted: all that is open"),
  reason: z.string().max(MAX_WRITE_OFF_REASON_LENGTH).describe('Why the debt is lost (bankruptcy, failed collection …); required'),
  written_off_on: DateInput.optional().describe('Defaults to today; not before the invoice date, not in a closed period'),
});

export function writeOffRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/invoices/:id/write-offs',
    {
      schema: {
        tags: ['invoices'],
        summary: "Write off a bad debt (konstaterad kundförlust): what is open on an issued invoice, D 6351 + output VAT / C 1510",
        description:
          "A write-off worth more than the tenant's approval threshold (GET /v1/settings/approvals, write_off_approval_threshold) is not " +
          'posted: the answer is 202 with a write-off request, which a second finance user approves (POST /v1/write-off-requests/{id}/approve).',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: WriteOffBody,
        response: { 201: WriteOffJson, 202: WriteOffRequestJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('invoice', req.params.id, 'invoice');
      const body = req.body;
      const amount = body.amount === undefined
        ? undefined
        : parseMoney(body.amount.amount, parseCurrency(body.amount.currency, 'amount.currency'), 'amount.amount');
      const res = await command(
        req,
        deps,
        (b) => ((b as { object?: string }).object === 'write_off_request' ? 202 : 201),
        async (s, env) => {
          const outcome = await requestWriteOff(s, env, id, { amount, reason: body.reason, writtenOffOn: body.written_off_on });
          if (outcome.kind === 'pending_approval') return writeOffRequestJson(outcome.request);
          const base = (await s.tenant.get())!.baseCurrency;
          return writeOffJson(outcome.writeOff, base, outcome.openItem.openMinor);
        },
      );
      return sendStored(reply, res);
    },
  );

  secondApprovalRoutes(app, deps, {
    path: '/v1/write-off-requests',
    tag: 'invoices',
    noun: 'write-off',
    idKind: 'writeOffRequest',
    requestJson: WriteOffRequestJson,
    toJson: writeOffRequestJson,
    resultJson: WriteOffJson,
    list: (s, page, filter) => s.writeOffs.listRequests(page, filter),
    approve: async (s, env, id, note) => {
      const { writeOff, openItem } = await approveWriteOffRequest(s, env, id, note);
      return writeOffJson(writeOff, (await s.tenant.get())!.baseCurrency, openItem.openMinor);
    },
    reject: rejectWriteOffRequest,
    approveSummary: 'Approve a large write-off (a finance user other than the requester): it is posted now, against what is open now',
  });
}
