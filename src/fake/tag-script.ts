// Browser entry, bundled and served as the page's "iadvize.js": installs the fake tag on
// `window`, talking to the fake server over HTTP. Holds no key: the server has them.
import type { TagWindow } from '../tag/vendor-api.js';
import { createHttpTransport } from './http-transport.js';
import { installFakeTag } from './install-tag.js';
import { FAKE_TAG_GLOBAL, readScriptConfig } from './script-config.js';

const page = window as unknown as TagWindow & Record<string, unknown>;
// currentScript is only set while this script's top level runs.
const config = readScriptConfig(document.currentScript, page);
page[FAKE_TAG_GLOBAL] = installFakeTag(page, {
  server: createHttpTransport(config.serverUrl),
  sessionLifetimeMs: config.sessionLifetimeMs,
  retries: config.retries,
});
