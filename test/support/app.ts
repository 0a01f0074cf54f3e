/**
 * A running API over an isolated test database: tenant seeded, one API key created, the server built
 * exactly as production builds it (only the database, clock and ids are handed in).
 *
 *   describe.each(TEST_DATABASES)('… [%s]', (kind) => {
 *     let t: TestApp;
 *     beforeAll(async () => { t = await createTestApp(kind); });
 *     afterAll(async () => { await t?.close(); });
 *     it('…', async () => { await t.server.inject({ url: '/v1/customers', headers: { authorization: `Bearer ${t.apiKey}` } }); });
 *   });
 */
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.js';
import { afterAll, beforeAll } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import type { Clock, Database } from '../../src/app/ports.js';
import { fixedClock, systemClock } from '../../src/app/shared/clock.js';
import type { AppDeps } from '../../src/app/shared/env.js';
import { createIdGenerator } from '../../src/app/shared/ids.js';
import { BAS_DEFAULTS } from '../../src/core/ledger/accounts.js';
import type { TenantId } from '../../src/core/shared/ids.js';
import { createTestDb, seedTenant, type TestDbKind, type TestDbOptions } from './databases.js';

export interface TestApp {
  kind: TestDbKind;
  server: FastifyInstance;
  /** A valid API key of the seeded tenant (send as `Authorization: Bearer <apiKey>`). */
  apiKey: string;
  db: Database;
  /** The raw database, for tests that go around the application on purpose. */
  kysely: Kysely<DB>;
  tenantId: TenantId;
  deps: AppDeps;
  close(): Promise<void>;
}

export interface TestAppOptions extends TestDbOptions {
  /** Pin the clock to this instant; the system clock otherwise. */
  now?: Date;
  logger?: boolean;
  /** Portal requests per minute per client; tests default to 1000 so suites that click through the portal are not slowed. */
  portalRateLimit?: number;
  /** Where log lines go when `logger` is on. */
  logStream?: { write(line: string): void };
  /** A clock of the test's own (a settableClock to move time); wins over `now`. */
  clock?: Clock;
  /** The password pepper (TEST_PEPPER by default). */
  pepper?: string;
  /** Login and password-reset requests per minute; tests default to 1000 so suites that sign in often are not slowed. */
  authRateLimit?: { login: number; passwordReset: number; loginPerClient?: number };
}

/** The pepper of test apps: fixed, so a test can recompute what the server derives from it. */
export const TEST_PEPPER = 'test-pepper-0123456789abcdefghijklmnopqrstuvwxyz';

export async function createTestApp(kind: TestDbKind, options: TestAppOptions = {}): Promise<TestApp> {
  const testDb = await createTestDb(kind, options.max === undefined ? {} : { max: options.max });
  try {
    const tenantId = await seedTenant(testDb.db);
    const deps: AppDeps = {
      db: testDb.db,
      clock: options.clock ?? (options.now ? fixedClock(options.now) : systemClock()),
      ids: createIdGenerator(),
      accounts: BAS_DEFAULTS,
      secrets: { pepper: options.pepper ?? TEST_PEPPER },
    };
    const { key } = await createApiKey(testDb.db, deps, { tenantId, name: 'test' });
    const server = await buildServer({ app: deps, logger: options.logger ?? false, portalRateLimit: options.portalRateLimit ?? 1000, authRateLimit: options.authRateLimit ?? { login: 1000, passwordReset: 1000 }, ...(options.logStream ? { logStream: options.logStream } : {}) });
    await server.ready();
    return {
      kind,
      server,
      apiKey: key,
      db: testDb.db,
      kysely: testDb.kysely,
      tenantId,
      deps,
      async close() {
        try {
          await server.close();
        } finally {
          await testDb.close();
        }
      },
    };
  } catch (error) {
    await testDb.close();
    throw error;
  }
}

/**
 * One test app per describe block: created before its tests and closed after them. The returned
 * object is filled in by beforeAll, so use its fields inside tests only.
 *
 *   describe.each(TEST_DATABASES)('… [%s]', (kind) => {
 *     const t = useTestApp(kind);
 *     it('…', async () => { await t.server.inject(…); });
 *   });
 */
export function useTestApp(kind: TestDbKind, options: TestAppOptions = {}): TestApp {
  const holder = {} as TestApp;
  beforeAll(async () => {
    Object.assign(holder, await createTestApp(kind, options));
  });
  afterAll(async () => {
    await holder.close?.();
  });
  return holder;
}
