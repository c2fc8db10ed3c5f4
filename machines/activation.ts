// The activation machine: signed out → token fetch → activating → active / failed(reason).
// Pure XState v5: no I/O here. The actors (token source, tag) are placeholders that the
// controller replaces with `machine.provide(...)`; timing comes from the input.
import { assign, createMachine, emit, fromPromise, setup } from 'xstate';
import { describeFailure, type Failure, type FailureCode, type FailurePhase } from '../src/failures.js';
import { redactText } from '../src/redact.js';
import type { ActivationMode, TagOutcome } from '../src/tag/port.js';

/** What to do when no token can be had: stay inactive (recommended) or activate anonymously (explicit opt-in). */
export type OnTokenFailure = 'stay-inactive' | 'anonymous';
/** What the tag does while nobody is signed in: nothing, or an anonymous activation. */
export type WhenSignedOut = 'inactive' | 'anonymous';

export interface ActivationPolicy {
  readonly onTokenFailure: OnTokenFailure;
  readonly whenSignedOut: WhenSignedOut;
}

export interface ActivationTimeouts {
  /** Longest wait for the site's backend to hand out a token (first fetch and refreshes). */
  readonly tokenFetchMs: number;
  /** Longest wait for the tag to load and answer one activate call. */
  readonly activationMs: number;
  /** Longest wait for the tag's logout. */
  readonly logoutMs: number;
}

export interface ActivationInput {
  readonly policy?: Partial<ActivationPolicy>;
  readonly timeouts?: Partial<ActivationTimeouts>;
  /** How long a fetched token is handed out again before a fresh one is fetched (at most). */
  readonly tokenTtlMs?: number;
}

export const DEFAULT_POLICY: ActivationPolicy = { onTokenFailure: 'stay-inactive', whenSignedOut: 'inactive' };
export const DEFAULT_TIMEOUTS: ActivationTimeouts = { tokenFetchMs: 10_000, activationMs: 30_000, logoutMs: 10_000 };
/** Half the recommended 60 s token lifetime: a token handed to the tag always has time left. */
export const DEFAULT_TOKEN_TTL_MS = 30_000;

/** What the machine believes the tag holds; 'unknown' after an activation that did not end cleanly. */
export type TagSession = 'none' | 'anonymous' | 'secured' | 'unknown';

export interface Visitor {
  /** The site's id for the visitor, when given; two sign-ins with different ids are different people. */
  readonly identity: string | undefined;
}

export interface ActivationContext {
  readonly policy: ActivationPolicy;
  readonly timeouts: ActivationTimeouts;
  readonly tokenTtlMs: number;
  /** The signed-in visitor; undefined while signed out. */
  readonly visitor: Visitor | undefined;
  /** Counts sign-in attempts; provider calls from an older attempt get no token. */
  readonly attempt: number;
  readonly token: string | undefined;
  /** How long the token in hand is handed out again: tokenTtlMs, or less when the token says it expires sooner. Set with each token. */
  readonly tokenFreshForMs: number;
  /** Provider calls waiting for the token refresh in flight (one fetch shared by all). */
  readonly waitingRequests: readonly number[];
  readonly tagSession: TagSession;
  /** A sign-in that waits for the logout of the previous identity (account switch). */
  readonly queuedSignIn: Visitor | undefined;
  readonly failure: Failure | undefined;
  readonly refreshFailure: Failure | undefined;
}

export type ActivationEvent =
  | { readonly type: 'SIGN_IN'; readonly identity?: string }
  | { readonly type: 'SIGN_OUT' }
  | { readonly type: 'RESET' }
  /** The tag called the provider; `attempt` is the sign-in attempt that provider belongs to. */
  | { readonly type: 'TOKEN_REQUESTED'; readonly requestId: number; readonly attempt: number };

/** Why the provider got no token. */
export type TokenRefusal = 'not-signed-in' | 'stale-request' | 'refresh-failed';

export type ActivationEmitted =
  /** One answer for every provider call it names: calls that shared a fetch are answered together. */
  | { readonly type: 'token.provided'; readonly requestIds: readonly number[]; readonly token: string }
  | { readonly type: 'token.refused'; readonly requestIds: readonly number[]; readonly because: TokenRefusal }
  | { readonly type: 'activated'; readonly identity: string | undefined }
  | { readonly type: 'anonymous'; readonly fallbackFrom: Failure | undefined }
  | { readonly type: 'failed'; readonly failure: Failure }
  | { readonly type: 'token-refreshed' }
  | { readonly type: 'refresh-failed'; readonly failure: Failure };

export type TokenPurpose = 'activation' | 'refresh';
/** What the token source answers: the token, and how long it may be handed out again when it expires soon. */
export interface FetchedToken {
  readonly token: string;
  /** Omitted: tokenTtlMs. Longer than tokenTtlMs: tokenTtlMs. */
  readonly freshForMs?: number;
}
export interface FetchTokenInput {
  readonly purpose: TokenPurpose;
  readonly identity: string | undefined;
}
export interface ActivateTagInput {
  readonly mode: ActivationMode;
  readonly attempt: number;
}

/** Placeholder actors: the machine names them, the controller implements them. */
function notProvided(name: string): never {
  throw new Error(`activationMachine: provide the '${name}' actor with machine.provide({ actors: { ${name} } })`);
}

/** A failure's reason from a thrown value, redacted: an error text may quote a token. */
function reasonOf(error: unknown): string | undefined {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  return text === undefined || text === '' ? undefined : redactText(text);
}

/** An activate that did not answer within timeouts.activationMs. */
const NO_ANSWER: TagOutcome = { ok: false, code: 'activation-timeout' };

export interface FailureParams {
  readonly code: FailureCode;
  readonly phase: FailurePhase;
  readonly reason?: string | undefined;
}

/**
 * XState's `setup` with its typing, minus the action creators it also returns (sendTo, log,
 * enqueueActions, ...): a bundler cannot drop those, and this machine only needs createMachine.
 * The body is what `setup().createMachine` does, through the public createMachine(config, implementations).
 */
const leanSetup = (({ schemas, actors, actions, guards, delays }: Parameters<typeof setup>[0]) => ({
  createMachine: (config: Parameters<typeof createMachine>[0]) => createMachine({ ...config, schemas }, { actors, actions, guards, delays }),
})) as unknown as typeof setup;

/**
 * Back to signed out: through the tag's logout when the tag may hold a session (an anonymous
 * one, or one left by an activation that did not end cleanly), directly otherwise.
 */
const leaveForSignedOut = [
  { guard: 'tagHoldsSession', target: '#activation.signingOut', actions: 'forgetVisitor' },
  { target: '#activation.signedOut', actions: 'forgetVisitor' },
] as const;

export const activationMachine = leanSetup({
  types: {
    context: {} as ActivationContext,
    events: {} as ActivationEvent,
    input: {} as ActivationInput,
    emitted: {} as ActivationEmitted,
  },
  actors: {
    fetchToken: fromPromise<FetchedToken, FetchTokenInput>(async () => notProvided('fetchToken')),
    activateTag: fromPromise<TagOutcome, ActivateTagInput>(async () => notProvided('activateTag')),
    logoutTag: fromPromise<void>(async () => notProvided('logoutTag')),
  },
  delays: {
    tokenFetchTimeout: ({ context }) => context.timeouts.tokenFetchMs,
    activationTimeout: ({ context }) => context.timeouts.activationMs,
    logoutTimeout: ({ context }) => context.timeouts.logoutMs,
    tokenTtl: ({ context }) => context.tokenFreshForMs,
  },
  guards: {
    anonymousWhenSignedOut: ({ context }) => context.policy.whenSignedOut === 'anonymous',
    /** The explicit opt-in; the default 'stay-inactive' never activates without a token. */
    anonymousOnTokenFailure: ({ context }) => context.policy.onTokenFailure === 'anonymous',
    tagHoldsSession: ({ context }) => context.tagSession !== 'none',
    tagIsAnonymous: ({ context }) => context.tagSession === 'anonymous',
    visitorSignedIn: ({ context }) => context.visitor !== undefined,
    /** Same known identity: nothing to do. An unknown identity is never assumed to be the same person. */
    sameVisitor: ({ context, event }) =>
      event.type === 'SIGN_IN' && event.identity !== undefined && event.identity === context.visitor?.identity,
    /** A known identity other than the signed-in one: a different person, never absorbed. */
    otherVisitor: ({ context, event }) =>
      event.type === 'SIGN_IN' && event.identity !== undefined && event.identity !== context.visitor?.identity,
    activationSucceeded: (_, params: { outcome: TagOutcome }) => params.outcome.ok,
    staleTokenRequest: ({ context, event }) => event.type === 'TOKEN_REQUESTED' && event.attempt !== context.attempt,
    signInQueued: ({ context }) => context.queuedSignIn !== undefined,
  },
  actions: {
    beginSignIn: assign(({ context, event }) => ({
      visitor: { identity: event.type === 'SIGN_IN' ? event.identity : undefined },
      attempt: context.attempt + 1,
      failure: undefined,
      refreshFailure: undefined,
      queuedSignIn: undefined,
    })),
    beginQueuedSignIn: assign(({ context }) => ({
      visitor: context.queuedSignIn,
      attempt: context.attempt + 1,
      failure: undefined,
      refreshFailure: undefined,
      queuedSignIn: undefined,
    })),
    queueSignIn: assign({ queuedSignIn: ({ event }) => ({ identity: event.type === 'SIGN_IN' ? event.identity : undefined }) }),
    forgetQueuedSignIn: assign({ queuedSignIn: undefined }),
    forgetVisitor: assign({ visitor: undefined, queuedSignIn: undefined, failure: undefined, refreshFailure: undefined }),

    storeToken: assign(({ context }, params: { fetched: FetchedToken }) => ({
      token: params.fetched.token,
      tokenFreshForMs: Math.min(context.tokenTtlMs, params.fetched.freshForMs ?? context.tokenTtlMs),
    })),
    forgetToken: assign({ token: undefined }),
    provideToken: emit(({ context, event }) => ({
      type: 'token.provided' as const,
      requestIds: event.type === 'TOKEN_REQUESTED' ? [event.requestId] : [],
      token: context.token ?? '',
    })),
    queueTokenRequest: assign({
      waitingRequests: ({ context, event }) =>
        event.type === 'TOKEN_REQUESTED' ? [...context.waitingRequests, event.requestId] : context.waitingRequests,
    }),
    answerWaitingRequests: emit(({ context }) => ({
      type: 'token.provided' as const,
      requestIds: context.waitingRequests,
      token: context.token ?? '',
    })),
    refuseTokenRequest: emit((_, params: { because: TokenRefusal; requestId: number }) => ({
      type: 'token.refused' as const,
      requestIds: [params.requestId],
      because: params.because,
    })),
    refuseWaitingRequests: emit(({ context }, params: { because: TokenRefusal }) => ({
      type: 'token.refused' as const,
      requestIds: context.waitingRequests,
      because: params.because,
    })),
    forgetWaitingRequests: assign({ waitingRequests: [] }),

    markTagSession: assign({ tagSession: (_, params: { session: TagSession }) => params.session }),
    recordFailure: assign({ failure: (_, params: FailureParams) => describeFailure(params.code, params.phase, params.reason) }),
    /** An activate that failed, threw or never answered: after it the tag may hold anything, unless it never loaded. */
    recordActivationFailure: assign(({ context }, params: { outcome: TagOutcome; phase: FailurePhase }) => {
      const { code, reason } = params.outcome.ok ? { code: 'unknown' as const, reason: undefined } : params.outcome;
      return { tagSession: sessionAfterFailure(context.tagSession, params.outcome), failure: describeFailure(code, params.phase, reason) };
    }),
    recordRefreshFailure: assign({
      refreshFailure: (_, params: FailureParams) => describeFailure(params.code, params.phase, params.reason),
    }),
    clearRefreshFailure: assign({ refreshFailure: undefined }),

    announceActivated: emit(({ context }) => ({ type: 'activated' as const, identity: context.visitor?.identity })),
    announceAnonymous: emit(({ context }) => ({ type: 'anonymous' as const, fallbackFrom: context.failure })),
    announceFailure: emit(({ context }) => ({
      type: 'failed' as const,
      failure: context.failure ?? describeFailure('unknown', 'activation'),
    })),
    announceTokenRefreshed: emit({ type: 'token-refreshed' }),
    announceRefreshFailure: emit(({ context }) => ({
      type: 'refresh-failed' as const,
      failure: context.refreshFailure ?? describeFailure('unknown', 'refresh'),
    })),
  },
}).createMachine({
  id: 'activation',
  context: ({ input }) => ({
    policy: { ...DEFAULT_POLICY, ...input.policy },
    timeouts: { ...DEFAULT_TIMEOUTS, ...input.timeouts },
    tokenTtlMs: input.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS,
    visitor: undefined,
    attempt: 0,
    token: undefined,
    tokenFreshForMs: 0,
    waitingRequests: [],
    tagSession: 'none',
    queuedSignIn: undefined,
    failure: undefined,
    refreshFailure: undefined,
  }),
  initial: 'signedOut',
  on: {
    // Outside a secured session the provider hands out no token (invariant 5).
    TOKEN_REQUESTED: {
      actions: { type: 'refuseTokenRequest', params: ({ event }) => ({ requestId: event.requestId, because: 'not-signed-in' }) },
    },
  },
  states: {
    signedOut: {
      description: 'Nobody is signed in; the tag is untouched.',
      always: { guard: 'anonymousWhenSignedOut', target: 'anonymous' },
      on: {
        SIGN_IN: { target: 'fetchingToken', actions: 'beginSignIn' },
      },
    },

    anonymous: {
      description:
        "The tag is activated anonymously: by the whenSignedOut policy, or as the explicit onTokenFailure: 'anonymous' fallback (then `failure` says why).",
      initial: 'choosing',
      states: {
        choosing: {
          always: [{ guard: 'tagIsAnonymous', target: 'active' }, { target: 'activating' }],
        },
        activating: {
          invoke: {
            src: 'activateTag',
            input: ({ context }) => ({ mode: 'anonymous', attempt: context.attempt }),
            onDone: [
              {
                guard: { type: 'activationSucceeded', params: ({ event }) => ({ outcome: event.output }) },
                target: 'active',
                actions: { type: 'markTagSession', params: { session: 'anonymous' } },
              },
              {
                target: '#activation.failed',
                actions: { type: 'recordActivationFailure', params: ({ event }) => ({ outcome: event.output, phase: 'anonymous-activation' }) },
              },
            ],
            onError: {
              target: '#activation.failed',
              actions: { type: 'recordActivationFailure', params: ({ event }) => ({ outcome: thrown(event.error), phase: 'anonymous-activation' }) },
            },
          },
          after: {
            activationTimeout: {
              target: '#activation.failed',
              actions: { type: 'recordActivationFailure', params: { outcome: NO_ANSWER, phase: 'anonymous-activation' } },
            },
          },
          on: {
            // Never a second activate beside the one in flight (invariant 1): as for a sign-out, the tag is logged out first.
            SIGN_IN: {
              target: '#activation.signingOut',
              actions: 'queueSignIn',
              description: 'The anonymous activate is dropped: logout, then the sign-in.',
            },
          },
        },
        active: { entry: 'announceAnonymous' },
      },
      on: {
        // The documented upgrade path: a secured activate after an anonymous one, no logout.
        SIGN_IN: { target: 'fetchingToken', actions: 'beginSignIn' },
        SIGN_OUT: { guard: 'visitorSignedIn', target: 'signingOut', actions: 'forgetVisitor' },
      },
    },

    fetchingToken: {
      description: "Asking the site's backend for a token (timeout, aborted on sign-out).",
      invoke: {
        src: 'fetchToken',
        input: ({ context }) => ({ purpose: 'activation', identity: context.visitor?.identity }),
        onDone: {
          target: 'secured',
          actions: { type: 'storeToken', params: ({ event }) => ({ fetched: event.output }) },
        },
        onError: [
          {
            guard: 'anonymousOnTokenFailure',
            target: 'anonymous',
            actions: { type: 'recordFailure', params: ({ event }) => ({ code: 'token-unavailable', phase: 'token', reason: reasonOf(event.error) }) },
          },
          {
            target: 'failed',
            actions: { type: 'recordFailure', params: ({ event }) => ({ code: 'token-unavailable', phase: 'token', reason: reasonOf(event.error) }) },
          },
        ],
      },
      after: {
        tokenFetchTimeout: [
          {
            guard: 'anonymousOnTokenFailure',
            target: 'anonymous',
            actions: { type: 'recordFailure', params: { code: 'token-timeout', phase: 'token' } },
          },
          { target: 'failed', actions: { type: 'recordFailure', params: { code: 'token-timeout', phase: 'token' } } },
        ],
      },
      on: {
        SIGN_IN: [
          // Someone else signed in on the site: nothing is activated yet, so fetch their token instead.
          { guard: 'otherVisitor', target: 'fetchingToken', reenter: true, actions: 'beginSignIn' },
          { description: 'Absorbed: the same (or an unknown) visitor again, one sign-in at a time.' },
        ],
        // Nothing was activated for this visitor; an earlier anonymous session is logged out.
        SIGN_OUT: leaveForSignedOut,
      },
    },

    secured: {
      description: 'A token is in hand: the tag is activated with it, and the provider is served while it lasts.',
      type: 'parallel',
      exit: [{ type: 'refuseWaitingRequests', params: { because: 'not-signed-in' } }, 'forgetWaitingRequests', 'forgetToken'],
      states: {
        tag: {
          initial: 'activating',
          states: {
            activating: {
              description: 'Exactly one activate call for this sign-in.',
              invoke: {
                src: 'activateTag',
                input: ({ context }) => ({ mode: 'secured', attempt: context.attempt }),
                onDone: [
                  {
                    guard: { type: 'activationSucceeded', params: ({ event }) => ({ outcome: event.output }) },
                    target: 'active',
                    actions: [{ type: 'markTagSession', params: { session: 'secured' } }, 'announceActivated'],
                  },
                  {
                    // Never anonymous after an activate failure, whatever the policy (invariant 3).
                    target: '#activation.failed',
                    actions: { type: 'recordActivationFailure', params: ({ event }) => ({ outcome: event.output, phase: 'activation' }) },
                  },
                ],
                onError: {
                  target: '#activation.failed',
                  actions: { type: 'recordActivationFailure', params: ({ event }) => ({ outcome: thrown(event.error), phase: 'activation' }) },
                },
              },
              after: {
                activationTimeout: {
                  target: '#activation.failed',
                  actions: { type: 'recordActivationFailure', params: { outcome: NO_ANSWER, phase: 'activation' } },
                },
              },
              on: {
                SIGN_IN: [
                  // Someone else signed in on the site: drop this activation, log out, then sign them in.
                  { guard: 'otherVisitor', target: '#activation.signingOut', actions: 'queueSignIn' },
                  { description: 'Absorbed: the same (or an unknown) visitor again, never a second activate in flight.' },
                ],
                // The late result of the activate in flight is dropped with this state; the tag is logged out.
                SIGN_OUT: { target: '#activation.signingOut', actions: 'forgetVisitor' },
              },
            },
            active: {
              description: 'Authenticated.',
              on: {
                SIGN_IN: [
                  { guard: 'sameVisitor', description: 'Already active for this visitor: nothing to do.' },
                  // Account switch: log the previous identity out first.
                  { target: '#activation.signingOut', actions: 'queueSignIn' },
                ],
                SIGN_OUT: { target: '#activation.signingOut', actions: 'forgetVisitor' },
              },
            },
          },
        },
        token: {
          description: 'The token-refresh actor: the tag may call the provider at any time.',
          initial: 'fresh',
          states: {
            fresh: {
              after: { tokenTtl: 'stale' },
              on: {
                TOKEN_REQUESTED: [
                  { guard: 'staleTokenRequest', actions: { type: 'refuseTokenRequest', params: staleRefusal } },
                  { actions: 'provideToken' },
                ],
              },
            },
            stale: {
              on: {
                TOKEN_REQUESTED: [
                  { guard: 'staleTokenRequest', actions: { type: 'refuseTokenRequest', params: staleRefusal } },
                  { target: 'refreshing', actions: 'queueTokenRequest' },
                ],
              },
            },
            refreshing: {
              invoke: {
                src: 'fetchToken',
                input: ({ context }) => ({ purpose: 'refresh', identity: context.visitor?.identity }),
                onDone: {
                  target: 'fresh',
                  actions: [
                    { type: 'storeToken', params: ({ event }) => ({ fetched: event.output }) },
                    'answerWaitingRequests',
                    'forgetWaitingRequests',
                    'clearRefreshFailure',
                    'announceTokenRefreshed',
                  ],
                },
                onError: {
                  target: 'refreshFailed',
                  actions: { type: 'recordRefreshFailure', params: ({ event }) => ({ code: 'token-unavailable', phase: 'refresh', reason: reasonOf(event.error) }) },
                },
              },
              after: {
                tokenFetchTimeout: {
                  target: 'refreshFailed',
                  actions: { type: 'recordRefreshFailure', params: { code: 'token-timeout', phase: 'refresh' } },
                },
              },
              on: {
                TOKEN_REQUESTED: [
                  { guard: 'staleTokenRequest', actions: { type: 'refuseTokenRequest', params: staleRefusal } },
                  { description: 'Shares the fetch in flight.', actions: 'queueTokenRequest' },
                ],
              },
            },
            refreshFailed: {
              description: 'Reported and left to the tag: no retry here; a new provider call fetches again.',
              entry: [
                { type: 'refuseWaitingRequests', params: { because: 'refresh-failed' } },
                'forgetWaitingRequests',
                'forgetToken',
                'announceRefreshFailure',
              ],
              on: {
                TOKEN_REQUESTED: [
                  { guard: 'staleTokenRequest', actions: { type: 'refuseTokenRequest', params: staleRefusal } },
                  { target: 'refreshing', actions: 'queueTokenRequest' },
                ],
              },
            },
          },
        },
      },
    },

    failed: {
      description: 'Failed with { code, reason?, advice, phase }. No way back to activating but a new SIGN_IN (no retries).',
      entry: 'announceFailure',
      on: {
        SIGN_IN: [
          { guard: 'tagHoldsSession', target: 'signingOut', actions: 'queueSignIn' },
          { target: 'fetchingToken', actions: 'beginSignIn' },
        ],
        SIGN_OUT: leaveForSignedOut,
        RESET: leaveForSignedOut,
      },
    },

    signingOut: {
      description: "The tag's logout; then signed out, or the queued sign-in of the next identity.",
      invoke: {
        src: 'logoutTag',
        onDone: [
          {
            guard: 'signInQueued',
            target: 'fetchingToken',
            actions: [{ type: 'markTagSession', params: { session: 'none' } }, 'beginQueuedSignIn'],
          },
          { target: 'signedOut', actions: [{ type: 'markTagSession', params: { session: 'none' } }, 'forgetVisitor'] },
        ],
        // A logout that failed leaves the tag in any state (an activate in flight may still land):
        // the next sign-in or sign-out logs out again.
        onError: {
          target: 'failed',
          actions: [
            'forgetQueuedSignIn',
            { type: 'markTagSession', params: { session: 'unknown' } },
            { type: 'recordFailure', params: ({ event }) => ({ code: 'logout-failed', phase: 'logout', reason: reasonOf(event.error) }) },
          ],
        },
      },
      after: {
        logoutTimeout: {
          target: 'failed',
          actions: [
            'forgetQueuedSignIn',
            { type: 'markTagSession', params: { session: 'unknown' } },
            { type: 'recordFailure', params: { code: 'logout-failed', phase: 'logout' } },
          ],
        },
      },
      on: {
        SIGN_IN: { description: 'Signs in once the logout is done.', actions: 'queueSignIn' },
        // Whoever was signed in or queued is gone; the logout in flight finishes the sign-out.
        SIGN_OUT: { actions: 'forgetVisitor' },
        RESET: { actions: 'forgetVisitor' },
      },
    },
  },
});

function staleRefusal({ event }: { event: ActivationEvent }): { because: TokenRefusal; requestId: number } {
  return { because: 'stale-request', requestId: event.type === 'TOKEN_REQUESTED' ? event.requestId : -1 };
}

/** A tag that never loaded holds nothing new; after any other failed activate the tag's state is unknown. */
function sessionAfterFailure(previous: TagSession, outcome: TagOutcome): TagSession {
  return !outcome.ok && outcome.code === 'tag-unavailable' ? previous : 'unknown';
}

/** An activate that threw or rejected. */
function thrown(error: unknown): TagOutcome {
  return { ok: false, code: 'tag-error', reason: reasonOf(error) };
}


export type ActivationMachine = typeof activationMachine;
