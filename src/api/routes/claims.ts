/**
 * Claims: problems the customer reported on deliveries, and how they are put right (staff API).
 *
 *   POST /v1/deliveries/{id}/portal-links        a customer link to the delivery (URL returned once)
 *   POST /v1/deliveries/{id}/portal-links/{linkId}/revoke   revoke it (its URL then answers 404)
 *   POST /v1/deliveries/{id}/confirm-receipt     staff confirm receipt on the customer's behalf
 *   POST /v1/deliveries/{id}/claims              staff report problems on the customer's behalf
 *   GET  /v1/claims?order_id=&status=            list
 *   GET  /v1/claims/{id}                         one claim with its resolutions and photos
 *   POST /v1/claims/{id}/resolutions             add a replacement, return, credit or price concession
 *   POST /v1/claims/{id}/resolutions/{n}/ship-replacement   create the replacement delivery
 *   POST /v1/claims/{id}/resolutions/{n}/receive-return     goods back: returned, stock, credit request
 *   POST /v1/claims/{id}/reject                  reject with the reason the customer sees
 *   GET  /v1/credit-requests?order_id=           credits the claims asked for (data for invoicing)
 *
 * {n} is the resolution's index in `resolutions` (0-based).
 */
import { z } from 'zod';
import { CLAIM_STATUSES, PROBLEM_REASONS, RETURN_DISPOSITIONS, isResolutionComplete } from '../../core/claims/claims.js';
import { parseMoney } from '../../core/money/money.js';
import { formatDecimal4, parseQuantity } from '../../core/money/quantity.js';
import { invalid } from '../../core/shared/errors.js';
import { parseId, type OrderId } from '../../core/shared/ids.js';
import { createDeliveryPortalLink } from '../../app/claims/delivery-portal.js';
import { getClaim, listClaims, listCreditRequests } from '../../app/claims/queries.js';
import { addClaimResolution, receiveClaimReturn, rejectClaimWithReason, shipClaimReplacement, type ResolutionInput } from '../../app/claims/resolutions.js';
import { confirmReceipt, reportProblems } from '../../app/claims/review.js';
import type { ClaimLabels, ClaimListFilter, ClaimPhotoRecord, ClaimRecord, CreditRequestRecord } from '../../app/ports.js';
import { loadOrder } from '../../app/claims/shared.js';
import { envFor, type AppDeps } from '../../app/shared/env.js';
import { revokeDocumentLink } from '../../app/portal/document-links.js';
import { actorOf, principalOf } from '../auth.js';
import { command, read, sendStored } from '../command.js';
import {
  type Api, DateInput, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, listQueryShape, MoneyInput, pageOfList, pathId,
} from '../http.js';
import { DeliveryJson, deliveryJson, listJson, listSchema, MoneyJson, moneyJson } from '../serialize.js';

// ------------------------------------------------------------------ JSON out

const ResolutionJson = z.object({
  index: z.number().int().describe('Its {n} in the resolution paths'),
  kind: z.enum(['replacement', 'return', 'credit', 'price_concession']),
  status: z.string().describe('replacement: pending | shipped; return: expected | received | credited; credit and price_concession: pending | requested'),
  complete: z.boolean(),
  quantity: z.string().nullable().describe('null for a price concession'),
  amount: MoneyJson.nullable().describe('Only for a price concession'),
  received: z.object({ quantity: z.string(), disposition: z.enum(RETURN_DISPOSITIONS) }).nullable().describe('A return once received'),
  rma_number: z.string().nullable().describe('A return\'s RMA number'),
  delivery_id: z.string().nullable().describe('A replacement\'s delivery'),
  credit_request_id: z.string().nullable(),
});

export const ClaimJson = z
  .object({
    object: z.literal('claim'),
    id: z.string(),
    number: z.string(),
    status: z.enum(CLAIM_STATUSES),
    order_id: z.string(),
    order_line_no: z.number().int(),
    delivery_id: z.string(),
    delivery_line_no: z.number().int(),
    reason: z.enum(PROBLEM_REASONS),
    description: z.string(),
    quantity: z.string(),
    rejection_reason: z.string().nullable().describe('Why the claim was rejected, as the customer is told'),
    reported_by: z.enum(['customer', 'staff']),
    reported_at: z.iso.datetime(),
    closed_at: z.iso.datetime().nullable(),
    resolutions: z.array(ResolutionJson),
    photos: z.array(z.object({ id: z.string(), content_type: z.string(), created_at: z.iso.datetime() })).optional(),
    order_number: z.string().optional().describe('In lists and on GET'),
    delivery_number: z.string().optional().describe('In lists and on GET'),
    customer_id: z.string().optional().describe('In lists and on GET'),
    customer_name: z.string().optional().describe('In lists and on GET'),
  })
  .meta({ id: 'Claim' });

export function claimJson(c: ClaimRecord, photos?: Omit<ClaimPhotoRecord, 'bytes'>[], labels?: ClaimLabels): z.output<typeof ClaimJson> {
  return {
    ...(labels === undefined ? {} : { order_number: labels.orderNumber, delivery_number: labels.deliveryNumber, customer_id: labels.customerId, customer_name: labels.customerName }),
    object: 'claim',
    id: c.id,
    number: c.number,
    status: c.status,
    order_id: c.orderId,
    order_line_no: c.orderLineNo,
    delivery_id: c.deliveryId,
    delivery_line_no: c.deliveryLineNo,
    reason: c.reason,
    description: c.description,
    quantity: formatDecimal4(c.quantity),
    rejection_reason: c.rejectionReason,
    reported_by: c.reportedBy,
    reported_at: c.reportedAt.toISOString(),
    closed_at: c.closedAt?.toISOString() ?? null,
    resolutions: c.resolutions.map((r, index) => ({
      index,
      kind: r.kind,
      status: r.status,
      complete: isResolutionComplete(r),
      quantity: r.kind === 'price_concession' ? null : formatDecimal4(r.quantity),
      amount: r.kind === 'price_concession' ? moneyJson(r.amount.minor, r.amount.currency) : null,
      received: r.kind === 'return' && r.received ? { quantity: formatDecimal4(r.received.quantity), disposition: r.received.disposition } : null,
      rma_number: r.rmaNumber,
      delivery_id: r.deliveryId,
      credit_request_id: r.creditRequestId,
    })),
    ...(photos ? { photos: photos.map((p) => ({ id: p.id, content_type: p.contentType, created_at: p.createdAt.toISOString() })) } : {}),
  };
}

const CreditRequestJson = z
  .object({
    object: z.literal('credit_request'),
    id: z.string(),
    claim_id: z.string(),
    order_id: z.string(),
    order_line_no: z.number().int(),
    kind: z.enum(['return', 'credit', 'price_concession']),
    quantity: z.string().nullable().describe('null for a price concession'),
    net_amount: MoneyJson.describe('To credit, excluding VAT, at the order line\'s frozen price'),
    vat_rate: z.string(),
    status: z.enum(['open', 'credited', 'cancelled']),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'CreditRequest' });

const creditRequestJson = (r: CreditRequestRecord): z.output<typeof CreditRequestJson> => ({
  object: 'credit_request',
  id: r.id,
  claim_id: r.claimId,
  order_id: r.orderId,
  order_line_no: r.orderLineNo,
  kind: r.kind,
  quantity: r.quantity === null ? null : formatDecimal4(r.quantity),
  net_amount: moneyJson(r.netMinor, r.currency),
  vat_rate: formatDecimal4(r.vatRate),
  status: r.status,
  created_at: r.createdAt.toISOString(),
});

const DeliveryPortalLinkJson = z
  .object({
    object: z.literal('portal_link'),
    id: z.string(),
    delivery_id: z.string(),
    url: z.string().describe('Only in this response: the token is not stored and cannot be shown again'),
    expires_on: z.iso.date(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'DeliveryPortalLink' });

const RevokedLinkJson = z
  .object({
    object: z.literal('portal_link'),
    id: z.string(),
    delivery_id: z.string(),
    expires_on: z.iso.date(),
    revoked_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'RevokedDeliveryPortalLink' });

// ------------------------------------------------------------------ JSON in

const QuantityIn = z.union([DecimalInput, z.number()]);

export const ProblemLineBody = z.strictObject({
  delivery_line_no: z.coerce.number().int().min(1).max(100_000),
  reason: z.enum(PROBLEM_REASONS),
  quantity: QuantityIn.describe('Greater than 0; with the other open claims of the line at most what was delivered on it'),
  description: z.string().max(4000).describe('What is wrong, 1–2000 characters'),
});

export const ReportProblemsBody = z.strictObject({ lines: z.array(ProblemLineBody).min(1).max(500) });

const ResolutionBody = z.strictObject({
  kind: z.enum(['replacement', 'return', 'credit', 'price_concession']),
  quantity: QuantityIn.optional().describe('For replacement, return and credit'),
  amount: z
    .union([z.string().max(64), MoneyInput])
    .optional()
    .describe('For a price concession: net amount to credit, in the order\'s currency ("150.00" or {amount, currency})'),
});

const ReceiveReturnBody = z.strictObject({
  quantity: QuantityIn.describe('Received: from 0 to the quantity expected back'),
  disposition: z.enum(RETURN_DISPOSITIONS),
  warehouse_id: z.string().max(100).nullish().describe('Where restocked or scrapped goods are booked; the default warehouse when omitted'),
});

const RejectBody = z.strictObject({ reason: z.string().max(4000).describe('Shown to the customer, 1–2000 characters') });

const ClaimListQuery = z.strictObject({
  ...listQueryShape(['number', 'reported']),
  order_id: z.string().max(100).optional(),
  status: z.enum(CLAIM_STATUSES).optional(),
  customer_id: z.string().max(100).optional().describe('Claims on the orders of this customer'),
  delivery_id: z.string().max(100).optional().describe('Claims on the lines of this delivery'),
  q: z.string().min(1).max(200).optional().describe('Case-insensitive part of the claim number, its description, the order number or the customer name'),
});

const ResolutionParams = z.object({ id: z.string().max(100), n: z.coerce.number().int().min(0).max(10_000) });

/** The report lines of the API bodies, parsed for the core model. */
export function problemReportOf(lines: z.output<typeof ProblemLineBody>[]) {
  return {
    lines: lines.map((l, i) => ({
      deliveryLineNo: l.delivery_line_no,
      reason: l.reason,
      quantity: parseQuantity(l.quantity, `lines.${i}.quantity`),
      description: l.description,
    })),
  };
}

const ClaimReportJson = z
  .object({ object: z.literal('claim_report'), delivery: DeliveryJson, claims: z.array(ClaimJson) })
  .meta({ id: 'ClaimReport' });

// ------------------------------------------------------------------ routes

export function claimRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/deliveries/:id/portal-links',
    {
      schema: {
        tags: ['claims'],
        summary: 'Make a customer portal link for a delivered delivery (confirm receipt, report problems); the URL is returned only here',
        description:
          'The token is stored only as its SHA-256, so the URL cannot be shown again; responses are never stored for ' +
          'Idempotency-Key replay (a retry makes another link). The link works until expires_on (default 90 days).',
        params: IdParams,
        body: z.strictObject({ expires_on: DateInput.optional() }).nullish(),
        response: { 201: DeliveryPortalLinkJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('delivery', req.params.id, 'delivery');
      const env = envFor(deps, actorOf(req));
      // Not through `command`: its idempotency store would keep the response, and with it the token.
      const made = await deps.db.transaction(principalOf(req).tenantId, (s) => createDeliveryPortalLink(s, env, id, req.body?.expires_on));
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          object: 'portal_link' as const,
          id: made.link.id,
          delivery_id: id,
          url: `${req.protocol}://${req.host}${made.path}`,
          expires_on: made.link.expiresOn,
          created_at: made.link.createdAt.toISOString(),
        });
    },
  );

  app.post(
    '/v1/deliveries/:id/portal-links/:linkId/revoke',
    {
      schema: {
        tags: ['claims'],
        summary: 'Revoke a customer portal link to the delivery: its URL then answers 404',
        headers: IdempotencyHeaders,
        params: z.object({ id: z.string().max(100), linkId: z.string().max(100) }),
        response: { 200: RevokedLinkJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('delivery', req.params.id, 'delivery');
      const linkId = pathId('documentPortalLink', req.params.linkId, 'portal link');
      const res = await command(req, deps, 200, async (s, env) => {
        const l = await revokeDocumentLink(s, env, 'delivery', id, linkId);
        return {
          object: 'portal_link' as const,
          id: l.id,
          delivery_id: id,
          expires_on: l.expiresOn,
          revoked_at: l.revokedAt?.toISOString() ?? null,
        };
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/deliveries/:id/confirm-receipt',
    {
      schema: {
        tags: ['claims'],
        summary: "Confirm receipt of a delivered delivery on the customer's behalf (review → accepted)",
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 200: DeliveryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('delivery', req.params.id, 'delivery');
      const res = await command(req, deps, 200, async (s, env) => deliveryJson(await confirmReceipt(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/deliveries/:id/claims',
    {
      schema: {
        tags: ['claims'],
        summary: "Report problems on a delivered delivery on the customer's behalf: one claim per line (review → disputed)",
        description: 'Refused with review_window_closed (409) after the tenant\'s review window. Events claim.reported.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ReportProblemsBody,
        response: { 201: ClaimReportJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('delivery', req.params.id, 'delivery');
      const report = problemReportOf(req.body.lines);
      const res = await command(req, deps, 201, async (s, env) => {
        const r = await reportProblems(s, env, id, report, 'staff');
        return { object: 'claim_report' as const, delivery: deliveryJson(r.delivery), claims: r.claims.map((c) => claimJson(c)) };
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/claims',
    {
      schema: {
        tags: ['claims'],
        summary: 'List claims (oldest first, or in `sort` order), optionally of one order, delivery or customer, in one status, or matching a search',
        querystring: ClaimListQuery,
        response: { 200: listSchema(ClaimJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('claim', req.query);
      const filter: ClaimListFilter = {};
      if (req.query.customer_id !== undefined) filter.customerId = parseId('customer', req.query.customer_id, 'customer_id');
      if (req.query.order_id !== undefined) filter.orderId = parseId('order', req.query.order_id, 'order_id');
      if (req.query.delivery_id !== undefined) filter.deliveryId = parseId('delivery', req.query.delivery_id, 'delivery_id');
      if (req.query.q !== undefined) filter.q = req.query.q;
      if (req.query.status !== undefined) filter.status = req.query.status;
      return read(req, deps, async (s) => {
        const found = await listClaims(s, filter, page);
        return listJson(found, (c) => claimJson(c, undefined, found.labels.get(c.id)));
      });
    },
  );

  app.get(
    '/v1/claims/:id',
    {
      schema: { tags: ['claims'], summary: 'Get a claim with its resolutions and photos', params: IdParams, response: { 200: ClaimJson, ...errorResponses } },
    },
    async (req) => {
      const id = pathId('claim', req.params.id, 'claim');
      return read(req, deps, async (s) => {
        const v = await getClaim(s, id);
        return claimJson(v.claim, v.photos, v.labels);
      });
    },
  );

  app.post(
    '/v1/claims/:id/resolutions',
    {
      schema: {
        tags: ['claims'],
        summary: 'Add a resolution to an open claim: replacement, return (RMA), credit (a quantity) or price concession (an amount)',
        description:
          'A return gets an RMA number. A credit or price concession makes its credit request at once (at the order ' +
          "line's frozen price), which resolves the claim when every resolution is then complete (event claim.resolved).",
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ResolutionBody,
        response: { 201: ClaimJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('claim', req.params.id, 'claim');
      const body = req.body;
      const res = await command(req, deps, 201, async (s, env) => {
        let input: ResolutionInput;
        if (body.kind === 'price_concession') {
          if (body.amount === undefined) throw invalid('amount', 'amount is required for a price concession');
          if (body.quantity !== undefined) throw invalid('quantity', 'A price concession is an amount, not a quantity');
          const order = await loadOrder(s, await getClaim(s, id).then((v) => v.claim));
          const m =
            typeof body.amount === 'string'
              ? parseMoney(body.amount, order.currency, 'amount')
              : parseMoney(body.amount.amount, body.amount.currency, 'amount.amount');
          input = { kind: 'price_concession', amountMinor: m.minor, currency: m.currency };
        } else {
          if (body.quantity === undefined) throw invalid('quantity', `quantity is required for a ${body.kind}`);
          if (body.amount !== undefined) throw invalid('amount', `A ${body.kind} is a quantity, not an amount`);
          input = { kind: body.kind, quantity: parseQuantity(body.quantity, 'quantity') };
        }
        return claimJson(await addClaimResolution(s, env, id, input));
      });
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/claims/:id/resolutions/:n/ship-replacement',
    {
      schema: {
        tags: ['claims'],
        summary: 'Create the replacement delivery of replacement resolution n (free of charge); the resolution is then complete',
        description:
          "Adds the quantity to the order line's quantity_replacement and creates a delivery of kind 'replacement' linked " +
          'to the claim (resolutions[n].delivery_id), which is then picked, shipped and delivered as any delivery. The ' +
          'resolution counts as complete (status shipped) once that delivery is created.',
        headers: IdempotencyHeaders,
        params: ResolutionParams,
        response: { 200: ClaimJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('claim', req.params.id, 'claim');
      const n = req.params.n;
      const res = await command(req, deps, 200, async (s, env) => claimJson((await shipClaimReplacement(s, env, id, n)).claim));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/claims/:id/resolutions/:n/receive-return',
    {
      schema: {
        tags: ['claims'],
        summary: 'Receive the goods of return resolution n: restocked or scrapped, and credited for exactly the quantity received',
        description:
          "Adds the received quantity to the order line's quantity_returned, books it into stock or as scrap for a " +
          "stock-tracked line, and makes a credit request for it at the order line's frozen price " +
          '(resolutions[n].credit_request_id; none when 0 came back).',
        headers: IdempotencyHeaders,
        params: ResolutionParams,
        body: ReceiveReturnBody,
        response: { 200: ClaimJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('claim', req.params.id, 'claim');
      const n = req.params.n;
      const input = {
        quantity: parseQuantity(req.body.quantity, 'quantity'),
        disposition: req.body.disposition,
        warehouseId: req.body.warehouse_id ?? null,
      };
      const res = await command(req, deps, 200, async (s, env) => claimJson((await receiveClaimReturn(s, env, id, n, input)).claim));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/claims/:id/reject',
    {
      schema: {
        tags: ['claims'],
        summary: 'Reject an open claim on which nothing has happened yet, with the reason the customer sees (event claim.rejected)',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: RejectBody,
        response: { 200: ClaimJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('claim', req.params.id, 'claim');
      const res = await command(req, deps, 200, async (s, env) => claimJson(await rejectClaimWithReason(s, env, id, req.body.reason)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/credit-requests',
    {
      schema: {
        tags: ['claims'],
        summary: 'List the credit requests the claims made (oldest first), optionally of one order; data for credit notes',
        querystring: z.strictObject({ order_id: z.string().max(100).optional() }),
        response: { 200: listSchema(CreditRequestJson), ...errorResponses },
      },
    },
    async (req) => {
      const filter: { orderId?: OrderId } = {};
      if (req.query.order_id !== undefined) filter.orderId = parseId('order', req.query.order_id, 'order_id');
      return read(req, deps, async (s) => listJson({ data: await listCreditRequests(s, filter), hasMore: false }, creditRequestJson));
    },
  );
}
