// How a page configures the fake tag script ("iadvize.js" in the demo): where the fake server
// is and how long sessions last. Read from the script's data attributes, its URL's query (the
// adapter adds the script itself, with no attributes), or a global set before it loads.
import { DEFAULT_SESSION_LIFETIME_MS, DEFAULT_TAG_RETRIES } from './tag.js';

/** The global a page may set before the script: `window.iAdvizeFakeConfig = { server, sessionLifetimeMs, retries }`. */
export const FAKE_CONFIG_GLOBAL = 'iAdvizeFakeConfig';
/** The global the script leaves its controller on (state, subscribe, expireSession). */
export const FAKE_TAG_GLOBAL = 'iAdvizeFake';
/** Where the fake server is mounted unless told otherwise. */
export const DEFAULT_FAKE_SERVER_PATH = '/fake-iadvize/authenticate';

export interface FakeTagScriptConfig {
  readonly serverUrl: string;
  readonly sessionLifetimeMs: number;
  readonly retries: number;
}

/** The part of `document.currentScript` read here. */
export interface ConfigSource {
  readonly src?: string;
  getAttribute(name: string): string | null;
}

/**
 * Data attributes (`data-server`, `data-session-lifetime-ms`, `data-retries`) win over the
 * query (`server`, `sessionLifetimeMs`, `retries`), which wins over the global.
 */
export function readScriptConfig(
  script: ConfigSource | null | undefined,
  global: Record<string, unknown>,
): FakeTagScriptConfig {
  const fromGlobal = (global[FAKE_CONFIG_GLOBAL] ?? {}) as Record<string, unknown>;
  const query = queryOf(script?.src);
  const read = (attribute: string, parameter: string): string | undefined => {
    const value = script?.getAttribute(`data-${attribute}`) ?? query?.get(parameter) ?? fromGlobal[parameter];
    return value === null || value === undefined || value === '' ? undefined : String(value);
  };
  return {
    serverUrl: read('server', 'server') ?? DEFAULT_FAKE_SERVER_PATH,
    sessionLifetimeMs: positive(read('session-lifetime-ms', 'sessionLifetimeMs')) ?? DEFAULT_SESSION_LIFETIME_MS,
    retries: whole(read('retries', 'retries')) ?? DEFAULT_TAG_RETRIES,
  };
}

function queryOf(src: string | undefined): URLSearchParams | undefined {
  if (!src) return undefined;
  const start = src.indexOf('?');
  return start === -1 ? undefined : new URLSearchParams(src.slice(start + 1).replace(/#.*$/, ''));
}

function positive(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

function whole(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
}
