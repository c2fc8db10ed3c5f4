// Regenerates docs/demo.png, the README's picture, from the real demo: builds, starts the demo
// server (`dist/demo/server.js`, development keys in a throwaway folder) on a free loopback
// port, signs Alice in through the page in the system Chromium, and screenshots the page.
// Run it by hand (`node scripts/demo-screenshot.mjs`): a committed file must not change on every test run.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from './chromium.mjs';
import { buildAll } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = join(root, 'docs/demo.png');
/** The README shows it at a glance; past this it is too heavy for a repository picture. */
const MAX_BYTES = 150_000;
/** A laptop's width; the scale keeps the file small while the text stays readable. */
const VIEWPORT = { width: 1280, height: 820 };
const SCALE = 0.8;

await buildAll({ declarations: false });
const keysDir = await mkdtemp(join(tmpdir(), 'iadvize-demo-screenshot-'));
const server = spawn(process.execPath, [join(root, 'dist/demo/server.js'), '--port', '0'], {
  cwd: keysDir,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let browser;
try {
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      const found = /iAdvize activation demo: (http:\/\/\S+)/.exec(seen);
      if (found) resolve(found[1]);
    });
    server.on('exit', (code) => reject(new Error(`the demo server exited (${code}) before saying its URL`)));
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_FLAGS,
  });
  const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: SCALE });
  await page.goto(url);
  await page.getByTestId('sign-in-alice').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="activation-status"]')?.textContent === 'active',
  );
  await page.getByTestId('chat-bubble').filter({ hasText: 'Chat secured as alice' }).waitFor();
  // The panel is imported when the page runs: wait for its graph on the secured state.
  await page.locator('[data-testid="devtools"] g.state.active').first().waitFor();
  // The last transition marked in the graph is the activation's answer: let the panel render it.
  await page.waitForTimeout(300);
  // The window, not the whole page: the shop, the chat bubble, the status and the panel with its graph.
  await page.screenshot({ path: output });
  const { size } = await stat(output);
  console.log(`docs/demo.png: ${size} bytes`);
  if (size > MAX_BYTES) {
    console.error(`docs/demo.png is ${size} bytes, over ${MAX_BYTES}: lower SCALE or the viewport.`);
    process.exitCode = 1;
  }
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  await rm(keysDir, { recursive: true, force: true });
}
