// A controller over the scripted tag, a scripted token source and XState's SimulatedClock.
import { SimulatedClock } from 'xstate';
import {
  ACTIVATION_EVENT_NAMES,
  createActivation,
  type Activation,
  type ActivationEventName,
  type ActivationEventOf,
} from '../../src/index.js';
import type { ActivationOptions, FetchTokenRequest } from '../../src/activation/options.js';
import {
  createScriptedTag,
  deferred,
  fakeJwe,
  flush,
  type Pending,
  type ScriptedTag,
} from '../support/scripted-tag.js';

export type FetchScript = 'ok' | 'fail' | 'manual';

export interface Harness {
  readonly activation: Activation;
  readonly tag: ScriptedTag;
  readonly clock: SimulatedClock;
  readonly fetches: Array<{ request: FetchTokenRequest; answer: Pending<string> }>;
  fetchScript: FetchScript;
  readonly statuses: string[];
  readonly events: Array<ActivationEventOf<ActivationEventName>>;
  /** Advance simulated time, then let promises settle. */
  advance(ms: number): Promise<void>;
}

export function harness(
  options: { tag?: Partial<ScriptedTag['script']>; fetch?: FetchScript } & Partial<
    Pick<ActivationOptions, 'policy' | 'timeouts' | 'tokenTtlMs'>
  > = {},
): Harness {
  const clock = new SimulatedClock();
  const tag = createScriptedTag(options.tag);
  const fetches: Harness['fetches'] = [];
  const h: Harness = {
    clock,
    tag,
    fetches,
    fetchScript: options.fetch ?? 'ok',
    statuses: [],
    events: [],
    activation: undefined as unknown as Activation,
    async advance(ms) {
      clock.increment(ms);
      await flush();
    },
  };
  const activation = createActivation({
    tag,
    clock,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.tokenTtlMs ? { tokenTtlMs: options.tokenTtlMs } : {}),
    fetchToken: (request) => {
      const answer = deferred<string>();
      fetches.push({ request, answer });
      if (h.fetchScript === 'ok') answer.resolve(fakeJwe(`token${fetches.length}`));
      if (h.fetchScript === 'fail') answer.reject(new Error(`backend answered 500 for ${fakeJwe('leaked')}`));
      return answer.promise;
    },
  });
  (h as { activation: Activation }).activation = activation;
  // The status sequence: a snapshot change that keeps the status (the tag script loading) adds nothing.
  const initial = activation.getSnapshot().status;
  activation.subscribe((state) => {
    if ((h.statuses.at(-1) ?? initial) !== state.status) h.statuses.push(state.status);
  });
  for (const type of ACTIVATION_EVENT_NAMES) {
    activation.on(type, (event) => h.events.push(event));
  }
  activation.start();
  return h;
}
