// The Vue example in Chromium, built as an app builds it (esbuild over dist/): sign-in and
// sign-out against the token endpoint and the fake iAdvize, one activate per sign-in by the fake
// tag's own call log, the rendered status following; unmounting leaves the tag alone.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { bundlePage, openPage, startBindingSite, type BindingSite } from '../react/support/binding-site.js';

/** The site around the example: its own session as a ref. */
const PAGE = `
import { createApp, h, ref } from 'vue';
import { App } from './docs/examples/vue.ts';

const userId = ref(null);
const app = createApp({ setup: () => () => h(App, { userId: userId.value }) });
window.site = {
  async signIn(id) {
    await fetch('/session', { method: 'POST', body: id });
    userId.value = id;
  },
  async signOut() {
    userId.value = null;
    await fetch('/session', { method: 'DELETE' });
  },
  unmount: () => app.unmount(),
};
app.mount('#root');
`;

type Site = { signIn(id: string): Promise<void>; signOut(): Promise<void>; unmount(): void };

describe.skipIf(!browserAvailable)('the Vue example in Chromium', () => {
  let site: BindingSite;
  let browser: Browser;

  beforeAll(async () => {
    site = await startBindingSite({ appJs: await bundlePage(PAGE), body: '<div id="root"></div>' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('activates once per sign-in, the status following, and signs out', async () => {
    const opened = await openPage(browser, site);
    const { page } = opened;
    const waitForStatus = (value: string) =>
      page.locator(`#chat-status[data-status="${value}"]`).waitFor({ timeout: 10_000 });
    await waitForStatus('inactive');

    await page.evaluate((id) => (window as unknown as { site: Site }).site.signIn(id), 'user-1');
    await waitForStatus('active');
    await expect(page.locator('#chat-status').textContent()).resolves.toBe('Chat connected to your account');
    await expect(opened.activateCalls()).resolves.toBe(1);
    await expect(opened.tagState()).resolves.toMatchObject({ status: 'secured', userId: 'user-1' });
    expect(site.fakeServer.calls.of('server-check').map((call) => call.ok && call.userId)).toEqual(['user-1']);

    await page.evaluate(() => (window as unknown as { site: Site }).site.signOut());
    await waitForStatus('inactive');
    await expect(opened.tagState()).resolves.toMatchObject({ status: 'inactive' });

    // Unmounting is not signing out: the composables only stop listening.
    await page.evaluate((id) => (window as unknown as { site: Site }).site.signIn(id), 'user-2');
    await waitForStatus('active');
    await page.evaluate(() => (window as unknown as { site: Site }).site.unmount());
    await expect(page.locator('#chat-status').count()).resolves.toBe(0);
    await expect(opened.tagState()).resolves.toMatchObject({ status: 'secured', userId: 'user-2' });
    await expect(opened.activateCalls()).resolves.toBe(2);
    expect(opened.problems).toEqual([]);
    expect(site.serverErrors).toEqual([]);
    await page.close();
  });
});
