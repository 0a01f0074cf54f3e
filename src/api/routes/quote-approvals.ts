/**
 * Quote approvals over HTTP: the tenant's approval rules (GET/PUT /v1/settings/approval-rules) and
 * a version's way through approval (request-approval, approve, reject-approval, approvals).
 */
import { z } from 'zod';
import { formatDecimal4, parsePercent } from '../../core/money/quantity.js';
import { parseCurrency } from '../../core/money/currency.js';
import { parseMoney } from '../../core/money/money.js';
import type { ApprovalRuleRecord, QuoteApprovalRecord, QuoteRecord } from '../../app/ports.js';
import { approveQuote } from '../../app/quotes/approvals/approve-quote.js';
import { listQuoteApprovals } from '../../app/quotes/approvals/list-approvals.js';
import { listApprovalRules } from '../../app/quotes/approvals/list-approval-rules.js';
import { MAX_APPROVAL_COMMENT_LENGTH, rejectApproval } from '../../app/quotes/approvals/reject-approval.js';
import { requestApproval } from '../../app/quotes/approvals/request-approval.js';
import { MAX_APPROVAL_RULES, setApprovalRules, type ApprovalRuleInput } from '../../app/quotes/approvals/set-approval-rules.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { type Api, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, MoneyInput, pathId } from '../http.js';
import { MoneyJson, moneyJson, QuoteJson, quoteJson } from '../serialize.js';

const PercentInput = z.union([DecimalInput, z.number()]).describe('0 to 100, at most 4 decimals, e.g. "15"');

const ApprovalRuleBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('line_discount_above'), percent: PercentInput.describe('A line discount above this needs approval') }),
  z.strictObject({ kind: z.literal('quote_discount_above'), percent: PercentInput.describe('A quote discount above this needs approval') }),
  z.strictObject({ kind: z.literal('margin_below'), percent: PercentInput.describe('A line or quote margin below this needs approval') }),
  z.strictObject({ kind: z.literal('total_above'), amount: MoneyInput.describe('A quote total (incl. VAT) above this needs approval') }),
]);

const ApprovalRulesBody = z.strictObject({
  rules: z.array(ApprovalRuleBody).max(MAX_APPROVAL_RULES).describe('The complete new set of rules; [] removes them all'),
});

const ApproveBody = z.strictObject({ comment: z.string().max(MAX_APPROVAL_COMMENT_LENGTH).nullish() }).nullish();
const RejectBody = z.strictObject({
  comment: z.string().min(1).max(MAX_APPROVAL_COMMENT_LENGTH).describe('Why the version is not approved; kept with the approval'),
});
const EmptyBody = z.strictObject({}).nullish();

export const ApprovalRuleJson = z
  .object({
    object: z.literal('approval_rule'),
    id: z.string(),
    kind: z.enum(['line_discount_above', 'quote_discount_above', 'margin_below', 'total_above']),
    percent: z.string().nullable(),
    amount: MoneyJson.nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'ApprovalRule' });

const ApprovalRulesJson = z.object({ object: z.literal('list'), data: z.array(ApprovalRuleJson), has_more: z.boolean() });

const approvalRuleJson = (r: ApprovalRuleRecord): z.output<typeof ApprovalRuleJson> => ({
  object: 'approval_rule',
  id: r.id,
  kind: r.kind,
  percent: r.kind === 'total_above' ? null : formatDecimal4(r.percent),
  amount: r.kind === 'total_above' ? moneyJson(r.amountMinor, r.currency) : null,
  created_at: r.createdAt.toISOString(),
});

const rulesJson = (rules: ApprovalRuleRecord[]) => ({ object: 'list' as const, data: rules.map(approvalRuleJson), has_more: false });

export const QuoteApprovalJson = z
  .object({
    object: z.literal('quote_approval'),
    id: z.string(),
    quote_id: z.string(),
    version: z.number().int(),
    status: z.enum(['requested', 'approved', 'rejected']),
    requested_by: z.string(),
    requested_at: z.iso.datetime(),
    decided_by: z.string().nullable(),
    decided_at: z.iso.datetime().nullable(),
    comment: z.string().nullable(),
    triggered: z.array(
      z.object({
        rule_id: z.string(),
        kind: z.string(),
        message: z.string(),
        line_keys: z.array(z.string()),
        quote_level: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'QuoteApproval' });

const quoteApprovalJson = (a: QuoteApprovalRecord): z.output<typeof QuoteApprovalJson> => ({
  object: 'quote_approval',
  id: a.id,
  quote_id: a.quoteId,
  version: a.version,
  status: a.status,
  requested_by: a.requestedBy,
  requested_at: a.requestedAt.toISOString(),
  decided_by: a.decidedBy,
  decided_at: a.decidedAt === null ? null : a.decidedAt.toISOString(),
  comment: a.comment,
  triggered: a.triggered.map((t) => ({ rule_id: t.ruleId, kind: t.kind, message: t.message, line_keys: [...t.lineKeys], quote_level: t.quoteLevel })),
});

const ApprovalStepJson = QuoteApprovalJson.extend({ quote: QuoteJson }).meta({ id: 'QuoteApprovalStep' });
const approvalStepJson = (r: { quote: QuoteRecord; approval: QuoteApprovalRecord }) => ({
  ...quoteApprovalJson(r.approval),
  quote: quoteJson(r.quote),
});

const ApprovalListJson = z.object({ object: z.literal('list'), data: z.array(QuoteApprovalJson), has_more: z.boolean() });

function ruleInputs(body: z.output<typeof ApprovalRulesBody>): ApprovalRuleInput[] {
  return body.rules.map((r, i): ApprovalRuleInput => {
    if (r.kind === 'total_above') {
      const currency = parseCurrency(r.amount.currency, `rules.${i}.amount.currency`);
      const m = parseMoney(r.amount.amount, currency, `rules.${i}.amount.amount`);
      return { kind: 'total_above', amountMinor: m.minor, currency };
    }
    return { kind: r.kind, percent: parsePercent(r.percent, `rules.${i}.percent`) };
  });
}

export function quoteApprovalRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/settings/approval-rules',
    { schema: { tags: ['quotes'], summary: 'The approval rules quotes are checked against', response: { 200: ApprovalRulesJson, ...errorResponses } } },
    async (req) => read(req, deps, async (s) => rulesJson(await listApprovalRules(s))),
  );

  app.put(
    '/v1/settings/approval-rules',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Replace the approval rules: a draft that triggers one must be approved before it is sent',
        headers: IdempotencyHeaders,
        body: ApprovalRulesBody,
        response: { 200: ApprovalRulesJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const inputs = ruleInputs(req.body);
      const res = await command(req, deps, 200, async (s, env) => rulesJson(await setApprovalRules(s, env, inputs)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/quotes/:id/request-approval',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Submit a draft version that triggers approval rules for approval',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 201: ApprovalStepJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const res = await command(req, deps, 201, async (s, env) => approvalStepJson(await requestApproval(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/quotes/:id/approve',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Approve a version awaiting approval (admin or sales_manager keys; not the requester)',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ApproveBody,
        response: { 200: ApprovalStepJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const comment = req.body?.comment ?? null;
      const res = await command(req, deps, 200, async (s, env) => approvalStepJson(await approveQuote(s, env, id, comment)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/quotes/:id/reject-approval',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Reject a version awaiting approval: it returns to draft, the comment is kept',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: RejectBody,
        response: { 200: ApprovalStepJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const res = await command(req, deps, 200, async (s, env) => approvalStepJson(await rejectApproval(s, env, id, req.body.comment)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/quotes/:id/approvals',
    {
      schema: {
        tags: ['quotes'],
        summary: 'Every approval request of the quote, all versions, oldest first',
        params: IdParams,
        response: { 200: ApprovalListJson, ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('quote', req.params.id, 'quote');
      return read(req, deps, async (s) => ({ object: 'list' as const, data: (await listQuoteApprovals(s, id)).map(quoteApprovalJson), has_more: false }));
    },
  );
}
