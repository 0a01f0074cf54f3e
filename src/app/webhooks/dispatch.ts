/**
 * Webhook delivery (issue 8, part 5), from the transactional outbox:
 *
 * 1. Fan-out: when the outbox dispatcher handles an event, `fanOutWebhooks` creates one pending delivery
 *    for every enabled endpoint of the tenant subscribed to the event's type (idempotent: one per
 *    endpoint and event, so a re-dispatched event adds nothing).
 * 2. Delivery: `deliverWebhooks` claims due deliveries (a short lease, FOR UPDATE SKIP LOCKED, so
 *    several workers share the work), POSTs each as JSON signed with the endpoint's secret
 *    (integrations/webhooks/signature.ts: HMAC-SHA256 over timestamp and body), and marks it
 *    delivered on a 2xx answer. Anything else is a failure, retried with exponential backoff and
 *    jitter until MAX_DELIVERY_ATTEMPTS; an endpoint that fails DISABLE_AFTER_FAILURES times in a row is
 *    disabled, with an outbox event `webhook_endpoint.disabled` as the notice, and resumes (with its
 *    pending deliveries) when re-enabled. A delivery can be sent again by hand (redeliver).
 *
 * At least once: a receiver may see a delivery twice (a crash between its 2xx and our mark) and should
 * deduplicate on the event id (`Q2c-Event-Id`, also `id` in the body).
 */
import { isInternalEventType } from '../outbox/internal-events.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { Clock } from '../ports.js';

export interface WebhookSender {
  /** POSTs the body; resolves with the answer's status (any), throws on a network error or timeout. */
  send(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }>;
}

export interface DueDelivery {
  tenantId: TenantId;
  id: string;
  endpointId: string;
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  eventCreatedAt: Date;
  payload: unknown;
  /** Failed attempts so far. */
  attempts: number;
}

/** Webhook rows across tenants, for the worker. Implemented in src/db/repositories/webhooks.ts. */
export interface WebhookDispatchStore {
  /** Pending deliveries for an event's subscribers; returns how many were created. */
  fanOut(event: { tenantId: TenantId; id: string; eventType: string }, now: Date): Promise<number>;
  /** Due pending deliveries of enabled endpoints, oldest first, leased until `leaseUntil`. */
  claimDue(limit: number, now: Date, leaseUntil: Date): Promise<DueDelivery[]>;
  /** Delivered; the endpoint's failure streak ends. */
  markDelivered(d: DueDelivery, status: number, at: Date): Promise<void>;
  /**
   * One more failed attempt: the delivery's error and next try (null = given up, status failed); the
   * endpoint's failure streak grows. Returns the endpoint's streak after this failure.
   */
  markFailed(d: DueDelivery, failure: { status: number | null; error: string }, nextAttemptAt: Date | null): Promise<number>;
  /** Disables an endpoint (when enabled) and writes the notice event; false when it already was disabled. */
  disableEndpoint(tenantId: TenantId, endpointId: string, reason: string, at: Date): Promise<boolean>;
}

export interface WebhookLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WebhookDeliveryDeps {
  store: WebhookDispatchStore;
  sender: WebhookSender;
  clock: Clock;
  /** [0, 1); Math.random by default (tests pin it). */
  random?: () => number;
  /** Consecutive failures after which an endpoint is disabled; DISABLE_AFTER_FAILURES by default. */
  disableAfter?: number;
  /** Signs a body (integrations/webhooks/signature.ts signWebhook). */
  sign(secret: string, timestampSeconds: number, body: string): string;
  log?: WebhookLog;
}

export const MAX_DELIVERY_ATTEMPTS = 12;
export const DISABLE_AFTER_FAILURES = 20;
export const DELIVERY_LEASE_MS = 2 * 60 * 1000;
const BACKOFF_BASE_MS = 30 * 1000;
const BACKOFF_MAX_MS = 6 * 60 * 60 * 1000;

/**
 * The wait after the n-th failed attempt: 30 s × 2^(n−1), capped at 6 h, then "equal jitter": a
 * uniformly random point in its upper half, so endpoints that failed together do not retry together.
 */
export function webhookRetryDelayMs(failures: number, random: () => number): number {
  if (!Number.isInteger(failures) || failures < 1) throw new Error(`failures must be a positive integer, got ${failures}`);
  const cap = Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
  return Math.round(cap / 2 + random() * (cap / 2));
}

/** The body a receiver gets: the event as GET /v1/events/{id} shows it. */
export function webhookBody(d: Pick<DueDelivery, 'eventId' | 'eventType' | 'eventCreatedAt' | 'payload'>): string {
  return JSON.stringify({ object: 'event', id: d.eventId, type: d.eventType, created_at: d.eventCreatedAt.toISOString(), data: d.payload });
}

export async function fanOutWebhooks(store: Pick<WebhookDispatchStore, 'fanOut'>, clock: Clock, event: { tenantId: TenantId; id: string; eventType: string }) {
  // internal events (a password reset to mail) never leave the installation, whatever '*' subscribes to
  if (isInternalEventType(event.eventType)) return 0;
  return store.fanOut(event, clock.now());
}

export async function deliverWebhooks(deps: WebhookDeliveryDeps, limit: number): Promise<{ delivered: number; failed: number }> {
  const now = deps.clock.now();
  const due = await deps.store.claimDue(limit, now, new Date(now.getTime() + DELIVERY_LEASE_MS));
  const random = deps.random ?? Math.random;
  const disableAfter = deps.disableAfter ?? DISABLE_AFTER_FAILURES;
  const result = { delivered: 0, failed: 0 };
  for (const d of due) {
    const body = webhookBody(d);
    const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
    const headers = {
      'q2c-signature': deps.sign(d.secret, timestamp, body),
      'q2c-event-id': d.eventId,
      'q2c-event-type': d.eventType,
      'q2c-delivery-id': d.id,
    };
    let failure: { status: number | null; error: string };
    try {
      const res = await deps.sender.send(d.url, headers, body);
      if (res.status >= 200 && res.status < 300) {
        await deps.store.markDelivered(d, res.status, deps.clock.now());
        result.delivered++;
        continue;
      }
      failure = { status: res.status, error: `HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ''}` };
    } catch (error) {
      failure = { status: null, error: error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : String(error).slice(0, 500) };
    }
    const attempts = d.attempts + 1;
    const next = attempts >= MAX_DELIVERY_ATTEMPTS ? null : new Date(deps.clock.now().getTime() + webhookRetryDelayMs(attempts, random));
    const streak = await deps.store.markFailed(d, failure, next);
    result.failed++;
    deps.log?.warn({ tenantId: d.tenantId, endpointId: d.endpointId, deliveryId: d.id, attempts, error: failure.error }, 'webhook delivery failed');
    if (streak >= disableAfter) {
      const reason = `Disabled after ${streak} failed deliveries in a row; last: ${failure.error}`;
      if (await deps.store.disableEndpoint(d.tenantId, d.endpointId, reason, deps.clock.now())) {
        deps.log?.error({ tenantId: d.tenantId, endpointId: d.endpointId }, 'webhook endpoint disabled');
      }
    }
  }
  return result;
}
