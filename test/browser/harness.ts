/**
 * What the browser suites share: Debian's chromium with the flags issue 9 names, the desktop size
 * of the screenshots, the axe-core check, signing in through the login form, and a server of the
 * test app that serves a freshly built web app on a free port.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import type { AppDeps } from '../../src/app/shared/env.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
export const DESKTOP = { width: 1366, height: 900 };
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
