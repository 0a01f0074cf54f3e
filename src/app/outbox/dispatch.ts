/**
 * Delivers outbox events: the side effects (e-mail, later webhooks) of changes that were committed.
 *
 * Use cases write an event into `outbox` in the same transaction as the change it announces
 * (shared/record.ts), so an event exists if and only if its change committed. This use case claims
 * a batch of due events, runs the handler of each and marks it published, or failed with a retry time.
 *
 * Delivery is AT LEAST ONCE, never exactly once: a worker that crashes (or loses the database)
 * after a handler succeeded but before the event is marked published delivers it again once the
 * claim's lease runs out. Handlers must therefore tolerate a repeat (an e-mail sent twice is
 * acceptable; a payment must carry an idempotency key).
 *
 * The claim is a short transaction: it locks due rows (`FOR UPDATE SKIP LOCKED`, so concurrent
 * workers on PostgreSQL take disjoint batches) and leases them by moving `next_attempt_at` a few
 * minutes ahead. The handlers then run outside any transaction: no row lock is held across SMTP
 * I/O, and handlers may open their own transactions (PGlite has a single connection).
 */
import type { TenantId } from '../../core/shared/ids.js';
import type { Clock } from '../ports.js';

export interface OutboxEventRow {
  tenantId: TenantId;
  id: string;
  eventType: string;
  payload: unknown;
  createdAt: Date;
  /** Failed deliveries so far. */
  attempts: number;
}

/** The outbox as the dispatcher sees it, across all tenants. Implemented in src/db/repositories/outbox-dispatch.ts. */
export interface OutboxDispatchStore {
  /**
   * Unpublished events that are due at `now` (fresh, or past their retry time or lease), oldest
   * first, at most `limit`; locks them and leases them until `leaseUntil` (their `next_attempt_at`),
   * so that no other worker claims them before they are marked. Events given up on are never due.
   */
  claimBatch(limit: number, now: Date, leaseUntil: Date): Promise<OutboxEventRow[]>;
  markPublished(tenantId: TenantId, id: string, at: Date): Promise<void>;
  /** One more failed attempt with its error; `nextAttemptAt` null = give up (the row stays, with its last error). */
  markFailed(tenantId: TenantId, id: string, error: string, nextAttemptAt: Date | null): Promise<void>;
}

/** Delivers one event type. Throwing means "failed, retry later"; returning means "done". */
export interface OutboxHandler {
  eventType: string;
  handle(event: OutboxEventRow): Promise<void>;
}

/** A pino-compatible logger (Fastify's `server.log` fits). */
export interface OutboxLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface OutboxDispatchDeps {
  /** Autocommit access, for marking events after their handler ran. */
  store: OutboxDispatchStore;
  /** Runs fn in one transaction over the outbox (for the claim). */
  runInTransaction<T>(fn: (store: OutboxDispatchStore) => Promise<T>): Promise<T>;
  handlers: OutboxHandler[];
  /** Runs for every event before its handler (webhook fan-out); throwing fails the event like a handler. */
  fanOut?: (event: OutboxEventRow) => Promise<void>;
  clock: Clock;
  log?: OutboxLog;
}

export interface DispatchResult {
  published: number;
  failed: number;
}

/** Failed deliveries after which an event is given up on. */
export const MAX_ATTEMPTS = 10;
/** How long a claim holds an event before another worker may take it (longer than any handler takes). */
export const CLAIM_LEASE_MS = 5 * 60 * 1000;
export const MAX_BATCH = 1000;
const BACKOFF_BASE_MS = 60 * 1000;
const BACKOFF_MAX_MS = 60 * 60 * 1000;
/** Longest error text kept on the row. */
const MAX_ERROR_LENGTH = 2000;

/** Wait before attempt n+1 after the n-th failure: 1 min, 2, 4, … capped at 1 h. */
export function retryDelayMs(failures: number): number {
  if (!Number.isInteger(failures) || failures < 1) throw new Error(`failures must be a positive integer, got ${failures}`);
  return Math.min(BACKOFF_BASE_MS * 2 ** (failures - 1), BACKOFF_MAX_MS);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

export async function dispatchOutbox(deps: OutboxDispatchDeps, limit: number): Promise<DispatchResult> {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BATCH) {
    throw new Error(`limit must be an integer between 1 and ${MAX_BATCH}, got ${limit}`);
  }
  const handlers = new Map<string, OutboxHandler>();
  for (const h of deps.handlers) {
    if (handlers.has(h.eventType)) throw new Error(`two outbox handlers for '${h.eventType}'`);
    handlers.set(h.eventType, h);
  }

  const now = deps.clock.now();
  const batch = await deps.runInTransaction((s) => s.claimBatch(limit, now, new Date(now.getTime() + CLAIM_LEASE_MS)));

  const result: DispatchResult = { published: 0, failed: 0 };
  for (const event of batch) {
    try {
      await deps.fanOut?.(event);
      // No handler: nothing subscribes to this event type (yet), so there is nothing to deliver.
      await handlers.get(event.eventType)?.handle(event);
      await deps.store.markPublished(event.tenantId, event.id, deps.clock.now());
      result.published++;
    } catch (error) {
      const failures = event.attempts + 1;
      const giveUp = failures >= MAX_ATTEMPTS;
      const next = giveUp ? null : new Date(deps.clock.now().getTime() + retryDelayMs(failures));
      await deps.store.markFailed(event.tenantId, event.id, errorText(error), next);
      result.failed++;
      const context = { err: error, eventId: event.id, eventType: event.eventType, tenantId: event.tenantId, attempts: failures };
      if (giveUp) deps.log?.error(context, `outbox event given up after ${failures} failed attempts`);
      else deps.log?.warn({ ...context, nextAttemptAt: next }, 'outbox event failed; will retry');
    }
  }
  return result;
}
