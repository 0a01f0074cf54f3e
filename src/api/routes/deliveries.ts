/**
 * Deliveries: created for a confirmed order's open quantities (or a claim's replacements), picked,
 * packed, shipped (taking stock) and delivered; service lines are completed directly; the delivery
 * note as a PDF.
 */
import { z } from 'zod';
import { ZERO_D, parseQuantity, type Quantity } from '../../core/money/quantity.js';
import { DomainError } from '../../core/shared/errors.js';
import { parseId } from '../../core/shared/ids.js';
import { createDelivery, type CreateDeliveryInput } from '../../app/fulfilment/create-delivery.js';
import { completeServiceLine } from '../../app/fulfilment/complete-service.js';
import { deliveryNoteData } from '../../app/fulfilment/delivery-note.js';
import {
  cancelDelivery,
  deliverDelivery,
  getDelivery,
  listDeliveries,
  listOrderDeliveries,
  packDelivery,
  pickDelivery,
  shipDelivery,
} from '../../app/fulfilment/ship-delivery.js';
import { envFor, type AppDeps } from '../../app/shared/env.js';
import { toDeliveryNoteDocument } from '../../integrations/pdf/delivery-note-mapping.js';
import { renderDeliveryNotePdf } from '../../integrations/pdf/delivery-note-pdf.js';
import { languageFor } from '../../integrations/pdf/quote-mapping.js';
import { actorOf } from '../auth.js';
import { command, read, sendStored } from '../command.js';
import {
  type Api, DateInput, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, listQueryShape, optionalText, pageOfList, pathId, statusListOf,
} from '../http.js';
import { DeliveryJson, deliveryJson, listJson, listSchema } from '../serialize.js';

const MAX_DELIVERY_LINES = 500;

export const CreateDeliveryBody = z
  .strictObject({
    lines: z
      .array(
        z.strictObject({
          order_line_no: z.number().int().min(1),
          quantity: z.union([DecimalInput, z.number()]).describe('Greater than 0, at most what is open on the order line'),
        }),
      )
      .min(1)
      .max(MAX_DELIVERY_LINES)
      .optional()
      .describe('Omit to deliver every open quantity of the order'),
    kind: z
      .enum(['standard', 'replacement'])
      .optional()
      .describe("standard (default): the order's goods; replacement: free of charge, up to what is owed to replace faulty goods"),
    claim_id: z.string().max(100).nullish().describe('For a replacement delivery: the claim it answers'),
    warehouse_id: z.string().max(100).nullish().describe('Where stock-tracked goods ship from; the default warehouse when omitted'),
  })
  .nullish();

export const ShipDeliveryBody = z
  .strictObject({
    carrier: optionalText(100),
    tracking_number: optionalText(100),
  })
  .nullish();

export const DeliverDeliveryBody = z
  .strictObject({
    delivered_on: DateInput.optional().describe('Defaults to today'),
    proof: optionalText(2000).describe('Proof of delivery: who signed, where the goods were left'),
  })
  .nullish();

export const CompleteServiceBody = z.strictObject({
  quantity: z.union([DecimalInput, z.number()]).describe('Greater than 0, at most what is open on the service line'),
  hours: z.union([DecimalInput, z.number()]).nullish().describe('Hours worked, for time-based services'),
});

const DELIVERY_STATUSES = ['created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;

const DeliveryListQuery = z.strictObject({
  ...listQueryShape(['created', 'number', 'status', 'shipped', 'delivered']),
  status: z.string().max(200).optional().describe(`One or several (comma-separated) of ${DELIVERY_STATUSES.join(', ')}`),
  order_id: z.string().max(100).optional(),
  customer_id: z.string().max(100).optional().describe("Deliveries of this customer's orders"),
  q: z.string().min(1).max(200).optional().describe("Case-insensitive part of the delivery number, the order number or the customer's name"),
});

const DeliveryListItemJson = DeliveryJson.extend({
  order_number: z.string(),
  customer_id: z.string(),
  customer_name: z.string().nullable(),
}).meta({ id: 'DeliveryListItem' });

const LineParams = z.object({ id: z.string().max(100), lineNo: z.coerce.number().int().min(1).max(100_000) });

const PdfQuery = z.strictObject({
  lang: z.enum(['sv', 'en']).optional().describe("Document language; defaults to the customer's (Swedish for Swedish customers)"),
});

export function deliveryRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/orders/:id/deliveries',
    {
      schema: {
        tags: ['fulfilment'],
        summary: "Create a delivery for some or all of a confirmed order's open quantities",
        headers: IdempotencyHeaders,
        params: IdParams,
        body: CreateDeliveryBody,
        response: { 201: DeliveryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const b = req.body;
      const input: CreateDeliveryInput = {
        lines: b?.lines?.map((l, i) => ({ orderLineNo: l.order_line_no, quantity: parseQuantity(l.quantity, `lines.${i}.quantity`) })),
        kind: b?.kind,
        claimId: b?.claim_id === null || b?.claim_id === undefined ? null : parseId('claim', b.claim_id, 'claim_id'),
        warehouseId: b?.warehouse_id === null || b?.warehouse_id === undefined ? null : parseId('warehouse', b.warehouse_id, 'warehouse_id'),
      };
      const res = await command(req, deps, 201, async (s, env) => deliveryJson(await createDelivery(s, env, id, input)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/deliveries',
    {
      schema: {
        tags: ['fulfilment'],
        summary: 'List deliveries (oldest first, or in `sort` order: created, number, status, shipped, delivered), filtered by status, order, customer or search text',
        querystring: DeliveryListQuery,
        response: { 200: listSchema(DeliveryListItemJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('delivery', req.query);
      const filter = {
        statuses: statusListOf(DELIVERY_STATUSES, req.query.status),
        orderId: req.query.order_id === undefined ? undefined : parseId('order', req.query.order_id, 'order_id'),
        customerId: req.query.customer_id === undefined ? undefined : parseId('customer', req.query.customer_id, 'customer_id'),
        q: req.query.q,
      };
      return read(req, deps, async (s) =>
        listJson(await listDeliveries(s, filter, page), (d) => ({
          ...deliveryJson(d),
          order_number: d.orderNumber,
          customer_id: d.customerId,
          customer_name: d.customerName,
        })),
      );
    },
  );

  app.get(
    '/v1/orders/:id/deliveries',
    {
      schema: {
        tags: ['fulfilment'],
        summary: "List an order's deliveries (oldest first)",
        params: IdParams,
        response: { 200: listSchema(DeliveryJson), ...errorResponses },
      },
    },
    async (req) => {
      const id = pathId('order', req.params.id, 'order');
      return read(req, deps, async (s) => listJson({ data: await listOrderDeliveries(s, id), hasMore: false }, deliveryJson));
    },
  );

  app.get(
    '/v1/deliveries/:id',
    { schema: { tags: ['fulfilment'], summary: 'Get a delivery', params: IdParams, response: { 200: DeliveryJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('delivery', req.params.id, 'delivery');
      return read(req, deps, async (s) => deliveryJson(await getDelivery(s, id)));
    },
  );

  app.post(
    '/v1/deliveries/:id/ship',
    {
      schema: {
        tags: ['fulfilment'],
        summary: 'Mark a delivery shipped',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ShipDeliveryBody,
        response: { 200: DeliveryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('delivery', req.params.id, 'delivery');
      const input = { carrier: req.body?.carrier ?? null, trackingNumber: req.body?.tracking_number ?? null };
      const res = await command(req, deps, 200, async (s, env) => deliveryJson(await shipDelivery(s, env, id, input)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/deliveries/:id/deliver',
    {
      schema: {
        tags: ['fulfilment'],
        summary: 'Mark a shipped delivery delivered; its quantities become invoiceable',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: DeliverDeliveryBody,
        response: { 200: DeliveryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('delivery', req.params.id, 'delivery');
      const input = { deliveredOn: req.body?.delivered_on, proof: req.body?.proof ?? null };
      const res = await command(req, deps, 200, async (s, env) => deliveryJson(await deliverDelivery(s, env, id, input)));
      return sendStored(reply, res);
    },
  );

  for (const [step, summary, run] of [
    ['pick', 'Mark a delivery picked (created → picked)', pickDelivery],
    ['pack', 'Mark a delivery packed (created or picked → packed)', packDelivery],
    ['cancel', 'Cancel a delivery that has not shipped; its quantities are open again on the order', cancelDelivery],
  ] as const) {
    app.post(
      `/v1/deliveries/:id/${step}`,
      {
        schema: {
          tags: ['fulfilment'],
          summary,
          headers: IdempotencyHeaders,
          params: IdParams,
          body: z.strictObject({}).nullish(),
          response: { 200: DeliveryJson, ...errorResponses },
        },
      },
      async (req, reply) => {
        const id = pathId('delivery', req.params.id, 'delivery');
        const res = await command(req, deps, 200, async (s, env) => deliveryJson(await run(s, env, id)));
        return sendStored(reply, res);
      },
    );
  }

  app.post(
    '/v1/orders/:id/lines/:lineNo/complete',
    {
      schema: {
        tags: ['fulfilment'],
        summary: 'Mark (part of) a service line done: creates a service delivery that is already delivered',
        headers: IdempotencyHeaders,
        params: LineParams,
        body: CompleteServiceBody,
        response: { 201: DeliveryJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const lineNo = req.params.lineNo;
      const quantity = parseQuantity(req.body.quantity, 'quantity');
      const rawHours = req.body.hours;
      let hours: Quantity | null = null;
      if (rawHours !== null && rawHours !== undefined) {
        hours = /^0+(\.0+)?$/.test(String(rawHours)) ? ZERO_D : parseQuantity(rawHours, 'hours');
      }
      const res = await command(req, deps, 201, async (s, env) => deliveryJson(await completeServiceLine(s, env, id, lineNo, { quantity, hours })));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/deliveries/:id/pdf',
    {
      schema: {
        tags: ['fulfilment'],
        summary: 'The delivery note (följesedel) as a PDF (Swedish or English)',
        params: IdParams,
        querystring: PdfQuery,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('delivery', req.params.id, 'delivery');
      const env = envFor(deps, actorOf(req));
      const data = await read(req, deps, (s) => deliveryNoteData(s, env, id));
      if (data.delivery.status === 'cancelled') throw new DomainError('delivery_not_shippable', 'The delivery is cancelled; it has no delivery note');
      const language = req.query.lang ?? languageFor(data.buyer.country);
      const pdf = await renderDeliveryNotePdf(toDeliveryNoteDocument(data, language));
      return reply.type('application/pdf').header('content-disposition', `inline; filename="${data.delivery.number}.pdf"`).send(pdf);
    },
  );
}
