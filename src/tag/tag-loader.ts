// Loading the tag the way the vendor documents it (tag-contract.md §1): the command queue and
// its config on `window`, the async <script>, and queued functions that run once it has loaded.
import { INTERFACE_QUEUE } from './contract.js';
import type { QueuedFunction, TagDocument, TagInterface, TagWindow } from './vendor-api.js';

export interface TagLoaderOptions {
  readonly sid: string;
  readonly scriptUrl: string;
  /** Add the script when the page has none; false when the page loads the tag itself. */
  readonly injectScript: boolean;
}

export interface TagLoader {
  /** Declares the queue and adds the script unless the page already has it. Idempotent. */
  load(): void;
  /**
   * Queues `fn` to run with the `iAdvize` object once the tag has loaded (at once when it
   * has). Returns whether it ran during the push, i.e. the tag had loaded.
   */
  enqueue(fn: (iAdvize: unknown) => void): boolean;
  /** Whether one of this loader's queued functions has run: the tag is there. */
  readonly loaded: boolean;
  /** Why the script could not load, once the browser said so. */
  readonly failure: Error | undefined;
  /** Calls `listener` when the script fails to load; returns the unsubscribe function. */
  onFailure(listener: (error: Error) => void): () => void;
}

export function createTagLoader(win: TagWindow, options: TagLoaderOptions): TagLoader {
  let started = false;
  let loaded = false;
  let failure: Error | undefined;
  const failureListeners = new Set<(error: Error) => void>();

  const fail = (error: Error) => {
    if (failure || loaded) return;
    failure = error;
    for (const listener of [...failureListeners]) listener(error);
  };

  return {
    load() {
      if (started) return;
      started = true;
      declareInterface(win, options.sid);
      if (options.injectScript && win.document) addScript(win.document, options.scriptUrl, fail);
    },
    enqueue(fn) {
      let pushing = true;
      let ranAtOnce = false;
      declareInterface(win, options.sid).push((iAdvize) => {
        loaded = true;
        ranAtOnce ||= pushing;
        fn(iAdvize);
      });
      pushing = false;
      return ranAtOnce;
    },
    get loaded() {
      return loaded;
    },
    get failure() {
      return failure;
    },
    onFailure(listener) {
      failureListeners.add(listener);
      return () => void failureListeners.delete(listener);
    },
  };
}

/** `window.iAdvizeInterface = window.iAdvizeInterface || []` and its `config.sid`, as documented. */
function declareInterface(win: TagWindow, sid: string): TagInterface {
  const queue: TagInterface = (win[INTERFACE_QUEUE] ||= [] as QueuedFunction[]);
  if (queue.config?.sid !== sid) queue.config = { ...queue.config, sid };
  return queue;
}

function addScript(document: TagDocument, src: string, onError: (error: Error) => void): void {
  const present = Array.from(document.getElementsByTagName('script')).some((script) =>
    sameScript(script.getAttribute('src'), src),
  );
  if (present) return;
  if (!document.head) return onError(new Error('the page has no <head> to add the iAdvize tag script to'));
  const script = document.createElement('script');
  script.async = true;
  script.src = src;
  script.addEventListener('error', () =>
    onError(
      new Error(
        `the iAdvize tag script failed to load from ${src} (blocked by an ad blocker, a Content-Security-Policy or the network)`,
      ),
    ),
  );
  document.head.appendChild(script);
}

/** The page's own tag script may differ by protocol or query (`?sid=`): compare what is loaded. */
function sameScript(candidate: string | null, src: string): boolean {
  const bare = (url: string) => url.replace(/^[a-z][a-z0-9+.-]*:(?=\/\/)/i, '').replace(/[?#].*$/, '');
  return candidate !== null && bare(candidate) === bare(src);
}
