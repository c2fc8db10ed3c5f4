// Test paths generated from the activation machine, ready to play against the fake iAdvize:
//
//   const suite = createActivationTestPaths({ policy: { onTokenFailure: 'anonymous' } });
//   for (const path of suite.paths) {
//     test(path.name, async () => {
//       const world = await createFakeWorld({ keys, ...suite.worldOptions, tokenSource, mount });
//       try { await path.run(world); } finally { await world.dispose(); }
//     });
//   }
//
// Paths come from xstate/graph: the shortest path to every state of the model, one more path
// for each machine transition those do not take, and, with `simple`, every simple path of a
// small vocabulary. See activation-model.ts for what each step stands for.
import type { ActivationMachine, ActivationPolicy } from '../../../machines/activation.js';
import {
  createActivationModel,
  type ActivationModel,
  type ModelEvent,
  type ModelSnapshot,
  type ModelState,
} from './activation-model.js';
import { describeAction, playModelPath } from './model-driver.js';
import { machineTransitions } from './transitions.js';
import { NEVER_MS, type FakeWorld, type FakeWorldOptions } from './world.js';

export type PathKind = 'shortest' | 'transition' | 'simple';

export interface ActivationTestPath {
  readonly kind: PathKind;
  /** Short, for a test title: kind, number, length and the state reached. */
  readonly name: string;
  /** Every step in words. */
  readonly description: string;
  /** The model events, in order. */
  readonly events: readonly ModelEvent[];
  /** The machine transitions the path takes (the site's ignored events at each state come on top). */
  readonly transitions: ReadonlySet<string>;
  /** Plays the path against a world made with the suite's `worldOptions`; throws at the first difference. */
  run(world: FakeWorld): Promise<void>;
}

export interface ActivationTestPathsOptions {
  /** The machine to model. Default the library's; a variant lets a change be checked before it lands. */
  readonly machine?: ActivationMachine;
  readonly policy?: Partial<ActivationPolicy>;
  /**
   * Also every simple path (no state twice) over the events this filter keeps. Simple paths
   * grow exponentially: keep the vocabulary small (see SIMPLE_PATH_VOCABULARY).
   */
  readonly simple?: (event: ModelEvent) => boolean;
}

/** The world a suite's paths are made for: held calls, and delays that never overlap by accident. */
export type ModelWorldOptions = Required<
  Pick<
    FakeWorldOptions,
    'policy' | 'timeouts' | 'tokenTtlMs' | 'loadTimeoutMs' | 'sessionLifetimeMs' | 'retries' | 'hold'
  >
>;

export interface ActivationTestPaths {
  readonly model: ActivationModel;
  readonly paths: readonly ActivationTestPath[];
  /** Spread into createFakeWorld (add your keys, fetchToken and mount). */
  readonly worldOptions: ModelWorldOptions;
  /** Every transition of the machine's definition (transitionKey). */
  readonly machineTransitions: ReadonlySet<string>;
}

/**
 * A small vocabulary for simple paths: the site signs one visitor in and out and resets; the
 * token endpoint answers or fails; iAdvize accepts, errors, or the script is blocked; logout
 * completes. No provider calls, no timeouts, no port faults.
 */
export const SIMPLE_PATH_VOCABULARY = (event: ModelEvent): boolean =>
  (event.type !== 'SIGN_IN' || (event as { identity?: string }).identity === 'alice') &&
  event.type !== 'TOKEN_REQUESTED' &&
  !event.type.startsWith('xstate.after.') &&
  (!event.type.startsWith('xstate.error.') || event.type.endsWith('.fetchingToken') || event.type.endsWith('.loading'));

const MODEL_TIMING = {
  timeouts: { tokenFetchMs: 5_000, activationMs: 20_000, logoutMs: 5_000 },
  tokenTtlMs: 30_000,
  // Longer than the activation timeout: a script that never loads is the machine's timeout to report.
  loadTimeoutMs: 10 * 60_000,
  // Sessions are re-verified by the paths' provider calls, not by the clock.
  sessionLifetimeMs: NEVER_MS,
  // One provider call per activate: the model's step for iAdvize's answer includes it.
  retries: 0,
} as const;

export function createActivationTestPaths(options: ActivationTestPathsOptions = {}): ActivationTestPaths {
  const model = createActivationModel({
    ...(options.machine === undefined ? {} : { machine: options.machine }),
    policy: options.policy ?? {},
    timeouts: MODEL_TIMING.timeouts,
    tokenTtlMs: MODEL_TIMING.tokenTtlMs,
  });
  const { testModel } = model;
  const paths: ActivationTestPath[] = [];
  const covered = new Set<string>();
  const add = (kind: PathKind, events: readonly ModelEvent[]) => {
    const path = makePath(model, kind, paths.filter((p) => p.kind === kind).length + 1, events);
    for (const key of path.transitions) covered.add(key);
    paths.push(path);
  };
  const eventsOf = (path: { steps: ReadonlyArray<{ event: ModelEvent }> }) =>
    path.steps.slice(1).map((step) => step.event);

  for (const path of testModel.getShortestPaths()) add('shortest', eventsOf(path));

  // Transitions into states already reached another way: the shortest way to take each one.
  const shortestTo = new Map(
    testModel.getShortestPaths({ allowDuplicatePaths: true }).map((path) => [model.key(path.state), eventsOf(path)]),
  );
  const edges: Array<{ events: ModelEvent[]; taken: readonly string[] }> = [];
  for (const [vertex, { transitions }] of Object.entries(testModel.getAdjacencyMap())) {
    const prefix = shortestTo.get(vertex);
    if (!prefix) continue;
    for (const { event, state } of Object.values(transitions) as Array<{ event: ModelEvent; state: ModelSnapshot }>) {
      edges.push({ events: [...prefix, event], taken: model.stateOf(state)?.taken ?? [] });
    }
  }
  edges.sort((a, b) => a.events.length - b.events.length);
  for (const key of machineTransitions(model.machine)) {
    if (covered.has(key)) continue;
    const edge = edges.find(({ taken }) => taken.includes(key));
    if (edge) add('transition', edge.events);
  }

  if (options.simple) {
    const keep = options.simple;
    for (const path of testModel.getSimplePaths({ filterEvents: (_, event) => keep(event) }))
      add('simple', eventsOf(path));
  }

  return {
    model,
    paths,
    worldOptions: { policy: model.policy, hold: true, ...MODEL_TIMING },
    machineTransitions: machineTransitions(model.machine),
  };
}

function makePath(
  model: ActivationModel,
  kind: PathKind,
  number: number,
  events: readonly ModelEvent[],
): ActivationTestPath {
  let state: ModelState = model.initial();
  const transitions = new Set<string>(state.taken);
  const words: string[] = [];
  for (const event of events) {
    words.push(describeAction(model.actionFor(state, event)));
    state = model.step(state, event);
    for (const key of state.taken) transitions.add(key);
  }
  const reached = model.describeState(state);
  return {
    kind,
    name: `${kind} #${number} (${events.length} steps) → ${reached}`,
    description: `${words.length === 0 ? '(start)' : words.join(' → ')} ⇒ ${reached}`,
    events,
    transitions,
    run: (world) => playModelPath(model, events, world),
  };
}
