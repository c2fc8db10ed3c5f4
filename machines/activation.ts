// The activation machine: the whole flow, the tag's own lifecycle included. Pure XState v5: no
// I/O and no vendor strings here; the actors (tag script, activate, logout, token source) are
// placeholders the controller replaces with `machine.provide(...)`. Two regions run side by side:
//
//   tag       loading ──▶ ready { idle ⇄ activating | loggingOut }      (from start())
//                    └──▶ unavailable
//   visitor   signedOut ──SIGN_IN──▶ fetchingToken ──▶ secured { activation: activating ▶ active
//                 ▲                       │                       token: fresh ▶ spent ⇄ refreshing ▶ refreshFailed }
//                 └──── signingOut ◀──────┴── SIGN_OUT / account switch        failed ◀── any failure
//             anonymous { choosing ▶ activating ▶ active }   (whenSignedOut or the opt-in onTokenFailure fallback)
//
// The visitor region asks for tag calls (context.tagCall); the tag region makes them one at a
// time and raises the answers. An activate runs at the tag until the tag answers it, even after
// the visitor stopped waiting (sign-out, account switch): no other call starts before, and if it
// succeeds after all, the tag is logged out before anything else (tag-contract.md §8).
import { assertEvent, assign, createMachine, emit, fromPromise, raise, type setup } from 'xstate';
import type { TagOutcome } from '../src/tag/port.js';
import { describeFailure, type FailurePhase } from './failures.js';
import {
  DEFAULT_POLICY,
  DEFAULT_TIMEOUTS,
  DEFAULT_TOKEN_TTL_MS,
  type ActivateTagInput,
  type ActivationContext,
  type ActivationEmitted,
  type ActivationEvent,
  type ActivationInput,
  type FailureParams,
  type FetchedToken,
  type FetchTokenInput,
  type TagSession,
  type TokenRefusal,
} from './activation.types.js';

export * from './activation.types.js';

/** An activate that did not answer within timeouts.activationMs. */
const NO_ANSWER: TagOutcome = { ok: false, code: 'activation-timeout' };

/** Back to signed out: through the tag's logout when the tag may hold a session, directly otherwise. */
const leaveForSignedOut = [
  { guard: 'tagMayHoldSession', target: '#activation.visitor.signingOut', actions: 'forgetVisitor' },
  { target: '#activation.visitor.signedOut', actions: 'forgetVisitor' },
] as const;

/** The same, only when `guard` holds: a sign-out of a signed-in visitor, a reset of a failure. */
const leaveForSignedOutIf = (guard: 'visitorSignedIn' | 'hasFailure') =>
  [
    {
      guard: { type: guard, params: { overSession: true } },
      target: '#activation.visitor.signingOut',
      actions: 'forgetVisitor',
    },
    {
      guard: { type: guard, params: { overSession: false } },
      target: '#activation.visitor.signedOut',
      actions: 'forgetVisitor',
    },
  ] as const;

/** Another visitor signs in: after a logout when the tag may hold a session, at once otherwise. */
const switchVisitor = [
  { guard: 'tagMayHoldSession', target: '#activation.visitor.signingOut', actions: 'queueSignIn' },
  { target: '#activation.visitor.fetchingToken', reenter: true, actions: 'beginSignIn' },
] as const;

/** The tag's answer to the activate a state waits for: on to `target`, or failed. */
const onActivateAnswer = (mode: 'secured' | 'anonymous', phase: FailurePhase, success: object) =>
  [
    { guard: { type: 'answerAwaited', params: { mode, ok: true } }, ...success },
    // Never anonymous after an activate failure, whatever the policy (invariant 3).
    {
      guard: { type: 'answerAwaited', params: { mode, ok: false } },
      target: '#activation.visitor.failed',
      actions: { type: 'recordActivationFailure', params: { phase } },
    },
  ] as const;

/** A provider call of an earlier sign-in gets nothing, whatever the token region holds. */
const refuseStaleRequest = {
  guard: 'staleTokenRequest',
  actions: {
    type: 'refuseTokenRequest',
    params: ({ event }: { event: ActivationEvent }) => ({
      because: 'stale-request' as const,
      requestId: requestIdOf(event),
    }),
  },
} as const;

/** A provider call with no token in hand: one fetch, shared by every call made while it runs. */
const fetchForRequest = { target: 'refreshing', actions: 'queueTokenRequest' } as const;

/** The activation waits for a script that will never load. */
const failWhenTagUnavailable = (phase: FailurePhase) =>
  ({
    guard: 'tagUnavailable',
    target: '#activation.visitor.failed',
    actions: { type: 'recordTagUnavailable', params: { phase } },
  }) as const;

/** The token source gave nothing: the explicit anonymous fallback, or failed. */
const tokenFailure = (failure: (error: unknown) => FailureParams) => {
  const params = ({ event }: { event: object }) => failure((event as { error?: unknown }).error);
  return [
    {
      guard: 'anonymousOnTokenFailure',
      target: '#activation.visitor.anonymous',
      actions: { type: 'recordFailure', params },
    },
    { target: '#activation.visitor.failed', actions: { type: 'recordFailure', params } },
  ] as const;
};

/**
 * XState's setup() at compile time, only its createMachine at run time: setup() also returns every
 * action creator (sendTo, log, enqueueActions, ...), which a bundler cannot drop (≈ 0.9 kB gz).
 * The cast keeps setup()'s typing of the chart, which TypeScript cannot restate without copying
 * its twelve type parameters; only `.createMachine` may be used on the result, and
 * test/machine/lean-setup.test.ts proves it builds the same machine as setup().
 */
export const leanSetup = (({ schemas, actors, actions, guards, delays }: Parameters<typeof setup>[0]) => ({
  createMachine: (config: Parameters<typeof createMachine>[0]) =>
    createMachine({ ...config, schemas }, { actors, actions, guards, delays }),
})) as unknown as typeof setup;

export const activationMachine = leanSetup({
  types: {
    context: {} as ActivationContext,
    events: {} as ActivationEvent,
    input: {} as ActivationInput,
    emitted: {} as ActivationEmitted,
  },
  actors: {
    loadTag: fromPromise<void>(async () => notProvided('loadTag')),
    fetchToken: fromPromise<FetchedToken, FetchTokenInput>(async () => notProvided('fetchToken')),
    activateTag: fromPromise<TagOutcome, ActivateTagInput>(async () => notProvided('activateTag')),
    logoutTag: fromPromise<void>(async () => notProvided('logoutTag')),
  },
  delays: {
    tokenFetchTimeout: ({ context }) => context.timeouts.tokenFetchMs,
    activationTimeout: ({ context }) => context.timeouts.activationMs,
    lateAnswerBound: ({ context }) => 2 * context.timeouts.activationMs,
    logoutTimeout: ({ context }) => context.timeouts.logoutMs,
    tokenTtl: ({ context }) => context.tokenFreshForMs,
  },
  guards: {
    anonymousWhenSignedOut: ({ context }) => context.policy.whenSignedOut === 'anonymous',
    /** The explicit opt-in; the default 'stay-inactive' never activates without a token. */
    anonymousOnTokenFailure: ({ context }) => context.policy.onTokenFailure === 'anonymous',
    upgradeAfterLogout: ({ context }) =>
      context.policy.anonymousUpgrade === 'logout-first' && context.tagSession === 'anonymous',
    /** A session, or an activate still running at the tag that may open one. */
    tagMayHoldSession: ({ context }) => mayHoldSession(context),
    tagIsAnonymous: ({ context }) => context.tagSession === 'anonymous',
    tagUnavailable: ({ context }) => context.tagLoadFailure !== undefined,
    logoutWanted: ({ context }) => context.tagCall?.kind === 'logout',
    activationWanted: ({ context }) => context.tagCall?.kind === 'activate',
    /** With `overSession`, only when the tag may hold a session too; without, only when it may not. */
    visitorSignedIn: ({ context }, params?: { overSession: boolean }) =>
      context.visitor !== undefined && overSession(context, params),
    hasFailure: ({ context }, params?: { overSession: boolean }) =>
      context.failure !== undefined && overSession(context, params),
    refreshFailed: ({ context }) => context.refreshFailure !== undefined,
    /** Same known identity, served: nothing to do. An unknown identity is never assumed to be the same person. */
    sameVisitorServed: ({ context, event }) => {
      assertEvent(event, 'SIGN_IN');
      return (
        event.identity !== undefined &&
        event.identity === context.visitor?.identity &&
        context.refreshFailure === undefined
      );
    },
    /** A known identity other than the signed-in one: a different person, never absorbed. */
    otherVisitor: ({ context, event }, params?: { overSession: boolean }) => {
      assertEvent(event, 'SIGN_IN');
      return (
        event.identity !== undefined && event.identity !== context.visitor?.identity && overSession(context, params)
      );
    },
    /** The tag answered, with success (`ok`) or not, the activate this state waits for. */
    answerAwaited: ({ context, event }, params: { mode: 'secured' | 'anonymous'; ok: boolean }) => {
      assertEvent(event, 'tag.activated');
      const awaited =
        event.call.mode === params.mode && (params.mode === 'anonymous' || event.call.attempt === context.attempt);
      return awaited && event.outcome.ok === params.ok;
    },
    staleTokenRequest: ({ context, event }) => {
      assertEvent(event, 'TOKEN_REQUESTED');
      return event.attempt !== context.attempt;
    },
    /** No token in hand (a session taken over), or one past its usable time. */
    tokenUnusable: ({ context, event }) => {
      assertEvent(event, 'TOKEN_REQUESTED');
      return (
        context.token === undefined || (context.tokenUsableUntil !== undefined && event.at >= context.tokenUsableUntil)
      );
    },
    adoptsSecuredSession: ({ event }) => {
      assertEvent(event, 'tag.adopted');
      return event.session === 'secured' && event.visitor !== undefined;
    },
    signInQueued: ({ context }) => context.queuedSignIn !== undefined,
  },
  actions: {
    beginSignIn: assign(({ context, event }) => {
      assertEvent(event, 'SIGN_IN');
      return { ...signedIn(context), visitor: { identity: event.identity } };
    }),
    beginQueuedSignIn: assign(({ context }) => ({ ...signedIn(context), visitor: context.queuedSignIn })),
    queueSignIn: assign(({ event }) => {
      assertEvent(event, 'SIGN_IN');
      return { queuedSignIn: { identity: event.identity } };
    }),
    forgetQueuedSignIn: assign({ queuedSignIn: undefined }),
    adoptTag: assign(({ context, event }) => {
      assertEvent(event, 'tag.adopted');
      return { tagSession: event.session, visitor: event.visitor, attempt: context.attempt + 1 };
    }),
    forgetVisitor: assign({
      visitor: undefined,
      queuedSignIn: undefined,
      failure: undefined,
      refreshFailure: undefined,
    }),

    storeToken: assign(({ context }, params: { fetched: FetchedToken }) => ({
      token: params.fetched.token,
      tokenFreshForMs: Math.min(context.tokenTtlMs, params.fetched.freshForMs ?? context.tokenTtlMs),
      tokenUsableUntil: params.fetched.usableUntil,
    })),
    /** A token goes to one provider call only: handed out, it is forgotten. */
    forgetToken: assign({ token: undefined, tokenUsableUntil: undefined }),
    provideToken: emit(({ context, event }) => {
      assertEvent(event, 'TOKEN_REQUESTED');
      return { type: 'token.provided' as const, requestIds: [event.requestId], token: context.token ?? '' };
    }),
    queueTokenRequest: assign(({ context, event }) => {
      assertEvent(event, 'TOKEN_REQUESTED');
      return { waitingRequests: [...context.waitingRequests, event.requestId] };
    }),
    answerWaitingRequests: emit(({ context }, params: { token: string }) => ({
      type: 'token.provided' as const,
      requestIds: context.waitingRequests,
      token: params.token,
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

    // The visitor region's requests to the tag region.
    requestActivation: assign(({ context }, params: { mode: 'secured' | 'anonymous' }) => ({
      tagCall: { kind: 'activate' as const, mode: params.mode, attempt: context.attempt },
    })),
    requestLogout: assign({ tagCall: { kind: 'logout' } }),
    /** Stopped waiting: an activate not started yet is dropped (one running is abandoned, below). */
    dropActivationRequest: assign(({ context }) => ({
      tagCall: context.tagCall?.kind === 'activate' ? undefined : context.tagCall,
    })),
    /** Nobody waits for the activate running at the tag any more; it is not forgotten. */
    abandonActivation: assign(({ context }) => ({
      tagActivation: context.tagActivation && { ...context.tagActivation, abandoned: true },
    })),

    // The tag region's record of what it did.
    startActivation: assign(({ context }) => ({
      tagActivation:
        context.tagCall?.kind === 'activate' ? { call: context.tagCall, abandoned: false } : context.tagActivation,
      tagCall: undefined,
    })),
    startLogout: assign({ tagCall: undefined }),
    reportActivation: raise(({ context }, params: { outcome: TagOutcome }) => ({
      type: 'tag.activated' as const,
      call: context.tagActivation!.call,
      outcome: answerOf(context, params.outcome),
    })),
    /** An abandoned activate that opened a session after all is logged out before anything else. */
    settleActivation: assign(({ context }, params: { outcome: TagOutcome }) => {
      const tagSession = sessionAfter(context, params.outcome);
      // A session, or an unknown state that may be one, after an activate nobody waits for any more.
      const abandonedSession = context.tagActivation?.abandoned === true && tagSession !== 'none';
      return {
        tagSession,
        tagActivation: undefined,
        tagCall: abandonedSession ? (context.tagCall ?? { kind: 'logout' as const }) : context.tagCall,
      };
    }),
    /** A logout answered every logout asked for meanwhile. */
    settleLogout: assign(({ context }, params: { session: TagSession }) => ({
      tagSession: params.session,
      tagCall: context.tagCall?.kind === 'logout' ? undefined : context.tagCall,
    })),
    reportLoggedOut: raise({ type: 'tag.loggedOut' }),
    reportLogoutFailed: raise((_, params: { reason: string | undefined }) => ({
      type: 'tag.logoutFailed' as const,
      reason: params.reason,
    })),
    recordTagLoadFailure: assign(({ event }) => ({
      tagLoadFailure: reasonOf((event as { error?: unknown }).error) ?? 'the tag script did not load',
    })),

    recordFailure: assign({
      failure: (_, params: FailureParams) => describeFailure(params.code, params.phase, params.reason),
    }),
    recordTagUnavailable: assign(({ context }, params: { phase: FailurePhase }) => ({
      failure: describeFailure('tag-unavailable', params.phase, context.tagLoadFailure),
    })),
    recordActivationFailure: assign(({ event }, params: { phase: FailurePhase }) => {
      assertEvent(event, 'tag.activated');
      const { code, reason } = event.outcome.ok ? { code: 'unknown' as const, reason: undefined } : event.outcome;
      return { failure: describeFailure(code, params.phase, reason) };
    }),
    recordRefreshFailure: assign({
      refreshFailure: (_, params: FailureParams) => describeFailure(params.code, params.phase, params.reason),
    }),
    clearRefreshFailure: assign({ refreshFailure: undefined }),

    announceActivated: emit(({ context }) => ({
      type: 'activation.secured' as const,
      identity: context.visitor?.identity,
    })),
    announceAnonymous: emit(({ context }) => ({
      type: 'activation.anonymous' as const,
      fallbackFrom: context.failure,
    })),
    announceFailure: emit(({ context }) => ({
      type: 'activation.failed' as const,
      failure: context.failure ?? describeFailure('unknown', 'activation'),
    })),
    announceTokenRefreshed: emit({ type: 'token.refreshed' }),
    announceRefreshFailure: emit(({ context }) => ({
      type: 'token.refreshFailed' as const,
      failure: context.refreshFailure ?? describeFailure('unknown', 'refresh'),
    })),
  },
}).createMachine({
  id: 'activation',
  type: 'parallel',
  context: ({ input }) => ({
    policy: { ...DEFAULT_POLICY, ...input.policy },
    timeouts: { ...DEFAULT_TIMEOUTS, ...input.timeouts },
    tokenTtlMs: input.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS,
    visitor: undefined,
    attempt: 0,
    token: undefined,
    tokenFreshForMs: 0,
    tokenUsableUntil: undefined,
    waitingRequests: [],
    tagCall: undefined,
    tagActivation: undefined,
    tagSession: 'none',
    tagLoadFailure: undefined,
    queuedSignIn: undefined,
    failure: undefined,
    refreshFailure: undefined,
  }),
  states: {
    tag: {
      description: 'The tag: loads from start(), then one call at a time.',
      initial: 'loading',
      states: {
        loading: {
          description: 'Script loading, beside the visitor flow.',
          invoke: {
            src: 'loadTag',
            onDone: 'ready',
            onError: { target: 'unavailable', actions: 'recordTagLoadFailure' },
          },
        },
        unavailable: { description: 'Script blocked: no session to open or close.' },
        ready: {
          initial: 'idle',
          states: {
            idle: {
              always: [
                { guard: 'logoutWanted', target: 'loggingOut' },
                { guard: 'activationWanted', target: 'activating' },
              ],
            },
            activating: {
              description: 'One activate, until the tag answers it.',
              entry: 'startActivation',
              invoke: {
                src: 'activateTag',
                input: ({ context }) => context.tagActivation!.call,
                onDone: { target: 'idle', actions: tagAnswered(({ event }) => event.output) },
                onError: { target: 'idle', actions: tagAnswered(({ event }) => thrown(event.error)) },
              },
              initial: 'waiting',
              states: {
                waiting: {
                  // Reported as failed now; the tag is still listened to, so that a late success is logged out.
                  after: {
                    activationTimeout: {
                      target: 'overdue',
                      actions: [{ type: 'reportActivation', params: { outcome: NO_ANSWER } }, 'abandonActivation'],
                    },
                  },
                },
                overdue: {
                  description: 'Reported failed; given up and logged out after 2 × activationMs more.',
                  after: {
                    lateAnswerBound: {
                      target: '#activation.tag.ready.idle',
                      actions: { type: 'settleActivation', params: { outcome: NO_ANSWER } },
                    },
                  },
                },
              },
            },
            loggingOut: {
              entry: 'startLogout',
              invoke: {
                src: 'logoutTag',
                onDone: {
                  target: 'idle',
                  actions: [{ type: 'settleLogout', params: { session: 'none' } }, 'reportLoggedOut'],
                },
                onError: { target: 'idle', actions: logoutFailed(({ event }) => reasonOf(event.error)) },
              },
              after: { logoutTimeout: { target: 'idle', actions: logoutFailed(() => undefined) } },
            },
          },
        },
      },
    },

    visitor: {
      initial: 'signedOut',
      on: {
        // Outside a secured session the provider hands out no token (invariant 5).
        TOKEN_REQUESTED: {
          actions: {
            type: 'refuseTokenRequest',
            params: ({ event }) => ({ requestId: event.requestId, because: 'not-signed-in' }),
          },
        },
      },
      states: {
        signedOut: {
          description: 'Nobody signed in; the tag untouched.',
          always: { guard: 'anonymousWhenSignedOut', target: 'anonymous' },
          on: {
            SIGN_IN: { target: 'fetchingToken', actions: 'beginSignIn' },
            // Hot reload: the previous controller's session goes on, served by this one.
            'tag.adopted': [
              {
                guard: 'adoptsSecuredSession',
                target: '#activation.visitor.secured.activation.active',
                actions: 'adoptTag',
              },
              { actions: 'adoptTag' },
            ],
          },
        },

        anonymous: {
          description: 'Anonymous: by whenSignedOut, or the opt-in fallback (failure says why).',
          initial: 'choosing',
          states: {
            choosing: { always: [{ guard: 'tagIsAnonymous', target: 'active' }, { target: 'activating' }] },
            activating: {
              entry: { type: 'requestActivation', params: { mode: 'anonymous' } },
              exit: ['dropActivationRequest', 'abandonActivation'],
              always: failWhenTagUnavailable('anonymous-activation'),
              on: {
                'tag.activated': onActivateAnswer('anonymous', 'anonymous-activation', { target: 'active' }),
                // Never a second activate beside the one at the tag (invariant 1): it is logged out first.
                SIGN_IN: switchVisitor,
              },
            },
            active: { entry: 'announceAnonymous' },
          },
          on: {
            SIGN_IN: [
              { guard: 'upgradeAfterLogout', target: 'signingOut', actions: 'queueSignIn' },
              // The documented upgrade path: a secured activate after an anonymous one, no logout.
              { target: 'fetchingToken', actions: 'beginSignIn' },
            ],
            SIGN_OUT: leaveForSignedOutIf('visitorSignedIn'),
            // Leaves the anonymous fallback: the visitor and the failure are forgotten.
            RESET: leaveForSignedOutIf('hasFailure'),
          },
        },

        fetchingToken: {
          description: "The site's token endpoint, while the script loads.",
          invoke: {
            src: 'fetchToken',
            input: ({ context }) => ({ purpose: 'activation', identity: context.visitor?.identity }),
            onDone: {
              target: 'secured',
              actions: { type: 'storeToken', params: ({ event }) => ({ fetched: event.output }) },
            },
            onError: tokenFailure((error) => ({ code: 'token-unavailable', phase: 'token', reason: reasonOf(error) })),
          },
          after: { tokenFetchTimeout: tokenFailure(() => ({ code: 'token-timeout', phase: 'token' })) },
          on: {
            SIGN_IN: [
              // Someone else signed in on the site: nothing is activated yet, so fetch their token instead.
              { guard: 'otherVisitor', target: 'fetchingToken', reenter: true, actions: 'beginSignIn' },
              { description: 'Absorbed: the same visitor.' },
            ],
            // Nothing was activated for this visitor; an earlier anonymous session is logged out.
            SIGN_OUT: leaveForSignedOut,
          },
        },

        secured: {
          description: 'Activated with the token; the provider served while it lasts.',
          type: 'parallel',
          exit: [
            { type: 'refuseWaitingRequests', params: { because: 'not-signed-in' } },
            'forgetWaitingRequests',
            'forgetToken',
          ],
          states: {
            activation: {
              initial: 'activating',
              states: {
                activating: {
                  description: 'One activate for this sign-in, once the tag is ready.',
                  entry: { type: 'requestActivation', params: { mode: 'secured' } },
                  exit: ['dropActivationRequest', 'abandonActivation'],
                  always: failWhenTagUnavailable('activation'),
                  on: {
                    'tag.activated': onActivateAnswer('secured', 'activation', {
                      target: 'active',
                      actions: 'announceActivated',
                    }),
                    SIGN_IN: [
                      // Someone else signed in on the site: drop this activation (logged out if it reached the tag), then sign them in.
                      {
                        guard: { type: 'otherVisitor', params: { overSession: true } },
                        target: '#activation.visitor.signingOut',
                        actions: 'queueSignIn',
                      },
                      {
                        guard: { type: 'otherVisitor', params: { overSession: false } },
                        target: '#activation.visitor.fetchingToken',
                        actions: 'beginSignIn',
                      },
                      { description: 'Absorbed: the same visitor.' },
                    ],
                    // The late result of the activate at the tag is never reported; the tag is logged out.
                    SIGN_OUT: leaveForSignedOut,
                  },
                },
                active: {
                  description: 'Authenticated.',
                  on: {
                    SIGN_IN: [
                      { guard: 'sameVisitorServed', description: 'Already active for this visitor.' },
                      // Account switch, or the same visitor again after a failed refresh: log out first.
                      { target: '#activation.visitor.signingOut', actions: 'queueSignIn' },
                    ],
                    SIGN_OUT: { target: '#activation.visitor.signingOut', actions: 'forgetVisitor' },
                    RESET: {
                      guard: 'refreshFailed',
                      target: '#activation.visitor.signingOut',
                      actions: 'forgetVisitor',
                    },
                  },
                },
              },
            },
            token: {
              description: 'Each provider call gets a token no call got before.',
              initial: 'fresh',
              states: {
                fresh: {
                  description: 'An unused token, kept until tokenTtlMs or its expiry.',
                  after: { tokenTtl: { target: 'spent', actions: 'forgetToken' } },
                  on: {
                    TOKEN_REQUESTED: [
                      refuseStaleRequest,
                      { guard: 'tokenUnusable', target: 'refreshing', actions: ['forgetToken', 'queueTokenRequest'] },
                      { target: 'spent', actions: ['provideToken', 'forgetToken'] },
                    ],
                  },
                },
                spent: { on: { TOKEN_REQUESTED: [refuseStaleRequest, fetchForRequest] } },
                refreshing: {
                  invoke: {
                    src: 'fetchToken',
                    input: ({ context }) => ({ purpose: 'refresh', identity: context.visitor?.identity }),
                    onDone: {
                      target: 'spent',
                      actions: [
                        { type: 'answerWaitingRequests', params: ({ event }) => ({ token: event.output.token }) },
                        'forgetWaitingRequests',
                        'clearRefreshFailure',
                        'announceTokenRefreshed',
                      ],
                    },
                    onError: {
                      target: 'refreshFailed',
                      actions: {
                        type: 'recordRefreshFailure',
                        params: ({ event }) => ({
                          code: 'token-unavailable',
                          phase: 'refresh',
                          reason: reasonOf(event.error),
                        }),
                      },
                    },
                  },
                  after: {
                    tokenFetchTimeout: {
                      target: 'refreshFailed',
                      actions: { type: 'recordRefreshFailure', params: { code: 'token-timeout', phase: 'refresh' } },
                    },
                  },
                  on: { TOKEN_REQUESTED: [refuseStaleRequest, { actions: 'queueTokenRequest' }] },
                },
                refreshFailed: {
                  description: 'No token for the tag: status failed; its next call fetches again.',
                  entry: [
                    { type: 'refuseWaitingRequests', params: { because: 'refresh-failed' } },
                    'forgetWaitingRequests',
                    'announceRefreshFailure',
                  ],
                  on: { TOKEN_REQUESTED: [refuseStaleRequest, fetchForRequest] },
                },
              },
            },
          },
        },

        failed: {
          description: 'Failed; only the site leaves it (no retries).',
          entry: 'announceFailure',
          on: {
            SIGN_IN: switchVisitor,
            SIGN_OUT: leaveForSignedOut,
            RESET: leaveForSignedOut,
            // The tag region could not log out a session an abandoned activate opened: that is the failure now.
            'tag.logoutFailed': {
              target: 'failed',
              reenter: true,
              actions: {
                type: 'recordFailure',
                params: ({ event }) => ({ code: 'logout-failed', phase: 'logout', reason: event.reason }),
              },
            },
          },
        },

        signingOut: {
          description: 'Logout, after any activate at the tag; then the queued sign-in.',
          entry: 'requestLogout',
          on: {
            'tag.loggedOut': [
              { guard: 'signInQueued', target: 'fetchingToken', actions: 'beginQueuedSignIn' },
              { target: 'signedOut', actions: 'forgetVisitor' },
            ],
            // A logout that failed leaves the tag in any state: the next sign-in or sign-out logs out again.
            'tag.logoutFailed': {
              target: 'failed',
              actions: [
                'forgetQueuedSignIn',
                {
                  type: 'recordFailure',
                  params: ({ event }) => ({ code: 'logout-failed', phase: 'logout', reason: event.reason }),
                },
              ],
            },
            SIGN_IN: { actions: 'queueSignIn' },
            // Whoever was signed in or queued is gone; the logout in flight finishes the sign-out.
            SIGN_OUT: { actions: 'forgetVisitor' },
            RESET: { actions: 'forgetVisitor' },
          },
        },
      },
    },
  },
});

export type ActivationMachine = typeof activationMachine;

/** Placeholder actors: the machine names them, the controller implements them. */
function notProvided(name: string): never {
  throw new Error(`activationMachine: provide the '${name}' actor with machine.provide({ actors: { ${name} } })`);
}

/** A failure's reason from a thrown value; the controller's actors only throw redacted errors. */
function reasonOf(error: unknown): string | undefined {
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : undefined;
  return text === '' ? undefined : text;
}

function requestIdOf(event: ActivationEvent): number {
  assertEvent(event, 'TOKEN_REQUESTED');
  return event.requestId;
}

/** An activate that threw or rejected. */
function thrown(error: unknown): TagOutcome {
  return { ok: false, code: 'tag-error', reason: reasonOf(error) };
}

/** The answer as the visitor flow reads it: a refused anonymous → secured upgrade says so. */
function answerOf(context: ActivationContext, outcome: TagOutcome): TagOutcome {
  const upgrade = context.tagSession === 'anonymous' && context.tagActivation?.call.mode === 'secured';
  return !outcome.ok && outcome.code === 'already-activated' && upgrade
    ? { ...outcome, code: 'upgrade-refused' }
    : outcome;
}

/** What the tag holds after an answer: a tag that never loaded holds nothing new; after any other failure, anything. */
function sessionAfter(context: ActivationContext, outcome: TagOutcome): TagSession {
  if (outcome.ok) return context.tagActivation?.call.mode ?? 'unknown';
  return outcome.code === 'tag-unavailable' ? context.tagSession : 'unknown';
}

/** Reports the tag's answer (raised for the visitor region) and records what the tag now holds. */
function tagAnswered<E>(outcome: (args: { event: E }) => TagOutcome) {
  const params = ({ event }: { event: E }) => ({ outcome: outcome({ event }) });
  return [
    { type: 'reportActivation', params },
    { type: 'settleActivation', params },
  ] as const;
}

function logoutFailed<E>(reason: (args: { event: E }) => string | undefined) {
  return [
    { type: 'settleLogout', params: { session: 'unknown' } },
    { type: 'reportLogoutFailed', params: ({ event }: { event: E }) => ({ reason: reason({ event }) }) },
  ] as const;
}

/** Whether the tag may hold a session: one it opened, or an activate still running at it. */
function mayHoldSession(context: ActivationContext): boolean {
  return context.tagSession !== 'none' || context.tagActivation !== undefined;
}

/** A guard's `overSession` param: true, the tag may hold a session; false, it must not; absent, either. */
function overSession(context: ActivationContext, params: { overSession: boolean } | undefined): boolean {
  return params === undefined || params.overSession === mayHoldSession(context);
}

/** What a new sign-in starts from: a new attempt, nothing failed, nothing queued. */
function signedIn(context: ActivationContext) {
  return { attempt: context.attempt + 1, failure: undefined, refreshFailure: undefined, queuedSignIn: undefined };
}
