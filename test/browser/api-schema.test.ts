/** The web app's API types (web/src/api/schema.d.ts) are what the server's OpenAPI document says today. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateApiSchema, SCHEMA_FILE } from '../../scripts/gen-api.js';

describe('web API types', () => {
  it('match the OpenAPI document (run `npm run gen:api` after changing a route)', async () => {
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    const fresh = await generateApiSchema();
    // a readable failure: the first line that differs, not a 15 000-line diff
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    const firstDifference = at === -1 && a.length === b.length ? null : { line: (at === -1 ? Math.min(a.length, b.length) : at) + 1, committed: a[at], generated: b[at] };
    expect(firstDifference, 'web/src/api/schema.d.ts is stale: run `npm run gen:api`').toBeNull();
    expect(fresh).toContain('"/v1/customers": {');
  });
});
