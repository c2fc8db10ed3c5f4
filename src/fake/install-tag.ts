// What the tag's script does when it runs: take over `window.iAdvizeInterface` (its config
// and the functions queued so far), run the queue in order, and run later pushes at once.
import { INTERFACE_QUEUE } from '../tag/contract.js';
import type { QueuedFunction, TagWindow, VendorTag } from '../tag/vendor-api.js';
import type { CallLog } from './call-log.js';
import { createFakeTag, type FakeTag, type FakeTagOptions } from './tag.js';

/** Creates the fake tag and installs it on `win` as the loaded script would. */
export function installFakeTag(win: TagWindow, options: FakeTagOptions): FakeTag {
  const tag = createFakeTag(options);
  takeOverQueue(win, tag.iAdvize, tag.calls);
  return tag;
}

/** Replaces the queue with one whose push runs at once, then runs what was queued before. */
export function takeOverQueue(win: TagWindow, iAdvize: VendorTag, calls: CallLog): void {
  const previous = win[INTERFACE_QUEUE];
  const queued: unknown[] = Array.isArray(previous) ? [...previous] : [];
  const run = (fn: unknown) => {
    try {
      if (typeof fn === 'function') (fn as QueuedFunction)(iAdvize);
    } catch (error) {
      // One page function failing must not stop the others, as with the real tag.
      calls.record({ type: 'queued-function-error', message: error instanceof Error ? error.message : String(error) });
    }
  };
  const config = previous?.config;
  win[INTERFACE_QUEUE] = {
    ...(config === undefined ? {} : { config }),
    push(...fns: QueuedFunction[]) {
      fns.forEach(run);
      return fns.length;
    },
  };
  calls.record({ type: 'script-loaded', sid: config?.sid });
  queued.forEach(run);
}
