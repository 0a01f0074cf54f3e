/**
 * The browser-suite harness itself: a page's console errors and script errors land in `problems`
 * (the check every browser suite ends with), a failed load does not, pages open at the size asked
 * for, the API helpers carry the test's key, and the suite's pieces are not there before its
 * beforeAll. Without the web app (the API server alone), so it takes seconds.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserSuite, DESKTOP, PHONE } from './harness.js';

describe('browser suite harness', () => {
  const suite = browserSuite({
    users: [{ email: 'hanna.harness@example.com', password: 'harness password of some length', name: 'Hanna Harness', role: 'viewer' }],
    web: false,
    tempDir: 'q2c-harness-',
  });
  const { problems, newPage, apiGet, call, ok } = suite;
  // read while the describe is collected, before the suite's beforeAll
  const early = [() => suite.t, () => suite.base, () => suite.browser].map((read) => {
    try {
      read();
      return 'there';
    } catch (e) {
      return (e as Error).message;
    }
  });

  it('is not there before its beforeAll', () => {
    expect(early).toEqual(['t', 'base', 'browser'].map((name) => `the browser suite's ${name} is there only once its beforeAll has run`));
  });

  it('collects console errors and script errors, not failed loads', async () => {
    problems.length = 0;
    const page = await newPage();
    await page.goto(`${suite.base}/v1/no-such-route`); // a 404: logged by chromium as a failed load
    await page.evaluate(`console.error('broken on purpose')`);
    await page.evaluate(`setTimeout(() => { throw new Error('thrown on purpose'); }, 0)`);
    await expect.poll(() => problems.length).toBe(2);
    expect(problems).toEqual(['console: broken on purpose', 'page error: thrown on purpose']);
    problems.length = 0;
  });

  it('opens pages at desktop size in en-GB, or at phone size with touch, in the locale asked for', async () => {
    problems.length = 0;
    const desktop = await newPage();
    expect(desktop.viewportSize()).toEqual(DESKTOP);
    expect(await desktop.evaluate('navigator.language')).toBe('en-GB');
    const phone = await newPage({ phone: true, locale: 'sv-SE', deviceScaleFactor: 2 });
    expect(phone.viewportSize()).toEqual(PHONE);
    expect(await phone.evaluate('[navigator.language, window.devicePixelRatio, navigator.maxTouchPoints > 0]')).toEqual(['sv-SE', 2, true]);
    expect(await (await newPage('sv-SE')).evaluate('navigator.language')).toBe('sv-SE');
    expect(problems).toEqual([]);
  });

  it('calls the API with the test key, made the users, and has a temporary directory', async () => {
    const created = await ok('POST', '/v1/customers', { name: 'Harnesk Verktyg AB', country: 'SE', currency: 'SEK' });
    expect((await apiGet(`/v1/customers/${created.id}`)).name).toBe('Harnesk Verktyg AB');
    expect((await call('GET', '/v1/customers/cus_00000000000000000000000000')).status).toBe(404);
    await expect(ok('GET', '/v1/customers/cus_00000000000000000000000000')).rejects.toThrow(/404/);
    const users = (await apiGet('/v1/users')).data.map((u: { email: string }) => u.email);
    expect(users).toContain('hanna.harness@example.com');
    expect(existsSync(suite.tempDir)).toBe(true);
  });
});
