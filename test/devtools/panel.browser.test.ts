// The devtools panel in Chromium on a site that is not the demo (test/devtools/support/): mounted
// over a page with hostile CSS, driven through sign-in, a token refresh, sign-out and a failure.
// What it shows is checked against the machine itself: the active states against the actor's
// snapshot value, the arrows against the transitions counted from the machine definition.
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activationMachine } from '../../machines/activation.js';
import { FAILURE_ADVICE } from '../../machines/failures.js';
import { toStatechartModel } from '../../src/inspect/statechart-model.js';
import { browserAvailable, launchChromium } from '../support/browser.js';
import { expectNoTokenIn, recordTokens } from './support/tokens-on-the-wire.js';
import { startHostSite, UNKNOWN_VISITOR, type HostSite } from './support/host-site.js';
import { definedStateIds, definedTransitionCount, TOKEN_LIKE } from './support/machine-facts.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const WAIT_MS = 10_000;

interface HostWindow {
  host: {
    enableDevtools(collapsed?: boolean): Promise<void>;
    mountToy(): Promise<void>;
    unmountDevtools(): void;
    report(): unknown;
    value(): unknown;
    activation: { actor: { getSnapshot(): { context: { token?: unknown } } } };
    status(): string;
    signIn(userId: string): void;
    signOut(): void;
  };
  iAdvizeFake: { expireSession(): Promise<void> };
}

describe.skipIf(!browserAvailable)('the devtools panel on a host page in Chromium', () => {
  let site: HostSite;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let pageErrors: string[];
  let consoleErrors: string[];
  let receivedTokens: () => Promise<string[]>;

  beforeAll(async () => {
    site = await startHostSite();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  beforeEach(async () => {
    pageErrors = [];
    consoleErrors = [];
    site.requests.length = 0;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    receivedTokens = recordTokens(page);
  });

  afterEach(async () => {
    await context.close();
    expect(pageErrors).toEqual([]);
  });

  async function open(query = '?iadvize-devtools'): Promise<void> {
    await page.goto(`${site.origin}/${query}`);
    await page.locator('#status', { hasText: 'ready' }).waitFor();
    if (query.includes('iadvize-devtools')) await panel('devtools-panel').waitFor();
  }

  /** An element of the panel by its data-testid (Playwright's locators pierce the open shadow root). */
  const panel = (testId: string) => page.locator(`[data-iadvize-devtools] [data-testid="${testId}"]`);
  /** Runs `call` in the page with the host app's handle (its source text is sent, so it may use nothing from here). */
  const host = <T>(call: (host: HostWindow['host']) => T | Promise<T>) =>
    page.evaluate(`(${call.toString()})(window.host)`) as Promise<T>;

  async function waitForStatus(status: string): Promise<void> {
    await page.waitForFunction((expected) => (window as unknown as HostWindow).host.status() === expected, status, {
      timeout: WAIT_MS,
    });
    await panel('devtools-status')
      .filter({ hasText: new RegExp(`^${status}$`) })
      .waitFor({ timeout: WAIT_MS });
  }

  /** The panel's highlighted states and the ones the actor's snapshot value names, read in one task. */
  async function highlighted(): Promise<{ shown: string[]; value: unknown }> {
    // A render is queued after each snapshot (one microtask): let it land first.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    return page.evaluate(() => {
      const shadow = document.querySelector('[data-iadvize-devtools]')!.shadowRoot!;
      const shown = [...shadow.querySelectorAll<SVGGElement>('g.state.active')]
        .map((node) => node.dataset.state!)
        .sort();
      return { shown, value: (window as unknown as HostWindow).host.value() };
    });
  }

  async function expectHighlightFollowsMachine(): Promise<void> {
    const { shown, value } = await highlighted();
    expect(shown).toEqual(idsOfValue(value).sort());
  }

  /**
   * The panel's token line and the machine's context, read in one task: a freshness while the
   * context holds a token, 'none in hand: the next provider call fetches one' once it does not (only whether it holds one leaves the page).
   */
  async function expectTokenFollowsMachine(): Promise<string> {
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
    const { text, held } = await page.evaluate(() => {
      const shadow = document.querySelector('[data-iadvize-devtools]')!.shadowRoot!;
      const { context } = (window as unknown as HostWindow).host.activation.actor.getSnapshot();
      return {
        text: shadow.querySelector('[data-testid="devtools-token"]')!.textContent ?? '',
        held: context.token !== undefined,
      };
    });
    expect(text).toMatch(
      held
        ? /^(one unused, kept [1-3] s more \(of 3 s\)|unused past its keep time: the next provider call fetches a new one)$/
        : /^none in hand: the next provider call fetches one$/,
    );
    return text;
  }

  /** The panel's DOM, shadow root included, as text and markup. */
  const panelMarkup = () =>
    page.evaluate(() => {
      const devtools = document.querySelector('[data-iadvize-devtools]')!;
      return `${document.documentElement.outerHTML}\n${devtools.shadowRoot!.innerHTML}\n${(devtools.shadowRoot! as unknown as HTMLElement).textContent ?? ''}`;
    });

  it('follows the machine through sign-in, a token refresh, sign-out and a failure: highlighted states, freshness, last transition, failure', async () => {
    await open();
    await waitForStatus('inactive');
    await expectHighlightFollowsMachine();
    expect(await panel('devtools-identity').textContent()).toBe('signed out');
    expect(await expectTokenFollowsMachine()).toBe('none in hand: the next provider call fetches one');

    await host((h) => h.signIn('alice'));
    await waitForStatus('active');
    await expectHighlightFollowsMachine();
    expect(await panel('devtools-identity').textContent()).toBe('alice');
    // Tokens are single-use: the tag's activate took the one fetched for it; none is left in hand.
    expect(await host((h) => h.value())).toMatchObject({
      visitor: { secured: { activation: 'active', token: 'spent' } },
    });
    expect(await expectTokenFollowsMachine()).toBe('none in hand: the next provider call fetches one');

    // The tag re-verifies its session: its provider call fetches a new token, handed over at once.
    await page.evaluate(() => (window as unknown as HostWindow).iAdvizeFake.expireSession());
    await panel('devtools-timeline').filter({ hasText: 'emitted token.refreshed' }).waitFor({ timeout: WAIT_MS });
    await expectHighlightFollowsMachine();
    // The last step is the refresh fetch's answer (the token region has no timer once spent):
    // one transition marked, named by its actor.
    const last = await page.evaluate(() => {
      const shadow = document.querySelector('[data-iadvize-devtools]')!.shadowRoot!;
      return {
        arrows: [...shadow.querySelectorAll<SVGGElement>('g.transition.last')].map((edge) => edge.dataset.edge),
        labels: [...shadow.querySelectorAll('g.label.last')].map((label) => label.textContent),
      };
    });
    expect(last.arrows).toEqual([
      expect.stringMatching(/^activation\.visitor\.secured\.token\.refreshing\|xstate\.done\.actor\.[^|]+\|0$/),
    ]);
    expect(last.labels).toEqual(['done fetchToken']);
    expect(await expectTokenFollowsMachine()).toBe('none in hand: the next provider call fetches one');

    await host((h) => h.signOut());
    await waitForStatus('inactive');
    await expectHighlightFollowsMachine();
    expect(await expectTokenFollowsMachine()).toBe('none in hand: the next provider call fetches one');
    expect(await panel('devtools-failure').isHidden()).toBe(true);

    await page.evaluate((visitor) => (window as unknown as HostWindow).host.signIn(visitor), UNKNOWN_VISITOR);
    await waitForStatus('failed');
    await expectHighlightFollowsMachine();
    expect(await panel('devtools-failure').isVisible()).toBe(true);
    expect(await panel('devtools-failure').locator('[data-part="code"]').textContent()).toBe('token-unavailable');
    expect(await panel('devtools-failure').locator('[data-part="phase"]').textContent()).toBe('during token');
    expect(await panel('devtools-failure').locator('[data-part="reason"]').textContent()).toContain('HTTP 401');
    expect(await panel('devtools-failure').locator('[data-part="advice"]').textContent()).toBe(
      FAILURE_ADVICE['token-unavailable'],
    );
    expect(await panel('devtools-badge').getAttribute('data-status')).toBe('failed');

    await mkdir(join(root, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-artifacts/devtools-host-page.png'), fullPage: true });
  });

  it('draws the machine from its definition: one box per state, one arrow per transition, each arrow labelled', async () => {
    await open();
    const drawn = await page.evaluate(() => {
      const shadow = document.querySelector('[data-iadvize-devtools]')!.shadowRoot!;
      return {
        states: [...shadow.querySelectorAll<SVGGElement>('g.state')].map((node) => node.dataset.state!).sort(),
        arrows: shadow.querySelectorAll('g.transition').length,
        arrowsWithAPath: [...shadow.querySelectorAll('g.transition')].filter(
          (edge) => edge.querySelector('path[d^="M"]') !== null,
        ).length,
        labels: [...shadow.querySelectorAll('g.label')].map((label) => label.textContent ?? ''),
      };
    });
    expect(drawn.states).toEqual(definedStateIds(activationMachine).sort());
    expect(drawn.arrows).toBe(definedTransitionCount(activationMachine));
    expect(drawn.arrowsWithAPath).toBe(drawn.arrows);
    expect(drawn.labels).toHaveLength(drawn.arrows);
    // Each label is the transition's trigger and guard (`SIGN_IN` over `[tagMayHoldSession]`).
    const expectedLabels = toStatechartModel(activationMachine).edges.map((edge) => edge.label.replace(' [', '['));
    expect(drawn.labels.sort()).toEqual(expectedLabels.sort());
    expect(drawn.labels).toContain('SIGN_IN[otherVisitor(overSession=true)]');
  });

  it('draws any machine it is given: parallel regions, final states, delays, always, several targets; any status; names as text', async () => {
    await open('');
    await host((h) => h.mountToy());
    const toy = page.locator('#toy [data-iadvize-devtools]');
    await toy.locator('[data-testid="devtools-panel"]').waitFor();
    const drawn = await toy.evaluate((element) => {
      const shadow = element.shadowRoot!;
      return {
        states: [...shadow.querySelectorAll<SVGGElement>('g.state')]
          .map((node) => `${node.dataset.state} ${node.classList.contains('cluster') ? 'cluster' : 'box'}`)
          .sort(),
        arrows: shadow.querySelectorAll('g.transition').length,
        twoTargets: shadow.querySelectorAll('g.transition[data-edge="toy.idle|JUMP|0"] path').length,
        active: [...shadow.querySelectorAll<SVGGElement>('g.state.active')].map((node) => node.dataset.state).sort(),
        markup: shadow.innerHTML,
        labels: [...shadow.querySelectorAll('g.label')].map((label) => label.textContent),
        status: shadow.querySelector<HTMLElement>('[data-testid="devtools-status"]')!.dataset,
        token: shadow.querySelector('[data-testid="devtools-token"]')!.textContent,
      };
    });
    const { toyMachine } = await import('./support/toy-machine.js');
    expect(drawn.states.map((line) => line.split(' ')[0]).sort()).toEqual(definedStateIds(toyMachine).sort());
    expect(drawn.states).toEqual(
      expect.arrayContaining([
        'toy cluster',
        'toy.working cluster',
        'toy.working.left cluster',
        'toy.working.right.d box',
        'toy.done box',
      ]),
    );
    expect(drawn.arrows).toBe(definedTransitionCount(toyMachine));
    expect(drawn.twoTargets).toBe(2);
    expect(drawn.active).toEqual(['toy', 'toy.idle']);
    expect(drawn.labels).toEqual(expect.arrayContaining(['<GO>', 'after 500ms', '[always] ready', 'done job']));
    expect(drawn.markup).not.toContain('<GO>');
    expect(drawn.markup).not.toContain('<b>');
    expect(drawn.status).toMatchObject({ status: 'warming-up', known: 'false' });
    // No token fields in this context, and no `on` to hear token events from: it says so.
    expect(drawn.token).toBe('not visible in this machine');

    await page.evaluate(() =>
      (window as unknown as { toy: { send(event: { type: string }): void } }).toy.send({ type: '<GO>' }),
    );
    await page.waitForFunction(
      () =>
        document
          .querySelector('#toy [data-iadvize-devtools]')!
          .shadowRoot!.querySelector('g.state.active[data-state="toy.working.left.a"]') !== null,
    );
    const marked = await toy.evaluate((element) =>
      [...element.shadowRoot!.querySelectorAll<SVGGElement>('g.transition.last')].map((edge) => edge.dataset.edge),
    );
    expect(marked).toEqual(['toy.idle|<GO>|0']);
  });

  it("leaves the host page's computed styles as they were, and the page's CSS does not reach the panel", async () => {
    await open('');
    const styles = () =>
      page.evaluate(() =>
        [...document.body.querySelectorAll('*')]
          .filter((element) => !element.hasAttribute('data-iadvize-devtools'))
          .map((element) => {
            const style = getComputedStyle(element);
            return `${element.tagName} ${['display', 'font-family', 'font-size', 'color', 'background-color', 'margin', 'padding', 'border', 'fill', 'stroke', 'letter-spacing', 'text-transform'].map((name) => style.getPropertyValue(name)).join(' | ')}`;
          }),
      );
    const before = await styles();
    const documentSheets = await page.evaluate(() => document.styleSheets.length + document.adoptedStyleSheets.length);
    await host((h) => h.enableDevtools());
    await panel('devtools-panel').waitFor();
    expect(await styles()).toEqual(before);
    expect(await page.evaluate(() => document.styleSheets.length + document.adoptedStyleSheets.length)).toBe(
      documentSheets,
    );

    // The page styles `.panel`, `.toggle`, `button`, `svg rect` and `*`: none of it shows inside.
    const inside = await page.evaluate(() => {
      const shadow = document.querySelector('[data-iadvize-devtools]')!.shadowRoot!;
      const style = (selector: string) => getComputedStyle(shadow.querySelector(selector)!);
      return {
        panelDisplay: style('.panel').display,
        toggleBackground: style('.toggle').backgroundColor,
        toggleFont: style('.toggle').fontFamily,
        rectFill: style('g.state rect').fill,
        listBorder: style('.timeline').borderStyle,
      };
    });
    expect(inside.panelDisplay).not.toBe('none');
    expect(inside.toggleBackground).not.toBe('rgb(255, 105, 180)');
    expect(inside.toggleFont).not.toContain('Courier');
    expect(inside.rectFill).not.toBe('rgb(0, 255, 0)');
    expect(inside.listBorder).not.toBe('dotted');
    // Styled under the page's strict CSP (no 'unsafe-inline' styles), nothing refused while mounting
    // and running; and the CSP is really in force: an inline <style> without the page's nonce is refused.
    await host((h) => h.signIn('alice'));
    await waitForStatus('active');
    expect(await panel('devtools-toggle').evaluate((toggle) => getComputedStyle(toggle).backgroundColor)).toBe(
      'rgb(16, 42, 67)',
    );
    expect(consoleErrors.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);
    const inlineStyleApplies = await page.evaluate(() => {
      const style = Object.assign(document.createElement('style'), {
        textContent: 'h1 { color: rgb(1, 2, 3) !important; }',
      });
      document.head.append(style);
      const applied = getComputedStyle(document.querySelector('h1')!).color === 'rgb(1, 2, 3)';
      style.remove();
      return applied;
    });
    expect(inlineStyleApplies).toBe(false);
    expect(consoleErrors.filter((line) => /Content Security Policy/i.test(line))).toHaveLength(1);
  });

  it('keeps every token and key out of its DOM (shadow root included) and out of the exported JSON', async () => {
    await open();
    await host((h) => h.signIn('alice'));
    await waitForStatus('active');
    // A second token on the wire: the tag's re-verification fetches a new one (tokens are single-use).
    await page.evaluate(() => (window as unknown as HostWindow).iAdvizeFake.expireSession());
    await panel('devtools-timeline').filter({ hasText: 'emitted token.refreshed' }).waitFor({ timeout: WAIT_MS });

    const download = page.waitForEvent('download');
    await panel('devtools-download').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('iadvize-activation-report.json');
    const exported = await readFile((await saved.path())!, 'utf8');
    const report = JSON.parse(exported) as {
      machine: string;
      value: unknown;
      state: { status: string; identity: string };
      timeline: { entries: unknown[] };
    };
    expect(report).toMatchObject({ machine: 'activation', state: { status: 'active', identity: 'alice' } });
    expect(report.value).toEqual(await host((h) => h.value()));
    expect(report.timeline.entries.length).toBeGreaterThan(5);
    expect(await panel('devtools-export-status').textContent()).toBe('saved as iadvize-activation-report.json');

    const tokens = await receivedTokens();
    expect(tokens).toHaveLength(2);
    for (const [where, text] of [
      ['the DOM', await panelMarkup()],
      ['the exported JSON', exported],
    ] as const) {
      expectNoTokenIn(text, tokens, where);
      for (const pattern of TOKEN_LIKE) expect(pattern.exec(text)?.[0], where).toBeUndefined();
    }
    // The timeline still says where a token went by.
    expect(await panel('devtools-timeline').textContent()).toContain('token:"[redacted]"');
  });

  it('is usable from the keyboard: a focusable toggle, Escape collapses, a labelled region', async () => {
    await open();
    const toggle = panel('devtools-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByRole('region', { name: 'iadvize-activation devtools' }).isVisible()).toBe(true);
    await panel('devtools-download').focus();
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await panel('devtools-body').isHidden()).toBe(true);
    expect(
      await page.evaluate(() =>
        document.querySelector('[data-iadvize-devtools]')!.shadowRoot!.activeElement?.getAttribute('data-testid'),
      ),
    ).toBe('devtools-toggle');
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await panel('devtools-body').isVisible()).toBe(true);
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() =>
        document.querySelector('[data-iadvize-devtools]')!.shadowRoot!.activeElement?.getAttribute('data-testid'),
      ),
    ).toBe('devtools-fit');
    // Enter on it shows the chart at its actual size, scrollable; again, the whole chart.
    const fit = () => panel('devtools-graph').getAttribute('data-fit');
    expect([await fit(), await panel('devtools-fit').textContent()]).toEqual(['true', 'Actual size']);
    await page.keyboard.press('Enter');
    expect([await fit(), await panel('devtools-fit').textContent()]).toEqual(['false', 'Fit to width']);
    const scrollable = await page.evaluate(() => {
      const box = document
        .querySelector('[data-iadvize-devtools]')!
        .shadowRoot!.querySelector<HTMLElement>('[data-testid="devtools-graph"]')!;
      return box.scrollWidth > box.clientWidth;
    });
    expect(scrollable).toBe(true);
    await page.keyboard.press('Enter');
    expect(await fit()).toBe('true');
    expect(
      await page.getByRole('img', { name: /^Statechart of activation: \d+ states, \d+ transitions$/ }).count(),
    ).toBe(1);
  });

  it('is loaded only when asked for, and unmount removes it and stops following the actor', async () => {
    const devtoolsChunk = [...site.files].find(([, text]) => text.includes('iadvize-activation devtools'))?.[0];
    expect(devtoolsChunk).toMatch(/^\/[\w-]+\.js$/);
    expect(devtoolsChunk).not.toBe('/app.js');
    expect(site.files.get('/app.js')).not.toContain('iadvize-activation devtools');

    await open('');
    expect(site.requests).not.toContain(devtoolsChunk);
    expect(await page.locator('[data-iadvize-devtools]').count()).toBe(0);

    await open();
    expect(site.requests).toContain(devtoolsChunk);
    await host((h) => h.unmountDevtools());
    expect(await page.locator('[data-iadvize-devtools]').count()).toBe(0);
    await host((h) => h.signIn('alice'));
    await waitForStatusOnly('active');
    expect(await page.locator('[data-iadvize-devtools]').count()).toBe(0);
  });

  async function waitForStatusOnly(status: string): Promise<void> {
    await page.waitForFunction((expected) => (window as unknown as HostWindow).host.status() === expected, status, {
      timeout: WAIT_MS,
    });
  }
});

/** The state node ids a snapshot value names, ancestors and the root included (`activation.visitor.secured.activation.active`). */
function idsOfValue(value: unknown, prefix = 'activation'): string[] {
  if (typeof value === 'string') return [prefix, `${prefix}.${value}`].filter((id, i, all) => all.indexOf(id) === i);
  const ids = [prefix];
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    ids.push(...idsOfValue(inner, `${prefix}.${key}`));
  }
  return [...new Set(ids)];
}
