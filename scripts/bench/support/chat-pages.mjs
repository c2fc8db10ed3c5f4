// The pages the time-to-chat benchmark races, each signed in at load: the vendor's snippet
// written by hand, the library bundled as a site would bundle it, the same with the preload
// entry inlined in <head>, and the floor (the snippet's steps in a module shipping the library).
// Every page reports the moment its chat is secured the same way: a performance mark and
// `window.benchResult`, both on the navigation's clock.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { TAG_PATH, TOKEN_PATH } from './chat-site.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const SID = 'bench-sid';
export const USER_ID = 'user-42';

/** Same in every page: where the page says its outcome ('secured', or why not). */
const REPORTER = `<script>window.benchResult=new Promise(function(r){window.benchDone=function(o){performance.mark('secured-chat');r({outcome:o,at:performance.now()})}})</script>`;

/** The vendor's documented snippet, and the sign-in at load written by hand (tag-contract.md §1–2). */
const SNIPPET = `<!doctype html><html><head>${REPORTER}
<script>
window.iAdvizeInterface = window.iAdvizeInterface || [];
iAdvizeInterface.config = { sid: '${SID}' };
</script>
<script async src="${TAG_PATH}"></script>
</head><body><p>signed in</p>
<script>
iAdvizeInterface.push(function (iAdvize) {
  iAdvize.activate(async function () {
    var response = await fetch('${TOKEN_PATH}', { method: 'POST' });
    var token = (await response.json()).token;
    return { authenticationOption: { type: 'SECURED_AUTHENTICATION', token: token } };
  }).then(function (result) {
    var a = result.authentication;
    benchDone(a.status === 'authentication-success' ? 'secured' : 'failed: ' + a.reason);
  }, function (error) { benchDone('failed: ' + error); });
});
</script></body></html>`;

/** The site's own bundle: createActivation, fetchTokenFrom and iAdvizeTag, started and signed in at load. */
const libraryEntry = (preloaded) => `
import { createActivation, fetchTokenFrom } from 'iadvize-activation';
import { iAdvizeTag } from 'iadvize-activation/tag';
${preloaded ? "import { preloadedToken } from 'iadvize-activation/preload';" : ''}
const fetchToken = fetchTokenFrom('${TOKEN_PATH}');
const activation = createActivation({
  tag: iAdvizeTag({ sid: '${SID}', scriptUrl: '${TAG_PATH}' }),
  fetchToken: ${preloaded ? 'preloadedToken(fetchToken)' : 'fetchToken'},
});
activation.subscribe((state) => {
  if (state.status === 'active') benchDone('secured');
  if (state.status === 'failed') benchDone('failed: ' + state.failure.code + ' ' + (state.failure.reason ?? ''));
});
activation.start();
activation.signIn('${USER_ID}');
performance.mark('library-started');
`;

/**
 * The floor for any bundled library: the snippet's own steps (tag script and activate at once)
 * run from a module script that ships the library's code unused. What is left between this page
 * and the snippet is the cost of a module bundle arriving and being compiled, not of the library.
 */
const FLOOR_ENTRY = `
import { createActivation, fetchTokenFrom } from 'iadvize-activation';
import { iAdvizeTag } from 'iadvize-activation/tag';
globalThis.shippedUnused = [createActivation, fetchTokenFrom, iAdvizeTag];
window.iAdvizeInterface = window.iAdvizeInterface || [];
iAdvizeInterface.config = { sid: '${SID}' };
const script = document.createElement('script');
script.async = true;
script.src = '${TAG_PATH}';
document.head.appendChild(script);
iAdvizeInterface.push((iAdvize) => {
  iAdvize.activate(async () => {
    const response = await fetch('${TOKEN_PATH}', { method: 'POST' });
    const { token } = await response.json();
    return { authenticationOption: { type: 'SECURED_AUTHENTICATION', token } };
  }).then(
    ({ authentication: a }) => benchDone(a.status === 'authentication-success' ? 'secured' : 'failed: ' + a.reason),
    (error) => benchDone('failed: ' + error),
  );
});
performance.mark('library-started');
`;

/** esbuild as a site would run it: bundled, minified, ESM for a module script; a mark on its first line. */
async function bundle(source) {
  const result = await build({
    absWorkingDir: root,
    stdin: { contents: source, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    banner: { js: "performance.mark('bundle-start');" },
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles[0].text;
}

const libraryPage = (path, head = '') =>
  `<!doctype html><html><head>${REPORTER}${head}</head><body><p>signed in</p><script type="module" src="${path}.js"></script></body></html>`;

/** The inline entry as a site pastes it: the built IIFE inside its own <script> with data attributes. */
export function inlinePreload() {
  const code = readFileSync(`${root}dist/preload-inline.js`, 'utf8').trim();
  return {
    code,
    tag: `<script data-sid="${SID}" data-token-url="${TOKEN_PATH}" data-script-url="${TAG_PATH}" data-identity="${USER_ID}">${code}</script>`,
  };
}

/** The pages by path, as startChatSite serves them. */
export async function chatPages() {
  const [library, preloaded, floor] = await Promise.all([
    bundle(libraryEntry(false)),
    bundle(libraryEntry(true)),
    bundle(FLOOR_ENTRY),
  ]);
  return {
    '/snippet': { html: SNIPPET },
    '/library': { html: libraryPage('/library'), script: library },
    '/preload': { html: libraryPage('/preload', inlinePreload().tag), script: preloaded },
    '/floor': { html: libraryPage('/floor'), script: floor },
  };
}
