// What the tabs tests do in every tab: a browser context whose pages get the fake tag for the
// vendor's script URL, each page's errors collected, and the page's `window.site` driven and
// waited on. The sites themselves (vanilla, React) differ; this is the harness around them.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BindingSite } from '../../react/support/binding-site.js';

/** A fresh context (one BroadcastChannel, one cookie jar) whose tabs load the fake tag as the vendor's script. */
export async function fakeTagContext(browser: Browser, site: BindingSite): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.route('**/iadvize.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: site.fakeTagJs }),
  );
  return context;
}

/** Collects the page's uncaught errors and console errors in `problems`, but those `expected` lets through. */
export function collectProblems(
  page: Page,
  problems: string[],
  expected: (text: string) => boolean = () => false,
): void {
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !expected(message.text())) problems.push(`console.error: ${message.text()}`);
  });
}

/** Runs `fn` in the page on its `window.site`. */
export const callSite = <Api, T>(page: Page, fn: (site: Api) => T | Promise<T>): Promise<T> =>
  page.evaluate(`(${fn.toString()})(window.site)`) as Promise<T>;

/** Waits until `predicate` (an expression over `s`, the page's `window.site`) holds. */
export const waitForSite = (page: Page, predicate: string, timeout = 10_000) =>
  page.waitForFunction(`(() => { const s = window.site; return ${predicate}; })()`, undefined, { timeout });

/** Waits until the tab's controller shows `status` (for `identity`, if given) and its fake tag is at rest. */
export const settledIn = (page: Page, status: string, identity?: string) =>
  waitForSite(
    page,
    `s.state().status === '${status}' && ${identity === undefined ? 'true' : `s.state().identity === '${identity}'`} && s.tagState()?.activating === false`,
  );
