/** The web app's copies of the permission matrix (it hides what a role may not do) and of the webhook event types are the server's. */
import { describe, expect, it } from 'vitest';
import { PERMISSIONS as SERVER, ROLES } from '../../src/app/shared/permissions.js';
import { WEBHOOK_EVENT_TYPES as SERVER_EVENTS } from '../../src/app/webhooks/endpoints.js';
import { mayUse, PERMISSIONS as WEB } from '../../web/src/permissions.js';
import { WEBHOOK_EVENT_TYPES as WEB_EVENTS } from '../../web/src/webhook-events.js';

describe('web permissions', () => {
  it('equal the server\'s matrix, permission by permission', () => {
    expect(Object.keys(WEB).sort()).toEqual(Object.keys(SERVER).sort());
    for (const [permission, roles] of Object.entries(SERVER)) {
      expect([...WEB[permission as keyof typeof WEB]].sort(), permission).toEqual([...roles].sort());
    }
  });

  it('let a viewer read but never write', () => {
    expect(ROLES).toContain('viewer');
    expect(mayUse('viewer', 'documents.read')).toBe(true);
    const writes = Object.keys(WEB).filter((p) => p !== 'documents.read' && p !== 'books.read' && p !== 'self') as (keyof typeof WEB)[];
    expect(writes.filter((p) => mayUse('viewer', p))).toEqual([]);
    expect(mayUse('sales', 'quotes.write')).toBe(true);
    expect(mayUse('sales', 'books.read')).toBe(false);
  });

  it("offer exactly the server's webhook event types", () => {
    expect([...WEB_EVENTS]).toEqual([...SERVER_EVENTS]);
  });
});
