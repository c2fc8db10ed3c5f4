// Deliberately broken variants of the activation machine, each the real machine with one
// mistake a developer could plausibly make. The suites must fail on every one of them.
import type { ActivationMachine } from '../../machines/activation.js';
import { variant, type StateConfig } from './variants.js';

export interface Mutant {
  readonly name: string;
  readonly mistake: string;
  readonly machine: ActivationMachine;
  /**
   * The suites expected to catch it; a provider handing out a stale token breaks no invariant,
   * only the model; where the tag script starts loading is no invariant, only the lifecycle probe.
   */
  readonly caughtBy: ReadonlyArray<'property' | 'model' | 'lifecycle'>;
}

interface Invoke {
  readonly onDone: readonly StateConfig[];
  readonly onError: readonly StateConfig[];
}
const invokeOf = (state: StateConfig) => state.invoke as Invoke;
const onOf = (state: StateConfig) => (state.on ?? {}) as StateConfig;

export const MUTANTS: readonly Mutant[] = [
  {
    name: 'retries after a failure',
    mistake: 'failed goes back to fetching a token after 5 s, without a new SIGN_IN',
    machine: variant(['visitor', 'failed'], (state) => ({
      ...state,
      after: { 5_000: { guard: 'visitorSignedIn', target: 'fetchingToken' } },
    })),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'falls back to anonymous after an activate failure',
    mistake: 'a failed secured activate leads to the anonymous state instead of failed',
    machine: variant(['visitor', 'secured', 'activation', 'activating'], (state) => {
      const [success, failure] = onOf(state)['tag.activated'] as readonly StateConfig[];
      return {
        ...state,
        on: { ...onOf(state), 'tag.activated': [success, { ...failure, target: '#activation.visitor.anonymous' }] },
      };
    }),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'logs out over an activate still running at the tag',
    mistake: "the tag region logs out at once, stopping the activate in flight, as if the tag's logout cancelled it",
    machine: variant(['tag', 'ready', 'activating'], (state) => ({
      ...state,
      always: { guard: 'logoutWanted', target: 'loggingOut' },
    })),
    caughtBy: ['property'],
  },
  {
    name: 'signs out without logging the tag out',
    mistake: 'SIGN_OUT while active goes straight to signed out',
    machine: variant(['visitor', 'secured', 'activation', 'active'], (state) => ({
      ...state,
      on: { ...onOf(state), SIGN_OUT: { target: '#activation.visitor.signedOut', actions: 'forgetVisitor' } },
    })),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'falls back to anonymous without a token under stay-inactive',
    mistake: 'the anonymousOnTokenFailure guard is forgotten: a failed token fetch always activates anonymously',
    machine: variant(['visitor', 'fetchingToken'], (state) => {
      const invoke = invokeOf(state);
      const { guard: _forgotten, ...unguarded } = invoke.onError[0]!;
      return { ...state, invoke: { ...invoke, onError: [unguarded, invoke.onError[1]] } };
    }),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'serves stale providers',
    mistake:
      "the staleTokenRequest guard is forgotten once the token is spent: an earlier sign-in's provider gets the current visitor's token",
    machine: variant(['visitor', 'secured', 'token', 'spent'], (state) => ({
      ...state,
      on: { ...onOf(state), TOKEN_REQUESTED: { target: 'refreshing', actions: 'queueTokenRequest' } },
    })),
    caughtBy: ['model'],
  },
  {
    name: 'starts the tag load only at activation',
    mistake:
      'the tag script is requested when the first activate is asked for, after the token, instead of from start()',
    machine: variant(['tag'], (state) => ({
      ...state,
      initial: 'dormant',
      states: {
        ...(state.states as StateConfig),
        dormant: { always: { guard: 'activationWanted', target: 'loading' } },
      },
    })),
    caughtBy: ['lifecycle'],
  },
  {
    name: 'forgets an abandoned activate',
    mistake:
      'at the activation timeout the tag region stops listening to the activate: a late success stays open, unknown to the controller',
    machine: variant(['tag', 'ready', 'activating', 'waiting'], (state) => ({
      ...state,
      after: {
        activationTimeout: {
          target: '#activation.tag.ready.idle',
          actions: [{ type: 'reportActivation', params: { outcome: { ok: false, code: 'activation-timeout' } } }],
        },
      },
    })),
    caughtBy: ['property'],
  },
  {
    name: 'reuses a token',
    mistake: 'the token in hand is handed to every provider call while fresh, instead of to one',
    machine: variant(['visitor', 'secured', 'token', 'fresh'], (state) => {
      const [stale, expired] = onOf(state).TOKEN_REQUESTED as readonly StateConfig[];
      return { ...state, on: { ...onOf(state), TOKEN_REQUESTED: [stale, expired, { actions: 'provideToken' }] } };
    }),
    caughtBy: ['property'],
  },
  {
    name: 'reports active after a failed refresh',
    mistake: 'a refresh that fails refuses the waiting calls but keeps the session reported active',
    machine: variant(['visitor', 'secured', 'token', 'refreshing'], (state) => {
      const invoke = invokeOf(state);
      const quietly = {
        target: 'spent',
        actions: [{ type: 'refuseWaitingRequests', params: { because: 'refresh-failed' } }, 'forgetWaitingRequests'],
      };
      return { ...state, invoke: { ...invoke, onError: quietly } };
    }),
    caughtBy: ['property', 'model'],
  },
];
