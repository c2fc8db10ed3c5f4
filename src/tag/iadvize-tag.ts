// The real iAdvize tag behind the tag port: the vendor's command queue, the script, and
// `iAdvize.activate` / `logout`, with the project's timeouts and stale-request guard.
import { DEFAULT_ANONYMOUS_TYPE, DEFAULT_PLATFORM, INTERFACE_QUEUE, tagScriptUrl } from './contract.js';
import type { ActivateRequest, TagOutcome, TagPort } from './port.js';
import { createSettlement, settleAfter, settleOnAbort } from './settlement.js';
import { createTagLoader } from './tag-loader.js';
import type { TagWindow } from './vendor-api.js';
import { callActivate, callLogout, describeError, tagError, vendorProvider } from './vendor-calls.js';

export interface IAdvizeTagOptions {
  /** The iAdvize site id (`iAdvizeInterface.config.sid`). */
  readonly sid: string;
  /** The iAdvize platform of the script URL, such as `ha` or `sd`. Default `ha`. */
  readonly platform?: string;
  /** The option type for anonymous activations. Default `ANONYMOUS_AUTHENTICATION` (tag-contract.md §2). */
  readonly anonymousType?: string;
  /** Longest wait for the script to load before `ready` rejects. Default 15 000 ms. */
  readonly loadTimeoutMs?: number;
  /** The script's URL, overriding the platform's (a self-hosted copy, a fake tag in a demo). */
  readonly scriptUrl?: string;
  /** The page's window. Default `globalThis`. */
  readonly window?: TagWindow;
  /**
   * Add `<script async src>` when the page has no tag script yet. Default true; false when
   * the page loads the tag itself. Nothing is added where there is no `document`.
   */
  readonly injectScript?: boolean;
}

export const DEFAULT_LOAD_TIMEOUT_MS = 15_000;

/** The start of every message for a page whose queue refused a function. */
const QUEUE_FAILED = `could not queue on window.${INTERFACE_QUEUE}`;

/** What a request the machine no longer waits for settles with; the machine ignores it. */
const CANCELLED: TagOutcome = { ok: false, code: 'unknown', reason: 'cancelled before the tag answered' };

export function iAdvizeTag(options: IAdvizeTagOptions): TagPort {
  const loadTimeoutMs = options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
  const anonymousType = options.anonymousType ?? DEFAULT_ANONYMOUS_TYPE;
  const page = options.window ?? (globalThis as TagWindow);
  const scriptUrl = options.scriptUrl ?? tagScriptUrl(options.platform ?? DEFAULT_PLATFORM);
  const loader = createTagLoader(page, { sid: options.sid, scriptUrl, injectScript: options.injectScript ?? true });

  return {
    scope: page,
    key: `${options.sid} ${scriptUrl}`,
    ready({ signal }) {
      const settlement = createSettlement<void>();
      try {
        loader.load();
        settleOnAbort(settlement, signal, () =>
          settlement.reject(new Error('stopped waiting for the iAdvize tag: cancelled')),
        );
        watchLoadFailure(settlement.reject, settlement.onSettled);
        if (settlement.settled) return settlement.promise;
        settleAfter(settlement, loadTimeoutMs, () =>
          settlement.reject(
            new Error(`the iAdvize tag did not load within ${loadTimeoutMs} ms (script blocked or unreachable?)`),
          ),
        );
        // A late run (after a timeout or an abort) finds the settlement settled and does nothing.
        loader.enqueue(() => settlement.resolve());
      } catch (error) {
        settlement.reject(new Error(`${QUEUE_FAILED}: ${describeError(error)}`));
      }
      return settlement.promise;
    },

    activate(request: ActivateRequest) {
      const settlement = createSettlement<TagOutcome>();
      const settle = settlement.resolve;
      try {
        loader.load();
        settleOnAbort(settlement, request.signal, () => settle(CANCELLED));
        watchLoadFailure(
          (error) => settle({ ok: false, code: 'tag-unavailable', reason: error.message }),
          settlement.onSettled,
        );
        if (settlement.settled) return settlement.promise;
        const provider = vendorProvider(request, anonymousType);
        // The stale-request guard: a tag loading after sign-out or a timeout activates no one.
        loader.enqueue((iAdvize) => {
          if (!settlement.settled) callActivate(iAdvize, provider, settle);
        });
      } catch (error) {
        settle(tagError(`${QUEUE_FAILED}: ${describeError(error)}`));
      }
      return settlement.promise;
    },

    logout({ signal }) {
      const settlement = createSettlement<void>();
      try {
        // A script that failed to load never ran: no identity to remove.
        if (loader.failure) settlement.resolve();
        settleOnAbort(settlement, signal, () =>
          settlement.reject(new Error('stopped waiting for iAdvize.logout: cancelled')),
        );
        if (settlement.settled) return settlement.promise;
        const ranAtOnce = loader.enqueue((iAdvize) => callLogout(iAdvize, settlement));
        // Not loaded yet: no activation of ours can have run, nothing to wait for. The queued
        // logout still runs first when the tag loads, which is always safe.
        if (!ranAtOnce && !loader.loaded) settlement.resolve();
      } catch (error) {
        settlement.reject(new Error(`${QUEUE_FAILED}: ${describeError(error)}`));
      }
      return settlement.promise;
    },
  };

  /** Settles at once when the script already failed, or as soon as it does. */
  function watchLoadFailure(onFailure: (error: Error) => void, onSettled: (cleanup: () => void) => void): void {
    if (loader.failure) return onFailure(loader.failure);
    onSettled(loader.onFailure(onFailure));
  }
}
