// The demo shop (`npm start`) end to end in Chromium: the demo server in this process on a free
// loopback port, the page and the fake iAdvize script as built into dist/demo/, the real token
// endpoint and the real tag adapter. One browser for the file, a fresh context per test.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../src/demo/app.js';
import { NO_FAULTS, type DemoFaults } from '../../src/demo/faults.js';
import { DEMO_USERS } from '../../src/demo/users.js';
import { FAILURE_ADVICE, type FailureCode } from '../../machines/failures.js';
import { REDACTED, REDACTED_KEY } from '../../src/redact.js';
import { expectNoTokenIn, recordTokens } from '../devtools/support/tokens-on-the-wire.js';
import { browserAvailable, launchChromium } from '../support/browser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Short timeouts keep the timeout faults quick (the "slow" and "late" faults answer 2 s after them). docs/demo.png comes from scripts/demo-screenshot.mjs. */
const QUICK_TIMEOUTS = { tokenFetchTimeoutMs: 1_500, tagLoadTimeoutMs: 1_500 };
const WAIT_MS = 10_000;

interface FakeTagCalls {
  count(type: string): number;
  of(type: string): Array<{ purpose?: string; ok?: boolean }>;
}
type DemoWindow = Window & { iAdvizeFake?: { calls: FakeTagCalls } };

describe.skipIf(!browserAvailable)('the demo shop in Chromium', () => {
  let keysDir: string;
  let demo: DemoServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const serverLog: string[] = [];
  let consoleLines: string[];
  let pageErrors: string[];
  let requests: URL[];
  let receivedTokens: () => Promise<string[]>;

  beforeAll(async () => {
    keysDir = await mkdtemp(join(tmpdir(), 'iadvize-demo-browser-'));
    demo = await startDemoServer({ port: 0, keysDir, ...QUICK_TIMEOUTS, log: (line) => serverLog.push(line) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.close();
    if (keysDir) await rm(keysDir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await setFaults(NO_FAULTS);
    serverLog.length = 0;
    consoleLines = [];
    pageErrors = [];
    requests = [];
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    page = await context.newPage();
    page.on('console', (message) => consoleLines.push(message.text()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requests.push(new URL(request.url())));
    receivedTokens = recordTokens(page);
  });

  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  /** The server's fault switches, set as the page's controls do (same origin). */
  async function setFaults(patch: Partial<DemoFaults>): Promise<void> {
    const response = await fetch(`${demo.url}/api/faults`, {
      method: 'POST',
      headers: { origin: demo.url, 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
    expect(response.status).toBe(200);
  }

  async function openShop(query = ''): Promise<void> {
    await page.goto(`${demo.url}/${query}`);
    await waitForStatus('inactive');
  }

  /** Waits for activation-status to read exactly `status`; on a timeout, says what it read instead. */
  async function waitForStatus(status: string): Promise<void> {
    try {
      await page.waitForFunction(
        (expected) => document.querySelector('[data-testid="activation-status"]')?.textContent === expected,
        status,
        {
          timeout: WAIT_MS,
        },
      );
    } catch {
      const actual = await page.getByTestId('activation-status').textContent();
      const code = await page.getByTestId('failure-code').textContent();
      throw new Error(`activation-status is "${actual}"${code ? ` (failure ${code})` : ''}, not "${status}"`);
    }
  }

  async function expectFailure(code: FailureCode): Promise<void> {
    await waitForStatus('failed');
    expect(await page.getByTestId('failure-code').textContent()).toBe(code);
    expect(await page.getByTestId('failure-advice').textContent()).toBe(FAILURE_ADVICE[code]);
  }

  /** Clicks a fault switch and waits for the server to have it (and for the reload a tag-script switch makes). */
  async function switchFault(testId: string): Promise<void> {
    const saved = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/faults');
    const reloaded = testId.startsWith('fault-tag-script-') ? page.waitForEvent('load') : undefined;
    await page.getByTestId(testId).check();
    expect((await saved).status()).toBe(200);
    if (reloaded) {
      await reloaded;
      await waitForStatus('inactive');
    }
  }

  const bubble = () => page.getByTestId('chat-bubble');
  const bubbleState = () => bubble().getAttribute('data-state');
  /** The devtools panel's timeline (Playwright's test-id locators pierce its shadow root). */
  const timelineText = () => page.getByTestId('devtools-timeline').innerText();
  const fakeTagCalls = (type: string) =>
    page.evaluate((t) => (window as DemoWindow).iAdvizeFake?.calls.count(t) ?? 0, type);
  const requestsTo = (path: string) => requests.filter((url) => url.pathname.startsWith(path));

  it('signs alice in: status active, the bubble secured as alice, the devtools graph on visitor.secured.activation.active, nothing loaded from outside', async () => {
    await openShop();
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('active');
    await bubble().filter({ hasText: 'Chat secured as alice' }).waitFor({ timeout: WAIT_MS });
    expect(await bubbleState()).toBe('secured');
    expect(await page.getByTestId('identity').textContent()).toBe('Signed in as Alice');
    expect(await page.getByTestId('failure').isHidden()).toBe(true);

    const active = await page
      .locator('[data-testid="devtools"] g.state.active')
      .evaluateAll((nodes) => nodes.map((node) => (node as SVGGElement).dataset.state).sort());
    expect(active).toEqual([
      'activation',
      'activation.tag',
      'activation.tag.ready',
      'activation.tag.ready.idle',
      'activation.visitor',
      'activation.visitor.secured',
      'activation.visitor.secured.activation',
      'activation.visitor.secured.activation.active',
      'activation.visitor.secured.token',
      'activation.visitor.secured.token.spent',
    ]);
    // One statechart view: the devtools panel, inline, its timeline starting at the page load.
    expect(await page.locator('[data-iadvize-devtools]').count()).toBe(1);
    expect(await page.getByTestId('devtools-status').textContent()).toBe('active');
    expect(await timelineText()).toMatch(/^\+0ms\s/);
    expect(await timelineText()).toMatch(
      /\+\d+ms\s+tag\.ready\.idle, visitor\.signedOut → tag\.ready\.idle, visitor\.fetchingToken {2}SIGN_IN \{identity:"alice"\}/,
    );
    expect(await timelineText()).toContain('emitted activation.secured {identity:"alice"}');

    expect(requests.filter((url) => url.protocol !== 'data:' && url.hostname !== 'localhost').map(String)).toEqual([]);
    expect(requestsTo('/fake-iadvize/iadvize.js')).toHaveLength(1);

    await mkdir(join(root, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-artifacts/demo-signed-in.png'), fullPage: true });
  });

  it('keeps every token out of the console and the timeline, through sign-in, re-verification and sign-out', async () => {
    await openShop();
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('active');
    await page.getByTestId('expire-session').click();
    await page.waitForFunction(
      () => ((window as DemoWindow).iAdvizeFake?.calls.count('session-reverification') ?? 0) > 0,
      undefined,
      { timeout: WAIT_MS },
    );
    await page.getByTestId('sign-out').click();
    await waitForStatus('inactive');

    const tokens = await receivedTokens();
    expect(tokens.length).toBeGreaterThan(0);
    const timeline = await timelineText();
    const logged = consoleLines.join('\n');
    expect(logged).toContain('iadvize-activation: {"type":"activation.secured","identity":"alice"}');
    // The timeline shows where a token went by, redacted (under its key, whatever it looks like).
    expect(timeline).toContain(`token:"${REDACTED}"`);
    expectNoTokenIn(logged, tokens, 'the console');
    expectNoTokenIn(timeline, tokens, 'the timeline');
  });

  it('re-verifies when the iAdvize session expires: the tag calls the provider again and stays secured', async () => {
    await openShop();
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('active');
    await page.getByTestId('expire-session').click();
    await page.waitForFunction(
      () => ((window as DemoWindow).iAdvizeFake?.calls.count('session-reverification') ?? 0) > 0,
      undefined,
      { timeout: WAIT_MS },
    );

    const calls = await page.evaluate(() => ({
      provider: (window as DemoWindow).iAdvizeFake!.calls.of('provider').map((call) => call.purpose),
      reverification: (window as DemoWindow).iAdvizeFake!.calls.of('session-reverification').map((call) => call.ok),
    }));
    expect(calls).toEqual({ provider: ['activation', 'reverification'], reverification: [true] });
    expect(await timelineText()).toMatch(/TOKEN_REQUESTED \{requestId:2, attempt:1, at:\d+\}/);
    expect(await page.getByTestId('activation-status').textContent()).toBe('active');
    expect(await bubble().textContent()).toBe('Chat secured as alice');
  });

  it('with the token endpoint failing, stays inactive by default: failed with token-unavailable, the tag loaded but never activated', async () => {
    await openShop();
    await switchFault('fault-token-endpoint-fail');
    await page.getByTestId('sign-in-alice').click();
    await expectFailure('token-unavailable');
    expect(await page.getByTestId('failure-reason').textContent()).toContain('HTTP 503');
    // The script loads from start(), beside the flow; nothing reaches iAdvize.
    expect(requestsTo('/fake-iadvize/authenticate')).toEqual([]);
    expect(await bubbleState()).toBe('inactive');
    expect(await fakeTagCalls('activate')).toBe(0);
  });

  it('falls back to an anonymous chat when that policy is chosen and no token can be had', async () => {
    await openShop();
    await page.getByTestId('policy-anonymous').check();
    await page.waitForURL(/[?&]policy=anonymous/);
    await waitForStatus('inactive');
    await switchFault('fault-token-endpoint-fail');
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('anonymous');
    await bubble().filter({ hasText: 'Chat open as an anonymous visitor' }).waitFor({ timeout: WAIT_MS });
    // Why it fell back is still said.
    expect(await page.getByTestId('failure-code').textContent()).toBe('token-unavailable');
  });

  it('fails with token-timeout when the token endpoint answers after the fetch timeout', async () => {
    await openShop();
    await switchFault('fault-token-endpoint-slow');
    await page.getByTestId('sign-in-alice').click();
    await expectFailure('token-timeout');
    expect(await timelineText()).toContain('after tokenFetchTimeout');
    expect(requestsTo('/fake-iadvize/authenticate')).toEqual([]);
  });

  it('fails with invalid-key when iAdvize no longer holds the customer public key', async () => {
    await openShop();
    await switchFault('fault-iadvize-server-wrong-key');
    await page.getByTestId('sign-in-alice').click();
    await expectFailure('invalid-key');
    expect(await page.getByTestId('failure-reason').textContent()).toContain('invalid key');
    expect(await bubbleState()).toBe('inactive');
  });

  it('fails with server-error after the tag’s own retries, and adds none of its own', async () => {
    await openShop();
    await switchFault('fault-iadvize-server-error');
    await page.getByTestId('sign-in-alice').click();
    await expectFailure('server-error');
    // The tag tried 1 + 3 times, each with a token no attempt had before: one fetch each, none of the library's own.
    expect(requestsTo('/fake-iadvize/authenticate')).toHaveLength(4);
    expect(requestsTo('/api/token')).toHaveLength(4);
    expect(await fakeTagCalls('activate')).toBe(1);
  });

  it('fails with tag-unavailable when the tag script is blocked', async () => {
    await openShop();
    await switchFault('fault-tag-script-blocked');
    await page.getByTestId('sign-in-alice').click();
    await expectFailure('tag-unavailable');
    expect(await bubbleState()).toBe('unavailable');
  });

  it('fails with tag-unavailable when the tag script is late, and the late script activates no one', async () => {
    await openShop();
    // The reload switchFault makes requests the script again, from start(): it answers late.
    const script = page.waitForResponse((response) => new URL(response.url()).pathname === '/fake-iadvize/iadvize.js', {
      timeout: WAIT_MS,
    });
    await switchFault('fault-tag-script-late');
    await page.getByTestId('sign-in-alice').click();
    await expectFailure('tag-unavailable');
    await script;
    await bubble().filter({ hasText: 'Chat inactive' }).waitFor({ timeout: WAIT_MS });
    expect(await fakeTagCalls('activate')).toBe(0);
    expect(requestsTo('/fake-iadvize/authenticate')).toEqual([]);
    expect(await page.getByTestId('activation-status').textContent()).toBe('failed');
  });

  it('refuses the user whose id breaks the 255-character rule: no token is minted, token-unavailable', async () => {
    const long = DEMO_USERS.find((user) => user.key === 'long')!;
    expect(long.id).toHaveLength(300);
    await openShop();
    await page.getByTestId('sign-in-long').click();
    await expectFailure('token-unavailable');
    expect(await page.getByTestId('failure-reason').textContent()).toBe(
      'the token endpoint refused the identity: userId longer than 255 characters (HTTP 422)',
    );
    expect(serverLog.join('\n')).toMatch(/token endpoint: issue failed: TokenInputError.*255/);
    expect(requestsTo('/fake-iadvize/authenticate')).toEqual([]);
    // The identity is a long id, not a key: the timeline shows it (shortened), not "[redacted key]".
    const timeline = await timelineText();
    expect(timeline).toContain(`SIGN_IN {identity:"${long.id.slice(0, 160)}…"}`);
    expect(timeline).not.toContain(REDACTED_KEY);
  });

  it('with "open an anonymous chat" while signed out, the tag is activated anonymously at once, and a sign-in upgrades it', async () => {
    await openShop();
    await page.getByTestId('signed-out-anonymous').check();
    await page.waitForURL(/[?&]signedOut=anonymous/);
    await waitForStatus('anonymous');
    await bubble().filter({ hasText: 'Chat open as an anonymous visitor' }).waitFor({ timeout: WAIT_MS });
    expect(await page.getByTestId('signed-out-anonymous').isChecked()).toBe(true);
    expect(await page.getByTestId('failure').isHidden()).toBe(true);
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('active');
    await bubble().filter({ hasText: 'Chat secured as alice' }).waitFor({ timeout: WAIT_MS });
    // The Stately link keeps the choice.
    expect(await page.getByTestId('inspect-mode').locator('a').getAttribute('href')).toBe(
      '?inspect=stately&signedOut=anonymous',
    );
  });

  it('keeps a returning visitor signed in, and signing out logs the tag out and ends the session', async () => {
    await openShop();
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('active');
    const cookie = (await context.cookies()).find((candidate) => candidate.name === 'demo_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    await page.reload();
    await waitForStatus('active');
    await page.getByTestId('sign-out').click();
    await waitForStatus('inactive');
    await bubble().filter({ hasText: 'Chat inactive' }).waitFor({ timeout: WAIT_MS });
    expect(await fakeTagCalls('logout')).toBe(1);
    expect(await page.getByTestId('identity').textContent()).toBe('Not signed in');

    await page.reload();
    await waitForStatus('inactive');
    expect(await page.getByTestId('identity').textContent()).toBe('Not signed in');
    expect(requestsTo('/api/token')).toHaveLength(2);
  });

  it('switches accounts: logs alice out of the tag before activating bob', async () => {
    await openShop();
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('active');
    await page.getByTestId('sign-in-bob').click();
    await bubble().filter({ hasText: 'Chat secured as bob' }).waitFor({ timeout: WAIT_MS });
    await waitForStatus('active');
    const order = await page.evaluate(() =>
      (window as unknown as { iAdvizeFake: { calls: { entries: Array<{ type: string }> } } }).iAdvizeFake.calls.entries
        .map((entry) => entry.type)
        .filter((type) => type === 'activate' || type === 'logout'),
    );
    expect(order).toEqual(['activate', 'logout', 'activate']);
  });

  // A laptop screen and a phone: every control can be brought into view and clicked, and the page
  // never scrolls sideways, signed in and after the long failure text of the 300-character id.
  it.each([
    { width: 1366, height: 768 },
    { width: 390, height: 844 },
  ])('lays out at $width×$height: every control reachable, nothing scrolls sideways', async (viewport) => {
    await page.setViewportSize(viewport);
    await openShop();
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('active');
    expect(await unreachableControls()).toEqual([]);
    expect(await sidewaysOverflow()).toEqual({ scrollWidth: viewport.width, innerWidth: viewport.width });
    await mkdir(join(root, 'test-artifacts'), { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: join(root, `test-artifacts/demo-${viewport.width}x${viewport.height}.png`),
      fullPage: true,
    });

    await page.getByTestId('sign-in-long').click();
    await expectFailure('token-unavailable');
    expect(await unreachableControls()).toEqual([]);
    expect(await sidewaysOverflow()).toEqual({ scrollWidth: viewport.width, innerWidth: viewport.width });
  });

  /** How wide the page is against the window: equal when nothing makes it scroll sideways. */
  const sidewaysOverflow = () =>
    page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));

  /**
   * The shown controls (the page's and the devtools panel's, in its shadow root) that cannot be
   * scrolled into the window and hit at their centre; each named with what went wrong.
   */
  const unreachableControls = () =>
    page.evaluate(() => {
      const devtools = document.querySelector('[data-iadvize-devtools]')?.shadowRoot;
      const controls = [
        ...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href]'),
        ...(devtools ? devtools.querySelectorAll<HTMLElement>('button, input, a[href], [tabindex]') : []),
      ].filter((control) => control.checkVisibility());
      if (controls.length < 20) return [`only ${controls.length} controls found`];
      return controls.flatMap((control) => {
        const name = control.dataset.testid ?? control.textContent?.trim() ?? control.tagName;
        control.scrollIntoView({ block: 'center', inline: 'center' });
        // A link wrapped over two lines is hit on its first line, not between them.
        const box = control.getClientRects()[0];
        if (box === undefined || box.width === 0 || box.height === 0) return [`${name}: no size`];
        const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
        if (x < 0 || y < 0 || x > window.innerWidth || y > window.innerHeight)
          return [`${name}: centre outside the window at ${Math.round(x)},${Math.round(y)}`];
        const hit = (control.getRootNode() as Document | ShadowRoot).elementFromPoint(x, y);
        return hit === control || control.contains(hit) || (hit instanceof HTMLLabelElement && hit.control === control)
          ? []
          : [`${name}: covered by ${hit?.tagName.toLowerCase()}.${hit?.className}`];
      });
    });

  it('with ?inspect=stately, says it needs the internet and contacts nothing until asked', async () => {
    await openShop('?inspect=stately');
    expect(await page.getByTestId('inspect-mode').textContent()).toContain('needs the internet');
    await page.getByTestId('sign-in-alice').click();
    await waitForStatus('active');
    expect(requests.filter((url) => url.protocol !== 'data:' && url.hostname !== 'localhost').map(String)).toEqual([]);
  });
});
