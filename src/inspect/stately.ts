// connectStatelyInspector(): live inspection in Stately's inspector (https://stately.ai/inspect).
// The inspector UI is served by stately.ai, so this needs the internet; the offline inspector
// (createInspector) does not. `@statelyai/inspect` is imported only when this is called, so it
// never lands in the library's bundles, and must be installed by whoever calls it.
import type { InspectionEvent, Observer } from 'xstate';
import { redactValue } from '../redact.js';

export type StatelyInspectorOptions =
  | {
      /** In a browser (the default): opens the inspector in a new window, or in `iframe`. */
      readonly transport?: 'browser';
      /** The inspector's address (default https://stately.ai/inspect). */
      readonly url?: string;
      readonly iframe?: HTMLIFrameElement;
      /** Start at once (default true); otherwise call `start()`. */
      readonly autoStart?: boolean;
    }
  | {
      /**
       * In Node: sends to a WebSocket server, e.g. `createInspectorServer()` from
       * `@statelyai/inspect/server`, which opens the inspector in a browser.
       */
      readonly transport: 'websocket';
      /** e.g. `ws://localhost:8080`. */
      readonly url: string;
      readonly autoStart?: boolean;
    };

export interface StatelyInspector {
  /** Pass it as createActivation's `inspect` option. */
  readonly inspect: Observer<InspectionEvent>;
  start(): void;
  stop(): void;
}

export async function connectStatelyInspector(options: StatelyInspectorOptions = {}): Promise<StatelyInspector> {
  if (options.transport !== 'websocket' && typeof window === 'undefined') {
    throw new Error(
      "connectStatelyInspector: no browser window here; in Node pass { transport: 'websocket', url } and run @statelyai/inspect/server.",
    );
  }
  const stately = await import('@statelyai/inspect');
  // Everything sent leaves the page for stately.ai: redact whole events, not only context and
  // event payloads (an invoked actor's snapshot carries the fetched token as its output).
  const common = { serialize: redactForStately, autoStart: options.autoStart ?? true };
  const inspector =
    options.transport === 'websocket'
      ? stately.createWebSocketInspector({ ...common, url: options.url })
      : stately.createBrowserInspector({
          ...common,
          ...(options.url === undefined ? {} : { url: options.url }),
          ...(options.iframe === undefined ? {} : { iframe: options.iframe }),
        });
  return { inspect: inspector.inspect, start: () => inspector.start(), stop: () => inspector.stop() };
}

/** Plain data first (snapshots and actor refs have toJSON), then the inspectors' redaction. */
function redactForStately<T>(event: T): T {
  let plain: unknown = event;
  try {
    plain = JSON.parse(JSON.stringify(event)) as unknown;
  } catch {
    // Not serialisable as JSON (a cycle): the redaction bounds cycles itself.
  }
  return redactValue(plain) as T;
}
