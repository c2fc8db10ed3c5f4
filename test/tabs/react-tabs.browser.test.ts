// Two tabs of a React site in Chromium (one browser context, so one BroadcastChannel and one
// session cookie), each following its session with useActivationIdentity under StrictMode. After
// an account switch in one tab, the other tab's component mounting again with the session its page
// read before must not sign that visitor back in: it would end the new visitor's chat in the first tab.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_TAG_GLOBAL } from '../../src/testing/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { bundlePage, startBindingSite, type BindingSite } from '../react/support/binding-site.js';
import { callSite, collectProblems, fakeTagContext, settledIn } from './support/tab-pages.js';

const PAGE = `
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createActivation, fetchTokenFrom } from 'iadvize-activation';
import { iAdvizeTag } from 'iadvize-activation/tag';
import { useActivation, useActivationIdentity } from 'iadvize-activation/react';

let fetches = 0;
const fetchToken = fetchTokenFrom('/api/iadvize-token');
const activation = createActivation({
  tag: iAdvizeTag({ sid: 'site-1', platform: 'ha' }),
  fetchToken: (request) => (fetches++, fetchToken(request)),
}).start();
window.chatMounts = 0;

function Chat({ user }) {
  useActivationIdentity(activation, user);
  // Declared after the binding's effect, so it runs after it: a mount is counted once followed.
  useEffect(() => void (window.chatMounts += 1), []);
  const state = useActivation(activation);
  return <p>{state.status} {state.identity ?? ''}</p>;
}

function Site() {
  // The session as this page read it at load; the page does not re-read it on its own.
  const [user, setUser] = useState(() => localStorage.getItem('site-user'));
  const [mount, setMount] = useState(0);
  useEffect(() => {
    window.site = {
      async signIn(id) {
        await fetch('/session', { method: 'POST', body: id });
        localStorage.setItem('site-user', id);
        setUser(id);
      },
      readSession: () => setUser(localStorage.getItem('site-user')),
      remount: () => setMount((n) => n + 1),
      state: () => activation.getSnapshot(),
      fetches: () => fetches,
      activates: () => window.${FAKE_TAG_GLOBAL}?.calls.count('activate') ?? 0,
      tagState: () => window.${FAKE_TAG_GLOBAL}?.state,
    };
  }, []);
  return <Chat key={mount} user={user} />;
}
createRoot(document.getElementById('root')).render(<StrictMode><Site /></StrictMode>);
`;

interface SiteApi {
  signIn(id: string): Promise<void>;
  readSession(): void;
  remount(): void;
  state(): { status: string; identity?: string; signedIn: boolean };
  fetches(): number;
  activates(): number;
  tagState(): { status: string; userId?: string; activating: boolean } | undefined;
}

describe.skipIf(!browserAvailable)('two tabs of a React site in Chromium', () => {
  let site: BindingSite;
  let browser: Browser;
  let context: BrowserContext;
  let problems: string[];

  beforeAll(async () => {
    site = await startBindingSite({ appJs: await bundlePage(PAGE), body: '<div id="root"></div>' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  beforeEach(async () => {
    context = await fakeTagContext(browser, site);
    problems = [];
  });
  afterEach(async () => {
    await context.close();
    expect(problems).toEqual([]);
    expect(site.serverErrors).toEqual([]);
  });

  const openTab = async (): Promise<Page> => {
    const page = await context.newPage();
    collectProblems(page, problems);
    await page.goto(site.origin);
    await page.waitForFunction(() => (window as unknown as { site?: unknown }).site !== undefined);
    return page;
  };
  const call = <T>(page: Page, fn: (site: SiteApi) => T | Promise<T>) => callSite(page, fn);
  const mounts = (page: Page) => page.evaluate(() => (window as unknown as { chatMounts: number }).chatMounts);

  it('a component mounting again with the visitor another tab switched away from leaves both tabs as they are', async () => {
    const a = await openTab();
    await call(a, (s) => s.signIn('alice'));
    await settledIn(a, 'active', 'alice');
    const b = await openTab();
    await settledIn(b, 'active', 'alice');

    // Account switch in tab a: tab b's session ends there; its page still shows alice.
    await call(a, (s) => s.signIn('bob'));
    await settledIn(a, 'active', 'bob');
    await settledIn(b, 'inactive');
    const before = { fetches: await call(b, (s) => s.fetches()), activates: await call(b, (s) => s.activates()) };

    // Tab b's component mounts again (a route change, say) with the stale session.
    const mounted = await mounts(b);
    await call(b, (s) => s.remount());
    await b.waitForFunction((n) => (window as unknown as { chatMounts: number }).chatMounts > n, mounted);
    expect(await call(b, (s) => s.state())).toMatchObject({ status: 'inactive', signedIn: false });
    expect({ fetches: await call(b, (s) => s.fetches()), activates: await call(b, (s) => s.activates()) }).toEqual(
      before,
    );

    // Tab b re-reads its session (bob's now) and follows it; tab a keeps bob's chat throughout.
    await call(b, (s) => s.readSession());
    await settledIn(b, 'active', 'bob');
    await settledIn(a, 'active', 'bob');
    expect(await call(a, (s) => s.tagState())).toMatchObject({ status: 'secured', userId: 'bob' });
    expect(await call(b, (s) => s.tagState())).toMatchObject({ status: 'secured', userId: 'bob' });
  });
});
