// The preload entry in Chromium, on the very page the time-to-chat benchmark measures: the
// built inline entry in <head>, the library bundled with preloadedToken, the fake tag, the
// project's token endpoint and the fake iAdvize server on loopback.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatPages, USER_ID } from '../../scripts/bench/support/chat-pages.mjs';
import {
  SESSION_COOKIE,
  startChatSite,
  TAG_PATH,
  TOKEN_PATH,
  type ChatSite,
} from '../../scripts/bench/support/chat-site.mjs';
import { PRELOADED_TOKEN_GLOBAL } from '../../src/preload/index.js';
import { FAKE_TAG_GLOBAL } from '../../src/testing/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';

type BenchWindow = {
  benchResult: Promise<{ outcome: string }>;
  [FAKE_TAG_GLOBAL]: { calls: { count(type: string): number } };
};

describe.skipIf(!browserAvailable)('the preload entry in Chromium', () => {
  let site: ChatSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let before: ChatSite['counts'];

  beforeAll(async () => {
    site = await startChatSite(await chatPages());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    before = { ...site.counts };
  });
  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  const requestsSince = () =>
    Object.fromEntries(
      Object.entries(site.counts).map(([name, count]) => [name, count - before[name as keyof ChatSite['counts']]]),
    );
  const outcome = () =>
    page.evaluate(() => (window as unknown as BenchWindow).benchResult.then((result) => result.outcome));

  it('reaches a secured chat with one token request, one tag script and one activate', async () => {
    await context.addCookies([{ name: SESSION_COOKIE, value: USER_ID, url: site.origin }]);
    await page.goto(`${site.origin}/preload`);
    await expect(outcome()).resolves.toBe('secured');
    expect(requestsSince()).toEqual({ token: 1, tag: 1, iadvize: 1 });
    await expect(
      page.evaluate(
        (fake) => (window as unknown as BenchWindow)[fake as typeof FAKE_TAG_GLOBAL].calls.count('activate'),
        FAKE_TAG_GLOBAL,
      ),
    ).resolves.toBe(1);
    await expect(
      page.evaluate((src) => document.querySelectorAll(`script[src="${src}"]`).length, TAG_PATH),
    ).resolves.toBe(1);
    // Taken off the page by preloadedToken: no later script finds the answer.
    await expect(page.evaluate((name) => name in window, PRELOADED_TOKEN_GLOBAL)).resolves.toBe(false);
  });

  it('sends the token request and the tag script request before the main bundle runs', async () => {
    await context.addCookies([{ name: SESSION_COOKIE, value: USER_ID, url: site.origin }]);
    await page.goto(`${site.origin}/preload`);
    await expect(outcome()).resolves.toBe('secured');
    const times = await page.evaluate(
      ([token, tag]) => {
        const start = (path: string) =>
          performance.getEntriesByType('resource').find((entry) => new URL(entry.name).pathname === path)!.startTime;
        return {
          token: start(token!),
          tag: start(tag!),
          bundle: performance.getEntriesByName('bundle-start', 'mark')[0]!.startTime,
        };
      },
      [TOKEN_PATH, TAG_PATH],
    );
    expect(times.token).toBeLessThan(times.bundle);
    expect(times.tag).toBeLessThan(times.bundle);
  });

  it('without a session: the preload fails quietly, the library asks again and reports token-unavailable, no activate', async () => {
    await page.goto(`${site.origin}/preload`);
    await expect(outcome()).resolves.toMatch(/^failed: token-unavailable/);
    expect(requestsSince()).toMatchObject({ token: 2, iadvize: 0 });
  });
});
