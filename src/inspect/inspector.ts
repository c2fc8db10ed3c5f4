// createInspector(): the offline inspector. Pass `inspector.inspect` as createActivation's
// `inspect` option; it records a bounded, redacted, time-stamped timeline that a page can
// follow live (subscribe) and a test or a bug report can print (format) or save (toJSON).
import type { InspectionEvent } from 'xstate';
import type { InspectorEntry, InspectorEntryKind, InspectorRecording } from './entries.js';
import { formatTimeline, type FormatOptions } from './format.js';
import { createEntryDrafter } from './entry-drafts.js';
import { createRingBuffer } from './ring-buffer.js';

export interface InspectorOptions {
  /** The most entries kept; the oldest are dropped first (default 500). */
  readonly limit?: number;
  /** The clock for time stamps, in milliseconds (default `Date.now`; tests pass a simulated clock's `now`). */
  readonly now?: () => number;
  /** The kinds of entries recorded (default: transition, actor, emitted). */
  readonly record?: readonly InspectorEntryKind[];
}

export interface Inspector {
  /** XState's inspection callback: pass it as createActivation's (or createActor's) `inspect` option. */
  readonly inspect: (event: InspectionEvent) => void;
  /** The kept entries, oldest first. */
  entries(): readonly InspectorEntry[];
  /** Calls the listener with each new entry; returns the unsubscribe function. */
  subscribe(listener: (entry: InspectorEntry) => void): () => void;
  /** Forgets every entry; the next one is `+0ms` again. */
  clear(): void;
  /** The timeline as readable lines. */
  format(options?: FormatOptions): string;
  toJSON(): InspectorRecording;
}

export const DEFAULT_INSPECTOR_LIMIT = 500;
const DEFAULT_KINDS: readonly InspectorEntryKind[] = ['transition', 'actor', 'emitted'];

export function createInspector(options: InspectorOptions = {}): Inspector {
  const limit = options.limit ?? DEFAULT_INSPECTOR_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`createInspector: limit must be a positive integer number of entries (got ${String(limit)}).`);
  }
  const now = options.now ?? Date.now;
  const buffer = createRingBuffer<InspectorEntry>(limit);
  const drafter = createEntryDrafter(new Set(options.record ?? DEFAULT_KINDS));
  const listeners = new Set<(entry: InspectorEntry) => void>();
  let seq = 0;
  let origin: number | undefined;

  const recording = (): InspectorRecording => ({ limit, dropped: buffer.dropped, origin, entries: buffer.items() });

  return {
    inspect(event) {
      // XState calls this inside the actor's step: nothing thrown here may reach the machine.
      try {
        for (const draft of drafter.draft(event)) {
          const at = now();
          origin ??= at;
          const entry = Object.freeze({ ...draft, seq: seq++, at }) as InspectorEntry;
          buffer.push(entry);
          for (const listener of [...listeners]) notify(listener, entry);
        }
      } catch (error) {
        reportApart(error);
      }
    },
    entries: () => buffer.items(),
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    clear() {
      buffer.clear();
      origin = undefined;
    },
    format: (formatOptions) => formatTimeline(recording(), formatOptions),
    toJSON: recording,
  };
}

/** A throwing listener must not break the machine it watches, nor the other listeners. */
function notify(listener: (entry: InspectorEntry) => void, entry: InspectorEntry): void {
  try {
    listener(entry);
  } catch (error) {
    reportApart(error);
  }
}

/** Rethrown outside the actor's step: the host's usual error reporting sees it. */
function reportApart(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
