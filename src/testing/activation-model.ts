// The activation machine as a test model (xstate/graph), with the world around it.
//
// createTestModel refuses machines with `invoke` and `after`, because it cannot complete an
// actor or let time pass by itself. Here the machine's own internal events are the model's
// steps, and each one is something a driver can make happen in the real system:
//
//   xstate.done.actor.…fetchingToken / …refreshing    the token endpoint answers a real token
//   xstate.error.actor.…fetchingToken / …refreshing   the token endpoint fails (503)
//   xstate.after.tokenFetchTimeout.…                  the endpoint never answers; the clock passes the timeout
//   xstate.done.actor.…activating {ok:true}           the tag loads and iAdvize accepts the token
//   xstate.done.actor.…activating {server-error}      iAdvize's server errors (the fake; its own retries run)
//   xstate.done.actor.…activating {tag-unavailable}   the tag script is blocked
//   xstate.error.actor.…activating                    the tag port throws
//   xstate.after.activationTimeout.…                  the script never loads, or iAdvize never answers
//   xstate.done/error/after …signingOut               logout completes / throws / never answers
//   xstate.after.tokenTtl.…                           the clock passes the token's reuse time
//   TOKEN_REQUESTED                                   the tag calls the provider of the current
//                                                     activation, or of an older one
//   SIGN_IN / SIGN_OUT / RESET                        the site's calls on the controller
//
// The model's state is the machine's snapshot plus what the world has become (is the script
// loaded, failed or late; did the controller see the tag ready; which providers the tag
// holds), so that every generated path can really be played against the fake iAdvize.
import { createActor, createMachine, type ActorLogic, type AnyActorScope, type AnyEventObject, type SnapshotFrom } from 'xstate';
import { TestModel } from 'xstate/graph';
import {
  activationMachine,
  DEFAULT_POLICY,
  DEFAULT_TIMEOUTS,
  DEFAULT_TOKEN_TTL_MS,
  type ActivationEmitted,
  type ActivationMachine,
  type ActivationPolicy,
  type ActivationTimeouts,
} from '../../machines/activation.js';
import { viewOf, type ActivationState } from '../activation/view.js';
import { VENDOR_REASONS } from '../tag/contract.js';
import type { TagOutcome } from '../tag/port.js';
import { transitionKey } from './transitions.js';
import { userIdFor } from './world.js';

export type ModelSnapshot = SnapshotFrom<ActivationMachine>;
export type ModelEvent = AnyEventObject;

/** What the world has become, as far as it changes what can happen next. */
export interface WorldEnv {
  /** The tag script: not requested yet, requested and not loaded (late), loaded, or blocked for good. */
  readonly script: 'absent' | 'pending' | 'loaded' | 'failed';
  /** The controller saw the tag ready: it calls the tag's logout when signing out. */
  readonly tagLoaded: boolean;
  /** The tag holds the provider of the current sign-in attempt. */
  readonly currentProvider: boolean;
  /** The tag holds a provider of an earlier attempt. */
  readonly olderProvider: boolean;
  /** The userId of the secured session iAdvize holds, if any. */
  readonly securedAs: string | undefined;
}

export interface ModelState {
  readonly snapshot: ModelSnapshot;
  readonly env: WorldEnv;
  /** What the machine emitted in the step that led here. */
  readonly emitted: readonly ActivationEmitted[];
  /** The transitions taken in that step (`transitionKey`s). */
  readonly taken: readonly string[];
}

export interface ActivationModelOptions {
  /** The machine to model. Default the library's; a variant lets a change be checked before it lands. */
  readonly machine?: ActivationMachine;
  readonly policy?: Partial<ActivationPolicy>;
  readonly timeouts?: Partial<ActivationTimeouts>;
  readonly tokenTtlMs?: number;
}

/** Identities the model signs in with; `undefined` is a signIn() without identity. */
export const MODEL_IDENTITIES = ['alice', 'bob', undefined] as const;
const MODEL_TOKEN = 'model-token';
const MAX_WAITING_PROVIDER_CALLS = 2;

/** The machine's state ids the model drives. */
const NODE = {
  fetching: 'activation.fetchingToken',
  anonymousActivating: 'activation.anonymous.activating',
  securedActivating: 'activation.secured.tag.activating',
  fresh: 'activation.secured.token.fresh',
  refreshing: 'activation.secured.token.refreshing',
  signingOut: 'activation.signingOut',
} as const;

/** The internal event types of the machine, read from its definition. */
export interface InternalEventTypes {
  readonly done: (node: string) => string;
  readonly error: (node: string) => string;
  readonly after: (node: string) => string;
}

export function internalEventTypes(machine: ActivationMachine = activationMachine): InternalEventTypes {
  const node = (id: string) => machine.getStateNodeById(id);
  const invokeId = (id: string) => {
    const invoke = node(id).invoke[0];
    if (!invoke) throw new Error(`the state ${id} invokes nothing`);
    return invoke.id;
  };
  return {
    done: (id) => `xstate.done.actor.${invokeId(id)}`,
    error: (id) => `xstate.error.actor.${invokeId(id)}`,
    after: (id) => {
      const after = node(id).after[0];
      if (!after) throw new Error(`the state ${id} has no delayed transition`);
      return after.eventType;
    },
  };
}

export type ActivationOutcomeKind = 'ok' | 'reject' | 'unavailable' | 'error' | 'timeout';

/** The world action a model event stands for. */
export type WorldAction =
  | { readonly kind: 'sign-in'; readonly identity: string | undefined }
  | { readonly kind: 'sign-out' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'provider-call'; readonly of: 'current' | 'older' | 'latest' }
  | { readonly kind: 'fetch'; readonly answer: 'token' | 'fail' | 'hang'; readonly advanceMs: number }
  | { readonly kind: 'activation'; readonly mode: 'secured' | 'anonymous'; readonly outcome: ActivationOutcomeKind; readonly advanceMs: number }
  | { readonly kind: 'logout'; readonly outcome: 'done' | 'throw' | 'hang'; readonly advanceMs: number }
  | { readonly kind: 'clock'; readonly advanceMs: number };

export interface ActivationModel {
  readonly machine: ActivationMachine;
  readonly policy: ActivationPolicy;
  readonly timeouts: ActivationTimeouts;
  readonly tokenTtlMs: number;
  readonly testModel: TestModel<ModelSnapshot, ModelEvent, unknown>;
  initial(): ModelState;
  step(from: ModelState, event: ModelEvent): ModelState;
  /** The events the world can cause in a state (the site's handled events included). */
  eventsFor(state: ModelState): ModelEvent[];
  /** The site's events the machine ignores or absorbs in a state: nothing may change outside. */
  ignoredFor(state: ModelState): ModelEvent[];
  /** What the driver does for a model event in a state. */
  actionFor(from: ModelState, event: ModelEvent): WorldAction;
  /** States the real system passes through at once (a logout of a tag that never loaded). */
  isTransient(state: ModelState): boolean;
  /** No delay of the machine runs in this state: time passing must change nothing. */
  isTimeless(state: ModelState): boolean;
  /** The public snapshot the controller must show in a state. */
  expectedView(state: ModelState): ActivationState;
  /** A model state as a readable one-liner. */
  describeState(state: ModelState): string;
  /** The graph's vertex for a state: what decides what can happen next. */
  key(snapshot: ModelSnapshot): string;
  /** The model state of a snapshot the model produced (the graph's snapshots included). */
  stateOf(snapshot: ModelSnapshot): ModelState | undefined;
}

export function createActivationModel(options: ActivationModelOptions = {}): ActivationModel {
  const machine = options.machine ?? activationMachine;
  const policy: ActivationPolicy = { ...DEFAULT_POLICY, ...options.policy };
  const timeouts: ActivationTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const tokenTtlMs = options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS;
  const input = { policy, timeouts, tokenTtlMs };
  const types = internalEventTypes(machine);
  const scope = createProbeScope();

  const initialEnv: WorldEnv = { script: 'absent', tagLoaded: false, currentProvider: false, olderProvider: false, securedAs: undefined };
  /** The model state of every snapshot the graph traversal produced, for serialization and events. */
  const states = new WeakMap<object, ModelState>();
  const remember = (state: ModelState) => {
    states.set(state.snapshot, state);
    return state;
  };

  const activationNode = (snapshot: ModelSnapshot) =>
    snapshot.matches({ anonymous: 'activating' }) ? NODE.anonymousActivating : snapshot.matches({ secured: { tag: 'activating' } }) ? NODE.securedActivating : undefined;

  const completionOf = (event: ModelEvent): { node: string; kind: ActivationOutcomeKind } | undefined => {
    for (const node of [NODE.anonymousActivating, NODE.securedActivating]) {
      if (event.type === types.error(node)) return { node, kind: 'error' };
      if (event.type === types.after(node)) return { node, kind: 'timeout' };
      if (event.type === types.done(node)) {
        const outcome = (event as { output?: TagOutcome }).output;
        return { node, kind: outcome?.ok ? 'ok' : outcome?.code === 'tag-unavailable' ? 'unavailable' : 'reject' };
      }
    }
    return undefined;
  };

  const nextEnv = (from: ModelState, event: ModelEvent, next: ModelSnapshot): WorldEnv => {
    const prev = from.snapshot;
    let env = { ...from.env };
    if (next.context.attempt !== prev.context.attempt) env = { ...env, olderProvider: env.olderProvider || env.currentProvider, currentProvider: false };
    const completion = completionOf(event);
    if (completion) {
      const secured = completion.node === NODE.securedActivating;
      if (completion.kind === 'unavailable') env.script = 'failed';
      else if (completion.kind === 'timeout' && env.script !== 'loaded') env.script = 'pending';
      else {
        // The tag was ready: the activate call, and its provider, reached the tag.
        env = { ...env, script: 'loaded', tagLoaded: true, currentProvider: env.currentProvider || secured };
        if (completion.kind === 'ok' && secured) env.securedAs = userIdFor(prev.context.visitor?.identity);
      }
    } else if (activationNode(prev) !== undefined && activationNode(prev) !== activationNode(next) && env.script === 'absent') {
      // Interrupted while held: the adapter, told of the abort, still added the script, which loads.
      env.script = 'loaded';
    }
    if (event.type === types.done(NODE.signingOut)) env.securedAs = undefined;
    return env;
  };

  const step = (from: ModelState, event: ModelEvent): ModelState => {
    scope.reset();
    // A fresh object per step: the graph keys its vertices by snapshot object.
    const snapshot = { ...machine.transition(from.snapshot, event as never, scope.scope) } as ModelSnapshot;
    return remember({ snapshot, env: nextEnv(from, event, snapshot), emitted: scope.emitted(), taken: scope.taken() });
  };

  const initial = (): ModelState => {
    scope.reset();
    const snapshot = { ...machine.getInitialSnapshot(scope.scope, input) } as ModelSnapshot;
    return remember({ snapshot, env: initialEnv, emitted: scope.emitted(), taken: scope.taken() });
  };

  const siteEvents = (): ModelEvent[] => [
    ...MODEL_IDENTITIES.map((identity) => (identity === undefined ? { type: 'SIGN_IN' } : { type: 'SIGN_IN', identity })),
    { type: 'SIGN_OUT' },
    { type: 'RESET' },
  ];

  const providerCall = (snapshot: ModelSnapshot, of: 'current' | 'older'): ModelEvent => ({
    type: 'TOKEN_REQUESTED',
    requestId: snapshot.context.waitingRequests.length + 1,
    attempt: of === 'current' ? snapshot.context.attempt : snapshot.context.attempt - 1,
  });

  const isTransient = (state: ModelState) => state.snapshot.matches('signingOut') && !state.env.tagLoaded;

  const eventsFor = (state: ModelState): ModelEvent[] => {
    const { snapshot, env } = state;
    // The real logout of a tag that never loaded ends at once: nothing else can happen first.
    if (isTransient(state)) return [{ type: types.done(NODE.signingOut) }];
    const events: ModelEvent[] = siteEvents().filter((event) => snapshot.can(event as never));
    const completions = (node: string) => [{ type: types.done(node), output: { token: MODEL_TOKEN } }, { type: types.error(node), error: 'the token endpoint answered 503' }, { type: types.after(node) }];
    if (snapshot.matches('fetchingToken')) events.push(...completions(NODE.fetching));
    const activating = activationNode(snapshot);
    if (activating) {
      const ok: TagOutcome = { ok: true };
      const reject: TagOutcome = { ok: false, code: 'server-error', reason: VENDOR_REASONS.serverError };
      const unavailable: TagOutcome = { ok: false, code: 'tag-unavailable' };
      if (env.script === 'failed') events.push({ type: types.done(activating), output: unavailable });
      else {
        events.push({ type: types.done(activating), output: ok }, { type: types.done(activating), output: reject });
        if (env.script === 'absent') events.push({ type: types.done(activating), output: unavailable });
        events.push({ type: types.error(activating), error: 'the tag port threw' }, { type: types.after(activating) });
      }
    }
    if (snapshot.matches('signingOut')) {
      events.push(
        { type: types.done(NODE.signingOut) },
        { type: types.error(NODE.signingOut), error: 'the tag port threw on logout' },
        { type: types.after(NODE.signingOut) },
      );
    }
    if (snapshot.matches('secured')) {
      if (env.olderProvider) events.push(providerCall(snapshot, 'older'));
      if (snapshot.matches({ secured: { tag: 'active' } })) {
        if (snapshot.matches({ secured: { token: 'fresh' } })) events.push({ type: types.after(NODE.fresh) });
        if (snapshot.matches({ secured: { token: 'refreshing' } })) events.push(...completions(NODE.refreshing));
        if (snapshot.context.waitingRequests.length < MAX_WAITING_PROVIDER_CALLS) events.push(providerCall(snapshot, 'current'));
      }
    } else if (env.currentProvider || env.olderProvider) {
      events.push(providerCall(snapshot, 'current'));
    }
    return events;
  };

  const ignoredFor = (state: ModelState): ModelEvent[] => (isTransient(state) ? [] : siteEvents().filter((event) => !state.snapshot.can(event as never)));

  const actionFor = (from: ModelState, event: ModelEvent): WorldAction => {
    switch (event.type) {
      case 'SIGN_IN':
        return { kind: 'sign-in', identity: (event as { identity?: string }).identity };
      case 'SIGN_OUT':
        return { kind: 'sign-out' };
      case 'RESET':
        return { kind: 'reset' };
      case 'TOKEN_REQUESTED': {
        if (!from.snapshot.matches('secured')) return { kind: 'provider-call', of: 'latest' };
        return { kind: 'provider-call', of: (event as { attempt?: number }).attempt === from.snapshot.context.attempt ? 'current' : 'older' };
      }
    }
    for (const node of [NODE.fetching, NODE.refreshing]) {
      if (event.type === types.done(node)) return { kind: 'fetch', answer: 'token', advanceMs: 0 };
      if (event.type === types.error(node)) return { kind: 'fetch', answer: 'fail', advanceMs: 0 };
      if (event.type === types.after(node)) return { kind: 'fetch', answer: 'hang', advanceMs: timeouts.tokenFetchMs };
    }
    const completion = completionOf(event);
    if (completion) {
      const mode = completion.node === NODE.securedActivating ? 'secured' : 'anonymous';
      return { kind: 'activation', mode, outcome: completion.kind, advanceMs: completion.kind === 'timeout' ? timeouts.activationMs : 0 };
    }
    if (event.type === types.done(NODE.signingOut)) return { kind: 'logout', outcome: 'done', advanceMs: 0 };
    if (event.type === types.error(NODE.signingOut)) return { kind: 'logout', outcome: 'throw', advanceMs: 0 };
    if (event.type === types.after(NODE.signingOut)) return { kind: 'logout', outcome: 'hang', advanceMs: timeouts.logoutMs };
    if (event.type === types.after(NODE.fresh)) return { kind: 'clock', advanceMs: tokenTtlMs };
    throw new Error(`the model has no world action for the event ${event.type}`);
  };

  const describeState = ({ snapshot, env }: ModelState) => {
    const { context } = snapshot;
    const parts = [JSON.stringify(snapshot.value)];
    if (context.visitor) parts.push(`visitor=${context.visitor.identity ?? '(no id)'}`);
    if (context.queuedSignIn) parts.push(`queued=${context.queuedSignIn.identity ?? '(no id)'}`);
    parts.push(`tag=${context.tagSession}`);
    if (context.failure) parts.push(`failure=${context.failure.code}`);
    if (context.refreshFailure) parts.push(`refreshFailure=${context.refreshFailure.code}`);
    if (context.waitingRequests.length > 0) parts.push(`waiting=${context.waitingRequests.length}`);
    parts.push(`script=${env.script}${env.tagLoaded ? ',ready' : ''}${env.securedAs ? `,iAdvize=${env.securedAs}` : ''}`);
    return parts.join(' ');
  };

  const serialize = (snapshot: ModelSnapshot): string => {
    const state = states.get(snapshot);
    if (!state) throw new Error('the model met a snapshot it did not produce');
    const { context, value } = snapshot;
    return JSON.stringify({
      value,
      visitor: context.visitor ? (context.visitor.identity ?? null) : 'none',
      queued: context.queuedSignIn ? (context.queuedSignIn.identity ?? null) : 'none',
      tag: context.tagSession,
      failure: context.failure && `${context.failure.code}/${context.failure.phase}`,
      refresh: context.refreshFailure?.code,
      waiting: context.waitingRequests,
      token: context.token !== undefined,
      env: state.env,
    });
  };

  // The graph traverses the machine through this logic, so that each step updates the world too.
  const logic = Object.create(machine) as ActorLogic<ModelSnapshot, ModelEvent, unknown>;
  Object.assign(logic, {
    transition: (snapshot: ModelSnapshot, event: ModelEvent) => {
      const from = states.get(snapshot);
      if (!from) throw new Error('the model met a snapshot it did not produce');
      return step(from, event).snapshot;
    },
    getInitialSnapshot: () => initial().snapshot,
  });

  const testModel = new TestModel<ModelSnapshot, ModelEvent, unknown>(logic, {
    serializeState: (snapshot) => serialize(snapshot),
    serializeEvent: (event) => JSON.stringify(event),
    events: (snapshot) => {
      const state = states.get(snapshot);
      return state ? eventsFor(state) : [];
    },
  });

  return {
    machine,
    policy,
    timeouts,
    tokenTtlMs,
    testModel,
    initial,
    step,
    eventsFor,
    ignoredFor,
    isTimeless: (state) => !isTransient(state) && state.snapshot._nodes.every((node) => node.after.length === 0),
    actionFor,
    isTransient,
    expectedView: (state) => viewOf(state.snapshot),
    describeState,
    key: serialize,
    stateOf: (snapshot) => states.get(snapshot),
  };
}

/** An actor scope for pure transitions that records the transitions taken and the events emitted. */
function createProbeScope(): { scope: AnyActorScope; reset(): void; taken(): string[]; emitted(): ActivationEmitted[] } {
  let taken: string[] = [];
  let emitted: ActivationEmitted[] = [];
  const probe = createActor(createMachine({}), {
    inspect: (event) => {
      if (event.type === '@xstate.microstep') for (const transition of event._transitions) taken.push(transitionKey(transition));
    },
  });
  const scope = {
    self: probe,
    logger: () => undefined,
    id: '',
    sessionId: 'activation-model',
    // Pure: children are created but never started, nothing is deferred.
    defer: () => undefined,
    system: probe.system,
    stopChild: () => undefined,
    emit: () => undefined,
    actionExecutor: (action: { type: string; params?: unknown }) => {
      if (action.type === 'xstate.emit') emitted.push((action.params as { event: ActivationEmitted }).event);
    },
  } as unknown as AnyActorScope;
  return {
    scope,
    reset() {
      taken = [];
      emitted = [];
    },
    taken: () => taken,
    emitted: () => emitted,
  };
}

