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
import {
  createActor,
  createMachine,
  type ActorLogic,
  type AnyActorScope,
  type AnyEventObject,
  type SnapshotFrom,
} from 'xstate';
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
} from '../../../machines/activation.js';
import { viewOf, type ActivationState } from '../../activation/view.js';
import { VENDOR_REASONS } from '../../tag/contract.js';
import type { TagOutcome } from '../../tag/port.js';
import { transitionKey } from './transitions.js';
import { userIdFor } from './world.js';

export type ModelSnapshot = SnapshotFrom<ActivationMachine>;
export type ModelEvent = AnyEventObject;

/** What the world has become, as far as it changes what can happen next (the tag's script is the machine's own state now). */
export interface WorldEnv {
  /** The tag holds the provider of the current sign-in attempt. */
  readonly currentProvider: boolean;
  /** The tag holds a provider of an earlier attempt. */
  readonly olderProvider: boolean;
  /** The userId the activate running at the tag was made for, if it is a secured one. */
  readonly activatingAs: string | undefined;
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
  loading: 'activation.tag.loading',
  tagActivating: 'activation.tag.ready.activating',
  activateWaiting: 'activation.tag.ready.activating.waiting',
  activateOverdue: 'activation.tag.ready.activating.overdue',
  loggingOut: 'activation.tag.ready.loggingOut',
  fetching: 'activation.visitor.fetchingToken',
  fresh: 'activation.visitor.secured.token.fresh',
  refreshing: 'activation.visitor.secured.token.refreshing',
} as const;

/**
 * The tag answers a secured activate after calling the provider once (the model's world runs the
 * fake without retries): one model step, the provider call then the answer. `verdict` is what
 * iAdvize would say of a token; a provider that hands none gets the tag's invalid-option answer.
 */
export const VENDOR_ANSWER = 'model.vendorAnswers';
/** The request id of the provider call the tag makes itself while activating; the driver makes none. */
export const VENDOR_REQUEST_ID = -1;

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

export type ActivationOutcomeKind = 'ok' | 'reject' | 'error' | 'timeout';
/** The tag's answer when the provider gave no token. */
const NO_TOKEN_ANSWER: TagOutcome = { ok: false, code: 'invalid-option', reason: VENDOR_REASONS.invalidOption };

/** The world action a model event stands for. */
export type WorldAction =
  | { readonly kind: 'sign-in'; readonly identity: string | undefined }
  | { readonly kind: 'sign-out' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'provider-call'; readonly of: 'current' | 'older' | 'latest' }
  | { readonly kind: 'fetch'; readonly answer: 'token' | 'fail' | 'hang'; readonly advanceMs: number }
  | { readonly kind: 'tag-load'; readonly outcome: 'load' | 'fail' }
  | {
      readonly kind: 'activation';
      readonly mode: 'secured' | 'anonymous';
      readonly outcome: ActivationOutcomeKind;
      readonly advanceMs: number;
    }
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

  const initialEnv: WorldEnv = {
    currentProvider: false,
    olderProvider: false,
    activatingAs: undefined,
    securedAs: undefined,
  };
  /** The model state of every snapshot the graph traversal produced, for serialization and events. */
  const states = new WeakMap<object, ModelState>();
  const remember = (state: ModelState) => {
    states.set(state.snapshot, state);
    return state;
  };

  const tagActivation = (snapshot: ModelSnapshot) =>
    snapshot.matches({ tag: { ready: 'activating' } }) ? snapshot.context.tagActivation : undefined;

  /** How a model event ends the activate at the tag (`timeout`: only the wait for it ends). */
  const completionOf = (event: ModelEvent, next?: ModelSnapshot): ActivationOutcomeKind | undefined => {
    if (event.type === VENDOR_ANSWER)
      return next
        ? next.context.tagSession === 'none' || next.context.tagSession === 'unknown'
          ? 'reject'
          : 'ok'
        : (event as { verdict?: TagOutcome }).verdict?.ok
          ? 'ok'
          : 'reject';
    if (event.type === types.error(NODE.tagActivating)) return 'error';
    if (event.type === types.after(NODE.activateWaiting)) return 'timeout';
    if (event.type === types.done(NODE.tagActivating))
      return (event as { output?: TagOutcome }).output?.ok ? 'ok' : 'reject';
    return undefined;
  };

  const nextEnv = (from: ModelState, event: ModelEvent, next: ModelSnapshot): WorldEnv => {
    const prev = from.snapshot;
    let env = { ...from.env };
    if (next.context.attempt !== prev.context.attempt)
      env = { ...env, olderProvider: env.olderProvider || env.currentProvider, currentProvider: false };
    const completion = completionOf(event, next);
    const ended = completion !== undefined && completion !== 'timeout';
    if (ended && completion === 'ok' && env.activatingAs !== undefined && next.context.tagSession === 'secured')
      env.securedAs = env.activatingAs;
    if (ended || event.type === types.after(NODE.activateOverdue)) env.activatingAs = undefined;
    if (event.type === types.done(NODE.loggingOut)) env.securedAs = undefined;
    // An activate the tag region starts now: the port gets it, and its provider with it.
    const started = tagActivation(next);
    if (started && started !== tagActivation(prev) && started.call.mode === 'secured') {
      const current = started.call.attempt === next.context.attempt;
      env = {
        ...env,
        activatingAs: userIdFor(next.context.visitor?.identity),
        currentProvider: env.currentProvider || current,
        olderProvider: env.olderProvider || !current,
      };
    }
    return env;
  };

  const transition = (snapshot: ModelSnapshot, event: ModelEvent): ModelSnapshot =>
    ({ ...machine.transition(snapshot, event as never, scope.scope) }) as ModelSnapshot;

  const step = (from: ModelState, event: ModelEvent): ModelState => {
    scope.reset();
    // A fresh object per step: the graph keys its vertices by snapshot object.
    let snapshot: ModelSnapshot;
    if (event.type === VENDOR_ANSWER) {
      const call = from.snapshot.context.tagActivation!.call;
      const asked = transition(from.snapshot, {
        type: 'TOKEN_REQUESTED',
        requestId: VENDOR_REQUEST_ID,
        attempt: call.attempt,
        at: 0,
      });
      const handed = scope
        .emitted()
        .some((emitted) => emitted.type === 'token.provided' && emitted.requestIds.includes(VENDOR_REQUEST_ID));
      snapshot = transition(asked, {
        type: types.done(NODE.tagActivating),
        output: handed ? (event as { verdict?: TagOutcome }).verdict : NO_TOKEN_ANSWER,
      });
    } else {
      snapshot = transition(from.snapshot, event);
    }
    return remember({ snapshot, env: nextEnv(from, event, snapshot), emitted: scope.emitted(), taken: scope.taken() });
  };

  const initial = (): ModelState => {
    scope.reset();
    const snapshot = { ...machine.getInitialSnapshot(scope.scope, input) } as ModelSnapshot;
    return remember({ snapshot, env: initialEnv, emitted: scope.emitted(), taken: scope.taken() });
  };

  const siteEvents = (): ModelEvent[] => [
    ...MODEL_IDENTITIES.map((identity) =>
      identity === undefined ? { type: 'SIGN_IN' } : { type: 'SIGN_IN', identity },
    ),
    { type: 'SIGN_OUT' },
    { type: 'RESET' },
  ];

  const providerCall = (snapshot: ModelSnapshot, of: 'current' | 'older'): ModelEvent => ({
    type: 'TOKEN_REQUESTED',
    requestId: snapshot.context.waitingRequests.length + 1,
    attempt: of === 'current' ? snapshot.context.attempt : snapshot.context.attempt - 1,
    at: 0,
  });

  const eventsFor = (state: ModelState): ModelEvent[] => {
    const { snapshot, env } = state;
    const events: ModelEvent[] = siteEvents().filter((event) => snapshot.can(event as never));
    const completions = (node: string) => [
      { type: types.done(node), output: { token: MODEL_TOKEN } },
      { type: types.error(node), error: 'the token endpoint answered 503' },
      { type: types.after(node) },
    ];
    if (snapshot.matches({ tag: 'loading' })) {
      events.push(
        { type: types.done(NODE.loading) },
        { type: types.error(NODE.loading), error: 'the iAdvize tag script failed to load' },
      );
    }
    if (snapshot.matches({ visitor: 'fetchingToken' })) events.push(...completions(NODE.fetching));
    const running = tagActivation(snapshot);
    if (running) {
      const ok: TagOutcome = { ok: true };
      const reject: TagOutcome = { ok: false, code: 'server-error', reason: VENDOR_REASONS.serverError };
      // A secured activate calls the provider first: the model plays it when the answer comes at once
      // (a token in hand, or a refusal once nobody waits for the activate).
      const handsAtOnce =
        running.call.attempt === snapshot.context.attempt &&
        snapshot.matches({ visitor: { secured: { token: 'fresh' } } });
      if (running.call.mode === 'anonymous')
        events.push(
          { type: types.done(NODE.tagActivating), output: ok },
          { type: types.done(NODE.tagActivating), output: reject },
        );
      else if (running.abandoned) events.push({ type: VENDOR_ANSWER, verdict: ok });
      else if (handsAtOnce) events.push({ type: VENDOR_ANSWER, verdict: ok }, { type: VENDOR_ANSWER, verdict: reject });
      events.push({ type: types.error(NODE.tagActivating), error: 'the tag port threw' });
      events.push({
        type: types.after(
          snapshot.matches({ tag: { ready: { activating: 'waiting' } } }) ? NODE.activateWaiting : NODE.activateOverdue,
        ),
      });
    }
    if (snapshot.matches({ tag: { ready: 'loggingOut' } })) {
      events.push(
        { type: types.done(NODE.loggingOut) },
        { type: types.error(NODE.loggingOut), error: 'the tag port threw on logout' },
        { type: types.after(NODE.loggingOut) },
      );
    }
    if (snapshot.matches({ visitor: 'secured' })) {
      if (env.olderProvider) events.push(providerCall(snapshot, 'older'));
      // An unused token outlives tokenTtlMs while the tag script loads (no other delay runs then).
      if (snapshot.matches({ visitor: { secured: { token: 'fresh' } } }) && !running)
        events.push({ type: types.after(NODE.fresh) });
      if (snapshot.matches({ visitor: { secured: { activation: 'active' } } })) {
        if (snapshot.matches({ visitor: { secured: { token: 'refreshing' } } }))
          events.push(...completions(NODE.refreshing));
        if (snapshot.context.waitingRequests.length < MAX_WAITING_PROVIDER_CALLS)
          events.push(providerCall(snapshot, 'current'));
      }
    } else if (env.currentProvider || env.olderProvider) {
      events.push(providerCall(snapshot, 'current'));
    }
    return events;
  };

  const ignoredFor = (state: ModelState): ModelEvent[] =>
    siteEvents().filter((event) => !state.snapshot.can(event as never));

  const actionFor = (from: ModelState, event: ModelEvent): WorldAction => {
    switch (event.type) {
      case 'SIGN_IN':
        return { kind: 'sign-in', identity: (event as { identity?: string }).identity };
      case 'SIGN_OUT':
        return { kind: 'sign-out' };
      case 'RESET':
        return { kind: 'reset' };
      case 'TOKEN_REQUESTED': {
        if (!from.snapshot.matches({ visitor: 'secured' })) return { kind: 'provider-call', of: 'latest' };
        return {
          kind: 'provider-call',
          of: (event as { attempt?: number }).attempt === from.snapshot.context.attempt ? 'current' : 'older',
        };
      }
    }
    if (event.type === types.done(NODE.loading)) return { kind: 'tag-load', outcome: 'load' };
    if (event.type === types.error(NODE.loading)) return { kind: 'tag-load', outcome: 'fail' };
    for (const node of [NODE.fetching, NODE.refreshing]) {
      if (event.type === types.done(node)) return { kind: 'fetch', answer: 'token', advanceMs: 0 };
      if (event.type === types.error(node)) return { kind: 'fetch', answer: 'fail', advanceMs: 0 };
      if (event.type === types.after(node)) return { kind: 'fetch', answer: 'hang', advanceMs: timeouts.tokenFetchMs };
    }
    const completion = completionOf(event);
    if (completion) {
      const mode = from.snapshot.context.tagActivation?.call.mode ?? 'secured';
      return {
        kind: 'activation',
        mode,
        outcome: completion,
        advanceMs: completion === 'timeout' ? timeouts.activationMs : 0,
      };
    }
    if (event.type === types.after(NODE.activateOverdue))
      return { kind: 'clock', advanceMs: 2 * timeouts.activationMs };
    if (event.type === types.done(NODE.loggingOut)) return { kind: 'logout', outcome: 'done', advanceMs: 0 };
    if (event.type === types.error(NODE.loggingOut)) return { kind: 'logout', outcome: 'throw', advanceMs: 0 };
    if (event.type === types.after(NODE.loggingOut))
      return { kind: 'logout', outcome: 'hang', advanceMs: timeouts.logoutMs };
    if (event.type === types.after(NODE.fresh)) return { kind: 'clock', advanceMs: tokenTtlMs };
    throw new Error(`the model has no world action for the event ${event.type}`);
  };

  const describeState = ({ snapshot, env }: ModelState) => {
    const { context } = snapshot;
    const parts = [JSON.stringify(snapshot.value)];
    if (context.visitor) parts.push(`visitor=${context.visitor.identity ?? '(no id)'}`);
    if (context.queuedSignIn) parts.push(`queued=${context.queuedSignIn.identity ?? '(no id)'}`);
    parts.push(
      `tag=${context.tagSession}${context.tagActivation ? `,activating${context.tagActivation.abandoned ? '(abandoned)' : ''}` : ''}`,
    );
    if (context.failure) parts.push(`failure=${context.failure.code}`);
    if (context.refreshFailure) parts.push(`refreshFailure=${context.refreshFailure.code}`);
    if (context.waitingRequests.length > 0) parts.push(`waiting=${context.waitingRequests.length}`);
    if (env.securedAs) parts.push(`iAdvize=${env.securedAs}`);
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
      call: context.tagCall,
      running: context.tagActivation,
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
    isTimeless: (state) => state.snapshot._nodes.every((node) => node.after.length === 0),
    actionFor,
    expectedView: (state) => viewOf(state.snapshot),
    describeState,
    key: serialize,
    stateOf: (snapshot) => states.get(snapshot),
  };
}

/** An actor scope for pure transitions that records the transitions taken and the events emitted. */
function createProbeScope(): {
  scope: AnyActorScope;
  reset(): void;
  taken(): string[];
  emitted(): ActivationEmitted[];
} {
  let taken: string[] = [];
  let emitted: ActivationEmitted[] = [];
  const probe = createActor(createMachine({}), {
    inspect: (event) => {
      if (event.type === '@xstate.microstep')
        for (const transition of event._transitions) taken.push(transitionKey(transition));
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
