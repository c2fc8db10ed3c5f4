// The whole fake iAdvize in one process (Node or browser): a fake window playing the browser,
// the fake server, the fake tag loaded when the adapter adds its script, and `tag`, the REAL
// adapter over that window's queue, so what tests exercise is the adapter itself.
import { DEFAULT_PLATFORM, tagScriptUrl } from '../tag/contract.js';
import { iAdvizeTag } from '../tag/iadvize-tag.js';
import type { TagPort } from '../tag/port.js';
import type { KeyInput } from '../token/verify.js';
import { createCallLog, type CallLog } from './call-log.js';
import { createFakeIAdvizeServer, noServerFaults, type FakeIAdvizeServer, type FakeServerFaults } from './server.js';
import { createFakeTag, type FakeIAdvizeApi, type FakeTagReadings, type FakeTagState } from './tag.js';
import { createFakeWindow, type FakeScriptElement, type FakeWindow } from './window.js';
import { takeOverQueue } from './install-tag.js';
import { createTimers } from './timers.js';

export const DEFAULT_FAKE_SID = 'fake-sid';

/** What the "browser" does with the tag's script, and the server's faults. Change a field at any time. */
export interface FakeIAdvizeFaults extends FakeServerFaults {
  /** 'load' it, 'never' answer (silently blocked), or fire its 'error' event (blocked, unreachable). */
  scriptLoad: 'load' | 'never' | 'error';
  /** How long the script takes to load or to fail, in ms. */
  scriptDelayMs: number;
}

export interface CreateFakeIAdvizeOptions {
  readonly customerPublicKey: KeyInput;
  readonly iadvizePrivateKey: KeyInput;
  /** iAdvize's session lifetime before re-verification. Default 60 min. */
  readonly sessionLifetimeMs?: number;
  readonly sid?: string;
  /** Where the adapter loads the tag from. Default the `ha` platform's URL. */
  readonly scriptUrl?: string;
  /** The adapter's load timeout. Default 15 s. */
  readonly loadTimeoutMs?: number;
  /** The anonymous option type, for the adapter and the tag alike. */
  readonly anonymousType?: string;
  /** The tag's retries after a server error. Default 3. */
  readonly retries?: number;
  /** How the fake reads the docs' open points (tag-contract.md §8). Default DEFAULT_READINGS. */
  readonly readings?: Partial<FakeTagReadings>;
  readonly clockToleranceSeconds?: number;
  readonly expectedIssuer?: string;
  readonly now?: () => number;
  /** Faults from the start (e.g. a script that never loads). */
  readonly faults?: Partial<FakeIAdvizeFaults>;
}

export interface FakeIAdvizeState extends FakeTagState {
  readonly script: 'absent' | 'loading' | 'loaded' | 'failed';
}

export interface FakeIAdvize {
  /** The real adapter over the fake window: hand it to createActivation. */
  readonly tag: TagPort;
  /** The `iAdvize` object, as another script on the page could reach it once loaded. */
  readonly iAdvize: FakeIAdvizeApi;
  readonly server: FakeIAdvizeServer;
  readonly window: FakeWindow;
  readonly state: FakeIAdvizeState;
  subscribe(listener: (state: FakeIAdvizeState) => void): () => void;
  readonly calls: CallLog;
  readonly faults: FakeIAdvizeFaults;
  /**
   * Loads the tag now: finishes a pending load (late, or blocked with 'never'), or, when no
   * script was added yet, loads it as the page's own <script> would (the adapter then adds none).
   */
  load(): void;
  /** Ends the session lifetime now: the tag re-verifies the identity through the provider. */
  expireSession(): Promise<void>;
  /** Clears every timer. */
  dispose(): void;
}

export async function createFakeIAdvize(options: CreateFakeIAdvizeOptions): Promise<FakeIAdvize> {
  const now = options.now ?? Date.now;
  const calls = createCallLog(now);
  const faults: FakeIAdvizeFaults = { ...noServerFaults(), scriptLoad: 'load', scriptDelayMs: 0, ...options.faults };
  const server = await createFakeIAdvizeServer({
    customerPublicKey: options.customerPublicKey,
    iadvizePrivateKey: options.iadvizePrivateKey,
    now,
    calls,
    faults,
    ...(options.clockToleranceSeconds === undefined ? {} : { clockToleranceSeconds: options.clockToleranceSeconds }),
    ...(options.expectedIssuer === undefined ? {} : { expectedIssuer: options.expectedIssuer }),
  });
  const fakeTag = createFakeTag({
    server,
    now,
    calls,
    ...(options.sessionLifetimeMs === undefined ? {} : { sessionLifetimeMs: options.sessionLifetimeMs }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.readings === undefined ? {} : { readings: options.readings }),
    ...(options.anonymousType === undefined ? {} : { anonymousType: options.anonymousType }),
  });
  const scriptUrl = options.scriptUrl ?? tagScriptUrl(DEFAULT_PLATFORM);
  const timers = createTimers();
  const listeners = new Set<(state: FakeIAdvizeState) => void>();
  let script: FakeIAdvizeState['script'] = 'absent';
  let pending: FakeScriptElement | undefined;

  const stateOf = (): FakeIAdvizeState => ({ ...fakeTag.state, script });
  const notify = () => {
    const state = stateOf();
    for (const listener of [...listeners]) listener(state);
  };
  const setScript = (next: FakeIAdvizeState['script']) => {
    script = next;
    notify();
  };
  fakeTag.subscribe(notify);

  const finishLoad = () => {
    if (script === 'loaded') return;
    pending = undefined;
    takeOverQueue(win, fakeTag.iAdvize, calls);
    setScript('loaded');
  };

  /** The browser fetching a script the page added: loads it, fails it or leaves it pending, per the faults. */
  const win = createFakeWindow((element) => {
    if (element.src !== scriptUrl || script !== 'absent') return;
    calls.record({ type: 'script-requested', src: element.src });
    pending = element;
    setScript('loading');
    const { scriptLoad, scriptDelayMs } = faults;
    if (scriptLoad === 'never') return;
    const answer = () => {
      if (pending !== element) return;
      if (scriptLoad === 'load') return finishLoad();
      pending = undefined;
      calls.record({ type: 'script-failed', src: element.src });
      setScript('failed');
      element.fail();
    };
    // Even an instant load comes after the page's current task, as in a browser.
    if (scriptDelayMs > 0) timers.set(answer, scriptDelayMs);
    else void Promise.resolve().then(answer);
  });

  const tag = iAdvizeTag({
    sid: options.sid ?? DEFAULT_FAKE_SID,
    scriptUrl,
    window: win,
    ...(options.loadTimeoutMs === undefined ? {} : { loadTimeoutMs: options.loadTimeoutMs }),
    ...(options.anonymousType === undefined ? {} : { anonymousType: options.anonymousType }),
  });

  return {
    tag,
    iAdvize: fakeTag.iAdvize,
    server,
    window: win,
    get state() {
      return stateOf();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    calls,
    faults,
    load() {
      if (script === 'loaded') return;
      if (!pending) {
        // The page's own <script>: present in the document, so the adapter adds none.
        const element = win.document.createElement('script');
        element.src = scriptUrl;
        win.document.head.appendChild(element);
      }
      finishLoad();
    },
    expireSession: () => fakeTag.expireSession(),
    dispose() {
      timers.dispose();
      fakeTag.dispose();
      server.dispose();
      listeners.clear();
    },
  };
}
