// The React example in Chromium, built as an app builds it (esbuild over dist/), server-rendered
// with react-dom/server and hydrated under <StrictMode> in development mode (effects run twice):
// sign-in, account switch and sign-out against the token endpoint and the fake iAdvize. The
// fake tag's own call log proves one activate per sign-in; the rendered status follows.
import { createElement, StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findPrivateKeyText } from '../../scripts/bundle-budget.mjs';
import { activation, App } from '../../docs/examples/react.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { bundlePage, openPage, startBindingSite, type BindingSite, type OpenedPage } from './support/binding-site.js';

/** The site around the example: its own session state, and a count of effect runs. */
const PAGE = `
import { StrictMode, useEffect, useState } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { App } from './docs/examples/react.tsx';

window.effectRuns = 0;
function Site() {
  const [user, setUser] = useState(null);
  useEffect(() => {
    window.effectRuns += 1;
    window.site = {
      async signIn(id) {
        await fetch('/session', { method: 'POST', body: id });
        setUser({ id });
      },
      async signOut() {
        setUser(null);
        await fetch('/session', { method: 'DELETE' });
      },
      // A sign-in the site's backend does not know about: the token endpoint answers 401.
      signInWithoutSession: (id) => setUser({ id }),
    };
  }, []);
  return <App user={user} />;
}
hydrateRoot(document.getElementById('root'), <StrictMode><Site /></StrictMode>);
`;

const signIn = (opened: OpenedPage, id: string) =>
  opened.page.evaluate(
    (userId) => (window as unknown as { site: { signIn(id: string): Promise<void> } }).site.signIn(userId),
    id,
  );
const signOut = (opened: OpenedPage) =>
  opened.page.evaluate(() => (window as unknown as { site: { signOut(): Promise<void> } }).site.signOut());

describe.skipIf(!browserAvailable)('the React example in Chromium, under StrictMode', () => {
  let appJs: string;
  let site: BindingSite;
  let browser: Browser;
  let opened: OpenedPage;

  beforeAll(async () => {
    appJs = await bundlePage(PAGE);
    // The markup the server sends: the example rendered in Node, as a framework would.
    const markup = renderToString(createElement(StrictMode, null, createElement(App, { user: null })));
    activation.stop();
    site = await startBindingSite({ appJs, body: `<div id="root">${markup}</div>` });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  beforeEach(async () => {
    site.fakeServer.calls.clear();
    opened = await openPage(browser, site);
    await opened.page.waitForFunction(() => (window as unknown as { site?: unknown }).site !== undefined);
  });

  afterEach(async () => {
    await opened.page.close();
  });

  const status = () => opened.page.locator('#chat-status');
  const waitForStatus = (value: string) =>
    opened.page.locator(`#chat-status[data-status="${value}"]`).waitFor({ timeout: 10_000 });

  it('hydrates the server markup without a mismatch, with StrictMode double-running effects', async () => {
    await waitForStatus('inactive');
    await expect(opened.page.evaluate(() => (window as unknown as { effectRuns: number }).effectRuns)).resolves.toBe(2);
    expect(opened.problems).toEqual([]);
    expect(site.serverErrors).toEqual([]);
  });

  it('activates once per sign-in through sign-in, account switch and sign-out, the status following', async () => {
    await signIn(opened, 'user-1');
    await waitForStatus('active');
    await expect(status().textContent()).resolves.toBe('Chat connected to your account');
    await expect(opened.activateCalls()).resolves.toBe(1);
    await expect(opened.tagState()).resolves.toMatchObject({ status: 'secured', userId: 'user-1' });

    await signIn(opened, 'user-2');
    await opened.page.waitForFunction(
      () =>
        (window as unknown as { iAdvizeFake: { state: { userId?: string } } }).iAdvizeFake.state.userId === 'user-2',
    );
    await waitForStatus('active');
    await expect(opened.activateCalls()).resolves.toBe(2);
    expect(site.fakeServer.calls.of('server-check').map((call) => call.ok && call.userId)).toEqual([
      'user-1',
      'user-2',
    ]);

    await signOut(opened);
    await waitForStatus('inactive');
    await expect(opened.tagState()).resolves.toMatchObject({ status: 'inactive' });
    await expect(opened.activateCalls()).resolves.toBe(2);
    expect(opened.problems).toEqual([]);
    expect(site.serverErrors).toEqual([]);
  });

  it("hands a failure to the page's handler once, StrictMode's second subscription undone, and never activates", async () => {
    await opened.page.evaluate(
      (id) => (window as unknown as { site: { signInWithoutSession(id: string): void } }).site.signInWithoutSession(id),
      'user-3',
    );
    await waitForStatus('failed');
    await expect(status().textContent()).resolves.toBe('Chat unavailable');
    // The example's useActivationEvent handler logs the code once: one subscription, not two.
    const warnings = opened.problems.filter((line) => line.startsWith('warning:'));
    expect(warnings).toEqual([expect.stringMatching(/^warning: iAdvize activation failed \(token-unavailable\)/)]);
    // Besides it, only the browser's own line about the endpoint's 401.
    expect(opened.problems.filter((line) => !warnings.includes(line))).toEqual([
      expect.stringContaining('status of 401'),
    ]);
    await expect(opened.activateCalls()).resolves.toBe(0);
    expect(site.fakeServer.calls.of('server-check')).toEqual([]);
  });

  it('ships no private key to the browser', () => {
    expect(findPrivateKeyText(appJs)).toEqual([]);
  });
});
