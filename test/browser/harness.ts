/**
 * What the browser suites share: Debian's chromium with the flags issue 9 names, the desktop and
 * phone sizes, the axe-core check, signing in through the login form, a server of the test app that
 * serves a freshly built web app on a free port, and `browserSuite`, the whole setup of a suite (test
 * app, users, seed data, server, browser, pages that collect console and page errors, teardown).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { createUserCommitted } from '../../src/app/platform/users.js';
import type { AppDeps } from '../../src/app/shared/env.js';
import { client, type Method } from '../api/helpers.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../support/app.js';
import { buildWebApp } from './build-web.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
export const DESKTOP = { width: 1366, height: 900 };
export const PHONE = { width: 390, height: 844 };
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Intl writes (narrow) no-break spaces in numbers; compare with plain ones. */
export const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  // a string, evaluated in the page (this file is type-checked without the DOM)
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) })))`,
  )) as { id: string; impact: string | null; targets: string[] }[];
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), `axe on ${name}`).toEqual([]);
}

/** The viewport as it is, saved as docs/screenshots/{name}.png. */
export async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: false });
}

/** Fills in the login form (English or Swedish) and submits it. */
export async function signIn(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.getByLabel(/^(E-mail|E-post)$/).fill(who.email);
  await page.getByLabel(/^(Password|Lösenord)$/).fill(who.password);
  await page.getByRole('button', { name: /^(Sign in|Logga in)$/ }).click();
}

/** The app's server with the built web app, listening on a free port of 127.0.0.1; its base URL. */
export async function serveWebApp(deps: AppDeps, webRoot: string): Promise<{ server: FastifyInstance; base: string }> {
  const server = await buildServer({ app: deps, webRoot, authRateLimit: { login: 1000, passwordReset: 1000 } });
  await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, base: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}` };
}

/** The API server alone (no web app of the test's own), listening on a free port of 127.0.0.1; its base URL. */
async function serveApi(deps: AppDeps): Promise<{ server: FastifyInstance; base: string }> {
  const server = await buildServer({ app: deps, portalRateLimit: 1000 });
  await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, base: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}` };
}

/** The id a page's path holds in the first group of `pattern`; throws where the path does not match. */
export function idFrom(page: Page, pattern: RegExp): string {
  const m = pattern.exec(new URL(page.url()).pathname);
  if (!m?.[1]) throw new Error(`${page.url()} does not match ${pattern}`);
  return m[1];
}

export interface BrowserSuiteOptions {
  /** Options of the test app, or a function giving them when the suite starts (PGlite always). */
  app?: TestAppOptions | (() => TestAppOptions);
  /** Users created (committed) before `seed`, in this order. */
  users?: readonly Parameters<typeof createUserCommitted>[3][];
  /** The suite's data, made after the users and before the server listens (`suite.ok` works here). */
  seed?: (t: TestApp) => Promise<void>;
  /** Serve a freshly built web app (the default), or the API server alone (the portal needs no web app). */
  web?: boolean;
  /** Run last in the suite's beforeAll, once the server listens (`suite.base` is there). */
  ready?: () => Promise<void>;
  /** A temporary directory with this prefix, made before the tests and removed after them: `suite.tempDir`. */
  tempDir?: string;
  /** The timeout of the suite's beforeAll (building the web app and seeding take a while). */
  timeout?: number;
}

export interface PageOptions {
  locale?: string;
  /** Phone size (390×844) with touch, instead of the desktop size. */
  phone?: boolean;
  deviceScaleFactor?: number;
}

export interface BrowserSuite {
  /** These are there once the suite's beforeAll has run (reading them earlier throws). */
  readonly t: TestApp;
  readonly base: string;
  readonly browser: Browser;
  readonly tempDir: string;
  /** Console errors and page errors of every page the suite opened (a test may add its own). */
  readonly problems: string[];
  /** A new browser context and page: desktop size and en-GB unless told otherwise (a string is the locale). */
  newPage(options?: string | PageOptions): Promise<Page>;
  /** GET with the test's API key: the JSON body, whatever the status. */
  apiGet(url: string): Promise<any>;
  /** The API with the test's API key (test/api/helpers.ts `client`). */
  call: ReturnType<typeof client>['call'];
  /** The same, throwing on a status of 300 or more; the JSON body. */
  ok: (method: Method, url: string, payload?: unknown, headers?: Record<string, string>) => Promise<any>;
}

/**
 * Registers a browser suite's beforeAll and afterAll (call it in a describe) and returns the suite's
 * pieces: the test app on PGlite with its users and seed data, the app's server with the built web
 * app, Debian's chromium, and pages whose console errors and page errors land in `problems`.
 */
export function browserSuite(options: BrowserSuiteOptions = {}): BrowserSuite {
  let t: TestApp | undefined;
  let server: FastifyInstance | undefined;
  let base: string | undefined;
  let browser: Browser | undefined;
  let tempDir: string | undefined;
  const problems: string[] = [];
  const there = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`the browser suite's ${name} is there only once its beforeAll has run`);
    return value;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    const appOptions = typeof options.app === 'function' ? options.app() : options.app;
    const web = options.web ?? true;
    const [app, webRoot] = await Promise.all([createTestApp('pglite', appOptions), web ? buildWebApp() : undefined]);
    t = app;
    for (const user of options.users ?? []) await createUserCommitted(t.db, t.deps, t.tenantId, user);
    await options.seed?.(t);
    ({ server, base } = webRoot === undefined ? await serveApi(t.deps) : await serveWebApp(t.deps, webRoot));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
    if (options.tempDir !== undefined) tempDir = mkdtempSync(join(tmpdir(), options.tempDir));
    await options.ready?.();
  }, options.timeout ?? 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  async function newPage(o: string | PageOptions = {}): Promise<Page> {
    const { locale = 'en-GB', phone = false, deviceScaleFactor } = typeof o === 'string' ? { locale: o } : o;
    const context = await there(browser, 'browser').newContext({
      ...(phone ? { viewport: PHONE, isMobile: true, hasTouch: true } : { viewport: DESKTOP }),
      ...(deviceScaleFactor === undefined ? {} : { deviceScaleFactor }),
      locale,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // anything the Content-Security-Policy refuses, or any script error, fails the suite; refused
    // requests are the pages' business (they show the API's message, or a test checks the response)
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    return page;
  }

  return {
    get t() {
      return there(t, 't');
    },
    get base() {
      return there(base, 'base');
    },
    get browser() {
      return there(browser, 'browser');
    },
    get tempDir() {
      return there(tempDir, 'tempDir');
    },
    problems,
    newPage,
    apiGet: async (url) => (await there(t, 't').server.inject({ method: 'GET', url, headers: { authorization: `Bearer ${there(t, 't').apiKey}` } })).json(),
    call: (...args) => client(there(t, 't')).call(...args),
    ok: (...args) => client(there(t, 't')).ok(...args),
  };
}
