/**
 * Webhook endpoints (issue 8, part 5): a tenant registers a URL for event types; the secret that signs
 * its deliveries is made here and shown once. Deliveries can be listed and sent again by hand.
 */
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { Id } from '../../core/shared/ids.js';
import type { Store, WebhookEndpointRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { ADMIN_ROLES, requireRole } from '../shared/roles.js';

/** The event types q2c emits that an endpoint may subscribe to; '*' subscribes to all. */
export const WEBHOOK_EVENT_TYPES = [
  'quote.sent', 'quote.accepted', 'quote.declined', 'quote.expired', 'quote.approved', 'quote.approval_requested',
  'order.created', 'order.confirmed', 'order.on_hold', 'order.amended', 'order.closed',
  'delivery.shipped', 'delivery.delivered', 'delivery.accepted', 'delivery.disputed',
  'claim.reported', 'claim.resolved', 'claim.rejected',
  'invoice.issued', 'invoice.sent', 'invoice.overdue', 'invoice.paid', 'invoice.written_off', 'write_off.approval_requested',
  'credit_note.issued', 'payment.received', 'payment.applied', 'payment.unapplied', 'payment.returned', 'refund.created',
  'reminder.sent', 'customer.created', 'customer.updated', 'journal_entry.posted', 'journal_entry.reversed',
  'books.periods_closed', 'books.fiscal_year_closed', 'webhook_endpoint.disabled',
] as const;

const KNOWN: ReadonlySet<string> = new Set<string>(WEBHOOK_EVENT_TYPES);

/** Only an admin manages webhooks (they receive every event's data). */
const requireAdmin = (env: Env) => requireRole(env, ADMIN_ROLES, 'manage webhooks');

function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid('url', 'must be an absolute http or https URL');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw invalid('url', 'must be an http or https URL');
  if (u.username !== '' || u.password !== '') throw invalid('url', 'must not carry a user name or password');
  return u.toString();
}

function checkEventTypes(types: readonly string[]): string[] {
  if (types.length === 0) throw invalid('event_types', 'subscribe to at least one event type (or "*")');
  types.forEach((t, i) => {
    if (t !== '*' && !KNOWN.has(t)) throw invalid(`event_types.${i}`, `unknown event type '${t}'; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  });
  return [...new Set(types)];
}

export async function createWebhookEndpoint(
  s: Store,
  env: Env,
  input: { url: string; description?: string | null | undefined; eventTypes: string[] },
  secret: string,
): Promise<WebhookEndpointRecord> {
  requireAdmin(env);
  const now = env.clock.now();
  const endpoint: WebhookEndpointRecord = {
    id: env.ids.next('webhookEndpoint'),
    url: checkUrl(input.url),
    description: input.description ?? null,
    eventTypes: checkEventTypes(input.eventTypes),
    secret,
    enabled: true,
    disabledReason: null,
    consecutiveFailures: 0,
    createdAt: now,
    updatedAt: now,
  };
  await s.webhooks.insertEndpoint(endpoint);
  await recordChange(s, env, {
    action: 'webhook_endpoint.created',
    entityType: 'webhook_endpoint',
    entityId: endpoint.id,
    data: { after: { url: endpoint.url, event_types: endpoint.eventTypes } },
  });
  return endpoint;
}

export async function updateWebhookEndpoint(
  s: Store,
  env: Env,
  id: Id<'webhookEndpoint'>,
  patch: { url?: string | undefined; description?: string | null | undefined; eventTypes?: string[] | undefined; enabled?: boolean | undefined },
): Promise<WebhookEndpointRecord> {
  requireAdmin(env);
  const before = await s.webhooks.getEndpoint(id);
  if (!before) throw notFound('webhook endpoint', id);
  const p: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean } = {};
  if (patch.url !== undefined) p.url = checkUrl(patch.url);
  if (patch.description !== undefined) p.description = patch.description;
  if (patch.eventTypes !== undefined) p.eventTypes = checkEventTypes(patch.eventTypes);
  if (patch.enabled !== undefined) p.enabled = patch.enabled;
  await s.webhooks.updateEndpoint(id, p, env.clock.now());
  const after = (await s.webhooks.getEndpoint(id))!;
  await recordChange(s, env, {
    action: 'webhook_endpoint.updated',
    entityType: 'webhook_endpoint',
    entityId: id,
    data: {
      before: { url: before.url, event_types: before.eventTypes, enabled: before.enabled },
      after: { url: after.url, event_types: after.eventTypes, enabled: after.enabled },
    },
  });
  return after;
}

/** Sends a delivery again (whatever its state): it is queued, due now, with its attempts kept. */
export async function redeliverWebhook(s: Store, env: Env, id: Id<'webhookDelivery'>) {
  requireAdmin(env);
  const delivery = await s.webhooks.getDelivery(id);
  if (!delivery) throw notFound('webhook delivery', id);
  const endpoint = await s.webhooks.getEndpoint(delivery.endpointId);
  if (!endpoint?.enabled) throw new DomainError('conflict', 'The endpoint is disabled; enable it first', 'id');
  await s.webhooks.requeueDelivery(id, env.clock.now());
  await recordChange(s, env, { action: 'webhook_delivery.requeued', entityType: 'webhook_delivery', entityId: id, data: { previous_status: delivery.status } });
  return (await s.webhooks.getDelivery(id))!;
}
