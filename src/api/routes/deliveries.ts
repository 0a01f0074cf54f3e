/** Deliveries: created for a confirmed order's open quantities, then shipped and delivered. */
import { z } from 'zod';
import { parseQuantity } from '../../core/money/quantity.js';
import { createDelivery, type CreateDeliveryInput } from '../../app/fulfilment/create-delivery.js';
import { deliverDelivery, getDelivery, listOrderDeliveries, shipDelivery } from '../../app/fulfilment/ship-delivery.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { type Api, DateInput, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, optionalText, pathId } from '../http.js';
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
  })
  .nullish();

export const ShipDeliveryBody = z
  .strictObject({
    carrier: optionalText(100),
    tracking_number: optionalText(100),
  })
  .nullish();

export const DeliverDeliveryBody = z.strictObject({ delivered_on: DateInput.optional().describe('Defaults to today') }).nullish();

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
      const input: CreateDeliveryInput = {
        lines: req.body?.lines?.map((l, i) => ({ orderLineNo: l.order_line_no, quantity: parseQuantity(l.quantity, `lines.${i}.quantity`) })),
      };
      const res = await command(req, deps, 201, async (s, env) => deliveryJson(await createDelivery(s, env, id, input)));
      return sendStored(reply, res);
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
      const input = { deliveredOn: req.body?.delivered_on };
      const res = await command(req, deps, 200, async (s, env) => deliveryJson(await deliverDelivery(s, env, id, input)));
      return sendStored(reply, res);
    },
  );
}
