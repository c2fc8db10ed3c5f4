// The controller's public snapshot: a small, stable view of the machine, not XState internals.
import type { SnapshotFrom } from 'xstate';
import type { ActivationMachine } from '../../machines/activation.js';
import type { Failure } from '../failures.js';

export type ActivationStatus =
  | 'inactive' // signed out, tag untouched
  | 'anonymous' // tag activated anonymously (whenSignedOut policy, or the opt-in fallback)
  | 'fetching-token'
  | 'activating' // loading the tag and awaiting activate (secured or anonymous)
  | 'active' // authenticated
  | 'failed'
  | 'signing-out';

export interface ActivationState {
  readonly status: ActivationStatus;
  /** The identity given to signIn; undefined when signed out or when none was given. */
  readonly identity: string | undefined;
  /** The visitor is signed in on the site (whatever the tag's state). */
  readonly signedIn: boolean;
  /** The tag is, or is being, activated anonymously. */
  readonly anonymous: boolean;
  /** Why it failed (status 'failed'), or why it fell back to anonymous. */
  readonly failure: Failure | undefined;
  /** The last token refresh asked by the tag failed (status stays 'active'; the tag decides). */
  readonly refreshFailure: Failure | undefined;
}

export function statusOf(snapshot: SnapshotFrom<ActivationMachine>): ActivationStatus {
  if (snapshot.matches('signedOut')) return 'inactive';
  if (snapshot.matches({ anonymous: 'active' })) return 'anonymous';
  if (snapshot.matches('anonymous')) return 'activating';
  if (snapshot.matches('fetchingToken')) return 'fetching-token';
  if (snapshot.matches({ secured: { tag: 'active' } })) return 'active';
  if (snapshot.matches('secured')) return 'activating';
  if (snapshot.matches('signingOut')) return 'signing-out';
  return 'failed';
}

export function viewOf(snapshot: SnapshotFrom<ActivationMachine>): ActivationState {
  const { context } = snapshot;
  return {
    status: statusOf(snapshot),
    identity: context.visitor?.identity,
    signedIn: context.visitor !== undefined,
    anonymous: snapshot.matches('anonymous'),
    failure: context.failure,
    refreshFailure: context.refreshFailure,
  };
}

/** Same content, same object: lets React's useSyncExternalStore skip renders. */
export function sameView(a: ActivationState, b: ActivationState): boolean {
  return (
    a.status === b.status &&
    a.identity === b.identity &&
    a.signedIn === b.signedIn &&
    a.anonymous === b.anonymous &&
    a.failure === b.failure &&
    a.refreshFailure === b.refreshFailure
  );
}
