/**
 * Webhook endpoints, their deliveries and the events (issue 8, part 5). The signing secret is returned
 * once, when the endpoint is created. GET /v1/events lists and re-fetches what webhooks deliver.
 */
import { z } from 'zod';
import { createWebhookEndpoint, redeliverWebhook, updateWebhookEndpoint } from '../../app/webhooks/endpoints.js';
import type { AppDeps } from '../../app/shared/env.js';
import type { EventRecord, WebhookDeliveryRecord, WebhookEndpointRecord } from '../../app/ports.js';
import { notFound } from '../../core/shared/errors.js';
import { newWebhookSecret } from '../../integrations/webhooks/signature.js';
import { command, read, sendStored } from '../command.js';
import { type Api, errorResponses, IdempotencyHeaders, IdParams, pageOf, pageQueryShape, pathId } from '../http.js';
import { Instant, listJson, listSchema } from '../serialize.js';

const EndpointJson = z
  .object({
    object: z.literal('webhook_endpoint'),
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    event_types: z.array(z.string()),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable(),
    consecutive_failures: z.number().int(),
    secret: z.string().optional().describe('The HMAC-SHA256 signing secret; returned only when the endpoint is created'),
    created_at: Instant,
    updated_at: Instant,
  })
  .meta({ id: 'WebhookEndpoint' });

const DeliveryJson = z
  .object({
    object: z.literal('webhook_delivery'),
    id: z.string(),
    endpoint_id: z.string(),
    event_id: z.string(),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: Instant.nullable(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    delivered_at: Instant.nullable(),
    created_at: Instant,
  })
  .meta({ id: 'WebhookDelivery' });

const EventJson = z
  .object({ object: z.literal('event'), id: z.string(), type: z.string(), created_at: Instant, data: z.unknown() })
  .meta({ id: 'Event' });

const endpointJson = (e: WebhookEndpointRecord, withSecret = false): z.output<typeof EndpointJson> => ({
  object: 'webhook_endpoint',
  id: e.id,
  url: e.url,
  description: e.description,
  event_types: e.eventTypes,
  enabled: e.enabled,
  disabled_reason: e.disabledReason,
  consecutive_failures: e.consecutiveFailures,
  ...(withSecret ? { secret: e.secret } : {}),
  created_at: e.createdAt.toISOString(),
  updated_at: e.updatedAt.toISOString(),
});

const deliveryJson = (d: WebhookDeliveryRecord): z.output<typeof DeliveryJson> => ({
  object: 'webhook_delivery',
  id: d.id,
  endpoint_id: d.endpointId,
  event_id: d.eventId,
  event_type: d.eventType,
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
  last_status_code: d.lastStatusCode,
  last_error: d.lastError,
  delivered_at: d.deliveredAt?.toISOString() ?? null,
  created_at: d.createdAt.toISOString(),
});

const eventJson = (e: EventRecord): z.output<typeof EventJson> => ({ object: 'event', id: e.id, type: e.eventType, created_at: e.createdAt.toISOString(), data: e.payload });

const EventTypes = z.array(z.string().max(100)).min(1).max(100);

export function webhookRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/webhook-endpoints',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Register an endpoint for event types; the response carries its signing secret, shown only this once',
        headers: IdempotencyHeaders,
        body: z.strictObject({ url: z.string().max(2000), description: z.string().max(200).nullish(), event_types: EventTypes }),
        response: { 201: EndpointJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const secret = newWebhookSecret();
      const res = await command(req, deps, 201, async (s, env) =>
        endpointJson(await createWebhookEndpoint(s, env, { url: req.body.url, description: req.body.description, eventTypes: req.body.event_types }, secret), true),
      );
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/webhook-endpoints',
    { schema: { tags: ['webhooks'], summary: 'List webhook endpoints', querystring: z.strictObject(pageQueryShape), response: { 200: listSchema(EndpointJson), ...errorResponses } } },
    async (req) => read(req, deps, async (s) => listJson(await s.webhooks.listEndpoints(pageOf('webhookEndpoint', req.query)), (e) => endpointJson(e))),
  );

  app.get(
    '/v1/webhook-endpoints/:id',
    { schema: { tags: ['webhooks'], summary: 'A webhook endpoint', params: IdParams, response: { 200: EndpointJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('webhookEndpoint', req.params.id, 'webhook endpoint');
      return read(req, deps, async (s) => {
        const e = await s.webhooks.getEndpoint(id);
        if (!e) throw notFound('webhook endpoint', id);
        return endpointJson(e);
      });
    },
  );

  app.patch(
    '/v1/webhook-endpoints/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Change the URL or event types, or disable / re-enable (re-enabling resumes its pending deliveries)',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: z.strictObject({ url: z.string().max(2000).optional(), description: z.string().max(200).nullish(), event_types: EventTypes.optional(), enabled: z.boolean().optional() }),
        response: { 200: EndpointJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('webhookEndpoint', req.params.id, 'webhook endpoint');
      const res = await command(req, deps, 200, async (s, env) =>
        endpointJson(await updateWebhookEndpoint(s, env, id, { url: req.body.url, description: req.body.description, eventTypes: req.body.event_types, enabled: req.body.enabled })),
      );
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/webhook-endpoints/:id/deliveries',
    {
      schema: { tags: ['webhooks'], summary: "An endpoint's deliveries (oldest first)", params: IdParams, querystring: z.strictObject(pageQueryShape), response: { 200: listSchema(DeliveryJson), ...errorResponses } },
    },
    async (req) => {
      const id = pathId('webhookEndpoint', req.params.id, 'webhook endpoint');
      return read(req, deps, async (s) => {
        if (!(await s.webhooks.getEndpoint(id))) throw notFound('webhook endpoint', id);
        return listJson(await s.webhooks.listDeliveries(id, pageOf('webhookDelivery', req.query)), deliveryJson);
      });
    },
  );

  app.post(
    '/v1/webhook-deliveries/:id/redeliver',
    {
      schema: { tags: ['webhooks'], summary: 'Send a delivery again (queued, due now)', headers: IdempotencyHeaders, params: IdParams, response: { 200: DeliveryJson, ...errorResponses } },
    },
    async (req, reply) => {
      const id = pathId('webhookDelivery', req.params.id, 'webhook delivery');
      const res = await command(req, deps, 200, async (s, env) => deliveryJson(await redeliverWebhook(s, env, id)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/events',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Events (oldest first), as webhooks deliver them',
        querystring: z.strictObject({ ...pageQueryShape, type: z.string().max(100).optional().describe('Only events of this type') }),
        response: { 200: listSchema(EventJson), ...errorResponses },
      },
    },
    async (req) =>
      read(req, deps, async (s) => listJson(await s.webhooks.listEvents(pageOf('event', req.query), req.query.type === undefined ? {} : { eventType: req.query.type }), eventJson)),
  );

  app.get(
    '/v1/events/:id',
    { schema: { tags: ['webhooks'], summary: 'One event, as its webhook delivered it', params: IdParams, response: { 200: EventJson, ...errorResponses } } },
    async (req) =>
      read(req, deps, async (s) => {
        const e = await s.webhooks.getEvent(req.params.id);
        if (!e) throw notFound('event', req.params.id);
        return eventJson(e);
      }),
  );
}
