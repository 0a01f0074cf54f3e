/**
 * The scheduled job that expires quotes: every version still open (draft … sent) whose validity ended
 * before today becomes expired, each with its audit row and event. Safe to run any number of times.
 */
import type { Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';

export async function expireQuotes(s: Store, env: Env): Promise<{ id: string; number: string; version: number }[]> {
  const expired = await s.quotes.expireDue(env.clock.today(), env.clock.now());
  for (const q of expired) {
    await recordChange(s, env, {
      action: 'quote.expired',
      entityType: 'quote',
      entityId: q.id,
      data: { number: q.number, version: q.version },
      event: { type: 'quote.expired', payload: { id: q.id, number: q.number, version: q.version } },
    });
  }
  return expired;
}
