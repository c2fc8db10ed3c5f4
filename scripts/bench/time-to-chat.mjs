// Time from navigation start to a secured chat (the fake tag's authentication-success) in
// Chromium: the library as a site bundles it, the same with the preload entry inlined in <head>,
// the floor (the snippet's own steps run from a module script that ships the library's code),
// and the anchor, the vendor's snippet written by hand. Same fake tag, token endpoint and fake
// iAdvize server on loopback, with delays injected for the tag script, the token endpoint and
// iAdvize (ms): 300/300/100, 500/100/100, 100/500/100 and 0/0/0. Each run gets a fresh browser
// context (a first visit: nothing cached); the pages take turns, in a rotating order, so
// drift and other load hit them alike; figures are medians.
//
// TIME_TO_CHAT_RUNS=5 runs fewer rounds per setting (default 10; a round loads each page once);
// TIME_TO_CHAT_DELAYS=0/0/0 runs only the settings listed (comma-separated).
// About two minutes on a quiet 2-core machine; several times that when the machine is busy.
import { gzipSync } from 'node:zlib';
import { chatPages, inlinePreload, USER_ID } from './support/chat-pages.mjs';
import { SESSION_COOKIE, startChatSite, TAG_PATH, TOKEN_PATH } from './support/chat-site.mjs';
import { chromiumPlacement, launchPlacedChromium } from './support/chromium.mjs';
import { round } from './support/measure.mjs';

const ALL_SETTINGS = [
  { tagMs: 300, tokenMs: 300, iadvizeMs: 100 },
  { tagMs: 500, tokenMs: 100, iadvizeMs: 100 },
  { tagMs: 100, tokenMs: 500, iadvizeMs: 100 },
  { tagMs: 0, tokenMs: 0, iadvizeMs: 0 },
];
const PAGES = ['snippet', 'library', 'preload', 'floor'];
const RUNS = Number(process.env.TIME_TO_CHAT_RUNS ?? 10);
/** Unmeasured rounds: Chromium's and V8's first-use costs before the first setting, then one to settle each new delay. */
const warmUpRounds = (settingIndex) => (settingIndex === 0 ? 3 : 1);
/** A page that has not reported by then has hung: fail the run rather than the whole bench. */
const RUN_TIMEOUT_MS = 30_000;
/** The goals for the library (without the preload): at most these times the snippet. */
const GOALS = { '300/300/100': 0.7, '0/0/0': 1.05 };

const label = ({ tagMs, tokenMs, iadvizeMs }) => `${tagMs}/${tokenMs}/${iadvizeMs}`;
const SETTINGS = process.env.TIME_TO_CHAT_DELAYS
  ? ALL_SETTINGS.filter((s) => process.env.TIME_TO_CHAT_DELAYS.split(',').includes(label(s)))
  : ALL_SETTINGS;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => (value === undefined ? undefined : Math.round(value));

export async function run() {
  const site = await startChatSite(await chatPages());
  const placement = chromiumPlacement();
  const chromium = await launchPlacedChromium(placement);
  const perSetting = {};
  try {
    for (const [index, setting] of SETTINGS.entries()) {
      site.delays = setting;
      const runs = Object.fromEntries(PAGES.map((page) => [page, []]));
      const warmUp = warmUpRounds(index);
      for (let round = 0; round < warmUp + RUNS; round++) {
        // Rotating order: over every PAGES.length rounds, each page takes each place once.
        const order = PAGES.map((_, i) => PAGES[(i + round) % PAGES.length]);
        for (const page of order) {
          const measured = await loadOnce(chromium.browser, site, page);
          if (round >= warmUp) runs[page].push(measured);
        }
      }
      perSetting[label(setting)] = summarise(runs);
    }
  } finally {
    await chromium.close();
    await site.close();
  }

  // A run filtered by TIME_TO_CHAT_DELAYS reports its first setting and no verdict.
  const mainLabel = perSetting['300/300/100'] ? '300/300/100' : Object.keys(perSetting)[0];
  const main = perSetting[mainLabel];
  const unloaded = perSetting['0/0/0'];
  const inline = Buffer.from(inlinePreload().code);
  return {
    name: `time to a secured chat, ${mainLabel} ms (library)`,
    value: main.library.ms,
    unit: 'ms',
    anchor: 'ms, vendor snippet by hand',
    anchorValue: main.snippet.ms,
    ratio: main.ratio,
    goal: `<= ${GOALS['300/300/100']} at 300/300/100, <= ${GOALS['0/0/0']} at 0/0/0 (now ${unloaded?.ratio ?? 'not run'})`,
    met:
      perSetting['300/300/100'] !== undefined &&
      unloaded !== undefined &&
      main.ratio <= GOALS['300/300/100'] &&
      unloaded.ratio <= GOALS['0/0/0'],
    details: {
      runsPerPage: RUNS,
      placement: placement.description,
      preloadInlineBytes: { raw: inline.length, gzip: gzipSync(inline, { level: 9 }).length },
      // Per setting (tag/token/iAdvize delay, ms): medians, ratios to the snippet, and in how many
      // of the runs paired by round the library was the faster.
      ...Object.fromEntries(
        Object.entries(perSetting).map(([name, s]) => [
          name,
          {
            snippetMs: s.snippet.ms,
            libraryMs: s.library.ms,
            preloadMs: s.preload.ms,
            libraryRatio: s.ratio,
            preloadRatio: s.preloadRatio,
            libraryFaster: `${s.libraryFaster}/${RUNS}`,
            preloadFaster: `${s.preloadFaster}/${RUNS}`,
            // The snippet's own steps from a module script shipping the library unused: what
            // any bundled library pays before its first line runs.
            floorMs: s.floor.ms,
            floorRatio: s.floorRatio,
            // When each page's requests left, in ms after navigation start.
            tokenRequestAtMs: Object.fromEntries(PAGES.map((page) => [page, s[page].tokenAtMs])),
            tagRequestAtMs: Object.fromEntries(PAGES.map((page) => [page, s[page].tagAtMs])),
            // The library's main thread before its first request: when its bundle's first line
            // ran, and from there to its first request (token or tag script) and to the end of
            // start() + signIn().
            libraryMainThread: {
              bundleStartMs: s.library.bundleStartMs,
              toFirstRequestMs: s.library.bundleToFirstRequestMs,
              toTokenRequestMs: s.library.bundleToTokenMs,
              toStartedMs: s.library.bundleToStartedMs,
            },
          },
        ]),
      ),
    },
  };
}

/** One page load in a fresh context, signed in by cookie: when its chat was secured, and its requests. */
async function loadOnce(browser, site, page) {
  const context = await browser.newContext();
  try {
    await context.addCookies([{ name: SESSION_COOKIE, value: USER_ID, url: site.origin }]);
    const tab = await context.newPage();
    const before = { ...site.counts };
    // The outcome is read from the page's own clock: when Node notices it does not matter.
    await tab.goto(`${site.origin}/${page}`, { waitUntil: 'domcontentloaded' });
    const seen = await tab.evaluate(
      async ([tokenPath, tagPath, timeoutMs]) => {
        const timeout = new Promise((resolve) =>
          setTimeout(() => resolve({ outcome: `no result within ${timeoutMs} ms` }), timeoutMs),
        );
        const { outcome, at } = await Promise.race([window.benchResult, timeout]);
        const startOf = (path) =>
          performance.getEntriesByType('resource').find((entry) => new URL(entry.name).pathname === path)?.startTime;
        const mark = (name) => performance.getEntriesByName(name, 'mark')[0]?.startTime;
        return {
          outcome,
          at,
          tokenStart: startOf(tokenPath),
          tagStart: startOf(tagPath),
          bundleStart: mark('bundle-start'),
          started: mark('library-started'),
        };
      },
      [TOKEN_PATH, TAG_PATH, RUN_TIMEOUT_MS],
    );
    if (seen.outcome !== 'secured') throw new Error(`the ${page} page did not reach a secured chat: ${seen.outcome}`);
    const requests = Object.fromEntries(
      Object.entries(site.counts).map(([name, count]) => [name, count - before[name]]),
    );
    // Exactly one token, one tag script, one authentication: anything else is a different flow.
    if (requests.token !== 1 || requests.tag !== 1 || requests.iadvize !== 1) {
      throw new Error(`the ${page} page made ${JSON.stringify(requests)} requests (expected one of each)`);
    }
    return seen;
  } finally {
    await context.close();
  }
}

function summarise(runs) {
  const of = (page) => {
    const list = runs[page];
    const library = list[0]?.bundleStart !== undefined;
    return {
      ms: ms(median(list.map(({ at }) => at))),
      tokenAtMs: ms(median(list.map(({ tokenStart }) => tokenStart))),
      tagAtMs: ms(median(list.map(({ tagStart }) => tagStart))),
      ...(library
        ? {
            bundleStartMs: ms(median(list.map(({ bundleStart }) => bundleStart))),
            bundleToFirstRequestMs: ms(
              median(list.map(({ bundleStart, tokenStart, tagStart }) => Math.min(tokenStart, tagStart) - bundleStart)),
            ),
            bundleToTokenMs: ms(median(list.map(({ bundleStart, tokenStart }) => tokenStart - bundleStart))),
            bundleToStartedMs: ms(median(list.map(({ bundleStart, started }) => started - bundleStart))),
          }
        : {}),
    };
  };
  const [snippet, library, preload, floor] = PAGES.map(of);
  const faster = (page) => runs[page].filter(({ at }, i) => at < runs.snippet[i].at).length;
  return {
    snippet,
    library,
    preload,
    floor,
    ratio: round(library.ms / snippet.ms, 2),
    preloadRatio: round(preload.ms / snippet.ms, 2),
    floorRatio: round(floor.ms / snippet.ms, 2),
    libraryFaster: faster('library'),
    preloadFaster: faster('preload'),
  };
}
