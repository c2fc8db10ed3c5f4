// Deliberately broken variants of the activation machine, each the real machine with one
// mistake a developer could plausibly make. The suites must fail on every one of them.
import type { ActivationMachine } from '../../machines/activation.js';
import { variant, type StateConfig } from './variants.js';

export interface Mutant {
  readonly name: string;
  readonly mistake: string;
  readonly machine: ActivationMachine;
  /** The suites expected to catch it; a provider handing out a stale token breaks no invariant, only the model. */
  readonly caughtBy: ReadonlyArray<'property' | 'model'>;
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
    machine: variant(['failed'], (state) => ({ ...state, after: { 5_000: { guard: 'visitorSignedIn', target: 'fetchingToken' } } })),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'falls back to anonymous after an activate failure',
    mistake: 'a failed secured activate leads to the anonymous state instead of failed',
    machine: variant(['secured', 'tag', 'activating'], (state) => {
      const invoke = invokeOf(state);
      return { ...state, invoke: { ...invoke, onDone: [invoke.onDone[0], { ...invoke.onDone[1], target: '#activation.anonymous' }] } };
    }),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'activates twice on a double click',
    mistake: 'SIGN_IN during the activate is not absorbed: the sign-in starts over beside the activate in flight',
    machine: variant(['secured', 'tag', 'activating'], (state) => ({
      ...state,
      on: { ...onOf(state), SIGN_IN: { target: '#activation.fetchingToken', actions: 'beginSignIn' } },
    })),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'signs out without logging the tag out',
    mistake: 'SIGN_OUT while active goes straight to signed out',
    machine: variant(['secured', 'tag', 'active'], (state) => ({
      ...state,
      on: { ...onOf(state), SIGN_OUT: { target: '#activation.signedOut', actions: 'forgetVisitor' } },
    })),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'falls back to anonymous without a token under stay-inactive',
    mistake: "the anonymousOnTokenFailure guard is forgotten: a failed token fetch always activates anonymously",
    machine: variant(['fetchingToken'], (state) => {
      const invoke = invokeOf(state);
      const { guard: _forgotten, ...unguarded } = invoke.onError[0]!;
      return { ...state, invoke: { ...invoke, onError: [unguarded, invoke.onError[1]] } };
    }),
    caughtBy: ['property', 'model'],
  },
  {
    name: 'serves stale providers',
    mistake: "the staleTokenRequest guard is forgotten while fresh: an earlier sign-in's provider gets the current visitor's token",
    machine: variant(['secured', 'token', 'fresh'], (state) => ({ ...state, on: { ...onOf(state), TOKEN_REQUESTED: { actions: 'provideToken' } } })),
    caughtBy: ['model'],
  },
];
