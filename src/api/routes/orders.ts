import { z } from 'zod';
import { confirmOrder, getOrder } from '../../app/orders/confirm-order.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { type Api, errorResponses, IdempotencyHeaders, IdParams, PageQuery, pageOf, pathId } from '../http.js';
import { listJson, listSchema, OrderJson, orderJson } from '../serialize.js';

const EmptyBody = z.strictObject({}).nullish();

export function orderRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/orders',
    {
      schema: { tags: ['orders'], summary: 'List sales orders (oldest first)', querystring: PageQuery, response: { 200: listSchema(OrderJson), ...errorResponses } },
    },
    async (req) => {
      const page = pageOf('order', req.query);
      return read(req, deps, async (s) => listJson(await s.orders.list(page), orderJson));
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
        summary: 'Confirm an order; only a confirmed order can be delivered and invoiced',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: EmptyBody,
        response: { 200: OrderJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('order', req.params.id, 'order');
      const res = await command(req, deps, 200, async (s, env) => orderJson(await confirmOrder(s, env, id)));
      return sendStored(reply, res);
    },
  );
}
