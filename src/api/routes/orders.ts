import { z } from 'zod';
import { amendOrder, type AmendLineInput } from '../../app/orders/amend-order.js';
import { cancelOrder } from '../../app/orders/cancel-order.js';
import { confirmOrder, getOrder, releaseHold } from '../../app/orders/confirm-order.js';
import { closeOrder } from '../../app/orders/close-order.js';
import { orderDocumentData } from '../../app/orders/order-document.js';
import { sendOrderConfirmation } from '../../app/orders/send-confirmation.js';
import type { OrderVersionRecord } from '../../app/ports.js';
import { createDocumentLink, revokeDocumentLink } from '../../app/portal/document-links.js';
import { envFor, type AppDeps } from '../../app/shared/env.js';
import { ORDER_STATUSES } from '../../core/documents/lifecycle.js';
import { parseMoney } from '../../core/money/money.js';
import { formatDecimal4, parsePercent, parseQuantity, ZERO_D, type Quantity } from '../../core/money/quantity.js';
import { invalid } from '../../core/shared/errors.js';
import { parseId } from '../../core/shared/ids.js';
import { TAX_CLASSES } from '../../core/tax/vat.js';
import { renderOrderConfirmationPdf } from '../../integrations/pdf/order-confirmation-pdf.js';
import { toOrderConfirmationDocument } from '../../integrations/pdf/order-confirmation-mapping.js';
import { languageFor } from '../../integrations/pdf/quote-mapping.js';
import { actorOf, principalOf } from '../auth.js';
import { command, read, sendStored } from '../command.js';
import {
  customerNamesOf, DecimalInput, type Api, errorResponses, IdempotencyHeaders, IdParams, listQueryShape, pageOfList, pathId, statusListOf,
} from '../http.js';
import { listJson, listSchema, MoneyJson, moneyJson, OrderJson, orderJson } from '../serialize.js';

const EmptyBody = z.strictObject({}).nullish();
const QuantityInput = z.union([DecimalInput, z.number()]);

const CancelBody = z
  .strictObject({
    lines: z
      .array(z.strictObject({ line_no: z.number().int().min(1), quantity: QuantityInput.describe('Greater than 0, at most what can still be cancelled') }))
      .max(1000)
      .optional()
      .describe('Omit to cancel the whole order (only when nothing of it is in a delivery)'),
    reason: z.string().max(2000).nullish().describe('Kept in the audit trail'),
  })
  .nullish();

const AmendBody = z.strictObject({
  reason: z.string().max(2000).nullish(),
  lines: z
    .array(
      z.strictObject({
        line_no: z.number().int().min(1),
        quantity: QuantityInput.describe('The new total quantity of the line; never below what is in deliveries, shipped or invoiced'),
      }),
    )
    .max(1000)
    .optional(),
  add: z
    .array(
      z.strictObject({
        product_id: z.string().max(100).optional(),
        description: z.string().min(1).max(1000).optional(),
        unit: z.string().min(1).max(10).optional(),
        unit_price: DecimalInput.optional().describe("In the order's currency; required without a product; including VAT when the order's prices include VAT"),
        tax_class: z.enum(TAX_CLASSES).optional().describe('Required without a product'),
        quantity: QuantityInput,
        discount_percent: DecimalInput.optional(),
        invoicing_policy: z
          .enum(['on_delivery', 'on_order'])
          .optional()
          .describe("'on_delivery' (default, goods and services alike: services are delivered by a service completion) invoices what was delivered; 'on_order' (prepayment) invoices the ordered quantity at once"),
      }),
    )
    .max(1000)
    .optional(),
  remove: z.array(z.number().int().min(1)).max(1000).optional().describe('Line numbers whose remaining quantity is cancelled'),
});

const PdfQuery = z.object({
  lang: z.enum(['sv', 'en']).optional().describe("Document language; defaults to the customer's (Swedish for Swedish customers)"),
});

const ChangeJson = z.object({
  line_no: z.number().int(),
  kind: z.enum(['added', 'quantity_changed', 'removed']),
  description: z.string(),
  quantity_before: z.string().nullable(),
  quantity_after: z.string().nullable(),
  net_change: MoneyJson,
});

const OrderVersionJson = z
  .object({
    object: z.literal('order_version'),
    order_id: z.string(),
    version: z.number().int(),
    lines: z.array(
      z.object({
        line_no: z.number().int(),
        product_id: z.string().nullable(),
        description: z.string(),
        quantity: z.string(),
        unit: z.string(),
        unit_price: MoneyJson,
        net_amount: MoneyJson,
        vat_rate: z.string(),
      }),
    ),
    net_total: MoneyJson,
    vat_total: MoneyJson,
    gross_total: MoneyJson,
    changes: z.array(ChangeJson),
    price_effect: z
      .object({ net: MoneyJson, vat: MoneyJson, gross: MoneyJson })
      .describe('This version’s totals less the previous version’s (zero for version 1)'),
    reason: z.string().nullable(),
    created_at: z.iso.datetime(),
    confirmed_at: z.iso.datetime().nullable(),
    confirmed_by: z.enum(['customer', 'staff']).nullable(),
  })
  .meta({ id: 'OrderVersion' });

const OrderLinkJson = z
  .object({
    object: z.literal('order_portal_link'),
    id: z.string(),
    order_id: z.string(),
    url: z.string().describe('Only in this response: the token is not stored and cannot be shown again'),
    expires_on: z.iso.date(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'OrderPortalLink' });

const RevokedLinkJson = z
  .object({
    object: z.literal('order_portal_link'),
    id: z.string(),
    order_id: z.string(),
    expires_on: z.iso.date(),
    revoked_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'RevokedOrderPortalLink' });

/** One line's change in an order version, as the staff API and the order portal show it. */
export const versionChangeJson = (c: OrderVersionRecord['changes'][number], currency: string) => ({
  line_no: c.lineNo,
  kind: c.kind,
  description: c.description,
  quantity_before: c.quantityBefore,
  quantity_after: c.quantityAfter,
  net_change: moneyJson(BigInt(c.netChangeMinor), currency),
});

export function orderVersionJson(v: OrderVersionRecord, previous: OrderVersionRecord | undefined, currency: string): z.output<typeof OrderVersionJson> {
  const m = (minor: bigint) => moneyJson(minor, currency);
  return {
    object: 'order_version',
    order_id: v.orderId,
    version: v.version,
    lines: v.lines.map((l) => ({
      line_no: l.lineNo,
      product_id: l.productId,
      description: l.description,
      quantity: formatDecimal4(l.quantity),
      unit: l.unit,
      unit_price: m(l.unitPriceMinor),
      net_amount: m(l.netAmountMinor),
      vat_rate: formatDecimal4(l.vatRate),
    })),
    net_total: m(v.netTotalMinor),
    vat_total: m(v.vatTotalMinor),
    gross_total: m(v.grossTotalMinor),
    changes: v.changes.map((c) => versionChangeJson(c, currency)),
    price_effect: {
      net: m(previous ? v.netTotalMinor - previous.netTotalMinor : 0n),
      vat: m(previous ? v.vatTotalMinor - previous.vatTotalMinor : 0n),
      gross: m(previous ? v.grossTotalMinor - previous.grossTotalMinor : 0n),
    },
    reason: v.reason,
    created_at: v.createdAt.toISOString(),
    confirmed_at: v.confirmedAt?.toISOString() ?? null,
    confirmed_by: v.confirmedBy,
  };
}

/** A new total quantity: 0 or a positive quantity. */
function newQuantity(value: string | number, param: string): Quantity {
  if (value === 0 || (typeof value === 'string' && /^0+(\.0+)?$/.test(value.trim()))) return ZERO_D;
  return parseQuantity(value, param);
}

const OrderListQuery = z.strictObject({
  ...listQueryShape(['number', 'date', 'total']),
  status: z.string().max(200).optional().describe(`One or several (comma-separated) of ${ORDER_STATUSES.join(', ')}; on_hold lists the orders on credit hold`),
  customer_id: z.string().max(100).optional(),
  q: z.string().min(1).max(200).optional().describe("Case-insensitive part of the order number or the customer's name"),
});

const OrderListItemJson = OrderJson.extend({ customer_name: z.string().nullable() }).meta({ id: 'OrderListItem' });

export function orderRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'List sales orders (oldest first, or in `sort` order), filtered by status, customer or search text',
        querystring: OrderListQuery,
        response: { 200: listSchema(OrderListItemJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('order', req.query);
      const filter = {
        statuses: statusListOf(ORDER_STATUSES, req.query.status),
        customerId: req.query.customer_id === undefined ? undefined : parseId('customer', req.query.customer_id, 'customer_id'),
        q: req.query.q,
      };
      return read(req, deps, async (s) => {
        const result = await s.orders.list(page, filter);
        const nameOf = await customerNamesOf(s, result.data);
        return listJson(result, (o) => ({ ...orderJson(o), customer_name: nameOf(o.customerId) }));
      });
    },
  );

  app.get(
    '/v1/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'Get a sales order with its lines and their allocated, shipped, delivered and invoiced quantities',
        params: IdParams,
        response: { 200: OrderJson, ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('order', req.params.id, 'order');
      return read(req, deps, async (s) => orderJson(await getOrder(s, id)));
    },
  );

  app.post(
    '/v1/orders/:id/confirm',
    {
      schema: {
        tags: ['orders'],
        summary: 'Confirm an order, with the credit check: confirmed (stock reserved) or on_hold with the reason',
        description:
          'The order goes on hold (200, status on_hold, hold_reason naming the figures; event order.on_hold) when the customer\'s ' +
          'open receivables plus this order\'s total exceed their credit limit, or when they have an invoice overdue by more than ' +
          'the company\'s credit_hold_overdue_days. Otherwise it is confirmed (event order.confirmed). Only a confirmed order can be delivered.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 200: OrderJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const res = await command(req, deps, 200, async (s, env) => orderJson(await confirmOrder(s, env, id, 'staff')));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/orders/:id/release-hold',
    {
      schema: {
        tags: ['orders'],
        summary: 'Release an order from credit hold (role admin or finance): it is confirmed and its stock reserved',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 200: OrderJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const res = await command(req, deps, 200, async (s, env) => orderJson(await releaseHold(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/orders/:id/close',
    {
      schema: {
        tags: ['orders'],
        summary: 'Close a confirmed order once everything is delivered (or cancelled) and invoiced, no delivery is under way and no claim is open',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 200: OrderJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const res = await command(req, deps, 200, async (s, env) => orderJson(await closeOrder(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/orders/:id/cancel',
    {
      schema: {
        tags: ['orders'],
        summary: 'Cancel the order, or quantities of some lines; only what is neither in a delivery, shipped nor invoiced',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CancelBody,
        response: { 200: OrderJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const body = req.body ?? {};
      const lines = body.lines?.map((l, i) => ({ lineNo: l.line_no, quantity: parseQuantity(l.quantity, `lines.${i}.quantity`) }));
      const res = await command(req, deps, 200, async (s, env) => orderJson(await cancelOrder(s, env, id, { lines, reason: body.reason ?? null })));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/orders/:id/amend',
    {
      schema: {
        tags: ['orders'],
        summary: 'Amend the order: change line quantities, add or remove lines; a new version the customer must confirm again',
        description:
          'Lowering a quantity cancels the difference; raising it adds a line for the extra quantity at the same frozen price and ' +
          'discount; added lines are priced as on a quote today. The order goes back to unconfirmed (no deliveries until it is ' +
          'confirmed again) and a new version with its changes is stored (GET /v1/orders/{id}/versions).',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: AmendBody,
        response: { 200: OrderJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const b = req.body;
      const lines = b.lines?.map((l, i) => ({ lineNo: l.line_no, quantity: newQuantity(l.quantity, `lines.${i}.quantity`) }));
      const res = await command(req, deps, 200, async (s, env) => {
        const order = await getOrder(s, id);
        const add: AmendLineInput[] | undefined = b.add?.map((a, i) => {
          const p = `add.${i}`;
          let unitPriceMinor: bigint | undefined;
          if (a.unit_price !== undefined) {
            unitPriceMinor = parseMoney(a.unit_price, order.currency, `${p}.unit_price`).minor;
            if (unitPriceMinor < 0n) throw invalid(`${p}.unit_price`, 'must not be negative');
          }
          return {
            productId: a.product_id === undefined ? undefined : parseId('product', a.product_id, `${p}.product_id`),
            description: a.description,
            unit: a.unit,
            unitPriceMinor,
            taxClass: a.tax_class,
            quantity: parseQuantity(a.quantity, `${p}.quantity`),
            discountPercent: a.discount_percent === undefined ? undefined : parsePercent(a.discount_percent, `${p}.discount_percent`),
            invoicingPolicy: a.invoicing_policy,
          };
        });
        return orderJson(await amendOrder(s, env, id, { reason: b.reason ?? null, lines, add, remove: b.remove }));
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/orders/:id/versions',
    {
      schema: {
        tags: ['orders'],
        summary: "The order's versions, oldest first: lines, totals, what each amendment changed and its price effect",
        params: IdParams,
        response: { 200: listSchema(OrderVersionJson), ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('order', req.params.id, 'order');
      return read(req, deps, async (s) => {
        const order = await getOrder(s, id);
        const versions = await s.orders.listVersions(id);
        return { object: 'list' as const, data: versions.map((v, i) => orderVersionJson(v, versions[i - 1], order.currency)), has_more: false };
      });
    },
  );

  app.get(
    '/v1/orders/:id/pdf',
    {
      schema: {
        tags: ['orders'],
        summary: 'The order confirmation of the current version as a PDF (Swedish or English)',
        params: IdParams,
        querystring: PdfQuery,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const data = await read(req, deps, (s) => orderDocumentData(s, id));
      const language = req.query.lang ?? languageFor(data.buyer.country);
      const pdf = await renderOrderConfirmationPdf(toOrderConfirmationDocument(data, language));
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${data.order.number}-v${data.order.version}.pdf"`)
        .send(pdf);
    },
  );

  app.post(
    '/v1/orders/:id/send-confirmation',
    {
      schema: {
        tags: ['orders'],
        summary: 'E-mail the order confirmation (PDF and a portal link to confirm the order or ask for changes) to the customer',
        description:
          'Writes the event order.confirmation_sent; the outbox worker sends the e-mail after the commit and makes the portal link ' +
          '(valid 90 days) then, so its token exists only in the e-mail.',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 200: OrderJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const res = await command(req, deps, 200, async (s, env) => orderJson(await sendOrderConfirmation(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/orders/:id/portal-links',
    {
      schema: {
        tags: ['orders'],
        summary: 'Make a customer portal link to the order (valid 90 days); the URL with its token is returned only here',
        description: 'Not stored for Idempotency-Key replay (the token would be): a retry makes another link.',
        params: IdParams,
        response: { 201: OrderLinkJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const principal = principalOf(req);
      const env = envFor(deps, actorOf(req));
      const made = await deps.db.transaction(principal.tenantId, async (s) => {
        await getOrder(s, id);
        return createDocumentLink(s, env, 'order', id);
      });
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({
          object: 'order_portal_link' as const,
          id: made.link.id,
          order_id: id,
          url: `${req.protocol}://${req.host}${made.path}`,
          expires_on: made.link.expiresOn,
          created_at: made.link.createdAt.toISOString(),
        });
    },
  );

  app.post(
    '/v1/orders/:id/portal-links/:linkId/revoke',
    {
      schema: {
        tags: ['orders'],
        summary: 'Revoke a customer portal link to the order: its URL then answers 404',
        headers: IdempotencyHeaders,
        params: z.object({ id: z.string().max(100), linkId: z.string().max(100) }),
        response: { 200: RevokedLinkJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const linkId = pathId('documentPortalLink', req.params.linkId, 'portal link');
      const res = await command(req, deps, 200, async (s, env) => {
        const l = await revokeDocumentLink(s, env, 'order', id, linkId);
        return {
          object: 'order_portal_link' as const,
          id: l.id,
          order_id: id,
          expires_on: l.expiresOn,
          revoked_at: l.revokedAt?.toISOString() ?? null,
        };
      });
      return sendStored(reply, res);
    },
  );
}
